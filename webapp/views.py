"""The pages people read: each parses its request, asks ``forecasts.services.summaries`` for one dict, and
renders it, advertising its JSON twin in a ``Link`` header and a visible link."""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask import Blueprint, Response, make_response, render_template, request, url_for
from werkzeug.exceptions import HTTPException

from forecasts.engine.model import FIRST_DAY, LAST_DAY
from forecasts.errors import NotFoundError, ValidationError
from forecasts.services import service, summaries
from forecasts.storage import queries
from webapp import docpages, svg
from webapp.db import get_session

bp = Blueprint("pages", __name__)
PAGE_SIZE = 50
SPEAKERS_PAGE = 60
CLAIM_FILTERS = ("speaker", "milestone", "kind", "said_from", "said_to", "verified", "q")


# --- request parsing ----------------------------------------------------------------------------


def _arg(name: str) -> str | None:
    value = request.args.get(name, "").strip()
    return value or None


def _date(name: str) -> dt.date | None:
    value = _arg(name)
    if value is None:
        return None
    try:
        day = dt.date.fromisoformat(value)
    except ValueError:
        raise ValidationError(name, f"{value!r} is not a date like 2024-04-12") from None
    # The same range as the API: outside it the calendar arithmetic means nothing.
    if not FIRST_DAY <= day <= LAST_DAY:
        raise ValidationError(name, f"{value} is outside {FIRST_DAY}..{LAST_DAY}")
    return day


def _int(name: str, default: int, *, low: int, high: int) -> int:
    value = _arg(name)
    if value is None:
        return default
    if not (value.isascii() and value.isdigit()) or not low <= int(value) <= high:
        raise ValidationError(name, f"{value!r} is not a whole number from {low} to {high}")
    return int(value)


def _choice(name: str, choices: tuple[str, ...], default: str | None = None) -> str | None:
    value = _arg(name)
    if value is None:
        return default
    if value not in choices:
        raise ValidationError(name, f"{value!r} is not one of {', '.join(choices)}")
    return value


def _pool_params() -> service.PoolParams:
    return service.PoolParams(
        method=_arg("method") or "linear",
        weighting=_arg("weighting") or "latest",
        as_of=_date("as_of"),
        include_bounds_only=_arg("include_bounds_only") in {"true", "1", "on", "yes"},
        include_unverified=_arg("include_unverified") in {"true", "1", "on", "yes"},
        conditioned=_arg("conditioned") not in {"false", "0", "off", "no"},
    )


def _pool_args(params: service.PoolParams) -> dict[str, Any]:
    """The non-default pooling options as query arguments (the page's and the API's names agree)."""
    args: dict[str, Any] = {}
    if params.method != "linear":
        args["method"] = params.method
    if params.weighting != "latest":
        args["weighting"] = params.weighting
    if params.as_of:
        args["as_of"] = params.as_of.isoformat()
    if params.include_bounds_only:
        args["include_bounds_only"] = "true"
    if params.include_unverified:
        args["include_unverified"] = "true"
    if not params.conditioned:
        args["conditioned"] = "false"
    return args


def _page(template: str, alternate: str | None, **context: Any) -> Response:
    """Render ``template``; ``alternate`` is the JSON twin's URL, sent in a Link header and shown on the page."""
    response = make_response(render_template(template, json_url=alternate, **context))
    if alternate:
        response.headers["Link"] = f'<{alternate}>; rel="alternate"; type="application/json"'
    return response


# --- errors -------------------------------------------------------------------------------------


@bp.errorhandler(NotFoundError)
def not_found(exc: NotFoundError) -> tuple[str, int]:
    """Say that a slug or id names nothing, and where to look instead."""
    return render_template("error.html", status=404, title="Not found", message=str(exc).capitalize()), 404


@bp.errorhandler(ValidationError)
def bad_request(exc: ValidationError) -> tuple[str, int]:
    """Say which part of the address is wrong."""
    return render_template("error.html", status=400, title="Bad request", message=str(exc)), 400


@bp.app_errorhandler(404)
def unknown_page(exc: HTTPException) -> Any:
    """A friendly page for unknown addresses outside the API (the API keeps its JSON error shape)."""
    if request.path.startswith("/api/"):
        from webapp.api.errors import error_response

        return error_response(404, "not_found", exc.description or "not found")
    return render_template(
        "error.html", status=404, title="Not found", message="There is no page at this address."
    ), 404


# --- pages --------------------------------------------------------------------------------------


@bp.get("/")
def home() -> Response:
    """Show every milestone at a glance, the latest claims and the biggest recent movers."""
    data = summaries.home(get_session(), today=dt.date.today())
    return _page("home.html", url_for("api.list_milestones"), **data)


