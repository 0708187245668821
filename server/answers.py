"""Answers to canned questions, each with the statements and references that support it.

Evidence for an answer: the statements its fact node (`?support`) is `ckg:supportedBy`; for an
answer that is a statement (`?statement`), that statement; otherwise the statements about both
the answer and the question's condition, falling back to the statements about the answer.
Every lookup is a bound support query (`queries/_*.rq`), never pasted text.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final

from rdflib import Literal, URIRef

from clinkg.registry import AllowedValue, Catalogue, Question, resolve_params
from clinkg.store import Row, Store, Term

# Columns that steer answer assembly rather than being shown as answer attributes.
STRUCTURAL_COLUMNS: Final = frozenset({"iri", "label", "support", "statement"})


@dataclass(frozen=True)
class ReferenceInfo:
    """A cited work as the reference list gives it."""

    iri: URIRef
    title: str | None
    journal: str | None
    year: str | None


@dataclass(frozen=True)
class Citation:
    """A citation marker on a statement: resolved to a reference, or not in the list."""

    number: int
    reference: ReferenceInfo | None
    unresolved: bool


@dataclass(frozen=True)
class Evidence:
    """One supporting statement: its text, where it stands, and what it cites."""

    statement: URIRef
    text: str
    section: str | None
    article: str | None
    citations: tuple[Citation, ...]
    markers: tuple[int, ...] = ()
    article_iri: URIRef | None = None  # the article the statement stands in (its view links)


@dataclass(frozen=True)
class AnswerItem:
    """One answer: the entity, the question's extra columns, and its evidence."""

    label: str
    iri: URIRef
    synonyms: tuple[str, ...]
    columns: Mapping[str, Any]
    evidence: tuple[Evidence, ...]

    @property
    def references(self) -> tuple[URIRef, ...]:
        """The distinct references the supporting sentences cite (resolved markers only)."""
        cited = (c.reference.iri for ev in self.evidence for c in ev.citations if c.reference)
        return tuple(dict.fromkeys(cited))

    @property
    def unresolved(self) -> tuple[int, ...]:
        """The markers on the supporting sentences that name no listed reference."""
        markers = (c.number for ev in self.evidence for c in ev.citations if c.unresolved)
        return tuple(dict.fromkeys(markers))


@dataclass(frozen=True)
class QuestionAnswer:
    """A question, the parameter values it was asked with, and its answers."""

    question: Question
    params: Mapping[str, AllowedValue]
    answers: tuple[AnswerItem, ...]


def answer_question(
    store: Store, catalogue: Catalogue, question_id: str, raw_params: Mapping[str, str]
) -> QuestionAnswer:
    """Resolve the parameters, run the question, and gather evidence for every answer."""
    question = catalogue.get(question_id)
    params = resolve_params(store, catalogue, question, raw_params)
    rows = store.select(question.sparql, {name: value.iri for name, value in params.items()})
    context = params["condition"].iri if "condition" in params else None
    hidden = STRUCTURAL_COLUMNS | set(params)
    items = tuple(
        _answer_item(store, catalogue, group, context, hidden)
        for group in _group_rows(rows, hidden).values()
    )
    return QuestionAnswer(question=question, params=params, answers=items)


def _group_rows(rows: list[Row], hidden: frozenset[str]) -> dict[tuple[Any, ...], list[Row]]:
    """Rows of one answer together: same entity and same extra columns (e.g. one statistic)."""
    groups: dict[tuple[Any, ...], list[Row]] = {}
    for row in rows:
        if not isinstance(row.get("iri"), URIRef):
            continue
        extra = tuple((name, row[name]) for name in sorted(row) if name not in hidden)
        groups.setdefault((row["iri"], extra), []).append(row)
    return groups


def _answer_item(
    store: Store,
    catalogue: Catalogue,
    rows: list[Row],
    context: URIRef | None,
    hidden: frozenset[str],
) -> AnswerItem:
    first = rows[0]
    iri = URIRef(str(first["iri"]))
    synonyms = store.select(catalogue.support("_synonyms").sparql, {"iri": iri})
    statements = _supporting_statements(store, catalogue, rows, iri, context)
    return AnswerItem(
        label=str(first.get("label") or iri),
        iri=iri,
        synonyms=tuple(str(row["synonym"]) for row in synonyms if row["synonym"] is not None),
        columns={name: to_json_value(value) for name, value in first.items() if name not in hidden},
        evidence=tuple(_evidence(store, catalogue, statement) for statement in statements),
    )


