"""The one place where errors become HTTP responses: JSON for /api and /sparql, HTML elsewhere."""

from __future__ import annotations

from typing import Any

from flask import Flask, Response, current_app, jsonify, render_template, request
from werkzeug.exceptions import HTTPException

from clinkg.errors import (
    ClinkgError,
    LimitExceeded,
    NotAcceptable,
    QueryError,
    QueryParameterError,
    StoreUnavailable,
    TooManyQueries,
    UnknownQuestion,
)

STATUS_BY_ERROR: tuple[tuple[type[ClinkgError], int], ...] = (
    (QueryParameterError, 400),
    (QueryError, 400),
    (LimitExceeded, 400),
    (UnknownQuestion, 404),
    (NotAcceptable, 406),
    (TooManyQueries, 429),
    (StoreUnavailable, 503),
)


def register(app: Flask) -> None:
    """Install the handlers on `app`."""
    app.register_error_handler(ClinkgError, _clinkg_error)
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(Exception, _unexpected_error)


def _clinkg_error(error: ClinkgError) -> tuple[Response | str, int]:
    status = next((code for kind, code in STATUS_BY_ERROR if isinstance(error, kind)), 500)
    if status == 500:
        return _unexpected_error(error)
    body: dict[str, Any] = {"error": type(error).__name__, "message": str(error)}
    if isinstance(error, QueryParameterError):
        body.update(parameter=error.parameter, value=error.value, allowed=error.allowed)
    if isinstance(error, LimitExceeded):
        body.update(limit=error.limit)
    response, status = _respond(body, status)
    retry_after = getattr(error, "retry_after", None)
    if retry_after is not None:
        # Both branches of _respond may give a plain string (HTML); make it a Response first.
        response = current_app.make_response(response)
        response.headers["Retry-After"] = str(retry_after)
    return response, status


def _http_error(error: HTTPException) -> tuple[Response | str, int]:
    status = error.code or 500
    body = {"error": error.name, "message": error.description or error.name}
    answer, status = _respond(body, status)
    response = current_app.make_response(answer)
    # Headers the error carries (Allow on a 405) go with it; the body is ours.
    for name, value in error.get_headers():
        if name.lower() != "content-type":
            response.headers[name] = value
    return response, status


def _unexpected_error(error: Exception) -> tuple[Response | str, int]:
    current_app.logger.exception("unexpected error", exc_info=error)
    message = "Something went wrong on our side; the error has been logged."
    return _respond({"error": "Internal Server Error", "message": message}, 500)


def _respond(body: dict[str, Any], status: int) -> tuple[Response | str, int]:
    if request.path.startswith(("/api", "/sparql")):
        return jsonify(body), status
    return render_template("error.html", status=status, **body), status
