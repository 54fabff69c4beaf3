"""Large-neighbourhood search over agents and days, so quality keeps improving with time.

One CP-SAT model of the whole problem is built once. A first whole-model solve finds an incumbent
(it runs for ``first_solve_share`` of the budget; when it has no roster by then, a solve of the hard
rules alone, objective ignored, finds one, which large instances need). Then each step
frees a *neighbourhood* and fixes every other agent-day to the incumbent by narrowing the
variables' domains in the model proto; the whole incumbent is the hint, so CP-SAT starts from it
and only has to improve. Steps that do not make the roster worse are kept (equal moves let the
search cross plateaus).

Neighbourhood kinds (each with its own size, as a share of the agent-day cells it frees):

- ``agents``: some agents over the whole horizon (moves work between people);
- ``days``: every agent over a window of days (moves work between days);
- ``block``: some agents over a window;
- ``short``: a window around a day that still costs coverage plus a second window, so that work can
  move between them;
- ``cover``: agents who could fill a demand that is still short, over the whole horizon (so that
  their per-type caps, weekends and hours can be rearranged to fill it).

A kind's size grows after steps solved to optimality and shrinks after steps that ran out of time.
Kinds are drawn in proportion to how often they improved the roster lately. Steps run with one
CP-SAT worker each in ``threads`` parallel threads (one per ``solve.num_workers`` by default), each
on its own copy of the model; a thread's result replaces the incumbent when it is at least as good.

Measured on the Curtois–Qu benchmark, 60 s, 2 shared cores: one whole-model CP-SAT run
(``linearization_level=2``) ends 8.9 % / 66 % / 47 % above the best known value on instances 5 / 8 /
12, this search 0.3-8 % / 20 % / 6.6-6.8 % over two runs (they differ: the threads race).
"""

from __future__ import annotations

import contextlib
import math
import random
import threading
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field

from ortools.sat.python import cp_model, cp_model_helper

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
from aspa.engine.rostering.variables import Roster, roster_from_values

KINDS = ("agents", "days", "block", "short", "cover")


