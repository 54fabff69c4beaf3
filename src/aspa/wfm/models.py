"""Queues, their contact history, forecasts and the staffing need that follows from them."""

from __future__ import annotations

import re

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from aspa.core.models import TenantModel


class Channel(models.TextChoices):
    PHONE = "phone", _("Phone")
    CHAT = "chat", _("Chat")
    EMAIL = "email", _("E-mail")
    SOCIAL = "social", _("Social media")
    MESSAGES = "messages", _("Messages")


class IntervalLength(models.IntegerChoices):
    FIVE = 5, _("5 minutes")
    SIX = 6, _("6 minutes")
    FIFTEEN = 15, _("15 minutes")
    THIRTY = 30, _("30 minutes")
    SIXTY = 60, _("60 minutes")


class Queue(TenantModel):
    """A stream of contacts served together (jono): one channel, one service-level target, one skill.

    `opening_hours` maps a weekday ("0" = Monday) to a list of ["HH:MM", "HH:MM"] ranges (end exclusive,
    "24:00" for midnight); a weekday that is missing is closed all day.
    """

    name = models.CharField(_("name"), max_length=120)
    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices, default=Channel.PHONE)
    interval_minutes = models.PositiveSmallIntegerField(
        _("interval length"), choices=IntervalLength.choices, default=IntervalLength.FIFTEEN
    )
    opening_hours = models.JSONField(_("opening hours"), default=dict, blank=True)
    service_level_percent = models.FloatField(_("service level target (%)"), default=80.0)
    service_level_seconds = models.PositiveIntegerField(_("answered within (seconds)"), default=20)
    aht_seconds = models.PositiveIntegerField(_("average handle time (seconds)"), default=180)
    shrinkage = models.FloatField(_("shrinkage"), default=0.3)
    skill = models.SlugField(_("skill"), max_length=60, blank=True)
    teams = models.ManyToManyField("org.Team", blank=True, related_name="wfm_queues", verbose_name=_("teams"))
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("queue")
        verbose_name_plural = _("queues")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="uniq_wfm_queue_org_name"),
        ]

    def __str__(self) -> str:
        return self.name


class ContactInterval(models.Model):
    """Observed contacts of one queue in one interval; (queue, start) is unique so re-imports upsert.

    answered_in_sl <= offered; abandoned contacts are never within target."""

    queue = models.ForeignKey(Queue, on_delete=models.CASCADE, related_name="history")
    start = models.DateTimeField(_("interval start"))
    offered = models.PositiveIntegerField(_("offered"), default=0)
    handled = models.PositiveIntegerField(_("handled"), default=0)
    abandoned = models.PositiveIntegerField(_("abandoned"), default=0)
    aht_seconds = models.FloatField(_("average handle time (seconds)"), null=True, blank=True)
    # Contacts answered within the queue's target time (the "20" of 80/20): None where the source gave
    # no waiting times, so measured service level is only computed over intervals that have it.
    answered_in_sl = models.PositiveIntegerField(
        _("answered within the service-level target"), null=True, blank=True
    )

    class Meta:
        verbose_name = _("contact interval")
        verbose_name_plural = _("contact history")
        ordering = ["queue", "start"]
        constraints = [
            models.UniqueConstraint(fields=["queue", "start"], name="uniq_wfm_history_queue_start"),
        ]

    def __str__(self) -> str:
        return f"{self.queue_id} {self.start:%Y-%m-%d %H:%M} {self.offered}"


class HistoryUpload(TenantModel):
    """An uploaded history file waiting for its column mapping to be confirmed (then imported)."""

    queue = models.ForeignKey(Queue, on_delete=models.CASCADE, related_name="uploads")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    filename = models.CharField(_("file name"), max_length=200)
    stored_name = models.CharField(max_length=300)
    size_bytes = models.PositiveBigIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)
    imported_at = models.DateTimeField(null=True, blank=True)
    rows_read = models.PositiveIntegerField(default=0)
    intervals_written = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("history upload")
        verbose_name_plural = _("history uploads")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.filename


class ForecastStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    SUPERSEDED = "superseded", _("Superseded")


class Forecast(TenantModel):
    """One forecast run of a queue: made by a background job, reviewed, adjusted and published."""

    queue = models.ForeignKey(Queue, on_delete=models.CASCADE, related_name="forecasts")
    status = models.CharField(
        _("status"), max_length=16, choices=ForecastStatus.choices, default=ForecastStatus.DRAFT
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    job = models.ForeignKey("core.Job", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    model_name = models.CharField(_("model"), max_length=120, blank=True)
    backtest_wape = models.FloatField(_("backtest WAPE"), null=True, blank=True)
    backtest_mase = models.FloatField(_("backtest MASE"), null=True, blank=True)
    horizon_days = models.PositiveSmallIntegerField(_("horizon (days)"), default=14)
    interval_minutes = models.PositiveSmallIntegerField(_("interval length"), default=15)
    level = models.FloatField(_("prediction interval level"), default=0.8)
    starts_at = models.DateTimeField(_("first interval"), null=True, blank=True)
    ends_at = models.DateTimeField(_("end"), null=True, blank=True)
    # The queue's targets at the time the staffing need was computed.
    service_level_percent = models.FloatField(default=80.0)
    service_level_seconds = models.PositiveIntegerField(default=20)
    aht_seconds = models.PositiveIntegerField(default=180)
    shrinkage = models.FloatField(default=0.3)
    created_at = models.DateTimeField(default=timezone.now)
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("forecast")
        verbose_name_plural = _("forecasts")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["queue", "status"])]

    def __str__(self) -> str:
        return f"{self.queue} {self.created_at:%Y-%m-%d %H:%M}"

    @property
    def model_label(self) -> str:
        """The chosen forecasting method in words; `model_name` keeps the engine's identifier."""
        return forecast_model_label(self.model_name)

    @property
    def backtest_wape_percent(self) -> float | None:
        return None if self.backtest_wape is None else self.backtest_wape * 100


def forecast_model_label(name: str) -> str:
    """The engine's model identifiers ("dow_tod_mean_8w") as a planner reads them; an unknown one as it is."""
    if name == "snaive_week":
        return gettext("Same weekday and time a week earlier")
    if name == "daily_x_profile":
        return gettext("Daily totals spread by the time-of-day profile")
    if name == "dow_tod_mean_all":
        return gettext("Mean of the same weekday and time over the whole history")
    if name.startswith("mean(") and name.endswith(")"):
        members = [forecast_model_label(member.strip()) for member in name[5:-1].split(",")]
        return ngettext(
            "Average of %(count)d model: %(models)s",
            "Average of %(count)d models: %(models)s",
            len(members),
        ) % {"count": len(members), "models": "; ".join(m[:1].lower() + m[1:] for m in members)}
    if match := re.fullmatch(r"dow_tod_mean_(\d+)w", name):
        weeks = int(match[1])
        return ngettext(
            "Mean of the same weekday and time over the last %(weeks)d week",
            "Mean of the same weekday and time over the last %(weeks)d weeks",
            weeks,
        ) % {"weeks": weeks}
    return name


class ForecastInterval(models.Model):
    """One interval of a forecast: the engine's point and band, the adjusted point and the staffing need."""

    forecast = models.ForeignKey(Forecast, on_delete=models.CASCADE, related_name="intervals")
    start = models.DateTimeField()
    point = models.FloatField()
    lower = models.FloatField()
    upper = models.FloatField()
    adjusted = models.FloatField()
    required_agents = models.PositiveIntegerField(default=0)
    scheduled_agents = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["forecast", "start"]
        constraints = [
            models.UniqueConstraint(fields=["forecast", "start"], name="uniq_wfm_forecast_interval"),
        ]

    def __str__(self) -> str:
        return f"{self.forecast_id} {self.start:%Y-%m-%d %H:%M}"


