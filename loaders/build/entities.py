"""Entity nodes of an article graph: one IRI per entity, whatever kinds the facts give it.

A label the facts use is looked up among the extracted entities by its slug (the readable part
of every minted IRI), so "Cirrhosis" named as a risk factor and as a condition is one node with
both types, minted as a condition (graph-shape.md: a condition acting as a risk factor keeps the
condition's IRI).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from rdflib import OWL, RDF, RDFS, SKOS, BNode, Graph, Literal, Namespace, URIRef

from clinkg.loaders.extract.facts import Entity, EntityKind
from clinkg.loaders.vocabularies.mappings import Mapping
from clinkg.ontology import namespaces as ns
from clinkg.ontology.namespaces import CKG, MESH

DRUGBANK = Namespace("https://go.drugbank.com/drugs/")

# Which kind names the IRI when an entity has several: the most specific node wins.
KIND_PRECEDENCE: tuple[EntityKind, ...] = ("condition", "medication", "risk-factor", "population")
KIND_CLASSES: dict[EntityKind, URIRef] = {
    "condition": CKG.Condition,
    "medication": CKG.Medication,
    "risk-factor": CKG.RiskFactor,
    "population": CKG.Population,
}
MINTERS: dict[EntityKind, Callable[[str], URIRef]] = {
    "condition": ns.condition,
    "medication": ns.medication,
    "risk-factor": ns.risk_factor,
    "population": ns.population,
}


@dataclass
class _Node:
    """What the graph says about one entity: its label, kinds, synonyms and mappings."""

    label: str
    kinds: set[EntityKind] = field(default_factory=set)
    synonyms: list[str] = field(default_factory=list)
    mappings: list[Mapping] = field(default_factory=list)

    def merge(self, entity: Entity) -> None:
        self.kinds.update((entity.kind, *entity.also))
        for synonym in entity.synonyms:
            if synonym not in self.synonyms and synonym != self.label:
                self.synonyms.append(synonym)
        self.mappings.extend(m for m in entity.mappings if m not in self.mappings)

    def iri(self) -> URIRef:
        kind = next(k for k in KIND_PRECEDENCE if k in self.kinds)
        return MINTERS[kind](self.label)


class EntityIndex:
    """Entities by slug of their label, with every kind the facts use them as."""

    def __init__(self, entities: Iterable[Entity], uses: Iterable[tuple[EntityKind, str]]) -> None:
        self._nodes: dict[str, _Node] = {}
        for entity in entities:
            self._node(entity.label).merge(entity)
        for kind, label in uses:
            self._node(label).kinds.add(kind)

    def _node(self, label: str) -> _Node:
        return self._nodes.setdefault(ns.slug(label), _Node(label))

    def iri(self, label: str) -> URIRef:
        """The IRI of the entity a fact names by `label` (declared in `uses` or `entities`)."""
        return self._nodes[ns.slug(label)].iri()

    def add_to(self, graph: Graph) -> None:
        """Type, label, synonyms and vocabulary mappings of every entity used."""
        for node in self._nodes.values():
            if not node.kinds:
                continue
            subject = node.iri()
            for kind in sorted(node.kinds):
                graph.add((subject, RDF.type, KIND_CLASSES[kind]))
            add_labels(graph, subject, node.label, node.synonyms)
            for mapping in node.mappings:
                add_mapping(graph, subject, mapping)


def add_labels(graph: Graph, subject: URIRef, label: str, synonyms: Iterable[str] = ()) -> None:
    """rdfs:label and skos:prefLabel (the same canonical label) and skos:altLabel synonyms."""
    graph.add((subject, RDFS.label, Literal(label)))
    graph.add((subject, SKOS.prefLabel, Literal(label)))
    for synonym in synonyms:
        graph.add((subject, SKOS.altLabel, Literal(synonym)))


def mapping_target(mapping: Mapping) -> URIRef:
    """The public vocabulary IRI a mapping points to."""
    if mapping.scheme == "HPO":
        return ns.hpo(mapping.code if ":" in mapping.code else f"HP:{mapping.code}")
    if mapping.scheme == "ICD10CM":
        return ns.icd10cm(mapping.code)
    if mapping.scheme == "MESH":
        return MESH[mapping.code]
    return DRUGBANK[mapping.code]


def add_mapping(graph: Graph, subject: URIRef, mapping: Mapping) -> None:
    """skos:exactMatch or closeMatch, annotated (OWL 2 axiom annotation) with how it was made."""
    target = mapping_target(mapping)
    predicate = SKOS.exactMatch if mapping.exact else SKOS.closeMatch
    graph.add((subject, predicate, target))
    axiom = BNode()
    graph.add((axiom, RDF.type, OWL.Axiom))
    graph.add((axiom, OWL.annotatedSource, subject))
    graph.add((axiom, OWL.annotatedProperty, predicate))
    graph.add((axiom, OWL.annotatedTarget, target))
    graph.add((axiom, CKG.matchMethod, Literal(mapping.method)))
    if mapping.scheme == "HPO":
        # The class the finding parameter of the HPO questions draws its values from.
        graph.add((subject, RDF.type, CKG.Finding))
    graph.add((target, RDFS.label, Literal(mapping.label)))
