"""The default store: embedded Oxigraph (pyoxigraph), on disk or in memory.

Queries see the union of all named graphs (`use_default_graph_as_union`), so the canned queries
need no GRAPH clauses. Values cross the boundary as rdflib terms.
"""

from __future__ import annotations

import io
import queue
import threading
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any, Final

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

from clinkg.errors import NotAcceptable, QueryError, StoreUnavailable
from clinkg.sparql_text import has_keyword
from clinkg.store import XSD_STRING, Row, SerializedResult, Term
from clinkg.store.media_types import GRAPH_FORMATS, RESULT_FORMATS, choose

# Staging lives in named graphs under this prefix; they exist only while a replace is running.
STAGING_PREFIX: Final = "urn:clinkg:staging:"
_CONTROL = ox.NamedNode(STAGING_PREFIX + "control")
_REPLACES = ox.NamedNode(STAGING_PREFIX + "replaces")

# One static update swaps every staged graph into its target: pyoxigraph runs an update as one
# transaction, and it is the only multi-statement transaction pyoxigraph 0.5 exposes.
_SWAP_STAGED = """
DELETE { GRAPH ?target { ?s ?p ?o } }
WHERE { GRAPH <urn:clinkg:staging:control> { ?staging <urn:clinkg:staging:replaces> ?target }
        GRAPH ?target { ?s ?p ?o } } ;
INSERT { GRAPH ?target { ?s ?p ?o } }
WHERE { GRAPH <urn:clinkg:staging:control> { ?staging <urn:clinkg:staging:replaces> ?target }
        GRAPH ?staging { ?s ?p ?o } } ;
DELETE { GRAPH ?staging { ?s ?p ?o } }
WHERE { GRAPH <urn:clinkg:staging:control> { ?staging <urn:clinkg:staging:replaces> ?target }
        GRAPH ?staging { ?s ?p ?o } } ;
CLEAR SILENT GRAPH <urn:clinkg:staging:control>
"""

_DISCARD_STAGED = """
DELETE { GRAPH ?staging { ?s ?p ?o } }
WHERE { GRAPH <urn:clinkg:staging:control> { ?staging <urn:clinkg:staging:replaces> ?target }
        GRAPH ?staging { ?s ?p ?o } } ;
CLEAR SILENT GRAPH <urn:clinkg:staging:control>
"""


def to_oxigraph(term: Node) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    """The pyoxigraph term equal to an rdflib term."""
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype is not None:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise TypeError(f"cannot store {type(term).__name__} {term!r} in Oxigraph")


def from_oxigraph(term: object) -> Term:
    """The rdflib term equal to a pyoxigraph term (plain literals stay plain)."""
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        if term.datatype.value == XSD_STRING:
            return Literal(term.value)
        return Literal(term.value, datatype=URIRef(term.datatype.value))
    raise TypeError(f"unsupported Oxigraph term {term!r}")


