"""The one loader step with I/O: files -> parse -> align -> extract -> build -> validate -> store.

Nothing is written unless every file succeeds; then all article graphs, the ontology graph (when
it changed) and the inferred graph's change go to the store in one atomic `replace_graphs`, so a
failed load leaves the store as it was.
"""

from __future__ import annotations

import time
from collections.abc import Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TextIO, cast

from rdflib import Graph, URIRef

from clinkg.config import load_workers
from clinkg.errors import ArticleParseError, ValidationError
from clinkg.library import (
    LibraryEntry,
    content_hash,
    find_article,
    folded,
    list_articles,
    record_triples,
)
from clinkg.loaders import stored_graphs
from clinkg.loaders.batch import Steps, build_batch
from clinkg.loaders.build.graph import build_graph, ontology_graph
from clinkg.loaders.build.validate import validate_graph
from clinkg.loaders.extract.article import extract_article
from clinkg.loaders.extract.facts import ArticleFacts, Entity, EntityKind
from clinkg.loaders.extract.name_keys import KindKey
from clinkg.loaders.identity import Placed, place
from clinkg.loaders.parse.article import decode_article, parse_article
from clinkg.loaders.parse.citations import align_citations
from clinkg.loaders.parse.records import Article, CitationAlignment
from clinkg.loaders.progress import Progress
from clinkg.loaders.reasoning import Reasoned, infer
from clinkg.loaders.report import (
    ArticleReport,
    LoadReport,
    ReasoningReport,
    RemoveReport,
    class_counts,
)
from clinkg.ontology import namespaces as ns
from clinkg.ontology.namespaces import CKG, GRAPH, INFERRED_GRAPH
from clinkg.store import Store, Term, exclusive_writes
from clinkg.store.state import new_stamp

ONTOLOGY_GRAPH = GRAPH["ontology"]

# Entities already in the store, so that a new article names them as earlier ones did.
KNOWN_ENTITIES = """
PREFIX ckg: <https://w3id.org/clinkg/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT DISTINCT ?graph ?entity ?type ?label ?synonym WHERE {
    VALUES ?type { ckg:Condition ckg:Medication ckg:RiskFactor ckg:Population }
    GRAPH ?graph {
        ?entity a ?type ; rdfs:label ?label .
        OPTIONAL { ?entity skos:altLabel ?synonym }
    }
}
"""
KINDS: dict[URIRef, EntityKind] = {
    CKG.Condition: "condition",
    CKG.Medication: "medication",
    CKG.RiskFactor: "risk-factor",
    CKG.Population: "population",
}
PRECEDENCE: tuple[EntityKind, ...] = ("condition", "medication", "risk-factor", "population")
# The longest article a load accepts (README, "How extraction works, and where it stops"). The
# loader's time grows linearly with the text (bench/long_article.py: 100, 200, 400 kB took 4.7,
# 8.9, 16.2 CPU seconds), so this bounds one load to a few minutes.
MAX_ARTICLE_BYTES = 2_000_000
COUNT_TRIPLES = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"


@dataclass(frozen=True)
class LoadedArticle:
    """One article built and validated, not yet written."""

    graph: Graph
    facts: ArticleFacts
    report: ArticleReport


def load_articles(
    paths: Sequence[Path],
    store: Store,
    *,
    reasoning: bool = True,
    audit: bool = False,
    replace: bool = False,
    progress: TextIO | None = None,
    workers: int | None = None,
) -> LoadReport:
    """Load every file into the store, all of them or none; errors name the file and line.

    A file with the question of a loaded article replaces it (a new version); the same content
    under another file name is refused unless `replace`. With `reasoning`, the ontology's
    compiled rules classify the new articles with what the store holds about the entities they
    share (loaders/reasoning.py), and the inferred graph is written with them; an inconsistent
    load is refused. `audit` runs HermiT over every article graph instead. `progress` gets a
    bar through the files' bytes as they are built. `workers` processes (default
    $CLINKG_LOAD_WORKERS, else one per CPU) build a batch's articles, with the result of
    building them one after another (loaders/batch.py). The store has one writer meanwhile.
    """
    started = time.perf_counter()
    with exclusive_writes(store):
        placed = _distinct(_placed(paths, list_articles(store), replace=replace))
        ontology = ontology_graph()
        # The graphs about to be replaced do not count as known: what an article yields must
        # not depend on what its previous load left, so loading the same files twice changes
        # nothing.
        replaced = {ns.article_graph(item.article.slug) for item in placed}
        known = known_entities(store, excluding=replaced)
        bar = Progress("load", sum(item.size for item in placed), progress)
        loaded = build_batch(
            [(item.article, item.seconds) for item in placed],
            known,
            ontology,
            Steps(extract_facts, finish_article),
            workers=load_workers(workers),
            done=lambda index: bar.advance(placed[index].size),
        )
        graphs: dict[URIRef, Iterable[tuple[Term, Term, Term]]] = {}
        if not stored_graphs.holds_ontology(store, ontology, ONTOLOGY_GRAPH):
            graphs[ONTOLOGY_GRAPH] = _triples(ontology)
        graphs.update(_article_graphs(loaded, placed))
        reasoned = None
        if reasoning:
            new = {article.report.graph: article.graph for article in loaded}
            reasoned = infer(store, new, ONTOLOGY_GRAPH, audit=audit)
        _write(store, graphs, reasoned)
        bar.finish()
    return LoadReport(
        articles=tuple(article.report for article in loaded),
        ontology_triples=len(ontology),
        seconds=time.perf_counter() - started,
        store_triples=store_triple_count(store),
        notes=tuple(item.note for item in placed if item.note),
        reasoning=reasoned.report if reasoned else ReasoningReport(seconds=None),
    )