class ForecastAdjustment(models.Model):
    """A planner's change to a range of intervals: +/- percent, with the reason written down."""

    forecast = models.ForeignKey(Forecast, on_delete=models.CASCADE, related_name="adjustments")
    starts_at = models.DateTimeField(_("from"))
    ends_at = models.DateTimeField(_("until"))
    percent = models.FloatField(_("change (%)"))
    reason = models.TextField(_("reason"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("forecast adjustment")
        verbose_name_plural = _("forecast adjustments")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.percent:+g} % {self.starts_at:%Y-%m-%d %H:%M}–{self.ends_at:%Y-%m-%d %H:%M}"


# --- Rostering: planning periods, wishes, rosters, swaps ------------------------------------------------


class PeriodStatus(models.TextChoices):
    OPEN = "open", _("Open for wishes")
    SOLVING = "solving", _("Solving")
    REVIEW = "review", _("In review")
    PUBLISHED = "published", _("Published")
    LOCKED = "locked", _("Locked")


class PlanningPeriod(TenantModel):
    """A team's roster period (both dates inclusive). Life cycle: open → solving → review → published → locked."""

    team = models.ForeignKey(
        "org.Team", on_delete=models.CASCADE, related_name="wfm_periods", verbose_name=_("team")
    )
    name = models.CharField(_("name"), max_length=120)
    starts_on = models.DateField(_("first day"))
    ends_on = models.DateField(_("last day"))
    wish_deadline = models.DateTimeField(_("wishes due"), null=True, blank=True)
    wish_reminder_sent_at = models.DateTimeField(_("wish reminder sent"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=PeriodStatus.choices, default=PeriodStatus.OPEN
    )
    time_limit_s = models.PositiveSmallIntegerField(_("solver time limit (seconds)"), default=20)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("planning period")
        verbose_name_plural = _("planning periods")
        ordering = ["-starts_on", "-id"]

    def __str__(self) -> str:
        return self.name

    @property
    def days(self) -> int:
        return (self.ends_on - self.starts_on).days + 1


class ShiftKind(models.TextChoices):
    DAY = "day", _("Day")
    EVENING = "evening", _("Evening")
    NIGHT = "night", _("Night")


class ShiftType(TenantModel):
    """A kind of shift of a team (or of the whole organisation when `team` is empty). Paid breaks count as work."""

    team = models.ForeignKey(
        "org.Team", on_delete=models.CASCADE, null=True, blank=True, related_name="wfm_shift_types"
    )
    code = models.SlugField(_("code"), max_length=20)
    name = models.CharField(_("name"), max_length=80)
    start_time = models.TimeField(_("starts at"))
    length_minutes = models.PositiveSmallIntegerField(_("length (minutes)"))
    paid_break_minutes = models.PositiveSmallIntegerField(_("paid break (minutes)"), default=0)
    kind = models.CharField(_("kind"), max_length=16, choices=ShiftKind.choices, default=ShiftKind.DAY)
    # Counted in the fairness ledger and shared out by the optimiser like nights and weekends.
    unpopular = models.BooleanField(_("unpopular"), default=False)

    class Meta:
        verbose_name = _("shift type")
        verbose_name_plural = _("shift types")
        ordering = ["start_time", "code"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "team", "code"], name="uniq_wfm_shift_type_code"),
        ]

    def __str__(self) -> str:
        return self.name


