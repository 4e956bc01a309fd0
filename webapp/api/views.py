"""The JSON API, version 1: thin views that parse, call ``forecasts``, and serialise."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from typing import Any

from flask import Blueprint, Response, request, url_for
from sqlalchemy import select

from forecasts.engine.model import ClaimForecast
from forecasts.errors import ConflictError, NotFoundError, ValidationError
from forecasts.reading.milestone_names import MilestoneNames
from forecasts.reading.phrases import suggest
from forecasts.services import service
from forecasts.services.links import source_link
from forecasts.storage import queries, repo
from forecasts.storage.accounts import user_for_token
from forecasts.storage.orm import MAX_ID, Claim, ClaimRevision, Milestone, Speaker, parse_id
from forecasts.storage.records import ClaimRecord
from webapp.api import schemas as s
from webapp.api.errors import ApiError
from webapp.api.spec import Api
from webapp.db import get_session

bp = Blueprint("api", __name__, url_prefix="/api/v1")
api = Api(
    bp,
    title="AGI timeline forecasts API",
    version="1.0.0",
    description=(
        "Dated expert claims about when AI milestones arrive, and the engine's pooled distributions. "
        'Every error is answered as {"error": {"status", "code", "message", "field"}}. '
        "Lists take ?format=csv. Writes need a bearer token made with `forecasts tokens create`."
    ),
)


# --- helpers ------------------------------------------------------------------------------------


def claim_json(claim: Claim) -> dict[str, Any]:
    snap = repo.claim_snapshot(claim)
    snap.pop("id")
    source = snap["source"]
    return {
        "id": claim.id,
        **snap,
        "url": url_for("api.get_claim", claim_id=claim.id, _external=False),
        "source_link": source_link(source["url"] if source else None, claim.locator),
        "revisions_url": url_for("api.claim_revisions", claim_id=claim.id),
    }


def _claim_rows(body: dict[str, Any]) -> list[dict[str, Any]]:
    return [{k: v for k, v in c.items() if k not in {"url", "revisions_url"}} for c in body["claims"]]


def _authenticate() -> str:
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise ApiError(401, "unauthorized", "send 'Authorization: Bearer <token>'", field="Authorization")
    user = user_for_token(get_session(), token.strip())
    if user is None:
        raise ApiError(401, "unauthorized", "the token is not valid or was revoked", field="Authorization")
    return user.email


api.authenticate = _authenticate


def _expected_version() -> int:
    raw = request.headers.get("If-Match")
    if raw is None:
        raise ApiError(428, "precondition_required", "send the claim's version in If-Match", field="If-Match")
    version = parse_id(raw.strip().removeprefix("W/").strip('"'))
    if version is None:
        raise ApiError(400, "invalid_parameter", f"If-Match {raw!r} is not a version number", field="If-Match")
    return version


def _conditional(body_key: tuple[Any, ...]) -> tuple[str, Response | None]:
    """An ETag for a computed body, and a 304 when the client already has it."""
    etag = '"' + hashlib.sha1(repr(body_key).encode(), usedforsecurity=False).hexdigest()[:20] + '"'
    if etag in [t.strip() for t in request.headers.get("If-None-Match", "").split(",")]:
        response = Response(status=304)
        response.headers["ETag"] = etag
        return etag, response
    return etag, None


#: Serialised bodies of computed aggregates, by ETag: a repeated request costs a lookup.
_rendered = service.LruCache(256)


def _cached_json(etag: str, build: Any) -> Response | None:
    """The JSON response for ``etag`` (built once), or None for CSV, which goes the usual way."""
    if request.args.get("format", "json") != "json":
        return None
    body = _rendered.get(etag)
    if body is None:
        body = _rendered.put(etag, json.dumps(build(), ensure_ascii=False, separators=(",", ":")).encode())
    response = Response(body, mimetype="application/json")
    response.headers["ETag"] = etag
    return response


def _pool_params(q: s.PoolQuery, p_by: list[int] | None = None) -> service.PoolParams:
    # "As of today" is made explicit so that the ETag and the cached body change with the date.
    return service.PoolParams(
        method=q.method,
        weighting=q.weighting,
        as_of=q.as_of or dt.date.today(),
        include_bounds_only=q.include_bounds_only,
        include_children=q.include_children,
        source=q.source,
        include_unverified=q.include_unverified,
        p_by=tuple(sorted(set(p_by))) if p_by else service.DEFAULT_P_BY,
        conditioned=q.conditioned,
    )


def _get_claim(claim_id: int, *, include_deleted: bool = False) -> Claim:
    try:
        return repo.get_claim(get_session(), claim_id, include_deleted=include_deleted)
    except NotFoundError:
        raise ApiError(404, "not_found", f"no claim {claim_id}", field="claim_id") from None


def _milestone(slug: str) -> Milestone:
    return repo.get_by_slug(get_session(), Milestone, slug)  # NotFoundError answers 404 (webapp.api.errors)


def _speaker(slug: str) -> Speaker:
    return repo.get_by_slug(get_session(), Speaker, slug)


# --- claims -------------------------------------------------------------------------------------


@api.route("GET", "/", summary="List the API's endpoints", tag="meta", query=s.JsonOnlyQuery, response=s.Index)
def index(query: s.JsonOnlyQuery) -> dict[str, Any]:
    """Where to start: the main collections and the OpenAPI document."""
    return {
        "name": api.title,
        "version": api.version,
        "endpoints": {
            "claims": url_for("api.list_claims"),
            "speakers": url_for("api.list_speakers"),
            "milestones": url_for("api.list_milestones"),
            "movers": url_for("api.get_movers"),
            "scores": url_for("api.get_scores"),
            "openapi": url_for("api.openapi"),
        },
    }


@api.route(
    "GET", "/claims", summary="List claims", tag="claims", query=s.ClaimsQuery, response=s.ClaimList, csv=_claim_rows
)
def list_claims(query: s.ClaimsQuery) -> dict[str, Any]:
    """Claims filtered by speaker, milestone, kind, date said, verification and words, newest first."""
    session = get_session()
    if query.speaker and session.scalar(select(Speaker.id).where(Speaker.slug == query.speaker)) is None:
        raise ApiError(400, "invalid_parameter", f"no speaker {query.speaker!r}", field="speaker")
    if query.milestone and session.scalar(select(Milestone.id).where(Milestone.slug == query.milestone)) is None:
        raise ApiError(400, "invalid_parameter", f"no milestone {query.milestone!r}", field="milestone")
    f = queries.ClaimFilter(
        speaker=query.speaker,
        milestone=query.milestone,
        include_children=query.include_children,
        kind=query.kind,
        said_from=query.said_from,
        said_to=query.said_to,
        verified=query.verified,
        q=query.q,
    )
    page = queries.list_claims(session, f, sort=query.sort, limit=query.limit, cursor=query.cursor)
    next_url = None
    if page.next_cursor:
        args: dict[str, Any] = request.args.to_dict()
        args["cursor"] = page.next_cursor
        next_url = url_for("api.list_claims", **args)
    return {
        "claims": [claim_json(c) for c in page.claims],
        "total": page.total,
        "next_cursor": page.next_cursor,
        "next_url": next_url,
    }


@api.route(
    "GET",
    "/claims/<int:claim_id>",
    summary="Get a claim and how the engine reads it",
    tag="claims",
    query=s.JsonOnlyQuery,
    response=s.ClaimDetail,
    etag=True,
)
def get_claim(claim_id: int, query: s.JsonOnlyQuery) -> Any:
    """The claim, its sources, its structured forecast and the engine's interpretation in words and numbers."""
    claim = _get_claim(claim_id)
    body = claim_json(claim)
    forecast = repo.claim_forecast(claim)
    body["interpretation"] = service.interpretation_dict(
        ClaimForecast(claim.id, claim.speaker.slug, claim.milestone.slug, claim.said_on, forecast)
    )
    return body, {"ETag": f'"{claim.version}"'}


