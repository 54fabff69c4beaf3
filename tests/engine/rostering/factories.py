"""Tiny, hand-checkable rostering problems for the tests."""

from __future__ import annotations

from typing import Any

from aspa.engine.rostering import (
    Agent,
    Problem,
    RosterSolution,
    ShiftDemand,
    ShiftType,
    SolveParams,
    WorkRules,
    solve,
)

PARAMS = SolveParams(time_limit_s=5.0, num_workers=1, random_seed=1)

DAY = ShiftType("D", start_minute=8 * 60, length_minutes=8 * 60)
EARLY = ShiftType("E", start_minute=6 * 60, length_minutes=8 * 60)
LATE = ShiftType("L", start_minute=14 * 60, length_minutes=8 * 60)
NIGHT = ShiftType("N", start_minute=22 * 60, length_minutes=8 * 60, kind="night")


def agents(*ids: str, **kwargs: Any) -> tuple[Agent, ...]:
    return tuple(Agent(i, **kwargs) for i in ids)


def every_day(days: int, shift_id: str, required: int, **kwargs: Any) -> tuple[ShiftDemand, ...]:
    return tuple(ShiftDemand(d, shift_id, required, **kwargs) for d in range(days))


def problem(
    days: int,
    staff: tuple[Agent, ...],
    shifts: tuple[ShiftType, ...] = (DAY,),
    rules: WorkRules | None = None,
    **kwargs: Any,
) -> Problem:
    """No labour rules unless given, so each test switches on only the rule under test."""
    return Problem(days, shifts, staff, rules=rules or WorkRules.none(), **kwargs)


def solved(p: Problem, **kwargs: Any) -> RosterSolution:
    solution = solve(p, PARAMS, **kwargs)
    assert solution.status.has_roster, solution.status
    return solution


def worked(solution: RosterSolution, agent_id: str) -> int:
    return sum(1 for s in solution.roster[agent_id] if s is not None)
