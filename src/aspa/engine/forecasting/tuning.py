"""A daily-totals × profile model that tunes itself by rolling-origin backtests on its own history."""

from __future__ import annotations

import itertools
from typing import Any

import numpy as np

from aspa.engine.forecasting import metrics
from aspa.engine.forecasting.backtest import backtest_forecasts, backtest_origins
from aspa.engine.forecasting.calendar import FloatArray
from aspa.engine.forecasting.data import DayData
from aspa.engine.forecasting.models import DailyTotalsTimesProfile, DayModel

# A one-week level half-life lets the tuner follow a level that has just moved (with two-week
# blocks it is nearly the last block alone); chosen on stand-in windows, see bench/forecast.py.
LEVEL_GRID: dict[str, tuple[Any, ...]] = {
    "level_halflife_weeks": (1.0, 4.0, 8.0, 16.0, float("inf")),
    "month_turn": (False, True),
    "month_phase": (False, True),
    "trend_damping": (0.0, 0.8),
}
PROFILE_GRID: dict[str, tuple[Any, ...]] = {
    "profile_halflife_weeks": (4.0, 8.0, 26.0),
    "smooth": (0, 1, 2),
    "profile_pool": (1.0, 4.0, 16.0),
}


def _grid(spec: dict[str, tuple[Any, ...]]) -> list[dict[str, Any]]:
    keys = list(spec)
    return [dict(zip(keys, combo, strict=True)) for combo in itertools.product(*(spec[k] for k in keys))]


class TunedDailyProfile(DayModel):
    """`DailyTotalsTimesProfile` with its hyper-parameters picked by backtest WAPE on the history.

    The level settings are tuned first (with default profile settings), then the profile settings
    given the best level; only the history passed to `fit` is ever looked at.
    """

    name = "daily_x_profile"

    def __init__(
        self, *, horizon_days: int = 28, n_origins: int = 5, step_days: int = 14, top_k: int = 3
    ) -> None:
        self.horizon_days = horizon_days
        self.top_k = top_k
        self.n_origins = n_origins
        self.step_days = step_days

    def fit(self, history: DayData) -> TunedDailyProfile:
        self._check_history(history)
        horizon = min(self.horizon_days, max(7, history.n_days // 4))
        origins = backtest_origins(history.n_days, horizon, self.n_origins, self.step_days, 8 * 7)
        chosen: list[dict[str, Any]] = [{}]
        if origins:
            levels = self._search(history, origins, horizon, {}, LEVEL_GRID)[: self.top_k]
            profile = self._search(history, origins, horizon, levels[0], PROFILE_GRID)[0]
            profile_only = {k: profile[k] for k in PROFILE_GRID}
            chosen = [{**level, **profile_only} for level in levels]
        self.params_ = tuple(chosen)
        # Averaging the few best settings instead of trusting one: the backtest ranks them on a few
        # weeks only, and the average is steadier than any single pick.
        self.members_ = [DailyTotalsTimesProfile(**p).fit(history) for p in chosen]
        return self

    @staticmethod
    def _search(
        history: DayData,
        origins: list[int],
        horizon: int,
        base: dict[str, Any],
        spec: dict[str, tuple[Any, ...]],
    ) -> list[dict[str, Any]]:
        """All settings of `spec` on top of `base`, best backtest WAPE first."""
        options = [{**base, **extra} for extra in _grid(spec)]
        factories = {str(i): (lambda p=p: DailyTotalsTimesProfile(**p)) for i, p in enumerate(options)}
        forecasts, actual = backtest_forecasts(history, factories, origins, horizon)
        scores = [metrics.wape(actual, forecasts[str(i)]) for i in range(len(options))]
        order = np.argsort([s if np.isfinite(s) else np.inf for s in scores], kind="stable")
        return [options[int(i)] for i in order]

    def daily_totals(self, future: DayData) -> FloatArray:
        self._check_fitted("members_")
        return np.mean([m.daily_totals(future) for m in self.members_], axis=0)

    def predict(self, future: DayData) -> FloatArray:
        self._check_fitted("members_")
        return np.mean([m.predict(future) for m in self.members_], axis=0)
