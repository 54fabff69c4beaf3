"""Erlang B/C against the reference vectors of ../shared/benchmarks/erlang/README.md."""

from __future__ import annotations

import numpy as np
import pytest

from aspa.engine.staffing import (
    NoTargetError,
    StaffingInputError,
    erlang_b,
    erlang_c,
    erlang_c_metrics,
    erlang_c_required_agents,
    errors,
    offered_load,
)

# id, calls, interval (s), AHT (s), T (s), N, P(wait), SL, ASA (s), occupancy
VECTORS = [
    ("V1", 100, 1800, 180, 20, 14, 0.1741, 0.8884, 7.84, 0.7143),
    ("V2", 100, 1800, 180, 20, 13, 0.2853, 0.7956, 17.12, 0.7692),
    ("V3", 100, 1800, 180, 20, 15, 0.1020, 0.9415, 3.67, 0.6667),
    ("V4", 360, 1800, 240, 15, 55, 0.2387, 0.8459, 8.18, 0.8727),
    ("V5", 200, 3600, 180, 20, 12, 0.4494, None, 40.44, 0.8333),
    ("N11", 100, 1800, 180, 20, 11, 0.6821, 0.3896, 122.78, 0.9091),
    ("N12", 100, 1800, 180, 20, 12, 0.4494, 0.6402, 40.44, 0.8333),
]


@pytest.mark.parametrize(("vid", "calls", "interval", "aht", "t", "n", "pw", "sl", "asa", "occ"), VECTORS)
def test_reference_vector_metrics(vid, calls, interval, aht, t, n, pw, sl, asa, occ):
    load = offered_load(calls, aht, interval)
    m = erlang_c_metrics(agents=n, load=load, aht_seconds=aht, target_seconds=t)
    assert m.wait_probability == pytest.approx(pw, abs=5e-5)
    if sl is not None:
        assert m.service_level == pytest.approx(sl, abs=5e-5)
    assert m.asa_seconds == pytest.approx(asa, abs=5e-3)
    assert m.occupancy == pytest.approx(occ, abs=5e-5)
    assert m.abandonment == 0.0


def test_all_vectors_in_one_vectorised_call():
    rows = np.array([v[1:10] for v in VECTORS], dtype=object)
    load = offered_load(rows[:, 0].astype(float), rows[:, 2].astype(float), rows[:, 1].astype(float))
    m = erlang_c_metrics(
        agents=rows[:, 4].astype(int),
        load=load,
        aht_seconds=rows[:, 2].astype(float),
        target_seconds=rows[:, 3].astype(float),
    )
    np.testing.assert_allclose(m.wait_probability, rows[:, 5].astype(float), atol=5e-5)


@pytest.mark.parametrize(("target", "expected"), [(0.8, 14), (0.9, 15)])
def test_required_agents_v1_v3(target, expected):
    r = erlang_c_required_agents(load=10.0, aht_seconds=180, service_level=target, target_seconds=20)
    assert r.raw_agents == expected


def test_required_agents_v5_asa_target_just_missed_by_11():
    load = offered_load(200, 180, 3600)
    r = erlang_c_required_agents(load=load, aht_seconds=180, asa_seconds=120)
    assert r.raw_agents == 12
    assert r.metrics.asa_seconds == pytest.approx(40.44, abs=5e-3)


def test_required_agents_v4_load():
    load = offered_load(360, 240, 1800)
    r = erlang_c_required_agents(load=load, aht_seconds=240, service_level=0.84, target_seconds=15)
    assert r.raw_agents == 55
    assert r.metrics.service_level == pytest.approx(0.8459, abs=5e-5)


def test_combined_targets_take_the_largest_need():
    r = erlang_c_required_agents(
        load=[10.0, 10.0, 10.0],
        aht_seconds=180,
        service_level=0.8,
        target_seconds=20,
        asa_seconds=[60.0, 5.0, 60.0],
        max_occupancy=[1.0, 1.0, 0.6],
    )
    # SL alone needs 14; ASA 5 s needs 15 (14 gives 7.84 s); occupancy 60 % needs ceil(10 / 0.6) = 17.
    assert r.raw_agents.tolist() == [14, 15, 17]


