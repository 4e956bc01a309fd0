"""Request and response models of the JSON API: they validate requests and generate openapi.json."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from forecasts.engine.model import FIRST_DAY, LAST_DAY, MAX_POINT_YEAR, MAX_YEAR, MIN_YEAR
from forecasts.storage.records import MAX_DEFINITION

Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$", max_length=120)]
Key = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9._-]*$", max_length=160)]
# The vocabularies below are spelled out for the type checker and the OpenAPI document; a test holds
# them equal to the domain's (ForecastKind, VERIFICATION_STATUSES, DatePrecision).
Kind = Literal["window", "point", "probability_by", "quantiles", "lower_bound", "upper_bound", "never", "eventually"]
Verification = Literal["verified", "reported", "unverified", "disputed"]
Precision = Literal["day", "month", "year"]
Format = Literal["json", "csv"]
Year = Annotated[int, Field(ge=MIN_YEAR, le=MAX_YEAR)]
Probability = Annotated[float, Field(ge=0.0, le=1.0)]
Text = Annotated[str, StringConstraints(max_length=10_000)]
#: Dates the tracker can speak about; outside this the calendar arithmetic means nothing.
Day = Annotated[dt.date, Field(ge=FIRST_DAY, le=LAST_DAY)]


class Query(BaseModel):
    model_config = ConfigDict(extra="forbid")


# --- shared pieces ------------------------------------------------------------------------------


class QuantilePointModel(BaseModel):
    model_config = ConfigDict(extra="forbid")
    year: Annotated[float, Field(ge=MIN_YEAR, le=MAX_POINT_YEAR, description="a moment, as a decimal year")]
    probability: Probability


class ForecastModel(BaseModel):
    """A structured forecast: ``kind`` and the fields that kind uses (see the README's table)."""

    model_config = ConfigDict(extra="forbid")
    kind: Kind
    year_low: Year | None = None
    year_high: Year | None = None
    probability: Probability | None = None
    points: list[QuantilePointModel] | None = Field(default=None, max_length=50)
    confidence: Annotated[str, StringConstraints(max_length=120)] | None = None


class SpeakerRef(BaseModel):
    slug: str
    name: str
    kind: str


class MilestoneRef(BaseModel):
    slug: str
    name: str


class SourceModel(BaseModel):
    key: str
    kind: str
    title: str
    publisher: str | None
    url: str | None
    published_on: str | None
    published_precision: str


class Claim(BaseModel):
    id: int
    key: str
    url: str
    speaker: SpeakerRef
    speaker_role: str | None
    milestone: MilestoneRef
    said_on: dt.date
    said_precision: str
    quote: str
    verbatim: bool
    locator: str | None
    source: SourceModel | None
    source_link: str | None = Field(description="the source's URL, at the locator's moment where the site allows")
    original_source: SourceModel | None
    original_locator: str | None
    relative_phrase: str | None
    definition: str | None = Field(
        None, description="the speaker's own definition of the milestone, when they give one"
    )
    forecast: dict[str, Any]
    verification: str
    notes: str | None
    entered_by: str | None
    version: int
    deleted: bool
    revisions_url: str


class CurvePoint(BaseModel):
    t: float
    p: float | None


class BandPoint(BaseModel):
    t: float
    low: float | None
    high: float | None


class ClaimCurvePoint(BaseModel):
    t: float
    p: float | None
    low: float | None
    high: float | None


class Interpretation(BaseModel):
    explanation: str
    bound_only: bool
    p_never: float | None
    median_year: float | None
    quantiles: dict[str, float | None]
    fit_error: float | None
    cdf: list[ClaimCurvePoint]


class ClaimDetail(Claim):
    interpretation: Interpretation


class ClaimList(BaseModel):
    claims: list[Claim]
    total: int
    next_cursor: str | None
    next_url: str | None


class Revision(BaseModel):
    revision: int
    action: str
    changed_by: str | None
    changed_at: str | None
    reason: str | None
    snapshot: dict[str, Any]


class RevisionList(BaseModel):
    claim_id: int
    revisions: list[Revision]


class Speaker(BaseModel):
    slug: str
    name: str
    kind: str
    description: str | None
    affiliation: str | None
    url: str | None
    claims: int
    latest_said_on: dt.date | None


class SpeakerList(BaseModel):
    speakers: list[Speaker]
    total: int
    next_cursor: str | None


class MilestoneCount(BaseModel):
    milestone: str
    name: str
    claims: int


class SpeakerDetail(Speaker):
    milestones: list[MilestoneCount]


class StanceClaim(BaseModel):
    id: int
    milestone: str
    said_on: str
    kind: str
    forecast: dict[str, Any]
    median_year: float | None
    q10: float | None
    q90: float | None
    p_never: float | None
    earliest: float | None
    latest: float | None
    explanation: str


class Shift(BaseModel):
    speaker: str
    speaker_name: str
    milestone: str
    from_claim: int
    to_claim: int
    from_said_on: str
    to_said_on: str
    median_shift: float | None
    lower_bound_shift: float | None
    width_change: float | None
    total_shift: float | None
    signed_shift: float | None
    direction: str
    kind_change: str | None
    text: str


class Stance(BaseModel):
    speaker: str
    milestone: str
    include_children: bool
    include_unverified: bool = Field(description="unverified and disputed claims counted too")
    left_out: dict[str, int] = Field(description="claims not counted, by verification status")
    claims: list[StanceClaim]
    shifts: list[Shift]


class Headline(BaseModel):
    median_year: float | None
    interval_80: list[float | None]
    p_by_2030: float | None
    p_never: float | None
    n_claims: int
    n_speakers: int


class Milestone(BaseModel):
    slug: str
    name: str
    definition: str
    parent: str | None
    resolved_on: dt.date | None
    resolution: str | None
    resolution_source: SourceModel | None
    claims: int
    speakers: int


class MilestoneList(BaseModel):
    milestones: list[Milestone]


class MilestoneDetail(Milestone):
    children: list[str]
    headline: Headline


class WeightedClaim(BaseModel):
    id: int
    speaker: str | None
    weight: float | None = Field(description="the claim's weight in the pool as said (before conditioning)")
    p_not_yet: float | None = Field(
        description="the claim's P(no arrival before as_of); the conditioned linear pool weighs it by this"
    )


class ClaimRef(BaseModel):
    id: int
    speaker: str | None


class Distribution(BaseModel):
    milestone: str
    as_of: str
    conditioned_on: str | None = Field(
        description="the date the pool is conditioned on (no arrival before it), or null for the pool as said"
    )
    p_before_as_of: float | None = Field(
        description="the unconditioned pool's probability of arrival before as_of: what the present has ruled out"
    )
    method: str
    weighting: str
    include_bounds_only: bool
    include_children: bool
    source: str | None
    include_unverified: bool = Field(description="unverified and disputed claims counted too")
    left_out: dict[str, int] = Field(description="claims not counted, by verification status")
    n_claims: int
    n_speakers: int
    p_never: float | None
    p_beyond_grid: float | None
    median_year: float | None
    quantiles: dict[str, float | None]
    p_by: dict[str, float | None]
    cdf: list[CurvePoint]
    band: list[BandPoint]
    bounds: list[BandPoint]
    never_bounds: dict[str, float | None]
    claims: list[WeightedClaim]
    refuted: list[ClaimRef] = Field(
        description="claims standing at as_of whose words or reading put all their mass before it"
    )


class HistoryMonth(BaseModel):
    as_of: str
    n_claims: int
    p_never: float | None
    quantiles: dict[str, float | None]


class History(BaseModel):
    milestone: str
    method: str
    weighting: str
    include_bounds_only: bool
    conditioned: bool = Field(description="each month conditioned on no arrival before its first day")
    start: str
    end: str
    include_unverified: bool = Field(description="unverified and disputed claims counted too")
    left_out: dict[str, int] = Field(description="claims not counted, by verification status")
    months: list[HistoryMonth]


class Movers(BaseModel):
    start: str
    end: str
    movers: list[Shift]


class ClaimScore(BaseModel):
    claim_id: int
    speaker: str
    speaker_name: str | None
    milestone: str
    resolved_on: str | None
    n_events: int
    brier: float | None
    log: float | None
    crps: float | None
    held: bool | None


class SpeakerScore(BaseModel):
    speaker: str
    speaker_name: str | None
    n_claims: int
    hits: int
    misses: int
    mean_brier: float | None
    mean_log: float | None


class Scores(BaseModel):
    as_of: str
    claims: list[ClaimScore]
    speakers: list[SpeakerScore]


class Deleted(BaseModel):
    id: int
    deleted: bool
    version: int


class Span(BaseModel):
    start: int
    end: int
    text: str
    role: str


class ParseResult(BaseModel):
    milestone: str | None
    forecast: dict[str, Any] | None
    relative_phrase: str | None
    spans: list[Span]
    explanation: str


class Index(BaseModel):
    name: str
    version: str
    endpoints: dict[str, str]


# --- query parameters ---------------------------------------------------------------------------


class ClaimsQuery(Query):
    speaker: Slug | None = Field(default=None, description="a speaker's slug")
    milestone: Slug | None = Field(default=None, description="a milestone's slug")
    include_children: bool = Field(default=False, description="with `milestone`: its child milestones too")
    kind: Kind | None = Field(default=None, description="the forecast's kind")
    said_from: Day | None = Field(default=None, description="said on or after this date")
    said_to: Day | None = Field(default=None, description="said on or before this date")
    verified: Verification | None = Field(default=None, description="the verification status")
    q: Annotated[str, StringConstraints(min_length=1, max_length=200)] | None = Field(
        default=None, description="words to find in the quote (case-insensitive)"
    )
    sort: Literal["said_on", "-said_on", "id", "-id"] = Field(
        default="-said_on", description="order; '-' is descending"
    )
    limit: Annotated[int, Field(ge=1, le=500)] = Field(default=50, description="claims per page (at most 500)")
    cursor: Annotated[str, StringConstraints(max_length=200)] | None = Field(
        default=None, description="the next_cursor of the previous page"
    )
    format: Format = "json"


class PageQuery(Query):
    limit: Annotated[int, Field(ge=1, le=500)] = 100
    cursor: Annotated[str, StringConstraints(max_length=200)] | None = None
    include_respondents: bool = Field(default=False, description="also list anonymous survey respondents")
    format: Format = "json"


class FormatQuery(Query):
    format: Format = "json"


class JsonOnlyQuery(Query):
    pass


class PoolQuery(Query):
    method: Literal["linear", "median", "quantile", "geo_odds"] = Field(
        default="linear", description="how the claims' CDFs are combined"
    )
    weighting: Literal["latest", "recency", "equal"] = Field(
        default="latest",
        description="latest: one vote per speaker (their latest claim); recency: Metaculus's "
        "recency weights; equal: every claim",
    )
    as_of: Day | None = Field(default=None, description="pool the claims said on or before this date (default today)")
    include_bounds_only: bool = Field(default=False, description="read bound-only claims with the default shape too")
    include_children: bool = Field(default=False, description="pool the child milestones' claims too")
    source: Key | None = Field(default=None, description="only claims from this source (e.g. one survey)")
    include_unverified: bool = Field(
        default=False, description="count unverified and disputed claims too (by default only verified and reported)"
    )
    conditioned: bool = Field(
        default=True,
        description="condition the pool on no arrival before as_of while the milestone is unresolved; "
        "false gives the pool of the claims as said",
    )


class DistributionQuery(PoolQuery):
    p_by: list[Year] | None = Field(default=None, max_length=30, description="years to give P(by the end of) for")
    format: Format = "json"


class HistoryQuery(PoolQuery):
    start: Day | None = Field(default=None, description="first month (default: ten years ago)")
    end: Day | None = Field(default=None, description="last month (default: this month)")
    format: Format = "json"


class StanceQuery(Query):
    milestone: Slug
    include_children: bool = True
    include_unverified: bool = Field(
        default=False, description="count unverified and disputed claims too (by default only verified and reported)"
    )


class MoversQuery(Query):
    start: Day | None = Field(default=None, description="moves made on or after (default: three years ago)")
    end: Day | None = Field(default=None, description="moves made on or before (default: today)")
    limit: Annotated[int, Field(ge=1, le=200)] = 20
    format: Format = "json"


class ScoresQuery(Query):
    milestone: Slug | None = None
    as_of: Day | None = None
    include_respondents: bool = False
    format: Format = "json"


# --- request bodies -----------------------------------------------------------------------------


class ClaimIn(BaseModel):
    """A new claim; references are slugs and keys of existing speakers, milestones and sources."""

    model_config = ConfigDict(extra="forbid")
    key: Key | None = None
    speaker: Slug
    speaker_role: Annotated[str, StringConstraints(max_length=300)] | None = None
    milestone: Slug
    said_on: Day
    said_precision: Precision = "day"
    quote: Annotated[str, StringConstraints(min_length=1, max_length=10_000)]
    verbatim: bool = True
    source: Key | None = None
    locator: Annotated[str, StringConstraints(max_length=60)] | None = None
    original_source: Key | None = None
    original_locator: Annotated[str, StringConstraints(max_length=60)] | None = None
    relative_phrase: Annotated[str, StringConstraints(max_length=300)] | None = None
    definition: Annotated[str, StringConstraints(max_length=MAX_DEFINITION)] | None = None
    forecast: ForecastModel
    verification: Verification = "unverified"
    notes: Text | None = None
    reason: Annotated[str, StringConstraints(max_length=1000)] | None = Field(
        default=None, description="why, kept with the revision"
    )


class ClaimPatch(BaseModel):
    """Fields to change; the others keep their values."""

    model_config = ConfigDict(extra="forbid")
    speaker: Slug | None = None
    speaker_role: Annotated[str, StringConstraints(max_length=300)] | None = None
    milestone: Slug | None = None
    said_on: Day | None = None
    said_precision: Precision | None = None
    quote: Annotated[str, StringConstraints(min_length=1, max_length=10_000)] | None = None
    verbatim: bool | None = None
    source: Key | None = None
    locator: Annotated[str, StringConstraints(max_length=60)] | None = None
    original_source: Key | None = None
    original_locator: Annotated[str, StringConstraints(max_length=60)] | None = None
    relative_phrase: Annotated[str, StringConstraints(max_length=300)] | None = None
    definition: Annotated[str, StringConstraints(max_length=MAX_DEFINITION)] | None = None
    forecast: ForecastModel | None = None
    verification: Verification | None = None
    notes: Text | None = None
    reason: Annotated[str, StringConstraints(max_length=1000)] | None = None


class ParseIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    quote: Annotated[str, StringConstraints(min_length=1, max_length=10_000)]
    said_on: Day
    context: Annotated[str | None, StringConstraints(max_length=2_000)] = Field(
        None,
        description="The question the quote answers or the title it appears under: its milestone is used when "
        "the quote names none.",
    )
