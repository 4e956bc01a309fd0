"""Benchmark: the quote reader and the transcript extractor on the labelled corpus, and the speed of
a two-hour transcript.

Run from the project root: ``.venv/bin/python -m bench.reading`` (``--misses`` lists what was
missed on the development part; ``--threshold`` tries another candidate score threshold).
The corpus is ``tests/data/reading/`` (see its README); the known speakers are those of
``seeds/speakers.yaml``, as after ``forecasts seed``. No hint (narrator or guest) is passed: the
extractor gets the transcript, its date and its title, as an editor would give them.
"""

from __future__ import annotations

import argparse
import datetime as dt
import time
from pathlib import Path

import yaml

from forecasts.reading.reading_eval import Report, evaluate
from forecasts.reading.transcript import DEFAULT_THRESHOLD, extract_candidates, parse_transcript

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "tests" / "data" / "reading"
SEED_EXCERPT = ROOT / "tests" / "data" / "transcript_excerpt.txt"
TWO_HOURS = 7200.0


def known_speakers() -> list[tuple[str, str]]:
    rows = yaml.safe_load((ROOT / "seeds" / "speakers.yaml").read_text(encoding="utf-8")) or []
    return [(r["slug"], r["name"]) for r in rows]


def known_milestones() -> list[tuple[str, str]]:
    rows = yaml.safe_load((ROOT / "seeds" / "milestones.yaml").read_text(encoding="utf-8")) or []
    return [(r["slug"], r["name"]) for r in rows]


def _stamp(seconds: float) -> str:
    ms = round(seconds * 1000)
    return f"{ms // 3_600_000:02d}:{ms // 60_000 % 60:02d}:{ms // 1000 % 60:02d}.{ms % 1000:03d}"


def two_hour_transcript() -> str:
    """The seed excerpt's cues repeated, shifted in time, until they fill two hours."""
    cues = parse_transcript(SEED_EXCERPT.read_text(encoding="utf-8"))
    lines, at = [], 0.0
    while at < TWO_HOURS:
        for c in cues:  # back to back: the excerpt jumps ten minutes in the middle
            lines.append(f"[{_stamp(at)} --> {_stamp(at + c.end - c.start)}]   {c.text}")
            at += c.end - c.start
    return "\n".join(lines)


def print_report(report: Report, *, misses: bool) -> None:
    print("quotes: milestone, kind and years all right")
    print(f"{'part':<6}{'n':>5}{'all':>8}{'milestone':>11}{'kind':>8}{'years':>8}")
    for part, q in report.quotes.items():
        print(
            f"{part:<6}{q.total:>5}{q.share(q.all_right):>8.1%}{q.share(q.milestone):>11.1%}"
            f"{q.share(q.kind):>8.1%}{q.share(q.years):>8.1%}"
        )
    print("\nquotes: confusion of kinds on both parts (expected -> read: count)")
    confusion = report.quotes["dev"].kinds + report.quotes["test"].kinds
    for (expected, read), n in sorted(confusion.items()):
        if expected != read:
            print(f"  {expected:>15} -> {read:<15} {n}")
    print("\ntranscripts: claims found at the right locator (within 10 s) with the right speaker")
    header = ("claims", "found", "recall", "cands", "false", "false/true", "traps hit")
    widths = (8, 7, 8, 7, 7, 12, 11)
    print(f"{'part':<6}" + "".join(f"{h:>{w}}" for h, w in zip(header, widths, strict=True)))
    for part, t in report.transcripts.items():
        print(
            f"{part:<6}{t.claims:>8}{t.found:>7}{t.recall:>8.1%}{t.candidates:>7}{t.false_positives:>7}"
            f"{t.false_per_true:>12.2f}{t.traps_taken:>6}/{t.traps:<4}"
        )
    if misses:
        print("\nmissed on the development part:")
        for line in report.transcripts["dev"].misses:
            print("  transcript", line)
        for item_id, read in report.quotes["dev"].misses:
            print("  quote", item_id, "->", read)


QUOTES_HEADER = (
    "# Real quotes with the milestone and forecast a careful editor gave them (the claims of seeds/claims.yaml\n"
    "# that are stored verbatim, survey quantiles aside), and other readings the editor would also accept.\n"
    "# Provenance: each quote's source URL, and the claim's notes in seeds/claims.yaml.\n"
    "# Written by `python -m bench.reading --refresh-quotes`, which keeps each id's alternatives.\n"
)


def _published_title(source: dict[str, object] | None) -> str | None:
    """The source's title as published; a bracketed description is ours, not the page's, so none."""
    title = str((source or {}).get("title") or "")
    return title if title and not title.startswith("[") else None


def refresh_quotes() -> int:
    """Rewrite the quote corpus from the verbatim claims of the seeds; return how many quotes."""
    claims = yaml.safe_load((ROOT / "seeds" / "claims.yaml").read_text(encoding="utf-8")) or []
    sources = {s["key"]: s for s in yaml.safe_load((ROOT / "seeds" / "sources.yaml").read_text(encoding="utf-8"))}
    path = CORPUS / "quotes.yaml"
    old = {q["id"]: q for q in (yaml.safe_load(path.read_text(encoding="utf-8")) or [])} if path.exists() else {}
    rows = [
        {
            "id": c["key"], "quote": c["quote"], "said_on": c["said_on"], "speaker": c["speaker"],
            "url": (sources.get(c.get("source")) or {}).get("url"),
            "title": _published_title(sources.get(c.get("source"))), "milestone": c["milestone"],
            "forecast": c["forecast"], "alternatives": old.get(c["key"], {}).get("alternatives") or [],
        }
        for c in claims
        if c.get("verbatim", True) and c["forecast"]["kind"] != "quantiles"
    ]  # fmt: skip
    path.write_text(QUOTES_HEADER + yaml.safe_dump(rows, sort_keys=False, allow_unicode=True, width=120))
    return len(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--misses", action="store_true", help="list what was missed on the development part")
    parser.add_argument("--threshold", type=float, default=DEFAULT_THRESHOLD, help="candidate score threshold")
    parser.add_argument("--refresh-quotes", action="store_true", help="rewrite the quote corpus from the seeds first")
    args = parser.parse_args()
    if args.refresh_quotes:
        print(f"wrote {refresh_quotes()} quotes to {CORPUS / 'quotes.yaml'}\n")
    speakers = known_speakers()
    print_report(
        evaluate(CORPUS, speakers, milestones=known_milestones(), threshold=args.threshold), misses=args.misses
    )

    text = two_hour_transcript()
    milestones = known_milestones()
    runs = []
    for _ in range(3):
        started = time.perf_counter()
        found = extract_candidates(
            text, said_on=dt.date(2024, 4, 18), speakers=speakers, milestones=milestones, narrator="ai-explained"
        )
        runs.append(time.perf_counter() - started)
    print(
        f"\ntwo-hour transcript ({len(text):,} characters, {text.count(chr(10)) + 1:,} cues): "
        f"{len(found)} candidates in {min(runs):.2f} s (best of 3; runs {', '.join(f'{r:.2f}' for r in runs)})"
    )


if __name__ == "__main__":
    main()
