"""Finding forecast claims in timestamped transcripts (see tests/data/transcript_excerpt.README.md)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from forecasts.engine.model import validate_forecast
from forecasts.errors import ForecastsError
from forecasts.reading.transcript import (
    Candidate,
    Cue,
    TranscriptError,
    candidates_to_json,
    extract_candidates,
    match_speaker,
    parse_transcript,
)

EXCERPT = (Path(__file__).parent.parent / "data" / "transcript_excerpt.txt").read_text(encoding="utf-8")
VIDEO_DATE = dt.date(2024, 4, 18)
SPEAKERS = [
    ("dario-amodei", "Dario Amodei"),
    ("yann-lecun", "Yann LeCun"),
    ("arthur-mensch", "Arthur Mensch"),
    ("demis-hassabis", "Demis Hassabis"),
    ("sam-altman", "Sam Altman"),
]


@pytest.fixture(scope="module")
def found() -> list[Candidate]:
    return extract_candidates(EXCERPT, said_on=VIDEO_DATE, speakers=SPEAKERS, narrator="ai-explained")


def _one(found: list[Candidate], words: str) -> Candidate:
    hits = [c for c in found if words in c.quote]
    assert len(hits) == 1, [c.quote for c in found]
    return hits[0]


def test_amodei_asl3_is_found_where_his_answer_begins(found: list[Candidate]) -> None:
    c = _one(found, "ASL 3 is, you know, could easily")
    assert c.quote == "Yeah, I think ASL 3 is, you know, could easily happen this year or next year."
    assert (c.locator, c.line, c.speaker, c.speaker_name_as_written) == ("00:16:14", 33, "dario-amodei", "Dario Amadei")
    assert c.milestone == "asl-3"
    assert c.forecast is not None
    assert c.forecast.to_dict() == {"kind": "window", "year_low": 2024, "year_high": 2025, "confidence": "could easily"}
    assert c.relative_phrase == "this year or next year"
    # "just this week" said on Thursday 2024-04-18 is read as that week's Monday.
    assert (c.said_on, c.said_on_phrase) == (dt.date(2024, 4, 15), "this week")


def test_amodei_asl4(found: list[Candidate]) -> None:
    c = _one(found, "ASL 4 could happen")
    assert (c.locator, c.speaker, c.milestone) == ("00:16:25", "dario-amodei", "asl-4")
    assert c.forecast is not None
    assert c.forecast.to_dict() == {"kind": "window", "year_low": 2025, "year_high": 2028}


def test_lecun_post_three_days_before_the_video(found: list[Candidate]) -> None:
    c = _one(found, "it won't happen next year")
    assert c.quote.startswith("There is no question that AI will eventually")
    assert (c.locator, c.speaker, c.milestone) == ("00:15:12", "yann-lecun", "hlmi")
    assert (c.said_on, c.said_on_phrase) == (dt.date(2024, 4, 15), "Three days ago")
    assert c.forecast is not None
    assert c.forecast.to_dict() == {"kind": "lower_bound", "year_low": 2026}


def test_lecun_earlier_claim_as_reported_by_the_narrator(found: list[Candidate]) -> None:
    c = _one(found, "definitely wouldn't be coming")
    assert (c.locator, c.speaker, c.milestone) == ("00:15:07", "yann-lecun", "agi")
    # "previously" has no date: the video's date stands, flagged for a reviewer.
    assert (c.said_on, c.said_on_phrase) == (VIDEO_DATE, "previously")
    assert c.forecast is not None
    assert c.forecast.to_dict() == {"kind": "lower_bound", "year_low": 2030, "confidence": "definitely"}  # fmt: skip


def test_mensch_does_not_believe_in_agi(found: list[Candidate]) -> None:
    c = _one(found, "believe in AGI")
    assert c.quote == "I'm a strong atheist, so I don't believe in AGI."
    assert (c.locator, c.speaker, c.speaker_name_as_written) == ("00:14:56", "arthur-mensch", "Arthur Mensch")
    assert c.forecast is not None
    assert c.forecast.to_dict() == {"kind": "never"}


def test_narrator_claims(found: list[Candidate]) -> None:
    zoom = _one(found, "real time Zoom call")
    assert (zoom.locator, zoom.speaker, zoom.said_on) == ("00:02:48", "ai-explained", VIDEO_DATE)
    assert zoom.forecast is not None
    expected = {"kind": "upper_bound", "year_high": 2024, "confidence": "almost certain"}
    assert zoom.forecast.to_dict() == expected
    her = _one(found, "approximating Her by next year")
    assert (her.locator, her.speaker, her.relative_phrase) == ("00:16:48", "ai-explained", "by next year")
    assert her.forecast is not None
    assert her.forecast.to_dict() == {"kind": "upper_bound", "year_high": 2025}


def test_the_whole_excerpt(found: list[Candidate]) -> None:
    assert [(c.locator, c.speaker) for c in found] == [
        ("00:02:48", "ai-explained"),
        ("00:14:42", None),  # "those ... that say that's never going to happen": unnamed others
        ("00:14:56", "arthur-mensch"),
        ("00:15:07", "yann-lecun"),
        ("00:15:12", "yann-lecun"),
        ("00:16:14", "dario-amodei"),
        ("00:16:25", "dario-amodei"),
        ("00:16:48", "ai-explained"),
    ]
    for c in found:
        assert c.forecast is not None
        validate_forecast(c.forecast)
        assert all(c.quote[s.start : s.end] == s.text for s in c.spans)
    # The narrator's aside after Mensch's quote, and the movie's setting, are not claims.
    assert not [c for c in found if "link there" in c.quote or "set in the year" in c.quote]


def test_candidates_to_json(found: list[Candidate]) -> None:
    rows = candidates_to_json(found)
    assert len(rows) == len(found)
    assert {"locator", "quote", "speaker", "milestone", "forecast"} <= set(rows[0])
    assert rows[2]["forecast"] == {"kind": "never"}
    assert rows[2]["said_on"] == "2024-04-18"


def test_without_a_narrator_unattributed_text_has_no_speaker() -> None:
    got = extract_candidates(EXCERPT, said_on=VIDEO_DATE, speakers=SPEAKERS, narrator=None)
    assert got[0].speaker is None
    assert got[2].speaker == "arthur-mensch"


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("Dario Amadei", ("dario-amodei", "Dario Amadei")),
        ("Here's Arthur Mensch", ("arthur-mensch", "Arthur Mensch")),
        ("Hasabi", ("demis-hassabis", "Hasabi")),
        ("Yann LeCun's", ("yann-lecun", "Yann LeCun")),
        ("Atlas", None),
        ("Mistral", None),
        ("Sam", None),
    ],
)
def test_match_speaker_tolerates_misspellings(written: str, expected: tuple[str, str] | None) -> None:
    assert match_speaker(written, SPEAKERS) == expected


SRT = """1
00:00:01,000 --> 00:00:04,500
Three days ago, he said this,

