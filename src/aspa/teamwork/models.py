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
