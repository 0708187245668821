"""An article as the load read it: its text section by section, with what was taken from it marked.

The text is rebuilt from the graph (sections and statements in their order, citation markers
after the statement that printed them). Each fact node a statement supports and each entity it
is about becomes a mark: placed on the words it was read from when they stand in the sentence
(the fact's wording, the factor's or medication's name, an entity's label or synonym), otherwise
listed after the sentence. Marks never cross; one that would is listed after the sentence too.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Final

from rdflib import URIRef

from clinkg.ontology.namespaces import CKG
from clinkg.registry import Catalogue
from clinkg.server.answers import Citation, ReferenceInfo
from clinkg.store import Row, Store

# Mark kinds in legend order: what the rdf:type (or relation property) of a mark means.
KINDS: Final[dict[URIRef, tuple[str, str]]] = {
    CKG.ClinicalFeature: ("feature", "clinical feature"),
    CKG.RiskAssociation: ("risk", "risk association"),
    CKG.MedicationEffect: ("medication-effect", "medication effect"),
    CKG.Treatment: ("treatment", "treatment"),
    CKG.differentialDiagnosis: ("differential", "differential diagnosis"),
    CKG.associatedCondition: ("associated", "associated condition"),
    CKG.Condition: ("condition", "condition"),
    CKG.Medication: ("medication", "medication"),
    CKG.RiskFactor: ("risk-factor", "risk factor"),
    CKG.Population: ("population", "patient group"),
}
FACT_KINDS: Final = frozenset(
    {"feature", "risk", "medication-effect", "treatment", "differential", "associated"}
)
LEGEND: Final = (*KINDS.values(), ("statistic", "statistic of a fact"))


@dataclass(frozen=True)
class Mark:
    """One thing the load took from a sentence, and where its words stand (-1: not as a phrase)."""

    key: str  # the fact's or entity's IRI; a relation's "subject property object"
    iri: str  # the node it links to
    kind: str
    label: str
    start: int = -1
    end: int = -1

    @property
    def is_fact(self) -> bool:
        """A fact (what the questions answer), as opposed to an entity the sentence names."""
        return self.kind in FACT_KINDS or self.kind == "statistic"

    @property
    def kind_label(self) -> str:
        """The kind as the legend names it."""
        return dict(LEGEND)[self.kind]


@dataclass(frozen=True)
class Piece:
    """A run of a sentence's text: plain, or a mark holding the pieces inside it."""

    text: str
    mark: Mark | None = None
    inner: tuple[Piece, ...] = ()


@dataclass(frozen=True)
class StatementView:
    """One statement: its marked pieces, the marks listed after it, its printed markers."""

    iri: URIRef
    kind: str
    line: int
    pieces: tuple[Piece, ...]
    listed: tuple[Mark, ...]
    citations: tuple[Citation, ...]


Block = tuple[str, tuple[StatementView, ...]]  # ("paragraph" | "list", its statements)


@dataclass(frozen=True)
class SectionView:
    """A heading and its statements, grouped as printed (paragraphs by line, bullet lists)."""

    title: str | None
    level: int
    blocks: tuple[Block, ...]


@dataclass(frozen=True)
class ArticleView:
    """The article, its load warnings, its sections, and the references its markers cite."""

    iri: URIRef
    title: str
    question: str | None
    source: str
    warnings: tuple[str, ...]
    sections: tuple[SectionView, ...]
    citations: tuple[Citation, ...]

    @property
    def marks(self) -> tuple[Mark, ...]:
        """Every mark on the page, placed or listed."""
        return tuple(_all_marks(self.sections))


def articles(store: Store, catalogue: Catalogue) -> list[Row]:
    """The loaded articles with their counts, for the list page."""
    return store.select(catalogue.support("_article-list").sparql)


def article_view(store: Store, catalogue: Catalogue, article: URIRef, about: Row) -> ArticleView:
    """The article `article` (`about`: its row of the list) with its marks."""
    text_rows = store.select(catalogue.support("_article-text").sparql, {"article": article})
    mark_rows = store.select(catalogue.support("_article-marks").sparql, {"article": article})
    marks = _marks_by_statement(mark_rows)
    statements = _statements(text_rows, marks)
    sections = _sections(text_rows, statements)
    cited = {c.number: c for s in statements for c in s.citations}
    warnings = store.select(catalogue.support("_article-warnings").sparql, {"article": article})
    return ArticleView(
        iri=article,
        title=str(about["title"]),
        question=None if about.get("question") is None else str(about["question"]),
        source=str(about["source"]),
        warnings=tuple(sorted(str(row["warning"]) for row in warnings)),
        sections=sections,
        citations=tuple(cited[number] for number in sorted(cited)),
    )


def _marks_by_statement(rows: Iterable[Row]) -> dict[URIRef, dict[str, tuple[Mark, list[str]]]]:
    """Per statement, each mark once (an entity by its first kind) with every wording it has."""
    order = list(KINDS)
    found: dict[URIRef, dict[str, tuple[Mark, list[str]]]] = {}
    for row in sorted(rows, key=lambda r: order.index(URIRef(str(r["type"])))):
        kind = KINDS[URIRef(str(row["type"]))][0]
        key = str(row["mark"])
        if row.get("object") is not None:
            key = f"{row['mark']} {row['type']} {row['object']}"
        marks = found.setdefault(URIRef(str(row["statement"])), {})
        mark, words = marks.setdefault(
            key, (Mark(key, str(row["mark"]), kind, str(row["label"])), [])
        )
        if mark.kind == kind:
            # A relation is found by its object's name; anything else by its label too.
            wordings = [row.get("words"), None if row.get("object") else row["label"]]
            words.extend(str(w) for w in wordings if w is not None)
        if mark.kind == kind and row.get("statistic") is not None:
            statistic = Mark(key, mark.iri, "statistic", f"{mark.label}: {row['statistic']}")
            marks.setdefault(key + " statistic", (statistic, [str(row["statistic"])]))
    return found


