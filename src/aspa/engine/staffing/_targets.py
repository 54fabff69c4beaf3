"""Validation of staffing targets shared by the Erlang C and Erlang A searches."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from aspa.engine.staffing import errors
from aspa.engine.staffing._arrays import FloatArray, IntArray, broadcast, check


@dataclass(frozen=True)
class Targets:
    """Flattened (1-D) inputs of one required-agents search; None means "no such target"."""

    shape: tuple[int, ...]
    load: FloatArray
    aht: FloatArray
    shrinkage: FloatArray
    service_level: FloatArray | None
    target_seconds: FloatArray | None
    asa_seconds: FloatArray | None
    max_occupancy: FloatArray | None
    max_abandonment: FloatArray | None
    patience: FloatArray | None

    def take(self, index: IntArray) -> dict[str, FloatArray | None]:
        """The per-interval arrays restricted to ``index`` (for compacting active sets)."""
        return {
            name: None if value is None else value[index]
            for name, value in (
                ("load", self.load),
                ("aht", self.aht),
                ("service_level", self.service_level),
                ("target_seconds", self.target_seconds),
                ("asa_seconds", self.asa_seconds),
                ("max_occupancy", self.max_occupancy),
                ("max_abandonment", self.max_abandonment),
                ("patience", self.patience),
            )
        }


def parse_targets(
    *,
    load: npt.ArrayLike,
    aht_seconds: npt.ArrayLike,
    service_level: npt.ArrayLike | None,
    target_seconds: npt.ArrayLike | None,
    asa_seconds: npt.ArrayLike | None,
    max_occupancy: npt.ArrayLike | None,
    max_abandonment: npt.ArrayLike | None = None,
    patience_seconds: npt.ArrayLike | None = None,
    shrinkage: npt.ArrayLike = 0.0,
) -> Targets:
    """Broadcast, flatten and validate the inputs of a required-agents search."""
    if service_level is None and asa_seconds is None and max_occupancy is None and max_abandonment is None:
        raise errors.NoTargetError(errors.NO_TARGET)
    if service_level is not None and target_seconds is None:
        raise errors.StaffingInputError(errors.TARGET_SECONDS_MISSING)
    shape, flat = broadcast(
        load=load,
        aht=aht_seconds,
        shrinkage=shrinkage,
        service_level=service_level,
        target_seconds=target_seconds if service_level is not None else None,
        asa_seconds=asa_seconds,
        max_occupancy=max_occupancy,
        max_abandonment=max_abandonment,
        patience=patience_seconds,
    )
    load_, aht, shrink = flat["load"], flat["aht"], flat["shrinkage"]
    assert load_ is not None and aht is not None and shrink is not None
    check(load_, np.isfinite(load_) & (load_ >= 0), errors.LOAD_INVALID)
    check(aht, np.isfinite(aht) & (aht > 0), errors.AHT_INVALID)
    check(shrink, (shrink >= 0) & (shrink < 1), errors.SHRINKAGE_INVALID)
    sl, t = flat["service_level"], flat["target_seconds"]
    if sl is not None and t is not None:
        check(sl, (sl >= 0) & (sl < 1), errors.SERVICE_LEVEL_INVALID)
        check(t, np.isfinite(t) & (t >= 0), errors.TARGET_SECONDS_INVALID)
    asa = flat["asa_seconds"]
    if asa is not None:
        check(asa, np.isfinite(asa) & (asa > 0), errors.ASA_INVALID)
    occ = flat["max_occupancy"]
    if occ is not None:
        check(occ, (occ > 0) & (occ <= 1), errors.OCCUPANCY_INVALID)
    ab = flat["max_abandonment"]
    if ab is not None:
        check(ab, (ab > 0) & (ab <= 1), errors.ABANDONMENT_INVALID)
    patience = flat["patience"]
    if patience is not None:
        check(patience, np.isfinite(patience) & (patience > 0), errors.PATIENCE_INVALID)
    return Targets(
        shape=shape,
        load=load_,
        aht=aht,
        shrinkage=shrink,
        service_level=sl,
        target_seconds=t,
        asa_seconds=asa,
        max_occupancy=occ,
        max_abandonment=ab,
        patience=patience,
    )


def occupancy_floor(load: FloatArray, max_occupancy: FloatArray) -> IntArray:
    """Smallest N >= 1 with load / N <= max_occupancy, corrected for binary rounding of the division."""
    n = np.maximum(np.ceil(load / max_occupancy), 1.0)
    # ceil() of a quotient that should be an integer can land one off either way (14 / 0.7 > 20).
    lower = np.maximum(n - 1, 1.0)
    n = np.where((lower < n) & (load <= max_occupancy * lower), lower, n)
    n = np.where(load > max_occupancy * n, n + 1, n)
    return n.astype(np.int64)
