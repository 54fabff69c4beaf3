"""Writes of the roadmap: items and their scores, acceptance through the decision matrix, experiments,
their measured effect (aspa.engine.cx on survey answers, or on the queues' measured service level per
day) and outcomes reported back to the idea's people.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from aspa.core.audit import audit_record
from aspa.core.tenancy import Actor
from aspa.engine import cx
from aspa.org.models import Team
from aspa.roadmap.models import (
    Experiment,
    ExperimentDesign,
    ExperimentMetric,
    ExperimentStatus,
    ItemSource,
    ItemStatus,
    Outcome,
    RoadmapItem,
)
from aspa.roadmap.selectors import ROADMAP_ACCEPT
from aspa.teamwork.selectors import require_decision
from aspa.voice import services as voice_services
from aspa.voice.models import IdeaStatus
from aspa.voice.selectors import require_manage, require_member, scores_for_experiment
from aspa.wfm import selectors as wfm_selectors

ERR_NEEDS_TEAM = gettext_noop("Choose the team that owns the item before accepting it.")
ERR_ALREADY_ACCEPTED = gettext_noop("The item is already on the roadmap.")
ERR_NOT_ACCEPTED = gettext_noop("Accept the item into the roadmap before experimenting with it.")
ERR_PERIOD = gettext_noop("The experiment must end on or after the day it starts.")
ERR_NO_TEAMS = gettext_noop("Choose at least one team or queue for the experiment.")
ERR_NO_CONTROL = gettext_noop("A test-vs-control experiment needs at least one control team.")
ERR_NO_SERVICE_LEVEL = gettext_noop(
    "Not enough measured service level yet: %(baseline)s days before or in control, %(variant)s days in "
    "the test. The contact history needs the count answered within target (import it with that column, "
    "or per contact with answer times)."
)
ERR_NO_DATA = gettext_noop(
    "Not enough answers to measure yet: %(baseline)s before or in control, %(variant)s in the test."
)
ERR_NOT_STARTED = gettext_noop("The experiment has not started yet.")
ERR_FINISHED = gettext_noop("The experiment has already finished.")
ERR_EFFORT = gettext_noop("Effort must be more than zero.")
ERR_CONFIDENCE = gettext_noop("Confidence is a percentage from 0 to 100.")

MSG_OUTCOME_SUBJECT = gettext_noop("An idea you backed was tried: %(title)s")
MSG_OUTCOME = gettext_noop('We tried "%(title)s". Decision: %(outcome)s. %(note)s')
MSG_ACCEPTED_SUBJECT = gettext_noop("On the roadmap: %(title)s")


def _check_scores(reach: int, confidence: int, effort: float) -> None:
    errors: dict[str, list[str]] = {}
    if effort <= 0:
        errors["effort"] = [_(ERR_EFFORT)]
    if not 0 <= confidence <= 100:
        errors["confidence"] = [_(ERR_CONFIDENCE)]
    if errors:
        raise ValidationError(errors)


def _own_team(actor: Actor, team: Team | None) -> Team | None:
    return team if team is not None and team.organisation_id == actor.organisation_id else None


@transaction.atomic
def item_create(
    *,
    actor: Actor,
    title: str,
    description: str = "",
    idea: Any = None,
    theme: Any = None,
    team: Team | None = None,
    reach: int = 0,
    impact: float = 1.0,
    confidence: int = 50,
    effort: float = 1.0,
    cost: Decimal = Decimal(0),
    yearly_value: Decimal = Decimal(0),
) -> RoadmapItem:
    """A new backlog item, from an idea, a feedback theme or neither."""
    require_manage(actor)
    _check_scores(reach, confidence, effort)
    if idea is not None and idea.organisation_id != actor.organisation_id:
        idea = None
    if theme is not None and theme.organisation_id != actor.organisation_id:
        theme = None
    item = RoadmapItem.objects.create(
        organisation_id=actor.organisation_id,
        title=title.strip()[:200],
        description=description.strip(),
        source=ItemSource.IDEA if idea else (ItemSource.THEME if theme else ItemSource.OTHER),
        idea=idea,
        theme=theme,
        team=_own_team(actor, team),
        reach=reach,
        impact=impact,
        confidence=confidence,
        effort=effort,
        cost=cost,
        yearly_value=yearly_value,
        created_by=actor,
    )
    audit_record(organisation=actor.organisation, actor=actor.user, action="roadmap.item_create", target=item)
    return item


@transaction.atomic
def item_update(*, actor: Actor, item: RoadmapItem, **fields: Any) -> RoadmapItem:
    """Change an item's text, team and scores (the ranking follows)."""
    require_manage(actor)
    allowed = {
        "title",
        "description",
        "team",
        "reach",
        "impact",
        "confidence",
        "effort",
        "cost",
        "yearly_value",
    }
    before = {k: str(getattr(item, k)) for k in allowed}
    for key, value in fields.items():
        if key in allowed:
            setattr(item, key, _own_team(actor, value) if key == "team" else value)
    _check_scores(item.reach, item.confidence, item.effort)
    item.save()
    after = {k: str(getattr(item, k)) for k in allowed}
    audit_record(
        organisation=actor.organisation,
        actor=actor.user,
        action="roadmap.item_update",
        target=item,
        changes={k: [before[k], after[k]] for k in allowed if before[k] != after[k]},
    )
    return item


