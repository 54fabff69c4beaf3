"""At most one shift per agent per day; defines ``works`` as the sum of the day's shifts."""

from __future__ import annotations

from ortools.sat.python import cp_model

from aspa.engine.rostering.model import Problem
from aspa.engine.rostering.variables import PenaltyTerm, RosterVars

NAME = "one_shift_per_day"


def build(model: cp_model.CpModel, rv: RosterVars, problem: Problem) -> list[PenaltyTerm]:
    for (agent_id, day), works in rv.works.items():
        options = [v for _, v in rv.shifts_on(agent_id, day)]
        if options:
            # works is a 0/1 variable, so this equality is also the at-most-one constraint.
            model.add(sum(options) == works)
    return []
