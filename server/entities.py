"""Entity pages at their IRI paths (`/id/...`): HTML, Turtle or JSON-LD by content negotiation."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from flask import Blueprint, Response, abort, render_template, request, url_for
from rdflib import Graph, URIRef

from clinkg.errors import QueryError
from clinkg.ontology.namespaces import BASE, CKG, ID
from clinkg.server.answers import Evidence, statement_evidence
from clinkg.server.extensions import catalogue, store
from clinkg.server.pictures import forest_plot, neighbourhood, neighbourhood_rows, ratio_rows
from clinkg.sparql_text import iri_problem
from clinkg.store import Row, Term
from clinkg.store.media_types import DOCUMENT_GRAPH_TYPES, best_match

blueprint = Blueprint("entities", __name__)

# `?format=` names for the RDF types, for links a browser can follow.
FORMAT_NAMES: Final = {
    "turtle": "text/turtle",
    "jsonld": "application/ld+json",
    "nt": "application/n-triples",
    "rdfxml": "application/rdf+xml",
}
EVIDENCE_LIMIT: Final = 30


@dataclass(frozen=True)
class Link:
    """One edge of an entity page: the property, the other end, its label and where it leads."""

    property: str
    property_label: str
    value: str
    label: str | None
    href: str | None


@blueprint.get("/id/<path:rest>")
def entity(rest: str) -> Response | str:
    """The entity `https://w3id.org/clinkg/id/<rest>`: its statements, links and evidence."""
    iri = ID[rest]
    problem = iri_problem(str(iri))
    if problem is not None:
        raise QueryError(f"/id/{rest}: {problem}")
    outgoing = store().select(catalogue().support("_entity-outgoing").sparql, {"iri": iri})
    incoming = store().select(catalogue().support("_entity-incoming").sparql, {"iri": iri})
    if not outgoing and not incoming:
        abort(404, f"nothing in the graph is called {iri}")
    media_type = _negotiate()
    if media_type != "text/html":
        graph = _graph(iri, outgoing, incoming)
        response = Response(graph.serialize(format=media_type), mimetype=media_type)
        response.vary.add("Accept")
        return response
    types = [row for row in outgoing if str(row["property"]).endswith("#type")]
    statements = [URIRef(str(r["subject"])) for r in incoming if _is_true(r["isStatement"])]
    supported = [URIRef(str(r["value"])) for r in outgoing if r["property"] == CKG.supportedBy]
    own = [iri] if any(r["value"] == CKG.Statement for r in types) else []
    evidence_iris = list(dict.fromkeys([*own, *supported, *statements]))[:EVIDENCE_LIMIT]
    return render_template(
        "entity.html",
        iri=iri,
        label=_label(outgoing) or rest,
        types=[_link(r["property"], None, r["value"], r["valueLabel"]) for r in types],
        outgoing=[
            _link(r["property"], r["propertyLabel"], r["value"], r["valueLabel"])
            for r in outgoing
            if r not in types
        ],
        incoming=[
            _link(r["property"], r["propertyLabel"], r["subject"], r["subjectLabel"])
            for r in incoming
        ],
        evidence=[_evidence(s) for s in evidence_iris],
        **_pictures(iri, _label(outgoing) or rest, types),
        formats={name: url_for("entities.entity", rest=rest, format=name) for name in FORMAT_NAMES},
    )


@blueprint.app_template_filter("local_href")
def href(iri: object) -> str:
    """Where a page links for an IRI: its page here if clinkg serves it, else the IRI itself."""
    return local_href(str(iri)) or str(iri)


def local_href(iri: str) -> str | None:
    """Where a clinkg IRI is served here (entities under /id/, ontology terms at /ontology)."""
    if iri.startswith(str(ID)):
        return url_for("entities.entity", rest=iri[len(str(ID)) :])
    if iri.startswith(BASE + "ontology"):
        return url_for("ontology.ontology") + iri[len(BASE + "ontology") :]
    return None


def _pictures(iri: URIRef, label: str, types: list[Row]) -> dict[str, object]:
    """A condition's neighbourhood and the forest plot of its ratios; nothing for other nodes."""
    if not any(row["value"] == CKG.Condition for row in types):
        return {"forest_plot": None, "neighbourhood": None}
    return {
        "forest_plot": forest_plot(ratio_rows(store(), catalogue(), iri)),
        "neighbourhood": neighbourhood(label, neighbourhood_rows(store(), catalogue(), iri)),
    }


def _negotiate() -> str:
    named = FORMAT_NAMES.get(request.args.get("format", ""))
    if named:
        return named
    return best_match(request.headers.get("Accept"), ("text/html", *DOCUMENT_GRAPH_TYPES)) or (
        "text/html"
    )


def _graph(iri: URIRef, outgoing: list[Row], incoming: list[Row]) -> Graph:
    graph = Graph()
    graph.bind("ckg", str(CKG))
    graph.bind("id", str(ID))
    for row in outgoing:
        graph.add((iri, URIRef(str(row["property"])), _node(row["value"])))
    for row in incoming:
        graph.add((URIRef(str(row["subject"])), URIRef(str(row["property"])), iri))
    return graph


def _node(term: Term | None) -> Term:
    assert term is not None  # a triple's object is always bound
    return term


def _label(outgoing: list[Row]) -> str | None:
    for name in ("prefLabel", "label", "title", "text"):
        for row in outgoing:
            if str(row["property"]).endswith(("#" + name, "/" + name)):
                return str(row["value"])
    return None


def _link(
    prop: Term | None, prop_label: Term | None, value: Term | None, label: Term | None
) -> Link:
    text = str(value)
    short = text.rsplit("#", 1)[-1].rsplit("/", 1)[-1]
    href = local_href(text) if isinstance(value, URIRef) else None
    if href is None and isinstance(value, URIRef) and text.startswith(("http://", "https://")):
        href = text
    return Link(
        property=str(prop),
        property_label=str(prop_label)
        if prop_label
        else str(prop).rsplit("#", 1)[-1].rsplit("/", 1)[-1],
        value=text,
        label=str(label) if label is not None else (short if isinstance(value, URIRef) else text),
        href=href,
    )


def _evidence(statement: URIRef) -> Evidence:
    return statement_evidence(store(), catalogue(), statement)


def _is_true(term: Term | None) -> bool:
    return term is not None and str(term).lower() in ("true", "1")
