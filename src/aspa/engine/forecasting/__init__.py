"""Interval forecasts of contact volume per queue (no Django; numpy + holidays only).

`Forecaster` is the entry point: it turns a queue's interval history into a day × time-of-day
view in local wall-clock time (DST-correct), chooses among baselines and a tuned top-down model by
rolling-origin backtest WAPE, and returns point forecasts with negative-binomial prediction
intervals and the winning model's backtest accuracy.
"""

from aspa.engine.forecasting.backtest import BacktestScore
from aspa.engine.forecasting.calendar import OpeningHours, SpecialDay
from aspa.engine.forecasting.data import DayData
from aspa.engine.forecasting.errors import ForecastingError, ForecastInputError, NotFittedError
from aspa.engine.forecasting.forecaster import Forecaster, ForecastResult
from aspa.engine.forecasting.metrics import bias, mase, rmse, seasonal_naive_scale, wape
from aspa.engine.forecasting.models import (
    DailyTotalsTimesProfile,
    DayModel,
    Ensemble,
    EventAdjusted,
    SeasonalNaiveWeek,
    WeekdayProfileMean,
)
from aspa.engine.forecasting.tuning import TunedDailyProfile

__all__ = [
    "BacktestScore",
    "DailyTotalsTimesProfile",
    "DayData",
    "DayModel",
    "Ensemble",
    "EventAdjusted",
    "ForecastInputError",
    "ForecastResult",
    "Forecaster",
    "ForecastingError",
    "NotFittedError",
    "OpeningHours",
    "SeasonalNaiveWeek",
    "SpecialDay",
    "TunedDailyProfile",
    "WeekdayProfileMean",
    "bias",
    "mase",
    "rmse",
    "seasonal_naive_scale",
    "wape",
]
