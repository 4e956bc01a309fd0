"""The engine applied to the database: what the API and the pages ask for, as plain JSON-ready dicts.

Interpretations are cached per set of claims and invalidated by a fingerprint of the tables (any
insert, edit, soft delete or restore of a claim changes it), so a page or API call pools without
re-reading or re-fitting claims that have not changed.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any, Final

import numpy as np
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from forecasts.engine import curves
from forecasts.engine.explain import explain
from forecasts.engine.history import history
from forecasts.engine.interpret import Interpretation, interpret
from forecasts.engine.model import ClaimForecast, date_from_decimal_year, decimal_year
from forecasts.engine.pool import LEVELS, Aggregate, pool
from forecasts.engine.scoring import score_claims
from forecasts.engine.stance import shifts, stance_points
from forecasts.errors import NotFoundError, ValidationError
from forecasts.storage.orm import Claim, ClaimRevision, Milestone, Source, Speaker
from forecasts.storage.records import CHECKED_STATUSES
from forecasts.storage.repo import claim_forecasts, get_by_slug, milestone_family, verification_counts

#: The API's names for the pooling methods and weightings, and the engine's.
METHODS: Final = {"linear": "linear", "median": "median", "quantile": "quantile", "geo_odds": "geometric_odds"}
WEIGHTINGS: Final = {"latest": "speaker_latest", "recency": "recency", "equal": "equal"}
DEFAULT_P_BY: Final = (2025, 2026, 2027, 2028, 2030, 2035, 2040, 2050, 2075, 2100)
CHART_RANGE: Final = (1950.0, 2200.0)


def _num(x: float | None, digits: int = 6) -> float | None:
    """A finite float rounded for JSON, or None (JSON has no NaN or infinity)."""
    if x is None or not math.isfinite(float(x)):
        return None
    return round(float(x), digits)


_FINGERPRINT = select(
    select(func.max(Claim.id)).scalar_subquery(),
    select(func.max(ClaimRevision.id)).scalar_subquery(),
)
# Milestones are few: every row's parent and resolution date goes into the fingerprint.
_MILESTONES = select(Milestone.id, Milestone.parent_id, Milestone.resolved_on).order_by(Milestone.id)


def fingerprint(session: Session) -> str:
    """Changes whenever a claim or milestone is added, edited, deleted or restored.

    Every change to a claim writes a revision, so the newest revision id moves with any edit, soft
    delete or restore; the newest claim id catches claims written in bulk without one. Both are
    primary-key lookups, cheap at any table size. Milestones are few and read whole. Speakers'
    names are not part of it: bodies that show names look them up when they are served.
    """
    connection = session.connection()
    row = connection.execute(_FINGERPRINT).one()
    milestones = connection.execute(_MILESTONES).all()
    raw = repr((tuple(row), [tuple(m) for m in milestones])).encode()
    return hashlib.sha1(raw, usedforsecurity=False).hexdigest()[:16]


class LruCache:
    """A small least-recently-used map; one per process."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.items: OrderedDict[Any, Any] = OrderedDict()

    def get(self, key: Any) -> Any:
        if key in self.items:
            self.items.move_to_end(key)
            return self.items[key]
        return None

    def put(self, key: Any, value: Any) -> Any:
        self.items[key] = value
        self.items.move_to_end(key)
        while len(self.items) > self.size:
            self.items.popitem(last=False)
        return value

    def clear(self) -> None:
        self.items.clear()


_interpretations = LruCache(64)
results = LruCache(512)


#: The statuses aggregates count by default: claims whose words were checked against a source.
CHECKED = CHECKED_STATUSES


@dataclass(frozen=True, slots=True)
class ClaimSet:
    interp: Interpretation
    claims: tuple[ClaimForecast, ...]
    left_out: dict[str, int]  # claims not counted, by verification status


def claim_set(
    session: Session,
    milestones: Sequence[str] | None,
    *,
    source: str | None = None,
    speaker: str | None = None,
    version: str | None = None,
    include_unverified: bool = False,
) -> ClaimSet:
    """The live claims of these milestones (all when None), interpreted, from the cache when unchanged.

    Only claims checked against a source (:data:`CHECKED`) count unless ``include_unverified``;
    ``left_out`` says how many others there are, by status.
    """
    version = version or fingerprint(session)
    key = (tuple(milestones) if milestones is not None else None, source, speaker, include_unverified, version)
    cached = _interpretations.get(key)
    if cached is not None:
        return cached  # type: ignore[no-any-return]
    speakers = [speaker] if speaker else None
    claims = claim_forecasts(
        session, milestones, speakers=speakers, sources=source, verification=None if include_unverified else CHECKED
    )
    left_out = (
        {}
        if include_unverified
        else verification_counts(session, milestones, speakers=speakers, sources=source, excluding=CHECKED)
    )
    return _interpretations.put(key, ClaimSet(interpret(claims), tuple(claims), left_out))  # type: ignore[no-any-return]


