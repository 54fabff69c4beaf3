"""Required agents agree with pyworkforce's ErlangC (raw_positions) on thousands of random intervals."""

from __future__ import annotations

import numpy as np
import pytest

from aspa.engine.staffing import erlang_c_metrics, erlang_c_required_agents

pyworkforce_queuing = pytest.importorskip("pyworkforce.queuing")


def _random_intervals(rng: np.random.Generator, size: int, low: float, high: float) -> dict[str, np.ndarray]:
    interval_min = rng.choice([15.0, 30.0], size)
    aht_s = rng.uniform(180.0, 600.0, size)
    load = rng.uniform(low, high, size)
    target_s = rng.choice([10.0, 20.0, 30.0, 60.0], size)
    sl = rng.choice([0.7, 0.8, 0.85, 0.9, 0.95], size)
    contacts = load * interval_min * 60.0 / aht_s
    return {
        "interval_min": interval_min,
        "aht_s": aht_s,
        "contacts": contacts,
        "target_s": target_s,
        "sl": sl,
    }


def _pyworkforce_raw(case: dict[str, np.ndarray]) -> np.ndarray:
    out = []
    for contacts, aht_s, interval_min, target_s, sl in zip(
        case["contacts"], case["aht_s"], case["interval_min"], case["target_s"], case["sl"], strict=True
    ):
        erlang = pyworkforce_queuing.ErlangC(
            transactions=contacts, aht=aht_s / 60.0, asa=target_s / 60.0, interval=interval_min
        )
        out.append(erlang.required_positions(service_level=sl)["raw_positions"])
    return np.array(out)


@pytest.mark.parametrize(("size", "low", "high", "seed"), [(3000, 0.5, 60.0, 1), (150, 60.0, 400.0, 2)])
def test_required_agents_agree_with_pyworkforce(size, low, high, seed):
    case = _random_intervals(np.random.default_rng(seed), size, low, high)
    load = case["contacts"] * case["aht_s"] / (case["interval_min"] * 60.0)
    ours = erlang_c_required_agents(
        load=load, aht_seconds=case["aht_s"], service_level=case["sl"], target_seconds=case["target_s"]
    )
    np.testing.assert_array_equal(ours.raw_agents, _pyworkforce_raw(case))


def test_service_level_agrees_with_pyworkforce():
    rng = np.random.default_rng(3)
    for _ in range(200):
        load, aht_s = rng.uniform(1, 100), rng.uniform(180, 600)
        n = int(load) + int(rng.integers(1, 15))
        erlang = pyworkforce_queuing.ErlangC(
            transactions=load * 30 * 60 / aht_s, aht=aht_s / 60, asa=1 / 3, interval=30
        )
        m = erlang_c_metrics(agents=n, load=load, aht_seconds=aht_s, target_seconds=20)
        assert m.service_level == pytest.approx(erlang.service_level(n), abs=1e-10)
        assert m.wait_probability == pytest.approx(erlang.waiting_probability(n), abs=1e-10)
