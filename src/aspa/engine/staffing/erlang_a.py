"""Erlang A (M/M/N+M): Erlang C with customers who hang up after an exponential patience.

The model is the exact birth-death chain: state N + k (k >= 0 waiting) leaves downward at rate
N mu + k theta, with mu = 1 / AHT and theta = 1 / mean patience. Its stationary distribution is
written relative to the state "N busy, nobody waiting" as two series,

- below N: ``s_i = prod_{l<i} (N - l) / A`` for N - i busy agents (these sum to 1 / ErlangB - 1),
- above N: ``t_k = prod_{i=1..k} A / (N + i gamma)`` with gamma = theta / mu = AHT / patience,

summed in log space (so nothing overflows, even at 2,000 Erlangs) block by block until the
remaining terms are below 1e-22 of the sum. Truncating the queue there is the only approximation.

A contact arriving with k contacts ahead is answered with probability ``N / (N + (k + 1) gamma)``
and, if answered, waits a sum of exponential stages of rates ``N + (i + 1) gamma`` (i = k .. 0),
since every contact ahead either starts service or hangs up. Integrating that over the
virtual-waiting-time density of Zeltyn & Mandelbaum gives the share answered within T in closed form
in the same two series (no numerical integration):

    P(answered, 0 < W <= T) = pi_N [sum_k w_k t_k - exp(E_T) sum_k w_k t_k exp(-k gamma tau)]

with ``w_k = N / (N + (k + 1) gamma)``, tau = T / AHT and
``E_T = (A / gamma) (1 - exp(-gamma tau)) - (N + gamma) tau``.

Service level convention: **answered within T among all arriving contacts**; contacts that hang up
count against it whenever they hang up (also within T). ASA is the mean wait of answered contacts.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from aspa.engine.staffing import errors
from aspa.engine.staffing._arrays import FloatArray, IntArray, as_agents, broadcast, check, frozen
from aspa.engine.staffing._targets import Targets, parse_targets
from aspa.engine.staffing.results import QueueMetrics, StaffingRequirement
from aspa.engine.staffing.shrinkage import scheduled_agents

# Terms below exp(-50) (2e-22) of the running sum, and past the series' peak, are dropped.
_LOG_CUTOFF = 50.0
_FIRST_BLOCK = 64
_MAX_BLOCK = 1024
_ROW_CHUNK = 2048
# A series longer than this means patience is so long that Erlang C is the model to use.
MAX_SERIES_TERMS = 2_000_000
_SEARCH_SIGMAS = 60.0
_SEARCH_SLACK = 1000


def _lse_rows(x: FloatArray) -> FloatArray:
    """Row-wise log(sum(exp(x))) of a 2-D array, -inf for rows that are all -inf."""
    top = x.max(axis=1)
    shift = np.where(np.isfinite(top), top, 0.0)
    with np.errstate(divide="ignore"):
        return shift + np.log(np.exp(x - shift[:, None]).sum(axis=1))


def _below_series(n: FloatArray, a: FloatArray) -> FloatArray:
    """log sum_{i=1..N} prod_{l<i} (N - l) / A: the states with idle agents, relative to state N."""
    rows = n.shape[0]
    acc = np.full(rows, -np.inf)
    last = np.zeros(rows)
    out = np.full(rows, -np.inf)
    active = np.arange(rows)
    start, width = 0, _FIRST_BLOCK
    log_a = np.log(a)
    while active.size:
        ll = np.arange(start, start + width, dtype=np.float64)
        with np.errstate(divide="ignore", invalid="ignore"):
            inc = np.log(np.maximum(n[active, None] - ll[None, :], 0.0)) - log_a[active, None]
        terms = last[active, None] + np.cumsum(inc, axis=1)
        acc[active] = np.logaddexp(acc[active], _lse_rows(terms))
        last[active] = terms[:, -1]
        start += width
        width = min(2 * width, _MAX_BLOCK)
        # Past the peak once N - l < A; the factor is 0 (log -inf) once l reaches N.
        done = (n[active] - start < a[active]) & (last[active] < acc[active] - _LOG_CUTOFF)
        done |= n[active] <= start
        out[active[done]] = acc[active[done]]
        active = active[~done]
    return out


def _above_series(n: FloatArray, a: FloatArray, gamma: FloatArray, tau: FloatArray) -> dict[str, FloatArray]:
    """Log sums over the waiting states N + k, k >= 0, relative to state N.

    t0: sum t_k (all agents busy); t1: sum k t_k (mean queue); u: sum w_k t_k (answered after waiting);
    v: sum w_k t_k exp(-k gamma tau) (the service-level correction); wh: sum w_k h_k t_k (answered wait).
    """
    rows = n.shape[0]
    names = ("t0", "t1", "u", "v", "wh")
    acc = {name: np.full(rows, -np.inf) for name in names}
    last_t = np.zeros(rows)
    last_h = np.zeros(rows)
    active = np.arange(rows)
    start, width = 0, _FIRST_BLOCK
    with np.errstate(divide="ignore"):
        log_a, log_n = np.log(a), np.log(n)
    while active.size:
        if start > MAX_SERIES_TERMS:
            raise errors.ConvergenceError(errors.SERIES_NOT_CONVERGED.format(terms=MAX_SERIES_TERMS))
        kk = np.arange(start, start + width, dtype=np.float64)
        nn, gg = n[active, None], gamma[active, None]
        stage = nn + (kk[None, :] + 1.0) * gg  # rate of the stage with k ahead: N + (k + 1) gamma
        with np.errstate(divide="ignore"):
            inc = log_a[active, None] - np.log(nn + kk[None, :] * gg)
        if start == 0:
            inc[:, 0] = 0.0  # t_0 = 1: the state with every agent busy and nobody waiting
        log_t = last_t[active, None] + np.cumsum(inc, axis=1)
        h = last_h[active, None] + np.cumsum(1.0 / stage, axis=1)
        with np.errstate(divide="ignore"):
            log_w = log_n[active, None] - np.log(stage)
            log_k = np.log(kk)[None, :]
            log_h = np.log(h)
        answered = log_t + log_w
        blocks = {
            "t0": log_t,
            "t1": log_t + log_k,
            "u": answered,
            "v": answered - kk[None, :] * (gg * tau[active, None]),
            "wh": answered + log_h,
        }
        for name in names:
            acc[name][active] = np.logaddexp(acc[name][active], _lse_rows(blocks[name]))
        last_t[active] = log_t[:, -1]
        last_h[active] = h[:, -1]
        start += width
        width = min(2 * width, _MAX_BLOCK)
        # Past the peak once N + k gamma > A; k t_k then falls too, since the cutoff has room for log k.
        past = n[active] + start * gamma[active] > a[active]
        done = past & (last_t[active] + np.log(start) < acc["t0"][active] - _LOG_CUTOFF)
        active = active[~done]
    return acc


def _erlang_a_flat(
    n: IntArray, a: FloatArray, aht: FloatArray, patience: FloatArray, target: FloatArray
) -> dict[str, FloatArray]:
    """Erlang A metrics for 1-D arrays, in row chunks to bound memory."""
    size = n.shape[0]
    out = {name: np.empty(size) for name in ("wait", "sl", "asa", "occ", "ab")}
    for lo in range(0, size, _ROW_CHUNK):
        part = slice(lo, min(lo + _ROW_CHUNK, size))
        values = _erlang_a_chunk(n[part].astype(np.float64), a[part], aht[part], patience[part], target[part])
        for name, value in values.items():
            out[name][part] = value
    return out


def _erlang_a_chunk(
    n: FloatArray, a: FloatArray, aht: FloatArray, patience: FloatArray, target: FloatArray
) -> dict[str, FloatArray]:
    idle = a == 0
    a = np.where(idle, 1.0, a)  # computed on a dummy load, overwritten below
    gamma = aht / patience
    tau = target / aht
    below = _below_series(n, a)
    above = _above_series(n, a, gamma, tau)
    log_z = np.logaddexp(below, above["t0"])
    wait = np.exp(above["t0"] - log_z)
    abandon = np.minimum(gamma / a * np.exp(above["t1"] - log_z), 1.0)
    served = 1.0 - abandon
    exponent = (a / gamma) * -np.expm1(-gamma * tau) - (n + gamma) * tau
    late = np.exp(above["u"] - log_z) - np.exp(exponent + above["v"] - log_z)
    sl = np.clip(1.0 - wait + late, 0.0, 1.0)
    with np.errstate(divide="ignore", invalid="ignore"):
        asa = np.where(served > 0, aht * np.exp(above["wh"] - log_z) / served, np.inf)
        occ = np.where(n > 0, np.minimum(a * served / n, 1.0), 0.0)
    return {
        "wait": np.where(idle, 0.0, wait),
        "sl": np.where(idle, 1.0, sl),
        "asa": np.where(idle, 0.0, asa),
        "occ": np.where(idle, 0.0, occ),
        "ab": np.where(idle, 0.0, abandon),
    }


def _to_metrics(shape: tuple[int, ...], n: IntArray, a: FloatArray, v: dict[str, FloatArray]) -> QueueMetrics:
    return QueueMetrics(
        agents=frozen(n, shape),
        load=frozen(a, shape),
        wait_probability=frozen(v["wait"], shape),
        service_level=frozen(v["sl"], shape),
        asa_seconds=frozen(v["asa"], shape),
        occupancy=frozen(v["occ"], shape),
        abandonment=frozen(v["ab"], shape),
    )


def erlang_a_metrics(
    *,
    agents: npt.ArrayLike,
    load: npt.ArrayLike,
    aht_seconds: npt.ArrayLike,
    patience_seconds: npt.ArrayLike,
    target_seconds: npt.ArrayLike = 20.0,
) -> QueueMetrics:
    """Performance of M/M/N+M (Erlang A) with ``agents`` answering ``load`` Erlangs.

    ``patience_seconds`` is the mean of the exponential time a caller waits before hanging up.
    The queue is stable for any N, including N <= A: impatient callers keep it finite.

    - wait_probability: an arriving contact finds every agent busy;
    - service_level: share of **all arriving contacts** that are answered within ``target_seconds``
      (hang-ups count as missed, whenever they happen);
    - asa_seconds: mean wait of answered contacts (immediate answers count as 0). The mean wait of
      all arrivals, hang-ups included (what pyworkforce's development ErlangA calls ASA), is
      ``abandonment * patience_seconds`` by Little's law;
    - abandonment: share of arriving contacts that hang up, ``theta E[queue] / lambda``;
    - occupancy: answered load over agents, ``A (1 - abandonment) / N``.

    With no load: wait 0, service level 1, ASA 0, occupancy 0, abandonment 0.

    Raises:
        StaffingInputError: an input is outside its domain.
        ConvergenceError: the queue series needs more than MAX_SERIES_TERMS terms.
    """
    shape, flat = broadcast(
        agents=agents, load=load, aht=aht_seconds, patience=patience_seconds, target=target_seconds
    )
    n_raw, a, aht = flat["agents"], flat["load"], flat["aht"]
    patience, target = flat["patience"], flat["target"]
    assert n_raw is not None and a is not None and aht is not None
    assert patience is not None and target is not None
    n = as_agents(n_raw)
    check(a, np.isfinite(a) & (a >= 0), errors.LOAD_INVALID)
    check(aht, np.isfinite(aht) & (aht > 0), errors.AHT_INVALID)
    check(patience, np.isfinite(patience) & (patience > 0), errors.PATIENCE_INVALID)
    check(target, np.isfinite(target) & (target >= 0), errors.TARGET_SECONDS_INVALID)
    return _to_metrics(shape, n, a, _erlang_a_flat(n, a, aht, patience, target))


def _meets(targets: dict[str, FloatArray | None], values: dict[str, FloatArray]) -> npt.NDArray[np.bool_]:
    ok = np.ones(values["sl"].shape[0], dtype=bool)
    if targets["service_level"] is not None:
        ok &= values["sl"] >= targets["service_level"]
    if targets["asa_seconds"] is not None:
        ok &= values["asa"] <= targets["asa_seconds"]
    if targets["max_occupancy"] is not None:
        ok &= values["occ"] <= targets["max_occupancy"]
    if targets["max_abandonment"] is not None:
        ok &= values["ab"] <= targets["max_abandonment"]
    return ok


def _evaluate(targets: Targets, rows: IntArray, n: IntArray) -> npt.NDArray[np.bool_]:
    cols = targets.take(rows)
    a, aht, patience = cols["load"], cols["aht"], cols["patience"]
    assert a is not None and aht is not None and patience is not None
    t = cols["target_seconds"] if cols["target_seconds"] is not None else np.zeros_like(a)
    return _meets(cols, _erlang_a_flat(n, a, aht, patience, t))


def _search(targets: Targets) -> IntArray:
    """Smallest N >= 1 meeting every target: galloping upward, then bisection, all intervals at once.

    Every metric improves with N, so feasibility is monotone. The bracket starts from necessary
    conditions: at most N contacts are answered per mean handle time, so service level s needs
    N >= s A and an abandonment cap m needs N >= (1 - m) A.
    """
    a = targets.load
    bound = np.zeros_like(a)
    if targets.service_level is not None:
        bound = np.maximum(bound, targets.service_level * a)
    if targets.max_abandonment is not None:
        bound = np.maximum(bound, (1.0 - targets.max_abandonment) * a)
    lo = np.maximum(np.ceil(bound) - 1.0, 0.0).astype(np.int64)  # known to fail (or 0 with load)
    hi = np.maximum(lo + 1, np.floor(a).astype(np.int64) + 1)
    step = np.maximum(np.ceil(np.sqrt(a)), 1.0).astype(np.int64)
    limit = a + _SEARCH_SIGMAS * np.sqrt(a) + _SEARCH_SLACK
    result = np.zeros(a.shape[0], dtype=np.int64)
    rows = np.flatnonzero(a > 0)
    lo, hi, step, limit = lo[rows], hi[rows], step[rows], limit[rows]
    pending = np.ones(rows.size, dtype=bool)
    while pending.any():
        idx = np.flatnonzero(pending)
        ok = _evaluate(targets, rows[idx], hi[idx])
        fail = idx[~ok]
        if np.any(hi[fail] > limit[fail]):
            raise errors.ConvergenceError(errors.SEARCH_NOT_CONVERGED.format(agents=int(np.max(hi[fail]))))
        lo[fail] = hi[fail]
        hi[fail] += step[fail]
        step[fail] *= 2
        pending[idx[ok]] = False
    while True:
        idx = np.flatnonzero(hi - lo > 1)
        if not idx.size:
            break
        mid = (lo[idx] + hi[idx]) // 2
        ok = _evaluate(targets, rows[idx], mid)
        hi[idx[ok]] = mid[ok]
        lo[idx[~ok]] = mid[~ok]
    result[rows] = hi
    return result


def erlang_a_required_agents(
    *,
    load: npt.ArrayLike,
    aht_seconds: npt.ArrayLike,
    patience_seconds: npt.ArrayLike,
    service_level: npt.ArrayLike | None = None,
    target_seconds: npt.ArrayLike | None = None,
    asa_seconds: npt.ArrayLike | None = None,
    max_occupancy: npt.ArrayLike | None = None,
    max_abandonment: npt.ArrayLike | None = None,
    shrinkage: npt.ArrayLike = 0.0,
) -> StaffingRequirement:
    """Smallest number of agents per interval meeting every target given, under Erlang A.

    Targets as in :func:`erlang_c_required_agents`, plus ``max_abandonment`` (share of contacts
    hanging up, at most this). Service level follows the convention of :func:`erlang_a_metrics`:
    answered within T among all arriving contacts. N may be below the load, since callers who hang
    up relieve the queue; an interval with load needs at least one agent, one without needs 0.

    Raises:
        NoTargetError: no target was given.
        StaffingInputError: an input is outside its domain (``patience_seconds`` is required).
        ConvergenceError: a target needs more than ``load + 60 sqrt(load) + 1000`` agents.
    """
    if patience_seconds is None:
        raise errors.StaffingInputError(errors.PATIENCE_INVALID)
    targets = parse_targets(
        load=load,
        aht_seconds=aht_seconds,
        service_level=service_level,
        target_seconds=target_seconds,
        asa_seconds=asa_seconds,
        max_occupancy=max_occupancy,
        max_abandonment=max_abandonment,
        patience_seconds=patience_seconds,
        shrinkage=shrinkage,
    )
    raw = _search(targets)
    patience = targets.patience
    assert patience is not None
    report_target = (
        targets.target_seconds if targets.target_seconds is not None else np.zeros_like(targets.load)
    )
    values = _erlang_a_flat(raw, targets.load, targets.aht, patience, report_target)
    return StaffingRequirement(
        raw_agents=frozen(raw, targets.shape),
        scheduled_agents=scheduled_agents(raw, targets.shrinkage).reshape(targets.shape),
        shrinkage=frozen(targets.shrinkage, targets.shape),
        metrics=_to_metrics(targets.shape, raw, targets.load, values),
    )