@api.route(
    "GET",
    "/claims/<int:claim_id>/revisions",
    summary="List a claim's revisions",
    tag="claims",
    query=s.JsonOnlyQuery,
    response=s.RevisionList,
)
def claim_revisions(claim_id: int, query: s.JsonOnlyQuery) -> dict[str, Any]:
    """Every create, edit, delete and restore of the claim, each with a full snapshot."""
    claim = _get_claim(claim_id, include_deleted=True)
    revisions = get_session().scalars(
        select(ClaimRevision).where(ClaimRevision.claim_id == claim.id).order_by(ClaimRevision.revision)
    )
    return {
        "claim_id": claim.id,
        "revisions": [
            {
                "revision": r.revision,
                "action": r.action,
                "changed_by": r.changed_by,
                "changed_at": r.changed_at.isoformat() if r.changed_at else None,
                "reason": r.reason,
                "snapshot": r.snapshot,
            }
            for r in revisions
        ],
    }


def _record(data: dict[str, Any]) -> ClaimRecord:
    return ClaimRecord.parse(data)  # a ValidationError answers 422 naming the field (webapp.api.errors)


def _write(action: Any) -> Any:
    """Run a write; domain validation errors become 422 naming the field, conflicts 409."""
    try:
        return action()
    except ValidationError as exc:
        get_session().rollback()
        raise ApiError(422, "invalid", f"{exc.field}: {exc.message}", field=exc.field) from None
    except ConflictError as exc:
        get_session().rollback()
        raise ApiError(409, "conflict", str(exc), field="If-Match", extra={"current_version": exc.current}) from None


