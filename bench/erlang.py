"""Required agents per interval: Aspa's vectorised Erlang C against pyworkforce, in one run.

Run from the project root: ``uv run python bench/erlang.py`` (no arguments, fixed seed).

Two cases of realistic intervals (AHT 180-600 s, 15 or 30 min intervals, 70/60 .. 90/15 style
service-level targets): 100,000 intervals of 1-60 Erlangs and 10,000 of 300-600 Erlangs. Aspa solves
every interval. pyworkforce loops in Python, so it solves a random subsample and its time per
interval is extrapolated; disagreements in required agents are counted on that whole subsample.
The last line of output is JSON.
"""

from __future__ import annotations

import json
import platform
import time

import numpy as np

from aspa.engine.staffing import erlang_c_required_agents, offered_load

SEED = 20240603
REPEATS = 3
# (intervals, lowest load, highest load, pyworkforce subsample)
CASES = [(100_000, 1.0, 60.0, 20_000), (10_000, 300.0, 600.0, 3_000)]
# (service level, target seconds) pairs a contact centre might set.
SL_TARGETS = [(0.8, 20.0), (0.8, 30.0), (0.9, 30.0), (0.85, 20.0), (0.7, 60.0), (0.9, 15.0)]


def make_intervals(rng: np.random.Generator, size: int, low: float, high: float) -> dict[str, np.ndarray]:
    """Random intervals whose offered load is uniform on [low, high] Erlangs."""
    interval_s = rng.choice([900.0, 1800.0], size)
    aht_s = rng.uniform(180.0, 600.0, size)
    contacts = rng.uniform(low, high, size) * interval_s / aht_s
    pick = rng.integers(0, len(SL_TARGETS), size)
    sl = np.array([SL_TARGETS[i][0] for i in pick])
    target_s = np.array([SL_TARGETS[i][1] for i in pick])
    return {"contacts": contacts, "interval_s": interval_s, "aht_s": aht_s, "sl": sl, "target_s": target_s}


def aspa_required(case: dict[str, np.ndarray]) -> np.ndarray:
    load = offered_load(case["contacts"], case["aht_s"], case["interval_s"])
    result = erlang_c_required_agents(
        load=load, aht_seconds=case["aht_s"], service_level=case["sl"], target_seconds=case["target_s"]
    )
    return np.asarray(result.raw_agents)


def pyworkforce_required(case: dict[str, np.ndarray], index: np.ndarray) -> np.ndarray:
    from pyworkforce.queuing import ErlangC

    out = np.empty(index.size, dtype=np.int64)
    for j, i in enumerate(index):
        erlang = ErlangC(
            transactions=float(case["contacts"][i]),
            aht=float(case["aht_s"][i]) / 60.0,
            asa=float(case["target_s"][i]) / 60.0,
            interval=float(case["interval_s"][i]) / 60.0,
        )
        out[j] = erlang.required_positions(service_level=float(case["sl"][i]))["raw_positions"]
    return out


def run_case(
    rng: np.random.Generator, intervals: int, low: float, high: float, sample: int
) -> dict[str, float]:
    case = make_intervals(rng, intervals, low, high)
    aspa_s = np.inf
    for _ in range(REPEATS):
        start = time.perf_counter()
        ours = aspa_required(case)
        aspa_s = min(aspa_s, time.perf_counter() - start)
    index = np.sort(rng.choice(intervals, size=min(sample, intervals), replace=False))
    start = time.perf_counter()
    theirs = pyworkforce_required(case, index)
    pyworkforce_s = time.perf_counter() - start
    mismatches = int(np.count_nonzero(ours[index] != theirs))
    aspa_us = aspa_s / intervals * 1e6
    pyworkforce_us = pyworkforce_s / index.size * 1e6
    print(
        f"{intervals:>7,} intervals, load {low:g}-{high:g} Erlangs: "
        f"Aspa {aspa_s * 1e3:8.1f} ms for all ({aspa_us:.3f} us/interval, best of {REPEATS}); "
        f"pyworkforce {pyworkforce_s:6.2f} s for a random subsample of {index.size:,} "
        f"({pyworkforce_us:.1f} us/interval, extrapolated to {pyworkforce_us * intervals / 1e6:.1f} s for all); "
        f"speedup {pyworkforce_us / aspa_us:,.0f}x; mismatches {mismatches} of {index.size:,} "
        f"(mean required agents {ours.mean():.1f}, max {ours.max()})"
    )
    return {
        "intervals": intervals,
        "max_erlangs": high,
        "aspa_us_per_interval": round(aspa_us, 4),
        "pyworkforce_us_per_interval": round(pyworkforce_us, 2),
        "speedup": round(pyworkforce_us / aspa_us, 1),
        "mismatches": mismatches,
    }


def main() -> None:
    print(f"bench/erlang.py: Python {platform.python_version()}, numpy {np.__version__}, seed {SEED}")
    print("reproduce: uv run python bench/erlang.py")
    rng = np.random.default_rng(SEED)
    cases = [run_case(rng, intervals, low, high, sample) for intervals, low, high, sample in CASES]
    print(json.dumps({"cases": cases}))


if __name__ == "__main__":
    main()
