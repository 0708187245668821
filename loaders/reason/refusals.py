"""The compiled checks run on a saturated store, their rows turned into the plain-words
refusal a load gives (worded by inconsistency.py, as HermiT's refusals are)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

import pyoxigraph as ox
from rdflib import OWL, RDFS, SKOS, XSD, Graph, Literal, URIRef
from rdflib.term import Node

from clinkg.errors import ClinkgError
from clinkg.loaders.reason.compiler import Check, Program
from clinkg.loaders.reason.inconsistency import disjoint_clashes, distinct, functional_clash, name
from clinkg.store.oxigraph import from_oxigraph

Row = tuple[Node, ...]
LABELS = frozenset({SKOS.prefLabel, RDFS.label})


class Merge(ClinkgError):
    """A functional property with two values the rules cannot tell apart: OWL merges them into
    one individual, which the rules do not follow, so HermiT must reason over this load."""

    def __init__(self, subject: Node, prop: Node, a: Node, b: Node) -> None:
        self.triple = (subject, prop, a, b)
        super().__init__(f"{subject.n3()} has two {prop.n3()} values, {a.n3()} and {b.n3()}")


@dataclass(frozen=True)
class Found:
    """The rows of every check, by kind."""

    rows: dict[str, list[Row]]

    def of(self, kind: str) -> list[Row]:
        return self.rows.get(kind, [])


def clashes(
    store: ox.Store, program: Program, asserted: Iterable[tuple[Node, Node, Node]], ontology: Graph
) -> list[str]:
    """The sentences of every clash the checks find (none: consistent). Merge when the only
    finding is a merge of two individuals, which HermiT must judge."""
    found = Found({})
    for check in program.checks:
        found.rows.setdefault(check.kind, []).extend(_rows(store, check))
    if not any(found.rows.values()):
        return []
    offenders = {row[0] for rows in found.rows.values() for row in rows}
    graph = _about(offenders, asserted, ontology)
    sentences = [
        *_disjoint(graph, found.of("disjoint")),
        *_functional(graph, found.of("functional"), program),
        *(_union_domain(graph, row) for row in sorted(set(found.of("union-domain")))),
        *(_literal_range(graph, row) for row in sorted(set(found.of("literal-range")))),
    ]
    return list(dict.fromkeys(sentences))


def _rows(store: ox.Store, check: Check) -> Iterator[Row]:
    for solution in store.query(check.text):  # type: ignore[union-attr]
        yield tuple(from_oxigraph(value) for value in solution)


def _about(
    offenders: set[Node], asserted: Iterable[tuple[Node, Node, Node]], ontology: Graph
) -> Graph:
    """The ontology and the asserted triples that touch an offending individual: what the
    sentences name things and give reasons by."""
    graph = Graph()
    for triple in ontology:
        graph.add(triple)
    touching = [t for t in asserted if t[0] in offenders or t[2] in offenders]
    named = {node for s, _, o in touching for node in (s, o)}
    for triple in touching:
        graph.add(triple)
    for triple in asserted:
        if triple[0] in named and triple[1] in LABELS:
            graph.add(triple)
    return graph


def _disjoint(graph: Graph, rows: list[Row]) -> Iterator[str]:
    """The reasons the asserted triples give; for a clash only the definitions entail, the
    pair of classes."""
    by_individual: dict[Node, set[tuple[Node, Node]]] = {}
    for individual, first, second in rows:
        pair = (first, second) if str(first) < str(second) else (second, first)
        by_individual.setdefault(individual, set()).add(pair)
    for individual, pairs in sorted(by_individual.items(), key=lambda item: str(item[0])):
        explained = [*disjoint_clashes(graph, only={URIRef(str(individual))})]
        yield from explained
        if not explained:
            for first, second in sorted(pairs, key=str):
                yield (
                    f"{name(graph, individual)} would be both a {name(graph, first)} and a"
                    f" {name(graph, second)} (by what the ontology's definitions entail), and"
                    " the ontology declares these classes disjoint"
                )


def _functional(graph: Graph, rows: list[Row], program: Program) -> Iterator[str]:
    """Two values that cannot be one (literals of different values, individuals declared
    different) are a clash; two individuals not declared different are a Merge."""
    different = set(program.different)
    unique = {(row[0], row[1], frozenset(row[2:])): row for row in rows}
    merges: list[Row] = []
    for subject, prop, a, b in sorted(unique.values(), key=lambda row: tuple(map(str, row))):
        if distinct(a, b, different) or isinstance(a, Literal) != isinstance(b, Literal):
            yield functional_clash(graph, subject, prop, a, b)
        elif not isinstance(a, Literal):
            merges.append((subject, prop, a, b))
    if merges:
        raise Merge(*merges[0])


def _union_domain(graph: Graph, row: Row) -> str:
    individual, prop, value, cls = row
    domain = graph.value(prop, RDFS.domain)
    union = graph.value(domain, OWL.unionOf) if domain is not None else None
    options = [f"a {name(graph, m)}" for m in graph.items(union)] if union is not None else []
    either = " or ".join([", ".join(options[:-1]), options[-1]] if len(options) > 1 else options)
    return (
        f"{name(graph, individual)} is a {name(graph, cls)}, yet it has {name(graph, prop)}"
        f" {name(graph, value)}, which only {either} can have, and the ontology declares a"
        f" {name(graph, cls)} none of these"
    )


def _literal_range(graph: Graph, row: Row) -> str:
    individual, prop, value, datatype = row
    given: Node | str = "a language-tagged string"
    if isinstance(value, Literal) and not value.language:
        given = value.datatype or XSD.string
    return (
        f"{name(graph, individual)} has {name(graph, value)} ({_short(graph, given)}) as its"
        f" {name(graph, prop)}, which must be a {_short(graph, datatype)}"
    )


def _short(graph: Graph, term: Node | str) -> str:
    return graph.namespace_manager.normalizeUri(term) if isinstance(term, URIRef) else str(term)
