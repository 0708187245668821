"""The researchers' workbench: YASGUI on our endpoint, service description, VoID, downloads."""

from __future__ import annotations

from pathlib import Path
from typing import Final

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    render_template,
    request,
    send_file,
)
from rdflib import RDF, XSD, BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, VOID

from clinkg.ontology.namespaces import BASE, ONTOLOGY_IRI
from clinkg.registry import resolve_params
from clinkg.server.extensions import catalogue, store
from clinkg.server.links import external_url
from clinkg.sparql_requests import bind_values
from clinkg.store.media_types import DOCUMENT_GRAPH_TYPES, best_match

blueprint = Blueprint("workbench", __name__)

SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
FORMATS = Namespace("http://www.w3.org/ns/formats/")
# The files of the npm package @zazuko/yasgui the page needs; nothing else is served from there.
YASGUI_FILES: Final = ("yasgui.min.js", "yasgui.min.css")
DEFAULT_YASGUI_DIR: Final = (
    Path(__file__).resolve().parent.parent / "node_modules/@zazuko/yasgui/build"
)
# Download name -> media type; the graph as a whole, union of every named graph where needed.
DOWNLOADS: Final = {
    "clinkg.ttl": "text/turtle",
    "clinkg.nt": "application/n-triples",
    "clinkg.jsonld": "application/ld+json",
}
RESULT_FORMATS: Final = (
    "SPARQL_Results_JSON",
    "SPARQL_Results_XML",
    "SPARQL_Results_CSV",
    "SPARQL_Results_TSV",
    "Turtle",
    "N-Triples",
    "JSON-LD",
    "RDF_XML",
)


@blueprint.get("/workbench")
def workbench() -> str:
    """The query editor: the catalogue as example tabs, and the asked question's query if any."""
    first = None
    question_id = request.args.get("question")
    if question_id:
        asked = catalogue().get(question_id)
        raw = {k: v for k, v in request.args.items() if k != "question"}
        params = resolve_params(store(), catalogue(), asked, raw)
        sparql = bind_values(asked.sparql, {name: value.iri for name, value in params.items()})
        first = {"id": asked.id, "name": asked.name, "query": sparql}
    examples = [{"id": q.id, "name": q.name, "query": q.sparql} for q in catalogue().questions()]
    return render_template(
        "workbench.html",
        first=first,
        examples=examples,
        installed=all((_yasgui_dir() / name).is_file() for name in YASGUI_FILES),
        downloads=DOWNLOADS,
        endpoint=external_url("sparql.sparql"),
    )


@blueprint.get("/vendor/yasgui/<name>")
def yasgui_file(name: str) -> Response:
    """YASGUI's script and style, from the npm install (node_modules is not committed)."""
    path = _yasgui_dir() / name
    if name not in YASGUI_FILES or not path.is_file():
        abort(
            404, "the query editor's files are not installed (run `npm ci` at the repository root)"
        )
    return send_file(path, max_age=3600)


@blueprint.before_app_request
def service_description() -> Response | None:
    """GET /sparql without a query: the SPARQL 1.1 service description (before the endpoint)."""
    if request.path != "/sparql" or request.method not in ("GET", "HEAD"):
        return None
    if "query" in request.args:
        return None
    if any(key in request.args for key in ("update", "using-graph-uri", "using-named-graph-uri")):
        return None  # the endpoint refuses these in its own words
    endpoint = URIRef(external_url("sparql.sparql"))
    graph = _rdf_graph()
    graph.add((endpoint, RDF.type, SD.Service))
    graph.add((endpoint, SD.endpoint, endpoint))
    graph.add((endpoint, SD.supportedLanguage, SD.SPARQL11Query))
    graph.add((endpoint, SD.feature, SD.UnionDefaultGraph))
    for name in RESULT_FORMATS:
        graph.add((endpoint, SD.resultFormat, FORMATS[name]))
    dataset = BNode("dataset")
    graph.add((endpoint, SD.defaultDataset, dataset))
    _describe_dataset(graph, dataset)
    return _rdf_response(graph)


@blueprint.get("/void")
@blueprint.get("/.well-known/void")
def void() -> Response:
    """The VoID description of the dataset: size, partitions, endpoint, dumps, vocabulary."""
    graph = _rdf_graph()
    dataset = URIRef(BASE + "dataset")
    graph.add((dataset, RDF.type, VOID.Dataset))
    graph.add(
        (dataset, DCTERMS.title, Literal("clinkg: clinical Q&A articles as a knowledge graph"))
    )
    graph.add((dataset, VOID.sparqlEndpoint, URIRef(external_url("sparql.sparql"))))
    graph.add((dataset, VOID.vocabulary, URIRef(str(ONTOLOGY_IRI) + "#")))
    graph.add((dataset, VOID.uriSpace, Literal(BASE + "id/")))
    for name in DOWNLOADS:
        dump = external_url("workbench.download", name=name)
        graph.add((dataset, VOID.dataDump, URIRef(dump)))
    _describe_dataset(graph, dataset)
    for row in store().select(catalogue().support("_dataset-statistics").sparql):
        partition = BNode()
        graph.add((dataset, VOID.classPartition, partition))
        graph.add((partition, VOID["class"], URIRef(str(row["class"]))))
        graph.add((partition, VOID.entities, Literal(int(str(row["entities"])))))
    return _rdf_response(graph)


@blueprint.get("/download/<name>")
def download(name: str) -> Response:
    """The whole graph as Turtle, N-Triples or JSON-LD (JSON-LD keeps the named graphs)."""
    media_type = DOWNLOADS.get(name)
    if media_type is None:
        abort(404, f"no download called {name}; there are {', '.join(DOWNLOADS)}")
    response = Response(store().export(media_type), mimetype=media_type)
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _describe_dataset(graph: Graph, dataset: BNode | URIRef) -> None:
    """Each named graph with its size: the default graph is their union."""
    sizes = store().select(catalogue().support("_graph-sizes").sparql)
    total = sum(int(str(row["triples"])) for row in sizes)
    graph.add((dataset, RDF.type, SD.Dataset))
    graph.add((dataset, VOID.triples, Literal(total, datatype=XSD.integer)))
    default = BNode("default-graph")
    graph.add((dataset, SD.defaultGraph, default))
    graph.add((default, RDF.type, SD.Graph))
    graph.add((default, VOID.triples, Literal(total, datatype=XSD.integer)))
    for row in sizes:
        named, inner = BNode(), BNode()
        graph.add((dataset, SD.namedGraph, named))
        graph.add((named, SD.name, URIRef(str(row["graph"]))))
        graph.add((named, SD.graph, inner))
        graph.add((inner, RDF.type, SD.Graph))
        graph.add((inner, VOID.triples, Literal(int(str(row["triples"])), datatype=XSD.integer)))


def _rdf_graph() -> Graph:
    graph = Graph()
    graph.bind("sd", SD)
    graph.bind("void", VOID)
    graph.bind("formats", FORMATS)
    graph.bind("dcterms", DCTERMS)
    return graph


def _rdf_response(graph: Graph) -> Response:
    accept = request.headers.get("Accept")
    media_type = best_match(accept, DOCUMENT_GRAPH_TYPES) or DOCUMENT_GRAPH_TYPES[0]
    response = Response(graph.serialize(format=media_type), mimetype=media_type)
    response.vary.add("Accept")
    return response


def _yasgui_dir() -> Path:
    configured = current_app.config.get("YASGUI_DIR")
    return Path(configured) if configured else DEFAULT_YASGUI_DIR