def milestone_slugs(session: Session, *, version: str | None = None) -> frozenset[str]:
    """Every milestone's slug, read once per version of the tables."""
    version = version or fingerprint(session)
    key = ("milestone-slugs", version)
    cached = results.get(key)
    if cached is None:
        cached = results.put(key, frozenset(session.scalars(select(Milestone.slug))))
    return cached  # type: ignore[no-any-return]


def get_milestone(session: Session, slug: str) -> Milestone:
    return get_by_slug(session, Milestone, slug)


@dataclass(frozen=True, slots=True)
class PoolParams:
    method: str = "linear"
    weighting: str = "latest"
    as_of: dt.date | None = None
    include_bounds_only: bool = False
    include_children: bool = False
    source: str | None = None
    p_by: tuple[int, ...] = DEFAULT_P_BY
    include_unverified: bool = False
    #: Condition on no arrival before ``as_of`` while the milestone is unresolved then.
    conditioned: bool = True

    def __post_init__(self) -> None:
        if self.method not in METHODS:
            raise ValidationError("method", f"{self.method!r} is not one of {', '.join(METHODS)}")
        if self.weighting not in WEIGHTINGS:
            raise ValidationError("weighting", f"{self.weighting!r} is not one of {', '.join(WEIGHTINGS)}")


def _dated(params: PoolParams) -> PoolParams:
    """The parameters with "as of today" made explicit, so that a cached answer cannot outlive its day."""
    return params if params.as_of is not None else replace(params, as_of=dt.date.today())


def _slugs(session: Session, slug: str, include_children: bool, version: str | None = None) -> list[str]:
    if slug not in milestone_slugs(session, version=version):
        raise NotFoundError("milestone", slug, field="slug")
    return milestone_family(session, slug) if include_children else [slug]


def _curve(grid: np.ndarray, *columns: np.ndarray, names: tuple[str, ...]) -> list[dict[str, float | None]]:
    keep = (grid >= CHART_RANGE[0]) & (grid <= CHART_RANGE[1])
    rows = []
    for i in np.flatnonzero(keep):
        row: dict[str, float | None] = {"t": round(float(grid[i]), 4)}
        for name, col in zip(names, columns, strict=True):
            row[name] = _num(col[i])
        rows.append(row)
    return rows


def _quantiles(values: dict[float, float | None]) -> dict[str, float | None]:
    return {str(level): _num(values.get(level), 3) for level in LEVELS}


def aggregate_dict(
    agg: Aggregate, *, milestone: str, params: PoolParams, speakers: dict[int, str], left_out: dict[str, int]
) -> dict[str, Any]:
    median = agg.quantiles.get(0.5)
    as_of = params.as_of or dt.date.today()
    survival = dict(zip(agg.claim_ids.tolist(), agg.survival.tolist(), strict=False))
    return {
        "milestone": milestone,
        "as_of": as_of.isoformat(),
        "conditioned_on": as_of.isoformat() if agg.conditioned_on is not None else None,
        "p_before_as_of": _num(agg.p_before),
        "method": params.method,
        "weighting": params.weighting,
        "include_bounds_only": params.include_bounds_only,
        "include_children": params.include_children,
        "source": params.source,
        "include_unverified": params.include_unverified,
        "left_out": left_out,
        "n_claims": int(agg.n_claims),
        "n_speakers": int(agg.n_speakers),
        "p_never": _num(agg.p_never),
        "p_beyond_grid": _num(agg.p_beyond_grid),
        "median_year": _num(median, 3),
        "quantiles": _quantiles(agg.quantiles),
        "p_by": {str(year): _num(p) for year, p in sorted(agg.p_by.items())},
        "cdf": _curve(agg.grid, agg.cdf, names=("p",)),
        "band": _curve(agg.grid, agg.band_low, agg.band_high, names=("low", "high")),
        "bounds": _curve(agg.grid, agg.bounds_low, agg.bounds_high, names=("low", "high")),
        "never_bounds": {"low": _num(agg.never_bounds[0]), "high": _num(agg.never_bounds[1])},
        "claims": [
            {
                "id": int(cid),
                "speaker": speakers.get(int(cid)),
                "weight": _num(w),
                "p_not_yet": _num(survival.get(int(cid))),
            }
            for cid, w in zip(agg.claim_ids, agg.weights, strict=True)
        ],
        "refuted": [{"id": int(cid), "speaker": speakers.get(int(cid))} for cid in agg.refuted_ids],
    }


