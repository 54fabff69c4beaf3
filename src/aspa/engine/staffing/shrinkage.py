"""Shrinkage: from agents answering contacts to agents on the schedule."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from aspa.engine.staffing import errors
from aspa.engine.staffing._arrays import IntArray, as_agents, broadcast, check, frozen

# A quotient like 14 / (1 - 0.3) is 20.000000000000004 in binary floating point; a genuine
# fractional need is never this close to an integer for realistic agent counts.
_CEIL_TOLERANCE = 1e-9


def scheduled_agents(raw_agents: npt.ArrayLike, shrinkage: npt.ArrayLike) -> IntArray:
    """Agents to schedule so that ``raw_agents`` are left after shrinkage.

    ``scheduled = ceil(raw / (1 - shrinkage))``: with 30 % shrinkage, 14 answering agents need 20 on
    the schedule. Arrays broadcast; the result is an int64 array of the broadcast shape.
    """
    shape, flat = broadcast(raw=raw_agents, shrinkage=shrinkage)
    raw, shrink = flat["raw"], flat["shrinkage"]
    assert raw is not None and shrink is not None
    agents = as_agents(raw)
    check(shrink, (shrink >= 0) & (shrink < 1), errors.SHRINKAGE_INVALID)
    quotient = agents / (1.0 - shrink)
    scheduled = np.ceil(quotient - _CEIL_TOLERANCE * np.maximum(quotient, 1.0)).astype(np.int64)
    return frozen(np.maximum(scheduled, agents), shape)


def productive_agents(scheduled: npt.ArrayLike, shrinkage: npt.ArrayLike) -> IntArray:
    """Agents left answering contacts from a schedule: ``floor(scheduled * (1 - shrinkage))``."""
    shape, flat = broadcast(scheduled=scheduled, shrinkage=shrinkage)
    sched, shrink = flat["scheduled"], flat["shrinkage"]
    assert sched is not None and shrink is not None
    agents = as_agents(sched)
    check(shrink, (shrink >= 0) & (shrink < 1), errors.SHRINKAGE_INVALID)
    product = agents * (1.0 - shrink)
    return frozen(np.floor(product + _CEIL_TOLERANCE * np.maximum(product, 1.0)).astype(np.int64), shape)
