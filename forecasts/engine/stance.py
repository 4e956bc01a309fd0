"""How each speaker's stance on a milestone moved from one claim to the next.

Every claim is reduced to comparable numbers (median, 10% and 90% moments, P(never), the earliest
and latest arrival its literal words allow). Consecutive claims of a speaker are compared by those
numbers and by Metaculus's movement measure on the CDFs, truncated at a horizon: the total shift
``D = integral |F2 - F1| dt`` (earth mover's distance) and the signed shift
``A = integral (F1 - F2) dt`` (positive: later, negative: sooner).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

import numpy as np
from numpy.typing import ArrayLike, NDArray

from forecasts.engine import curves
from forecasts.engine.grid import default_grid, validate_grid
from forecasts.engine.interpret import KINDS, Interpretation
from forecasts.engine.model import month_label
from forecasts.errors import ValidationError

__all__ = ["HORIZON", "Shift", "StancePoints", "biggest_movers", "shifts", "stance_points"]

FloatArray = NDArray[np.float64]
#: Integrals over the CDFs stop here (decimal year): a claim with mass at never would otherwise
#: move by an infinite area.
HORIZON: Final = 2200.0


@dataclass(frozen=True, eq=False)
class StancePoints:
    """Per-claim summaries (arrays in the order of the interpretation).

    ``earliest`` is the first moment the literal words allow arrival (the lower bound), ``latest``
    the moment by which they require arrival with their stated certainty (``inf`` if none).
    """

    median: FloatArray
    q10: FloatArray
    q90: FloatArray
    p_never: FloatArray
    earliest: FloatArray
    latest: FloatArray


@dataclass(frozen=True)
class Shift:
    """One speaker's move between two consecutive claims (years; positive means later)."""

    speaker: str
    from_claim: int
    to_claim: int
    from_said: float
    to_said: float
    median_shift: float
    lower_bound_shift: float
    width_change: float
    total_shift: float
    signed_shift: float
    direction: str  # sooner, later, wider, narrower, unchanged
    kind_change: str | None
    text: str


def stance_points(interp: Interpretation) -> StancePoints:
    """Reduce every claim to its median, 10%/90% moments, P(never) and literal bounds."""
    q = curves.quantiles(interp, np.array([0.1, 0.5, 0.9]))
    _, of_upper = curves.bound_quantiles(interp, np.array([1e-9]))
    reach = np.max(np.where(np.isfinite(interp.lower_t), interp.lower_p, 0.0), axis=1)[:, None]
    latest = np.min(np.where((interp.lower_p >= reach) & (reach > 0), interp.lower_t, np.inf), axis=1)
    return StancePoints(q[:, 1], q[:, 0], q[:, 2], interp.p_never, of_upper[:, 0], latest)


def shifts(interp: Interpretation, *, horizon: float = HORIZON, grid: ArrayLike | None = None) -> list[Shift]:
    """Compare every speaker's consecutive claims (pass one milestone's claims).

    Returns
    -------
    list of Shift
        Ordered by speaker, then time.

    References
    ----------
    .. [1] Metaculus, open-source movement measure: total and signed shift between two CDFs.
    """
    g = default_grid() if grid is None else validate_grid(grid)
    if not np.isfinite(horizon) or horizon <= g[0]:
        raise ValidationError("horizon", f"{horizon} is not a decimal year after the grid start {g[0]}")
    t = np.append(g[g < horizon], horizon)
    order = np.lexsort((interp.claim_id, interp.said_at, interp.speaker_code))
    codes = interp.speaker_code[order]
    pair = np.flatnonzero(codes[1:] == codes[:-1])
    a, b = order[pair], order[pair + 1]
    f = curves.cdf(interp, t)
    diff = f[b] - f[a]
    dt = np.diff(t)
    total = np.sum(0.5 * (np.abs(diff[:, 1:]) + np.abs(diff[:, :-1])) * dt, axis=1)
    signed = -np.sum(0.5 * (diff[:, 1:] + diff[:, :-1]) * dt, axis=1)
    sp = stance_points(interp)
    with np.errstate(invalid="ignore"):
        med = sp.median[b] - sp.median[a]
        low = sp.earliest[b] - sp.earliest[a]
        width = (sp.q90[b] - sp.q10[b]) - (sp.q90[a] - sp.q10[a])
    out = []
    # One Shift object per pair of claims: building result records is the only per-item loop.
    for i, (x, y) in enumerate(zip(a.tolist(), b.tolist(), strict=True)):
        moving = abs(signed[i]) >= total[i] - abs(signed[i])
        if total[i] < 1e-9:
            direction = "unchanged"
        elif moving:
            direction = "later" if signed[i] > 0 else "sooner"
        else:
            direction = "wider" if width[i] > 0 else "narrower"
        ka, kb = KINDS[int(interp.kind[x])].value, KINDS[int(interp.kind[y])].value
        kind_change = None if ka == kb else f"{_stance(ka)} to {_stance(kb)}"
        when = f"{month_label(float(interp.said_at[x]))} -> {month_label(float(interp.said_at[y]))}"
        bounds = ka == kb == "lower_bound" and np.isfinite(low[i])
        what, d = ("lower bound", low[i]) if bounds else ("median", med[i])
        if np.isfinite(d) and abs(d) >= 0.05:
            text = f"{what} moved {_span(abs(d))} {'later' if d > 0 else 'sooner'}, {when}"
        elif np.isfinite(d):
            text = f"{what} unchanged, {when}"
        else:
            text = f"{kind_change or 'stance'} ({direction}), {when}"
        out.append(
            Shift(
                speaker=str(interp.speaker[x]),
                from_claim=int(interp.claim_id[x]),
                to_claim=int(interp.claim_id[y]),
                from_said=float(interp.said_at[x]),
                to_said=float(interp.said_at[y]),
                median_shift=float(med[i]),
                lower_bound_shift=float(low[i]),
                width_change=float(width[i]),
                total_shift=float(total[i]),
                signed_shift=float(signed[i]),
                direction=direction,
                kind_change=kind_change,
                text=text,
            )
        )
    return out


def _stance(kind: str) -> str:
    if kind == "never":
        return "sceptic"
    if kind in ("lower_bound", "upper_bound", "eventually"):
        return "bound"
    return "finite date" if kind in ("point", "probability_by", "quantiles") else kind


def biggest_movers(moves: list[Shift], *, start: float, end: float, top: int = 10) -> list[tuple[str, float]]:
    """Speakers ranked by the total shift of their moves made in [start, end] (decimal years)."""
    if top < 1:
        raise ValidationError("top", "must be at least 1")
    totals: dict[str, float] = {}
    for m in moves:
        if start <= m.to_said <= end:
            totals[m.speaker] = totals.get(m.speaker, 0.0) + m.total_shift
    return sorted(totals.items(), key=lambda kv: (-kv[1], kv[0]))[:top]


def _span(years: float) -> str:
    """A shift in words: months under a year, whole years above ("1 year", "3 years", "8 months")."""
    if years < 0.958:  # under 11.5 months
        months = max(1, round(years * 12))
        return f"{months} month" + ("" if months == 1 else "s")
    whole = round(years)
    return f"{whole} year" + ("" if whole == 1 else "s")
