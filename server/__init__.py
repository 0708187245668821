"""The web face of clinkg: a SPARQL 1.1 endpoint, a JSON API and the clinicians' pages."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from flask import Flask

from clinkg import config as clinkg_config
from clinkg.registry import load_catalogue
from clinkg.server import api, errors, pages, sparql_endpoint

DEFAULTS: Mapping[str, Any] = {
    "MAX_CONTENT_LENGTH": 1_000_000,  # a query body beyond this is refused with 413
    "QUERIES_DIR": None,  # None: the bundled queries
    "STORE": None,  # a Store, or a store directory (None: $CLINKG_STORE, else ./var/store)
    "ENDPOINT": None,  # a SPARQL server's query URL: serve from it instead
    "UPDATE_ENDPOINT": None,
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
    app.register_blueprint(sparql_endpoint.blueprint)
    app.register_blueprint(api.blueprint)
    app.register_blueprint(pages.blueprint)
    errors.register(app)
    return app
