"""Decomposition: group models score changes exactly like the whole model, and the search keeps rosters valid."""

from __future__ import annotations

import time

from aspa.engine.rostering import (
    Agent,
    Contract,
    IntervalDemand,
    Progress,
    ShiftOff,
    ShiftOn,
    SolveParams,
    SolveStatus,
    WorkRules,
    solve,
)
from aspa.engine.rostering.decompose import (
    CoverageIndex,
    DecomposeParams,
    assignment_count,
    evaluate,
    residual_problem,
    should_decompose,
    solve_decomposed,
)
from aspa.engine.rostering.solve import build_model
from tests.engine.rostering.factories import DAY, LATE, NIGHT, agents, every_day, problem

PARAMS = SolveParams(time_limit_s=3.0, num_workers=1, random_seed=7)


def _shift_problem():
    return problem(
        14,
        agents(*"ABCDE", max_consecutive_days=4, min_consecutive_days_off=2),
        shifts=(DAY, LATE),
        demands=every_day(14, "D", 2) + every_day(14, "L", 1, over_weight=3),
        wishes=(ShiftOff("A", 2), ShiftOn("B", 5, "L", weight=2), ShiftOff("C", 9, weight=3)),
        fairness_weight=0,
    )


def _interval_problem():
    """Skills and interval need, with a night shift that covers the next morning."""
    staff = (
        Agent("A", skills=frozenset({"phone"})),
        Agent("B", skills=frozenset({"phone", "chat"})),
        Agent("C", skills=frozenset({"chat"})),
        Agent("D", skills=frozenset({"phone"})),
    )
    demands = tuple(
        IntervalDemand(day, start, 120, need, skill)
        for day in range(7)
        for start, need, skill in (
            (0, 1, "phone"),
            (8 * 60, 2, "phone"),
            (16 * 60, 1, "chat"),
            (20 * 60, 1, "phone"),
        )
    )
    return problem(
        7, staff, shifts=(DAY, LATE, NIGHT), demands=demands, wishes=(ShiftOff("B", 3),), fairness_weight=0
    )


def _score_in_group_model(sub, roster):
    """The group model's objective with the group's days at ``roster``."""
    return evaluate(sub, {a.id: roster[a.id] for a in sub.agents}).objective


def _changed(roster, agent_id, day, shift_id):
    row = list(roster[agent_id])
    row[day] = shift_id
    return {**roster, agent_id: tuple(row)}


def test_a_group_model_prices_a_change_exactly_like_the_whole_model():
    for p in (_shift_problem(), _interval_problem()):
        base = solve(p, PARAMS).roster
        coverage = CoverageIndex(p)
        for agent in p.agents:
            coverage.move(agent, (None,) * p.horizon_days, base[agent.id])
        first, second = p.agents[0].id, p.agents[1].id
        # Change two agents inside a window, keeping every hard rule (checked by scoring the whole roster).
        other = _changed(_changed(base, first, 3, None), second, 4, base[first][3] or p.shift_types[0].id)
        whole_before, whole_after = evaluate(p, base).objective, evaluate(p, other).objective
        assert whole_before is not None and whole_after is not None
        sub = residual_problem(p, base, [first, second], range(2, 6), coverage)
        group_before, group_after = _score_in_group_model(sub, base), _score_in_group_model(sub, other)
        assert group_before is not None and group_after is not None
        assert group_after - group_before == whole_after - whole_before


def test_a_group_model_pins_the_days_outside_and_leaves_out_need_it_cannot_change():
    p = _shift_problem()
    roster = solve(p, PARAMS).roster
    coverage = CoverageIndex(p)
    for agent in p.agents:
        coverage.move(agent, (None,) * 14, roster[agent.id])
    sub = residual_problem(p, roster, ["A"], range(3, 5), coverage)
    assert [a.id for a in sub.agents] == ["A"]
    assert {d: s for d, s in sub.agents[0].fixed.items()} == {
        d: roster["A"][d] for d in range(14) if d not in (3, 4)
    }
    # Only need on the free days (or the day after, for shifts past midnight) is kept.
    assert {d.day for d in sub.demands} <= {3, 4, 5}
    for demand in sub.demands:
        others = sum(1 for a in "BCDE" if roster[a][demand.day] == demand.shift_id)
        whole = next(d for d in p.demands if (d.day, d.shift_id) == (demand.day, demand.shift_id))
        assert demand.required == max(0, whole.required - others)
    assert all(w.agent_id == "A" for w in sub.wishes)
    built = build_model(sub)
    assert not [key for key in built.vars.x if key[1] not in (3, 4) and key[2] != roster["A"][key[1]]]


