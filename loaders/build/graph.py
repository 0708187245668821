"""Facts -> RDF: one article's triples, shaped as the queries expect (docs: graph shape).

Pure: the only file read is the packaged ontology in `ontology_graph`. Every IRI comes from
`clinkg.ontology.namespaces`, so building the same facts twice gives the same graph.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from importlib import resources

from rdflib import RDF, RDFS, XSD, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS
from rdflib.term import Node

from clinkg.loaders.build.entities import EntityIndex
from clinkg.loaders.build.facts import add_facts, entity_uses
from clinkg.loaders.extract.facts import ArticleFacts
from clinkg.loaders.parse.records import (
    Article,
    CitationAlignment,
    ReferenceEntry,
    Section,
    Statement,
)
from clinkg.ontology import namespaces as ns
from clinkg.ontology.namespaces import BIBO, CKG, MESH

ONTOLOGY_FILES = ("clinkg.ttl", "vocabulary.ttl")
# The printed reference type, as a BIBO class; anything else is a plain bibo:Document.
REFERENCE_CLASSES = {"research": BIBO.AcademicArticle}


def ontology_graph() -> Graph:
    """The ontology and its SKOS vocabulary as one graph (a fresh copy on each call)."""
    graph = Graph()
    bind_prefixes(graph)
    for triple in _ontology_triples():
        graph.add(triple)
    return graph


@cache
def _ontology_triples() -> tuple[tuple[Node, Node, Node], ...]:
    graph = Graph()
    package = resources.files("clinkg.ontology")
    for name in ONTOLOGY_FILES:
        graph.parse(data=package.joinpath(name).read_text(encoding="utf-8"), format="turtle")
    return tuple(graph)


def bind_prefixes(graph: Graph) -> None:
    """The prefixes a researcher expects when the graph is written as Turtle."""
    graph.bind("ckg", CKG._NS)
    graph.bind("id", ns.ID)
    graph.bind("bibo", BIBO)
    graph.bind("hp", ns.HP)
    graph.bind("icd10cm", ns.ICD10CM)
    graph.bind("mesh", MESH)


def build_graph(facts: ArticleFacts) -> Graph:
    """The triples of one article: structure, references, entities and the facts they support."""
    graph = Graph()
    bind_prefixes(graph)
    article = facts.article
    index = EntityIndex(facts.entities, entity_uses(facts))
    _add_article(graph, article)
    for warning in (*facts.alignment.warnings, *facts.warnings):
        graph.add((ns.article(article.slug), CKG.loadWarning, Literal(warning)))
    if facts.primary_condition is not None:
        primary = index.iri(facts.primary_condition)
        graph.add((ns.article(article.slug), CKG.primaryCondition, primary))
    _add_sections(graph, article)
    _add_references(graph, article.references)
    _add_statements(graph, article, facts.alignment)
    add_facts(graph, facts, index)
    index.add_to(graph)
    return graph


def _add_article(graph: Graph, article: Article) -> None:
    subject = ns.article(article.slug)
    graph.add((subject, RDF.type, CKG.Article))
    graph.add((subject, DCTERMS.title, Literal(article.title)))
    graph.add((subject, RDFS.label, Literal(article.title)))
    graph.add((subject, CKG.question, Literal(article.question)))
    graph.add((subject, CKG.sourceFile, Literal(article.source)))
    if article.last_updated is not None:
        modified = Literal(article.last_updated.isoformat(), datatype=XSD.date)
        graph.add((subject, DCTERMS.modified, modified))
    for entry in article.references:
        graph.add((subject, DCTERMS.references, ns.reference(entry.title, entry.year)))


def _add_sections(graph: Graph, article: Article) -> None:
    for section in article.sections:
        subject = ns.section(article.slug, section.index)
        graph.add((subject, RDF.type, CKG.Section))
        graph.add((subject, RDFS.label, Literal(section.title)))
        graph.add((subject, CKG.level, Literal(section.level)))
        _add_place(graph, article.slug, subject, section)
        if section.parent is not None:
            graph.add((subject, CKG.parentSection, ns.section(article.slug, section.parent)))


def _add_place(graph: Graph, slug: str, subject: URIRef, record: Section | Statement) -> None:
    _add_position(graph, ns.article(slug), subject, record)


def _add_position(
    graph: Graph, article: URIRef, subject: URIRef, record: Section | Statement
) -> None:
    graph.add((subject, CKG.position, Literal(record.index)))
    graph.add((subject, CKG.line, Literal(record.line)))
    graph.add((subject, CKG.inArticle, article))


def _add_references(graph: Graph, entries: Iterable[ReferenceEntry]) -> None:
    for entry in entries:
        subject = ns.reference(entry.title, entry.year)
        graph.add((subject, RDF.type, CKG.Reference))
        graph.add((subject, RDF.type, REFERENCE_CLASSES.get(entry.type.lower(), BIBO.Document)))
        graph.add((subject, DCTERMS.title, Literal(entry.title)))
        graph.add((subject, RDFS.label, Literal(entry.title)))
        graph.add((subject, CKG.journal, Literal(entry.journal)))
        graph.add((subject, CKG.referenceType, Literal(entry.type)))
        if entry.year is not None:
            graph.add((subject, CKG.year, Literal(f"{entry.year:04d}", datatype=XSD.gYear)))


def _add_statements(graph: Graph, article: Article, alignment: CitationAlignment) -> None:
    # The IRIs every statement shares (its article, the references by position) made once.
    home = ns.article(article.slug)
    by_position = {entry.position: entry for entry in article.references}
    cited = {
        number: by_position.get(position) if position is not None else None
        for number, position in alignment.mapping.items()
    }
    for statement in article.statements:
        subject = ns.statement(article.slug, statement.index)
        graph.add((subject, RDF.type, CKG.Statement))
        graph.add((subject, CKG.text, Literal(statement.text)))
        graph.add((subject, CKG.statementKind, Literal(statement.kind)))
        _add_position(graph, home, subject, statement)
        if statement.section is not None:
            graph.add((subject, CKG.inSection, ns.section(article.slug, statement.section)))
        if statement.lead_in is not None:
            graph.add((subject, CKG.leadIn, ns.statement(article.slug, statement.lead_in)))
        graph.add((subject, CKG.citationInherited, Literal(statement.citations_inherited)))
        _add_citations(graph, subject, statement.citations, (article.slug, home), cited)


def _add_citations(
    graph: Graph,
    subject: URIRef,
    numbers: Iterable[int],
    article: tuple[str, URIRef],
    references: dict[int, ReferenceEntry | None],
) -> None:
    """The statement's citation markers, each resolved to the entry at the position the
    alignment gives it (`references`: a marker's entry, None when unresolved)."""
    slug, home = article
    for number in numbers:
        marker = ns.citation(slug, number)
        graph.add((subject, CKG.citationNumber, Literal(number)))
        graph.add((subject, CKG.citation, marker))
        graph.add((marker, RDF.type, CKG.Citation))
        graph.add((marker, CKG.citationNumber, Literal(number)))
        graph.add((marker, CKG.inArticle, home))
        entry = references.get(number)
        # A marker the alignment did not resolve stays unresolved: never guess the paper.
        if entry is None:
            graph.add((subject, CKG.unresolvedCitation, Literal(number)))
        else:
            reference = ns.reference(entry.title, entry.year)
            graph.add((subject, CKG.cites, reference))
            graph.add((marker, CKG.citedReference, reference))
