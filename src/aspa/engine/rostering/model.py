"""The rostering problem as frozen, validated dataclasses.

Time is counted in whole minutes. Day ``d`` of the horizon starts at absolute minute ``d * 1440``;
a shift starting at ``start_minute`` on day ``d`` runs over ``[d*1440 + start, d*1440 + start + length)``
and may run past midnight (night shifts). ``first_weekday`` says which weekday day 0 is (0 = Monday).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from types import MappingProxyType

from aspa.engine.rostering import errors
from aspa.engine.rostering.errors import ProblemError

MINUTES_PER_DAY = 1440
SATURDAY, SUNDAY = 5, 6
# The burdens the fairness ledger counts and the burden rule balances (keys of Problem.burden_weights).
BURDENS = ("nights", "weekends", "holidays", "unpopular")


def _frozen_map(value: Mapping[str, int] | None) -> Mapping[str, int]:
    return MappingProxyType(dict(value or {}))


@dataclass(frozen=True)
class ShiftType:
    """A kind of shift. Paid breaks count as working time, so ``length_minutes`` is what is paid.

    ``forbidden_next`` lists shift ids that may not be worked on the day after this one (the
    Curtois–Qu sequence rule); rest-based successions come from :class:`WorkRules` instead.
    """

    id: str
    start_minute: int
    length_minutes: int
    paid_break_minutes: int = 0
    kind: str = "day"
    forbidden_next: frozenset[str] = frozenset()

    def __post_init__(self) -> None:
        if not self.id or not 0 <= self.start_minute < MINUTES_PER_DAY or self.length_minutes <= 0:
            raise ProblemError(errors.SHIFT_INVALID)
        if not 0 <= self.paid_break_minutes < self.length_minutes:
            raise ProblemError(errors.SHIFT_INVALID)

    @property
    def end_minute(self) -> int:
        """End as minutes from the start of the shift's day (may exceed 1440)."""
        return self.start_minute + self.length_minutes


@dataclass(frozen=True)
class Contract:
    """Paid minutes an agent works over the horizon and, optionally, per calendar week."""

    min_minutes: int = 0
    max_minutes: int | None = None
    min_minutes_per_week: int = 0
    max_minutes_per_week: int | None = None

    def __post_init__(self) -> None:
        for low, high in ((self.min_minutes, self.max_minutes), (self.min_minutes_per_week,
                                                                  self.max_minutes_per_week)):
            if low < 0 or (high is not None and high < low):
                raise ProblemError(errors.CONTRACT_INVALID)


@dataclass(frozen=True)
class Priority:
    """The team gave this agent priority for wishes; the reason is recorded for transparency."""

    reason: str
    weight: int = 2

    def __post_init__(self) -> None:
        if not self.reason.strip():
            raise ProblemError(errors.PRIORITY_REASON_MISSING)
        if self.weight < 1:
            raise ProblemError(errors.WEIGHT_INVALID)


@dataclass(frozen=True)
class Agent:
    """A person to roster.

    ``max_shifts`` caps shifts per type over the horizon (0 forbids the type). ``unavailable_days``
    are hard days off. ``fixed`` pins days to a shift id, or to ``None`` for a pinned day off.
    The consecutive-run limits override the :class:`WorkRules` defaults when given.
    """

    id: str
    contract: Contract = field(default_factory=Contract)
    skills: frozenset[str] = frozenset()
    max_shifts: Mapping[str, int] = field(default_factory=dict)
    unavailable_days: frozenset[int] = frozenset()
    fixed: Mapping[int, str | None] = field(default_factory=dict)
    max_consecutive_days: int | None = None
    min_consecutive_days: int | None = None
    min_consecutive_days_off: int | None = None
    max_weekends: int | None = None
    priority: Priority | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "max_shifts", _frozen_map(self.max_shifts))
        object.__setattr__(self, "fixed", MappingProxyType(dict(self.fixed)))
        for value in (self.max_consecutive_days, self.min_consecutive_days, self.min_consecutive_days_off):
            if value is not None and value < 1:
                raise ProblemError(errors.RULES_INVALID)
        if self.max_weekends is not None and self.max_weekends < 0:
            raise ProblemError(errors.RULES_INVALID)
        if any(v < 0 for v in self.max_shifts.values()):
            raise ProblemError(errors.RULES_INVALID)


@dataclass(frozen=True)
class ShiftDemand:
    """Head-count wanted for one shift type on one day (the Curtois–Qu cover line)."""

    day: int
    shift_id: str
    required: int
    under_weight: int = 100
    over_weight: int = 1


@dataclass(frozen=True)
class IntervalDemand:
    """Agents with ``skill`` wanted over ``[start_minute, start_minute + length)`` of ``day``.

    ``load_erlangs`` and ``aht_seconds``, when given, let explanations report the expected
    service level of the scheduled head-count (Erlang C).
    """

    day: int
    start_minute: int
    length_minutes: int
    required: int
    skill: str | None = None
    under_weight: int = 100
    over_weight: int = 1
    load_erlangs: float | None = None
    aht_seconds: float | None = None


