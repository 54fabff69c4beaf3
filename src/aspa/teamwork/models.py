"""Team self-direction: decision matrix, charter, role board and agreements.

Every row belongs to one organisation (TenantModel) and one team; selectors filter on both.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from aspa.core.models import TenantModel
from aspa.teamwork.decisions import Level, Subject


class DecisionCell(TenantModel):
    """A team's own setting for one cell of its decision matrix; cells without a row keep the default."""

    team = models.ForeignKey("org.Team", on_delete=models.CASCADE, related_name="decision_cells")
    decision = models.CharField(_("decision"), max_length=64)
    subject = models.CharField(_("who"), max_length=16, choices=Subject.choices)
    level = models.CharField(_("level"), max_length=16, choices=Level.choices)
    amount_limit = models.DecimalField(_("limit (€)"), max_digits=12, decimal_places=2, null=True, blank=True)

    class Meta:
        verbose_name = _("decision matrix cell")
        verbose_name_plural = _("decision matrix cells")
        constraints = [
            models.UniqueConstraint(fields=["team", "decision", "subject"], name="uniq_decision_cell"),
        ]

    def __str__(self) -> str:
        return f"{self.decision}/{self.subject}={self.level}"


class DecisionChange(TenantModel):
    """One changed cell in one version of a team's matrix: the history of who changed what, when, why."""

    team = models.ForeignKey("org.Team", on_delete=models.CASCADE, related_name="decision_changes")
    version = models.PositiveIntegerField(_("version"))
    decision = models.CharField(_("decision"), max_length=64)
    subject = models.CharField(_("who"), max_length=16, choices=Subject.choices)
    old_level = models.CharField(_("was"), max_length=16, choices=Level.choices)
    new_level = models.CharField(_("now"), max_length=16, choices=Level.choices)
    old_limit = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    new_limit = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    note = models.CharField(_("reason"), max_length=300, blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    changed_at = models.DateTimeField(_("changed"), default=timezone.now)

    class Meta:
        verbose_name = _("decision matrix change")
        verbose_name_plural = _("decision matrix changes")
        ordering = ["-version", "decision", "subject"]
        indexes = [models.Index(fields=["team", "-version"])]

    def __str__(self) -> str:
        return f"v{self.version} {self.decision}/{self.subject}"


class CharterVersion(TenantModel):
    """One version of a team charter; a new version is written instead of editing an old one."""

    team = models.ForeignKey("org.Team", on_delete=models.CASCADE, related_name="charter_versions")
    number = models.PositiveIntegerField(_("version"))
    purpose = models.TextField(_("purpose"))
    customer_promise = models.TextField(_("customer promise"))
    goals = models.TextField(_("team goals"), blank=True)
    direction = models.TextField(_("link to the organisation's direction"), blank=True)
    direction_url = models.URLField(_("direction document"), blank=True)
    note = models.CharField(_("what changed"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("written"), default=timezone.now)

    class Meta:
        verbose_name = _("charter version")
        verbose_name_plural = _("charter versions")
        ordering = ["-number"]
        constraints = [models.UniqueConstraint(fields=["team", "number"], name="uniq_charter_version")]

    def __str__(self) -> str:
        return f"{self.team_id} v{self.number}"


class CharterConsent(TenantModel):
    """A member's "I agree" to one charter version."""

    version = models.ForeignKey(CharterVersion, on_delete=models.CASCADE, related_name="consents")
    membership = models.ForeignKey("org.Membership", on_delete=models.CASCADE, related_name="+")
    agreed_at = models.DateTimeField(_("agreed"), default=timezone.now)

    class Meta:
        ordering = ["agreed_at"]
        constraints = [
            models.UniqueConstraint(fields=["version", "membership"], name="uniq_charter_consent"),
        ]

    def __str__(self) -> str:
        return f"{self.membership_id} agrees to {self.version_id}"


class TeamRole(TenantModel):
    """A role on the team's role board (huoneentaulu): what it is responsible for; rotating or not."""

    team = models.ForeignKey("org.Team", on_delete=models.CASCADE, related_name="board_roles")
    name = models.CharField(_("role"), max_length=120)
    responsibilities = models.TextField(_("responsibilities"))
    is_rotating = models.BooleanField(_("rotates"), default=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("team role")
        verbose_name_plural = _("team roles")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["team", "name"], name="uniq_team_role_name")]

    def __str__(self) -> str:
        return self.name


class RoleAssignment(TenantModel):
    """Who holds a role from `starts_on` to `ends_on` (inclusive; open-ended when empty)."""

    role = models.ForeignKey(TeamRole, on_delete=models.CASCADE, related_name="assignments")
    membership = models.ForeignKey("org.Membership", on_delete=models.CASCADE, related_name="+")
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"), null=True, blank=True)

    class Meta:
        ordering = ["starts_on", "pk"]

    def __str__(self) -> str:
        return f"{self.role_id}: {self.membership_id} {self.starts_on}–{self.ends_on or ''}"


class AgreementStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    DISCUSSED = "discussed", _("Discussed")
    AGREED = "agreed", _("Agreed")
    RETIRED = "retired", _("Retired")


class Agreement(TenantModel):
    """A team agreement (pelisääntö): proposed → discussed → agreed by consent → reviewed on a date."""

    team = models.ForeignKey("org.Team", on_delete=models.CASCADE, related_name="agreements")
    title = models.CharField(_("agreement"), max_length=200)
    text = models.TextField(_("what we agree"), blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=AgreementStatus.choices, default=AgreementStatus.PROPOSED
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("proposed"), default=timezone.now)
    agreed_at = models.DateTimeField(_("agreed"), null=True, blank=True)
    agreed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    review_on = models.DateField(_("review on"), null=True, blank=True)

    class Meta:
        verbose_name = _("team agreement")
        verbose_name_plural = _("team agreements")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["team", "status"])]

    def __str__(self) -> str:
        return self.title


