"""Does combining daily-level forecasts help Aspa's forecaster? (issue #3, point 3; rejected)

Each candidate keeps Aspa's forecast of every day's intraday shape and only replaces the day's
total: Aspa's own, a Holt-Winters model of the log daily totals (weekly seasonality, damped trend,
errors clipped at 3 robust sigmas, public holidays and their neighbours skipped, their effect taken
from Aspa's learned event ratio; parameters by a grid over one-step or 1-28-step log error), the
mean of the last 4 same-weekday totals, and averages of Aspa with them. `--inner` adds the weight of
the Holt-Winters model (0, 0.25, 0.5, 0.75) picked by each window's own inner backtest (origins 28,
42, 56 days before the window; costs three more forecaster fits per window).

Windows: 8 stand-in 4-week windows inside training (origins 126, 112, ... 28 days before the test
start), pooled, then the test window, which was looked at only after the decision was made.

    uv run python bench/forecast_combine.py            # about 3 minutes on a shared 2-core machine
    uv run python bench/forecast_combine.py --inner    # about 8 minutes
"""

from __future__ import annotations

import argparse
import itertools
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt

sys.path.insert(0, str(Path(__file__).resolve().parent))

import forecast as bench

from aspa.engine.forecasting import Forecaster, TunedDailyProfile
from aspa.engine.forecasting.data import DayData
from aspa.engine.forecasting.models import DayModel

FloatArray = npt.NDArray[np.float64]
STAND_INS = (126, 112, 98, 84, 70, 56, 42, 28)
INNER = (28, 42, 56)
WEIGHTS = (0.0, 0.25, 0.5, 0.75)
GRID = np.array(
    [
        p
        for p in itertools.product(
            (0.02, 0.05, 0.1, 0.2, 0.3, 0.5), (0.0, 0.01, 0.03), (0.0, 0.05, 0.1, 0.2, 0.3), (0.8, 0.9, 0.98)
        )
        if p[1] <= p[0]
    ]
)


def log_totals(history: DayData) -> tuple[FloatArray, npt.NDArray[np.int64], list[int]]:
    """Log daily totals of the open weekdays; NaN on missing, partial or labelled (holiday) days."""
    open_wd = sorted(int(w) for w in np.unique(history.weekday[history.open.any(axis=1)]))
    keep = np.isin(history.weekday, open_wd)
    obs = history.observed()
    whole = (obs.sum(axis=1) == history.open.sum(axis=1)) & (history.open.sum(axis=1) > 0)
    total = np.where(obs, history.values, 0.0).sum(axis=1)
    labelled = np.array([bool(label) for label in history.labels])
    y = np.where(whole & (total > 0) & ~labelled, np.log(np.maximum(total, 1e-9)), np.nan)
    return y[keep], history.weekday[keep], open_wd


def holt_winters(
    y: FloatArray, wd: npt.NDArray[np.int64], future_wd: npt.NDArray[np.int64], multi: bool
) -> FloatArray:
    """Damped-trend additive Holt-Winters on log totals, all grid settings run side by side."""
    n, k = y.size, GRID.shape[0]
    alpha, beta, gamma, phi = GRID.T
    seen = np.flatnonzero(np.isfinite(y))[:14]
    level0 = float(np.mean(y[seen]))
    season = np.zeros((k, 7))
    for w in range(7):
        rows = seen[wd[seen] == w]
        if rows.size:
            season[:, w] = np.mean(y[rows]) - level0
    diffs = (y[7:] - y[:-7])[np.isfinite(y[7:] - y[:-7])]
    sigma = max(1.4826 * float(np.median(np.abs(diffs - np.median(diffs)))) / np.sqrt(2), 0.01)
    level, trend = np.full(k, level0), np.zeros(k)
    states: list[tuple[FloatArray, FloatArray, FloatArray]] = []
    errors = np.full((n, k), np.nan)
    for t in range(n):
        states.append((level.copy(), trend.copy(), season.copy()))
        if np.isfinite(y[t]):
            e = y[t] - (level + phi * trend + season[:, wd[t]])
            errors[t] = e
            e = np.clip(e, -3 * sigma, 3 * sigma)
            level, trend = level + phi * trend + alpha * e, phi * trend + beta * e
            season[:, wd[t]] += gamma * e
        else:
            level, trend = level + phi * trend, phi * trend
    if multi:
        loss = np.zeros(k)
        cum = np.cumsum(phi[None, :] ** np.arange(1, 29)[:, None], axis=0)  # (28, k)
        for t in range(14, n - 1):
            targets = np.arange(t, min(t + 28, n))
            targets = targets[np.isfinite(y[targets])]
            lv, tr, se = states[t]
            pred = lv[None] + cum[targets - t] * tr[None] + se[:, wd[targets]].T
            loss += np.minimum(np.abs(y[targets, None] - pred), 3 * sigma).sum(axis=0)
    else:
        loss = np.nansum(np.clip(errors[14:], -3 * sigma, 3 * sigma) ** 2, axis=0)
    best = int(np.argmin(loss))
    lv, tr, se = level[best], trend[best], season[best]
    steps = np.arange(1, future_wd.size + 1)
    cum_best = np.cumsum(phi[best] ** steps)
    resid = errors[:, best][np.isfinite(errors[:, best])][-112:]
    resid = resid[np.abs(resid) <= 3 * sigma]
    smear = float(np.mean(np.exp(resid))) if resid.size else 1.0
    return np.exp(lv + cum_best * tr + se[future_wd]) * smear


