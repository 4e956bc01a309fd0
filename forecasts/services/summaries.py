"""What the web pages show, assembled from the service and the queries: one function per page, each
returning plain JSON-ready dicts built from the same calls as the page's API twin."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import Any, Final

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from forecasts.engine.model import ClaimForecast, ForecastKind, decimal_year
from forecasts.errors import NotFoundError
from forecasts.services import service
from forecasts.services.links import source_link
from forecasts.storage import queries
from forecasts.storage.orm import Claim, ClaimRevision, Milestone, Speaker
from forecasts.storage.records import VERIFICATION_STATUSES
from forecasts.storage.repo import claim_forecast, claim_snapshot, get_by_slug, get_claim
from forecasts.storage.revisions import changed_fields

KINDS: Final = tuple(k.value for k in ForecastKind)
VERIFICATIONS: Final = VERIFICATION_STATUSES
#: The claims that make up an aggregate, listed on the milestone page (the rest are a filter away).
TOP_WEIGHTS: Final = 40
MONTHS: Final = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


# --- small words -------------------------------------------------------------------------------


def said_label(day: dt.date | str, precision: str = "day") -> str:
    """A date at the precision it is known: "12 Apr 2024", "Apr 2024" or "2024"."""
    if isinstance(day, str):
        day = dt.date.fromisoformat(day)
    if precision == "year":
        return str(day.year)
    if precision == "month":
        return f"{MONTHS[day.month - 1]} {day.year}"
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def percent(p: float | None) -> str:
    if p is None:
        return "—"
    value = 100 * p
    if 0 < value < 1:
        return "<1%"
    if 99 < value < 100:
        return ">99%"
    return f"{value:.0f}%"


def forecast_words(forecast: dict[str, Any]) -> str:
    """A structured forecast in a few words: "2025–2028 (90%)", "by 2030", "not before 2026"."""
    kind = forecast.get("kind")
    low, high, p = forecast.get("year_low"), forecast.get("year_high"), forecast.get("probability")
    chance = f" ({percent(p)})" if p is not None else ""
    if kind == "window":
        return f"{low}–{high}{chance}"
    if kind == "point":
        return f"in {low}{chance}"
    if kind == "probability_by":
        return f"{percent(p)} by {high}"
    if kind == "upper_bound":
        return f"by {high}{chance}"
    if kind == "lower_bound":
        return f"not before {low}{chance}"
    if kind == "quantiles":
        points = forecast.get("points") or []
        return ", ".join(f"{percent(pt['probability'])} by {pt['year']:g}" for pt in points)
    if kind == "never":
        return "never"
    return "eventually, no date"


def claim_row(claim: Claim) -> dict[str, Any]:
    """A claim as the lists show it: its snapshot with a date label, the forecast in words, the source link."""
    snap = claim_snapshot(claim)
    source = snap["source"]
    return {
        **snap,
        "said_label": said_label(claim.said_on, claim.said_precision),
        "forecast_words": forecast_words(snap["forecast"]),
        "source_link": source_link(source["url"] if source else None, claim.locator),
    }


# --- pages -------------------------------------------------------------------------------------


def milestone_overview(session: Session) -> list[dict[str, Any]]:
    """Every milestone with its counts and the default aggregate's headline figures."""
    out = []
    for ms, n, speakers in queries.milestones_with_counts(session):
        out.append(
            {
                "slug": ms.slug,
                "name": ms.name,
                "parent": ms.parent.slug if ms.parent else None,
                "resolved_on": ms.resolved_on.isoformat() if ms.resolved_on else None,
                "resolution": ms.resolution,
                "claims": n,
                "speakers": speakers,
                "headline": service.headline(session, ms.slug) if n else None,
            }
        )
    return out


def home(session: Session, *, today: dt.date) -> dict[str, Any]:
    """The front page: every milestone at a glance, the latest claims and the biggest recent movers."""
    latest = queries.list_claims(session, queries.ClaimFilter(), limit=8)
    movers = service.movers(session, start=dt.date(today.year - 3, 1, 1), end=today, top=6)
    return {
        "milestones": milestone_overview(session),
        "latest": [claim_row(c) for c in latest.claims],
        "total_claims": latest.total,
        "movers": movers["movers"],
    }


