"""The worker sends pyoxigraph's own serialisation, and counts its rows right for the cap."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from clinkg.server.query_worker import (
    QueryJob,
    QueryReply,
    answer,
    count_rows,
    native_solutions,
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


@pytest.mark.parametrize("cap", [len(TRICKY) - 1, len(TRICKY)])
def test_the_native_answer_is_sent_under_the_cap_and_cut_over_it(
    engine: OxigraphStore, cap: int
) -> None:
    job = QueryJob(sparql=QUERY, media_type="application/sparql-results+json", max_rows=cap)
    reply = answer(engine, job)
    assert isinstance(reply, QueryReply)
    parsed = list(ox.parse_query_results(reply.body, format=ox.QueryResultsFormat.JSON))
    assert len(parsed) == min(cap, len(TRICKY))
    assert reply.truncated == ("rows" if cap < len(TRICKY) else None)
    if cap == len(TRICKY):
        native = engine.run_query(QUERY)
        assert isinstance(native, ox.QuerySolutions)
        assert reply.body == native.serialize(format=ox.QueryResultsFormat.JSON)
