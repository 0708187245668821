"""The compiled rules run in an in-memory Oxigraph store: strata in order, recursive ones to a
fixpoint, then the checks; what the rules added is the inference, read out as HermiT's is.

The input goes in as one N-Triples text (only the triples whose predicate the program names),
and the candidates come out as one (the store's serialisation of its types and links), less
the lines the input was: no triple is converted term by term between rdflib and Oxigraph.

Pure apart from the in-memory store it makes and drops.
"""

from __future__ import annotations

import gc
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache

import pyoxigraph as ox
from rdflib import OWL, RDF, BNode, Graph, URIRef
from rdflib.term import Node

from clinkg.errors import InconsistentGraph
from clinkg.loaders.build.graph import ontology_graph
from clinkg.loaders.reason import ntriples
from clinkg.loaders.reason.compiler import DERIVED, Program, compile_ontology
from clinkg.loaders.reason.expressions import Key
from clinkg.loaders.reason.inference import Inference, kept, schema_terms
from clinkg.loaders.reason.ntriples import Written
from clinkg.loaders.reason.reasoner import reason
from clinkg.loaders.reason.refusals import Merge, clashes
from clinkg.loaders.reason.templates import fill

COUNT_TYPE = "SELECT (COUNT(*) AS ?n) WHERE { ?s a $cls }"
COUNT_LINK = "SELECT (COUNT(*) AS ?n) WHERE { ?s $prop ?o }"
Triple = tuple[Node, Node, Node]


@dataclass(frozen=True, eq=False)
class Prepared:
    """What reasoning needs of one ontology, made once: its program, the individuals it
    describes (the vocabulary's concepts) as N-Triples, and the terms the read-out filters by."""

    program: Program
    ontology: Graph
    facts: Written  # the ontology's triples about named individuals (the vocabulary's)
    named: frozenset[str]  # the IRIs the program names (`<iri>`): what input it can read
    links: frozenset[str]  # rdf:type and the kept object properties (`<iri>`): what is read out
    schema: frozenset[str]  # classes, properties ... (`<iri>`): never individuals


def prepare(ontology: Graph) -> Prepared:
    """Compile the ontology (UnsupportedAxiom if it uses what the compiler does not cover)."""
    schema = schema_terms(ontology)
    facts = Graph()
    for s, p, o in ontology:
        if isinstance(s, URIRef) and s not in schema and not isinstance(o, BNode):
            facts.add((s, p, o))
    program = compile_ontology(ontology)
    properties = [p for p in ontology.subjects(RDF.type, OWL.ObjectProperty) if kept(str(p))]
    return Prepared(
        program=program,
        ontology=ontology,
        facts=ntriples.write(facts),
        named=program.named,
        links=frozenset(ntriples.term_text(p) for p in (RDF.type, *properties)),
        schema=frozenset(ntriples.term_text(term) for term in schema),
    )


@cache
def bundled() -> Prepared:
    """The bundled ontology and vocabulary, prepared once per process."""
    return prepare(ontology_graph())


def classify(
    asserted: Iterable[Triple], prepared: Prepared, inferred: Iterable[Triple] = ()
) -> Inference:
    """The compiled rules' inference, or HermiT's where only a merge of two individuals
    (which the rules do not follow) can decide."""
    data = list(asserted)
    try:
        return apply_rules(data, prepared, inferred)
    except Merge:
        graph = Graph()
        for triple in (*data, *inferred):
            graph.add(triple)
        return reason(graph, prepared.ontology)


def apply_rules(
    asserted: Iterable[Triple], prepared: Prepared, inferred: Iterable[Triple] = ()
) -> Inference:
    """Classify the asserted triples (with what was inferred before, if any) under the
    prepared ontology with its compiled rules; InconsistentGraph if a check finds a clash,
    Merge if only HermiT can decide."""
    with _without_cycle_collection():
        return _apply_rules(asserted, prepared, inferred)


@contextmanager
def _without_cycle_collection() -> Iterator[None]:
    """The cyclic garbage collector paused: the read-out makes one tuple per inferred triple,
    none of them cyclic, and each full collection meanwhile walks every live object (the
    caller's input included), which made the cost grow faster than the input."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _apply_rules(
    asserted: Iterable[Triple], prepared: Prepared, inferred: Iterable[Triple]
) -> Inference:
    started = time.perf_counter()
    program = prepared.program
    data = list(asserted)
    written = ntriples.write(data, prepared.named)
    store = ox.Store()
    for text in (prepared.facts.text, written.text):
        store.load(text, format=ox.RdfFormat.N_TRIPLES)
    earlier = ntriples.write(inferred).text
    for graph in (ox.DefaultGraph(), ox.NamedNode(DERIVED)):
        store.load(earlier, format=ox.RdfFormat.N_TRIPLES, to_graph=graph)
    saturate(store, program)
    found = clashes(store, program, data, prepared.ontology)
    if found:
        raise InconsistentGraph(found)
    triples = read_inferred(store, prepared, written)
    rdf_type = RDF.type
    types = sum(1 for _, p, _ in triples if p == rdf_type)
    return Inference(
        triples=triples,
        seconds=time.perf_counter() - started,
        members=_members(store, program),
        inferred_types=types,
        inferred_links=len(triples) - types,
        engine="compiled rules",
    )


def saturate(store: ox.Store, program: Program) -> int:
    """Run every stratum in order; in a recursive one, a rule runs again only after a rule
    added a triple of a kind it reads (a worklist to the fixpoint). The rule runs made."""
    runs = 0
    for stratum, loops in zip(program.strata, program.recursive, strict=True):
        pending = list(stratum)
        while pending:
            rule = pending.pop(0)
            before = _count(store, rule.writes) if loops else 0
            store.update(rule.text)
            runs += 1
            if loops and _count(store, rule.writes) != before:
                woken = [r for r in stratum if r.reads & rule.writes and r not in pending]
                pending.extend(woken)
    return runs


def _count(store: ox.Store, keys: frozenset[Key]) -> int:
    """Triples of the given kinds in the store (what a rule of a recursive stratum writes)."""
    total = 0
    for kind, term in keys:
        query = fill(COUNT_TYPE, cls=term) if kind == "type" else fill(COUNT_LINK, prop=term)
        for row in store.query(query):  # type: ignore[union-attr]
            total += int(row[0].value)
    return total


def read_inferred(store: ox.Store, prepared: Prepared, written: Written) -> frozenset[Triple]:
    """The added rdf:type triples of named individuals in kept classes, and the added links
    of kept object properties between IRIs: what HermiT's read-out gives. Added: what the
    rules wrote to DERIVED (each only if it was not there)."""
    text = store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.NamedNode(DERIVED))
    typed = written.typed | prepared.facts.typed
    kept_class: dict[str, bool] = {}
    term = ntriples.Terms()
    found: list[Triple] = []
    for s, p, o in ntriples.iri_triples((text or b"").decode().splitlines()):
        if p not in prepared.links:
            continue
        if p == ntriples.RDF_TYPE:
            if o not in kept_class:
                kept_class[o] = kept(o[1:-1])
            if s not in typed or s in prepared.schema or not kept_class[o]:
                continue
        found.append((term(s), term(p), term(o)))
    return frozenset(found)


def _members(store: ox.Store, program: Program) -> dict[URIRef, int]:
    counted = {
        URIRef(row[0].value): int(row[1].value)
        for row in store.query(program.members)  # type: ignore[union-attr]
    }
    return {cls: counted.get(cls, 0) for cls in program.defined}


__all__ = ["Merge", "Prepared", "apply_rules", "bundled", "classify", "prepare", "saturate"]
