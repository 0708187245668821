"""Article text -> frozen records: question, title, sections, statements, reference list.

Pure: no I/O, no RDF. Bad input raises `ArticleParseError(source, line, reason)`.
The layout of the source site's template lives in `article_format`; this module reads it.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import PurePath
from typing import Final

import pysbd

from clinkg.errors import ArticleParseError
from clinkg.loaders.parse import article_format as fmt
from clinkg.loaders.parse.markup import strip_tags
from clinkg.loaders.parse.records import Article, ReferenceEntry, Section, Statement, StatementKind
from clinkg.loaders.parse.statistics import find_statistics

_MARKER_LIST: Final[str] = r"\d{1,4}(?:(?:\s*,\s*|\s+)\d{1,4})*"
# Markers printed after a sentence's final punctuation, followed by the next sentence or the end.
_MARKERS_AFTER_PUNCT: Final[re.Pattern[str]] = re.compile(
    rf"(?:(?<=[.?!:])|(?<=[.?!:][\"'\u201d\u2019)\]]))"
    rf"\s+(?P<markers>{_MARKER_LIST})"
    rf"(?=\s*$|\s+[\"'\u201c\u2018(\[A-Z])"
)
# Markers at the end of a line with no punctuation before them (bullets: "self-limited 3").
_MARKERS_AT_END: Final[re.Pattern[str]] = re.compile(rf"\s(?P<markers>{_MARKER_LIST})\s*$")
# A number right after one of these is a quantity ("age over 65", "a score below 2").
_QUANTITY_TEXT: Final[str] = """≥ ≤ > < = >= <= than over under below above about approximately
age aged of to at least most is was were are by from and or per score grade stage type class"""
_QUANTITY_WORDS: Final[frozenset[str]] = frozenset(_QUANTITY_TEXT.split())
# "increasing age 7": age itself is the item, so the number after it is a marker.
_AGE_AS_ITEM: Final[frozenset[str]] = frozenset({"increasing", "advancing", "advanced", "older"})
_HEADING_END_PUNCT: Final[tuple[str, ...]] = (".", "?", "!")
_CITED_SENTENCE_END: Final[re.Pattern[str]] = re.compile(r"[.!?:]\s*\d+(?:[,\s]+\d+)*$")
_SEGMENTER: Final = pysbd.Segmenter(language="en", clean=False, char_span=True)


def decode_article(data: bytes, source: str) -> str:
    """Strict UTF-8 text of an article file (BOM stripped), or an error naming the bad spot."""
    if not data:
        raise ArticleParseError(source, None, "file is empty")
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    controls = sum(1 for b in data if b < 0x20 and b not in b"\t\n\r\f")
    if b"\x00" in data or controls > max(2, len(data) // 100):
        raise ArticleParseError(source, None, "looks like a binary file")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        line_start = data.rfind(b"\n", 0, exc.start) + 1
        column = len(data[line_start : exc.start].decode("utf-8", errors="replace")) + 1
        reason = f"not UTF-8 text: byte 0x{data[exc.start]:02x} at line {line}, column {column}"
        raise ArticleParseError(source, line, reason) from None
    if not text.strip():
        raise ArticleParseError(source, None, "file has no content (only whitespace)")
    _refuse_markup(text, source)
    return text


# XML is never read: a DOCTYPE can declare entities that expand without bound or fetch files.
_MARKUP_DECLARATION: Final = re.compile(r"<!\s*(?:DOCTYPE|ENTITY)|<\?xml", re.IGNORECASE)


def _refuse_markup(text: str, source: str) -> None:
    """Refuse XML (a DOCTYPE, an entity, an XML declaration, a file that opens with a tag)."""
    found = _MARKUP_DECLARATION.search(text)
    if found is not None:
        line = text.count("\n", 0, found.start()) + 1
        reason = "contains an XML/DOCTYPE declaration; articles are plain text, XML is not read"
        raise ArticleParseError(source, line, reason)
    if text.lstrip().startswith("<"):
        line = text.count("\n", 0, len(text) - len(text.lstrip())) + 1
        raise ArticleParseError(source, line, "looks like markup (XML or HTML), not article text")


@dataclass(frozen=True)
class _Piece:
    """A sentence-sized run of a line and the citation markers printed after it."""

    text: str
    markers: tuple[int, ...]


@dataclass
class _Body:
    """Mutable state while the article body is read line by line."""

    source: str
    sections: list[Section] = field(default_factory=list)
    statements: list[Statement] = field(default_factory=list)
    level1: int | None = None
    current: int | None = None
    lead_in: int | None = None


def parse_article(text: str, source: str) -> Article:
    """Parse one article's text; `source` is its file name (slug = file stem)."""
    lines = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n").split("\n")
    lines, markup_warnings = strip_tags(lines, source)
    question_at = _first_nonblank(lines, 0)
    if question_at is None:
        raise ArticleParseError(source, None, "file has no content (only whitespace)")
    if fmt.is_boilerplate(lines[question_at].strip()):
        raise ArticleParseError(source, question_at + 1, "no question line before the boilerplate")
    title_at, last_updated = _skip_boilerplate(lines, question_at + 1, source)
    references_at = _find_references(lines, title_at + 1, source)
    body = _Body(source)
    for number in range(title_at + 2, references_at):
        _read_body_line(body, lines[number - 1], number)
    if not body.statements:
        raise ArticleParseError(source, title_at + 1, "no content statements after the title")
    return Article(
        source=source,
        slug=PurePath(source).stem,
        question=lines[question_at].strip(),
        title=lines[title_at].strip(),
        last_updated=last_updated,
        sections=tuple(body.sections),
        statements=tuple(body.statements),
        references=_parse_references(lines, references_at, source),
        warnings=markup_warnings,
    )


