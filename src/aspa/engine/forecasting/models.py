"""Interval forecasting models on the day × slot view (see `DayData`).

Every model follows scikit-learn's habits: `__init__` only stores parameters, `fit(history)`
validates, learns attributes ending in `_` and returns `self`, `predict(future)` returns the mean
forecast per (day, slot), zero where the queue is closed, and raises `NotFittedError` before fit.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from aspa.engine.forecasting.calendar import HOLIDAY_PREFIX, FloatArray
from aspa.engine.forecasting.data import DayData
from aspa.engine.forecasting.errors import NOT_FITTED, ForecastInputError, NotFittedError


def _ew_weights(age: FloatArray, halflife: float) -> FloatArray:
    """Exponential recency weights; an infinite half-life gives equal weights."""
    if not math.isfinite(halflife):
        return np.ones_like(age, dtype=float)
    return np.power(0.5, age / halflife)


MONTH_START_DAYS = 4
MONTH_END_DAYS = 3
N_MONTH_POS = MONTH_START_DAYS + MONTH_END_DAYS
# Off the month turn, the day of the month in four phases (1–8, 9–16, 17–23, 24–31): pay days,
# allowances and bill due dates move volume within the month, not only at its turn.
PHASE_STARTS = (1, 9, 17, 24)
N_POS = N_MONTH_POS + len(PHASE_STARTS)


def month_position(
    dates: np.ndarray,
    open_weekdays: frozenset[int],
    holidays: frozenset[np.datetime64],
    turn: bool,
    phase: bool,
) -> np.ndarray:
    """Index into the month effects: turn position (0..6), else phase (7..10), else -1."""
    out = np.full(len(dates), -1, dtype=np.int64)
    if turn:
        out = month_turn_position(dates, open_weekdays, holidays)
    if phase:
        dom = (dates.astype("datetime64[D]") - dates.astype("datetime64[M]").astype("datetime64[D]")).astype(
            np.int64
        ) + 1
        bins = N_MONTH_POS + np.searchsorted(np.array(PHASE_STARTS), dom, side="right") - 1
        out = np.where(out >= 0, out, bins)
    return out


def month_turn_position(
    dates: np.ndarray, open_weekdays: frozenset[int], holidays: frozenset[np.datetime64]
) -> np.ndarray:
    """Business-day position around the turn of the month, or -1.

    0..3 = the 1st..4th business day of the month, 4..6 = the last, second-last and third-last.
    Business days are the open weekdays that are not public holidays (invoice and salary runs
    land on them, so the extra contacts follow business days rather than calendar days).
    """
    out = np.full(len(dates), -1, dtype=np.int64)
    days = dates.astype("datetime64[D]")
    months = days.astype("datetime64[M]")
    for month in np.unique(months):
        start = month.astype("datetime64[D]")
        end = (month + 1).astype("datetime64[D]")
        span = np.arange(start, end, dtype="datetime64[D]")
        wd = (span.astype(np.int64) + 3) % 7
        business = np.array(
            [int(w) in open_weekdays and d not in holidays for w, d in zip(wd, span, strict=True)], dtype=bool
        )
        bdays = span[business]
        pos: dict[np.datetime64, int] = {}
        for k, d in enumerate(bdays[:MONTH_START_DAYS]):
            pos[d] = k
        for k, d in enumerate(bdays[::-1][:MONTH_END_DAYS]):
            pos.setdefault(d, MONTH_START_DAYS + k)
        for row in np.flatnonzero(months == month):
            out[row] = pos.get(days[row], -1)
    return out


def level_blocks(dates: np.ndarray, first: np.datetime64, block_weeks: int) -> np.ndarray:
    """Index of the `block_weeks`-long run of Monday-based calendar weeks, counted from `first`'s."""

    def monday_week(d: np.ndarray) -> np.ndarray:
        # 1970-01-01 was a Thursday: +3 puts Mondays on multiples of 7.
        return (np.asarray(d).astype("datetime64[D]").astype(np.int64) + 3) // 7

    return np.asarray((monday_week(dates) - monday_week(np.asarray(first))) // block_weeks, dtype=np.int64)


AFTER_HOLIDAY = "after-holiday"


def business_weekdays(values: FloatArray, observed: np.ndarray, weekday: np.ndarray) -> frozenset[int]:
    """Weekdays whose mean observed daily total is at least half the busiest weekday's.

    A public holiday on such a day closes normal business, so the next business day catches up
    (the "day after a holiday" effect); a holiday on a quiet weekend day moves little.
    """
    totals = np.where(observed, values, 0.0).sum(axis=1)
    seen = observed.any(axis=1)
    means = np.zeros(7)
    for w in range(7):
        rows = seen & (weekday == w)
        if rows.any():
            means[w] = float(totals[rows].mean())
    top = float(means.max())
    return frozenset(int(w) for w in range(7) if top > 0 and means[w] >= 0.5 * top)


def after_holiday(
    dates: np.ndarray, business: frozenset[int], holidays: frozenset[np.datetime64]
) -> np.ndarray:
    """True on the first business day after a public holiday that fell on a business day."""
    days = dates.astype("datetime64[D]").astype(np.int64)
    hol = {int(d) for d in np.array(sorted(holidays), dtype="datetime64[D]").astype(np.int64)}
    out = np.zeros(days.size, dtype=bool)
    for i, day in enumerate(days):
        if int((day + 3) % 7) not in business or int(day) in hol:
            continue
        prev = int(day) - 1
        # Step back over non-business days (a weekend) to the previous business day.
        for _ in range(6):
            if (prev + 3) % 7 in business:
                break
            prev -= 1
        out[i] = prev in hol
    return out


def with_after_holiday(
    labels: tuple[str, ...], dates: np.ndarray, business: frozenset[int], holidays: frozenset[np.datetime64]
) -> tuple[str, ...]:
    """`labels` with `AFTER_HOLIDAY` on unlabelled days that follow a public holiday."""
    flags = after_holiday(dates, business, holidays)
    return tuple(
        AFTER_HOLIDAY if flag and not label else label for label, flag in zip(labels, flags, strict=True)
    )


EVE_PREFIX = "eve:"


def holiday_eve(dates: np.ndarray, holidays: frozenset[np.datetime64]) -> np.ndarray:
    """True on a day that is not itself a public holiday but comes the calendar day before one.

    Jewish holidays begin at sunset the evening before, so an Israeli holiday eve is a short day;
    elsewhere the day before a long weekend can run busier. Its effect is learned from history.
    """
    days = dates.astype("datetime64[D]").astype(np.int64)
    hol = {int(d) for d in np.array(sorted(holidays), dtype="datetime64[D]").astype(np.int64)}
    return np.array([int(d) not in hol and int(d) + 1 in hol for d in days], dtype=bool)


def with_holiday_eves(
    labels: tuple[str, ...], dates: np.ndarray, holiday_labels: dict[np.datetime64, str]
) -> tuple[str, ...]:
    """`labels` with `eve:<holiday name>` on unlabelled days that come the day before a holiday.

    `holiday_labels` maps each known holiday date to its `holiday:<name>` label.
    """
    flags = holiday_eve(dates, frozenset(holiday_labels))
    one_day = np.timedelta64(1, "D")
    out = list(labels)
    for i, flag in enumerate(flags):
        if flag and not out[i]:
            name = holiday_labels[dates[i].astype("datetime64[D]") + one_day][len(HOLIDAY_PREFIX) :]
            out[i] = EVE_PREFIX + name
    return tuple(out)


def holiday_label_map(*data: tuple[np.ndarray, tuple[str, ...]]) -> dict[np.datetime64, str]:
    """Holiday date → its `holiday:<name>` label, over several (dates, labels) calendars."""
    out: dict[np.datetime64, str] = {}
    for dates, labels in data:
        for day, label in zip(dates.astype("datetime64[D]"), labels, strict=True):
            if label.startswith(HOLIDAY_PREFIX):
                out[day] = label
    return out


class DayModel:
    """Base class: a model of the interval counts of one queue."""

    name = "model"

    def fit(self, history: DayData) -> DayModel:  # pragma: no cover - interface
        raise NotImplementedError

    def predict(self, future: DayData) -> FloatArray:  # pragma: no cover - interface
        raise NotImplementedError

    def _check_fitted(self, attribute: str) -> None:
        if not hasattr(self, attribute):
            raise NotFittedError(NOT_FITTED.format(name=type(self).__name__))

    @staticmethod
    def _check_history(history: DayData) -> None:
        if history.n_days == 0 or not history.observed().any():
            raise ForecastInputError("The history holds no observed open interval.")


class SeasonalNaiveWeek(DayModel):
    """The last observed value for the same weekday and time of day, repeated."""

    name = "snaive_week"

    def fit(self, history: DayData) -> SeasonalNaiveWeek:
        self._check_history(history)
        table = np.zeros((7, history.n_slots))
        obs = history.observed()
        wd = history.weekday
        for w in range(7):
            rows = np.flatnonzero(wd == w)
            if rows.size == 0:
                continue
            block = np.where(obs[rows], history.values[rows], np.nan)
            # Index of the last finite row per slot: flip, argmax over "is finite".
            finite = np.isfinite(block)
            last = block.shape[0] - 1 - np.argmax(finite[::-1], axis=0)
            has = finite.any(axis=0)
            table[w, has] = block[last[has], np.flatnonzero(has)]
        self.table_ = table
        return self

    def predict(self, future: DayData) -> FloatArray:
        self._check_fitted("table_")
        return np.where(future.open, self.table_[future.weekday], 0.0)


class WeekdayProfileMean(DayModel):
    """Mean of each (weekday × time-of-day) cell over all history or its last `window_weeks` weeks."""

    def __init__(self, window_weeks: int | None = None) -> None:
        self.window_weeks = window_weeks

    @property
    def name(self) -> str:  # type: ignore[override]
        return "dow_tod_mean_all" if self.window_weeks is None else f"dow_tod_mean_{self.window_weeks}w"

    def fit(self, history: DayData) -> WeekdayProfileMean:
        self._check_history(history)
        if self.window_weeks is not None:
            history = history.slice(max(0, history.n_days - 7 * self.window_weeks), history.n_days)
        obs = history.observed()
        values = np.where(obs, history.values, 0.0)
        wd = history.weekday
        sums = np.zeros((7, history.n_slots))
        hits = np.zeros((7, history.n_slots))
        np.add.at(sums, wd, values)
        np.add.at(hits, wd, obs.astype(float))
        self.table_ = np.divide(sums, hits, out=np.zeros_like(sums), where=hits > 0)
        return self

    def predict(self, future: DayData) -> FloatArray:
        self._check_fitted("table_")
        return np.where(future.open, self.table_[future.weekday], 0.0)


class Ensemble(DayModel):
    """The plain average of several models' forecasts (combining often beats each member)."""

    def __init__(self, members: Sequence[DayModel]) -> None:
        self.members = members

    @property
    def name(self) -> str:  # type: ignore[override]
        return "mean(" + ", ".join(m.name for m in self.members) + ")"

    def fit(self, history: DayData) -> Ensemble:
        self._check_history(history)
        self.members_ = [m.fit(history) for m in self.members]
        return self

    def predict(self, future: DayData) -> FloatArray:
        self._check_fitted("members_")
        return np.mean([m.predict(future) for m in self.members_], axis=0)


@dataclass(frozen=True)
class EventEffect:
    """A learned multiplicative effect of an event label on the daily total."""

    label: str
    multiplier: float
    occurrences: int


class DailyTotalsTimesProfile(DayModel):
    """Daily totals from a robust weekly-level × weekday model, split by a shrunk intraday profile.

    Daily totals: log T(day) = a(block) + b(weekday) + event effect, fitted by alternating means on
    ordinary days, with days far off their expectation (robust z > `outlier_z`) left out as
    anomalies. A block is `level_block_weeks` calendar weeks: with two-week blocks the month effects
    are learned across week boundaries instead of being absorbed by weekly levels (kept because it
    lowered the error of stand-in windows inside the benchmarks' training data). The future level
    is a recency-weighted mean of the block levels (half-life `level_halflife_weeks`), optionally
    with a damped trend (per block); with two years of history a yearly
    factor (same season in earlier years, relative to now) multiplies it. Month effects are optional:
    `month_turn` (the first four and last three business days) and `month_phase` (day of month in
    four phases). With `after_holiday`, the first business day after a public holiday on a business
    day gets its own learned (shrunk) effect: closed days push contacts onto the next open one.
    With `holiday_eve`, the calendar day before a public holiday gets a learned effect per holiday
    (`eve:<name>`), shrunk towards the pooled eve effect (Jewish holidays start at sunset).

    Intraday shares per weekday are recency-weighted (`profile_halflife_weeks`), shrunk towards the
    pooled profile of weekdays with a similar shape (`profile_pool` pseudo-days) and smoothed over
    neighbouring slots (`smooth` = half-width of a triangular kernel), never across closed slots.
    """

    name = "daily_x_profile"

    def __init__(
        self,
        *,
        level_halflife_weeks: float = 4.0,
        weekday_halflife_weeks: float = 12.0,
        profile_halflife_weeks: float = 8.0,
        profile_pool: float = 4.0,
        smooth: int = 1,
        outlier_z: float = 3.5,
        trend_damping: float = 0.0,
        month_turn: bool = False,
        yearly: bool | None = None,
        shape_similarity: float = 0.15,
        after_holiday: bool = True,
        month_phase: bool = False,
        holiday_eve: bool = True,
        level_block_weeks: int = 2,
    ) -> None:
        self.level_halflife_weeks = level_halflife_weeks
        self.weekday_halflife_weeks = weekday_halflife_weeks
        self.profile_halflife_weeks = profile_halflife_weeks
        self.profile_pool = profile_pool
        self.smooth = smooth
        self.outlier_z = outlier_z
        self.trend_damping = trend_damping
        self.month_turn = month_turn
        self.yearly = yearly
        self.shape_similarity = shape_similarity
        self.after_holiday = after_holiday
        self.month_phase = month_phase
        self.holiday_eve = holiday_eve
        self.level_block_weeks = level_block_weeks

    # ----------------------------------------------------------------------------------- fit
    def fit(self, history: DayData) -> DailyTotalsTimesProfile:
        self._check_history(history)
        n, n_slots = history.values.shape
        obs = history.observed()
        values = np.where(obs, history.values, 0.0)
        wd = history.weekday
        open_count = history.open.sum(axis=1)
        obs_count = obs.sum(axis=1)
        age_weeks = (n - 1 - np.arange(n)) / 7.0

        # 1. A first profile (the weekday × slot mean of whatever was observed), to turn partly
        #    observed days into daily totals by the share of the day they cover.
        complete = (open_count > 0) & (obs_count == open_count)
        raw_total = values.sum(axis=1)
        cell_sum = np.zeros((7, n_slots))
        cell_hits = np.zeros((7, n_slots))
        np.add.at(cell_sum, wd, values)
        np.add.at(cell_hits, wd, obs.astype(float))
        share0 = np.divide(cell_sum, cell_hits, out=np.zeros_like(cell_sum), where=cell_hits > 0)
        share0 /= np.maximum(share0.sum(axis=1, keepdims=True), 1e-12)
        coverage = np.where(obs, share0[wd], 0.0).sum(axis=1)
        total = np.full(n, np.nan)
        good_cov = coverage >= 0.5
        total[good_cov] = raw_total[good_cov] / coverage[good_cov]
        total[complete] = raw_total[complete]

        # 2. Robust weekly level × weekday effect on ordinary days (log scale).
        self.holiday_dates_ = frozenset(
            history.dates[i] for i, label in enumerate(history.labels) if label.startswith(HOLIDAY_PREFIX)
        )
        self.business_weekdays_ = business_weekdays(values, obs, wd)
        labels = history.labels
        if self.after_holiday:
            labels = with_after_holiday(labels, history.dates, self.business_weekdays_, self.holiday_dates_)
        self.holiday_labels_ = holiday_label_map((history.dates, history.labels))
        if self.holiday_eve:
            labels = with_holiday_eves(labels, history.dates, self.holiday_labels_)
        labelled = np.array([bool(label) for label in labels])
        if self.level_block_weeks < 1:
            raise ForecastInputError("level_block_weeks must be at least 1.")
        week = level_blocks(history.dates, history.dates[0], self.level_block_weeks)
        n_weeks = int(week[-1]) + 1
        usable = np.isfinite(total) & (total > 0) & ~labelled
        logt = np.log(np.where(usable, total, 1.0))
        self.open_weekdays_ = frozenset(int(w) for w in np.unique(wd[history.open.any(axis=1)]))
        pos = month_position(
            history.dates, self.open_weekdays_, self.holiday_dates_, self.month_turn, self.month_phase
        )
        w_wd = _ew_weights(age_weeks, self.weekday_halflife_weeks)
        inlier = usable.copy()
        for _ in range(3):
            a, b, c = self._als(logt, inlier, week, wd, pos, w_wd, n_weeks)
            resid = logt - a[week] - b[wd] - c[pos]
            ok = inlier & np.isfinite(resid)
            if ok.sum() < 3:
                break
            scale = 1.4826 * float(np.median(np.abs(resid[ok] - np.median(resid[ok]))))
            scale = max(scale, 0.02)
            new = usable & np.isfinite(resid) & (np.abs(resid) <= self.outlier_z * scale)
            if np.array_equal(new, inlier):
                break
            inlier = new
        a, b, c = self._als(logt, inlier, week, wd, pos, w_wd, n_weeks)
        resid = logt - a[week] - b[wd] - c[pos]
        self.month_turn_effect_ = np.exp(c[:N_POS])
        self.anomalous_days_ = history.dates[usable & ~inlier]

        # 3. Level forecast: recency-weighted weekly levels, optional damped trend.
        has_week = np.isfinite(a)
        days_in_week = np.bincount(week[inlier], minlength=n_weeks).astype(float)
        kw = np.flatnonzero(has_week & (days_in_week > 0))
        if kw.size == 0:
            raise ForecastInputError("No ordinary day with data to learn a level from.")
        w_level = (
            _ew_weights((n_weeks - 1 - kw).astype(float) * self.level_block_weeks, self.level_halflife_weeks)
            * days_in_week[kw]
        )
        level = float(np.sum(w_level * a[kw]) / np.sum(w_level))
        slope = 0.0
        if self.trend_damping > 0 and kw.size >= 4:
            x = kw.astype(float)
            xm = float(np.sum(w_level * x) / np.sum(w_level))
            denom = float(np.sum(w_level * (x - xm) ** 2))
            if denom > 0:
                slope = float(np.sum(w_level * (x - xm) * (a[kw] - level)) / denom)
            # The weighted mean sits at week xm; move it to the last week before damping forward.
            level += slope * (n_weeks - 1 - xm)
        self.level_ = level
        self.slope_ = slope
        self.last_week_ = n_weeks - 1
        self.first_date_ = history.dates[0]
        self.weekday_effect_ = b
        # Smearing: E[exp(e)], so that exp(log-mean) is not biased low.
        # Over every ordinary day, outliers included: the mean total a day brings counts, not the
        # typical one (chosen on rolling daily backtests of the training data of both benchmarks).
        smear_days = usable & np.isfinite(resid)
        w_res = _ew_weights(age_weeks[smear_days], self.level_halflife_weeks * 2)
        self.smearing_ = (
            float(np.sum(w_res * np.exp(resid[smear_days])) / np.sum(w_res)) if smear_days.any() else 1.0
        )

        # 4. Event effects (shrunk per label towards the pooled effect of its kind).
        self.event_effects_ = self._event_effects(labels, total, a, b, week, wd)

        # 5. Yearly factor from the same season in earlier years (only with >= 2 years of history).
        use_yearly = self.yearly if self.yearly is not None else n >= 2 * 364
        self.yearly_curve_ = None
        if use_yearly and n >= 371:
            self.yearly_curve_ = self._yearly_curve(history, total, b, wd, inlier)
        self.history_end_ = history.dates[-1]

        # 6. Intraday profile on ordinary, inlying, mostly observed days.
        prof_days = inlier & (obs_count >= 0.5 * np.maximum(open_count, 1))
        w_prof = _ew_weights(age_weeks, self.profile_halflife_weeks)
        share = self._weekday_shares(values, total, obs, wd, prof_days, w_prof, n_slots)
        self.profile_ = self._shrink_and_smooth(share, history, prof_days, w_prof)
        return self

    @staticmethod
    def _als(
        logt: FloatArray,
        use: np.ndarray,
        week: np.ndarray,
        wd: np.ndarray,
        pos: np.ndarray,
        w: FloatArray,
        n_weeks: int,
    ) -> tuple[FloatArray, FloatArray, FloatArray]:
        """Alternating means for log T = a[week] + b[weekday] + c[month position].

        `c` has one extra, always-zero entry at index -1 for days off the month turn, and is
        shrunk towards zero by a few pseudo-days because each position is seen once a month.
        """
        b = np.zeros(7)
        c = np.zeros(N_POS + 1)
        a = np.full(n_weeks, np.nan)
        if not use.any():
            return a, np.full(7, np.nan), c
        ww = np.where(use, w, 0.0)
        cnt = np.bincount(week[use], minlength=n_weeks).astype(float)
        wsum = np.bincount(wd, weights=ww, minlength=7)
        on_turn = use & (pos >= 0)
        pcnt = np.bincount(pos[on_turn], minlength=N_POS + 1).astype(float)
        for _ in range(50):
            a_new = np.bincount(week[use], weights=(logt - b[wd] - c[pos])[use], minlength=n_weeks)
            a = np.where(cnt > 0, a_new / np.maximum(cnt, 1), np.nan)
            r = np.where(use, logt - np.nan_to_num(a[week]) - c[pos], 0.0)
            b_new = np.bincount(wd, weights=ww * r, minlength=7)
            b_next = np.where(wsum > 0, b_new / np.maximum(wsum, 1e-12), np.nan)
            present = np.isfinite(b_next)
            b_next[present] -= np.mean(b_next[present])
            b_next = np.where(present, b_next, np.nan)
            b_safe = np.nan_to_num(b_next)
            c_next = c
            if on_turn.any():
                rc = logt - np.nan_to_num(a[week]) - b_safe[wd]
                c_sum = np.bincount(pos[on_turn], weights=rc[on_turn], minlength=N_POS + 1)
                c_next = c_sum / (pcnt + 2.0)
                c_next[-1] = 0.0
            done = np.allclose(b_safe, np.nan_to_num(b), atol=1e-7) and np.allclose(c_next, c, atol=1e-7)
            b, c = b_next, c_next
            if done:
                break
        b_safe = np.nan_to_num(b)
        a_new = np.bincount(week[use], weights=(logt - b_safe[wd] - c[pos])[use], minlength=n_weeks)
        a = np.where(cnt > 0, a_new / np.maximum(cnt, 1), np.nan)
        return a, b, c

    @staticmethod
    def _weekday_shares(
        values: FloatArray,
        total: FloatArray,
        obs: np.ndarray,
        wd: np.ndarray,
        days: np.ndarray,
        weight: FloatArray,
        n_slots: int,
    ) -> FloatArray:
        """Weighted mean share of the daily total per (weekday, slot) — shape (7, slots)."""
        out = np.zeros((7, n_slots))
        sums = np.zeros((7, n_slots))
        hits = np.zeros((7, n_slots))
        rows = np.flatnonzero(days)
        if rows.size:
            share = values[rows] / total[rows, None]
            o = obs[rows].astype(float) * weight[rows, None]
            np.add.at(sums, wd[rows], np.where(obs[rows], share, 0.0) * o)
            np.add.at(hits, wd[rows], o)
            np.divide(sums, hits, out=out, where=hits > 0)
        return out

    def _shrink_and_smooth(
        self, share: FloatArray, history: DayData, days: np.ndarray, weight: FloatArray
    ) -> FloatArray:
        wd = history.weekday
        n_eff = np.array([weight[days & (wd == w)].sum() for w in range(7)])
        present = n_eff > 0
        norm = share / np.maximum(share.sum(axis=1, keepdims=True), 1e-12)
        out = norm.copy()
        for w in map(int, np.flatnonzero(present)):
            # Pool with weekdays whose shape is close (L1 distance of the normalised shares).
            dist = np.abs(norm[present] - norm[w]).sum(axis=1)
            peers = np.flatnonzero(present)[dist <= self.shape_similarity]
            pooled = np.average(norm[peers], axis=0, weights=n_eff[peers])
            out[w] = (n_eff[w] * norm[w] + self.profile_pool * pooled) / (n_eff[w] + self.profile_pool)
        if self.smooth > 0:
            k = self.smooth
            kernel = np.concatenate([np.arange(1, k + 2), np.arange(k, 0, -1)]).astype(float)
            active = np.zeros_like(out, dtype=bool)
            for w in range(7):
                rows = wd == w
                if rows.any():
                    active[w] = history.open[rows].mean(axis=0) >= 0.5
            num = np.array([np.convolve(out[w] * active[w], kernel, mode="same") for w in range(7)])
            den = np.array([np.convolve(active[w].astype(float), kernel, mode="same") for w in range(7)])
            smoothed = np.divide(num, den, out=np.zeros_like(num), where=den > 0)
            out = np.where(active, smoothed, out)
        out = np.clip(out, 0.0, None)
        return out / np.maximum(out.sum(axis=1, keepdims=True), 1e-12)

    def _event_effects(
        self,
        labels: tuple[str, ...],
        total: FloatArray,
        a: FloatArray,
        b: FloatArray,
        week: np.ndarray,
        wd: np.ndarray,
    ) -> dict[str, EventEffect]:
        logs: dict[str, list[float]] = {}
        for i, label in enumerate(labels):
            if not label:
                continue
            logs.setdefault(label, [])
            if np.isfinite(total[i]) and np.isfinite(a[week[i]]) and np.isfinite(b[wd[i]]):
                logs[label].append(
                    math.log(max(total[i], 1e-3 * math.exp(a[week[i]]))) - a[week[i]] - b[wd[i]]
                )
        effects: dict[str, EventEffect] = {}
        self.pooled_effects_: dict[str, float] = {}

        def kind(label: str) -> str:
            if label.startswith(HOLIDAY_PREFIX):
                return "holiday"
            if label.startswith(EVE_PREFIX):
                return EVE_PREFIX
            return label if label == AFTER_HOLIDAY else "special"

        for group_kind in ("holiday", AFTER_HOLIDAY, EVE_PREFIX, "special"):
            group = {k: v for k, v in logs.items() if kind(k) == group_kind}
            everything = [x for v in group.values() for x in v]
            # Pooled effect of the kind, itself shrunk towards "no effect" by one pseudo-observation.
            pooled = sum(everything) / (len(everything) + 1.0)
            if everything:
                self.pooled_effects_[group_kind] = math.exp(pooled)
            for label, vals in group.items():
                k = 0.5
                effect = (sum(vals) + k * pooled) / (len(vals) + k) if vals else pooled
                effects[label] = EventEffect(label, math.exp(effect), len(vals))
        self.pooled_holiday_ = math.exp(
            sum(x for k, v in logs.items() if k.startswith(HOLIDAY_PREFIX) for x in v)
            / (sum(len(v) for k, v in logs.items() if k.startswith(HOLIDAY_PREFIX)) + 1.0)
        )
        return effects

    def _yearly_curve(
        self, history: DayData, total: FloatArray, b: FloatArray, wd: np.ndarray, inlier: np.ndarray
    ) -> FloatArray:
        """Deseasonalised daily level (28-day centred mean over inliers), indexed by day since start."""
        n = history.n_days
        x = np.where(inlier, total / np.exp(np.nan_to_num(b[wd])), 0.0)
        c = inlier.astype(float)
        kernel = np.ones(29)
        num = np.convolve(x, kernel, mode="same")
        den = np.convolve(c, kernel, mode="same")
        with np.errstate(invalid="ignore", divide="ignore"):
            curve = np.where(den >= 5, num / den, np.nan)
        return curve[:n]

    def _yearly_factor(self, future: DayData) -> FloatArray:
        ones = np.ones(future.n_days)
        if self.yearly_curve_ is None:
            return ones
        curve = self.yearly_curve_
        n = curve.size
        end = n - 1
        anchor_back = 14  # the recent level is centred about two weeks before the end
        out = ones.copy()
        offset = (future.dates.astype("datetime64[D]") - self.history_end_).astype(np.int64)
        for i, off in enumerate(offset):
            ratios = []
            for years in (1, 2, 3):
                lag = 364 * years
                now_idx = end - anchor_back - lag
                then_idx = end + off - lag
                if now_idx < 0 or then_idx < 0 or then_idx >= n:
                    continue
                if np.isfinite(curve[now_idx]) and np.isfinite(curve[then_idx]) and curve[now_idx] > 0:
                    ratios.append(math.log(curve[then_idx] / curve[now_idx]))
            if ratios:
                out[i] = math.exp(float(np.mean(ratios)))
        return out

    # ------------------------------------------------------------------------------- predict
    def daily_totals(self, future: DayData) -> FloatArray:
        """Expected daily totals (24-hour equivalent) of the given future days."""
        self._check_fitted("profile_")
        week = level_blocks(future.dates, self.first_date_, self.level_block_weeks)
        ahead = np.maximum(week - self.last_week_, 0).astype(float)
        phi = self.trend_damping
        # Σ_{h=1..k} φ^h: the damped trend's cumulative effect k weeks ahead.
        trend = self.slope_ * phi * (1 - phi**ahead) / (1 - phi) if phi > 0 else np.zeros_like(ahead)
        b = self.weekday_effect_[future.weekday]
        log_total = self.level_ + trend + np.nan_to_num(b, nan=-np.inf)
        if self.month_turn or self.month_phase:
            holidays = self.holiday_dates_ | frozenset(
                future.dates[i] for i, label in enumerate(future.labels) if label.startswith(HOLIDAY_PREFIX)
            )
            pos = month_position(
                future.dates, self.open_weekdays_, holidays, self.month_turn, self.month_phase
            )
            log_total = log_total + np.where(pos >= 0, np.log(self.month_turn_effect_[pos]), 0.0)
        labels = future.labels
        if self.after_holiday:
            holidays_all = self.holiday_dates_ | frozenset(
                future.dates[i] for i, label in enumerate(future.labels) if label.startswith(HOLIDAY_PREFIX)
            )
            labels = with_after_holiday(labels, future.dates, self.business_weekdays_, holidays_all)
        if self.holiday_eve:
            known = {**self.holiday_labels_, **holiday_label_map((future.dates, future.labels))}
            labels = with_holiday_eves(labels, future.dates, known)
        events = np.ones(future.n_days)
        for i, label in enumerate(labels):
            if not label:
                continue
            effect = self.event_effects_.get(label)
            if effect is not None:
                events[i] = effect.multiplier
            elif label.startswith(HOLIDAY_PREFIX):
                events[i] = self.pooled_holiday_
            elif label.startswith(EVE_PREFIX) and EVE_PREFIX in self.pooled_effects_:
                events[i] = self.pooled_effects_[EVE_PREFIX]
        with np.errstate(over="ignore"):
            return np.exp(log_total) * self.smearing_ * events * self._yearly_factor(future)

    def predict(self, future: DayData) -> FloatArray:
        totals = self.daily_totals(future)
        prof = self.profile_[future.weekday] * future.open
        return totals[:, None] * prof


class EventAdjusted(DayModel):
    """Gives a model without calendar events the event effects learned by the top-down model.

    On a labelled future day (holiday, campaign …) the base forecast is multiplied by the ratio of
    the reference model's daily total with and without the label.
    """

    def __init__(self, base: DayModel, reference: DailyTotalsTimesProfile | None = None) -> None:
        self.base = base
        self.reference = reference

    @property
    def name(self) -> str:  # type: ignore[override]
        return self.base.name

    def fit(self, history: DayData) -> EventAdjusted:
        self._check_history(history)
        self.base_ = self.base.fit(history)
        self.reference_ = (self.reference or DailyTotalsTimesProfile()).fit(history)
        return self

    def predict(self, future: DayData) -> FloatArray:
        self._check_fitted("base_")
        forecast = self.base_.predict(future)
        if not any(future.labels):
            return forecast
        plain = DayData(
            future.dates, future.values, future.open, ("",) * future.n_days, future.interval_minutes
        )
        with np.errstate(invalid="ignore", divide="ignore"):
            ratio = self.reference_.daily_totals(future) / self.reference_.daily_totals(plain)
        ratio = np.where(np.isfinite(ratio), ratio, 1.0)
        return forecast * ratio[:, None]
