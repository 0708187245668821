"""The differential helper: findings matched and argued against, all judged by SPARQL."""

from __future__ import annotations

import pytest
from rdflib import URIRef

from clinkg.errors import QueryParameterError
from clinkg.registry import load_catalogue
from clinkg.server.differential import parse_findings, rank_conditions
from clinkg.store.oxigraph import OxigraphStore


def _ranking(store: OxigraphStore, **picked: list[str]) -> list[tuple[str, int, int]]:
    catalogue = load_catalogue()
    ranked = rank_conditions(store, catalogue, parse_findings(store, catalogue, picked))  # type: ignore[arg-type]
    return [(c.label, c.matched_findings, c.contradicted_findings) for c in ranked]


def test_conditions_rank_by_findings_matched_minus_argued_against(store: OxigraphStore) -> None:
    ranking = _ranking(store, site=["calf"], trigger=["exercise"])
    assert ranking[:2] == [("Baker's cyst", 2, 0), ("Peripheral artery disease", 2, 0)]
    assert ("Nocturnal leg cramps", 1, 1) in ranking  # calf, but its trigger is the night


def test_another_stated_trigger_argues_against(store: OxigraphStore) -> None:
    ranking = _ranking(store, trigger=["night"])
    assert ranking[0] == ("Nocturnal leg cramps", 1, 0)
    assert all(against == 1 for _, matched, against in ranking[1:] if not matched)


def test_a_sign_is_found_in_the_wording_of_features(store: OxigraphStore) -> None:
    assert _ranking(store, sign=["swelling"]) == [
        ("Baker's cyst", 1, 0),
        ("Deep vein thrombosis", 1, 0),
    ]


def test_each_verdict_carries_the_feature_and_its_evidence(store: OxigraphStore) -> None:
    catalogue = load_catalogue()
    findings = parse_findings(store, catalogue, {"site": ["calf"], "trigger": ["exertion"]})
    first = rank_conditions(store, catalogue, findings)[0]
    assert isinstance(first.iri, URIRef)
    assert all(v.feature.evidence for v in first.matching)
    assert first.matching[0].feature.evidence[0].text


def test_no_findings_or_an_unknown_value_is_refused(store: OxigraphStore) -> None:
    with pytest.raises(QueryParameterError):
        parse_findings(store, load_catalogue(), {})
    with pytest.raises(QueryParameterError, match="trigger"):
        parse_findings(store, load_catalogue(), {"trigger": ["moonlight"]})


def test_a_matrix_cell_says_matches_against_or_nothing_with_its_sentences(
    store: OxigraphStore,
) -> None:
    catalogue = load_catalogue()
    findings = parse_findings(
        store, catalogue, {"site": ["calf"], "trigger": ["exercise"], "sign": ["swelling"]}
    )
    ranked = {c.label: c for c in rank_conditions(store, catalogue, findings)}
    cramps = ranked["Nocturnal leg cramps"]
    site, trigger, sign = (cramps.cell(f) for f in findings)
    assert (site.verdict, trigger.verdict, sign.verdict) == ("matches", "against", None)
    assert site.sentences >= 1 and sign.verdicts == () and sign.sentences == 0
    assert len({v.feature.iri for v in trigger.verdicts}) == len(trigger.verdicts)
