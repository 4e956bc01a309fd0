"""Hedge words as speakers say them, and the probability each is read as.

The words are stored with a claim as spoken (its ``confidence``); reading them as a number is the
engine's job, done here in one table that a reviewer can argue with (is "probably" 0.7?). Words
that only colour a claim ("maybe", "could easily") stand for no number. Longer phrases come first
where they overlap, so "more likely than not" is not read as "likely".

The numbers follow the usual verbal-probability scales (Mosteller and Youtz 1990; the IPCC's
calibrated language): "almost certain" 0.95, "very likely" 0.85, "probably" / "likely" 0.7,
"unlikely" 0.3, "very unlikely" 0.15.
"""

from __future__ import annotations

import re

HEDGES: dict[str, float | None] = {
    "almost certainly": 0.95, "almost certain": 0.95, "virtually certain": 0.95, "near certain": 0.95,
    "definitely": 0.95, "certainly": 0.95, "for sure": 0.95, "clearly": 0.9,
    "very likely": 0.85, "highly likely": 0.85, "very probably": 0.85, "more likely than not": 0.6,
    "probably": 0.7, "likely": 0.7, "very unlikely": 0.15, "highly unlikely": 0.15, "unlikely": 0.3,
    "could easily": None, "a good chance": None, "good chance": None, "possibly": None,
    "it is possible": None, "it's possible": None, "maybe": None, "perhaps": None,
    "i'm guessing": None, "my guess": None, "my best guess": None, "i suspect": None,
    "i'd bet": None, "i would bet": None,
    "without much confidence": None, "hard to know": None, "hard to say": None, "roughly": None,
    "i wouldn't be surprised": None, "i would not be surprised": None, "plausibly": None, "plausible": None,
}  # fmt: skip

HEDGE_RE = re.compile(r"\b(?:" + "|".join(re.escape(h) for h in sorted(HEDGES, key=len, reverse=True)) + r")\b", re.I)


def hedge_probability(words: str | None) -> float | None:
    """The probability the first valued hedge in ``words`` stands for, or None when none has a value."""
    if not words:
        return None
    for m in HEDGE_RE.finditer(words.replace("\u2019", "'")):
        value = HEDGES[m.group(0).lower()]
        if value is not None:
            return value
    return None
