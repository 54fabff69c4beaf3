"""Burden balancing: nights, weekends, holidays and unpopular shifts by rate per full-time equivalent."""

import pytest

from aspa.engine.rostering import Contract, LedgerEntry, Priority, ProblemError, ShiftDemand, explain
from aspa.engine.rostering.rules.burdens import capacities
from tests.engine.rostering.factories import DAY, NIGHT, agents, every_day, problem, solved

# One night shift is needed on day 0; either agent can take it.
ONE_NIGHT = (ShiftDemand(0, "N", 1),)
FULL_TIME, HALF_TIME = Contract(max_minutes_per_week=2400), Contract(max_minutes_per_week=1200)


def nights_problem(staff, ledger=None, weight=1, **kwargs):
    return problem(
        1,
        staff,
        shifts=(NIGHT,),
        demands=ONE_NIGHT,
        ledger=ledger or {},
        burden_weights={"nights": weight},
        **kwargs,
    )


@pytest.mark.parametrize("loaded", ["A", "B"])
def test_the_night_goes_to_who_had_fewer_before(loaded):
    other = "B" if loaded == "A" else "A"
    s = solved(nights_problem(agents("A", "B"), ledger={loaded: LedgerEntry(nights=3)}))
    assert s.roster[other][0] == "N" and s.roster[loaded][0] is None
    # Worst rate 3 nights = 30 tenths. The other's night costs the mean of its rate 0 -> 10, i.e. 5,
    # over the typical count (3 + 1/2 + 0 + 1/2) / 2 = 2: 2.5, rounded up to 3.
    assert s.terms["burdens:nights:worst"] == 30
    assert s.terms[f"burdens:nights:spread:{other}"] == 3
    assert s.breakdown["burdens"] == 33


def test_weight_zero_switches_the_term_off():
    s = solved(nights_problem(agents("A", "B"), ledger={"A": LedgerEntry(nights=3)}, weight=0))
    assert "burdens" not in s.breakdown
    assert not [n for n in s.terms if n.startswith("burdens:")]


def test_part_timer_rate_counts_per_full_time_equivalent():
    # A is full-time with 3 nights before (rate 3); B half-time with 2 (rate 4 per FTE).
    staff = (*agents("A", contract=FULL_TIME), *agents("B", contract=HALF_TIME))
    history = {"A": LedgerEntry(nights=3), "B": LedgerEntry(nights=2)}
    s = solved(nights_problem(staff, ledger=history))
    assert s.roster["A"][0] == "N"
    # Counted by head, B would be the one with fewer nights; by rate, A's 4 beats B's 4 + 2 = 6.
    assert s.terms["burdens:nights:worst"] == 40
    assert capacities(nights_problem(staff)) == ({"A": 2400, "B": 1200}, 2400)


def test_nights_count_only_for_agents_who_can_work_nights():
    # B cannot work nights (max 0): B's rate is history alone, so B is left out of the balance.
    staff = (*agents("A"), *agents("B", max_shifts={"N": 0}))
    p = problem(
        2, staff, shifts=(DAY, NIGHT), demands=(ShiftDemand(0, "N", 1),), burden_weights={"nights": 1}
    )
    s = solved(p)
    assert s.roster["A"][0] == "N"
    assert [n for n in s.terms if n.startswith("burdens:nights:spread")] == ["burdens:nights:spread:A"]


def test_priority_agent_carries_less_for_the_same_history():
    staff = (*agents("A"), *agents("B", priority=Priority(reason="cares for a relative at night")))
    history = {"A": LedgerEntry(nights=2), "B": LedgerEntry(nights=1)}
    s = solved(nights_problem(staff, ledger=history))
    # Plain counts would give the night to B (1 < 2); with weight 2 B's rate is 2 before, 4 with it.
    assert s.roster["A"][0] == "N"


def test_weekends_are_balanced_with_history():
    # Day 5 is a Saturday (first weekday Monday): one agent is needed then.
    p = problem(
        7,
        agents("A", "B"),
        demands=(ShiftDemand(5, "D", 1),),
        ledger={"B": LedgerEntry(weekends=2)},
        burden_weights={"weekends": 1},
    )
    s = solved(p)
    assert s.roster["A"][5] == "D" and s.roster["B"][5] is None


def test_holidays_are_balanced_with_history():
    p = problem(
        2,
        agents("A", "B"),
        demands=(ShiftDemand(1, "D", 1),),
        holidays=frozenset({1}),
        ledger={"A": LedgerEntry(holidays=1)},
        burden_weights={"holidays": 1},
    )
    assert solved(p).roster["B"][1] == "D"


def test_unpopular_shifts_are_balanced_with_history():
    p = problem(
        1,
        agents("A", "B"),
        demands=(ShiftDemand(0, "D", 1),),
        unpopular_shifts=frozenset({"D"}),
        ledger={"A": LedgerEntry(unpopular=1)},
        burden_weights={"unpopular": 1},
    )
    assert solved(p).roster["B"][0] == "D"


def test_spread_separates_rosters_when_the_worst_cannot_improve():
    # A had 5 nights: the max stays at A's 5 whoever works now, yet B and C should share the two.
    p = problem(
        2,
        agents("A", "B", "C"),
        shifts=(NIGHT,),
        demands=every_day(2, "N", 1),
        ledger={"A": LedgerEntry(nights=5)},
        burden_weights={"nights": 1},
    )
    s = solved(p)
    assert [s.roster[a].count("N") for a in "ABC"] == [0, 1, 1]
    # The max alone is 50 for every roster without A. Typical count (5 + 1 + 1 + 1) / 3 -> 3:
    # one night each costs 5/3 + 5/3 -> 2 + 2, both to one person 20/3 -> 7.
    assert s.terms["burdens:nights:worst"] == 50 and s.breakdown["burdens"] == 54


def test_burden_weights_are_validated():
    with pytest.raises(ProblemError):
        problem(1, agents("A"), burden_weights={"nights": -1})
    with pytest.raises(ProblemError):
        problem(1, agents("A"), burden_weights={"mondays": 1})


def test_explanation_shows_burdens_before_and_after_and_what_fairness_cost():
    staff = (*agents("A", contract=FULL_TIME), *agents("B", contract=HALF_TIME))
    p = nights_problem(staff, ledger={"A": LedgerEntry(nights=3), "B": LedgerEntry(nights=2)})
    s = solved(p)
    e = explain(p, s, diagnose=False)
    a, b = e.burdens_of("A")["nights"], e.burdens_of("B")["nights"]
    assert (a.before, a.after, a.added, a.rate_before, a.rate_after) == (3, 4, 1, 3.0, 4.0)
    assert (b.before, b.after, b.rate_after) == (2, 2, 4.0)
    assert e.fairness_cost["burdens:nights:worst"] == 40
    assert sum(e.fairness_cost.values()) == s.breakdown["burdens"]
