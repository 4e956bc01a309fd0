"""A timestamped transcript -> the sentences in it that make forecasts, as candidate claims.

Three formats are read: the ``[00:16:20.160 --> 00:16:25.840]   text`` lines that speech-to-text
tools write, SRT and WebVTT. Cues are joined into sentences (a sentence may run across cues and
keeps the start time of the cue it begins in), each sentence is read with
:func:`forecasts.phrases.suggest`, and those that make a forecast become candidates for a person
to review.

Who said it: text inside quotation marks belongs to the person most recently *named* outside
quotation marks; text outside them is the narrator's, unless it reports someone ("he's previously
said that ...", "Hasabi said that ..."), which goes to that person, or unnamed others ("some say",
"those that say ..."), which goes to no one.
"""

from __future__ import annotations

import bisect
import datetime as dt
import difflib
import re
from collections.abc import Sequence
from dataclasses import dataclass

from forecasts.errors import ForecastsError
from forecasts.model import Forecast
from forecasts.phrase_tables import number
from forecasts.phrases import Span, suggest


class TranscriptError(ForecastsError, ValueError):
    """A transcript that does not parse; ``line`` (1-based) points at the offending line."""

    def __init__(self, name: str, line: int, message: str) -> None:
        super().__init__(f"{name}, line {line}: {message}")
        self.name = name
        self.line = line
        self.message = message


@dataclass(frozen=True, slots=True)
class Cue:
    """One timed piece of text; ``line`` is the (1-based) line its text starts on."""

    start: float
    end: float
    text: str
    line: int


@dataclass(frozen=True, slots=True)
class Candidate:
    """A sentence that makes a forecast, with who said it, when, and what it was read as."""

    locator: str  # HH:MM:SS of the cue the sentence begins in
    quote: str
    speaker: str | None
    speaker_name_as_written: str | None
    milestone: str | None
    forecast: Forecast | None
    relative_phrase: str | None
    said_on: dt.date
    spans: tuple[Span, ...]
    line: int
    said_on_phrase: str | None = None  # "three days ago", "previously": why said_on is what it is
    explanation: str = ""

    def to_dict(self) -> dict[str, object]:
        return {
            "locator": self.locator,
            "quote": self.quote,
            "speaker": self.speaker,
            "speaker_name_as_written": self.speaker_name_as_written,
            "milestone": self.milestone,
            "forecast": self.forecast.to_dict() if self.forecast else None,
            "relative_phrase": self.relative_phrase,
            "said_on": self.said_on.isoformat(),
            "said_on_phrase": self.said_on_phrase,
            "spans": [s.to_dict() for s in self.spans],
            "line": self.line,
            "explanation": self.explanation,
        }


def candidates_to_json(candidates: Sequence[Candidate]) -> list[dict[str, object]]:
    """The candidates as JSON-ready dicts, in transcript order."""
    return [c.to_dict() for c in candidates]


# --- parsing -------------------------------------------------------------------------------------

_TIME = re.compile(r"(?:(\d+):)?(\d{1,2}):(\d{2})[.,](\d{1,3})")
_BRACKET = re.compile(r"\[\s*(?P<a>[^\]]*?)\s*-->\s*(?P<b>[^\]]*?)\s*\]\s*(?P<text>.*)")
_TIMING = re.compile(r"(?P<a>\S+)\s+-->\s+(?P<b>\S+)(?:\s+.*)?")
_TAG = re.compile(r"<[^>]*>")
_ENTITIES = {"&amp;": "&", "&lt;": "<", "&gt;": ">", "&nbsp;": " ", "&lrm;": "", "&rlm;": ""}


def _seconds(stamp: str, name: str, line: int) -> float:
    m = _TIME.fullmatch(stamp)
    if not m or int(m.group(3)) >= 60 or (m.group(1) is not None and int(m.group(2)) >= 60):
        raise TranscriptError(name, line, f"timestamp {stamp!r} does not parse (expected HH:MM:SS.mmm)")
    hours, minutes, secs, frac = m.group(1) or "0", m.group(2), m.group(3), m.group(4)
    return int(hours) * 3600 + int(minutes) * 60 + int(secs) + int(frac.ljust(3, "0")) / 1000


