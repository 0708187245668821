"""What reasoning entailed, and which of it is kept: shared by the compiled rules (the default)
and HermiT (the oracle), so that both are read out the same way."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from rdflib import OWL, RDF, RDFS, SKOS, Graph, URIRef
from rdflib.namespace import PROV
from rdflib.term import Node

from clinkg.ontology.namespaces import BIBO, CKG, SCHEMA

# Inferred types and links are kept when their class or property is one of these vocabularies'.
KEPT_NAMESPACES = (str(CKG._NS), str(SCHEMA), str(BIBO), str(PROV), str(SKOS))
SCHEMA_KINDS = frozenset(
    {OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty}
    | {OWL.Ontology, OWL.TransitiveProperty, OWL.FunctionalProperty, RDFS.Datatype}
)


@dataclass(frozen=True)
class Inference:
    """What reasoning entailed beyond the asserted triples, and what it took."""

    triples: frozenset[tuple[Node, Node, Node]]  # inferred only: rdf:type and object links
    seconds: float
    members: Mapping[URIRef, int]  # defined class -> individuals in it (asserted or inferred)
    inferred_types: int
    inferred_links: int
    unsatisfiable: tuple[URIRef, ...] = field(default_factory=tuple)
    engine: str = "HermiT"


def kept(iri: str) -> bool:
    return iri.startswith(KEPT_NAMESPACES)


def schema_terms(graph: Graph) -> set[Node]:
    """Classes, properties, datatypes and the ontology itself: never individuals."""
    return {s for kind in SCHEMA_KINDS for s in graph.subjects(RDF.type, kind)}


def individuals(graph: Graph) -> set[URIRef]:
    """Named individuals: typed IRIs that are not classes, properties or the ontology."""
    typed = {s for s in graph.subjects(RDF.type, None) if isinstance(s, URIRef)}
    return typed - schema_terms(graph)


def defined_classes(ontology: Graph) -> list[URIRef]:
    """The ckg: classes the ontology defines by necessary and sufficient conditions."""
    return sorted(
        cls
        for cls in set(ontology.subjects(OWL.equivalentClass, None))
        if isinstance(cls, URIRef) and cls.startswith(str(CKG._NS))
    )


def members(ontology: Graph, graphs: Iterable[Graph]) -> dict[URIRef, int]:
    """Individuals of each defined class in the union of the graphs."""
    found: dict[URIRef, set[Node]] = {cls: set() for cls in defined_classes(ontology)}
    for graph in graphs:
        for cls, individuals_of in found.items():
            individuals_of.update(graph.subjects(RDF.type, cls))
    return {cls: len(individuals_of) for cls, individuals_of in found.items()}