2
00:00:04,500 --> 00:00:08,000
"AGI won't happen next year."
"""

VTT = """WEBVTT

NOTE made by hand

intro
00:01.000 --> 00:04.000 align:start
<v Narrator>Here's Yann LeCun.</v>

00:00:04.000 --> 00:00:08.000
"R&amp;D aside, AGI won't happen in the next five years."
"""


def test_parse_srt() -> None:
    assert parse_transcript(SRT, name="a.srt") == [
        Cue(1.0, 4.5, "Three days ago, he said this,", 3),
        Cue(4.5, 8.0, '"AGI won\'t happen next year."', 7),
    ]


def test_parse_vtt_strips_tags_and_skips_notes() -> None:
    assert parse_transcript(VTT) == [
        Cue(1.0, 4.0, "Here's Yann LeCun.", 7, label="Narrator"),
        Cue(4.0, 8.0, '"R&D aside, AGI won\'t happen in the next five years."', 10),
    ]


def test_parse_bracketed_lines() -> None:
    cues = parse_transcript(EXCERPT)
    assert cues[0] == Cue(148.08, 154.8, cues[0].text, 1)
    assert cues[0].text.startswith("there could be some decisions")
    assert len(cues) == 42


def test_srt_claim_said_three_days_before() -> None:
    [c] = extract_candidates(SRT, said_on=dt.date(2024, 1, 10), speakers=SPEAKERS, narrator="host")
    assert (c.locator, c.said_on, c.speaker) == ("00:00:04", dt.date(2024, 1, 7), None)  # no one named
    assert c.forecast is not None
    assert c.forecast.to_dict() == {"kind": "lower_bound", "year_low": 2026}


def test_vtt_claim_goes_to_the_person_named() -> None:
    [c] = extract_candidates(VTT, said_on=dt.date(2024, 4, 18), speakers=SPEAKERS, narrator="host")
    assert (c.speaker, c.milestone) == ("yann-lecun", "agi")
    assert c.quote == "R&D aside, AGI won't happen in the next five years."


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("[00:00:01.000 --> 00:00:02.000]  fine\n[00:00:02.000 --> 00:0x:03.000]  bad", 2, "does not parse"),
        ("[00:00:05.000 --> 00:00:02.000]  backwards", 1, "before it starts"),
        ("[00:00:01.000 --> 00:00:02.000]  fine\nloose text", 2, "expected '["),
        ("1\n00:00:01,000 --> 00:00:02,000\n\n2\n00:00:02,000 --> 00:00:03,000\ntext\n", 2, "no text"),
        ("1\n00:00:01,000 --> 00:00:02,000\nok\n\nx\n00:00:02,000 --> 00:00:03,000\ntext\n", 5, "cue number"),
        ("1\n00:00:01,000 -> 00:00:02,000\nok\n", 2, "start --> end"),
        ("WEBVTT\n\n00:01.000 --> 00:00.500\nhi\n", 3, "before it starts"),
        ("WEBVTT\n\n00:01.000 --> 00:02.000\n<b></b>\n", 3, "no text"),
        ("\n\nhello there\n", 3, "not a transcript"),
        ("[00:00:01.000 --> 00:00:61.000]  bad seconds", 1, "does not parse"),
    ],
)
def test_malformed_transcripts_name_the_line(text: str, line: int, message: str) -> None:
    with pytest.raises(TranscriptError) as err:
        parse_transcript(text, name="talk.srt")
    assert err.value.line == line
    assert message in err.value.message
    assert str(err.value).startswith(f"talk.srt, line {line}: ")
    assert isinstance(err.value, ForecastsError)


def test_empty_transcript_has_no_cues() -> None:
    assert parse_transcript("") == []
    assert extract_candidates("\n", said_on=VIDEO_DATE, speakers=SPEAKERS, narrator=None) == []


def test_the_guest_named_in_a_title_is_not_the_host_whose_show_it_is() -> None:
    text = "[00:00:01.000 --> 00:00:04.000]   I expect AGI by the end of this decade.\n"
    speakers = [("sam-altman", "Sam Altman"), ("lex-fridman", "Lex Fridman")]
    found = extract_candidates(
        text, said_on=dt.date(2024, 3, 18), speakers=speakers, title="Sam Altman: OpenAI | Lex Fridman Podcast #419"
    )
    assert [c.speaker for c in found] == ["sam-altman"]


def test_a_bare_span_answering_a_question_about_when_is_read_in_years() -> None:
    text = (
        "[00:01:00] What are your forecasts for a system that learns as well as a human?\n"
        "[00:01:07] I think like 5 to 20.\n"
    )
    found = extract_candidates(text, said_on=dt.date(2025, 11, 25), speakers=[("ilya-sutskever", "Ilya Sutskever")],
                               guest="ilya-sutskever")  # fmt: skip
    answer = [c for c in found if c.locator == "00:01:07"]
    assert answer and answer[0].forecast is not None
    assert answer[0].forecast.to_dict() == {"kind": "window", "year_low": 2030, "year_high": 2045}
    assert answer[0].relative_phrase == "5 to 20"


def test_not_trying_to_dodge_is_no_negation() -> None:
    text = "[00:00:01.000 --> 00:00:05.000]   In the interest of not trying to dodge, I expect AGI by 2029.\n"
    found = extract_candidates(text, said_on=dt.date(2024, 3, 18), speakers=[], narrator=None)
    assert (
        found
        and found[0].forecast is not None
        and found[0].forecast.to_dict() == {"kind": "upper_bound", "year_high": 2029}
    )
