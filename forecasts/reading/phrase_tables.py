"""The small tables :mod:`forecasts.reading.phrases` reads quotes with: numbers, hedges, milestones, patterns.

Kept apart from the reading logic so that a reviewer can argue with a number (is "probably" 0.7?)
or a reading ("in a few years" is a window) in one place. Every pattern is matched
case-insensitively against the quote as spoken; the time phrases at the end carry, row by row,
how each reads into years.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass

from forecasts.engine import hedges

#: Number words as speakers say them; compounds ("twenty-five") are read by :func:`number`.
UNITS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
}  # fmt: skip
TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90}
MULTIPLIERS = {"hundred": 100, "thousand": 1000}

#: Vague quantities as (low, high). "A few" is read as 2 to 4: "a couple" is two and "several" runs
#: higher, and 2-4 is how commentators read Altman's "a few thousand days" (2030-2035 said in 2024).
VAGUE = {
    "a few": (2.0, 4.0), "few": (2.0, 4.0), "several": (3.0, 7.0), "a couple of": (2.0, 2.0), "a couple": (2.0, 2.0),
    "couple of": (2.0, 2.0), "couple": (2.0, 2.0),
}  # fmt: skip

#: Units in years. A generation is 30 years, the span demographers and Minsky's readers use.
UNIT_YEARS = {
    "day": 1 / 365.25, "week": 7 / 365.25, "month": 1 / 12, "year": 1.0, "decade": 10.0, "generation": 30.0,
    "century": 100.0, "centurie": 100.0,
}  # fmt: skip

_WORD_NUMBER = (
    r"(?:(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)"
    r"(?:[- ](?:one|two|three|four|five|six|seven|eight|nine))?"
    r"|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen"
    r"|one|two|three|four|five|six|seven|eight|nine|ten|an?)"
)
#: A count of units: "5", "five", "twenty-five", "a few", "several", "a few thousand".
NUM = (
    # "Quite a few years" is many years, not a few: left unread.
    rf"(?:(?:\d+(?:\.\d+)?|{_WORD_NUMBER}|(?<!quite\s)a\s+few|(?<!quite\sa\s)few|several|(?:a\s+)?couple(?:\s+of)?)"
    r"(?:\s+(?:hundred|thousand))?)"
)
UNIT = r"(?:days?|weeks?|months?|years?|decades?|generations?|century|centuries)"
YEAR = r"(?:19[5-9]\d|2[01]\d\d)"

#: Hedge words and the probability the engine reads them as live in :mod:`forecasts.engine.hedges`.
HEDGES, HEDGE_RE = hedges.HEDGES, hedges.HEDGE_RE

#: A stated probability: "50%", "50 percent", "a 50/50 chance", "fifty-fifty", "a coin flip".
PERCENT_RE = re.compile(r"\b(\d{1,3}(?:\.\d+)?)\s*(?:%|percent\b|per\s+cent\b)", re.I)
EVEN_ODDS_RE = re.compile(r"\b(?:50\s*/\s*50|50-50\s+chance|fifty[- ]fifty|(?:a\s+)?coin\s+(?:flip|toss))\b", re.I)

#: Milestone words, most specific first: a quote saying "smarter than all humans combined" is about
#: superintelligence even though it also says "smarter than". Acronyms count only in capitals
#: ("aside" is not ASI). "Smarter than us / any (single)
#: human" and "match any person" read as human level (HLMI): surpassing one human is the bar HLMI
#: sets. "General purpose AI" is left unread: in policy texts it names today's models, not AGI.
MILESTONES: tuple[tuple[str, str], ...] = (
    ("asl-3", r"\b(?:ASL|AI\s+safety\s+level)(?:\s+level)?[\s-]*(?:3|three)\b"),
    ("asl-4", r"\b(?:ASL|AI\s+safety\s+level)(?:\s+level)?[\s-]*(?:4|four)\b"),
    ("singularity", r"\b(?:the|technological)\s+singularity\b"),
    ("superintelligence", r"\b(?:super[- ]?intelligen(?:ce|t)|(?-i:ASI\b)"
     r"|super[- ]?human\s+(?:AI|intelligence|machine|artificial\s+(?:general\s+)?intelligence)"
     r"|smarter\s+than\s+(?:all\s+(?:humans|of\s+us|people|of\s+humanity)(?:\s+combined)?|humanity)"
     r"|(?:vastly|much|far|way)\s+smarter\s+than)"),
    ("powerful-ai", r"\bcountry\s+of\s+geniuses\b|(?<!more\s)(?<!most\s)\bpowerful\s+AI\b"),
    ("tai", r"\btransformative\s+(?:AI|artificial\s+intelligence)\b|(?-i:\bTAI\b)"),
    ("faol", r"\bfull(?:y)?\s+automat(?:ion|ed?)\s+(?:of\s+)?(?:all\s+)?(?:human\s+)?labou?r\b|(?-i:\bFAOL\b)"),
    ("agi", r"\bhuman[- ]level\s+AGI\b|\bAGI\b|(?-i:\bA\.G\.I\.)|\bartificial\s+general\s+intelligence\b"
     r"|\b(?:general|strong)\s+AI\b|\bgeneral\s+intelligence\b"),
    ("hlmi", r"\bhuman[- ]level\b|(?-i:\bHLMI\b)|\bmatch\s+any\s+(?:person|human)\b"
     r"|\b(?:match|reach|surpass|exceed)(?:\s+and\s+(?:surpass|exceed))?\s+human\s+intelligence\b"
     r"|\bsmarter\s+than\s+(?:us|humans|any(?:\s+(?:single|individual|one))?\s+human|the\s+smartest\s+human)\b"
     r"|\bany\s+work\s+a\s+(?:man|human|person)\s+can\s+do\b"
     r"|\bbetter\s+than\s+(?:almost\s+|nearly\s+)?(?:all\s+)?(?:humans|us)\s+at\s+(?:almost\s+|nearly\s+|essentially\s+)?"
     r"(?:all\s+things|everything)"),
)  # fmt: skip
MILESTONE_RES = tuple((slug, re.compile(p, re.I)) for slug, p in MILESTONES)

#: Words that put a reading under a negation when they come shortly before it in the same clause.
# Not "more likely than not", and not "in the interest of not trying to dodge a question, I expect ...".
NEGATION_RE = re.compile(
    r"(?<!than )\b(?:not|never|no\s+way|cannot)\b(?!\s+(?:trying|meaning|wanting)\b)|n't\b(?!\s+(?:trying|mean)\b)",
    re.I,
)
#: Words that turn what follows around as a negation does: "I'd be surprised if ... by 2030" says
#: not by 2030, and "I would not be surprised if ... next year" says next year (two negations).
FLIP_RE = re.compile(
    r"\b(?:surprised|shocked|astonished|amazed)\s+(?:at\s+all\s+)?if\b|(?<!no\s)\bdoubt\b"
    r"|\brule\s+out\b|\b(?:crazy|absurd|ridiculous|silly|wrong)\s+to\s+(?:say|think|believe|claim)\b",
    re.I,
)
#: A condition or a counterfactual: a time phrase inside one ("if we had AGI in 2030, ...", "in
#: worlds where it doesn't happen in 100 years") is not the speaker's forecast. "If you ask me",
#: "if I had to guess" and their like only hedge, and "surprised if" is handled by FLIP_RE.
HYPOTHETICAL_RE = re.compile(
    r"\b(?:(?<!surprised\s)(?<!shocked\s)(?<!at\sall\s)if(?!\s+(?:you\s+ask\s+me|I\s+had\s+to|I\s+have\s+to|anything|"
    r"I'm\s+honest|I\s+am\s+honest|not|I\s+were\s+to\s+guess|I\s+could\s+guess|I'm\s+right|I\s+am\s+right)\b)"
    r"|suppose|supposing|imagine|assuming|let's\s+say|hypothetically|unless|whether"
    r"|worlds?\s+(?:where|in\s+which))\b",
    re.I,
)
#: Someone else's view reported: "Sam says 2027", "some people think 2030".
REPORTED_RE = re.compile(
    r"\b(?:he|she|they|people|some(?:\s+people)?|others|many|folks|(?-i:[A-Z][a-z]+))(?:'re|'s)?\s+(?:\w+\s+)?"
    r"(?:says?|said|saying|thinks?|claims?|claimed|claiming|predicts?|predicted|predicting|argues?|argued|arguing|"
    r"believes?|expects?)\b",
    re.I,
)

#: Scepticism about the milestone itself, read as ``never`` when the quote names no year.
DISBELIEF_RE = re.compile(r"\b(?:do\s+not|don't|doesn't|does\s+not|never)\s+believe\s+in\b", re.I)
NEVER_RE = re.compile(
    r"\b(?:will\s+never|won't\s+ever|will\s+not\s+ever|never\s+going\s+to|never\s+gonna|is\s+never|never\s+be)\b"
    r"(?!\s+lead\b)(?!\s+get\s+us\b)|\b(?:is|are)\s+impossible\b",
    re.I,
)
#: "In my lifetime" names no year without the speaker's age, which a quote does not give: affirmed
#: ("we'll see AGI in my lifetime") it is read as arrival at an undated time; denied ("not in my
#: lifetime", "I don't think I'll see it in my lifetime") it makes no forecast, and says so.
LIFETIME_RE = re.compile(r"\b(?:in|within|during)\s+(?:my|our|your|his|her|their)\s+lifetimes?\b", re.I)
#: Arrival affirmed without a date: "eventually", "at some point", "now in sight", "around the corner".
EVENTUALLY_RE = re.compile(
    r"\b(?:eventually|some\s?day|one\s+day|sooner\s+or\s+later|(?:almost\s+)?inevitabl[ey]|at\s+some\s+point"
    r"|(?:now\s+)?in\s+sight|around\s+the\s+corner|on\s+the\s+horizon|(?:getting|very|quite)\s+close"
    r"|march(?:es|ing)?\s+toward)\b",
    re.I,
)
#: Words that leave the far end open ("... although it could also be considerably further out"): a
#: reading bounded on both sides keeps only its start.
OPEN_END_RE = re.compile(
    r"\b(?:could|may|might|can)\s+(?:also\s+)?(?:be|take)\s+(?:(?:considerably|much|a\s+lot|far|significantly)\s+)?"
    r"(?:further\s+out|longer|later)\b(?!\s+than)",
    re.I,
)
ACHIEVED_RE = re.compile(r"\b(?:we've|we\s+have|has\s+been|have\s+been)\s+(?:already\s+)?(?:achieved|reached)\b", re.I)

#: A view the speaker no longer holds ("I thought it was 30 to 50 years"): readings after it in the
#: same sentence are dropped when the speaker gives a newer one or says they changed their mind.
PAST_VIEW_RE = re.compile(
    r"\b(?:I|we)\s+(?:thought|used\s+to\s+think|believed|used\s+to\s+believe)\b|\bpreviously\b", re.I
)
CHANGED_MIND_RE = re.compile(r"\bno\s+longer\b|\bnot\s+any\s?more\b|\bchanged\s+my\s+mind\b", re.I)


# The time phrases: each row is a pattern, the role of its span and how it reads into years.


@dataclass(frozen=True, slots=True)
class Context:
    """The date a quote was said, as the readings need it."""

    year: int
    moment: float  # said_on as a decimal year


# A handler turns a match into (first possible year, year arrival is due by), or None to drop it.
_Years = tuple[int | None, int | None]
_Handler = Callable[[re.Match[str], Context, bool], _Years | None]


def number(text: str) -> tuple[float, float]:
    """Read a spoken count as (low, high): "five" -> (5, 5), "a few thousand" -> (2000, 4000)."""
    words = re.sub(r"\s+", " ", text.strip().lower().replace("-", " "))
    factor = 1.0
    for name, mult in MULTIPLIERS.items():
        if words.endswith(" " + name):
            words, factor = words[: -len(name) - 1], factor * mult
    if words in VAGUE:
        low, high = VAGUE[words]
        return low * factor, high * factor
    if re.fullmatch(r"\d+(?:\.\d+)?", words):
        value = float(words)
    else:
        parts = words.split(" ")
        value = float(TENS.get(parts[0], 0) + sum(UNITS.get(p, 0) for p in parts if p not in TENS))
        if parts[0] in TENS and len(parts) == 1:
            value = float(TENS[parts[0]])
    return value * factor, value * factor


def _unit(text: str) -> float:
    return UNIT_YEARS[text.lower().rstrip("s")]


def _span_years(m: re.Match[str]) -> tuple[float, float] | None:
    low, high = number(m.group("n"))
    if m.groupdict().get("n2"):
        high = number(m.group("n2"))[1]
    unit = _unit(m.group("unit"))
    if high * unit > 1000 or low > high:  # beyond any forecast; also keeps the arithmetic finite
        return None
    return low * unit, high * unit


def _by_end(ctx: Context, years: float) -> int:
    return math.floor(ctx.moment + years + 1e-9)


def _starting_after(ctx: Context, years: float) -> int:
    return math.ceil(ctx.moment + years - 1e-9)


def _years_window(m: re.Match[str], ctx: Context, neg: bool) -> _Years | None:
    low, high = int(m.group("y")), int(m.group("y2"))
    return None if neg or low > high else (low, high)


def _decade_window(m: re.Match[str], ctx: Context, neg: bool) -> _Years | None:
    return None if neg else (int(m.group("y")), int(m.group("y")) + 9)


def _decade_end(m: re.Match[str], ctx: Context, neg: bool) -> _Years | None:
    end = ctx.year // 10 * 10 + 9
    return (end + 1, None) if neg else (None, end)


def _as_little_as(m: re.Match[str], ctx: Context, neg: bool) -> _Years | None:
    # "Could be as little as 1-2 years away": the soonest the speaker allows, not an end.
    span = _span_years(m)
    return None if neg or span is None else (_by_end(ctx, span[0]), None)


def _this_or_next(m: re.Match[str], ctx: Context, neg: bool) -> _Years | None:
    return (ctx.year + 2, None) if neg else (ctx.year, ctx.year + 1)


def _this_year(m: re.Match[str], ctx: Context, neg: bool) -> _Years | None:
    if neg:
        return (ctx.year + 1, None)
    bounded = m.group("pre") is not None  # "later this year", "by the end of this year"
    return (None, ctx.year) if bounded else (ctx.year, ctx.year)


def _next_year(m: re.Match[str], ctx: Context, neg: bool) -> _Years | None:
    pre = re.sub(r"\s+", " ", (m.group("pre") or "").lower())
    if neg:
        return (ctx.year + 2, None)
    if pre == "before":
        return (None, ctx.year)
    return (None, ctx.year + 1) if pre else (ctx.year + 1, ctx.year + 1)


def _relative_range(m: re.Match[str], ctx: Context, neg: bool) -> _Years | None:
    span = _span_years(m)
    if neg or span is None:
        return None
    # "within the next 12 to 18 months" bounds arrival; "in three to five years" is a window.
    if (m.group("pre") or "").lower() in ("within", "over", "during") or m.group("next"):
        return (None, _by_end(ctx, span[1]))
    return (_by_end(ctx, span[0]), _by_end(ctx, span[1]))


def _within(m: re.Match[str], ctx: Context, neg: bool) -> _Years | None:
    span = _span_years(m)
    if span is None:
        return None
    if neg:
        return (_starting_after(ctx, span[0]), None)
    # "in a few years" is a window; "within a few years" and "in the next few years" are bounds.
    if span[0] < span[1] and m.group("pre").lower() == "in" and not m.group("next"):
        return (_by_end(ctx, span[0]), _by_end(ctx, span[1]))
    return (None, _by_end(ctx, span[1]))


def _or_less(m: re.Match[str], ctx: Context, neg: bool) -> _Years | None:
    span = _span_years(m)
    return None if neg or span is None else (None, _by_end(ctx, span[1]))


def _or_more(m: re.Match[str], ctx: Context, neg: bool) -> _Years | None:
    span = _span_years(m)
    if span is None:
        return None
    # "I don't think it will take more than ten years" bounds arrival from above.
    return (None, _by_end(ctx, span[0])) if neg else (_starting_after(ctx, span[0]), None)


def _for_span(m: re.Match[str], ctx: Context, neg: bool) -> _Years | None:
    # "It won't happen for (at least) another ten years": no arrival during the span. Without a
    # negation, "for ten years" is how long something lasts, not when anything arrives.
    span = _span_years(m)
    return (_starting_after(ctx, span[0]), None) if neg and span is not None else None


def _next_unit(m: re.Match[str], ctx: Context, neg: bool) -> _Years | None:
    years = _unit(m.group("unit"))
    return (_starting_after(ctx, years), None) if neg else (None, _by_end(ctx, years))


def _one_or_two(m: re.Match[str], ctx: Context, neg: bool) -> _Years | None:
    # "in a year or two": one to two of the unit; "within a year or two": by the end of two.
    unit = _unit(m.group("unit"))
    high = number(m.group("n2"))[1] * unit
    if neg:
        return (_starting_after(ctx, unit), None)
    if (m.group("pre") or "").lower() == "in":
        return (_by_end(ctx, unit), _by_end(ctx, high))
    return (None, _by_end(ctx, high))


def _decade_part(m: re.Match[str], ctx: Context, neg: bool) -> _Years | None:
    start = int(m.group("y"))
    low, high = {"early": (0, 3), "mid": (3, 6), "late": (6, 9)}[m.group("part").lower()]
    return None if neg else (start + low, start + high)


def _this_century(m: re.Match[str], ctx: Context, neg: bool) -> _Years | None:
    end = ctx.year // 100 * 100 + 99
    return (end + 1, None) if neg else (None, end)


def _decades_away(m: re.Match[str], ctx: Context, neg: bool) -> _Years | None:
    # "Decades" is at least two of them; the speaker leaves the far end open.
    return None if neg else (_starting_after(ctx, 20.0), None)


def _away(m: re.Match[str], ctx: Context, neg: bool) -> _Years | None:
    span = _span_years(m)
    return None if neg or span is None else (_by_end(ctx, span[0]), _by_end(ctx, span[1]))


def _by_year(m: re.Match[str], ctx: Context, neg: bool) -> _Years | None:
    year = int(m.group("y"))
    return (year + 1, None) if neg else (None, year)


def _before_year(m: re.Match[str], ctx: Context, neg: bool) -> _Years | None:
    year = int(m.group("y"))
    return (year, None) if neg else (None, year - 1)


def _after_year(m: re.Match[str], ctx: Context, neg: bool) -> _Years | None:
    # "I'd be surprised if it came after 2030": by the end of 2030.
    year = int(m.group("y"))
    return (None, year) if neg else (year + 1, None)


def _until_year(m: re.Match[str], ctx: Context, neg: bool) -> _Years | None:
    return (int(m.group("y")), None) if neg else None  # a bare "until 2030" says nothing about arrival


def _earliest_year(m: re.Match[str], ctx: Context, neg: bool) -> _Years | None:
    # "the fastest I can imagine is 2030", "2030 at the earliest": the first year arrival is possible.
    return None if neg else (int(m.group("y")), None)


def _from_year(m: re.Match[str], ctx: Context, neg: bool) -> _Years | None:
    return None if neg else (int(m.group("y")), None)


def _short_years(m: re.Match[str], ctx: Context, neg: bool) -> _Years | None:
    # "call it '27, '28": years of this century written with an apostrophe.
    low = 2000 + int(m.group("y"))
    high = 2000 + int(m.group("y2")) if m.group("y2") else low
    return None if neg or high < low else (low, high)


def _point_year(m: re.Match[str], ctx: Context, neg: bool) -> _Years | None:
    return None if neg else (int(m.group("y")), int(m.group("y")))


_N, _U, _Y = NUM, UNIT, YEAR
_SEASON = r"(?:(?:early|mid|late|the\s+end\s+of|the\s+start\s+of)[\s-]+)?"
#: (pattern, span role, handler), most specific first; an earlier pattern wins an overlap.
PATTERNS: tuple[tuple[re.Pattern[str], str, _Handler], ...] = tuple(
    (re.compile(p, re.I), role, h)
    for p, role, h in (
        (r"\bthis\s+year\s+or\s+(?:the\s+)?next(?:\s+year)?\b", "relative", _this_or_next),
        # "As soon as 2026 or 2027" names the earliest years, not an end: before the ranges, so it wins.
        (
            rf"\b(?:as\s+(?:early|soon)\s+as|no\s+earlier\s+than)\s+{_SEASON}(?P<y>{_Y})"
            rf"(?:\s*(?:,|or|to|-|–)\s*{_SEASON}{_Y})?\b",
            "year",
            _from_year,
        ),
        (
            rf"\b(?:(?:anywhere\s+)?from|between)\s+{_SEASON}(?P<y>{_Y})\s+(?:to|and|until|through|-)\s+{_SEASON}"
            rf"(?P<y2>{_Y})\b",
            "range",
            _years_window,
        ),
        (rf"\b{_SEASON}(?P<y>{_Y})\s*,?\s*(?:-|–|—|to|or)\s*{_SEASON}(?P<y2>{_Y})\b", "range", _years_window),
        (
            r"\b(?:in\s+)?(?:the\s+)?(?P<part>early|mid|late)[\s-]*(?P<y>(?:19[5-9]|2[01]\d)0)'?s\b",
            "range",
            _decade_part,
        ),
        (r"\b(?:in\s+)?the\s+(?P<y>(?:19[5-9]|2[01]\d)0)'?s\b", "range", _decade_window),
        (
            r"\b(?:in|within|during|by\s+the\s+end\s+of|before\s+the\s+end\s+of)\s+(?:this|the)\s+century\b",
            "relative",
            _this_century,
        ),
        (
            r"\b(?:(?P<pre>in|within|over|during)\s+)?(?:the\s+next\s+|a\s+|one\s+)(?P<unit>year|decade)\s+or\s+"
            r"(?P<n2>two|three)\b",
            "relative",
            _one_or_two,
        ),
        (
            r"\b(?:within|in|over|during)\s+the\s+(?:next|coming)\s+(?P<unit>decade|generation|century)\b",
            "relative",
            _next_unit,
        ),
        (r"\b(?:by|before|towards?|around|at)\s+the\s+end\s+of\s+(?:the|this)\s+decade\b", "relative", _decade_end),
        (r"\b(?:in|within|during|over|before\s+the\s+end\s+of)?\s*this\s+decade\b", "relative", _decade_end),
        (
            rf"\bas\s+(?:little|few|soon)\s+as\s+(?:in\s+)?(?P<n>{_N})(?:\s*(?:to|-|–|or)\s*(?P<n2>{_N}))?\s+"
            rf"(?P<unit>{_U})(?:\s+(?:away|from\s+now))?\b",
            "relative",
            _as_little_as,
        ),
        (
            r"\b(?P<pre>later|by\s+the\s+end\s+of|before\s+the\s+end\s+of)?\s*this\s+year\b(?!\s+or)",
            "relative",
            _this_year,
        ),
        (
            r"\b(?:(?P<pre>by\s+the\s+end\s+of|before\s+the\s+end\s+of|the\s+end\s+of|by|before|within|in|over|during)"
            r"\s+(?:the\s+)?)?next\s+year\b",
            "relative",
            _next_year,
        ),
        (
            rf"\b(?:(?P<pre>in|within|over|during)\s+)?(?:the\s+)?(?P<next>(?:next|coming)\s+)?(?:between\s+)?(?P<n>{_N})"
            rf"\s*(?:to|-|–|and|or)\s*(?P<n2>{_N})\s+"
            rf"(?P<unit>{_U})(?:\s+(?:from\s+now|away|time|hence))?\b",
            "relative",
            _relative_range,
        ),
        (rf"\b(?:less|fewer)\s+than\s+(?P<n>{_N})\s+(?P<unit>{_U})(?:\s+from\s+now)?", "relative", _or_less),
        (rf"\b(?P<n>{_N})\s+(?P<unit>{_U})\s+or\s+(?:less|fewer|sooner)\b", "relative", _or_less),
        (
            rf"\bfor\s+(?:at\s+least\s+)?(?:another\s+|the\s+next\s+)?(?P<n>{_N})\s+(?P<unit>{_U})\b",
            "relative",
            _for_span,
        ),
        (
            rf"\b(?:(?:more|longer)\s+than|at\s+least)\s+(?:another\s+)?(?P<n>{_N})\s+(?P<unit>{_U})(?:\s+(?:from\s+now|away))?\b",
            "relative",
            _or_more,
        ),
        (
            rf"\b(?P<pre>within|in|over|during)\s+(?:the\s+)?(?:another\s+)?(?P<next>(?:next|coming)\s+)?(?P<n>{_N})\s+"
            rf"(?P<unit>{_U})(?:'s|s')?(?:\s+time)?(?:\s+from\s+now)?\b",
            "relative",
            _within,
        ),
        (r"\b(?:many\s+|several\s+)?decades\s+(?:away|off|from\s+now)\b", "relative", _decades_away),
        (rf"\b(?P<n>{_N})\s+(?P<unit>{_U})\s+(?:away|off|from\s+now|hence|out)\b", "relative", _away),
        (rf"\b(?:(?:by|before)\s+the\s+end\s+of|by|no\s+later\s+than)\s+{_SEASON}(?P<y>{_Y})\b", "year", _by_year),
        (
            rf"\b(?:earliest|fastest|soonest)(?:\s+(?:that\s+)?I\s+(?:can|could)\s+(?:imagine|see|think\s+of))?\s+"
            rf"(?:is|would\s+be|will\s+be|being)\s+(?P<y>{_Y})\b",
            "year",
            _earliest_year,
        ),
        (rf"\b(?P<y>{_Y})\s+at\s+the\s+(?:very\s+)?earliest\b", "year", _earliest_year),
        (rf"\bbefore\s+(?P<y>{_Y})\b", "year", _before_year),
        (rf"\b(?:after|beyond)\s+(?P<y>{_Y})\b", "year", _after_year),
        (rf"\buntil\s+(?P<y>{_Y})\b", "year", _until_year),
        (rf"\b(?:from|starting(?:\s+in)?)\s+(?P<y>{_Y})\s+on(?:wards?)?\b", "year", _from_year),
        (
            r"(?<![\w'’])['’](?P<y>[2-9]\d)(?![\w'’])(?:\s*(?:,|or|to|-|–)\s*['’](?P<y2>[2-9]\d)(?![\w'’]))?",
            "year",
            _short_years,
        ),
        (
            rf"\b(?:(?:around|circa|about|roughly|approximately|in|during)\s+{_SEASON}|the\s+year\s+)?(?P<y>{_Y})\b",
            "year",
            _point_year,
        ),
    )
)