def _supporting_statements(
    store: Store, catalogue: Catalogue, rows: list[Row], answer: URIRef, context: URIRef | None
) -> list[URIRef]:
    """The statements behind an answer, in first-seen order, without repeats."""
    found = _iris(rows, "statement")
    supporting = catalogue.support("_supporting-statements").sparql
    for fact in _iris(rows, "support"):
        found += _iris(store.select(supporting, {"fact": fact}), "statement")
    if not found and not _iris(rows, "support"):
        about = catalogue.support("_statements-about").sparql
        if context is not None:
            found = _iris(store.select(about, {"answer": answer, "context": context}), "statement")
        if not found:
            found = _iris(store.select(about, {"answer": answer}), "statement")
    return list(dict.fromkeys(found))


def _iris(rows: list[Row], name: str) -> list[URIRef]:
    return [value for row in rows if isinstance(value := row.get(name), URIRef)]


def statement_evidence(store: Store, catalogue: Catalogue, statement: URIRef) -> Evidence:
    """A statement as evidence (text, section, article, citations), for pages beyond answers."""
    return _evidence(store, catalogue, statement)


def _evidence(store: Store, catalogue: Catalogue, statement: URIRef) -> Evidence:
    """A statement's text, section, article and citations, from one bound query."""
    rows = store.select(catalogue.support("_statement").sparql, {"statement": statement})
    text = next((str(r["text"]) for r in rows if r.get("text") is not None), "")
    section = next((str(r["section"]) for r in rows if r.get("section") is not None), None)
    article = next((str(r["articleTitle"]) for r in rows if r.get("articleTitle")), None)
    citations = _citations(rows)
    markers = tuple(citation.number for citation in citations)
    article_iri = next((a for r in rows if isinstance(a := r.get("article"), URIRef)), None)
    return Evidence(statement, text, section, article, citations, markers, article_iri)


def _citations(rows: list[Row]) -> tuple[Citation, ...]:
    """Each marker with the reference its number names in the article, or unresolved."""
    by_number: dict[int, ReferenceInfo | None] = {}
    for row in rows:
        if row.get("number") is None:
            continue
        reference = _reference(row) if isinstance(row.get("reference"), URIRef) else None
        by_number[int(str(row["number"]))] = reference
    return tuple(
        Citation(number, reference, reference is None)
        for number, reference in sorted(by_number.items())
    )


def _reference(row: Row) -> ReferenceInfo:
    def text(name: str) -> str | None:
        value = row.get(name)
        return None if value is None else str(value)

    return ReferenceInfo(
        URIRef(str(row["reference"])), text("title"), text("journal"), text("year")
    )


def to_json_value(value: Term | None) -> Any:
    """A result term as a JSON value: numbers and booleans as such, everything else as text."""
    if isinstance(value, Literal):
        python = value.toPython()
        if isinstance(python, bool | int | float):
            return python
        if hasattr(python, "is_finite") and python.is_finite():  # xsd:decimal
            return float(python)
        return str(value)
    return None if value is None else str(value)


def answer_to_json(answer: QuestionAnswer) -> dict[str, Any]:
    """The API's JSON shape of an answered question."""
    question = answer.question
    return {
        "question": {"id": question.id, "title": question.name, "summary": question.summary},
        "params": {
            name: {"label": value.label, "iri": str(value.iri)}
            for name, value in answer.params.items()
        },
        "answers": [_item_json(item) for item in answer.answers],
    }


def _item_json(item: AnswerItem) -> dict[str, Any]:
    return {
        "label": item.label,
        "iri": str(item.iri),
        "synonyms": list(item.synonyms),
        **item.columns,
        "evidence": [
            {
                "text": ev.text,
                "section": ev.section,
                "article": ev.article,
                "statement": str(ev.statement),
                "markers": list(ev.markers),
                "citations": [_citation_json(c) for c in ev.citations],
            }
            for ev in item.evidence
        ],
    }


def _citation_json(citation: Citation) -> dict[str, Any]:
    ref = citation.reference
    return {
        "number": citation.number,
        "reference": None
        if ref is None
        else {"iri": str(ref.iri), "title": ref.title, "journal": ref.journal, "year": ref.year},
        "unresolved": citation.unresolved,
    }