@transaction.atomic
def item_accept(*, actor: Actor, item: RoadmapItem) -> RoadmapItem:
    """Accept the item into the roadmap: the team's decision matrix says who may ('roadmap.accept')."""
    require_member(actor)
    if item.team is None:
        raise ValidationError(_(ERR_NEEDS_TEAM), code="team")
    if item.status != ItemStatus.PROPOSED:
        raise ValidationError(_(ERR_ALREADY_ACCEPTED), code="status")
    require_decision(actor=actor, team=item.team, decision=ROADMAP_ACCEPT)
    item.status = ItemStatus.ACCEPTED
    item.accepted_by = actor
    item.accepted_at = timezone.now()
    item.save(update_fields=["status", "accepted_by", "accepted_at"])
    audit_record(organisation=actor.organisation, actor=actor.user, action="roadmap.accept", target=item)
    if item.idea is not None and item.idea.status != IdeaStatus.PLANNED:
        voice_services.idea_status_apply(actor=actor, idea=item.idea, status=IdeaStatus.PLANNED)
    return item


@transaction.atomic
def experiment_create(
    *,
    actor: Actor,
    item: RoadmapItem,
    hypothesis: str,
    metric: str,
    design: str,
    teams: Sequence[Team],
    control_teams: Sequence[Team] = (),
    queue_refs: Sequence[str] = (),
    starts_on: dt.date,
    ends_on: dt.date,
) -> Experiment:
    require_manage(actor)
    if item.status not in (ItemStatus.ACCEPTED, ItemStatus.EXPERIMENT):
        raise ValidationError(_(ERR_NOT_ACCEPTED), code="status")
    if ends_on < starts_on:
        raise ValidationError({"ends_on": [_(ERR_PERIOD)]})
    teams = [t for t in teams if t.organisation_id == actor.organisation_id]
    control_teams = [t for t in control_teams if t.organisation_id == actor.organisation_id]
    queue_refs = [q.strip() for q in queue_refs if q.strip()]
    if not teams and not queue_refs:
        raise ValidationError({"teams": [_(ERR_NO_TEAMS)]})
    if design == ExperimentDesign.TEST_CONTROL and not control_teams:
        raise ValidationError({"control_teams": [_(ERR_NO_CONTROL)]})
    experiment = Experiment.objects.create(
        organisation_id=actor.organisation_id,
        item=item,
        hypothesis=hypothesis.strip(),
        metric=metric,
        design=design,
        queue_refs=queue_refs,
        starts_on=starts_on,
        ends_on=ends_on,
        status=ExperimentStatus.RUNNING if starts_on <= timezone.localdate() else ExperimentStatus.PLANNED,
        created_by=actor,
    )
    experiment.teams.set(teams)
    experiment.control_teams.set(control_teams)
    item.status = ItemStatus.EXPERIMENT
    item.save(update_fields=["status"])
    if item.idea is not None and item.idea.status != IdeaStatus.IN_PROGRESS:
        voice_services.idea_status_apply(actor=actor, idea=item.idea, status=IdeaStatus.IN_PROGRESS)
    audit_record(
        organisation=actor.organisation, actor=actor.user, action="experiment.create", target=experiment
    )
    return experiment


