"""The researchers' workbench: YASGUI page, service description, VoID, whole-graph downloads."""

from __future__ import annotations

from pathlib import Path

from flask.testing import FlaskClient
from rdflib import Graph, Namespace
from rdflib.namespace import RDF, VOID

from clinkg.store.oxigraph import OxigraphStore

SD = Namespace("http://www.w3.org/ns/sparql-service-description#")


def test_get_sparql_without_a_query_is_the_service_description(client: FlaskClient) -> None:
    response = client.get("/sparql", headers={"Accept": "text/turtle"})
    assert response.mimetype == "text/turtle"
    graph = Graph().parse(data=response.get_data(as_text=True), format="turtle")
    [service] = graph.subjects(RDF.type, SD.Service)
    assert (service, SD.supportedLanguage, SD.SPARQL11Query) in graph
    assert len(list(graph.objects(None, SD.namedGraph))) >= 1


def test_a_query_still_reaches_the_endpoint(client: FlaskClient) -> None:
    response = client.get("/sparql", query_string={"query": "ASK { ?s ?p ?o }"})
    assert response.mimetype == "application/sparql-results+json"


def test_void_counts_triples_and_classes(client: FlaskClient) -> None:
    graph = Graph().parse(data=client.get("/void").get_data(as_text=True), format="turtle")
    [dataset] = graph.subjects(RDF.type, VOID.Dataset)
    assert int(graph.value(dataset, VOID.triples)) > 0  # type: ignore[arg-type]
    assert len(list(graph.objects(dataset, VOID.dataDump))) == 3
    assert list(graph.objects(dataset, VOID.classPartition))


def test_downloads_hold_the_whole_graph(client: FlaskClient, store: OxigraphStore) -> None:
    response = client.get("/download/clinkg.nt")
    assert response.mimetype == "application/n-triples"
    assert "attachment" in response.headers["Content-Disposition"]
    assert response.get_data() == store.export("application/n-triples")
    assert client.get("/download/clinkg.xml").status_code == 404


def test_the_workbench_carries_the_catalogue_and_the_asked_question(client: FlaskClient) -> None:
    page = client.get("/workbench?question=treatments&condition=leg+cramps").get_data(as_text=True)
    assert "&#34;id&#34;: &#34;conditions-by-feature&#34;" in page
    assert "VALUES ( ?condition )" in page


def test_yasgui_files_are_served_only_when_installed(client: FlaskClient, tmp_path: Path) -> None:
    assert client.get("/vendor/yasgui/package.json").status_code == 404
    client.application.config["YASGUI_DIR"] = str(tmp_path)
    assert client.get("/vendor/yasgui/yasgui.min.js").status_code == 404
    assert "npm ci" in client.get("/workbench").get_data(as_text=True)
