"""No query opens an outbound connection: SERVICE, FROM and LOAD in every spelling are refused.

A loopback listener counts connections; every attack goes to /sparql and must be refused with
400 while the listener sees none. A control test shows the listener does see pyoxigraph's own
SERVICE request when the guard is bypassed, so "zero connections" is a measurement.
"""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field

import pyoxigraph as ox
import pytest
from flask.testing import FlaskClient
from remote_server import OxigraphServer

from clinkg.errors import QueryError, QueryRefused
from clinkg.query_guard import check_query


@dataclass
class Listener:
    """Loopback sockets (IPv4, and IPv6 when the host has it) that count accepted connections."""

    port: int
    port6: int | None
    connections: int = 0
    sockets: list[socket.socket] = field(default_factory=list)


def _accept(listener: Listener, server: socket.socket) -> None:
    while True:
        try:
            conn, _ = server.accept()
        except OSError:
            return
        listener.connections += 1
        conn.close()


@pytest.fixture
def listener() -> Iterator[Listener]:
    v4 = socket.create_server(("127.0.0.1", 0))
    try:
        v6: socket.socket | None = socket.create_server(("::1", 0), family=socket.AF_INET6)
    except OSError:
        v6 = None
    found = Listener(v4.getsockname()[1], v6.getsockname()[1] if v6 else None)
    for server in (v4, v6):
        if server is not None:
            found.sockets.append(server)
            threading.Thread(target=_accept, args=(found, server), daemon=True).start()
    yield found
    for server in found.sockets:
        server.close()


def _endpoints(listener: Listener) -> list[str]:
    """The listener under every spelling of loopback an attacker might try."""
    port = listener.port
    spelled = [
        f"http://127.0.0.1:{port}/sparql",
        f"http://localhost:{port}/sparql",
        f"http://2130706433:{port}/",  # 127.0.0.1 as one decimal number
        f"http://0x7f.0.0.1:{port}/",
        f"http://0177.0.0.1:{port}/",
        f"http://127.1:{port}/",
        f"http://[::ffff:127.0.0.1]:{port}/",
        f"https://127.0.0.1:{port}/",
    ]
    if listener.port6 is not None:
        spelled.append(f"http://[::1]:{listener.port6}/sparql")
    return spelled


SERVICE_FORMS = [
    "SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
    "SELECT * WHERE {{ SERVICE SILENT <{url}> {{ ?s ?p ?o }} }}",
    "select * where {{ service silent <{url}> {{ ?s ?p ?o }} }}",
    "SELECT * WHERE {{ ?a ?b ?c OPTIONAL {{ SERVICE SILENT <{url}> {{ ?s ?p ?o }} }} }}",
    "SELECT * WHERE {{ ?a ?b ?c FILTER EXISTS {{ SERVICE SILENT <{url}> {{ ?s ?p ?o }} }} }}",
    "SELECT * WHERE {{ {{ SELECT * WHERE {{ SERVICE SILENT <{url}> {{ ?s ?p ?o }} }} }} }}",
    "SELECT * WHERE {{ {{ ?a ?b ?c }} UNION {{ SERVICE SILENT <{url}> {{ ?s ?p ?o }} }} }}",
    "SELECT * WHERE {{ ?a ?b ?c MINUS {{ SERVICE SILENT <{url}> {{ ?a ?b ?c }} }} }}",
    "SELECT * WHERE {{ GRAPH ?g {{ SERVICE SILENT <{url}> {{ ?s ?p ?o }} }} }}",
    "SELECT * WHERE {{ BIND(<{url}> AS ?e) SERVICE ?e {{ ?s ?p ?o }} }}",
    "SELECT * WHERE {{ VALUES ?e {{ <{url}> }} SERVICE SILENT ?e {{ ?s ?p ?o }} }}",
    "SELECT * WHERE {{ \\u0053ERVICE <{url}> {{ ?s ?p ?o }} }}",
    "ASK {{ SERVICE SILENT <{url}> {{ ?s ?p ?o }} }}",
    "CONSTRUCT {{ ?s ?p ?o }} WHERE {{ SERVICE SILENT <{url}> {{ ?s ?p ?o }} }}",
    "DESCRIBE ?s WHERE {{ SERVICE SILENT <{url}> {{ ?s ?p ?o }} }}",
    "PREFIX e: <{url}#> SELECT * WHERE {{ SERVICE SILENT <{url}> {{ ?s e:p ?o }} }}",
    "SELECT * FROM <{url}> WHERE {{ ?s ?p ?o }}",
    "SELECT * FROM NAMED <{url}> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}",
]
FILE_FORMS = [
    "SELECT * FROM <file:///etc/passwd> WHERE {{ ?s ?p ?o }}",
    "SELECT * FROM NAMED <file:///etc/hostname> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}",
    "SELECT * WHERE {{ SERVICE <file:///etc/passwd> {{ ?s ?p ?o }} }}",
]
UPDATE_FORMS = [
    "LOAD <{url}>",
    "LOAD SILENT <{url}> INTO GRAPH <urn:x>",
    "INSERT {{ ?s ?p ?o }} WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
    "CLEAR ALL ; LOAD <{url}>",
]


