"""The clinicians' pages: pickers from the graph, quoted evidence, marked statuses, escaped data."""

from __future__ import annotations

from flask.testing import FlaskClient


def test_the_index_groups_questions_with_type_ahead_over_labels_and_synonyms(
    client: FlaskClient,
) -> None:
    page = client.get("/").get_data(as_text=True)
    assert "<h2>Presentation</h2>" in page
    assert '<datalist id="values-body-site">' in page
    assert '<option value="calf"></option>' in page
    assert 'label="calves → calf"' in page
    assert '<option value="Deep vein thrombosis"></option>' in page
    assert '<label for="conditions-by-feature-site">Body site</label>' in page


def test_an_answer_quotes_its_sentence_section_and_reference(client: FlaskClient) -> None:
    page = client.get("/questions/conditions-by-feature?site=calf&trigger=exertion").get_data(
        as_text=True
    )
    assert "Intermittent claudication causes calf pain on walking" in page
    assert "<cite>Intermittent Claudication (Peripheral Artery Disease)</cite>" in page
    assert "Guideline Directed Topic Overview" in page


def test_an_answer_offers_its_link_downloads_sparql_and_the_editor(client: FlaskClient) -> None:
    page = client.get("/questions/treatments?condition=leg+cramps").get_data(as_text=True)
    assert 'value="http://localhost/questions/treatments?condition=Nocturnal+leg+cramps"' in page
    assert 'href="/questions/treatments/answers.csv?condition=Nocturnal+leg+cramps"' in page
    assert 'href="/api/questions/treatments?condition=Nocturnal+leg+cramps"' in page
    assert 'href="/workbench?question=treatments&amp;condition=Nocturnal+leg+cramps"' in page
    assert "VALUES ( ?condition )" in page


def test_the_csv_download_has_one_row_per_answer_and_statement(client: FlaskClient) -> None:
    response = client.get("/questions/risk-factors/answers.csv?condition=leg+cramps")
    assert response.mimetype == "text/csv"
    lines = response.get_data(as_text=True).splitlines()
    assert lines[0].startswith("label,iri,")
    assert "Muscle twitching" in lines[1]
    assert "[4] not in the article's reference list" in lines[1]


def test_an_unresolved_citation_is_said_in_plain_words(client: FlaskClient) -> None:
    page = client.get("/questions/risk-factors?condition=leg+cramps").get_data(as_text=True)
    assert "Reference 4 unresolved:" in page


def test_a_statistic_is_shown_with_its_meaning(client: FlaskClient) -> None:
    page = client.get("/questions/risk-factors?condition=leg+cramps").get_data(as_text=True)
    assert "odds ratio: the odds are this many times higher" in page


def test_not_recommended_is_visibly_marked(client: FlaskClient) -> None:
    page = client.get("/questions/treatments?condition=leg+cramps").get_data(as_text=True)
    assert 'class="answer not-recommended"' in page
    assert "NOT RECOMMENDED</strong> — no longer recommended" in page


def test_data_from_the_graph_is_escaped(client: FlaskClient) -> None:
    page = client.get("/questions/differentials?condition=leg+cramps").get_data(as_text=True)
    assert "&lt;b&gt;and&lt;/b&gt;" in page
    assert "<b>and</b>" not in page


def test_pages_carry_no_inline_script_or_style(client: FlaskClient) -> None:
    for url in ("/", "/questions/treatments?condition=leg+cramps", "/ask?q=calf", "/workbench"):
        page = client.get(url).get_data(as_text=True)
        assert "<script>" not in page and "style=" not in page and " onclick=" not in page, url


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
