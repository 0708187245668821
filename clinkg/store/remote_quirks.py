"""What a SPARQL server is sent and answers, the same whichever server it is (one place for quirks).

Sent: blank nodes as skolem IRIs (RDF 1.1 `/.well-known/genid/`), since a server may refuse
them in INSERT DATA (Virtuoso does) and labels cannot span the operations a big load is cut
into; an xsd:duration with no year or month part as the xsd:dayTimeDuration it is (the same
value; Virtuoso 7 refuses xsd:duration "PT10M"). Answered: servers are asked for SPARQL JSON
results and N-Triples graphs, the formats every one of them writes; clinkg writes every other
format itself with pyoxigraph, as the embedded store does, so a caller gets the same bytes from
any server (Virtuoso's own CSV quotes every value and its ASK comes back as one row of 1 or 0).
Skolem IRIs come back as blank nodes.
"""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Iterable, Iterator, Mapping
from typing import Any, Final
from urllib.parse import urlsplit

import pyoxigraph as ox
from rdflib import XSD, BNode, Literal, URIRef
from rdflib.term import Node

from clinkg.store.base import XSD_STRING, Term

GENID_PATH: Final = "/.well-known/genid/"
# An xsd:duration lexical form with days, hours, minutes or seconds only.
DAY_TIME_DURATION: Final = re.compile(
    r"-?P(?=\d|T\d)(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+(\.\d+)?S)?)?\Z"
)
RESULTS_WIRE: Final = "application/sparql-results+json"
# N-Triples under both its names: older servers (Virtuoso 7) know only text/plain.
GRAPH_WIRE: Final = "application/n-triples, text/plain;q=0.9"
GRAPH_WIRE_TYPES: Final = frozenset({"application/n-triples", "text/plain"})


class GarbledAnswer(ValueError):
    """An answer that is not what the SPARQL Protocol says it should be."""


def sendable(
    triples: Iterable[tuple[Node, Node, Node]], authority: str, labels: dict[BNode, URIRef]
) -> Iterator[tuple[Node, Node, Node]]:
    """The triples as any server takes them: blank nodes as fresh skolem IRIs under
    `authority` (`labels` keeps one IRI per node in a request), day-time durations typed so."""
    for triple in triples:
        yield tuple(_sendable(term, authority, labels) for term in triple)  # type: ignore[misc]


def _sendable(term: Node, authority: str, labels: dict[BNode, URIRef]) -> Node:
    if isinstance(term, BNode):
        return labels.setdefault(term, URIRef(authority + GENID_PATH + uuid.uuid4().hex))
    is_duration = isinstance(term, Literal) and term.datatype == XSD.duration
    if is_duration and DAY_TIME_DURATION.match(str(term)):
        return Literal(str(term), datatype=XSD.dayTimeDuration)
    return term


def skolem_authority(endpoint: str) -> str:
    """The scheme and authority skolem IRIs are minted under: the server's own (RDF 1.1 3.5)."""
    parts = urlsplit(endpoint)
    return f"{parts.scheme}://{parts.netloc}"


def skolem_label(iri: str) -> str | None:
    """The blank node label a skolem IRI stands for, else None."""
    _, found, label = urlsplit(iri).path.partition(GENID_PATH)
    return label if found and label else None


def json_answer(body: bytes, form: str) -> dict[str, Any]:
    """A SPARQL JSON results object; an ASK answered as one row becomes a boolean."""
    try:
        answer = json.loads(body)
    except ValueError as error:
        raise GarbledAnswer(f"not JSON ({error})") from error
    if not isinstance(answer, dict):
        raise GarbledAnswer("not a JSON object")
    if form == "ASK" and not isinstance(answer.get("boolean"), bool):
        answer = {"head": {}, "boolean": _ask_row(answer)}
    return answer


def _ask_row(answer: Mapping[str, Any]) -> bool:
    try:
        rows = answer["results"]["bindings"]
        values = [value["value"] for row in rows for value in row.values()]
    except (KeyError, TypeError) as error:
        raise GarbledAnswer("an ASK answer without a boolean") from error
    if len(values) > 1 or any(value not in ("0", "1", "true", "false") for value in values):
        raise GarbledAnswer("an ASK answer without a boolean")
    return bool(values) and values[0] in ("1", "true")


def rows(answer: Mapping[str, Any]) -> list[dict[str, Term | None]]:
    """The rows of a SELECT answer as rdflib terms (None where unbound)."""
    try:
        names = answer["head"]["vars"]
        return [
            {name: term_from_json(row[name]) if name in row else None for name in names}
            for row in answer["results"]["bindings"]
        ]
    except (KeyError, TypeError) as error:
        raise GarbledAnswer(f"a SELECT answer without {error}") from error


def term_from_json(value: Mapping[str, str]) -> Term:
    """The rdflib term of a SPARQL JSON results value (plain literals stay plain)."""
    kind = value["type"]
    if kind == "uri":
        label = skolem_label(value["value"])
        return BNode(label) if label else URIRef(value["value"])
    if kind == "bnode":
        return BNode(value["value"])
    if kind in ("literal", "typed-literal"):
        if value.get("xml:lang"):
            return Literal(value["value"], lang=value["xml:lang"])
        datatype = value.get("datatype")
        if datatype and datatype != XSD_STRING:
            return Literal(value["value"], datatype=URIRef(datatype))
        return Literal(value["value"])
    raise TypeError(f"unsupported term in a SPARQL answer: {kind}")


def results_as(answer: dict[str, Any], results_format: ox.QueryResultsFormat) -> bytes:
    """A JSON results answer written as `results_format` by pyoxigraph."""
    if "boolean" not in answer:
        for row in answer.get("results", {}).get("bindings", []):
            for name, value in row.items():
                if value.get("type") == "uri" and (label := skolem_label(value["value"])):
                    row[name] = {"type": "bnode", "value": label}
                elif value.get("type") == "typed-literal":
                    row[name] = {**value, "type": "literal"}
    try:
        parsed = ox.parse_query_results(json.dumps(answer).encode(), ox.QueryResultsFormat.JSON)
        body = parsed.serialize(format=results_format)
    except (SyntaxError, ValueError) as error:
        raise GarbledAnswer(f"results pyoxigraph cannot read ({error})") from error
    assert body is not None  # serialize() returns bytes when given no output
    return body


def graph_as(ntriples: bytes, rdf_format: ox.RdfFormat) -> bytes:
    """An N-Triples answer written as `rdf_format` by pyoxigraph, skolem IRIs as blank nodes."""
    try:
        triples = [_unskolemised(t) for t in ox.parse(ntriples, ox.RdfFormat.N_TRIPLES)]
    except (SyntaxError, ValueError) as error:
        raise GarbledAnswer(f"N-Triples pyoxigraph cannot read ({error})") from error
    body = ox.serialize(triples, format=rdf_format)
    assert body is not None
    return body


def _unskolemised(quad: ox.Quad) -> ox.Triple:
    def back(term: Any) -> Any:
        if isinstance(term, ox.NamedNode) and (label := skolem_label(term.value)):
            return ox.BlankNode(label)
        return term

    return ox.Triple(back(quad.subject), quad.predicate, back(quad.object))