def _unresolved_on(session: Session, slug: str, day: dt.date) -> bool:
    """Whether the milestone was still unresolved on ``day`` (a later resolution was not yet known)."""
    ms = get_milestone(session, slug)
    return ms.resolved_on is None or ms.resolved_on > day


def distribution(session: Session, slug: str, params: PoolParams, *, version: str | None = None) -> dict[str, Any]:
    """The pooled distribution of a milestone, as the API's distribution body."""
    params = _dated(params)
    version = version or fingerprint(session)
    key = ("distribution", slug, params, version)
    cached = results.get(key)
    if cached is not None:
        return cached  # type: ignore[no-any-return]
    cs = claim_set(
        session,
        _slugs(session, slug, params.include_children, version),
        source=params.source,
        version=version,
        include_unverified=params.include_unverified,
    )
    as_of = params.as_of or dt.date.today()
    unresolved = _unresolved_on(session, slug, as_of)
    agg = pool(
        cs.interp,
        as_of=as_of,
        method=METHODS[params.method],
        weighting=WEIGHTINGS[params.weighting],
        include_bounds_only=params.include_bounds_only,
        by_years=params.p_by,
        conditioned=params.conditioned and unresolved,
    )
    if not unresolved:
        # Once the milestone has arrived, a claim of arrival before today may have been right.
        agg = replace(agg, refuted_ids=agg.refuted_ids[:0])
    speakers = {c.claim_id: c.speaker for c in cs.claims}
    body = aggregate_dict(agg, milestone=slug, params=params, speakers=speakers, left_out=cs.left_out)
    return results.put(key, body)  # type: ignore[no-any-return]


def milestone_history(
    session: Session, slug: str, params: PoolParams, *, start: dt.date, end: dt.date, version: str | None = None
) -> dict[str, Any]:
    """The aggregate's quantiles as of the first day of each month from ``start`` to ``end``."""
    if end < start:
        raise ValidationError("end", f"{end} is before start {start}")
    if (end.year - start.year) * 12 + end.month - start.month > 1200:
        raise ValidationError("end", "a history covers at most 100 years of months")
    params = _dated(params)
    version = version or fingerprint(session)
    key = ("history", slug, params, start, end, version)
    cached = results.get(key)
    if cached is not None:
        return cached  # type: ignore[no-any-return]
    cs = claim_set(
        session,
        _slugs(session, slug, params.include_children),
        source=params.source,
        version=version,
        include_unverified=params.include_unverified,
    )
    ms = get_milestone(session, slug)
    h = history(
        cs.interp,
        start=start,
        end=end,
        method=METHODS[params.method],
        weighting=WEIGHTINGS[params.weighting],
        include_bounds_only=params.include_bounds_only,
        conditioned=params.conditioned,
        resolved_on=ms.resolved_on,
    )
    months = [
        {
            "as_of": d.isoformat(),
            "n_claims": int(h.n_claims[i]),
            "p_never": _num(h.p_never[i]),
            "quantiles": {str(level): _num(h.quantiles[i, j], 3) for j, level in enumerate(LEVELS)},
        }
        for i, d in enumerate(h.dates)
    ]
    body = {
        "milestone": slug,
        "method": params.method,
        "weighting": params.weighting,
        "include_bounds_only": params.include_bounds_only,
        "conditioned": h.conditioned,
        "start": start.isoformat(),
        "end": end.isoformat(),
        "include_unverified": params.include_unverified,
        "left_out": cs.left_out,
        "months": months,
    }
    return results.put(key, body)  # type: ignore[no-any-return]


# --- single claims ------------------------------------------------------------------------------


