"""The article view: every fact the graph holds for an article is marked on its sentence."""

from __future__ import annotations

from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

import pytest
from flask.testing import FlaskClient

from clinkg.loaders.pipeline import load_articles
from clinkg.ontology import namespaces as ns
from clinkg.server.article_view import Mark, Piece, layout
from clinkg.store.oxigraph import OxigraphStore

ARTICLES = sorted((Path(__file__).resolve().parents[1] / "data" / "articles").glob("*.txt"))
# What the questions answer from an article: fact nodes and relations between its conditions,
# each with the statement that evidences it (as the API's evidence names it).
FACTS = """
PREFIX ckg: <https://w3id.org/clinkg/ontology#>
SELECT DISTINCT ?article ?key ?statement WHERE {
  ?statement ckg:inArticle ?article .
  {
    ?fact ckg:supportedBy ?statement .
    BIND (STR(?fact) AS ?key)
  } UNION {
    VALUES ?property { ckg:differentialDiagnosis ckg:associatedCondition }
    ?statement ckg:about ?subject, ?object .
    ?subject ?property ?object .
    BIND (CONCAT(STR(?subject), " ", STR(?property), " ", STR(?object)) AS ?key)
  }
}
"""


def mark(key: str, start: int, end: int, kind: str = "feature") -> Mark:
    return Mark(key, key, kind, key, start, end)


def test_marks_nest_and_a_crossing_or_unfound_mark_is_listed() -> None:
    text = "calf pain on walking"
    fact, entity = mark("f", 0, 9), mark("e", 0, 4, "condition")
    crossing, unfound = mark("x", 5, 12), mark("u", -1, -1)
    pieces, listed = layout(text, [entity, crossing, fact, unfound])
    assert pieces == (
        Piece("calf pain", fact, (Piece("calf", entity, (Piece("calf"),)), Piece(" pain"))),
        Piece(" on walking"),
    )
    assert set(listed) == {crossing, unfound}


class StatementMarks(HTMLParser):
    """The data-fact values inside each statement element of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.facts: dict[str, set[str]] = {}
        self.open: list[str | None] = []  # the statement id each open span starts, or None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "span":
            is_statement = "statement" in (found.get("class") or "").split()
            self.open.append(found.get("id") if is_statement else None)
        current = next((i for i in reversed(self.open) if i is not None), None)
        if current is not None and found.get("data-fact"):
            self.facts.setdefault(current, set()).add(str(found["data-fact"]))

    def handle_endtag(self, tag: str) -> None:
        if tag == "span":
            self.open.pop()


@pytest.fixture(scope="module")
def articles_client() -> Iterator[FlaskClient]:
    """The app over every bundled article."""
    from clinkg.server import create_app

    store = OxigraphStore(None)
    load_articles(ARTICLES, store, reasoning=False)
    yield create_app({"TESTING": True, "STORE": store}).test_client()
    store.close()


@pytest.mark.slow
@pytest.mark.parametrize("path", ARTICLES, ids=lambda p: p.stem)
def test_every_fact_of_an_article_is_marked_on_its_statement(
    articles_client: FlaskClient, path: Path
) -> None:
    from clinkg.server.extensions import store

    slug = path.stem
    with articles_client.application.app_context():
        rows = store().select(FACTS, {"article": ns.article(slug)})
    expected = {(f"s-{str(r['statement']).rsplit('/', 1)[-1]}", str(r["key"])) for r in rows}
    page = articles_client.get(f"/articles/{slug}")
    assert page.status_code == 200
    parser = StatementMarks()
    parser.feed(page.get_data(as_text=True))
    marked = {(sid, key) for sid, keys in parser.facts.items() for key in keys}
    assert len(expected) > 10
    assert expected - marked == set(), f"{slug}: facts not marked on their statement"


@pytest.mark.slow
def test_the_library_lists_every_article_and_a_view_shows_its_warnings(
    articles_client: FlaskClient,
) -> None:
    library = articles_client.get("/articles").get_data(as_text=True)
    listed = articles_client.get("/api/articles").get_json()["articles"]
    for path in ARTICLES:
        assert f'href="/articles/{path.stem}"' in library
    for entry in listed:  # each row carries its load record, as `clinkg articles` gives it
        assert f'<time datetime="{entry["loaded"]}">' in library
        assert f"<td>{entry['triples']}</td>" in library
    with articles_client.application.app_context():
        from clinkg.server.extensions import store

        rows = store().select(
            "PREFIX ckg: <https://w3id.org/clinkg/ontology#> "
            "SELECT ?article ?warning WHERE { ?article ckg:loadWarning ?warning }"
        )
    assert rows, "some bundled article loads with a warning"
    slug = str(rows[0]["article"]).rsplit("/", 1)[-1]
    view = articles_client.get(f"/articles/{slug}").get_data(as_text=True)
    warnings_at = view.index('class="load-warnings"')
    assert warnings_at < view.index('class="article-text"')
    from markupsafe import escape

    assert str(escape(str(rows[0]["warning"]))) in view


def test_an_unknown_article_is_404(client: FlaskClient) -> None:
    response = client.get("/articles/no-such-article")
    assert response.status_code == 404
    assert "no-such-article" in response.get_data(as_text=True)
