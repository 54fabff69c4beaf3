"""Max-min fairness against the plain sum of wish weights, with the ledger and priority agents."""

from aspa.engine.rostering import LedgerEntry, Priority, ShiftDemand, ShiftOff
from aspa.engine.rostering.ledger import ledger_after
from tests.engine.rostering.factories import agents, problem, solved

# One person is needed on day 0 and both wish it off: A with weight 2, B with weight 1.
# B was denied everything before; A was granted everything.
NEED = (ShiftDemand(0, "D", 1),)
WISHES = (ShiftOff("A", 0, weight=2), ShiftOff("B", 0, weight=1))
HISTORY = {"A": LedgerEntry(wishes_granted=10), "B": LedgerEntry(wishes_denied=10)}


def test_pure_sum_denies_the_cheapest_wish():
    s = solved(problem(1, agents("A", "B"), demands=NEED, wishes=WISHES, ledger=HISTORY, fairness_weight=0))
    assert s.roster["B"][0] == "D"
    assert s.objective == 1


def test_max_min_serves_the_worst_off_agent():
    p = problem(1, agents("A", "B"), demands=NEED, wishes=WISHES, ledger=HISTORY, fairness_weight=1)
    s = solved(p)
    # Denying B would leave B at 11/11 = 100 % denied; denying A leaves the worst-off at B's 10/11.
    assert s.roster["A"][0] == "D"
    # Worst 91; A's progressive cost of 2 denied out of 12: the mean of 0 % and 16.7 %, twice: 16.7,
    # over the typical count (0 + 2/2 + 10 + 1/2) / 2 -> 6: 2.8, so 3.
    assert s.terms["fairness:worst"] == 91 and s.breakdown["fairness"] == 91 + 3
    assert s.breakdown["wishes"] == 2
    after = ledger_after(p, s.roster)
    assert after["A"] == LedgerEntry(wishes_granted=10, wishes_denied=2, weekends=0)
    assert after["B"].wishes_granted == 1


def test_priority_agent_is_served_first_with_equal_history():
    staff = (agents("A")[0], agents("B", priority=Priority(reason="small children, daycare closes 16:30"))[0])
    equal = (ShiftOff("A", 0, weight=1), ShiftOff("B", 0, weight=1))
    need = (ShiftDemand(0, "D", 1, under_weight=1000),)
    s = solved(problem(1, staff, demands=need, wishes=equal, fairness_weight=1))
    assert s.roster["A"][0] == "D" and s.roster["B"][0] is None
