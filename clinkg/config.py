"""Which store to open: a SPARQL server when an endpoint is given, else the embedded store.

Each setting: the command-line option, else its environment variable, else the default.
`--store PATH` / $CLINKG_STORE / ./var/store for the embedded store; `--endpoint URL` /
$CLINKG_ENDPOINT and `--update-endpoint URL` / $CLINKG_UPDATE_ENDPOINT for a SPARQL server,
which gets $CLINKG_SPARQL_TIMEOUT seconds (default 30) to answer each request. `clinkg load
--workers N` / $CLINKG_LOAD_WORKERS processes build a batch's articles (default: one per CPU).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Final

from clinkg.errors import ClinkgError
from clinkg.store import Store
from clinkg.store.oxigraph import OxigraphStore
from clinkg.store.remote import DEFAULT_TIMEOUT, RemoteStore

STORE_ENV: Final = "CLINKG_STORE"
ENDPOINT_ENV: Final = "CLINKG_ENDPOINT"
UPDATE_ENDPOINT_ENV: Final = "CLINKG_UPDATE_ENDPOINT"
TIMEOUT_ENV: Final = "CLINKG_SPARQL_TIMEOUT"
WORKERS_ENV: Final = "CLINKG_LOAD_WORKERS"
DEFAULT_STORE: Final = Path("var") / "store"


def store_path(option: str | Path | None, environ: Mapping[str, str] | None = None) -> Path:
    """The store directory: the command-line option, else $CLINKG_STORE, else ./var/store."""
    if option:
        return Path(option)
    from_env = (os.environ if environ is None else environ).get(STORE_ENV)
    if from_env:
        return Path(from_env)
    return DEFAULT_STORE


def open_store(
    path: str | Path | None = None,
    endpoint: str | None = None,
    update_endpoint: str | None = None,
    environ: Mapping[str, str] | None = None,
) -> Store:
    """The store the options and environment name; the one place a backend is chosen."""
    env = os.environ if environ is None else environ
    endpoint = endpoint or env.get(ENDPOINT_ENV) or None
    update_endpoint = update_endpoint or env.get(UPDATE_ENDPOINT_ENV) or None
    if endpoint is None:
        if update_endpoint is not None:
            raise ClinkgError("an update endpoint needs a query endpoint (--endpoint)")
        return OxigraphStore(store_path(path, env))
    if path:
        raise ClinkgError("give either a store directory or a SPARQL endpoint, not both")
    return RemoteStore(endpoint, update_endpoint, timeout=_timeout(env), environ=env)


def _timeout(env: Mapping[str, str]) -> int:
    raw = env.get(TIMEOUT_ENV) or str(DEFAULT_TIMEOUT)
    if not raw.isdigit() or int(raw) == 0:
        raise ClinkgError(f"${TIMEOUT_ENV} must be a whole number of seconds, not {raw!r}")
    return int(raw)


def load_workers(option: int | None = None, environ: Mapping[str, str] | None = None) -> int:
    """Processes that build a batch's articles: the option, else $CLINKG_LOAD_WORKERS, else
    one per CPU."""
    if option is not None:
        return max(option, 1)
    raw = (os.environ if environ is None else environ).get(WORKERS_ENV) or ""
    if not raw:
        return os.cpu_count() or 1
    if not raw.isdigit() or int(raw) == 0:
        raise ClinkgError(f"${WORKERS_ENV} must be a whole number of processes, not {raw!r}")
    return int(raw)