class Objection(TenantModel):
    """An objection to an agreement; while unresolved it blocks consent."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="objections")
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    text = models.TextField(_("objection"))
    raised_at = models.DateTimeField(_("raised"), default=timezone.now)
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    resolution = models.TextField(_("how it was resolved"), blank=True)

    class Meta:
        ordering = ["raised_at", "pk"]

    def __str__(self) -> str:
        return self.text[:60]


# --- action items (toimenpiteet): one stream for meetings, coaching, retrospectives, experiments -------


class ActionSource(models.TextChoices):
    MEETING = "meeting", _("Meeting")
    COACHING = "coaching", _("Coaching session")
    RETRO = "retro", _("Retrospective")
    EXPERIMENT = "experiment", _("Experiment")
    GOAL = "goal", _("Goal")
    OTHER = "other", _("Other")


class ActionStatus(models.TextChoices):
    OPEN = "open", _("Open")
    DONE = "done", _("Done")
    DROPPED = "dropped", _("Dropped")


class ActionItem(TenantModel):
    """A small, owned, dated thing to do. Its source is a generic (type, id) pair so that apps that do
    not exist yet (experiments) can point at their own rows without a migration here.

    A private action (from a coaching session) is visible only to its owner, its creator and the
    participants of the session; every other action is open to the organisation like the team's pages.
    """

    team = models.ForeignKey("org.Team", on_delete=models.CASCADE, related_name="action_items")
    title = models.CharField(_("what"), max_length=140)
    note = models.CharField(_("note"), max_length=500, blank=True)
    owner = models.ForeignKey(
        "org.Membership",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("owner"),
    )
    due_on = models.DateField(_("due"))
    status = models.CharField(
        _("status"), max_length=16, choices=ActionStatus.choices, default=ActionStatus.OPEN
    )
    source_type = models.CharField(
        _("source"), max_length=16, choices=ActionSource.choices, default=ActionSource.OTHER
    )
    source_id = models.PositiveIntegerField(null=True, blank=True)
    is_private = models.BooleanField(default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    reminded_on = models.DateField(null=True, blank=True)

    class Meta:
        verbose_name = _("action item")
        verbose_name_plural = _("action items")
        ordering = ["due_on", "pk"]
        indexes = [
            models.Index(fields=["team", "status", "due_on"]),
            models.Index(fields=["owner", "status"]),
            models.Index(fields=["source_type", "source_id"]),
        ]

    def __str__(self) -> str:
        return self.title


# --- goals -----------------------------------------------------------------------------------------


class GoalLevel(models.TextChoices):
    ORGANISATION = "organisation", _("Organisation")
    TEAM = "team", _("Team")
    PERSON = "person", _("Personal")


class GoalStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    ACHIEVED = "achieved", _("Achieved")
    DROPPED = "dropped", _("Dropped")


class Goal(TenantModel):
    """A SMART goal: specific (title, description), measurable (metric, target value and unit),
    achievable (note), relevant (parent goal), time-bound (due date).

    Personal goals are private to the person, their lead and their lead's lead unless `is_shared`
    (see `aspa.teamwork.selectors.goal_list`).
    """

    level = models.CharField(_("level"), max_length=16, choices=GoalLevel.choices)
    team = models.ForeignKey(
        "org.Team",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="goals",
        verbose_name=_("team"),
    )
    person = models.ForeignKey(
        "org.Membership",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("person"),
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("serves"),
    )
    title = models.CharField(_("goal"), max_length=200)
    description = models.TextField(_("specifically"), blank=True)
    metric = models.CharField(_("metric"), max_length=32, blank=True)
    baseline = models.DecimalField(
        _("starting value"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    target_value = models.DecimalField(_("target value"), max_digits=12, decimal_places=2)
    unit = models.CharField(_("unit"), max_length=20, blank=True)
    achievable_note = models.TextField(_("why it is achievable"), blank=True)
    due_on = models.DateField(_("due"))
    is_shared = models.BooleanField(_("shared with the organisation"), default=False)
    status = models.CharField(
        _("status"), max_length=16, choices=GoalStatus.choices, default=GoalStatus.ACTIVE
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("goal")
        verbose_name_plural = _("goals")
        ordering = ["due_on", "pk"]
        indexes = [models.Index(fields=["organisation", "level"]), models.Index(fields=["person"])]

    def __str__(self) -> str:
        return self.title


class GoalCheckIn(TenantModel):
    """A progress check-in: the value now, how confident the owner is (1–5), and a comment."""

    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="check_ins")
    value = models.DecimalField(_("value now"), max_digits=12, decimal_places=2)
    confidence = models.PositiveSmallIntegerField(_("confidence (1–5)"))
    comment = models.TextField(_("comment"), blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("checked in"), default=timezone.now)

    class Meta:
        verbose_name = _("goal check-in")
        verbose_name_plural = _("goal check-ins")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.goal_id}: {self.value}"


# --- coaching sessions (valmennuskeskustelut) ----------------------------------------------------------


class CoachingKind(models.TextChoices):
    ONE_ON_ONE = "1:1", _("1:1")
    ONE_PLUS = "1+1+1", _("1+1+1 (with the lead's lead)")


class CoachingStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    HELD = "held", _("Held")
    CANCELLED = "cancelled", _("Cancelled")


class CoachingSession(TenantModel):
    """A 1:1 (lead + person) or 1+1+1 (lead + person + the lead's lead) session.

    `agreements` are shared by the participants; private notes live in CoachingNote, one author each.
    A repeating session plans the next one when it is held.
    """

    team = models.ForeignKey("org.Team", on_delete=models.CASCADE, related_name="coaching_sessions")
    kind = models.CharField(
        _("kind"), max_length=8, choices=CoachingKind.choices, default=CoachingKind.ONE_ON_ONE
    )
    lead = models.ForeignKey(
        "org.Membership", on_delete=models.CASCADE, related_name="+", verbose_name=_("lead")
    )
    coachee = models.ForeignKey(
        "org.Membership", on_delete=models.CASCADE, related_name="+", verbose_name=_("person")
    )
    manager = models.ForeignKey(
        "org.Membership",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("lead's lead"),
    )
    scheduled_for = models.DateTimeField(_("when"))
    repeat_every_weeks = models.PositiveSmallIntegerField(_("repeat every (weeks)"), default=0)
    status = models.CharField(
        _("status"), max_length=16, choices=CoachingStatus.choices, default=CoachingStatus.PLANNED
    )
    agreements = models.TextField(_("shared agreements"), blank=True)
    held_at = models.DateTimeField(_("held"), null=True, blank=True)
    previous = models.OneToOneField(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="next_session"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("coaching session")
        verbose_name_plural = _("coaching sessions")
        ordering = ["-scheduled_for", "-pk"]
        indexes = [models.Index(fields=["coachee", "-scheduled_for"]), models.Index(fields=["lead"])]

    def __str__(self) -> str:
        return f"{self.kind} {self.coachee_id} {self.scheduled_for:%Y-%m-%d}"


class CoachingNote(TenantModel):
    """A private note: only its author ever reads it (not the other participants, not administrators)."""

    session = models.ForeignKey(CoachingSession, on_delete=models.CASCADE, related_name="private_notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    text = models.TextField(_("private note"))
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"note {self.pk}"


# --- meetings (palaverit) ----------------------------------------------------------------------------


class MeetingKind(models.TextChoices):
    HUDDLE = "huddle", _("Daily huddle")
    WEEKLY = "weekly", _("Weekly meeting")
    OTHER = "other", _("Other meeting")


class Triage(models.TextChoices):
    UNTRIAGED = "", _("Not triaged")
    JUST_DO_IT = "do", _("Just do it")
    PREPARE = "prepare", _("Needs preparation")


class Meeting(TenantModel):
    team = models.ForeignKey("org.Team", on_delete=models.CASCADE, related_name="meetings")
    kind = models.CharField(_("kind"), max_length=16, choices=MeetingKind.choices, default=MeetingKind.HUDDLE)
    title = models.CharField(_("title"), max_length=120, blank=True)
    starts_at = models.DateTimeField(_("starts"))
    minutes = models.PositiveSmallIntegerField(_("length (minutes)"), default=10)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["-starts_at", "-pk"]
        indexes = [models.Index(fields=["team", "-starts_at"])]

    def __str__(self) -> str:
        return self.title or f"{self.kind} {self.starts_at:%Y-%m-%d}"


class AgendaItem(TenantModel):
    """Something to handle in a meeting: anyone in the team adds it, votes prioritise, triage sorts."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="items")
    title = models.CharField(_("topic"), max_length=200)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    timebox_minutes = models.PositiveSmallIntegerField(_("timebox (minutes)"), default=5)
    triage = models.CharField(
        _("triage"), max_length=16, choices=Triage.choices, default=Triage.UNTRIAGED, blank=True
    )
    decision = models.TextField(_("decision"), blank=True)
    is_handled = models.BooleanField(_("handled"), default=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.title


class AgendaVote(TenantModel):
    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="votes")
    membership = models.ForeignKey("org.Membership", on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["item", "membership"], name="uniq_agenda_vote")]

    def __str__(self) -> str:
        return f"{self.membership_id} → {self.item_id}"


