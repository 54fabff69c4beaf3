"""Reader for the Curtois–Qu shift scheduling benchmark (schedulingbenchmarks.org, instances 1–24).

``parse`` keeps the file's own records (:class:`CurtoisInstance`); ``to_problem`` maps them onto
the engine's :class:`Problem`; ``evaluate`` scores a roster by the benchmark's definition directly
from the records, independently of the CP-SAT model, and lists any hard-constraint violation.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from aspa.engine.rostering.errors import ReaderError
from aspa.engine.rostering.model import (
    Agent,
    Contract,
    Problem,
    ShiftDemand,
    ShiftOff,
    ShiftOn,
    ShiftType,
    Wish,
    WorkRules,
)
from aspa.engine.rostering.variables import Roster

SECTIONS = (
    "SECTION_HORIZON",
    "SECTION_SHIFTS",
    "SECTION_STAFF",
    "SECTION_DAYS_OFF",
    "SECTION_SHIFT_ON_REQUESTS",
    "SECTION_SHIFT_OFF_REQUESTS",
    "SECTION_COVER",
)
FORMAT_ERROR = "Line {line}: {reason}"


@dataclass(frozen=True)
class CurtoisShift:
    id: str
    minutes: int
    forbidden_next: tuple[str, ...]


@dataclass(frozen=True)
class CurtoisStaff:
    id: str
    max_shifts: Mapping[str, int]
    max_total_minutes: int
    min_total_minutes: int
    max_consecutive_shifts: int
    min_consecutive_shifts: int
    min_consecutive_days_off: int
    max_weekends: int


@dataclass(frozen=True)
class CurtoisRequest:
    staff_id: str
    day: int
    shift_id: str
    weight: int


@dataclass(frozen=True)
class CurtoisCover:
    day: int
    shift_id: str
    requirement: int
    under_weight: int
    over_weight: int


@dataclass(frozen=True)
class CurtoisInstance:
    horizon: int
    shifts: tuple[CurtoisShift, ...]
    staff: tuple[CurtoisStaff, ...]
    days_off: Mapping[str, frozenset[int]]
    on_requests: tuple[CurtoisRequest, ...]
    off_requests: tuple[CurtoisRequest, ...]
    cover: tuple[CurtoisCover, ...]


@dataclass(frozen=True)
class Evaluation:
    """The benchmark objective of a roster, its parts, and hard violations (empty when feasible)."""

    objective: int
    requests: int
    cover: int
    violations: tuple[str, ...]


def read(path: str | Path) -> CurtoisInstance:
    return parse(Path(path).read_text(encoding="ascii"))


def parse(text: str) -> CurtoisInstance:
    """Parse the text of an instance; raises :class:`ReaderError` naming the offending line."""
    sections: dict[str, list[tuple[int, list[str]]]] = {name: [] for name in SECTIONS}
    current: str | None = None
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line in sections:
            current = line
            continue
        if current is None:
            raise ReaderError(FORMAT_ERROR.format(line=number, reason="data before any section"))
        sections[current].append((number, [f.strip() for f in line.split(",")]))
    try:
        return _build(sections)
    except (ValueError, IndexError, KeyError) as exc:
        if isinstance(exc, ReaderError):
            raise
        raise ReaderError(FORMAT_ERROR.format(line="?", reason=f"malformed record ({exc})")) from exc


def _build(sections: dict[str, list[tuple[int, list[str]]]]) -> CurtoisInstance:
    if len(sections["SECTION_HORIZON"]) != 1:
        raise ReaderError(FORMAT_ERROR.format(line="?", reason="SECTION_HORIZON needs one value"))
    horizon = int(sections["SECTION_HORIZON"][0][1][0])
    shifts = tuple(
        CurtoisShift(f[0], int(f[1]), tuple(x for x in (f[2] if len(f) > 2 else "").split("|") if x))
        for _, f in sections["SECTION_SHIFTS"]
    )
    staff = []
    for number, f in sections["SECTION_STAFF"]:
        if len(f) != 8:
            raise ReaderError(FORMAT_ERROR.format(line=number, reason="a staff line has 8 fields"))
        limits = dict((k, int(v)) for k, v in (pair.split("=") for pair in f[1].split("|") if pair))
        staff.append(CurtoisStaff(f[0], limits, *(int(v) for v in f[2:8])))
    days_off = {f[0]: frozenset(int(d) for d in f[1:] if d) for _, f in sections["SECTION_DAYS_OFF"]}

    def requests(name: str) -> tuple[CurtoisRequest, ...]:
        return tuple(CurtoisRequest(f[0], int(f[1]), f[2], int(f[3])) for _, f in sections[name])

    cover = tuple(
        CurtoisCover(int(f[0]), f[1], int(f[2]), int(f[3]), int(f[4])) for _, f in sections["SECTION_COVER"]
    )
    return CurtoisInstance(
        horizon, shifts, tuple(staff), days_off, requests("SECTION_SHIFT_ON_REQUESTS"),
        requests("SECTION_SHIFT_OFF_REQUESTS"), cover,
    )


def to_problem(instance: CurtoisInstance) -> Problem:
    """The instance as an engine problem: benchmark rules only (no Finnish defaults), no fairness."""
    # The benchmark gives lengths but no clock times; starts are irrelevant with rest rules off.
    shift_types = tuple(ShiftType(s.id, 0, s.minutes, forbidden_next=frozenset(s.forbidden_next))
                        for s in instance.shifts)
    agents = tuple(
        Agent(
            id=s.id,
            contract=Contract(min_minutes=s.min_total_minutes, max_minutes=s.max_total_minutes),
            max_shifts=s.max_shifts,
            unavailable_days=instance.days_off.get(s.id, frozenset()),
            max_consecutive_days=s.max_consecutive_shifts,
            min_consecutive_days=s.min_consecutive_shifts,
            min_consecutive_days_off=s.min_consecutive_days_off,
            max_weekends=s.max_weekends,
        )
        for s in instance.staff
    )
    wishes: list[Wish] = [ShiftOn(r.staff_id, r.day, r.shift_id, r.weight) for r in instance.on_requests]
    wishes += [ShiftOff(r.staff_id, r.day, r.shift_id, r.weight) for r in instance.off_requests]
    demands = tuple(ShiftDemand(c.day, c.shift_id, c.requirement, c.under_weight, c.over_weight)
                    for c in instance.cover)
    return Problem(
        horizon_days=instance.horizon,
        shift_types=shift_types,
        agents=agents,
        demands=demands,
        wishes=tuple(wishes),
        rules=WorkRules.none(),
        fairness_weight=0,
    )


def evaluate(instance: CurtoisInstance, roster: Roster) -> Evaluation:
    """Score ``roster`` exactly as the benchmark defines it, straight from the file's records."""
    violations: list[str] = []
    shifts = {s.id: s for s in instance.shifts}
    h = instance.horizon
    for st in instance.staff:
        days = list(roster.get(st.id, ()))
        if len(days) != h:
            violations.append(f"{st.id}: roster length {len(days)} != {h}")
            continue
        worked = [d is not None for d in days]
        for d in range(h - 1):
            today, tomorrow = days[d], days[d + 1]
            if today is not None and tomorrow is not None and tomorrow in shifts[today].forbidden_next:
                violations.append(f"{st.id}: {today} on day {d} followed by {tomorrow}")
        for sid, cap in st.max_shifts.items():
            if days.count(sid) > cap:
                violations.append(f"{st.id}: {days.count(sid)} x {sid} > {cap}")
        minutes = sum(shifts[d].minutes for d in days if d is not None)
        if not st.min_total_minutes <= minutes <= st.max_total_minutes:
            violations.append(f"{st.id}: {minutes} minutes outside [{st.min_total_minutes}, {st.max_total_minutes}]")
        for value, low, high, label in ((True, st.min_consecutive_shifts, st.max_consecutive_shifts, "work"),
                                        (False, st.min_consecutive_days_off, None, "off")):
            for start, length in _blocks(worked, value):
                if high is not None and length > high:
                    violations.append(f"{st.id}: {label} run of {length} from day {start} > {high}")
                inner = start > 0 and start + length < h
                if inner and length < low:
                    violations.append(f"{st.id}: {label} run of {length} from day {start} < {low}")
        weekends = sum(1 for k in range(h // 7) if worked[7 * k + 5] or worked[7 * k + 6])
        if weekends > st.max_weekends:
            violations.append(f"{st.id}: {weekends} weekends > {st.max_weekends}")
        for d in instance.days_off.get(st.id, frozenset()):
            if worked[d]:
                violations.append(f"{st.id}: works on day off {d}")
    request_cost = sum(r.weight for r in instance.on_requests if roster[r.staff_id][r.day] != r.shift_id)
    request_cost += sum(r.weight for r in instance.off_requests if roster[r.staff_id][r.day] == r.shift_id)
    cover_cost = 0
    for c in instance.cover:
        n = sum(1 for st in instance.staff if roster[st.id][c.day] == c.shift_id)
        cover_cost += c.under_weight * max(0, c.requirement - n) + c.over_weight * max(0, n - c.requirement)
    return Evaluation(request_cost + cover_cost, request_cost, cover_cost, tuple(violations))


def _blocks(flags: list[bool], value: bool) -> list[tuple[int, int]]:
    """(start, length) of each maximal run of ``value`` in ``flags``."""
    runs, start = [], None
    for i, flag in enumerate([*flags, not value]):
        if flag == value and start is None:
            start = i
        elif flag != value and start is not None:
            runs.append((start, i - start))
            start = None
    return runs
