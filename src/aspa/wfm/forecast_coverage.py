"""Scheduled vs required: who the published rosters put on a queue, against its forecast (read only).

The agents on the roster are the shifts of the published rosters of the teams serving the queue; a shift
counts for an interval when it covers the interval's midpoint. From them, after shrinkage, Erlang C gives
the service level the forecast contacts are expected to get.

Only the days of published roster periods are judged: a forecast reaching past the rosters would otherwise
count every later interval as "0 agents, target missed", which reads as an alarm rather than "not rostered
yet".
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from django.utils import timezone

from aspa.core.roles import Capability
from aspa.core.tenancy import Actor, require
from aspa.wfm import planning
from aspa.wfm.models import Forecast, ForecastInterval, PlanningPeriod, RosterStatus, Shift


@dataclass(frozen=True)
class IntervalCoverage:
    """One interval: agents on the roster, how many of them answer, and the expected service level (0–1)."""

    start: dt.datetime
    required: int
    to_schedule: int
    on_roster: int
    answering: int
    service_level: float
    rostered: bool = True  # False: no published roster period covers this day yet

    @property
    def gap(self) -> int:
        """Agents on the roster minus agents to schedule: negative is understaffed."""
        return self.on_roster - self.to_schedule

    @property
    def service_level_percent(self) -> float:
        return round(self.service_level * 100, 1)


@dataclass(frozen=True)
class Coverage:
    rows: list[IntervalCoverage]
    by_start: dict[dt.datetime, IntervalCoverage]
    has_roster: bool
    target_percent: float

    @property
    def below_target(self) -> int:
        """Intervals on rostered days whose expected service level misses the target."""
        return sum(1 for row in self.rows if row.rostered and row.service_level * 100 < self.target_percent)

    @property
    def not_rostered(self) -> int:
        """Intervals on days no published roster period covers yet."""
        return sum(1 for row in self.rows if not row.rostered)


def roster_shifts(*, actor: Actor, forecast: Forecast) -> list[tuple[dt.datetime, dt.datetime]]:
    """(start, end) of every shift of a published roster of the queue's teams in the forecast's range."""
    require(actor, Capability.VIEW_WFM)
    if forecast.starts_at is None or forecast.ends_at is None:
        return []
    team_ids = _team_ids(forecast)
    if not team_ids:
        return []
    return list(
        Shift.objects.filter(
            roster__organisation_id=actor.organisation_id,
            roster__status=RosterStatus.PUBLISHED,
            roster__period__team_id__in=team_ids,
            starts_at__lt=forecast.ends_at,
            ends_at__gt=forecast.starts_at,
        ).values_list("starts_at", "ends_at")
    )


def roster_days(*, actor: Actor, forecast: Forecast) -> set[dt.date]:
    """Days (local) inside a planning period of the queue's teams that has a published roster."""
    require(actor, Capability.VIEW_WFM)
    if forecast.starts_at is None or forecast.ends_at is None:
        return set()
    first, last = timezone.localdate(forecast.starts_at), timezone.localdate(forecast.ends_at)
    spans = (
        PlanningPeriod.objects.filter(
            organisation_id=actor.organisation_id,
            team_id__in=_team_ids(forecast),
            rosters__status=RosterStatus.PUBLISHED,
            starts_on__lte=last,
            ends_on__gte=first,
        )
        .values_list("starts_on", "ends_on")
        .distinct()
    )
    return {begin + dt.timedelta(days=d) for begin, end in spans for d in range((end - begin).days + 1)}


def _team_ids(forecast: Forecast) -> list[int]:
    return list(forecast.queue.teams.values_list("pk", flat=True))


def forecast_coverage(*, actor: Actor, forecast: Forecast, intervals: Sequence[ForecastInterval]) -> Coverage:
    """Scheduled vs required and the expected service level for each interval of `intervals`."""
    shifts = roster_shifts(actor=actor, forecast=forecast)
    step = dt.timedelta(minutes=forecast.interval_minutes)
    on_roster = on_roster_counts([r.start for r in intervals], shifts, step=step)
    targets = planning.Targets(
        interval_minutes=forecast.interval_minutes,
        aht_seconds=forecast.aht_seconds,
        service_level_percent=forecast.service_level_percent,
        service_level_seconds=forecast.service_level_seconds,
        shrinkage=forecast.shrinkage,
    )
    answering, service_level = planning.expected_service_level(
        [r.adjusted for r in intervals], on_roster, targets
    )
    days = roster_days(actor=actor, forecast=forecast) if shifts else set()
    rows = [
        IntervalCoverage(
            start=r.start,
            required=r.required_agents,
            to_schedule=r.scheduled_agents,
            on_roster=int(on_roster[i]),
            answering=int(answering[i]),
            service_level=float(service_level[i]),
            rostered=timezone.localdate(r.start) in days,
        )
        for i, r in enumerate(intervals)
    ]
    return Coverage(
        rows=rows,
        by_start={row.start: row for row in rows},
        has_roster=bool(shifts),
        target_percent=forecast.service_level_percent,
    )


def on_roster_counts(
    starts: Sequence[dt.datetime],
    shifts: Sequence[tuple[dt.datetime, dt.datetime]],
    *,
    step: dt.timedelta,
) -> np.ndarray:
    """How many shifts cover the midpoint of each interval (`starts` ascending)."""
    if not starts:
        return np.zeros(0, dtype=np.int64)
    mids = np.array([(s + step / 2).timestamp() for s in starts], dtype=float)
    # +1 where a shift begins, -1 where it ends, over the sorted midpoints: one pass for all shifts.
    delta = np.zeros(mids.size + 1, dtype=np.int64)
    for begin, end in shifts:
        first = int(np.searchsorted(mids, begin.timestamp(), side="left"))
        last = int(np.searchsorted(mids, end.timestamp(), side="left"))
        if first < last:
            delta[first] += 1
            delta[last] -= 1
    return np.cumsum(delta[:-1])
