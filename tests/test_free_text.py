"""Ask in your own words: labels and synonyms from the graph, readings ranked by what they use."""

from __future__ import annotations

import pytest
from rdflib import URIRef

from clinkg.registry import AllowedValue, load_catalogue
from clinkg.server.free_text import find_mentions, read_as, stem, understand
from clinkg.store.oxigraph import OxigraphStore

CALF = AllowedValue("calf", URIRef("urn:calf"), ("calves",))
LOWER_LEG = AllowedValue("lower leg", URIRef("urn:lower-leg"))
LEG = AllowedValue("leg", URIRef("urn:leg"))
EXERTION = AllowedValue("exertion", URIRef("urn:exertion"), ("exercise", "walking"))
REST = AllowedValue("rest", URIRef("urn:rest"))
DVT = AllowedValue("Deep vein thrombosis", URIRef("urn:dvt"), ("DVT",))


def test_a_synonym_names_its_value_and_the_longest_name_wins() -> None:
    values = {"body-site": [CALF, LEG, LOWER_LEG], "trigger": [EXERTION]}
    mentions = find_mentions("pain in the lower leg and calves when walking", values)
    assert [(m.source, m.value.label, m.words) for m in mentions] == [
        ("body-site", "lower leg", "lower leg"),
        ("body-site", "calf", "calves"),
        ("trigger", "exertion", "walking"),
    ]


def test_one_word_may_name_values_of_two_sources() -> None:
    mentions = find_mentions("pain at rest", {"trigger": [REST], "relief": [REST]})
    assert sorted(m.source for m in mentions) == ["relief", "trigger"]


def test_acronyms_match_only_as_written_and_words_only_whole() -> None:
    values = {"condition": [DVT], "body-site": [LEG]}
    assert [m.words for m in find_mentions("is dvt the cause? DVT", values)] == ["DVT"]
    assert find_mentions("legacy legs", values) == []


def test_stems_let_inflections_meet() -> None:
    assert stem("treated") == stem("treatments") == "treat"
    assert stem("causes") == stem("caused")


@pytest.mark.parametrize(
    ("text", "question", "params"),
    [
        (
            "which conditions cause calf pain on exercise?",
            "conditions-by-feature",
            {"site": "calf", "trigger": "exertion"},
        ),
        ("what causes calf pain when walking?", "conditions-by-feature", {"site": "calf"}),
        ("how is leg cramps treated", "treatments", {"condition": "Nocturnal leg cramps"}),
        ("risk factors for DVT", "risk-factors", {"condition": "Deep vein thrombosis"}),
    ],
)
def test_questions_in_own_words_map_to_canned_questions(
    store: OxigraphStore, text: str, question: str, params: dict[str, str]
) -> None:
    best = understand(store, load_catalogue(), text).best
    assert best is not None and best.question.id == question
    assert {name: m.value.label for name, m in best.params.items()}.items() >= params.items()


def test_a_missing_parameter_is_reported_not_guessed(store: OxigraphStore) -> None:
    best = understand(store, load_catalogue(), "which conditions cause calf pain?").best
    assert best is not None and best.question.id == "conditions-by-feature"
    assert best.missing == ("trigger",) and not best.complete


def test_text_naming_nothing_known_has_no_reading(store: OxigraphStore) -> None:
    assert understand(store, load_catalogue(), "tell me about the weather").best is None


def test_a_reading_fills_each_parameter_from_its_own_source(store: OxigraphStore) -> None:
    question = load_catalogue().get("conditions-by-feature")
    mentions = find_mentions("calf exercise", {"body-site": [CALF], "trigger": [EXERTION]})
    reading = read_as(question, mentions, {"condi"})
    assert {n: m.value.label for n, m in reading.params.items()} == {
        "site": "calf",
        "trigger": "exertion",
    }
    assert reading.complete
