"""Weekly rest: every full calendar week holds one uninterrupted rest of the minimum length (35 h).

A rest is anchored on a day without a shift start: for day ``d`` the rest runs from the end of
the shift started on ``d - 1`` to the start of the one on ``d + 1``. A rest variable per day
forbids the combinations that would make it too short; each week needs one. Weeks cut by the
horizon are not checked (their other days are outside this roster).
"""

from __future__ import annotations

from ortools.sat.python import cp_model

from aspa.engine.rostering.model import Problem
from aspa.engine.rostering.rules.successions import rest_between
from aspa.engine.rostering.variables import PenaltyTerm, RosterVars

NAME = "weekly_rest"


def build(model: cp_model.CpModel, rv: RosterVars, problem: Problem) -> list[PenaltyTerm]:
    minimum = problem.rules.min_weekly_rest_minutes
    if minimum is None:
        return []
    for agent in problem.agents:
        for week in problem.weeks():
            if len(week) < 7:
                continue
            anchors = []
            for day in week:
                rest = model.new_bool_var(f"weekly_rest[{agent.id},{day}]")
                model.add_implication(rest, rv.works[agent.id, day].Not())
                if 0 < day < problem.horizon_days - 1:
                    for s, before in rv.shifts_on(agent.id, day - 1):
                        for t, after in rv.shifts_on(agent.id, day + 1):
                            if rest_between(problem.shift(s), problem.shift(t), days_apart=2) < minimum:
                                model.add_bool_or([rest.Not(), before.Not(), after.Not()])
                anchors.append(rest)
            model.add_bool_or(anchors)
    return []
