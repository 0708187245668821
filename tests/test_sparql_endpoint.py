"""`/sparql` against the SPARQL 1.1 Protocol (cases after /work/shared/w3c-sparql11/protocol).

Not applicable here: the update-operation tests (the endpoint is read-only and answers every
update with 400) and the service-description tests.
"""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient

SELECT = (
    "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> SELECT ?label WHERE"
    " { ?c a <https://w3id.org/clinkg/ontology#Condition> ; rdfs:label ?label } ORDER BY ?label"
)
CONSTRUCT = "CONSTRUCT WHERE { <https://w3id.org/clinkg/ontology#Calf> ?p ?o }"
GRAPH = "https://w3id.org/clinkg/graph/article/mini"


def test_query_via_get_answers_sparql_results_json(client: FlaskClient) -> None:
    response = client.get("/sparql", query_string={"query": SELECT})
    assert response.status_code == 200
    assert response.mimetype == "application/sparql-results+json"
    labels = [b["label"]["value"] for b in response.get_json()["results"]["bindings"]]
    assert labels[0] == "Baker's cyst"


def test_query_via_url_encoded_post(client: FlaskClient) -> None:
    response = client.post("/sparql", data={"query": "ASK { ?s ?p ?o }"})
    assert response.get_json() == {"head": {}, "boolean": True}


def test_query_via_direct_post(client: FlaskClient) -> None:
    response = client.post(
        "/sparql",
        data=SELECT,
        content_type="application/sparql-query",
        headers={"Accept": "text/csv"},
    )
    assert response.mimetype == "text/csv"
    assert response.data.startswith(b"label\r\nBaker's cyst\r\n")


@pytest.mark.parametrize(
    "accept",
    ["application/sparql-results+xml", "text/csv", "text/tab-separated-values"],
)
def test_select_results_in_the_accepted_format(client: FlaskClient, accept: str) -> None:
    response = client.get("/sparql", query_string={"query": SELECT}, headers={"Accept": accept})
    assert (response.status_code, response.mimetype) == (200, accept)


@pytest.mark.parametrize(
    ("accept", "served"),
    [
        ("*/*", "text/turtle"),
        ("application/n-triples", "application/n-triples"),
        ("application/ld+json", "application/ld+json"),
        ("application/sparql-results+json, text/turtle;q=0.5", "text/turtle"),
    ],
)
def test_construct_answers_rdf_in_the_accepted_format(
    client: FlaskClient, accept: str, served: str
) -> None:
    response = client.get("/sparql", query_string={"query": CONSTRUCT}, headers={"Accept": accept})
    assert (response.status_code, response.mimetype) == (200, served)
    assert b"sural region" in response.data


def test_an_unservable_accept_is_406(client: FlaskClient) -> None:
    response = client.get(
        "/sparql", query_string={"query": SELECT}, headers={"Accept": "text/turtle"}
    )
    assert response.status_code == 406
    response = client.get(
        "/sparql", query_string={"query": SELECT}, headers={"Accept": "image/png"}
    )
    assert response.status_code == 406


def test_a_bad_query_is_400_with_the_parser_message(client: FlaskClient) -> None:
    response = client.get("/sparql", query_string={"query": "SELECT ?x WHERE {"})
    assert response.status_code == 400
    assert "error at" in response.get_json()["message"]


@pytest.mark.parametrize(
    "request_kwargs",
    [
        {"data": {"update": "CLEAR ALL"}},
        {"data": "CLEAR ALL", "content_type": "application/sparql-update"},
        {"data": {"query": "INSERT DATA { <urn:a> <urn:b> <urn:c> }"}},
    ],
)
def test_updates_are_refused(client: FlaskClient, request_kwargs: dict[str, object]) -> None:
    response = client.post("/sparql", **request_kwargs)
    assert response.status_code == 400
    assert client.post("/sparql", data={"query": "ASK { ?s ?p ?o }"}).get_json()["boolean"]


def test_update_via_get_is_refused_as_read_only(client: FlaskClient) -> None:
    response = client.get("/sparql", query_string={"update": "CLEAR ALL"})
    assert response.status_code == 400
    assert "read-only" in response.get_json()["message"]


def test_more_than_one_query_is_400(client: FlaskClient) -> None:
    response = client.get("/sparql?query=ASK%7B%7D&query=ASK%7B%7D")
    assert response.status_code == 400


def test_a_post_of_another_media_type_is_415(client: FlaskClient) -> None:
    response = client.post("/sparql", data=SELECT, content_type="text/plain")
    assert response.status_code == 415


def test_a_direct_post_not_in_utf8_is_415(client: FlaskClient) -> None:
    response = client.post(
        "/sparql",
        data=SELECT.encode("utf-16"),
        content_type="application/sparql-query; charset=UTF-16",
    )
    assert response.status_code == 415


def test_other_methods_are_405(client: FlaskClient) -> None:
    assert client.put("/sparql", data=SELECT).status_code == 405


def test_protocol_default_graph_replaces_the_union(client: FlaskClient) -> None:
    ask = "ASK { ?s ?p ?o }"
    elsewhere = client.get("/sparql", query_string={"query": ask, "default-graph-uri": "urn:none"})
    assert elsewhere.get_json()["boolean"] is False
    here = client.get("/sparql", query_string={"query": ask, "default-graph-uri": GRAPH})
    assert here.get_json()["boolean"] is True


def test_protocol_named_graphs(client: FlaskClient) -> None:
    query = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"
    response = client.post("/sparql", data={"query": query, "named-graph-uri": GRAPH})
    assert [b["g"]["value"] for b in response.get_json()["results"]["bindings"]] == [GRAPH]


def test_relative_iris_resolve_against_the_endpoint(client: FlaskClient) -> None:
    response = client.get(
        "/sparql", query_string={"query": "SELECT ?x WHERE { BIND(<here> AS ?x) }"}
    )
    assert response.get_json()["results"]["bindings"][0]["x"]["value"] == "http://localhost/here"


def test_federated_queries_are_refused(client: FlaskClient) -> None:
    query = "SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }"
    response = client.get("/sparql", query_string={"query": query})
    assert response.status_code == 400
    assert "SERVICE" in response.get_json()["message"]