@api.route(
    "POST",
    "/claims",
    summary="Add a claim",
    tag="claims",
    body=s.ClaimIn,
    response=s.Claim,
    status=201,
    auth=True,
    errors=(409,),
)
def create_claim(body: s.ClaimIn, user: str) -> Any:
    """Add a claim; it is saved with its first revision."""
    data = body.model_dump(exclude={"reason"}, mode="json")
    rec = _record(data)
    session = get_session()
    claim = _write(lambda: repo.create_claim(session, rec, by=user, reason=body.reason))
    session.commit()
    service.results.clear()
    return claim_json(claim), {"Location": url_for("api.get_claim", claim_id=claim.id), "ETag": f'"{claim.version}"'}


@api.route(
    "PATCH",
    "/claims/<int:claim_id>",
    summary="Edit a claim",
    tag="claims",
    body=s.ClaimPatch,
    response=s.Claim,
    auth=True,
    errors=(409, 428),
)
def update_claim(claim_id: int, body: s.ClaimPatch, user: str) -> Any:
    """Change some fields of a claim; send its current version in If-Match (a stale one answers 409)."""
    expected = _expected_version()
    claim = _get_claim(claim_id)
    if expected != claim.version:
        raise ApiError(
            409,
            "conflict",
            f"version {expected} is stale; the current version is {claim.version}",
            field="If-Match",
            extra={"current_version": claim.version},
        )
    current = repo.claim_record(claim).as_dict()
    changes = body.model_dump(exclude_unset=True, exclude={"reason"}, mode="json")
    rec = _record({**current, **changes})
    session = get_session()
    _write(lambda: repo.update_claim(session, claim, rec, by=user, expected_version=expected, reason=body.reason))
    session.commit()
    service.results.clear()
    return claim_json(claim), {"ETag": f'"{claim.version}"'}


@api.route(
    "DELETE",
    "/claims/<int:claim_id>",
    summary="Move a claim to the trash",
    tag="claims",
    query=s.JsonOnlyQuery,
    response=s.Deleted,
    auth=True,
)
def delete_claim(claim_id: int, query: s.JsonOnlyQuery, user: str) -> dict[str, Any]:
    """Soft-delete a claim; POST .../restore brings it back."""
    claim = _get_claim(claim_id)
    session = get_session()
    _write(lambda: repo.delete_claim(session, claim, by=user))
    session.commit()
    service.results.clear()
    return {"id": claim.id, "deleted": True, "version": claim.version}


@api.route(
    "POST",
    "/claims/<int:claim_id>/restore",
    summary="Restore a claim from the trash",
    tag="claims",
    query=s.JsonOnlyQuery,
    response=s.Claim,
    auth=True,
    errors=(422,),
)
def restore_claim(claim_id: int, query: s.JsonOnlyQuery, user: str) -> dict[str, Any]:
    """Bring a deleted claim back, as a new revision."""
    claim = _get_claim(claim_id, include_deleted=True)
    session = get_session()
    _write(lambda: repo.restore_claim(session, claim, by=user))
    session.commit()
    service.results.clear()
    return claim_json(claim)


@api.route(
    "POST",
    "/parse",
    summary="Suggest a structured forecast from a quote",
    tag="claims",
    body=s.ParseIn,
    response=s.ParseResult,
)
def parse_quote(body: s.ParseIn) -> dict[str, Any]:
    """Read a quote said on a date and propose its milestone and structured forecast, with the words read.

    The milestones are the database's as well as the common terms; ``context`` supplies the
    milestone when the quote names none.
    """
    known = MilestoneNames(queries.milestone_names(get_session()))
    return suggest(body.quote, body.said_on, known=known, context=body.context).to_dict()


# --- speakers -----------------------------------------------------------------------------------


def _offset(cursor: str | None) -> int:
    if not cursor:
        return 0
    try:
        kind, value, _ = queries.decode_cursor(cursor)
    except ValidationError as exc:
        raise ApiError(400, "invalid_parameter", exc.message, field="cursor") from None
    if kind != "offset" or not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= MAX_ID:
        raise ApiError(400, "invalid_parameter", "is not a cursor this API gave out", field="cursor")
    return value


