"""Local wall-clock grids, opening hours, public holidays and user-marked special days.

Everything in the engine is keyed by *local* date and *local* time-of-day slot, so that "Monday
09:00" means the same thing in winter and in summer. A day in Europe/Helsinki has 23, 24 or 25
hours: on the spring-forward day the 03:00–04:00 slots do not exist, on the fall-back day they
exist twice. The day × slot matrices always have 24 h of slots; non-existent slots stay missing
and the repeated hour holds the mean of its two occurrences (a rate per interval).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

import numpy as np
import numpy.typing as npt

from aspa.engine.forecasting.errors import BAD_INTERVAL, MISALIGNED, ForecastInputError

ALLOWED_INTERVALS = (5, 6, 10, 15, 20, 30, 60)
DEFAULT_TZ = "Europe/Helsinki"
HOLIDAY_PREFIX = "holiday:"

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]
IntArray = npt.NDArray[np.int64]


def check_interval(minutes: int) -> int:
    if minutes not in ALLOWED_INTERVALS:
        raise ForecastInputError(BAD_INTERVAL.format(value=minutes))
    return int(minutes)


def weekday_of(dates: npt.NDArray[np.datetime64]) -> IntArray:
    """Monday = 0 … Sunday = 6 for an array of datetime64[D]."""
    # 1970-01-01 was a Thursday (weekday 3).
    return ((dates.astype("datetime64[D]").astype(np.int64) + 3) % 7).astype(np.int64)


def to_wallclock(
    timestamps: Sequence[dt.datetime] | npt.NDArray[np.datetime64], tz: str
) -> npt.NDArray[np.datetime64]:
    """Local wall-clock times (datetime64[m], naive) of the given timestamps.

    Naive datetimes and numpy datetime64 values are taken to be local wall-clock time already;
    timezone-aware datetimes are converted to `tz` first.
    """
    if isinstance(timestamps, np.ndarray) and np.issubdtype(timestamps.dtype, np.datetime64):
        return timestamps.astype("datetime64[m]")
    zone = ZoneInfo(tz)
    out = np.empty(len(timestamps), dtype="datetime64[m]")
    for i, ts in enumerate(timestamps):
        if ts.tzinfo is not None:
            ts = ts.astimezone(zone).replace(tzinfo=None)
        out[i] = np.datetime64(ts, "m")
    return out


@dataclass(frozen=True)
class OpeningHours:
    """Opening hours per weekday (0 = Monday), as (start, end) minute-of-day ranges, end exclusive.

    A weekday missing from `weekly` is closed all day; `closed_dates` closes whole dates (e.g. a
    public holiday the queue does not serve). `OpeningHours.always()` is the 24/7 default.
    """

    weekly: Mapping[int, tuple[tuple[int, int], ...]]
    closed_dates: frozenset[dt.date] = field(default_factory=frozenset)

    @classmethod
    def always(cls) -> OpeningHours:
        return cls({d: ((0, 24 * 60),) for d in range(7)})

    @classmethod
    def from_times(
        cls,
        weekly: Mapping[int, Iterable[tuple[dt.time, dt.time]]],
        closed_dates: Iterable[dt.date] = (),
    ) -> OpeningHours:
        """Build from `datetime.time` pairs; an end of 00:00 means midnight at the end of the day."""

        def minutes(t: dt.time, end: bool) -> int:
            m = t.hour * 60 + t.minute
            return 24 * 60 if end and m == 0 else m

        table = {
            int(d): tuple((minutes(a, False), minutes(b, True)) for a, b in ranges)
            for d, ranges in weekly.items()
        }
        return cls(table, frozenset(closed_dates))

    def mask(self, dates: npt.NDArray[np.datetime64], interval_minutes: int) -> BoolArray:
        """Open (True) / closed matrix of shape (days, slots per 24 h)."""
        n_slots = 24 * 60 // interval_minutes
        starts = np.arange(n_slots) * interval_minutes
        by_weekday = np.zeros((7, n_slots), dtype=bool)
        for d, ranges in self.weekly.items():
            for a, b in ranges:
                by_weekday[d] |= (starts >= a) & (starts < b)
        out = by_weekday[weekday_of(dates)]
        if self.closed_dates:
            closed = np.isin(
                dates.astype("datetime64[D]"), np.array(sorted(self.closed_dates), dtype="datetime64[D]")
            )
            out[closed] = False
        return out


@dataclass(frozen=True)
class SpecialDay:
    """A user-marked date with a label (campaign, invoice run …); its effect is learned per label."""

    date: dt.date
    label: str


def day_labels(
    dates: npt.NDArray[np.datetime64],
    holiday_country: str | None,
    special_days: Iterable[SpecialDay],
) -> tuple[str, ...]:
    """One label per date: the special-day label, else `holiday:<name>`, else ''."""
    labels = [""] * len(dates)
    if len(dates) == 0:
        return ()
    days = dates.astype("datetime64[D]").astype(object)
    if holiday_country:
        import holidays  # the package is a base dependency; imported lazily to keep import time low

        years = range(days[0].year, days[-1].year + 1)
        table = holidays.country_holidays(holiday_country, years=years)
        for i, day in enumerate(days):
            name = table.get(day)
            if name:
                labels[i] = HOLIDAY_PREFIX + str(name).split(";")[0].strip()
    index = {day: i for i, day in enumerate(days)}
    for special in special_days:
        row = index.get(special.date)
        if row is not None:
            labels[row] = special.label
    return tuple(labels)


@dataclass(frozen=True)
class Grid:
    """Observations as a contiguous run of local dates × time-of-day slots (NaN = not observed)."""

    dates: npt.NDArray[np.datetime64]
    values: FloatArray
    interval_minutes: int

    @property
    def n_slots(self) -> int:
        return int(self.values.shape[1])


def build_grid(wallclock: npt.NDArray[np.datetime64], counts: FloatArray, interval_minutes: int) -> Grid:
    """Accumulate wall-clock observations into a day × slot matrix; repeated cells are averaged."""
    minutes = wallclock.astype("datetime64[m]")
    days = minutes.astype("datetime64[D]")
    minute_of_day = (minutes - days.astype("datetime64[m]")).astype(np.int64)
    bad = minute_of_day % interval_minutes != 0
    if bad.any():
        raise ForecastInputError(MISALIGNED.format(value=minutes[np.argmax(bad)], minutes=interval_minutes))
    n_slots = 24 * 60 // interval_minutes
    first, last = days.min(), days.max()
    n_days = int((last - first).astype(np.int64)) + 1
    row = (days - first).astype(np.int64)
    col = minute_of_day // interval_minutes
    flat = row * n_slots + col
    sums = np.bincount(flat, weights=counts, minlength=n_days * n_slots)
    hits = np.bincount(flat, minlength=n_days * n_slots)
    with np.errstate(invalid="ignore", divide="ignore"):
        values = np.where(hits > 0, sums / np.maximum(hits, 1), np.nan)
    dates = first + np.arange(n_days).astype("timedelta64[D]")
    return Grid(dates=dates, values=values.reshape(n_days, n_slots), interval_minutes=interval_minutes)


def local_day_slots(date: dt.date, interval_minutes: int, tz: str) -> tuple[list[dt.datetime], list[int]]:
    """The real intervals of one local day: their aware start times and their time-of-day slot.

    A 23-hour day yields 23 h of intervals, a 25-hour day 25 h (the repeated hour maps to the same
    slots twice).
    """
    zone = ZoneInfo(tz)
    utc = dt.UTC
    start = dt.datetime.combine(date, dt.time(0), tzinfo=zone).astimezone(utc)
    end = dt.datetime.combine(date + dt.timedelta(days=1), dt.time(0), tzinfo=zone).astimezone(utc)
    step = dt.timedelta(minutes=interval_minutes)
    starts: list[dt.datetime] = []
    slots: list[int] = []
    t = start
    while t < end:
        local = t.astimezone(zone)
        starts.append(local)
        slots.append((local.hour * 60 + local.minute) // interval_minutes)
        t += step
    return starts, slots
