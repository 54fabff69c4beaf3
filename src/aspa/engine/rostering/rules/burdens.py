"""Burden balancing: nights, weekends, public holidays and unpopular shifts shared out fairly.

For each burden with a weight in ``problem.burden_weights`` the worst-off agent's burden *rate*
(history from the ledger plus this roster, per full-time equivalent, see :mod:`..ledger`) and each
agent's progressive cost (each further burden costs the mean of the agent's rate before and after
it) are penalised through :func:`.fairness.balance`, which also says why this shape. Rates are in tenths of
a shift (``SCALE``), so a weight of 1 makes one more night for the worst-off full-timer cost 10,
plus the spread it adds: against a missing agent-hour (coverage, 100 by default) burdens never win,
against a wish of weight 1 they weigh about the same.

Rates per full-time equivalent, so that part-timers are not measured as if they were full-time:
``rate_a = count_a * reference / capacity_a``, where ``capacity_a`` is the agent's contracted
maximum minutes a week (or the horizon maximum scaled to a week) and ``reference`` the largest
capacity in the team. A full-timer's rate is their count; a half-timer with two nights has the rate
of a full-timer with four. An agent without a contract limit counts as full-time. Per worked shift
would be the other natural base, but it divides by a variable (not linear) and rewards working
more days to dilute one's nights. The ledger history is added as it stands (the contract may have
changed since; the window is rolling, so that error fades).

Who is counted: only agents who can carry the burden in this horizon: nights for those who can
be given a night shift (``kind == "night"``), unpopular shifts for those who can be given one,
weekends and holidays for those who can work on one of those days. Anyone else's rate is fixed by
history alone and would only stall the max term.

Justice, not mere equality: an agent the team has given priority (:class:`~..model.Priority`,
with its reason recorded) has their burden rate multiplied by the priority weight, the same factor
the wishes get. The reasons a team grants priority for (a child's day-care hours, health, care of
a relative) make nights and weekends heavier too, so such a person carries proportionally less:
with weight 2, about half of a colleague's share. The ledger keeps the plain counts, so the relief
stays visible and ends when the priority does.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from types import MappingProxyType

from ortools.sat.python import cp_model

from aspa.engine.rostering.model import BURDENS, Agent, LedgerEntry, Problem
from aspa.engine.rostering.rules.fairness import Rate, balance
from aspa.engine.rostering.variables import PenaltyTerm, RosterVars

NAME = "burdens"
SCALE = 10

# Per burden: (the agent's burden variables this horizon, or None when they cannot carry it).
Counter = Callable[[cp_model.CpModel, RosterVars, Problem, str], list[cp_model.IntVar] | None]


def _shift_count(ids: Callable[[Problem], set[str]]) -> Counter:
    def count(
        model: cp_model.CpModel, rv: RosterVars, problem: Problem, agent_id: str
    ) -> list[cp_model.IntVar] | None:
        wanted = ids(problem)
        found = [v for (a, _d, s), v in rv.x.items() if a == agent_id and s in wanted]
        return found or None

    return count


def _holidays(
    model: cp_model.CpModel, rv: RosterVars, problem: Problem, agent_id: str
) -> list[cp_model.IntVar] | None:
    found = [rv.works[agent_id, d] for d in sorted(problem.holidays) if rv.shifts_on(agent_id, d)]
    return found or None


def _weekends(
    model: cp_model.CpModel, rv: RosterVars, problem: Problem, agent_id: str
) -> list[cp_model.IntVar] | None:
    found = []
    for group in problem.weekends():
        days = [rv.works[agent_id, d] for d in group if rv.shifts_on(agent_id, d)]
        if not days:
            continue
        # A weekend counts once however many of its days are worked (as the ledger counts it).
        worked = model.new_bool_var(f"{NAME}:weekend[{agent_id},{group[0]}]")
        model.add_max_equality(worked, days)
        found.append(worked)
    return found or None


def _contract_week_minutes(problem: Problem, agent: Agent) -> int | None:
    contract = agent.contract
    if contract.max_minutes_per_week is not None:
        return contract.max_minutes_per_week
    if contract.max_minutes is not None:
        return round(contract.max_minutes * 7 / problem.horizon_days)
    return None


def capacities(problem: Problem) -> tuple[Mapping[str, int], int]:
    """Per agent the weekly capacity in minutes, and the full-time reference (the largest one).

    Agents without a contract limit get the reference; with no limit anywhere every agent gets 1.
    An agent with capacity 0 cannot work and carries no burden rate.
    """
    known = {a.id: m for a in problem.agents if (m := _contract_week_minutes(problem, a)) is not None}
    reference = max(known.values(), default=0) or 1
    return MappingProxyType({a.id: known.get(a.id, reference) for a in problem.agents}), reference


def burden_rate(count: int, capacity: int, reference: int) -> float | None:
    """Burden per full-time equivalent; None for an agent with no capacity."""
    return count * reference / capacity if capacity > 0 else None


COUNTERS: dict[str, Counter] = {
    "nights": _shift_count(lambda p: {s.id for s in p.shift_types if s.kind == "night"}),
    "weekends": _weekends,
    "holidays": _holidays,
    "unpopular": _shift_count(lambda p: set(p.unpopular_shifts)),
}


def build(model: cp_model.CpModel, rv: RosterVars, problem: Problem) -> list[PenaltyTerm]:
    caps, reference = capacities(problem)
    terms: list[PenaltyTerm] = []
    for burden in BURDENS:
        weight = problem.burden_weights.get(burden, 0)
        if weight == 0:
            continue
        rates = []
        for agent in problem.agents:
            capacity = caps[agent.id]
            now = COUNTERS[burden](model, rv, problem, agent.id) if capacity > 0 else None
            if now is None:
                continue
            boost = agent.priority.weight if agent.priority else 1
            history = int(getattr(problem.ledger.get(agent.id, LedgerEntry()), burden))
            # rate_a = SCALE * reference * boost * (history + now) / capacity: tenths of a shift per FTE.
            rates.append(Rate(agent.id, sum(now), len(now), history, SCALE * reference * boost, capacity))
        terms.extend(balance(model, NAME, f"{NAME}:{burden}", rates, weight))
    return terms
