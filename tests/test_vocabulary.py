"""The qualifier vocabulary (ontology/vocabulary.ttl) and its text matchers."""

from __future__ import annotations

import pytest
from rdflib import RDF, Graph
from rdflib.namespace import SKOS

from clinkg.loaders.vocabularies.vocabulary import (
    CKG_NS,
    VOCABULARY_FILE,
    load_vocabulary,
    phrase_pattern,
)


def concepts(text: str, kind: str) -> list[str]:
    return [m.concept for m in load_vocabulary().find(text, kind)]


def test_every_concept_has_one_pref_label_and_a_qualifier_type() -> None:
    graph = Graph().parse(VOCABULARY_FILE)
    for concept in graph.subjects(RDF.type, CKG_NS["BodySite"]):
        assert len(list(graph.objects(concept, SKOS.prefLabel))) == 1, concept
    vocabulary = load_vocabulary()
    assert {"Calf", "Exertion", "Night", "Rest", "NotRecommended"} <= set(vocabulary.concepts)


def test_partonomy_is_transitive() -> None:
    vocabulary = load_vocabulary()
    assert vocabulary.within("Gastrocnemius", "Leg")
    assert vocabulary.within("Calf", "Calf")
    assert not vocabulary.within("Leg", "Calf")
    assert not vocabulary.within("Hand", "Leg")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "tight, bursting calf pain after strenuous exercise (like jogging)",
            ["Exertion", "Running"],
        ),
        ("most commonly occur at night", ["Night"]),
        ("often worse on standing", ["Standing"]),
        ("present with exercise and at rest", ["Exertion", "Rest"]),
    ],
)
def test_triggers(text: str, expected: list[str]) -> None:
    assert list(dict.fromkeys(concepts(text, "Trigger"))) == expected


def test_sites_prefer_the_longest_name() -> None:
    assert concepts("swelling behind the knee extending down the calf", "BodySite") == [
        "PoplitealFossa",
        "Calf",
    ]
    assert concepts("pain in the lower-extremity", "BodySite") == ["Leg"]


@pytest.mark.parametrize(
    ("text", "status"),
    [
        ("Quinine is no longer recommended to treat leg cramps.", "NotRecommended"),
        ("Routine stockings are not recommended to prevent it.", "NotRecommended"),
        ("Physiotherapy is advised.", "Recommended"),
        ("There is insufficient evidence to recommend it.", "LimitedEvidence"),
        ("Early ambulation is encouraged.", "Recommended"),
    ],
)
def test_status_cues(text: str, status: str) -> None:
    assert concepts(text, "RecommendationStatus")[0] == status


@pytest.mark.parametrize(
    ("text", "status"),
    [
        ("It may be managed with serial ultrasound.", "LimitedEvidence"),
        ("Tennis leg is managed conservatively with rest.", "Recommended"),
    ],
)
def test_treatment_wordings_imply_a_default_status(text: str, status: str) -> None:
    vocabulary = load_vocabulary()
    [wording] = vocabulary.find(text, "TreatmentWording")
    assert vocabulary.concepts[wording.concept].implies == status
    assert vocabulary.find(text, "RecommendationStatus") == []


def test_gap_in_a_cue_phrase_spans_a_few_words_only() -> None:
    pattern = phrase_pattern(["is managed … with"])
    assert pattern.search("is managed conservatively with rest")
    assert not pattern.search("is managed in hospital by a team of nurses and doctors with")


def test_synonym_sets_are_read() -> None:
    sets = load_vocabulary().synonym_sets
    assert any("superficial vein thrombosis" in s for s in sets)
