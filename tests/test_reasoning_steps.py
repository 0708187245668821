"""The pure steps around the reasoner: what HermiT is shown, how a clash is explained, and the
error when Java is missing (none of these starts Java)."""

from __future__ import annotations

import owlready2
import pytest
from rdflib import OWL, RDF, RDFS, XSD, Graph, Literal

from clinkg.errors import ReasonerUnavailable
from clinkg.loaders.build.graph import ontology_graph
from clinkg.loaders.reason.inconsistency import explain_inconsistency
from clinkg.loaders.reason.inference import defined_classes
from clinkg.loaders.reason.reasoner import reason, reasoner_input
from clinkg.ontology import namespaces as ns
from clinkg.ontology.namespaces import CKG


def test_the_reasoner_sees_no_annotations_and_no_literals_outside_owl2() -> None:
    reference = ns.reference("Nocturnal leg cramps.", 2012)
    graph = Graph()
    graph.add((RDFS.label, RDF.type, OWL.AnnotationProperty))
    graph.add((reference, RDF.type, CKG.Reference))
    graph.add((reference, RDFS.label, Literal("Nocturnal leg cramps.")))
    graph.add((reference, CKG.year, Literal("2012", datatype=XSD.gYear)))
    graph.add((reference, CKG.listPosition, Literal(1)))
    assert set(reasoner_input(graph)) == {
        (RDFS.label, RDF.type, OWL.AnnotationProperty),
        (reference, RDF.type, CKG.Reference),
        (reference, CKG.listPosition, Literal(1)),
    }


def test_a_reference_used_as_a_risk_factor_is_explained_in_plain_words() -> None:
    graph = ontology_graph()
    reference = ns.reference("Nocturnal leg cramps.", 2012)
    association = ns.risk_association("sore-calf", 3, 0)
    graph.add((reference, RDF.type, CKG.Reference))
    graph.add((reference, RDFS.label, Literal("Nocturnal leg cramps.")))
    graph.add((association, CKG.factor, reference))
    assert explain_inconsistency(graph) == [
        "'Nocturnal leg cramps.' would be both a Reference (it is typed so) and a Risk factor"
        f" (<{association}> has it as factor), and the ontology declares these classes disjoint"
    ]


def test_two_statuses_of_one_treatment_are_explained() -> None:
    graph = ontology_graph()
    quinine = ns.treatment("Nocturnal leg cramps", "Quinine")
    graph.add((quinine, RDF.type, CKG.Treatment))
    graph.add((quinine, RDFS.label, Literal("Quinine")))
    graph.add((quinine, CKG.recommendationStatus, CKG._NS["Recommended"]))
    graph.add((quinine, CKG.recommendationStatus, CKG._NS["NotRecommended"]))
    assert explain_inconsistency(graph) == [
        "'Quinine' has both 'not recommended' and 'recommended' as its recommendation status,"
        " which can have one value only"
    ]


def test_a_consistent_graph_has_nothing_to_explain() -> None:
    assert explain_inconsistency(ontology_graph()) == []


def test_the_defined_classes_include_the_contract_ones() -> None:
    defined = defined_classes(ontology_graph())
    assert {CKG.ExertionalCondition, CKG.NocturnalCondition, CKG.LegCondition} <= set(defined)


def test_a_missing_java_runtime_is_named_with_the_package_to_install(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(owlready2, "JAVA_EXE", "no-such-java-here")
    with pytest.raises(ReasonerUnavailable, match="apt-get install default-jre-headless"):
        reason(Graph(), ontology_graph())
