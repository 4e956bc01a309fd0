"""Score claims once their milestone resolves, and at every year end that passes without it.

Events scored for a claim: "by the end of year Y?" for every year end after the claim and before
the resolution (or the "as of" date), each resolved No; and, if the milestone resolved, "by the end
of the year it resolved in?", resolved Yes. Brier ``(p - o)^2`` and log ``log(p or 1 - p)`` scores
are averaged over a claim's events. The CRPS ``integral (F(t) - 1{t >= r})^2 dt`` runs from the
claim to :data:`HORIZON` (needed because of mass at never) and only once resolved.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Final

import numpy as np
from numpy.typing import NDArray

from forecasts.engine import curves
from forecasts.engine.interpret import KINDS, Interpretation
from forecasts.engine.model import ForecastKind, decimal_year
from forecasts.errors import ValidationError

FloatArray = NDArray[np.float64]

__all__ = ["HORIZON", "LOG_CLIP", "ClaimScore", "Scores", "SpeakerScore", "score_claims"]

HORIZON: Final = 2200.0
#: Probabilities are clipped to [LOG_CLIP, 1 - LOG_CLIP] in the log score so that a certain
#: claim proved wrong costs a finite penalty (log 1e-6 = -13.8).
LOG_CLIP: Final = 1e-6


@dataclass(frozen=True)
class ClaimScore:
    """Scores of one claim; ``held`` is None while the claim's words cannot yet be judged."""

    claim_id: int
    speaker: str
    n_events: int
    brier: float
    log: float
    crps: float | None
    held: bool | None


@dataclass(frozen=True)
class SpeakerScore:
    speaker: str
    n_claims: int
    mean_brier: float
    mean_log: float
    hits: int
    misses: int


@dataclass(frozen=True)
class Scores:
    claims: tuple[ClaimScore, ...]
    speakers: tuple[SpeakerScore, ...]


def score_claims(
    interp: Interpretation, *, resolved_on: dt.date | None, as_of: dt.date, horizon: float = HORIZON
) -> Scores:
    """Score every claim said before ``as_of`` (and before the resolution, if any).

    References
    ----------
    .. [1] T. Gneiting and A. E. Raftery, "Strictly proper scoring rules, prediction, and
       estimation", JASA 102(477), 2007.
    """
    now = decimal_year(as_of)
    r = decimal_year(resolved_on) if resolved_on is not None else np.inf
    if r > now and resolved_on is not None:
        raise ValidationError("resolved_on", f"{resolved_on} is after as_of {as_of}")
    cut = min(r, now)
    keep = np.flatnonzero(interp.said_at < cut)
    sub = interp.take(keep)
    first = int(np.floor(sub.said_at.min())) if len(sub) else 0
    last = int(np.floor(cut)) - 1  # year ends strictly before the cut-off
    years = np.arange(first, last + 1, dtype=float)
    ends = years + 1.0
    f_ends = curves.cdf(sub, ends) if ends.size else np.zeros((len(sub), 0))
    active = ends[None, :] > sub.said_at[:, None]
    events_p = [np.where(active, f_ends, np.nan)]
    events_o = [np.zeros(ends.size)]
    if np.isfinite(r):
        events_p.append(curves.cdf(sub, [np.floor(r) + 1.0]))
        events_o.append(np.ones(1))
    p = np.concatenate(events_p, axis=1)
    o = np.concatenate(events_o)[None, :]
    n_ev = np.sum(~np.isnan(p), axis=1)
    # Means over each claim's scored events; a claim with none gets NaN (np.nanmean would warn).
    with np.errstate(invalid="ignore", divide="ignore"):
        pc = np.clip(p, LOG_CLIP, 1 - LOG_CLIP)
        brier = np.nansum((p - o) ** 2, axis=1) / np.where(n_ev > 0, n_ev, np.nan)
        log = np.nansum(np.where(o > 0, np.log(pc), np.log1p(-pc)), axis=1) / np.where(n_ev > 0, n_ev, np.nan)
    crps = _crps(sub, r, horizon) if np.isfinite(r) else np.full(len(sub), np.nan)
    held = _held(sub, r, now)
    claims = tuple(
        ClaimScore(
            int(c), str(s), int(k), float(b), float(lg), None if np.isnan(x) else float(x), None if h < 0 else bool(h)
        )
        for c, s, k, b, lg, x, h in zip(sub.claim_id, sub.speaker, n_ev, brier, log, crps, held, strict=True)
    )
    return Scores(claims, _by_speaker(claims))


def _crps(sub: Interpretation, r: float, horizon: float) -> FloatArray:
    # A uniform grid of 1/16-year steps: the default grid's yearly steps after 2070 would bias the
    # trapezoid rule on long right tails by ~1%.
    lo = float(sub.said_at.min()) if len(sub) else r
    t = np.union1d(np.linspace(lo, horizon, max(2, int((horizon - lo) * 16) + 1)), [r])
    f = curves.cdf(sub, t)
    # r is a grid point, so each segment lies wholly before or after the jump of the indicator.
    right = t[:-1] >= r
    err = np.where(right[None, :], (1 - f[:, :-1]) ** 2 + (1 - f[:, 1:]) ** 2, f[:, :-1] ** 2 + f[:, 1:] ** 2)
    err = np.where(t[None, :-1] >= sub.said_at[:, None], err, 0.0)
    return np.asarray(np.sum(0.5 * err * np.diff(t), axis=1), dtype=float)


def _held(sub: Interpretation, r: float, now: float) -> NDArray[np.int8]:
    """1 if the literal words held, 0 if broken, -1 if not yet decidable."""
    kind = np.array([KINDS[k] for k in sub.kind], dtype=object)
    start, end = sub.year_low, sub.year_high + 1.0
    out = np.full(len(sub), -1, dtype=np.int8)
    resolved = np.isfinite(r)
    for kinds, lo, hi in (
        ((ForecastKind.WINDOW, ForecastKind.POINT), start, end),
        ((ForecastKind.UPPER_BOUND, ForecastKind.PROBABILITY_BY), np.full(len(sub), -np.inf), end),
        ((ForecastKind.LOWER_BOUND,), start, np.full(len(sub), np.inf)),
    ):
        m = np.isin(kind, kinds)
        if resolved:
            out[m] = ((r >= lo[m]) & (r < hi[m])).astype(np.int8)
        else:
            out[m & (now >= hi)] = 0
    prob_by = kind == ForecastKind.PROBABILITY_BY
    out[prob_by & (sub.probability < 0.5)] = -1  # "20% by 2030" is not a prediction that it will
    if resolved:
        out[kind == ForecastKind.NEVER] = 0
        out[kind == ForecastKind.EVENTUALLY] = 1
    return out


def _by_speaker(claims: tuple[ClaimScore, ...]) -> tuple[SpeakerScore, ...]:
    out = []
    for s in sorted({c.speaker for c in claims}):
        mine = [c for c in claims if c.speaker == s]
        out.append(
            SpeakerScore(
                s,
                len(mine),
                float(np.nanmean([c.brier for c in mine])) if any(c.n_events for c in mine) else float("nan"),
                float(np.nanmean([c.log for c in mine])) if any(c.n_events for c in mine) else float("nan"),
                sum(c.held is True for c in mine),
                sum(c.held is False for c in mine),
            )
        )
    return tuple(out)