def _span(a: str, b: str, name: str, line: int) -> tuple[float, float]:
    start, end = _seconds(a, name, line), _seconds(b, name, line)
    if end < start:
        raise TranscriptError(name, line, f"cue ends at {b} before it starts at {a}")
    return start, end


def _bracket_cues(lines: list[str], name: str) -> list[Cue]:
    cues = []
    for i, raw in enumerate(lines, start=1):
        if not raw.strip():
            continue
        m = _BRACKET.fullmatch(raw.strip())
        if not m:
            raise TranscriptError(name, i, f"expected '[HH:MM:SS.mmm --> HH:MM:SS.mmm] text', got {raw.strip()[:40]!r}")
        start, end = _span(m.group("a"), m.group("b"), name, i)
        if m.group("text").strip():
            cues.append(Cue(start, end, m.group("text").strip(), i))
    return cues


def _blocks(lines: list[str], first: int) -> list[list[tuple[int, str]]]:
    """Runs of non-blank lines, each line with its 1-based number."""
    blocks: list[list[tuple[int, str]]] = []
    current: list[tuple[int, str]] = []
    for i, raw in enumerate(lines[first:], start=first + 1):
        if raw.strip():
            current.append((i, raw.strip()))
        elif current:
            blocks.append(current)
            current = []
    return [*blocks, current] if current else blocks


def _timed_cue(block: list[tuple[int, str]], at: int, name: str, *, vtt: bool) -> Cue:
    line, timing = block[at]
    m = _TIMING.fullmatch(timing)
    if not m:
        raise TranscriptError(name, line, f"expected 'start --> end', got {timing[:40]!r}")
    start, end = _span(m.group("a"), m.group("b"), name, line)
    text_lines = [t for _, t in block[at + 1 :]]
    text = " ".join(text_lines)
    if vtt:
        text = _TAG.sub("", text)
        for entity, char in _ENTITIES.items():
            text = text.replace(entity, char)
    if not text.strip():
        raise TranscriptError(name, line, "cue has no text")
    return Cue(start, end, text.strip(), block[at + 1][0])


def _srt_cues(lines: list[str], name: str) -> list[Cue]:
    cues = []
    for block in _blocks(lines, 0):
        line, index = block[0]
        if not (index.isascii() and index.isdigit()):
            raise TranscriptError(name, line, f"expected a cue number, got {index[:40]!r}")
        if len(block) < 2:
            raise TranscriptError(name, line, "cue number with no timing line after it")
        cues.append(_timed_cue(block, 1, name, vtt=False))
    return cues


def _vtt_cues(lines: list[str], name: str) -> list[Cue]:
    cues = []
    for block in _blocks(lines, 0)[1:]:  # the first block is the WEBVTT header
        line, head = block[0]
        if head.split(" ")[0] in {"NOTE", "STYLE", "REGION"}:
            continue
        at = 0 if "-->" in head else 1
        if at >= len(block):
            raise TranscriptError(name, line, f"cue identifier {head[:40]!r} with no timing line after it")
        cues.append(_timed_cue(block, at, name, vtt=True))
    return cues


def parse_transcript(text: str, *, name: str = "transcript") -> list[Cue]:
    """Parse a bracketed, SRT or WebVTT transcript into cues, naming the line of any error."""
    lines = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n").split("\n")
    first = next(((i, s.strip()) for i, s in enumerate(lines, start=1) if s.strip()), None)
    if first is None:
        return []
    if first[1].startswith("WEBVTT"):
        return _vtt_cues(lines, name)
    if first[1].startswith("["):
        return _bracket_cues(lines, name)
    if first[1].isascii() and first[1].isdigit():
        return _srt_cues(lines, name)
    expected = "expected 'WEBVTT', an SRT cue number or '[00:00:00.000 --> 00:00:04.000] text'"
    raise TranscriptError(name, first[0], f"not a transcript: {expected}")


# --- sentences and who said them -----------------------------------------------------------------

