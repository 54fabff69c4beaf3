"""Monotonicity and numerical-stability properties (hypothesis)."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from aspa.engine.staffing import (
    erlang_a_metrics,
    erlang_a_required_agents,
    erlang_b,
    erlang_c_metrics,
    erlang_c_required_agents,
)

loads = st.floats(min_value=0.01, max_value=2000.0, allow_nan=False)
ahts = st.floats(min_value=30.0, max_value=1200.0)
targets = st.floats(min_value=0.0, max_value=120.0)


@settings(max_examples=60, deadline=None)
@given(load=loads, aht=ahts, target=targets, extra=st.integers(min_value=1, max_value=40))
def test_erlang_c_improves_with_every_agent(load, aht, target, extra):
    n = np.floor(load).astype(int) + np.arange(1, extra + 2)
    m = erlang_c_metrics(agents=n, load=load, aht_seconds=aht, target_seconds=target)
    for values in (m.wait_probability, m.service_level, m.asa_seconds, m.occupancy):
        assert np.all(np.isfinite(values))
    assert np.all((m.wait_probability >= 0) & (m.wait_probability <= 1))
    assert np.all((m.service_level >= 0) & (m.service_level <= 1))
    assert np.all(np.diff(m.wait_probability) <= 1e-15)
    assert np.all(np.diff(m.service_level) >= -1e-15)
    assert np.all(np.diff(m.asa_seconds) <= 1e-12)


@settings(max_examples=60, deadline=None)
@given(load=loads, n=st.integers(min_value=0, max_value=2500))
def test_erlang_b_is_a_probability_and_falls_with_agents(load, n):
    b = erlang_b([n, n + 1], load)
    assert np.all(np.isfinite(b)) and np.all((b >= 0) & (b <= 1))
    assert b[1] <= b[0]


@settings(max_examples=40, deadline=None)
@given(load=loads, aht=ahts, target=st.floats(0.0, 60.0), sl=st.floats(0.05, 0.99))
def test_required_agents_is_the_smallest_meeting_the_target(load, aht, target, sl):
    r = erlang_c_required_agents(load=load, aht_seconds=aht, service_level=sl, target_seconds=target)
    n = int(r.raw_agents)
    assert n > load
    m = erlang_c_metrics(agents=[n - 1, n], load=load, aht_seconds=aht, target_seconds=target)
    assert m.service_level[1] >= sl
    assert n - 1 <= load or m.service_level[0] < sl


@settings(max_examples=40, deadline=None)
@given(
    load=st.floats(0.1, 80.0),
    aht=ahts,
    patience=st.floats(20.0, 2000.0),
    target=targets,
    n=st.integers(min_value=1, max_value=100),
)
def test_erlang_a_is_bounded_and_improves_with_an_agent(load, aht, patience, target, n):
    m = erlang_a_metrics(
        agents=[n, n + 1], load=load, aht_seconds=aht, patience_seconds=patience, target_seconds=target
    )
    for values in (m.wait_probability, m.service_level, m.abandonment, m.occupancy):
        assert np.all(np.isfinite(values)) and np.all((values >= 0) & (values <= 1))
    assert m.service_level[1] >= m.service_level[0] - 1e-12
    assert m.abandonment[1] <= m.abandonment[0] + 1e-12
    assert m.wait_probability[1] <= m.wait_probability[0] + 1e-12
    # Two routes to abandonment agree: theta E[Q] / lambda and P(wait) - P(answered after waiting).
    assert m.service_level[0] <= 1.0 - m.abandonment[0] + 1e-12


@settings(max_examples=15, deadline=None)
@given(load=st.floats(0.5, 40.0), patience=st.floats(30.0, 900.0), sl=st.floats(0.3, 0.95))
def test_erlang_a_search_matches_a_linear_scan(load, patience, sl):
    r = erlang_a_required_agents(
        load=load,
        aht_seconds=240,
        patience_seconds=patience,
        service_level=sl,
        target_seconds=20,
        max_abandonment=0.1,
    )
    n = np.arange(1, int(load) + 40)
    m = erlang_a_metrics(agents=n, load=load, aht_seconds=240, patience_seconds=patience, target_seconds=20)
    feasible = (m.service_level >= sl) & (m.abandonment <= 0.1)
    assert int(r.raw_agents) == int(n[np.argmax(feasible)])


def test_two_thousand_erlangs_no_nan_or_inf():
    n = np.array([1900, 1990, 2000, 2010, 2050, 2100])
    a = erlang_a_metrics(agents=n, load=2000.0, aht_seconds=300, patience_seconds=180, target_seconds=20)
    for values in (a.wait_probability, a.service_level, a.asa_seconds, a.occupancy, a.abandonment):
        assert np.all(np.isfinite(values))
    c = erlang_c_metrics(agents=n[3:], load=2000.0, aht_seconds=300, target_seconds=20)
    assert np.all(np.isfinite(c.service_level)) and np.all(np.isfinite(c.asa_seconds))
