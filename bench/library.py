"""A library growing to N articles: `load_articles` (what `clinkg load` runs) into one on-disk
store, all N in one batch or one article at a time, with the load time of each next article
and the process's peak memory.

Times: "seconds" is wall-clock for the batch, and the sum of the loads' CPU seconds one at a
time ("first" and "next": CPU seconds of the first and of the (N+1)th load); "cpu s" is the
whole run's CPU. On a shared machine read wall-clock with the load average.

The N articles are the six in ../shared/articles/ over and over, each copy under its own file
name (so its own graph), and with its entities (conditions, medications, references ...)
renamed by copy, so that nothing merges across copies: every copy is a new article.

A batch is built by $CLINKG_LOAD_WORKERS processes (default one per CPU; loaders/batch.py):
"peak MB" is the loading process's own peak, "worker MB" the largest worker's (forked, they
share most of their pages with it).

Run: .venv/bin/python bench/library.py [N ...] [--one-at-a-time] [--batch] [--workers W ...]
     (default: 1 10 100, both modes, the default workers; each configuration in its own
     process, for its peak memory)
Targets (issue 11): 100 articles <= 60 s, the 101st article's load within 1.5x of the first's,
peak memory <= 1.5 GB.
"""

from __future__ import annotations

import itertools
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.term import Node

from clinkg.config import load_workers
from clinkg.loaders import pipeline
from clinkg.loaders.extract.facts import ArticleFacts
from clinkg.loaders.stored_graphs import ARTICLE_IDS, ENTITY_IDS
from clinkg.store.oxigraph import OxigraphStore

SHARED = Path(__file__).resolve().parents[2] / "shared" / "articles"
SOURCES = sorted(SHARED.glob("*.txt"))


def write_articles(folder: Path, count: int) -> list[Path]:
    """`count` article files: copy i of source i % 6, named so that its graph is its own, and
    asking its own question, so the library takes it as another article, not a new version."""
    paths = []
    for index in range(count):
        source = SOURCES[index % len(SOURCES)]
        path = folder / f"{source.stem}-copy-{index}.txt"
        question, rest = source.read_text(encoding="utf-8").split("\n", 1)
        path.write_text(f"{question.rstrip('?')} (copy {index})?\n{rest}", encoding="utf-8")
        paths.append(path)
    return paths


def renamed_build(facts: ArticleFacts) -> Graph:
    """The article's graph with every entity IRI renamed by the article: nothing merges."""
    suffix = "--" + facts.article.slug
    graph = Graph()

    def moved(term: Node) -> Node:
        iri = str(term) if isinstance(term, URIRef) else ""
        if iri.startswith(ENTITY_IDS) and not iri.startswith(ARTICLE_IDS):
            return URIRef(iri + suffix)
        return term

    for s, p, o in ORIGINAL_BUILD(facts):
        graph.add((moved(s), p, moved(o)))
    return graph


ORIGINAL_BUILD = pipeline.build_graph
KEYS = ("articles", "mode", "workers", "seconds", "cpu_seconds", "first", "next", "peak_mb")
KEYS += ("worker_mb",)
WIDTHS = (8, 14, 7, 8, 7, 6, 6, 8, 9)


def run(count: int, one_at_a_time: bool, workers: int | None) -> dict[str, object]:
    """Load `count` articles (one more, one at a time) and time it."""
    pipeline.build_graph = renamed_build  # type: ignore[assignment]
    with tempfile.TemporaryDirectory() as folder:
        paths = write_articles(Path(folder), count + (1 if one_at_a_time else 0))
        store = OxigraphStore(Path(folder) / "store")
        started, cpu = time.perf_counter(), time.process_time()
        loads: list[float] = []
        if one_at_a_time:
            for path in paths:
                begun = time.process_time()
                pipeline.load_articles([path], store, workers=workers)
                loads.append(time.process_time() - begun)
            total = sum(loads[:count])
        else:
            pipeline.load_articles(paths, store, workers=workers)
            total = time.perf_counter() - started
        store.close()
    if loads:
        marks = [n for n in (1, 10, 100, 1000) if n <= count]
        for n in marks:
            print(f"after {n} loads: {sum(loads[:n]):.1f} CPU s; load {n + 1}: {loads[n]:.2f}"
                  " CPU s", file=sys.stderr)  # fmt: skip
    return {
        "articles": count,
        "mode": "one at a time" if one_at_a_time else "batch",
        "workers": load_workers(workers),
        "seconds": round(total, 2),
        "cpu_seconds": round(time.process_time() - cpu, 2),
        "first": round(loads[0], 2) if loads else None,
        "next": round(loads[-1], 2) if loads else None,
        "peak_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        "worker_mb": round(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024) or None,
    }


def main(args: list[str]) -> None:
    workers = [int(args[i + 1]) for i, a in enumerate(args) if a == "--workers"]
    if "--child" in args:
        count = int(args[args.index("--child") + 1])
        print(json.dumps(run(count, "--one-at-a-time" in args, (workers or [None])[0])))
        return
    counts = [int(a) for i, a in enumerate(args) if a.isdigit() and args[i - 1] != "--workers"]
    modes = [m for m in ("--batch", "--one-at-a-time") if m in args]
    header = ("articles", "mode", "workers", "seconds", "cpu s", "first", "next", "peak MB")
    header += ("worker MB",)
    print(" ".join(f"{name:>{w}}" for name, w in zip(header, WIDTHS, strict=True)))
    for count, mode, worker in itertools.product(
        counts or [1, 10, 100], modes or ["--batch", "--one-at-a-time"], workers or [None]
    ):
        command = [sys.executable, __file__, "--child", str(count), mode]
        command += ["--workers", str(worker)] if worker is not None else []
        done = subprocess.run(command, check=True, capture_output=True, text=True)
        row = json.loads(done.stdout.splitlines()[-1])
        for line in done.stderr.splitlines():
            if line.startswith("after"):
                print("   ", line)
        cells = [row[key] if row[key] is not None else "" for key in KEYS]
        print(" ".join(f"{c!s:>{w}}" for c, w in zip(cells, WIDTHS, strict=True)), flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