def _speaker_json(sp: Speaker, n: int, latest: dt.date | None) -> dict[str, Any]:
    return {
        "slug": sp.slug,
        "name": sp.name,
        "kind": sp.kind,
        "description": sp.description,
        "affiliation": sp.affiliation,
        "url": sp.url,
        "claims": n,
        "latest_said_on": latest.isoformat() if latest else None,
    }


@api.route(
    "GET",
    "/speakers",
    summary="List speakers",
    tag="speakers",
    query=s.PageQuery,
    response=s.SpeakerList,
    csv=lambda b: b["speakers"],
)
def list_speakers(query: s.PageQuery) -> dict[str, Any]:
    """Speakers with their number of claims, most claims first."""
    offset = _offset(query.cursor)
    rows, total = queries.speakers_with_counts(
        get_session(),
        limit=query.limit,
        offset=offset,
        include_respondents=query.include_respondents,
    )
    more = offset + len(rows) < total
    return {
        "speakers": [_speaker_json(*r) for r in rows],
        "total": total,
        "next_cursor": queries.encode_cursor(["offset", offset + len(rows), 0]) if more else None,
    }


@api.route(
    "GET",
    "/speakers/<slug>",
    summary="Get a speaker with claim counts per milestone",
    tag="speakers",
    query=s.JsonOnlyQuery,
    response=s.SpeakerDetail,
)
def get_speaker(slug: str, query: s.JsonOnlyQuery) -> dict[str, Any]:
    """A speaker and how many claims they made about each milestone."""
    sp = _speaker(slug)
    counts = queries.speaker_counts(get_session(), slug)
    latest = get_session().scalar(
        select(Claim.said_on)
        .where(Claim.speaker_id == sp.id, Claim.deleted_at.is_(None))
        .order_by(Claim.said_on.desc())
        .limit(1)
    )
    body = _speaker_json(sp, sum(n for _, _, n in counts), latest)
    body["milestones"] = [{"milestone": m, "name": name, "claims": n} for m, name, n in counts]
    return body


@api.route(
    "GET",
    "/speakers/<slug>/stance",
    summary="A speaker's stance on a milestone over time",
    tag="speakers",
    query=s.StanceQuery,
    response=s.Stance,
)
def get_stance(slug: str, query: s.StanceQuery) -> dict[str, Any]:
    """The speaker's claims in date order, reduced to comparable numbers, and the shifts between them."""
    _speaker(slug)
    if get_session().scalar(select(Milestone.id).where(Milestone.slug == query.milestone)) is None:
        raise ApiError(400, "invalid_parameter", f"no milestone {query.milestone!r}", field="milestone")
    return service.stance(
        get_session(),
        slug,
        query.milestone,
        include_children=query.include_children,
        include_unverified=query.include_unverified,
    )


# --- milestones ---------------------------------------------------------------------------------


def _milestone_json(ms: Milestone, n: int, speakers: int) -> dict[str, Any]:
    return {
        "slug": ms.slug,
        "name": ms.name,
        "definition": ms.definition,
        "parent": ms.parent.slug if ms.parent else None,
        "resolved_on": ms.resolved_on.isoformat() if ms.resolved_on else None,
        "resolution": ms.resolution,
        "resolution_source": repo.source_dict(ms.resolution_source),
        "claims": n,
        "speakers": speakers,
    }


@api.route(
    "GET",
    "/milestones",
    summary="List milestones",
    tag="milestones",
    query=s.FormatQuery,
    response=s.MilestoneList,
    csv=lambda b: b["milestones"],
)
def list_milestones(query: s.FormatQuery) -> dict[str, Any]:
    """Every milestone with its definition, resolution and number of claims."""
    rows = queries.milestones_with_counts(get_session())
    return {"milestones": [_milestone_json(*r) for r in rows]}


@api.route(
    "GET",
    "/milestones/<slug>",
    summary="Get a milestone with its headline figures",
    tag="milestones",
    query=s.JsonOnlyQuery,
    response=s.MilestoneDetail,
)
def get_milestone(slug: str, query: s.JsonOnlyQuery) -> dict[str, Any]:
    """Definition, resolution, children, and the default aggregate's headline figures."""
    ms = _milestone(slug)
    counts = {m.slug: (n, k) for m, n, k in queries.milestones_with_counts(get_session())}
    body = _milestone_json(ms, *counts.get(slug, (0, 0)))
    body["children"] = sorted(c.slug for c in ms.children)
    body["headline"] = service.headline(get_session(), slug)
    return body


