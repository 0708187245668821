"""The ontology file agrees with the namespaces module, parses, and loads in an OWL tool."""

from __future__ import annotations

import shutil
from pathlib import Path

import owlready2
import pytest
import rdflib
from rdflib import OWL, RDF, RDFS, SKOS, Graph, Literal, URIRef
from rdflib.term import Node
from sample_facts import FACTS

from clinkg.loaders.build.graph import build_graph, ontology_graph
from clinkg.ontology import namespaces as ns

CKG = ns.CKG
ONTOLOGY_DIR = Path(__file__).resolve().parents[1] / "ontology"
DECLARATION_TYPES = {
    OWL.Class,
    OWL.ObjectProperty,
    OWL.DatatypeProperty,
    OWL.AnnotationProperty,
}
OBJECT_PROPERTIES = {
    "hasFeature", "bodySite", "partOf", "trigger", "relievedBy", "quality", "population",
    "hasRiskFactor", "riskAssociation", "factor", "inducedBy", "medicationEffect", "medication",
    "hasTreatment", "treats", "recommendationStatus", "broaderTreatment", "differentialDiagnosis",
    "associatedCondition", "primaryCondition", "supportedBy", "about", "inArticle", "inSection",
    "parentSection", "cites", "leadIn",
}  # fmt: skip


def ckg_terms() -> set[URIRef]:
    """Every term the namespaces module names."""
    names = CKG.__annotations__
    return {CKG._NS[name] for name in names if not name.startswith("_")}


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return Graph().parse(ONTOLOGY_DIR / "clinkg.ttl", format="turtle")


def declared(graph: Graph) -> set[URIRef]:
    namespace = str(CKG._NS)
    return {
        subject
        for kind in DECLARATION_TYPES
        for subject in graph.subjects(RDF.type, kind)
        if isinstance(subject, URIRef) and subject.startswith(namespace)
    }


def test_every_namespace_term_is_declared_in_the_ontology(ontology: Graph) -> None:
    assert ckg_terms() - declared(ontology) == set()


def test_every_declared_ontology_term_is_in_the_namespace(ontology: Graph) -> None:
    assert declared(ontology) - ckg_terms() == set()


def test_every_term_has_a_label_and_a_definition(ontology: Graph) -> None:
    missing = [
        term
        for term in ckg_terms()
        if ontology.value(term, RDFS.label) is None or ontology.value(term, SKOS.definition) is None
    ]
    assert missing == []


def test_object_and_datatype_properties_follow_the_namespace_comments(ontology: Graph) -> None:
    objects = {URIRef(CKG._NS[name]) for name in OBJECT_PROPERTIES}
    assert set(ontology.subjects(RDF.type, OWL.ObjectProperty)) >= objects
    datatype = set(ontology.subjects(RDF.type, OWL.DatatypeProperty))
    assert datatype & objects == set()
    assert CKG.text in datatype and CKG.oddsRatio in datatype


def test_the_ontology_names_itself(ontology: Graph) -> None:
    assert (ns.ONTOLOGY_IRI, RDF.type, OWL.Ontology) in ontology


def test_part_of_is_transitive_and_body_site_follows_it(ontology: Graph) -> None:
    assert (CKG.partOf, RDF.type, OWL.TransitiveProperty) in ontology
    assert items(ontology, CKG.bodySite, OWL.propertyChainAxiom) == [CKG.bodySite, CKG.partOf]


def items(graph: Graph, subject: Node, predicate: URIRef) -> list[Node]:
    """The members of the RDF list `subject predicate ( ... )`."""
    head = graph.value(subject, predicate)
    assert head is not None, f"{subject} has no {predicate}"
    return list(graph.items(head))