def _first_nonblank(lines: list[str], start: int) -> int | None:
    return next((i for i in range(start, len(lines)) if lines[i].strip()), None)


def _skip_boilerplate(lines: list[str], start: int, source: str) -> tuple[int, date | None]:
    """Index of the title line after the page template, and the "Last updated" date."""
    last_updated: date | None = None
    for i in range(start, len(lines)):
        line = lines[i].strip()
        if not line:
            continue
        match = fmt.LAST_UPDATED.match(line)
        if match:
            last_updated = _parse_date(match.group("date"), source, i + 1)
        if fmt.is_boilerplate(line):
            continue
        if not _is_title_like(line):
            raise ArticleParseError(source, i + 1, f"expected the title heading, found {line!r}")
        return i, last_updated
    raise ArticleParseError(source, None, "no title heading after the page boilerplate")


def _parse_date(text: str, source: str, line: int) -> date:
    for pattern in fmt.LAST_UPDATED_FORMATS:
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise ArticleParseError(source, line, f"'Last updated' date {text!r} is not a date")


def _find_references(lines: list[str], start: int, source: str) -> int:
    """1-based line number of the `References` heading; its absence means a truncated file."""
    for i in range(start, len(lines)):
        if lines[i].strip() == fmt.REFERENCES_HEADING:
            return i + 1
    last = len(lines)
    raise ArticleParseError(
        source, last, "no References section: the file looks truncated or is not an article"
    )


def _is_title_like(line: str) -> bool:
    """A line that can be the title: capitalised, not a bullet, lead-in or long paragraph."""
    return (
        bool(line)
        and line[0].isupper()
        and not line.endswith((":", "."))
        and not _CITED_SENTENCE_END.search(line)
        and len(line.split()) <= fmt.TITLE_MAX_WORDS
    )


def _is_heading_like(line: str) -> bool:
    """Short, capitalised, not ending like a sentence: the shape of a heading (markers aside)."""
    return (
        bool(line)
        and line[0].isupper()
        and not line.endswith(_HEADING_END_PUNCT)
        and len(line.split()) <= fmt.HEADING_MAX_WORDS
    )


def _read_body_line(body: _Body, raw: str, number: int) -> None:
    line = raw.strip()
    if not line:
        return
    if line.startswith(fmt.BULLET):
        _add_bullet(body, line[len(fmt.BULLET) :].strip(), number)
        return
    pieces = split_markers(line, body.source, number)
    if len(pieces) == 1 and not pieces[0].markers and _is_heading_like(line):
        _add_section(body, line, number)
        return
    body.lead_in = None
    for position, piece in enumerate(pieces):
        last = position == len(pieces) - 1
        if last and piece.text.endswith(":"):
            body.lead_in = _add_statement(body, piece.text, number, "lead-in", piece.markers)
        else:
            for sentence in _sentences(piece):
                _add_statement(body, sentence.text, number, "sentence", sentence.markers)


def _add_section(body: _Body, title: str, number: int) -> None:
    level = 2 if title.endswith(":") else 1
    title = title.removesuffix(":").strip() if level == 2 else title
    index = len(body.sections)
    parent = body.level1 if level == 2 else None
    body.sections.append(Section(index, title, level, number, parent))
    if level == 1:
        body.level1 = index
    body.current = index
    body.lead_in = None


def _add_bullet(body: _Body, text: str, number: int) -> None:
    pieces = split_markers(text, body.source, number, whole=True)
    if not pieces:
        return  # a bare bullet glyph carries nothing to state
    piece = pieces[0]
    lead_in = body.lead_in
    inherited = not piece.markers and lead_in is not None
    markers = body.statements[lead_in].citations if inherited and lead_in is not None else ()
    _add_statement(
        body,
        piece.text,
        number,
        "bullet",
        markers or piece.markers,
        inherited=inherited and bool(markers),
        lead_in=lead_in,
    )


def _add_statement(
    body: _Body,
    text: str,
    number: int,
    kind: StatementKind,
    markers: tuple[int, ...],
    *,
    inherited: bool = False,
    lead_in: int | None = None,
) -> int:
    index = len(body.statements)
    body.statements.append(
        Statement(
            index=index,
            text=text,
            section=body.current,
            line=number,
            kind=kind,
            citations=markers,
            citations_inherited=inherited,
            lead_in=lead_in,
            statistics=find_statistics(text),
        )
    )
    return index


