"""Large-neighbourhood search over agents and days, so quality keeps improving with time.

One CP-SAT model of the whole problem is built once. After a first solve, each step frees a
neighbourhood (some agents over the whole horizon, all agents over a window of days, or some agents
over a window) and fixes every other assignment to the incumbent by narrowing the variables'
domains in the model proto; the incumbent is the hint, so CP-SAT starts from it. Steps that do not
make the roster worse are kept (equal moves let the search cross plateaus). The neighbourhood
grows after steps solved to optimality and shrinks after steps that ran out of time.

A third kind frees two day windows, one around a day that still costs coverage, so that work can
move between them. Measured on Curtois–Qu 5–8 with 20 s on 2 shared cores this does not yet
reliably beat one whole-model CP-SAT run with ``linearization_level=2`` (run-to-run spread is
larger than the difference); it is meant for instances too large for one model.
"""

from __future__ import annotations

import random
import time
from collections.abc import Sequence
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from aspa.engine.rostering.model import Problem
from aspa.engine.rostering.rules import coverage
from aspa.engine.rostering.solve import (
    STATUS_FROM_CP_SAT,
    BuiltModel,
    Progress,
    ProgressCallback,
    RosterSolution,
    ShouldStop,
    SolveParams,
    SolveStatus,
    add_hint,
    build_model,
    check_roster,
    solve_built,
    stop_watch,
    value_of,
)
from aspa.engine.rostering.variables import Roster


@dataclass(frozen=True)
class LnsParams:
    """``solve.time_limit_s`` is the total budget; ``first_solve_share`` of it goes to the first model."""

    solve: SolveParams = field(default_factory=SolveParams)
    first_solve_share: float = 0.2
    step_time_s: float = 2.0
    start_size: float = 0.4
    min_size: float = 0.05
    max_size: float = 0.8


def solve_lns(
    problem: Problem,
    params: LnsParams | None = None,
    *,
    hint: Roster | None = None,
    on_progress: ProgressCallback | None = None,
    should_stop: ShouldStop | None = None,
) -> RosterSolution:
    """Solve by CP-SAT then large-neighbourhood search within ``params.solve.time_limit_s``.

    ``should_stop`` is polled during every CP-SAT run and between steps; once it says yes the best
    roster so far comes back with ``stopped=True``.
    """
    params = params or LnsParams()
    started = time.perf_counter()
    deadline = started + params.solve.time_limit_s
    built = build_model(problem)
    search = _Search(built, problem, params, started, on_progress, should_stop)
    # A feasible previous roster is the incumbent straight away; otherwise it only guides the first solve.
    if hint is None or not search.start_from(hint):
        if hint is not None:
            add_hint(built, problem, hint)
        first = search.first_solve(params.solve.time_limit_s * params.first_solve_share)
        if first is not None:
            return first
    rng = random.Random(params.solve.random_seed)
    while time.perf_counter() < deadline - 0.05 and not search.stopped:
        search.step(rng, deadline - time.perf_counter())
    return search.result(time.perf_counter() - started)


