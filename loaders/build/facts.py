"""Clinical fact nodes of an article graph: features, risk associations, medication effects,
treatments and condition relations, each `ckg:supportedBy` the statement it came from."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from decimal import Decimal
from typing import TypeVar

from rdflib import RDF, RDFS, XSD, Graph, Literal, Namespace, URIRef

from clinkg.loaders.build.entities import EntityIndex, add_labels, add_mapping
from clinkg.loaders.extract.facts import (
    ArticleFacts,
    EntityKind,
    Feature,
    MedicationEffectFact,
    RiskFactorFact,
    TreatmentFact,
)
from clinkg.ontology import namespaces as ns
from clinkg.ontology.namespaces import CKG

# Vocabulary concepts (ckg:Calf, ckg:Exertion ...) are defined in vocabulary.ttl, not in the CKG
# DefinedNamespace; the SHACL shapes check that each one used is a concept of the right class.
VOCABULARY = Namespace(str(CKG._NS))
RELATION_PROPERTIES = {
    "differential": CKG.differentialDiagnosis,
    "associated": CKG.associatedCondition,
}
# When statements disagree on a treatment's status, the most cautious one is kept.
STATUS_CAUTION = {"NotRecommended": 0, "LimitedEvidence": 1, "Recommended": 2}

F = TypeVar("F", Feature, RiskFactorFact, MedicationEffectFact)


def entity_uses(facts: ArticleFacts) -> Iterator[tuple[EntityKind, str]]:
    """Every (kind, label) the facts name an entity by."""
    if facts.primary_condition is not None:
        yield "condition", facts.primary_condition
    for feature in facts.features:
        yield "condition", feature.condition
        yield from (("population", label) for label in feature.populations)
    for risk in facts.risk_factors:
        yield "condition", risk.condition
        yield "risk-factor", risk.factor
    for effect in facts.medication_effects:
        yield "condition", effect.condition
        yield "medication", effect.medication
    for treatment in facts.treatments:
        yield "condition", treatment.condition
        yield from (("medication", label) for label in treatment.medications)
    for relation in facts.relations:
        yield "condition", relation.subject
        yield "condition", relation.object
    for mention in facts.mentions:
        yield mention.kind, mention.label


def numbered(
    article_slug: str, facts: Iterable[F], mint: Callable[[str, int, int], URIRef]
) -> list[tuple[URIRef, F]]:
    """Each fact with its IRI: its statement and its order among that statement's facts."""
    seen: Counter[int] = Counter()
    result = []
    for fact in facts:
        result.append((mint(article_slug, fact.statement, seen[fact.statement]), fact))
        seen[fact.statement] += 1
    return result


def add_facts(graph: Graph, facts: ArticleFacts, index: EntityIndex) -> None:
    """All fact nodes of the article, linked to their conditions and statements."""
    slug = facts.article.slug
    for iri, feature in numbered(slug, facts.features, ns.feature):
        _add_feature(graph, slug, iri, feature, index)
    for iri, risk in numbered(slug, facts.risk_factors, ns.risk_association):
        _add_risk(graph, slug, iri, risk, index)
    for iri, effect in numbered(slug, facts.medication_effects, ns.medication_effect):
        _add_medication_effect(graph, slug, iri, effect, index)
    _add_treatments(graph, slug, facts.treatments, index)
    for relation in facts.relations:
        subject, obj = index.iri(relation.subject), index.iri(relation.object)
        graph.add((subject, RELATION_PROPERTIES[relation.kind], obj))
        _about(graph, slug, relation.statement, subject, obj)
    for mention in facts.mentions:
        _about(graph, slug, mention.statement, index.iri(mention.label))


def _about(graph: Graph, slug: str, statement: int, *entities: URIRef) -> None:
    for entity in entities:
        graph.add((ns.statement(slug, statement), CKG.about, entity))


def _supported(graph: Graph, slug: str, subject: URIRef, statement: int) -> None:
    graph.add((subject, CKG.supportedBy, ns.statement(slug, statement)))


def _decimal(value: float) -> Literal:
    # Through str() so that 4.6 is written "4.6", not the binary float's long expansion.
    return Literal(Decimal(str(value)), datatype=XSD.decimal)


