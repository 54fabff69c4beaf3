"""Decision variables shared by every rule, and the penalty terms rules hand back."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from ortools.sat.python import cp_model

from aspa.engine.rostering.model import Problem

# One roster: per agent id, per horizon day, the shift id worked or None for a day off.
Roster = Mapping[str, tuple[str | None, ...]]


@dataclass(frozen=True)
class PenaltyTerm:
    """A soft rule's cost: ``weight * expr`` enters the objective under ``rule``.

    ``name`` is unique and readable (``"wish:3"``, ``"coverage:d2:E"``); ``agent_id`` and
    ``wish_index`` let explanations attribute the term.
    """

    rule: str
    name: str
    expr: cp_model.LinearExprT
    weight: int = 1
    agent_id: str | None = None
    wish_index: int | None = None


@dataclass(frozen=True)
class RosterVars:
    """``x[(agent, day, shift)]`` is 1 when the agent works that shift that day.

    Only allowed assignments get a variable: unavailable days, pinned days and shift types an
    agent may not work (``max_shifts == 0``) have none, which keeps large models small.
    ``works[(agent, day)]`` is 1 when the agent works any shift that day.
    """

    x: Mapping[tuple[str, int, str], cp_model.IntVar]
    works: Mapping[tuple[str, int], cp_model.IntVar]

    def shifts_on(self, agent_id: str, day: int) -> list[tuple[str, cp_model.IntVar]]:
        """(shift id, variable) pairs of the agent's options on ``day``."""
        return [(s, v) for (a, d, s), v in self._by_day.get((agent_id, day), [])]

    @property
    def _by_day(self) -> dict[tuple[str, int], list[tuple[tuple[str, int, str], cp_model.IntVar]]]:
        cache = self.__dict__.get("_by_day_cache")
        if cache is None:
            cache = {}
            for key, var in self.x.items():
                cache.setdefault(key[:2], []).append((key, var))
            object.__setattr__(self, "_by_day_cache", cache)
        return cache

    def var(self, agent_id: str, day: int, shift_id: str) -> cp_model.IntVar | None:
        return self.x.get((agent_id, day, shift_id))


Rule = Callable[[cp_model.CpModel, RosterVars, Problem], list[PenaltyTerm]]


def allowed_shifts(problem: Problem, agent_id: str, day: int) -> list[str]:
    """Shift ids the agent may be given on ``day`` before any other rule is applied."""
    agent = problem.agent(agent_id)
    if day in agent.unavailable_days:
        return []
    if day in agent.fixed:
        pinned = agent.fixed[day]
        return [] if pinned is None else [pinned]
    return [s.id for s in problem.shift_types if agent.max_shifts.get(s.id, 1) > 0]


def create_vars(model: cp_model.CpModel, problem: Problem) -> RosterVars:
    """Create the assignment variables; pinned shifts are fixed to 1 here."""
    x: dict[tuple[str, int, str], cp_model.IntVar] = {}
    works: dict[tuple[str, int], cp_model.IntVar] = {}
    for agent in problem.agents:
        for day in problem.days:
            options = allowed_shifts(problem, agent.id, day)
            for shift_id in options:
                x[agent.id, day, shift_id] = model.new_bool_var(f"x[{agent.id},{day},{shift_id}]")
            works[agent.id, day] = model.new_bool_var(f"works[{agent.id},{day}]")
            if not options:
                model.add(works[agent.id, day] == 0)
            elif agent.fixed.get(day) is not None:
                model.add(x[agent.id, day, options[0]] == 1)
    return RosterVars(x=x, works=works)


def roster_from_values(problem: Problem, rv: RosterVars, value: Callable[[cp_model.IntVar], int]) -> Roster:
    """Read a roster out of a solver (or callback) through ``value``."""
    roster: dict[str, tuple[str | None, ...]] = {}
    for agent in problem.agents:
        days: list[str | None] = []
        for day in problem.days:
            worked = [s for s, v in rv.shifts_on(agent.id, day) if value(v)]
            days.append(worked[0] if worked else None)
        roster[agent.id] = tuple(days)
    return roster
