"""Synthetic queue histories with a known mean, for the forecasting tests."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import numpy as np

HELSINKI = ZoneInfo("Europe/Helsinki")
WEEKDAY_LEVEL = np.array([1.3, 1.1, 1.0, 1.0, 0.9, 0.35, 0.2])  # Monday busiest, weekend quiet


def day_shape(interval_minutes: int) -> np.ndarray:
    """Share of a day's contacts per slot: a morning peak and a smaller afternoon one, 08–20."""
    n = 24 * 60 // interval_minutes
    hours = (np.arange(n) + 0.5) * interval_minutes / 60
    shape = np.exp(-0.5 * ((hours - 10) / 1.5) ** 2) + 0.6 * np.exp(-0.5 * ((hours - 15) / 2.0) ** 2)
    shape[(hours < 8) | (hours > 20)] = 0.0
    return shape / shape.sum()


def true_mean(dates: list[dt.date], interval_minutes: int, daily_total: float) -> np.ndarray:
    shape = day_shape(interval_minutes)
    level = np.array([WEEKDAY_LEVEL[d.weekday()] for d in dates])
    return daily_total * level[:, None] * shape[None, :]


def simulate(
    start: dt.date,
    days: int,
    interval_minutes: int = 60,
    daily_total: float = 800.0,
    seed: int = 0,
    multipliers: dict[dt.date, float] | None = None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, list[dt.date]]:
    """Poisson counts on a naive local wall-clock grid: (timestamps, counts, mean matrix, dates)."""
    rng = np.random.default_rng(seed)
    dates = [start + dt.timedelta(days=i) for i in range(days)]
    mean = true_mean(dates, interval_minutes, daily_total)
    for i, d in enumerate(dates):
        mean[i] *= (multipliers or {}).get(d, 1.0)
    counts = rng.poisson(mean).astype(float)
    n_slots = mean.shape[1]
    base = np.datetime64(start, "m")
    stamps = base + (np.arange(days)[:, None] * 1440 + np.arange(n_slots)[None, :] * interval_minutes).astype(
        "timedelta64[m]"
    )
    return stamps.ravel(), counts.ravel(), mean, dates
