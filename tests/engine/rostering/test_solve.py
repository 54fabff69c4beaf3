"""Solve: parameters, status enum, progress, warm start, minimal change, breakdown."""

from ortools.sat.python import cp_model

from aspa.engine.rostering import (
    Agent,
    Contract,
    Progress,
    ShiftDemand,
    ShiftOn,
    SolveParams,
    SolveStatus,
    build_model,
    solve,
)
from aspa.engine.rostering.solve import add_hint
from tests.engine.rostering.factories import PARAMS, agents, every_day, problem, solved


def test_params_go_to_solver_parameters():
    solver = cp_model.CpSolver()
    SolveParams(time_limit_s=3.5, num_workers=2, random_seed=7).apply(solver)
    assert solver.parameters.max_time_in_seconds == 3.5
    assert solver.parameters.num_workers == 2
    assert solver.parameters.random_seed == 7


def test_infeasible_is_an_explicit_status():
    p = problem(1, (Agent("A", contract=Contract(min_minutes=1000)),))
    s = solve(p, PARAMS)
    assert s.status is SolveStatus.INFEASIBLE
    assert s.objective is None and not s.roster


def test_breakdown_sums_to_objective_and_progress_is_reported():
    seen: list[Progress] = []
    p = problem(7, agents("A", "B", "C"), demands=every_day(7, "D", 2), wishes=(ShiftOn("A", 3, weight=2),))
    s = solve(p, PARAMS, on_progress=seen.append)
    assert s.status is SolveStatus.OPTIMAL
    assert s.objective == sum(s.breakdown.values()) == sum(s.terms.values())
    assert seen and seen[-1].objective == s.objective and seen[-1].bound <= s.objective


def test_warm_start_hint_is_accepted_and_kept_when_optimal():
    p = problem(3, agents("A", "B"), demands=every_day(3, "D", 1), fairness_weight=0)
    previous = {"A": ("D", None, "D"), "B": (None, "D", None)}
    built = build_model(p)
    add_hint(built, p, previous)
    assert len(built.model.proto.solution_hint.vars) == len(built.vars.x) + len(built.vars.works)
    assert solved(p, hint=previous).objective == 0


def test_minimal_change_keeps_the_previous_roster_after_a_late_change():
    need = every_day(4, "D", 1)
    previous = {"A": ("D", "D", None, None), "B": (None, None, "D", "D"), "C": (None,) * 4}
    # Late change: A can no longer work day 1. Without stability any of many rosters is optimal.
    staff = (Agent("A", unavailable_days=frozenset({1})), *agents("B", "C"))
    s = solved(problem(4, staff, demands=need), previous=previous, change_weight=1)
    assert s.breakdown["coverage"] == 0
    assert s.breakdown["stability"] == 2  # A loses day 1 and someone else takes it
    assert s.roster["B"][2:] == ("D", "D") and s.roster["A"][0] == "D"


def test_fixed_assignment_is_kept():
    p = problem(2, (Agent("A", fixed={0: "D", 1: None}),), demands=(ShiftDemand(1, "D", 1),))
    assert solved(p).roster["A"] == ("D", None)
