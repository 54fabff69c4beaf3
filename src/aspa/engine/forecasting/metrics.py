"""Accuracy metrics on aligned arrays of actuals and forecasts; NaN actuals are not scored."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]


def _pair(actual: npt.ArrayLike, forecast: npt.ArrayLike) -> tuple[FloatArray, FloatArray]:
    y = np.asarray(actual, dtype=float).ravel()
    f = np.asarray(forecast, dtype=float).ravel()
    if y.shape != f.shape:
        raise ValueError(f"actual and forecast differ in shape: {y.shape} vs {f.shape}")
    keep = np.isfinite(y) & np.isfinite(f)
    return y[keep], f[keep]


def wape(actual: npt.ArrayLike, forecast: npt.ArrayLike) -> float:
    """Σ|F − Y| / ΣY (NaN when the actuals sum to zero)."""
    y, f = _pair(actual, forecast)
    total = y.sum()
    return float(np.abs(f - y).sum() / total) if total > 0 else float("nan")


def bias(actual: npt.ArrayLike, forecast: npt.ArrayLike) -> float:
    """Σ(F − Y) / ΣY: positive means over-forecasting."""
    y, f = _pair(actual, forecast)
    total = y.sum()
    return float((f - y).sum() / total) if total > 0 else float("nan")


def rmse(actual: npt.ArrayLike, forecast: npt.ArrayLike) -> float:
    y, f = _pair(actual, forecast)
    return float(np.sqrt(np.mean((f - y) ** 2))) if y.size else float("nan")


def mae(actual: npt.ArrayLike, forecast: npt.ArrayLike) -> float:
    y, f = _pair(actual, forecast)
    return float(np.mean(np.abs(f - y))) if y.size else float("nan")


def seasonal_naive_scale(history: npt.ArrayLike, lag: int) -> float:
    """In-sample MAE of the seasonal naive forecast y[t] ≈ y[t − lag] (pairs with a NaN skipped)."""
    h = np.asarray(history, dtype=float).ravel()
    if lag <= 0 or h.size <= lag:
        return float("nan")
    diff = np.abs(h[lag:] - h[:-lag])
    diff = diff[np.isfinite(diff)]
    return float(diff.mean()) if diff.size else float("nan")


def mase(actual: npt.ArrayLike, forecast: npt.ArrayLike, scale: float) -> float:
    """MAE divided by a seasonal-naive in-sample MAE (see `seasonal_naive_scale`)."""
    return mae(actual, forecast) / scale if scale > 0 else float("nan")
