"""The probes of issue 13, one test each: malformed requests, HEAD, RDF/XML, CSV cells, Host.

(The stall under slow queries and the unbounded differential are in test_isolation.py.)
"""

from __future__ import annotations

import csv
import io
import threading
from collections.abc import Iterator

import pytest
from flask import Flask
from flask.testing import FlaskClient
from rdflib import Graph
from SPARQLWrapper import SPARQLWrapper

from clinkg.server import create_app
from clinkg.server.serving import make_server
from clinkg.store.oxigraph import OxigraphStore

BAD_IRI_PATHS = ["a%20b", "%22", "%7B", "%5C", "%3C", "^", "|", "%60", "%25zz", "%00"]
HOST = "attacker.example"


@pytest.mark.parametrize("rest", BAD_IRI_PATHS)
def test_an_entity_path_that_is_no_iri_is_400_naming_it(client: FlaskClient, rest: str) -> None:
    response = client.get(f"/id/{rest}")
    assert response.status_code == 400
    assert b"is not a valid IRI" in response.data


@pytest.mark.parametrize(
    ("parameter", "value"), [("default-graph-uri", "%zz"), ("named-graph-uri", "http://a b")]
)
def test_a_dataset_graph_that_is_no_iri_is_400_and_kills_no_worker(
    app: Flask, client: FlaskClient, parameter: str, value: str
) -> None:
    runner = app.extensions["clinkg.server.query_runner"]
    response = client.get("/sparql", query_string={"query": "ASK {}", parameter: value})
    assert response.status_code == 400
    assert response.get_json()["message"].startswith(f"{parameter}: '{value}' is not a valid IRI")
    assert client.get("/sparql", query_string={"query": "ASK {}"}).status_code == 200
    assert runner.lost_workers == 0
    runner.close()


def test_head_on_sparql_is_the_service_description_without_a_body(client: FlaskClient) -> None:
    head, get = client.head("/sparql"), client.get("/sparql")
    assert head.status_code == get.status_code == 200
    assert head.mimetype == get.mimetype == "text/turtle" and head.get_data() == b""


def test_an_unknown_method_is_405_naming_the_allowed_ones(client: FlaskClient) -> None:
    response = client.open("/sparql", method="BREW")
    assert response.status_code == 405
    assert {"GET", "HEAD", "POST"} <= set(response.headers["Allow"].split(", "))
    assert response.get_json()["error"] == "Method Not Allowed"


@pytest.fixture
def served(store: OxigraphStore) -> Iterator[str]:
    """The app behind waitress on loopback; the /sparql URL."""
    app = create_app({"TESTING": True, "STORE": store})
    server = make_server(app, "127.0.0.1", 0)
    threading.Thread(target=server.run, daemon=True).start()
    yield f"http://127.0.0.1:{server.effective_port}/sparql"
    server.close()
    app.extensions["clinkg.server.query_runner"].close()


def test_sparqlwrapper_defaults_get_rdf_xml_for_construct_and_xml_for_select(served: str) -> None:
    wrapper = SPARQLWrapper(served)
    wrapper.setQuery("CONSTRUCT WHERE { ?s ?p ?o } LIMIT 5")
    answer = wrapper.query()
    assert answer.response.headers["Content-Type"].startswith("application/rdf+xml")
    graph = answer.convert()
    assert isinstance(graph, Graph) and len(graph) == 5
    wrapper.setQuery("SELECT ?s WHERE { ?s ?p ?o } LIMIT 2")
    assert len(wrapper.query().convert().getElementsByTagName("result")) == 2


def test_describe_as_rdf_xml(client: FlaskClient) -> None:
    query = "DESCRIBE <https://w3id.org/clinkg/id/condition/nocturnal-leg-cramps>"
    response = client.get(
        "/sparql", query_string={"query": query}, headers={"Accept": "application/rdf+xml"}
    )
    assert response.status_code == 200 and response.mimetype == "application/rdf+xml"
    assert len(Graph().parse(data=response.data, format="xml")) > 0


def test_answers_csv_writes_missing_values_as_empty_cells(client: FlaskClient) -> None:
    response = client.get("/questions/risk-factors/answers.csv?condition=leg+cramps")
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    assert rows and not any("None" in row.values() for row in rows)
    columns = [name for name in rows[0] if name.startswith("statistic")]
    assert any(row[name] == "" for row in rows for name in columns)


@pytest.mark.parametrize(
    "path",
    ["/sparql", "/void", "/workbench", "/questions/treatments?condition=leg%20cramps"],
)
def test_the_host_header_is_never_reflected(client: FlaskClient, path: str) -> None:
    response = client.get(path, headers={"Host": HOST})
    assert response.status_code == 200
    assert HOST.encode() not in response.data
    assert b"http://localhost/sparql" in response.data or b"http://localhost/questions" in (
        response.data
    )


def test_the_host_header_is_not_the_base_of_relative_iris(client: FlaskClient) -> None:
    query = "SELECT ?x WHERE { BIND(<thing> AS ?x) }"
    body = client.get("/sparql", query_string={"query": query}, headers={"Host": HOST}).get_json()
    assert body["results"]["bindings"][0]["x"]["value"] == "http://localhost/thing"


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/sparql", b"<https://kg.example.org/clinkg/sparql>"),
        ("/void", b"<https://kg.example.org/clinkg/download/clinkg.ttl>"),
        ("/workbench", b'data-endpoint="https://kg.example.org/clinkg/sparql"'),
        (
            "/questions/treatments?condition=leg%20cramps",
            b"https://kg.example.org/clinkg/questions/treatments?condition=",
        ),
    ],
)
def test_the_public_url_is_used_for_every_absolute_link(
    store: OxigraphStore, path: str, expected: bytes
) -> None:
    app = create_app(
        {"TESTING": True, "STORE": store, "PUBLIC_URL": "https://kg.example.org/clinkg/"}
    )
    response = app.test_client().get(path, headers={"Host": HOST})
    assert expected in response.data
    assert HOST.encode() not in response.data


def test_without_a_known_name_links_are_relative(store: OxigraphStore) -> None:
    app = create_app({"TESTING": True, "STORE": store})
    environ = {"SERVER_NAME": "waitress.invalid", "SERVER_PORT": "8080"}
    client = app.test_client()
    page = client.get("/workbench", headers={"Host": HOST}, environ_overrides=environ)
    assert b'data-endpoint="/sparql"' in page.data and HOST.encode() not in page.data
    described = client.get("/sparql", headers={"Host": HOST}, environ_overrides=environ)
    assert HOST.encode() not in described.data and b"waitress.invalid" not in described.data
