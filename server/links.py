"""Links the server hands out, never built from the request's `Host` header.

The service description, VoID, the workbench's endpoint, share links and the base IRI of
queries want absolute URLs. They start with `PUBLIC_URL` (`$CLINKG_PUBLIC_URL`, the URL the
site's root is reached at, behind a proxy for instance); without it, with the address the server
is bound to (WSGI `SERVER_NAME` and `SERVER_PORT`, which `clinkg serve` sets from `--host` and
`--port`); when the server does not know that either, links are relative. A `Host` header is
the client's to choose, so echoing it would let anyone make the service describe itself as
living elsewhere.
"""

from __future__ import annotations

from typing import Any

from flask import current_app, request, url_for

DEFAULT_PORTS = {"http": "80", "https": "443"}


def public_root() -> str:
    """The site's root URL without a trailing slash; "" (links relative) when the server does
    not know its own name (waitress's placeholder `waitress.invalid`, any `.invalid` name)."""
    configured = current_app.config.get("PUBLIC_URL")
    if configured:
        return str(configured).rstrip("/")
    scheme = request.environ.get("wsgi.url_scheme", "http")
    host = str(request.environ.get("SERVER_NAME", ""))
    if not host or host.endswith(".invalid"):
        return request.script_root
    if ":" in host and not host.startswith("["):
        host = f"[{host}]"  # an IPv6 address
    port = str(request.environ.get("SERVER_PORT", ""))
    shown_port = "" if port in ("", DEFAULT_PORTS.get(scheme)) else f":{port}"
    return f"{scheme}://{host}{shown_port}{request.script_root}"


def external_url(endpoint: str, **values: Any) -> str:
    """The URL of a route under the public root: absolute, unless the root is unknown."""
    path = url_for(endpoint, **values)
    return public_root() + path[len(request.script_root) :]


def base_iri(endpoint: str) -> str | None:
    """The route's absolute URL as a base for relative IRIs, if it has one."""
    url = external_url(endpoint)
    return url if "://" in url else None
