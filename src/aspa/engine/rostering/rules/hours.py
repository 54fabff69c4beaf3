"""Working-time limits: contract minutes over the horizon and per week, and shifts per type."""

from __future__ import annotations

from ortools.sat.python import cp_model

from aspa.engine.rostering.model import Problem
from aspa.engine.rostering.variables import PenaltyTerm, RosterVars

NAME = "hours"


def build(model: cp_model.CpModel, rv: RosterVars, problem: Problem) -> list[PenaltyTerm]:
    for agent in problem.agents:
        contract = agent.contract

        def minutes(days: list[int], agent_id: str = agent.id) -> cp_model.LinearExprT:
            pairs = [(v, problem.shift(s).length_minutes) for d in days for s, v in rv.shifts_on(agent_id, d)]
            return cp_model.LinearExpr.weighted_sum([v for v, _ in pairs], [m for _, m in pairs])

        total = minutes(list(problem.days))
        model.add(total >= contract.min_minutes)
        if contract.max_minutes is not None:
            model.add(total <= contract.max_minutes)
        weekly_caps = [
            c for c in (contract.max_minutes_per_week, problem.rules.max_minutes_per_week) if c is not None
        ]
        for week in problem.weeks():
            if weekly_caps:
                model.add(minutes(week) <= min(weekly_caps))
            if len(week) == 7 and contract.min_minutes_per_week:
                model.add(minutes(week) >= contract.min_minutes_per_week)
        by_type: dict[str, list[cp_model.IntVar]] = {}
        for day in problem.days:
            for shift_id, var in rv.shifts_on(agent.id, day):
                by_type.setdefault(shift_id, []).append(var)
        for shift_id, cap in agent.max_shifts.items():
            worked = by_type.get(shift_id, [])
            if len(worked) > cap:
                model.add(cp_model.LinearExpr.sum(worked) <= cap)
    return []