@dataclass(frozen=True)
class LnsParams:
    """``solve.time_limit_s`` is the total budget; ``first_solve_share`` of it goes to the first model.

    ``start_size``, ``min_size`` and ``max_size`` are shares of the agent-day cells a step frees.
    ``threads`` steps run side by side (``None``: ``solve.num_workers``), one CP-SAT worker each.
    After ``stall_steps`` steps in a row without improvement (0: never), the whole model runs for
    ``burst_share`` of the budget from the incumbent.
    """

    solve: SolveParams = field(default_factory=SolveParams)
    first_solve_share: float = 0.2
    step_time_s: float = 2.0
    start_size: float = 0.15
    min_size: float = 0.01
    max_size: float = 0.8
    threads: int | None = None
    stall_steps: int = 40
    burst_share: float = 0.1


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
        first = search.first_solve(params.solve.time_limit_s * params.first_solve_share, deadline)
        if first is not None:
            return first
    threads = max(1, params.threads or params.solve.num_workers)
    whole = built.model.clone()
    models = [built.model] + [built.model.clone() for _ in range(threads - 1)]
    round_ = 0
    while time.perf_counter() < deadline - 0.05 and not search.stopped:
        search.stalled = 0
        workers = [
            threading.Thread(
                target=search.run, args=(model, params.solve.random_seed + 1000 * round_ + i, deadline)
            )
            for i, model in enumerate(models)
        ]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join()
        round_ += 1
        burst = min(params.burst_share * params.solve.time_limit_s, deadline - time.perf_counter())
        if params.stall_steps and burst > 0.5 and not search.stopped:
            # Neighbourhoods stopped paying: let the whole model (CP-SAT's own portfolio) run from the
            # incumbent for a while, then go back to the neighbourhoods.
            search.whole_solve(whole, burst, params.solve.random_seed + round_)
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
        self.lock = threading.Lock()
        agent_ids = [a.id for a in problem.agents]
        self.agent_ids = agent_ids
        position = {a: i for i, a in enumerate(agent_ids)}
        # cells[agent][day]: indices of that agent-day's assignment variables (shifts and "works").
        self.cells: list[list[list[int]]] = [[[] for _ in problem.days] for _ in agent_ids]
        for (agent_id, day, _), var in built.vars.x.items():
            self.cells[position[agent_id]][day].append(var.index)
        for (agent_id, day), var in built.vars.works.items():
            self.cells[position[agent_id]][day].append(var.index)
        self.assignment = [i for row in self.cells for cell in row for i in cell]
        self.num_vars = len(built.model.proto.variables)
        self.values: list[int] = []
        self.objective = math.inf
        self.bound = 0.0
        self.status = SolveStatus.UNKNOWN
        self.sizes = dict.fromkeys(KINDS, params.start_size)
        self.scores = dict.fromkeys(KINDS, 0.5)
        self.coverage_terms = [(t, _day_of(t.name)) for t in built.terms if t.rule == coverage.NAME]
        self.short_days: list[int] = []
        # Per demand: its penalty term, the under-cover weight and the agents who could cover it.
        owner = {var.index: position[a] for (a, _, _), var in built.vars.x.items()}
        self.demands = [
            (
                term,
                demand.under_weight,
                sorted({owner[v.index] for v in coverage.covering_vars(problem, built.vars, demand)}),
            )
            for term, demand in zip(
                (t for t in built.terms if t.rule == coverage.NAME), problem.demands, strict=True
            )
        ]
        self.short: list[list[int]] = []
        self.steps = 0
        self.stalled = 0
        # (kind, size, status, seconds, improved) per step, for tuning and tests.
        self.trace: list[tuple[str, float, SolveStatus, float, bool]] = []

    # -- whole-model solves --------------------------------------------------------------------

    def _solver(self, limit: float, workers: int, seed: int) -> cp_model.CpSolver:
        solver = cp_model.CpSolver()
        SolveParams(
            time_limit_s=max(0.05, limit),
            num_workers=workers,
            random_seed=seed,
            linearization_level=self.params.solve.linearization_level,
        ).apply(solver)
        return solver

    def _stop_requested(self) -> bool:
        if self.should_stop is not None and self.should_stop():
            self.stopped = True
        return self.stopped

    def first_solve(self, limit: float, deadline: float) -> RosterSolution | None:
        """Run the whole model for ``limit`` seconds, or on until its first roster (at most to the
        deadline); returns a final answer when it is optimal or has no roster."""
        solver = self._solver(
            deadline - time.perf_counter(), self.params.solve.num_workers, self.params.solve.random_seed
        )
        found = FirstRoster()
        soft_end = time.perf_counter() + limit

        def stop() -> bool:
            return self._stop_requested() or time.perf_counter() >= soft_end

        with stop_watch(solver, stop):
            status = STATUS_FROM_CP_SAT[solver.solve(self.built.model, found)]
        self.status = status
        if status is SolveStatus.UNKNOWN and not self.stopped and self._feasible_start(deadline):
            return None
        if not status.has_roster:
            return RosterSolution(
                status, {}, None, None, time.perf_counter() - self.started, stopped=self.stopped
            )
        self.bound = solver.best_objective_bound
        self._accept(solver)
        if status is SolveStatus.OPTIMAL:
            return self.result(time.perf_counter() - self.started, status)
        return None

    def _feasible_start(self, deadline: float) -> bool:
        """No roster within the first share: look for any roster that keeps the hard rules, ignoring
        the objective (much easier on large instances, e.g. Curtois 20: about 2 s instead of over 60),
        and make it the incumbent the neighbourhoods then improve."""
        model = self.built.model.clone()
        model.clear_objective()
        solver = self._solver(
            deadline - time.perf_counter(), self.params.solve.num_workers, self.params.solve.random_seed
        )
        solver.parameters.stop_after_first_solution = True
        with stop_watch(solver, self._stop_requested):
            status = STATUS_FROM_CP_SAT[solver.solve(model)]
        if not status.has_roster or time.perf_counter() >= deadline:
            return False
        roster = roster_from_values(self.problem, self.built.vars, lambda var: int(solver.value(var)))
        return self.start_from(roster)

    def whole_solve(self, model: cp_model.CpModel, limit: float, seed: int) -> None:
        """Run the whole model for ``limit`` seconds from the incumbent; keep what it finds if better."""
        proto = model.proto
        proto.solution_hint.vars.clear()
        proto.solution_hint.vars.extend(range(self.num_vars))
        proto.solution_hint.values.clear()
        proto.solution_hint.values.extend(self.values)
        solver = self._solver(limit, self.params.solve.num_workers, seed)
        with stop_watch(solver, self.should_stop) as stopped:
            status = STATUS_FROM_CP_SAT[solver.solve(model)]
        self.stopped = self.stopped or stopped.is_set()
        self.bound = max(self.bound, solver.best_objective_bound)
        improved = status.has_roster and solver.objective_value < self.objective and self._accept(solver)
        self.trace.append(("whole", 1.0, status, solver.wall_time, improved))

    def start_from(self, roster: Roster) -> bool:
        """Take ``roster`` as the incumbent when it satisfies every hard rule."""
        check_roster(self.problem, roster)
        if any(
            roster[a.id][d] is not None and (a.id, d, roster[a.id][d]) not in self.built.vars.x
            for a in self.problem.agents
            for d in self.problem.days
        ):
            return False
        with fixed_to(self.built.model.proto, roster_values(self.built, roster)):
            solver = self._solver(5.0, 1, self.params.solve.random_seed)
            status = STATUS_FROM_CP_SAT[solver.solve(self.built.model)]
        if not status.has_roster:
            return False
        self.status = SolveStatus.FEASIBLE
        self._accept(solver)
        return True

    def _accept(self, solver: cp_model.CpSolver) -> bool:
        """Make the solver's solution the incumbent (under the lock); True when it improved."""
        improved = solver.objective_value < self.objective
        self.values = list(solver.response_proto.solution)
        self.short_days = [day for term, day in self.coverage_terms if value_of(solver, term.expr) > 0]
        self.short = [
            agents
            for term, under_weight, agents in self.demands
            if agents and value_of(solver, term.expr) >= max(1, under_weight)
        ]
        self.objective = solver.objective_value
        if improved and self.on_progress is not None:
            self.on_progress(Progress(self.objective, self.bound, time.perf_counter() - self.started))
        return improved

    # -- neighbourhood steps -------------------------------------------------------------------

    def _pick_kind(self, rng: random.Random) -> str:
        kinds = [k for k in KINDS if (k != "short" or self.short_days) and (k != "cover" or self.short)]
        weights = [max(0.05, self.scores[k]) for k in kinds]
        return rng.choices(kinds, weights)[0]

    def _neighbourhood(self, rng: random.Random, kind: str, size: float) -> list[int]:
        """Variable indices that are free in this step."""
        agents, days = len(self.agent_ids), self.problem.horizon_days

        def count(share: float, total: int, least: int = 2) -> int:
            return max(min(least, total), min(total, round(share * total)))

        def window(width: int, around: int | None = None) -> range:
            return day_window(rng, days, width, around)

        if kind == "agents":
            chosen: list[int] | range = rng.sample(range(agents), count(size, agents))
            spans = [range(days)]
        elif kind == "days":
            chosen, spans = range(agents), [window(count(size, days))]
        elif kind == "block":
            side = math.sqrt(size)
            chosen = rng.sample(range(agents), count(side, agents))
            spans = [window(count(side, days, 3))]
        elif kind == "cover":
            able = rng.choice(self.short)
            wanted = count(size, agents)
            chosen = rng.sample(able, min(len(able), wanted))
            others = [a for a in range(agents) if a not in set(chosen)]
            chosen += rng.sample(others, max(0, wanted - len(chosen)))
            spans = [range(days)]
        else:
            width = count(size / 2, days)
            chosen = range(agents)
            spans = [window(width, rng.choice(self.short_days)), window(width)]
        picked = {day for span in spans for day in span}
        return [i for a in chosen for d in picked for i in self.cells[a][d]]

    def run(self, model: cp_model.CpModel, seed: int, deadline: float) -> None:
        """One search thread: steps on its own copy of the model until the deadline or a stop."""
        rng = random.Random(seed)
        proto = model.proto
        proto.solution_hint.vars.clear()
        proto.solution_hint.vars.extend(range(self.num_vars))
        synced = [-1] * self.num_vars
        while time.perf_counter() < deadline - 0.05 and not self._stop_requested():
            if self.params.stall_steps and self.stalled >= self.params.stall_steps:
                return
            with self.lock:
                base = self.values
                kind = self._pick_kind(rng)
                size = self.sizes[kind]
                free = self._neighbourhood(rng, kind, size)
            # Fix every assignment to the incumbent (only what changed since this copy's last step).
            for i in self.assignment:
                if synced[i] != base[i]:
                    domain = proto.variables[i].domain
                    domain[0] = domain[1] = synced[i] = base[i]
            for i in free:
                domain = proto.variables[i].domain
                domain[0], domain[1] = 0, 1
            proto.solution_hint.values.clear()
            proto.solution_hint.values.extend(base)
            solver = self._solver(min(self.params.step_time_s, deadline - time.perf_counter()), 1, seed)
            seed += 1
            limit = solver.parameters.max_time_in_seconds
            with stop_watch(solver, self.should_stop) as stopped:
                status = STATUS_FROM_CP_SAT[solver.solve(model)]
            for i in free:
                domain = proto.variables[i].domain
                domain[0] = domain[1] = base[i]
            with self.lock:
                self.stopped = self.stopped or stopped.is_set()
                self.steps += 1
                found = solver.objective_value if status.has_roster else math.inf
                # Strictly better always wins; an equal roster only replaces the one it started from.
                improved = found < self.objective and self._accept(solver)
                if found == self.objective and self.values is base:
                    self._accept(solver)
                self.scores[kind] = 0.9 * self.scores[kind] + (0.1 if improved else 0.0)
                self.stalled = 0 if improved else self.stalled + 1
                self.trace.append((kind, size, status, solver.wall_time, improved))
                if not stopped.is_set():
                    self.sizes[kind] = next_size(
                        size, status, solver.wall_time / limit, self.params.min_size, self.params.max_size
                    )

    def result(self, wall: float, status: SolveStatus = SolveStatus.FEASIBLE) -> RosterSolution:
        """Read the incumbent back through one quick solve with every assignment fixed."""
        proto = self.built.model.proto
        for i in self.assignment:
            domain = proto.variables[i].domain
            domain[0] = domain[1] = self.values[i]
        final = solve_built(self.built, self.problem, SolveParams(time_limit_s=30.0, num_workers=1))
        for i in self.assignment:
            domain = proto.variables[i].domain
            domain[0], domain[1] = 0, 1
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


