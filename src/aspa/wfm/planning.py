"""Glue between queues and the engines: opening hours, forecasting runs and the staffing need.

No database here either: arrays and plain values in, arrays out, so the CLI commands, the background
job and the demo share exactly the same arithmetic.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from aspa.engine.forecasting import Forecaster, ForecastResult, OpeningHours, WeekdayProfileMean
from aspa.engine.staffing import erlang_c_metrics, erlang_c_required_agents, offered_load, productive_agents


def gettext_noop(message: str) -> str:
    """Marks a msgid for extraction (makemessages knows the name) without needing Django settings."""
    return message


FORECAST_LEVEL = 0.8
ERR_OPENING_HOURS = gettext_noop(
    "“%(value)s” is not a list of opening hours such as 8-18 or 8.00-12.00, 13.00-16.00."
)
_RANGE = re.compile(r"^\s*(\d{1,2})(?:[:.](\d{2}))?\s*[-–—]\s*(\d{1,2})(?:[:.](\d{2}))?\s*$")


class OpeningHoursError(ValueError):
    def __init__(self, value: str) -> None:
        super().__init__(ERR_OPENING_HOURS % {"value": value})
        self.value = value


def parse_hours(text: str) -> list[list[str]]:
    """'8-18' or '8.00-12.00, 13.00-16.00' → [["08:00", "18:00"], …]; empty or 'closed' → []."""
    text = text.strip()
    if not text or text.lower() in {"-", "closed", "suljettu", "kiinni"}:
        return []
    ranges = []
    for part in text.split(","):
        match = _RANGE.match(part)
        if match is None:
            raise OpeningHoursError(text)
        h1, m1, h2, m2 = int(match[1]), int(match[2] or 0), int(match[3]), int(match[4] or 0)
        start, end = h1 * 60 + m1, h2 * 60 + m2
        if h1 > 23 or m1 > 59 or m2 > 59 or end > 24 * 60 or end <= start:
            raise OpeningHoursError(text)
        ranges.append([f"{h1:02d}:{m1:02d}", f"{h2:02d}:{m2:02d}"])
    return ranges


def format_hours(ranges: Sequence[Sequence[str]]) -> str:
    """[["08:00", "18:00"]] → '8.00–18.00' (the Finnish way of writing times)."""
    return ", ".join(f"{_fi(a)}–{_fi(b)}" for a, b in ranges)


def _fi(hhmm: str) -> str:
    h, m = hhmm.split(":")
    return f"{int(h)}.{m}"


def opening_hours_of(weekly: Mapping[str, Sequence[Sequence[str]]]) -> OpeningHours:
    """The engine's OpeningHours from a queue's stored table; an empty table means open around the clock."""
    if not weekly:
        return OpeningHours.always()

    def minutes(hhmm: str) -> int:
        h, m = hhmm.split(":")
        return int(h) * 60 + int(m)

    table = {
        int(day): tuple((minutes(a), minutes(b)) for a, b in ranges)
        for day, ranges in weekly.items()
        if ranges
    }
    return OpeningHours(table)


def is_open(
    weekly: Mapping[str, Sequence[Sequence[str]]], local_starts: npt.NDArray[np.datetime64]
) -> npt.NDArray[np.bool_]:
    """Whether each local wall-clock interval start falls inside the opening hours."""
    if not weekly:
        return np.ones(local_starts.shape, dtype=bool)
    days = local_starts.astype("datetime64[D]")
    mask = opening_hours_of(weekly).mask(np.unique(days), 1)
    index = np.searchsorted(np.unique(days), days)
    minute = (local_starts - days).astype("timedelta64[m]").astype(np.int64)
    return mask[index, minute]


@dataclass(frozen=True)
class Targets:
    """A queue's staffing inputs: 80/20 is service_level_percent=80, service_level_seconds=20."""

    interval_minutes: int
    aht_seconds: float
    service_level_percent: float
    service_level_seconds: float
    shrinkage: float


def staffing_need(
    contacts: npt.ArrayLike, targets: Targets
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """Required (answering) and scheduled agents per interval, Erlang C, vectorised over all intervals."""
    volume = np.clip(np.asarray(contacts, dtype=float), 0.0, None)
    if volume.size == 0:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty
    load = offered_load(volume, targets.aht_seconds, targets.interval_minutes * 60)
    need = erlang_c_required_agents(
        load=load,
        aht_seconds=targets.aht_seconds,
        service_level=targets.service_level_percent / 100.0,
        target_seconds=targets.service_level_seconds,
        shrinkage=targets.shrinkage,
    )
    return np.asarray(need.raw_agents, dtype=np.int64), np.asarray(need.scheduled_agents, dtype=np.int64)


def expected_service_level(
    contacts: npt.ArrayLike, on_roster: npt.ArrayLike, targets: Targets
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.float64]]:
    """Agents answering and the Erlang C service level they reach, from the agents on the roster.

    Shrinkage comes off the roster first (breaks, training, absence): 10 on the roster with 30 % shrinkage
    leave 7 answering. An interval with no contacts has a service level of 1.
    """
    volume = np.clip(np.asarray(contacts, dtype=float), 0.0, None)
    rostered = np.asarray(on_roster, dtype=np.int64)
    if volume.size == 0:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=float)
    answering = np.asarray(productive_agents(rostered, targets.shrinkage), dtype=np.int64)
    load = offered_load(volume, targets.aht_seconds, targets.interval_minutes * 60)
    metrics = erlang_c_metrics(
        agents=answering,
        load=load,
        aht_seconds=targets.aht_seconds,
        target_seconds=targets.service_level_seconds,
    )
    return answering, np.asarray(metrics.service_level, dtype=float)


def forecast(
    starts: Sequence[dt.datetime] | npt.NDArray[np.datetime64],
    counts: npt.ArrayLike,
    *,
    interval_minutes: int,
    horizon_days: int,
    opening_hours: Mapping[str, Sequence[Sequence[str]]] | None = None,
    tz: str = "Europe/Helsinki",
    quick: bool = False,
    start: dt.date | None = None,
) -> ForecastResult:
    """Fit the engine's Forecaster (automatic model choice) and predict `horizon_days` local days.

    `quick` uses one cheap model and one backtest origin (the demo seeds several queues per run).
    """
    options: dict[str, Any] = {}
    if quick:
        options = {
            "candidates": {"dow_tod_mean_8w": lambda: WeekdayProfileMean(8)},
            "combinations": (),
            "backtest_origins": 1,
        }
    forecaster = Forecaster(
        interval_minutes=interval_minutes,
        tz=tz,
        opening_hours=opening_hours_of(opening_hours) if opening_hours else None,
        level=FORECAST_LEVEL,
        **options,
    )
    forecaster.fit(starts, counts)
    return forecaster.predict(horizon_days, start=start)


def adjusted_points(
    starts_utc: npt.NDArray[np.datetime64],
    points: npt.NDArray[np.float64],
    adjustments: Sequence[tuple[np.datetime64, np.datetime64, float]],
) -> npt.NDArray[np.float64]:
    """Apply each (from, until, percent) adjustment multiplicatively to the intervals it covers."""
    out = np.array(points, dtype=float)
    for begin, end, percent in adjustments:
        covered = (starts_utc >= begin) & (starts_utc < end)
        out[covered] *= 1.0 + percent / 100.0
    return np.clip(out, 0.0, None)
