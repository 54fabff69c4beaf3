"""Demo part of roadmap: scored items from the demo ideas and themes, and three finished experiments.

Call-backs for the first team (CSAT, before vs during) lifted that team's answers in aspa.voice's demo
and were adopted: a clear, positive effect. Chat history in transfers for the second team (NPS) moved
nothing beyond noise: inconclusive, adjusted. Refund authority for agents (service level, before vs
during) shortened calls, and aspa.wfm's demo history answers more contacts in time in those weeks:
adopted. All are measured by the service, so the numbers are real; the service-level one only where
the history with waiting times is there (the wfm demo ran).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from aspa.core.demo import DemoContext
from aspa.org.models import Membership, Team
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
from aspa.voice import demo as voice_demo
from aspa.voice.models import Idea, Theme
from aspa.wfm import demo as wfm_demo

# (idea title or None, title, reach, impact, confidence, effort, cost, yearly value, status)
ITEMS = [
    ("Takaisinsoitto kaikkiin puhelinjonoihin", None, 4000, 2.0, 80, 3, 8000, 30000, ItemStatus.DONE),
    ("Hyvitysvaltuudet neuvojille", None, 900, 1.0, 70, 1, 1000, 6000, ItemStatus.DONE),
    ("Arvioitu jonotusaika puhelinjonoon", None, 4000, 1.0, 50, 4, 12000, 15000, ItemStatus.PROPOSED),
    ("Chatin keskusteluhistoria siirtoihin", None, 1500, 1.0, 80, 2, 5000, 8000, ItemStatus.ACCEPTED),
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
    items = []
    for idea_title, title, reach, impact, confidence, effort, cost, value, status in ITEMS:
        idea = Idea.objects.filter(organisation=org, title=idea_title).first() if idea_title else None
        items.append(
            RoadmapItem.objects.create(
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
                accepted_at=timezone.now() - dt.timedelta(days=90) if status != ItemStatus.PROPOSED else None,
            )
        )
    if manager is None:
        return
    today = timezone.localdate()
    _finished(
        item=items[0],
        manager=manager,
        team=teams[0],
        hypothesis="Jos tarjoamme takaisinsoittoa jo jonon alussa, asiakastyytyväisyys (CSAT) paranee, koska "
        "kukaan ei joudu roikkumaan jonossa.",
        metric=ExperimentMetric.CSAT,
        starts_on=today - dt.timedelta(days=voice_demo.EXPERIMENT_STARTED_DAYS_AGO),
        days=voice_demo.EXPERIMENT_DAYS,
        outcome=Outcome.ADOPT,
        note="CSAT nousi selvästi ja luottamusväli on kokonaan nollan yläpuolella. Takaisinsoitto otetaan "
        "käyttöön kaikissa puhelinjonoissa.",
    )
    _finished(
        item=items[3],
        manager=manager,
        team=teams[1] if len(teams) > 1 else teams[0],
        hypothesis="Jos keskusteluhistoria kulkee chatin siirroissa mukana, suositteluhalukkuus (NPS) paranee, "
        "koska kenenkään ei tarvitse kertoa asiaansa uudelleen.",
        metric=ExperimentMetric.NPS,
        starts_on=today - dt.timedelta(days=voice_demo.CHAT_EXPERIMENT_STARTED_DAYS_AGO),
        days=voice_demo.CHAT_EXPERIMENT_DAYS,
        outcome=Outcome.ADJUST,
        note="Ero jäi epävarmaksi: luottamusväli ulottuu molemmin puolin nollaa. Jatketaan, mutta mitataan "
        "siirtojen määrää NPS:n sijaan.",
    )
    try:
        # A savepoint: without history with waiting times the measurement refuses and nothing stays.
        with transaction.atomic():
            _finished(
                item=items[1],
                manager=manager,
                team=teams[0],
                hypothesis="Jos neuvojat saavat hyvittää pienet summat itse, puhelut lyhenevät ja palvelutaso "
                "(vastattu tavoiteajassa) paranee, koska esimiestä ei tarvitse odottaa.",
                metric=ExperimentMetric.SERVICE_LEVEL,
                starts_on=today - dt.timedelta(days=wfm_demo.SL_EXPERIMENT_STARTED_DAYS_AGO),
                days=wfm_demo.SL_EXPERIMENT_DAYS,
                outcome=Outcome.ADOPT,
                note="Palvelutaso nousi kokeilun viikoilla, ja luottamusväli on kokonaan nollan yläpuolella. "
                "Hyvitysvaltuudet jäävät pysyviksi.",
            )
    except ValidationError:
        pass


def _finished(
    *,
    item: RoadmapItem,
    manager: Membership,
    team: Team,
    hypothesis: str,
    metric: str,
    starts_on: dt.date,
    days: int,
    outcome: str,
    note: str,
) -> Experiment:
    """An experiment that ran `days` from `starts_on`, measured by the service and closed with `outcome`.

    The outcome is written directly: the demo tells nobody (experiment_finish would notify the idea's people).
    """
    ends_on = starts_on + dt.timedelta(days=days - 1)
    experiment = Experiment.objects.create(
        organisation=item.organisation,
        item=item,
        hypothesis=hypothesis,
        metric=metric,
        design=ExperimentDesign.BEFORE_DURING,
        starts_on=starts_on,
        ends_on=ends_on,
        status=ExperimentStatus.RUNNING,
        created_by=manager,
        created_at=timezone.make_aware(dt.datetime.combine(starts_on, dt.time(9))),
    )
    experiment.teams.set([team])
    from aspa.roadmap.services import experiment_measure

    experiment_measure(actor=manager, experiment=experiment, today=ends_on)
    experiment.status = ExperimentStatus.FINISHED
    experiment.outcome = outcome
    experiment.outcome_note = note
    experiment.save(update_fields=["status", "outcome", "outcome_note"])
    return experiment
