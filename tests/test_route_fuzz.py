"""Every route, every parameter, any method: a malformed request is a 4xx, never a 500.

Hypothesis builds requests over the app's own URL map (so a new route is fuzzed without being
listed here): path segments and parameter values from a mix of real values and hostile text,
raw query strings with broken percent-encoding, and every method. No answer may be a 500, and no
query worker may die on the way. Example count fixed, seed derandomised: repeatable and quick.
"""

from __future__ import annotations

from urllib.parse import quote

from flask import Flask
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from clinkg.server import create_app

EXAMPLES = 250
METHODS = ["GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "FOO"]
# Every parameter a route reads, and a few that none does.
PARAMETERS = [
    "query", "default-graph-uri", "named-graph-uri", "update", "format", "question", "q",
    "condition", "site", "trigger", "relief", "speed", "quality", "population", "sign", "x",
]  # fmt: skip
REAL_VALUES = [
    "treatments", "risk-factors", "conditions-by-feature", "differentials", "evidence",
    "leg cramps", "calf", "exertion", "fast", "turtle", "jsonld", "nt", "rdfxml",
    "condition/nocturnal-leg-cramps", "article/mini", "clinkg.ttl", "yasgui.min.js",
    "https://w3id.org/clinkg/id/condition/nocturnal-leg-cramps", "urn:x",
    "ASK {}", "SELECT * WHERE { ?s ?p ?o } LIMIT 2", "CONSTRUCT WHERE { ?s ?p ?o } LIMIT 2",
    "DESCRIBE <https://w3id.org/clinkg/id/condition/nocturnal-leg-cramps>",
]  # fmt: skip
HOSTILE_VALUES = [
    "a b", '"', "{", "\\", "<", "^", "|", "`", "%zz", "%", "\x00", "../../etc/passwd", "\u202e",
    "http://a b", "file:///etc/passwd", "<script>alert(1)</script>", "x" * 400, "",
]  # fmt: skip
ACCEPTS = ["*/*", "text/html", "application/rdf+xml", "text/csv", "image/png", "", "a/b;q=x"]


def _routes(app: Flask) -> list[tuple[str, tuple[str, ...]]]:
    """Each rule's text and its converter names, e.g. ('/id/<path:rest>', ('rest',))."""
    return [(rule.rule, tuple(rule.arguments)) for rule in app.url_map.iter_rules()]


def _value() -> st.SearchStrategy[str]:
    return st.one_of(
        st.sampled_from(REAL_VALUES), st.sampled_from(HOSTILE_VALUES), st.text(max_size=30)
    )


@st.composite
def fuzzed_request(draw: st.DrawFn, routes: list[tuple[str, tuple[str, ...]]]) -> dict[str, object]:
    """A request to one of `routes`: fuzzed path values, raw query string, method and Accept."""
    rule, arguments = draw(st.sampled_from(routes))
    path = rule
    for name in arguments:
        value = quote(draw(_value()), safe="/")
        path = path.replace(f"<path:{name}>", value).replace(f"<{name}>", value)
    pairs = draw(st.lists(st.tuples(st.sampled_from(PARAMETERS), _value()), max_size=5))
    raw = "&".join(f"{quote(name)}={quote(value, safe='')}" for name, value in pairs)
    raw += draw(st.sampled_from(["", "&%zz", "&=", "&query", "&&", "&a=%00", "&b=%E2%82"]))
    method = draw(st.sampled_from(METHODS))
    accept = draw(st.sampled_from(ACCEPTS))
    request: dict[str, object] = {
        "path": path,
        "method": method,
        "query_string": raw,
        "headers": {"Accept": accept} if accept else {},
    }
    if method == "POST" and draw(st.booleans()):
        request["data"] = dict(pairs)
    return request


def test_no_request_to_any_route_is_a_500_or_kills_a_worker(app: Flask) -> None:
    fuzzed = create_app({"TESTING": False, "STORE": app.extensions["clinkg.store"]})
    client = fuzzed.test_client()
    routes = _routes(fuzzed)
    seen: set[int] = set()

    @settings(
        max_examples=EXAMPLES,
        derandomize=True,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow],
    )
    @given(fuzzed_request(routes))
    def check(request: dict[str, object]) -> None:
        options = {key: value for key, value in request.items() if key != "path"}
        path = str(request["path"])
        response = client.open(path, **options)  # type: ignore[arg-type]
        assert response.status_code < 500 or response.status_code == 503, (path, request)
        if 400 <= response.status_code < 500 and request["method"] != "HEAD":
            assert response.get_data(), (path, request)  # every refusal says why
        seen.add(response.status_code)

    check()
    runner = fuzzed.extensions["clinkg.server.query_runner"]
    assert runner.lost_workers == 0
    assert client.post("/sparql", data={"query": "ASK {}"}).status_code == 200
    runner.close()
    assert {200, 400, 404, 405} <= seen


def test_head_answers_wherever_get_does(client: object, app: Flask) -> None:
    from flask.testing import FlaskClient

    assert isinstance(client, FlaskClient)
    for path in (
        "/",
        "/sparql",
        "/sparql?query=ASK%7B%7D",
        "/api/questions",
        "/api/questions/treatments?condition=leg%20cramps",
        "/questions/treatments?condition=leg%20cramps",
        "/questions/treatments/answers.csv?condition=leg%20cramps",
        "/differential",
        "/ask?q=cramps",
        "/workbench",
        "/void",
        "/ontology",
        "/id/condition/nocturnal-leg-cramps",
    ):
        got, head = client.get(path), client.head(path)
        assert (head.status_code, head.mimetype) == (got.status_code, got.mimetype), path
        assert head.get_data() == b"", path
    app.extensions["clinkg.server.query_runner"].close()
