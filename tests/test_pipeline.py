"""The load pipeline: the bundled articles load; bad input names the file and changes nothing."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from rdflib import Graph
from sample_facts import FACTS

from clinkg.errors import ArticleParseError, ValidationError
from clinkg.loaders import pipeline
from clinkg.loaders.build.graph import build_graph
from clinkg.loaders.extract.facts import Entity
from clinkg.loaders.pipeline import (
    ONTOLOGY_GRAPH,
    known_entities,
    load_articles,
    store_triple_count,
)
from clinkg.loaders.report import ArticleReport, LoadReport, class_counts
from clinkg.ontology import namespaces as ns
from clinkg.store.oxigraph import OxigraphStore
from clinkg.store.state import STATE_GRAPH

ARTICLES = Path(__file__).resolve().parents[1] / "data" / "articles"
CKG = ns.CKG
SPASMS = ARTICLES / "calf-muscle-spasms.txt"
SWOLLEN = ARTICLES / "swollen-painful-calf.txt"


@pytest.fixture
def tmp_store(tmp_path: Path) -> Iterator[OxigraphStore]:
    opened = OxigraphStore(tmp_path / "store")
    yield opened
    opened.close()


def dump(store: OxigraphStore) -> list[str]:
    """Every quad in the store, as sorted N-Quads lines."""
    return sorted(store.export("application/n-quads").decode("utf-8").splitlines())


@pytest.mark.slow
def test_both_bundled_articles_load_into_their_own_graphs(tmp_store: OxigraphStore) -> None:
    report = load_articles([SPASMS, SWOLLEN], tmp_store)
    assert set(tmp_store.graph_names()) == {
        ONTOLOGY_GRAPH,
        STATE_GRAPH,
        ns.INFERRED_GRAPH,
        ns.article_graph("calf-muscle-spasms"),
        ns.article_graph("swollen-painful-calf"),
        ns.library_graph("calf-muscle-spasms"),
        ns.library_graph("swollen-painful-calf"),
    }
    for article in report.articles:
        assert article.triples > 100
        assert article.counts["conditions"] >= 3
        assert article.counts["statements"] >= 20
        assert article.counts["references"] >= 5
    assert report.store_triples == store_triple_count(tmp_store)
    rendered = report.render()
    assert "calf-muscle-spasms.txt" in rendered and "swollen-painful-calf.txt" in rendered


@pytest.mark.slow
def test_loading_twice_gives_the_same_triples(tmp_store: OxigraphStore) -> None:
    load_articles([SPASMS, SWOLLEN], tmp_store)
    first = dump(tmp_store)
    load_articles([SPASMS, SWOLLEN], tmp_store)
    assert len(dump(tmp_store)) == len(first)
    assert store_triple_count(tmp_store) == len(first)


@pytest.mark.slow
def test_an_article_loaded_later_keeps_the_earlier_ones(tmp_store: OxigraphStore) -> None:
    load_articles([SPASMS], tmp_store)
    load_articles([SWOLLEN], tmp_store)
    assert ns.article_graph("calf-muscle-spasms") in tmp_store.graph_names()
    assert ns.article_graph("swollen-painful-calf") in tmp_store.graph_names()


def _text() -> str:
    return SWOLLEN.read_text(encoding="utf-8")


def _truncated() -> bytes:
    lines = _text().splitlines(keepends=True)
    return "".join(lines[: len(lines) // 2]).encode("utf-8")


def _without_references() -> bytes:
    return _text().split("\nReferences\n")[0].encode("utf-8")


def _latin1() -> bytes:
    return _text().replace("\u2022", "\u00b7").encode("latin-1", errors="replace")


BAD_INPUTS: dict[str, Callable[[], bytes]] = {
    "empty": lambda: b"",
    "binary": lambda: bytes(range(256)) * 8,
    "truncated": _truncated,
    "no-references": _without_references,
    "latin-1": _latin1,
}


@pytest.fixture
def filled_store(tmp_store: OxigraphStore) -> OxigraphStore:
    """A store already holding an article graph (the sample one: quick to write)."""
    tmp_store.replace_graphs({ns.article_graph("sore-calf"): build_graph(FACTS)})
    return tmp_store


@pytest.mark.parametrize("kind", sorted(BAD_INPUTS))
def test_bad_input_names_the_file_and_leaves_the_store_as_it_was(
    filled_store: OxigraphStore, tmp_path: Path, kind: str
) -> None:
    tmp_store = filled_store
    before = dump(tmp_store)
    bad = tmp_path / f"bad-{kind}.txt"
    bad.write_bytes(BAD_INPUTS[kind]())
    with pytest.raises(ArticleParseError) as caught:
        # A good article first: it must not be written either, since the load is all or none.
        load_articles([SWOLLEN, bad], tmp_store)
    assert caught.value.source == bad.name
    assert bad.name in str(caught.value)
    assert dump(tmp_store) == before


def test_a_latin1_file_is_refused_at_the_line_of_the_first_bad_byte(
    tmp_store: OxigraphStore, tmp_path: Path
) -> None:
    bad = tmp_path / "latin.txt"
    bad.write_bytes(_latin1())
    with pytest.raises(ArticleParseError) as caught:
        load_articles([bad], tmp_store)
    assert caught.value.line is not None
    assert f"line {caught.value.line}" in str(caught.value)


def test_two_files_of_the_same_article_are_refused(
    tmp_store: OxigraphStore, tmp_path: Path
) -> None:
    copy = tmp_path / "other" / SPASMS.name
    copy.parent.mkdir()
    copy.write_bytes(SPASMS.read_bytes())
    with pytest.raises(ArticleParseError, match="same article"):
        load_articles([SPASMS, copy], tmp_store)
    assert tmp_store.graph_names() == []


def test_a_missing_file_is_refused_by_name(tmp_store: OxigraphStore, tmp_path: Path) -> None:
    with pytest.raises(ArticleParseError, match=r"missing\.txt"):
        load_articles([tmp_path / "missing.txt"], tmp_store)


def test_known_entities_are_read_back_with_their_kinds_and_synonyms(
    tmp_store: OxigraphStore,
) -> None:
    tmp_store.replace_graphs({ns.article_graph("sore-calf"): build_graph(FACTS)})
    known = {entity.label: entity for entity in known_entities(tmp_store)}
    assert known["Cirrhosis"] == Entity("condition", "Cirrhosis", also=("risk-factor",))
    assert known["Nocturnal leg cramps"].synonyms == ("leg cramps",)
    assert known["Naproxen"].kind == "medication"
    assert known["older adults"].kind == "population"
    assert "Quinine" in known  # the medication; its treatment node is no entity
    assert {entity.kind for entity in known.values()} <= {"condition", "medication", "population"}


def test_the_report_counts_the_built_graph_and_lists_warnings() -> None:
    graph = build_graph(FACTS)
    article = ArticleReport(
        source="sore-calf.txt",
        graph=ns.article_graph("sore-calf"),
        triples=len(graph),
        counts=class_counts(graph),
        warnings=("citation 2 is not in the reference list",),
        seconds=0.25,
    )
    assert article.counts == {
        "conditions": 3,
        "features": 2,
        "risk factors": 1,
        "medications": 2,
        "treatments": 1,
        "references": 1,
        "statements": 6,
    }
    report = LoadReport(articles=(article,), ontology_triples=900, seconds=1.5, store_triples=1234)
    assert report.warnings == ("sore-calf.txt: citation 2 is not in the reference list",)
    assert report.render().splitlines() == [
        f"Loaded 1 article(s): {len(graph)} triples (+ 900 ontology) in 1.50 s",
        f"sore-calf.txt: {len(graph)} triples (3 conditions, 2 features, 1 risk factors,"
        " 2 medications, 1 treatments, 1 references, 6 statements) in 0.25 s",
        "  warning: citation 2 is not in the reference list",
        "The store now holds 1234 triples.",
    ]


@pytest.mark.slow
def test_an_invalid_graph_names_the_file_and_writes_nothing(
    filled_store: OxigraphStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = dump(filled_store)
    checked: list[str] = []

    def refuse_the_second(graph: Graph, ontology: Graph | None = None) -> None:
        checked.append(str(next(graph.objects(None, CKG.sourceFile))))
        if len(checked) == 2:
            raise ValidationError("1 SHACL violation(s): a made-up one")

    monkeypatch.setattr(pipeline, "validate_graph", refuse_the_second)
    with pytest.raises(ValidationError, match=r"^swollen-painful-calf\.txt: "):
        pipeline.load_articles([SPASMS, SWOLLEN], filled_store)
    assert checked == [SPASMS.name, SWOLLEN.name]
    assert dump(filled_store) == before
