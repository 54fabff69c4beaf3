"""Exceptions raised by the forecasting engine; messages are module constants the tests import."""

from __future__ import annotations

NOT_FITTED = "This {name} is not fitted yet: call fit() before predict()."
BAD_INTERVAL = "interval_minutes must be one of 5, 6, 10, 15, 20, 30 or 60, got {value}."
MISALIGNED = "Timestamp {value} is not aligned to the {minutes}-minute grid."
LENGTH_MISMATCH = "timestamps and counts differ in length ({n_ts} vs {n_counts})."
NEGATIVE_COUNTS = "counts must be finite and non-negative where present."
TOO_SHORT = "History too short: {days} days with data, at least {needed} needed."


class ForecastingError(Exception):
    """Base class of every error raised by aspa.engine.forecasting."""


class NotFittedError(ForecastingError, ValueError):
    """predict() or a fitted attribute was used before fit()."""


class ForecastInputError(ForecastingError, ValueError):
    """The history, calendar or options given to an estimator are invalid."""
