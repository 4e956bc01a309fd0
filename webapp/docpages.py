"""The documentation pages: the method (docs/METHOD.md as HTML) and a readable reference of the JSON
API built from its own OpenAPI document, so the reference cannot drift from what the API enforces."""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any

from markdown_it import MarkdownIt
from mdit_py_plugins.anchors import anchors_plugin

METHOD_MD = Path(__file__).resolve().parent.parent / "docs" / "METHOD.md"

#: Example query arguments per operation, using slugs from the seed data.
EXAMPLES: dict[str, dict[str, str]] = {
    "list_claims": {"speaker": "dario-amodei", "limit": "2"},
    "list_speakers": {"limit": "5"},
    "get_stance": {"milestone": "agi"},
    "get_distribution": {"method": "linear", "weighting": "latest"},
    "get_history": {"start": "2023-01-01"},
    "get_movers": {"limit": "5"},
}
PATH_EXAMPLES = {"claim_id": "1", "slug": "agi"}
SPEAKER_PATHS = ("/speakers/",)


@lru_cache(maxsize=1)
def method_html() -> str:
    """docs/METHOD.md rendered as HTML (raw HTML in the file is escaped, tables are kept, headings
    carry ids such as ``conditioning-on-the-present`` that pages link to)."""
    md = MarkdownIt("commonmark", {"html": False}).enable("table").use(anchors_plugin, min_level=2, max_level=3)
    return str(md.render(METHOD_MD.read_text(encoding="utf-8")))


def describe_type(schema: dict[str, Any]) -> str:
    """A JSON schema in a few words: "string (date) or null", "list of Claim"."""
    if "$ref" in schema:
        return str(schema["$ref"]).rsplit("/", 1)[-1]
    if "anyOf" in schema:
        parts = [describe_type(s) for s in schema["anyOf"]]
        return " or ".join(dict.fromkeys(parts))
    if "enum" in schema:
        return "one of " + ", ".join(json.dumps(v) for v in schema["enum"])
    kind = schema.get("type")
    if kind == "array":
        return "list of " + describe_type(schema.get("items", {}))
    if kind == "object":
        extra = schema.get("additionalProperties")
        return "object of " + describe_type(extra) if isinstance(extra, dict) and extra else "object"
    if kind is None:
        return "any"
    if schema.get("format"):
        return f"{kind} ({schema['format']})"
    return str(kind)


def _limits(schema: dict[str, Any]) -> str:
    bits = []
    for s in [schema, *schema.get("anyOf", [])]:
        if "minimum" in s:
            bits.append(f"≥ {s['minimum']}")
        if "maximum" in s:
            bits.append(f"≤ {s['maximum']}")
        if "maxLength" in s:
            bits.append(f"at most {s['maxLength']} characters")
        if "pattern" in s:
            bits.append(f"matches {s['pattern']}")
    return "; ".join(bits)


def _fields(schema: dict[str, Any]) -> list[dict[str, Any]]:
    required = set(schema.get("required", []))
    return [
        {
            "name": name,
            "type": describe_type(prop),
            "required": name in required,
            "description": prop.get("description", ""),
            "ref": describe_type(prop) if "$ref" in prop else None,
        }
        for name, prop in schema.get("properties", {}).items()
    ]


def _ref_name(content: dict[str, Any] | None) -> str | None:
    schema = ((content or {}).get("application/json") or {}).get("schema") or {}
    return str(schema["$ref"]).rsplit("/", 1)[-1] if "$ref" in schema else None


def _curl(host: str, server: str, path: str, method: str, op: dict[str, Any]) -> str:
    url = path
    for name, value in PATH_EXAMPLES.items():
        url = url.replace(
            "{" + name + "}", "dario-amodei" if name == "slug" and path.startswith(SPEAKER_PATHS) else value
        )
    args = EXAMPLES.get(op["operationId"], {})
    query = "&".join(f"{k}={v}" for k, v in args.items())
    full = f"{host}{server}{url}" + (f"?{query}" if query else "")
    if method == "get":
        return f"curl '{full}'"
    lines = [f"curl -X {method.upper()} '{full}'", "  -H 'Authorization: Bearer $TOKEN'"]
    if "requestBody" in op:
        lines.append("  -H 'Content-Type: application/json' -d @claim.json")
    if method == "patch":
        lines.append("  -H 'If-Match: \"3\"'")
    return " \\\n".join(lines)


def api_reference(host: str) -> dict[str, Any]:
    """The OpenAPI document arranged for reading: endpoints by tag, their parameters, response keys and errors."""
    from webapp.api.views import api

    spec = api.openapi()
    schemas: dict[str, Any] = spec["components"]["schemas"]
    server = spec["servers"][0]["url"]
    groups: dict[str, list[dict[str, Any]]] = {}
    for path, methods in spec["paths"].items():
        for method, op in methods.items():
            ok_status = next(s for s in op["responses"] if s.startswith("2"))
            ok = op["responses"][ok_status]
            response = _ref_name(ok.get("content"))
            groups.setdefault(op["tags"][0], []).append(
                {
                    "id": op["operationId"],
                    "method": method.upper(),
                    "path": server + path,
                    "summary": op["summary"],
                    "description": op.get("description", ""),
                    "auth": "security" in op,
                    "csv": "text/csv" in (ok.get("content") or {}),
                    "etag": "304" in op["responses"],
                    "parameters": [
                        {
                            "name": p["name"],
                            "in": p["in"],
                            "required": p["required"],
                            "type": describe_type(p["schema"]),
                            "default": p["schema"].get("default"),
                            "description": p.get("description", ""),
                            "limits": _limits(p["schema"]),
                        }
                        for p in op["parameters"]
                    ],
                    "body": _ref_name(op.get("requestBody", {}).get("content")),
                    "status": ok_status,
                    "response": response,
                    "response_fields": _fields(schemas[response]) if response in schemas else [],
                    "errors": [(s, r["description"]) for s, r in op["responses"].items() if s[0] in "45"],
                    "curl": _curl(host, server, path, method, op),
                }
            )
    return {
        "title": spec["info"]["title"],
        "version": spec["info"]["version"],
        "description": spec["info"]["description"],
        "server": server,
        "groups": list(groups.items()),
        "error_fields": _fields(schemas.get("ErrorDetail", {})),
        "schemas": [
            (name, _fields(schema), schema.get("description", ""))
            for name, schema in sorted(schemas.items())
            if schema.get("properties")
        ],
    }