_ENGINE_METRIC = {
    ExperimentMetric.NPS: cx.Metric.NPS,
    ExperimentMetric.CSAT: cx.Metric.CSAT,
    ExperimentMetric.CES: cx.Metric.CES,
    # "Was it resolved?" yes/no as 5/1 on the CSAT scale: the engine's share of 4-5 is then the FCR rate.
    ExperimentMetric.FCR: cx.Metric.CSAT,
}


def _scores(
    actor: Actor, metric: str, team_ids: list[int], queues: list[str], since: dt.date, until: dt.date
) -> list[int]:
    values = scores_for_experiment(
        actor=actor, metric=metric, team_ids=team_ids, queue_refs=queues, since=since, until=until
    )
    return [5 if v else 1 for v in values] if metric == ExperimentMetric.FCR else values


@transaction.atomic
def experiment_measure(*, actor: Actor, experiment: Experiment, today: dt.date | None = None) -> Experiment:
    """Measure the effect so far: during vs the same length before, or test teams vs control teams."""
    require_manage(actor)
    today = today or timezone.localdate()
    if experiment.starts_on > today:
        raise ValidationError(_(ERR_NOT_STARTED), code="not_started")
    until = min(experiment.ends_on, today)
    team_ids = list(experiment.teams.values_list("pk", flat=True))
    queues = list(experiment.queue_refs)
    if experiment.metric == ExperimentMetric.SERVICE_LEVEL:
        experiment.result = _service_level_result(
            actor=actor, experiment=experiment, team_ids=team_ids, queues=queues, until=until
        )
        return _measured(actor=actor, experiment=experiment)
    variant = _scores(actor, experiment.metric, team_ids, queues, experiment.starts_on, until)
    if experiment.design == ExperimentDesign.TEST_CONTROL:
        control_ids = list(experiment.control_teams.values_list("pk", flat=True))
        baseline = _scores(actor, experiment.metric, control_ids, [], experiment.starts_on, until)
        base_from, base_to = experiment.starts_on, until
    else:
        length = (until - experiment.starts_on).days + 1
        base_from = experiment.starts_on - dt.timedelta(days=length)
        base_to = experiment.starts_on - dt.timedelta(days=1)
        baseline = _scores(actor, experiment.metric, team_ids, queues, base_from, base_to)
    if not baseline or not variant:
        raise ValidationError(
            _(ERR_NO_DATA) % {"baseline": len(baseline), "variant": len(variant)}, code="no_data"
        )
    effect = cx.effect(_ENGINE_METRIC[ExperimentMetric(experiment.metric)], baseline, variant)
    factor = 100.0 if experiment.metric in (ExperimentMetric.CSAT, ExperimentMetric.FCR) else 1.0
    experiment.result = {
        "baseline": round(effect.baseline.value * factor, 2),
        "variant": round(effect.variant.value * factor, 2),
        "n_baseline": effect.baseline.n,
        "n_variant": effect.variant.n,
        "difference": round(effect.difference * factor, 2),
        "low": round(effect.interval.low * factor, 2),
        "high": round(effect.interval.high * factor, 2),
        "p_value": round(effect.p_value, 4),
        "probability_of_improvement": round(effect.probability_of_improvement, 3),
        "warning": effect.warning or "",
        "baseline_period": [base_from.isoformat(), base_to.isoformat()],
        "variant_period": [experiment.starts_on.isoformat(), until.isoformat()],
    }
    return _measured(actor=actor, experiment=experiment)


def _measured(*, actor: Actor, experiment: Experiment) -> Experiment:
    experiment.measured_at = timezone.now()
    experiment.save(update_fields=["result", "measured_at"])
    audit_record(
        organisation=actor.organisation, actor=actor.user, action="experiment.measure", target=experiment
    )
    return experiment


