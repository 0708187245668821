"""The article library: what is loaded, as each article's load record says.

Each loaded article has its own graph (`ns.article_graph`) and a load record in another
(`ns.library_graph`): the file it came from, a hash of that file's content (an article's
identity apart from its file name), when it was loaded, its triples and warnings. Loaders
write records with `record_triples`; the CLI (`clinkg articles`) and the API (`/api/articles`)
read them with `list_articles`.
"""

from __future__ import annotations

import hashlib
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from rdflib import RDF, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, FOAF, PROV, SKOS, XSD

from clinkg.errors import ClinkgError
from clinkg.ontology import namespaces as ns
from clinkg.store import Store, Term

VOID = Namespace("http://rdfs.org/ns/void#")
_ARTICLE_GRAPH_PREFIX = str(ns.article_graph("x"))[: -len("x")]

_RECORDS = """
PREFIX ckg: <https://w3id.org/clinkg/ontology#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX foaf: <http://xmlns.com/foaf/0.1/>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX void: <http://rdfs.org/ns/void#>
SELECT ?graph ?article ?source ?hash ?loaded ?triples ?title ?question ?updated WHERE {
  GRAPH ?record { ?graph a void:Dataset ; foaf:primaryTopic ?article ; dcterms:source ?source ;
                         dcterms:identifier ?hash ; prov:generatedAtTime ?loaded ;
                         void:triples ?triples }
  GRAPH ?graph { ?article dcterms:title ?title ; ckg:question ?question .
                 OPTIONAL { ?article dcterms:modified ?updated } }
}
"""
_WARNINGS = """
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX void: <http://rdfs.org/ns/void#>
SELECT ?graph ?warning WHERE {
  GRAPH ?record { ?graph a void:Dataset ; skos:editorialNote ?warning }
}
"""
_UNRESOLVED = """
PREFIX ckg: <https://w3id.org/clinkg/ontology#>
SELECT ?graph (COUNT(DISTINCT ?citation) AS ?unresolved) WHERE {
  GRAPH ?graph { ?citation a ckg:Citation FILTER NOT EXISTS { ?citation ckg:citedReference ?r } }
}
GROUP BY ?graph
"""


@dataclass(frozen=True)
class LibraryEntry:
    """One loaded article, as its load record and its graph describe it."""

    id: str  # the slug its IRIs were minted from
    graph: URIRef
    article: URIRef
    title: str
    question: str
    source: str  # the file it was last loaded from
    content_hash: str  # "sha256:<hex>" of that file's bytes
    loaded: str  # when it was last loaded (ISO 8601, UTC)
    last_updated: str | None  # the article's own "Last updated" date
    triples: int
    warnings: tuple[str, ...]
    unresolved_citations: int

    @property
    def record_graph(self) -> URIRef:
        """Where its load record is kept."""
        return ns.library_graph(self.id)


def content_hash(data: bytes) -> str:
    """An article's identity apart from its file name: the hash of its file's bytes."""
    return "sha256:" + hashlib.sha256(data).hexdigest()


def same_question(one: str, other: str) -> bool:
    """Whether two articles ask the same question (case and spacing aside)."""
    return folded(one) == folded(other)


def record_triples(
    slug: str, source: str, digest: str, loaded: datetime, triples: int, warnings: Sequence[str]
) -> list[tuple[Term, Term, Term]]:
    """The load record of one article, for its `ns.library_graph(slug)`."""
    graph = ns.article_graph(slug)
    record: list[tuple[Term, Term, Term]] = [
        (graph, RDF.type, VOID.Dataset),
        (graph, FOAF.primaryTopic, ns.article(slug)),
        (graph, DCTERMS.source, Literal(source)),
        (graph, DCTERMS.identifier, Literal(digest)),
        (graph, PROV.generatedAtTime, Literal(loaded.isoformat(), datatype=XSD.dateTime)),
        (graph, VOID.triples, Literal(triples)),
    ]
    record.extend((graph, SKOS.editorialNote, Literal(warning)) for warning in warnings)
    return record


def list_articles(store: Store) -> list[LibraryEntry]:
    """Every loaded article with a load record, by title."""
    warnings: dict[Term | None, list[str]] = {}
    for row in store.select(_WARNINGS):
        warnings.setdefault(row["graph"], []).append(str(row["warning"]))
    unresolved = {row["graph"]: int(str(row["unresolved"])) for row in store.select(_UNRESOLVED)}
    entries = [
        _entry(row, tuple(sorted(warnings.get(row["graph"], []))), unresolved.get(row["graph"], 0))
        for row in store.select(_RECORDS)
    ]
    return sorted(entries, key=lambda entry: (folded(entry.title), entry.id))


def find_article(entries: Iterable[LibraryEntry], name: str) -> LibraryEntry:
    """The article `name` means: its id, file name, title or question; else a ClinkgError
    listing what is loaded."""
    entries = list(entries)
    for entry in entries:
        names = (entry.id, entry.source, entry.title, entry.question, str(entry.article))
        if any(folded(name) == folded(candidate) for candidate in names):
            return entry
    loaded = ", ".join(entry.id for entry in entries) or "none (clinkg load FILE first)"
    raise ClinkgError(f"no loaded article is called '{name}'; loaded articles: {loaded}")


def entry_json(entry: LibraryEntry) -> dict[str, Any]:
    """An entry as the API sends it."""
    return {
        "id": entry.id,
        "title": entry.title,
        "question": entry.question,
        "source": entry.source,
        "lastUpdated": entry.last_updated,
        "loaded": entry.loaded,
        "triples": entry.triples,
        "warnings": list(entry.warnings),
        "unresolvedCitations": entry.unresolved_citations,
        "contentHash": entry.content_hash,
        "iri": str(entry.article),
        "graph": str(entry.graph),
    }


def _entry(row: dict[str, Term | None], warnings: tuple[str, ...], unresolved: int) -> LibraryEntry:
    graph = URIRef(str(row["graph"]))
    updated = row.get("updated")
    return LibraryEntry(
        id=graph[len(_ARTICLE_GRAPH_PREFIX) :],
        graph=graph,
        article=URIRef(str(row["article"])),
        title=str(row["title"]),
        question=str(row["question"]),
        source=str(row["source"]),
        content_hash=str(row["hash"]),
        loaded=str(row["loaded"]),
        last_updated=None if updated is None else str(updated),
        triples=int(str(row["triples"])),
        warnings=warnings,
        unresolved_citations=unresolved,
    )


def folded(text: str) -> str:
    """Text compared as a reader would: case and spacing aside."""
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())
