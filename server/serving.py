"""The production server: waitress, with threads sized so /sparql cannot take them all.

/sparql holds a thread while its query runs or waits for a worker, so it may hold at most
QUERY_WORKERS + QUERY_QUEUE threads; one more caller gets 429 at once (the runner counts them).
waitress gets PAGE_THREADS beyond those, which pages, the JSON API and canned answers always
find free. The query workers are started before the first request, each with the store open.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, cast

from flask import Flask
from waitress.server import BaseWSGIServer, create_server

from clinkg.server.extensions import QUERY_RUNNER


def thread_count(config: Mapping[str, Any]) -> int:
    """waitress threads: every /sparql caller the runner admits, plus the pages' own."""
    admitted = int(config["QUERY_WORKERS"]) + int(config["QUERY_QUEUE"])
    return admitted + int(config["PAGE_THREADS"])


def make_server(app: Flask, host: str, port: int) -> BaseWSGIServer:
    """A waitress server for `app` on host:port (port 0: any free one), workers warmed.

    `server_name` is the bind address, so links built without PUBLIC_URL use it, never the
    request's Host header (`clinkg.server.links`).
    """
    app.extensions[QUERY_RUNNER].warm()
    server = create_server(
        app,
        host=host,
        port=port,
        threads=thread_count(app.config),
        server_name=host,
        ident="clinkg",
    )
    return cast(BaseWSGIServer, server)


def serve(app: Flask, host: str, port: int) -> None:
    """Serve `app` until the process is stopped."""
    make_server(app, host, port).run()
