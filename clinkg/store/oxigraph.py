"""The default store: embedded Oxigraph (pyoxigraph), on disk or in memory.

Queries see the union of all named graphs (`use_default_graph_as_union`), so the canned queries
need no GRAPH clauses. Values cross the boundary as rdflib terms.
"""

from __future__ import annotations

import io
import queue
import threading
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Final

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

from clinkg.errors import NotAcceptable, QueryError, StoreReadOnly, StoreUnavailable
from clinkg.sparql_text import has_keyword
from clinkg.store.base import XSD_STRING, Row, SerializedResult, Term
from clinkg.store.generations import Generations, View
from clinkg.store.media_types import GRAPH_FORMATS, RESULT_FORMATS, choose

# Staging lives in named graphs under this prefix; they exist only while a replace is running.
STAGING_PREFIX: Final = "urn:clinkg:staging:"
_CONTROL = ox.NamedNode(STAGING_PREFIX + "control")
_REPLACES = ox.NamedNode(STAGING_PREFIX + "replaces")

# One static update applies every staged graph to its target (replacing it, taken out of it or
# added to it):
# pyoxigraph runs an update as one transaction, and it is the only multi-statement transaction
# pyoxigraph 0.5 exposes.
_ADDS = ox.NamedNode(STAGING_PREFIX + "adds")
_REMOVES = ox.NamedNode(STAGING_PREFIX + "removes")
_SWAP_STAGED = """
DELETE { GRAPH ?target { ?s ?p ?o } }
WHERE { GRAPH <urn:clinkg:staging:control> { ?staging <urn:clinkg:staging:replaces> ?target }
        GRAPH ?target { ?s ?p ?o } } ;
DELETE { GRAPH ?target { ?s ?p ?o } }
WHERE { GRAPH <urn:clinkg:staging:control> { ?staging <urn:clinkg:staging:removes> ?target }
        GRAPH ?staging { ?s ?p ?o } } ;
INSERT { GRAPH ?target { ?s ?p ?o } }
WHERE { GRAPH <urn:clinkg:staging:control>
          { ?staging <urn:clinkg:staging:replaces>|<urn:clinkg:staging:adds> ?target }
        GRAPH ?staging { ?s ?p ?o } } ;
DELETE { GRAPH ?staging { ?s ?p ?o } }
WHERE { GRAPH <urn:clinkg:staging:control>
          { ?staging <urn:clinkg:staging:replaces>|<urn:clinkg:staging:adds>
            |<urn:clinkg:staging:removes> ?target }
        GRAPH ?staging { ?s ?p ?o } } ;
CLEAR SILENT GRAPH <urn:clinkg:staging:control>
"""

_DISCARD_STAGED = """
DELETE { GRAPH ?staging { ?s ?p ?o } }
WHERE { GRAPH <urn:clinkg:staging:control>
          { ?staging <urn:clinkg:staging:replaces>|<urn:clinkg:staging:adds>
            |<urn:clinkg:staging:removes> ?target }
        GRAPH ?staging { ?s ?p ?o } } ;
CLEAR SILENT GRAPH <urn:clinkg:staging:control>
"""