def future_totals(history: DayData, dates: npt.NDArray[np.datetime64], method: str) -> FloatArray:
    """Daily totals of `dates` (after the history) from `method`: 'hw-one', 'hw-multi' or 'recent4'."""
    y, wd, open_wd = log_totals(history)
    end = history.dates[-1]
    span = end + np.arange(1, int((dates[-1] - end).astype(np.int64)) + 1).astype("timedelta64[D]")
    span_wd = (span.astype(np.int64) + 3) % 7
    is_open = np.isin(span_wd, open_wd)
    out = np.zeros(span.size)
    if method == "recent4":
        for i in np.flatnonzero(is_open):
            same = y[wd == span_wd[i]]
            same = same[np.isfinite(same)][-4:]
            out[i] = float(np.exp(same).mean()) if same.size else 0.0
    else:
        out[is_open] = holt_winters(y, wd, span_wd[is_open], multi=method == "hw-multi")
    return out[(dates - span[0]).astype(np.int64)]


def tuned_member(model: DayModel) -> TunedDailyProfile:
    if isinstance(model, TunedDailyProfile):
        return model
    for member in getattr(model, "members_", []):
        found = tuned_member(getattr(member, "base_", member))
        if found is not None:
            return found
    raise LookupError("the forecaster chose no top-down model")


@dataclass(frozen=True)
class Window:
    forecast: FloatArray  # Aspa's day × slot forecast
    actual: FloatArray
    dates: npt.NDArray[np.datetime64]
    history: DayData  # what the forecaster was fitted on
    ratio: FloatArray  # Aspa's event multiplier of each day (1 on ordinary days)
    labelled: npt.NDArray[np.bool_]


def fit_window(s: bench.Split, ds: bench.Dataset, cut: int, end: int) -> Window:
    """Aspa fitted on the days before `cut`, its forecast of [cut, end) and the event ratio."""
    start = s.full.dates[cut]
    keep = s.train_stamps.astype("datetime64[D]") < start
    forecaster = Forecaster(interval_minutes=ds.interval, tz=ds.tz, holiday_country=ds.country)
    forecaster.fit(s.train_stamps[keep], s.train_counts[keep])
    window = s.full.slice(cut, end)
    forecast = forecaster.predict_days(window.dates.astype(object))
    history = forecaster.history_
    span = history.dates[-1] + np.arange(
        1, int((window.dates[-1] - history.dates[-1]).astype(np.int64)) + 1
    ).astype("timedelta64[D]")
    slots = 24 * 60 // ds.interval
    future = forecaster._apply_inferred_closure(
        forecaster._day_data(span, np.full((span.size, slots), np.nan), ds.interval)
    )
    plain = DayData(future.dates, future.values, future.open, ("",) * future.n_days, ds.interval)
    try:
        tuned = tuned_member(forecaster.model_)
        with np.errstate(invalid="ignore", divide="ignore"):
            ratio = tuned.daily_totals(future) / tuned.daily_totals(plain)
        ratio = np.where(np.isfinite(ratio), ratio, 1.0)
    except LookupError:
        ratio = np.ones(span.size)
    idx = (window.dates - span[0]).astype(np.int64)
    labels = np.array([bool(label) for label in future.labels])[idx]
    return Window(forecast, window.values, window.dates, history, ratio[idx], labels)


