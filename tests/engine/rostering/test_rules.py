"""Each rule on an instance small enough to check by hand (labour rules off unless under test)."""

from aspa.engine.rostering import (
    Agent,
    Contract,
    LatestEnd,
    PreferredStart,
    ShiftDemand,
    ShiftOff,
    ShiftOn,
    ShiftType,
    SolveStatus,
    WeekdaysOff,
    WorkRules,
    solve,
)
from tests.engine.rostering.factories import (
    EARLY,
    LATE,
    NIGHT,
    PARAMS,
    agents,
    every_day,
    problem,
    solved,
    worked,
)


def test_coverage_meets_need_without_surplus():
    s = solved(problem(1, agents("A", "B", "C"), demands=(ShiftDemand(0, "D", 2),)))
    assert sum(worked(s, a) for a in "ABC") == 2
    assert s.objective == 0


def test_coverage_under_is_priced_per_missing_person():
    s = solved(problem(1, agents("A", "B"), demands=(ShiftDemand(0, "D", 4, under_weight=7),)))
    assert s.breakdown["coverage"] == 14


def test_coverage_over_is_priced_per_surplus_person():
    staff = agents("A", "B", contract=Contract(min_minutes=480))  # both must work the one day
    s = solved(problem(1, staff, demands=(ShiftDemand(0, "D", 1, over_weight=3),)))
    assert s.breakdown["coverage"] == 3


def test_one_shift_per_day():
    p = problem(
        1, agents("A"), shifts=(EARLY, LATE), demands=(ShiftDemand(0, "E", 1), ShiftDemand(0, "L", 1))
    )
    s = solved(p)
    assert worked(s, "A") == 1
    assert s.breakdown["coverage"] == 100


def test_forbidden_succession_from_shift_type():
    late = ShiftType("L", 14 * 60, 480, forbidden_next=frozenset({"E"}))
    p = problem(
        2, agents("A"), shifts=(EARLY, late), demands=(ShiftDemand(0, "L", 1), ShiftDemand(1, "E", 1))
    )
    assert solved(p).breakdown["coverage"] == 100


def test_forbidden_succession_lists_several_followers_and_allows_the_rest():
    night = ShiftType("N", 22 * 60, 480, forbidden_next=frozenset({"E", "L"}))
    shifts = (EARLY, LATE, night)
    for tomorrow, cost in (("E", 100), ("L", 100), ("N", 0)):
        p = problem(
            2, agents("A"), shifts=shifts, demands=(ShiftDemand(0, "N", 1), ShiftDemand(1, tomorrow, 1))
        )
        assert solved(p).breakdown["coverage"] == cost, tomorrow


def test_daily_rest_of_eleven_hours_forbids_late_then_early():
    # Late ends 22:00, early starts 06:00: 8 h rest < 11 h.
    demands = (ShiftDemand(0, "L", 1), ShiftDemand(1, "E", 1))
    rest = WorkRules(min_weekly_rest_minutes=None, max_minutes_per_week=None)
    assert solved(problem(2, agents("A"), (EARLY, LATE), rest, demands=demands)).breakdown["coverage"] == 100
    assert solved(problem(2, agents("A"), (EARLY, LATE), demands=demands)).breakdown["coverage"] == 0


def test_weekly_rest_needs_a_day_off_in_a_full_week():
    rules = WorkRules(min_daily_rest_minutes=None, max_minutes_per_week=None)
    s = solved(problem(7, agents("A"), rules=rules, demands=every_day(7, "D", 1)))
    assert worked(s, "A") == 6


def test_weekly_rest_counts_the_hours_around_the_day_off():
    # Nights (22-06) pinned on days 0-2; day 3 is the only possible day off.
    rules = WorkRules(min_daily_rest_minutes=None, max_minutes_per_week=None)
    nights = {0: "N", 1: "N", 2: "N"}
    # Night ends day 3 at 06:00, early starts day 4 at 06:00: 24 h < 35 h.
    then_early = Agent("A", fixed={**nights, 4: "E", 5: "E", 6: "E"})
    assert solve(problem(7, (then_early,), (EARLY, NIGHT), rules), PARAMS).status is SolveStatus.INFEASIBLE
    # Night again on day 4 starts at 22:00: 40 h of rest.
    then_night = Agent("A", fixed={**nights, 4: "N", 5: "N", 6: "N"})
    s = solved(problem(7, (then_night,), (EARLY, NIGHT), rules))
    assert s.roster["A"][3] is None


