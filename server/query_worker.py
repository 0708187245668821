"""The worker side of `clinkg.server.query_runner`: a process that checks, runs, serializes.

A worker reaches the data one of three ways (`WorkerSource`): an embedded store directory opened
read-only (pyoxigraph `Store.read_only`, so the server process can keep the store open), a copy
of an in-memory store (its N-Quads), or any other `Store` (a remote SPARQL server: plain HTTP
calls with their own timeout). Answers are capped (rows, triples) here, before they are sent.
"""

from __future__ import annotations

import itertools
import json
import os
import pickle
import re
import socket
import struct
import time
from collections.abc import Callable, Iterable
from contextlib import suppress
from dataclasses import dataclass, replace
from pathlib import Path
from typing import IO, Any, Final, Literal, cast

import pyoxigraph as ox
from rdflib import URIRef

from clinkg.errors import NotAcceptable, QueryError, QueryRefused, StoreUnavailable
from clinkg.query_guard import check_query
from clinkg.server.csv_cells import neutralise_csv
from clinkg.store import XSD_STRING, Store
from clinkg.store.media_types import GRAPH_FORMATS, RESULT_FORMATS, choose
from clinkg.store.oxigraph import OxigraphStore

# A worker nobody asked for this long exits; the runner starts a fresh one when needed.
IDLE_SECONDS: Final = 120.0
_WIRE_TYPES: Final = "application/sparql-results+json,application/n-triples"
_JSON_STRING: Final = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"')
# A mark every row has once in pyoxigraph's output, for the rough count while it writes
# (a JSON row after the first opens with `,{`; CSV, TSV and N-Triples write a line per row).
_ROW_MARKS: Final = {ox.QueryResultsFormat.JSON: b",{", ox.QueryResultsFormat.XML: b"<result>"}
_LINE: Final = b"\n"
_CSV_QUOTED: Final = re.compile(rb'"[^"]*(?:""[^"]*)*"')
# A frame on the socket between runner and worker: the lengths of a pickled message and of the
# raw bytes after it (an answer's body, sent as the engine wrote it rather than pickled).
_FRAME: Final = struct.Struct("!IQ")
_FIRST_READ: Final = 1 << 16  # bytes a frame's first read may take

Answer = ox.QuerySolutions | ox.QueryBoolean | Iterable[ox.Triple]
FailureKind = Literal["refused", "query", "not-acceptable", "unavailable", "internal"]


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


def worker_main(sock: socket.socket, source: WorkerSource, niceness: int = 0) -> None:
    """Answer jobs from `sock` until told to stop (None), the parent goes, or it idles too long.

    The store is opened at once, so a worker started ahead of time is ready for its first job.
    A `niceness` above 0 lowers its priority below the web process's (nice(2)).
    """
    if niceness:
        with suppress(OSError):
            os.nice(niceness)
    engine: OxigraphStore | Store | None = None
    with suppress(StoreUnavailable):
        engine = open_engine(source)
    while True:
        try:
            job, _ = receive(sock, IDLE_SECONDS)
        except (TimeoutError, EOFError, OSError):
            return
        if not isinstance(job, QueryJob):
            return
        try:
            engine = engine or open_engine(source)
            reply: QueryReply | QueryFailure = answer(engine, job)
        except StoreUnavailable as error:
            reply = QueryFailure("unavailable", str(error))
        if isinstance(reply, QueryReply):
            send(sock, replace(reply, body=b""), reply.body)
        else:
            send(sock, reply)


def send(sock: socket.socket, message: object, body: bytes = b"") -> None:
    """One frame: `message` pickled, then `body` as it is (one system call when it fits)."""
    meta = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    views = [memoryview(_FRAME.pack(len(meta), len(body)) + meta)]
    if body:
        views.append(memoryview(body))
    while views:
        sent = sock.sendmsg(views)
        while views and sent >= len(views[0]):
            sent -= len(views.pop(0))
        if views and sent:
            views[0] = views[0][sent:]


