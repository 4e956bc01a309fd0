"""The shared time grid on which every claim's CDF is evaluated and pooled.

Times are decimal years (moments, see :mod:`forecasts.engine.model`). The default grid is fine where
forecasts are dense and coarse where they are not:

* yearly from 1950 to 2000 (the pioneers' claims),
* quarterly from 2000 to 2023,
* monthly from 2023 to 2035 (the next decade, where the near-term claims' medians fall),
* quarterly from 2035 to 2070, yearly from 2070 to 2200,
* then geometric steps (in time since 2000) to 3000, the last year a forecast may name.

Mass that a claim puts after the grid's end is not lost: pooled results report it as
``p_beyond_grid`` (arrival after the grid end but not never).
"""

from __future__ import annotations

from functools import lru_cache
from typing import Final

import numpy as np
from numpy.typing import NDArray

from forecasts.errors import ValidationError

__all__ = ["GRID_END", "GRID_START", "default_grid", "make_grid", "validate_grid"]

GRID_START: Final = 1950.0
GRID_END: Final = 3000.0

FloatArray = NDArray[np.float64]


def make_grid(
    *,
    start: float = GRID_START,
    end: float = GRID_END,
    pieces: tuple[tuple[float, float], ...] = (
        (2000.0, 1.0),
        (2023.0, 0.25),
        (2035.0, 1 / 12),
        (2070.0, 0.25),
        (2200.0, 1.0),
    ),
    tail_points: int = 40,
) -> FloatArray:
    """Build a strictly increasing grid of decimal years.

    Parameters
    ----------
    start, end : float, keyword-only
        First and last moment of the grid.
    pieces : tuple of (until, step), keyword-only
        Uniform steps: from the previous piece's end (or ``start``) to ``until`` in steps of
        ``step`` years.
    tail_points : int, keyword-only
        Geometric steps (in time since the last piece's start) from the last piece's end to ``end``.

    Returns
    -------
    ndarray
        The grid, read-only.
    """
    parts = []
    lo = start
    for until, step in pieces:
        if not (until > lo and step > 0):
            raise ValidationError("pieces", f"piece ({until}, {step}) does not extend the grid past {lo}")
        n = round((until - lo) / step)
        parts.append(lo + step * np.arange(n))
        lo = until
    if end <= lo:
        raise ValidationError("end", f"{end} is not after the last piece's end {lo}")
    if tail_points < 1:
        raise ValidationError("tail_points", "must be at least 1")
    anchor = pieces[-2][0] if len(pieces) > 1 else start
    tail = anchor + np.geomspace(lo - anchor, end - anchor, tail_points + 1)
    tail[0], tail[-1] = lo, end
    grid = np.concatenate([*parts, tail])
    grid.setflags(write=False)
    return grid


@lru_cache(maxsize=1)
def default_grid() -> FloatArray:
    """The grid described in the module docstring (597 points), cached and read-only."""
    return make_grid()


def validate_grid(grid: object, name: str = "grid") -> FloatArray:
    """Return ``grid`` as a float array, raising :class:`ValidationError` unless strictly increasing."""
    arr = np.asarray(grid, dtype=float)
    if arr.ndim != 1 or arr.size < 2:
        raise ValidationError(name, "must be a 1-d array of at least two decimal years")
    if not np.all(np.isfinite(arr)) or np.any(np.diff(arr) <= 0):
        raise ValidationError(name, "must be finite and strictly increasing")
    return arr
