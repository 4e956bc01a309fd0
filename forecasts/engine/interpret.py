"""Read each claim as a distribution over the moment its milestone arrives.

Every claim becomes, in vectorised form, a parametric CDF over the time since an origin (the moment
the claim was made, or the bound of a lower-bound claim), an explicit probability that the
milestone never arrives, and the bounds that its literal words imply (see :mod:`forecasts.engine.curves`
for evaluating them on a grid). The readings, one per :class:`~forecasts.engine.model.ForecastKind`:

=============== ==================================================== =================================
kind            distribution (time since the claim, years)           literal bounds
=============== ==================================================== =================================
window a..b     lognormal, a.0 and (b+1).0 the central ``c`` interval F <= 1-c before a.0, F >= c
                (Squiggle's ``a to b``); c = stated prob. or 0.9;    from (b+1).0; P(never) <= 1-c
                a start at or before the claim is moved to           (c = stated probability or
                ``lead_fraction`` of the way to the end              ``credibility``)
point Y         lognormal, median at Y + 0.5, sigma ``point_sigma``;  the median lies in year Y:
                a stated probability reads it as a window Y..Y       F <= 1/2 before Y.0, >= 1/2 after
probability_by  lognormal through (Y+1.0, p) with sigma ``sigma``     F = p at (Y+1).0
quantiles       one pair: as probability_by; more: least-squares     F = p_j at each t_j
                fit (:func:`forecasts.engine.fit.fit_cdf_points`), gamma
lower_bound Y*  lognormal over the time since Y.0, median            F <= 1-c before Y.0 (c = stated
                ``max(Y.0 - said, 1)`` years after Y.0               probability or 1)
upper_bound Y*  as probability_by with p = stated or (1+c)/2         F >= c from (Y+1).0 (c = stated
                                                                     probability or 1)
eventually*     lognormal, median ``eventually_median`` years        P(never) = 0
never           all mass on never                                    F = 0, P(never) = 1
=============== ==================================================== =================================

Kinds marked * only bound the CDF; pools leave them out of the point aggregate unless asked.
Every kind also implies F = 0 before the claim was made.

"Stated" probabilities are the numbers said. Where none is, hedge words kept with the claim
("almost certain", "probably") are read as a probability by :mod:`forecasts.engine.hedges` for the shape
of the distribution; the literal bounds of a bound claim keep to what the words rule out, so
"clearly not in the next five years" still rules out the five years.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Final

import numpy as np
from numpy.typing import NDArray
from scipy import special

from forecasts.engine.fit import fit_cdf_points
from forecasts.engine.hedges import hedge_probability
from forecasts.engine.model import ClaimForecast, Forecast, ForecastKind
from forecasts.errors import ValidationError

__all__ = [
    "BOUND_ONLY_KINDS",
    "GAMMA",
    "KINDS",
    "LOGNORMAL",
    "NEVER",
    "InterpretOptions",
    "Interpretation",
    "interpret",
]

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]

#: Family codes of :attr:`Interpretation.family`.
NEVER: Final = 0  # F = 0 everywhere, all mass on never
LOGNORMAL: Final = 1  # param1 = mu (log years), param2 = sigma
GAMMA: Final = 2  # param1 = shape k, param2 = scale theta (years)

#: Kind codes of :attr:`Interpretation.kind` index this tuple.
KINDS: Final = tuple(ForecastKind)
_K = {k: i for i, k in enumerate(KINDS)}
BOUND_ONLY_KINDS: Final = (ForecastKind.LOWER_BOUND, ForecastKind.UPPER_BOUND, ForecastKind.EVENTUALLY)

#: Shortest time (years, about 9 hours) between a claim and the moment it names; a claim about a
#: moment already past is read as about "right away".
_MIN_TIME: Final = 1e-3


@dataclass(frozen=True, kw_only=True)
class InterpretOptions:
    """The defaults that turn words into distributions (docs/METHOD.md justifies each).

    Attributes
    ----------
    credibility : float
        Probability inside a window "from a to b" when none is stated (Squiggle's 90%).
    sigma : float
        Lognormal sigma (log years) for a single (year, probability) pair, a bound's default shape
        and "eventually": 0.82, the median over the 1,447 ESPAI 2023 HLMI respondents of a
        lognormal fitted through their outer answers.
    point_sigma : float
        Lognormal sigma around a point year: 0.63, the median of the ESPAI respondents who were
        asked for years (the fixed-probabilities framing), the framing closest to naming a year.
    lead_fraction : float
        A window starting at or before the claim has its lower percentile at this fraction of
        the time to its end, rather than at the (impossible) time 0.
    eventually_median : float
        Median years to arrival read into "it will happen eventually": 20, the median ESPAI 2023
        respondent's 50% year for HLMI.
    probability_clip : float
        Stated probabilities are clipped to [clip, 1 - clip] before fitting a shape (not in the
        literal bounds), so "0% by 2030" still gives a proper distribution.
    quantile_family : {"gamma", "lognormal"}
        Family fitted to claims with two or more (year, probability) pairs.
    """

    credibility: float = 0.9
    sigma: float = 0.82
    point_sigma: float = 0.63
    lead_fraction: float = 0.05
    eventually_median: float = 20.0
    probability_clip: float = 1e-3
    quantile_family: str = "gamma"

    def __post_init__(self) -> None:
        for name in ("credibility", "lead_fraction"):
            value = getattr(self, name)
            if not 0.0 < value < 1.0:
                raise ValidationError(name, f"{value} is not in (0, 1)")
        for name in ("sigma", "point_sigma", "eventually_median"):
            value = getattr(self, name)
            if not (np.isfinite(value) and value > 0):
                raise ValidationError(name, f"{value} is not a positive number")
        if not 0.0 < self.probability_clip < 0.5:
            raise ValidationError("probability_clip", f"{self.probability_clip} is not in (0, 0.5)")
        if self.quantile_family not in ("gamma", "lognormal"):
            raise ValidationError("quantile_family", f"{self.quantile_family!r} is not gamma or lognormal")


@dataclass(frozen=True, eq=False)
class Interpretation:
    """A batch of interpreted claims as parallel arrays (one entry per claim).

    Attributes
    ----------
    claim_id, speaker, speaker_code, said_at : ndarray
        Identity and the moment said (decimal year); ``speaker`` holds slugs (object dtype),
        ``speaker_code`` a small integer per distinct slug (for grouping without strings).
    kind : ndarray of int8
        Index into :data:`KINDS`.
    year_low, year_high, probability : ndarray
        The stated fields, NaN where empty.
    family, param1, param2, origin : ndarray
        The CDF ``(1 - p_never) * G((t - origin))`` with G given by ``family`` (:data:`LOGNORMAL`:
        mu, sigma; :data:`GAMMA`: shape, scale; :data:`NEVER`: none).
    p_never : ndarray
        Probability of never arriving.
    bound_only : ndarray of bool
        The claim only bounds the CDF; its shape is a documented default.
    fit_sse : ndarray
        Least-squares error of a fitted quantiles claim, NaN otherwise.
    lower_t, lower_p : ndarray, shape (n, K)
        Literal lower bound ``L(t) = max_k lower_p[k] * [t >= lower_t[k]]``.
    upper_t, upper_p : ndarray, shape (n, K)
        Literal upper bound ``U(t) = min(1 - never_low, min {upper_p[k] : t < upper_t[k]})`` for
        t >= said_at, and 0 before.
    never_low, never_high : ndarray
        Literal bounds on P(never).
    """

    claim_id: IntArray
    speaker: NDArray[np.object_]
    speaker_code: IntArray
    said_at: FloatArray
    kind: NDArray[np.int8]
    year_low: FloatArray
    year_high: FloatArray
    probability: FloatArray
    family: NDArray[np.int8]
    param1: FloatArray
    param2: FloatArray
    origin: FloatArray
    p_never: FloatArray
    bound_only: NDArray[np.bool_]
    fit_sse: FloatArray
    lower_t: FloatArray
    lower_p: FloatArray
    upper_t: FloatArray
    upper_p: FloatArray
    never_low: FloatArray
    never_high: FloatArray
    options: InterpretOptions = field(default_factory=InterpretOptions)

    def __len__(self) -> int:
        return int(self.said_at.shape[0])

    def take(self, index: NDArray[np.intp] | NDArray[np.bool_]) -> Interpretation:
        """The claims selected by an index or mask, as a new batch."""
        arrays = {f: getattr(self, f)[index] for f in _ARRAY_FIELDS}
        return replace(self, **arrays)


_ARRAY_FIELDS: Final = tuple(f for f in Interpretation.__dataclass_fields__ if f != "options")


def interpret(claims: Sequence[ClaimForecast], *, options: InterpretOptions | None = None) -> Interpretation:
    """Interpret claims as distributions over the arrival moment, all at once.

    Parameters
    ----------
    claims : sequence of ClaimForecast
        The claims, in any order.
    options : InterpretOptions, keyword-only
        The default spreads and readings; :class:`InterpretOptions` documents each.

    Returns
    -------
    Interpretation
        One entry per claim, in the order given.

    References
    ----------
    .. [1] Squiggle and squigglepy, ``to(a, b)``: a lognormal with a 90% interval a..b.
    .. [2] K. Grace et al., "Thousands of AI Authors on the Future of AI", arXiv:2401.02843, 2024.
    """
    opts = options if options is not None else InterpretOptions()
    if not all(isinstance(c, ClaimForecast) for c in claims):
        raise ValidationError("claims", "must be a sequence of ClaimForecast")
    # Unpacking objects into columns is the one pass over claims; everything after is vectorised.
    fc = [c.forecast for c in claims]
    nan = float("nan")
    cols = _Columns(
        claim_id=np.array([c.claim_id for c in claims], dtype=np.int64),
        speaker=np.array([c.speaker for c in claims], dtype=object),
        said_at=np.array([c.said_at for c in claims], dtype=float),
        kind=np.array([_K[f.kind] for f in fc], dtype=np.int8),
        year_low=np.array([nan if f.year_low is None else f.year_low for f in fc], dtype=float),
        year_high=np.array([nan if f.year_high is None else f.year_high for f in fc], dtype=float),
        probability=np.array([nan if (p := _probability(f)) is None else p for f in fc], dtype=float),
        stated=np.array([nan if f.probability is None else f.probability for f in fc], dtype=float),
        points=[(tuple(p.year for p in f.points), tuple(p.probability for p in f.points)) for f in fc],
    )
    return _interpret_columns(cols, opts)


def _probability(f: Forecast) -> float | None:
    # A stated probability wins; hedge words ("almost certain") are read here, in the engine, so the
    # claim keeps the words as spoken and the number can be argued with in one table.
    if f.probability is not None or f.kind in (ForecastKind.NEVER, ForecastKind.EVENTUALLY):
        return f.probability
    return hedge_probability(f.confidence)


@dataclass(frozen=True)
class _Columns:
    claim_id: IntArray
    speaker: NDArray[np.object_]
    said_at: FloatArray
    kind: NDArray[np.int8]
    year_low: FloatArray
    year_high: FloatArray
    probability: FloatArray  # stated, or read from the hedge words
    stated: FloatArray  # stated only: what the words literally rule out does not bend to a hedge
    points: list[tuple[tuple[float, ...], tuple[float, ...]]]


def _interpret_columns(c: _Columns, o: InterpretOptions) -> Interpretation:
    n = c.said_at.shape[0]
    kind, said, lo_y, hi_y, prob = c.kind, c.said_at, c.year_low, c.year_high, c.probability
    k_max = max([1, *(len(t) for t, _ in c.points)])
    pt = np.full((n, k_max), np.nan)
    pp = np.full((n, k_max), np.nan)
    npts = np.array([len(t) for t, _ in c.points], dtype=np.intp)
    if n:
        rows = np.repeat(np.arange(n), npts)
        cols = np.arange(rows.size) - np.repeat(np.cumsum(npts) - npts, npts)
        pt[rows, cols] = [y for t, _ in c.points for y in t]
        pp[rows, cols] = [q for _, p in c.points for q in p]

    is_ = {k: kind == _K[k] for k in KINDS}
    clip = o.probability_clip
    family = np.full(n, LOGNORMAL, dtype=np.int8)
    mu = np.full(n, np.nan)
    sigma = np.full(n, np.nan)
    origin = said.copy()
    sse = np.full(n, np.nan)
    start = lo_y  # the moment year_low starts
    end = hi_y + 1.0  # the moment year_high ends

    # Windows (and points with a stated probability): a central interval of a lognormal.
    win = is_[ForecastKind.WINDOW] | (is_[ForecastKind.POINT] & ~np.isnan(prob))
    cred = np.clip(np.where(np.isnan(prob), o.credibility, prob), clip, 1 - clip)
    t_hi = np.maximum(end - said, _MIN_TIME)
    t_lo = np.maximum(start - said, o.lead_fraction * t_hi)
    z = special.ndtri((1 + cred) / 2)
    with np.errstate(divide="ignore", invalid="ignore"):
        mu = np.where(win, 0.5 * (np.log(t_lo) + np.log(t_hi)), mu)
        sigma = np.where(win, (np.log(t_hi) - np.log(t_lo)) / (2 * z), sigma)

    # Point years without a probability: median in the middle of the year.
    pnt = is_[ForecastKind.POINT] & np.isnan(prob)
    med = np.maximum(np.maximum(start + 0.5 - said, 0.5 * (end - said)), _MIN_TIME)
    with np.errstate(divide="ignore", invalid="ignore"):
        mu = np.where(pnt, np.log(med), mu)
    sigma = np.where(pnt, o.point_sigma, sigma)

    # One (moment, probability) pair: probability_by, upper_bound, single-pair quantiles.
    single_q = is_[ForecastKind.QUANTILES] & (npts == 1)
    one = is_[ForecastKind.PROBABILITY_BY] | is_[ForecastKind.UPPER_BOUND] | single_q
    p_one = np.where(is_[ForecastKind.UPPER_BOUND] & np.isnan(prob), (1 + o.credibility) / 2, prob)
    p_one = np.where(single_q, pp[:, 0], p_one)
    t_one = np.where(single_q, pt[:, 0], end) - said
    with np.errstate(divide="ignore", invalid="ignore"):
        mu = np.where(
            one,
            np.log(np.maximum(t_one, _MIN_TIME)) - o.sigma * special.ndtri(np.clip(p_one, clip, 1 - clip)),
            mu,
        )
    sigma = np.where(one, o.sigma, sigma)

    # Lower bounds: a default shape over the time since the bound.
    lb = is_[ForecastKind.LOWER_BOUND]
    origin = np.where(lb, np.maximum(said, start), origin)
    with np.errstate(invalid="ignore"):
        lb_med = np.maximum(start - said, 1.0)
    with np.errstate(divide="ignore", invalid="ignore"):
        mu = np.where(lb, np.log(lb_med), mu)
    sigma = np.where(lb | is_[ForecastKind.EVENTUALLY], o.sigma, sigma)
    mu = np.where(is_[ForecastKind.EVENTUALLY], np.log(o.eventually_median), mu)

    # Two or more pairs: least-squares fits, one vectorised call per number of pairs.
    for k in np.unique(npts[is_[ForecastKind.QUANTILES] & (npts > 1)]):
        rows = np.flatnonzero(is_[ForecastKind.QUANTILES] & (npts == k))
        fit = fit_cdf_points(np.maximum(pt[rows, :k] - said[rows, None], 0.0), pp[rows, :k], family=o.quantile_family)
        sse[rows] = fit.sse
        if o.quantile_family == "gamma":
            family[rows] = GAMMA
            mu[rows], sigma[rows] = fit.shape, fit.scale
        else:
            mu[rows], sigma[rows] = np.log(fit.scale), fit.shape

    never = is_[ForecastKind.NEVER]
    family[never] = NEVER
    mu[never] = sigma[never] = np.nan
    p_never = never.astype(float)

    lower_t, lower_p, upper_t, upper_p, never_low, never_high = _literal_bounds(
        is_, said, start, end, prob, c.stated, pt, pp, o
    )
    return Interpretation(
        claim_id=c.claim_id,
        speaker=c.speaker,
        speaker_code=np.unique(c.speaker.astype(str), return_inverse=True)[1].astype(np.int64).reshape(-1),
        said_at=said,
        kind=kind,
        year_low=lo_y,
        year_high=hi_y,
        probability=prob,
        family=family,
        param1=mu,
        param2=sigma,
        origin=origin,
        p_never=p_never,
        bound_only=np.isin(kind, [_K[k] for k in BOUND_ONLY_KINDS]),
        fit_sse=sse,
        lower_t=lower_t,
        lower_p=lower_p,
        upper_t=upper_t,
        upper_p=upper_p,
        never_low=never_low,
        never_high=never_high,
        options=o,
    )


def _literal_bounds(
    is_: dict[ForecastKind, NDArray[np.bool_]],
    said: FloatArray,
    start: FloatArray,
    end: FloatArray,
    prob: FloatArray,
    stated: FloatArray,
    pt: FloatArray,
    pp: FloatArray,
    o: InterpretOptions,
) -> tuple[FloatArray, FloatArray, FloatArray, FloatArray, FloatArray, FloatArray]:
    """Knots of the literal lower and upper bounds, and the bounds on P(never)."""
    n, k = pt.shape
    lower_t = np.full((n, k), np.inf)
    lower_p = np.zeros((n, k))
    upper_t = np.full((n, k), -np.inf)
    upper_p = np.ones((n, k))
    never_low = np.zeros(n)
    never_high = np.ones(n)

    win = is_[ForecastKind.WINDOW]
    pnt = is_[ForecastKind.POINT]
    c = np.where(np.isnan(prob), np.where(pnt, 0.5, o.credibility), prob)
    interval = win | pnt
    upper_t[interval, 0] = start[interval]
    upper_p[interval, 0] = 1 - c[interval]
    lower_t[interval, 0] = end[interval]
    lower_p[interval, 0] = c[interval]

    pb = is_[ForecastKind.PROBABILITY_BY]
    lower_t[pb, 0] = upper_t[pb, 0] = end[pb]
    lower_p[pb, 0] = upper_p[pb, 0] = prob[pb]

    q = is_[ForecastKind.QUANTILES]
    has = q[:, None] & ~np.isnan(pt)
    lower_t[has], lower_p[has] = pt[has], pp[has]
    upper_t[has], upper_p[has] = pt[has], pp[has]

    # "Clearly not in the next five years" rules out the five years whatever the hedge's number.
    certain = np.where(np.isnan(stated), 1.0, stated)
    lbk = is_[ForecastKind.LOWER_BOUND]
    upper_t[lbk, 0] = start[lbk]
    upper_p[lbk, 0] = 1 - certain[lbk]
    ubk = is_[ForecastKind.UPPER_BOUND]
    lower_t[ubk, 0] = end[ubk]
    lower_p[ubk, 0] = certain[ubk]

    # Words about moments before the claim can only be held to from the claim on.
    lower_t = np.maximum(lower_t, said[:, None])
    never = is_[ForecastKind.NEVER]
    never_low[never] = 1.0
    never_high = np.where(is_[ForecastKind.EVENTUALLY], 0.0, never_high)
    # Whatever the words say will have happened by some moment cannot also never happen.
    reached = np.max(np.where(np.isfinite(lower_t), lower_p, 0.0), axis=1)
    never_high = np.minimum(never_high, 1.0 - reached)
    return lower_t, lower_p, upper_t, upper_p, never_low, never_high