def _sentences(piece: _Piece) -> list[_Piece]:
    """A marked run stays one statement; an unmarked run is split into sentences by pysbd."""
    if piece.markers:
        return [piece]
    spans = _SEGMENTER.segment(piece.text)
    texts = [span.sent.strip() for span in spans if span.sent.strip()]
    return [_Piece(t, ()) for t in texts] or [piece]


def split_markers(line: str, source: str, number: int, *, whole: bool = False) -> list[_Piece]:
    """Cut a line at its citation markers: runs of text, each with the markers printed after it.

    `whole=True` keeps the line as one run (bullets) and only strips the trailing markers.
    """
    pieces: list[_Piece] = []
    start = 0
    if not whole:
        for match in _MARKERS_AFTER_PUNCT.finditer(line):
            markers = _marker_numbers(match.group("markers"), source, number)
            pieces.append(_Piece(line[start : match.start()].strip(), markers))
            start = match.end()
    rest = line[start:].strip()
    if rest:
        pieces.append(_trailing_markers(rest, source, number))
    return pieces


def _trailing_markers(text: str, source: str, number: int) -> _Piece:
    """Split markers printed at the end of an unpunctuated run ("Entire leg swollen 2")."""
    match = _MARKERS_AT_END.search(text)
    if match is None:
        return _Piece(text, ())
    numbers = list(re.finditer(r"\d+", match.group("markers")))
    # Content numbers come before markers: only the rising run at the end counts as markers.
    first = len(numbers) - 1
    while first > 0 and int(numbers[first - 1].group()) < int(numbers[first].group()):
        first -= 1
    cut = match.start("markers") + numbers[first].start()
    head = text[:cut].rstrip(" ,")
    words = head.split()
    if not words or (first == 0 and _quantity_before(words)):
        return _Piece(text, ())
    return _Piece(head, _marker_numbers(text[cut : match.end("markers")], source, number))


def _quantity_before(words: list[str]) -> bool:
    """True when the number after these words is a quantity ("age over 65", "age 7" of a child)."""
    last = words[-1].lower()
    if last == "age" and len(words) > 1 and words[-2].lower() in _AGE_AS_ITEM:
        return False
    return last in _QUANTITY_WORDS


def _marker_numbers(group: str, source: str, number: int) -> tuple[int, ...]:
    values = tuple(int(n) for n in re.split(r"\s*,\s*|\s+", group.strip()))
    for value in values:
        if value == 0 or value > fmt.MAX_MARKER:
            raise ArticleParseError(source, number, f"citation marker {value} is out of range")
    return values


def _parse_references(lines: list[str], start: int, source: str) -> tuple[ReferenceEntry, ...]:
    """The printed reference list: groups of type / title / "journal, year" lines.

    `start` is the index of the line after the `References` heading (= the heading's number).
    """
    rows: list[tuple[int, str]] = []
    for i in range(start, len(lines)):
        line = lines[i].strip()
        if line in fmt.TRAILER_HEADINGS:
            break
        if line:
            rows.append((i + 1, line))
    if not rows:
        raise ArticleParseError(source, start, "the References section lists no references")
    entries: list[ReferenceEntry] = []
    for offset in range(0, len(rows), 3):
        group = rows[offset : offset + 3]
        entries.append(_reference(group, len(entries) + 1, source))
    return tuple(entries)


_JOURNAL_YEAR: Final[re.Pattern[str]] = re.compile(r"^(?P<journal>.+),\s*(?P<tail>[^,]*)$")
_YEAR: Final[re.Pattern[str]] = re.compile(r"(?<!\d)(\d{4})(?!\d)")
_TYPE_LINE: Final[re.Pattern[str]] = re.compile(r"^[A-Z][A-Za-z-]*(?: [A-Za-z-]+){0,3}$")


def _reference(group: list[tuple[int, str]], position: int, source: str) -> ReferenceEntry:
    first_line, kind = group[0]
    if not _TYPE_LINE.match(kind):
        raise ArticleParseError(
            source, first_line, f"reference {position}: expected a type line, found {kind!r}"
        )
    if len(group) < 3:
        raise ArticleParseError(
            source,
            group[-1][0],
            f"reference {position} (from line {first_line}) is incomplete: "
            "expected type, title and 'journal, year' lines; the file looks truncated",
        )
    (_, title), (journal_line, journal_year) = group[1], group[2]
    match = _JOURNAL_YEAR.match(journal_year)
    years = _YEAR.findall(match.group("tail")) if match else []
    if match is None or not years:
        raise ArticleParseError(
            source,
            journal_line,
            f"reference {position}: expected 'journal, year', found {journal_year!r}",
        )
    year = int(years[-1])
    if not 1500 <= year <= 2100:
        raise ArticleParseError(
            source, journal_line, f"reference {position}: {year} is not a plausible year"
        )
    return ReferenceEntry(position, kind, title, match.group("journal").strip(), year, first_line)
