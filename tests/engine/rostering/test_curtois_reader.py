"""The Curtois–Qu reader on a tiny synthetic file in the benchmark format (never the real files)."""

import pytest

from aspa.engine.rostering import ReaderError, ShiftOff, ShiftOn
from aspa.engine.rostering.readers import curtois
from tests.engine.rostering.factories import solved

TINY = """\
# a comment
SECTION_HORIZON
# days
7

SECTION_SHIFTS
E,480,
L,480,E

SECTION_STAFF
A,E=7|L=7,2400,960,3,2,1,1
B,E=7|L=0,2400,960,3,1,1,1

SECTION_DAYS_OFF
A,5
B,0,6

SECTION_SHIFT_ON_REQUESTS
A,0,L,2
B,2,E,1

SECTION_SHIFT_OFF_REQUESTS
A,1,E,3

SECTION_COVER
0,E,1,100,1
0,L,1,100,1
1,E,1,100,1
2,E,2,100,1
3,L,1,100,1
"""


def test_parse_keeps_the_records(tmp_path):
    path = tmp_path / "Instance0.txt"
    path.write_text(TINY)
    inst = curtois.read(path)
    assert inst.horizon == 7
    assert [s.forbidden_next for s in inst.shifts] == [(), ("E",)]
    assert inst.staff[1].max_shifts == {"E": 7, "L": 0}
    assert inst.days_off == {"A": frozenset({5}), "B": frozenset({0, 6})}
    assert len(inst.cover) == 5


def test_to_problem_maps_onto_the_engine_model():
    p = curtois.to_problem(curtois.parse(TINY))
    assert p.shift("L").forbidden_next == frozenset({"E"})
    assert p.agent("A").min_consecutive_days == 2 and p.agent("A").max_weekends == 1
    assert p.wishes[0] == ShiftOn("A", 0, "L", 2) and p.wishes[-1] == ShiftOff("A", 1, "E", 3)
    assert p.rules.min_daily_rest_minutes is None and p.fairness_weight == 0


def test_cp_sat_objective_equals_the_independent_evaluation():
    inst = curtois.parse(TINY)
    s = solved(curtois.to_problem(inst))
    ev = curtois.evaluate(inst, s.roster)
    assert ev.violations == ()
    assert ev.objective == s.objective
    assert s.status.name == "OPTIMAL"


def test_evaluation_by_hand_and_violations():
    inst = curtois.parse(TINY)
    roster = {"A": ("L", "E", None, None, None, None, None), "B": ("E",) + (None,) * 6}
    ev = curtois.evaluate(inst, roster)
    # L then E is forbidden; B works on a day off; A 960 min ok, B 480 < 960; A's off request denied.
    assert any("followed by" in v for v in ev.violations)
    assert any("day off 0" in v for v in ev.violations)
    assert any("B: 480 minutes" in v for v in ev.violations)
    # Requests: A,1,E denied (3) + B,2,E unmet (1) = 4. Cover: day0 ok, day1 E ok, day2 E 0/2 -> 200, day3 L -> 100.
    assert (ev.requests, ev.cover, ev.objective) == (4, 300, 304)


def test_malformed_file_raises_reader_error():
    with pytest.raises(ReaderError):
        curtois.parse("5\nSECTION_HORIZON\n7\n")
    with pytest.raises(ReaderError):
        curtois.parse(TINY.replace("A,E=7|L=7,2400,960,3,2,1,1", "A,E=7|L=7,2400"))

