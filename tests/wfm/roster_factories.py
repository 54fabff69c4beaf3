"""Factories for rostering: shift types, planning periods, and a small team with a published need."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import factory

from aspa.core.roles import Role
from aspa.wfm.models import (
    ForecastInterval,
    ForecastStatus,
    PlanningPeriod,
    ShiftType,
)
from tests.factories import MembershipFactory, TeamMembershipFactory
from tests.wfm.factories import HELSINKI, ForecastFactory, QueueFactory

# A Monday, so day 0 of a period starting here is a Monday.
PERIOD_START = dt.date(2030, 3, 4)


class ShiftTypeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ShiftType

    organisation = factory.SubFactory("tests.factories.OrganisationFactory")
    code = factory.Sequence(lambda n: f"s{n}")
    name = factory.Sequence(lambda n: f"Vuoro {n}")
    start_time = dt.time(8)
    length_minutes = 480


class PeriodFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PlanningPeriod

    team = factory.SubFactory("tests.factories.TeamFactory")
    organisation = factory.SelfAttribute("team.organisation")
    name = factory.Sequence(lambda n: f"Jakso {n}")
    starts_on = PERIOD_START
    ends_on = factory.LazyAttribute(lambda o: o.starts_on + dt.timedelta(days=6))
    time_limit_s = 3


@dataclass
class RosterWorld:
    period: PlanningPeriod
    early: ShiftType
    late: ShiftType
    agents: list[Any]
    queue: Any


def roster_world(
    team: Any, *, agents: int = 4, days: int = 7, need: int = 1, name: str = "Jakso"
) -> RosterWorld:
    """A team with two shift types, ``agents`` agents, one queue needing ``need`` agents 8–20 every day."""
    org = team.organisation
    early = ShiftTypeFactory(organisation=org, team=team, code="A", name="Aamu", start_time=dt.time(8))
    late = ShiftTypeFactory(organisation=org, team=team, code="I", name="Ilta", start_time=dt.time(12))
    people = []
    for _i in range(agents):
        m = MembershipFactory(organisation=org, role=Role.AGENT)
        TeamMembershipFactory(team=team, membership=m)
        people.append(m)
    queue = QueueFactory(organisation=org, name=f"Jono {name}", skill="puhelin", interval_minutes=60)
    queue.teams.add(team)
    forecast = ForecastFactory(queue=queue, status=ForecastStatus.PUBLISHED, horizon_days=days)
    rows = []
    for d in range(days):
        day = PERIOD_START + dt.timedelta(days=d)
        for hour in range(8, 20):
            rows.append(
                ForecastInterval(
                    forecast=forecast,
                    start=dt.datetime(day.year, day.month, day.day, hour, tzinfo=HELSINKI),
                    point=10.0,
                    lower=8.0,
                    upper=12.0,
                    adjusted=10.0,
                    required_agents=need,
                    scheduled_agents=need,
                )
            )
    ForecastInterval.objects.bulk_create(rows)
    period = PeriodFactory(
        team=team, name=name, starts_on=PERIOD_START, ends_on=PERIOD_START + dt.timedelta(days=days - 1)
    )
    return RosterWorld(period=period, early=early, late=late, agents=people, queue=queue)


def published_roster(
    period: PlanningPeriod, shifts: list[tuple[Any, dt.date, ShiftType]], *, status: str = "published"
):
    """A roster stored directly (no solve) with the given (membership, day, shift type) shifts."""
    from aspa.wfm import roster_build
    from aspa.wfm.models import Roster, Shift

    roster = Roster.objects.create(
        organisation=period.organisation, period=period, status=status, solver_status="optimal", objective=0
    )
    for membership, day, shift_type in shifts:
        starts_at, ends_at = roster_build.shift_times(day, shift_type)
        Shift.objects.create(
            roster=roster,
            membership=membership,
            day=day,
            shift_type=shift_type,
            starts_at=starts_at,
            ends_at=ends_at,
        )
    return roster
