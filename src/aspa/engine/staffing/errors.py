"""Errors raised by the staffing engine; messages are module constants so tests can import them."""

from __future__ import annotations

LOAD_INVALID = "load must be a finite, non-negative number of Erlangs"
AGENTS_INVALID = "agents must be non-negative whole numbers"
AHT_INVALID = "aht_seconds must be finite and greater than 0"
INTERVAL_INVALID = "interval_seconds must be finite and greater than 0"
CONTACTS_INVALID = "contacts must be finite and non-negative"
TARGET_SECONDS_INVALID = "target_seconds must be finite and non-negative"
TARGET_SECONDS_MISSING = "a service_level target needs target_seconds (the T of an 80/20 target)"
SERVICE_LEVEL_INVALID = "service_level must be in [0, 1)"
ASA_INVALID = "asa_seconds must be finite and greater than 0"
OCCUPANCY_INVALID = "max_occupancy must be in (0, 1]"
ABANDONMENT_INVALID = "max_abandonment must be in (0, 1]"
PATIENCE_INVALID = "patience_seconds must be finite and greater than 0"
SHRINKAGE_INVALID = "shrinkage must be in [0, 1)"
NO_TARGET = "give at least one target: service_level, asa_seconds, max_occupancy or max_abandonment"
SHAPE_MISMATCH = "inputs cannot be broadcast to one shape: {detail}"
SERIES_NOT_CONVERGED = "the Erlang A state series did not converge within {terms} terms (patience too long?)"
SEARCH_NOT_CONVERGED = "no agent count up to {agents} meets the targets"


class StaffingError(Exception):
    """Base class of every error the staffing engine raises on purpose."""


class StaffingInputError(StaffingError, ValueError):
    """An input is out of its domain (negative load, service level of 1, shrinkage of 100 %, ...)."""


class NoTargetError(StaffingInputError):
    """A required-agents search was asked for without any target to meet."""


class ConvergenceError(StaffingError, ArithmeticError):
    """A series or search hit its safety limit before reaching the requested precision."""
