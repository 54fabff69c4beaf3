"""Decomposition for rosters too large for one CP-SAT model.

On the largest Curtois–Qu instances (23: 330,000 assignment variables, 24: over a million) one
whole model finds no roster in minutes: building it takes seconds and CP-SAT's presolve alone
eats the budget. Here the whole model is never built or solved. Every rule except coverage and
fairness concerns one agent only, so:

1. **Construction.** Agents are rostered one at a time, each in a small model of that agent alone
   against the *residual* need (what the agents rostered before still leave uncovered). Each agent
   keeps every hard rule, so once all are rostered the roster is feasible.
2. **Improvement.** Each step frees a group of agents over some days (a neighbourhood) and
   solves a model of only those agents: their other days are pinned, the need is what everyone
   else leaves, and need on days the group cannot change is left out. That model's objective
   differs from the whole one by a constant, so the change it proposes is an exact improvement
   of the whole roster (with fairness and burden weights at 0; otherwise fairness is judged
   within the group, an approximation). Equal moves are kept, so the search crosses plateaus.
   Neighbourhood sizes adapt as in :mod:`.lns`: they grow after steps solved to optimality and
   shrink after steps that ran out of time, and kinds are drawn by recent success.
3. The final roster is scored on the whole problem with every day pinned (a model with one
   variable per agent-day, cheap even for the largest instances), so the objective, breakdown and
   terms are those of the whole model.

Measured (``bench/roster_curtois.py --instances 21-24``, 2 cores), none of which got any roster as
one model: 600 s each: 21 +10.2 %, 22 +52.3 %, 23 +106 %, 24 +187 % above the best known value;
60 s each: 21 +102-109 %, 22 +353 %, 23 a roster far off, 24 none (its construction alone, about
0.9 s per agent for 150 agents, does not fit).
"""

from __future__ import annotations

import math
import random
import time
from collections import defaultdict
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field, replace

from ortools.sat.python import cp_model

from aspa.engine.rostering.lns import day_window, fixed_to, next_size, roster_values
from aspa.engine.rostering.model import Agent, Problem
from aspa.engine.rostering.rules.coverage import covers
from aspa.engine.rostering.solve import (
    STATUS_FROM_CP_SAT,
    BuiltModel,
    Progress,
    ProgressCallback,
    RosterSolution,
    ShouldStop,
    SolveParams,
    SolveStatus,
    build_model,
    check_roster,
    solve,
    stop_watch,
)
from aspa.engine.rostering.variables import Roster, allowed_shifts, roster_from_values

KINDS = ("agents", "block", "days", "cover")
Row = tuple[str | None, ...]
# Above this many assignment variables one whole model is slower than decomposition (Curtois–Qu, 60 s:
# instance 20 with 35,000 does better as one model, 21 with 90,000 gets no roster as one model).
DECOMPOSE_ABOVE = 60_000


def assignment_count(problem: Problem) -> int:
    """Assignment variables one whole model of ``problem`` would have (see ``create_vars``)."""
    return sum(len(allowed_shifts(problem, a.id, day)) for a in problem.agents for day in problem.days)


def should_decompose(problem: Problem, above: int = DECOMPOSE_ABOVE) -> bool:
    """Whether ``problem`` is large enough for :func:`solve_decomposed` rather than one model."""
    return assignment_count(problem) > above


@dataclass(frozen=True)
class DecomposeParams:
    """``solve.time_limit_s`` is the total budget; ``solve.num_workers`` CP-SAT workers per model.

    ``construct_time_s`` bounds each agent's model in the construction, and all of them together
    get about ``construct_share`` of the budget (a model searches on until its first roster when
    that takes longer); ``step_time_s`` bounds each improvement step. ``construct_workers`` and
    ``step_workers`` (``None``: ``solve.num_workers``) are CP-SAT workers per model. Sizes count agent-days a step frees.
    """

    solve: SolveParams = field(default_factory=SolveParams)
    construct_time_s: float = 1.0
    # CP-SAT's wider portfolio finds an agent's first roster far more steadily, even on 2 cores
    # (Curtois 22, 16 agents: 9 s with 8 workers, 32 s with 2).
    construct_workers: int = 8
    step_workers: int | None = None
    construct_share: float = 0.3
    step_time_s: float = 1.0
    start_cells: int = 200
    min_cells: int = 14
    max_cells: int = 4000