def test_weekly_hour_limit():
    rules = WorkRules(min_daily_rest_minutes=None, min_weekly_rest_minutes=None, max_minutes_per_week=2 * 480)
    s = solved(problem(7, agents("A"), rules=rules, demands=every_day(7, "D", 1)))
    assert worked(s, "A") == 2


def test_contract_horizon_limits_and_shift_type_caps():
    staff = (Agent("A", contract=Contract(max_minutes=3 * 480)), Agent("B", max_shifts={"D": 1}))
    s = solved(problem(5, staff, demands=every_day(5, "D", 2)))
    assert (worked(s, "A"), worked(s, "B")) == (3, 1)
    # A cap on one shift type leaves the others free.
    two = (Agent("A", max_shifts={"E": 1}),)
    s = solved(problem(2, two, shifts=(EARLY, LATE), demands=every_day(2, "E", 1) + every_day(2, "L", 1)))
    assert s.breakdown["coverage"] == 200 and worked(s, "A") == 2
    lazy = (Agent("A", contract=Contract(min_minutes=2 * 480)),)
    assert worked(solved(problem(5, lazy)), "A") == 2


def test_max_consecutive_days():
    s = solved(problem(5, agents("A", max_consecutive_days=2), demands=every_day(5, "D", 1)))
    assert s.roster["A"] == ("D", "D", None, "D", "D")


def test_min_consecutive_days_and_days_off():
    # Need on days 2 and 4, surplus costs 1 elsewhere: the cheapest run is days 2-4 (one surplus).
    need = tuple(ShiftDemand(d, "D", int(d in (2, 4))) for d in range(7))
    s = solved(problem(7, agents("A", min_consecutive_days=2), demands=need))
    assert s.roster["A"] == (None, None, "D", "D", "D", None, None)
    need = (*every_day(5, "D", 1, under_weight=1), ShiftDemand(2, "D", 0, over_weight=50))
    s = solved(problem(5, agents("A", min_consecutive_days_off=2), demands=need))
    assert s.roster["A"][2] is None and (s.roster["A"][1] is None or s.roster["A"][3] is None)


def test_max_consecutive_shifts_of_a_kind():
    rules = WorkRules(
        min_daily_rest_minutes=None,
        min_weekly_rest_minutes=None,
        max_minutes_per_week=None,
        max_consecutive_by_kind={"night": 2},
    )
    s = solved(problem(3, agents("A"), (NIGHT,), rules, demands=every_day(3, "N", 1)))
    assert worked(s, "A") == 2


def test_max_weekends():
    demands = tuple(ShiftDemand(d, "D", 1) for d in (5, 6, 12, 13))
    s = solved(problem(14, agents("A", max_weekends=1), demands=demands))
    assert s.breakdown["coverage"] == 200


def test_shift_on_and_off_requests():
    wishes = (ShiftOn("A", 0, "D", weight=2), ShiftOff("A", 1, weight=3), ShiftOn("B", 1, weight=1))
    s = solved(problem(2, agents("A", "B"), wishes=wishes, demands=(ShiftDemand(1, "D", 1),)))
    assert s.roster["A"] == ("D", None) and s.roster["B"][1] == "D"
    assert s.breakdown["wishes"] == 0


def test_denied_request_costs_its_weight():
    s = solved(
        problem(
            1,
            agents("A"),
            wishes=(ShiftOff("A", 0, weight=3),),
            demands=(ShiftDemand(0, "D", 1),),
            fairness_weight=0,
        )
    )
    assert s.breakdown == {"coverage": 0, "wishes": 3}


def test_latest_end_and_preferred_start():
    demands = (ShiftDemand(0, "E", 1), ShiftDemand(0, "L", 1))
    wishes = (LatestEnd("A", minute=15 * 60 + 50, weight=5), PreferredStart("B", minute=14 * 60, weight=5))
    s = solved(problem(1, agents("A", "B"), (EARLY, LATE), wishes=wishes, demands=demands))
    assert (s.roster["A"][0], s.roster["B"][0]) == ("E", "L")


def test_weekday_pattern():
    s = solved(
        problem(
            7, agents("A", "B"), wishes=(WeekdaysOff("A", frozenset({0, 2})),), demands=every_day(7, "D", 1)
        )
    )
    assert s.roster["A"][0] is None and s.roster["A"][2] is None
    assert s.breakdown["wishes"] == 0


def test_zero_weekly_cap_forbids_work():
    s = solved(
        problem(7, agents("A", contract=Contract(max_minutes_per_week=0)), demands=every_day(7, "D", 1))
    )
    assert worked(s, "A") == 0
