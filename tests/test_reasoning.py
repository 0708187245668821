"""Reasoning at load time: HermiT fills the defined classes, catches wrong extractions as
inconsistencies (refusing the load, leaving the store as it was), and its entailments live in
their own graph; the answers that use them differ without it."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from expected_answers import BUNDLED_ARTICLES, expected, expected_names, synonyms_of, unmatched
from flask.testing import FlaskClient
from rdflib import RDF, Graph
from sample_facts import FACTS

from clinkg.errors import InconsistentGraph
from clinkg.loaders import pipeline, stored_graphs
from clinkg.loaders.build.graph import build_graph, ontology_graph
from clinkg.loaders.pipeline import LoadReport, load_articles
from clinkg.loaders.reason.reasoner import reason
from clinkg.ontology import namespaces as ns
from clinkg.ontology.namespaces import CKG
from clinkg.server import create_app
from clinkg.store.oxigraph import OxigraphStore

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(shutil.which("java") is None, reason="HermiT needs a Java runtime"),
]
MISTAKE = Path(__file__).parent / "fixtures" / "reasoning" / "condition-as-medication.ttl"
PREFIXES = """
PREFIX ckg: <https://w3id.org/clinkg/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
"""
MEMBERS = {
    "ExertionalCondition": PREFIXES
    + "SELECT ?c ?label ?synonym WHERE { ?c a ckg:ExertionalCondition ; rdfs:label ?label ."
    + " OPTIONAL { ?c skos:altLabel ?synonym } }",
    "NocturnalCondition": PREFIXES
    + "SELECT ?c ?label ?synonym WHERE { ?c a ckg:NocturnalCondition ; rdfs:label ?label ."
    + " OPTIONAL { ?c skos:altLabel ?synonym } }",
}
ANY_EXERTIONAL = PREFIXES + "ASK { ?c a ckg:ExertionalCondition }"


class Loaded:
    """One bundled article loaded alone into a fresh store, and an app over it."""

    def __init__(self, slug: str, reasoning: bool) -> None:
        self.slug = slug
        self.store = OxigraphStore(None)
        path = BUNDLED_ARTICLES / f"{slug}.txt"
        self.report: LoadReport = load_articles([path], self.store, reasoning=reasoning)
        self.client: FlaskClient = create_app({"TESTING": True, "STORE": self.store}).test_client()

    def members(self, local_name: str) -> list[dict[str, Any]]:
        """Members of a ckg: class over /sparql, as answers (label and synonyms)."""
        response = self.client.get("/sparql", query_string={"query": MEMBERS[local_name]})
        assert response.status_code == 200
        answers: dict[str, dict[str, Any]] = {}
        for row in response.get_json()["results"]["bindings"]:
            answer = answers.setdefault(row["c"]["value"], {"label": "", "synonyms": []})
            answer["label"] = row["label"]["value"]
            if "synonym" in row:
                answer["synonyms"].append(row["synonym"]["value"])
        return list(answers.values())

    def ask(self, question: str, **params: str) -> list[dict[str, Any]]:
        response = self.client.get(f"/api/questions/{question}", query_string=params)
        assert response.status_code == 200, response.get_json()
        answers: list[dict[str, Any]] = response.get_json()["answers"]
        return answers

    def dump(self) -> list[str]:
        return sorted(self.store.export("application/n-quads").decode("utf-8").splitlines())


@pytest.fixture(scope="module", params=["calf-muscle-spasms", "swollen-painful-calf"])
def loaded(request: pytest.FixtureRequest) -> Iterator[Loaded]:
    article = Loaded(request.param, reasoning=True)
    yield article
    article.store.close()


@pytest.fixture(scope="module")
def unreasoned() -> Iterator[Loaded]:
    article = Loaded("calf-muscle-spasms", reasoning=False)
    yield article
    article.store.close()


def expected_conditions(slug: str, key: str) -> list[set[str]]:
    return [expected_names(label, synonyms_of(slug, label)) for label in expected(slug)[key]]


@pytest.mark.parametrize(
    ("defined", "key"),
    [
        ("ExertionalCondition", "exertional_conditions"),
        ("NocturnalCondition", "nocturnal_conditions"),
    ],
)
def test_members_of_the_defined_classes_over_sparql_are_the_expected(
    loaded: Loaded, defined: str, key: str
) -> None:
    missing, extra = unmatched(expected_conditions(loaded.slug, key), loaded.members(defined))
    assert (missing, extra) == ([], [])


def test_the_kinds_question_answers_from_the_inferred_classes_with_feature_evidence(
    loaded: Loaded,
) -> None:
    answers = loaded.ask("conditions-by-class", **{"class": "exertional"})
    expected_items = expected_conditions(loaded.slug, "exertional_conditions")
    assert unmatched(expected_items, answers) == ([], [])
    assert all(answer["evidence"] for answer in answers)


def test_inferences_are_kept_in_their_own_graph_apart_from_the_articles(loaded: Loaded) -> None:
    article = ns.article_graph(loaded.slug)

    def ask(graph: str) -> bool:
        query = {"query": ANY_EXERTIONAL, "default-graph-uri": [graph]}
        answer: bool = loaded.client.get("/sparql", query_string=query).get_json()["boolean"]
        return answer

    assert (ask(str(article)), ask(str(ns.INFERRED_GRAPH))) == (False, True)
    assert ns.INFERRED_GRAPH in loaded.store.graph_names()


def test_the_load_report_says_what_reasoning_did(loaded: Loaded) -> None:
    reasoning = loaded.report.reasoning
    assert reasoning is not None and reasoning.seconds is not None
    assert reasoning.members["Exertional condition"] >= 1
    assert reasoning.unsatisfiable == ()
    assert "Reasoning (compiled rules, incremental): consistent" in loaded.report.render()


def test_without_reasoning_the_inferred_answers_are_missing(unreasoned: Loaded) -> None:
    assert unreasoned.members("ExertionalCondition") == []
    assert unreasoned.ask("conditions-by-class", **{"class": "exertional"}) == []
    assert ns.INFERRED_GRAPH not in unreasoned.store.graph_names()
    assert "Reasoning: off" in unreasoned.report.render()


@pytest.mark.parametrize("loaded", ["calf-muscle-spasms"], indirect=True)
def test_an_inconsistent_extraction_is_refused_and_the_store_keeps_its_content(
    loaded: Loaded, monkeypatch: pytest.MonkeyPatch
) -> None:
    mistake = Graph().parse(MISTAKE)
    monkeypatch.setattr(pipeline, "build_graph", lambda facts: build_graph(facts) + mistake)
    before = loaded.dump()
    with pytest.raises(InconsistentGraph) as refused:
        load_articles([BUNDLED_ARTICLES / "calf-muscle-spasms.txt"], loaded.store)
    message = str(refused.value)
    assert message.startswith("the load is refused")
    assert "'Cirrhosis' would be both a Condition (" in message
    assert "and a Medication (" in message
    assert "'Nocturnal leg cramps' has it as induced by" in message
    assert "declares these classes disjoint" in message
    assert loaded.dump() == before


def test_reasoning_follows_the_body_site_partonomy_and_adds_only_what_is_new() -> None:
    asserted = build_graph(FACTS)
    inference = reason(asserted, ontology_graph())
    feature = ns.feature(FACTS.article.slug, 5, 0)
    assert (feature, CKG.bodySite, CKG._NS["Leg"]) in inference.triples
    assert (ns.condition("Peripheral artery disease"), RDF.type, CKG.LegCondition) in (
        inference.triples
    )
    assert not set(inference.triples) & set(asserted)


def test_skipping_property_classification_changes_no_inference(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from contextlib import nullcontext

    from clinkg.loaders.reason import reasoner as reasoning

    article = BUNDLED_ARTICLES / "calf-muscle-spasms.txt"
    store = OxigraphStore(None)
    load_articles([article], store, reasoning=False)
    asserted = Graph()
    for s, p, o in stored_graphs.stored_article_graphs(store):
        asserted.add((s, p, o))
    commands: list[list[str]] = []
    real = reasoning.subprocess.check_output

    def spy(command: list[str], *args: Any, **kwargs: Any) -> Any:
        commands.append(command)
        return real(command, *args, **kwargs)

    monkeypatch.setattr(reasoning.subprocess, "check_output", spy)
    lean = reason(asserted, ontology_graph())
    monkeypatch.setattr(reasoning, "_without_property_classification", nullcontext)
    full = reason(asserted, ontology_graph())
    assert "-O" not in commands[0] and "-D" not in commands[0] and "-I" in commands[0]
    assert "-O" in commands[1]
    assert set(lean.triples) == set(full.triples) and len(lean.triples) > 0
