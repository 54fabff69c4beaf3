"""Erlang A: limits, the pyworkforce README regression vector, and a ciw simulation."""

from __future__ import annotations

import numpy as np
import pytest

from aspa.engine.staffing import (
    StaffingInputError,
    erlang_a_metrics,
    erlang_a_required_agents,
    erlang_c_metrics,
    errors,
)


def test_endless_patience_approaches_erlang_c():
    n = np.arange(11, 20)
    c = erlang_c_metrics(agents=n, load=10.0, aht_seconds=180, target_seconds=20)
    previous_gap = np.inf
    for patience in (1e4, 1e6, 1e8):
        a = erlang_a_metrics(
            agents=n, load=10.0, aht_seconds=180, patience_seconds=patience, target_seconds=20
        )
        gap = np.max(np.abs(a.service_level - c.service_level))
        assert gap < previous_gap
        previous_gap = gap
    assert previous_gap < 1e-5
    np.testing.assert_allclose(a.wait_probability, c.wait_probability, atol=1e-5)
    np.testing.assert_allclose(a.asa_seconds, c.asa_seconds, rtol=1e-4)


def test_impatient_callers_abandon_and_keep_the_queue_finite_below_the_load():
    a = erlang_a_metrics(agents=[5, 8], load=10.0, aht_seconds=180, patience_seconds=60, target_seconds=20)
    assert np.all(np.isfinite(a.asa_seconds))
    # At most N contacts are answered per handle time: abandonment >= 1 - N / A.
    assert a.abandonment[0] >= 0.5 - 1e-12
    assert a.abandonment[1] >= 0.2 - 1e-12


def test_no_agents_means_everyone_abandons():
    a = erlang_a_metrics(agents=0, load=3.0, aht_seconds=180, patience_seconds=100, target_seconds=20)
    assert a.abandonment == pytest.approx(1.0)
    assert a.service_level == 0.0


def test_pyworkforce_readme_regression_vector():
    # pyworkforce development README (not an independent check): 13 raw / 19 scheduled, SL 0.858,
    # occupancy 0.750, abandonment 0.025, P(wait) 0.226, "ASA" 0.125 min = mean wait of all arrivals.
    r = erlang_a_required_agents(
        load=10.0,
        aht_seconds=180,
        patience_seconds=300,
        service_level=0.8,
        target_seconds=20,
        max_occupancy=0.85,
        max_abandonment=0.05,
        shrinkage=0.3,
    )
    assert (r.raw_agents, r.scheduled_agents) == (13, 19)
    m = r.metrics
    assert m.service_level == pytest.approx(0.858, abs=5e-4)
    assert m.occupancy == pytest.approx(0.750, abs=5e-4)
    assert m.abandonment == pytest.approx(0.025, abs=5e-4)
    assert m.wait_probability == pytest.approx(0.226, abs=5e-4)
    assert m.abandonment * 300 / 60 == pytest.approx(0.125, abs=5e-4)


def test_abandonment_target_alone():
    r = erlang_a_required_agents(
        load=[10.0, 0.0], aht_seconds=180, patience_seconds=300, max_abandonment=0.05
    )
    m = erlang_a_metrics(
        agents=[r.raw_agents[0] - 1, r.raw_agents[0]], load=10.0, aht_seconds=180, patience_seconds=300
    )
    assert m.abandonment[0] > 0.05 >= m.abandonment[1]
    assert r.raw_agents[1] == 0


def test_patience_is_required_and_positive():
    with pytest.raises(StaffingInputError) as caught:
        erlang_a_required_agents(load=10.0, aht_seconds=180, patience_seconds=0.0, max_abandonment=0.05)
    assert str(caught.value) == errors.PATIENCE_INVALID


ciw = pytest.importorskip("ciw")


def _simulate(load: float, aht: float, patience: float, agents: int, target: float, seed: int) -> dict:
    """Batch-means estimates (20 batches) from one long ciw run of M/M/N+M, times in seconds."""
    ciw.seed(seed)
    network = ciw.create_network(
        arrival_distributions=[ciw.dists.Exponential(load / aht)],
        service_distributions=[ciw.dists.Exponential(1.0 / aht)],
        number_of_servers=[agents],
        reneging_time_distributions=[ciw.dists.Exponential(1.0 / patience)],
    )
    warmup, batches, batch_len = 20 * aht, 20, 100 * aht
    sim = ciw.Simulation(network)
    sim.simulate_until_max_time(warmup + batches * batch_len + 20 * patience)
    stats: dict[str, list[float]] = {"sl": [], "abandonment": [], "wait": []}
    records = sim.get_all_records()
    for b in range(batches):
        lo, hi = warmup + b * batch_len, warmup + (b + 1) * batch_len
        batch = [r for r in records if lo <= r.arrival_date < hi]
        served = [r for r in batch if r.record_type == "service"]
        reneged = [r for r in batch if r.record_type != "service"]
        stats["sl"].append(sum(r.waiting_time <= target for r in served) / len(batch))
        stats["abandonment"].append(len(reneged) / len(batch))
        stats["wait"].append((sum(r.waiting_time > 0 for r in served) + len(reneged)) / len(batch))
    return {name: (np.mean(v), np.std(v, ddof=1) / np.sqrt(batches)) for name, v in stats.items()}


@pytest.mark.parametrize(
    ("load", "aht", "patience", "agents", "target", "seed"),
    [(4.0, 180.0, 120.0, 5, 20.0, 11), (8.0, 300.0, 300.0, 8, 30.0, 12), (2.0, 240.0, 60.0, 2, 20.0, 13)],
)
def test_erlang_a_inside_simulation_confidence_interval(load, aht, patience, agents, target, seed):
    sim = _simulate(load, aht, patience, agents, target, seed)
    exact = erlang_a_metrics(
        agents=agents, load=load, aht_seconds=aht, patience_seconds=patience, target_seconds=target
    )
    t_99 = 2.861  # Student t, 19 degrees of freedom, two-sided 99 %
    for name, value in (
        ("sl", exact.service_level),
        ("abandonment", exact.abandonment),
        ("wait", exact.wait_probability),
    ):
        mean, se = sim[name]
        assert abs(mean - float(value)) <= t_99 * se, (name, mean, se, float(value))
