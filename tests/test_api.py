"""`/api/questions`: the catalogue and answers as JSON, errors with the allowed values."""

from __future__ import annotations

from flask.testing import FlaskClient


def test_the_catalogue_lists_questions_with_allowed_values(client: FlaskClient) -> None:
    body = client.get("/api/questions").get_json()
    by_id = {q["id"]: q for q in body["questions"]}
    site = by_id["conditions-by-feature"]["params"][0]
    assert site["name"] == "site"
    calf = next(v for v in site["allowed"] if v["label"] == "calf")
    assert calf == {
        "label": "calf",
        "iri": "https://w3id.org/clinkg/ontology#Calf",
        "synonyms": ["calves", "sural region"],
    }
    assert not any(question_id.startswith("_") for question_id in by_id)


def test_an_answer_carries_label_iri_columns_and_evidence(client: FlaskClient) -> None:
    response = client.get("/api/questions/treatments?condition=LEG%20CRAMPS")
    assert response.status_code == 200
    body = response.get_json()
    assert body["params"]["condition"]["label"] == "Nocturnal leg cramps"
    quinine = next(a for a in body["answers"] if a["label"] == "Quinine")
    assert quinine["status"] == "not recommended"
    assert quinine["noLongerRecommended"] is True
    [evidence] = quinine["evidence"]
    assert evidence["section"] == "Nocturnal Leg Cramps"
    assert evidence["citations"][0]["reference"]["journal"] == "American family physician"


def test_a_parameter_may_be_an_iri(client: FlaskClient) -> None:
    iri = "https://w3id.org/clinkg/id/condition/deep-vein-thrombosis"
    body = client.get("/api/questions/differentials", query_string={"condition": iri}).get_json()
    assert [a["label"] for a in body["answers"]] == ["Baker's cyst", "Hip osteoarthritis"]


def test_an_unknown_question_is_404(client: FlaskClient) -> None:
    response = client.get("/api/questions/no-such-question")
    assert response.status_code == 404
    assert response.get_json()["error"] == "UnknownQuestion"


def test_an_unknown_value_is_400_naming_the_allowed_ones(client: FlaskClient) -> None:
    response = client.get("/api/questions/treatments?condition=gout")
    assert response.status_code == 400
    body = response.get_json()
    assert body["parameter"] == "condition"
    assert "Deep vein thrombosis" in body["allowed"]


def test_a_missing_parameter_is_400(client: FlaskClient) -> None:
    response = client.get("/api/questions/conditions-by-feature?site=calf")
    assert response.status_code == 400
    assert "missing parameter 'trigger'" in response.get_json()["message"]


def test_answers_carry_an_etag_that_holds_until_the_next_load(client: FlaskClient) -> None:
    from clinkg.server.extensions import store as app_store
    from clinkg.store.state import new_stamp

    url = "/api/questions/treatments?condition=leg%20cramps"
    assert "ETag" not in client.get(url).headers  # a store no load has stamped
    with client.application.app_context():
        app_store().replace_graphs(new_stamp())
    first = client.get(url)
    assert client.get(url, headers={"If-None-Match": first.headers["ETag"]}).status_code == 304
    with client.application.app_context():
        app_store().replace_graphs(new_stamp())
    again = client.get(url, headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 200 and again.get_json() == first.get_json()


def test_an_empty_store_says_to_load_articles_first() -> None:
    from clinkg.server import create_app
    from clinkg.store.oxigraph import OxigraphStore

    client = create_app({"TESTING": True, "STORE": OxigraphStore(None)}).test_client()
    response = client.get("/api/questions/treatments?condition=quinine")
    assert response.status_code == 400
    assert "load articles first" in response.get_json()["message"]


def test_the_etag_does_not_depend_on_parameter_order_or_process() -> None:
    import subprocess
    import sys

    from clinkg.server.api import answer_etag

    one = answer_etag("stamp", "q", {"a": "1", "b": "2"})
    assert one == answer_etag("stamp", "q", {"b": "2", "a": "1"})
    assert one != answer_etag("other", "q", {"a": "1", "b": "2"})
    program = (
        "from clinkg.server.api import answer_etag as e; "
        "print(e('stamp', 'q', {'a': '1', 'b': '2'}))"
    )
    other = subprocess.run(
        [sys.executable, "-c", program], capture_output=True, text=True, check=True
    )
    assert other.stdout.strip() == one
