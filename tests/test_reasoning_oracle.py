"""The compiled rules against HermiT, the oracle.

- Every bundled, shared and fixture article alone: the same inferred graph (types and links,
  so the memberships of every defined class) and the same member counts.
- Every graph under fixtures/reasoning/ added to an article: the same verdict; where HermiT's
  explanation (inconsistency.py) finds the clash, the same words, and words of their own where
  it finds none; a consistent one infers the same.
- The six shared articles loaded one at a time (incrementally): the inferred graph HermiT gives
  over all of them together.
"""

from __future__ import annotations

import hashlib
import shutil
from functools import cache
from pathlib import Path

import pytest
from expected_answers import BUNDLED_ARTICLES, SHARED_ARTICLES
from rdflib import Graph

from clinkg.errors import InconsistentGraph
from clinkg.loaders import stored_graphs
from clinkg.loaders.build.graph import ontology_graph
from clinkg.loaders.pipeline import build_article, load_articles, read_article
from clinkg.loaders.reason.inference import Inference
from clinkg.loaders.reason.reasoner import reason
from clinkg.loaders.reason.rules import Merge, apply_rules, bundled, classify
from clinkg.ontology.namespaces import INFERRED_GRAPH
from clinkg.store.oxigraph import OxigraphStore

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(shutil.which("java") is None, reason="HermiT needs a Java runtime"),
]
FIXTURES = Path(__file__).parent / "fixtures"
BROKEN = sorted((FIXTURES / "reasoning").glob("*.ttl"))
BASE = BUNDLED_ARTICLES / "calf-muscle-spasms.txt"


def _distinct(paths: list[Path]) -> list[Path]:
    """The paths with the same bytes counted once (data/articles/ holds the shared six)."""
    seen: dict[str, Path] = {}
    for path in paths:
        seen.setdefault(hashlib.sha256(path.read_bytes()).hexdigest(), path)
    return list(seen.values())


ARTICLES = _distinct(
    sorted(SHARED_ARTICLES.glob("*.txt"))
    + sorted(BUNDLED_ARTICLES.glob("*.txt"))
    + sorted((FIXTURES / "articles").glob("*.txt"))
)


@cache
def built(path: Path) -> Graph:
    """One article's graph as a load builds it, alone."""
    article, _ = read_article(path)
    return build_article(article, (), ontology_graph()).graph


def verdict(run: object, graph: Graph) -> tuple[str, object]:
    """("ok", inferred triples) or ("refused", the reasons)."""
    try:
        inference = run(graph)  # type: ignore[operator]
    except InconsistentGraph as refused:
        return "refused", refused.reasons
    assert isinstance(inference, Inference)
    return "ok", set(inference.triples)


@pytest.mark.parametrize("path", ARTICLES, ids=[p.stem for p in ARTICLES])
def test_the_rules_infer_what_hermit_infers_on_each_article(path: Path) -> None:
    asserted = built(path)
    oracle = reason(asserted, ontology_graph())
    rules = apply_rules(asserted, bundled())
    assert rules.triples == oracle.triples
    assert dict(rules.members) == dict(oracle.members)
    assert len(rules.triples) > 0


@pytest.mark.parametrize("fixture", BROKEN, ids=[p.stem for p in BROKEN])
def test_the_rules_refuse_what_hermit_refuses_in_the_same_words(fixture: Path) -> None:
    graph = built(BASE) + Graph().parse(fixture)
    oracle = verdict(lambda g: reason(g, ontology_graph()), graph)
    rules = verdict(lambda g: classify(g, bundled()), graph)
    assert rules[0] == oracle[0]
    if oracle[0] == "ok" or oracle[1]:
        assert rules[1] == oracle[1]
    else:
        assert rules[1], "the rules give no reason where HermiT's explanation finds none"


def test_a_merge_of_two_individuals_is_left_to_hermit() -> None:
    graph = built(BASE) + Graph().parse(FIXTURES / "reasoning" / "merged-references.ttl")
    with pytest.raises(Merge):
        apply_rules(graph, bundled())
    assert classify(graph, bundled()).engine == "HermiT"


def test_articles_loaded_one_at_a_time_infer_what_hermit_infers_over_all() -> None:
    store = OxigraphStore(None)
    paths = sorted(SHARED_ARTICLES.glob("*.txt"))
    reports = [load_articles([path], store) for path in paths]
    assert all("incremental" in r.reasoning.render() for r in reports if r.reasoning)
    inferred = set(stored_graphs.read_graphs(store, [INFERRED_GRAPH]))
    oracle = reason(stored_graphs.stored_article_graphs(store), ontology_graph())
    assert inferred == oracle.triples
    batch = OxigraphStore(None)
    load_articles(paths, batch)
    assert set(stored_graphs.read_graphs(batch, [INFERRED_GRAPH])) == inferred
