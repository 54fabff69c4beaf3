"""Shrinkage and occupancy post-processing (README: V1 with 30 % shrinkage and an 85 % cap)."""

from __future__ import annotations

import re

import pytest

from aspa.engine.staffing import (
    StaffingInputError,
    erlang_c_required_agents,
    errors,
    productive_agents,
    scheduled_agents,
)


def test_v1_thirty_percent_shrinkage_gives_twenty_scheduled():
    # 14 / 0.7 is 20.000000000000004 in floating point: it must still be 20.
    assert scheduled_agents(14, 0.3) == 20
    r = erlang_c_required_agents(
        load=10.0, aht_seconds=180, service_level=0.8, target_seconds=20, shrinkage=0.3
    )
    assert (r.raw_agents, r.scheduled_agents) == (14, 20)


def test_v3_ninety_percent_target_gives_twenty_two_scheduled():
    r = erlang_c_required_agents(
        load=10.0, aht_seconds=180, service_level=0.9, target_seconds=20, shrinkage=0.3
    )
    assert (r.raw_agents, r.scheduled_agents) == (15, 22)
    assert r.metrics.service_level == pytest.approx(0.9415, abs=5e-5)


def test_v1_occupancy_cap_of_85_percent_does_not_bind():
    r = erlang_c_required_agents(
        load=10.0, aht_seconds=180, service_level=0.8, target_seconds=20, max_occupancy=0.85
    )
    assert r.raw_agents == 14
    assert r.metrics.occupancy == pytest.approx(0.7143, abs=5e-5)


def test_occupancy_cap_binds_exactly_at_integer_quotient():
    # 14 agents at 10 Erlangs is 71.43 %; a 0.625 cap needs exactly 16 = 10 / 0.625.
    r = erlang_c_required_agents(load=10.0, aht_seconds=180, max_occupancy=0.625)
    assert r.raw_agents == 16


def test_scheduled_and_productive_round_trip():
    assert scheduled_agents([0, 1, 15], 0.3).tolist() == [0, 2, 22]
    assert productive_agents([20, 22], 0.3).tolist() == [14, 15]
    assert scheduled_agents(7, 0.0) == 7


def test_shrinkage_domain():
    with pytest.raises(StaffingInputError, match=re.escape(errors.SHRINKAGE_INVALID)):
        scheduled_agents(10, 1.0)
    with pytest.raises(StaffingInputError, match=errors.AGENTS_INVALID):
        scheduled_agents(-1, 0.3)
