"""The transcript shapes read besides speech-to-text lines, SRT and WebVTT (see transcript_formats)."""

from __future__ import annotations

import datetime as dt

import pytest

from forecasts.reading.names import match_speaker, similarity
from forecasts.reading.transcript import extract_candidates
from forecasts.reading.transcript_formats import Cue, TranscriptError, parse_transcript

SPEAKERS = [("dario-amodei", "Dario Amodei"), ("yann-lecun", "Yann LeCun"), ("lex-fridman", "Lex Fridman")]
DAY = dt.date(2024, 11, 11)


@pytest.mark.parametrize(
    "text",
    [
        "[00:16:14] I think ASL 4 could happen anywhere from 2025 to 2028.",
        "(00:16:14) I think ASL 4 could happen anywhere from 2025 to 2028.",
        "00:16:14 I think ASL 4 could happen anywhere from 2025 to 2028.",
        "16:14 I think ASL 4 could happen anywhere from 2025 to 2028.",
        "[00:16:14.500] I think ASL 4 could happen anywhere from 2025 to 2028.",
    ],
)
def test_lines_that_open_with_a_stamp(text: str) -> None:
    [cue] = parse_transcript(text)
    assert cue.start in (974.0, 974.5)
    assert cue.text == "I think ASL 4 could happen anywhere from 2025 to 2028."


def test_stamps_without_milliseconds_in_arrow_lines() -> None:
    [cue] = parse_transcript("[00:16:14 --> 00:16:20] text")
    assert (cue.start, cue.end, cue.text) == (974.0, 980.0, "text")


def test_paragraph_transcript_with_name_lines() -> None:
    text = (
        "Lex Fridman\n(00:01:02) When do you think we get there?\n\n"
        "Dario Amodei\n(00:01:05) I think we'll get there by 2026 or 2027.\nIt's hard to know exactly.\n\n"
        "Lex Fridman\n(00:01:30) Wow.\n"
    )
    cues = parse_transcript(text)
    assert [(c.start, c.label) for c in cues] == [(62.0, "Lex Fridman"), (65.0, "Dario Amodei"), (65.0, None),
                                                  (90.0, "Lex Fridman")]  # fmt: skip
    assert cues[2].text == "It's hard to know exactly."


def test_inline_labels_count_only_when_they_recur() -> None:
    text = (
        "[00:00:01] DWARKESH PATEL: So when?\n[00:00:04] DARIO AMODEI: By 2027, I'd guess.\n"
        "[00:00:09] DWARKESH PATEL: Interesting.\n[00:00:12] Note: this is not a label.\n"
    )
    cues = parse_transcript(text)
    assert [c.label for c in cues] == ["DWARKESH PATEL", None, "DWARKESH PATEL", None]
    assert cues[1].text == "DARIO AMODEI: By 2027, I'd guess."
    assert cues[3].text == "Note: this is not a label."


def test_speaker_n_labels_and_voice_tags() -> None:
    vtt = "WEBVTT\n\n00:00:01.000 --> 00:00:03.000\n<v Dario Amodei>Maybe 2027.</v>\n"
    assert parse_transcript(vtt) == [Cue(1.0, 3.0, "Maybe 2027.", 4, label="Dario Amodei")]
    srt = "1\n00:00:01,000 --> 00:00:03,000\nSpeaker 1: Maybe 2027.\n"
    assert parse_transcript(srt)[0].label == "Speaker 1"


def test_youtube_rolling_cues_are_merged() -> None:
    vtt = (
        "WEBVTT\nKind: captions\nLanguage: en\n\n"
        "00:00:00.000 --> 00:00:02.350 align:start position:0%\n \n"
        "so<00:00:00.320><c> when</c><00:00:00.640><c> do</c><00:00:01.000><c> we</c>\n\n"
        "00:00:02.350 --> 00:00:02.360 align:start position:0%\nso when do we\n \n\n"
        "00:00:02.360 --> 00:00:05.000 align:start position:0%\nso when do we\n"
        "get<00:00:02.500><c> agi</c>\n"
    )
    cues = parse_transcript(vtt)
    assert [c.text for c in cues] == ["so when do we", "get agi"]


def test_a_bad_stamp_names_its_line() -> None:
    with pytest.raises(TranscriptError) as err:
        parse_transcript("[00:00:01] fine\n[00:61:00] bad minutes\n", name="talk.txt")
    assert err.value.line == 2
    assert "does not parse" in err.value.message


def test_text_before_the_first_stamp_is_an_error() -> None:
    with pytest.raises(TranscriptError) as err:
        parse_transcript("Intro words\n[00:00:01] fine\n")
    assert err.value.line == 1


def test_turns_give_the_speaker_and_questions_are_not_claims() -> None:
    text = (
        "Lex Fridman (00:01:02): Do you think we get AGI by 2030?\n"
        "Dario Amodei (00:01:05): I think we'll get there by 2026 or 2027.\n"
        "Lex Fridman (00:01:20): And what about 2030?\n"
    )
    found = extract_candidates(text, said_on=DAY, speakers=SPEAKERS)
    assert [(c.locator, c.speaker, c.milestone) for c in found] == [("00:01:05", "dario-amodei", "agi")]
    assert found[0].forecast is not None
    assert found[0].forecast.to_dict() == {"kind": "window", "year_low": 2026, "year_high": 2027}
    assert "milestone 'agi' read from the words just before" in found[0].reasons


def test_unpunctuated_captions_are_read_in_windows_and_the_title_names_the_guest() -> None:
    srt = (
        "1\n00:10:00,000 --> 00:10:03,000\nyou know i think human level ai is\n\n"
        "2\n00:10:03,000 --> 00:10:06,000\nnot going to happen in the next five years\n\n"
        "3\n00:10:06,000 --> 00:10:09,000\nit's going to take a lot longer than that\n"
    )
    found = extract_candidates(srt, said_on=DAY, speakers=SPEAKERS, title="Yann LeCun: the limits of LLMs")
    assert [(c.locator, c.speaker, c.milestone) for c in found] == [("00:10:00", "yann-lecun", "hlmi")]
    assert found[0].forecast is not None
    assert found[0].forecast.to_dict() == {"kind": "lower_bound", "year_low": 2030}


def test_a_misheard_name_in_the_introduction_names_the_guest() -> None:
    srt = (
        "1\n00:00:01,000 --> 00:00:04,000\nmy guest today is yan laon chief ai scientist\n\n"
        "2\n00:05:00,000 --> 00:05:04,000\ni don't think agi will happen in the next five years\n"
    )
    [c] = extract_candidates(srt, said_on=DAY, speakers=SPEAKERS)
    assert (c.speaker, c.milestone) == ("yann-lecun", "agi")


@pytest.mark.parametrize(
    ("written", "name", "alike"),
    [("Yan laon", "Yann LeCun", True), ("Amadei", "Dario Amodei", True), ("Atlas", "Sam Altman", False),
     ("Mistral", "Arthur Mensch", False), ("Lex", "Lex Fridman", False)],
)  # fmt: skip
def test_name_similarity(written: str, name: str, alike: bool) -> None:
    assert (similarity(written, name) >= 0.8) is alike
    assert (match_speaker(written, [("x", name)]) is not None) is alike