Demand = ShiftDemand | IntervalDemand


@dataclass(frozen=True)
class WorkRules:
    """Labour rules. Defaults follow the Finnish Working Hours Act (työaikalaki 872/2019).

    - 11 h daily rest between shifts (§ 25), 35 h uninterrupted weekly rest (§ 27);
    - at most 48 h a week on average including overtime (§ 18); per-week limit here, the
      averaging period can be modelled with the horizon limit of a :class:`Contract`.
    ``None`` disables a rule (benchmarks with their own sequence rules do that).
    """

    min_daily_rest_minutes: int | None = 11 * 60
    min_weekly_rest_minutes: int | None = 35 * 60
    max_minutes_per_week: int | None = 48 * 60
    max_consecutive_days: int | None = None
    min_consecutive_days: int | None = None
    min_consecutive_days_off: int | None = None
    max_consecutive_by_kind: Mapping[str, int] = field(default_factory=dict)
    max_weekends: int | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "max_consecutive_by_kind", _frozen_map(self.max_consecutive_by_kind))
        limits = (self.min_daily_rest_minutes, self.min_weekly_rest_minutes, self.max_minutes_per_week,
                  self.max_consecutive_days, self.min_consecutive_days, self.min_consecutive_days_off,
                  *self.max_consecutive_by_kind.values())
        if any(v is not None and v < 1 for v in limits):
            raise ProblemError(errors.RULES_INVALID)
        if self.max_weekends is not None and self.max_weekends < 0:
            raise ProblemError(errors.RULES_INVALID)

    @classmethod
    def none(cls) -> WorkRules:
        """No rule at all beyond one shift a day; per-agent limits still apply."""
        return cls(min_daily_rest_minutes=None, min_weekly_rest_minutes=None, max_minutes_per_week=None)


@dataclass(frozen=True)
class ShiftOn:
    """The agent wishes to work on ``day``: that shift, or any shift when ``shift_id`` is None."""

    agent_id: str
    day: int
    shift_id: str | None = None
    weight: int = 1


@dataclass(frozen=True)
class ShiftOff:
    """The agent wishes not to work ``shift_id`` on ``day``; ``None`` means a whole day off."""

    agent_id: str
    day: int
    shift_id: str | None = None
    weight: int = 1


@dataclass(frozen=True)
class LatestEnd:
    """The agent must leave by ``minute`` (e.g. 15:50 = 950) on the given weekdays (all when None)."""

    agent_id: str
    minute: int
    weekdays: frozenset[int] | None = None
    weight: int = 1


@dataclass(frozen=True)
class PreferredStart:
    """The agent prefers shifts starting within ``tolerance`` minutes of ``minute`` when working."""

    agent_id: str
    minute: int
    tolerance_minutes: int = 0
    weekdays: frozenset[int] | None = None
    weight: int = 1


@dataclass(frozen=True)
class WeekdaysOff:
    """A weekday pattern: the agent wishes to be off on these weekdays (0 = Monday)."""

    agent_id: str
    weekdays: frozenset[int]
    weight: int = 1


Wish = ShiftOn | ShiftOff | LatestEnd | PreferredStart | WeekdaysOff


@dataclass(frozen=True)
class LedgerEntry:
    """One agent's fairness history over the rolling window (weights, not counts, for wishes)."""

    wishes_granted: int = 0
    wishes_denied: int = 0
    nights: int = 0
    weekends: int = 0
    holidays: int = 0
    unpopular: int = 0

    def __post_init__(self) -> None:
        if min(self.wishes_granted, self.wishes_denied, self.nights, self.weekends, self.holidays,
               self.unpopular) < 0:
            raise ProblemError(errors.WEIGHT_INVALID)

    @property
    def wishes_total(self) -> int:
        return self.wishes_granted + self.wishes_denied

    @property
    def granted_share(self) -> float:
        """Share of wished weight granted; 1.0 for an agent with no wishes yet."""
        return self.wishes_granted / self.wishes_total if self.wishes_total else 1.0