def interpretation_dict(cf: ClaimForecast) -> dict[str, Any]:
    """How the engine reads one claim: words, quantiles, P(never), and its CDF with literal bounds."""
    interp = interpret([cf])
    levels = np.array(LEVELS)
    q = curves.quantiles(interp, levels)[0]
    grid = np.linspace(max(CHART_RANGE[0], math.floor(cf.said_at)), min(CHART_RANGE[1], cf.said_at + 80), 321)
    cdf = curves.cdf(interp, grid)[0]
    low, high = curves.literal_bounds(interp, grid)
    return {
        "explanation": explain(interp, 0),
        "bound_only": bool(interp.bound_only[0]),
        "p_never": _num(interp.p_never[0]),
        "median_year": _num(q[LEVELS.index(0.5)], 3),
        "quantiles": {str(level): _num(q[j], 3) for j, level in enumerate(LEVELS)},
        "fit_error": _num(interp.fit_sse[0], 8),
        "cdf": [
            {"t": round(float(t), 4), "p": _num(p), "low": _num(lo), "high": _num(hi)}
            for t, p, lo, hi in zip(grid, cdf, low[0], high[0], strict=True)
        ],
    }


# --- speakers: stance and shifts -------------------------------------------------------------------


def shift_dict(s: Any, milestone: str, names: dict[str, str]) -> dict[str, Any]:
    return {
        "speaker": s.speaker,
        "speaker_name": names.get(s.speaker, s.speaker),
        "milestone": milestone,
        "from_claim": int(s.from_claim),
        "to_claim": int(s.to_claim),
        "from_said_on": date_from_decimal_year(s.from_said).isoformat(),
        "to_said_on": date_from_decimal_year(s.to_said).isoformat(),
        "median_shift": _num(s.median_shift, 3),
        "lower_bound_shift": _num(s.lower_bound_shift, 3),
        "width_change": _num(s.width_change, 3),
        "total_shift": _num(s.total_shift, 3),
        "signed_shift": _num(s.signed_shift, 3),
        "direction": s.direction,
        "kind_change": s.kind_change,
        "text": s.text,
    }


def stance(
    session: Session, speaker: str, milestone: str, *, include_children: bool = True, include_unverified: bool = False
) -> dict[str, Any]:
    """One speaker's claims on a milestone (with its children by default) in date order, reduced to
    comparable numbers, and the shifts between consecutive claims."""
    row = get_by_slug(session, Speaker, speaker)
    cs = claim_set(
        session, _slugs(session, milestone, include_children), speaker=speaker, include_unverified=include_unverified
    )
    sp = stance_points(cs.interp)
    points = []
    for i, c in enumerate(cs.claims):
        points.append(
            {
                "id": c.claim_id,
                "milestone": c.milestone,
                "said_on": c.said_on.isoformat(),
                "kind": c.forecast.kind.value,
                "forecast": c.forecast.to_dict(),
                "median_year": _num(sp.median[i], 3),
                "q10": _num(sp.q10[i], 3),
                "q90": _num(sp.q90[i], 3),
                "p_never": _num(sp.p_never[i]),
                "earliest": _num(sp.earliest[i], 3),
                "latest": _num(sp.latest[i], 3),
                "explanation": explain(cs.interp, i),
            }
        )
    names = {speaker: row.name}
    return {
        "speaker": speaker,
        "milestone": milestone,
        "include_children": include_children,
        "include_unverified": include_unverified,
        "left_out": cs.left_out,
        "claims": points,
        "shifts": [shift_dict(s, milestone, names) for s in shifts(cs.interp)],
    }


def movers(session: Session, *, start: dt.date, end: dt.date, top: int = 20) -> dict[str, Any]:
    """The biggest single moves made between ``start`` and ``end``, over every speaker and milestone."""
    if end < start:
        raise ValidationError("end", f"{end} is before start {start}")
    version = fingerprint(session)
    key = ("movers", start, end, top, version)
    cached = results.get(key)
    if cached is not None:
        return with_names(session, cached, "movers")
    names = dict(session.execute(select(Speaker.slug, Speaker.name)).tuples().all())
    lo, hi = decimal_year(start), decimal_year(end)
    moves = []
    for slug in session.scalars(select(Milestone.slug).order_by(Milestone.id)):
        cs = claim_set(session, [slug], version=version)
        if len(cs.claims) < 2:
            continue
        moves += [shift_dict(s, slug, names) for s in shifts(cs.interp) if lo <= s.to_said <= hi]
    moves.sort(key=lambda m: (-(m["total_shift"] or 0.0), m["to_said_on"], m["speaker"]))
    body = {"start": start.isoformat(), "end": end.isoformat(), "movers": moves[:top]}
    return with_names(session, results.put(key, body), "movers")


# --- scores -------------------------------------------------------------------------------------


