"""How well the quote reader and the transcript extractor do on a labelled corpus of real material.

The corpus (``tests/data/reading/``) holds real quotes with the milestone and forecast a careful
editor gave them (and the other readings they would also accept), and real transcript excerpts with
the claims an editor would extract and the traps in them. Each item is in the development or the
test part, fixed by a hash of its id before any tuning, so that figures on the test part are not
tuned to it. :func:`evaluate` gives, per part:

- quotes: the share whose milestone, kind and years are right (and each alone), and the
  confusion of kinds;
- transcripts: recall (a candidate at the right locator, within :data:`LOCATOR_TOLERANCE` seconds,
  with the right speaker), false positives per true claim, and traps taken for claims.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import time
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from forecasts.engine.model import Forecast
from forecasts.reading.milestone_names import MilestoneNames
from forecasts.reading.names import best_name
from forecasts.reading.phrases import suggest
from forecasts.reading.transcript import DEFAULT_THRESHOLD, Candidate, extract_candidates

LOCATOR_TOLERANCE = 10.0
TEST_SHARE = 0.4  # of items, by hash of the id


def split_of(item_id: str) -> str:
    """'test' or 'dev', fixed by the id alone so that adding items never moves old ones."""
    digest = int(hashlib.sha256(item_id.encode()).hexdigest()[:8], 16)
    return "test" if digest % 1000 < TEST_SHARE * 1000 else "dev"


@dataclass(frozen=True, slots=True)
class QuoteItem:
    id: str
    quote: str
    said_on: dt.date
    milestone: str | None
    forecast: Forecast | None
    alternatives: tuple[Forecast, ...]
    split: str
    milestones: frozenset[str | None] = frozenset()  # other milestones an editor would accept
    title: str | None = None  # the source's title as published: what the entry form shows beside the quote


@dataclass(frozen=True, slots=True)
class TranscriptClaim:
    seconds: float
    speaker: str
    milestone: str | None


@dataclass(frozen=True, slots=True)
class TranscriptItem:
    id: str
    text: str
    said_on: dt.date
    title: str | None
    claims: tuple[TranscriptClaim, ...]
    traps: tuple[float, ...]
    split: str
    name: str


def _forecast(raw: Mapping[str, Any] | None) -> Forecast | None:
    """A labelled forecast; an alternative that only names another milestone has none."""
    if not isinstance(raw, Mapping) or not raw.get("kind"):
        return None
    known = ("kind", "year_low", "year_high", "probability", "confidence", "points")
    return Forecast.from_dict({k: raw[k] for k in known if raw.get(k) is not None})


def _seconds(locator: str) -> float:
    parts = [float(p) for p in str(locator).split(":")]
    return float(sum(p * 60.0**i for i, p in enumerate(reversed(parts))))


def _date(value: object) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))


def load_quotes(path: Path) -> list[QuoteItem]:
    """The quotes of a corpus file, each with its part."""
    rows = yaml.safe_load(path.read_text(encoding="utf-8")) or []
    return [
        QuoteItem(
            id=str(r["id"]),
            quote=str(r["quote"]),
            said_on=_date(r["said_on"]),
            milestone=r.get("milestone"),
            forecast=_forecast(r.get("forecast")),
            alternatives=tuple(f for a in r.get("alternatives") or [] if (f := _forecast(a)) is not None),
            split=split_of(str(r["id"])),
            milestones=frozenset(
                a["milestone"] for a in r.get("alternatives") or [] if isinstance(a, Mapping) and a.get("milestone")
            ),
            title=r.get("title"),
        )
        for r in rows
    ]


def load_transcripts(folder: Path) -> list[TranscriptItem]:
    """Every ``<id>/labels.yaml`` with the transcript file beside it."""
    items = []
    for labels_path in sorted(folder.glob("*/labels.yaml")):
        labels = yaml.safe_load(labels_path.read_text(encoding="utf-8"))
        transcript = next(p for p in sorted(labels_path.parent.iterdir()) if p.stem == "transcript")
        claims = tuple(
            TranscriptClaim(_seconds(c["locator"]), str(c["speaker"]), c.get("milestone"))
            for c in labels.get("claims") or []
        )
        item_id = str(labels.get("id") or labels_path.parent.name)
        # Excerpts of one recording go to the same part, so that no part is tuned on the other's words.
        recording = str(labels.get("original_url") or item_id)
        items.append(
            TranscriptItem(
                id=item_id,
                text=transcript.read_text(encoding="utf-8-sig"),
                said_on=_date(labels["said_on"]),
                title=labels.get("title"),
                claims=claims,
                traps=tuple(_seconds(t["locator"]) for t in labels.get("traps") or []),
                split=split_of(recording),
                name=transcript.name,
            )
        )
    return items


# --- quotes ----------------------------------------------------------------------------------------


def _years(f: Forecast | None) -> tuple[object, ...]:
    if f is None:
        return ()
    points = tuple((round(p.year, 2), round(p.probability, 3)) for p in f.points)
    return (f.year_low, f.year_high, f.probability if f.kind.value == "probability_by" else None, points)


@dataclass
class QuoteScores:
    total: int = 0
    milestone: int = 0
    kind: int = 0
    years: int = 0
    all_right: int = 0
    kinds: Counter[tuple[str, str]] = field(default_factory=Counter)  # (expected, read)
    misses: list[tuple[str, str]] = field(default_factory=list)  # (id, what was read)

    def share(self, n: int) -> float:
        return n / self.total if self.total else 0.0


def score_quotes(items: Sequence[QuoteItem], known: MilestoneNames | None = None) -> QuoteScores:
    """Milestone, kind and years read from each quote against its labels (or an accepted alternative).

    The reader gets what an editor's entry form has: the quote, its date, the source's title and
    the database's milestones (``known``).
    """
    out = QuoteScores()
    for item in items:
        got = suggest(item.quote, item.said_on, known=known, context=item.title)
        read = got.forecast
        accepted = [f for f in (item.forecast, *item.alternatives) if f is not None]
        kind_ok = any(read is not None and read.kind == f.kind for f in accepted) or (read is None and not accepted)
        years_ok = any(read is not None and read.kind == f.kind and _years(read) == _years(f) for f in accepted) or (
            read is None and not accepted
        )
        milestone_ok = got.milestone == item.milestone or got.milestone in item.milestones
        out.total += 1
        out.milestone += milestone_ok
        out.kind += kind_ok
        out.years += years_ok
        out.all_right += milestone_ok and years_ok
        expected_kind = item.forecast.kind.value if item.forecast else "none"
        out.kinds[(expected_kind, read.kind.value if read else "none")] += 1
        if not (milestone_ok and years_ok):
            shown = read.to_dict() if read else None
            out.misses.append((item.id, f"milestone {got.milestone}, forecast {shown}"))
    return out


# --- transcripts ---------------------------------------------------------------------------------


@dataclass
class TranscriptScores:
    claims: int = 0
    found: int = 0
    candidates: int = 0
    false_positives: int = 0
    traps: int = 0
    traps_taken: int = 0
    seconds: float = 0.0
    misses: list[str] = field(default_factory=list)

    @property
    def recall(self) -> float:
        return self.found / self.claims if self.claims else 0.0

    @property
    def false_per_true(self) -> float:
        return self.false_positives / self.claims if self.claims else 0.0


def _speaker_name(c: Candidate, names: Mapping[str, str]) -> str | None:
    if c.speaker:
        return names.get(c.speaker, c.speaker_name_as_written or c.speaker)
    return c.speaker_name_as_written


def score_transcripts(
    items: Sequence[TranscriptItem],
    speakers: Sequence[tuple[str, str]],
    *,
    milestones: Sequence[tuple[str, str]] = (),
    threshold: float = DEFAULT_THRESHOLD,
) -> TranscriptScores:
    """Recall at the right locator with the right speaker, and false positives, with no hint passed."""
    names = dict(speakers)
    out = TranscriptScores()
    for item in items:
        started = time.perf_counter()
        found = extract_candidates(
            item.text, said_on=item.said_on, speakers=speakers, milestones=milestones, title=item.title,
            name=item.name, threshold=threshold,
        )  # fmt: skip
        out.seconds += time.perf_counter() - started
        used: set[int] = set()
        for claim in item.claims:
            out.claims += 1
            match = next(
                (
                    i for i, c in enumerate(found)
                    if i not in used and abs(_seconds(c.locator) - claim.seconds) <= LOCATOR_TOLERANCE
                    and (n := _speaker_name(c, names)) is not None and best_name(n, [claim.speaker]) is not None
                ),
                None,
            )  # fmt: skip
            if match is None:
                out.misses.append(f"{item.id} {int(claim.seconds)}s {claim.speaker}")
            else:
                used.add(match)
                out.found += 1
        near_claim = [
            i for i, c in enumerate(found)
            if any(abs(_seconds(c.locator) - k.seconds) <= LOCATOR_TOLERANCE and (n := _speaker_name(c, names))
                   is not None and best_name(n, [k.speaker]) is not None for k in item.claims)
        ]  # fmt: skip
        out.candidates += len(found)
        # A second candidate for the same claim (another sentence of the same answer) is no false claim.
        out.false_positives += len([i for i in range(len(found)) if i not in used and i not in near_claim])
        out.traps += len(item.traps)
        out.traps_taken += sum(
            any(abs(_seconds(c.locator) - t) <= 2.0 for i, c in enumerate(found) if i not in used) for t in item.traps
        )
    return out


@dataclass(frozen=True)
class Report:
    quotes: Mapping[str, QuoteScores]
    transcripts: Mapping[str, TranscriptScores]


def evaluate(
    corpus: Path,
    speakers: Sequence[tuple[str, str]],
    *,
    milestones: Sequence[tuple[str, str]] = (),
    threshold: float = DEFAULT_THRESHOLD,
) -> Report:
    """Score both stages on each part of the corpus in ``corpus`` (quotes.yaml, transcripts/).

    ``speakers`` and ``milestones`` are the (slug, name) pairs of the database the reader works with.
    """
    quotes = load_quotes(corpus / "quotes.yaml")
    transcripts = load_transcripts(corpus / "transcripts")
    known = MilestoneNames(milestones)
    parts = ("dev", "test")
    return Report(
        quotes={p: score_quotes([q for q in quotes if q.split == p], known) for p in parts},
        transcripts={
            p: score_transcripts(
                [t for t in transcripts if t.split == p], speakers, milestones=milestones, threshold=threshold
            )
            for p in parts
        },
    )
