"""What the store already holds that a load reasons with: the article graphs (for a full
pass), the inferred graph, and the stored facts about the entities a new article shares with
earlier ones (for an incremental pass). Reads only; the pipeline writes."""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass

import pyoxigraph as ox
from rdflib import RDF, BNode, Graph, Literal, URIRef
from rdflib.term import Node

from clinkg.ontology import namespaces as ns
from clinkg.ontology.namespaces import INFERRED_GRAPH
from clinkg.store import Store
from clinkg.store.oxigraph import from_oxigraph

Triple = tuple[Node, Node, Node]
ARTICLE_PREFIX = str(ns.article_graph("x"))[: -len("x")]
ARTICLE_IDS = str(ns.ID["article/"])
ENTITY_IDS = str(ns.ID)
# Every stored triple about one entity, and (TYPES, per node linked to it) the types of the
# entities it is linked to: what a rule two links away from the entity reads. ?graph says
# whether a triple is asserted or inferred. Each query has one bound node, so Oxigraph reads
# its index; one query joining the links to the types scanned every type of the library.
FROM_ENTITY = "SELECT ?entity ?graph ?p ?o WHERE { GRAPH ?graph { ?entity ?p ?o } }"
TO_ENTITY = "SELECT ?entity ?graph ?s ?p WHERE { GRAPH ?graph { ?s ?p ?entity } }"
TYPES = "SELECT ?s ?graph ?o WHERE { GRAPH ?graph { ?s a ?o } }"


STORED = "ASK { GRAPH ?graph { ?s ?p ?o } }"
INFERRED_TOTALS = """
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
SELECT ?graph (COUNT(*) AS ?triples) (SUM(IF(?p = rdf:type, 1, 0)) AS ?types)
WHERE { GRAPH ?graph { ?s ?p ?o } } GROUP BY ?graph
"""
MEMBERS = "SELECT ?class ?graph ?s WHERE { GRAPH ?graph { ?s a ?class } }"


@dataclass(frozen=True)
class InferredTotals:
    """What the stored inferred graph holds: triples, type triples, members of some classes."""

    triples: int
    types: int
    members: dict[URIRef, set[Node]]


def inferred_totals(store: Store, classes: Iterable[URIRef]) -> InferredTotals:
    """The stored inferred graph's totals and its members of `classes`, counted by the store."""
    rows = store.select(INFERRED_TOTALS, {"graph": INFERRED_GRAPH})
    count = {key: int(str(rows[0][key])) if rows else 0 for key in ("triples", "types")}
    members = {
        cls: {row["s"] for row in store.select(MEMBERS, {"class": cls, "graph": INFERRED_GRAPH})}
        for cls in classes
    }
    return InferredTotals(count["triples"], count["types"], members)  # type: ignore[arg-type]


def stored_inferences(store: Store, triples: Iterable[Triple]) -> list[Triple]:
    """Those of the triples the stored inferred graph holds (one bound ASK each; a triple with
    a blank node is this load's own, never a stored one)."""
    return [
        (s, p, o)
        for s, p, o in triples
        if not _blank(s, o) and store.ask(STORED, {"graph": INFERRED_GRAPH, "s": s, "p": p, "o": o})  # type: ignore[dict-item]
    ]


def _blank(*terms: Node) -> bool:
    return any(isinstance(term, BNode) for term in terms)


@dataclass(frozen=True)
class Neighbourhood:
    """Stored triples about the shared entities: asserted by other articles, or inferred."""

    asserted: list[Triple]
    inferred: list[Triple]


def not_stored(store: Store, triples: Iterable[Triple], about: Collection[Node]) -> list[Triple]:
    """The triples, less those about an entity outside `about` that the store holds already.

    The rules see only the types of the entities linked to a shared one, so what a class
    definition requires of those entities (its hasValue links) comes out again although their
    own article states it: one bound ASK each, for the few triples about such entities."""
    return [
        (s, p, o)
        for s, p, o in triples
        if s in about or _blank(s, o) or not store.ask(STORED, {"s": s, "p": p, "o": o})  # type: ignore[dict-item]
    ]


def article_graph_names(store: Store, excluding: Collection[URIRef] = ()) -> list[URIRef]:
    return [g for g in store.graph_names() if g.startswith(ARTICLE_PREFIX) and g not in excluding]


def stored_article_graphs(store: Store, excluding: Collection[URIRef] = ()) -> Graph:
    """The triples of the store's article graphs outside `excluding`, merged."""
    merged = Graph()
    for triple in read_graphs(store, article_graph_names(store, excluding)):
        merged.add(triple)
    return merged


