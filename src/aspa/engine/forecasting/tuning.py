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

LEVEL_GRID: dict[str, tuple[Any, ...]] = {
    "level_halflife_weeks": (2.0, 4.0, 8.0, 16.0),
    "month_turn": (False, True),
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

    def __init__(self, *, horizon_days: int = 28, n_origins: int = 3, step_days: int = 14) -> None:
        self.horizon_days = horizon_days
        self.n_origins = n_origins
        self.step_days = step_days

    def fit(self, history: DayData) -> TunedDailyProfile:
        self._check_history(history)
        horizon = min(self.horizon_days, max(7, history.n_days // 4))
        origins = backtest_origins(history.n_days, horizon, self.n_origins, self.step_days, 8 * 7)
        params: dict[str, Any] = {}
        if origins:
            params = self._search(history, origins, horizon, params, LEVEL_GRID)
            params = self._search(history, origins, horizon, params, PROFILE_GRID)
        self.params_ = params
        self.model_ = DailyTotalsTimesProfile(**params).fit(history)
        return self

    @staticmethod
    def _search(
        history: DayData, origins: list[int], horizon: int, base: dict[str, Any], spec: dict[str, tuple[Any, ...]]
    ) -> dict[str, Any]:
        options = [{**base, **extra} for extra in _grid(spec)]
        factories = {
            str(i): (lambda p=p: DailyTotalsTimesProfile(**p)) for i, p in enumerate(options)
        }
        forecasts, actual = backtest_forecasts(history, factories, origins, horizon)
        scores = [metrics.wape(actual, forecasts[str(i)]) for i in range(len(options))]
        scores = [s if np.isfinite(s) else np.inf for s in scores]
        return options[int(np.argmin(scores))]

    def predict(self, future: DayData) -> FloatArray:
        self._check_fitted("model_")
        return self.model_.predict(future)
