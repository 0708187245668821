"""The store interface: a few methods every backend implements.

Two implementations: `OxigraphStore` (embedded, on disk, the default; `clinkg.oxigraph_store`)
and a remote SPARQL 1.1 server. Callers depend on `Store` only; no `if remote:` elsewhere.
Values in and out are rdflib terms, so nothing above this layer knows the backend.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Protocol

from rdflib.term import Identifier, Literal, URIRef

Term = URIRef | Literal | Identifier
Row = dict[str, Term | None]


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

    def query_serialized(self, sparql: str, media_type: str) -> SerializedResult:
        """Run any read query and serialize the answer as `media_type` (results or RDF)."""
        ...

    def replace_graphs(self, graphs: Mapping[URIRef, Iterable[tuple[Term, Term, Term]]]) -> None:
        """Replace each named graph by the given triples, all of them or none (atomically)."""
        ...

    def graph_names(self) -> list[URIRef]:
        """Named graphs in the store."""
        ...

    def close(self) -> None:
        """Release files and connections."""
        ...