def claims(session: Session, f: queries.ClaimFilter, *, sort: str, limit: int, cursor: str | None) -> dict[str, Any]:
    """One page of the claims list with what its filter form offers."""
    page = queries.list_claims(session, f, sort=sort, limit=limit, cursor=cursor)
    speaker_name = None
    if f.speaker:
        speaker_name = session.scalar(select(Speaker.name).where(Speaker.slug == f.speaker))
    return {
        "claims": [claim_row(c) for c in page.claims],
        "total": page.total,
        "next_cursor": page.next_cursor,
        "speaker_name": speaker_name,
        "milestones": [
            (slug, name)
            for slug, name in session.execute(select(Milestone.slug, Milestone.name).order_by(Milestone.id)).tuples()
        ],
        "speakers": [
            (slug, name)
            for slug, name in session.execute(
                select(Speaker.slug, Speaker.name).where(Speaker.kind != "respondent").order_by(Speaker.name)
            ).tuples()
        ],
        "kinds": KINDS,
        "verifications": VERIFICATIONS,
        "sorts": queries.SORTS,
    }


def claim_detail(session: Session, claim_id: int) -> dict[str, Any]:
    """A claim, how the engine reads it, and its revision history."""
    claim = get_claim(session, claim_id)
    row = claim_row(claim)
    cf = ClaimForecast(claim.id, claim.speaker.slug, claim.milestone.slug, claim.said_on, claim_forecast(claim))
    revisions = list(
        session.scalars(
            select(ClaimRevision).where(ClaimRevision.claim_id == claim.id).order_by(ClaimRevision.revision)
        )
    )
    history, previous = [], None
    for r in revisions:
        history.append(
            {
                "revision": r.revision,
                "action": r.action,
                "changed_by": r.changed_by,
                "changed_at": r.changed_at.strftime("%Y-%m-%d %H:%M") if r.changed_at else None,
                "reason": r.reason,
                "changed": changed_fields(previous, r.snapshot),
            }
        )
        previous = r.snapshot
    interp = service.interpretation_dict(cf)
    return {
        "claim": row,
        "original_link": source_link(
            row["original_source"]["url"] if row["original_source"] else None, claim.original_locator
        ),
        "interpretation": interp,
        "quantile_rows": [(level, interp["quantiles"][level]) for level in ("0.1", "0.25", "0.5", "0.75", "0.9")],
        "revisions": history,
    }


def speakers(session: Session, *, limit: int, offset: int) -> dict[str, Any]:
    """A page of speakers, most claims first."""
    rows, total = queries.speakers_with_counts(session, limit=limit, offset=offset)
    return {
        "speakers": [
            {
                "slug": sp.slug,
                "name": sp.name,
                "kind": sp.kind,
                "affiliation": sp.affiliation,
                "description": sp.description,
                "claims": n,
                "latest_said_on": latest.isoformat() if latest else None,
            }
            for sp, n, latest in rows
        ],
        "total": total,
        "offset": offset,
        "limit": limit,
    }


def timeline_point(c: dict[str, Any]) -> dict[str, Any]:
    """A stance claim as a point of the speaker timeline: x the date said, y the arrival year read.

    Bound-only claims are drawn at their bound with an arrow (lower bounds point later, upper bounds
    earlier); "never" has no year and is drawn on its own row.
    """
    f = c["forecast"]
    said = decimal_year(dt.date.fromisoformat(c["said_on"]))
    point: dict[str, Any] = {
        "id": c["id"],
        "milestone": c["milestone"],
        "x": round(said, 3),
        "said_on": c["said_on"],
        "kind": c["kind"],
        "words": forecast_words(f),
        "explanation": c["explanation"],
        "y": c["median_year"],
        "low": c["q10"],
        "high": c["q90"],
        "arrow": None,
        "never": c["kind"] == "never",
    }
    if c["kind"] == "lower_bound":
        point.update(y=float(f["year_low"]), low=None, high=None, arrow="up")
    elif c["kind"] == "upper_bound":
        point.update(y=float(f["year_high"]) + 1, low=None, high=None, arrow="down")
    elif c["kind"] == "never":
        point.update(y=None, low=None, high=None)
    return point


def speaker_detail(session: Session, slug: str) -> dict[str, Any]:
    """A speaker: their claims per milestone as a timeline, their shifts in words and their scores."""
    sp = get_by_slug(session, Speaker, slug)
    counts = queries.speaker_counts(session, slug)
    series, shifts, unchecked = [], [], 0
    for milestone, name, _ in counts:
        stance = service.stance(session, slug, milestone, include_children=False)
        unchecked += sum(stance["left_out"].values())
        series.append({"milestone": milestone, "name": name, "points": [timeline_point(c) for c in stance["claims"]]})
        shifts += [{**s, "milestone_name": name} for s in stance["shifts"]]
    shifts.sort(key=lambda s: s["to_said_on"], reverse=True)
    scored = service.scores(session, include_respondents=True)
    claims = queries.list_claims(session, queries.ClaimFilter(speaker=slug), limit=200)
    return {
        "speaker": {
            "slug": sp.slug,
            "name": sp.name,
            "kind": sp.kind,
            "description": sp.description,
            "affiliation": sp.affiliation,
            "url": sp.url,
        },
        "milestones": [{"milestone": m, "name": name, "claims": n} for m, name, n in counts],
        "series": series,
        "n_points": sum(len(s["points"]) for s in series),
        "n_unchecked": unchecked,  # listed below the chart, but not charted or scored
        "shifts": shifts,
        "score": next((s for s in scored["speakers"] if s["speaker"] == slug), None),
        "scored_claims": [c for c in scored["claims"] if c["speaker"] == slug],
        "claims": [claim_row(c) for c in claims.claims],
        "total_claims": claims.total,
    }


