"""Seed files, imports and exports: whole files in, whole files out, never half a file.

A file is parsed and validated completely before anything is written; any error names the file,
the line (or CSV row) and the field. Loading is idempotent: rows are matched by slug or key, an
unchanged row is left alone, a changed one is updated (claims with a new revision).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import select
from sqlalchemy.orm import Session

from forecasts.errors import ForecastsError, ValidationError
from forecasts.storage.orm import Claim, Milestone, Source, Speaker
from forecasts.storage.queries import CLAIM_ROW_LOADS
from forecasts.storage.records import ClaimRecord, MilestoneRecord, SourceRecord, SpeakerRecord
from forecasts.storage.repo import (
    claim_snapshot,
    record_from_snapshot,
    upsert_claim,
    upsert_milestone,
    upsert_source,
    upsert_speaker,
)

LINE = "__line__"
EXPORT_FORMAT = "forecasts-export"
EXPORT_VERSION = 1


class RecordError(ForecastsError):
    """A record in a file is wrong: says which file, which line or row, which field and why."""

    def __init__(self, path: str, line: int | None, field: str, message: str) -> None:
        where = f"{path}:{line}" if line is not None else path
        super().__init__(f"{where}: {field}: {message}")
        self.path = path
        self.line = line
        self.field = field
        self.message = message


@dataclass
class Bundle:
    """Everything one load writes, parsed and validated, in dependency order."""

    sources: list[SourceRecord] = field(default_factory=list)
    milestones: list[MilestoneRecord] = field(default_factory=list)
    speakers: list[SpeakerRecord] = field(default_factory=list)
    claims: list[ClaimRecord] = field(default_factory=list)
    # Where each record came from, for error messages raised while writing.
    origins: dict[tuple[str, str], tuple[str, int | None]] = field(default_factory=dict)

    def extend(self, other: Bundle) -> None:
        self.sources += other.sources
        self.milestones += other.milestones
        self.speakers += other.speakers
        self.claims += other.claims
        self.origins.update(other.origins)


@dataclass(frozen=True)
class LoadReport:
    created: dict[str, int]
    updated: dict[str, int]
    unchanged: dict[str, int]

    def summary(self) -> str:
        parts = []
        for kind in ("sources", "milestones", "speakers", "claims"):
            parts.append(
                f"{kind}: {self.created.get(kind, 0)} created, {self.updated.get(kind, 0)} updated,"
                f" {self.unchanged.get(kind, 0)} unchanged"
            )
        return "; ".join(parts)


# --- reading ------------------------------------------------------------------------------------


class _LineLoader(yaml.SafeLoader):
    """A safe YAML loader that remembers the line each mapping starts on."""


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> dict[str, Any]:
    mapping = loader.construct_mapping(node, deep=True)
    mapping[LINE] = node.start_mark.line + 1
    return mapping  # type: ignore[return-value]


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def _without_lines(value: Any) -> Any:
    """Drop the line markers the loader put on every mapping, however deep."""
    if isinstance(value, Mapping):
        return {k: _without_lines(v) for k, v in value.items() if k != LINE}
    if isinstance(value, list):
        return [_without_lines(v) for v in value]
    return value


def _parse_records(
    path: str, items: Iterable[Mapping[str, Any]], kind: str, parse: Callable[[Mapping[str, Any]], Any]
) -> Iterator[tuple[Any, int | None]]:
    for index, item in enumerate(items):
        line = item.get(LINE) if isinstance(item, Mapping) else None
        try:
            yield parse(_without_lines(item)), line
        except ValidationError as exc:
            raise RecordError(path, line, f"{kind}[{index}].{exc.field}", exc.message) from None


def _bundle(path: str, sections: Mapping[str, Any]) -> Bundle:
    bundle = Bundle()
    parsers: dict[str, tuple[Callable[[Mapping[str, Any]], Any], list[Any], Callable[[Any], str]]] = {
        "sources": (SourceRecord.parse, bundle.sources, lambda r: r.key),
        "milestones": (MilestoneRecord.parse, bundle.milestones, lambda r: r.slug),
        "speakers": (SpeakerRecord.parse, bundle.speakers, lambda r: r.slug),
        "claims": (ClaimRecord.parse, bundle.claims, lambda r: r.key or ""),
    }
    for kind, items in sections.items():
        if kind not in parsers:
            raise RecordError(path, None, kind, f"unknown section (expected {', '.join(parsers)})")
        if not isinstance(items, list):
            raise RecordError(path, None, kind, "must be a list of records")
        parse, target, ident = parsers[kind]
        seen: dict[str, int | None] = {}
        for rec, line in _parse_records(path, items, kind, parse):
            key = ident(rec)
            if key and key in seen:
                raise RecordError(path, line, f"{kind}.{key}", f"is defined twice (first on line {seen[key]})")
            seen[key] = line
            target.append(rec)
            bundle.origins[(kind, key)] = (path, line)
    return bundle


def read_yaml(path: Path, *, section: str | None = None) -> Bundle:
    """Read a YAML file: a list of records of ``section``, or a mapping of section to records."""
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_LineLoader)  # a safe loader subclass
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise RecordError(str(path), mark.line + 1 if mark else None, "yaml", str(exc).splitlines()[0]) from None
    if isinstance(data, list):
        if section is None:
            raise RecordError(str(path), None, "file", "a bare list needs its section named by the file name")
        data = {section: data}
    if not isinstance(data, dict):
        raise RecordError(str(path), None, "file", "must hold a list of records or a mapping of sections")
    data.pop(LINE, None)
    return _bundle(str(path), data)


def read_seed_dir(directory: Path) -> Bundle:
    """Read ``sources.yaml``, ``milestones.yaml``, ``speakers.yaml`` and ``claims*.yaml`` from a folder."""
    bundle = Bundle()
    for name in ("sources", "milestones", "speakers"):
        path = directory / f"{name}.yaml"
        if path.exists():
            bundle.extend(read_yaml(path, section=name))
    for path in sorted(directory.glob("claims*.yaml")):
        bundle.extend(read_yaml(path, section="claims"))
    return bundle


def read_json(path: str, text: str) -> Bundle:
    """Read an export document (or a bare list of claims) written by :func:`export_json`."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise RecordError(path, exc.lineno, "json", exc.msg) from None
    if isinstance(data, list):
        data = {"claims": data}
    if not isinstance(data, dict):
        raise RecordError(path, None, "file", "must be an export object or a list of claims")
    if data.get("format", EXPORT_FORMAT) != EXPORT_FORMAT:
        raise RecordError(path, None, "format", f"{data.get('format')!r} is not {EXPORT_FORMAT!r}")
    sections = {k: v for k, v in data.items() if k in {"sources", "milestones", "speakers"}}
    claims = data.get("claims", [])
    if not isinstance(claims, list):
        raise RecordError(path, None, "claims", "must be a list")
    bundle = _bundle(path, sections)
    for index, item in enumerate(claims):
        try:
            if not isinstance(item, dict):
                raise ValidationError("claim", "must be an object")
            rec = record_from_snapshot(item)
        except ValidationError as exc:
            raise RecordError(path, None, f"claims[{index}].{exc.field}", exc.message) from None
        bundle.claims.append(rec)
    return bundle


