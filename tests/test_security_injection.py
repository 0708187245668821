"""An injection corpus through every canned parameter: refused (400), echoed escaped, never run.

Parameter values are resolved against the allowed values read from the graph and then bound by
the engine; nothing the caller types reaches SPARQL text. (tests/test_layers.py fails the build on
SPARQL built with %, .format, f-strings or +.)
"""

from __future__ import annotations

from typing import Any

import pytest
from flask.testing import FlaskClient

from clinkg.server.csv_cells import csv_text, neutralise, neutralise_csv

INJECTIONS = [
    '" } UNION { ?iri ?p ?label } #',
    "calf> } UNION { ?iri ?p ?label } #",
    "<https://w3id.org/clinkg/ontology#Calf> } UNION { ?iri ?p ?label",
    "?iri",
    "' OR '1'='1",
    "1; DROP GRAPH <https://w3id.org/clinkg/graph/article/mini>",
    'calf" . ?iri ?p ?o . #',
    'calf"@en ; FILTER(true) #',
    "\\u0022 } SERVICE <http://127.0.0.1:1/> { }",
    "SERVICE <http://127.0.0.1:1/> {}",
    "<script>alert(1)</script>",
    "\x00calf",
    "calf\u202e",
    "*",
    "https://w3id.org/clinkg/ontology#Calf> <x:y",
    "file:///etc/passwd",
    "x" * 5000,
]


def _parameter_cases(client: FlaskClient) -> list[tuple[str, str, dict[str, str]]]:
    """(question id, parameter under attack, valid values for the others) for every parameter."""
    cases = []
    for question in client.get("/api/questions").get_json()["questions"]:
        valid = {p["name"]: p["allowed"][0]["iri"] for p in question["params"] if p["allowed"]}
        for param in question["params"]:
            cases.append((question["id"], param["name"], valid))
    return cases


def test_every_parameter_refuses_every_injection(client: FlaskClient) -> None:
    cases = _parameter_cases(client)
    assert len(cases) >= 8
    tried = 0
    for question_id, name, valid in cases:
        for value in INJECTIONS:
            params: dict[str, Any] = {**valid, name: value}
            api = client.get(f"/api/questions/{question_id}", query_string=params)
            assert api.status_code == 400, (question_id, name, value)
            # A value over the length bound is refused for its length, before it is read.
            refused_by = "LimitExceeded" if len(value) > 300 else "QueryParameterError"
            assert api.get_json()["error"] == refused_by
            page = client.get(f"/questions/{question_id}", query_string=params)
            assert page.status_code == 400, (question_id, name, value)
            assert "<script>alert(1)</script>" not in page.get_data(as_text=True)
            tried += 1
    assert tried == len(cases) * len(INJECTIONS)


def test_extra_parameters_named_like_query_variables_change_nothing(client: FlaskClient) -> None:
    plain = client.get("/api/questions/risk-factors", query_string={"condition": "leg cramps"})
    extra = client.get(
        "/api/questions/risk-factors",
        query_string={"condition": "leg cramps", "iri": "urn:x", "label": "x", "support": "?s"},
    )
    assert plain.status_code == 200
    assert extra.get_json() == plain.get_json()


@pytest.mark.parametrize(
    ("cell", "shown"),
    [
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("-3.5", "-3.5"),
        ("+44", "+44"),
        ("calf pain", "calf pain"),
        ("", ""),
    ],
)
def test_csv_cells_that_would_start_a_formula_are_neutralised(cell: str, shown: str) -> None:
    assert neutralise(cell) == shown


def test_csv_text_neutralises_every_cell_and_keeps_quoting() -> None:
    text = csv_text(["=a", "b"], [["=1+1", 'x, "y"']])
    assert text == '\'=a,b\n\'=1+1,"x, ""y"""\n'
    assert neutralise_csv(b'v\r\n"=1,2"\r\n') == b'v\r\n"\'=1,2"\r\n'


def test_sparql_csv_answers_are_neutralised(client: FlaskClient) -> None:
    query = 'SELECT ?v WHERE { VALUES ?v { "=cmd|\' /C calc\'!A0" "-1" "@x" } }'
    response = client.post("/sparql", data={"query": query}, headers={"Accept": "text/csv"})
    assert response.data == b"v\r\n'=cmd|' /C calc'!A0\r\n-1\r\n'@x\r\n"


def test_cli_csv_is_neutralised(runner: Any, disk_store: object, tmp_path: Any) -> None:
    query = tmp_path / "q.rq"
    query.write_text('SELECT ?v WHERE { VALUES ?v { "=1+1" } }', encoding="utf-8")
    code, out, _ = runner("query", str(query), "--format", "csv", "--store", str(disk_store))
    assert code == 0
    assert out.splitlines()[1] == "'=1+1"