def receive(sock: socket.socket, seconds: float | None) -> tuple[object, bytes]:
    """The next frame's message and body; TimeoutError past `seconds`, EOFError if the other
    end closed (a worker that died, or a runner that went).

    One side sends a frame only when the other waits for it, so a read never holds bytes of the
    next frame: the first read takes whatever has come (a small frame whole, in one call).
    """
    ends = None if seconds is None else time.monotonic() + seconds
    buffer = memoryview(bytearray(_FIRST_READ))
    got = _receive_into(sock, buffer, 0, _FRAME.size, ends)
    meta_length, body_length = _FRAME.unpack_from(buffer)
    size = _FRAME.size + meta_length + body_length
    if got > size:
        raise EOFError()  # the other end broke the protocol: treated as gone
    if size > len(buffer):
        whole = memoryview(bytearray(size))
        whole[:got] = buffer[:got]
        buffer = whole
    _receive_into(sock, buffer[:size], got, size, ends)
    body_start = _FRAME.size + meta_length
    return pickle.loads(buffer[_FRAME.size : body_start]), bytes(buffer[body_start:size])


def _receive_into(
    sock: socket.socket, buffer: memoryview, got: int, at_least: int, ends: float | None
) -> int:
    """Receive into `buffer` after its first `got` bytes until it holds `at_least`; the count."""
    while got < at_least:
        if ends is not None:
            left = ends - time.monotonic()
            if left <= 0:
                raise TimeoutError()
            sock.settimeout(left)
        count = sock.recv_into(buffer[got:])
        if count == 0:
            raise EOFError()
        got += count
    return got


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
        return serialize(run(engine, job), job, lambda: run(engine, job))
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
    except Exception as error:  # a bug: reported as one (500), and the worker lives on
        return QueryFailure("internal", f"{type(error).__name__}: {error}")


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


def serialize(result: Answer, job: QueryJob, rerun: Callable[[], Answer]) -> QueryReply:
    """The answer in the first fitting media type, cut at the job's caps.

    Solutions, and triples asked for as N-Triples, are written by pyoxigraph's own serializer;
    only an answer over the cap is run again (`rerun`) and cut row by row (triples in other
    formats are cut as they are read, since their text does not show where a triple ends).
    """
    try:
        if isinstance(result, ox.QueryBoolean):
            chosen = choose(job.media_type, "results")
            return _reply(result.serialize(format=RESULT_FORMATS[chosen]), chosen)
        if isinstance(result, ox.QuerySolutions):
            chosen = choose(job.media_type, "results")
            body = native_solutions(result, RESULT_FORMATS[chosen], job.max_rows)
            if body is not None:
                return _reply(body, chosen)
            return _capped_solutions(_solutions_of(rerun()), chosen, job.max_rows)
        chosen = choose(job.media_type, "graph")
        if GRAPH_FORMATS[chosen] == ox.RdfFormat.N_TRIPLES and isinstance(result, ox.QueryTriples):
            body = native_triples(result, job.max_triples)
            if body is not None:
                return _reply(body, chosen)
            result = _triples_of(rerun())
        triples = list(itertools.islice(result, job.max_triples + 1))
        body = ox.serialize(triples[: job.max_triples], format=GRAPH_FORMATS[chosen])
        cut = len(triples) > job.max_triples
        return _reply(body, chosen, "triples" if cut else None, job.max_triples if cut else None)
    except OSError as error:
        raise StoreUnavailable(f"query failed while reading the store: {error}") from error
    except (ValueError, RuntimeError) as error:
        raise QueryError(str(error)) from error


def native_solutions(
    result: ox.QuerySolutions, results_format: ox.QueryResultsFormat, max_rows: int
) -> bytes | None:
    """The solutions as pyoxigraph writes them, or None when there are more than `max_rows`."""
    output = _RowCountingOutput(_ROW_MARKS.get(results_format, _LINE), max_rows)
    try:
        result.serialize(cast(IO[bytes], output), format=results_format)
    except _OverCap:
        return None
    body = b"".join(output.chunks)
    if output.surely_within():
        return body
    return body if count_rows(body, results_format) <= max_rows else None


