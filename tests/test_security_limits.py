"""Deadlines that hold, bounded concurrency, capped answers, body and URL limits, headers."""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from rdflib import Graph, Literal, URIRef

from clinkg.ontology.namespaces import article_graph
from clinkg.server import create_app
from clinkg.store.oxigraph import OxigraphStore

# Five-way cross product of every triple: billions of rows, seconds of CPU per million.
PATHOLOGICAL = (
    "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?o ?q }"
)
CHEAP = "ASK { ?s ?p ?o }"
DEADLINE = 1.5


def _app(store: OxigraphStore | Path, **config: object) -> Flask:
    return create_app({"TESTING": True, "STORE": store, **config})


def _started(app: Flask, *, running: int = 1, within: float = 5.0) -> None:
    """Poll until `running` queries are in the app's runner (a deadline, not a blind sleep)."""
    deadline = time.monotonic() + within
    while app.extensions["clinkg.server.query_runner"].running < running:
        assert time.monotonic() < deadline, "the slow query never started"
        threading.Event().wait(0.01)


@pytest.fixture
def limited(store: OxigraphStore) -> Iterator[Flask]:
    app = _app(store, QUERY_DEADLINE=DEADLINE, QUERY_WORKERS=2, MAX_RESULT_ROWS=3)
    yield app
    app.extensions["clinkg.server.query_runner"].close()


def test_a_pathological_query_is_cut_at_the_deadline_while_a_cheap_one_answers(
    limited: Flask,
) -> None:
    client = limited.test_client()
    assert client.post("/sparql", data={"query": CHEAP}).status_code == 200  # warm a worker
    slow: dict[str, object] = {}

    def ask_slow() -> None:
        started = time.monotonic()
        response = limited.test_client().post("/sparql", data={"query": PATHOLOGICAL})
        slow.update(response=response, seconds=time.monotonic() - started)

    thread = threading.Thread(target=ask_slow)
    thread.start()
    _started(limited)
    started = time.monotonic()
    cheap = client.post("/sparql", data={"query": CHEAP})
    cheap_seconds = time.monotonic() - started
    thread.join()
    assert cheap.status_code == 200 and cheap_seconds < 1.0
    response = slow["response"]
    assert response.status_code == 503  # type: ignore[attr-defined]
    assert response.headers["Retry-After"] == "2"  # type: ignore[attr-defined]
    assert "longer than 1.5 s" in response.get_json()["message"]  # type: ignore[attr-defined]
    past_deadline = float(slow["seconds"]) - DEADLINE  # type: ignore[arg-type]
    assert 0 <= past_deadline < 0.5
    # The killed worker is replaced: the next query is answered.
    assert client.post("/sparql", data={"query": CHEAP}).get_json()["boolean"] is True


def test_beyond_the_workers_and_the_queue_callers_get_429_with_retry_after(
    store: OxigraphStore,
) -> None:
    app = _app(store, QUERY_DEADLINE=DEADLINE, QUERY_WORKERS=1, QUERY_QUEUE=0)
    thread = threading.Thread(
        target=lambda: app.test_client().post("/sparql", data={"query": PATHOLOGICAL})
    )
    thread.start()
    _started(app)
    response = app.test_client().post("/sparql", data={"query": CHEAP})
    thread.join()
    assert response.status_code == 429
    assert response.headers["Retry-After"] == "2"


def test_a_caller_that_waits_too_long_for_a_worker_gets_503_with_retry_after(
    store: OxigraphStore,
) -> None:
    app = _app(store, QUERY_DEADLINE=DEADLINE, QUERY_WORKERS=1, QUERY_QUEUE_WAIT=0.2)
    thread = threading.Thread(
        target=lambda: app.test_client().post("/sparql", data={"query": PATHOLOGICAL})
    )
    thread.start()
    _started(app)
    response = app.test_client().post("/sparql", data={"query": CHEAP})
    thread.join()
    assert response.status_code == 503
    assert "Retry-After" in response.headers


