"""Pages and the JSON API answer under a deadline, as /sparql does.

Their queries run in the web process (they are the store's canned and support queries, with
values bound from the graph), so none can be killed half-way; instead each request gets a
`DeadlineStore` that refuses to start another query once the request has used its time
(`PAGE_DEADLINE`). A request that would run many queries (a differential with many findings)
ends with 503 and Retry-After, and its parameters are bounded beforehand (`clinkg.server.security`),
so the one query running when the time is up is a small one.
"""

from __future__ import annotations

import math
import time
from collections.abc import Iterable, Mapping, Sequence

from rdflib import URIRef
from rdflib.term import Node

from clinkg.errors import QueryTimeout
from clinkg.store import Row, SerializedResult, Store, Term, snapshot


class DeadlineStore:
    """A `Store` answering queries until `seconds` after it was made; then QueryTimeout."""

    def __init__(self, store: Store, seconds: float) -> None:
        self.inner = store
        self.seconds = seconds
        self._ends = time.monotonic() + seconds

    def select(self, sparql: str, bindings: Mapping[str, Term] | None = None) -> list[Row]:
        """Run a SELECT if time is left."""
        self._check()
        return self.inner.select(sparql, bindings)

    def ask(self, sparql: str, bindings: Mapping[str, Term] | None = None) -> bool:
        """Run an ASK if time is left."""
        self._check()
        return self.inner.ask(sparql, bindings)

    def query_serialized(
        self,
        sparql: str,
        media_type: str,
        *,
        default_graphs: Sequence[URIRef] | None = None,
        named_graphs: Sequence[URIRef] | None = None,
        base_iri: str | None = None,
    ) -> SerializedResult:
        """Run a read query if time is left."""
        self._check()
        return self.inner.query_serialized(
            sparql,
            media_type,
            default_graphs=default_graphs,
            named_graphs=named_graphs,
            base_iri=base_iri,
        )

    def replace_graphs(
        self,
        graphs: Mapping[URIRef, Iterable[tuple[Node, Node, Node]]],
        *,
        additions: Mapping[URIRef, Iterable[tuple[Node, Node, Node]]] | None = None,
        removals: Mapping[URIRef, Iterable[tuple[Node, Node, Node]]] | None = None,
    ) -> None:
        """Writes are not timed: a replace is all or nothing."""
        self.inner.replace_graphs(graphs, additions=additions, removals=removals)

    def bulk_load(self, graph: URIRef, ntriples: Iterable[bytes]) -> None:
        """Writes are not timed."""
        self.inner.bulk_load(graph, ntriples)

    def graph_names(self) -> list[URIRef]:
        """Named graphs in the store, if time is left."""
        self._check()
        return self.inner.graph_names()

    def export(self, media_type: str) -> bytes:
        """The whole dataset: a download, not a query, so not timed."""
        return self.inner.export(media_type)

    def close(self) -> None:
        """The app closes the store it holds, not a request's view of it."""

    def snapshot(self) -> DeadlineStore:
        """The held store fixed at its present state, under this request's same deadline
        (an answer's queries must all read one state while loads publish new ones)."""
        pinned = DeadlineStore(snapshot(self.inner), self.seconds)
        pinned._ends = self._ends
        return pinned

    def _check(self) -> None:
        if time.monotonic() > self._ends:
            raise QueryTimeout(
                f"this page needed more than {self.seconds:g} s of queries and was stopped; "
                "ask for less (fewer findings or values)",
                max(1, math.ceil(self.seconds)),
            )
