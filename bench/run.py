"""clinkg benchmark: load, canned answers in process and over HTTP, /sparql vs oxigraph serve.

Run from the repository: `.venv/bin/python bench/run.py` (both sizes) or `--sizes articles`.
Every server listens on loopback only; client load is bounded in count and time.
"""

from __future__ import annotations

import argparse
import gc
import http.client
import itertools
import json
import os
import resource
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from urllib.parse import quote, urlencode

from servers import Server

from clinkg.loaders.pipeline import load_articles
from clinkg.loaders.vocabularies.hpo import load_hpo
from clinkg.registry import Catalogue, allowed_values, load_catalogue
from clinkg.server.answers import answer_question
from clinkg.sparql_requests import bind_values
from clinkg.store.oxigraph import OxigraphStore

ARTICLES = Path(__file__).resolve().parents[1] / "data" / "articles"
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
Asked = tuple[str, dict[str, str], str]  # question id, params by label, bound SPARQL


def percentiles(samples: list[float]) -> tuple[float, float]:
    """p50 and p99 in milliseconds."""
    cuts = statistics.quantiles(samples, n=100, method="inclusive")
    return statistics.median(samples) * 1000, cuts[98] * 1000


def timed(run: Callable[[], object], rounds: int) -> list[float]:
    """Seconds per call of `run`, after three warm-up calls."""
    for _ in range(3):
        run()
    samples = []
    for _ in range(rounds):
        started = time.perf_counter()
        run()
        samples.append(time.perf_counter() - started)
    return samples


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def load(store_dir: Path, size: str) -> None:
    """Load the articles (and HPO) into an on-disk store, printing time and triples/s."""
    store = OxigraphStore(store_dir)
    started = time.perf_counter()
    report = load_articles(sorted(ARTICLES.glob("*.txt")), store)
    seconds = time.perf_counter() - started
    triples = int(str(store.select(COUNT)[0]["n"]))
    print(
        f"  load articles        {seconds:7.2f} s  {triples:>9,} triples  "
        f"{triples / seconds:>10,.0f} triples/s"
    )
    del report
    if size == "hpo":
        hpo = load_hpo(store)
        print(
            f"  load HPO (bulk)      {hpo.seconds:7.2f} s  {hpo.triples:>9,} triples  "
            f"{hpo.triples / hpo.seconds:>10,.0f} triples/s"
        )
    store.close()
    print(f"  loader peak RSS      {peak_rss_mb():7.0f} MB (this process so far)")


def choose(store: OxigraphStore, catalogue: Catalogue) -> list[Asked]:
    """Each question with the first parameter values (in label order) that give an answer."""
    chosen: list[Asked] = []
    for question in catalogue.questions():
        options = [allowed_values(store, catalogue, p.values)[:6] for p in question.params]
        fallback: Asked | None = None
        for combo in itertools.product(*options):
            labels = {p.name: v.label for p, v in zip(question.params, combo, strict=True)}
            iris = {p.name: v.iri for p, v in zip(question.params, combo, strict=True)}
            asked = (question.id, labels, bind_values(question.sparql, iris))
            fallback = fallback or asked
            if answer_question(store, catalogue, question.id, labels).answers:
                chosen.append(asked)
                break
        else:
            if fallback is not None:
                chosen.append(fallback)
    return chosen


def in_process(store_dir: Path, rounds: int) -> list[Asked]:
    store = OxigraphStore(store_dir)
    catalogue = load_catalogue()
    asked = choose(store, catalogue)
    print("  canned answers in process (answer_question: parameters, query, evidence)")
    for question_id, labels, _ in asked:
        samples = timed(partial(answer_question, store, catalogue, question_id, labels), rounds)
        p50, p99 = percentiles(samples)
        count = len(answer_question(store, catalogue, question_id, labels).answers)
        print(
            f"    {question_id:28} p50 {p50:7.2f} ms  p99 {p99:7.2f} ms  "
            f"{count:4} answers  {json.dumps(labels)[:60]}"
        )
    del store
    gc.collect()
    return asked


def get(connection: http.client.HTTPConnection, path: str) -> bytes:
    connection.request("GET", path)
    response = connection.getresponse()
    body = response.read()
    if response.status != 200:
        raise SystemExit(f"bench: GET {path} answered {response.status}: {body[:200]!r}")
    return body


