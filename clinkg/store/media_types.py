"""Content negotiation's one home: the media types clinkg serves, and how one is chosen.

Two steps, both here. At the HTTP boundary an `Accept` header is matched against what a route
offers (`best_match`, `sparql_preferences`); the result is a preference list, best first,
comma-separated, which travels to a store or a query worker. There, once the answer's kind is
known (query results, or a graph), `choose` takes the first type of the list that fits it.
Aliases (`application/json`, `application/xml`, `text/plain`) are answered in their canonical
format and labelled as asked.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import lru_cache
from typing import Final, Literal

import pyoxigraph as ox
from werkzeug.datastructures import MIMEAccept
from werkzeug.http import parse_accept_header

from clinkg.errors import NotAcceptable

AnswerKind = Literal["results", "graph"]

# Best first: the first is the default when the client accepts anything.
RESULT_FORMATS: Final[Mapping[str, ox.QueryResultsFormat]] = {
    "application/sparql-results+json": ox.QueryResultsFormat.JSON,
    "application/sparql-results+xml": ox.QueryResultsFormat.XML,
    "text/csv": ox.QueryResultsFormat.CSV,
    "text/tab-separated-values": ox.QueryResultsFormat.TSV,
    "application/json": ox.QueryResultsFormat.JSON,
    "application/xml": ox.QueryResultsFormat.XML,
}
GRAPH_FORMATS: Final[Mapping[str, ox.RdfFormat]] = {
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "application/ld+json": ox.RdfFormat.JSON_LD,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
    "text/plain": ox.RdfFormat.N_TRIPLES,
}
# What an alias is asked of another server as.
CANONICAL: Final[Mapping[str, str]] = {
    "application/json": "application/sparql-results+json",
    "application/xml": "application/sparql-results+xml",
    "text/plain": "application/n-triples",
}
# Graph types a page of RDF (an entity, the service description, VoID) is offered in; rdflib
# names its serializers by these media types too.
DOCUMENT_GRAPH_TYPES: Final = (
    "text/turtle",
    "application/ld+json",
    "application/n-triples",
    "application/rdf+xml",
)
_RESULT_TYPES: Final = tuple(RESULT_FORMATS)
_GRAPH_TYPES: Final = tuple(GRAPH_FORMATS)
_KIND_NAMES: Final = {"results": "query results", "graph": "a graph answer"}


def preferences(media_type: str) -> list[str]:
    """The types of a preference list (`a, b;q=0.5`), parameters dropped, lower case."""
    return [part.split(";")[0].strip().lower() for part in media_type.split(",") if part.strip()]


def choose(media_type: str, kind: AnswerKind) -> str:
    """The first type of the preference list that serves an answer of `kind`; else 406."""
    table = RESULT_FORMATS if kind == "results" else GRAPH_FORMATS
    chosen = next((m for m in preferences(media_type) if m in table), None)
    if chosen is None:
        raise NotAcceptable(f"{_KIND_NAMES[kind]} cannot be sent as {media_type}")
    return chosen


def canonical(media_type: str) -> str:
    """The type an alias stands for (`application/json` -> SPARQL results JSON)."""
    return CANONICAL.get(media_type, media_type)


def best_match(accept: str | None, offered: Sequence[str]) -> str | None:
    """The offered type the `Accept` header ranks highest; the first offered when no header."""
    if not accept or not accept.strip():
        return offered[0]
    return parse_accept_header(accept, MIMEAccept).best_match(offered)


@lru_cache(maxsize=512)
def sparql_preferences(accept: str | None) -> str:
    """For /sparql: the best results type and the best graph type the header accepts.

    Kept per header text (clients send a handful of distinct ones), as parsing one costs more
    than a small query; a header that is refused (406) is not kept."""
    if not accept or not accept.strip():
        return ",".join((_RESULT_TYPES[0], _GRAPH_TYPES[0]))
    parsed = parse_accept_header(accept, MIMEAccept)
    best = [parsed.best_match(_RESULT_TYPES), parsed.best_match(_GRAPH_TYPES)]
    chosen = [media_type for media_type in best if media_type]
    if not chosen:
        raise NotAcceptable(f"none of the accepted types is served: {accept}")
    return ",".join(chosen)
