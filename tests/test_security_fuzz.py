"""Fuzzing: mutated articles raise only ArticleParseError; /sparql answers only planned statuses.

Example counts are fixed and the random seed derandomised, so a run is repeatable and quick.
"""

from __future__ import annotations

from pathlib import Path

from flask import Flask
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from clinkg.errors import ArticleParseError
from clinkg.loaders.parse.article import decode_article, parse_article
from clinkg.server import create_app

ARTICLES = sorted((Path(__file__).parent.parent / "data" / "articles").glob("*.txt"))
ARTICLE_BYTES = [path.read_bytes() for path in ARTICLES]
PARSER_EXAMPLES = 300
ENDPOINT_EXAMPLES = 300
ALLOWED_STATUSES = {200, 400, 406, 413, 414, 415, 429, 503}

# Pieces an article is made of, to splice in where they do not belong.
ARTICLE_PIECES = [
    "References",
    "  • ",
    " 1",
    " 2, 3",
    " 12-14",
    ":",
    "\n",
    "\n\n",
    "Journal article\n",
    "Title\nJournal, 2020\n",
    "(OR 4.6)",
    "up to 60% of adults",
    "<!DOCTYPE x>",
    "\ufeff",
    "\x00",
    "\u202e",
    "\r",
    "\t",
]


@st.composite
def mutated_article(draw: st.DrawFn) -> bytes:
    """A bundled article with a few lines cut, duplicated, swapped or spliced with pieces."""
    data = draw(st.sampled_from(ARTICLE_BYTES))
    lines = data.split(b"\n")
    for _ in range(draw(st.integers(1, 6))):
        if not lines:
            break
        at = draw(st.integers(0, len(lines) - 1))
        action = draw(st.sampled_from(["cut", "copy", "swap", "splice", "bytes", "truncate"]))
        if action == "cut":
            del lines[at]
        elif action == "copy":
            lines.insert(draw(st.integers(0, len(lines))), lines[at])
        elif action == "swap":
            other = draw(st.integers(0, len(lines) - 1))
            lines[at], lines[other] = lines[other], lines[at]
        elif action == "splice":
            piece = draw(st.sampled_from(ARTICLE_PIECES)).encode("utf-8")
            column = draw(st.integers(0, len(lines[at])))
            lines[at] = lines[at][:column] + piece + lines[at][column:]
        elif action == "bytes":
            lines[at] = draw(st.binary(max_size=40))
        else:
            lines = lines[:at]
    return b"\n".join(lines)


@settings(
    max_examples=PARSER_EXAMPLES,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(mutated_article())
def test_a_mutated_article_parses_or_raises_only_article_parse_error(data: bytes) -> None:
    try:
        parse_article(decode_article(data, "fuzz.txt"), "fuzz.txt")
    except ArticleParseError as error:
        assert error.source == "fuzz.txt"


QUERY_TOKENS = [
    "SELECT", "ASK", "CONSTRUCT", "DESCRIBE", "WHERE", "{", "}", "(", ")", "?s", "?p", "?o",
    "*", ".", ";", ",", "FILTER", "OPTIONAL", "UNION", "MINUS", "GRAPH", "SERVICE", "SILENT",
    "FROM", "NAMED", "LOAD", "INSERT", "DELETE", "DATA", "BIND", "AS", "VALUES", "LIMIT", "10",
    "ORDER BY", "GROUP BY", "COUNT(*)", "<urn:x>", "<http://127.0.0.1:1/>", '"x"', "'y'@en",
    "1.5e3", "true", "a", "rdf:type", "PREFIX", "rdf:", "BASE", "<>", "^^", "#", "\n", "\\u0053",
    "<<", ">>", "REGEX(?o, \"(a+)+$\")", "EXISTS", "NOT", "|", "/", "+", "?x*", "^",
]  # fmt: skip


SEED_QUERIES = [
    "SELECT * WHERE { ?s ?p ?o } LIMIT 3",
    "ASK { ?s ?p ?o }",
    "CONSTRUCT WHERE { ?s ?p ?o } LIMIT 2",
    "DESCRIBE <https://w3id.org/clinkg/ontology#Calf>",
    "SELECT (COUNT(*) AS ?n) WHERE { ?s a ?c } GROUP BY ?c",
    "SELECT ?o WHERE { ?s ?p ?o FILTER(isLiteral(?o)) } ORDER BY ?o LIMIT 5",
]


@st.composite
def sparql_query(draw: st.DrawFn) -> str:
    """A valid query with a few SPARQL tokens spliced in, or a run of tokens."""
    tokens = draw(st.lists(st.sampled_from(QUERY_TOKENS), max_size=30))
    noise = draw(st.text(max_size=20))
    if draw(st.booleans()):
        return " ".join(tokens) + draw(st.sampled_from(["", " ", noise]))
    query = draw(st.sampled_from(SEED_QUERIES))
    for token in tokens[: draw(st.integers(0, 3))]:
        at = draw(st.integers(0, len(query)))
        query = query[:at] + " " + token + " " + query[at:]
    return query


@st.composite
def sparql_request(draw: st.DrawFn) -> dict[str, object]:
    """A request to /sparql: method, body kind, Accept, and a fuzzed query."""
    query = draw(sparql_query())
    # A header cannot carry control characters; the test client refuses to send them.
    noise = draw(st.text(st.characters(exclude_categories=("Cc", "Cs")), max_size=20))
    accept = draw(
        st.sampled_from(
            ["*/*", "text/csv", "text/turtle", "application/sparql-results+xml", "image/png", ""]
        )
    )
    kind = draw(st.sampled_from(["get", "form", "direct", "update", "odd-type", "params"]))
    headers = {"Accept": accept} if accept else {}
    if kind == "get":
        return {"method": "GET", "query_string": {"query": query}, "headers": headers}
    if kind == "form":
        return {"method": "POST", "data": {"query": query}, "headers": headers}
    if kind == "direct":
        data = query.encode("utf-8", "surrogatepass")
        return {"method": "POST", "data": data, "content_type": "application/sparql-query"}
    if kind == "update":
        return {"method": "POST", "data": {"update": query}}
    if kind == "params":
        graph = draw(st.sampled_from(["urn:x", "http://127.0.0.1:1/", "", "file:///etc/passwd"]))
        data = {"query": query, "default-graph-uri": graph, "named-graph-uri": graph}
        return {"method": "POST", "data": data, "headers": headers}
    return {"method": "POST", "data": query.encode("utf-8", "surrogatepass"), "content_type": noise}


def test_fuzzed_requests_to_sparql_get_only_planned_statuses(app: Flask) -> None:
    fuzzed = create_app({"TESTING": True, "STORE": app.extensions["clinkg.store"]})
    client = fuzzed.test_client()
    seen: set[int] = set()

    @settings(max_examples=ENDPOINT_EXAMPLES, derandomize=True, deadline=None)
    @given(sparql_request())
    def check(request: dict[str, object]) -> None:
        response = client.open("/sparql", **request)  # type: ignore[arg-type]
        assert response.status_code in ALLOWED_STATUSES, (request, response.get_data())
        seen.add(response.status_code)

    check()
    fuzzed.extensions["clinkg.server.query_runner"].close()
    assert {200, 400} <= seen
