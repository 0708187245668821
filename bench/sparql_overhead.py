"""What clinkg's /sparql adds over its engine: the same query texts, side by side, in one run.

`clinkg serve` and `oxigraph serve-read-only` (the `oxigraph` PyPI package) run at the same time
on one store directory (Oxigraph's read-only mode opens beside a writer), and every round sends
each query to both, one after the other, so load on the machine falls on both alike. clinkg runs
its queries in worker processes at a lower priority than its pages (QUERY_NICENESS, default 10),
so the Oxigraph server runs at that niceness too: on a busy machine the engines then get the same
share of the CPU (`--niceness 0` runs both at normal priority).

Run from the repository: `.venv/bin/python bench/sparql_overhead.py` (the bundled articles) or
`--hpo` (articles + the full HPO), `--rounds N`. Prints p50 per query and server, the ratio of the
medians per query, and the median and largest ratio. Issue 13's target: median at most 1.3x, none
above 1.6x.
"""

from __future__ import annotations

import argparse
import http.client
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import quote, urlencode

from servers import Server

from clinkg.loaders.pipeline import load_articles
from clinkg.loaders.vocabularies.hpo import load_hpo
from clinkg.server import DEFAULTS
from clinkg.store.oxigraph import OxigraphStore

ARTICLES = Path(__file__).resolve().parents[1] / "data" / "articles"
RDFS = "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
# (name, query, Accept): the kinds of request issue 13 names.
QUERIES = (
    ("COUNT", "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", "application/sparql-results+json"),
    (
        "200-row SELECT",
        "SELECT ?s ?p ?o WHERE { ?s ?p ?o } LIMIT 200",
        "application/sparql-results+json",
    ),
    (
        "label scan",
        RDFS + 'SELECT ?s ?l WHERE { ?s rdfs:label ?l FILTER(CONTAINS(LCASE(?l), "pain")) }',
        "application/sparql-results+json",
    ),
    ("CONSTRUCT", "CONSTRUCT WHERE { ?s ?p ?o } LIMIT 200", "application/n-triples"),
)


FIXED_COST = ("ASK {} (fixed)", "ASK {}", "application/sparql-results+json")


def post(connection: http.client.HTTPConnection, path: str, query: str, accept: str) -> float:
    """Seconds for one form-encoded POST of `query` (the whole body read)."""
    headers = {"Content-Type": "application/x-www-form-urlencoded", "Accept": accept}
    started = time.perf_counter()
    connection.request("POST", path, body=urlencode({"query": query}), headers=headers)
    response = connection.getresponse()
    body = response.read()
    seconds = time.perf_counter() - started
    if response.status != 200:
        raise SystemExit(f"bench: POST {path} answered {response.status}: {body[:200]!r}")
    return seconds


def side_by_side(clinkg_port: int, oxigraph_port: int, rounds: int) -> list[float]:
    """Per query: p50 and fastest of each server, the ratio of the p50s; the ratios.

    `ASK {}` comes first, apart: it is what each server adds to any query (HTTP, dispatch, and
    for clinkg the hop to a worker process), and is not one of the issue's four.
    """
    ours = http.client.HTTPConnection("127.0.0.1", clinkg_port, timeout=60)
    theirs = http.client.HTTPConnection("127.0.0.1", oxigraph_port, timeout=60)
    ratios = []
    print(
        f"  {'query':16} {'clinkg p50 (min)':>20} {'oxigraph p50 (min)':>20}"
        f" {'ratio p50 (min)':>17}"
    )
    for name, query, accept in (FIXED_COST, *QUERIES):
        samples: tuple[list[float], list[float]] = ([], [])
        for round_ in range(rounds + 5):  # five warm-up rounds
            timed = (post(ours, "/sparql", query, accept), post(theirs, "/query", query, accept))
            if round_ >= 5:
                samples[0].append(timed[0])
                samples[1].append(timed[1])
        clinkg, oxigraph = (statistics.median(s) * 1000 for s in samples)
        fastest = [min(s) * 1000 for s in samples]
        if name != FIXED_COST[0]:
            ratios.append(clinkg / oxigraph)
        print(
            f"  {name:16} {clinkg:8.2f} ({fastest[0]:5.2f}) ms"
            f" {oxigraph:8.2f} ({fastest[1]:5.2f}) ms"
            f" {clinkg / oxigraph:8.2f}x ({fastest[0] / fastest[1]:4.2f}x)"
        )
    return ratios


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=200, help="timed rounds per query")
    parser.add_argument("--hpo", action="store_true", help="load the full HPO too")
    parser.add_argument(
        "--niceness",
        type=int,
        default=int(DEFAULTS["QUERY_NICENESS"]),
        help="nice increment of clinkg's query workers and of the Oxigraph server",
    )
    args = parser.parse_args(argv)
    print(
        f"clinkg /sparql vs oxigraph serve-read-only  cpus={os.cpu_count()}  "
        f"niceness={args.niceness}  load average={os.getloadavg()[0]:.2f} at start"
    )
    with tempfile.TemporaryDirectory(prefix="clinkg-bench-") as folder:
        store_dir = Path(folder) / "store"
        store = OxigraphStore(store_dir)
        load_articles(sorted(ARTICLES.glob("*.txt")), store)
        if args.hpo:
            load_hpo(store)
        triples = store.select("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")
        print(f"  store: {triples[0]['n']} triples")
        store.close()
        del store
        os.environ["CLINKG_QUERY_NICENESS"] = str(args.niceness)
        clinkg = Server("clinkg", store_dir, "/sparql?query=" + quote("ASK {}"))
        try:
            probe = "/query?query=" + quote("ASK {}")
            oxigraph = Server("oxigraph", store_dir, probe, niceness=args.niceness)
            try:
                ratios = side_by_side(clinkg.port, oxigraph.port, args.rounds)
            finally:
                oxigraph.stop()
        finally:
            clinkg.stop()
    print(
        f"  median ratio {statistics.median(ratios):.2f}x, largest {max(ratios):.2f}x "
        f"(target: median <= 1.3x, none above 1.6x)"
    )
    print(f"load average={os.getloadavg()[0]:.2f} at end")
    return 0


if __name__ == "__main__":
    sys.exit(main())
