"""Wishes: shift on/off requests, days off, latest end, preferred start, weekday patterns.

Every wish is expanded into per-day *items*: an on-item is granted when the agent works one of its
shifts that day, an off-item when the agent works none of them. Latest end, preferred start and
weekday patterns become off-items over the shifts that would break them.
"""

from __future__ import annotations

from dataclasses import dataclass

from ortools.sat.python import cp_model

from aspa.engine.rostering.model import (
    LatestEnd,
    PreferredStart,
    Problem,
    ShiftOff,
    ShiftOn,
    WeekdaysOff,
    Wish,
)
from aspa.engine.rostering.variables import PenaltyTerm, RosterVars

NAME = "wishes"


@dataclass(frozen=True)
class WishItem:
    """One day of one wish: ``on`` wants one of ``shift_ids`` worked, off wants none of them."""

    wish_index: int
    agent_id: str
    day: int
    on: bool
    shift_ids: frozenset[str]
    weight: int

    @property
    def name(self) -> str:
        return f"wish:{self.wish_index}:d{self.day}"


def expand(problem: Problem) -> list[WishItem]:
    """All wish items of the problem, in wish order."""
    items = []
    for index, wish in enumerate(problem.wishes):
        for day, on, shift_ids in _days_of(problem, wish):
            items.append(WishItem(index, wish.agent_id, day, on, frozenset(shift_ids), wish.weight))
    return items


def _days_of(problem: Problem, wish: Wish) -> list[tuple[int, bool, list[str]]]:
    every = [s.id for s in problem.shift_types]
    if isinstance(wish, ShiftOn | ShiftOff):
        ids = every if wish.shift_id is None else [wish.shift_id]
        return [(wish.day, isinstance(wish, ShiftOn), ids)]
    if isinstance(wish, WeekdaysOff):
        return [(d, False, every) for d in problem.days if problem.weekday(d) in wish.weekdays]
    if isinstance(wish, LatestEnd):
        late = [s.id for s in problem.shift_types if s.end_minute > wish.minute]
        days = [d for d in problem.days if wish.weekdays is None or problem.weekday(d) in wish.weekdays]
        return [(d, False, late) for d in days] if late else []
    assert isinstance(wish, PreferredStart)
    other = [s.id for s in problem.shift_types if abs(s.start_minute - wish.minute) > wish.tolerance_minutes]
    days = [d for d in problem.days if wish.weekdays is None or problem.weekday(d) in wish.weekdays]
    return [(d, False, other) for d in days] if other else []


def violation(rv: RosterVars, item: WishItem) -> cp_model.LinearExprT:
    """1 when the item is denied, else 0 (a linear expression of the assignment variables)."""
    worked = sum(v for s, v in rv.shifts_on(item.agent_id, item.day) if s in item.shift_ids)
    return 1 - worked if item.on else worked


def build(model: cp_model.CpModel, rv: RosterVars, problem: Problem) -> list[PenaltyTerm]:
    return [
        PenaltyTerm(NAME, item.name, violation(rv, item), item.weight, item.agent_id, item.wish_index)
        for item in expand(problem)
        if item.weight > 0
    ]
