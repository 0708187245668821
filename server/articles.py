"""The library of loaded articles and each article's view with what the load took from it."""

from __future__ import annotations

from collections import Counter

from flask import Blueprint, abort, render_template, url_for

from clinkg.library import list_articles
from clinkg.ontology import namespaces as ns
from clinkg.server.article_view import LEGEND, article_view, articles
from clinkg.server.extensions import catalogue, store
from clinkg.store import snapshot

blueprint = Blueprint("articles", __name__)
ARTICLE_PREFIX = str(ns.article("x"))[: -len("x")]


@blueprint.get("/articles")
def library() -> str:
    """The loaded articles, each linked to its view, with its load record (when, what file,
    triples, warnings, unresolved citations) as `clinkg articles` lists it."""
    fixed = snapshot(store())
    records = {str(entry.article): entry for entry in list_articles(fixed)}
    rows = [
        {**row, "record": records.get(str(row["article"]))} for row in articles(fixed, catalogue())
    ]
    return render_template("articles.html", articles=rows)


@blueprint.get("/articles/<slug>")
def article(slug: str) -> str:
    """One article's text, section by section, its facts and entities marked."""
    iri = ns.article(slug)
    about = next((row for row in articles(store(), catalogue()) if row["article"] == iri), None)
    if about is None:
        abort(404, f"no loaded article is called {slug!r}; see /articles for the list")
    view = article_view(store(), catalogue(), iri, about)
    counts = Counter(mark.kind for mark in view.marks)
    return render_template("article.html", article=view, legend=LEGEND, counts=counts)


@blueprint.app_template_filter("article_href")
def article_href(article: object) -> str:
    """The view of an article, from its IRI (`/articles/<slug>`)."""
    return url_for("articles.article", slug=str(article)[len(ARTICLE_PREFIX) :])


@blueprint.app_template_filter("statement_anchor")
def statement_anchor(statement: object) -> str:
    """The id a statement has in its article's view (`s-<position>`)."""
    return "s-" + str(statement).rsplit("/", 1)[-1]
