"""One module per rostering rule; each exposes ``NAME`` and ``build(model, vars, problem)``.

``build`` adds the rule's hard constraints and returns its soft penalty terms. ``RULES`` is the
default set in build order; ``STRUCTURAL`` rules define the variables' meaning and are never
relaxed when an explanation looks for the rule that blocks a wish.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from aspa.engine.rostering.rules import (
    burdens,
    consecutive,
    coverage,
    fairness,
    hours,
    one_shift_per_day,
    successions,
    weekends,
    weekly_rest,
    wishes,
)
from aspa.engine.rostering.variables import Rule

RULES: Mapping[str, Rule] = MappingProxyType(
    {
        one_shift_per_day.NAME: one_shift_per_day.build,
        coverage.NAME: coverage.build,
        successions.NAME: successions.build,
        weekly_rest.NAME: weekly_rest.build,
        hours.NAME: hours.build,
        consecutive.NAME: consecutive.build,
        weekends.NAME: weekends.build,
        wishes.NAME: wishes.build,
        fairness.NAME: fairness.build,
        burdens.NAME: burdens.build,
    }
)
STRUCTURAL = frozenset({one_shift_per_day.NAME})
HARD_RULES = (successions.NAME, weekly_rest.NAME, hours.NAME, consecutive.NAME, weekends.NAME)

__all__ = ["HARD_RULES", "RULES", "STRUCTURAL"]
