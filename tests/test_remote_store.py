"""RemoteStore beyond the shared contract: request text, failures, selection, and a live server.

The live tests (marker `remote`) start their own `oxigraph serve`, one stopped while clinkg serves
from it; tests/test_remote_servers.py runs the calf article on every server.
"""

from __future__ import annotations

import base64
import json
import socket
import threading
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from rdflib import BNode, Graph, Literal, URIRef
from remote_server import OxigraphServer, oxigraph_command

from clinkg.config import open_store
from clinkg.errors import ClinkgError, QueryError, StoreReadOnly, StoreUnavailable
from clinkg.ontology.namespaces import article_graph
from clinkg.server import create_app
from clinkg.sparql_requests import bind_values, replacing_update
from clinkg.store.oxigraph import OxigraphStore
from clinkg.store.remote import RemoteStore

EX = "http://example.org/"
Runner = Callable[..., tuple[int, str, str]]


# --- the text sent to the server ---------------------------------------------------------


def test_values_open_the_where_group_not_the_projection() -> None:
    sparql = "SELECT (EXISTS { ?s ?p ?o } AS ?e) ?s WHERE { ?s ?p ?o }"
    bound = bind_values(sparql, {"s": URIRef(EX + "a")})
    assert bound.endswith("WHERE { VALUES ( ?s ) { ( <http://example.org/a> ) }  ?s ?p ?o }")


def test_a_where_group_that_is_a_sub_select_cannot_be_bound() -> None:
    with pytest.raises(QueryError, match="sub-select"):
        bind_values("SELECT * WHERE { SELECT ?s WHERE { ?s ?p ?o } }", {"s": URIRef(EX)})


def test_blank_nodes_cannot_be_bound() -> None:
    with pytest.raises(QueryError, match="only IRIs and literals"):
        bind_values("SELECT ?s WHERE { ?s ?p ?o }", {"s": BNode()})


def test_an_iri_rdflib_cannot_write_is_refused_not_pasted() -> None:
    with pytest.raises(QueryError, match="cannot send"):
        bind_values("SELECT ?s WHERE { ?s ?p ?o }", {"s": URIRef(EX + "a> } DROP ALL #")})


def test_one_update_drops_and_refills_every_graph_in_bounded_inserts() -> None:
    g1, g2 = URIRef(EX + "g1"), URIRef(EX + "g2")
    triples = [(URIRef(EX + "s"), URIRef(EX + "p"), Literal(text, lang="fr")) for text in "xyz"]
    update = replacing_update({g1: triples, g2: []}, per_insert=2)
    assert update.split(" ;\n") == [
        "DROP SILENT GRAPH <http://example.org/g1>",
        "INSERT DATA { GRAPH <http://example.org/g1> { "
        '<http://example.org/s> <http://example.org/p> "x"@fr .\n'
        '<http://example.org/s> <http://example.org/p> "y"@fr . } }',
        "INSERT DATA { GRAPH <http://example.org/g1> { "
        '<http://example.org/s> <http://example.org/p> "z"@fr . } }',
        "DROP SILENT GRAPH <http://example.org/g2>",
    ]


def test_blank_nodes_are_not_sent_unskolemised() -> None:
    with pytest.raises(TypeError, match="skolemise"):
        replacing_update({URIRef(EX + "g"): [(BNode(), URIRef(EX + "p"), Literal(1))]})


# --- failures -----------------------------------------------------------------------------


def test_an_unreachable_server_is_unavailable_and_named() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        url = f"http://127.0.0.1:{probe.getsockname()[1]}/query"
    with pytest.raises(StoreUnavailable, match=f"SPARQL server {url} did not answer"):
        RemoteStore(url, environ={}).select("SELECT * WHERE { ?s ?p ?o }")


def test_a_server_that_never_answers_times_out_as_unavailable() -> None:
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(1)  # accepts connections into the backlog, never answers
        url = f"http://127.0.0.1:{silent.getsockname()[1]}/query"
        store = RemoteStore(url, timeout=1, environ={})
        with pytest.raises(StoreUnavailable, match="no answer within 1 s"):
            store.ask("ASK { ?s ?p ?o }")


def test_loading_without_an_update_endpoint_is_refused() -> None:
    store = RemoteStore("http://127.0.0.1:9/query", environ={})
    with pytest.raises(StoreReadOnly, match="--update-endpoint"):
        store.replace_graphs({URIRef(EX + "g"): []})


def test_credentials_in_the_url_are_refused() -> None:
    with pytest.raises(ClinkgError, match="CLINKG_SPARQL_USER"):
        RemoteStore("http://reader:secret@127.0.0.1:9/query", environ={})


