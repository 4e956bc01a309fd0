"""A timestamped transcript -> the sentences in it that make forecasts, as candidate claims.

:mod:`forecasts.reading.transcript_formats` reads the cues and their speaker labels. Here the cues are
joined into speaker turns, each turn into sentences (syntok; a sentence may run across cues and
keeps the start time of the cue it begins in) or, for text with almost no sentence ends such as
auto-captions, into windows of words around each time phrase. Each is read with
:func:`forecasts.reading.phrases.suggest`, and those that make a forecast become candidates for a person
to review, each with a score and the reasons for it.

Who said it: a turn belongs to its label's speaker; unlabelled text to the narrator or guest
passed, else to the speaker the title names or the host introduces. Within a turn, text inside
quotation marks belongs to the person most recently *named* outside them (or, in a labelled turn,
to the turn's speaker); text outside them is the turn's speaker's, unless it reports someone ("he's
previously said that ...", "Hasabi said that ..."), which goes to that person, or unnamed others
("some say", "those that say ..."), which goes to no one.
"""

from __future__ import annotations

import bisect
import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

import syntok.segmenter as syntok

from forecasts.engine.model import Forecast
from forecasts.reading.milestone_names import MilestoneNames
from forecasts.reading.names import NAME_SIMILARITY, match_speaker, speakers_named_in
from forecasts.reading.phrase_tables import NUM, number
from forecasts.reading.phrases import Span, anchors, milestone_in, suggest
from forecasts.reading.transcript_formats import ANONYMOUS as _ANONYMOUS
from forecasts.reading.transcript_formats import Cue, TranscriptError, parse_transcript

__all__ = [
    "NAME_SIMILARITY", "Candidate", "Cue", "TranscriptError", "candidates_to_json", "extract_candidates",
    "match_speaker", "parse_transcript",
]  # fmt: skip


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
    score: float = 1.0  # how likely a reviewer keeps it, in [0, 1]; see :func:`score`
    reasons: tuple[str, ...] = ()  # what raised or lowered the score

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
            "score": round(self.score, 3),
            "reasons": list(self.reasons),
        }


def candidates_to_json(candidates: Sequence[Candidate]) -> list[dict[str, object]]:
    """The candidates as JSON-ready dicts, in the order given."""
    return [c.to_dict() for c in candidates]