def _service_level_result(
    *, actor: Actor, experiment: Experiment, team_ids: list[int], queues: list[str], until: dt.date
) -> dict[str, Any]:
    """Service level of the test teams' queues (and the queues named) during the experiment against the
    same queues over as many days just before it, or against the control teams' queues over the same
    days. A queue shared by test and control teams counts only in the test. Days are the clusters of
    the interval (aspa.engine.cx.service_level_effect); values are percent, differences percentage
    points. Only intervals whose history has answered-within-target counts are used."""
    variant, test_queue_ids = wfm_selectors.service_level_days(
        actor=actor, start=experiment.starts_on, end=until, team_ids=team_ids, queue_names=queues
    )
    if experiment.design == ExperimentDesign.TEST_CONTROL:
        control_ids = list(experiment.control_teams.values_list("pk", flat=True))
        base_from, base_to = experiment.starts_on, until
        # Without control teams the selector would read every queue: no control then.
        baseline = (
            wfm_selectors.service_level_days(
                actor=actor,
                start=base_from,
                end=base_to,
                team_ids=control_ids,
                exclude_queue_ids=test_queue_ids,
            )[0]
            if control_ids
            else []
        )
    else:
        length = (until - experiment.starts_on).days + 1
        base_from = experiment.starts_on - dt.timedelta(days=length)
        base_to = experiment.starts_on - dt.timedelta(days=1)
        baseline, _ids = wfm_selectors.service_level_days(
            actor=actor, start=base_from, end=base_to, team_ids=team_ids, queue_names=queues
        )
    if not baseline or not variant:
        raise ValidationError(
            _(ERR_NO_SERVICE_LEVEL) % {"baseline": len(baseline), "variant": len(variant)}, code="no_data"
        )
    effect = cx.service_level_effect(
        [(d.answered_in_sl, d.offered) for d in baseline], [(d.answered_in_sl, d.offered) for d in variant]
    )
    return {
        "baseline": round(effect.baseline.value * 100.0, 2),
        "variant": round(effect.variant.value * 100.0, 2),
        "n_baseline": effect.baseline.n,
        "n_variant": effect.variant.n,
        "days_baseline": len(baseline),
        "days_variant": len(variant),
        "unit": "pp",
        "difference": round(effect.difference * 100.0, 2),
        "low": round(effect.interval.low * 100.0, 2),
        "high": round(effect.interval.high * 100.0, 2),
        "p_value": round(effect.p_value, 4),
        "probability_of_improvement": round(effect.probability_of_improvement, 3),
        "warning": effect.warning or "",
        "baseline_period": [base_from.isoformat(), base_to.isoformat()],
        "variant_period": [experiment.starts_on.isoformat(), until.isoformat()],
    }


@transaction.atomic
def experiment_finish(*, actor: Actor, experiment: Experiment, outcome: str, note: str = "") -> Experiment:
    """Record adopt / adjust / drop and tell the people who raised and backed the idea behind it."""
    require_manage(actor)
    if experiment.status == ExperimentStatus.FINISHED:
        raise ValidationError(_(ERR_FINISHED), code="finished")
    if outcome not in Outcome.values:
        raise ValidationError({"outcome": [_("Choose adopt, adjust or drop.")]})
    experiment.status = ExperimentStatus.FINISHED
    experiment.outcome = outcome
    experiment.outcome_note = note.strip()
    experiment.save(update_fields=["status", "outcome", "outcome_note"])
    item = experiment.item
    item.status = {Outcome.ADOPT: ItemStatus.DONE, Outcome.DROP: ItemStatus.DROPPED}.get(
        Outcome(outcome), ItemStatus.ACCEPTED
    )
    item.save(update_fields=["status"])
    audit_record(
        organisation=actor.organisation,
        actor=actor.user,
        action="experiment.finish",
        target=experiment,
        changes={"outcome": outcome},
    )
    if item.idea is not None:
        idea = item.idea
        new_status = {Outcome.ADOPT: IdeaStatus.DONE, Outcome.DROP: IdeaStatus.DECLINED}.get(Outcome(outcome))
        if new_status is not None and idea.status != new_status:
            # The outcome message below says it all: no separate status notification.
            voice_services.idea_status_apply(actor=actor, idea=idea, status=new_status, notify=False)
        memberships, emails = voice_services.idea_people(idea=idea)
        voice_services.notify_people(
            organisation=actor.organisation,
            memberships=memberships,
            emails=emails,
            subject=MSG_OUTCOME_SUBJECT,
            message=MSG_OUTCOME,
            params={"title": idea.title, "outcome": Outcome(outcome).label, "note": experiment.outcome_note},
            url=reverse("roadmap:experiment", args=[experiment.pk]),
        )
    return experiment