class _Search:
    def __init__(
        self,
        built: BuiltModel,
        problem: Problem,
        params: LnsParams,
        started: float,
        on_progress: ProgressCallback | None,
        should_stop: ShouldStop | None = None,
    ) -> None:
        self.built, self.problem, self.params = built, problem, params
        self.started, self.on_progress = started, on_progress
        self.should_stop = should_stop
        self.stopped = False
        self.proto = built.model.proto
        self.keys = list(built.vars.x)
        self.index = [built.vars.x[k].index for k in self.keys]
        self.works = [(k, v.index) for k, v in built.vars.works.items()]
        self.values: list[int] = []
        self.objective = float("inf")
        self.bound = 0.0
        self.size = params.start_size
        self.status = SolveStatus.UNKNOWN
        self.coverage_terms = [(t, _day_of(t.name)) for t in built.terms if t.rule == coverage.NAME]
        self.short_days: list[int] = []

    def _solver(self, limit: float) -> cp_model.CpSolver:
        solver = cp_model.CpSolver()
        SolveParams(
            time_limit_s=max(0.05, limit),
            num_workers=self.params.solve.num_workers,
            random_seed=self.params.solve.random_seed,
            linearization_level=self.params.solve.linearization_level,
        ).apply(solver)
        return solver

    def first_solve(self, limit: float) -> RosterSolution | None:
        """Run the whole model; returns a final answer when it is optimal or has no roster."""
        solver = self._solver(limit)
        status = self._run(solver)
        self.status = status
        if not status.has_roster:
            return RosterSolution(
                status, {}, None, None, time.perf_counter() - self.started, stopped=self.stopped
            )
        self.bound = solver.best_objective_bound
        self._accept(solver)
        if status is SolveStatus.OPTIMAL:
            return self.result(time.perf_counter() - self.started, status)
        return None

    def _run(self, solver: cp_model.CpSolver) -> SolveStatus:
        with stop_watch(solver, self.should_stop) as stopped:
            status = STATUS_FROM_CP_SAT[solver.solve(self.built.model)]
        self.stopped = self.stopped or stopped.is_set()
        return status

    def start_from(self, roster: Roster) -> bool:
        """Take ``roster`` as the incumbent when it satisfies every hard rule."""
        check_roster(self.problem, roster)
        self.values = [int(roster[a][d] == s) for a, d, s in self.keys]
        if any(
            roster[a.id][d] is not None and (a.id, d, roster[a.id][d]) not in self.built.vars.x
            for a in self.problem.agents
            for d in self.problem.days
        ):
            return False
        self._fix(set())
        solver = self._solver(5.0)
        status = STATUS_FROM_CP_SAT[solver.solve(self.built.model)]
        self._release()
        if not status.has_roster:
            return False
        self.status = SolveStatus.FEASIBLE
        self._accept(solver)
        return True

    def _accept(self, solver: cp_model.CpSolver) -> None:
        self.values = [int(solver.value(self.built.vars.x[k])) for k in self.keys]
        self.short_days = [day for term, day in self.coverage_terms if value_of(solver, term.expr) > 0]
        improved = solver.objective_value < self.objective
        self.objective = solver.objective_value
        if improved and self.on_progress is not None:
            self.on_progress(Progress(self.objective, self.bound, time.perf_counter() - self.started))

    def _neighbourhood(self, rng: random.Random) -> set[int]:
        """Positions in ``self.keys`` that are free in this step."""
        agents = [a.id for a in self.problem.agents]
        days = self.problem.horizon_days
        kind = rng.random()
        if kind < 0.4 and self.short_days:
            # Two windows, one around a day that costs coverage: work can move between them while
            # horizon totals, weekend counts and run lengths elsewhere stay as they are.
            width = max(2, round(self.size * days / 2))
            around = rng.choice(self.short_days)
            first = max(0, min(days - width, around - rng.randrange(width)))
            second = rng.randrange(0, max(1, days - width + 1))
            return {
                i
                for i, k in enumerate(self.keys)
                if first <= k[1] < first + width or second <= k[1] < second + width
            }
        kind = rng.random()
        if kind < 0.4:
            chosen = set(rng.sample(agents, max(2, round(self.size * len(agents)))))
            return {i for i, k in enumerate(self.keys) if k[0] in chosen}
        if kind < 0.7:
            width = max(2, round(self.size * days))
            start = rng.randrange(0, max(1, days - width + 1))
            return {i for i, k in enumerate(self.keys) if start <= k[1] < start + width}
        chosen = set(rng.sample(agents, max(2, round(min(1.0, 2 * self.size) * len(agents)))))
        width = max(3, round(min(1.0, 2 * self.size) * days))
        start = rng.randrange(0, max(1, days - width + 1))
        return {i for i, k in enumerate(self.keys) if k[0] in chosen and start <= k[1] < start + width}

    def step(self, rng: random.Random, remaining: float) -> None:
        free = self._neighbourhood(rng)
        self._fix(free)
        self._hint()
        solver = self._solver(min(self.params.step_time_s, remaining))
        limit = solver.parameters.max_time_in_seconds
        status = self._run(solver)
        self._release()
        if status.has_roster and solver.objective_value <= self.objective:
            self._accept(solver)
        if status is SolveStatus.OPTIMAL:
            # Proved quickly: the neighbourhood is too easy to find anything new, grow it faster.
            factor = 1.3 if solver.wall_time < 0.2 * limit else 1.1
            self.size = min(self.params.max_size, self.size * factor)
        else:
            self.size = max(self.params.min_size, self.size * 0.9)

    def _fix(self, free: set[int] | Sequence[int]) -> None:
        for position, var_index in enumerate(self.index):
            if position not in free:
                # Boolean domains are the interval list [lo, hi]; narrowing both ends fixes the variable.
                domain = self.proto.variables[var_index].domain
                domain[0] = domain[1] = self.values[position]

    def _release(self) -> None:
        for var_index in self.index:
            domain = self.proto.variables[var_index].domain
            domain[0], domain[1] = 0, 1

    def _hint(self) -> None:
        self.built.model.clear_hints()
        worked: dict[tuple[str, int], int] = {}
        for position, key in enumerate(self.keys):
            self.built.model.add_hint(self.built.vars.x[key], self.values[position])
            worked[key[:2]] = worked.get(key[:2], 0) + self.values[position]
        for day_key, _ in self.works:
            self.built.model.add_hint(self.built.vars.works[day_key], worked.get(day_key, 0))

    def result(self, wall: float, status: SolveStatus = SolveStatus.FEASIBLE) -> RosterSolution:
        """Read the incumbent back through one quick solve with every assignment fixed."""
        self._fix(set())
        final = solve_built(self.built, self.problem, SolveParams(time_limit_s=30.0, num_workers=1))
        self._release()
        return RosterSolution(
            status=status,
            roster=final.roster,
            objective=final.objective,
            bound=self.bound,
            wall_s=wall,
            breakdown=final.breakdown,
            terms=final.terms,
            stopped=self.stopped,
        )


def _day_of(term_name: str) -> int:
    """Day of a coverage term named ``coverage:d<day>:...``."""
    return int(term_name.split(":")[1][1:])
