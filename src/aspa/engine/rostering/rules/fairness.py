"""Fairness (oikeudenmukaisuus) of wishes: the worst-off agent's denied share, and every agent's share.

The share counts the ledger history too, so an agent denied often before is served first now:
``shortfall_a = (denied_before_a + denied_now_a) / (total_before_a + total_now_a)``, scaled to
percent and multiplied by the agent's priority weight. :func:`balance` turns such per-agent rates
into two kinds of penalty terms, both at ``problem.fairness_weight`` per percentage point:

- ``fairness:worst``: ``z >= shortfall_a`` for every agent (max-min, Rawls: the worst-off first);
- ``fairness:spread:<agent>``: a progressive cost of each agent's own shortfall. Each further unit
  denied costs the mean of the agent's rate before and after it (divided by a typical count, so a
  unit costs about what it adds to the worst term), so the next denial goes to whoever has the
  lowest rate: the continuous optimum equalises the rates (water-filling).

Why the spread: max-min with one variable *stalls*. When one agent's shortfall cannot be lowered
(their only wish clashes with a pinned shift, or history alone makes them the worst), ``z`` is fixed
and fairness stops separating all other rosters. We tried "excess above the mean" first: it is
linear, but any dispersion measure that ignores the level rewards giving *more* burden to those below
the mean (it lowers everyone's excess) and cannot tell two below-mean agents apart. The progressive
cost is monotone (never rewards an extra denial or night) and separates every agent. It is exact
and integer: the agent's count is one small-domain variable and the cost a precomputed table read
through an element constraint, which CP-SAT encodes by the count's literals (a few dozen per agent)
without products of variables. A sum of the k worst needs sorting networks and still ignores the
rest; a lexicographic second solve doubles the wall time the product can spend (10–60 s) and needs
an optimum that a time-limited search seldom proves. The wishes rule keeps the total in the objective
too, so the result is fair without throwing total satisfaction away.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from math import ceil

from ortools.sat.python import cp_model

from aspa.engine.rostering.model import LedgerEntry, Problem
from aspa.engine.rostering.rules import wishes
from aspa.engine.rostering.variables import PenaltyTerm, RosterVars

NAME = "fairness"
SCALE = 100


@dataclass(frozen=True)
class Rate:
    """One agent's rate ``step * (history + count) / denominator`` in the rule's scaled units.

    ``count`` is what this roster adds (a linear expression in ``0..most``); ``history`` comes from
    the ledger; ``step / denominator`` is what one unit of count adds to the rate.
    """

    agent_id: str
    count: cp_model.LinearExprT
    most: int
    history: int
    step: int
    denominator: int

    def value(self, count: int) -> float:
        return self.step * (self.history + count) / self.denominator

    def progressive_cost(self, count: int, typical: int) -> int:
        """The spread table: each unit added costs the mean of the rate before and after it, divided
        by ``typical`` (units an agent typically holds), so one unit costs about one step of rate."""
        numerator, denominator = (
            self.step * count * (2 * self.history + count),
            2 * self.denominator * typical,
        )
        return (2 * numerator + denominator) // (2 * denominator)  # rounded half up, in integers


def balance(
    model: cp_model.CpModel, rule: str, prefix: str, rates: Sequence[Rate], weight: int
) -> list[PenaltyTerm]:
    """Penalise the largest rate (``<prefix>:worst``) and each agent's progressive cost
    (``<prefix>:spread:<agent>``), both at ``weight`` per scaled unit of rate."""
    if weight == 0 or not rates:
        return []
    top = max(ceil(r.value(r.most)) for r in rates)
    # Scale of the spread: each unit costs rate / typical, about one step (what it adds to the worst
    # term) for an agent with a typical count; without it a unit would cost the whole rate, tens of
    # times the worst term, and fairness would outbid coverage. One constant for all agents keeps
    # the optimum at equal rates (the marginal costs rate_a / typical are then equal).
    typical = max(1, round(sum(r.history + r.most / 2 for r in rates) / len(rates)))
    worst = model.new_int_var(0, top, f"{prefix}:worst")
    terms = [PenaltyTerm(rule, f"{prefix}:worst", worst, weight)]
    for r in rates:
        # worst * denominator >= step * (history + count)  <=>  worst >= rate (denominator is constant).
        model.add(worst * r.denominator >= r.step * (r.history + r.count))
        count = model.new_int_var(0, r.most, f"{prefix}:count:{r.agent_id}")
        model.add(count == r.count)
        table = [r.progressive_cost(k, typical) for k in range(r.most + 1)]
        cost = model.new_int_var(0, table[-1], f"{prefix}:spread:{r.agent_id}")
        model.add_element(count, table, cost)
        terms.append(PenaltyTerm(rule, f"{prefix}:spread:{r.agent_id}", cost, weight, r.agent_id))
    return terms


def build(model: cp_model.CpModel, rv: RosterVars, problem: Problem) -> list[PenaltyTerm]:
    if problem.fairness_weight == 0:
        return []
    by_agent: dict[str, list[wishes.WishItem]] = defaultdict(list)
    for item in wishes.expand(problem):
        by_agent[item.agent_id].append(item)
    rates = []
    for agent_id, items in by_agent.items():
        history = problem.ledger.get(agent_id, LedgerEntry())
        total = history.wishes_total + sum(i.weight for i in items)
        if total == 0:
            continue
        agent = problem.agent(agent_id)
        boost = agent.priority.weight if agent.priority else 1
        denied_now = sum(i.weight * wishes.violation(rv, i) for i in items)
        most = sum(i.weight for i in items)
        rates.append(Rate(agent_id, denied_now, most, history.wishes_denied, SCALE * boost, total))
    return balance(model, NAME, NAME, rates, problem.fairness_weight)
