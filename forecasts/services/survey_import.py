"""Survey answers into the claims database: each respondent an anonymous speaker with one claim."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from forecasts.engine.model import ClaimForecast
from forecasts.engine.survey import espai_claims, read_espai
from forecasts.storage.exchange import Bundle, RecordError
from forecasts.storage.records import ClaimRecord, SourceRecord, SpeakerRecord

FRAMINGS = {"fixed_years": "fixed-years framing", "fixed_probabilities": "fixed-probabilities framing"}
QUESTIONS = {"hlmi": "high-level machine intelligence", "faol": "full automation of labour"}


def default_source(survey_date: dt.date) -> SourceRecord:
    year = survey_date.year
    return SourceRecord(
        key=f"espai-{year}-responses",
        kind="survey",
        title=f"{year} Expert Survey on Progress in AI: anonymised responses",
        publisher="AI Impacts; cleaned responses published in the tadamcz/espai repository (MIT licence)",
        url="https://github.com/tadamcz/espai",
        published_on=None,
        notes="Each respondent's three (years, probability) answers are stored as a quantiles claim.",
    )


def _answer_text(claim: ClaimForecast, question: str) -> str:
    extra = claim.extra
    years = extra.get("years_after", ())
    parts = [
        f"{p.probability:.0%} within {_years(y)}"
        for p, y in zip(claim.forecast.points, years, strict=False)  # type: ignore[call-overload]
    ]
    framing = FRAMINGS.get(str(extra.get("framing")), str(extra.get("framing")))
    return f"Survey answer on {QUESTIONS[question]} ({framing}): " + "; ".join(parts) + "."


def _years(y: float) -> str:
    return f"{y:g} year" + ("" if y == 1 else "s")


def survey_bundle(
    path: Path, *, question: str, survey_date: dt.date, milestone: str, source: SourceRecord | None = None
) -> Bundle:
    """Read ESPAI-framed answers and make the records that store them."""
    from forecasts.errors import ValidationError

    if question not in QUESTIONS:
        raise RecordError(str(path), None, "question", f"{question!r} is not one of {', '.join(QUESTIONS)}")
    try:
        frame = read_espai(path, question=question, survey_date=survey_date)  # type: ignore[arg-type]
        claims = espai_claims(frame, milestone=milestone, survey_date=survey_date)
    except ValidationError as exc:
        raise RecordError(str(path), None, exc.field, exc.message) from None
    src = source or default_source(survey_date)
    bundle = Bundle(sources=[src])
    for c in claims:
        response = str(c.extra.get("response_id"))
        bundle.speakers.append(
            SpeakerRecord(
                slug=c.speaker,
                name=f"ESPAI {survey_date.year} respondent {response}",
                kind="respondent",
                description=f"Anonymous respondent to the {survey_date.year} Expert Survey on Progress in AI",
                affiliation=None,
            )
        )
        bundle.claims.append(
            ClaimRecord(
                key=f"{c.speaker}-{milestone}",
                speaker=c.speaker,
                speaker_role="AI researcher (survey respondent)",
                milestone=milestone,
                said_on=survey_date,
                said_precision="month",
                quote=_answer_text(c, question),
                verbatim=False,
                source=src.key,
                locator=f"response {response}",
                forecast=c.forecast,
                verification="verified",
                notes=(
                    "Answers beyond about a million years (the survey's way of saying 'never') were capped."
                    if "capped_years_after" in c.extra
                    else None
                ),
            )
        )
    return bundle
