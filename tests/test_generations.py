"""The embedded store's generations: readers follow published writes, never half of one."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Literal, URIRef

from clinkg.errors import StoreReadOnly
from clinkg.store.generations import GENERATIONS, POINTER
from clinkg.store.oxigraph import OxigraphStore

G = URIRef("urn:g")
S, P = URIRef("urn:s"), URIRef("urn:p")
VALUE = "SELECT ?o WHERE { ?s ?p ?o }"


def values(store: OxigraphStore) -> list[str]:
    return sorted(str(row["o"]) for row in store.select(VALUE))


def test_a_reader_in_another_opening_follows_each_published_write(tmp_path: Path) -> None:
    writer = OxigraphStore(tmp_path / "store")
    reader = OxigraphStore.open_read_only(tmp_path / "store")
    assert values(reader) == []
    writer.replace_graphs({G: [(S, P, Literal("one"))]})
    assert values(reader) == ["one"]
    writer.replace_graphs({G: [(S, P, Literal("two"))]})
    assert (values(reader), reader.generation) == (["two"], writer.generation)


def test_a_snapshot_keeps_its_state_and_its_files_while_writes_go_on(tmp_path: Path) -> None:
    writer = OxigraphStore(tmp_path / "store")
    writer.replace_graphs({G: [(S, P, Literal("one"))]})
    pinned = writer.snapshot()
    first = writer.generation
    writer.replace_graphs({G: [(S, P, Literal("two"))]})
    writer.replace_graphs({G: [(S, P, Literal("three"))]})
    assert (values(pinned), values(writer)) == (["one"], ["three"])
    generations = tmp_path / "store" / GENERATIONS
    assert (generations / str(first)).is_dir()  # still read: not collected
    del pinned
    writer.replace_graphs({G: [(S, P, Literal("four"))]})
    kept = sorted(p.name for p in generations.iterdir() if p.name.isdigit())
    assert kept == [str(writer.generation)]


def test_a_failed_write_publishes_nothing(tmp_path: Path) -> None:
    writer = OxigraphStore(tmp_path / "store")
    writer.replace_graphs({G: [(S, P, Literal("kept"))]})
    before = writer.generation
    with pytest.raises(TypeError):
        writer.replace_graphs({G: [(Literal("no subject"), P, Literal("x"))]})
    assert (values(writer), writer.generation) == (["kept"], before)
    assert not (tmp_path / "store" / GENERATIONS / str(before + 1)).exists()


def test_a_graph_given_no_triples_is_removed(tmp_path: Path) -> None:
    writer = OxigraphStore(tmp_path / "store")
    writer.replace_graphs({G: [(S, P, Literal("x"))]})
    writer.replace_graphs({G: []})
    assert writer.graph_names() == []


def test_a_read_only_opening_refuses_writes(tmp_path: Path) -> None:
    OxigraphStore(tmp_path / "store").close()
    with pytest.raises(StoreReadOnly):
        OxigraphStore.open_read_only(tmp_path / "store").replace_graphs({G: []})


def test_a_plain_store_directory_is_read_then_migrated_on_its_first_write(tmp_path: Path) -> None:
    plain = ox.Store(str(tmp_path / "store"))
    plain.add(ox.Quad(ox.NamedNode(S), ox.NamedNode(P), ox.Literal("old"), ox.NamedNode(G)))
    plain.flush()
    del plain
    store = OxigraphStore(tmp_path / "store")
    assert values(store) == ["old"]
    store.replace_graphs({URIRef("urn:g2"): [(S, P, Literal("new"))]})
    assert values(store) == ["new", "old"]
    assert (tmp_path / "store" / POINTER).read_text().strip() == "1"
    assert not (tmp_path / "store" / "CURRENT").exists()  # RocksDB's own files went
