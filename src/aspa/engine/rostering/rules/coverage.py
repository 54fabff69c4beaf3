"""Coverage of need: head-count per shift and day, or per interval and skill; soft under/over."""

from __future__ import annotations

from ortools.sat.python import cp_model

from aspa.engine.rostering.model import MINUTES_PER_DAY, Agent, IntervalDemand, Problem, ShiftDemand
from aspa.engine.rostering.variables import PenaltyTerm, RosterVars

NAME = "coverage"


def covering_vars(
    problem: Problem, rv: RosterVars, demand: ShiftDemand | IntervalDemand
) -> list[cp_model.IntVar]:
    """Variables whose assignment puts one person on ``demand``."""
    if isinstance(demand, ShiftDemand):
        return [v for a in problem.agents if (v := rv.var(a.id, demand.day, demand.shift_id)) is not None]
    found = []
    for agent in problem.agents:
        # A night shift started the day before can cover the early intervals of this day.
        for day in (demand.day - 1, demand.day):
            for shift_id, var in rv.shifts_on(agent.id, day) if day >= 0 else []:
                if covers(problem, agent, day, shift_id, demand):
                    found.append(var)
    return found


def covers(
    problem: Problem, agent: Agent, day: int, shift_id: str, demand: ShiftDemand | IntervalDemand
) -> bool:
    """Whether ``agent`` working ``shift_id`` on ``day`` puts one person on ``demand``."""
    if isinstance(demand, ShiftDemand):
        return demand.day == day and demand.shift_id == shift_id
    if not _has_skill(agent, demand.skill):
        return False
    shift = problem.shift(shift_id)
    start = demand.day * MINUTES_PER_DAY + demand.start_minute
    shift_start = day * MINUTES_PER_DAY + shift.start_minute
    return shift_start <= start and start + demand.length_minutes <= shift_start + shift.length_minutes


def _has_skill(agent: Agent, skill: str | None) -> bool:
    return skill is None or skill in agent.skills


def demand_name(demand: ShiftDemand | IntervalDemand) -> str:
    if isinstance(demand, ShiftDemand):
        return f"coverage:d{demand.day}:{demand.shift_id}"
    return f"coverage:d{demand.day}:{demand.start_minute}:{demand.skill or '*'}"


def build(model: cp_model.CpModel, rv: RosterVars, problem: Problem) -> list[PenaltyTerm]:
    terms = []
    for demand in problem.demands:
        people = covering_vars(problem, rv, demand)
        name = demand_name(demand)
        under = model.new_int_var(0, demand.required, f"under[{name}]")
        over = model.new_int_var(0, max(0, len(people) - demand.required), f"over[{name}]")
        # With both penalties non-negative, the minimiser keeps at most one of them positive.
        model.add(sum(people) + under - over == demand.required)
        terms.append(PenaltyTerm(NAME, name, demand.under_weight * under + demand.over_weight * over))
    return terms
