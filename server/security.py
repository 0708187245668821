"""What every response and request gets on a public server: security headers and size limits.

The pages run no inline script or style: the Content-Security-Policy allows scripts, styles,
images and fonts from this origin only, so injected markup could not run even if escaping failed.
Request bodies over MAX_CONTENT_LENGTH are refused by Flask itself (413); query strings over
MAX_QUERY_STRING are refused here (414) with advice to POST the query instead.
"""

from __future__ import annotations

from typing import Final

from flask import Flask, Response, current_app, request
from werkzeug.exceptions import HTTPException

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
    """Install the request check and the response headers on `app`."""
    app.before_request(_refuse_long_query_string)
    app.after_request(_add_headers)


def _refuse_long_query_string() -> None:
    if len(request.query_string) > int(current_app.config["MAX_QUERY_STRING"]):
        raise URITooLong()


def _add_headers(response: Response) -> Response:
    for name, value in HEADERS.items():
        response.headers.setdefault(name, value)
    return response
