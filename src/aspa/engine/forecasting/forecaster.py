"""The per-queue forecaster: calendar handling, automatic model choice, intervals, typed results."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from aspa.engine.forecasting.backtest import (
    BacktestScore,
    backtest_forecasts,
    backtest_origins,
    score,
    weekly_naive_scale,
)
from aspa.engine.forecasting.calendar import (
    DEFAULT_TZ,
    FloatArray,
    OpeningHours,
    SpecialDay,
    build_grid,
    check_interval,
    day_labels,
    local_day_slots,
    to_wallclock,
    weekday_of,
)
from aspa.engine.forecasting.data import DayData
from aspa.engine.forecasting.errors import (
    LENGTH_MISMATCH,
    NEGATIVE_COUNTS,
    NOT_FITTED,
    TOO_SHORT,
    ForecastInputError,
    NotFittedError,
)
from aspa.engine.forecasting.intervals import estimate_dispersion, nb_quantile
from aspa.engine.forecasting.models import (
    DailyTotalsTimesProfile,
    DayModel,
    Ensemble,
    EventAdjusted,
    SeasonalNaiveWeek,
    WeekdayProfileMean,
)
from aspa.engine.forecasting.tuning import TunedDailyProfile

MIN_HISTORY_DAYS = 14


def default_candidates(horizon_days: int = 28) -> dict[str, Callable[[], DayModel]]:
    """The models the forecaster chooses between: strong baselines and the tuned top-down model."""
    return {
        "snaive_week": SeasonalNaiveWeek,
        "dow_tod_mean_all": lambda: WeekdayProfileMean(None),
        "dow_tod_mean_8w": lambda: WeekdayProfileMean(8),
        "daily_x_profile": lambda: TunedDailyProfile(horizon_days=horizon_days),
    }


# Averages of base candidates, scored from the cached member forecasts (no extra fits).
DEFAULT_COMBINATIONS: tuple[tuple[str, ...], ...] = (
    ("daily_x_profile", "dow_tod_mean_all"),
    ("daily_x_profile", "dow_tod_mean_8w"),
    ("daily_x_profile", "dow_tod_mean_all", "dow_tod_mean_8w"),
)


@dataclass(frozen=True)
class ForecastResult:
    """Interval forecasts of one queue.

    `start_local` is the local wall-clock start of each interval (repeated through the extra hour
    of a 25-hour day), `start_utc` the unique UTC instant; `point` the mean forecast and
    `lower`/`upper` the central prediction interval at `level`. `model` names the model that won
    the backtest and `backtest` holds its accuracy; `candidates` the accuracy of every candidate.
    """

    start_local: npt.NDArray[np.datetime64]
    start_utc: npt.NDArray[np.datetime64]
    point: FloatArray
    lower: FloatArray
    upper: FloatArray
    level: float
    interval_minutes: int
    tz: str
    model: str
    backtest: BacktestScore
    candidates: tuple[BacktestScore, ...]


class Forecaster:
    """Forecast one queue's contacts per interval, choosing the model by rolling-origin backtest.

    Timestamps are interval starts: timezone-aware datetimes (converted to `tz`) or naive local
    wall-clock values (datetimes or numpy datetime64). Missing intervals are simply absent (or
    NaN counts): they are gaps, never zeros. Closed intervals come from `opening_hours`; with
    `infer_closed` a weekday × time-of-day cell that never had an observation is taken as closed.
    """

    def __init__(
        self,
        *,
        interval_minutes: int = 15,
        tz: str = DEFAULT_TZ,
        holiday_country: str | None = "FI",
        special_days: Sequence[SpecialDay] = (),
        opening_hours: OpeningHours | None = None,
        infer_closed: bool = True,
        level: float = 0.8,
        backtest_horizon_days: int = 28,
        backtest_origins: int = 3,
        backtest_step_days: int = 14,
        candidates: Mapping[str, Callable[[], DayModel]] | None = None,
        combinations: Sequence[Sequence[str]] = DEFAULT_COMBINATIONS,
    ) -> None:
        self.interval_minutes = interval_minutes
        self.tz = tz
        self.holiday_country = holiday_country
        self.special_days = special_days
        self.opening_hours = opening_hours
        self.infer_closed = infer_closed
        self.level = level
        self.backtest_horizon_days = backtest_horizon_days
        self.backtest_origins = backtest_origins
        self.backtest_step_days = backtest_step_days
        self.candidates = candidates
        self.combinations = combinations

    # ------------------------------------------------------------------------------------ fit
    def fit(
        self, timestamps: Sequence[dt.datetime] | npt.NDArray[np.datetime64], counts: npt.ArrayLike
    ) -> Forecaster:
        interval = check_interval(self.interval_minutes)
        if not 0 < self.level < 1:
            raise ForecastInputError("level must lie strictly between 0 and 1.")
        y = np.asarray(counts, dtype=float).ravel()
        if len(timestamps) != y.size:
            raise ForecastInputError(LENGTH_MISMATCH.format(n_ts=len(timestamps), n_counts=y.size))
        present = np.isfinite(y)
        if (y[present] < 0).any():
            raise ForecastInputError(NEGATIVE_COUNTS)
        wallclock = to_wallclock(timestamps, self.tz)[present]
        y = y[present]
        if y.size == 0:
            raise ForecastInputError(TOO_SHORT.format(days=0, needed=MIN_HISTORY_DAYS))
        grid = build_grid(wallclock, y, interval)
        days_with_data = int(np.isfinite(grid.values).any(axis=1).sum())
        if days_with_data < MIN_HISTORY_DAYS:
            raise ForecastInputError(TOO_SHORT.format(days=days_with_data, needed=MIN_HISTORY_DAYS))
        history = self._day_data(grid.dates, grid.values, interval)
        self.observed_cells_ = self._observed_cells(history)
        history = self._apply_inferred_closure(history)
        self.history_ = history

        factories = (
            dict(self.candidates)
            if self.candidates is not None
            else default_candidates(self.backtest_horizon_days)
        )
        horizon = min(self.backtest_horizon_days, max(7, history.n_days // 4))
        origins = backtest_origins(
            history.n_days, horizon, self.backtest_origins, self.backtest_step_days, 28
        )
        scale = weekly_naive_scale(history)
        scores: list[BacktestScore] = []
        if origins:
            forecasts, actual = backtest_forecasts(history, factories, origins, horizon)
            for combo in self.combinations:
                if all(name in forecasts for name in combo):
                    forecasts["mean(" + ", ".join(combo) + ")"] = np.mean(
                        [forecasts[n] for n in combo], axis=0
                    )
            scores = [score(name, actual, f, scale, len(origins)) for name, f in forecasts.items()]
            best = min(scores, key=lambda s: s.wape if np.isfinite(s.wape) else np.inf)
            self.dispersion_ = estimate_dispersion(actual, forecasts[best.model])
        else:
            # Too short to backtest: fall back to the all-history profile mean, Poisson noise.
            best = BacktestScore("dow_tod_mean_all", float("nan"), float("nan"), float("nan"), 0, 0)
            self.dispersion_ = 0.0
        self.backtest_ = best
        self.candidate_scores_ = tuple(sorted(scores, key=lambda s: s.wape))
        self.model_ = self._build(best.model, factories).fit(history)
        return self

    @staticmethod
    def _build(name: str, factories: Mapping[str, Callable[[], DayModel]]) -> DayModel:
        """The winning model, with event effects added to members that know no calendar events."""

        def events(model: DayModel) -> DayModel:
            aware = isinstance(model, DailyTotalsTimesProfile | TunedDailyProfile)
            return model if aware else EventAdjusted(model)

        if name in factories:
            return events(factories[name]())
        if name.startswith("mean("):
            return Ensemble([events(factories[n]()) for n in name[5:-1].split(", ")])
        return events(WeekdayProfileMean(None))

    def _day_data(self, dates: npt.NDArray[np.datetime64], values: FloatArray, interval: int) -> DayData:
        hours = self.opening_hours or OpeningHours.always()
        open_mask = hours.mask(dates, interval)
        labels = day_labels(dates, self.holiday_country, self.special_days)
        return DayData(dates, values, open_mask, labels, interval)

    @staticmethod
    def _observed_cells(history: DayData) -> npt.NDArray[np.bool_]:
        seen = np.zeros((7, history.n_slots), dtype=bool)
        wd = history.weekday
        finite = np.isfinite(history.values)
        for w in range(7):
            rows = wd == w
            if rows.any():
                seen[w] = finite[rows].any(axis=0)
        return seen

    def _apply_inferred_closure(self, data: DayData) -> DayData:
        if not self.infer_closed:
            return data
        open_mask = data.open & self.observed_cells_[data.weekday]
        return DayData(data.dates, data.values, open_mask, data.labels, data.interval_minutes)

    # -------------------------------------------------------------------------------- predict
    def predict(self, days: int = 28, start: dt.date | None = None) -> ForecastResult:
        """Forecast `days` local days from `start` (default: the day after the history ends)."""
        if not hasattr(self, "model_"):
            raise NotFittedError(NOT_FITTED.format(name=type(self).__name__))
        if days < 1:
            raise ForecastInputError("days must be at least 1.")
        end_of_history = self.history_.dates[-1]
        first = np.datetime64(start, "D") if start is not None else end_of_history + np.timedelta64(1, "D")
        if first <= end_of_history:
            raise ForecastInputError("start must come after the last day of the history.")
        # Predict over the gap too, so that week and level bookkeeping stays contiguous.
        gap = int((first - end_of_history).astype(np.int64)) - 1
        dates = end_of_history + np.arange(1, gap + days + 1).astype("timedelta64[D]")
        interval = self.interval_minutes
        future = self._apply_inferred_closure(
            self._day_data(dates, np.full((dates.size, 24 * 60 // interval), np.nan), interval)
        )
        matrix = np.clip(self.model_.predict(future), 0.0, None)[gap:]
        return self._expand(dates[gap:], matrix, weekday_of(dates[gap:]))

    def _expand(
        self, dates: npt.NDArray[np.datetime64], matrix: FloatArray, weekdays: npt.NDArray[np.int64]
    ) -> ForecastResult:
        local: list[np.datetime64] = []
        utc: list[np.datetime64] = []
        point: list[float] = []
        for i, day in enumerate(dates.astype(object)):
            starts, slots = local_day_slots(day, self.interval_minutes, self.tz)
            for ts, slot in zip(starts, slots, strict=True):
                local.append(np.datetime64(ts.replace(tzinfo=None), "m"))
                utc.append(np.datetime64(ts.astimezone(dt.UTC).replace(tzinfo=None), "m"))
                point.append(float(matrix[i, slot]))
        mean = np.asarray(point, dtype=float)
        tail = (1.0 - self.level) / 2.0
        lower = nb_quantile(mean, self.dispersion_, tail)
        upper = nb_quantile(mean, self.dispersion_, 1.0 - tail)
        return ForecastResult(
            start_local=np.asarray(local, dtype="datetime64[m]"),
            start_utc=np.asarray(utc, dtype="datetime64[m]"),
            point=mean,
            lower=np.minimum(lower, mean),
            upper=np.maximum(upper, mean),
            level=self.level,
            interval_minutes=self.interval_minutes,
            tz=self.tz,
            model=self.backtest_.model,
            backtest=self.backtest_,
            candidates=self.candidate_scores_,
        )

    def predict_days(self, dates: Iterable[dt.date]) -> FloatArray:
        """The day × slot mean forecast matrix for explicit future dates (for benchmarks and plots)."""
        if not hasattr(self, "model_"):
            raise NotFittedError(NOT_FITTED.format(name=type(self).__name__))
        wanted = np.array(sorted(dates), dtype="datetime64[D]")
        end_of_history = self.history_.dates[-1]
        n = int((wanted[-1] - end_of_history).astype(np.int64))
        all_dates = end_of_history + np.arange(1, n + 1).astype("timedelta64[D]")
        interval = self.interval_minutes
        future = self._apply_inferred_closure(
            self._day_data(all_dates, np.full((all_dates.size, 24 * 60 // interval), np.nan), interval)
        )
        matrix = np.clip(self.model_.predict(future), 0.0, None)
        return matrix[(wanted - all_dates[0]).astype(np.int64)]