def remove_articles(names: Sequence[str], store: Store, *, reasoning: bool = True) -> RemoveReport:
    """Remove articles (by id, file name, title or question) and what only their facts implied:
    their graphs and load records go (with them the entities no other article names), and
    inference is recomputed for what remains. All of them or none; one writer meanwhile."""
    started = time.perf_counter()
    with exclusive_writes(store):
        library = list_articles(store)
        removed = {entry.id: entry for entry in (find_article(library, n) for n in names)}
        dropped = {g for e in removed.values() for g in (e.graph, e.record_graph)}
        graphs: dict[URIRef, Iterable[tuple[Term, Term, Term]]] = {g: [] for g in dropped}
        reasoned = infer(store, {}, ONTOLOGY_GRAPH, dropped=dropped) if reasoning else None
        _write(store, graphs, reasoned)
    return RemoveReport(
        removed=tuple(removed.values()),
        seconds=time.perf_counter() - started,
        store_triples=store_triple_count(store),
        reasoning=reasoned.report if reasoned else ReasoningReport(seconds=None),
    )


def _write(
    store: Store,
    graphs: dict[URIRef, Iterable[tuple[Term, Term, Term]]],
    reasoned: Reasoned | None,
) -> None:
    """Write the graphs, the inferred graph's change (or its emptying, without reasoning) and
    a new load stamp in one atomic step."""
    changes: dict[URIRef, Iterable[tuple[Term, Term, Term]]] = {}
    removals: dict[URIRef, Iterable[tuple[Term, Term, Term]]] = {}
    inferred = cast("list[tuple[Term, Term, Term]]", reasoned.triples if reasoned else [])
    if reasoned is not None and reasoned.appended:
        changes[INFERRED_GRAPH] = inferred
        removals[INFERRED_GRAPH] = cast("list[tuple[Term, Term, Term]]", reasoned.withdrawn)
    else:
        graphs[INFERRED_GRAPH] = inferred
    graphs.update(new_stamp())
    store.replace_graphs(graphs, additions=changes, removals=removals)


def read_article(path: Path) -> tuple[Article, float]:
    """The parsed article of one file and the seconds it took; nothing is written. A file
    over MAX_ARTICLE_BYTES is refused before it is read."""
    article, _, seconds, _ = _read(path)
    return article, seconds


def _read(path: Path) -> tuple[Article, str, float, int]:
    """The parsed article of one file, the hash of its content, the seconds it took and its
    size in bytes."""
    started = time.perf_counter()
    try:
        size = path.stat().st_size
        if size > MAX_ARTICLE_BYTES:
            raise ArticleParseError(path.name, None, _too_long(size))
        data = path.read_bytes()
    except OSError as error:
        raise ArticleParseError(path.name, None, f"cannot read the file: {error}") from error
    article = parse_article(decode_article(data, path.name), path.name)
    return article, content_hash(data), time.perf_counter() - started, len(data)


def _too_long(size: int) -> str:
    return (
        f"the file is {size / 1e6:.1f} MB and an article can be at most"
        f" {MAX_ARTICLE_BYTES / 1e6:.0f} MB (loading time and memory grow with it): split the"
        " text into several articles at its headings"
    )


@dataclass(frozen=True)
class _PlacedFile(Placed):
    seconds: float = 0.0
    size: int = 0


def _placed(
    paths: Sequence[Path], library: Sequence[LibraryEntry], *, replace: bool
) -> list[_PlacedFile]:
    """Each file read and placed among the loaded articles (a new one, or which it replaces)."""
    placed = []
    for path in paths:
        article, digest, seconds, size = _read(path)
        where = place(article, digest, library, replace=replace)
        placed.append(
            _PlacedFile(where.article, where.digest, where.replaces, where.note, seconds, size)
        )
    return placed


