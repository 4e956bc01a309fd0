"""Quote text + the date it was said -> a suggested structured forecast, by rules a person can check.

The rules are regular expressions over the quote as spoken and the tables in
:mod:`forecasts.reading.phrase_tables`; nothing is downloaded and nothing is learned. A suggestion is a
starting point for the person entering the claim: it says what it read, where, and how.

Relative durations are resolved against ``said_on`` as moments (decimal years). An upper bound
"within N years" is the calendar year containing ``said_on + N years`` (arrival by the end of that
year never claims more than the speaker did). A lower bound "not in the next N years" is the first
calendar year starting at or after ``said_on + N years``: said 2023-12-05 that is 2029, said
2024-01-01 it is 2029 too, said 2024-04-18 it is 2030. That can exclude up to a year the speaker
left open, but a round "five years" is itself a floor, and reading it the other way would let
arrival in the very year the speaker ruled out. Calendar phrases ("next year", "this year") are
calendar years: "won't happen next year" said in 2024 is a lower bound of 2026.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from forecasts.engine.model import Forecast, ForecastKind, decimal_year
from forecasts.errors import ValidationError
from forecasts.reading import phrase_tables as t
from forecasts.reading.milestone_names import MilestoneNames
from forecasts.reading.phrase_tables import PATTERNS, Context


@dataclass(frozen=True, slots=True)
class Span:
    """``quote[start:end] == text``, read in the given ``role`` (year, range, relative, negation, ...)."""

    start: int
    end: int
    text: str
    role: str

    def to_dict(self) -> dict[str, object]:
        return {"start": self.start, "end": self.end, "text": self.text, "role": self.role}


@dataclass(frozen=True, slots=True)
class Suggestion:
    """What :func:`suggest` read from a quote; ``forecast`` is None when the quote makes no forecast."""

    milestone: str | None
    forecast: Forecast | None
    relative_phrase: str | None
    spans: tuple[Span, ...]
    explanation: str

    def to_dict(self) -> dict[str, object]:
        """The suggestion as the JSON API returns it."""
        return {
            "milestone": self.milestone,
            "forecast": self.forecast.to_dict() if self.forecast else None,
            "relative_phrase": self.relative_phrase,
            "spans": [s.to_dict() for s in self.spans],
            "explanation": self.explanation,
        }


_MERGE_GAP = re.compile(r"[\s,;]*(?:(?:or|maybe|perhaps|possibly|probably|and|to|at\s+the\s+latest)\b[\s,;]*)*")
#: Where a clause ends, for the scope of a negation or a condition. A comma ends one unless it only
#: sets off a filler ("I don't think, you know, it will happen by 2030" is one clause).
_FILLER = r"(?:you\s+know|I\s+mean|like|honestly|frankly|basically|I\s+think|I\s+guess|I'd\s+say|I\s+would\s+say|um|uh)"
_CLAUSE_END = re.compile(
    rf"(?<!\b[A-Z])\.|[;:!?]|,(?!\s*{_FILLER}\s*,)(?<!know,)(?<!mean,)(?<!like,)(?<!think,)(?<!guess,)(?<!\bum,)(?<!\buh,)"
    r"|\bbut\b|\bthough\b|\bwhereas\b|\bwhile\b",
    re.I,
)
_SENTENCE_END = re.compile(r"[.!?](?:\s|$)")
_NEXT_END = re.compile(r"[.!?]")
_PROBABILITY_CONTEXT = re.compile(
    r"\b(?:chance|probabilit|odds|likel|confiden|sure|certain|give|put)|\b(?:I'm|I\s+am|I'd\s+be)\s+at\b", re.I
)
_SCOPE = 80  # characters before a time phrase that a negation or a condition may govern it from


@dataclass(frozen=True, slots=True)
class _Reading:
    start: int
    end: int
    role: str
    low: int | None
    high: int | None
    negation: tuple[int, int] | None


def _clause_start(text: str, start: int) -> int:
    window_start = max(0, start - _SCOPE)
    ends = list(_CLAUSE_END.finditer(text, window_start, start))
    return ends[-1].end() if ends else window_start


def _negation_before(text: str, start: int) -> tuple[int, int] | None:
    """The negation governing a reading, counting double negatives, or None.

    Negation words and "surprised if" / "doubt" in the same clause before the reading each turn it
    around: an odd count negates ("I'd be surprised if it came before 2030"), an even one does not
    ("I would not be surprised if we hit ASL-3 next year").
    """
    clause = _clause_start(text, start)
    turns = [*t.NEGATION_RE.finditer(text, clause, start), *t.FLIP_RE.finditer(text, clause, start)]
    if len(turns) % 2 == 0:
        return None
    last = max(turns, key=lambda m: m.start())
    return last.start(), last.end()


def _hypothetical(text: str, start: int) -> bool:
    return t.HYPOTHETICAL_RE.search(text, _clause_start(text, start), start) is not None


def _in_question(text: str, end: int) -> bool:
    m = _NEXT_END.search(text, end)
    return m is not None and m.group(0) == "?"


def _reported(text: str, start: int) -> bool:
    return t.REPORTED_RE.search(text, _clause_start(text, start), start) is not None


def _readings(text: str, ctx: Context) -> tuple[list[_Reading], list[str]]:
    """Every time phrase the patterns read, earlier patterns winning overlaps, in text order.

    Readings inside a question or a condition, or wholly before the year the words were said, are
    set aside (the second list says why); those reporting someone else's view are set aside when
    the speaker gives one of their own.
    """
    taken: list[_Reading] = []
    blocked: list[tuple[int, int]] = []
    notes: list[str] = []
    for pattern, role, handler in PATTERNS:
        for m in pattern.finditer(text):
            start, end = m.start(), m.end()
            start += len(text[start:end]) - len(text[start:end].lstrip())
            if start >= end or any(a < end and start < b for a, b in [*((r.start, r.end) for r in taken), *blocked]):
                continue
            phrase = text[start:end]
            why = None
            if _in_question(text, end):
                why = f"'{phrase}' is in a question"
            elif _hypothetical(text, start):
                why = f"'{phrase}' is in a condition or a counterfactual"
            if why:
                blocked.append((start, end))
                notes.append(why)
                continue
            negation = _negation_before(text, start)
            years = handler(m, ctx, negation is not None)
            if years is None:
                continue
            if max(y for y in years if y is not None) < ctx.year:
                blocked.append((start, end))
                notes.append(f"'{phrase}' lies before the year it was said")
                continue
            taken.append(_Reading(start, end, role, years[0], years[1], negation))
    own = [r for r in taken if not _reported(text, r.start)]
    if own and len(own) < len(taken):
        notes += [f"set aside '{text[r.start : r.end]}' as someone else's view" for r in taken if r not in own]
        taken = own
    return sorted(taken, key=lambda r: r.start), notes


def _sentence_start(text: str, pos: int) -> int:
    ends = [m.end() for m in _SENTENCE_END.finditer(text, 0, pos)]
    return ends[-1] if ends else 0


def _drop_past_views(text: str, readings: list[_Reading]) -> tuple[list[_Reading], list[_Reading]]:
    past = [r for r in readings if t.PAST_VIEW_RE.search(text, _sentence_start(text, r.start), r.start)]
    current = [r for r in readings if r not in past]
    if past and (current or t.CHANGED_MIND_RE.search(text)):
        return current, past
    return readings, []


def _merge(text: str, readings: list[_Reading]) -> list[_Reading]:
    """The first reading and those joined to it as one hedged phrase ("next year, within two years")."""
    group = [readings[0]]
    for r in readings[1:]:
        if not _MERGE_GAP.fullmatch(text, group[-1].end, r.start):
            break
        group.append(r)
    return group


def _probability(text: str) -> tuple[float | None, tuple[int, int] | None]:
    for m in t.PERCENT_RE.finditer(text):
        value = float(m.group(1)) / 100
        # "10% of the market by 2030" is no probability; "50% chance", "give it 50%", "50% by 2030" are.
        near = text[max(0, m.start() - 20) : m.end() + 30]
        if value <= 1 and (_PROBABILITY_CONTEXT.search(near) or re.match(r"\s+by\b", text[m.end() :])):
            return value, (m.start(), m.end())
    even = t.EVEN_ODDS_RE.search(text)
    return (0.5, (even.start(), even.end())) if even else (None, None)


def _hedge(text: str) -> tuple[str | None, float | None, tuple[int, int] | None]:
    found = list(t.HEDGE_RE.finditer(text))
    valued = [m for m in found if t.HEDGES[m.group(0).lower()] is not None]
    best = valued[0] if valued else (found[0] if found else None)
    if best is None:
        return None, None, None
    return best.group(0), t.HEDGES[best.group(0).lower()], (best.start(), best.end())


def _scepticism(text: str) -> tuple[int, int] | None:
    """ "I don't believe in AGI" (disbelief in a milestone, not in God) or "it will never happen"."""
    for m in t.DISBELIEF_RE.finditer(text):
        after = text[m.end() : m.end() + 40]
        if any(rx.match(after.lstrip()) for _, rx in t.MILESTONE_RES):
            return m.start(), m.end()
    never = t.NEVER_RE.search(text)
    return (never.start(), never.end()) if never else None


def _describe(f: Forecast) -> str:
    kind = f.kind
    if kind is ForecastKind.WINDOW:
        return f"a window {f.year_low}-{f.year_high}"
    if kind is ForecastKind.POINT:
        return f"a point forecast for {f.year_low}"
    if kind is ForecastKind.UPPER_BOUND:
        return f"arrival by the end of {f.year_high}"
    if kind is ForecastKind.LOWER_BOUND:
        return f"no arrival before {f.year_low}"
    if kind is ForecastKind.PROBABILITY_BY:
        return f"a {f.probability:.0%} chance of arrival by the end of {f.year_high}"
    if kind is ForecastKind.NEVER:
        return "a claim that it will never happen"
    return "arrival at some time it does not date"


def suggest(
    quote: str, said_on: dt.date, *, known: MilestoneNames | None = None, context: str | None = None
) -> Suggestion:
    """Suggest the milestone and structured forecast a quote makes, saying what was read where.

    ``known`` lets the reader find the database's own milestones by their names. ``context`` is
    what the quote answers or appears under (the question asked, the source's title): when the
    quote names no milestone ("We could be just a few years away"), the one the context names is
    the one meant. Never raises on text: a reading whose years fall outside what a forecast allows
    is dropped.
    """
    text = quote.replace("\u2019", "'")  # same length, so spans still index the quote
    ctx = Context(said_on.year, decimal_year(said_on))
    from_context: str | None = None
    spans: list[tuple[int, int, str]] = []
    notes: list[str] = []
    named = milestone_in(text, known=known)
    milestone = named[0] if named else None
    if named:
        spans.append((*named[1], "milestone"))
    elif context and (around := milestone_in(context, known=known)):
        milestone = around[0]
        from_context = f"took the milestone from '{context[around[1][0] : around[1][1]]}' in the context"

    readings, set_aside = _readings(text, ctx)
    readings, past = _drop_past_views(text, readings)
    notes += set_aside
    notes += [f"set aside '{quote[r.start : r.end]}' as a view the speaker no longer holds" for r in past]
    kind: ForecastKind | None = None
    low = high = None
    relative: str | None = None
    read_text = ""
    if readings:
        group = _merge(text, readings)
        first, last = group[0], group[-1]
        lows = [r.low for r in group if r.low is not None]
        highs = [r.high for r in group if r.high is not None]
        low, high = (min(lows) if lows else None), (max(highs) if highs else None)
        if len(group) == 1 and first.role == "year" and low == high and re.search(r"\bby\s+then\b", text[last.end :]):
            low = None  # "2029 ... I'd be surprised if we don't have AGI by then"
        # "Quite possibly within a decade ... but it's not going to happen in two years": a bound from
        # above and a denial elsewhere in the quote close a window.
        others = [r for r in readings if r not in group]
        if low is None and high is not None:
            floors = [r.low for r in others if r.negation and r.low is not None and r.high is None and r.low <= high]
            if floors:
                low = max(floors)
                group = sorted([*group, *(r for r in others if r.low == low)], key=lambda r: r.start)
                first, last = group[0], group[-1]
        # "AGI won't arrive in a year, but it could easily this decade": a denial and a bound from above
        # elsewhere close the window the other way round.
        elif high is None and low is not None and all(r.negation for r in group):
            ceilings = [
                r.high for r in others if not r.negation and r.high is not None and r.low is None and r.high >= low
            ]
            if ceilings:
                high = min(ceilings)
                group = sorted([*group, *(r for r in others if r.high == high)], key=lambda r: r.start)
                first, last = group[0], group[-1]
        open_end = t.OPEN_END_RE.search(text)
        if open_end and low is not None and high is not None:
            # "1-2 years away, although it could also be considerably further out": only the start holds.
            high = None
            spans.append((open_end.start(), open_end.end(), "open end"))
            notes.append(f"'{quote[open_end.start() : open_end.end()]}' leaves the far end open")
        kind = (
            (ForecastKind.POINT if low == high else ForecastKind.WINDOW)
            if low is not None and high is not None
            else (ForecastKind.LOWER_BOUND if low is not None else ForecastKind.UPPER_BOUND)
        )
        read_text = quote[first.start : last.end]
        for r in group:
            spans.append((r.start, r.end, r.role))
            if r.negation:
                spans.append((*r.negation, "negation"))
        if any(r.role == "relative" for r in group):
            relative = read_text
        if t.EVENTUALLY_RE.search(text):
            notes.append("kept the undated 'eventually' in words only")
    elif (lifetime := t.LIFETIME_RE.search(text)) and _negation_before(text, lifetime.start()):
        spans.append((lifetime.start(), lifetime.end(), "scepticism"))
        notes.append(f"'{lifetime.group(0)}' names no year without the speaker's age, so made no forecast")
    elif lifetime:
        kind, read_text = ForecastKind.EVENTUALLY, quote[lifetime.start() : lifetime.end()]
        spans.append((lifetime.start(), lifetime.end(), "eventually"))
        notes.append(f"'{lifetime.group(0)}' names no year without the speaker's age, so arrival is left undated")
    elif sceptic := _scepticism(text):
        kind, read_text = ForecastKind.NEVER, quote[sceptic[0] : sceptic[1]]
        spans.append((*sceptic, "scepticism"))
    elif (done := t.ACHIEVED_RE.search(text)) and milestone:
        kind, high, read_text = ForecastKind.UPPER_BOUND, said_on.year, quote[done.start() : done.end()]
        spans.append((done.start(), done.end(), "relative"))
    elif eventually := t.EVENTUALLY_RE.search(text):
        kind, read_text = ForecastKind.EVENTUALLY, quote[eventually.start() : eventually.end()]
        spans.append((eventually.start(), eventually.end(), "eventually"))

    forecast = None
    if kind is not None:
        forecast = _build(kind, low, high, text, spans, notes)
    if forecast is not None and from_context:
        notes.append(from_context)
    return _finish(quote, milestone, forecast, relative, read_text, spans, notes)


def _build(
    kind: ForecastKind,
    low: int | None,
    high: int | None,
    text: str,
    spans: list[tuple[int, int, str]],
    notes: list[str],
) -> Forecast | None:
    stated, p_span = _probability(text)
    words, _, h_span = _hedge(text)
    undated = kind in (ForecastKind.NEVER, ForecastKind.EVENTUALLY)
    # Hedge words are kept as spoken; the engine reads them as a number (forecasts.engine.hedges).
    probability = None if undated else stated
    if stated is not None and kind is ForecastKind.UPPER_BOUND:
        kind = ForecastKind.PROBABILITY_BY
    if p_span and not undated:
        spans.append((*p_span, "probability"))
    if h_span:
        spans.append((*h_span, "hedge"))
    try:
        return Forecast(kind, low, high, probability=probability, confidence=words)
    except ValidationError as exc:
        notes.append(f"dropped the reading because {exc}")
        return None


def _finish(
    quote: str,
    milestone: str | None,
    forecast: Forecast | None,
    relative: str | None,
    read_text: str,
    spans: list[tuple[int, int, str]],
    notes: list[str],
) -> Suggestion:
    if forecast is None:
        head = "found no time phrase, belief or doubt to read a forecast from" if not notes else notes.pop(0)
    else:
        head = f"read '{read_text}' as {_describe(forecast)}"
        if forecast.probability is not None and forecast.kind is not ForecastKind.PROBABILITY_BY:
            head += f" with probability {forecast.probability:g}"
        if forecast.confidence:
            head += f", in the words '{forecast.confidence}'"
    about = f" about {milestone}" if milestone else ""
    rest = "".join(f"; {n}" for n in notes)
    unique = sorted(set(spans))
    return Suggestion(
        milestone=milestone,
        forecast=forecast,
        relative_phrase=relative,
        spans=tuple(Span(a, b, quote[a:b], role) for a, b, role in unique),
        explanation=f"{head}{about}{rest}.",
    )


def milestone_in(
    text: str, *, last: bool = False, known: MilestoneNames | None = None
) -> tuple[str, tuple[int, int]] | None:
    """The first (or ``last``) milestone the words name, with its span, or None.

    ``known`` adds the database's own milestones, found by their names; where one of those and a
    word of the fixed vocabulary overlap ("signs of life of AGI"), the longer mention wins.
    """
    text = text.replace("\u2019", "'")
    hits = [(m.start(), m.end(), slug) for slug, rx in t.MILESTONE_RES for m in rx.finditer(text)]
    if known:
        hits += [(a, b, slug) for slug, (a, b) in known.find_all(text)]
    if not hits:
        return None
    # Of overlapping mentions the longest ("human-level AGI", "signs of life of AGI") stands.
    hits.sort(key=lambda h: (h[0] - h[1], h[0]))
    kept: list[tuple[int, int, str]] = []
    for a, b, slug in hits:
        if all(b <= ka or a >= kb for ka, kb, _ in kept):
            kept.append((a, b, slug))
    start, end, slug = max(kept) if last else min(kept)
    return slug, (start, end)


def anchors(text: str) -> list[tuple[int, int]]:
    """Where the words hold a time phrase or a doubt that a forecast may be read from, in text order.

    For text with no sentence ends to split at (auto-captions), the transcript reader reads a
    window of words around each anchor instead of a sentence.
    """
    text = text.replace("\u2019", "'")
    spans = [(m.start(), m.end()) for pattern, _, _ in PATTERNS for m in pattern.finditer(text)]
    spans += [(m.start(), m.end()) for rx in (t.DISBELIEF_RE, t.NEVER_RE) for m in rx.finditer(text)]
    return sorted(set(spans))
