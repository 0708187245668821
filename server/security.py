"""What every response and request gets on a public server: security headers and size limits.

The pages run no inline script or style: the Content-Security-Policy allows scripts, styles,
images and fonts from this origin only, so injected markup could not run even if escaping failed.
Request bodies over MAX_CONTENT_LENGTH are refused by Flask itself (413); query strings over
MAX_QUERY_STRING are refused here (414) with advice to POST the query instead. Pages and the
API take at most MAX_PARAM_VALUES values of at most MAX_PARAM_LENGTH characters each (400 naming
the limit), so no request can ask for hundreds of queries.
"""

from __future__ import annotations

from typing import Final

from flask import Flask, Response, current_app, request
from werkzeug.exceptions import HTTPException

from clinkg.errors import LimitExceeded

CONTENT_SECURITY_POLICY: Final = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    )
)
HEADERS: Final = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=()",
}


class URITooLong(HTTPException):
    """414, with the advice the SPARQL Protocol gives: send long queries by POST."""

    code = 414
    description = (
        "the query string is too long for GET; send the query by POST "
        "(application/x-www-form-urlencoded or application/sparql-query)"
    )


def register(app: Flask) -> None:
    """Install the request checks and the response headers on `app`."""
    app.before_request(_refuse_long_query_string)
    app.before_request(_bound_parameters)
    app.after_request(_add_headers)


def _refuse_long_query_string() -> None:
    if len(request.query_string) > int(current_app.config["MAX_QUERY_STRING"]):
        raise URITooLong()


def _bound_parameters() -> None:
    """Pages and the API take a few short values; /sparql's query is bounded by size alone."""
    config = current_app.config
    if len(request.path) > int(config["MAX_PATH_LENGTH"]):
        limit = int(config["MAX_PATH_LENGTH"])
        raise LimitExceeded("MAX_PATH_LENGTH", f"the path is longer than {limit} characters")
    if request.path == "/sparql":
        return
    most, longest = int(config["MAX_PARAM_VALUES"]), int(config["MAX_PARAM_LENGTH"])
    given = [(name, value) for name, value in request.args.items(multi=True) if value.strip()]
    if len(given) > most:
        names = ", ".join(sorted({name for name, _ in given}))
        raise LimitExceeded(
            "MAX_PARAM_VALUES",
            f"at most {most} parameter values may be given, not {len(given)} ({names})",
        )
    for name, value in given:
        if len(value) > longest:
            raise LimitExceeded(
                "MAX_PARAM_LENGTH",
                f"the value of '{name}' is longer than {longest} characters ({len(value)})",
            )


def _add_headers(response: Response) -> Response:
    for name, value in HEADERS.items():
        response.headers.setdefault(name, value)
    return response
