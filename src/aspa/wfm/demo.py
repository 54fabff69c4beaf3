"""Demo queues with a year of contact history shaped like real traffic, and a published forecast each.

The shape: a two-humped day (mid-morning and early-afternoon peaks), Monday the busiest day and
Friday the quietest, a summer dip and a January peak, Finnish public holidays nearly empty, and
day-to-day noise on top of Poisson arrivals. Vectorised with numpy so a run takes well under a second.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import holidays
import numpy as np
from django.utils import timezone

from aspa.core.demo import DemoContext
from aspa.core.roles import Role
from aspa.org.models import Membership, Organisation, Team, TeamMembership
from aspa.wfm import roster_build, roster_services, services
from aspa.wfm.models import (
    Channel,
    ContactInterval,
    FairnessPriority,
    ForecastStatus,
    PlanningPeriod,
    Queue,
    Roster,
    Shift,
    ShiftType,
    ShiftWish,
    SwapRequest,
    WishKind,
)

HELSINKI = ZoneInfo("Europe/Helsinki")
HISTORY_DAYS = 364
HORIZON_DAYS = 14

# name, channel, interval, opening hours, contacts on an average weekday, AHT s, skill, team index
QUEUES = [
    (
        "Puhelin henkilöasiakkaat",
        Channel.PHONE,
        15,
        {str(d): [["08:00", "18:00"]] for d in range(5)},
        # Sized to the Puhelinpalvelu team (about 13 agents): its roster can cover the need.
        340,
        240,
        "puhelin",
        0,
    ),
    (
        "Chat",
        Channel.CHAT,
        15,
        {**{str(d): [["08:00", "20:00"]] for d in range(5)}, "5": [["10:00", "16:00"]]},
        420,
        300,
        "chat",
        1,
    ),
    (
        "Sähköposti",
        Channel.EMAIL,
        60,
        {str(d): [["08:00", "16:00"]] for d in range(5)},
        260,
        420,
        "kirjallinen",
        1,
    ),
]
WEEKDAY_FACTOR = np.array([1.3, 1.1, 1.0, 0.95, 0.85, 0.45, 0.3])

# Service level in the history: each day's share answered within target wanders around the queue's
# target (busy Mondays lower, quiet Fridays higher), busy intervals of a day lower than quiet ones.
SL_DAY_SPREAD = 0.035
SL_PEAK_PENALTY = 0.15
# The roadmap demo's experiment: while agents could grant refunds themselves (shorter calls), the first
# team's queues answered more contacts in time. Days ago the experiment started, its length, the lift.
SL_EXPERIMENT_STARTED_DAYS_AGO = 45
SL_EXPERIMENT_DAYS = 21
SL_EXPERIMENT_LIFT = 0.07


def _intraday(minutes: np.ndarray) -> np.ndarray:
    """Relative volume by minute of day: peaks near 10.00 and 13.30, quiet evenings."""
    hours = minutes / 60.0
    shape = 1.0 * np.exp(-((hours - 10.0) ** 2) / 3.0) + 0.8 * np.exp(-((hours - 13.5) ** 2) / 4.0) + 0.15
    return shape


def build(context: DemoContext) -> None:
    org = context.objects.get("organisation")
    if org is None:
        return
    teams = context.objects.get("teams", [])
    seed = context.rng.randrange(2**32)
    rng = np.random.default_rng(seed)
    # A stream of its own, so the contact counts stay what they were before service level was added.
    sl_rng = np.random.default_rng([seed, 1])
    end = timezone.localdate()  # history up to yesterday; the forecast starts today
    first = end - dt.timedelta(days=HISTORY_DAYS)
    fi_holidays = holidays.country_holidays("FI", years=range(first.year, end.year + 1))
    for name, channel, interval, hours, daily, aht, skill, team_index in QUEUES:
        queue, _created = Queue.objects.get_or_create(
            organisation=org,
            name=name,
            defaults={
                "channel": channel,
                "interval_minutes": interval,
                "opening_hours": hours,
                "aht_seconds": aht,
                "skill": skill,
                "shrinkage": 0.3,
            },
        )
        if teams and not queue.teams.exists():
            queue.teams.add(teams[team_index % len(teams)])
        if not ContactInterval.objects.filter(queue=queue).exists():
            _history(
                queue,
                first=first,
                end=end,
                daily=daily,
                hours=hours,
                rng=rng,
                sl_rng=sl_rng,
                lifted=team_index == 0,
                fi_holidays=fi_holidays,
            )
        if not queue.forecasts.filter(status=ForecastStatus.PUBLISHED).exists():
            history = list(queue.history.order_by("start").values_list("start", "offered"))
            result = services.forecast_compute(
                queue=queue, history=history, horizon_days=HORIZON_DAYS, quick=True
            )
            forecast = services.forecast_save(
                queue=queue, result=result, created_by_id=None, horizon_days=HORIZON_DAYS
            )
            services.forecast_publish_unchecked(forecast=forecast)
    _rosters(context, org)


def _history(
    queue: Queue,
    *,
    first: dt.date,
    end: dt.date,
    daily: float,
    hours: dict[str, list[list[str]]],
    rng: np.random.Generator,
    sl_rng: np.random.Generator,
    lifted: bool,
    fi_holidays: holidays.HolidayBase,
) -> None:
    interval = queue.interval_minutes
    lift_from = end - dt.timedelta(days=SL_EXPERIMENT_STARTED_DAYS_AGO)
    lift_to = lift_from + dt.timedelta(days=SL_EXPERIMENT_DAYS)
    rows: list[ContactInterval] = []
    day = first
    while day < end:
        ranges = hours.get(str(day.weekday()), [])
        if ranges and day not in fi_holidays:
            starts = np.concatenate(
                [
                    np.arange(int(a[:2]) * 60 + int(a[3:]), int(b[:2]) * 60 + int(b[3:]), interval)
                    for a, b in ranges
                ]
            )
            shape = _intraday(starts + interval / 2)
            season = 1.0 + 0.12 * np.cos(2 * np.pi * (day.timetuple().tm_yday - 15) / 365.0)
            level = daily * WEEKDAY_FACTOR[day.weekday()] * season * rng.gamma(40.0, 1 / 40.0)
            if day.month == 7:
                level *= 0.75
            if day - dt.timedelta(days=1) in fi_holidays or day.day in (1, 2):
                level *= 1.15  # catch-up after a holiday, and the start-of-month invoice questions
            means = level * shape / shape.sum()
            offered = rng.poisson(means)
            abandoned = rng.binomial(offered, 0.06 if queue.channel == Channel.PHONE else 0.02)
            aht = queue.aht_seconds * rng.normal(1.0, 0.08, size=starts.size)
            in_sl = _answered_in_sl(
                queue,
                handled=offered - abandoned,
                offered=offered,
                means=means,
                weekday=day.weekday(),
                lift=SL_EXPERIMENT_LIFT if lifted and lift_from <= day < lift_to else 0.0,
                rng=sl_rng,
            )
            for minute, n, lost, handle, hits in zip(starts, offered, abandoned, aht, in_sl, strict=True):
                local = dt.datetime(
                    day.year, day.month, day.day, int(minute) // 60, int(minute) % 60, tzinfo=HELSINKI
                )
                rows.append(
                    ContactInterval(
                        queue=queue,
                        start=local.astimezone(dt.UTC),
                        offered=int(n),
                        handled=int(n - lost),
                        abandoned=int(lost),
                        aht_seconds=round(float(handle), 1) if n - lost else None,
                        answered_in_sl=int(hits),
                    )
                )
        day += dt.timedelta(days=1)
    ContactInterval.objects.bulk_create(rows, batch_size=2000)


def _answered_in_sl(
    queue: Queue,
    *,
    handled: np.ndarray,
    offered: np.ndarray,
    means: np.ndarray,
    weekday: int,
    lift: float,
    rng: np.random.Generator,
) -> np.ndarray:
    """Contacts answered within target per interval: never more than handled, around the target."""
    target = queue.service_level_percent / 100.0
    day_share = target + 0.02 + lift - 0.08 * (WEEKDAY_FACTOR[weekday] - 1.0) + rng.normal(0.0, SL_DAY_SPREAD)
    busy = means / means.max() if means.max() > 0 else np.zeros_like(means)
    share_of_offered = np.clip(day_share - SL_PEAK_PENALTY * (busy - busy.mean()), 0.2, 0.99)
    # Abandoned contacts are never within target: the share of the handled ones is higher.
    of_handled = np.where(handled > 0, share_of_offered * offered / np.maximum(handled, 1), 0.0)
    return rng.binomial(handled, np.clip(of_handled, 0.0, 1.0))


ROSTER_TEAM = "Puhelinpalvelu"
# (code, name, start hour, minute, length minutes, paid break): the phone queue is open 8-18 on weekdays.
DEMO_SHIFTS = [("A", "Aamu", 8, 0, 480, 30), ("V", "Välivuoro", 9, 0, 480, 30), ("I", "Ilta", 10, 0, 480, 30)]
DEMO_SOLVE_SECONDS = 3
DEMO_DIAGNOSES = 6


def _rosters(context: DemoContext, org: Organisation) -> None:
    """Puhelinpalvelu: a published roster for this week, next week open for wishes (with wishes)."""
    team = Team.objects.filter(organisation=org, name=ROSTER_TEAM).first()
    if team is None:
        return
    for code, name, hour, minute, length, pause in DEMO_SHIFTS:
        ShiftType.objects.get_or_create(
            organisation_id=team.organisation_id,
            team=team,
            code=code,
            defaults={
                "name": name,
                "start_time": dt.time(hour, minute),
                "length_minutes": length,
                "paid_break_minutes": pause,
            },
        )
    today = timezone.localdate()
    monday = today - dt.timedelta(days=today.weekday())
    lead = Membership.objects.filter(
        team_memberships__team=team, team_memberships__is_lead=True, role=Role.LEAD
    ).first()
    agents = roster_build.rostered_members(team)
    if lead is not None and agents and not FairnessPriority.objects.filter(team=team).exists():
        FairnessPriority.objects.create(
            organisation_id=team.organisation_id,
            team=team,
            membership=agents[-1],
            reason="Pienten lasten vanhempi: aamuvuorot ja vapaat iltapäivät ensin (sovittu tiimissä).",
            set_by=lead.user,
        )
    current, created = PlanningPeriod.objects.get_or_create(
        organisation_id=team.organisation_id,
        team=team,
        name=f"Viikko {monday.isocalendar()[1]}",
        defaults={
            "starts_on": monday,
            "ends_on": monday + dt.timedelta(days=6),
            "time_limit_s": DEMO_SOLVE_SECONDS,
        },
    )
    if created:
        _wishes(context, current, agents)
        roster = roster_services.roster_compute(
            period=current, time_limit_s=DEMO_SOLVE_SECONDS, diagnoses=DEMO_DIAGNOSES
        )
        roster_services.roster_publish_unchecked(roster=roster)
        _swap(roster, today)
    following = monday + dt.timedelta(days=7)
    upcoming, created = PlanningPeriod.objects.get_or_create(
        organisation_id=team.organisation_id,
        team=team,
        name=f"Viikko {following.isocalendar()[1]}",
        defaults={
            "starts_on": following,
            "ends_on": following + dt.timedelta(days=6),
            "time_limit_s": DEMO_SOLVE_SECONDS,
            "wish_deadline": timezone.make_aware(
                dt.datetime.combine(following - dt.timedelta(days=3), dt.time(16))
            ),
        },
    )
    if created:
        _wishes(context, upcoming, agents)


def _wishes(context: DemoContext, period: PlanningPeriod, agents: list[Membership]) -> None:
    """One to three wishes per person, drawn from the demo's seeded generator."""
    rng = context.rng
    types = roster_build.shift_types_of(period.team)
    members = {m.membership_id for m in TeamMembership.objects.filter(team=period.team)}
    rows = []
    for agent in agents:
        if agent.pk not in members:
            continue
        for _i in range(rng.randint(1, 3)):
            day = period.starts_on + dt.timedelta(days=rng.randrange(5))
            kind = rng.choice([WishKind.SHIFT_ON, WishKind.DAY_OFF, WishKind.SHIFT_OFF, WishKind.LATEST_END])
            rows.append(
                ShiftWish(
                    period=period,
                    membership=agent,
                    kind=kind,
                    day=day,
                    shift_type=rng.choice(types) if kind in (WishKind.SHIFT_ON, WishKind.SHIFT_OFF) else None,
                    time=dt.time(16, 30) if kind == WishKind.LATEST_END else None,
                    weight=rng.randint(1, 3),
                )
            )
    ShiftWish.objects.bulk_create(rows)


def _swap(roster: Roster, today: dt.date) -> None:
    """An open offer of a future shift, so the swap pages have something to show."""
    shifts = Shift.objects.filter(roster=roster, membership__role=Role.AGENT).order_by(
        "day", "membership__user__email"
    )
    shift = shifts.filter(day__gt=today).first() or shifts.last()
    if shift is None or SwapRequest.objects.filter(shift=shift).exists():
        return
    SwapRequest.objects.create(
        organisation_id=shift.roster.organisation_id,
        shift=shift,
        offered_by=shift.membership,
        note="Hammaslääkäri – ottaisiko joku?",
    )
