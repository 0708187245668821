"""Extraction time per article, stage by stage: parse, citation alignment, extraction (entities,
scope, relations, statuses, statistics), build, and a whole load without and with reasoning.

Run: .venv/bin/python bench/extraction.py [rounds]   (default 5; prints a table in ms, medians)
The first round in a process also pays for the lexicons (HPO, ICD-10-CM, drugs, spaCy/medspaCy);
that one-off cost is printed apart.
"""

from __future__ import annotations

import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

from clinkg.loaders.build.graph import build_graph
from clinkg.loaders.extract.article import extract_article
from clinkg.loaders.parse.article import decode_article, parse_article
from clinkg.loaders.parse.citations import align_citations
from clinkg.loaders.pipeline import load_articles
from clinkg.store.oxigraph import OxigraphStore

ROOT = Path(__file__).resolve().parents[1]
ARTICLES = sorted((ROOT / "data" / "articles").glob("*.txt"))
ARTICLES += sorted((ROOT / "tests" / "fixtures" / "articles").glob("*.txt"))


def median_ms(step: Callable[[], object], rounds: int) -> float:
    """Median wall time of a step over some rounds, in milliseconds."""
    times = []
    for _ in range(rounds):
        started = time.perf_counter()
        step()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def warm_up() -> float:
    """Seconds the first extraction takes: the lexicons and pipelines load once per process."""
    started = time.perf_counter()
    path = ARTICLES[0]
    article = parse_article(decode_article(path.read_bytes(), path.name), path.name)
    extract_article(article, align_citations(article))
    return time.perf_counter() - started


def row(path: Path, rounds: int) -> list[str]:
    """One article's figures."""
    text = decode_article(path.read_bytes(), path.name)
    article = parse_article(text, path.name)
    alignment = align_citations(article)
    facts = extract_article(article, alignment)
    figures = [
        median_ms(lambda: parse_article(text, path.name), rounds),
        median_ms(lambda: align_citations(article), rounds),
        median_ms(lambda: extract_article(article, alignment), rounds),
        median_ms(lambda: build_graph(facts), rounds),
        median_ms(lambda: load_articles([path], OxigraphStore(None), reasoning=False), 1),
        median_ms(lambda: load_articles([path], OxigraphStore(None), reasoning=True), 1),
    ]
    return [path.stem, str(len(article.statements)), *(f"{f:,.0f}" for f in figures)]


def main() -> None:
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    print(f"first extraction in a process (lexicons, spaCy, medspaCy): {warm_up():.1f} s")
    header = ["article", "statements", "parse", "align", "extract", "build", "load", "+reason"]
    rows = [header, *(row(path, rounds) for path in ARTICLES)]
    widths = [max(len(r[i]) for r in rows) for i in range(len(header))]
    for r in rows:
        print(
            "  ".join(
                cell.rjust(w) if i else cell.ljust(w)
                for i, (cell, w) in enumerate(zip(r, widths, strict=True))
            )
        )


if __name__ == "__main__":
    main()
