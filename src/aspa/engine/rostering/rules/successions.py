"""Forbidden successions: a shift's ``forbidden_next`` list and the minimum daily rest (11 h)."""

from __future__ import annotations

from ortools.sat.python import cp_model

from aspa.engine.rostering.model import MINUTES_PER_DAY, Problem, ShiftType
from aspa.engine.rostering.variables import PenaltyTerm, RosterVars

NAME = "successions"


def forbidden_pairs(problem: Problem) -> set[tuple[str, str]]:
    """(today, tomorrow) shift pairs that may not follow each other."""
    pairs = {(s.id, t) for s in problem.shift_types for t in s.forbidden_next}
    rest = problem.rules.min_daily_rest_minutes
    if rest is not None:
        for s in problem.shift_types:
            for t in problem.shift_types:
                if rest_between(s, t) < rest:
                    pairs.add((s.id, t.id))
    return pairs


def rest_between(today: ShiftType, tomorrow: ShiftType, days_apart: int = 1) -> int:
    """Minutes from the end of ``today`` to the start of ``tomorrow`` ``days_apart`` days later."""
    return days_apart * MINUTES_PER_DAY + tomorrow.start_minute - today.end_minute


def build(model: cp_model.CpModel, rv: RosterVars, problem: Problem) -> list[PenaltyTerm]:
    followers: dict[str, list[str]] = {}
    for s, t in sorted(forbidden_pairs(problem)):
        followers.setdefault(s, []).append(t)
    for agent in problem.agents:
        for day in range(problem.horizon_days - 1):
            tomorrow = dict(rv.shifts_on(agent.id, day + 1))
            for s, today in rv.shifts_on(agent.id, day):
                after = [tomorrow[t] for t in followers.get(s, ()) if t in tomorrow]
                if after:
                    # Tomorrow's shifts already exclude each other, so one at-most-one over today's shift
                    # and its forbidden followers says all the pairwise clauses at once (and is LP-tighter).
                    model.add_at_most_one([today, *after])
    return []
