"""From the database to the rostering engine's problem and back (no permission checks: services call this).

Day ``d`` of a problem is ``period.starts_on + d`` in the organisation's time zone. The staffing need is
the published forecasts of the team's queues, summed per skill and taken as the hourly maximum of the
queue intervals, so a 15-minute peak is not lost and the model stays small.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

import holidays
from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from aspa.core.roles import Role
from aspa.engine import rostering as engine
from aspa.engine.rostering.model import Wish
from aspa.org.models import Membership, Team
from aspa.wfm.models import (
    AgentContract,
    Availability,
    FairnessPriority,
    ForecastInterval,
    ForecastStatus,
    PlanningPeriod,
    Queue,
    Roster,
    RosterStatus,
    Shift,
    ShiftType,
    ShiftWish,
    TeamWorkRules,
    WishKind,
)

PREFERRED_START_TOLERANCE = 60
HOUR = 60
# The engine's burdens and the TeamWorkRules field that weighs each.
BURDEN_FIELDS = {
    "nights": "burden_weight_nights",
    "weekends": "burden_weight_weekends",
    "holidays": "burden_weight_holidays",
    "unpopular": "burden_weight_unpopular",
}


def default_burden_weights() -> dict[str, int]:
    """Nights, weekends and holidays 2, unpopular shifts 1. One more night for the worst-off
    full-timer then costs about 20 plus twice their rate in tenths: far below a missing agent-hour
    (100), about a denied wish of weight 10 to 20. So fairness trades wishes, never coverage."""
    return {
        "burden_weight_nights": 2,
        "burden_weight_weekends": 2,
        "burden_weight_holidays": 2,
        "burden_weight_unpopular": 1,
    }


def zone() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


@dataclass
class Built:
    """The engine problem plus what is needed to map its ids back to rows."""

    problem: engine.Problem
    members: dict[str, Membership]
    shift_types: dict[str, ShiftType]
    wish_ids: list[int]
    demand_lines: list[dict[str, Any]] = field(default_factory=list)


def shift_types_of(team: Team) -> list[ShiftType]:
    """The team's own shift types plus the organisation-wide ones (a team's code wins)."""
    rows = ShiftType.objects.filter(Q(team=team) | Q(team__isnull=True), organisation_id=team.organisation_id)
    by_code: dict[str, ShiftType] = {}
    for row in sorted(rows, key=lambda r: r.team_id is not None):
        by_code[row.code] = row
    return sorted(by_code.values(), key=lambda r: (r.start_time, r.code))


def rostered_members(team: Team) -> list[Membership]:
    """Active team members who work shifts: agents, and anyone with a contract."""
    return list(
        Membership.objects.filter(team_memberships__team=team, is_active=True)
        .filter(Q(role=Role.AGENT) | Q(wfm_contract__isnull=False))
        .select_related("user")
        .distinct()
        .order_by("user__full_name", "pk")
    )


def team_skills(team: Team) -> list[str]:
    return sorted({q.skill for q in Queue.objects.filter(teams=team) if q.skill})


def engine_rules(team: Team) -> tuple[engine.WorkRules, int]:
    rules = TeamWorkRules.objects.filter(team=team).first()
    if rules is None:
        return engine.WorkRules(), 1
    return (
        engine.WorkRules(
            min_daily_rest_minutes=rules.min_daily_rest_minutes or None,
            min_weekly_rest_minutes=rules.min_weekly_rest_minutes or None,
            max_minutes_per_week=rules.max_minutes_per_week or None,
            max_consecutive_days=rules.max_consecutive_days,
        ),
        rules.fairness_weight,
    )


def engine_burden_weights(team: Team) -> dict[str, int]:
    """How much the engine weighs sharing each burden out (the defaults when the team set none)."""
    rules = TeamWorkRules.objects.filter(team=team).first()
    stored = (
        default_burden_weights() if rules is None else {f: getattr(rules, f) for f in BURDEN_FIELDS.values()}
    )
    return {burden: int(stored[f]) for burden, f in BURDEN_FIELDS.items()}


def engine_shift(row: ShiftType) -> engine.ShiftType:
    return engine.ShiftType(
        id=row.code,
        start_minute=row.start_time.hour * 60 + row.start_time.minute,
        length_minutes=row.length_minutes,
        paid_break_minutes=row.paid_break_minutes,
        kind=row.kind,
    )


def shift_times(day: dt.date, row: ShiftType) -> tuple[dt.datetime, dt.datetime]:
    """Start and end of a shift as aware datetimes (the end is start + length in real time)."""
    start = dt.datetime.combine(day, row.start_time, tzinfo=zone())
    return start, start + dt.timedelta(minutes=row.length_minutes)


def demand_lines(period: PlanningPeriod) -> list[dict[str, Any]]:
    """Hourly need per skill over the period from the published forecasts of the team's queues."""
    tz = zone()
    since = dt.datetime.combine(period.starts_on, dt.time(0), tzinfo=tz)
    until = dt.datetime.combine(period.ends_on + dt.timedelta(days=1), dt.time(0), tzinfo=tz)
    per_queue: dict[tuple[int, str], dict[tuple[int, int], int]] = defaultdict(dict)
    rows = (
        ForecastInterval.objects.filter(
            forecast__organisation_id=period.organisation_id,
            forecast__status=ForecastStatus.PUBLISHED,
            forecast__queue__teams=period.team,
            start__gte=since,
            start__lt=until,
        )
        .values_list("forecast__queue_id", "forecast__queue__skill", "start", "required_agents")
        .order_by("start")
    )
    for queue_id, skill, start, required in rows:
        local = start.astimezone(tz)
        key = ((local.date() - period.starts_on).days, local.hour * HOUR)
        cell = per_queue[(queue_id, skill or "")]
        cell[key] = max(cell.get(key, 0), int(required))
    summed: dict[tuple[int, int, str], int] = defaultdict(int)
    for (_queue_id, skill), cells in per_queue.items():
        for (day, minute), required in cells.items():
            summed[(day, minute, skill)] += required
    return [
        {"day": day, "start_minute": minute, "skill": skill, "required": required}
        for (day, minute, skill), required in sorted(summed.items())
        if required > 0
    ]


