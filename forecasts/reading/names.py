"""Names as transcripts write them -> the speakers the database knows.

Speech-to-text and hurried typists misspell names: "Dario Amadei", "Hasabi", and auto-captions hear
"Yann LeCun" as "Yan laon". A written name matches a known speaker when, compared with RapidFuzz's
normalised Indel similarity (``fuzz.ratio``):

- the full name is at least :data:`NAME_SIMILARITY` alike ("Dario Amadei" / "Dario Amodei" 0.92), and
  for names of two words or more, so are the first names and the surnames, with a little slack
  ("Dylan Patel" is not "Dwarkesh Patel");
- or a single word of four letters or more is that alike to the surname ("Hasabi" / "Hassabis" 0.86);
- or, for a two-word name as heard, the first name sounds the same (Jellyfish's Metaphone) and the
  full name is at least :data:`HEARD_SIMILARITY` alike by Jaro-Winkler ("Yan laon" / "Yann LeCun"
  0.81), which is how captions mishear: the first name right, the surname garbled.

Unrelated capitalised words ("Atlas", "Mistral") stay well below these bars.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import jellyfish
from rapidfuzz import fuzz
from rapidfuzz.distance import JaroWinkler

NAME_SIMILARITY = 0.8
HEARD_SIMILARITY = 0.78
_MIN_SURNAME = 4


def similarity(written: str, name: str) -> float:
    """How alike a written name is to a speaker's name, in [0, 1] (see the module docstring)."""
    written, name = written.lower().strip(), name.lower().strip()
    if not written or not name:
        return 0.0
    full = fuzz.ratio(written, name) / 100
    words, parts = written.split(), name.split()
    if len(words) >= 2 and len(parts) >= 2:
        # Both names and surnames must be alike: "Dylan Patel" is not "Dwarkesh Patel".
        full = min(full, fuzz.ratio(words[0], parts[0]) / 100 + 0.2, fuzz.ratio(words[-1], parts[-1]) / 100)
    if len(words) == 1 and len(written) >= _MIN_SURNAME and len(parts) > 1:
        full = max(full, fuzz.ratio(written, parts[-1]) / 100)
    if len(words) == 2 and len(parts) >= 2 and jellyfish.metaphone(words[0]) == jellyfish.metaphone(parts[0]):
        heard = JaroWinkler.similarity(written, name)
        if heard >= HEARD_SIMILARITY and words[1][0] == parts[-1][0]:
            full = max(full, NAME_SIMILARITY + (heard - HEARD_SIMILARITY) / 2)
    return full


#: Capitalised words that are not first names, before a surname ("Here's Hassabis", "Dr. Hinton").
_NOT_FIRST_NAMES = frozenset({
    "here", "here's", "heres", "then", "and", "so", "but", "mr", "mrs", "ms", "dr", "prof", "professor", "says", "said",
    "sir", "the", "of", "with", "from", "like", "as", "ceo", "founder",
})  # fmt: skip


def _after_first_name(words: Sequence[str], i: int) -> bool:
    """Whether ``words[i]`` follows another capitalised word, the first name of someone else's name."""
    if i == 0:
        return False
    before = words[i - 1]
    return before[:1].isupper() and before.lower().rstrip(".,") not in _NOT_FIRST_NAMES


def match_speaker(written: str, speakers: Sequence[tuple[str, str]]) -> tuple[str, str] | None:
    """(slug, the words that name them) for the known speaker a run of words names, if any.

    "Here's Arthur Mensch" -> ("arthur-mensch", "Arthur Mensch"); "Dario Amadei" -> the slug of
    "Dario Amodei"; "Hasabi" -> the slug of "Demis Hassabis" (surname). The longest, most alike
    run of words wins.
    """
    words = [w.strip('.,;:!?()[]"“”') for w in re.sub(r"['’]s\b", "", written).split()]
    words = [w for w in words if w]
    runs = [
        " ".join(words[i:j])
        for i in range(len(words))
        for j in range(i + 1, min(len(words), i + 4) + 1)
        if j - i > 1 or not _after_first_name(words, i)
    ]
    best: tuple[float, int, str, str] | None = None
    for slug, name in speakers:
        for run in runs:
            key = (similarity(run, name), len(run), slug, run)
            if key[0] >= NAME_SIMILARITY and (best is None or key[:2] > best[:2]):
                best = key
    return (best[2], best[3]) if best else None


def best_name(written: str, names: Sequence[str]) -> str | None:
    """The name in ``names`` that ``written`` stands for, if one is alike enough."""
    scored = [(similarity(written, n), n) for n in names]
    top = max(scored, default=(0.0, ""))
    return top[1] if top[0] >= NAME_SIMILARITY else None


#: A run of one to three capitalised words, as a name is written in running text.
_NAME = re.compile(r"\b[A-Z][\w'’-]*[a-z][\w'’-]*(?:\s+[A-Z][\w'’-]*[a-z][\w'’-]*){0,2}")


def speakers_named_in(text: str, speakers: Sequence[tuple[str, str]]) -> list[tuple[str, str]]:
    """(slug, the words that name them) for every known speaker the text names, in text order."""
    return [hit for m in _NAME.finditer(text) if (hit := match_speaker(m.group(0), speakers))]