def roster_values(built: BuiltModel, roster: Roster) -> dict[int, int]:
    """Each assignment variable's value in ``roster``, by variable index."""
    values = {var.index: int(roster[a][d] == s) for (a, d, s), var in built.vars.x.items()}
    values |= {var.index: int(roster[a][d] is not None) for (a, d), var in built.vars.works.items()}
    return values


@contextlib.contextmanager
def fixed_to(proto: cp_model_helper.CpModelProto, values: Mapping[int, int]) -> Iterator[None]:
    """Inside the block each variable in ``values`` can only take its value (0/1 variables)."""
    for index, value in values.items():
        domain = proto.variables[index].domain
        domain[0] = domain[1] = value
    try:
        yield
    finally:
        for index in values:
            domain = proto.variables[index].domain
            domain[0], domain[1] = 0, 1


def day_window(rng: random.Random, horizon: int, width: int, around: int | None = None) -> range:
    """``width`` consecutive days of the horizon, at random or containing the day ``around``."""
    width = max(1, min(horizon, width))
    if around is None:
        start = rng.randrange(0, horizon - width + 1)
    else:
        start = max(0, min(horizon - width, around - rng.randrange(width)))
    return range(start, start + width)


def next_size(size: float, status: SolveStatus, time_used: float, low: float, high: float) -> float:
    """A neighbourhood's next size after a step that used ``time_used`` of its time limit: larger after
    a proof of optimality (much larger when it came quickly: too easy to find anything new), smaller
    after running out of time."""
    if status is SolveStatus.OPTIMAL:
        return min(high, size * (1.3 if time_used < 0.2 else 1.1))
    return max(low, size * 0.85)


class FirstRoster(cp_model.CpSolverSolutionCallback):
    """Remembers that the solver has found a roster."""

    def __init__(self) -> None:
        super().__init__()
        self.seen = False

    def on_solution_callback(self) -> None:
        self.seen = True


def _day_of(term_name: str) -> int:
    """Day of a coverage term named ``coverage:d<day>:...``."""
    return int(term_name.split(":")[1][1:])