def test_decomposition_builds_a_valid_roster_and_improves_it():
    p = _shift_problem()
    seen: list[Progress] = []
    result = solve_decomposed(p, DecomposeParams(solve=PARAMS, step_time_s=0.3), on_progress=seen.append)
    plain = solve(p, SolveParams(time_limit_s=10.0, num_workers=1, random_seed=1))
    assert result.status is SolveStatus.FEASIBLE
    assert result.objective is not None and plain.objective is not None
    assert result.objective == sum(result.breakdown.values()) == evaluate(p, result.roster).objective
    assert [s.objective for s in seen] == sorted((s.objective for s in seen), reverse=True)
    assert seen[-1].objective == result.objective
    assert result.objective <= plain.objective + 3
    for agent in p.agents:
        runs = "".join("x" if d else "." for d in result.roster[agent.id]).split(".")
        assert max(len(r) for r in runs) <= 4


def test_decomposition_starts_from_a_feasible_hint():
    p = _shift_problem()
    idle = {a.id: (None,) * 14 for a in p.agents}
    seen: list[Progress] = []
    result = solve_decomposed(
        p, DecomposeParams(solve=PARAMS, step_time_s=0.3), hint=idle, on_progress=seen.append
    )
    # Nobody works: 3 people missing a day, plus the unmet wish to work a late shift (weight 2).
    assert seen[0].objective == evaluate(p, idle).objective == 14 * 3 * 100 + 2
    assert result.objective is not None and result.objective < seen[0].objective


def test_an_agent_who_cannot_meet_the_rules_means_no_roster():
    staff = (*agents("A", "B"), Agent("C", contract=Contract(min_minutes=20 * 8 * 60)))
    p = problem(14, staff, demands=every_day(14, "D", 1), fairness_weight=0)
    result = solve_decomposed(p, DecomposeParams(solve=PARAMS))
    assert result.status is SolveStatus.INFEASIBLE and not result.roster


def test_decomposition_stops_when_asked():
    p = _shift_problem()
    calls = {"n": 0}

    def stop() -> bool:
        calls["n"] += 1
        return calls["n"] > 20

    started = time.perf_counter()
    result = solve_decomposed(
        p, DecomposeParams(solve=SolveParams(time_limit_s=30.0, num_workers=1)), should_stop=stop
    )
    assert result.stopped
    assert time.perf_counter() - started < 10


def test_only_large_problems_are_decomposed():
    p = problem(28, agents(*"ABCD"), shifts=(DAY, LATE), rules=WorkRules.none())
    assert assignment_count(p) == 4 * 28 * 2 == len(build_model(p).vars.x)
    assert not should_decompose(p)
    assert should_decompose(p, above=100)


def test_a_roster_against_unavailability_or_a_pin_is_no_roster():
    """A previous roster may put someone on a day they have since marked unavailable: not a start."""
    staff = (Agent("A", unavailable_days=frozenset({2})), Agent("B", fixed={3: None}), *agents("C"))
    p = problem(7, staff, demands=every_day(7, "D", 1), fairness_weight=0)
    idle = {a.id: (None,) * 7 for a in p.agents}
    assert evaluate(p, idle).status.has_roster
    assert not evaluate(p, _changed(idle, "A", 2, "D")).status.has_roster
    assert not evaluate(p, _changed(idle, "B", 3, "D")).status.has_roster
    seen: list[Progress] = []
    result = solve_decomposed(
        p,
        DecomposeParams(solve=PARAMS, step_time_s=0.3),
        hint=_changed(idle, "A", 2, "D"),
        on_progress=seen.append,
    )
    assert result.status.has_roster and result.roster["A"][2] is None and result.roster["B"][3] is None