def _statements(
    rows: Sequence[Row], marks: dict[URIRef, dict[str, tuple[Mark, list[str]]]]
) -> list[StatementView]:
    """The statements in order, each with its marks placed and its printed markers."""
    by_node: dict[URIRef, list[Row]] = {}
    for row in rows:
        if str(row["kind"]) != "section":
            by_node.setdefault(URIRef(str(row["node"])), []).append(row)
    views = []
    for node, own in sorted(by_node.items(), key=lambda item: int(str(item[1][0]["position"]))):
        first = own[0]
        text = str(first["text"])
        placed = [_placed(text, mark, words) for mark, words in marks.get(node, {}).values()]
        pieces, listed = layout(text, placed)
        inherited = str(first.get("inherited") or "false").lower() in ("true", "1")
        views.append(
            StatementView(
                iri=node,
                kind=str(first["kind"]),
                line=int(str(first["line"])),
                pieces=pieces,
                listed=listed,
                citations=() if inherited else _citations(own),
            )
        )
    return views


def _placed(text: str, mark: Mark, words: Iterable[str]) -> Mark:
    """The mark on the longest of its wordings found in `text` (case aside, plural allowed)."""
    best: tuple[int, int] | None = None
    for wording in sorted(set(words), key=len, reverse=True):
        pattern = r"(?<!\w)" + re.escape(wording.strip()) + r"(?:e?s)?(?!\w)"
        hit = re.search(pattern, text, flags=re.IGNORECASE) if wording.strip() else None
        if hit is not None and (best is None or hit.end() - hit.start() > best[1] - best[0]):
            best = (hit.start(), hit.end())
    if best is None:
        return mark
    return Mark(mark.key, mark.iri, mark.kind, mark.label, best[0], best[1])


def layout(text: str, marks: Sequence[Mark]) -> tuple[tuple[Piece, ...], tuple[Mark, ...]]:
    """The text cut into pieces around the marks that nest; the rest listed, facts first."""
    accepted: list[Mark] = []
    listed: list[Mark] = []
    for mark in sorted(marks, key=lambda m: (m.start, -m.end, not m.is_fact, m.key)):
        crosses = any(a.start < mark.start < a.end < mark.end for a in accepted)
        (listed if mark.start < 0 or crosses else accepted).append(mark)
    listed.sort(key=lambda m: (not m.is_fact, m.kind, m.label))
    return _pieces(text, accepted, 0, len(text)), tuple(listed)


def _pieces(text: str, marks: Sequence[Mark], start: int, end: int) -> tuple[Piece, ...]:
    pieces: list[Piece] = []
    position, index = start, 0
    while index < len(marks):
        mark = marks[index]
        inside = [m for m in marks[index + 1 :] if m.start < mark.end]
        if mark.start > position:
            pieces.append(Piece(text[position : mark.start]))
        inner = _pieces(text, inside, mark.start, mark.end)
        pieces.append(Piece(text[mark.start : mark.end], mark, inner))
        position, index = mark.end, index + 1 + len(inside)
    if position < end:
        pieces.append(Piece(text[position:end]))
    return tuple(pieces)


def _citations(rows: Iterable[Row]) -> tuple[Citation, ...]:
    by_number: dict[int, ReferenceInfo | None] = {}
    for row in rows:
        if row.get("number") is None:
            continue
        reference = row.get("reference")
        title = row.get("referenceTitle")
        info = None
        if isinstance(reference, URIRef):
            info = ReferenceInfo(reference, None if title is None else str(title), None, None)
        by_number[int(str(row["number"]))] = info
    return tuple(Citation(n, ref, ref is None) for n, ref in sorted(by_number.items()))


def _sections(rows: Sequence[Row], statements: Sequence[StatementView]) -> tuple[SectionView, ...]:
    """The sections in order (statements before the first heading first), each with its blocks."""
    headings = sorted(
        {URIRef(str(r["node"])): r for r in rows if str(r["kind"]) == "section"}.items(),
        key=lambda item: int(str(item[1]["position"])),
    )
    section_of = {
        URIRef(str(r["node"])): r.get("section") for r in rows if str(r["kind"]) != "section"
    }
    views = [SectionView(None, 1, _blocks([s for s in statements if section_of[s.iri] is None]))]
    for node, row in headings:
        own = [s for s in statements if section_of[s.iri] == node]
        views.append(SectionView(str(row["text"]), int(str(row["level"])), _blocks(own)))
    return tuple(view for view in views if view.title is not None or view.blocks)


def _blocks(statements: Sequence[StatementView]) -> tuple[Block, ...]:
    """Consecutive bullets as one list; sentences printed on one line as one paragraph."""
    blocks: list[tuple[str, list[StatementView]]] = []
    for statement in statements:
        kind = "list" if statement.kind == "bullet" else "paragraph"
        last = blocks[-1] if blocks else None
        same_line = last is not None and last[1][-1].line == statement.line
        if last is not None and last[0] == kind and (kind == "list" or same_line):
            last[1].append(statement)
        else:
            blocks.append((kind, [statement]))
    return tuple((kind, tuple(members)) for kind, members in blocks)


def _all_marks(sections: Iterable[SectionView]) -> Iterable[Mark]:
    for section in sections:
        for _, statements in section.blocks:
            for statement in statements:
                yield from _piece_marks(statement.pieces)
                yield from statement.listed


def _piece_marks(pieces: Iterable[Piece]) -> Iterable[Mark]:
    for piece in pieces:
        if piece.mark is not None:
            yield piece.mark
        yield from _piece_marks(piece.inner)
