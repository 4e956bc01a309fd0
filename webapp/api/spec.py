"""A small registry that validates API requests with pydantic models and builds the OpenAPI 3.1
document from the same models, so the documentation cannot drift from what is enforced."""

from __future__ import annotations

import io
import json
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import wraps
from typing import Any

import pandas as pd
import pydantic
from flask import Blueprint, Response, current_app, request
from pydantic import BaseModel
from pydantic.json_schema import models_json_schema

from forecasts.storage.orm import MAX_ID
from webapp.api.errors import CODES, ApiError

JsonRows = Callable[[dict[str, Any]], list[dict[str, Any]]]


class _NoQuery(BaseModel):
    """Operations without query parameters still refuse unknown ones."""


class ErrorDetail(BaseModel):
    status: int
    code: str
    message: str
    field: str | None = None
    current_version: int | None = None


class ErrorBody(BaseModel):
    """Every error the API answers, whatever the endpoint."""

    error: ErrorDetail


@dataclass
class Operation:
    method: str
    rule: str
    name: str
    summary: str
    description: str
    tag: str
    query: type[BaseModel] | None
    body: type[BaseModel] | None
    response: type[BaseModel] | None
    status: int
    errors: tuple[int, ...]
    auth: bool
    csv: JsonRows | None
    etag: bool
    path_params: dict[str, str] = field(default_factory=dict)

    @property
    def path(self) -> str:
        return re.sub(r"<(?:(\w+):)?(\w+)>", r"{\2}", self.rule)


def _path_params(rule: str) -> dict[str, str]:
    return {name: conv or "string" for conv, name in re.findall(r"<(?:(\w+):)?(\w+)>", rule)}