def _distribution_rows(body: dict[str, Any]) -> list[dict[str, Any]]:
    band = {b["t"]: b for b in body["band"]}
    bounds = {b["t"]: b for b in body["bounds"]}
    return [
        {
            "t": c["t"],
            "cdf": c["p"],
            "band_low": band[c["t"]]["low"],
            "band_high": band[c["t"]]["high"],
            "bounds_low": bounds[c["t"]]["low"],
            "bounds_high": bounds[c["t"]]["high"],
        }
        for c in body["cdf"]
    ]


@api.route(
    "GET",
    "/milestones/<slug>/distribution",
    summary="The pooled distribution of a milestone",
    tag="milestones",
    query=s.DistributionQuery,
    response=s.Distribution,
    csv=_distribution_rows,
    etag=True,
)
def get_distribution(slug: str, query: s.DistributionQuery) -> Any:
    """Pool the claims said on or before `as_of` into one CDF over the arrival year, with the band and bounds."""
    version = service.fingerprint(get_session())
    if slug not in service.milestone_slugs(get_session(), version=version):
        raise ApiError(404, "not_found", f"no milestone {slug!r}", field="slug")
    if query.source and not service.source_exists(get_session(), query.source):
        raise ApiError(400, "invalid_parameter", f"no source {query.source!r}", field="source")
    params = _pool_params(query, query.p_by)
    etag, not_modified = _conditional(("distribution", slug, params, version, request.args.get("format")))
    if not_modified is not None:
        return not_modified
    cached = _cached_json(etag, lambda: service.distribution(get_session(), slug, params, version=version))
    if cached is not None:
        return cached
    return service.distribution(get_session(), slug, params, version=version), {"ETag": etag}


@api.route(
    "GET",
    "/milestones/<slug>/history",
    summary="How the aggregate moved, month by month",
    tag="milestones",
    query=s.HistoryQuery,
    response=s.History,
    csv=lambda b: [
        {
            "as_of": m["as_of"],
            "n_claims": m["n_claims"],
            "p_never": m["p_never"],
            **{f"q{k}": v for k, v in m["quantiles"].items()},
        }
        for m in b["months"]
    ],
    etag=True,
)
def get_history(slug: str, query: s.HistoryQuery) -> Any:
    """The aggregate's quantiles as of the first day of each month from `start` to `end`."""
    _milestone(slug)
    today = dt.date.today()
    end = query.end or today
    start = query.start or dt.date(end.year - 10, end.month, 1)
    params = _pool_params(query)
    version = service.fingerprint(get_session())
    etag, not_modified = _conditional(("history", slug, params, start, end, version, request.args.get("format")))
    if not_modified is not None:
        return not_modified
    cached = _cached_json(
        etag, lambda: service.milestone_history(get_session(), slug, params, start=start, end=end, version=version)
    )
    if cached is not None:
        return cached
    body = service.milestone_history(get_session(), slug, params, start=start, end=end, version=version)
    return body, {"ETag": etag}


# --- movers and scores --------------------------------------------------------------------------


@api.route(
    "GET",
    "/movers",
    summary="The biggest stance shifts over a period",
    tag="speakers",
    query=s.MoversQuery,
    response=s.Movers,
    csv=lambda b: b["movers"],
)
def get_movers(query: s.MoversQuery) -> dict[str, Any]:
    """Single moves between consecutive claims of a speaker on a milestone, largest total shift first."""
    end = query.end or dt.date.today()
    start = query.start or dt.date(end.year - 3, 1, 1)
    return service.movers(get_session(), start=start, end=end, top=query.limit)


@api.route(
    "GET",
    "/scores",
    summary="Claims and speakers scored where milestones resolved",
    tag="speakers",
    query=s.ScoresQuery,
    response=s.Scores,
    csv=lambda b: b["claims"],
)
def get_scores(query: s.ScoresQuery) -> dict[str, Any]:
    """Brier, log and CRPS scores of every claim at its milestone's resolution and the year ends passed."""
    if query.milestone and get_session().scalar(select(Milestone.id).where(Milestone.slug == query.milestone)) is None:
        raise ApiError(400, "invalid_parameter", f"no milestone {query.milestone!r}", field="milestone")
    return service.scores(
        get_session(), as_of=query.as_of, milestone=query.milestone, include_respondents=query.include_respondents
    )


@api.route("GET", "/openapi.json", summary="This API's OpenAPI 3.1 document", tag="meta", query=s.JsonOnlyQuery)
def openapi(query: s.JsonOnlyQuery) -> Response:
    """The OpenAPI document, generated from the models that validate the requests."""
    return Response(json.dumps(api.openapi(), indent=1), mimetype="application/json")