def sparql(connection: http.client.HTTPConnection, path: str, query: str) -> bytes:
    headers = {
        "Content-Type": "application/x-www-form-urlencoded",
        "Accept": "application/sparql-results+json",
    }
    connection.request("POST", path, body=urlencode({"query": query}), headers=headers)
    response = connection.getresponse()
    body = response.read()
    if response.status != 200:
        raise SystemExit(f"bench: POST {path} answered {response.status}: {body[:200]!r}")
    return body


def api_path(question_id: str, labels: dict[str, str]) -> str:
    return f"/api/questions/{quote(question_id)}" + (f"?{urlencode(labels)}" if labels else "")


def throughput(port: int, paths: list[str], clients: int, limit: int, seconds: float) -> None:
    """Requests/s of `clients` threads cycling through `paths`, bounded in count and time."""
    done = [0] * clients
    deadline = time.perf_counter() + seconds

    def client(index: int) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        for path in itertools.islice(itertools.cycle(paths), index, None):
            if sum(done) >= limit or time.perf_counter() > deadline:
                return
            get(connection, path)
            done[index] += 1

    started = time.perf_counter()
    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    print(
        f"  {clients} clients, canned answers over HTTP: {sum(done) / elapsed:8.0f} req/s "
        f"({sum(done)} requests in {elapsed:.1f} s)"
    )


def over_http(store_dir: Path, asked: list[Asked], rounds: int, clients: int) -> None:
    first = api_path(asked[0][0], asked[0][1])
    server = Server("clinkg", store_dir, first)
    print(f"  clinkg serve: start to first canned answer {server.first_answer_seconds:6.2f} s")
    clinkg_sparql: dict[str, tuple[float, float]] = {}
    try:
        connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
        print("  canned answers over HTTP (GET /api/questions/<id>)")
        for question_id, labels, _ in asked:
            path = api_path(question_id, labels)
            p50, p99 = percentiles(timed(partial(get, connection, path), rounds))
            print(f"    {question_id:28} p50 {p50:7.2f} ms  p99 {p99:7.2f} ms")
        for question_id, _, query in asked:
            samples = timed(partial(sparql, connection, "/sparql", query), rounds)
            clinkg_sparql[question_id] = percentiles(samples)
        paths = [api_path(q, labels) for q, labels, _ in asked]
        throughput(server.port, paths, clients, limit=4000, seconds=10.0)
        print(f"  clinkg serve peak RSS {server.peak_memory_mb():7.0f} MB")
    finally:
        server.stop()
    compare_sparql(store_dir, asked, rounds, clinkg_sparql)


def compare_sparql(
    store_dir: Path, asked: list[Asked], rounds: int, clinkg: dict[str, tuple[float, float]]
) -> None:
    server = Server("oxigraph", store_dir, "/query?query=" + quote("ASK {}"))
    print(f"  oxigraph serve-read-only: start to first answer {server.first_answer_seconds:6.2f} s")
    try:
        connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
        print("  same query text, JSON results: clinkg /sparql vs oxigraph /query (p50, p99 ms)")
        for question_id, _, query in asked:
            theirs = percentiles(timed(partial(sparql, connection, "/query", query), rounds))
            ours = clinkg[question_id]
            print(
                f"    {question_id:28} clinkg {ours[0]:6.2f} {ours[1]:7.2f}  oxigraph "
                f"{theirs[0]:6.2f} {theirs[1]:7.2f}  ratio p50 {ours[0] / theirs[0]:5.2f}x"
            )
        print(f"  oxigraph serve peak RSS {server.peak_memory_mb():7.0f} MB")
    finally:
        server.stop()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="articles,hpo", help="articles, hpo or both")
    parser.add_argument("--rounds", type=int, default=100, help="timed calls per question")
    parser.add_argument("--clients", type=int, default=8)
    args = parser.parse_args(argv)
    print(
        f"clinkg benchmark  cpus={os.cpu_count()}  load average={os.getloadavg()[0]:.2f} "
        f"(1 min) at start"
    )
    for size in args.sizes.split(","):
        print(f"\n== {size}: {'articles alone' if size == 'articles' else 'articles + full HPO'}")
        with tempfile.TemporaryDirectory(prefix="clinkg-bench-") as folder:
            store_dir = Path(folder) / "store"
            load(store_dir, size)
            gc.collect()
            asked = in_process(store_dir, args.rounds)
            over_http(store_dir, asked, args.rounds, args.clients)
    print(f"\nload average={os.getloadavg()[0]:.2f} (1 min) at end")
    return 0


if __name__ == "__main__":
    sys.exit(main())
