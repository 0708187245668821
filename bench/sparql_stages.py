"""Where /sparql's time goes: each stage of an answer timed side by side, in one run.

Every round times each stage once, one after the other, so load on a shared machine falls on all
alike; the median of each and the differences between neighbours say what each layer adds:

- `engine`: pyoxigraph alone in this process, the query run and serialized to bytes;
- `worker code`: the worker's `answer` in this process (query guard, caps, serialization);
- `runner`: `QueryRunner.run`, the round trip to a worker process and back;
- `dispatch`: the WSGI app called in this process (request reading, job, headers);
- `clinkg http`: `clinkg serve` over loopback HTTP (waitress added);
- `oxigraph http`: `oxigraph serve-read-only` on the same store, for comparison.

Run from the repository: `.venv/bin/python bench/sparql_stages.py [--rounds N]`. Everything runs
at normal priority (niceness 0) so the in-process stages and the servers are alike. Caveat: in
this process a large answer (50 KB) has shown a runner round trip of several milliseconds, spent
in the worker's `sendmsg`, that `clinkg serve`'s whole answer does not show (README, Benchmarks).
"""

from __future__ import annotations

import argparse
import http.client
import io
import itertools
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

import pyoxigraph as ox
from servers import Server
from sparql_overhead import ARTICLES, FIXED_COST, QUERIES

from clinkg.loaders.pipeline import load_articles
from clinkg.server import create_app
from clinkg.server.extensions import QUERY_RUNNER
from clinkg.server.query_worker import QueryJob, WorkerSource, answer, open_engine
from clinkg.store.generations import Generations
from clinkg.store.media_types import GRAPH_FORMATS, RESULT_FORMATS, sparql_preferences
from clinkg.store.oxigraph import OxigraphStore

Stage = Callable[[], object]
FORM = "application/x-www-form-urlencoded"


def raw_engine(store_dir: Path, query: str, accept: str) -> Stage:
    """pyoxigraph on the published generation, as the Oxigraph server opens it."""
    published = Generations(store_dir, writable=False)
    engine = ox.Store.read_only(str(published.directory(published.current() or 0)))
    if accept in GRAPH_FORMATS:
        graph_format = GRAPH_FORMATS[accept]
        return lambda: engine.query(query, use_default_graph_as_union=True).serialize(
            format=graph_format
        )
    results_format = RESULT_FORMATS[accept]
    return lambda: engine.query(query, use_default_graph_as_union=True).serialize(
        format=results_format
    )


def wsgi_call(app: Any, query: str, accept: str) -> Stage:
    """The app as served, called with a form POST's environ, its body joined."""
    body = urlencode({"query": query}).encode()
    fixed = {
        "REQUEST_METHOD": "POST",
        "PATH_INFO": "/sparql",
        "QUERY_STRING": "",
        "CONTENT_TYPE": FORM,
        "CONTENT_LENGTH": str(len(body)),
        "HTTP_ACCEPT": accept,
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "8000",
        "SCRIPT_NAME": "",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "wsgi.url_scheme": "http",
        "wsgi.errors": sys.stderr,
    }

    def call() -> bytes:
        environ = dict(fixed, **{"wsgi.input": io.BytesIO(body)})
        return b"".join(app.wsgi_app(environ, lambda status, headers: None))

    return call


def http_post(port: int, path: str, query: str, accept: str) -> Stage:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    body = urlencode({"query": query})
    headers = {"Content-Type": FORM, "Accept": accept}

    def post() -> bytes:
        connection.request("POST", path, body=body, headers=headers)
        return connection.getresponse().read()

    return post


def timed(stages: dict[str, Stage], rounds: int) -> dict[str, float]:
    """Median milliseconds of each stage, all run once per round (five warm-up rounds)."""
    samples: dict[str, list[float]] = {name: [] for name in stages}
    for round_ in range(rounds + 5):
        for name, stage in stages.items():
            started = time.perf_counter()
            stage()
            if round_ >= 5:
                samples[name].append(time.perf_counter() - started)
    return {name: statistics.median(values) * 1000 for name, values in samples.items()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=300, help="timed rounds per query")
    args = parser.parse_args(argv)
    print(f"/sparql stages, cpus={os.cpu_count()}, load average={os.getloadavg()[0]:.2f} at start")
    with tempfile.TemporaryDirectory(prefix="clinkg-stages-") as folder:
        store_dir = Path(folder) / "store"
        store = OxigraphStore(store_dir)
        load_articles(sorted(ARTICLES.glob("*.txt")), store)
        store.close()
        del store
        os.environ["CLINKG_QUERY_NICENESS"] = "0"
        app = create_app({"STORE": str(store_dir), "QUERY_NICENESS": 0})
        app.extensions[QUERY_RUNNER].warm()
        clinkg = Server("clinkg", store_dir, "/sparql?query=" + quote("ASK {}"))
        oxigraph = Server("oxigraph", store_dir, "/query?query=" + quote("ASK {}"))
        try:
            report(app, store_dir, clinkg.port, oxigraph.port, args.rounds)
        finally:
            oxigraph.stop()
            clinkg.stop()
            app.extensions[QUERY_RUNNER].close()
    print(f"load average={os.getloadavg()[0]:.2f} at end")
    return 0


def report(app: Any, store_dir: Path, clinkg_port: int, oxigraph_port: int, rounds: int) -> None:
    """One line per query: each stage's median, then what each layer adds (ms)."""
    worker_engine = open_engine(WorkerSource(path=str(store_dir)))
    runner = app.extensions[QUERY_RUNNER]
    names = ("engine", "worker code", "runner", "dispatch", "clinkg http", "oxigraph http")
    print(f"  {'query':16} " + " ".join(f"{name:>13}" for name in names) + "   (ms, p50)")
    for name, query, accept in (FIXED_COST, *QUERIES):
        job = QueryJob(sparql=query, media_type=sparql_preferences(accept))
        medians = timed(
            {
                "engine": raw_engine(store_dir, query, accept),
                "worker code": lambda job=job: answer(worker_engine, job),
                "runner": lambda job=job: runner.run(job),
                "dispatch": wsgi_call(app, query, accept),
                "clinkg http": http_post(clinkg_port, "/sparql", query, accept),
                "oxigraph http": http_post(oxigraph_port, "/query", query, accept),
            },
            rounds,
        )
        values = [medians[stage] for stage in names]
        print(f"  {name:16} " + " ".join(f"{value:13.3f}" for value in values))
        added = [later - earlier for earlier, later in itertools.pairwise(values[:-1])]
        print(f"  {'  added':16} {'':13} " + " ".join(f"{value:+13.3f}" for value in added))


if __name__ == "__main__":
    sys.exit(main())