CSV_COLUMNS = (
    "key",
    "speaker",
    "speaker_name",
    "speaker_role",
    "milestone",
    "said_on",
    "said_precision",
    "quote",
    "verbatim",
    "source",
    "source_kind",
    "source_title",
    "source_url",
    "source_published_on",
    "locator",
    "original_source",
    "original_locator",
    "relative_phrase",
    "definition",
    "forecast_kind",
    "year_low",
    "year_high",
    "probability",
    "points",
    "confidence",
    "verification",
    "notes",
)


def read_csv(path: str, text: str) -> Bundle:
    """Read claims from the CSV that :func:`export_csv` writes (speakers and sources must exist)."""
    reader = csv.DictReader(io.StringIO(text))
    header = reader.fieldnames or []
    missing = [c for c in ("speaker", "milestone", "said_on", "quote", "forecast_kind") if c not in header]
    if missing:
        raise RecordError(path, 1, missing[0], "column is missing from the header")
    bundle = Bundle()
    for row in reader:
        line = reader.line_num
        try:
            bundle.claims.append(ClaimRecord.parse(_claim_from_csv(row)))
        except ValidationError as exc:
            raise RecordError(path, line, exc.field, exc.message) from None
    return bundle


def _claim_from_csv(row: Mapping[str, str | None]) -> dict[str, Any]:
    def number(name: str, cast: Callable[[str], Any]) -> Any:
        raw = (row.get(name) or "").strip()
        if not raw:
            return None
        try:
            return cast(raw)
        except ValueError:
            raise ValidationError(f"forecast.{name}", f"{raw!r} is not a number") from None

    points = []
    for i, pair in enumerate(p for p in (row.get("points") or "").split(";") if p.strip()):
        year, _, prob = pair.partition(":")
        try:
            points.append({"year": float(year), "probability": float(prob)})
        except ValueError:
            raise ValidationError(f"forecast.points[{i}]", f"{pair!r} is not year:probability") from None
    forecast = {
        "kind": (row.get("forecast_kind") or "").strip(),
        "year_low": number("year_low", int),
        "year_high": number("year_high", int),
        "probability": number("probability", float),
        "points": points,
        "confidence": (row.get("confidence") or "").strip() or None,
    }
    data: dict[str, Any] = {
        k: (row.get(k) or None)
        for k in (
            "key",
            "speaker",
            "speaker_role",
            "milestone",
            "said_on",
            "said_precision",
            "quote",
            "verbatim",
            "source",
            "locator",
            "original_source",
            "original_locator",
            "relative_phrase",
            "definition",
            "verification",
            "notes",
        )
    }
    data["forecast"] = {k: v for k, v in forecast.items() if v not in (None, [])}
    return data


