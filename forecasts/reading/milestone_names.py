"""Find the database's own milestones in a speaker's words, by the content words of their names.

The fixed vocabulary of :mod:`forecasts.reading.phrase_tables` knows the broad milestones ("AGI",
"superintelligence", "powerful AI"). Editors add narrower ones as the words demand ("AI writes
about 90% of the code", "Continual learning (a single model learning on the job)"), and a quote
about one of those usually says it in the name's own words, inflected: "AI is writing 90% of the
code", "this idea of continual learning". So each name is reduced to the stems of its content
words (the parenthesised gloss, stop words and "AI" itself left out), and a text names the
milestone when most of those stems occur close together.
"""

from __future__ import annotations

import bisect
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

import snowballstemmer

_STEMMER = snowballstemmer.stemmer("english")
_WORD = re.compile(r"[a-z0-9]+(?:&[a-z0-9]+)?")
_GLOSS = re.compile(r"\([^)]*\)|'s\s+(?:term|phrase|formulation|operationali[sz]ation)\b")
# Words that say nothing about which milestone is meant: function words, and the words every name
# shares ("AI", "system", "model").
_STOP = frozenset(
    {
        *("a", "an", "the", "of", "to", "in", "on", "at", "for", "by", "with", "and", "or", "from", "as"),
        *("its", "it", "that", "this", "these", "those", "be", "is", "are", "can", "could", "able", "do"),
        *("does", "doing", "done", "has", "have", "into", "about", "than", "more", "most", "very", "such"),
        *("any", "all", "own", "one", "first", "ai", "ais", "artificial", "system", "systems", "model", "models"),
    }
)
_MIN_STEMS = 2  # a one-word name ("Superintelligence") is the fixed vocabulary's job
_SLACK = 3  # extra words allowed between the name's words, per word
_BREAK = re.compile(r"[.;!?](?:\s|$)")  # a mention does not run across sentences


@lru_cache(maxsize=65536)
def _stem(word: str) -> str:
    stem = str(_STEMMER.stemWord(word))
    # Snowball keeps the adverb's "i" ("fully" -> "fulli"); drop it so "fully" meets "full".
    return stem[:-1] if stem.endswith("li") and len(stem) > 4 else stem


def _content_stems(name: str) -> tuple[str, ...]:
    words = _WORD.findall(_GLOSS.sub(" ", name.lower().replace("\u2019", "'")))
    out: list[str] = []
    for word in words:
        if word in _STOP:
            continue
        stem = _stem(word)
        if stem not in out:
            out.append(stem)
    return tuple(out)


@dataclass(frozen=True, slots=True)
class _Name:
    slug: str
    stems: tuple[str, ...]

    @property
    def needed(self) -> int:
        """How many of the stems a mention must hold: all of two or three, all but one of more."""
        n = len(self.stems)
        return n if n <= 3 else max(3, math.ceil(0.75 * n))


class MilestoneNames:
    """The milestones of a database, found in text by the content words of their names."""

    def __init__(self, milestones: Iterable[tuple[str, str]]) -> None:
        """``milestones``: (slug, display name) pairs."""
        names = [_Name(slug, _content_stems(name)) for slug, name in milestones]
        self._names = [n for n in names if len(n.stems) >= _MIN_STEMS]
        self._by_stem: dict[str, list[_Name]] = {}
        for n in self._names:
            for stem in n.stems:
                self._by_stem.setdefault(stem, []).append(n)

    def __bool__(self) -> bool:
        return bool(self._names)

    def find_all(self, text: str) -> list[tuple[str, tuple[int, int]]]:
        """Every milestone the text names, as (slug, character span of the words that name it)."""
        tokens = [(m.start(), m.end(), _stem(m.group(0))) for m in _WORD.finditer(text.lower())]
        breaks = [m.start() for m in _BREAK.finditer(text)]
        sentence = [bisect.bisect_left(breaks, start) for start, _, _ in tokens]
        positions: dict[str, list[int]] = {}
        for i, (_, _, stem) in enumerate(tokens):
            if stem in self._by_stem:
                positions.setdefault(stem, []).append(i)
        candidates = {n.slug: n for stem in positions for n in self._by_stem[stem]}
        found: list[tuple[str, tuple[int, int]]] = []
        for name in candidates.values():
            window = self._window(name, positions, sentence)
            if window is not None:
                found.append((name.slug, (tokens[window[0]][0], tokens[window[1]][1])))
        return found

    @staticmethod
    def _window(name: _Name, positions: dict[str, list[int]], sentence: list[int]) -> tuple[int, int] | None:
        """The narrowest run of tokens in one sentence that holds enough of the name's stems, if short enough."""
        hits = sorted((i, stem) for stem in name.stems for i in positions.get(stem, ()))
        if len({stem for _, stem in hits}) < name.needed:
            return None
        width = name.needed * (1 + _SLACK)
        best: tuple[int, int] | None = None
        left = 0
        seen: dict[str, int] = {}
        for i, stem in hits:
            seen[stem] = seen.get(stem, 0) + 1
            while len(seen) >= name.needed:
                lo = hits[left][0]
                short = i - lo < width and sentence[lo] == sentence[i]
                if short and (best is None or i - lo < best[1] - best[0]):
                    best = (lo, i)
                gone = hits[left][1]
                seen[gone] -= 1
                if not seen[gone]:
                    del seen[gone]
                left += 1
        return best
