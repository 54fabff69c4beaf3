"""Erlang B and Erlang C (M/M/N): blocking, waiting, service level, ASA, occupancy, required agents.

Everything is vectorised: inputs broadcast against each other, one value per interval comes back.
Erlang B uses the recursion ``B_k = A B_{k-1} / (k + A B_{k-1})``: every iterate lies in (0, 1], so it
cannot overflow, and an error in one step shrinks in the next, which keeps it exact to rounding for
loads of thousands of Erlangs. No factorials, no powers, no rounding before the final comparison.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from aspa.engine.staffing import errors
from aspa.engine.staffing._arrays import FloatArray, IntArray, as_agents, broadcast, check, frozen
from aspa.engine.staffing._targets import Targets, occupancy_floor, parse_targets
from aspa.engine.staffing.results import QueueMetrics, StaffingRequirement
from aspa.engine.staffing.shrinkage import scheduled_agents

# Searches stop with ConvergenceError beyond load + this many standard deviations (sqrt(load)) + slack;
# an 80/20 target needs about 1-3, a 99.9/0 target about 4.
_SEARCH_SIGMAS = 60.0
_SEARCH_SLACK = 1000


def offered_load(
    contacts: npt.ArrayLike, aht_seconds: npt.ArrayLike, interval_seconds: npt.ArrayLike
) -> FloatArray:
    """Offered load in Erlangs: ``contacts * aht_seconds / interval_seconds`` (100 calls x 180 s / 30 min = 10)."""
    shape, flat = broadcast(contacts=contacts, aht=aht_seconds, interval=interval_seconds)
    contacts_, aht, interval = flat["contacts"], flat["aht"], flat["interval"]
    assert contacts_ is not None and aht is not None and interval is not None
    check(contacts_, np.isfinite(contacts_) & (contacts_ >= 0), errors.CONTACTS_INVALID)
    check(aht, np.isfinite(aht) & (aht > 0), errors.AHT_INVALID)
    check(interval, np.isfinite(interval) & (interval > 0), errors.INTERVAL_INVALID)
    return frozen(contacts_ * aht / interval, shape)


def _erlang_b_flat(agents: IntArray, load: FloatArray) -> FloatArray:
    """Erlang B for 1-D arrays, running the recursion once for all intervals.

    Intervals are sorted by agents so that step k only touches the tail of those with N >= k:
    the work is the sum of the N's, not the largest N times the number of intervals.
    """
    order = np.argsort(agents, kind="stable")
    n_sorted = agents[order]
    a = load[order]
    b = np.ones(a.shape[0])
    top = int(n_sorted[-1]) if n_sorted.size else 0
    first = np.searchsorted(n_sorted, np.arange(1, top + 1), side="left")
    scratch = np.empty_like(b)
    for k in range(1, top + 1):
        s = int(first[k - 1])
        ab = np.multiply(a[s:], b[s:], out=scratch[s:])
        np.divide(ab, ab + k, out=b[s:])
    out = np.empty_like(b)
    out[order] = b
    return out


def erlang_b(agents: npt.ArrayLike, load: npt.ArrayLike) -> FloatArray:
    """Blocking probability of M/M/N/N (Erlang B) for N = ``agents`` and A = ``load`` Erlangs.

    ``B(0, A) = 1`` and ``B(N, 0) = 0`` for N >= 1. Arrays broadcast; the result has their shape.
    """
    shape, flat = broadcast(agents=agents, load=load)
    n_raw, a = flat["agents"], flat["load"]
    assert n_raw is not None and a is not None
    n = as_agents(n_raw)
    check(a, np.isfinite(a) & (a >= 0), errors.LOAD_INVALID)
    return frozen(_erlang_b_flat(n, a), shape)


def _wait_from_b(n: FloatArray, a: FloatArray, b: FloatArray) -> FloatArray:
    """Erlang C from Erlang B, ``C = N B / (N - A (1 - B))``; 1 where the queue is unstable (N <= A)."""
    stable = n > a
    with np.errstate(divide="ignore", invalid="ignore"):
        c = n * b / (n - a * (1.0 - b))
    return np.where(stable, np.minimum(c, 1.0), 1.0)


def erlang_c(agents: npt.ArrayLike, load: npt.ArrayLike) -> FloatArray:
    """Probability of waiting in M/M/N (Erlang C). It is 1 where N <= A: the queue grows without end."""
    shape, flat = broadcast(agents=agents, load=load)
    n_raw, a = flat["agents"], flat["load"]
    assert n_raw is not None and a is not None
    n = as_agents(n_raw)
    check(a, np.isfinite(a) & (a >= 0), errors.LOAD_INVALID)
    c = _wait_from_b(n.astype(np.float64), a, _erlang_b_flat(n, a))
    return frozen(np.where(a == 0, 0.0, c), shape)


def _metrics_from_wait(
    n: IntArray, a: FloatArray, c: FloatArray, aht: FloatArray, target: FloatArray
) -> dict[str, FloatArray]:
    """Service level, ASA and occupancy of M/M/N from its probability of waiting (1-D arrays)."""
    nf = n.astype(np.float64)
    gap = nf - a
    stable = gap > 0
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        sl = np.where(stable, 1.0 - c * np.exp(-gap * (target / aht)), 0.0)
        asa = np.where(stable, c * aht / gap, np.inf)
        occupancy = np.where(nf > 0, np.minimum(a / nf, 1.0), 0.0)
    idle = a == 0
    return {
        "wait_probability": np.where(idle, 0.0, c),
        "service_level": np.where(idle, 1.0, np.clip(sl, 0.0, 1.0)),
        "asa_seconds": np.where(idle, 0.0, asa),
        "occupancy": np.where(idle, 0.0, occupancy),
    }


def erlang_c_metrics(
    *,
    agents: npt.ArrayLike,
    load: npt.ArrayLike,
    aht_seconds: npt.ArrayLike,
    target_seconds: npt.ArrayLike = 20.0,
) -> QueueMetrics:
    """Performance of M/M/N (Erlang C) with ``agents`` answering an offered ``load`` in Erlangs.

    - wait_probability ``C = N B / (N - A (1 - B))`` with B from Erlang B;
    - service_level ``1 - C exp(-(N - A) T / AHT)``, the share answered within T = ``target_seconds``;
    - asa_seconds ``C AHT / (N - A)``; occupancy ``A / N``; abandonment is always 0.

    Where N <= A the queue is unstable: wait probability 1, service level 0, ASA infinite,
    occupancy 1. With no load: wait 0, service level 1, ASA 0, occupancy 0.
    """
    shape, flat = broadcast(agents=agents, load=load, aht=aht_seconds, target=target_seconds)
    n_raw, a, aht, target = flat["agents"], flat["load"], flat["aht"], flat["target"]
    assert n_raw is not None and a is not None and aht is not None and target is not None
    n = as_agents(n_raw)
    check(a, np.isfinite(a) & (a >= 0), errors.LOAD_INVALID)
    check(aht, np.isfinite(aht) & (aht > 0), errors.AHT_INVALID)
    check(target, np.isfinite(target) & (target >= 0), errors.TARGET_SECONDS_INVALID)
    c = _wait_from_b(n.astype(np.float64), a, _erlang_b_flat(n, a))
    return _build_metrics(shape, n, a, _metrics_from_wait(n, a, c, aht, target), np.zeros_like(a))


def _build_metrics(
    shape: tuple[int, ...], n: IntArray, a: FloatArray, values: dict[str, FloatArray], abandonment: FloatArray
) -> QueueMetrics:
    return QueueMetrics(
        agents=frozen(n, shape),
        load=frozen(a, shape),
        wait_probability=frozen(values["wait_probability"], shape),
        service_level=frozen(values["service_level"], shape),
        asa_seconds=frozen(values["asa_seconds"], shape),
        occupancy=frozen(values["occupancy"], shape),
        abandonment=frozen(abandonment, shape),
    )


def _search_start(targets: Targets) -> IntArray:
    """Smallest N worth testing: the queue must be stable (N > A) and within the occupancy cap."""
    start = np.floor(targets.load).astype(np.int64) + 1
    if targets.max_occupancy is not None:
        start = np.maximum(start, occupancy_floor(targets.load, targets.max_occupancy))
    return start


def _search(targets: Targets) -> tuple[IntArray, FloatArray]:
    """Smallest N > A meeting the service-level and ASA targets, stepping all intervals together.

    Service level rises and ASA falls with N, so the first N that meets both is the answer. Each step
    costs one Erlang B recursion step; intervals leave the active set as soon as they are met.
    """
    size = targets.load.shape[0]
    raw = np.zeros(size, dtype=np.int64)
    wait = np.zeros(size)
    active = np.flatnonzero(targets.load > 0)
    n_int = _search_start(targets)[active]
    b = _erlang_b_flat(n_int, targets.load[active])
    n = n_int.astype(np.float64)
    cols = targets.take(active)
    a, aht = cols["load"], cols["aht"]
    assert a is not None and aht is not None
    limit = a + _SEARCH_SIGMAS * np.sqrt(a) + _SEARCH_SLACK
    tau = None if cols["target_seconds"] is None else cols["target_seconds"] / aht
    sl, asa = cols["service_level"], cols["asa_seconds"]
    while active.size:
        c = _wait_from_b(n, a, b)
        ok = np.ones(active.size, dtype=bool)
        if sl is not None and tau is not None:
            ok &= 1.0 - c * np.exp(-(n - a) * tau) >= sl
        if asa is not None:
            ok &= c * aht / (n - a) <= asa
        if ok.any():
            raw[active[ok]] = n[ok]
            wait[active[ok]] = c[ok]
            keep = ~ok
            active, n, a, b, aht, limit = active[keep], n[keep], a[keep], b[keep], aht[keep], limit[keep]
            tau = None if tau is None else tau[keep]
            sl = None if sl is None else sl[keep]
            asa = None if asa is None else asa[keep]
        if np.any(n > limit):
            raise errors.ConvergenceError(errors.SEARCH_NOT_CONVERGED.format(agents=int(np.max(n))))
        n += 1.0
        ab = a * b
        b = ab / (n + ab)
    return raw, wait


def erlang_c_required_agents(
    *,
    load: npt.ArrayLike,
    aht_seconds: npt.ArrayLike,
    service_level: npt.ArrayLike | None = None,
    target_seconds: npt.ArrayLike | None = None,
    asa_seconds: npt.ArrayLike | None = None,
    max_occupancy: npt.ArrayLike | None = None,
    shrinkage: npt.ArrayLike = 0.0,
) -> StaffingRequirement:
    """Smallest number of agents per interval meeting every target given, under Erlang C.

    Targets (each a scalar or an array broadcasting against ``load``; give at least one):
    ``service_level`` with ``target_seconds`` (80/20 is 0.8 and 20), ``asa_seconds`` (ASA at most
    this) and ``max_occupancy`` (A / N at most this). The answer is the smallest N > A meeting all of
    them; intervals with no load need 0 agents. ``scheduled_agents`` adds ``shrinkage``. The metrics
    report the service level within ``target_seconds`` (within 0 s, i.e. ``1 - C``, when not given).

    Raises:
        NoTargetError: no target was given.
        StaffingInputError: an input is outside its domain.
        ConvergenceError: a target needs more than ``load + 60 sqrt(load) + 1000`` agents.
    """
    targets = parse_targets(
        load=load,
        aht_seconds=aht_seconds,
        service_level=service_level,
        target_seconds=target_seconds,
        asa_seconds=asa_seconds,
        max_occupancy=max_occupancy,
        shrinkage=shrinkage,
    )
    raw, wait = _search(targets)
    report_target = (
        targets.target_seconds if targets.target_seconds is not None else np.zeros_like(raw, float)
    )
    values = _metrics_from_wait(raw, targets.load, wait, targets.aht, report_target)
    metrics = _build_metrics(targets.shape, raw, targets.load, values, np.zeros_like(targets.load))
    return StaffingRequirement(
        raw_agents=frozen(raw, targets.shape),
        scheduled_agents=scheduled_agents(raw, targets.shrinkage).reshape(targets.shape),
        shrinkage=frozen(targets.shrinkage, targets.shape),
        metrics=metrics,
    )