def native_triples(result: ox.QueryTriples, max_triples: int) -> bytes | None:
    """The triples as pyoxigraph writes N-Triples (a line each), or None past `max_triples`."""
    output = _RowCountingOutput(_LINE, max_triples)
    try:
        result.serialize(cast(IO[bytes], output), format=ox.RdfFormat.N_TRIPLES)
    except _OverCap:
        return None
    return b"".join(output.chunks) if output.rows <= max_triples else None


def count_rows(body: bytes, results_format: ox.QueryResultsFormat) -> int:
    """Solutions in a results document as pyoxigraph writes it (compact, no indentation)."""
    if results_format == ox.QueryResultsFormat.JSON:
        # A solution opens with `{"` after `[` or `,`, which no string holds (its quote would
        # be escaped); only a solution with no bindings (`{}`) needs the strings read past.
        if b"{}" not in body:
            return body.count(b'[{"') + body.count(b',{"')
        bare = _JSON_STRING.sub(b'""', body)
        return bare.count(b"[{") + bare.count(b",{")
    if results_format == ox.QueryResultsFormat.XML:
        return body.count(b"<result>")  # "<" in a value is written as &lt;
    if results_format == ox.QueryResultsFormat.CSV:
        # Line breaks inside a value are quoted.
        bare = _CSV_QUOTED.sub(b"", body) if b'"' in body else body
        return max(0, bare.count(b"\r\n") - 1)
    return max(0, body.count(b"\n") - 1)  # TSV escapes line breaks inside values


class _OverCap(Exception):
    """Raised through pyoxigraph's serializer to stop it once the row cap is passed."""


class _RowCountingOutput:
    """A binary output collecting what pyoxigraph writes, stopping it past `max_rows`.

    Rows are counted roughly chunk by chunk, by a `mark` each row has (a value may hold it too, so
    this may count high, and stop a serializer that would have stayed under the cap: the capped
    path then answers). A mark split between two chunks is missed, so the exact count is taken
    on the whole document afterwards unless even the highest count possible is within the cap.
    """

    def __init__(self, mark: bytes, max_rows: int) -> None:
        self.chunks: list[bytes] = []
        self.rows = 0  # marks seen
        self._mark = mark
        self._max_rows = max_rows

    def write(self, chunk: bytes) -> int:
        data = bytes(chunk)
        self.chunks.append(data)
        self.rows += data.count(self._mark)
        if self.rows > self._max_rows + 1:
            raise _OverCap()
        return len(data)

    def surely_within(self) -> bool:
        """No document written so can hold more than `max_rows` rows: its marks, one missed at
        each chunk boundary, and a first row with none (JSON's opens with `[{`) stay within."""
        return self.rows + len(self.chunks) <= self._max_rows

    def flush(self) -> None:
        return None


def _solutions_of(result: Answer) -> ox.QuerySolutions:
    if not isinstance(result, ox.QuerySolutions):
        raise QueryError("the query's answer changed kind when run again")
    return result


def _triples_of(result: Answer) -> Iterable[ox.Triple]:
    if isinstance(result, ox.QuerySolutions | ox.QueryBoolean):
        raise QueryError("the query's answer changed kind when run again")
    return result


def _capped_solutions(result: ox.QuerySolutions, chosen: str, max_rows: int) -> QueryReply:
    names = [variable.value for variable in result.variables]
    rows = list(itertools.islice(result, max_rows + 1))
    cut = len(rows) > max_rows
    document = {
        "head": {"vars": names},
        "results": {"bindings": [_binding(row, names) for row in rows[:max_rows]]},
    }
    body: bytes | None = json.dumps(document, ensure_ascii=False).encode("utf-8")
    if RESULT_FORMATS[chosen] != ox.QueryResultsFormat.JSON:
        assert body is not None
        reread = ox.parse_query_results(body, format=ox.QueryResultsFormat.JSON)
        body = reread.serialize(format=RESULT_FORMATS[chosen])
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


def _reply(
    body: bytes | None, chosen: str, truncated: str | None = None, limit: int | None = None
) -> QueryReply:
    assert body is not None  # serialize() returns bytes when given no output
    if chosen == "text/csv":
        body = neutralise_csv(body)
    return QueryReply(body=body, media_type=chosen, truncated=truncated, limit=limit)
