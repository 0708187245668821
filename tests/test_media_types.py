"""Content negotiation's one home: what /sparql, the stores and the pages choose for an Accept."""

from __future__ import annotations

import pytest

from clinkg.errors import NotAcceptable
from clinkg.store.media_types import (
    DOCUMENT_GRAPH_TYPES,
    best_match,
    canonical,
    choose,
    sparql_preferences,
)


@pytest.mark.parametrize(
    ("accept", "preferences"),
    [
        (None, "application/sparql-results+json,text/turtle"),
        ("*/*", "application/sparql-results+json,text/turtle"),
        ("application/rdf+xml", "application/rdf+xml"),  # SPARQLWrapper's CONSTRUCT default
        ("application/sparql-results+xml", "application/sparql-results+xml"),
        ("text/csv;q=0.5, text/tab-separated-values", "text/tab-separated-values"),
        ("text/*", "text/csv,text/turtle"),
        ("application/json, application/ld+json", "application/json,application/ld+json"),
    ],
)
def test_sparql_gets_the_best_results_type_and_the_best_graph_type(
    accept: str | None, preferences: str
) -> None:
    assert sparql_preferences(accept) == preferences


def test_an_accept_nothing_served_matches_is_406() -> None:
    with pytest.raises(NotAcceptable, match="image/png"):
        sparql_preferences("image/png")


def test_the_first_type_of_the_answer_s_kind_is_chosen() -> None:
    assert choose("application/sparql-results+xml,application/rdf+xml", "graph") == (
        "application/rdf+xml"
    )
    assert choose("text/plain;charset=utf-8, text/csv", "results") == "text/csv"
    with pytest.raises(NotAcceptable, match="a graph answer cannot be sent as text/csv"):
        choose("text/csv", "graph")


def test_aliases_are_asked_of_other_servers_as_their_canonical_type() -> None:
    assert canonical("application/json") == "application/sparql-results+json"
    assert canonical("text/plain") == "application/n-triples"
    assert canonical("text/turtle") == "text/turtle"


def test_a_page_of_rdf_prefers_html_for_browsers_and_turtle_for_anything() -> None:
    offered = ("text/html", *DOCUMENT_GRAPH_TYPES)
    browser = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
    assert best_match(browser, offered) == "text/html"
    assert best_match("application/rdf+xml", offered) == "application/rdf+xml"
    assert best_match(None, DOCUMENT_GRAPH_TYPES) == "text/turtle"