@bp.get("/claims")
def claims() -> Response:
    """List claims with filters, search, sorting and pagination in the URL."""
    f = queries.ClaimFilter(
        speaker=_arg("speaker"),
        milestone=_arg("milestone"),
        kind=_choice("kind", summaries.KINDS),
        said_from=_date("said_from"),
        said_to=_date("said_to"),
        verified=_choice("verified", summaries.VERIFICATIONS),
        q=_arg("q"),
    )
    sort = _choice("sort", queries.SORTS, "-said_on") or "-said_on"
    limit = _int("limit", PAGE_SIZE, low=1, high=500)
    cursor, number = _arg("cursor"), _int("page", 1, low=1, high=10**6)
    data = summaries.claims(get_session(), f, sort=sort, limit=limit, cursor=cursor)
    filters: dict[str, Any] = {k: v for k in CLAIM_FILTERS if (v := _arg(k)) is not None}
    view: dict[str, Any] = {
        **filters,
        **({"sort": sort} if sort != "-said_on" else {}),
        **({"limit": str(limit)} if limit != PAGE_SIZE else {}),
    }
    api_args: dict[str, Any] = {**view, **({"cursor": cursor} if cursor else {})}
    return _page(
        "claims.html",
        url_for("api.list_claims", **api_args),
        **data,
        filters=filters,
        sort=sort,
        limit=limit,
        page_number=number,
        first_offset=(number - 1) * limit,
        next_url=url_for("pages.claims", **view, cursor=data["next_cursor"], page=number + 1)
        if data["next_cursor"]
        else None,
        first_url=url_for("pages.claims", **view) if cursor else None,
        csv_url=url_for("api.list_claims", **{**view, "limit": "500"}, format="csv"),
        sort_url={s: url_for("pages.claims", **{**view, "sort": s}) for s in queries.SORTS},
    )


@bp.get("/claims/<int:claim_id>")
def claim(claim_id: int) -> Response:
    """Show one claim, how the engine reads it, and its revisions."""
    data = summaries.claim_detail(get_session(), claim_id)
    return _page("claim.html", url_for("api.get_claim", claim_id=claim_id), **data)


@bp.get("/speakers")
def speakers() -> Response:
    """List speakers, most claims first."""
    number = _int("page", 1, low=1, high=10**6)
    data = summaries.speakers(get_session(), limit=SPEAKERS_PAGE, offset=(number - 1) * SPEAKERS_PAGE)
    pages = max(1, -(-data["total"] // SPEAKERS_PAGE))
    return _page("speakers.html", url_for("api.list_speakers"), **data, page_number=number, pages=pages)


@bp.get("/speakers/<slug>")
def speaker(slug: str) -> Response:
    """Show a speaker's claims on a timeline, their shifts and their scores."""
    data = summaries.speaker_detail(get_session(), slug)
    return _page(
        "speaker.html",
        url_for("api.get_speaker", slug=slug),
        **data,
        image_url=url_for("pages.speaker_svg", slug=slug, _external=True),
    )


@bp.get("/speakers/<slug>.svg")
def speaker_svg(slug: str) -> Response:
    """Draw a speaker's timeline as a standalone SVG image."""
    data = summaries.speaker_detail(get_session(), slug)
    return Response(svg.speaker_timeline(data), mimetype="image/svg+xml")


@bp.get("/milestones")
def milestones() -> Response:
    """List every milestone with its headline figures."""
    data = summaries.milestone_overview(get_session())
    return _page("milestones.html", url_for("api.list_milestones"), milestones=data)


@bp.get("/milestones/<slug>")
def milestone(slug: str) -> Response:
    """Show a milestone's aggregate under the chosen method, weighting and date, and the claims behind it."""
    params = _pool_params()
    data = summaries.milestone_detail(get_session(), slug, params, today=dt.date.today())
    args = _pool_args(params)
    return _page(
        "milestone.html",
        url_for("api.get_distribution", slug=slug, **args),
        **data,
        params=params,
        pool_args=args,
        image_url=url_for("pages.milestone_svg", slug=slug, _external=True),
        csv_url=url_for("api.get_distribution", slug=slug, **args, format="csv"),
        history_url=url_for("api.get_history", slug=slug, **{k: v for k, v in args.items() if k != "as_of"}),
    )


@bp.get("/milestones/<slug>.svg")
def milestone_svg(slug: str) -> Response:
    """Draw a milestone's aggregate (default method) as a standalone SVG image."""
    session = get_session()
    name = service.get_milestone(session, slug).name
    body = service.distribution(session, slug, _pool_params())
    return Response(svg.aggregate_chart(body, title=name), mimetype="image/svg+xml")


@bp.get("/movers")
def movers() -> Response:
    """List the biggest stance shifts over a period."""
    end = _date("end") or dt.date.today()
    start = _date("start") or dt.date(end.year - 3, 1, 1)
    data = summaries.movers(get_session(), start=start, end=end)
    return _page(
        "movers.html",
        url_for("api.get_movers", start=start.isoformat(), end=end.isoformat(), limit=50),
        **data,
        csv_url=url_for("api.get_movers", start=start.isoformat(), end=end.isoformat(), limit=50, format="csv"),
    )


@bp.get("/scores")
def scores() -> Response:
    """Show how claims and speakers scored where milestones resolved or their years passed."""
    as_of = _date("as_of")
    data = summaries.scores(get_session(), as_of=as_of)
    args: dict[str, Any] = {"as_of": as_of.isoformat()} if as_of else {}
    return _page(
        "scores.html",
        url_for("api.get_scores", **args),
        **data,
        csv_url=url_for("api.get_scores", **args, format="csv"),
    )


@bp.get("/about")
def about() -> Response:
    """Explain the method, from docs/METHOD.md."""
    return _page("about.html", None, body=docpages.method_html())


@bp.get("/api")
def api_reference() -> Response:
    """Describe the JSON API, from its OpenAPI document."""
    return _page("api.html", url_for("api.openapi"), ref=docpages.api_reference(request.host_url.rstrip("/")))
