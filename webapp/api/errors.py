"""The API's single error shape: ``{"error": {"status", "code", "message", "field"}}``."""

from __future__ import annotations

from typing import Any

from flask import Flask, Response, jsonify, request
from werkzeug.exceptions import HTTPException

from forecasts.errors import ConflictError, NotFoundError, ValidationError

API_PREFIX = "/api/"


class ApiError(Exception):
    """An error answered in the API's error shape."""

    def __init__(
        self, status: int, code: str, message: str, *, field: str | None = None, extra: dict[str, Any] | None = None
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.field = field
        self.extra = extra or {}


def error_response(
    status: int, code: str, message: str, field: str | None = None, extra: dict[str, Any] | None = None
) -> Response:
    body: dict[str, Any] = {"status": status, "code": code, "message": message, "field": field}
    body.update(extra or {})
    response = jsonify({"error": body})
    response.status_code = status
    if status == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="forecasts"'
    return response


CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    406: "not_acceptable",
    409: "conflict",
    412: "precondition_failed",
    413: "payload_too_large",
    415: "unsupported_media_type",
    422: "invalid",
    428: "precondition_required",
    429: "too_many_requests",
    500: "internal_error",
}


def _wants_json() -> bool:
    return request.path.startswith(API_PREFIX)


def register(app: Flask) -> None:
    """Answer every error under /api/ in the one shape; leave the HTML pages to their own handlers."""

    @app.errorhandler(ApiError)
    def api_error(exc: ApiError) -> Response:
        return error_response(exc.status, exc.code, exc.message, exc.field, exc.extra)

    @app.errorhandler(ValidationError)
    def validation_error(exc: ValidationError) -> Response:
        # A bad read is a bad parameter (400); a bad write is an invalid body (422).
        if request.method in {"GET", "HEAD"}:
            return error_response(400, "invalid_parameter", f"{exc.field}: {exc.message}", exc.field)
        return error_response(422, "invalid", f"{exc.field}: {exc.message}", exc.field)

    @app.errorhandler(NotFoundError)
    def not_found(exc: NotFoundError) -> Any:
        if not _wants_json():
            return exc.__class__.__name__, 404
        return error_response(404, "not_found", str(exc), exc.field)

    @app.errorhandler(ConflictError)
    def conflict(exc: ConflictError) -> Response:
        return error_response(409, "conflict", str(exc), "If-Match", {"current_version": exc.current})

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException) -> Any:
        if not _wants_json():
            return exc
        status = exc.code or 500
        return error_response(status, CODES.get(status, "error"), exc.description or exc.name, None)

    @app.errorhandler(Exception)
    def unexpected(exc: Exception) -> Any:
        from webapp.db import rollback

        rollback()
        app.logger.exception("unhandled error on %s", request.path)
        if not _wants_json():
            return "Internal server error", 500
        return error_response(500, "internal_error", "the server failed to answer; the error was logged", None)