Triples = Iterable[tuple[Node, Node, Node]]
# (how: replaces, removes or adds; the graphs it applies to), in the order they apply.
_Staged = list[tuple[ox.NamedNode, Mapping[URIRef, Triples]]]


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
    """A `Store` on pyoxigraph; `path=None` keeps everything in memory.

    On disk the directory holds immutable generations (`clinkg.store.generations`): every
    method reads the published one, every write publishes a new one, so any number of processes
    read while one writes.
    """

    def __init__(self, path: Path | None = None, *, writable: bool = True) -> None:
        self.path = path
        self._disk: Generations | None = None
        self._pinned: View | None = None
        self._memory: ox.Store | None = None
        # Staging graphs are per store, so two replaces must not interleave.
        self._write_lock = threading.RLock()
        # Bumped by every replace of a memory store, so query workers holding a copy reopen.
        self._memory_generation = 0
        if path is None:
            self._memory = ox.Store()
            return
        try:
            if writable:
                # The documented default (./var/store) must work in a fresh checkout.
                path.mkdir(parents=True, exist_ok=True)
            self._disk = Generations(path, writable=writable)
            self._disk.view()
        except OSError as error:
            raise StoreUnavailable(f"cannot open the store at {path}: {error}") from error

    @classmethod
    def open_read_only(cls, path: Path) -> OxigraphStore:
        """A reader of the store at `path` while other processes read and write it (workers)."""
        return cls(path, writable=False)

    @classmethod
    def from_dump(cls, nquads: bytes) -> OxigraphStore:
        """An in-memory copy of a dataset exported as N-Quads (query workers of a memory store)."""
        copy = cls(None)
        assert copy._memory is not None
        copy._memory.load(nquads, format=ox.RdfFormat.N_QUADS)
        return copy

    @property
    def generation(self) -> int:
        """Changes with every write, so query workers holding a snapshot know to reopen."""
        if self._disk is not None:
            return self._disk.current() or 0
        return self._memory_generation

    def snapshot(self) -> OxigraphStore:
        """A read-only store fixed at the state published now (several queries, one state)."""
        pinned = OxigraphStore.__new__(OxigraphStore)
        pinned.__dict__.update(self.__dict__)
        pinned._disk = None
        pinned._pinned = self._disk.view() if self._disk is not None else None
        return pinned

    @contextmanager
    def exclusive(self) -> Iterator[None]:
        """Be the only writer for the block (a load that reads the store, then writes it);
        another process writing the same directory raises StoreBusy naming it."""
        if self._disk is not None:
            with self._disk.exclusive():
                yield
        else:
            with self._write_lock:
                yield

    @property
    def _store(self) -> ox.Store:
        """The engine to read: the pinned generation, the published one, or memory."""
        if self._pinned is not None:
            return self._pinned.engine
        if self._disk is not None:
            return self._disk.view().engine
        if self._memory is None:
            raise StoreUnavailable("the store is closed")
        return self._memory

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

    def replace_graphs(
        self,
        graphs: Mapping[URIRef, Triples],
        *,
        additions: Mapping[URIRef, Triples] | None = None,
        removals: Mapping[URIRef, Triples] | None = None,
    ) -> None:
        """Replace each named graph of `graphs` by the given triples, take the `removals` out
        of their graphs and add the `additions`, all of it or nothing (atomically); a replaced
        graph left with no triples is removed."""
        staged = [(_REPLACES, graphs), (_REMOVES, removals or {}), (_ADDS, additions or {})]
        if self._disk is not None:
            self._disk.write(lambda engine: _replace_in(engine, staged))
            return
        with self._write_lock:
            engine = self._writable_memory()
            try:
                engine.extend(_staged_quads(staged))
                self._run_update(_SWAP_STAGED)
                self._memory_generation += 1
            except BaseException:
                self._run_update(_DISCARD_STAGED)
                raise
            finally:
                self._drop_empty_staging_graphs()
            for name in graphs:
                if not any(True for _ in engine.quads_for_pattern(None, None, None, _iri(name))):
                    engine.remove_graph(_iri(name))

    def bulk_load(self, graph: URIRef, ntriples: Iterable[bytes]) -> None:
        """Replace `graph` through Oxigraph's bulk loader, reading the chunks as a stream
        (on disk into a new generation, so it is atomic there too)."""
        name = _iri(graph)
        if self._disk is not None:
            self._disk.write(lambda engine: _bulk_replace(engine, name, ntriples))
            return
        with self._write_lock:
            try:
                _bulk_replace(self._writable_memory(), name, ntriples)
            finally:
                # Whatever the graph now holds, readers holding a copy must reopen.
                self._memory_generation += 1

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
        """Release the directory now (readers' locks; a write never outlives its call)."""
        if self._disk is not None:
            self._disk.drop_view()
        self._pinned = None
        self._memory = None

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

    def _writable_memory(self) -> ox.Store:
        if self._memory is None or self._pinned is not None:
            raise StoreReadOnly("a snapshot of the store cannot be written")
        return self._memory

    def _drop_empty_staging_graphs(self) -> None:
        for name in list(self._store.named_graphs()):
            if isinstance(name, ox.NamedNode) and name.value.startswith(STAGING_PREFIX):
                self._store.remove_graph(name)


def _replace_in(engine: ox.Store, staged: _Staged) -> None:
    """Replace the graphs, take out the removals and add the additions, in a generation no
    reader sees yet (atomic by being unpublished)."""
    changes = dict(staged)
    for name in changes[_REPLACES]:
        engine.remove_graph(_iri(name))
    for name, triples in changes[_REMOVES].items():
        for quad in _quads(name, triples):
            engine.remove(quad)
    engine.extend(
        quad
        for how in (_REPLACES, _ADDS)
        for name, triples in changes[how].items()
        for quad in _quads(name, triples)
    )


def _quads(name: URIRef, triples: Triples) -> Iterator[ox.Quad]:
    graph = _iri(name)
    for s, p, o in triples:
        yield ox.Quad(_subject(to_oxigraph(s)), _predicate(to_oxigraph(p)), to_oxigraph(o), graph)


def _bulk_replace(engine: ox.Store, name: ox.NamedNode, ntriples: Iterable[bytes]) -> None:
    try:
        engine.remove_graph(name)
    except OSError as error:
        raise StoreUnavailable(f"cannot write the store: {error}") from error
    stream = io.BufferedReader(_ChunkReader(_prefetched(ntriples)), 1 << 20)
    try:
        # lenient: the writer has already checked every IRI it wrote.
        engine.bulk_load(stream, ox.RdfFormat.N_TRIPLES, to_graph=name, lenient=True)
    except BaseException:
        engine.remove_graph(name)
        raise


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


def _staged_quads(staged: _Staged) -> Iterator[ox.Quad]:
    """Each target's triples in its own staging graph, plus the control triple naming the target
    and whether they replace it, are removed from it or are added to it."""
    changes = [(how, *item) for how, graphs in staged for item in graphs.items()]
    for index, (how, target, triples) in enumerate(changes):
        staging = ox.NamedNode(f"{STAGING_PREFIX}{index}")
        yield ox.Quad(staging, how, ox.NamedNode(str(target)), _CONTROL)
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
