"""Shared fixtures (flaskr style): an in-memory store holding mini.ttl, the app, client, runner."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from rdflib import Graph, URIRef
from remote_server import (
    OxigraphServer,
    VirtuosoServer,
    oxigraph_command,
    virtuoso_command,
)

from clinkg import cli
from clinkg.ontology.namespaces import CKG, GRAPH, article_graph
from clinkg.store.oxigraph import OxigraphStore

FIXTURES = Path(__file__).parent / "fixtures"
MINI = FIXTURES / "mini.ttl"


@pytest.fixture(scope="session")
def mini_graph() -> Graph:
    """The hand-written two-article graph."""
    return Graph().parse(MINI)


def mini_graphs(mini: Graph) -> dict[URIRef, Graph]:
    """mini.ttl split as a load splits a store: ontology terms (ckg:…) in the ontology graph."""
    ontology, article = Graph(), Graph()
    for triple in mini:
        in_ontology = isinstance(triple[0], URIRef) and triple[0].startswith(str(CKG._NS))
        (ontology if in_ontology else article).add(triple)
    return {GRAPH["ontology"]: ontology, article_graph("mini"): article}


@pytest.fixture
def store(mini_graph: Graph) -> Iterator[OxigraphStore]:
    """An in-memory Oxigraph store holding mini.ttl in one named graph."""
    oxigraph = OxigraphStore(None)
    oxigraph.replace_graphs(mini_graphs(mini_graph))
    yield oxigraph
    oxigraph.close()


@pytest.fixture
def app(store: OxigraphStore) -> Flask:
    """The app over the mini store."""
    from clinkg.server import create_app

    return create_app({"TESTING": True, "STORE": store})


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    """A test client of the app."""
    return app.test_client()


@pytest.fixture
def disk_store(tmp_path: Path, mini_graph: Graph) -> Path:
    """A store directory on disk holding mini.ttl, closed so the CLI can open it."""
    path = tmp_path / "store"
    oxigraph = OxigraphStore(path)
    oxigraph.replace_graphs(mini_graphs(mini_graph))
    oxigraph.close()
    del oxigraph
    return path


Runner = Callable[..., tuple[int, str, str]]


@pytest.fixture
def runner(capsys: pytest.CaptureFixture[str]) -> Runner:
    """Run `clinkg ARGS…` in-process: (exit code, stdout, stderr)."""

    def run(*argv: str) -> tuple[int, str, str]:
        code = cli.main(list(argv))
        captured = capsys.readouterr()
        return code, captured.out, captured.err

    return run


@pytest.fixture(scope="session")
def oxigraph_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[OxigraphServer]:
    """One real `oxigraph serve` for the session (tests clear it); skipped when not installed."""
    if oxigraph_command() is None:
        pytest.skip("the oxigraph server (PyPI package `oxigraph`) is not installed")
    server = OxigraphServer(tmp_path_factory.mktemp("oxigraph") / "data")
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def base_url() -> Iterator[str]:
    """The app served by waitress on a free loopback port, every bundled article loaded."""
    from browser_support import served_app

    with served_app() as url:
        yield url


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Headless system chromium (Playwright), one for the session."""
    from browser_support import CHROMIUM, CHROMIUM_ARGS
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield launched
        launched.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    """A fresh page (own context) that fails the test on a script error or a script the CSP
    refused (YASGUI's inline styles are refused too, harmlessly, so style refusals pass)."""
    context = browser.new_context(viewport={"width": 1200, "height": 900})
    opened = context.new_page()
    errors: list[str] = []
    opened.on("pageerror", lambda error: errors.append(str(error)))
    opened.on(
        "console",
        lambda message: (
            errors.append(message.text)
            if "Content Security Policy directive 'script-src" in message.text
            else None
        ),
    )
    yield opened
    context.close()
    assert errors == [], f"script errors on the page: {errors}"


@pytest.fixture(scope="session")
def oxigraph_plain_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[OxigraphServer]:
    """One `oxigraph serve` as it comes: its default graph is its own, not the union."""
    if oxigraph_command() is None:
        pytest.skip("the oxigraph server (PyPI package `oxigraph`) is not installed")
    server = OxigraphServer(tmp_path_factory.mktemp("oxigraph-plain") / "data", union=False)
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def virtuoso_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[VirtuosoServer]:
    """One Virtuoso 7 for the session, its anonymous SPARQL user allowed to update."""
    if virtuoso_command() is None:
        pytest.skip("Virtuoso (Debian virtuoso-opensource-7-bin) is not installed")
    server = VirtuosoServer(tmp_path_factory.mktemp("virtuoso") / "db")
    server.start()
    try:
        server.grant_update()
        yield server
    finally:
        server.stop()
