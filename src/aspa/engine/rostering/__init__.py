"""Roster optimisation: problem model, one builder per rule, CP-SAT solve, explanations.

Plain Python, OR-Tools CP-SAT and numpy; no Django. Typical use::

    problem = Problem(horizon_days=14, shift_types=..., agents=..., demands=..., wishes=...)
    solution = solve(problem, SolveParams(time_limit_s=10, num_workers=2))
    report = explain(problem, solution)

Problems too large for one model (``should_decompose``) go to ``solve_decomposed`` instead.
"""

from aspa.engine.rostering.decompose import DecomposeParams, should_decompose, solve_decomposed
from aspa.engine.rostering.errors import ProblemError, ReaderError, RosteringError
from aspa.engine.rostering.explain import Explanation, WishExplanation, explain
from aspa.engine.rostering.model import (
    Agent,
    Contract,
    IntervalDemand,
    LatestEnd,
    LedgerEntry,
    PreferredStart,
    Priority,
    Problem,
    ShiftDemand,
    ShiftOff,
    ShiftOn,
    ShiftType,
    WeekdaysOff,
    WorkRules,
)
from aspa.engine.rostering.solve import (
    Progress,
    RosterSolution,
    SolveParams,
    SolveStatus,
    build_model,
    solve,
)
from aspa.engine.rostering.variables import PenaltyTerm, Roster

__all__ = [
    "Agent",
    "Contract",
    "DecomposeParams",
    "Explanation",
    "IntervalDemand",
    "LatestEnd",
    "LedgerEntry",
    "PenaltyTerm",
    "PreferredStart",
    "Priority",
    "Problem",
    "ProblemError",
    "Progress",
    "ReaderError",
    "Roster",
    "RosterSolution",
    "RosteringError",
    "ShiftDemand",
    "ShiftOff",
    "ShiftOn",
    "ShiftType",
    "SolveParams",
    "SolveStatus",
    "WeekdaysOff",
    "WishExplanation",
    "WorkRules",
    "build_model",
    "explain",
    "should_decompose",
    "solve",
    "solve_decomposed",
]
