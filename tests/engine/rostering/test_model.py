import re

import pytest

from aspa.engine.rostering import (
    Agent,
    Contract,
    Priority,
    Problem,
    ProblemError,
    ShiftDemand,
    ShiftOn,
    ShiftType,
    WorkRules,
    errors,
)
from tests.engine.rostering.factories import DAY, agents, problem


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (lambda: ShiftType("X", 1440, 60), errors.SHIFT_INVALID),
        (lambda: ShiftType("X", 0, 0), errors.SHIFT_INVALID),
        (lambda: Contract(min_minutes=100, max_minutes=50), errors.CONTRACT_INVALID),
        (lambda: Priority(reason="  "), errors.PRIORITY_REASON_MISSING),
        (lambda: WorkRules(min_daily_rest_minutes=0), errors.RULES_INVALID),
        (lambda: Agent("A", max_consecutive_days=0), errors.RULES_INVALID),
        (lambda: problem(0, agents("A")), errors.HORIZON_INVALID),
        (lambda: problem(2, agents("A", "A")), errors.AGENT_DUPLICATE),
        (lambda: problem(2, agents("A"), shifts=(DAY, DAY)), errors.SHIFT_DUPLICATE),
        (lambda: problem(2, agents("A"), wishes=(ShiftOn("B", 0),)), errors.AGENT_UNKNOWN),
        (lambda: problem(2, agents("A"), wishes=(ShiftOn("A", 5),)), errors.DAY_OUT_OF_HORIZON),
        (lambda: problem(2, agents("A"), demands=(ShiftDemand(0, "Q", 1),)), errors.SHIFT_UNKNOWN),
        (lambda: problem(2, agents("A"), demands=(ShiftDemand(0, "D", -1),)), errors.DEMAND_INVALID),
        (lambda: problem(2, agents("A"), wishes=(ShiftOn("A", 0, weight=-1),)), errors.WEIGHT_INVALID),
        (lambda: problem(2, (Agent("A", fixed={0: "Q"}),)), errors.SHIFT_UNKNOWN),
    ],
)
def test_invalid_input_raises_specific_error(build, message):
    with pytest.raises(ProblemError, match=re.escape(message)):
        build()


def test_weeks_and_weekends_follow_first_weekday():
    p = Problem(10, (DAY,), agents("A"), first_weekday=3)  # day 0 is a Thursday
    assert p.weeks() == [[0, 1, 2, 3], [4, 5, 6, 7, 8, 9]]
    assert p.weekends() == [[2, 3], [9]]


def test_finnish_defaults():
    rules = WorkRules()
    assert rules.min_daily_rest_minutes == 660
    assert rules.min_weekly_rest_minutes == 35 * 60
    assert rules.max_minutes_per_week == 48 * 60
