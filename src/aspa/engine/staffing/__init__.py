"""Staffing maths: Erlang B, Erlang C and Erlang A, service level, ASA, required agents, shrinkage.

Array in, typed arrays out: every function takes scalars or numpy arrays (one value per interval),
broadcasts them and returns read-only arrays of the broadcast shape. No Django here.
"""

from aspa.engine.staffing.erlang import (
    erlang_b,
    erlang_c,
    erlang_c_metrics,
    erlang_c_required_agents,
    offered_load,
)
from aspa.engine.staffing.erlang_a import erlang_a_metrics, erlang_a_required_agents
from aspa.engine.staffing.errors import ConvergenceError, NoTargetError, StaffingError, StaffingInputError
from aspa.engine.staffing.results import QueueMetrics, StaffingRequirement
from aspa.engine.staffing.shrinkage import productive_agents, scheduled_agents

__all__ = [
    "ConvergenceError",
    "NoTargetError",
    "QueueMetrics",
    "StaffingError",
    "StaffingInputError",
    "StaffingRequirement",
    "erlang_a_metrics",
    "erlang_a_required_agents",
    "erlang_b",
    "erlang_c",
    "erlang_c_metrics",
    "erlang_c_required_agents",
    "offered_load",
    "productive_agents",
    "scheduled_agents",
]
