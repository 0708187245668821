"""The Store contract, run on every backend: embedded Oxigraph (memory, disk) and RemoteStore.

The remote runs talk to real servers (marker `remote`): `oxigraph serve` with a union default
graph and plain, and Virtuoso 7; none is configured for clinkg beyond Virtuoso's update grant.
After the contract class come the things only one backend has.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from rdflib import XSD, Literal, URIRef
from remote_server import REMOTE_SERVERS, remote_server

from clinkg.errors import NotAcceptable, QueryError
from clinkg.store import Store
from clinkg.store.oxigraph import OxigraphStore
from clinkg.store.remote import RemoteStore

EX = "http://example.org/"
G1, G2 = URIRef(EX + "g1"), URIRef(EX + "g2")
A, P = URIRef(EX + "a"), URIRef(EX + "p")
BACKENDS = ["memory", "disk", *(pytest.param(k, marks=pytest.mark.remote) for k in REMOTE_SERVERS)]


@pytest.fixture(params=BACKENDS)
def empty(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    """An empty store of each backend."""
    store: Store
    if request.param in REMOTE_SERVERS:
        server = remote_server(request, request.param)
        server.clear()
        store = RemoteStore(server.query_endpoint, server.update_endpoint, environ=server.environ)
    else:
        store = OxigraphStore(tmp_path / "store" if request.param == "disk" else None)
    yield store
    store.close()


@pytest.fixture
def small(empty: Store) -> Store:
    """Three literals of three kinds in two named graphs."""
    empty.replace_graphs(
        {
            G1: [(A, P, Literal("one")), (A, P, Literal("4.6", datatype=XSD.decimal))],
            G2: [(A, P, Literal("deux", lang="fr"))],
        }
    )
    return empty


class TestStoreContract:
    """What every Store does the same way."""

    def test_bulk_load_replaces_one_graph_from_streamed_ntriples(self, small: Store) -> None:
        lines = [f'<{EX}s{i}> <{EX}p> "v{i}" .\n'.encode() for i in range(3)]
        small.bulk_load(G1, [lines[0] + lines[1][:10], lines[1][10:] + lines[2]])
        rows = small.select("SELECT ?g ?o WHERE { GRAPH ?g { ?s ?p ?o } }", {"g": G1})
        assert sorted(str(row["o"]) for row in rows) == ["v0", "v1", "v2"]
        assert len(small.select("SELECT ?g ?o WHERE { GRAPH ?g { ?s ?p ?o } }", {"g": G2})) == 1

    def test_a_bulk_load_takes_thousands_of_triples_a_chunk(self, small: Store) -> None:
        chunk = "".join(f'<{EX}s{i}> <{EX}p> "v{i}" .\n' for i in range(2500)).encode()
        small.bulk_load(G1, [chunk])
        count = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH <http://example.org/g1> { ?s ?p ?o } }"
        assert small.select(count) == [{"n": Literal(2500)}]

    def test_a_failed_bulk_load_leaves_the_graph_empty_or_as_it_was(self, small: Store) -> None:
        def failing() -> Iterator[bytes]:
            yield f'<{EX}s> <{EX}p> "new" .\n'.encode()
            raise RuntimeError("source broke")

        query = "SELECT ?g ?o WHERE { GRAPH ?g { ?s ?p ?o } }"
        before = small.select(query, {"g": G1})
        with pytest.raises(RuntimeError, match="source broke"):
            small.bulk_load(G1, failing())
        # Never half old, half new; the embedded store on disk keeps the old graph.
        assert small.select(query, {"g": G1}) in ([], before)

    def test_select_binds_parameters_and_returns_rdflib_terms(self, small: Store) -> None:
        rows = small.select("SELECT ?s ?p ?o WHERE { ?s ?p ?o }", {"p": P, "o": Literal("one")})
        assert rows == [{"s": A, "p": P, "o": Literal("one")}]

    def test_a_bound_value_reaches_a_variable_used_only_inside_exists(self, small: Store) -> None:
        # Like conditions-by-feature's ?site: a trailing VALUES block would match every row.
        sparql = "SELECT ?o ?wanted WHERE { ?s ?p ?o FILTER EXISTS { ?s ?p ?wanted } }"
        rows = small.select(sparql, {"wanted": Literal("deux", lang="fr")})
        assert len(rows) == 3
        assert small.select(sparql, {"wanted": Literal("absent")}) == []

    def test_bound_literals_with_quotes_and_newlines_stay_values(self, empty: Store) -> None:
        tricky = Literal('say "hi"\nthen \\ leave } .')
        empty.replace_graphs({G1: [(A, P, tricky)]})
        assert empty.select("SELECT ?s ?o WHERE { ?s ?p ?o }", {"o": tricky}) == [
            {"s": A, "o": tricky}
        ]

    def test_queries_see_the_union_of_named_graphs(self, small: Store) -> None:
        objects = {row["o"] for row in small.select("SELECT ?o WHERE { ?s ?p ?o }")}
        assert objects == {
            Literal("one"),
            Literal("4.6", datatype=XSD.decimal),
            Literal("deux", lang="fr"),
        }

    def test_unbound_optional_values_are_none(self, small: Store) -> None:
        rows = small.select("SELECT ?s ?x WHERE { ?s ?p 'one' OPTIONAL { ?s <urn:no> ?x } }")
        assert rows == [{"s": A, "x": None}]

    def test_a_from_clause_still_names_the_dataset(self, small: Store) -> None:
        rows = small.select("SELECT ?o FROM <http://example.org/g2> WHERE { ?s ?p ?o }")
        assert rows == [{"o": Literal("deux", lang="fr")}]

    def test_a_duration_compares_by_value(
        self, request: pytest.FixtureRequest, empty: Store
    ) -> None:
        # As the differential's "relief within half an hour" compares ckg:reliefWithin.
        if request.node.callspec.params["empty"] == "virtuoso":
            reason = (
                "Virtuoso 7.2.5 compares xsd:dayTimeDuration values wrongly (a stored PT10M, kept "
                "as PT600S, is not <= PT30M there); it refuses xsd:duration PT10M outright, which "
                "is why the remote store sends day-time durations as xsd:dayTimeDuration"
            )
            request.applymarker(pytest.mark.xfail(strict=True, reason=reason))
        empty.replace_graphs({G1: [(A, P, Literal("PT10M", datatype=XSD.duration))]})
        within = "ASK {{ ?s ?p ?o FILTER (?o <= '{}'^^<" + str(XSD.dayTimeDuration) + ">) }}"
        assert empty.ask(within.format("PT30M"))
        assert not empty.ask(within.format("PT5M"))

    def test_a_dataset_named_before_anything_is_loaded_is_empty(self, empty: Store) -> None:
        assert empty.select("SELECT ?o FROM <http://example.org/g2> WHERE { ?s ?p ?o }") == []
        named = empty.query_serialized("ASK { ?s ?p ?o }", "text/csv", default_graphs=[G1])
        assert named.body == b"false"

    def test_ask(self, small: Store) -> None:
        assert small.ask("ASK { ?s ?p ?o }", {"o": Literal("deux", lang="fr")})
        assert not small.ask("ASK { ?s ?p ?o }", {"o": Literal("deux")})

    def test_select_refuses_an_ask_and_ask_a_select(self, small: Store) -> None:
        with pytest.raises(QueryError, match="SELECT"):
            small.select("ASK { ?s ?p ?o }")
        with pytest.raises(QueryError, match="ASK"):
            small.ask("SELECT * WHERE { ?s ?p ?o }")

    def test_a_bad_query_raises_query_error_with_the_parser_message(self, small: Store) -> None:
        # Each engine's own words (Oxigraph, then Virtuoso), both saying where parsing stopped.
        with pytest.raises(QueryError, match=r"error at 1:|line 1: syntax error at 'SELEC'"):
            small.select("SELEC ?x WHERE {}")

    def test_binding_a_variable_the_select_does_not_project_is_a_query_error(
        self, small: Store
    ) -> None:
        with pytest.raises(QueryError, match="projection"):
            small.select("SELECT ?s WHERE { ?s ?p ?o }", {"o": Literal("one")})

    def test_replace_graphs_replaces_only_the_named_graphs(self, small: Store) -> None:
        small.replace_graphs({G1: [(A, P, Literal("uno"))]})
        objects = {row["o"] for row in small.select("SELECT ?o WHERE { ?s ?p ?o }")}
        assert objects == {Literal("uno"), Literal("deux", lang="fr")}
        assert small.graph_names() == [G1, G2]

    def test_replacing_twice_never_duplicates(self, small: Store) -> None:
        triples = [(A, P, Literal("uno"))]
        small.replace_graphs({G1: triples})
        small.replace_graphs({G1: triples})
        assert small.select("SELECT ?o FROM <http://example.org/g1> WHERE { ?s ?p ?o }") == [
            {"o": Literal("uno")}
        ]

    def test_replace_graphs_writes_nothing_when_any_triple_is_bad(self, small: Store) -> None:
        before = small.select("SELECT ?g ?o WHERE { GRAPH ?g { ?s ?p ?o } }")
        with pytest.raises(TypeError):
            small.replace_graphs({G1: [(A, P, Literal("new"))], G2: [(Literal("bad"), P, A)]})
        assert small.select("SELECT ?g ?o WHERE { GRAPH ?g { ?s ?p ?o } }") == before
        assert small.graph_names() == [G1, G2]

    def test_additions_join_their_graph_in_the_same_write(self, small: Store) -> None:
        small.replace_graphs(
            {G2: [(A, P, Literal("zwei"))]},
            additions={G1: [(A, P, Literal("two")), (A, P, Literal("one"))]},
        )
        rows = small.select("SELECT ?g ?o WHERE { GRAPH ?g { ?s ?p ?o } }")
        assert sorted((str(r["g"]), str(r["o"])) for r in rows) == [
            (str(G1), "4.6"),
            (str(G1), "one"),
            (str(G1), "two"),
            (str(G2), "zwei"),
        ]

    def test_removals_leave_the_rest_of_their_graph(self, small: Store) -> None:
        small.replace_graphs(
            {},
            removals={G1: [(A, P, Literal("one")), (A, P, Literal("never stored"))]},
            additions={G2: [(A, P, Literal("zwei"))]},
        )
        rows = small.select("SELECT ?g ?o WHERE { GRAPH ?g { ?s ?p ?o } }")
        assert sorted((str(r["g"]), str(r["o"])) for r in rows) == [
            (str(G1), "4.6"),
            (str(G2), "deux"),
            (str(G2), "zwei"),
        ]

    def test_additions_to_a_new_graph_list_it(self, small: Store) -> None:
        small.replace_graphs({}, additions={URIRef(EX + "g3"): [(A, P, Literal("drei"))]})
        assert small.graph_names() == [G1, G2, URIRef(EX + "g3")]

    def test_nothing_is_written_when_an_addition_is_bad(self, small: Store) -> None:
        before = small.select("SELECT ?g ?o WHERE { GRAPH ?g { ?s ?p ?o } }")
        with pytest.raises(TypeError):
            small.replace_graphs(
                {G1: [(A, P, Literal("new"))]}, additions={G2: [(Literal("x"), P, A)]}
            )
        assert small.select("SELECT ?g ?o WHERE { GRAPH ?g { ?s ?p ?o } }") == before

    @pytest.mark.parametrize(
        ("media_type", "expected_start"),
        [
            ("application/sparql-results+json", b'{"head"'),
            ("application/sparql-results+xml", b"<?xml"),
            ("text/csv", b"o\r\n"),
            ("text/tab-separated-values", b"?o\n"),
        ],
    )
    def test_select_serializes_as_each_results_format(
        self, small: Store, media_type: str, expected_start: bytes
    ) -> None:
        result = small.query_serialized("SELECT ?o WHERE { ?s ?p ?o }", media_type)
        assert result.media_type == media_type
        assert result.body.startswith(expected_start)

    def test_an_alias_media_type_is_answered_under_that_name(self, small: Store) -> None:
        result = small.query_serialized("ASK { ?s ?p ?o }", "application/json")
        assert result.media_type == "application/json"
        assert json.loads(result.body)["boolean"] is True

    def test_the_first_fitting_type_of_a_preference_list_is_used(self, small: Store) -> None:
        construct = "CONSTRUCT WHERE { ?s ?p ?o }"
        result = small.query_serialized(construct, "text/csv, application/ld+json")
        assert result.media_type == "application/ld+json"
        assert json.loads(result.body)[0]["@id"] == str(A)

    def test_a_graph_answer_in_a_results_type_is_not_acceptable(self, small: Store) -> None:
        with pytest.raises(NotAcceptable):
            small.query_serialized("CONSTRUCT WHERE { ?s ?p ?o }", "text/csv")

    def test_protocol_dataset_replaces_the_union(self, small: Store) -> None:
        body = small.query_serialized(
            "SELECT ?o WHERE { ?s ?p ?o }", "text/csv", default_graphs=[G2]
        ).body
        assert body == b"o\r\ndeux\r\n"

    def test_relative_iris_resolve_against_the_base(self, small: Store) -> None:
        result = small.query_serialized(
            "SELECT ?x WHERE { BIND (<relative> AS ?x) }", "text/csv", base_iri=EX
        )
        assert result.body == b"x\r\nhttp://example.org/relative\r\n"

    def test_an_update_is_not_run_as_a_query(self, small: Store) -> None:
        with pytest.raises(QueryError):
            small.query_serialized("DROP ALL", "text/csv")
        assert small.graph_names() == [G1, G2]

    def test_export_keeps_named_graphs_in_n_quads(self, small: Store) -> None:
        assert b"<http://example.org/g2> ." in small.export("application/n-quads")

    def test_export_as_turtle_holds_every_triple(self, small: Store) -> None:
        assert b'"deux"@fr' in small.export("text/turtle")


def test_an_on_disk_store_keeps_its_graphs(tmp_path: Path) -> None:
    store = OxigraphStore(tmp_path / "store")
    store.replace_graphs({G1: [(A, P, Literal("kept"))]})
    store.close()
    del store
    reopened = OxigraphStore(tmp_path / "store")
    assert reopened.select("SELECT ?o WHERE { ?s ?p ?o }") == [{"o": Literal("kept")}]


def test_a_store_directory_is_created_with_its_parents(tmp_path: Path) -> None:
    target = tmp_path / "not" / "yet" / "store"
    OxigraphStore(target).close()
    assert target.is_dir()


def test_closing_releases_the_directory_while_the_wrapper_lives_on(tmp_path: Path) -> None:
    first = OxigraphStore(tmp_path / "store")
    first.replace_graphs({URIRef("urn:g"): [(URIRef("urn:s"), URIRef("urn:p"), Literal(1))]})
    first.close()
    again = OxigraphStore(tmp_path / "store")  # `first` is still referenced here
    assert again.ask("ASK { ?s ?p 1 }")
    again.close()