@pytest.mark.parametrize(
    ("accept", "count"),
    [
        ("application/sparql-results+json", lambda body: body.count(b'"s":')),
        ("text/csv", lambda body: body.count(b"\r\n") - 1),
        ("text/tab-separated-values", lambda body: body.count(b"\n") - 1),
        ("application/sparql-results+xml", lambda body: body.count(b"<result>")),
    ],
)
def test_rows_are_capped_and_the_header_says_so(limited: Flask, accept: str, count: object) -> None:
    response = limited.test_client().post(
        "/sparql", data={"query": "SELECT ?s WHERE { ?s ?p ?o }"}, headers={"Accept": accept}
    )
    assert response.status_code == 200
    assert response.headers["Clinkg-Truncated"] == "rows; limit=3"
    assert count(response.data) == 3  # type: ignore[operator]


def test_construct_triples_are_capped(store: OxigraphStore) -> None:
    app = _app(store, MAX_RESULT_TRIPLES=5)
    response = app.test_client().post(
        "/sparql",
        data={"query": "CONSTRUCT WHERE { ?s ?p ?o }"},
        headers={"Accept": "application/n-triples"},
    )
    assert response.headers["Clinkg-Truncated"] == "triples; limit=5"
    assert response.data.count(b"\n") == 5


def test_a_small_answer_is_not_marked_truncated(limited: Flask) -> None:
    response = limited.test_client().post(
        "/sparql", data={"query": "SELECT ?s WHERE { ?s ?p ?o } LIMIT 2"}
    )
    assert "Clinkg-Truncated" not in response.headers


def test_workers_see_what_a_replace_wrote(store: OxigraphStore, client: FlaskClient) -> None:
    query = {"query": "ASK { <urn:new> ?p ?o }"}
    assert client.post("/sparql", data=query).get_json()["boolean"] is False
    store.replace_graphs({URIRef("urn:g:new"): [(URIRef("urn:new"), URIRef("urn:p"), Literal(1))]})
    assert client.post("/sparql", data=query).get_json()["boolean"] is True


def test_an_embedded_store_on_disk_is_queried_by_read_only_workers(
    tmp_path: Path, mini_graph: Graph
) -> None:
    held = OxigraphStore(tmp_path / "store")  # the server process keeps the store open
    held.replace_graphs({article_graph("mini"): mini_graph})
    app = _app(held)
    response = app.test_client().post("/sparql", data={"query": "SELECT * { ?s ?p ?o }"})
    assert response.status_code == 200
    assert len(response.get_json()["results"]["bindings"]) == len(mini_graph)
    app.extensions["clinkg.server.query_runner"].close()


def test_a_body_over_the_limit_is_413(store: OxigraphStore) -> None:
    client = _app(store, MAX_CONTENT_LENGTH=1000).test_client()
    padding = "#" + "x" * 2000 + "\n"
    direct = client.post("/sparql", data=padding + CHEAP, content_type="application/sparql-query")
    form = client.post("/sparql", data={"query": padding + CHEAP})
    assert (direct.status_code, form.status_code) == (413, 413)


def test_a_long_get_is_told_to_use_post(client: FlaskClient) -> None:
    response = client.get("/sparql", query_string={"query": CHEAP + " #" + "x" * 9000})
    assert response.status_code == 414
    assert "POST" in response.get_json()["message"]


@pytest.mark.parametrize("path", ["/", "/api/questions", "/sparql?query=ASK%7B%7D"])
def test_every_response_carries_the_security_headers(client: FlaskClient, path: str) -> None:
    headers = client.get(path).headers
    policy = headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy
    assert headers["X-Content-Type-Options"] == "nosniff"


def test_the_pages_hold_no_inline_script_or_style(client: FlaskClient) -> None:
    for path in ("/", "/questions/treatments?condition=leg+cramps"):
        page = client.get(path).get_data(as_text=True)
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", page), path
        assert not re.search(r"\son[a-z]+\s*=", page), path
        assert not re.search(r"\sstyle\s*=", page), path
        assert "javascript:" not in page, path