class OxigraphStore:
    """A `Store` on pyoxigraph; `path=None` keeps everything in memory."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path
        try:
            if path is not None:
                # The documented default (./var/store) must work in a fresh checkout.
                path.parent.mkdir(parents=True, exist_ok=True)
            self._store = ox.Store(str(path)) if path is not None else ox.Store()
        except OSError as error:
            raise StoreUnavailable(f"cannot open the store at {path}: {error}") from error
        # Staging graphs are per store, so two replaces must not interleave.
        self._write_lock = threading.Lock()
        # Bumped by every replace, so query workers holding a snapshot know to reopen.
        self.generation = 0
        self._run_update(_DISCARD_STAGED)
        self._drop_empty_staging_graphs()

    @classmethod
    def open_read_only(cls, path: Path) -> OxigraphStore:
        """A reader of the store at `path` while another process holds it (query workers)."""
        try:
            return cls._wrap(ox.Store.read_only(str(path)))
        except OSError as error:
            raise StoreUnavailable(f"cannot open the store at {path}: {error}") from error

    @classmethod
    def from_dump(cls, nquads: bytes) -> OxigraphStore:
        """An in-memory copy of a dataset exported as N-Quads (query workers of a memory store)."""
        copy = ox.Store()
        copy.load(nquads, format=ox.RdfFormat.N_QUADS)
        return cls._wrap(copy)

    @classmethod
    def _wrap(cls, store: ox.Store) -> OxigraphStore:
        """A store object over an opened pyoxigraph store, without the start-up clean-up write."""
        wrapped = cls.__new__(cls)
        wrapped.path = None  # nothing to flush
        wrapped.generation = 0
        wrapped._write_lock = threading.Lock()
        wrapped._store = store
        return wrapped

    def run_query(
        self,
        sparql: str,
        *,
        default_graphs: Sequence[URIRef] | None = None,
        named_graphs: Sequence[URIRef] | None = None,
        base_iri: str | None = None,
    ) -> ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples:
        """A read query's raw pyoxigraph answer, for callers that stream or cap it."""
        if default_graphs is not None or named_graphs is not None:
            default_graphs, named_graphs = default_graphs or [], named_graphs or []
        return self._query(sparql, None, default_graphs, named_graphs, base_iri)

    def select(self, sparql: str, bindings: Mapping[str, Term] | None = None) -> list[Row]:
        """Run a SELECT; bindings are bound by the engine, never pasted into the text."""
        result = self._query(sparql, bindings)
        if not isinstance(result, ox.QuerySolutions):
            raise QueryError("expected a SELECT query")
        names = [variable.value for variable in result.variables]
        try:
            return [{name: _optional(solution[name]) for name in names} for solution in result]
        except OSError as error:
            raise StoreUnavailable(f"query failed while reading the store: {error}") from error

    def ask(self, sparql: str, bindings: Mapping[str, Term] | None = None) -> bool:
        """Run an ASK."""
        result = self._query(sparql, bindings)
        if not isinstance(result, ox.QueryBoolean):
            raise QueryError("expected an ASK query")
        return bool(result)

    def query_serialized(
        self,
        sparql: str,
        media_type: str,
        *,
        default_graphs: Sequence[URIRef] | None = None,
        named_graphs: Sequence[URIRef] | None = None,
        base_iri: str | None = None,
    ) -> SerializedResult:
        """Run a read query and serialize its answer in the first fitting media type.

        `media_type` is one type or several separated by commas, best first: the first one that
        fits the answer (results for SELECT/ASK, RDF for CONSTRUCT/DESCRIBE) is used, else
        NotAcceptable. Graph lists, when given, replace the query's dataset (SPARQL Protocol);
        relative IRIs resolve against `base_iri`.
        """
        if default_graphs is not None or named_graphs is not None:
            # The protocol's dataset replaces the query's: the unnamed ones are empty.
            default_graphs, named_graphs = default_graphs or [], named_graphs or []
        result = self._query(sparql, None, default_graphs, named_graphs, base_iri)
        try:
            if isinstance(result, ox.QueryTriples):
                chosen = choose(media_type, "graph")
                body = result.serialize(format=GRAPH_FORMATS[chosen])
            else:
                chosen = choose(media_type, "results")
                body = result.serialize(format=RESULT_FORMATS[chosen])
        except OSError as error:
            raise StoreUnavailable(f"query failed while reading the store: {error}") from error
        except ValueError as error:
            raise QueryError(str(error)) from error
        assert body is not None  # serialize() returns bytes when given no output
        return SerializedResult(body=body, media_type=chosen)

    def replace_graphs(self, graphs: Mapping[URIRef, Iterable[tuple[Node, Node, Node]]]) -> None:
        """Replace each named graph by the given triples, all of them or none (atomically)."""
        with self._write_lock:
            try:
                self._store.extend(_staged_quads(graphs))
                self._run_update(_SWAP_STAGED)
                self.generation += 1
            except BaseException:
                self._run_update(_DISCARD_STAGED)
                raise
            finally:
                self._drop_empty_staging_graphs()

    def bulk_load(self, graph: URIRef, ntriples: Iterable[bytes]) -> None:
        """Replace `graph` through Oxigraph's bulk loader, reading the chunks as a stream."""
        name = _iri(graph)
        with self._write_lock:
            try:
                self._store.remove_graph(name)
            except OSError as error:
                raise StoreUnavailable(f"cannot write the store: {error}") from error
            stream = io.BufferedReader(_ChunkReader(_prefetched(ntriples)), 1 << 20)
            try:
                # lenient: the writer has already checked every IRI it wrote.
                self._store.bulk_load(stream, ox.RdfFormat.N_TRIPLES, to_graph=name, lenient=True)
            except BaseException:
                self._store.remove_graph(name)
                raise
            finally:
                # Whatever the graph now holds, readers holding a snapshot must reopen.
                self.generation += 1

    def graph_names(self) -> list[URIRef]:
        """Named graphs in the store (staging graphs of a running replace left out)."""
        names = (URIRef(g.value) for g in self._store.named_graphs() if isinstance(g, ox.NamedNode))
        return sorted(name for name in names if not name.startswith(STAGING_PREFIX))

    def export(self, media_type: str) -> bytes:
        """The whole dataset (named graphs kept where the format allows) as `media_type`."""
        rdf_format = ox.RdfFormat.from_media_type(media_type)
        if rdf_format is None:
            raise NotAcceptable(f"cannot export as {media_type}")
        if not rdf_format.supports_datasets:
            body = self._store.query(
                "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", use_default_graph_as_union=True
            )
            assert isinstance(body, ox.QueryTriples)
            data = body.serialize(format=rdf_format)
        else:
            data = self._store.dump(format=rdf_format)
        assert data is not None
        return data

    def close(self) -> None:
        """Flush writes to disk and release the directory (RocksDB's lock) now."""
        engine = self.__dict__.pop("_store", None)
        if engine is not None and self.path is not None:
            engine.flush()
        # The lock goes with the engine: drop it here rather than when this wrapper is
        # collected, which a reference cycle can put off until a later garbage collection.
        del engine

    def _query(
        self,
        sparql: str,
        bindings: Mapping[str, Term] | None,
        default_graphs: Sequence[URIRef] | None = None,
        named_graphs: Sequence[URIRef] | None = None,
        base_iri: str | None = None,
    ) -> ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples:
        try:
            substitutions: dict[ox.Variable, ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple]
            substitutions = {ox.Variable(k): to_oxigraph(v) for k, v in (bindings or {}).items()}
            defaults: list[ox.NamedNode | ox.BlankNode | ox.DefaultGraph] | None = None
            named: list[ox.NamedNode | ox.BlankNode] | None = None
            if default_graphs is not None:
                defaults = [_iri(g) for g in default_graphs]
            if named_graphs is not None:
                named = [_iri(g) for g in named_graphs]
        except ValueError as error:
            # pyoxigraph checks IRIs as it builds terms: a malformed one is the caller's mistake.
            raise QueryError(str(error)) from error
        try:
            return self._store.query(
                sparql,
                substitutions=substitutions,
                base_iri=base_iri,
                # A query's own FROM clause names its dataset; the union is only the default.
                use_default_graph_as_union=default_graphs is None
                and not has_keyword(sparql, "FROM"),
                default_graph=defaults,
                named_graphs=named,
            )
        except SyntaxError as error:
            raise QueryError(str(error.msg or error)) from error
        except (RuntimeError, ValueError) as error:
            # pyoxigraph refuses a substitution of a variable the SELECT does not project, and
            # a base IRI that is not one.
            raise QueryError(str(error)) from error
        except OSError as error:
            raise StoreUnavailable(f"query failed: {error}") from error

    def _run_update(self, update: str) -> None:
        try:
            self._store.update(update)
        except OSError as error:
            raise StoreUnavailable(f"cannot write the store: {error}") from error

    def _drop_empty_staging_graphs(self) -> None:
        for name in list(self._store.named_graphs()):
            if isinstance(name, ox.NamedNode) and name.value.startswith(STAGING_PREFIX):
                self._store.remove_graph(name)