def scores(
    session: Session, *, as_of: dt.date | None = None, milestone: str | None = None, include_respondents: bool = False
) -> dict[str, Any]:
    """Every claim scored against its milestone's resolution and the year ends passed without it
    (anonymous survey respondents left out unless asked for)."""
    as_of = as_of or dt.date.today()
    version = fingerprint(session)
    key = ("scores", as_of, milestone, include_respondents, version)
    cached = results.get(key)
    if cached is not None:
        return with_names(session, cached, "claims", "speakers")
    names = dict(session.execute(select(Speaker.slug, Speaker.name)).tuples().all())
    respondents = set(session.scalars(select(Speaker.slug).where(Speaker.kind == "respondent")))
    query = select(Milestone).order_by(Milestone.id)
    if milestone:
        get_milestone(session, milestone)
        query = query.where(Milestone.slug == milestone)
    claims_out: list[dict[str, Any]] = []
    per_speaker: dict[str, dict[str, Any]] = {}
    for ms in session.scalars(query):
        cs = claim_set(session, [ms.slug], version=version)
        if not cs.claims:
            continue
        # A resolution after as_of was not yet known then: score as unresolved.
        resolved = ms.resolved_on if ms.resolved_on is not None and ms.resolved_on <= as_of else None
        result = score_claims(cs.interp, resolved_on=resolved, as_of=as_of)
        for sc in result.claims:
            if (sc.n_events == 0 and sc.held is None) or (sc.speaker in respondents and not include_respondents):
                continue
            claims_out.append(
                {
                    "claim_id": int(sc.claim_id),
                    "speaker": sc.speaker,
                    "speaker_name": names.get(sc.speaker),
                    "milestone": ms.slug,
                    "resolved_on": ms.resolved_on.isoformat() if ms.resolved_on else None,
                    "n_events": int(sc.n_events),
                    "brier": _num(sc.brier),
                    "log": _num(sc.log),
                    "crps": _num(sc.crps),
                    "held": sc.held,
                }
            )
            agg = per_speaker.setdefault(
                sc.speaker,
                {
                    "speaker": sc.speaker,
                    "speaker_name": names.get(sc.speaker),
                    "n_claims": 0,
                    "brier_sum": 0.0,
                    "log_sum": 0.0,
                    "scored": 0,
                    "hits": 0,
                    "misses": 0,
                },
            )
            agg["n_claims"] += 1
            if sc.n_events and math.isfinite(sc.brier):
                agg["brier_sum"] += sc.brier
                agg["log_sum"] += sc.log
                agg["scored"] += 1
            agg["hits"] += sc.held is True
            agg["misses"] += sc.held is False
    speakers_out = []
    for agg in per_speaker.values():
        scored = agg.pop("scored")
        brier_sum, log_sum = agg.pop("brier_sum"), agg.pop("log_sum")
        agg["mean_brier"] = _num(brier_sum / scored) if scored else None
        agg["mean_log"] = _num(log_sum / scored) if scored else None
        speakers_out.append(agg)
    speakers_out.sort(key=lambda s: (s["mean_brier"] is None, s["mean_brier"] or 0.0, s["speaker"]))
    body = {"as_of": as_of.isoformat(), "claims": claims_out, "speakers": speakers_out}
    return with_names(session, results.put(key, body), "claims", "speakers")


def with_names(session: Session, body: dict[str, Any], *lists: str) -> dict[str, Any]:
    """A copy of a cached body with every ``speaker_name`` read now (names are not in the fingerprint)."""
    slugs = {row["speaker"] for name in lists for row in body[name]}
    names = dict(session.execute(select(Speaker.slug, Speaker.name).where(Speaker.slug.in_(slugs))).tuples().all())
    out = dict(body)
    for name in lists:
        out[name] = [{**row, "speaker_name": names.get(row["speaker"], row["speaker"])} for row in body[name]]
    return out


def headline(session: Session, slug: str) -> dict[str, Any]:
    """The figures a milestone is summarised by: median, 80% interval, P(by 2030), P(never), counts."""
    body = distribution(session, slug, PoolParams())
    q = body["quantiles"]
    return {
        "median_year": body["median_year"],
        "interval_80": [q["0.1"], q["0.9"]],
        "p_by_2030": body["p_by"].get("2030"),
        "p_never": body["p_never"],
        "n_claims": body["n_claims"],
        "n_speakers": body["n_speakers"],
    }


def source_exists(session: Session, key: str) -> bool:
    return session.scalar(select(Source.id).where(Source.key == key)) is not None