@pytest.fixture
def recording_server() -> Iterator[tuple[str, list[dict[str, str]]]]:
    """A stub SPARQL server that asks for Basic credentials, then answers every query with no
    rows; it records the headers of each request."""
    seen: list[dict[str, str]] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            seen.append(dict(self.headers))
            self.rfile.read(int(self.headers["Content-Length"]))
            if "Authorization" not in self.headers:
                self.send_response(401)
                self.send_header("WWW-Authenticate", 'Basic realm="sparql"')
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            body = b'{"head": {"vars": ["s"]}, "results": {"bindings": []}}'
            self.send_response(200)
            self.send_header("Content-Type", "application/sparql-results+json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/sparql", seen
    server.shutdown()
    server.server_close()


def test_credentials_come_from_the_environment(
    recording_server: tuple[str, list[dict[str, str]]],
) -> None:
    url, seen = recording_server
    env = {"CLINKG_SPARQL_USER": "loader", "CLINKG_SPARQL_PASSWORD": "s3cret"}
    store = RemoteStore(url, environ=env)
    assert store.select("SELECT ?s WHERE { ?s ?p ?o }") == []
    basic = "Basic " + base64.b64encode(b"loader:s3cret").decode()
    # Asked for once; from then on they go with each request.
    assert [headers.get("Authorization") for headers in seen] == [None, basic, basic]


# --- choosing the store -------------------------------------------------------------------


def test_an_endpoint_in_the_environment_selects_the_remote_store(tmp_path: Path) -> None:
    env = {"CLINKG_ENDPOINT": "http://db:7878/query", "CLINKG_UPDATE_ENDPOINT": "http://db:7878/u"}
    store = open_store(None, None, None, env)
    assert isinstance(store, RemoteStore)
    assert (store.query_endpoint, store.update_endpoint) == (
        "http://db:7878/query",
        env["CLINKG_UPDATE_ENDPOINT"],
    )
    assert isinstance(open_store(tmp_path / "s", None, None, {}), OxigraphStore)


def test_a_store_directory_and_an_endpoint_together_are_refused(tmp_path: Path) -> None:
    with pytest.raises(ClinkgError, match="not both"):
        open_store(tmp_path, "http://db:7878/query", None, {})
    with pytest.raises(ClinkgError, match="needs a query endpoint"):
        open_store(None, None, "http://db:7878/update", {})


# --- a live server ------------------------------------------------------------------------


@pytest.fixture
def own_server(tmp_path: Path) -> Iterator[OxigraphServer]:
    """A server of this test's own, free to be stopped and started again."""
    if oxigraph_command() is None:
        pytest.skip("oxigraph not installed")
    server = OxigraphServer(tmp_path / "data")
    server.start()
    yield server
    server.stop()


@pytest.mark.remote
def test_answers_come_back_after_the_server_returns(
    own_server: OxigraphServer, mini_graph: Graph
) -> None:
    store = RemoteStore(own_server.query_endpoint, own_server.update_endpoint, environ={})
    store.replace_graphs({article_graph("mini"): mini_graph})
    client = create_app({"TESTING": True, "STORE": store}).test_client()
    url = "/api/questions/inducing-medications?condition=leg%20cramps"
    before = client.get(url)
    assert before.status_code == 200

    own_server.stop()
    down = client.get(url)
    assert down.status_code == 503
    assert f"SPARQL server {own_server.query_endpoint} did not answer" in down.json["message"]
    assert client.get("/").status_code == 503

    own_server.start()  # same port, same data directory
    assert client.get(url).json == before.json


@pytest.mark.remote
def test_the_cli_queries_and_exports_through_an_endpoint(
    runner: Runner, oxigraph_server: OxigraphServer, mini_graph: Graph, tmp_path: Path
) -> None:
    oxigraph_server.clear()
    url = oxigraph_server.query_endpoint
    RemoteStore(url, oxigraph_server.update_endpoint, environ={}).replace_graphs(
        {article_graph("mini"): mini_graph}
    )
    question = ["--question", "inducing-medications", "--param", "condition=leg cramps"]
    code, out, _ = runner("query", "--endpoint", url, *question, "--format", "json")
    assert (code, [a["label"] for a in json.loads(out)["answers"]]) == (0, ["Naproxen"])
    target = tmp_path / "graph.nq"
    assert runner("export", "--endpoint", url, "--format", "nq", "-o", str(target))[0] == 0
    assert str(article_graph("mini")) in target.read_text()


def test_a_store_and_an_endpoint_on_one_command_line_are_refused(runner: Runner) -> None:
    with pytest.raises(SystemExit) as exited:
        runner("export", "--store", "x", "--endpoint", "http://db:7878/query")
    assert exited.value.code == 2