class CoverageIndex:
    """Head-count on each demand of ``problem``, kept current as agents' rows change."""

    def __init__(self, problem: Problem) -> None:
        self.problem = problem
        self.by_day: dict[int, list[int]] = defaultdict(list)
        for index, demand in enumerate(problem.demands):
            self.by_day[demand.day].append(index)
        self.counts = [0] * len(problem.demands)
        self._cache: dict[tuple[frozenset[str], int, str], tuple[int, ...]] = {}

    def covered(self, agent: Agent, day: int, shift_id: str) -> tuple[int, ...]:
        """Indices of the demands one shift of ``agent`` covers (a night shift reaches the next day)."""
        key = (agent.skills, day, shift_id)
        found = self._cache.get(key)
        if found is None:
            demands = self.problem.demands
            found = tuple(
                i
                for d in (day, day + 1)
                for i in self.by_day.get(d, ())
                if covers(self.problem, agent, day, shift_id, demands[i])
            )
            self._cache[key] = found
        return found

    def row(self, agent: Agent, row: Row) -> list[int]:
        return [
            i
            for day, shift_id in enumerate(row)
            if shift_id is not None
            for i in self.covered(agent, day, shift_id)
        ]

    def move(self, agent: Agent, old: Row, new: Row) -> None:
        for i in self.row(agent, old):
            self.counts[i] -= 1
        for i in self.row(agent, new):
            self.counts[i] += 1

    def short(self) -> list[int]:
        """Demands still under their head-count where missing people cost something."""
        demands = self.problem.demands
        return [
            i for i, n in enumerate(self.counts) if n < demands[i].required and demands[i].under_weight > 0
        ]


def residual_problem(
    problem: Problem,
    roster: Roster,
    agent_ids: Collection[str],
    days: Collection[int],
    coverage: CoverageIndex,
) -> Problem:
    """The problem of ``agent_ids`` alone over ``days``, everyone else as in ``roster``.

    The group's other days are pinned to ``roster``; each demand asks only for what the agents
    outside the group leave uncovered, and demands the group cannot change (away from ``days``, or
    of shifts and skills none of them has) are left out. For any roster of the group its objective differs from the whole problem's by a
    constant (exactly, when fairness and burden weights are 0).
    """
    group = set(agent_ids)
    free = sorted(set(days))
    counts = list(coverage.counts)
    agents = []
    reach: set[int] = set()
    for agent in problem.agents:
        if agent.id not in group:
            continue
        for i in coverage.row(agent, roster[agent.id]):
            counts[i] -= 1
        pinned = {day: shift_id for day, shift_id in enumerate(roster[agent.id]) if day not in free}
        agents.append(replace(agent, fixed={**pinned, **agent.fixed}))
        for day in free:
            for shift_id in allowed_shifts(problem, agent.id, day):
                reach.update(coverage.covered(agent, day, shift_id))
    demands = tuple(
        replace(problem.demands[i], required=max(0, problem.demands[i].required - counts[i]))
        for i in sorted(reach)
    )
    return replace(
        problem,
        agents=tuple(agents),
        demands=demands,
        wishes=tuple(w for w in problem.wishes if w.agent_id in group),
        ledger={a: entry for a, entry in problem.ledger.items() if a in group},
    )


def pinned_problem(problem: Problem, roster: Roster) -> Problem:
    """``problem`` with every agent-day pinned to ``roster``: one variable per agent-day."""
    check_roster(problem, roster)
    return replace(
        problem,
        agents=tuple(replace(a, fixed={**dict(enumerate(roster[a.id])), **a.fixed}) for a in problem.agents),
    )


def evaluate(problem: Problem, roster: Roster, time_limit_s: float = 60.0) -> RosterSolution:
    """Score ``roster`` on the whole problem; no roster back when it breaks a hard rule.

    Breaking one includes a shift on a day the agent is unavailable or against a pinned day: the
    pinned model drops such a shift, so the roster it scores differs from ``roster``.
    """
    scored = solve(pinned_problem(problem, roster), SolveParams(time_limit_s=time_limit_s, num_workers=1))
    if scored.status.has_roster and any(tuple(roster[a.id]) != scored.roster[a.id] for a in problem.agents):
        return RosterSolution(SolveStatus.INFEASIBLE, {}, None, None, scored.wall_s)
    return scored


def solve_decomposed(
    problem: Problem,
    params: DecomposeParams | None = None,
    *,
    hint: Roster | None = None,
    on_progress: ProgressCallback | None = None,
    should_stop: ShouldStop | None = None,
) -> RosterSolution:
    """Construct a roster agent by agent, then improve it group by group until the time limit.

    A feasible ``hint`` replaces the construction. ``should_stop`` is polled during every model
    and between steps; once it says yes the best roster so far comes back with ``stopped=True``.
    """
    params = params or DecomposeParams()
    search = _Search(problem, params, on_progress, should_stop)
    status = search.start(hint)
    if status is not None:
        return RosterSolution(status, {}, None, None, search.elapsed(), stopped=search.stopped)
    search.improve()
    final = evaluate(problem, search.roster)
    return replace(
        final, status=SolveStatus.FEASIBLE, bound=None, wall_s=search.elapsed(), stopped=search.stopped
    )


