"""The data rules every seed and import file keeps (forecasts.storage.data_check)."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path

import pytest

from forecasts.engine.model import Forecast, ForecastKind
from forecasts.storage.data_check import check_bundle, check_records
from forecasts.storage.exchange import read_seed_dir
from forecasts.storage.records import ClaimRecord, MilestoneRecord, SourceRecord, SpeakerRecord

SEEDS = Path(__file__).parent.parent.parent / "seeds"
PODCAST = SourceRecord(key="pod", kind="podcast", title="An episode", url="https://example.org/pod")
ARTICLE = SourceRecord(key="art", kind="article", title="A report", url="https://example.org/art")
SPEAKER = SpeakerRecord(slug="someone", name="Someone", kind="person")
MILESTONE = MilestoneRecord(slug="agi", name="AGI", definition="Artificial general intelligence.")
CLAIM = ClaimRecord(
    key="someone-2024-04-12-agi", speaker="someone", milestone="agi", said_on=dt.date(2024, 4, 12),
    quote="I think we'll get there by 2026 or 2027.", forecast=Forecast(ForecastKind.WINDOW, 2026, 2027),
    source="pod", locator="02:19:08", verification="verified",
)  # fmt: skip


def _problems(claim: ClaimRecord, *sources: SourceRecord) -> list[tuple[str, str]]:
    found = check_records([claim], sources or (PODCAST, ARTICLE), [SPEAKER], [MILESTONE])
    return [(p.key, p.field) for p in found]


def test_a_good_claim_keeps_every_rule() -> None:
    assert _problems(CLAIM) == []


def test_audio_needs_its_timestamp_unless_unverified() -> None:
    assert _problems(replace(CLAIM, locator=None)) == [(CLAIM.key, "locator")]
    assert _problems(replace(CLAIM, locator="about two hours in")) == [(CLAIM.key, "locator")]
    reported = replace(CLAIM, source="art", locator=None, original_source="pod")
    assert _problems(reported) == [(CLAIM.key, "original_locator")]
    assert _problems(replace(reported, original_locator="02:19:08")) == []
    assert _problems(replace(CLAIM, locator=None, verification="unverified")) == []


def test_sources_other_than_books_need_a_url() -> None:
    bare = replace(ARTICLE, url=None)
    assert _problems(replace(CLAIM, source="art", locator=None), PODCAST, bare) == [("art", "url")]
    book = SourceRecord(key="art", kind="book", title="A book")
    assert _problems(replace(CLAIM, source="art", locator=None), PODCAST, book) == []


def test_a_probability_needs_its_words() -> None:
    glossed = replace(CLAIM, forecast=Forecast(ForecastKind.WINDOW, 2026, 2027, probability=0.9,
                                              confidence="almost certain"))  # fmt: skip
    assert _problems(glossed) == [(CLAIM.key, "forecast.probability")]
    said = replace(glossed, quote="There's a 90% chance we get there by 2026 or 2027.")
    assert _problems(said) == []
    assert _problems(replace(said, quote="It's fifty-fifty whether we get there in 2026 or 2027.")) == []


def test_a_verbatim_quote_holds_its_forecast_words() -> None:
    assert _problems(replace(CLAIM, quote="I think we'll get there soon.")) == [(CLAIM.key, "quote")]
    relative = replace(CLAIM, quote="within a couple of years, I think", relative_phrase="within two years")
    assert _problems(relative) == [(CLAIM.key, "relative_phrase")]
    assert _problems(replace(relative, relative_phrase="within a couple of years")) == []
    assert _problems(replace(CLAIM, quote="call it '26, '27")) == []
    assert _problems(replace(CLAIM, quote="soon", verbatim=False)) == []  # a paraphrase is in other words


def test_references_must_exist() -> None:
    wrong = replace(CLAIM, speaker="nobody", milestone="hal-9000", original_source="gone")
    assert _problems(wrong) == [(CLAIM.key, "speaker"), (CLAIM.key, "milestone"), (CLAIM.key, "original_source")]


@pytest.mark.db
def test_the_seed_files_keep_the_rules() -> None:
    assert check_bundle(read_seed_dir(SEEDS)) == []
