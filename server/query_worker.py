"""The worker side of `clinkg.server.query_runner`: a process that checks, runs, serializes.

A worker reaches the data one of three ways (`WorkerSource`): an embedded store directory opened
read-only (pyoxigraph `Store.read_only`, so the server process can keep the store open), a copy
of an in-memory store (its N-Quads), or any other `Store` (a remote SPARQL server: plain HTTP
calls with their own timeout). Answers are capped (rows, triples) here, before they are sent.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterable
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any, Final, Literal

import pyoxigraph as ox
from rdflib import URIRef

from clinkg.errors import NotAcceptable, QueryError, QueryRefused, StoreUnavailable
from clinkg.query_guard import check_query
from clinkg.server.csv_cells import neutralise_csv
from clinkg.store import XSD_STRING, Store
from clinkg.store.oxigraph import GRAPH_MEDIA_TYPES, RESULT_MEDIA_TYPES, OxigraphStore

# A worker nobody asked for this long exits; the runner starts a fresh one when needed.
IDLE_SECONDS: Final = 120.0
_WIRE_TYPES: Final = "application/sparql-results+json,application/n-triples"

Answer = ox.QuerySolutions | ox.QueryBoolean | Iterable[ox.Triple]
FailureKind = Literal["refused", "query", "not-acceptable", "unavailable"]


@dataclass(frozen=True)
class QueryJob:
    """One query to run, with its SPARQL Protocol dataset and the caps on its answer."""

    sparql: str
    media_type: str  # preference list, best first, comma-separated
    default_graphs: tuple[str, ...] | None = None
    named_graphs: tuple[str, ...] | None = None
    base_iri: str | None = None
    max_rows: int = 10_000
    max_triples: int = 50_000


@dataclass(frozen=True)
class QueryReply:
    """A serialized answer; `truncated` names what was cut at the cap ("rows", "triples")."""

    body: bytes
    media_type: str
    truncated: str | None = None
    limit: int | None = None


@dataclass(frozen=True)
class QueryFailure:
    """A refused or failed query, sent back for the runner to raise as the matching error."""

    kind: FailureKind
    message: str


@dataclass(frozen=True)
class WorkerSource:
    """How a worker reaches the data: a store directory to open read-only, a copy of a memory
    store's dataset, or a store object (a remote store: its URLs and timeout)."""

    path: str | None = None
    nquads: bytes | None = None
    store: Store | None = None


def worker_main(conn: Connection, source: WorkerSource) -> None:
    """Answer jobs from `conn` until told to stop (None), the parent goes, or it idles too long."""
    engine: OxigraphStore | Store | None = None
    while conn.poll(IDLE_SECONDS):
        try:
            job = conn.recv()
        except EOFError:
            return
        if job is None:
            return
        try:
            engine = engine or open_engine(source)
            reply: QueryReply | QueryFailure = answer(engine, job)
        except StoreUnavailable as error:
            reply = QueryFailure("unavailable", str(error))
        conn.send(reply)


def open_engine(source: WorkerSource) -> OxigraphStore | Store:
    """The store a worker queries."""
    if source.path is not None:
        return OxigraphStore.open_read_only(Path(source.path))
    if source.nquads is not None:
        return OxigraphStore.from_dump(source.nquads)
    if source.store is None:
        raise StoreUnavailable("the query worker was given no store")
    return source.store


def answer(engine: OxigraphStore | Store, job: QueryJob) -> QueryReply | QueryFailure:
    """Check the query, run it and serialize the capped answer; refusals come back as failures."""
    try:
        check_query(
            job.sparql,
            lambda: [str(name) for name in engine.graph_names()],
            job.default_graphs or (),
            job.named_graphs or (),
            # pyoxigraph reads protocol graph names as names; a SPARQL server might fetch them.
            check_protocol_dataset=not isinstance(engine, OxigraphStore),
        )
        return serialize(run(engine, job), job)
    except QueryRefused as error:
        return QueryFailure("refused", str(error))
    except QueryError as error:
        return QueryFailure("query", str(error))
    except NotAcceptable as error:
        return QueryFailure("not-acceptable", str(error))
    except RecursionError:
        return QueryFailure("query", "the query is nested too deeply to be run")
    except StoreUnavailable as error:
        return QueryFailure("unavailable", str(error))