class _Search:
    def __init__(
        self,
        problem: Problem,
        params: DecomposeParams,
        on_progress: ProgressCallback | None,
        should_stop: ShouldStop | None,
    ) -> None:
        self.problem, self.params = problem, params
        self.on_progress, self.should_stop = on_progress, should_stop
        self.started = time.perf_counter()
        self.deadline = self.started + params.solve.time_limit_s
        self.rng = random.Random(params.solve.random_seed)
        self.seed = params.solve.random_seed
        self.coverage = CoverageIndex(problem)
        self.roster: dict[str, Row] = {a.id: (None,) * problem.horizon_days for a in problem.agents}
        self.objective = math.inf
        self.stopped = False
        self.sizes = dict.fromkeys(KINDS, float(params.start_cells))
        # Recent gain per second of each kind; equal to start with.
        self.scores = dict.fromkeys(KINDS, 1.0)
        # (kind, cells, status, seconds, improved) per step, for tuning and tests.
        self.trace: list[tuple[str, int, SolveStatus, float, bool]] = []

    def elapsed(self) -> float:
        return time.perf_counter() - self.started

    def _left(self) -> float:
        return self.deadline - time.perf_counter()

    def _stop_requested(self) -> bool:
        if self.should_stop is not None and self.should_stop():
            self.stopped = True
        return self.stopped

    def _solver(self, limit: float, workers: int | None = None) -> cp_model.CpSolver:
        solver = cp_model.CpSolver()
        workers = workers or self.params.step_workers or self.params.solve.num_workers
        replace(
            self.params.solve, time_limit_s=max(0.05, limit), num_workers=workers, random_seed=self.seed
        ).apply(solver)
        self.seed += 1
        return solver

    def _run(self, built: BuiltModel, limit: float) -> tuple[SolveStatus, cp_model.CpSolver]:
        solver = self._solver(limit)
        with stop_watch(solver, self.should_stop) as stopped:
            status = STATUS_FROM_CP_SAT[solver.solve(built.model)]
        self.stopped = self.stopped or stopped.is_set()
        return status, solver

    def _set_row(self, agent: Agent, row: Row) -> None:
        self.coverage.move(agent, self.roster[agent.id], row)
        self.roster[agent.id] = row

    # -- start ---------------------------------------------------------------------------------

    def start(self, hint: Roster | None) -> SolveStatus | None:
        """Take a feasible hint or construct a roster; a status back means there is no roster."""
        if hint is not None:
            scored = evaluate(self.problem, hint)
            if scored.status.has_roster and scored.objective is not None:
                for agent in self.problem.agents:
                    self._set_row(agent, tuple(hint[agent.id]))
                self._improved(scored.objective)
                return None
        for agent in self.problem.agents:
            status = self._construct(agent)
            if status is not None:
                return status
        scored = evaluate(self.problem, self.roster)
        if not scored.status.has_roster or scored.objective is None:  # pragma: no cover - rules are per agent
            return SolveStatus.UNKNOWN
        self._improved(scored.objective)
        return None

    def _construct(self, agent: Agent) -> SolveStatus | None:
        """Roster ``agent`` alone against what the agents before leave uncovered."""
        sub = residual_problem(self.problem, self.roster, [agent.id], self.problem.days, self.coverage)
        # For one agent each demand's cost is linear in the agent's shifts (one person more: a missing
        # one fewer while short, else one too many), so the model needs no coverage variables; on
        # Curtois 24 that makes an agent's model about three times smaller.
        built = build_model(replace(sub, demands=()))
        costs: dict[cp_model.IntVar, int] = defaultdict(int)
        for (_, day, shift_id), var in built.vars.x.items():
            for i in self.coverage.covered(agent, day, shift_id):
                demand = self.problem.demands[i]
                short = self.coverage.counts[i] < demand.required
                costs[var] += -demand.under_weight if short else demand.over_weight
        exprs: list[cp_model.LinearExprT] = [t.expr for t in built.terms]
        built.model.minimize(
            cp_model.LinearExpr.weighted_sum(
                [*exprs, *costs], [*(t.weight for t in built.terms), *costs.values()]
            )
        )
        # First any roster that keeps this agent's rules (the objective makes that search slow: Curtois
        # 22, some agents over 10 s with it, under 1 s without), then the best within the agent's share.
        feasible = built.model.clone()
        feasible.clear_objective()
        solver = self._solver(max(0.05, self._left()), self.params.construct_workers)
        solver.parameters.stop_after_first_solution = True
        with stop_watch(solver, self._stop_requested):
            status = STATUS_FROM_CP_SAT[solver.solve(feasible)]
        if not status.has_roster:
            return status
        values = list(solver.response_proto.solution)
        proto = built.model.proto
        proto.solution_hint.vars.extend(range(len(values)))
        proto.solution_hint.values.extend(values)
        share = self.params.construct_share * self.params.solve.time_limit_s / len(self.problem.agents)
        limit = min(self.params.construct_time_s, share, self._left())
        if limit > 0.05:
            better, solver = self._run(built, limit)
            if better.has_roster:
                values = list(solver.response_proto.solution)
        row = roster_from_values(sub, built.vars, lambda v: values[v.index])[agent.id]
        self._set_row(agent, row)
        return None

    # -- improvement ---------------------------------------------------------------------------

    def _improved(self, objective: float) -> None:
        better = objective < self.objective
        self.objective = objective
        if better and self.on_progress is not None:
            self.on_progress(Progress(objective, 0.0, self.elapsed()))

    def improve(self) -> None:
        while self._left() > 0.05 and not self._stop_requested():
            kind = self._pick_kind()
            cells = max(self.params.min_cells, round(self.sizes[kind]))
            group, days = self._neighbourhood(kind, cells)
            if not group or not days:
                continue
            began = time.perf_counter()
            status, seconds, gain = self._step(group, days)
            # Kinds are drawn by the gain they bought per second lately (model building included).
            rate = gain / max(1e-3, time.perf_counter() - began)
            self.scores[kind] = 0.8 * self.scores[kind] + 0.2 * rate
            self.trace.append((kind, cells, status, seconds, gain > 0))
            if not self.stopped:
                self.sizes[kind] = next_size(
                    self.sizes[kind],
                    status,
                    seconds / self.params.step_time_s,
                    self.params.min_cells,
                    self.params.max_cells,
                )

    def _step(self, group: Sequence[str], days: Sequence[int]) -> tuple[SolveStatus, float, float]:
        """Re-solve ``group`` over ``days``; keep the result unless it is worse. Returns the gain."""
        sub = residual_problem(self.problem, self.roster, group, days, self.coverage)
        built = build_model(sub)
        proto = built.model.proto
        current = roster_values(built, self.roster)
        # The incumbent's cost in this model, then a search that starts from it.
        with fixed_to(proto, current):
            status, solver = self._run(built, min(5.0, self._left()))
        if not status.has_roster:
            return status, 0.0, 0.0
        before = solver.objective_value
        proto.solution_hint.vars.extend(list(current))
        proto.solution_hint.values.extend(list(current.values()))
        status, solver = self._run(built, min(self.params.step_time_s, self._left()))
        if not status.has_roster or solver.objective_value > before:
            return status, solver.wall_time, 0.0
        rows = roster_from_values(sub, built.vars, lambda v: int(solver.value(v)))
        for agent_id in group:
            self._set_row(self.problem.agent(agent_id), tuple(rows[agent_id]))
        gain = before - solver.objective_value
        self._improved(self.objective - gain)
        return status, solver.wall_time, gain

    def _pick_kind(self) -> str:
        kinds = [k for k in KINDS if k != "cover" or self.coverage.short()]
        best = max(self.scores[k] for k in kinds)
        # Every kind keeps some chance, so one that starts paying again is noticed.
        weights = [max(0.1 * best, self.scores[k]) + 1e-9 for k in kinds]
        return self.rng.choices(kinds, weights)[0]

    def _window(self, width: int, around: int | None = None) -> list[int]:
        return list(day_window(self.rng, self.problem.horizon_days, width, around))

    def _neighbourhood(self, kind: str, cells: int) -> tuple[list[str], list[int]]:
        """Agent ids and days a step frees, about ``cells`` agent-days in all."""
        ids = [a.id for a in self.problem.agents]
        horizon = self.problem.horizon_days
        if kind == "agents":
            count = max(1, min(len(ids), round(cells / horizon)))
            return self.rng.sample(ids, count), list(range(horizon))
        if kind == "days":
            return ids, self._window(max(1, round(cells / len(ids))))
        width = max(3, min(horizon, round(math.sqrt(cells * 2))))
        count = max(2, min(len(ids), round(cells / width)))
        if kind == "block":
            return self.rng.sample(ids, count), self._window(width)
        demand_index = self.rng.choice(self.coverage.short())
        demand = self.problem.demands[demand_index]
        able = [
            a.id
            for a in self.problem.agents
            if self.roster[a.id][demand.day] is None
            and any(
                demand_index in self.coverage.covered(a, demand.day, s.id)
                for s in self.problem.shift_types
                if a.max_shifts.get(s.id, 1) > 0
            )
        ]
        chosen = self.rng.sample(able, min(len(able), count))
        others = [a for a in ids if a not in set(chosen)]
        chosen += self.rng.sample(others, max(0, count - len(chosen)))
        return chosen, self._window(width, demand.day)