class TeamWorkRules(TenantModel):
    """A team's labour rules; the defaults are the Finnish Working Hours Act values of the engine."""

    team = models.OneToOneField("org.Team", on_delete=models.CASCADE, related_name="wfm_work_rules")
    min_daily_rest_minutes = models.PositiveIntegerField(_("daily rest (minutes)"), default=11 * 60)
    min_weekly_rest_minutes = models.PositiveIntegerField(_("weekly rest (minutes)"), default=35 * 60)
    max_minutes_per_week = models.PositiveIntegerField(_("maximum minutes a week"), default=48 * 60)
    max_consecutive_days = models.PositiveSmallIntegerField(
        _("maximum consecutive days"), null=True, blank=True
    )
    fairness_weight = models.PositiveSmallIntegerField(_("fairness weight"), default=1)
    # How evenly the optimiser shares each burden out (0 = not at all); see engine rules/burdens.py.
    burden_weight_nights = models.PositiveSmallIntegerField(_("weight of sharing nights"), default=2)
    burden_weight_weekends = models.PositiveSmallIntegerField(_("weight of sharing weekends"), default=2)
    burden_weight_holidays = models.PositiveSmallIntegerField(
        _("weight of sharing public holidays"), default=2
    )
    burden_weight_unpopular = models.PositiveSmallIntegerField(
        _("weight of sharing unpopular shifts"), default=1
    )

    class Meta:
        verbose_name = _("work rules")
        verbose_name_plural = _("work rules")

    def __str__(self) -> str:
        return f"{self.team_id}"


class AgentContract(TenantModel):
    """Working time and queue skills of one person (membership)."""

    membership = models.OneToOneField("org.Membership", on_delete=models.CASCADE, related_name="wfm_contract")
    min_minutes_per_week = models.PositiveIntegerField(_("minimum minutes a week"), default=0)
    max_minutes_per_week = models.PositiveIntegerField(_("maximum minutes a week"), default=2250)
    skills = models.JSONField(_("skills"), default=list, blank=True)

    class Meta:
        verbose_name = _("contract")
        verbose_name_plural = _("contracts")

    def __str__(self) -> str:
        return f"{self.membership_id}"


class Availability(models.Model):
    """A day in the period when the person cannot work at all (a hard rule, unlike a wish)."""

    period = models.ForeignKey(PlanningPeriod, on_delete=models.CASCADE, related_name="unavailability")
    membership = models.ForeignKey("org.Membership", on_delete=models.CASCADE, related_name="+")
    day = models.DateField(_("day"))
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("unavailable day")
        verbose_name_plural = _("unavailable days")
        ordering = ["day"]
        constraints = [
            models.UniqueConstraint(fields=["period", "membership", "day"], name="uniq_wfm_unavailable_day"),
        ]

    def __str__(self) -> str:
        return f"{self.membership_id} {self.day}"


class WishKind(models.TextChoices):
    SHIFT_ON = "on", _("I want this shift")
    SHIFT_OFF = "off", _("I do not want this shift")
    DAY_OFF = "day_off", _("Day off")
    PREFERRED_START = "start", _("Preferred start time")
    LATEST_END = "latest_end", _("Must leave by")


