"""CSV that a spreadsheet cannot execute: cells that would start a formula are neutralised.

A cell beginning with `=`, `+`, `-`, `@` (or a tab or carriage return, which some spreadsheets
skip before reading a formula) gets a leading apostrophe, OWASP's advice for CSV injection.
Plain numbers such as `-3.5` are left alone: a spreadsheet reads them as numbers, not formulas.
Every CSV clinkg produces (the /sparql endpoint, the CLI, downloads from the pages) goes through
here.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence
from typing import Final

FORMULA_STARTS: Final = ("=", "+", "-", "@", "\t", "\r")
_NUMBER: Final = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?\Z")


def neutralise(cell: str) -> str:
    """The cell as text a spreadsheet will show rather than evaluate."""
    if cell.startswith(FORMULA_STARTS) and not _NUMBER.match(cell):
        return "'" + cell
    return cell


def csv_text(columns: Sequence[str], rows: Iterable[Sequence[object]], newline: str = "\n") -> str:
    """Columns and rows as CSV, every cell neutralised; a missing value (None) is an empty cell."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator=newline)
    writer.writerow([neutralise(column) for column in columns])
    writer.writerows([neutralise(cell_text(cell)) for cell in row] for row in rows)
    return buffer.getvalue()


def cell_text(value: object) -> str:
    """A value as a cell: empty when there is none, else its text."""
    return "" if value is None else str(value)


def neutralise_csv(body: bytes) -> bytes:
    """A SPARQL CSV results document (UTF-8, CRLF lines) with every cell neutralised."""
    text = body.decode("utf-8")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    if not rows:
        return body
    return csv_text(rows[0], rows[1:], newline="\r\n").encode("utf-8")
