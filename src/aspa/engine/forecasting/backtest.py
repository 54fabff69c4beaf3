"""Rolling-origin backtests on the day × slot view."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from aspa.engine.forecasting import metrics
from aspa.engine.forecasting.calendar import FloatArray
from aspa.engine.forecasting.data import DayData
from aspa.engine.forecasting.models import DayModel

ModelFactory = Callable[[], DayModel]


@dataclass(frozen=True)
class BacktestScore:
    """Accuracy of one model pooled over all origins of a rolling-origin backtest."""

    model: str
    wape: float
    mase: float
    bias: float
    origins: int
    points: int


def backtest_origins(
    n_days: int, horizon_days: int, n_origins: int, step_days: int, min_train_days: int
) -> list[int]:
    """Origin day indices, latest first, each leaving `horizon_days` after it inside the history."""
    origins = []
    for k in range(n_origins):
        origin = n_days - horizon_days - k * step_days
        if origin < min_train_days:
            break
        origins.append(origin)
    return origins


def weekly_naive_scale(data: DayData) -> float:
    """MASE denominator: in-sample MAE of 'same interval 7 days earlier' over open cells."""
    values = np.where(data.open, data.values, np.nan).ravel()
    return metrics.seasonal_naive_scale(values, 7 * data.n_slots)


def backtest_forecasts(
    data: DayData, factories: Mapping[str, ModelFactory], origins: Sequence[int], horizon_days: int
) -> tuple[dict[str, FloatArray], FloatArray]:
    """Forecasts of every model at every origin, flattened and aligned with the actuals."""
    actual_parts = []
    forecast_parts: dict[str, list[FloatArray]] = {name: [] for name in factories}
    for origin in origins:
        train = data.slice(0, origin)
        test = data.slice(origin, min(origin + horizon_days, data.n_days))
        scored = test.observed()
        actual_parts.append(test.values[scored])
        blank = test.blank()
        for name, make in factories.items():
            forecast = make().fit(train).predict(blank)
            forecast_parts[name].append(np.clip(forecast[scored], 0.0, None))
    actual = np.concatenate(actual_parts) if actual_parts else np.zeros(0)
    return {k: (np.concatenate(v) if v else np.zeros(0)) for k, v in forecast_parts.items()}, actual


def score(name: str, actual: FloatArray, forecast: FloatArray, scale: float, origins: int) -> BacktestScore:
    return BacktestScore(
        model=name,
        wape=metrics.wape(actual, forecast),
        mase=metrics.mase(actual, forecast, scale),
        bias=metrics.bias(actual, forecast),
        origins=origins,
        points=int(actual.size),
    )
