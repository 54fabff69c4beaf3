"""Explain a roster: each wish granted or denied and why, coverage per need line, the ledger.

A denied wish is diagnosed by a what-if: every other agent keeps their roster, the wish is forced
granted and the agent's own roster is re-solved. If that is infeasible, each hard rule is relaxed in
turn; the rules whose relaxation makes it feasible are the ones that block the wish. If it is
feasible, the cost change per rule says what granting it would cost (e.g. ``coverage: +100``).

Fairness is shown per agent and burden (nights, weekends, public holidays, unpopular shifts): the
ledger count before and after this roster and the rate per full-time equivalent, plus what each
fairness term (worst-off agent, each agent's progressive cost) added to the objective.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
from ortools.sat.python import cp_model

from aspa.engine.rostering.ledger import burden_of, item_granted, ledger_after
from aspa.engine.rostering.model import BURDENS, IntervalDemand, LedgerEntry, Problem, ShiftDemand
from aspa.engine.rostering.rules import HARD_RULES, burdens, coverage, fairness, wishes
from aspa.engine.rostering.solve import RosterSolution, SolveParams, build_model, solve_built
from aspa.engine.rostering.variables import Roster, RosterVars, allowed_shifts
from aspa.engine.staffing import erlang_c_metrics

AVAILABILITY = "availability"
FIXED = "fixed_assignment"
UNKNOWN_CAUSE = "unknown"
# What-if solves are small (one agent free); a short single-worker run keeps explanations cheap.
WHAT_IF_PARAMS = SolveParams(time_limit_s=2.0, num_workers=1)


@dataclass(frozen=True)
class WishExplanation:
    """One day of one wish. ``blocked_by`` names hard rules; ``cost_delta`` prices granting it."""

    wish_index: int
    agent_id: str
    day: int
    weight: int
    granted: bool
    blocked_by: tuple[str, ...] = ()
    cost_delta: Mapping[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class CoverageLine:
    """Scheduled against required for one need line; service level when a queue load is known."""

    name: str
    day: int
    required: int
    scheduled: int
    service_level: float | None = None


@dataclass(frozen=True)
class BurdenLine:
    """One agent's count of one burden before and after this roster, and the rates per full-time
    equivalent (count x the team's full-time minutes / the agent's; None without capacity).
    The priority factor is left out here: the rates are what the agent carries."""

    agent_id: str
    burden: str
    before: int
    after: int
    rate_before: float | None
    rate_after: float | None

    @property
    def added(self) -> int:
        """What this roster adds."""
        return self.after - self.before


@dataclass(frozen=True)
class Explanation:
    wishes: tuple[WishExplanation, ...]
    coverage: tuple[CoverageLine, ...]
    ledger_before: Mapping[str, LedgerEntry]
    ledger_after: Mapping[str, LedgerEntry]
    burdens: tuple[BurdenLine, ...] = ()
    # Cost of each fairness term in the objective ("fairness:worst", "burdens:nights:spread:A", …).
    fairness_cost: Mapping[str, int] = field(default_factory=dict)

    def for_agent(self, agent_id: str) -> tuple[WishExplanation, ...]:
        return tuple(w for w in self.wishes if w.agent_id == agent_id)

    def burdens_of(self, agent_id: str) -> Mapping[str, BurdenLine]:
        return {b.burden: b for b in self.burdens if b.agent_id == agent_id}


def explain(
    problem: Problem,
    solution: RosterSolution,
    *,
    params: SolveParams = WHAT_IF_PARAMS,
    diagnose: bool = True,
    max_diagnoses: int = 50,
    service_level_target_s: float = 20.0,
) -> Explanation:
    """Explain ``solution`` (which must hold a roster); at most ``max_diagnoses`` what-if solves."""
    roster = solution.roster
    explained = []
    budget = max_diagnoses if diagnose else 0
    for item in wishes.expand(problem):
        if item_granted(item, roster):
            explained.append(WishExplanation(item.wish_index, item.agent_id, item.day, item.weight, True))
            continue
        if budget > 0:
            budget -= 1
            blocked, delta = _diagnose(problem, solution, item, params)
        else:
            blocked, delta = (), {}
        explained.append(
            WishExplanation(item.wish_index, item.agent_id, item.day, item.weight, False, blocked, delta)
        )
    after = ledger_after(problem, roster)
    prefixes = (f"{fairness.NAME}:", f"{burdens.NAME}:")
    return Explanation(
        wishes=tuple(explained),
        coverage=coverage_report(problem, roster, service_level_target_s),
        ledger_before=problem.ledger,
        ledger_after=after,
        burdens=burden_report(problem, after),
        fairness_cost={k: v for k, v in solution.terms.items() if k.startswith(prefixes)},
    )


def burden_report(problem: Problem, after: Mapping[str, LedgerEntry]) -> tuple[BurdenLine, ...]:
    """Per agent and burden: ledger counts before and after, and the rates per full-time equivalent."""
    caps, reference = burdens.capacities(problem)
    lines = []
    for agent in problem.agents:
        before_entry = problem.ledger.get(agent.id, LedgerEntry())
        for burden in BURDENS:
            before = burden_of(before_entry, burden)
            total = burden_of(after[agent.id], burden)
            lines.append(
                BurdenLine(
                    agent.id,
                    burden,
                    before,
                    total,
                    burdens.burden_rate(before, caps[agent.id], reference),
                    burdens.burden_rate(total, caps[agent.id], reference),
                )
            )
    return tuple(lines)


def _diagnose(
    problem: Problem, solution: RosterSolution, item: wishes.WishItem, params: SolveParams
) -> tuple[tuple[str, ...], Mapping[str, int]]:
    roster = solution.roster

    def what_if(model: cp_model.CpModel, rv: RosterVars) -> None:
        for agent in problem.agents:
            if agent.id == item.agent_id:
                continue
            for (a, d, s), var in ((k, v) for k, v in rv.x.items() if k[0] == agent.id):
                model.add(var == int(roster[a][d] == s))
        model.add(wishes.violation(rv, item) == 0)

    if item.day in problem.agent(item.agent_id).fixed:
        return (FIXED,), {}
    if item.on and not item.shift_ids & set(allowed_shifts(problem, item.agent_id, item.day)):
        return (AVAILABILITY,), {}
    forced = solve_built(build_model(problem, extra=what_if), problem, params)
    if forced.status.has_roster:
        rules = set(forced.breakdown) | set(solution.breakdown)
        delta = {r: forced.breakdown.get(r, 0) - solution.breakdown.get(r, 0) for r in sorted(rules)}
        return (), {r: v for r, v in delta.items() if v}
    blocking = tuple(
        rule
        for rule in HARD_RULES
        if solve_built(build_model(problem, relax={rule}, extra=what_if), problem, params).status.has_roster
    )
    return blocking or (UNKNOWN_CAUSE,), {}


def coverage_report(problem: Problem, roster: Roster, target_s: float = 20.0) -> tuple[CoverageLine, ...]:
    """Scheduled head-count per need line, with Erlang C service level where a load is given."""
    lines = []
    for demand in problem.demands:
        scheduled = _scheduled(problem, roster, demand)
        lines.append(CoverageLine(coverage.demand_name(demand), demand.day, demand.required, scheduled))
    with_load = [
        i
        for i, d in enumerate(problem.demands)
        if isinstance(d, IntervalDemand) and d.load_erlangs is not None and d.aht_seconds is not None
    ]
    if with_load:
        picked = [d for i in with_load if isinstance(d := problem.demands[i], IntervalDemand)]
        metrics = erlang_c_metrics(
            agents=np.array([lines[i].scheduled for i in with_load]),
            load=np.array([d.load_erlangs for d in picked], dtype=float),
            aht_seconds=np.array([d.aht_seconds for d in picked], dtype=float),
            target_seconds=target_s,
        )
        for k, i in enumerate(with_load):
            line = lines[i]
            lines[i] = CoverageLine(
                line.name, line.day, line.required, line.scheduled, float(metrics.service_level[k])
            )
    return tuple(lines)


def _scheduled(problem: Problem, roster: Roster, demand: ShiftDemand | IntervalDemand) -> int:
    if isinstance(demand, ShiftDemand):
        return sum(1 for a in problem.agents if roster[a.id][demand.day] == demand.shift_id)
    start = demand.day * 1440 + demand.start_minute
    end = start + demand.length_minutes
    count = 0
    for agent in problem.agents:
        if demand.skill is not None and demand.skill not in agent.skills:
            continue
        for day in (demand.day - 1, demand.day):
            shift_id = roster[agent.id][day] if day >= 0 else None
            if shift_id is None:
                continue
            shift = problem.shift(shift_id)
            shift_start = day * 1440 + shift.start_minute
            if shift_start <= start and end <= shift_start + shift.length_minutes:
                count += 1
    return count
