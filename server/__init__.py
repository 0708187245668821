"""The web face of clinkg: a SPARQL 1.1 endpoint, a JSON API and the clinicians' pages."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from flask import Flask

from clinkg import config as clinkg_config
from clinkg.registry import load_catalogue
from clinkg.server import (
    api,
    articles,
    entities,
    errors,
    ontology_docs,
    pages,
    security,
    sparql_endpoint,
    workbench,
)
from clinkg.server.answer_cache import AnswerCache
from clinkg.server.query_runner import QueryRunner, RunnerSettings

DEFAULTS: Mapping[str, Any] = {
    "MAX_CONTENT_LENGTH": 1_000_000,  # a query body beyond this is refused with 413
    "MAX_QUERY_STRING": 8_000,  # a longer GET query string is refused with 414 ("use POST")
    "QUERY_WORKERS": 4,  # /sparql queries running at once, each in a killable process
    "QUERY_DEADLINE": 10.0,  # seconds before a /sparql query is killed (503)
    "QUERY_QUEUE": 32,  # queries that may wait for a worker; beyond that 429
    "QUERY_QUEUE_WAIT": 5.0,  # seconds a query waits for a worker before 503
    # Served by waitress with QUERY_WORKERS + QUERY_QUEUE threads that /sparql may hold and
    # PAGE_THREADS more it never takes, so pages and the API never wait behind queries.
    "PAGE_THREADS": 4,
    "PAGE_DEADLINE": 30.0,  # seconds of queries a page or API answer may use before 503
    "MAX_PARAM_VALUES": 16,  # non-empty parameter values a page or API request may carry
    "MAX_PARAM_LENGTH": 300,  # characters in one parameter value (pages, API)
    "MAX_PATH_LENGTH": 1_000,  # characters in a request path
    "PUBLIC_URL": None,  # the URL the site's root is reached at, for absolute links
    "MAX_RESULT_ROWS": 10_000,  # /sparql answers are cut here (header Clinkg-Truncated)
    "MAX_RESULT_TRIPLES": 50_000,
    "QUERY_NICENESS": 10,  # nice(2) increment of query workers: pages win the CPU (0: even)
    "QUERIES_DIR": None,  # None: the bundled queries
    "STORE": None,  # a Store, or a store directory (None: $CLINKG_STORE, else ./var/store)
    "ENDPOINT": None,  # a SPARQL server's query URL: serve from it instead
    "UPDATE_ENDPOINT": None,
    "YASGUI_DIR": None,  # @zazuko/yasgui's build/ folder (None: ./node_modules of the repository)
}


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """The Flask app over `STORE` (a Store), or the store `clinkg.config.open_store` picks.

    Settings also come from the environment (`CLINKG_STORE`, `CLINKG_ENDPOINT`, ...).
    """
    app = Flask(__name__)
    app.json.sort_keys = False  # type: ignore[attr-defined]  # answers read label, iri, ... first
    app.config.from_mapping(DEFAULTS)
    app.config.from_prefixed_env("CLINKG")
    if config is not None:
        app.config.from_mapping(config)
    store = app.config["STORE"]
    if store is None or isinstance(store, str | Path):
        store = clinkg_config.open_store(
            store, app.config["ENDPOINT"], app.config["UPDATE_ENDPOINT"]
        )
    queries_dir = app.config["QUERIES_DIR"]
    app.extensions["clinkg.store"] = store
    app.extensions["clinkg.catalogue"] = load_catalogue(Path(queries_dir) if queries_dir else None)
    app.extensions["clinkg.server.answer_cache"] = AnswerCache()
    app.extensions["clinkg.server.query_runner"] = QueryRunner(store, _runner_settings(app.config))
    security.register(app)
    app.register_blueprint(sparql_endpoint.blueprint)
    app.register_blueprint(api.blueprint)
    app.register_blueprint(pages.blueprint)
    # The workbench's before-request hook describes the service on GET /sparql without a query.
    app.register_blueprint(workbench.blueprint)
    app.register_blueprint(entities.blueprint)
    app.register_blueprint(articles.blueprint)
    app.register_blueprint(ontology_docs.blueprint)
    errors.register(app)
    sparql_endpoint.install(app)
    return app


def _runner_settings(config: Mapping[str, Any]) -> RunnerSettings:
    return RunnerSettings(
        workers=int(config["QUERY_WORKERS"]),
        deadline=float(config["QUERY_DEADLINE"]),
        queue=int(config["QUERY_QUEUE"]),
        queue_wait=float(config["QUERY_QUEUE_WAIT"]),
        max_rows=int(config["MAX_RESULT_ROWS"]),
        max_triples=int(config["MAX_RESULT_TRIPLES"]),
        niceness=int(config["QUERY_NICENESS"]),
    )
