"""The day × slot view of a queue's history that every model works on."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from aspa.engine.forecasting.calendar import BoolArray, FloatArray, IntArray, weekday_of


@dataclass(frozen=True)
class DayData:
    """Contiguous local dates × time-of-day slots.

    `values` holds interval counts (NaN = not observed; all NaN for days to be forecast), `open`
    whether the queue serves that slot, `labels` the event label of each day ('' for an ordinary
    day, `holiday:<name>` for a public holiday, the user's label for a special day).
    """

    dates: npt.NDArray[np.datetime64]
    values: FloatArray
    open: BoolArray
    labels: tuple[str, ...]
    interval_minutes: int

    def __post_init__(self) -> None:
        n = len(self.dates)
        if self.values.shape[0] != n or self.open.shape != self.values.shape or len(self.labels) != n:
            raise ValueError("DayData: dates, values, open and labels disagree in shape")

    @property
    def weekday(self) -> IntArray:
        return weekday_of(self.dates)

    @property
    def n_days(self) -> int:
        return len(self.dates)

    @property
    def n_slots(self) -> int:
        return int(self.values.shape[1])

    def slice(self, start: int, stop: int) -> DayData:
        return DayData(
            self.dates[start:stop],
            self.values[start:stop],
            self.open[start:stop],
            self.labels[start:stop],
            self.interval_minutes,
        )

    def blank(self) -> DayData:
        """The same calendar with the observations removed (what a model is asked to predict)."""
        return DayData(
            self.dates, np.full_like(self.values, np.nan), self.open, self.labels, self.interval_minutes
        )

    def observed(self) -> BoolArray:
        return np.isfinite(self.values) & self.open
