"""Reads of the roadmap, scoped to the acting membership's organisation; open to every member."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from aspa.core.tenancy import Actor
from aspa.roadmap.models import Experiment, ItemStatus, RoadmapItem
from aspa.roadmap.scoring import Score, score
from aspa.teamwork.selectors import decision_allowed
from aspa.voice.selectors import can_manage, require_member
from aspa.wfm.selectors import SERVICE_LEVEL_DEFINITION

ROADMAP_ACCEPT = "roadmap.accept"


def item_score(item: RoadmapItem) -> Score:
    return score(
        reach=item.reach,
        impact=item.impact,
        confidence=item.confidence,
        effort=item.effort,
        cost=item.cost,
        yearly_value=item.yearly_value,
    )


@dataclass(frozen=True)
class RankedItem:
    rank: int
    item: RoadmapItem
    score: Score


def item_list(*, actor: Actor) -> QuerySet[RoadmapItem]:
    require_member(actor)
    return RoadmapItem.objects.filter(organisation_id=actor.organisation_id).select_related(
        "team", "idea", "theme"
    )


def item_get(*, actor: Actor, item_id: int) -> RoadmapItem:
    try:
        return item_list(actor=actor).get(pk=item_id)
    except RoadmapItem.DoesNotExist as exc:
        raise Http404 from exc


def board(*, actor: Actor, include_closed: bool = False) -> list[RankedItem]:
    """Items ranked by RICE (ties: lower effort, then older first)."""
    qs = item_list(actor=actor)
    if not include_closed:
        qs = qs.exclude(status__in=[ItemStatus.DONE, ItemStatus.DROPPED])
    scored = [(item_score(i), i) for i in qs]
    scored.sort(key=lambda p: (-p[0].rice, p[1].effort, p[1].created_at, p[1].pk))
    return [RankedItem(n, item, s) for n, (s, item) in enumerate(scored, start=1)]


def may_accept(*, actor: Actor, item: RoadmapItem) -> bool:
    return item.team is not None and decision_allowed(actor=actor, team=item.team, decision=ROADMAP_ACCEPT)


def experiment_list(*, actor: Actor, item: RoadmapItem | None = None) -> QuerySet[Experiment]:
    require_member(actor)
    qs = Experiment.objects.filter(organisation_id=actor.organisation_id).select_related("item")
    return qs.filter(item=item) if item is not None else qs


def experiment_get(*, actor: Actor, experiment_id: int) -> Experiment:
    try:
        return experiment_list(actor=actor).prefetch_related("teams", "control_teams").get(pk=experiment_id)
    except Experiment.DoesNotExist as exc:
        raise Http404 from exc


def can_edit(actor: Actor) -> bool:
    return can_manage(actor)


def result_view(experiment: Experiment) -> dict[str, Any] | None:
    """The stored measurement, with a plain-language verdict key for the template (and, for service
    level, what the figure means: it is measured from the contact history, in percentage points)."""
    result = experiment.result or {}
    if "difference" not in result:
        return None
    low, high = result["low"], result["high"]
    verdict = "better" if low > 0 else ("worse" if high < 0 else "unclear")
    definition = SERVICE_LEVEL_DEFINITION if result.get("unit") == "pp" else ""
    return {
        **result,
        "verdict": verdict,
        "definition": definition,
        "warning": _warning_text(result),
        # Stored as ISO strings; the page writes dates the reader's way.
        "baseline_dates": [dt.date.fromisoformat(d) for d in result.get("baseline_period", [])],
        "variant_dates": [dt.date.fromisoformat(d) for d in result.get("variant_period", [])],
        "probability_label": _probability_label(float(result.get("probability_of_improvement", 0.5))),
    }


def _probability_label(probability: float) -> str:
    """A probability in whole per cent, never a certain-sounding "100" or "0" (0.999 was shown as 100 %)."""
    if probability >= 0.995:
        return "> 99"
    if probability <= 0.005:
        return "< 1"
    return str(round(probability * 100))


def _warning_text(result: dict[str, Any]) -> str:
    """The engine's small-sample warning in the reader's language (the stored one is the engine's English)."""
    if not result.get("warning"):
        return ""
    n = min(int(result.get("n_baseline", 0)), int(result.get("n_variant", 0)))
    if result.get("unit") == "pp":
        days = min(int(result.get("days_baseline", 0)), int(result.get("days_variant", 0)))
        return _(
            "Little data: %(days)s days and %(n)s contacts in the smaller group. "
            "The figure can swing a lot; read the interval."
        ) % {"days": days, "n": n}
    return _("Only %(n)s answers in the smaller group: the figure can swing a lot; read the interval.") % {
        "n": n
    }
