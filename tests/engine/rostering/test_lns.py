"""Large-neighbourhood search returns a valid roster scored like a plain solve."""

from aspa.engine.rostering import Progress, ShiftOff, SolveParams, SolveStatus, solve
from aspa.engine.rostering.lns import LnsParams, solve_lns
from tests.engine.rostering.factories import agents, every_day, problem


def test_lns_matches_the_plain_optimum_on_a_small_instance():
    p = problem(
        14,
        agents(*"ABCDE", max_consecutive_days=4, min_consecutive_days_off=2),
        demands=every_day(14, "D", 3),
        wishes=tuple(ShiftOff(a, d) for a in "ABC" for d in (2, 9)),
        fairness_weight=0,
    )
    params = SolveParams(time_limit_s=2.0, num_workers=1, random_seed=3)
    plain = solve(p, params)
    seen: list[Progress] = []
    # Start from a poor but feasible roster (nobody works) so that only neighbourhood steps improve it.
    idle = {a.id: (None,) * 14 for a in p.agents}
    lns = solve_lns(p, LnsParams(solve=params, step_time_s=0.3), hint=idle, on_progress=seen.append)
    assert plain.status is SolveStatus.OPTIMAL
    assert lns.status.has_roster and lns.objective is not None and plain.objective is not None
    assert lns.objective == sum(lns.breakdown.values())
    assert lns.objective <= plain.objective + 2
    assert seen[0].objective == 14 * 3 * 100 and len(seen) > 1


def test_lns_threads_and_whole_model_bursts_keep_the_roster_valid():
    p = problem(
        14,
        agents(*"ABCDEF", max_consecutive_days=4, min_consecutive_days_off=2),
        demands=every_day(14, "D", 4),
        wishes=tuple(ShiftOff(a, d) for a in "ABCD" for d in (1, 5, 9)),
        fairness_weight=0,
    )
    params = SolveParams(time_limit_s=3.0, num_workers=2, random_seed=5)
    idle = {a.id: (None,) * 14 for a in p.agents}
    lns = solve_lns(p, LnsParams(solve=params, step_time_s=0.2, stall_steps=3, burst_share=0.2), hint=idle)
    plain = solve(p, params)
    assert lns.status.has_roster and lns.objective is not None and plain.objective is not None
    assert lns.objective == sum(lns.breakdown.values())
    assert lns.objective <= plain.objective + 2
    for agent in p.agents:
        days = lns.roster[agent.id]
        runs = "".join("x" if d else "." for d in days).split(".")
        assert max(len(r) for r in runs) <= 4


def test_a_roster_found_without_the_objective_becomes_the_incumbent():
    """Large instances: when the first whole-model solve finds nothing in its share, any roster that
    keeps the hard rules (objective ignored) starts the neighbourhood search."""
    import math
    import time

    from aspa.engine.rostering.lns import _Search
    from aspa.engine.rostering.solve import build_model

    p = problem(
        14,
        agents(*"ABCDE", max_consecutive_days=4, min_consecutive_days_off=2),
        demands=every_day(14, "D", 3),
        fairness_weight=0,
    )
    params = LnsParams(solve=SolveParams(time_limit_s=5.0, num_workers=1, random_seed=1))
    search = _Search(build_model(p), p, params, time.perf_counter(), None, None)
    assert search.objective == math.inf
    assert search._feasible_start(time.perf_counter() + 5.0)
    assert search.status is SolveStatus.FEASIBLE and search.objective < math.inf
    result = search.result(0.0)
    assert result.status.has_roster and result.objective == sum(result.breakdown.values())
