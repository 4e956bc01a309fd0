"""What changed between two revisions of a claim: one diff for the admin history and the public page."""

from __future__ import annotations

import json
from typing import Any

#: Snapshot keys that change on every revision or are not the claim's content.
BOOKKEEPING = frozenset({"id", "version", "entered_by"})


def flatten(snapshot: dict[str, Any]) -> dict[str, str]:
    """A snapshot as field -> text: references by their slug or key, the forecast field by field."""
    out = {}
    for name, value in snapshot.items():
        if name in BOOKKEEPING:
            continue
        if name == "forecast" and isinstance(value, dict):
            for key, part in value.items():
                out[f"forecast.{key}"] = json.dumps(part) if isinstance(part, list) else str(part)
            continue
        if isinstance(value, dict):
            value = value.get("slug") or value.get("key")
        out[name] = "" if value is None else str(value)
    return out


def changes(before: dict[str, Any] | None, after: dict[str, Any]) -> list[tuple[str, str, str]]:
    """The fields that differ between two snapshots, as (field, before, after); all of them for a first one."""
    old = flatten(before) if before is not None else {}
    new = flatten(after)
    names = [*new, *(k for k in old if k not in new)]
    return [(k, old.get(k, ""), new.get(k, "")) for k in names if old.get(k, "") != new.get(k, "")]


def changed_fields(before: dict[str, Any] | None, after: dict[str, Any]) -> list[str]:
    """The top-level fields an edit changed ("forecast" for any of its parts); none for a first revision."""
    if before is None:
        return []
    return sorted({name.split(".")[0] for name, _, _ in changes(before, after)})