def test_results_keep_shape_and_are_read_only():
    load = np.full((3, 4), 10.0)
    r = erlang_c_required_agents(load=load, aht_seconds=180, service_level=0.8, target_seconds=20)
    assert r.raw_agents.shape == (3, 4)
    assert r.metrics.service_level.shape == (3, 4)
    with pytest.raises(ValueError, match="read-only"):
        r.raw_agents[0, 0] = 1


def test_zero_load_needs_no_agents():
    r = erlang_c_required_agents(load=[0.0, 10.0], aht_seconds=180, service_level=0.8, target_seconds=20)
    assert r.raw_agents.tolist() == [0, 14]
    assert r.metrics.service_level[0] == 1.0
    assert r.metrics.wait_probability[0] == 0.0


def test_erlang_b_edges_and_known_value():
    assert erlang_b(0, 5.0) == 1.0
    assert erlang_b(3, 0.0) == 0.0
    assert erlang_b(1, 1.0) == pytest.approx(0.5)
    # B(2, 1) = (1/2) / (1 + 1 + 1/2) = 0.2
    assert erlang_b(2, 1.0) == pytest.approx(0.2)


def test_unstable_queue_waits_for_sure():
    m = erlang_c_metrics(agents=[9, 10], load=10.0, aht_seconds=180, target_seconds=20)
    assert m.wait_probability.tolist() == [1.0, 1.0]
    assert m.service_level.tolist() == [0.0, 0.0]
    assert np.isinf(m.asa_seconds).all()
    assert erlang_c(10, 10.0) == 1.0


def test_load_of_two_thousand_erlangs_is_finite_and_consistent():
    n = np.arange(2001, 2200)
    c = erlang_c(n, 2000.0)
    assert np.all(np.isfinite(c))
    assert np.all(np.diff(c) < 0)
    r = erlang_c_required_agents(load=2000.0, aht_seconds=300, service_level=0.8, target_seconds=20)
    m = erlang_c_metrics(
        agents=[r.raw_agents - 1, r.raw_agents], load=2000.0, aht_seconds=300, target_seconds=20
    )
    assert m.service_level[0] < 0.8 <= m.service_level[1]


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"load": -1.0, "service_level": 0.8, "target_seconds": 20}, StaffingInputError, errors.LOAD_INVALID),
        (
            {"load": np.nan, "service_level": 0.8, "target_seconds": 20},
            StaffingInputError,
            errors.LOAD_INVALID,
        ),
        (
            {"load": 10.0, "service_level": 1.0, "target_seconds": 20},
            StaffingInputError,
            errors.SERVICE_LEVEL_INVALID,
        ),
        ({"load": 10.0, "service_level": 0.8}, StaffingInputError, errors.TARGET_SECONDS_MISSING),
        ({"load": 10.0, "asa_seconds": 0.0}, StaffingInputError, errors.ASA_INVALID),
        ({"load": 10.0, "max_occupancy": 0.0}, StaffingInputError, errors.OCCUPANCY_INVALID),
        (
            {"load": 10.0, "max_occupancy": 0.8, "shrinkage": 1.0},
            StaffingInputError,
            errors.SHRINKAGE_INVALID,
        ),
        ({"load": 10.0}, NoTargetError, errors.NO_TARGET),
    ],
)
def test_invalid_inputs_raise_specific_errors(kwargs, error, message):
    with pytest.raises(error) as caught:
        erlang_c_required_agents(aht_seconds=180, **kwargs)
    assert str(caught.value) == message


def test_fractional_agents_are_rejected():
    with pytest.raises(StaffingInputError, match=errors.AGENTS_INVALID):
        erlang_c(10.5, 5.0)


def test_mismatched_shapes_are_reported():
    with pytest.raises(StaffingInputError, match="broadcast"):
        erlang_c_metrics(agents=[1, 2, 3], load=[1.0, 2.0], aht_seconds=180)