@pytest.mark.parametrize(
    ("defined", "concept"),
    [(CKG.ExertionalCondition, "Exertion"), (CKG.NocturnalCondition, "Night")],
)
def test_defined_classes_are_conditions_with_a_feature_of_their_trigger(
    ontology: Graph, defined: URIRef, concept: str
) -> None:
    equivalent = ontology.value(defined, OWL.equivalentClass)
    assert equivalent is not None
    condition, some_feature = items(ontology, equivalent, OWL.intersectionOf)
    assert condition == CKG.Condition
    assert ontology.value(some_feature, OWL.onProperty) == CKG.hasFeature
    feature_class = ontology.value(some_feature, OWL.someValuesFrom)
    assert feature_class is not None
    if isinstance(feature_class, URIRef):  # a named feature class: read its definition
        feature_class = ontology.value(feature_class, OWL.equivalentClass)
    trigger, not_negated = items(ontology, feature_class, OWL.intersectionOf)
    assert ontology.value(trigger, OWL.onProperty) == CKG.trigger
    assert ontology.value(trigger, OWL.hasValue) == CKG._NS[concept]
    assert ontology.value(not_negated, OWL.onProperty) == CKG.negated
    assert ontology.value(not_negated, OWL.hasValue) == Literal(False)


def test_trigger_concepts_of_the_defined_classes_are_in_the_vocabulary() -> None:
    vocabulary = Graph().parse(ONTOLOGY_DIR / "vocabulary.ttl", format="turtle")
    for name in ("Exertion", "Night"):
        assert (CKG._NS[name], RDF.type, CKG.Trigger) in vocabulary
    for name in ("Recommended", "LimitedEvidence", "NotRecommended"):
        assert (CKG._NS[name], RDF.type, CKG.RecommendationStatus) in vocabulary


def test_core_classes_are_pairwise_disjoint(ontology: Graph) -> None:
    groups = [
        set(items(ontology, node, OWL.members))
        for node in ontology.subjects(RDF.type, OWL.AllDisjointClasses)
    ]
    core = {CKG.Condition, CKG.Medication, CKG.Reference, CKG.Statement, CKG.Article, CKG.Treatment}
    assert any(core <= group for group in groups)
    assert not any(CKG.RiskFactor in group for group in groups)


def test_owlready2_loads_the_ontology_with_its_vocabulary(tmp_path: Path) -> None:
    path = tmp_path / "clinkg.nt"
    ontology_graph().serialize(path, format="nt", encoding="utf-8")
    world = owlready2.World()
    loaded = world.get_ontology(path.as_uri()).load(format="ntriples")
    exertional = world[str(CKG.ExertionalCondition)]
    assert exertional is not None
    restriction = exertional.equivalent_to[0].Classes[1].value
    if isinstance(restriction, owlready2.ThingClass):  # a named feature class
        restriction = restriction.equivalent_to[0]
    trigger_value = restriction.Classes[0].value
    assert trigger_value is world[str(CKG._NS["Exertion"])]
    assert world[str(CKG.Condition)] in loaded.classes()


def reasoner_input(graph: Graph) -> Graph:
    """The graph without xsd:gYear / xsd:duration literals, which are outside OWL 2 (HermiT)."""
    outside_owl2 = {rdflib.XSD.gYear, rdflib.XSD.duration}
    kept = Graph()
    for triple in graph:
        value = triple[2]
        if not (isinstance(value, Literal) and value.datatype in outside_owl2):
            kept.add(triple)
    return kept


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("java") is None, reason="HermiT needs a Java runtime")
def test_hermit_classifies_conditions_and_follows_the_body_site_chain(tmp_path: Path) -> None:
    path = tmp_path / "sample.nt"
    reasoner_input(ontology_graph() + build_graph(FACTS)).serialize(
        path, format="nt", encoding="utf-8"
    )
    world = owlready2.World()
    loaded = world.get_ontology(path.as_uri()).load(format="ntriples")
    with loaded:
        owlready2.sync_reasoner_hermit(world, infer_property_values=True, debug=0)
    exertional = {str(c.iri) for c in world.search(type=world[str(CKG.ExertionalCondition)])}
    nocturnal = {str(c.iri) for c in world.search(type=world[str(CKG.NocturnalCondition)])}
    assert exertional == {str(ns.condition("Peripheral artery disease"))}
    assert nocturnal == {str(ns.condition("Nocturnal leg cramps"))}
    feature = world[str(ns.feature(FACTS.article.slug, 5, 0))]
    sites = {site.name for site in feature.bodySite}
    assert {"Calf", "LowerLeg", "Leg"} <= sites
