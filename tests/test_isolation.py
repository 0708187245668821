"""Pages, the API and canned answers never wait behind /sparql; page work has a deadline and bounds.

The server under test is the real one (`clinkg.server.serving.make_server`: waitress with its
threads sized from the config) on loopback, with eight slow /sparql queries in flight.
"""

from __future__ import annotations

import http.client
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

import pytest
from flask import Flask
from flask.testing import FlaskClient
from rdflib import RDFS, Literal, URIRef

from clinkg.server import create_app
from clinkg.server.deadline import DeadlineStore
from clinkg.server.serving import make_server, thread_count
from clinkg.store import snapshot
from clinkg.store.oxigraph import OxigraphStore

GRAPH = URIRef("urn:test:graph")
THING = URIRef("urn:test:thing")

# Five-way cross product of every triple: far past any deadline here.
SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?o ?q }"
WORKERS, QUEUE = 4, 4
ISOLATION_BOUND = 0.5  # seconds: the bound for a page while /sparql is saturated
CANNED = "/api/questions/treatments?condition=leg%20cramps"


@dataclass
class Served:
    """An app behind a real waitress server on a free loopback port."""

    app: Flask
    port: int

    def get(self, path: str) -> tuple[int, float, http.client.HTTPResponse]:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        started = time.monotonic()
        connection.request("GET", path)
        response = connection.getresponse()
        response.read()
        return response.status, time.monotonic() - started, response

    def post_query(self, query: str) -> tuple[int, float, http.client.HTTPResponse]:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        started = time.monotonic()
        body = urlencode({"query": query})
        headers = {"Content-Type": "application/x-www-form-urlencoded"}
        connection.request("POST", "/sparql", body=body, headers=headers)
        response = connection.getresponse()
        response.read()
        return response.status, time.monotonic() - started, response


@pytest.fixture
def served(store: OxigraphStore) -> Iterator[Served]:
    app = create_app(
        {
            "TESTING": True,
            "STORE": store,
            "QUERY_WORKERS": WORKERS,
            "QUERY_QUEUE": QUEUE,
            "QUERY_DEADLINE": 2.0,
            "QUERY_QUEUE_WAIT": 30.0,
            "PAGE_THREADS": 4,
        }
    )
    server = make_server(app, "127.0.0.1", 0)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    yield Served(app, int(server.effective_port))
    server.close()
    app.extensions["clinkg.server.query_runner"].close()


def _in_flight(app: Flask, count: int, within: float = 20.0) -> None:
    """Poll until `count` queries are running or waiting in the app's runner."""
    runner = app.extensions["clinkg.server.query_runner"]
    deadline = time.monotonic() + within
    while runner.in_flight < count:
        assert time.monotonic() < deadline, f"only {runner.in_flight} queries got in"
        threading.Event().wait(0.02)


def test_with_eight_slow_queries_in_flight_pages_answer_at_once_and_more_queries_get_429(
    served: Served,
) -> None:
    for path in ("/", "/api/questions", CANNED):  # templates compiled, value lists read
        assert served.get(path)[0] == 200
    slow_statuses: list[int] = []
    clients = [
        threading.Thread(target=lambda: slow_statuses.append(served.post_query(SLOW)[0]))
        for _ in range(WORKERS + QUEUE)
    ]
    for client in clients:
        client.start()
    _in_flight(served.app, WORKERS + QUEUE)
    for path in ("/", "/api/questions", CANNED):
        status, seconds, _ = served.get(path)
        assert status == 200, path
        assert seconds < ISOLATION_BOUND, f"{path} took {seconds:.2f} s"
    status, seconds, response = served.post_query("ASK {}")
    assert status == 429 and seconds < ISOLATION_BOUND
    assert response.headers["Retry-After"] == "2"
    for client in clients:
        client.join()
    assert slow_statuses == [503] * (WORKERS + QUEUE)  # each stopped at its deadline


def test_waitress_gets_threads_beyond_all_that_sparql_may_hold() -> None:
    config = {"QUERY_WORKERS": 4, "QUERY_QUEUE": 32, "PAGE_THREADS": 4}
    assert thread_count(config) == 40


def test_many_differential_findings_are_refused_naming_the_limit(client: FlaskClient) -> None:
    response = client.get("/differential", query_string=[("sign", f"sign {i}") for i in range(450)])
    assert response.status_code == 400
    assert b"at most 16 parameter values" in response.data


def test_a_long_parameter_value_is_refused_naming_the_limit(client: FlaskClient) -> None:
    response = client.get("/api/questions/treatments", query_string={"condition": "x" * 301})
    assert response.status_code == 400
    body = response.get_json()
    assert body["limit"] == "MAX_PARAM_LENGTH" and "'condition'" in body["message"]


def test_free_text_is_bounded_too(client: FlaskClient) -> None:
    response = client.get("/ask", query_string={"q": "calf " * 100})
    assert response.status_code == 400
    assert b"longer than 300 characters" in response.data


def test_a_page_past_its_deadline_is_503_with_retry_after(store: OxigraphStore) -> None:
    app = create_app({"TESTING": True, "STORE": store, "PAGE_DEADLINE": 0.0})
    response = app.test_client().get("/differential", query_string={"site": "calf"})
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "1"
    assert b"more than 0 s of queries" in response.data


def test_a_pages_queries_under_its_deadline_read_one_state_while_a_load_publishes(
    tmp_path: Path,
) -> None:
    on_disk = OxigraphStore(tmp_path / "store")
    on_disk.replace_graphs({GRAPH: [(THING, RDFS.label, Literal("before"))]})
    pinned = snapshot(DeadlineStore(on_disk, 30.0))
    on_disk.replace_graphs({GRAPH: [(THING, RDFS.label, Literal("after"))]})
    label = "SELECT ?label WHERE { GRAPH ?g { ?thing ?p ?label } }"
    assert [str(row["label"]) for row in pinned.select(label)] == ["before"]
    assert [str(row["label"]) for row in on_disk.select(label)] == ["after"]
