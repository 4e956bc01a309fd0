"""Timestamped transcripts in the shapes they come in -> timed cues, each with who is speaking.

Read here:

- speech-to-text lines ``[00:16:20.160 --> 00:16:25.840]   text``;
- SRT and WebVTT, with WebVTT voice tags (``<v Dario Amodei>``), YouTube's rolling auto-caption cues
  (each cue repeats the line before it; the repeats are merged away) and word-timing tags;
- lines that start with a stamp: ``[00:16:14] text``, ``(00:16:14) text``, ``00:16:14 text``,
  ``16:14 text``, with or without milliseconds;
- human transcripts with paragraph timestamps and speaker turns: ``Dario Amodei (00:16:14): text``,
  ``[00:16:14] DARIO AMODEI: text``, a name line ``Dwarkesh Patel 00:16:14`` or ``Lex Fridman``
  followed by ``(00:16:14) text`` paragraphs, ``Speaker 1:``, ``[Name]``; untimed paragraph lines
  carry on the last stamp.

A turn label ("Name:", "NAME:", "[Name]", "Speaker 1:", ``>>``) opens a new speaker turn. So that
"Note: ..." or "AGI: ..." in running text is not taken for a speaker, a label counts when it is a
"Speaker N" label, a voice tag, or written as a label at least twice in the file.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from forecasts.errors import ForecastsError


class TranscriptError(ForecastsError, ValueError):
    """A transcript that does not parse; ``line`` (1-based) points at the offending line."""

    def __init__(self, name: str, line: int, message: str) -> None:
        super().__init__(f"{name}, line {line}: {message}")
        self.name = name
        self.line = line
        self.message = message


@dataclass(frozen=True, slots=True)
class Cue:
    """One timed piece of text; ``line`` is the (1-based) line its text starts on.

    ``label`` is the speaker label as written when a new turn starts here ("" for an unnamed turn
    change such as ``>>``), else None: the speaker carries on from the cue before.
    """

    start: float
    end: float
    text: str
    line: int
    label: str | None = None


# --- stamps ----------------------------------------------------------------------------------------

_STAMP = r"(?:\d{1,2}:)?\d{1,2}:\d{2}(?:[.,]\d{1,3})?"
_TIME = re.compile(r"(?:(\d+):)?(\d{1,2}):(\d{2})(?:[.,](\d{1,3}))?")


def _seconds(stamp: str, name: str, line: int) -> float:
    m = _TIME.fullmatch(stamp)
    if not m or int(m.group(3)) >= 60 or (m.group(1) is not None and int(m.group(2)) >= 60):
        raise TranscriptError(name, line, f"timestamp {stamp!r} does not parse (expected HH:MM:SS or HH:MM:SS.mmm)")
    hours, minutes, secs, frac = m.group(1) or "0", m.group(2), m.group(3), m.group(4) or "0"
    return int(hours) * 3600 + int(minutes) * 60 + int(secs) + int(frac.ljust(3, "0")) / 1000


def _span(a: str, b: str, name: str, line: int) -> tuple[float, float]:
    start, end = _seconds(a, name, line), _seconds(b, name, line)
    if end < start:
        raise TranscriptError(name, line, f"cue ends at {b} before it starts at {a}")
    return start, end


# --- speaker labels ----------------------------------------------------------------------------

#: "Dario Amodei", "DARIO AMODEI", "Dr. Hinton", "Speaker 1", "SPEAKER_00", "Q", "Lex"
_LABEL_WORDS = r"(?:[A-Z][\w.'’-]*(?:\s+(?:[A-Z][\w.'’-]*|de|van|von|der|da|di|le|la|bin))*|Speaker\s*\d+|SPEAKER_\d+)"
ANONYMOUS = re.compile(r"(?:Speaker\s*\d+|SPEAKER_\d+)", re.I)
_INLINE_LABEL = re.compile(rf"^(?:\[(?P<b>[^\]\d][^\]]{{0,40}})\]\s*:?|(?P<c>{_LABEL_WORDS})\s*:)\s+(?=\S)")
_TURN_MARK = re.compile(r"^(?:>>|-\s)\s*")
_VOICE = re.compile(r"<v(?:\.[\w.-]+)?\s+(?P<name>[^>]+)>")
_MAX_LABEL_WORDS = 5


def _label_ok(label: str) -> bool:
    words = label.split()
    return 0 < len(words) <= _MAX_LABEL_WORDS and not re.search(r"\d{2}:\d{2}", label)


def _inline_label(text: str) -> tuple[str | None, str]:
    """("Dario Amodei", "rest of the text") when the text opens with a label, else (None, text)."""
    m = _INLINE_LABEL.match(text)
    if not m:
        return None, text
    label = (m.group("b") or m.group("c") or "").strip()
    if not _label_ok(label):
        return None, text
    return label, text[m.end() :]


# --- formats -------------------------------------------------------------------------------------

_BRACKET = re.compile(r"\[\s*(?P<a>[^\]]*?)\s*-->\s*(?P<b>[^\]]*?)\s*\]\s*(?P<text>.*)")
_TIMING = re.compile(r"(?P<a>\S+)\s+-->\s+(?P<b>\S+)(?:\s+.*)?")
_TAG = re.compile(r"<[^>]*>")
_ENTITIES = {"&amp;": "&", "&lt;": "<", "&gt;": ">", "&nbsp;": " ", "&lrm;": "", "&rlm;": ""}


@dataclass(frozen=True, slots=True)
class _Raw:
    """A cue before labels are settled: ``label`` is a label candidate, ``sure`` when it is certain."""

    start: float
    end: float
    text: str
    line: int
    label: str | None
    sure: bool = False


def _bracket_cues(lines: list[str], name: str) -> list[_Raw]:
    cues = []
    for i, raw in enumerate(lines, start=1):
        if not raw.strip():
            continue
        m = _BRACKET.fullmatch(raw.strip())
        if not m:
            raise TranscriptError(name, i, f"expected '[HH:MM:SS.mmm --> HH:MM:SS.mmm] text', got {raw.strip()[:40]!r}")
        start, end = _span(m.group("a"), m.group("b"), name, i)
        if m.group("text").strip():
            cues.append(_with_label(start, end, m.group("text").strip(), i))
    return cues


def _with_label(start: float, end: float, text: str, line: int, voice: str | None = None) -> _Raw:
    if voice is not None:
        return _Raw(start, end, text, line, voice, sure=True)
    if mark := _TURN_MARK.match(text):
        rest = text[mark.end() :]
        label, rest = _inline_label(rest)
        return _Raw(start, end, rest, line, label or "", sure=True)
    label, rest = _inline_label(text)
    return _Raw(start, end, rest, line, label, sure=bool(label and ANONYMOUS.fullmatch(label)))


def _blocks(lines: list[str], *, vtt: bool) -> list[list[tuple[int, str]]]:
    """Runs of non-blank lines, each line with its 1-based number.

    In WebVTT only an empty line ends a cue: YouTube writes a line of one space inside its cues.
    """
    blocks: list[list[tuple[int, str]]] = []
    current: list[tuple[int, str]] = []
    for i, raw in enumerate(lines, start=1):
        blank = raw == "" if vtt else not raw.strip()
        if not blank:
            current.append((i, raw.strip()))
        elif current:
            blocks.append(current)
            current = []
    return [*blocks, current] if current else blocks


def _timed_block(block: list[tuple[int, str]], at: int, name: str, *, vtt: bool) -> tuple[float, float, list[str], int]:
    line, timing = block[at]
    m = _TIMING.fullmatch(timing)
    if not m:
        raise TranscriptError(name, line, f"expected 'start --> end', got {timing[:40]!r}")
    start, end = _span(m.group("a"), m.group("b"), name, line)
    texts = [t for _, t in block[at + 1 :]]
    # YouTube writes cues that hold only a line of one space; any other cue with no text is an error.
    if not any(_clean(t, vtt=vtt).strip() for t in texts) and not (vtt and "" in texts):
        raise TranscriptError(name, line, "cue has no text")
    return start, end, texts, block[at + 1][0] if at + 1 < len(block) else line


def _clean(text: str, *, vtt: bool) -> str:
    if not vtt:
        return text
    text = _TAG.sub("", text)
    for entity, char in _ENTITIES.items():
        text = text.replace(entity, char)
    return text


def _srt_cues(lines: list[str], name: str) -> list[_Raw]:
    cues = []
    for block in _blocks(lines, vtt=False):
        line, index = block[0]
        if not (index.isascii() and index.isdigit()):
            raise TranscriptError(name, line, f"expected a cue number, got {index[:40]!r}")
        if len(block) < 2:
            raise TranscriptError(name, line, "cue number with no timing line after it")
        start, end, texts, first = _timed_block(block, 1, name, vtt=False)
        cues.append(_with_label(start, end, " ".join(texts), first))
    return cues


def _vtt_cues(lines: list[str], name: str) -> list[_Raw]:
    cues: list[_Raw] = []
    recent: list[str] = []  # the last lines kept, to drop the rolling repeats of auto-captions
    for block in _blocks(lines, vtt=True)[1:]:  # the first block is the WEBVTT header
        line, head = block[0]
        if head.split(" ")[0] in {"NOTE", "STYLE", "REGION"}:
            continue
        at = 0 if "-->" in head else 1
        if at >= len(block):
            raise TranscriptError(name, line, f"cue identifier {head[:40]!r} with no timing line after it")
        start, end, texts, first = _timed_block(block, at, name, vtt=True)
        voice = _VOICE.search(" ".join(texts))
        fresh = []
        for raw in texts:
            text = re.sub(r"\s+", " ", _clean(raw, vtt=True)).strip()
            if text and text not in recent:
                fresh.append(text)
                recent = [*recent[-1:], text]
        if fresh:
            cues.append(_with_label(start, end, " ".join(fresh), first, voice.group("name").strip() if voice else None))
    return cues


#: A line that opens with a stamp, possibly after a label: "Lex Fridman (00:01:23) text",
#: "Dario Amodei: [00:16:14] text", "00:16:14 text", "[16:14] - text", "Dwarkesh Patel 00:01:23".
_STAMPED = re.compile(
    rf"^(?:(?P<label>{_LABEL_WORDS})\s*[:\-–—]?\s*)?[\[(]?\s*(?P<stamp>{_STAMP})(?:\s*[-–—]\s*{_STAMP})?\s*[\])]?"
    r"\s*[:\-–—|]?\s*(?P<text>.*)$"
)
_HEADING = re.compile(r"^#{1,6}\s")  # a Markdown section title between turns: not speech
_LABEL_LINE = re.compile(rf"^(?:\[(?P<b>[^\]\d][^\]]{{0,40}})\]|(?P<c>{_LABEL_WORDS}))\s*:?$")


def _stamped_cues(lines: list[str], name: str) -> list[_Raw]:
    """Lines and paragraphs that open with a stamp; untimed lines carry on the stamp before them."""
    cues: list[_Raw] = []
    pending: str | None = None  # a label on a line of its own, for the paragraph after it
    stamp: float | None = None
    for i, raw in enumerate(lines, start=1):
        text = raw.strip()
        if not text or _HEADING.match(text):
            continue
        m = _STAMPED.match(text)
        if m and (m.group("label") is None or _label_ok(m.group("label"))):
            stamp = _seconds(m.group("stamp"), name, i)
            label = m.group("label")
            body = m.group("text").strip()
            if label is None and pending is not None:
                label, pending = pending, None
            if not body:
                pending = label or pending  # "Dwarkesh Patel 00:01:23" then the paragraph
                continue
            raw_cue = _with_label(stamp, stamp, body, i)
            if label:  # a label written against a stamp is a label for sure
                raw_cue = _Raw(stamp, stamp, raw_cue.text, i, label, sure=True)
            cues.append(raw_cue)
            continue
        if (lm := _LABEL_LINE.match(text)) and _label_ok(lm.group("b") or lm.group("c") or ""):
            pending = (lm.group("b") or lm.group("c") or "").strip()
            continue
        if re.match(r"^[\[(]?\s*\d{1,2}:\d", text):
            _seconds(re.split(r"[\s\])]", text.lstrip("[( "))[0], name, i)  # raises with the line
        if stamp is None:
            raise TranscriptError(name, i, f"text before the first timestamp: {text[:40]!r}")
        cue = _with_label(stamp, stamp, text, i)
        if pending is not None:
            cue, pending = _Raw(stamp, stamp, cue.text, i, pending, sure=cue.sure), None
        cues.append(cue)
    return cues


def _settle_labels(cues: list[_Raw]) -> list[Cue]:
    """Keep the labels that are labels; give every cue its end (the next cue's start if untimed)."""
    counts = Counter(c.label for c in cues if c.label)
    out: list[Cue] = []
    for n, c in enumerate(cues):
        label, text = c.label, c.text
        if label and not c.sure and counts[label] < 2:
            label, text = None, f"{c.label}: {text}"
        end = c.end
        if end <= c.start and n + 1 < len(cues):
            end = max(c.start, cues[n + 1].start)
        out.append(Cue(c.start, end, text, c.line, label))
    return out


def parse_transcript(text: str, *, name: str = "transcript") -> list[Cue]:
    """Parse a timestamped transcript into cues, naming the line of any error."""
    lines = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n").split("\n")
    first = next(((i, s.strip()) for i, s in enumerate(lines, start=1) if s.strip()), None)
    if first is None:
        return []
    head = first[1]
    if head.startswith("WEBVTT"):
        raw = _vtt_cues(lines, name)
    elif head.startswith("[") and "-->" in head:
        raw = _bracket_cues(lines, name)
    elif head.isascii() and head.isdigit():
        raw = _srt_cues(lines, name)
    elif any(_STAMPED.match(s.strip()) for s in lines[:50] if s.strip()):
        raw = _stamped_cues(lines, name)
    else:
        expected = (
            "expected 'WEBVTT', an SRT cue number, '[00:00:00.000 --> 00:00:04.000] text' "
            "or lines that start with a timestamp such as '[00:16:14] text'"
        )
        raise TranscriptError(name, first[0], f"not a transcript: {expected}")
    return _settle_labels(raw)