def roster_matrix(
    roster: Roster | None, member_ids: Sequence[str], days: int, start: dt.date
) -> engine.Roster:
    """A stored roster as the engine's {agent: (code | None, …)} (people not in it get days off)."""
    table: dict[str, list[str | None]] = {m: [None] * days for m in member_ids}
    if roster is not None:
        for membership_id, day, code in Shift.objects.filter(roster=roster).values_list(
            "membership_id", "day", "shift_type__code"
        ):
            index = (day - start).days
            if str(membership_id) in table and 0 <= index < days:
                table[str(membership_id)][index] = code
    return {m: tuple(v) for m, v in table.items()}


def ledger_of(team: Team, exclude_period: PlanningPeriod) -> dict[str, engine.LedgerEntry]:
    """The fairness history: the ledger after the team's latest published roster of another period."""
    previous = (
        Roster.objects.filter(period__team=team, status=RosterStatus.PUBLISHED)
        .exclude(period=exclude_period)
        .order_by("-period__starts_on", "-id")
        .first()
    )
    if previous is None:
        return {}
    fields = ("wishes_granted", "wishes_denied", "nights", "weekends", "holidays", "unpopular")
    return {
        agent: engine.LedgerEntry(**{k: int(v.get(k, 0)) for k in fields})
        for agent, v in previous.ledger.items()
        if isinstance(v, Mapping)
    }


