"""A small server-drawn SVG of one claim's CDF, so the preview needs no chart library or inline style."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

WIDTH, HEIGHT, PAD = 560, 180, 28


def cdf_chart(cdf: Sequence[dict[str, Any]]) -> dict[str, Any] | None:
    """Polyline points for the CDF, a polygon for its literal bounds, and the axes' ticks."""
    rows = [r for r in cdf if r.get("p") is not None]
    if len(rows) < 2:
        return None
    t0, t1 = float(rows[0]["t"]), float(rows[-1]["t"])
    span = (t1 - t0) or 1.0

    def x(t: float) -> float:
        return round(PAD + (t - t0) / span * (WIDTH - 2 * PAD), 1)

    def y(p: float) -> float:
        return round(HEIGHT - PAD - p * (HEIGHT - 2 * PAD), 1)

    line = " ".join(f"{x(r['t'])},{y(r['p'])}" for r in rows)
    bounded = [r for r in rows if r.get("low") is not None and r.get("high") is not None]
    band = " ".join(
        [f"{x(r['t'])},{y(r['high'])}" for r in bounded] + [f"{x(r['t'])},{y(r['low'])}" for r in reversed(bounded)]
    )
    step = 5 if span <= 40 else 10 if span <= 100 else 25
    first = math.ceil(t0 / step) * step
    ticks = [(x(year), year) for year in range(int(first), int(t1) + 1, step)]
    return {
        "width": WIDTH,
        "height": HEIGHT,
        "line": line,
        "band": band,
        "ticks": ticks,
        "x0": PAD,
        "x1": WIDTH - PAD,
        "y0": y(0.0),
        "y1": y(1.0),
        "ymid": y(0.5),
    }
