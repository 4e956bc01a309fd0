"""The API against its own OpenAPI document: one error shape everywhere, and a schemathesis run."""

from __future__ import annotations

import re
from typing import Any

import pytest
import schemathesis
from flask import Flask
from flask.testing import FlaskClient
from hypothesis import HealthCheck, given, settings
from openapi_spec_validator import validate

from webapp.api.views import api

ERROR_KEYS = {"status", "code", "message", "field"}
OPERATIONS = [(op.method, op.rule) for op in api.operations]


def _concrete(rule: str, value: str) -> str:
    return "/api/v1" + re.sub(r"<(?:\w+:)?\w+>", value, rule)


def _assert_error_shape(response: Any, status: int) -> None:
    assert response.status_code == status, response.get_data(as_text=True)
    error = response.get_json()["error"]
    assert set(error) - {"current_version"} == ERROR_KEYS
    assert error["status"] == status and error["code"] and error["message"]


def test_the_document_is_valid_openapi_31(client: FlaskClient) -> None:
    doc = client.get("/api/v1/openapi.json").get_json()
    assert doc["openapi"] == "3.1.0"
    validate(doc)
    documented = {(m.upper(), p) for p, ops in doc["paths"].items() for m in ops}
    assert documented == {(m, re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", r)) for m, r in OPERATIONS}


@pytest.mark.parametrize(("method", "rule"), OPERATIONS, ids=[f"{m} {r}" for m, r in OPERATIONS])
def test_every_endpoint_answers_errors_in_one_shape(client: FlaskClient, method: str, rule: str) -> None:
    url = _concrete(rule, "1" if "<int:" in rule else "agi")
    # An unknown query parameter is refused and named (bodies are checked below and in test_api).
    response = client.open(url + "?not_a_parameter=1", method=method, json={} if method != "GET" else None)
    writes = next(op.auth for op in api.operations if (op.method, op.rule) == (method, rule))
    if writes:  # who is asking is settled first
        _assert_error_shape(response, 401)
        assert response.get_json()["error"]["field"] == "Authorization"
    else:
        _assert_error_shape(response, 400)
        assert response.get_json()["error"]["field"] == "not_a_parameter"
    if "<" in rule:
        required = "?milestone=agi" if rule.endswith("/stance") else ""
        missing = client.open(
            _concrete(rule, "999999" if "<int:" in rule else "no-such-thing") + required,
            method=method,
            headers={"Authorization": "Bearer x"},
        )
        assert missing.status_code == (401 if writes else 404)
        _assert_error_shape(missing, missing.status_code)
    wrong_method = client.open(url, method="PUT")
    _assert_error_shape(wrong_method, 405)


def test_api_matches_its_schema(app: Flask, auth: dict[str, str]) -> None:
    """Schemathesis generates requests for every operation from openapi.json (a bounded number each):
    no server errors, and every response matches its documented status, content type and schema."""
    from schemathesis.checks import (
        content_type_conformance,
        not_a_server_error,
        response_schema_conformance,
        status_code_conformance,
    )

    checks = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    operations = [result.ok() for result in schema.get_all_operations()]
    # Every operation but the one that serves the document itself.
    assert len(operations) == len(OPERATIONS) - 1
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=40, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True, database=None
        )
        def run(case: schemathesis.Case) -> None:
            case.call_and_validate(headers=auth, checks=checks)

        run()