#: A name on the page matches a known speaker when its surname (or the full name) is this similar
#: (difflib ratio): "Amadei"/"Amodei" is 0.83 and "Hasabi"/"Hassabis" 0.86, while unrelated
#: capitalised words ("Atlas", "Mistral") stay well below.
NAME_SIMILARITY = 0.8
_NAME = re.compile(r"\b[A-Z][\w'’-]*[a-z][\w'’-]*(?:\s+[A-Z][\w'’-]*[a-z][\w'’-]*){0,2}")
_SENTENCE_END = re.compile(r"[.!?]+(?=\s+[A-Z0-9\"“'(]|\s*$)")
_QUOTE_MARK = re.compile(r"[\"“”]")
_REPORTED = re.compile(
    r"\b(?:he|she|they)\b(?:'s|’s|\s+has|\s+had)?(?:\s+\w+){0,3}?\s+"
    r"(?:said|says|stated|claimed|claims|thinks|believes|predicted|predicts|argued|argues|wrote|writes|expects)\b",
    re.I,
)
_REPORTING_VERB = re.compile(r"\b(?:said|says|stated|claimed|claims|thinks|believes|predicted|predicts|argued)\b", re.I)
_UNNAMED = re.compile(
    r"\b(?:some(?:\s+people)?|those|others|people|many)\b(?:[\s,]+\w+){0,5}?[\s,]+(?:say|said|think|believe)\b", re.I
)
#: Words that make a sentence look ahead; a year with none of them ("the movie was set in the
#: year 2025") is a date, not a forecast.
_FORWARD = re.compile(
    r"\b(?:will|won't|would|wouldn't|could|might|may|going|gonna|expect\w*|predict\w*|think|believe|bet|chance|"
    r"likely|probably|never|by|within|next|away|until|before|soon|eventually)\b|'ll\b",
    re.I,
)
#: When a claim was made, relative to the transcript's date. "This week" is read as the Monday of
#: the transcript's week, the earliest day it can mean; "previously" leaves the date as it is but is
#: recorded so that a reviewer knows to look it up.
_SAID_WHEN = re.compile(
    r"\b(?P<n>\d+|[a-z]+(?:[- ][a-z]+)?)\s+(?P<unit>days?|weeks?)\s+ago\b|\b(?:yesterday|last\s+week|this\s+week|"
    r"today|tonight|\d+\s+hours?\s+ago|previously|earlier|in\s+the\s+past)\b",
    re.I,
)


@dataclass(frozen=True, slots=True)
class _Piece:
    start: int
    end: int
    inside: bool  # within quotation marks


def _join(cues: Sequence[Cue]) -> tuple[str, list[int]]:
    """The cues' text as one string, and the offset each cue starts at."""
    offsets, parts, at = [], [], 0
    for cue in cues:
        offsets.append(at)
        parts.append(cue.text)
        at += len(cue.text) + 1
    return " ".join(parts), offsets


def _segments(text: str) -> list[_Piece]:
    """Split at quotation marks; a short quote with no sentence in it ("the 'Her' movie") stays put."""
    pieces: list[_Piece] = []
    start, inside = 0, False
    for m in _QUOTE_MARK.finditer(text):
        opening = m.group(0) == "“" or (m.group(0) == '"' and not inside)
        if opening == inside:  # a stray closing mark outside a quote, or an opening one inside
            continue
        pieces.append(_Piece(start, m.start(), inside))
        start, inside = m.end(), not inside
    pieces.append(_Piece(start, len(text), inside))
    merged: list[_Piece] = []
    for p in pieces:
        words = text[p.start : p.end]
        if p.inside and len(words.split()) < 5 and not re.search(r"[.!?,]", words):
            p = _Piece(p.start - 1, p.end + 1, False)
        if merged and not p.inside and not merged[-1].inside:
            p = _Piece(merged.pop().start, p.end, False)
        merged.append(p)
    return merged


def _sentences(text: str, segment: _Piece) -> list[_Piece]:
    out, start = [], segment.start
    ends = [m.end() for m in _SENTENCE_END.finditer(text, segment.start, segment.end)]
    for end in [*ends, segment.end]:
        chunk = text[start:end]
        lead = len(chunk) - len(chunk.lstrip())
        if chunk.strip(" \t,;:-") and re.search(r"\w", chunk):
            out.append(_Piece(start + lead, start + len(chunk.rstrip()), segment.inside))
        start = end
    return out


def _similarity(written: str, name: str) -> float:
    """The better of full-name and surname similarity; short words match no surname."""
    written, name = written.lower(), name.lower()
    full = difflib.SequenceMatcher(None, written, name).ratio()
    if len(written) < 4 or " " in written:
        return full
    return max(full, difflib.SequenceMatcher(None, written, name.split()[-1]).ratio())