class ShiftWish(models.Model):
    """A soft wish of one person for one period; `weight` says how much it matters (1–3)."""

    period = models.ForeignKey(PlanningPeriod, on_delete=models.CASCADE, related_name="wishes")
    membership = models.ForeignKey("org.Membership", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("wish"), max_length=16, choices=WishKind.choices)
    day = models.DateField(_("day"), null=True, blank=True)
    shift_type = models.ForeignKey(
        ShiftType, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    time = models.TimeField(_("time"), null=True, blank=True)
    weight = models.PositiveSmallIntegerField(_("importance"), default=1)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("shift wish")
        verbose_name_plural = _("shift wishes")
        ordering = ["day", "created_at", "id"]

    def __str__(self) -> str:
        return f"{self.membership_id} {self.kind} {self.day}"


class RosterStatus(models.TextChoices):
    SOLVING = "solving", _("Solving")
    FAILED = "failed", _("Failed")
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    SUPERSEDED = "superseded", _("Superseded")


class Roster(TenantModel):
    """One solve of a period: its shifts, cost per rule, fairness ledger and explanations (JSON, as shown)."""

    period = models.ForeignKey(PlanningPeriod, on_delete=models.CASCADE, related_name="rosters")
    job = models.ForeignKey("core.Job", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    status = models.CharField(
        _("status"), max_length=16, choices=RosterStatus.choices, default=RosterStatus.SOLVING
    )
    solver_status = models.CharField(_("solver status"), max_length=16, blank=True)
    objective = models.BigIntegerField(_("objective"), null=True, blank=True)
    breakdown = models.JSONField(default=dict, blank=True)
    ledger = models.JSONField(default=dict, blank=True)
    ledger_before = models.JSONField(default=dict, blank=True)
    explanations = models.JSONField(default=list, blank=True)
    coverage = models.JSONField(default=list, blank=True)
    wall_s = models.FloatField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("roster")
        verbose_name_plural = _("rosters")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.period} #{self.pk}"


class Shift(models.Model):
    """One person's shift on one day of a roster; `pinned` keeps it when the rest is re-solved."""

    roster = models.ForeignKey(Roster, on_delete=models.CASCADE, related_name="shifts")
    membership = models.ForeignKey("org.Membership", on_delete=models.CASCADE, related_name="+")
    day = models.DateField(_("day"))
    shift_type = models.ForeignKey(ShiftType, on_delete=models.PROTECT, related_name="+")
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    pinned = models.BooleanField(_("pinned"), default=False)

    class Meta:
        verbose_name = _("shift")
        verbose_name_plural = _("shifts")
        ordering = ["day", "starts_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["roster", "membership", "day"], name="uniq_wfm_shift_person_day"),
        ]

    def __str__(self) -> str:
        return f"{self.membership_id} {self.day} {self.shift_type_id}"


class FairnessPriority(TenantModel):
    """The team gave a person priority for wishes (life situation); the reason and who set it are kept."""

    team = models.ForeignKey("org.Team", on_delete=models.CASCADE, related_name="+")
    membership = models.ForeignKey("org.Membership", on_delete=models.CASCADE, related_name="+")
    reason = models.TextField(_("reason"))
    weight = models.PositiveSmallIntegerField(_("weight"), default=2)
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    ends_on = models.DateField(_("until"), null=True, blank=True)

    class Meta:
        verbose_name = _("fairness priority")
        verbose_name_plural = _("fairness priorities")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.membership_id}"


class SwapKind(models.TextChoices):
    OFFER = "offer", _("Offer my shift")
    SWAP = "swap", _("Swap shifts")


class SwapStatus(models.TextChoices):
    OPEN = "open", _("Open")
    PENDING = "pending", _("Waiting for approval")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    CANCELLED = "cancelled", _("Cancelled")


class SwapRequest(TenantModel):
    """An offered shift (or a swap request): a colleague takes it, the decision-matrix role approves it."""

    shift = models.ForeignKey(Shift, on_delete=models.CASCADE, related_name="swap_requests")
    kind = models.CharField(_("kind"), max_length=8, choices=SwapKind.choices, default=SwapKind.OFFER)
    offered_by = models.ForeignKey("org.Membership", on_delete=models.CASCADE, related_name="+")
    taker = models.ForeignKey(
        "org.Membership", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    taker_shift = models.ForeignKey(Shift, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    status = models.CharField(_("status"), max_length=16, choices=SwapStatus.choices, default=SwapStatus.OPEN)
    note = models.CharField(_("note"), max_length=300, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("shift swap")
        verbose_name_plural = _("shift swaps")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.kind} {self.shift_id}"


class CalendarFeed(TenantModel):
    """A person's private iCalendar feed; only the hash of the token in the URL is stored."""

    membership = models.OneToOneField("org.Membership", on_delete=models.CASCADE, related_name="wfm_calendar")
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")

    def __str__(self) -> str:
        return f"{self.membership_id}"
