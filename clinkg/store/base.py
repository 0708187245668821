"""The store interface: a few methods every backend implements.

Two implementations: `OxigraphStore` (embedded, on disk, the default; `clinkg.store.oxigraph`)
and `RemoteStore` (any SPARQL 1.1 server; `clinkg.store.remote`). `clinkg.config.open_store`
picks one; callers depend on `Store` only; no `if remote:` elsewhere.
Values in and out are rdflib terms, so nothing above this layer knows the backend.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from typing import Protocol

from rdflib.term import Identifier, Literal, Node, URIRef

Term = URIRef | Literal | Identifier
Row = dict[str, Term | None]
# Plain literals are xsd:string in RDF 1.1; backends compare datatypes against this.
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


@dataclass(frozen=True)
class SerializedResult:
    """A query answer already serialized for the wire, and its media type."""

    body: bytes
    media_type: str


class Store(Protocol):
    """What the loaders and the server need from a triple store."""

    def select(self, sparql: str, bindings: Mapping[str, Term] | None = None) -> list[Row]:
        """Run a SELECT; bindings are bound by the engine, never pasted into the text."""
        ...

    def ask(self, sparql: str, bindings: Mapping[str, Term] | None = None) -> bool:
        """Run an ASK."""
        ...

    def query_serialized(
        self,
        sparql: str,
        media_type: str,
        *,
        default_graphs: Sequence[URIRef] | None = None,
        named_graphs: Sequence[URIRef] | None = None,
        base_iri: str | None = None,
    ) -> SerializedResult:
        """Run any read query and serialize the answer as `media_type` (results or RDF).

        `media_type` may list several types, best first (comma-separated): the first that fits
        the answer's kind is used, else NotAcceptable. Given graph lists replace the dataset.
        """
        ...

    def replace_graphs(
        self,
        graphs: Mapping[URIRef, Iterable[tuple[Node, Node, Node]]],
        *,
        additions: Mapping[URIRef, Iterable[tuple[Node, Node, Node]]] | None = None,
        removals: Mapping[URIRef, Iterable[tuple[Node, Node, Node]]] | None = None,
    ) -> None:
        """Replace each named graph of `graphs` by the given triples, take the `removals` out
        of their graphs and add the `additions` to theirs: all of it or nothing (atomically).
        A load changes the inferred graph without reading it back."""
        ...

    def bulk_load(self, graph: URIRef, ntriples: Iterable[bytes]) -> None:
        """Replace `graph` by ground N-Triples (no blank nodes) streamed in chunks (big loads).

        Fast rather than atomic where the backend cannot have both: while it runs readers may
        see part of the new graph, and a failed load leaves `graph` empty (never half old, half
        new). The embedded store on disk loads into an unpublished generation: atomic.
        """
        ...

    def graph_names(self) -> list[URIRef]:
        """Named graphs in the store."""
        ...

    def export(self, media_type: str) -> bytes:
        """The whole dataset (named graphs kept where the format allows) as `media_type`."""
        ...

    def close(self) -> None:
        """Release files and connections."""
        ...


def exclusive_writes(store: Store) -> AbstractContextManager[object]:
    """Be the store's only writer for a block that reads it and then writes it (a load).

    The embedded store locks its directory across processes (StoreBusy names the holder); a
    SPARQL server has no such lock, so there the block is not guarded.
    """
    exclusive = getattr(store, "exclusive", None)
    return exclusive() if callable(exclusive) else nullcontext()


def snapshot(store: Store) -> Store:
    """The store fixed at its present state where the backend can (several queries, one state);
    else the store itself."""
    pin = getattr(store, "snapshot", None)
    return pin() if callable(pin) else store