def build(period: PlanningPeriod, *, pinned_from: Roster | None = None) -> Built:
    """The engine problem of a period; shifts pinned in ``pinned_from`` become fixed assignments."""
    team = period.team
    members = rostered_members(team)
    types = shift_types_of(team)
    by_code = {t.code: t for t in types}
    days = period.days
    start = period.starts_on
    default_skills = team_skills(team)
    contracts = {c.membership_id: c for c in AgentContract.objects.filter(membership__in=members)}
    unavailable: dict[int, set[int]] = defaultdict(set)
    for membership_id, day in Availability.objects.filter(period=period).values_list("membership_id", "day"):
        unavailable[membership_id].add((day - start).days)
    fixed: dict[int, dict[int, str]] = defaultdict(dict)
    if pinned_from is not None:
        for membership_id, day, code in Shift.objects.filter(roster=pinned_from, pinned=True).values_list(
            "membership_id", "day", "shift_type__code"
        ):
            fixed[membership_id][(day - start).days] = code
    today = timezone.localdate()
    priorities = {
        p.membership_id: p
        for p in FairnessPriority.objects.filter(team=team).order_by("created_at")
        if p.ends_on is None or p.ends_on >= min(today, start)
    }
    agents = []
    for m in members:
        contract = contracts.get(m.pk)
        skills = contract.skills if contract is not None and contract.skills else default_skills
        priority = priorities.get(m.pk)
        agents.append(
            engine.Agent(
                id=str(m.pk),
                contract=engine.Contract(
                    min_minutes_per_week=contract.min_minutes_per_week if contract else 0,
                    max_minutes_per_week=contract.max_minutes_per_week if contract else 2250,
                ),
                skills=frozenset(skills),
                unavailable_days=frozenset(
                    d for d in unavailable[m.pk] if 0 <= d < days and d not in fixed[m.pk]
                ),
                fixed={d: c for d, c in fixed[m.pk].items() if 0 <= d < days and c in by_code},
                priority=engine.Priority(priority.reason, priority.weight) if priority else None,
            )
        )
    member_ids = {m.pk for m in members}
    wishes: list[Wish] = []
    wish_ids: list[int] = []
    for wish in ShiftWish.objects.filter(period=period, membership_id__in=member_ids).select_related(
        "shift_type"
    ):
        converted = _wish(wish, start, days)
        if converted is not None:
            wishes.append(converted)
            wish_ids.append(wish.pk)
    lines = demand_lines(period)
    demands = [
        engine.IntervalDemand(
            day=line["day"],
            start_minute=line["start_minute"],
            length_minutes=HOUR,
            required=line["required"],
            skill=line["skill"] or None,
        )
        for line in lines
    ]
    rules, fairness_weight = engine_rules(team)
    fi = holidays.country_holidays("FI", years=range(start.year, period.ends_on.year + 1))
    problem = engine.Problem(
        horizon_days=days,
        shift_types=tuple(engine_shift(t) for t in types),
        agents=tuple(agents),
        demands=tuple(demands),
        wishes=tuple(wishes),
        rules=rules,
        ledger={k: v for k, v in ledger_of(team, period).items() if k in {str(m) for m in member_ids}},
        first_weekday=start.weekday(),
        holidays=frozenset((d - start).days for d in fi if start <= d <= period.ends_on),
        fairness_weight=fairness_weight,
        unpopular_shifts=frozenset(t.code for t in types if t.unpopular),
        burden_weights=engine_burden_weights(team),
    )
    return Built(problem, {str(m.pk): m for m in members}, by_code, wish_ids, lines)


def _wish(wish: ShiftWish, start: dt.date, days: int) -> Wish | None:
    agent = str(wish.membership_id)
    index = (wish.day - start).days if wish.day else None
    code = wish.shift_type.code if wish.shift_type else None
    weight = max(1, wish.weight)
    if wish.kind in (WishKind.SHIFT_ON, WishKind.SHIFT_OFF, WishKind.DAY_OFF):
        if index is None or not 0 <= index < days:
            return None
        if wish.kind == WishKind.SHIFT_ON:
            return engine.ShiftOn(agent, index, code, weight)
        return engine.ShiftOff(agent, index, code if wish.kind == WishKind.SHIFT_OFF else None, weight)
    if wish.time is None:
        return None
    minute = wish.time.hour * 60 + wish.time.minute
    weekdays = frozenset({wish.day.weekday()}) if wish.day else None
    if wish.kind == WishKind.PREFERRED_START:
        return engine.PreferredStart(agent, minute, PREFERRED_START_TOLERANCE, weekdays, weight)
    return engine.LatestEnd(agent, minute, weekdays, weight)