def read_graphs(store: Store, names: list[URIRef]) -> Iterator[Triple]:
    """The triples of the named graphs, merged, parsed by Oxigraph (no rdflib parser)."""
    if not names:
        return
    result = store.query_serialized(
        "CONSTRUCT WHERE { ?s ?p ?o }", "application/n-triples", default_graphs=names
    )
    for triple in ox.parse(result.body, format=ox.RdfFormat.N_TRIPLES):
        yield (
            from_oxigraph(triple.subject),
            from_oxigraph(triple.predicate),
            from_oxigraph(triple.object),
        )


def stored_inferred(store: Store) -> Iterator[Triple]:
    return read_graphs(store, [INFERRED_GRAPH]) if has_inferred(store) else iter(())


def has_inferred(store: Store) -> bool:
    return INFERRED_GRAPH in store.graph_names()


def fingerprint(triples: Iterable[Triple]) -> Counter[tuple[object, ...]]:
    """The triples with every blank node masked and typed literals compared by value: equal for
    the same ontology read twice (a store may write "4.0"^^xsd:decimal back as "4"), and
    different when any axiom changes (a restriction's filler, a class, a property)."""
    return Counter(tuple(_comparable(node) for node in triple) for triple in triples)


def _comparable(node: Node) -> object:
    if isinstance(node, BNode):
        return _MASKED
    if isinstance(node, Literal) and node.datatype is not None and node.value is not None:
        return ("literal", node.datatype, node.value)
    return node


_MASKED = BNode("masked")


def ontology_changed(store: Store, ontology: Graph, graph: URIRef) -> bool:
    """Whether the ontology stored in `graph` (by the last load) differs from `ontology`."""
    return fingerprint(read_graphs(store, [graph])) != fingerprint(ontology)


def holds_ontology(store: Store, ontology: Graph, graph: URIRef) -> bool:
    """Whether `graph` holds `ontology` already (then a load need not write it again)."""
    return graph in store.graph_names() and not ontology_changed(store, ontology, graph)


def shared_entities(graphs: Iterable[Graph]) -> set[URIRef]:
    """The entities of new article graphs that other articles may name too: every id/ IRI but
    the article's own nodes (statements, features, sections ... minted under
    id/article/<slug>/, which no other article can mint). Ontology and vocabulary terms are
    not entities: their facts come with the ontology."""
    found: set[URIRef] = set()
    for graph in graphs:
        for s, _, o in graph:
            for node in (s, o):
                iri = str(node) if isinstance(node, URIRef) else ""
                if iri.startswith(ENTITY_IDS) and not iri.startswith(ARTICLE_IDS):
                    found.add(URIRef(iri))
    return found


def neighbourhood(
    store: Store, entities: Iterable[URIRef], excluding: Collection[URIRef]
) -> Neighbourhood:
    """What the store says about each entity outside the graphs `excluding` (those being
    replaced), and the types of what it links to: bound queries per entity, so the cost follows
    the new article."""
    asserted: set[Triple] = set()
    inferred: set[Triple] = set()
    for graph, triple in _about(store, sorted(entities)):
        if graph is None or graph in excluding:
            continue
        if graph == INFERRED_GRAPH:
            inferred.add(triple)
        elif str(graph).startswith(ARTICLE_PREFIX):
            asserted.add(triple)
    return Neighbourhood(sorted(asserted), sorted(inferred - asserted))


def _about(store: Store, entities: Iterable[URIRef]) -> Iterator[tuple[Node | None, Triple]]:
    """(graph, triple) for each stored triple about an entity, and for each type, in any graph,
    of a node linked to it in any graph."""
    for entity in entities:
        linked: set[Node] = set()
        for row in store.select(FROM_ENTITY, {"entity": entity}):
            obj = row["o"]
            if not isinstance(obj, Literal):
                linked.add(obj)  # type: ignore[arg-type]
            yield row["graph"], (entity, row["p"], obj)  # type: ignore[misc]
        for row in store.select(TO_ENTITY, {"entity": entity}):
            linked.add(row["s"])  # type: ignore[arg-type]
            yield row["graph"], (row["s"], row["p"], entity)  # type: ignore[misc]
        for node in sorted(linked, key=str):
            for row in store.select(TYPES, {"s": node}):  # type: ignore[dict-item]
                yield row["graph"], (node, RDF.type, row["o"])  # type: ignore[misc]