def _prefetched(chunks: Iterable[bytes], depth: int = 8) -> Iterator[bytes]:
    """The chunks, produced on a thread of their own a few chunks ahead of the reader.

    Oxigraph's bulk loader releases the GIL while it sorts and writes, so the Python code that
    writes the next chunks runs meanwhile instead of in turn.
    """
    ready: queue.Queue[bytes | BaseException | None] = queue.Queue(maxsize=depth)
    stop = threading.Event()

    def offer(item: bytes | BaseException | None) -> bool:
        """Queue `item` unless the reader has stopped; whether to go on."""
        while not stop.is_set():
            try:
                ready.put(item, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def produce() -> None:
        try:
            for chunk in chunks:
                if not offer(chunk):
                    return
            offer(None)
        except BaseException as error:  # handed to the reader, which raises it
            offer(error)

    producer = threading.Thread(target=produce, name="clinkg-bulk-load", daemon=True)
    producer.start()
    try:
        while (item := ready.get()) is not None:
            if isinstance(item, BaseException):
                raise item
            yield item
    finally:
        stop.set()
        producer.join()


class _ChunkReader(io.RawIOBase):
    """A readable binary stream over an iterator of byte chunks (what the bulk loader reads)."""

    def __init__(self, chunks: Iterator[bytes]) -> None:
        self._chunks = chunks
        self._pending = memoryview(b"")

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        while not self._pending:
            chunk = next(self._chunks, None)
            if chunk is None:
                return 0
            self._pending = memoryview(chunk)
        size = min(len(buffer), len(self._pending))
        buffer[:size] = self._pending[:size]
        self._pending = self._pending[size:]
        return size


def _iri(name: URIRef) -> ox.NamedNode:
    return ox.NamedNode(str(name))


def _optional(term: object) -> Term | None:
    return None if term is None else from_oxigraph(term)


def _staged_quads(graphs: Mapping[URIRef, Iterable[tuple[Node, Node, Node]]]) -> Iterator[ox.Quad]:
    """Each target's triples in its own staging graph, plus the control triple naming the target."""
    for index, (target, triples) in enumerate(graphs.items()):
        staging = ox.NamedNode(f"{STAGING_PREFIX}{index}")
        yield ox.Quad(staging, _REPLACES, ox.NamedNode(str(target)), _CONTROL)
        for subject, predicate, obj in triples:
            yield ox.Quad(
                _subject(to_oxigraph(subject)),
                _predicate(to_oxigraph(predicate)),
                to_oxigraph(obj),
                staging,
            )


def _subject(term: ox.NamedNode | ox.BlankNode | ox.Literal) -> ox.NamedNode | ox.BlankNode:
    if isinstance(term, ox.Literal):
        raise TypeError(f"a literal cannot be a subject: {term}")
    return term


def _predicate(term: ox.NamedNode | ox.BlankNode | ox.Literal) -> ox.NamedNode:
    if not isinstance(term, ox.NamedNode):
        raise TypeError(f"a predicate must be an IRI: {term}")
    return term
