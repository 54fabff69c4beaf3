"""One backlog: roadmap items scored with RICE and a business case, and the experiments made of them."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from aspa.core.models import TenantModel


class ItemStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    ACCEPTED = "accepted", _("Accepted")
    EXPERIMENT = "experiment", _("In experiment")
    DONE = "done", _("Done")
    DROPPED = "dropped", _("Dropped")


class ItemSource(models.TextChoices):
    IDEA = "idea", _("Idea")
    THEME = "theme", _("Feedback theme")
    OTHER = "other", _("Other")


IMPACT_CHOICES = [
    (0.25, _("Minimal (0.25)")),
    (0.5, _("Low (0.5)")),
    (1.0, _("Medium (1)")),
    (2.0, _("High (2)")),
    (3.0, _("Massive (3)")),
]


class RoadmapItem(TenantModel):
    """A candidate change. Its ranking comes from RICE = reach x impact x confidence / effort."""

    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    source = models.CharField(_("source"), max_length=8, choices=ItemSource.choices, default=ItemSource.OTHER)
    # Ideas and themes live in aspa.voice; the link is by reference only (no cascade from there).
    idea = models.ForeignKey("voice.Idea", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    theme = models.ForeignKey(
        "voice.Theme", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    team = models.ForeignKey(
        "org.Team", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("team")
    )
    status = models.CharField(
        _("status"), max_length=10, choices=ItemStatus.choices, default=ItemStatus.PROPOSED
    )
    reach = models.PositiveIntegerField(_("reach (customers per quarter)"), default=0)
    impact = models.FloatField(_("impact"), choices=IMPACT_CHOICES, default=1.0)
    confidence = models.PositiveSmallIntegerField(_("confidence (%)"), default=50)
    effort = models.FloatField(_("effort (person-weeks)"), default=1.0)
    cost = models.DecimalField(_("cost (€)"), max_digits=12, decimal_places=2, default=0)
    yearly_value = models.DecimalField(
        _("expected yearly value (€)"), max_digits=12, decimal_places=2, default=0
    )
    created_by = models.ForeignKey("org.Membership", on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    accepted_by = models.ForeignKey(
        "org.Membership", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    accepted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("roadmap item")
        verbose_name_plural = _("roadmap items")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.title


class ExperimentMetric(models.TextChoices):
    NPS = "nps", _("NPS")
    CSAT = "csat", _("CSAT")
    CES = "ces", _("CES")
    FCR = "fcr", _("First-contact resolution")
    SERVICE_LEVEL = "service_level", _("Service level")


class ExperimentDesign(models.TextChoices):
    BEFORE_DURING = "before", _("Before vs during")
    TEST_CONTROL = "control", _("Test vs control")


class ExperimentStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    RUNNING = "running", _("Running")
    FINISHED = "finished", _("Finished")


class Outcome(models.TextChoices):
    ADOPT = "adopt", _("Adopt")
    ADJUST = "adjust", _("Adjust")
    DROP = "drop", _("Drop")


class Experiment(TenantModel):
    """A small experiment: a hypothesis, a metric, who takes part, a period, and the measured effect."""

    item = models.ForeignKey(RoadmapItem, on_delete=models.CASCADE, related_name="experiments")
    hypothesis = models.TextField(_("hypothesis"))
    metric = models.CharField(_("metric"), max_length=16, choices=ExperimentMetric.choices)
    design = models.CharField(
        _("comparison"),
        max_length=8,
        choices=ExperimentDesign.choices,
        default=ExperimentDesign.BEFORE_DURING,
    )
    teams = models.ManyToManyField("org.Team", related_name="+", verbose_name=_("teams in the test"))
    control_teams = models.ManyToManyField(
        "org.Team", related_name="+", blank=True, verbose_name=_("control teams")
    )
    queue_refs = models.JSONField(_("queues"), default=list, blank=True)
    starts_on = models.DateField(_("starts"))
    ends_on = models.DateField(_("ends"))
    status = models.CharField(
        _("status"), max_length=8, choices=ExperimentStatus.choices, default=ExperimentStatus.PLANNED
    )
    result = models.JSONField(default=dict, blank=True)
    measured_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=8, choices=Outcome.choices, blank=True)
    outcome_note = models.TextField(_("what we decided and why"), blank=True)
    created_by = models.ForeignKey("org.Membership", on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("experiment")
        verbose_name_plural = _("experiments")
        ordering = ["-starts_on", "-id"]

    def __str__(self) -> str:
        return self.hypothesis[:80]
