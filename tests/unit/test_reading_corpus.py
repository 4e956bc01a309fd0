"""The reader's figures on the labelled corpus of real material (tests/data/reading/README.md).

The floors are the figures measured when the rules or the corpus last changed (``python -m
bench.reading``); a change to the rules that lowers one fails here. Raise them when the reader
improves; quotes.yaml grows with the seeds, so new claims move the quote figures too.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from forecasts.reading.reading_eval import Report, evaluate, load_transcripts

ROOT = Path(__file__).parent.parent.parent
CORPUS = ROOT / "tests" / "data" / "reading"


@pytest.fixture(scope="module")
def report() -> Report:
    speakers = yaml.safe_load((ROOT / "seeds" / "speakers.yaml").read_text(encoding="utf-8"))
    milestones = yaml.safe_load((ROOT / "seeds" / "milestones.yaml").read_text(encoding="utf-8"))
    return evaluate(
        CORPUS, [(r["slug"], r["name"]) for r in speakers], milestones=[(r["slug"], r["name"]) for r in milestones]
    )


# (part, recall floor, false positives per true claim ceiling)
TRANSCRIPT_FLOORS = [("dev", 1.0, 0.42), ("test", 0.65, 0.45)]
# (part, milestone+kind+years floor, kind floor)
QUOTE_FLOORS = [("dev", 0.38, 0.74), ("test", 0.25, 0.64)]


@pytest.mark.parametrize(("part", "recall", "false_per_true"), TRANSCRIPT_FLOORS)
def test_transcript_figures_hold(report: Report, part: str, recall: float, false_per_true: float) -> None:
    scores = report.transcripts[part]
    assert scores.claims > 0
    assert scores.recall >= recall, scores.misses
    assert scores.false_per_true <= false_per_true


@pytest.mark.parametrize(("part", "all_right", "kind"), QUOTE_FLOORS)
def test_quote_figures_hold(report: Report, part: str, all_right: float, kind: float) -> None:
    scores = report.quotes[part]
    assert scores.total > 0
    assert scores.share(scores.all_right) >= all_right, scores.misses[:10]
    assert scores.share(scores.kind) >= kind


def test_excerpts_of_one_recording_stay_in_one_part() -> None:
    items = load_transcripts(CORPUS / "transcripts")
    parts: dict[str, set[str]] = {}
    for item in items:
        labels = yaml.safe_load((CORPUS / "transcripts" / item.id / "labels.yaml").read_text(encoding="utf-8"))
        parts.setdefault(str(labels.get("original_url") or item.id), set()).add(item.split)
    assert len(items) >= 6
    assert all(len(p) == 1 for p in parts.values())
    assert {s for p in parts.values() for s in p} == {"dev", "test"}