def _distinct(placed: list[_PlacedFile]) -> list[_PlacedFile]:
    """The articles, refusing two files of one load that are the same article (same graph,
    same content or same question)."""
    sources: dict[str, str] = {}
    for item in placed:
        article = item.article
        keys = (article.slug, item.digest, "question:" + folded(article.question))
        earlier = next((sources[key] for key in keys if key in sources), None)
        if earlier is not None:
            reason = f"names the same article as {earlier}; load only one of them"
            raise ArticleParseError(article.source, None, reason)
        sources.update(dict.fromkeys(keys, article.source))
    return placed


def _article_graphs(
    loaded: Sequence[LoadedArticle], placed: Sequence[_PlacedFile]
) -> Iterator[tuple[URIRef, Iterable[tuple[Term, Term, Term]]]]:
    """Each article's graph and its load record's graph."""
    now = datetime.now(UTC).replace(microsecond=0)
    for article, item in zip(loaded, placed, strict=True):
        yield article.report.graph, _triples(article.graph)
        slug, report = item.article.slug, article.report
        record = record_triples(
            slug, report.source, item.digest, now, report.triples, report.warnings
        )
        yield ns.library_graph(slug), record


@dataclass(frozen=True)
class Extracted:
    """One parsed article's facts, not yet built into a graph."""

    article: Article
    alignment: CitationAlignment
    facts: ArticleFacts
    seconds: float  # spent on it so far


def build_article(
    article: Article,
    known: Sequence[Entity],
    ontology: Graph,
    seconds: float = 0.0,
    asked: set[KindKey] | None = None,
) -> LoadedArticle:
    """Align, extract, build and validate one parsed article; nothing is written."""
    return finish_article(extract_facts(article, known, seconds, asked), ontology)


def extract_facts(
    article: Article,
    known: Sequence[Entity],
    seconds: float = 0.0,
    asked: set[KindKey] | None = None,
) -> Extracted:
    """Align and extract one parsed article, with the `known` entities of other articles;
    `asked` collects the (name key, kind) pairs they were looked up by."""
    started = time.perf_counter()
    alignment = align_citations(article)
    facts = extract_article(article, alignment, known, asked)
    return Extracted(article, alignment, facts, seconds + time.perf_counter() - started)


def finish_article(extracted: Extracted, ontology: Graph) -> LoadedArticle:
    """Build and validate an article's facts; nothing is written."""
    started = time.perf_counter()
    article, alignment, facts = extracted.article, extracted.alignment, extracted.facts
    graph = build_graph(facts)
    try:
        validate_graph(graph, ontology)
    except ValidationError as error:
        raise ValidationError(f"{article.source}: the built graph is invalid: {error}") from error
    report = ArticleReport(
        source=article.source,
        graph=ns.article_graph(article.slug),
        triples=len(graph),
        counts=class_counts(graph),
        warnings=(*article.warnings, *alignment.warnings, *facts.warnings),
        seconds=extracted.seconds + time.perf_counter() - started,
    )
    return LoadedArticle(graph, facts, report)


def known_entities(store: Store, excluding: Collection[URIRef] = ()) -> tuple[Entity, ...]:
    """The conditions, medications, risk factors and populations the store already names,
    outside the named graphs `excluding`."""
    kinds: dict[URIRef, set[EntityKind]] = {}
    labels: dict[URIRef, set[str]] = {}
    synonyms: dict[URIRef, set[str]] = {}
    for row in store.select(KNOWN_ENTITIES):
        if row["graph"] in excluding:
            continue
        entity, kind = URIRef(str(row["entity"])), KINDS[URIRef(str(row["type"]))]
        kinds.setdefault(entity, set()).add(kind)
        labels.setdefault(entity, set()).add(str(row["label"]))
        if row.get("synonym") is not None:
            synonyms.setdefault(entity, set()).add(str(row["synonym"]))
    return tuple(_entities(kinds, labels, synonyms))


def _entities(
    kinds: dict[URIRef, set[EntityKind]],
    labels: dict[URIRef, set[str]],
    synonyms: dict[URIRef, set[str]],
) -> Iterator[Entity]:
    for entity in sorted(kinds):
        ordered = [kind for kind in PRECEDENCE if kind in kinds[entity]]
        yield Entity(
            kind=ordered[0],
            label=min(labels[entity]),
            synonyms=tuple(sorted(synonyms.get(entity, ()))),
            also=tuple(ordered[1:]),
        )


def _triples(graph: Graph) -> Iterable[tuple[Term, Term, Term]]:
    """The graph's triples as store terms (rdflib graphs hold only Identifiers)."""
    return cast("Iterable[tuple[Term, Term, Term]]", graph)


def store_triple_count(store: Store) -> int:
    """Triples in every named graph of the store."""
    rows = store.select(COUNT_TRIPLES)
    value = rows[0]["n"] if rows else None
    return int(str(value)) if value is not None else 0