def read_file(path: Path, text: str | None = None) -> Bundle:
    """Read any supported file, choosing the format by its suffix."""
    text = path.read_text(encoding="utf-8") if text is None else text
    suffix = path.suffix.lower()
    if suffix in {".yaml", ".yml"}:
        return read_yaml(path, section="claims")
    if suffix == ".json":
        return read_json(str(path), text)
    if suffix == ".csv":
        return read_csv(str(path), text)
    raise RecordError(str(path), None, "file", f"unknown format {suffix!r} (expected .yaml, .json or .csv)")


# --- writing ------------------------------------------------------------------------------------


def load_bundle(
    session: Session, bundle: Bundle, *, by: str, progress: Callable[[int], None] | None = None
) -> LoadReport:
    """Write a parsed bundle: sources, then milestones, speakers and claims. Raises on the first error."""
    tally: dict[str, dict[str, int]] = {"created": {}, "updated": {}, "unchanged": {}}

    def count(kind: str, outcome: str) -> None:
        tally[outcome][kind] = tally[outcome].get(kind, 0) + 1

    def outcome(is_new: bool, changed: bool) -> str:
        return "created" if is_new else "updated" if changed else "unchanged"

    for src in bundle.sources:
        with _located(bundle, "sources", src.key):
            is_new = session.scalar(select(Source.id).where(Source.key == src.key)) is None
            count("sources", outcome(is_new, upsert_source(session, src)[1]))
    session.flush()
    for ms in _parents_first(bundle.milestones):
        with _located(bundle, "milestones", ms.slug):
            is_new = session.scalar(select(Milestone.id).where(Milestone.slug == ms.slug)) is None
            count("milestones", outcome(is_new, upsert_milestone(session, ms)[1]))
    session.flush()
    for sp in bundle.speakers:
        with _located(bundle, "speakers", sp.slug):
            is_new = session.scalar(select(Speaker.id).where(Speaker.slug == sp.slug)) is None
            count("speakers", outcome(is_new, upsert_speaker(session, sp)[1]))
    session.flush()
    for i, cl in enumerate(bundle.claims):
        with _located(bundle, "claims", cl.key or f"#{i}"):
            count("claims", upsert_claim(session, cl, by=by)[1])
        if progress is not None:
            progress(1)
    return LoadReport(tally["created"], tally["updated"], tally["unchanged"])


