"""Typed, frozen results of the staffing models (arrays are read-only)."""

from __future__ import annotations

from dataclasses import dataclass

from aspa.engine.staffing._arrays import FloatArray, IntArray


@dataclass(frozen=True)
class QueueMetrics:
    """Steady-state performance of a queue with a given number of agents, one value per interval.

    Attributes:
        agents: agents answering (productive, after shrinkage).
        load: offered load in Erlangs (contacts x AHT / interval length).
        wait_probability: probability that an arriving contact finds every agent busy.
        service_level: fraction of arriving contacts answered within ``target_seconds``.
        asa_seconds: average speed of answer, the mean wait of answered contacts (waits of 0 included).
        occupancy: fraction of agent time spent handling contacts.
        abandonment: fraction of arriving contacts that hang up before an answer (0 for Erlang C).
    """

    agents: IntArray
    load: FloatArray
    wait_probability: FloatArray
    service_level: FloatArray
    asa_seconds: FloatArray
    occupancy: FloatArray
    abandonment: FloatArray


@dataclass(frozen=True)
class StaffingRequirement:
    """Agents needed per interval and the performance they give.

    Attributes:
        raw_agents: smallest number of productive agents meeting every target given.
        scheduled_agents: agents to schedule so that ``raw_agents`` remain after shrinkage.
        shrinkage: the shrinkage used (share of paid time not available for contacts).
        metrics: queue performance with ``raw_agents`` answering.
    """

    raw_agents: IntArray
    scheduled_agents: IntArray
    shrinkage: FloatArray
    metrics: QueueMetrics
