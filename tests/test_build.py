"""The builder: facts -> the article graph shaped as graph-shape.md describes."""

from __future__ import annotations

import dataclasses
from decimal import Decimal
from pathlib import Path

import rdflib
from rdflib import RDF, SKOS, Graph, Literal, URIRef
from rdflib.compare import isomorphic, to_isomorphic
from sample_facts import FACTS

from clinkg.loaders.build.graph import build_graph, ontology_graph
from clinkg.loaders.extract.facts import ArticleFacts, Entity, TreatmentFact
from clinkg.ontology import namespaces as ns

CKG = ns.CKG
GOLDEN = Path(__file__).resolve().parent / "golden" / "sample-facts.ttl"
SLUG = FACTS.article.slug


def with_facts(**changes: object) -> ArticleFacts:
    return dataclasses.replace(FACTS, **changes)  # type: ignore[arg-type]


def test_the_sample_facts_build_the_golden_graph() -> None:
    golden = Graph().parse(GOLDEN, format="turtle")
    built = build_graph(FACTS)
    if not isomorphic(built, golden):
        only_built = to_isomorphic(built) - to_isomorphic(golden)
        only_golden = to_isomorphic(golden) - to_isomorphic(built)
        raise AssertionError(
            f"not in golden: {sorted(only_built)[:5]}\nmissing: {sorted(only_golden)[:5]}"
        )


def test_building_twice_gives_the_same_graph() -> None:
    assert isomorphic(build_graph(FACTS), build_graph(FACTS))


def test_a_resolved_marker_cites_the_reference_at_its_position() -> None:
    graph = build_graph(FACTS)
    statement = ns.statement(SLUG, 0)
    reference = ns.reference("Nocturnal leg cramps.", 2012)
    assert (statement, CKG.cites, reference) in graph
    assert (statement, CKG.citationNumber, Literal(1)) in graph
    assert (statement, CKG.unresolvedCitation, None) not in graph


def test_a_marker_without_a_listed_reference_stays_unresolved() -> None:
    graph = build_graph(FACTS)
    statement = ns.statement(SLUG, 3)  # markers 1 and 2; 2 maps to None
    assert set(graph.objects(statement, CKG.citationNumber)) == {Literal(1), Literal(2)}
    assert set(graph.objects(statement, CKG.unresolvedCitation)) == {Literal(2)}
    assert len(set(graph.objects(statement, CKG.cites))) == 1


def test_a_marker_the_alignment_does_not_know_is_unresolved_not_guessed() -> None:
    alignment = dataclasses.replace(FACTS.alignment, mapping={})
    graph = build_graph(with_facts(alignment=alignment))
    assert (None, CKG.cites, None) not in graph
    assert (ns.statement(SLUG, 0), CKG.unresolvedCitation, Literal(1)) in graph


def test_a_condition_acting_as_a_risk_factor_keeps_the_condition_iri() -> None:
    graph = build_graph(FACTS)
    cirrhosis = ns.condition("Cirrhosis")
    assert {CKG.Condition, CKG.RiskFactor} <= set(graph.objects(cirrhosis, RDF.type))
    assert (ns.condition("Nocturnal leg cramps"), CKG.hasRiskFactor, cirrhosis) in graph
    assert (None, None, ns.risk_factor("Cirrhosis")) not in graph


def test_a_risk_factor_not_among_the_entities_is_typed_and_labelled() -> None:
    risk = dataclasses.replace(FACTS.risk_factors[0], factor="Muscle twitching")
    graph = build_graph(with_facts(risk_factors=(risk,)))
    factor = ns.risk_factor("Muscle twitching")
    assert (factor, RDF.type, CKG.RiskFactor) in graph
    assert (factor, SKOS.prefLabel, Literal("Muscle twitching")) in graph


def test_odds_ratios_are_decimals() -> None:
    graph = build_graph(FACTS)
    value = graph.value(ns.risk_association(SLUG, 2, 0), CKG.oddsRatio)
    assert value == Literal(Decimal("2.5"), datatype=rdflib.XSD.decimal)


def test_qualifiers_are_vocabulary_concepts() -> None:
    graph = build_graph(FACTS)
    feature = ns.feature(SLUG, 5, 0)
    assert (feature, CKG.trigger, CKG._NS["Exertion"]) in graph
    assert (feature, CKG.reliefWithin, Literal("PT10M", datatype=rdflib.XSD.duration)) in graph
    assert (feature, CKG.negated, Literal(False)) in graph


def test_every_qualifier_concept_used_exists_in_the_vocabulary() -> None:
    vocabulary = ontology_graph()
    graph = build_graph(FACTS)
    for predicate in (CKG.bodySite, CKG.trigger, CKG.relievedBy, CKG.quality):
        for concept in graph.objects(None, predicate):
            assert (concept, RDF.type, SKOS.Concept) in vocabulary


def test_a_broader_treatment_the_article_does_not_grade_is_not_linked() -> None:
    graph = build_graph(FACTS)
    assert (None, CKG.broaderTreatment, None) not in graph


def test_a_broader_treatment_the_article_grades_is_linked() -> None:
    broader = TreatmentFact("Nocturnal leg cramps", "Antimalarials", "NotRecommended", 4, "cue")
    graph = build_graph(with_facts(treatments=(*FACTS.treatments, broader)))
    quinine = ns.treatment("Nocturnal leg cramps", "Quinine")
    antimalarials = ns.treatment("Nocturnal leg cramps", "Antimalarials")
    assert (quinine, CKG.broaderTreatment, antimalarials) in graph


def test_statements_disagreeing_on_a_status_keep_the_most_cautious() -> None:
    hopeful = TreatmentFact("Nocturnal leg cramps", "Quinine", "Recommended", 0, "is recommended")
    graph = build_graph(with_facts(treatments=(hopeful, *FACTS.treatments)))
    quinine = ns.treatment("Nocturnal leg cramps", "Quinine")
    assert set(graph.objects(quinine, CKG.recommendationStatus)) == {CKG._NS["NotRecommended"]}
    assert set(graph.objects(quinine, CKG.supportedBy)) == {ns.statement(SLUG, 4)}


def test_entities_named_with_different_case_are_one_node() -> None:
    entities = (*FACTS.entities, Entity("condition", "nocturnal leg cramps", ("night cramps",)))
    graph = build_graph(with_facts(entities=entities))
    labels = set(graph.objects(ns.condition("Nocturnal leg cramps"), SKOS.prefLabel))
    assert labels == {Literal("Nocturnal leg cramps")}


def test_mappings_become_skos_matches_to_public_vocabularies() -> None:
    graph = build_graph(FACTS)
    target = URIRef("http://purl.obolibrary.org/obo/HP_0003394")
    assert (ns.condition("Nocturnal leg cramps"), SKOS.closeMatch, target) in graph
