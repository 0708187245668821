"""The compiled rules run in an in-memory Oxigraph store: strata in order, recursive ones to a
fixpoint, then the checks; what the rules added is the inference, read out as HermiT's is.

Pure apart from the in-memory store it makes and drops.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache

import pyoxigraph as ox
from rdflib import OWL, RDF, BNode, Graph, URIRef
from rdflib.term import Node

from clinkg.errors import InconsistentGraph
from clinkg.loaders.build.graph import ontology_graph
from clinkg.loaders.reason.compiler import Program, compile_ontology
from clinkg.loaders.reason.expressions import Key
from clinkg.loaders.reason.inference import Inference, kept, schema_terms
from clinkg.loaders.reason.reasoner import reason
from clinkg.loaders.reason.refusals import Merge, clashes
from clinkg.store.oxigraph import from_oxigraph, to_oxigraph

ASSERTED = ox.NamedNode("urn:clinkg:reasoning:asserted")
COPY_ASSERTED = "INSERT { GRAPH <urn:clinkg:reasoning:asserted> { ?s ?p ?o } } WHERE { ?s ?p ?o }"
RDF_TYPE = ox.NamedNode(str(RDF.type))
# What the rules added (asserted triples they re-derive included; those are dropped on reading).
ADDED = """
SELECT ?s ?p ?o WHERE {
    ?s ?p ?o .
    FILTER(isIRI(?s) && isIRI(?o))
    FILTER NOT EXISTS { GRAPH <urn:clinkg:reasoning:asserted> { ?s ?p ?o } }
}
"""
Triple = tuple[Node, Node, Node]


@dataclass(frozen=True, eq=False)
class Prepared:
    """What reasoning needs of one ontology, made once: its program, the individuals it
    describes (the vocabulary's concepts) as N-Triples, and the terms the read-out filters by."""

    program: Program
    ontology: Graph
    facts: bytes  # the ontology's triples about named individuals, N-Triples
    object_properties: frozenset[Node]
    schema: frozenset[Node]


def prepare(ontology: Graph) -> Prepared:
    """Compile the ontology (UnsupportedAxiom if it uses what the compiler does not cover)."""
    schema = schema_terms(ontology)
    facts = Graph()
    for s, p, o in ontology:
        if isinstance(s, URIRef) and s not in schema and not isinstance(o, BNode):
            facts.add((s, p, o))
    return Prepared(
        program=compile_ontology(ontology),
        ontology=ontology,
        facts=facts.serialize(format="nt", encoding="utf-8"),
        object_properties=frozenset(ontology.subjects(RDF.type, OWL.ObjectProperty)),
        schema=frozenset(schema),
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
    started = time.perf_counter()
    program = prepared.program
    store = ox.Store()
    data = list(asserted)
    store.load(prepared.facts, format=ox.RdfFormat.N_TRIPLES)
    _load(store, data)
    _load(store, inferred, copy=False)
    saturate(store, program)
    found = clashes(store, program, data, prepared.ontology)
    if found:
        raise InconsistentGraph(found)
    inferred = read_inferred(store, prepared)
    types = sum(1 for _ in inferred.triples((None, RDF.type, None)))
    return Inference(
        graph=inferred,
        seconds=time.perf_counter() - started,
        members=_members(store, program),
        inferred_types=types,
        inferred_links=len(inferred) - types,
        engine="compiled rules",
    )


def _load(store: ox.Store, triples: Iterable[Triple], copy: bool = True) -> None:
    """The triples into the default graph (read by the rules) and, if `copy`, into ASSERTED
    (what the read-out leaves out)."""
    terms: dict[Node, ox.NamedNode | ox.BlankNode | ox.Literal] = {}

    def term(node: Node) -> ox.NamedNode | ox.BlankNode | ox.Literal:
        found = terms.get(node)
        if found is None:
            found = terms[node] = to_oxigraph(node)
        return found

    default = ox.DefaultGraph()
    store.extend(ox.Quad(term(s), term(p), term(o), default) for s, p, o in triples)  # type: ignore[arg-type]
    if copy:
        store.update(COPY_ASSERTED)


def saturate(store: ox.Store, program: Program) -> int:
    """Run every stratum in order, the recursive ones until they add nothing; the passes made."""
    passes = 0
    for stratum, loops in zip(program.strata, program.recursive, strict=True):
        heads = {key for rule in stratum for key in rule.writes}
        before = _count(store, heads) if loops else 0
        while True:
            for rule in stratum:
                store.update(rule.text)
            passes += 1
            if not loops:
                break
            after = _count(store, heads)
            if after == before:
                break
            before = after
    return passes


def _count(store: ox.Store, keys: set[Key]) -> int:
    """Triples of the given kinds in the default graph (what a recursive stratum writes)."""
    total = 0
    for kind, term in keys:
        iri = ox.NamedNode(term)
        if kind == "type":
            found = store.quads_for_pattern(None, RDF_TYPE, iri, ox.DefaultGraph())
        else:
            found = store.quads_for_pattern(None, iri, None, ox.DefaultGraph())
        total += sum(1 for _ in found)
    return total


def read_inferred(store: ox.Store, prepared: Prepared) -> Graph:
    """The added rdf:type triples of named individuals in kept classes, and the added links
    of kept object properties between named individuals: what HermiT's read-out gives."""
    properties, schema = prepared.object_properties, prepared.schema
    typed = _individuals(store)
    inferred = Graph()
    inferred.bind("ckg", "https://w3id.org/clinkg/ontology#")
    for s, p, o in _added(store):
        if p == RDF.type:
            keep = s in typed and s not in schema and kept(str(o))
        else:
            keep = p in properties and kept(str(p))
        if keep:
            inferred.add((s, p, o))
    return inferred


def _added(store: ox.Store) -> Iterator[Triple]:
    for row in store.query(ADDED):  # type: ignore[union-attr]
        yield from_oxigraph(row[0]), from_oxigraph(row[1]), from_oxigraph(row[2])


def _individuals(store: ox.Store) -> set[Node]:
    rows = store.quads_for_pattern(None, ox.NamedNode(str(RDF.type)), None, ASSERTED)
    return {from_oxigraph(quad.subject) for quad in rows if isinstance(quad.subject, ox.NamedNode)}


def _members(store: ox.Store, program: Program) -> dict[URIRef, int]:
    counted = {
        URIRef(row[0].value): int(row[1].value)
        for row in store.query(program.members)  # type: ignore[union-attr]
    }
    return {cls: counted.get(cls, 0) for cls in program.defined}


__all__ = ["Merge", "Prepared", "apply_rules", "bundled", "classify", "prepare", "saturate"]
