"""The WSGI-level /sparql dispatch answers exactly as the Flask view does, only sooner.

Each request goes once through the app as served (`SparqlDispatch` in front) and once straight to
Flask (the dispatch's `inner`); status, headers and body must be the same. Queries order their
answers, so the two runs agree byte for byte.
"""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from werkzeug.test import Client

from clinkg.server.sparql_endpoint import FAILURE, SparqlDispatch

SELECT = "SELECT ?s ?o WHERE { ?s <http://www.w3.org/2000/01/rdf-schema#label> ?o } ORDER BY ?s ?o"
CONSTRUCT = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o } ORDER BY ?s ?p ?o LIMIT 5"
GRAPH = "https://w3id.org/clinkg/graph/article/mini"
FORM = "application/x-www-form-urlencoded"

CASES: list[tuple[str, dict[str, Any]]] = [
    ("GET", {"query_string": {"query": SELECT}}),
    ("HEAD", {"query_string": {"query": SELECT}}),
    ("GET", {"query_string": {"query": SELECT}, "headers": {"Accept": "text/csv"}}),
    ("GET", {"query_string": {"query": SELECT}, "headers": {"Accept": "application/xml"}}),
    ("GET", {"query_string": {"query": CONSTRUCT}, "headers": {"Accept": "text/plain"}}),
    ("GET", {"query_string": {"query": CONSTRUCT}, "headers": {"Accept": "application/rdf+xml"}}),
    ("GET", {"query_string": {"query": SELECT}, "headers": {"Accept": "image/png"}}),
    ("GET", {"query_string": {"query": "SELEC nope"}}),
    ("GET", {"query_string": {"query": SELECT, "default-graph-uri": "%zz"}}),
    ("GET", {"query_string": {"query": SELECT, "default-graph-uri": GRAPH}}),
    ("GET", {"query_string": [("query", SELECT), ("query", SELECT)]}),
    ("GET", {"query_string": {"query": "SELECT * { SERVICE <http://x/> { ?s ?p ?o } }"}}),
    ("GET", {"query_string": {"query": "x" * 9_000}}),
    ("POST", {"data": {"query": SELECT}, "headers": {"Accept": "text/tab-separated-values"}}),
    ("POST", {"data": SELECT, "content_type": "application/sparql-query"}),
    ("POST", {"data": SELECT, "content_type": "application/sparql-query; charset=latin-1"}),
    ("POST", {"data": b"\xff\xfe", "content_type": "application/sparql-query"}),
    ("POST", {"data": "CLEAR ALL", "content_type": "application/sparql-update"}),
    ("POST", {"data": SELECT, "content_type": "text/plain"}),
    ("POST", {"data": {"update": "CLEAR ALL"}}),
    ("POST", {"data": "query=ASK%7B%7D&query=ASK%7B%7D", "content_type": FORM}),
    ("POST", {"data": {"query": SELECT, "named-graph-uri": "http://a b"}}),
    ("POST", {"data": b"query=%FF&x=\xff", "content_type": FORM}),  # not UTF-8: werkzeug's call
    ("POST", {"data": {"query": SELECT}, "content_type": FORM + "; charset=utf-8"}),
    ("POST", {"data": SELECT, "content_type": "application/sparql-query; charset=UTF-8"}),
    ("POST", {"data": SELECT, "content_type": "application/sparql-query", "query_string": "a=%zz"}),
    ("POST", {"data": "", "content_type": "application/sparql-query"}),
    ("POST", {"data": {"query": "q" * 600_000}}),  # over Flask's MAX_FORM_MEMORY_SIZE: 413
    ("POST", {"data": "q" * 1_100_000, "content_type": "application/sparql-query"}),
    ("PUT", {"data": {"query": SELECT}}),
]


def _dispatch(app: Flask) -> SparqlDispatch:
    dispatch = app.wsgi_app
    assert isinstance(dispatch, SparqlDispatch)
    return dispatch


def _answer(wsgi: Any, method: str, options: dict[str, Any]) -> tuple[int, list[Any], bytes]:
    response = Client(wsgi).open("/sparql", method=method, **options)
    headers = sorted((k, v) for k, v in response.headers.items() if k not in ("Date", "Allow"))
    return response.status_code, headers, response.get_data()


@pytest.mark.parametrize(("method", "options"), CASES)
def test_the_dispatch_answers_as_the_flask_view_does(
    app: Flask, method: str, options: dict[str, Any]
) -> None:
    served = _answer(app, method, options)
    flask_only = _answer(_dispatch(app).inner, method, options)
    assert served == flask_only


PLAIN: list[dict[str, Any]] = [
    {"method": "GET", "query_string": {"query": "ASK {}"}},
    {"method": "POST", "data": {"query": "ASK {}"}},
    {"method": "POST", "data": "ASK {}", "content_type": "application/sparql-query"},
]


@pytest.mark.parametrize("options", PLAIN)
def test_a_plain_query_request_does_not_reach_flask(app: Flask, options: dict[str, Any]) -> None:
    def refuse(environ: Any, start_response: Any) -> Any:
        raise AssertionError(f"Flask was called for {environ['PATH_INFO']}")

    dispatch = SparqlDispatch(app, refuse)
    response = Client(dispatch).open("/sparql", **options)
    assert response.status_code == 200
    assert response.headers["X-Frame-Options"] == "DENY"  # the security headers, as Flask adds


def test_a_failure_is_answered_by_flask_without_running_the_query_again(app: Flask) -> None:
    runner = app.extensions["clinkg.server.query_runner"]
    calls: list[object] = []
    original = runner.run

    def counted(job: Any) -> Any:
        calls.append(job)
        return original(job)

    runner.run = counted
    response = app.test_client().get("/sparql", query_string={"query": "SELEC nope"})
    assert response.status_code == 400 and response.is_json
    assert len(calls) == 1
    assert FAILURE not in response.request.environ
