"""Reasoning time as the graph grows: 1, 2, 4 ... copies of the bundled articles' asserted
graphs, each copy under its own IRIs, reasoned over with the ontology as a load would: by the
compiled rules (what `clinkg load` runs) and, with --hermit, by HermiT as well.

Run: .venv/bin/python bench/reasoning.py [max-copies] [--hermit]   (default 16; prints a table
of CPU seconds, as issue 11 measured them; HermiT's include its Java process)
Targets (issue 11): compiled rules on 16 copies <= 1 s, and time(16) / time(1) <= 20.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.term import Node

from clinkg.loaders.build.graph import ontology_graph
from clinkg.loaders.extract.facts import Entity
from clinkg.loaders.pipeline import build_article, read_article
from clinkg.loaders.reason.reasoner import reason
from clinkg.loaders.reason.rules import apply_rules, prepare
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


def copy_of(graph: Graph, index: int) -> list[tuple[Node, Node, Node]]:
    """The graph with every data IRI moved under id/copy-N/ (the ontology's terms kept)."""

    def moved(term: Node) -> Node:
        if isinstance(term, URIRef) and term.startswith(str(ID)):
            return URIRef(f"{ID}copy-{index}/{term[len(str(ID)) :]}")
        return term

    return [(moved(s), p, moved(o)) for s, p, o in graph]


def cpu_with_children() -> float:
    """CPU seconds of this process and of the children it waited for (HermiT's JVM)."""
    times = os.times()
    return times.user + times.system + times.children_user + times.children_system


def main(max_copies: int, hermit: bool) -> None:
    """Print copies, asserted triples, inferred triples and reasoning seconds."""
    ontology = ontology_graph()
    prepared = prepare(ontology)
    base = asserted_graph(ontology)
    print(f"{len(ARTICLES)} articles, {len(base)} asserted triples per copy")
    print(f"{'copies':>6} {'triples':>8} {'inferred':>8} {'rules s':>8} {'ratio':>6}"
          + (f" {'HermiT s':>9} {'same':>5}" if hermit else ""))  # fmt: skip
    copies, first = 1, 0.0
    while copies <= max_copies:
        triples = [t for index in range(copies) for t in copy_of(base, index)]
        started = time.process_time()
        inference = apply_rules(triples, prepared)
        seconds = time.process_time() - started
        first = first or seconds
        line = f"{copies:>6} {len(triples):>8} {len(inference.triples):>8} {seconds:>8.3f}"
        line += f" {seconds / first:>6.1f}"
        if hermit:
            graph = Graph()
            for triple in triples:
                graph.add(triple)
            started = cpu_with_children()
            oracle = reason(graph, ontology)
            same = oracle.triples == inference.triples
            line += f" {cpu_with_children() - started:>9.2f} {'yes' if same else 'NO':>5}"
        print(line, flush=True)
        copies *= 2


if __name__ == "__main__":
    numbers = [arg for arg in sys.argv[1:] if arg.isdigit()]
    main(int(numbers[0]) if numbers else 16, "--hermit" in sys.argv[1:])