@contextmanager
def _located(bundle: Bundle, kind: str, key: str) -> Iterator[None]:
    """Turn a validation error raised while writing into one that says where the record came from."""
    try:
        yield
    except ValidationError as exc:
        path, line = bundle.origins.get((kind, key), ("(input)", None))
        raise RecordError(path, line, f"{kind}.{key}.{exc.field}", exc.message) from None


def _parents_first(milestones: Sequence[MilestoneRecord]) -> list[MilestoneRecord]:
    by_slug = {m.slug: m for m in milestones}
    ordered: list[MilestoneRecord] = []
    done: set[str] = set()

    def visit(m: MilestoneRecord, trail: tuple[str, ...]) -> None:
        if m.slug in done:
            return
        if m.slug in trail:
            raise ValidationError("parent", f"milestones {' -> '.join((*trail, m.slug))} form a cycle")
        if m.parent in by_slug:
            visit(by_slug[m.parent], (*trail, m.slug))
        done.add(m.slug)
        ordered.append(m)

    for m in milestones:
        visit(m, ())
    return ordered


def _all_claims(session: Session) -> list[Claim]:
    return list(
        session.scalars(
            select(Claim).where(Claim.deleted_at.is_(None)).options(*CLAIM_ROW_LOADS).order_by(Claim.said_on, Claim.id)
        )
    )


def export_document(session: Session) -> dict[str, Any]:
    """Every live claim with the sources, milestones and speakers it needs, ready for JSON."""
    sources = session.scalars(select(Source).order_by(Source.key)).all()
    milestones = session.scalars(select(Milestone).order_by(Milestone.id)).all()
    speakers = session.scalars(select(Speaker).order_by(Speaker.slug)).all()
    return {
        "format": EXPORT_FORMAT,
        "version": EXPORT_VERSION,
        "sources": [
            {
                "key": s.key,
                "kind": s.kind,
                "title": s.title,
                "publisher": s.publisher,
                "url": s.url,
                "published_on": s.published_on.isoformat() if s.published_on else None,
                "published_precision": s.published_precision,
                "notes": s.notes,
            }
            for s in sources
        ],
        "milestones": [
            {
                "slug": m.slug,
                "name": m.name,
                "definition": m.definition,
                "parent": m.parent.slug if m.parent else None,
                "resolved_on": m.resolved_on.isoformat() if m.resolved_on else None,
                "resolution": m.resolution,
                "resolution_source": m.resolution_source.key if m.resolution_source else None,
            }
            for m in milestones
        ],
        "speakers": [
            {
                "slug": s.slug,
                "name": s.name,
                "kind": s.kind,
                "description": s.description,
                "affiliation": s.affiliation,
                "url": s.url,
            }
            for s in speakers
        ],
        "claims": [claim_snapshot(c) for c in _all_claims(session)],
    }


def export_json(session: Session) -> str:
    return json.dumps(export_document(session), indent=2, ensure_ascii=False) + "\n"


def export_csv(session: Session) -> str:
    """One row per live claim; quantile points as ``year:probability`` pairs joined by ``;``."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for c in _all_claims(session):
        snap = claim_snapshot(c)
        f = snap["forecast"]
        src = snap["source"] or {}
        writer.writerow(
            {
                "key": c.key,
                "speaker": c.speaker.slug,
                "speaker_name": c.speaker.name,
                "speaker_role": c.speaker_role,
                "milestone": c.milestone.slug,
                "said_on": snap["said_on"],
                "said_precision": c.said_precision,
                "quote": c.quote,
                "verbatim": str(c.verbatim).lower(),
                "source": src.get("key"),
                "source_kind": src.get("kind"),
                "source_title": src.get("title"),
                "source_url": src.get("url"),
                "source_published_on": src.get("published_on"),
                "locator": c.locator,
                "original_source": c.original_source.key if c.original_source else None,
                "original_locator": c.original_locator,
                "relative_phrase": c.relative_phrase,
                "definition": c.definition,
                "forecast_kind": f["kind"],
                "year_low": f.get("year_low"),
                "year_high": f.get("year_high"),
                "probability": f.get("probability"),
                "points": ";".join(f"{p['year']!r}:{p['probability']!r}" for p in f.get("points", [])),
                "confidence": f.get("confidence"),
                "verification": c.verification,
                "notes": c.notes,
            }
        )
    return out.getvalue()
