"""Input plumbing shared by the staffing models: broadcasting, validation, read-only outputs."""

from __future__ import annotations

from typing import Any, TypeVar, cast

import numpy as np
import numpy.typing as npt

from aspa.engine.staffing import errors

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]
ArrayT = TypeVar("ArrayT", bound=np.ndarray[Any, Any])


def broadcast(**named: npt.ArrayLike | None) -> tuple[tuple[int, ...], dict[str, FloatArray | None]]:
    """Broadcast the given (non-None) inputs to one shape and flatten each to 1-D float64."""
    present = {
        name: np.asarray(value, dtype=np.float64) for name, value in named.items() if value is not None
    }
    try:
        shape = np.broadcast_shapes(*(value.shape for value in present.values()))
    except ValueError as exc:
        raise errors.StaffingInputError(errors.SHAPE_MISMATCH.format(detail=exc)) from exc
    flat: dict[str, FloatArray | None] = {name: None for name in named}
    for name, value in present.items():
        flat[name] = np.ascontiguousarray(np.broadcast_to(value, shape).ravel())
    return shape, flat


def check(values: FloatArray | None, valid: BoolArray | bool, message: str) -> None:
    """Raise StaffingInputError(message) unless every element is valid (NaN is never valid)."""
    if values is not None and not np.all(valid):
        raise errors.StaffingInputError(message)


def as_agents(values: FloatArray) -> IntArray:
    """Agents given as floats must be whole, finite and non-negative."""
    if not np.all(np.isfinite(values)) or np.any(values < 0) or np.any(values != np.floor(values)):
        raise errors.StaffingInputError(errors.AGENTS_INVALID)
    return values.astype(np.int64)


def frozen(values: ArrayT, shape: tuple[int, ...]) -> ArrayT:
    """Reshape to the caller's shape and make read-only, so results stay immutable."""
    out = cast(ArrayT, values.reshape(shape).copy())
    out.setflags(write=False)
    return out
