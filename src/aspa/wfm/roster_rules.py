"""Live rule checks with the rostering engine: may this person work this shift, given the rest of their roster?

The person's whole period is fixed (their shifts, and days off elsewhere) and the engine's hard rules are
asked whether that is feasible; when it is not, each hard rule is relaxed in turn to name the one that
forbids it (daily rest, weekly rest, working hours, consecutive days, weekends).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from aspa.engine import rostering as engine
from aspa.engine.rostering.rules import HARD_RULES
from aspa.engine.rostering.solve import build_model, solve_built
from aspa.org.models import Membership
from aspa.wfm import roster_build
from aspa.wfm.models import AgentContract, PlanningPeriod, Roster, Shift

CHECK_PARAMS = engine.SolveParams(time_limit_s=2.0, num_workers=1)


def person_days(roster: Roster, membership: Membership) -> dict[dt.date, str]:
    return dict(
        Shift.objects.filter(roster=roster, membership=membership).values_list("day", "shift_type__code")
    )


def rule_violations(
    *, period: PlanningPeriod, membership: Membership, days: Mapping[dt.date, str | None]
) -> tuple[str, ...]:
    """Hard rules that the person's days (date → shift code, None or missing = off) would break; () if none."""
    team = period.team
    types = roster_build.shift_types_of(team)
    rules, _weight = roster_build.engine_rules(team)
    contract = AgentContract.objects.filter(membership=membership).first()
    fixed: dict[int, str | None] = {}
    for index in range(period.days):
        fixed[index] = days.get(period.starts_on + dt.timedelta(days=index))
    agent = engine.Agent(
        id="p",
        contract=engine.Contract(
            max_minutes_per_week=contract.max_minutes_per_week if contract else None,
        ),
        fixed=fixed,
    )
    problem = engine.Problem(
        horizon_days=period.days,
        shift_types=tuple(roster_build.engine_shift(t) for t in types),
        agents=(agent,),
        rules=rules,
        first_weekday=period.starts_on.weekday(),
    )
    if solve_built(build_model(problem), problem, CHECK_PARAMS).status.has_roster:
        return ()
    blocking = tuple(
        rule
        for rule in HARD_RULES
        if solve_built(build_model(problem, relax={rule}), problem, CHECK_PARAMS).status.has_roster
    )
    return blocking or ("unknown",)
