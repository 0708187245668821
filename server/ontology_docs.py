"""`/ontology`: the clinkg ontology at its IRI path, as HTML documentation or as Turtle.

A small generator over `ontology/clinkg.ttl` and `vocabulary.ttl` rather than pyLODE: pyLODE's
pages carry inline styles and scripts that the site's Content-Security-Policy refuses.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from typing import Final

from flask import Blueprint, Response, current_app, render_template, request
from rdflib import OWL, RDF, RDFS, Graph, URIRef
from rdflib.namespace import DCTERMS, SKOS
from rdflib.term import Node

from clinkg.ontology.namespaces import CKG, ONTOLOGY_IRI
from clinkg.store.media_types import best_match

blueprint = Blueprint("ontology", __name__)

SECTIONS: Final = (
    ("classes", "Classes", OWL.Class),
    ("object-properties", "Object properties", OWL.ObjectProperty),
    ("datatype-properties", "Datatype properties", OWL.DatatypeProperty),
)


@dataclass(frozen=True)
class Term:
    """One ontology term as documented: anchor, label, definition and its related terms."""

    anchor: str
    iri: str
    label: str
    definition: str
    facts: tuple[tuple[str, tuple[tuple[str, str | None], ...]], ...]


@blueprint.get("/ontology")
def ontology() -> Response | str:
    """The ontology documentation (HTML), or the ontology itself as Turtle when asked for."""
    wanted = request.args.get("format") or best_match(
        request.headers.get("Accept"), ("text/html", "text/turtle")
    )
    if wanted in ("turtle", "text/turtle"):
        text = resources.files("clinkg.ontology").joinpath("clinkg.ttl").read_text("utf-8")
        response = Response(text, mimetype="text/turtle")
        response.vary.add("Accept")
        return response
    graph = _ontology_graph()
    sections = [(key, title, _terms(graph, kind)) for key, title, kind in SECTIONS]
    schemes = [
        (_label(graph, scheme), _terms(graph, None, scheme))
        for scheme in sorted(
            s for s in graph.subjects(RDF.type, SKOS.ConceptScheme) if isinstance(s, URIRef)
        )
    ]
    return render_template(
        "ontology.html",
        iri=str(ONTOLOGY_IRI),
        title=str(graph.value(ONTOLOGY_IRI, DCTERMS.title) or "clinkg ontology"),
        description=str(graph.value(ONTOLOGY_IRI, DCTERMS.description) or ""),
        version=str(graph.value(ONTOLOGY_IRI, OWL.versionInfo) or ""),
        sections=sections,
        schemes=schemes,
    )


def _ontology_graph() -> Graph:
    cached = current_app.extensions.get("clinkg.ontology_docs")
    if isinstance(cached, Graph):
        return cached
    graph = Graph()
    folder = resources.files("clinkg.ontology")
    for name in ("clinkg.ttl", "vocabulary.ttl"):
        graph.parse(data=folder.joinpath(name).read_text("utf-8"), format="turtle")
    current_app.extensions["clinkg.ontology_docs"] = graph
    return graph


def _terms(graph: Graph, kind: URIRef | None, scheme: URIRef | None = None) -> list[Term]:
    """Own terms of a kind (or the concepts of a scheme), by label."""
    if scheme is not None:
        subjects = set(graph.subjects(SKOS.inScheme, scheme))
    else:
        subjects = {s for s in graph.subjects(RDF.type, kind) if str(s).startswith(str(CKG))}
    terms = [_term(graph, URIRef(str(s))) for s in subjects if isinstance(s, URIRef)]
    return sorted(terms, key=lambda t: t.label.casefold())


def _term(graph: Graph, iri: URIRef) -> Term:
    related = (
        ("Subclass of", RDFS.subClassOf),
        ("Equivalent to", OWL.equivalentClass),
        ("Domain", RDFS.domain),
        ("Range", RDFS.range),
        ("Part of", CKG.partOf),
        ("Synonyms", SKOS.altLabel),
        ("Matches", SKOS.exactMatch),
    )
    facts = []
    for title, prop in related:
        values = tuple(
            (_label(graph, v), _anchor(v)) for v in graph.objects(iri, prop) if not _blank(v)
        )
        if values:
            facts.append((title, tuple(sorted(values))))
    return Term(
        anchor=_anchor(iri) or str(iri),
        iri=str(iri),
        label=_label(graph, iri),
        definition=str(graph.value(iri, SKOS.definition) or graph.value(iri, RDFS.comment) or ""),
        facts=tuple(facts),
    )


def _label(graph: Graph, node: Node) -> str:
    for prop in (SKOS.prefLabel, RDFS.label):
        value = graph.value(node, prop)
        if value is not None:
            return str(value)
    return str(node).rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def _anchor(node: object) -> str | None:
    text = str(node)
    return text[len(str(CKG)) :] if text.startswith(str(CKG)) else None


def _blank(node: object) -> bool:
    return not isinstance(node, URIRef)