class MeetingRating(TenantModel):
    """One click after the meeting: how useful was it (1–5)?"""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="ratings")
    membership = models.ForeignKey("org.Membership", on_delete=models.CASCADE, related_name="+")
    score = models.PositiveSmallIntegerField(_("usefulness"))
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["meeting", "membership"], name="uniq_meeting_rating")]

    def __str__(self) -> str:
        return f"{self.meeting_id}: {self.score}"


# --- retrospectives ----------------------------------------------------------------------------------


class RetroCategory(models.TextChoices):
    STRENGTHEN = "strengthen", _("Strengthen")
    REDUCE = "reduce", _("Reduce")
    CREATE = "create", _("Create new")
    GIVE_UP = "give_up", _("Give up")


class Retrospective(TenantModel):
    team = models.ForeignKey("org.Team", on_delete=models.CASCADE, related_name="retrospectives")
    title = models.CharField(_("title"), max_length=120)
    held_on = models.DateField(_("date"))
    dots_per_person = models.PositiveSmallIntegerField(_("dots per person"), default=3)
    is_closed = models.BooleanField(_("closed"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("retrospective")
        verbose_name_plural = _("retrospectives")
        ordering = ["-held_on", "-pk"]

    def __str__(self) -> str:
        return self.title


class RetroItem(TenantModel):
    """A contribution. An anonymous one has no author at all: it is never stored, not even hidden."""

    retro = models.ForeignKey(Retrospective, on_delete=models.CASCADE, related_name="items")
    category = models.CharField(_("field"), max_length=16, choices=RetroCategory.choices)
    text = models.CharField(_("what"), max_length=300)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    action = models.ForeignKey(ActionItem, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    # The staff idea (aspa.voice) this item became, by id: the idea lives in another app.
    idea_id = models.PositiveIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.text[:60]


class RetroDot(TenantModel):
    """One voting dot; a person may put several on one item, up to the retro's dots per person."""

    item = models.ForeignKey(RetroItem, on_delete=models.CASCADE, related_name="dots")
    membership = models.ForeignKey("org.Membership", on_delete=models.CASCADE, related_name="+")

    def __str__(self) -> str:
        return f"{self.membership_id} · {self.item_id}"


# --- self-direction level ------------------------------------------------------------------------------


class SelfDirectionTarget(TenantModel):
    """The team's target level (1–5) in one area of the rubric (aspa.teamwork.selfdirection)."""

    team = models.ForeignKey("org.Team", on_delete=models.CASCADE, related_name="self_direction_targets")
    area = models.CharField(_("area"), max_length=16)
    level = models.PositiveSmallIntegerField(_("target level"))
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    set_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["team", "area"], name="uniq_sd_target")]

    def __str__(self) -> str:
        return f"{self.team_id} {self.area}={self.level}"


class SelfDirectionAssessment(TenantModel):
    """One member's view of where the team is now in one area (their latest answer counts)."""

    team = models.ForeignKey("org.Team", on_delete=models.CASCADE, related_name="self_direction_assessments")
    membership = models.ForeignKey("org.Membership", on_delete=models.CASCADE, related_name="+")
    area = models.CharField(_("area"), max_length=16)
    level = models.PositiveSmallIntegerField(_("current level"))
    assessed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["team", "membership", "area"], name="uniq_sd_assessment")
        ]

    def __str__(self) -> str:
        return f"{self.team_id} {self.area}: {self.level}"