def _add_feature(
    graph: Graph, slug: str, subject: URIRef, feature: Feature, index: EntityIndex
) -> None:
    condition = index.iri(feature.condition)
    graph.add((subject, RDF.type, CKG.ClinicalFeature))
    graph.add((subject, RDFS.label, Literal(feature.label)))
    qualifiers = (
        (CKG.bodySite, feature.sites),
        (CKG.trigger, feature.triggers),
        (CKG.relievedBy, feature.reliefs),
        (CKG.quality, feature.qualities),
    )
    for predicate, names in qualifiers:
        for name in names:
            graph.add((subject, predicate, VOCABULARY[name]))
    for label in feature.populations:
        graph.add((subject, CKG.population, index.iri(label)))
    if feature.relief_within is not None:
        graph.add(
            (subject, CKG.reliefWithin, Literal(feature.relief_within, datatype=XSD.duration))
        )
    if feature.relief_speed is not None:
        graph.add((subject, CKG.reliefSpeed, Literal(feature.relief_speed)))
    if feature.duration is not None:
        graph.add((subject, CKG.duration, Literal(feature.duration)))
    graph.add((subject, CKG.negated, Literal(feature.negated)))
    for mapping in feature.mappings:
        add_mapping(graph, subject, mapping)
    _supported(graph, slug, subject, feature.statement)
    graph.add((condition, CKG.hasFeature, subject))
    _about(graph, slug, feature.statement, condition)


def _add_risk(
    graph: Graph, slug: str, subject: URIRef, risk: RiskFactorFact, index: EntityIndex
) -> None:
    condition, factor = index.iri(risk.condition), index.iri(risk.factor)
    graph.add((subject, RDF.type, CKG.RiskAssociation))
    graph.add((subject, CKG.factor, factor))
    graph.add((subject, CKG.role, Literal(risk.role)))
    if risk.statistic_type is not None:
        graph.add((subject, CKG.statisticType, Literal(risk.statistic_type)))
    if risk.statistic_value is not None:
        graph.add((subject, CKG.statisticValue, _decimal(risk.statistic_value)))
    if risk.statistic_type == "OR" and risk.statistic_value is not None:
        graph.add((subject, CKG.oddsRatio, _decimal(risk.statistic_value)))
    if risk.statistic_text is not None:
        graph.add((subject, CKG.statisticText, Literal(risk.statistic_text)))
    if risk.qualifier is not None:
        graph.add((subject, CKG.statisticQualifier, Literal(risk.qualifier)))
    _supported(graph, slug, subject, risk.statement)
    graph.add((condition, CKG.hasRiskFactor, factor))
    graph.add((condition, CKG.riskAssociation, subject))
    _about(graph, slug, risk.statement, condition, factor)


def _add_medication_effect(
    graph: Graph, slug: str, subject: URIRef, effect: MedicationEffectFact, index: EntityIndex
) -> None:
    condition, medication = index.iri(effect.condition), index.iri(effect.medication)
    graph.add((subject, RDF.type, CKG.MedicationEffect))
    graph.add((subject, CKG.medication, medication))
    if effect.odds_ratio is not None:
        graph.add((subject, CKG.oddsRatio, _decimal(effect.odds_ratio)))
    if effect.statistic_text is not None:
        graph.add((subject, CKG.statisticText, Literal(effect.statistic_text)))
    _supported(graph, slug, subject, effect.statement)
    if effect.negated:
        graph.add((subject, CKG.negated, Literal(True)))
    else:
        graph.add((condition, CKG.inducedBy, medication))
    graph.add((condition, CKG.medicationEffect, subject))
    _about(graph, slug, effect.statement, condition, medication)


def _add_treatments(
    graph: Graph, slug: str, treatments: Sequence[TreatmentFact], index: EntityIndex
) -> None:
    groups: dict[URIRef, list[TreatmentFact]] = {}
    for fact in treatments:
        groups.setdefault(ns.treatment(fact.condition, fact.label), []).append(fact)
    for subject, group in groups.items():
        caution = min(STATUS_CAUTION[fact.status] for fact in group)
        kept = [fact for fact in group if STATUS_CAUTION[fact.status] == caution]
        _add_treatment(graph, slug, subject, kept, index)
        broader = kept[0].broader
        # Only link a broader class the article grades too: an ungraded node would be invalid.
        if broader is not None and ns.treatment(kept[0].condition, broader) in groups:
            graph.add((subject, CKG.broaderTreatment, ns.treatment(kept[0].condition, broader)))


def _add_treatment(
    graph: Graph, slug: str, subject: URIRef, group: Sequence[TreatmentFact], index: EntityIndex
) -> None:
    first = group[0]
    condition = index.iri(first.condition)
    graph.add((subject, RDF.type, CKG.Treatment))
    add_labels(graph, subject, first.label)
    graph.add((subject, CKG.treats, condition))
    graph.add((condition, CKG.hasTreatment, subject))
    graph.add((subject, CKG.recommendationStatus, VOCABULARY[first.status]))
    no_longer = any(fact.no_longer_recommended for fact in group)
    graph.add((subject, CKG.noLongerRecommended, Literal(no_longer)))
    graph.add((subject, CKG.statusCue, Literal(first.cue)))
    for fact in group:
        _supported(graph, slug, subject, fact.statement)
        medications = [index.iri(label) for label in fact.medications]
        for medication in medications:
            graph.add((subject, CKG.medication, medication))
        _about(graph, slug, fact.statement, condition, *medications)
