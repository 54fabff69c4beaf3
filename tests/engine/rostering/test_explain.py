"""Explanations: why a wish was denied, coverage per need line with service level, the ledger."""

from aspa.engine.rostering import (
    IntervalDemand,
    ShiftDemand,
    ShiftOff,
    ShiftOn,
    ShiftType,
    WorkRules,
)
from aspa.engine.rostering.explain import AVAILABILITY, explain
from aspa.engine.rostering.rules import successions
from tests.engine.rostering.factories import DAY, EARLY, agents, problem, solved


def test_denial_forced_by_coverage_reports_the_cost_of_granting():
    p = problem(1, agents("A"), demands=(ShiftDemand(0, "D", 1),), wishes=(ShiftOff("A", 0, weight=2),),
                fairness_weight=0)
    s = solved(p)
    (wish,) = explain(p, s).wishes
    assert not wish.granted and wish.blocked_by == ()
    assert wish.cost_delta == {"coverage": 100, "wishes": -2}


def test_denial_forced_by_a_hard_rule_names_the_rule():
    late = ShiftType("L", 14 * 60, 480, forbidden_next=frozenset({"E"}))
    p = problem(2, agents("A", "B"), shifts=(EARLY, late), demands=(ShiftDemand(0, "L", 1),),
                wishes=(ShiftOn("A", 1, "E"),), fairness_weight=0)
    # B is away on day 0 so A must take the late; the early wish on day 1 is then forbidden.
    p = problem(2, (agents("A")[0], agents("B", unavailable_days=frozenset({0, 1}))[0]), shifts=(EARLY, late),
                demands=(ShiftDemand(0, "L", 1, under_weight=1000),), wishes=(ShiftOn("A", 1, "E"),),
                fairness_weight=0)
    s = solved(p)
    report = explain(p, s)
    (wish,) = report.for_agent("A")
    assert not wish.granted
    assert wish.cost_delta == {"coverage": 1000, "wishes": -1}
    # With A's day 0 pinned to the late shift the wish becomes infeasible: the succession rule blocks it.
    pinned = problem(2, (agents("A", fixed={0: "L"})[0],), shifts=(EARLY, late), wishes=(ShiftOn("A", 1, "E"),))
    (wish,) = explain(pinned, solved(pinned)).wishes
    assert wish.blocked_by == (successions.NAME,)


def test_unavailable_day_blocks_an_on_request():
    p = problem(1, agents("A", unavailable_days=frozenset({0})), wishes=(ShiftOn("A", 0),))
    (wish,) = explain(p, solved(p)).wishes
    assert wish.blocked_by == (AVAILABILITY,)


def test_coverage_lines_with_expected_service_level():
    need = (
        IntervalDemand(0, 9 * 60, 15, required=2, skill="fi", load_erlangs=1.0, aht_seconds=300.0),
        IntervalDemand(0, 20 * 60, 15, required=1, skill="fi"),
    )
    staff = agents("A", "B", "C", skills=frozenset({"fi"}))
    p = problem(1, staff, shifts=(DAY,), demands=need, rules=WorkRules.none())
    report = explain(p, solved(p))
    first, second = report.coverage
    assert (first.required, first.scheduled) == (2, 2)
    assert first.service_level is not None and 0.5 < first.service_level < 1.0
    assert (second.scheduled, second.service_level) == (0, None)  # the day shift ends at 16:00


def test_granted_wish_and_ledger_before_after():
    p = problem(2, agents("A"), wishes=(ShiftOn("A", 1),))
    report = explain(p, solved(p))
    assert report.wishes[0].granted
    assert report.ledger_before == {}
    assert report.ledger_after["A"].wishes_granted == 1
