"""The compiled rules run in an in-memory Oxigraph store: strata in order, recursive ones to a
fixpoint, then the checks; what the rules added is the inference, read out as HermiT's is.

The input goes in as one N-Triples text (only the triples the program can read: whose
predicate it names, or whose class), and the candidates come out as one (the store's
serialisation of what the rules added): no triple is converted term by term between rdflib and
Oxigraph.

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
from clinkg.loaders.reason.inference import Inference, kept, schema_terms
from clinkg.loaders.reason.ntriples import Written
from clinkg.loaders.reason.reasoner import reason
from clinkg.loaders.reason.refusals import Merge, clashes

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
    # lenient: the texts are this module's, from rdflib terms, not a user's file to validate
    for text in (prepared.facts.text, written.text):
        store.load(text, format=ox.RdfFormat.N_TRIPLES, lenient=True)
    earlier = ntriples.write(inferred).text
    for graph in (ox.DefaultGraph(), ox.NamedNode(DERIVED)):
        store.load(earlier, format=ox.RdfFormat.N_TRIPLES, to_graph=graph, lenient=True)
    saturate(store, program)
    found = clashes(store, program, data, prepared.ontology)
    if found:
        raise InconsistentGraph(found)
    triples = read_inferred(store, prepared, written, final(store, program))
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
    """Run every stratum in order; a rule runs only when its ASK says it would add a triple,
    and in a recursive stratum a run wakes the rules that read what it added (a worklist to
    the fixpoint). The rule runs made."""
    runs = 0
    for stratum, loops in zip(program.strata, program.recursive, strict=True):
        pending = list(stratum)
        while pending:
            rule = pending.pop(0)
            if not store.query(rule.ask):
                continue
            store.update(rule.text)
            runs += 1
            if loops:
                woken = [r for r in stratum if r.reads & rule.writes and r not in pending]
                pending.extend(woken)
    return runs


def final(store: ox.Store, program: Program) -> bytes:
    """What the final rules add to the saturated store, as N-Triples (not stored)."""
    texts: list[bytes] = []
    for rule in program.final:
        result = store.query(rule.construct)
        if not isinstance(result, ox.QueryTriples):
            raise TypeError(f"the final rule {rule.name!r} is not a CONSTRUCT")
        texts.append(result.serialize(format=ox.RdfFormat.N_TRIPLES) or b"")
    return b"\n".join(texts)


def read_inferred(
    store: ox.Store, prepared: Prepared, written: Written, constructed: bytes = b""
) -> frozenset[Triple]:
    """The added rdf:type triples of named individuals in kept classes, and the added links
    of kept object properties between IRIs: what HermiT's read-out gives. Added: what the
    rules wrote to DERIVED (each only if it was not there) and what the final rules
    `constructed`."""
    stored = store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.NamedNode(DERIVED))
    text = b"\n".join((stored or b"", constructed))
    typed = written.typed | prepared.facts.typed
    kept_class: dict[str, bool] = {}
    term = ntriples.Terms()
    found: list[Triple] = []
    for s, p, o in ntriples.iri_triples(set(text.decode().splitlines())):  # each line once
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
