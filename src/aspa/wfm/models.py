"""Queues, their contact history, forecasts and the staffing need that follows from them."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
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
    """Observed contacts of one queue in one interval; (queue, start) is unique so re-imports upsert."""

    queue = models.ForeignKey(Queue, on_delete=models.CASCADE, related_name="history")
    start = models.DateTimeField(_("interval start"))
    offered = models.PositiveIntegerField(_("offered"), default=0)
    handled = models.PositiveIntegerField(_("handled"), default=0)
    abandoned = models.PositiveIntegerField(_("abandoned"), default=0)
    aht_seconds = models.FloatField(_("average handle time (seconds)"), null=True, blank=True)

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
