"""The worker sends pyoxigraph's own serialisation, and counts its rows and triples right for
the cap."""

from __future__ import annotations

import socket
from concurrent.futures import ThreadPoolExecutor

import pyoxigraph as ox
import pytest

from clinkg.server.query_worker import (
    QueryFailure,
    QueryJob,
    QueryReply,
    answer,
    count_rows,
    native_solutions,
    receive,
    send,
)
from clinkg.store.media_types import RESULT_FORMATS
from clinkg.store.oxigraph import OxigraphStore

# Values that look like the marks the row count reads: none may be counted as a row.
TRICKY = ['a,{"b', "{}", "[{}]", 'say "hi"', "two\nlines", "<result>", "x\r\ny", ",{", "\\"]
QUERY = "SELECT ?s ?o ?none WHERE { ?s ?p ?o OPTIONAL { ?s <urn:none> ?none } } ORDER BY ?o"


@pytest.fixture(scope="module")
def engine() -> OxigraphStore:
    store = ox.Store()
    for index, text in enumerate(TRICKY):
        subject = ox.NamedNode(f"urn:s{index}")
        store.add(ox.Quad(subject, ox.NamedNode("urn:p"), ox.Literal(text), ox.NamedNode("urn:g")))
    return OxigraphStore.from_dump(store.dump(format=ox.RdfFormat.N_QUADS))


@pytest.mark.parametrize("media_type", sorted(set(RESULT_FORMATS) - {"application/json"}))
def test_rows_are_counted_exactly_in_every_format(engine: OxigraphStore, media_type: str) -> None:
    result_format = RESULT_FORMATS[media_type]
    result = engine.run_query(QUERY)
    assert isinstance(result, ox.QuerySolutions)
    body = native_solutions(result, result_format, 100)
    assert body is not None
    assert count_rows(body, result_format) == len(TRICKY)


def test_a_solution_with_no_bindings_is_a_row() -> None:
    body = b'{"head":{"vars":["x"]},"results":{"bindings":[{},'
    body += b'{"x":{"type":"literal","value":"{}"}}]}}'
    assert count_rows(body, ox.QueryResultsFormat.JSON) == 2


@pytest.mark.parametrize("cap", [len(TRICKY) - 1, len(TRICKY), 1000])
def test_the_native_answer_is_sent_under_the_cap_and_cut_over_it(
    engine: OxigraphStore, cap: int
) -> None:
    job = QueryJob(sparql=QUERY, media_type="application/sparql-results+json", max_rows=cap)
    reply = answer(engine, job)
    assert isinstance(reply, QueryReply)
    parsed = list(ox.parse_query_results(reply.body, format=ox.QueryResultsFormat.JSON))
    assert len(parsed) == min(cap, len(TRICKY))
    assert reply.truncated == ("rows" if cap < len(TRICKY) else None)
    if cap >= len(TRICKY):
        native = engine.run_query(QUERY)
        assert isinstance(native, ox.QuerySolutions)
        assert reply.body == native.serialize(format=ox.QueryResultsFormat.JSON)


GRAPH_QUERY = "CONSTRUCT WHERE { ?s ?p ?o }"


@pytest.mark.parametrize("cap", [len(TRICKY) - 1, len(TRICKY), 1000])
@pytest.mark.parametrize("media_type", ["application/n-triples", "text/turtle"])
def test_triples_are_sent_under_the_cap_and_cut_over_it(
    engine: OxigraphStore, cap: int, media_type: str
) -> None:
    job = QueryJob(sparql=GRAPH_QUERY, media_type=media_type, max_triples=cap)
    reply = answer(engine, job)
    assert isinstance(reply, QueryReply)
    graph_format = ox.RdfFormat.from_media_type(media_type)
    assert graph_format is not None
    assert len(list(ox.parse(reply.body, format=graph_format))) == min(cap, len(TRICKY))
    assert reply.truncated == ("triples" if cap < len(TRICKY) else None)
    if cap >= len(TRICKY) and media_type == "application/n-triples":
        native = engine.run_query(GRAPH_QUERY)
        assert isinstance(native, ox.QueryTriples)
        assert reply.body == native.serialize(format=ox.RdfFormat.N_TRIPLES)


@pytest.mark.parametrize("size", [0, 10, (1 << 16) - 40, 1 << 16, 3_000_000])
def test_a_frame_arrives_whole_whatever_its_size(size: int) -> None:
    body = bytes(range(256)) * (size // 256) + b"x" * (size % 256)
    ours, theirs = socket.socketpair()
    with ours, theirs, ThreadPoolExecutor(1) as pool:
        sent = pool.submit(send, theirs, QueryFailure("query", "a message"), body)
        message, received = receive(ours, 30)
        sent.result()
    assert message == QueryFailure("query", "a message")
    assert received == body
