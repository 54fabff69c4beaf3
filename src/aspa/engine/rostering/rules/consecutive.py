"""Runs of days: max/min consecutive working days, min consecutive days off, max runs of a kind.

Minimum runs follow the benchmark convention: a block touching the start or end of the horizon
is not checked, because its other part lies in the previous or next roster.
"""

from __future__ import annotations

from collections.abc import Sequence

from ortools.sat.python import cp_model

from aspa.engine.rostering.model import Problem
from aspa.engine.rostering.variables import PenaltyTerm, RosterVars

NAME = "consecutive"


def _max_run(model: cp_model.CpModel, on: Sequence[cp_model.LinearExprT], limit: int) -> None:
    for start in range(len(on) - limit):
        model.add(sum(on[start : start + limit + 1]) <= limit)


def _min_run(model: cp_model.CpModel, on: Sequence[cp_model.IntVar], minimum: int) -> None:
    # Forbid every pattern "off, k times on, off" with k < minimum (cf. or-tools shift_scheduling_sat).
    for length in range(1, minimum):
        for start in range(1, len(on) - length):
            model.add_bool_or([on[start - 1], *(v.Not() for v in on[start : start + length]), on[start + length]])


def build(model: cp_model.CpModel, rv: RosterVars, problem: Problem) -> list[PenaltyTerm]:
    rules = problem.rules
    for agent in problem.agents:
        works = [rv.works[agent.id, d] for d in problem.days]
        off = [w.Not() for w in works]
        max_days = agent.max_consecutive_days or rules.max_consecutive_days
        if max_days is not None:
            _max_run(model, works, max_days)
        min_days = agent.min_consecutive_days or rules.min_consecutive_days
        if min_days is not None:
            _min_run(model, works, min_days)
        min_off = agent.min_consecutive_days_off or rules.min_consecutive_days_off
        if min_off is not None:
            _min_run(model, off, min_off)  # type: ignore[arg-type]
        for kind, limit in rules.max_consecutive_by_kind.items():
            kind_ids = {s.id for s in problem.shift_types if s.kind == kind}
            on_kind = [sum(v for s, v in rv.shifts_on(agent.id, d) if s in kind_ids) for d in problem.days]
            _max_run(model, on_kind, limit)
    return []
