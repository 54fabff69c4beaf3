"""Build the CP-SAT model from the rules and solve it.

Solver options go through ``solver.parameters`` (``max_time_in_seconds``, ``num_workers``,
``random_seed``); attributes set on the solver object itself would be silently ignored.
"""

from __future__ import annotations

import contextlib
import enum
import threading
import time
from collections import defaultdict
from collections.abc import Callable, Collection, Iterator, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from ortools.sat.python import cp_model

from aspa.engine.rostering import errors
from aspa.engine.rostering.errors import ProblemError
from aspa.engine.rostering.model import Problem
from aspa.engine.rostering.rules import RULES
from aspa.engine.rostering.variables import PenaltyTerm, Roster, RosterVars, create_vars, roster_from_values

STABILITY = "stability"


class SolveStatus(enum.Enum):
    """Outcome of a solve; mirrors CP-SAT's statuses without leaking its integers."""

    OPTIMAL = "optimal"
    FEASIBLE = "feasible"
    INFEASIBLE = "infeasible"
    UNKNOWN = "unknown"
    MODEL_INVALID = "model_invalid"

    @property
    def has_roster(self) -> bool:
        return self in (SolveStatus.OPTIMAL, SolveStatus.FEASIBLE)


STATUS_FROM_CP_SAT = {
    cp_model.OPTIMAL: SolveStatus.OPTIMAL,
    cp_model.FEASIBLE: SolveStatus.FEASIBLE,
    cp_model.INFEASIBLE: SolveStatus.INFEASIBLE,
    cp_model.UNKNOWN: SolveStatus.UNKNOWN,
    cp_model.MODEL_INVALID: SolveStatus.MODEL_INVALID,
}


@dataclass(frozen=True)
class SolveParams:
    """CP-SAT parameters. ``num_workers=1`` with a fixed seed gives reproducible rosters.

    ``linearization_level=2`` puts the full LP relaxation in the search: on coverage-heavy
    instances (Curtois–Qu 5 and up) it is the difference between 10-30 % and about 1 % off.
    ``None`` keeps CP-SAT's default.
    """

    time_limit_s: float = 10.0
    num_workers: int = 2
    random_seed: int = 0
    relative_gap_limit: float = 0.0
    linearization_level: int | None = None
    log_search: bool = False

    def apply(self, solver: cp_model.CpSolver) -> None:
        solver.parameters.max_time_in_seconds = self.time_limit_s
        solver.parameters.num_workers = self.num_workers
        solver.parameters.random_seed = self.random_seed
        solver.parameters.relative_gap_limit = self.relative_gap_limit
        solver.parameters.log_search_progress = self.log_search
        if self.linearization_level is not None:
            solver.parameters.linearization_level = self.linearization_level


@dataclass(frozen=True)
class Progress:
    """One improving solution seen during the search."""

    objective: float
    bound: float
    elapsed_s: float


ProgressCallback = Callable[[Progress], None]
# Asked a few times a second during a solve; returning True stops the search with the best roster so far.
ShouldStop = Callable[[], bool]
STOP_POLL_S = 0.05


@dataclass(frozen=True)
class RosterSolution:
    """A solved roster with its cost split by rule and by named term."""

    status: SolveStatus
    roster: Roster
    objective: int | None
    bound: float | None
    wall_s: float
    breakdown: Mapping[str, int] = field(default_factory=dict)
    terms: Mapping[str, int] = field(default_factory=dict)
    stopped: bool = False

    def shift_of(self, agent_id: str, day: int) -> str | None:
        return self.roster[agent_id][day]


@dataclass(frozen=True)
class BuiltModel:
    """The CP-SAT model, its variables and the penalty terms that make up the objective."""

    model: cp_model.CpModel
    vars: RosterVars
    terms: tuple[PenaltyTerm, ...]


Extra = Callable[[cp_model.CpModel, RosterVars], None]


def build_model(
    problem: Problem,
    *,
    rules: Mapping[str, Callable[..., list[PenaltyTerm]]] = RULES,
    relax: Collection[str] = (),
    previous: Roster | None = None,
    change_weight: int = 0,
    extra: Extra | None = None,
) -> BuiltModel:
    """Apply every rule except those in ``relax`` and set the objective to the sum of penalty terms.

    With ``previous`` and ``change_weight > 0`` each agent-day that differs from the previous
    roster costs ``change_weight`` (minimal-change re-solve after a late change).
    """
    model = cp_model.CpModel()
    rv = create_vars(model, problem)
    terms: list[PenaltyTerm] = []
    for name, rule in rules.items():
        if name not in relax:
            terms.extend(rule(model, rv, problem))
    if previous is not None and change_weight > 0:
        terms.extend(_stability_terms(problem, rv, previous, change_weight))
    if extra is not None:
        extra(model, rv)
    model.minimize(sum(t.weight * t.expr for t in terms))
    return BuiltModel(model, rv, tuple(terms))


