"""Weekends: a weekend counts as worked when any of its days is; at most ``max_weekends`` worked."""

from __future__ import annotations

from ortools.sat.python import cp_model

from aspa.engine.rostering.model import Problem
from aspa.engine.rostering.variables import PenaltyTerm, RosterVars

NAME = "weekends"


def build(model: cp_model.CpModel, rv: RosterVars, problem: Problem) -> list[PenaltyTerm]:
    for agent in problem.agents:
        limit = agent.max_weekends if agent.max_weekends is not None else problem.rules.max_weekends
        if limit is None:
            continue
        worked = []
        for group in problem.weekends():
            weekend = model.new_bool_var(f"weekend[{agent.id},{group[0]}]")
            model.add_max_equality(weekend, [rv.works[agent.id, d] for d in group])
            worked.append(weekend)
        model.add(sum(worked) <= limit)
    return []
