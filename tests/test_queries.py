"""Every `.rq` file parses and runs; each canned question answers mini.ttl as expected."""

from __future__ import annotations

from importlib import resources

import pytest
from rdflib.plugins.sparql import prepareQuery

from clinkg.registry import allowed_values, load_catalogue, parse_query
from clinkg.server.answers import answer_question
from clinkg.store.oxigraph import OxigraphStore

QUERY_FILES = sorted(
    entry.name
    for entry in resources.files("clinkg.queries").iterdir()
    if entry.name.endswith(".rq")
)


def _text(name: str) -> str:
    return resources.files("clinkg.queries").joinpath(name).read_text(encoding="utf-8")


@pytest.mark.parametrize("name", QUERY_FILES)
def test_every_query_file_has_a_valid_header_and_is_standard_sparql(name: str) -> None:
    question = parse_query(name, _text(name))
    assert question.name and question.summary
    prepareQuery(question.sparql)  # a second engine agrees it is SPARQL 1.1


@pytest.mark.parametrize("name", QUERY_FILES)
def test_every_query_runs_with_its_parameters_bound(name: str, store: OxigraphStore) -> None:
    catalogue = load_catalogue()
    question = parse_query(name, _text(name))
    bindings = {
        param.name: allowed_values(store, catalogue, param.values)[0].iri
        for param in question.params
    }
    rows = store.select(question.sparql, bindings)
    assert all(set(row) >= set(bindings) for row in rows)


def _labels(store: OxigraphStore, question_id: str, **params: str) -> list[str]:
    answered = answer_question(store, load_catalogue(), question_id, params)
    return [item.label for item in answered.answers]


def test_features_at_a_site_include_its_parts_and_sites_shared_within_a_condition(
    store: OxigraphStore,
) -> None:
    # Baker's cyst: exertion stated without a site, its other feature is in the calf.
    # Hip osteoarthritis: exertion without a site, but its sited feature is the thigh.
    assert _labels(store, "conditions-by-feature", site="calf", trigger="exertion") == [
        "Baker's cyst",
        "Peripheral artery disease",
    ]
    assert _labels(store, "conditions-by-feature", site="leg", trigger="exercise") == [
        "Baker's cyst",
        "Hip osteoarthritis",
        "Peripheral artery disease",
    ]


def test_a_feature_stated_as_absent_does_not_count(store: OxigraphStore) -> None:
    assert _labels(store, "conditions-by-feature", site="calf", trigger="night") == [
        "Nocturnal leg cramps"
    ]


def test_risk_factors_carry_their_statistics(store: OxigraphStore) -> None:
    answered = answer_question(store, load_catalogue(), "risk-factors", {"condition": "leg cramps"})
    assert [
        (
            a.label,
            a.columns["oddsRatio"],
            a.columns["statisticType"],
            a.columns["statisticValue"],
            a.columns["statisticText"],
        )
        for a in answered.answers
    ] == [
        ("Muscle twitching", 4.6, "OR", 4.6, "OR 4.6"),
        ("Lower limb tingling", 4.1, "OR", 4.1, "OR 4.1"),
    ]


def test_a_condition_acting_as_a_risk_factor_is_one_entity(store: OxigraphStore) -> None:
    answered = answer_question(store, load_catalogue(), "risk-factors", {"condition": "DVT"})
    assert [str(a.iri).rsplit("/", 1)[1] for a in answered.answers] == [
        "superficial-vein-thrombosis"
    ]


def test_inducing_medications(store: OxigraphStore) -> None:
    assert _labels(store, "inducing-medications", condition="Nocturnal leg cramps") == ["Naproxen"]


def test_treatments_carry_status_and_the_no_longer_flag(store: OxigraphStore) -> None:
    answered = answer_question(store, load_catalogue(), "treatments", {"condition": "leg cramps"})
    status = {
        a.label: (a.columns["status"], a.columns["noLongerRecommended"]) for a in answered.answers
    }
    assert status == {"Quinine": ("not recommended", True), "Magnesium": ("limited evidence", None)}


def test_differentials_take_evidence_about_both_conditions(store: OxigraphStore) -> None:
    answered = answer_question(
        store, load_catalogue(), "differentials", {"condition": "leg cramps"}
    )
    [pad] = answered.answers
    assert pad.label == "Peripheral artery disease"
    assert [str(e.statement).rsplit("/", 1)[1] for e in pad.evidence] == ["8"]


def test_evidence_lists_every_statement_about_the_condition(store: OxigraphStore) -> None:
    assert len(_labels(store, "evidence", condition="Nocturnal leg cramps")) == 7


def test_an_unresolved_citation_is_reported_as_such(store: OxigraphStore) -> None:
    answered = answer_question(store, load_catalogue(), "risk-factors", {"condition": "leg cramps"})
    citations = answered.answers[0].evidence[0].citations
    assert [(c.number, c.reference, c.unresolved) for c in citations] == [(4, None, True)]


def test_each_of_several_markers_names_its_own_reference(store: OxigraphStore) -> None:
    answered = answer_question(
        store, load_catalogue(), "differentials", {"condition": "leg cramps"}
    )
    evidence = answered.answers[0].evidence[0]
    assert evidence.markers == (1, 5)
    years = [(c.number, c.reference.year if c.reference else None) for c in evidence.citations]
    assert years == [(1, "2012"), (5, "2025")]


def test_not_recommended_treatments_come_first(store: OxigraphStore) -> None:
    answered = answer_question(store, load_catalogue(), "treatments", {"condition": "leg cramps"})
    statuses = [item.columns["status"] for item in answered.answers]
    order = {"not recommended": 0, "limited evidence": 1, "recommended": 2}
    assert "not recommended" in statuses
    assert statuses == sorted(statuses, key=order.__getitem__)
