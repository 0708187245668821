"""Frozen records an article parses into: sections, statements, citations, references.

No rdflib here: records are plain data, tested on their own with golden files.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Literal

StatementKind = Literal["sentence", "bullet", "lead-in"]


@dataclass(frozen=True)
class Statistic:
    """A statistic printed inline: `(OR 4.6)`, `up to 60% of adults`, `within 10 minutes`."""

    kind: str  # "OR" | "percent" | "duration" | "threshold" | "fold" | "count" ...
    value: float | None  # numeric value where there is one (4.6, 60, 10)
    text: str  # exactly as worded, e.g. "OR 4.2 at age 45 years"
    unit: str | None = None  # "%", "minutes", "years" ...
    qualifier: str | None = None  # "at age 45 years"
    start: int = 0  # character span in the statement text
    end: int = 0


@dataclass(frozen=True)
class Section:
    """A heading and the block it opens. Level 1: a heading line; level 2: a line ending in ':'."""

    index: int  # order in the article, 0-based
    title: str  # heading text without the trailing ':'
    level: int
    line: int  # 1-based line number in the source
    parent: int | None  # index of the enclosing level-1 section, for level-2 headings


@dataclass(frozen=True)
class Statement:
    """One sentence or bullet of the article body, with the markers printed after it."""

    index: int  # order in the article, 0-based
    text: str  # without the trailing citation markers and bullet glyph
    section: int | None  # index of the innermost section, None before the first heading
    line: int  # 1-based line number in the source
    kind: StatementKind  # a lead-in is a line ending in ':' that bullets hang from
    citations: tuple[int, ...]  # marker numbers, own or inherited
    citations_inherited: bool = False  # True: the bullet printed none and takes its lead-in's
    lead_in: int | None = None  # for bullets: index of the statement they hang from
    statistics: tuple[Statistic, ...] = ()


@dataclass(frozen=True)
class ReferenceEntry:
    """One group of the References section: type / title / journal, year."""

    position: int  # 1-based position in the printed list
    type: str  # "Research", "Guideline", ...
    title: str
    journal: str
    year: int | None
    line: int  # line number of the group's first line


@dataclass(frozen=True)
class Article:
    """A parsed article: its metadata, sections, statements and printed reference list."""

    source: str  # file name, used in error messages and as provenance
    slug: str  # stable id from the file name (IRIs are minted from it)
    question: str
    title: str
    last_updated: date | None
    sections: tuple[Section, ...]
    statements: tuple[Statement, ...]
    references: tuple[ReferenceEntry, ...]
    warnings: tuple[str, ...] = ()  # what was read past, by line (HTML tags removed)


@dataclass(frozen=True)
class CitationAlignment:
    """Which printed reference each citation marker points to; None = no listed reference."""

    mapping: dict[int, int | None]  # marker -> 1-based reference position, or None
    consistent: bool  # markers and list agree one to one, in order
    warnings: tuple[str, ...] = field(default_factory=tuple)