def attacks(listener: Listener) -> list[tuple[str, dict[str, object]]]:
    """(what, request keyword arguments) for every attack against /sparql."""
    found: list[tuple[str, dict[str, object]]] = []
    for url in _endpoints(listener):
        for form in SERVICE_FORMS:
            found.append((form, {"data": {"query": form.format(url=url)}}))
        for form in UPDATE_FORMS:
            update = form.format(url=url)
            found.append((form, {"data": {"query": update}}))
            found.append((form, {"data": {"update": update}}))
            found.append((form, {"data": update, "content_type": "application/sparql-update"}))
    for form in FILE_FORMS:
        found.append((form, {"data": {"query": form.format()}}))
    return found


def test_every_ssrf_variant_is_refused_and_nothing_connects(
    client: FlaskClient, listener: Listener
) -> None:
    tried = attacks(listener)
    refused = 0
    for what, request in tried:
        response = client.post("/sparql", **request)  # type: ignore[arg-type]
        assert response.status_code == 400, (what, response.get_data(as_text=True))
        assert response.get_json()["message"], what
        refused += 1
        data = request.get("data")
        if isinstance(data, dict):
            assert client.get("/sparql", query_string=data).status_code == 400, what
    assert refused == len(tried) > 200
    assert listener.connections == 0


def test_a_protocol_dataset_of_remote_iris_is_an_empty_dataset_never_a_fetch(
    client: FlaskClient, listener: Listener
) -> None:
    # The embedded engine reads default-graph-uri / named-graph-uri as graph names only, so
    # the W3C protocol tests that name absent graphs still pass; nothing is fetched.
    ask = "ASK { ?s ?p ?o }"
    for url in _endpoints(listener):
        for key in ("default-graph-uri", "named-graph-uri"):
            response = client.post("/sparql", data={"query": ask, key: url})
            assert response.status_code == 200
            assert response.get_json()["boolean"] is False
    assert listener.connections == 0


def test_the_listener_does_see_an_unguarded_service_call(listener: Listener) -> None:
    query = (
        f"SELECT * WHERE {{ SERVICE SILENT <http://127.0.0.1:{listener.port}/> {{ ?s ?p ?o }} }}"
    )
    list(ox.Store().query(query))  # pyoxigraph itself, no guard: it connects
    assert listener.connections >= 1


def test_graphs_held_by_the_store_may_be_named_in_from(client: FlaskClient) -> None:
    graph = "https://w3id.org/clinkg/graph/article/mini"
    query = f"SELECT (COUNT(*) AS ?n) FROM <{graph}> WHERE {{ ?s ?p ?o }}"
    response = client.post("/sparql", data={"query": query})
    assert response.status_code == 200
    assert int(response.get_json()["results"]["bindings"][0]["n"]["value"]) > 0


@pytest.mark.parametrize(
    "query",
    [
        "SELECT * WHERE { SERVICE <http://example.org/> { ?s ?p ?o } }",
        "SELECT * FROM <http://example.org/> WHERE { ?s ?p ?o }",
        "LOAD <http://example.org/>",
    ],
)
def test_the_guard_refuses_without_running_anything(query: str) -> None:
    with pytest.raises(QueryRefused):
        check_query(query, lambda: [])


def test_the_guard_names_the_spot_of_a_syntax_error() -> None:
    with pytest.raises(QueryError, match="error at 1:"):
        check_query("SELECT ?x WHERE {", lambda: [])


def test_the_guard_asks_for_graph_names_only_when_a_dataset_is_named() -> None:
    def no_lookup() -> list[str]:
        raise AssertionError("graph names were looked up")

    assert check_query("SELECT * WHERE { ?s ?p ?o }", no_lookup) == "SELECT"


@pytest.mark.remote
def test_a_remote_store_never_forwards_service(
    oxigraph_server: OxigraphServer, listener: Listener
) -> None:
    from clinkg.server import create_app
    from clinkg.store.remote import RemoteStore

    remote = RemoteStore(oxigraph_server.query_endpoint)
    client = create_app({"TESTING": True, "STORE": remote}).test_client()
    url = f"http://127.0.0.1:{listener.port}/"
    for form in SERVICE_FORMS:
        response = client.post("/sparql", data={"query": form.format(url=url)})
        assert response.status_code == 400, form
    # A SPARQL server might fetch a protocol dataset: absent graphs are refused there.
    dataset = {"query": "ASK { }", "default-graph-uri": url}
    assert client.post("/sparql", data=dataset).status_code == 400
    assert client.post("/sparql", data={"query": "ASK { }"}).status_code == 200
    assert listener.connections == 0
