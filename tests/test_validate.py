"""SHACL validation: a correct article graph passes; each broken rule is reported in plain words."""

from __future__ import annotations

import time

import pytest
from rdflib import RDF, RDFS, Graph, Literal
from sample_facts import FACTS

from clinkg.errors import ValidationError
from clinkg.loaders.build.graph import build_graph, ontology_graph
from clinkg.loaders.build.validate import validate_graph
from clinkg.ontology import namespaces as ns

CKG = ns.CKG
SLUG = FACTS.article.slug


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return ontology_graph()


@pytest.fixture
def graph() -> Graph:
    return build_graph(FACTS)


def violations(graph: Graph, ontology: Graph) -> str:
    with pytest.raises(ValidationError) as caught:
        validate_graph(graph, ontology)
    return str(caught.value)


def test_the_built_sample_graph_conforms_quickly(graph: Graph, ontology: Graph) -> None:
    started = time.perf_counter()
    validate_graph(graph, ontology)
    assert time.perf_counter() - started < 1.0


def test_a_fact_without_a_supporting_statement_is_named(graph: Graph, ontology: Graph) -> None:
    feature = ns.feature(SLUG, 0, 0)
    graph.remove((feature, CKG.supportedBy, None))
    message = violations(graph, ontology)
    assert "'painful cramps at night'" in message
    assert "ckg:supportedBy" in message


def test_a_qualifier_outside_the_vocabulary_is_refused(graph: Graph, ontology: Graph) -> None:
    graph.add((ns.feature(SLUG, 0, 0), CKG.bodySite, CKG._NS["Elbowe"]))
    assert "ckg:BodySite concept" in violations(graph, ontology)


def test_a_reference_without_a_year_is_refused(graph: Graph, ontology: Graph) -> None:
    graph.remove((None, CKG.year, None))
    message = violations(graph, ontology)
    assert "'Nocturnal leg cramps.'" in message and "xsd:gYear" in message


def test_a_treatment_with_two_statuses_is_refused(graph: Graph, ontology: Graph) -> None:
    quinine = ns.treatment("Nocturnal leg cramps", "Quinine")
    graph.add((quinine, CKG.recommendationStatus, CKG._NS["Recommended"]))
    assert "'Quinine'" in violations(graph, ontology)


def test_a_status_that_is_not_a_status_concept_is_refused(graph: Graph, ontology: Graph) -> None:
    quinine = ns.treatment("Nocturnal leg cramps", "Quinine")
    graph.set((quinine, CKG.recommendationStatus, CKG._NS["Calf"]))
    assert "recommendationStatus" in violations(graph, ontology)


def test_a_non_positive_odds_ratio_is_refused(graph: Graph, ontology: Graph) -> None:
    graph.set((ns.risk_association(SLUG, 2, 0), CKG.oddsRatio, Literal(0.0)))
    assert "greater than 0" in violations(graph, ontology)


def test_an_entity_with_two_labels_is_refused(graph: Graph, ontology: Graph) -> None:
    graph.add((ns.medication("Naproxen"), RDFS.label, Literal("Naprosyn")))
    assert "exactly one rdfs:label" in violations(graph, ontology)


def test_an_unresolved_marker_must_be_printed(graph: Graph, ontology: Graph) -> None:
    graph.add((ns.statement(SLUG, 0), CKG.unresolvedCitation, Literal(7)))
    assert "citation 7 unresolved" in violations(graph, ontology)


def test_a_statement_without_text_or_article_is_refused(graph: Graph, ontology: Graph) -> None:
    statement = ns.statement(SLUG, 4)
    graph.remove((statement, CKG.text, None))
    graph.remove((statement, CKG.inArticle, None))
    message = violations(graph, ontology)
    assert "ckg:text" in message and "ckg:inArticle" in message


def test_a_feature_of_no_condition_is_refused(graph: Graph, ontology: Graph) -> None:
    graph.remove((None, CKG.hasFeature, ns.feature(SLUG, 5, 0)))
    assert "^ckg:hasFeature" in violations(graph, ontology)


def test_without_the_ontology_vocabulary_concepts_are_unknown(graph: Graph) -> None:
    with pytest.raises(ValidationError):
        validate_graph(graph)
    assert (CKG._NS["Calf"], RDF.type, CKG.BodySite) not in graph


def test_a_citing_statement_must_print_a_number(graph: Graph, ontology: Graph) -> None:
    graph.remove((ns.statement(SLUG, 0), CKG.citationNumber, None))
    assert "cites a reference but prints no citation number" in violations(graph, ontology)