# --- who is speaking -------------------------------------------------------------------------------

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
#: How a host names the guest in the first minutes: "my guest today is ...", "a conversation with ...".
_INTRODUCED = re.compile(
    r"\b(?:my\s+guest(?:\s+today)?\s+is|(?:conversation|talking|speaking|interview)\s+with|joined\s+(?:today\s+)?by"
    r"|(?:please\s+)?welcome(?:\s+back)?(?:\s+to\s+the\s+(?:show|podcast))?,?|here\s+with\s+me\s+is)\s+",
    re.I,
)
_INTRO_SECONDS = 300.0
#: Words that make a sentence look ahead; a year with none of them ("the movie was set in the
#: year 2025") is a date, not a forecast.
_FORWARD = re.compile(
    r"\b(?:will|won't|would|wouldn't|could|might|may|going|gonna|expect\w*|predict\w*|think|believe|bet|chance|"
    r"likely|probably|never|by|within|next|away|until|before|soon|eventually|guess|get|happen\w*|arrive\w*|"
    r"see|have|reach\w*|maybe|imagine|earliest|fastest|hope|bet|inevitabl\w*)\b|'ll\b|'d\b",
    re.I,
)
#: The host putting the guest's view back to them ("you've estimated that we'll have AGI by 2030"):
#: the guest's claim, said elsewhere, in the host's words.
_ADDRESSED = re.compile(
    r"\byou(?:'ve|’ve|\s+have|'d|\s+had)?\s+(?:\w+\s+)?(?:said|estimated|predicted|argued|written|wrote|claimed|"
    r"mentioned|talked\s+about)\b",
    re.I,
)
#: The speaker's own forecast voice: these raise a candidate's score.
_FIRST_PERSON = re.compile(
    r"\b(?:I|I'm|I'd|my|we'll|we're\s+going)\b.{0,30}?\b(?:think|expect|predict|bet|guess|believe|estimate|say|"
    r"forecast|median|timelines?|probability|chance|confident|surprised)\b",
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


@dataclass(frozen=True, slots=True)
class _Turn:
    """A stretch of the flat text one speaker holds; ``speaker`` is (slug or None, name as written)."""

    start: int
    end: int
    speaker: tuple[str | None, str | None] | None


def _join(cues: Sequence[Cue]) -> tuple[str, list[int]]:
    """The cues' text as one string, and the offset each cue starts at."""
    offsets, parts, at = [], [], 0
    for cue in cues:
        offsets.append(at)
        parts.append(cue.text)
        at += len(cue.text) + 1
    return " ".join(parts), offsets


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


def _introduced_guest(cues: Sequence[Cue], speakers: Sequence[tuple[str, str]]) -> tuple[str, str] | None:
    """The known speaker a host introduces in the first minutes ("my guest today is yan laon")."""
    early = " ".join(c.text for c in cues if c.start <= _INTRO_SECONDS)
    for m in _INTRODUCED.finditer(early):
        words = early[m.end() :].split()[:4]
        if hit := match_speaker(" ".join(w.strip(".,;:!?") for w in words), speakers):
            return hit
    return None


def _default_speaker(
    cues: Sequence[Cue],
    speakers: Sequence[tuple[str, str]],
    *,
    narrator: str | None,
    guest: str | None,
    title: str | None,
) -> tuple[str | None, str | None] | None:
    """Whom unlabelled text belongs to: the narrator or guest hint, the guest named in the title or
    introduced by the host."""
    for slug in (narrator, guest):
        if slug:
            return slug, None
    if title and (hit := _title_guest(title, speakers)):
        return hit[0], None
    if hit := _introduced_guest(cues, speakers):
        return hit[0], None
    return None


_SHOW = re.compile(r"\s*(?:'s)?\s+(?:Podcast|Show|Hour|Interview|Experience)\b", re.I)


def _title_guest(title: str, speakers: Sequence[tuple[str, str]]) -> tuple[str, str] | None:
    """The guest a title names: "Sam Altman: OpenAI ... | Lex Fridman Podcast #419" is Sam Altman.

    A name that is part of the show's name ("Lex Fridman Podcast", "The Joe Rogan Experience") is the
    host's; of the other names, the first.
    """
    hits = speakers_named_in(title, speakers)
    guests = [h for h in hits if not _SHOW.match(title, title.find(h[1]) + len(h[1]))]
    first = guests or hits
    return first[0] if first else match_speaker(title, speakers)


def _turns(
    cues: Sequence[Cue],
    offsets: Sequence[int],
    length: int,
    speakers: Sequence[tuple[str, str]],
    default: tuple[str | None, str | None] | None,
) -> list[_Turn]:
    """Speaker turns from the cues' labels; with no labels, one turn of the default speaker.

    A label is matched to a known speaker by name. Anonymous labels ("Speaker 1") and ``>>`` turn
    marks name no one: the label that holds the most words is taken for the default speaker (the
    guest talks most), the others for no one.
    """
    starts: list[tuple[int, str | None]] = [(offsets[i], c.label) for i, c in enumerate(cues) if c.label is not None]
    if not starts:
        return [_Turn(0, length, default)]
    if starts[0][0] > 0:  # an excerpt that opens mid-turn: most likely the guest's answer
        starts.insert(0, (0, ""))
    bounds = [*(s for s, _ in starts[1:]), length]
    words: dict[str, int] = {}
    for (start, label), end in zip(starts, bounds, strict=True):
        words[label or ""] = words.get(label or "", 0) + (end - start)
    matched = {label: match_speaker(label, speakers) for label in words if label}
    unnamed = [label for label in words if not label or _ANONYMOUS.fullmatch(label)]
    talker = max(unnamed, key=lambda label: words[label]) if unnamed and default else None
    turns: list[_Turn] = []
    for (start, label), end in zip(starts, bounds, strict=True):
        hit = matched.get(label or "")
        if hit:
            speaker: tuple[str | None, str | None] | None = (hit[0], label)
        elif label is not None and label == talker:
            speaker = default
        elif label:
            speaker = (None, label)
        else:
            speaker = None
        if turns and turns[-1].speaker == speaker and speaker is not None:  # the same speaker's next paragraph
            turns[-1] = _Turn(turns[-1].start, end, speaker)
        else:
            turns.append(_Turn(start, end, speaker))
    return turns


# --- sentences -----------------------------------------------------------------------------------

#: Text with fewer sentence ends than this per word is read in windows of words (auto-captions).
_PUNCTUATED = 1 / 60
_WINDOW_BEFORE, _WINDOW_AFTER = 20, 12  # words around a time phrase in unpunctuated text
_CONTEXT = 800  # characters before a sentence where the milestone it answers about may be named
_LEAD = 150  # characters before a sentence whose forward-looking words it may answer
#: A question about when, in words _FORWARD does not hold: "what are your forecasts ...?"
_ASKS_WHEN = re.compile(r"\b(?:when|how\s+(?:long|far|soon)|forecasts?|timelines?|what\s+year)\b", re.I)
#: Two counts with no unit ("5 to 20", "ten or twenty"), as an answer to a question about when.
_BARE_RANGE = re.compile(
    rf"\b{NUM}\s*(?:to|-|–|or)\s*{NUM}\b(?!\s*(?:%|percent|per\s*cent|years?|months?|decades?|days?|weeks?))",
    re.I,
)
_SHORT_ANSWER = 12  # words: "Five to 30 years." right after "So how far do you think?"
_QUESTION_CONTEXT = 3000  # characters of the turns before a turn, for the question it answers


def _punctuated(text: str) -> bool:
    words = max(1, len(text.split()))
    return len(re.findall(r"[.!?][\"”’')\]]*(?:\s|$)", text)) / words >= _PUNCTUATED


def _segments(text: str, start: int, end: int) -> list[_Piece]:
    """Split at quotation marks; a short quote with no sentence in it ("the 'Her' movie") stays put."""
    pieces: list[_Piece] = []
    inside = False
    for m in _QUOTE_MARK.finditer(text, start, end):
        opening = m.group(0) == "“" or (m.group(0) == '"' and not inside)
        if opening == inside:  # a stray closing mark outside a quote, or an opening one inside
            continue
        pieces.append(_Piece(start, m.start(), inside))
        start, inside = m.end(), not inside
    pieces.append(_Piece(start, end, inside))
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
    """The sentences of a segment, split by syntok's segmenter, as spans of ``text``."""
    chunk = text[segment.start : segment.end]
    out = []
    for paragraph in syntok.analyze(chunk):
        for sentence in paragraph:
            a = sentence[0].offset
            b = sentence[-1].offset + len(sentence[-1].value)
            words = chunk[a:b].strip(' \t,;:-"“”')
            if words and re.search(r"\w", words):
                lead = len(chunk[a:b]) - len(chunk[a:b].lstrip(" \t,;:-"))
                out.append(_Piece(segment.start + a + lead, segment.start + b, segment.inside))
    return out


def _windows(text: str, turn: _Turn) -> list[_Piece]:
    """Windows of words around each anchor of an unpunctuated turn, overlapping ones merged."""
    chunk = text[turn.start : turn.end]
    word_starts = [m.start() for m in re.finditer(r"\S+", chunk)]
    word_ends = [m.end() for m in re.finditer(r"\S+", chunk)]
    spans: list[tuple[int, int]] = []
    for a, b in anchors(chunk):
        first = max(0, bisect.bisect_right(word_starts, a) - 1 - _WINDOW_BEFORE)
        last = min(len(word_ends) - 1, bisect.bisect_left(word_ends, b) + _WINDOW_AFTER)
        span = (word_starts[first], word_ends[last])
        if spans and span[0] <= spans[-1][1]:
            spans[-1] = (spans[-1][0], max(spans[-1][1], span[1]))
        else:
            spans.append(span)
    return [_Piece(turn.start + a, turn.start + b, False) for a, b in spans]


# --- scoring -------------------------------------------------------------------------------------

#: The score a candidate needs to be proposed by default, chosen on the development part of the
#: evaluation corpus (``python -m bench.reading``).
DEFAULT_THRESHOLD = 0.5


def score(
    sentence: str,
    *,
    milestone_here: bool,
    milestone_near: bool,
    speaker_known: bool,
    forecast: Forecast,
    answers: bool = False,
    dated: bool = False,
) -> tuple[float, tuple[str, ...]]:
    """How likely a reviewer keeps a candidate, in [0, 1], with the reasons, from simple cues.

    A named milestone, the speaker's own forecast voice ("I think", "my guess") and a short answer
    to the question just asked raise it; a milestone named only in the words before, an unknown
    speaker, an undated "eventually", the host putting the guest's view back to them ("you've
    estimated ...") and a year with no forward-looking word (unless it dates a named milestone)
    lower it.
    """
    value, reasons = 0.55, list[str]()
    if milestone_here:
        value, reasons = value + 0.2, [*reasons, "names the milestone"]
    elif milestone_near:
        value, reasons = value + 0.05, [*reasons, "the milestone is named just before"]
    else:
        value, reasons = value - 0.3, [*reasons, "names no milestone"]
    if _FIRST_PERSON.search(sentence):
        value, reasons = value + 0.15, [*reasons, "in the speaker's own forecast voice"]
    if answers:
        value, reasons = value + 0.2, [*reasons, "answers the question just asked"]
    if _ADDRESSED.search(sentence):
        value, reasons = value - 0.4, [*reasons, "puts someone else's view back to them"]
    if not (_FORWARD.search(sentence) or answers or dated):
        value, reasons = value - 0.3, [*reasons, "no forward-looking word"]
    if not speaker_known:
        value, reasons = value - 0.05, [*reasons, "speaker unknown"]
    if forecast.kind.value == "eventually":
        value, reasons = value - 0.15, [*reasons, "names no date"]
    return max(0.0, min(1.0, value)), tuple(reasons)


# --- extraction ----------------------------------------------------------------------------------


def extract_candidates(
    text: str,
    *,
    said_on: dt.date,
    speakers: Sequence[tuple[str, str]],
    milestones: Sequence[tuple[str, str]] = (),
    narrator: str | None = None,
    guest: str | None = None,
    title: str | None = None,
    name: str = "transcript",
    threshold: float = 0.0,
) -> list[Candidate]:
    """Find the sentences of a transcript that make forecasts and propose each as a candidate claim.

    Speaker turns come from the transcript's labels; unlabelled text belongs to ``narrator`` (the
    voice of a narrated video), else to ``guest``, else to the known speaker the ``title`` names or
    the host introduces. ``milestones`` are the database's (slug, name) pairs, found in the words
    by their names beside the fixed vocabulary. Candidates scoring below ``threshold`` are left out.
    """
    known = MilestoneNames(milestones)
    cues = parse_transcript(text, name=name)
    if not cues:
        return []
    flat, offsets = _join(cues)
    default = _default_speaker(cues, speakers, narrator=narrator, guest=guest, title=title)
    turns = _turns(cues, offsets, len(flat), speakers, default)
    punctuated = _punctuated(flat)
    found: list[Candidate] = []
    for turn in turns:
        # The turns just before, where the question being answered names the milestone.
        before = flat[max(0, turn.start - _QUESTION_CONTEXT) : turn.start]
        sentences = _turn_sentences(flat, turn, speakers, said_on, punctuated=punctuated, labelled=len(turns) > 1)
        for piece, speaker, when in sentences:
            candidate = _candidate(flat, piece, speaker, when, cues, offsets, context=before, known=known)
            if candidate is not None and candidate.score >= threshold:
                found.append(candidate)
    return found


_Speaker = tuple[str | None, str | None] | None


def _turn_sentences(
    flat: str,
    turn: _Turn,
    speakers: Sequence[tuple[str, str]],
    said_on: dt.date,
    *,
    punctuated: bool,
    labelled: bool,
) -> list[tuple[_Piece, _Speaker, tuple[dt.date, str | None]]]:
    """The turn's sentences (or windows), each with who said it and when.

    Text inside quotation marks belongs to the person most recently *named* outside them; text
    outside them is the turn's speaker's, unless it reports someone ("he's previously said that
    ...", "Hasabi said that ..."), which goes to that person, or unnamed others ("some say"), which
    goes to no one.
    """
    if not punctuated:
        return [(w, turn.speaker, (said_on, None)) for w in _windows(flat, turn)]
    out: list[tuple[_Piece, _Speaker, tuple[dt.date, str | None]]] = []
    named: _Speaker = None  # (slug, name as written) of the last person named
    quote_when: tuple[dt.date, str | None] = (said_on, None)
    recent_outside: list[str] = []  # outside text since the last quotation, for "three days ago, he said"
    for segment in _segments(flat, turn.start, turn.end):
        if segment.inside:
            if recent_outside:  # the lead-in ("three days ago, he said this,") first, then the sentence before
                found_when = [w for t in reversed(recent_outside[-2:]) if (w := _said_on(t, said_on))[1]]
                quote_when = found_when[0] if found_when else (said_on, None)
            recent_outside = []
        for piece in _sentences(flat, segment):
            sentence = flat[piece.start : piece.end]
            speaker: _Speaker
            if piece.inside:
                # In a speaker's own turn, words in quotation marks with no one named are their own
                # ("any one person could say, 'this is AGI, call it '27'"); in narration, no one's.
                speaker, when = named or (turn.speaker if labelled else None), quote_when
            else:
                recent_outside.append(sentence)
                hits = speakers_named_in(sentence, speakers)
                named = hits[-1] if hits else named
                reported = bool(_REPORTED.search(sentence) or (hits and _REPORTING_VERB.search(sentence)))
                if _UNNAMED.search(sentence):
                    speaker = None
                elif reported:
                    speaker = named
                else:
                    speaker = turn.speaker
                when = _said_on(sentence, said_on) if reported else (said_on, None)
            out.append((piece, speaker, when))
    return out


def _candidate(
    flat: str,
    piece: _Piece,
    speaker: _Speaker,
    when: tuple[dt.date, str | None],
    cues: Sequence[Cue],
    offsets: Sequence[int],
    *,
    context: str,
    known: MilestoneNames,
) -> Candidate | None:
    sentence = flat[piece.start : piece.end]
    got = suggest(sentence, when[0], known=known)
    # "So how far do you think? ... Five to 30 years.": the question looks ahead for the answer.
    lead = flat[max(0, piece.start - _LEAD) : piece.start]
    asks = bool(_FORWARD.search(lead) or _ASKS_WHEN.search(lead))
    answers = "?" in lead and len(sentence.split()) <= _SHORT_ANSWER and asks
    if got.forecast is None and answers and (bare := _BARE_RANGE.search(sentence)):
        # "What are your forecasts ...? I think like 5 to 20.": a span asked about in time is in years.
        read = suggest(sentence[: bare.end()] + " years" + sentence[bare.end() :], when[0], known=known)
        if read.forecast is not None:
            span = Span(bare.start(), bare.end(), bare.group(0), "relative")
            got = replace(
                read,
                spans=(*(sp for sp in read.spans if sp.end <= bare.start()), span),
                relative_phrase=bare.group(0),
                explanation=f"{read.explanation}; '{bare.group(0)}' answers a question about when, so read in years",
            )
    # A milestone dated in the future needs no "will": "this is AGI, call it '27, '28."
    dated = got.milestone is not None and got.forecast is not None and got.forecast.kind.value != "eventually"
    if got.forecast is None:
        return None
    if not (_FORWARD.search(sentence) or answers or dated or got.forecast.kind.value == "never"):
        return None
    milestone, reasons_extra = got.milestone, tuple[str, ...]()
    if milestone is None:
        # The question just asked ("When do you think we get AGI?" "Probably 2030."), or the same
        # speaker's words just before, with no one else quoted in between.
        before = flat[max(0, piece.start - _CONTEXT) : piece.start]
        own = "" if piece.inside or _QUOTE_MARK.search(before) else before
        near = milestone_in(own, last=True, known=known) or (
            milestone_in(context, last=True, known=known) if "?" in context or not own else None
        )
        if near:
            milestone, reasons_extra = near[0], (f"milestone '{near[0]}' read from the words just before",)
    value, reasons = score(
        sentence,
        milestone_here=got.milestone is not None,
        milestone_near=milestone is not None,
        speaker_known=bool(speaker and speaker[0]),
        forecast=got.forecast,
        answers=answers,
        dated=dated,
    )
    cue = cues[bisect.bisect_right(offsets, piece.start) - 1]
    return Candidate(
        locator=_locator(cue.start),
        quote=sentence,
        speaker=speaker[0] if speaker else None,
        speaker_name_as_written=speaker[1] if speaker else None,
        milestone=milestone,
        forecast=got.forecast,
        relative_phrase=got.relative_phrase,
        said_on=when[0],
        spans=got.spans,
        line=cue.line,
        said_on_phrase=when[1],
        explanation=got.explanation,
        score=value,
        reasons=(*reasons, *reasons_extra),
    )
