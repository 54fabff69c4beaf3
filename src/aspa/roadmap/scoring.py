"""RICE and the business case of a roadmap item, with the breakdown the board shows.

RICE = reach x impact x confidence / effort (Intercom's scheme): reach in customers per quarter, impact
on a 0.25-3 scale, confidence as a share, effort in person-weeks. The business case is kept apart from
the ranking on purpose: money estimates are rougher than reach counts, so they inform, not decide.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class Score:
    rice: float
    reach: int
    impact: float
    confidence: float  # 0-1
    effort: float
    cost: Decimal
    yearly_value: Decimal
    net_first_year: Decimal
    payback_months: float | None  # None when there is no expected value


def score(
    *, reach: int, impact: float, confidence: int, effort: float, cost: Decimal, yearly_value: Decimal
) -> Score:
    share = max(0, min(100, confidence)) / 100.0
    rice = reach * impact * share / effort if effort > 0 else 0.0
    payback = float(cost / (yearly_value / 12)) if yearly_value > 0 else None
    return Score(
        rice=round(rice, 1),
        reach=reach,
        impact=impact,
        confidence=share,
        effort=effort,
        cost=cost,
        yearly_value=yearly_value,
        net_first_year=yearly_value - cost,
        payback_months=round(payback, 1) if payback is not None else None,
    )