def run(engine: OxigraphStore | Store, job: QueryJob) -> Answer:
    """The query's raw answer: pyoxigraph's own, or a server's answer parsed by pyoxigraph."""
    defaults = None if job.default_graphs is None else [URIRef(g) for g in job.default_graphs]
    named = None if job.named_graphs is None else [URIRef(g) for g in job.named_graphs]
    if isinstance(engine, OxigraphStore):
        return engine.run_query(
            job.sparql, default_graphs=defaults, named_graphs=named, base_iri=job.base_iri
        )
    served = engine.query_serialized(
        job.sparql, _WIRE_TYPES, default_graphs=defaults, named_graphs=named, base_iri=job.base_iri
    )
    try:
        if served.media_type == "application/n-triples":
            return [quad.triple for quad in ox.parse(served.body, format=ox.RdfFormat.N_TRIPLES)]
        return ox.parse_query_results(served.body, format=ox.QueryResultsFormat.JSON)
    except SyntaxError as error:
        raise StoreUnavailable(f"the SPARQL server sent an unreadable answer: {error}") from error


def serialize(result: Answer, job: QueryJob) -> QueryReply:
    """The answer in the first fitting media type, cut at the job's caps."""
    wanted = [part.split(";")[0].strip().lower() for part in job.media_type.split(",")]
    try:
        if isinstance(result, ox.QueryBoolean):
            chosen = _choose(wanted, RESULT_MEDIA_TYPES, "query results")
            return _reply(result.serialize(format=RESULT_MEDIA_TYPES[chosen]), chosen)
        if isinstance(result, ox.QuerySolutions):
            chosen = _choose(wanted, RESULT_MEDIA_TYPES, "query results")
            return _solutions(result, chosen, job.max_rows)
        chosen = _choose(wanted, GRAPH_MEDIA_TYPES, "a graph answer")
        triples = list(itertools.islice(result, job.max_triples + 1))
        body = ox.serialize(triples[: job.max_triples], format=GRAPH_MEDIA_TYPES[chosen])
        cut = len(triples) > job.max_triples
        return _reply(body, chosen, "triples" if cut else None, job.max_triples if cut else None)
    except OSError as error:
        raise StoreUnavailable(f"query failed while reading the store: {error}") from error
    except (ValueError, RuntimeError) as error:
        raise QueryError(str(error)) from error


def _solutions(result: ox.QuerySolutions, chosen: str, max_rows: int) -> QueryReply:
    names = [variable.value for variable in result.variables]
    rows = list(itertools.islice(result, max_rows + 1))
    cut = len(rows) > max_rows
    document = {
        "head": {"vars": names},
        "results": {"bindings": [_binding(row, names) for row in rows[:max_rows]]},
    }
    body: bytes | None = json.dumps(document, ensure_ascii=False).encode("utf-8")
    if RESULT_MEDIA_TYPES[chosen] != ox.QueryResultsFormat.JSON:
        assert body is not None
        reread = ox.parse_query_results(body, format=ox.QueryResultsFormat.JSON)
        body = reread.serialize(format=RESULT_MEDIA_TYPES[chosen])
    return _reply(body, chosen, "rows" if cut else None, max_rows if cut else None)


def _binding(row: ox.QuerySolution, names: list[str]) -> dict[str, Any]:
    return {name: _term_json(row[name]) for name in names if row[name] is not None}


def _term_json(term: object) -> dict[str, Any]:
    """A term in the SPARQL 1.1 JSON results format."""
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Literal):
        found: dict[str, Any] = {"type": "literal", "value": term.value}
        if term.language:
            found["xml:lang"] = term.language
        elif term.datatype.value != XSD_STRING:
            found["datatype"] = term.datatype.value
        return found
    if isinstance(term, ox.Triple):
        parts = zip(("subject", "predicate", "object"), term, strict=True)
        return {"type": "triple", "value": {key: _term_json(part) for key, part in parts}}
    raise QueryError(f"cannot send the term {term!r}")


def _choose(wanted: list[str], table: dict[str, Any], kind: str) -> str:
    chosen = next((media_type for media_type in wanted if media_type in table), None)
    if chosen is None:
        raise NotAcceptable(f"{kind} cannot be sent as {','.join(wanted)}")
    return chosen


def _reply(
    body: bytes | None, chosen: str, truncated: str | None = None, limit: int | None = None
) -> QueryReply:
    assert body is not None  # serialize() returns bytes when given no output
    if chosen == "text/csv":
        body = neutralise_csv(body)
    return QueryReply(body=body, media_type=chosen, truncated=truncated, limit=limit)