def _history_window(as_of: dt.date | None, today: dt.date) -> tuple[dt.date, dt.date]:
    end = as_of or today
    return dt.date(end.year - 10, end.month, 1), end


def milestone_detail(session: Session, slug: str, params: service.PoolParams, *, today: dt.date) -> dict[str, Any]:
    """A milestone: its definition, the aggregate under ``params``, its history and the claims that weigh most."""
    ms = session.scalar(
        select(Milestone)
        .where(Milestone.slug == slug)
        .options(
            selectinload(Milestone.parent), selectinload(Milestone.children), selectinload(Milestone.resolution_source)
        )
    )
    if ms is None:
        raise NotFoundError("milestone", slug, field="slug")
    dist = service.distribution(session, slug, params)
    start, end = _history_window(params.as_of, today)
    hist = service.milestone_history(session, slug, params, start=start, end=end)
    weighted = sorted(dist["claims"], key=lambda c: (-(c["weight"] or 0.0), -c["id"]))[:TOP_WEIGHTS]
    before = _before_resolution(session, ms, params)
    rows = queries.claims_by_id(session, [w["id"] for w in weighted])
    return {
        "milestone": {
            "slug": ms.slug,
            "name": ms.name,
            "definition": ms.definition,
            "parent": {"slug": ms.parent.slug, "name": ms.parent.name} if ms.parent else None,
            "children": sorted(({"slug": c.slug, "name": c.name} for c in ms.children), key=lambda c: c["slug"]),
            "resolved_on": ms.resolved_on.isoformat() if ms.resolved_on else None,
            "resolution": ms.resolution,
            "resolution_source": ms.resolution_source.title if ms.resolution_source else None,
        },
        "distribution": dist,
        "before_resolution": before,
        "refuted": sorted(
            (claim_row(c) for c in queries.claims_by_id(session, [r["id"] for r in dist["refuted"]]).values()),
            key=lambda r: r["said_on"],
        ),
        "history": hist,
        "history_rows": [m for m in hist["months"] if m["as_of"].endswith("-01-01")] or hist["months"][-1:],
        "weighted": [{**claim_row(rows[w["id"]]), "weight": w["weight"]} for w in weighted if w["id"] in rows],
        "n_weighted": len(dist["claims"]),
        "methods": tuple(service.METHODS),
        "weightings": tuple(service.WEIGHTINGS),
    }


def _before_resolution(session: Session, ms: Milestone, params: service.PoolParams) -> dict[str, Any] | None:
    """What the pool said the day before the milestone resolved (as known on the page's day)."""
    as_of = params.as_of or dt.date.today()
    if ms.resolved_on is None or ms.resolved_on > as_of:
        return None
    day = ms.resolved_on - dt.timedelta(days=1)
    year = ms.resolved_on.year
    body = service.distribution(session, ms.slug, replace(params, as_of=day, p_by=(year,)))
    return {
        "as_of": day.isoformat(),
        "year": year,
        "p_by_year": body["p_by"].get(str(year)),
        "median_year": body["median_year"],
        "n_claims": body["n_claims"],
    }


def movers(session: Session, *, start: dt.date, end: dt.date, top: int = 50) -> dict[str, Any]:
    """The biggest shifts between ``start`` and ``end``, with milestone names."""
    body = service.movers(session, start=start, end=end, top=top)
    names = dict(session.execute(select(Milestone.slug, Milestone.name)).tuples().all())
    return {
        **body,
        "movers": [{**m, "milestone_name": names.get(m["milestone"], m["milestone"])} for m in body["movers"]],
    }


def scores(session: Session, *, as_of: dt.date | None = None) -> dict[str, Any]:
    """Scores of claims and speakers where milestones resolved or their year ends passed."""
    body = service.scores(session, as_of=as_of)
    names = dict(session.execute(select(Milestone.slug, Milestone.name)).tuples().all())
    return {
        **body,
        "claims": [{**c, "milestone_name": names.get(c["milestone"], c["milestone"])} for c in body["claims"]],
    }