def match_speaker(written: str, speakers: Sequence[tuple[str, str]]) -> tuple[str, str] | None:
    """(slug, the words that name them) for the known speaker a run of capitalised words names, if any.

    "Here's Arthur Mensch" -> ("arthur-mensch", "Arthur Mensch"); "Dario Amadei" -> the slug of
    "Dario Amodei" (similarity 0.92); "Hasabi" -> the slug of "Demis Hassabis" (surname, 0.86).
    """
    words = re.sub(r"['’]s\b", "", written).split()
    runs = [" ".join(words[i:j]) for i in range(len(words)) for j in range(i + 1, len(words) + 1)]
    best: tuple[float, int, str, str] | None = None
    for slug, name in speakers:
        for run in runs:
            key = (_similarity(run, name), len(run), slug, run)
            if key[0] >= NAME_SIMILARITY and (best is None or key[:2] > best[:2]):
                best = key
    return (best[2], best[3]) if best else None


def _said_on(text: str, day: dt.date) -> tuple[dt.date, str | None]:
    m = _SAID_WHEN.search(text)
    if not m:
        return day, None
    phrase = m.group(0).lower()
    if m.group("n"):
        low, high = number(m.group("n"))
        n = round((low + high) / 2)  # "a few days ago" -> 3
        days = n * (7 if m.group("unit").lower().startswith("week") else 1)
        return (day - dt.timedelta(days=days) if 0 < days < 3650 else day), m.group(0)
    back = {"yesterday": 1, "last week": 7, "this week": day.weekday()}.get(re.sub(r"\s+", " ", phrase), 0)
    return day - dt.timedelta(days=back), m.group(0)


def _locator(seconds: float) -> str:
    s = int(seconds)
    return f"{s // 3600:02d}:{s % 3600 // 60:02d}:{s % 60:02d}"


def extract_candidates(
    text: str,
    *,
    said_on: dt.date,
    speakers: Sequence[tuple[str, str]],
    narrator: str | None,
    name: str = "transcript",
) -> list[Candidate]:
    """Find the sentences of a transcript that make forecasts and propose each as a candidate claim."""
    cues = parse_transcript(text, name=name)
    flat, offsets = _join(cues)
    named: tuple[str, str | None] | None = None  # (slug, name as written) of the last person named
    speaker: tuple[str, str | None] | None
    quote_when: tuple[dt.date, str | None] = (said_on, None)
    recent_outside: list[str] = []  # outside text since the last quotation, for "three days ago, he said"
    candidates = []
    for segment in _segments(flat):
        if segment.inside:
            if recent_outside:  # the lead-in ("three days ago, he said this,") first, then the sentence before
                found_when = [w for t in reversed(recent_outside[-2:]) if (w := _said_on(t, said_on))[1]]
                quote_when = found_when[0] if found_when else (said_on, None)
            recent_outside = []
        for piece in _sentences(flat, segment):
            sentence = flat[piece.start : piece.end]
            if piece.inside:
                speaker, when = named, quote_when
            else:
                recent_outside.append(sentence)
                found = [hit for m in _NAME.finditer(sentence) if (hit := match_speaker(m.group(0), speakers))]
                named = found[-1] if found else named
                reported = bool(_REPORTED.search(sentence) or (found and _REPORTING_VERB.search(sentence)))
                if _UNNAMED.search(sentence):
                    speaker = None
                elif reported:
                    speaker = named
                else:
                    speaker = (narrator, None) if narrator else None
                when = _said_on(sentence, said_on) if reported else (said_on, None)
            got = suggest(sentence, when[0])
            if got.forecast is None or not _FORWARD.search(sentence):
                continue
            cue = cues[bisect.bisect_right(offsets, piece.start) - 1]
            candidates.append(
                Candidate(
                    locator=_locator(cue.start),
                    quote=sentence,
                    speaker=speaker[0] if speaker else None,
                    speaker_name_as_written=speaker[1] if speaker else None,
                    milestone=got.milestone,
                    forecast=got.forecast,
                    relative_phrase=got.relative_phrase,
                    said_on=when[0],
                    spans=got.spans,
                    line=cue.line,
                    said_on_phrase=when[1],
                    explanation=got.explanation,
                )
            )
    return candidates