@dataclass(frozen=True)
class Problem:
    """Everything the optimiser needs. Validated on construction; raises :class:`ProblemError`.

    ``unpopular_shifts`` are shift ids that the ledger counts (nights count by ``kind == "night"``).
    ``fairness_weight`` prices one percentage point of the worst-off agent's denied wish share
    against one unit of wish weight; 0 turns the max-min term off (pure sum).
    ``burden_weights`` prices, per burden in :data:`BURDENS`, one tenth of a shift on the worst-off
    agent's burden rate per full-time equivalent (see :mod:`.rules.burdens`); missing or 0 is off.
    """

    horizon_days: int
    shift_types: tuple[ShiftType, ...]
    agents: tuple[Agent, ...]
    demands: tuple[Demand, ...] = ()
    wishes: tuple[Wish, ...] = ()
    rules: WorkRules = field(default_factory=WorkRules)
    ledger: Mapping[str, LedgerEntry] = field(default_factory=dict)
    first_weekday: int = 0
    holidays: frozenset[int] = frozenset()
    unpopular_shifts: frozenset[str] = frozenset()
    fairness_weight: int = 1
    burden_weights: Mapping[str, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        object.__setattr__(self, "burden_weights", _frozen_map(self.burden_weights))
        object.__setattr__(self, "shift_types", tuple(self.shift_types))
        object.__setattr__(self, "agents", tuple(self.agents))
        object.__setattr__(self, "demands", tuple(self.demands))
        object.__setattr__(self, "wishes", tuple(self.wishes))
        object.__setattr__(self, "ledger", MappingProxyType(dict(self.ledger)))
        self._validate()

    def _validate(self) -> None:
        if self.horizon_days < 1 or not 0 <= self.first_weekday < 7:
            raise ProblemError(errors.HORIZON_INVALID)
        if self.fairness_weight < 0:
            raise ProblemError(errors.WEIGHT_INVALID)
        if not set(self.burden_weights) <= set(BURDENS) or any(w < 0 for w in self.burden_weights.values()):
            raise ProblemError(errors.WEIGHT_INVALID)
        shift_ids = [s.id for s in self.shift_types]
        if len(set(shift_ids)) != len(shift_ids):
            raise ProblemError(errors.SHIFT_DUPLICATE)
        agent_ids = [a.id for a in self.agents]
        if len(set(agent_ids)) != len(agent_ids):
            raise ProblemError(errors.AGENT_DUPLICATE)
        known_shifts, known_agents = set(shift_ids), set(agent_ids)
        for shift in self.shift_types:
            if not shift.forbidden_next <= known_shifts:
                raise ProblemError(errors.SHIFT_UNKNOWN)
        for agent in self.agents:
            if not set(agent.max_shifts) <= known_shifts:
                raise ProblemError(errors.SHIFT_UNKNOWN)
            if not set(agent.fixed.values()) - {None} <= known_shifts:
                raise ProblemError(errors.SHIFT_UNKNOWN)
            self._check_days([*agent.unavailable_days, *agent.fixed])
        for demand in self.demands:
            self._check_days([demand.day])
            if demand.required < 0 or demand.under_weight < 0 or demand.over_weight < 0:
                raise ProblemError(errors.DEMAND_INVALID)
            if isinstance(demand, ShiftDemand) and demand.shift_id not in known_shifts:
                raise ProblemError(errors.SHIFT_UNKNOWN)
            if isinstance(demand, IntervalDemand) and demand.length_minutes <= 0:
                raise ProblemError(errors.DEMAND_INVALID)
        for wish in self.wishes:
            if wish.agent_id not in known_agents:
                raise ProblemError(errors.AGENT_UNKNOWN)
            if wish.weight < 0:
                raise ProblemError(errors.WEIGHT_INVALID)
            if isinstance(wish, ShiftOn | ShiftOff):
                self._check_days([wish.day])
                if wish.shift_id is not None and wish.shift_id not in known_shifts:
                    raise ProblemError(errors.SHIFT_UNKNOWN)
        if not set(self.ledger) <= known_agents:
            raise ProblemError(errors.AGENT_UNKNOWN)
        self._check_days(list(self.holidays))

    def _check_days(self, days: list[int]) -> None:
        if any(not 0 <= d < self.horizon_days for d in days):
            raise ProblemError(errors.DAY_OUT_OF_HORIZON)

    # -- derived views used by the rules -------------------------------------------------------

    @property
    def days(self) -> range:
        return range(self.horizon_days)

    def shift(self, shift_id: str) -> ShiftType:
        return self._shift_index[shift_id]

    @cached_property
    def _shift_index(self) -> dict[str, ShiftType]:
        return {s.id: s for s in self.shift_types}

    def agent(self, agent_id: str) -> Agent:
        return self._agent_index[agent_id]

    @cached_property
    def _agent_index(self) -> dict[str, Agent]:
        return {a.id: a for a in self.agents}

    def weekday(self, day: int) -> int:
        return (self.first_weekday + day) % 7

    def weeks(self) -> list[list[int]]:
        """Calendar weeks (Monday to Sunday) met by the horizon, each as a list of its days."""
        weeks: list[list[int]] = []
        for day in self.days:
            if not weeks or self.weekday(day) == 0:
                weeks.append([])
            weeks[-1].append(day)
        return weeks

    def weekends(self) -> list[list[int]]:
        """Saturday/Sunday day groups met by the horizon (a lone Sunday at the start counts)."""
        groups: list[list[int]] = []
        for day in self.days:
            if self.weekday(day) not in (SATURDAY, SUNDAY):
                continue
            if groups and self.weekday(day) == SUNDAY and groups[-1][-1] == day - 1:
                groups[-1].append(day)
            else:
                groups.append([day])
        return groups
