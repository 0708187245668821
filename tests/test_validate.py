"""SHACL validation: a correct article graph passes; each broken rule is reported in plain words;
the compiled checks find exactly what pyshacl finds."""

from __future__ import annotations

import time

import pytest
from pyshacl import validate
from rdflib import RDF, RDFS, SH, Graph, Literal
from sample_facts import FACTS

from clinkg.errors import ValidationError
from clinkg.loaders.build.graph import build_graph, ontology_graph
from clinkg.loaders.build.shapes import UnsupportedShape, compiled_checks, message_for
from clinkg.loaders.build.validate import shapes_graph, validate_graph, violations
from clinkg.ontology import namespaces as ns

CKG = ns.CKG
SLUG = FACTS.article.slug


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return ontology_graph()


@pytest.fixture
def graph() -> Graph:
    return build_graph(FACTS)


def refusal(graph: Graph, ontology: Graph) -> str:
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
    message = refusal(graph, ontology)
    assert "'painful cramps at night'" in message
    assert "ckg:supportedBy" in message


def test_a_qualifier_outside_the_vocabulary_is_refused(graph: Graph, ontology: Graph) -> None:
    graph.add((ns.feature(SLUG, 0, 0), CKG.bodySite, CKG._NS["Elbowe"]))
    assert "ckg:BodySite concept" in refusal(graph, ontology)


def test_a_reference_without_a_year_is_refused(graph: Graph, ontology: Graph) -> None:
    graph.remove((None, CKG.year, None))
    message = refusal(graph, ontology)
    assert "'Nocturnal leg cramps.'" in message and "xsd:gYear" in message


def test_a_treatment_with_two_statuses_is_refused(graph: Graph, ontology: Graph) -> None:
    quinine = ns.treatment("Nocturnal leg cramps", "Quinine")
    graph.add((quinine, CKG.recommendationStatus, CKG._NS["Recommended"]))
    assert "'Quinine'" in refusal(graph, ontology)


def test_a_status_that_is_not_a_status_concept_is_refused(graph: Graph, ontology: Graph) -> None:
    quinine = ns.treatment("Nocturnal leg cramps", "Quinine")
    graph.set((quinine, CKG.recommendationStatus, CKG._NS["Calf"]))
    assert "recommendationStatus" in refusal(graph, ontology)


def test_a_non_positive_odds_ratio_is_refused(graph: Graph, ontology: Graph) -> None:
    graph.set((ns.risk_association(SLUG, 2, 0), CKG.oddsRatio, Literal(0.0)))
    assert "greater than 0" in refusal(graph, ontology)


def test_an_entity_with_two_labels_is_refused(graph: Graph, ontology: Graph) -> None:
    graph.add((ns.medication("Naproxen"), RDFS.label, Literal("Naprosyn")))
    assert "exactly one rdfs:label" in refusal(graph, ontology)


def test_an_unresolved_marker_must_be_printed(graph: Graph, ontology: Graph) -> None:
    graph.add((ns.statement(SLUG, 0), CKG.unresolvedCitation, Literal(7)))
    assert "citation 7 unresolved" in refusal(graph, ontology)


def test_a_statement_without_text_or_article_is_refused(graph: Graph, ontology: Graph) -> None:
    statement = ns.statement(SLUG, 4)
    graph.remove((statement, CKG.text, None))
    graph.remove((statement, CKG.inArticle, None))
    message = refusal(graph, ontology)
    assert "ckg:text" in message and "ckg:inArticle" in message


def test_a_feature_of_no_condition_is_refused(graph: Graph, ontology: Graph) -> None:
    graph.remove((None, CKG.hasFeature, ns.feature(SLUG, 5, 0)))
    assert "^ckg:hasFeature" in refusal(graph, ontology)


def test_without_the_ontology_vocabulary_concepts_are_unknown(graph: Graph) -> None:
    with pytest.raises(ValidationError):
        validate_graph(graph)
    assert (CKG._NS["Calf"], RDF.type, CKG.BodySite) not in graph


def test_a_citing_statement_must_print_a_number(graph: Graph, ontology: Graph) -> None:
    graph.remove((ns.statement(SLUG, 0), CKG.citationNumber, None))
    assert "cites a reference but prints no citation number" in refusal(graph, ontology)


def _with(graph: Graph, add: list[tuple], remove: list[tuple]) -> Graph:
    changed = Graph()
    for triple in graph:
        changed.add(triple)
    for pattern in remove:
        changed.remove(pattern)
    for triple in add:
        changed.add(triple)
    return changed


FEATURE, STATEMENT = ns.feature(SLUG, 0, 0), ns.statement(SLUG, 0)
QUININE = ns.treatment("Nocturnal leg cramps", "Quinine")
# One broken graph per kind of constraint the shapes use (and a few at once).
MUTATIONS = {
    "conforming": ([], []),
    "min count": ([], [(FEATURE, CKG.supportedBy, None)]),
    "max count": ([(QUININE, CKG.recommendationStatus, CKG._NS["Recommended"])], []),
    "class": ([(FEATURE, CKG.bodySite, CKG._NS["Elbowe"])], []),
    "datatype": ([(STATEMENT, CKG.line, Literal("4"))], []),
    "language tag": ([(ns.medication("Naproxen"), RDFS.label, Literal("x", lang="en"))], []),
    "in": ([(FEATURE, CKG.reliefSpeed, Literal("quick"))], []),
    "in, boolean": ([(ns.medication_effect(SLUG, 3, 0), CKG.negated, Literal(False))], []),
    "min exclusive": ([(ns.risk_association(SLUG, 2, 0), CKG.oddsRatio, Literal(0.0))], []),
    "inverse path": ([], [(None, CKG.hasFeature, ns.feature(SLUG, 5, 0))]),
    "sparql": ([(STATEMENT, CKG.unresolvedCitation, Literal(7))], []),
    "target subjects of": ([], [(STATEMENT, CKG.citationNumber, None)]),
    "several": ([(FEATURE, CKG.bodySite, RDFS.label)], [(None, CKG.year, None)]),
}


@pytest.mark.parametrize("case", sorted(MUTATIONS))
def test_the_compiled_checks_find_what_pyshacl_finds(
    case: str, graph: Graph, ontology: Graph
) -> None:
    changed = _with(graph, *MUTATIONS[case])
    data = changed + ontology
    conforms, results, _ = validate(
        data, shacl_graph=shapes_graph(), inference="none", allow_warnings=True, advanced=False
    )
    assert isinstance(results, Graph)
    expected = {
        tuple(results.value(result, key) for key in (SH.focusNode, SH.resultMessage, SH.value))
        for result in results.subjects(RDF.type, SH.ValidationResult)
    }
    found = {
        (focus, Literal(message_for(check, value)), value)
        for focus, value, check in violations(changed, ontology)
    }
    assert found == expected
    assert conforms == (case == "conforming")


def test_a_shacl_term_the_compiler_does_not_cover_is_refused_by_name() -> None:
    shapes = Graph()
    for triple in shapes_graph():
        shapes.add(triple)
    shapes.add((CKG._NS["Shape"], SH.pattern, Literal("^x")))
    with pytest.raises(UnsupportedShape, match="sh:pattern"):
        compiled_checks(shapes)