def _stability_terms(problem: Problem, rv: RosterVars, previous: Roster, weight: int) -> list[PenaltyTerm]:
    check_roster(problem, previous)
    terms = []
    for agent in problem.agents:
        changes: list[cp_model.LinearExprT] = []
        for day, was in enumerate(previous[agent.id]):
            if was is None:
                changes.append(rv.works[agent.id, day])
            else:
                var = rv.var(agent.id, day, was)
                changes.append(1 - var if var is not None else 1)
        terms.append(PenaltyTerm(STABILITY, f"{STABILITY}:{agent.id}", sum(changes), weight, agent.id))
    return terms


def check_roster(problem: Problem, roster: Roster) -> None:
    """Raise :class:`ProblemError` unless ``roster`` has one entry per day for every agent."""
    for agent in problem.agents:
        if len(roster.get(agent.id, ())) != problem.horizon_days:
            raise ProblemError(errors.ROSTER_SHAPE_INVALID)


def add_hint(built: BuiltModel, problem: Problem, roster: Roster) -> None:
    """Warm start: hint every assignment variable with its value in ``roster``."""
    check_roster(problem, roster)
    for (agent_id, day, shift_id), var in built.vars.x.items():
        built.model.add_hint(var, roster[agent_id][day] == shift_id)
    for (agent_id, day), var in built.vars.works.items():
        built.model.add_hint(var, roster[agent_id][day] is not None)


class _ProgressReporter(cp_model.CpSolverSolutionCallback):
    def __init__(self, callback: ProgressCallback) -> None:
        super().__init__()
        self._callback = callback

    def on_solution_callback(self) -> None:
        self._callback(Progress(self.objective_value, self.best_objective_bound, self.wall_time))


@contextlib.contextmanager
def stop_watch(solver: cp_model.CpSolver, should_stop: ShouldStop | None) -> Iterator[threading.Event]:
    """While the block runs, a watcher thread asks ``should_stop`` every ``STOP_POLL_S`` seconds and
    calls ``solver.stop_search()`` once it says yes (CP-SAT then returns its best roster so far).

    Yields an event that is set when the search was stopped this way.
    """
    stopped = threading.Event()
    if should_stop is None:
        yield stopped
        return
    done = threading.Event()

    def watch() -> None:
        while not done.wait(STOP_POLL_S):
            if should_stop():
                stopped.set()
                solver.stop_search()
                return

    if should_stop():
        stopped.set()
    watcher = threading.Thread(target=watch, name="roster-stop-watch", daemon=True)
    watcher.start()
    try:
        yield stopped
    finally:
        done.set()
        watcher.join()


def value_of(solver: cp_model.CpSolver, expr: cp_model.LinearExprT) -> int:
    """Value of a term's expression (which may be a plain integer) in the solver's solution."""
    return int(expr) if isinstance(expr, int) else int(solver.value(expr))


def solve_built(
    built: BuiltModel,
    problem: Problem,
    params: SolveParams = SolveParams(),
    *,
    on_progress: ProgressCallback | None = None,
    should_stop: ShouldStop | None = None,
) -> RosterSolution:
    """Run CP-SAT on an already built model; ``should_stop`` cancels it promptly (see :func:`stop_watch`)."""
    solver = cp_model.CpSolver()
    params.apply(solver)
    started = time.perf_counter()
    callback = _ProgressReporter(on_progress) if on_progress is not None else None
    with stop_watch(solver, should_stop) as stopped:
        if stopped.is_set():
            return RosterSolution(SolveStatus.UNKNOWN, MappingProxyType({}), None, None, 0.0, stopped=True)
        status = STATUS_FROM_CP_SAT[solver.solve(built.model, callback)]
    wall = time.perf_counter() - started
    if not status.has_roster:
        return RosterSolution(status, MappingProxyType({}), None, None, wall, stopped=stopped.is_set())
    term_values = {t.name: t.weight * value_of(solver, t.expr) for t in built.terms}
    breakdown: dict[str, int] = defaultdict(int)
    for t in built.terms:
        breakdown[t.rule] += term_values[t.name]
    roster = roster_from_values(problem, built.vars, solver.value)
    return RosterSolution(
        status=status,
        roster=MappingProxyType(dict(roster)),
        objective=sum(term_values.values()),
        bound=solver.best_objective_bound,
        wall_s=wall,
        breakdown=MappingProxyType(dict(breakdown)),
        terms=MappingProxyType(term_values),
        stopped=stopped.is_set(),
    )


def solve(
    problem: Problem,
    params: SolveParams = SolveParams(),
    *,
    hint: Roster | None = None,
    previous: Roster | None = None,
    change_weight: int = 0,
    on_progress: ProgressCallback | None = None,
    should_stop: ShouldStop | None = None,
) -> RosterSolution:
    """Solve ``problem``; ``hint`` warm-starts, ``previous`` + ``change_weight`` keep changes few.

    ``should_stop`` is polled during the search; once it returns True the search stops and the best
    roster found so far (if any) comes back with ``stopped=True``.
    """
    built = build_model(problem, previous=previous, change_weight=change_weight)
    if hint is not None:
        add_hint(built, problem, hint)
    return solve_built(built, problem, params, on_progress=on_progress, should_stop=should_stop)
