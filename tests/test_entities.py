"""Entity pages at IRI paths, by content negotiation; the ontology page at its IRI."""

from __future__ import annotations

from flask.testing import FlaskClient
from rdflib import Graph, URIRef

DVT = "/id/condition/deep-vein-thrombosis"
DVT_IRI = URIRef("https://w3id.org/clinkg/id/condition/deep-vein-thrombosis")


def test_an_entity_page_links_neighbours_and_quotes_evidence(client: FlaskClient) -> None:
    response = client.get(DVT)
    page = response.get_data(as_text=True)
    assert response.mimetype == "text/html"
    assert "<h1>Deep vein thrombosis</h1>" in page
    assert 'href="/id/' in page
    assert '<blockquote class="evidence"' in page
    assert 'rel="alternate" type="text/turtle"' in page


def test_turtle_and_json_ld_by_accept_header(client: FlaskClient) -> None:
    for media_type, rdf_format in (("text/turtle", "turtle"), ("application/ld+json", "json-ld")):
        response = client.get(DVT, headers={"Accept": media_type})
        assert response.mimetype == media_type
        graph = Graph().parse(data=response.get_data(as_text=True), format=rdf_format)
        assert (DVT_IRI, None, None) in graph
        assert "Accept" in response.vary


def test_format_parameter_for_links(client: FlaskClient) -> None:
    assert client.get(DVT + "?format=nt").mimetype == "application/n-triples"


def test_an_unknown_entity_is_404(client: FlaskClient) -> None:
    assert client.get("/id/condition/no-such-thing").status_code == 404


def test_the_ontology_is_documented_at_its_iri_path(client: FlaskClient) -> None:
    page = client.get("/ontology").get_data(as_text=True)
    assert 'id="Condition"' in page and "ckg:hasFeature" in page
    turtle = client.get("/ontology", headers={"Accept": "text/turtle"})
    assert turtle.mimetype == "text/turtle"
    assert "owl:Ontology" in turtle.get_data(as_text=True)
