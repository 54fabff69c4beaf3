"""Demo part of roadmap: scored items from the demo ideas and themes, and one experiment with its effect.

The experiment (call-backs for the first team) started EXPERIMENT_DAYS ago, when aspa.voice's demo
answers of that team got better, so "Measure" shows a real, uncertain but positive effect.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from aspa.core.demo import DemoContext
from aspa.roadmap.models import (
    Experiment,
    ExperimentDesign,
    ExperimentMetric,
    ExperimentStatus,
    ItemSource,
    ItemStatus,
    RoadmapItem,
)
from aspa.voice.demo import EXPERIMENT_DAYS
from aspa.voice.models import Idea, Theme

# (idea title or None, title, reach, impact, confidence, effort, cost, yearly value, status)
ITEMS = [
    ("Takaisinsoitto kaikkiin puhelinjonoihin", None, 4000, 2.0, 80, 3, 8000, 30000, ItemStatus.EXPERIMENT),
    ("Hyvitysvaltuudet neuvojille", None, 900, 1.0, 70, 1, 1000, 6000, ItemStatus.ACCEPTED),
    ("Arvioitu jonotusaika puhelinjonoon", None, 4000, 1.0, 50, 4, 12000, 15000, ItemStatus.PROPOSED),
    ("Chatin keskusteluhistoria siirtoihin", None, 1500, 1.0, 80, 2, 5000, 8000, ItemStatus.PROPOSED),
    (None, "Laskun selkokielinen erittely", 6000, 0.5, 50, 6, 20000, 18000, ItemStatus.PROPOSED),
]


def build(context: DemoContext) -> None:
    org = context.objects.get("organisation")
    teams = context.objects.get("teams") or []
    members = context.objects.get("members") or {}
    if org is None or not teams or RoadmapItem.objects.filter(organisation=org).exists():
        return
    manager = members.get("manager@demo.aspa.fi")
    theme = Theme.objects.filter(organisation=org, is_active=True).first()
    first = None
    for idea_title, title, reach, impact, confidence, effort, cost, value, status in ITEMS:
        idea = Idea.objects.filter(organisation=org, title=idea_title).first() if idea_title else None
        item = RoadmapItem.objects.create(
            organisation=org,
            title=title or idea_title or "",
            source=ItemSource.IDEA if idea else ItemSource.THEME,
            idea=idea,
            theme=None if idea else theme,
            team=teams[0],
            status=status,
            reach=reach,
            impact=impact,
            confidence=confidence,
            effort=effort,
            cost=Decimal(cost),
            yearly_value=Decimal(value),
            created_by=manager,
            accepted_by=manager if status != ItemStatus.PROPOSED else None,
            accepted_at=timezone.now() - dt.timedelta(days=40) if status != ItemStatus.PROPOSED else None,
        )
        first = first or item
    if first is None:
        return
    today = timezone.localdate()
    experiment = Experiment.objects.create(
        organisation=org,
        item=first,
        hypothesis="Jos tarjoamme takaisinsoittoa jo jonon alussa, asiakastyytyväisyys (CSAT) paranee, koska "
        "kukaan ei joudu roikkumaan jonossa.",
        metric=ExperimentMetric.CSAT,
        design=ExperimentDesign.BEFORE_DURING,
        starts_on=today - dt.timedelta(days=EXPERIMENT_DAYS - 1),
        ends_on=today + dt.timedelta(days=14),
        status=ExperimentStatus.RUNNING,
        created_by=manager,
    )
    experiment.teams.set([teams[0]])
    if manager is not None:
        from aspa.roadmap.services import experiment_measure

        experiment_measure(actor=manager, experiment=experiment)
