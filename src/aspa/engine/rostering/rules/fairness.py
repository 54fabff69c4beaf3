"""Fairness (oikeudenmukaisuus): minimise the worst-off agent's share of denied wish weight.

The share counts the ledger history too, so an agent denied often before is served first now:
``shortfall_a = (denied_before_a + denied_now_a) / (total_before_a + total_now_a)``, scaled to
percent and multiplied by the agent's priority weight. ``z >= shortfall_a`` for every agent and
``problem.fairness_weight * z`` enters the objective; the wishes rule keeps the total in it too,
so the result is max-min fair without throwing total satisfaction away.
"""

from __future__ import annotations

from collections import defaultdict

from ortools.sat.python import cp_model

from aspa.engine.rostering.model import LedgerEntry, Problem
from aspa.engine.rostering.rules import wishes
from aspa.engine.rostering.variables import PenaltyTerm, RosterVars

NAME = "fairness"
SCALE = 100


def build(model: cp_model.CpModel, rv: RosterVars, problem: Problem) -> list[PenaltyTerm]:
    if problem.fairness_weight == 0:
        return []
    by_agent: dict[str, list[wishes.WishItem]] = defaultdict(list)
    for item in wishes.expand(problem):
        by_agent[item.agent_id].append(item)
    worst_cap = SCALE * max((a.priority.weight if a.priority else 1) for a in problem.agents)
    worst = model.new_int_var(0, worst_cap, "fairness_worst_shortfall")
    for agent_id, items in by_agent.items():
        history = problem.ledger.get(agent_id, LedgerEntry())
        total = history.wishes_total + sum(i.weight for i in items)
        if total == 0:
            continue
        agent = problem.agent(agent_id)
        boost = agent.priority.weight if agent.priority else 1
        denied = history.wishes_denied + sum(i.weight * wishes.violation(rv, i) for i in items)
        # worst * total >= SCALE * boost * denied  <=>  worst >= scaled share (denominator is constant).
        model.add(worst * total >= SCALE * boost * denied)
    return [PenaltyTerm(NAME, "fairness:worst_shortfall", worst, problem.fairness_weight)]
