"""The fairness ledger: what each agent got from a roster, added to their history.

The counts stay plain counts; :mod:`.rules.burdens` turns them into rates per full-time equivalent.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from aspa.engine.rostering.model import BURDENS, LedgerEntry, Problem
from aspa.engine.rostering.rules import wishes
from aspa.engine.rostering.variables import Roster


def item_granted(item: wishes.WishItem, roster: Roster) -> bool:
    worked = roster[item.agent_id][item.day] in item.shift_ids
    return worked if item.on else not worked


def roster_ledger(problem: Problem, roster: Roster) -> Mapping[str, LedgerEntry]:
    """The ledger entries this roster alone produces, per agent."""
    granted = {a.id: 0 for a in problem.agents}
    denied = dict(granted)
    for item in wishes.expand(problem):
        if item_granted(item, roster):
            granted[item.agent_id] += item.weight
        else:
            denied[item.agent_id] += item.weight
    nights = {s.id for s in problem.shift_types if s.kind == "night"}
    entries = {}
    for agent in problem.agents:
        days = roster[agent.id]
        entries[agent.id] = LedgerEntry(
            wishes_granted=granted[agent.id],
            wishes_denied=denied[agent.id],
            nights=sum(1 for s in days if s in nights),
            weekends=sum(1 for group in problem.weekends() if any(days[d] is not None for d in group)),
            holidays=sum(1 for d in problem.holidays if days[d] is not None),
            unpopular=sum(1 for s in days if s in problem.unpopular_shifts),
        )
    return MappingProxyType(entries)


def ledger_after(problem: Problem, roster: Roster) -> Mapping[str, LedgerEntry]:
    """History plus this roster, per agent (what the next planning period starts from)."""
    now = roster_ledger(problem, roster)
    merged = {}
    for agent in problem.agents:
        before, add = problem.ledger.get(agent.id, LedgerEntry()), now[agent.id]
        merged[agent.id] = LedgerEntry(
            wishes_granted=before.wishes_granted + add.wishes_granted,
            wishes_denied=before.wishes_denied + add.wishes_denied,
            nights=before.nights + add.nights,
            weekends=before.weekends + add.weekends,
            holidays=before.holidays + add.holidays,
            unpopular=before.unpopular + add.unpopular,
        )
    return MappingProxyType(merged)


def burden_of(entry: LedgerEntry, burden: str) -> int:
    """The count of one burden in :data:`BURDENS` (``nights``, ``weekends``, …) of a ledger entry."""
    if burden not in BURDENS:
        raise KeyError(burden)
    return int(getattr(entry, burden))
