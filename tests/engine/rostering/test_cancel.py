"""Cancellation: ``should_stop`` stops CP-SAT (and LNS) promptly with the best roster so far."""

import time

from aspa.engine.rostering import Agent, Contract, ShiftDemand, ShiftOff, SolveParams, SolveStatus, solve
from aspa.engine.rostering.lns import LnsParams, solve_lns
from tests.engine.rostering.factories import DAY, EARLY, LATE, problem

LONG = SolveParams(time_limit_s=60.0, num_workers=1, random_seed=3)


def _hard_problem():
    """Big enough that CP-SAT cannot prove optimality within a fraction of a second."""
    days = 28
    staff = tuple(
        Agent(f"A{i}", contract=Contract(min_minutes=15 * 480, max_minutes=20 * 480)) for i in range(30)
    )
    demands = tuple(
        ShiftDemand(d, s, 4 + (d * 7 + i) % 5) for d in range(days) for i, s in enumerate(("E", "D", "L"))
    )
    wishes = tuple(
        ShiftOff(f"A{i}", (i * 5 + k) % days, None, 1 + k % 3) for i in range(30) for k in range(4)
    )
    return problem(days, staff, (EARLY, DAY, LATE), demands=demands, wishes=wishes)


def _stop_after(calls: int):
    asked = {"n": 0}

    def should_stop() -> bool:
        asked["n"] += 1
        return asked["n"] > calls

    return should_stop, asked


def test_should_stop_stops_the_search_promptly():
    should_stop, asked = _stop_after(2)
    started = time.perf_counter()
    solution = solve(_hard_problem(), LONG, should_stop=should_stop)
    assert time.perf_counter() - started < 10
    assert solution.stopped
    assert solution.status in (SolveStatus.FEASIBLE, SolveStatus.UNKNOWN)
    assert asked["n"] >= 3


def test_stop_before_the_start_returns_at_once_without_a_roster():
    solution = solve(_hard_problem(), LONG, should_stop=lambda: True)
    assert solution.stopped
    assert solution.status is SolveStatus.UNKNOWN
    assert not solution.roster


def test_without_a_stop_request_nothing_is_stopped():
    p = problem(2, (Agent("A"),), demands=(ShiftDemand(0, "D", 1),))
    solution = solve(p, SolveParams(time_limit_s=5, num_workers=1), should_stop=lambda: False)
    assert solution.status is SolveStatus.OPTIMAL
    assert not solution.stopped


def test_lns_stops_promptly():
    should_stop, _ = _stop_after(2)
    started = time.perf_counter()
    solution = solve_lns(
        _hard_problem(), LnsParams(solve=LONG, first_solve_share=0.5), should_stop=should_stop
    )
    assert time.perf_counter() - started < 15
    assert solution.stopped
