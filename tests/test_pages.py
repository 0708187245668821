"""The clinicians' page: pickers from the graph, quoted evidence, marked statuses, escaped data."""

from __future__ import annotations

from flask.testing import FlaskClient


def test_the_index_groups_questions_with_pickers_from_the_graph(client: FlaskClient) -> None:
    page = client.get("/").get_data(as_text=True)
    assert "<h2>Presentation</h2>" in page
    assert '<option value="https://w3id.org/clinkg/ontology#Calf"' in page
    assert ">Deep vein thrombosis</option>" in page


def test_an_answer_quotes_its_sentence_section_and_reference(client: FlaskClient) -> None:
    page = client.get("/questions/conditions-by-feature?site=calf&trigger=exertion").get_data(
        as_text=True
    )
    assert "Intermittent claudication causes calf pain on walking" in page
    assert "<cite>Intermittent Claudication (Peripheral Artery Disease)</cite>" in page
    assert "Guideline Directed Topic Overview" in page


def test_an_unresolved_citation_is_said_in_plain_words(client: FlaskClient) -> None:
    page = client.get("/questions/risk-factors?condition=leg+cramps").get_data(as_text=True)
    assert "citation 4: not in the article's reference list" in page


def test_not_recommended_is_visibly_marked(client: FlaskClient) -> None:
    page = client.get("/questions/treatments?condition=leg+cramps").get_data(as_text=True)
    assert 'class="answer not-recommended"' in page
    assert "not recommended (no longer recommended)" in page


def test_data_from_the_graph_is_escaped(client: FlaskClient) -> None:
    page = client.get("/questions/differentials?condition=leg+cramps").get_data(as_text=True)
    assert "&lt;b&gt;and&lt;/b&gt;" in page
    assert "<b>and</b>" not in page


def test_a_bad_value_is_a_plain_words_html_error(client: FlaskClient) -> None:
    response = client.get("/questions/treatments?condition=gout")
    assert response.status_code == 400
    assert response.mimetype == "text/html"
    page = response.get_data(as_text=True)
    assert "unknown value &#39;gout&#39;" in page
    assert "<li>Deep vein thrombosis</li>" in page


def test_an_unknown_question_page_is_404_html(client: FlaskClient) -> None:
    response = client.get("/questions/nothing-here")
    assert (response.status_code, response.mimetype) == (404, "text/html")
