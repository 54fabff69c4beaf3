"""Errors of the rostering engine; messages are module constants so tests can import them."""

from __future__ import annotations

HORIZON_INVALID = "The horizon must be at least one day."
SHIFT_DUPLICATE = "Shift type ids must be unique."
SHIFT_INVALID = "A shift type needs a non-empty id, a start in [0, 1440) and a positive length."
AGENT_DUPLICATE = "Agent ids must be unique."
AGENT_UNKNOWN = "An entry refers to an unknown agent."
SHIFT_UNKNOWN = "An entry refers to an unknown shift type."
DAY_OUT_OF_HORIZON = "A day lies outside the horizon."
CONTRACT_INVALID = "A contract needs 0 <= min <= max minutes."
WEIGHT_INVALID = "Weights must be non-negative integers."
DEMAND_INVALID = "A demand needs a non-negative requirement and non-negative weights."
RULES_INVALID = "Work-rule limits must be positive where given."
PRIORITY_REASON_MISSING = "A priority agent needs a recorded reason."
ROSTER_SHAPE_INVALID = "A roster needs one entry per horizon day for each agent."


class RosteringError(Exception):
    """Base class of every error the rostering engine raises."""


class ProblemError(RosteringError, ValueError):
    """The problem description is inconsistent."""


class ReaderError(RosteringError, ValueError):
    """A benchmark file could not be read."""
