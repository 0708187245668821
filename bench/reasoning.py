"""Reasoning time as the graph grows: 1, 2, 4 ... copies of the bundled articles' asserted
graphs, each copy under its own IRIs, reasoned over with the ontology as a load would.

Run: .venv/bin/python bench/reasoning.py [max-copies]   (default 16; prints a table)
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.term import Node

from clinkg.loaders.build.graph import ontology_graph
from clinkg.loaders.extract.facts import Entity
from clinkg.loaders.pipeline import build_article, read_article
from clinkg.loaders.reason.reasoner import reason
from clinkg.ontology.namespaces import ID

ARTICLES = sorted((Path(__file__).resolve().parents[1] / "data" / "articles").glob("*.txt"))


def asserted_graph(ontology: Graph) -> Graph:
    """Every bundled article built as one load would build it, merged."""
    merged = Graph()
    known: tuple[Entity, ...] = ()
    for path in ARTICLES:
        article, _ = read_article(path)
        loaded = build_article(article, known, ontology)
        known = (*known, *loaded.facts.entities)
        merged += loaded.graph
    return merged


def copy_of(graph: Graph, index: int) -> Graph:
    """The graph with every data IRI moved under id/copy-N/ (the ontology's terms kept)."""

    def moved(term: Node) -> Node:
        if isinstance(term, URIRef) and term.startswith(str(ID)):
            return URIRef(f"{ID}copy-{index}/{term[len(str(ID)) :]}")
        return term

    copied = Graph()
    for s, p, o in graph:
        copied.add((moved(s), p, moved(o)))
    return copied


def main(max_copies: int) -> None:
    """Print copies, asserted triples, inferred triples and reasoning seconds."""
    ontology = ontology_graph()
    base = asserted_graph(ontology)
    print(f"{len(ARTICLES)} articles, {len(base)} asserted triples per copy")
    print(f"{'copies':>6} {'triples':>8} {'inferred':>8} {'seconds':>8}")
    copies = 1
    while copies <= max_copies:
        graph = Graph()
        for index in range(copies):
            graph += copy_of(base, index)
        started = time.perf_counter()
        inference = reason(graph, ontology)
        seconds = time.perf_counter() - started
        print(f"{copies:>6} {len(graph):>8} {len(inference.graph):>8} {seconds:>8.2f}", flush=True)
        copies *= 2


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 16)