def rescale(forecast: FloatArray, totals: FloatArray) -> FloatArray:
    own = forecast.sum(axis=1)
    return forecast * np.divide(totals, own, out=np.ones_like(own), where=own > 0)[:, None]


def inner_weight(s: bench.Split, ds: bench.Dataset, cut: int, method: str) -> float:
    """The Holt-Winters weight with the lowest daily-total WAPE on the window's own inner backtest."""
    err = dict.fromkeys(WEIGHTS, 0.0)
    for back in INNER:
        w = fit_window(s, ds, cut - back, min(cut - back + 28, cut))
        own = w.forecast.sum(axis=1)
        hw = future_totals(w.history, w.dates, method)
        y = np.nansum(w.actual, axis=1)
        use = (y > 0) & ~w.labelled
        for weight in WEIGHTS:
            err[weight] += float(np.abs((1 - weight) * own + weight * hw - y)[use].sum())
    return min(err, key=lambda k: err[k])


def pooled(windows: list[tuple[FloatArray, FloatArray]], interval: int) -> tuple[float, float, list[float]]:
    num = num30 = den = 0.0
    per: list[float] = []
    for forecast, actual in windows:
        scored = np.isfinite(actual)
        y, f = np.where(scored, actual, 0.0), np.where(scored, np.clip(forecast, 0.0, None), 0.0)
        y30, f30 = bench.bucket_30(y, interval, scored), bench.bucket_30(f, interval, scored)
        num += float(np.abs(f - y).sum())
        num30 += float(np.abs(f30 - y30).sum())
        den += float(y.sum())
        per.append(float(np.abs(f30 - y30).sum() / y.sum()))
    return num / den, num30 / den, per


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--inner", action="store_true", help="add the inner-backtest-picked weight (slow)")
    args = parser.parse_args()
    for ds in bench.DATASETS:
        stamps, counts = bench.read_series(bench.benchmarks_dir() / "contact-volume" / ds.path)
        s = bench.split(stamps, counts, ds.interval)
        results: dict[int, dict[str, FloatArray]] = {}
        actual: dict[int, FloatArray] = {}
        for back in (*STAND_INS, 0):
            cut = s.cut - back
            w = fit_window(s, ds, cut, cut + 28)
            forecast, ratio = w.forecast, w.ratio
            own = forecast.sum(axis=1)
            hw_one = future_totals(w.history, w.dates, "hw-one") * ratio
            hw_multi = future_totals(w.history, w.dates, "hw-multi") * ratio
            recent = future_totals(w.history, w.dates, "recent4") * ratio
            results[back] = {
                "aspa": forecast,
                "HW one-step alone": rescale(forecast, hw_one),
                "mean(aspa, HW one-step)": rescale(forecast, (own + hw_one) / 2),
                "mean(aspa, HW 1-28 step)": rescale(forecast, (own + hw_multi) / 2),
                "0.75 aspa + 0.25 HW 1-28": rescale(forecast, 0.75 * own + 0.25 * hw_multi),
                "mean(aspa, recent 4 wk)": rescale(forecast, (own + recent) / 2),
            }
            if args.inner:
                weight = inner_weight(s, ds, cut, "hw-one")
                results[back]["inner-picked w, HW one-step"] = rescale(
                    forecast, (1 - weight) * own + weight * hw_one
                )
            actual[back] = w.actual
        print(f"\n{ds.name}: pooled over {len(STAND_INS)} stand-in windows | test window (looked at last)")
        print(
            f"{'candidate':30s} {'WAPE':>7s} {'WAPE30':>7s}  {'per-window WAPE30':52s} {'test':>7s} {'test30':>7s}"
        )
        for name in results[0]:
            wape, wape30, per = pooled([(results[b][name], actual[b]) for b in STAND_INS], ds.interval)
            t_wape, t_wape30, _ = pooled([(results[0][name], actual[0])], ds.interval)
            print(
                f"{name:30s} {wape:7.2%} {wape30:7.2%}  {' '.join(f'{p:.3f}' for p in per):52s} "
                f"{t_wape:7.2%} {t_wape30:7.2%}"
            )
    print("\nreproduce: uv run python bench/forecast_combine.py" + (" --inner" if args.inner else ""))


if __name__ == "__main__":
    main()