def _field_name(loc: Sequence[int | str]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _first_error(exc: pydantic.ValidationError) -> tuple[str, str]:
    err = exc.errors(include_url=False)[0]
    loc = [p for p in err["loc"] if not (isinstance(p, str) and p.startswith("function-"))]
    name = _field_name(loc) or "body"
    message = err["msg"]
    if "input" in err and err["type"] not in {"missing", "extra_forbidden"}:
        message = f"{message} (got {json.dumps(err['input'], default=str)[:80]})"
    return name, message


class Api:
    """Register endpoints on a blueprint; ``openapi()`` describes them."""

    def __init__(self, blueprint: Blueprint, *, title: str, version: str, description: str) -> None:
        self.blueprint = blueprint
        self.title = title
        self.version = version
        self.description = description
        self.operations: list[Operation] = []
        #: Called before anything else for operations with ``auth``: returns who is acting or raises 401.
        self.authenticate: Callable[[], str] | None = None

    def route(
        self,
        method: str,
        rule: str,
        *,
        summary: str,
        tag: str,
        query: type[BaseModel] | None = None,
        body: type[BaseModel] | None = None,
        response: type[BaseModel] | None = None,
        status: int = 200,
        errors: tuple[int, ...] = (),
        auth: bool = False,
        csv: JsonRows | None = None,
        etag: bool = False,
    ) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
        def decorate(view: Callable[..., Any]) -> Callable[..., Any]:
            op = Operation(
                method=method,
                rule=rule,
                name=view.__name__,
                summary=summary,
                description=(view.__doc__ or "").strip(),
                tag=tag,
                query=query,
                body=body,
                response=response,
                status=status,
                errors=errors,
                auth=auth,
                csv=csv,
                etag=etag,
                path_params=_path_params(rule),
            )
            self.operations.append(op)

            @wraps(view)
            def handler(**path: Any) -> Any:
                kwargs: dict[str, Any] = dict(path)
                if auth:
                    assert self.authenticate is not None, "set Api.authenticate before serving writes"
                    kwargs["user"] = self.authenticate()
                kwargs["query"] = parse_query(query or _NoQuery)
                if query is None:
                    del kwargs["query"]
                if body is not None:
                    kwargs["body"] = parse_body(body)
                result = view(**kwargs)
                return render(result, op)

            self.blueprint.add_url_rule(rule, view.__name__, handler, methods=[method])
            return handler

        return decorate

    # --- the OpenAPI document ---------------------------------------------------------------

    def openapi(self, *, server: str = "/api/v1") -> dict[str, Any]:
        models: set[type[BaseModel]] = {ErrorBody}
        for op in self.operations:
            models.update(m for m in (op.body, op.response, op.query) if m is not None)
        ordered = sorted(models, key=lambda m: m.__name__)
        keys, defs = models_json_schema(
            [(m, "validation" if m in {op.body for op in self.operations} else "serialization") for m in ordered],
            ref_template="#/components/schemas/{model}",
        )
        schemas: dict[str, Any] = defs.get("$defs", {})
        refs: dict[type[BaseModel], Any] = {}
        for m, mode in keys:
            if isinstance(m, type) and issubclass(m, BaseModel):
                refs[m] = keys[(m, mode)]
        paths: dict[str, dict[str, Any]] = {}
        for op in self.operations:
            paths.setdefault(op.path, {})[op.method.lower()] = self._operation(op, refs, schemas)
        return {
            "openapi": "3.1.0",
            "info": {"title": self.title, "version": self.version, "description": self.description},
            "servers": [{"url": server}],
            "paths": paths,
            "components": {
                "schemas": schemas,
                "securitySchemes": {
                    "bearer": {"type": "http", "scheme": "bearer", "description": "made with `forecasts tokens create`"}
                },
            },
        }

    def _operation(self, op: Operation, refs: dict[type[BaseModel], Any], schemas: dict[str, Any]) -> dict[str, Any]:
        params: list[dict[str, Any]] = []
        for name, conv in op.path_params.items():
            schema: dict[str, Any] = (
                {"type": "integer", "minimum": 1, "maximum": MAX_ID}
                if conv == "int"
                else {"type": "string", "pattern": "^[a-z0-9]+(?:-[a-z0-9]+)*$"}
            )
            params.append({"name": name, "in": "path", "required": True, "schema": schema})
        if op.query is not None:
            qschema = schemas.get(op.query.__name__) or refs[op.query]
            required = set(qschema.get("required", []))
            for name, prop in qschema.get("properties", {}).items():
                prop = dict(prop)
                description = prop.pop("description", None)
                param = {"name": name, "in": "query", "required": name in required, "schema": prop}
                if description:
                    param["description"] = description
                params.append(param)
            schemas.pop(op.query.__name__, None)
        if op.body is not None and op.method == "PATCH":
            params.append(
                {
                    "name": "If-Match",
                    "in": "header",
                    "required": True,
                    "schema": {"type": "string"},
                    "description": "the claim's current version, as in its ETag",
                }
            )
        responses: dict[str, Any] = {}
        ok: dict[str, Any] = {"description": "OK" if op.status == 200 else "Created"}
        if op.response is not None:
            content: dict[str, Any] = {"application/json": {"schema": refs[op.response]}}
            if op.csv is not None:
                content["text/csv"] = {"schema": {"type": "string"}}
            ok["content"] = content
        if op.etag:
            ok["headers"] = {"ETag": {"schema": {"type": "string"}}}
        responses[str(op.status)] = ok
        if op.etag:
            responses["304"] = {"description": "Not modified (the If-None-Match ETag still matches)"}
        error_ref = {"application/json": {"schema": refs[ErrorBody]}}
        statuses = set(op.errors) | {400, 405}
        if op.path_params:
            statuses.add(404)
        if op.auth:
            statuses.add(401)
        if op.body is not None:
            statuses |= {413, 415, 422}
        for status in sorted(statuses):
            responses[str(status)] = {"description": CODES.get(status, "error").replace("_", " "), "content": error_ref}
        out: dict[str, Any] = {
            "operationId": op.name,
            "summary": op.summary,
            "tags": [op.tag],
            "parameters": params,
            "responses": responses,
        }
        if op.description:
            out["description"] = op.description
        if op.body is not None:
            out["requestBody"] = {"required": True, "content": {"application/json": {"schema": refs[op.body]}}}
        if op.auth:
            out["security"] = [{"bearer": []}]
        return out


# --- request parsing and response rendering ---------------------------------------------------


def parse_query(model: type[BaseModel]) -> BaseModel:
    known = set(model.model_fields)
    for name in request.args:
        if name not in known:
            raise ApiError(400, "invalid_parameter", f"unknown parameter {name!r}", field=name)
    data: dict[str, Any] = {}
    for name, info in model.model_fields.items():
        values = request.args.getlist(name)
        if not values:
            continue
        if len(values) > 1 and "list" not in str(info.annotation):
            raise ApiError(400, "invalid_parameter", f"{name!r} was given {len(values)} times", field=name)
        data[name] = values if "list" in str(info.annotation) else values[0]
    try:
        return model.model_validate(data)
    except pydantic.ValidationError as exc:
        name, message = _first_error(exc)
        raise ApiError(400, "invalid_parameter", f"{name}: {message}", field=name) from None


def parse_body(model: type[BaseModel]) -> BaseModel:
    limit = current_app.config.get("MAX_CONTENT_LENGTH")
    if limit and (request.content_length or 0) > limit:
        raise ApiError(413, "payload_too_large", f"the body is over {limit} bytes", field="body")
    if not request.is_json:
        raise ApiError(415, "unsupported_media_type", "send the body as application/json", field="Content-Type")
    data = request.get_json(silent=True)
    if data is None:
        raise ApiError(400, "bad_json", "the body is not valid JSON", field="body")
    if not isinstance(data, dict):
        raise ApiError(422, "invalid", "the body must be a JSON object", field="body")
    try:
        return model.model_validate(data)
    except pydantic.ValidationError as exc:
        name, message = _first_error(exc)
        raise ApiError(422, "invalid", f"{name}: {message}", field=name) from None


def render(result: Any, op: Operation) -> Response:
    """Serialise a view's result as JSON (or CSV with ``?format=csv`` where the operation offers it)."""
    if isinstance(result, Response):
        return result
    headers: dict[str, str] = {}
    status = op.status
    if isinstance(result, tuple):
        result, headers = result[0], dict(result[1])
    payload = result.model_dump(mode="json") if isinstance(result, BaseModel) else result
    if op.csv is not None and request.args.get("format") == "csv":
        rows = op.csv(payload)
        frame = pd.json_normalize(rows) if rows else pd.DataFrame()
        buffer = io.StringIO()
        frame.to_csv(buffer, index=False)
        response = Response(buffer.getvalue(), status=status, mimetype="text/csv")
        response.headers["Content-Disposition"] = f'inline; filename="{op.name}.csv"'
    else:
        response = Response(
            json.dumps(payload, ensure_ascii=False, separators=(",", ":")), status=status, mimetype="application/json"
        )
    response.headers.update(headers)
    return response
