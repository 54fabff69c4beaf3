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
    pairs = forbidden_pairs(problem)
    for agent in problem.agents:
        for day in range(problem.horizon_days - 1):
            for s, t in pairs:
                a, b = rv.var(agent.id, day, s), rv.var(agent.id, day + 1, t)
                if a is not None and b is not None:
                    model.add_bool_or([a.Not(), b.Not()])
    return []
