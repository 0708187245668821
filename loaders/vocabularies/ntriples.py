"""A streaming N-Triples writer: terms as text, for bulk loads that never hold a graph in memory.

rdflib would build a Python object per term; for millions of triples the text is written
directly. Only ground triples are written (no blank nodes), so a remote store can receive them
in chunks without a blank node splitting in two.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import Final

# N-Triples IRIREF excludes these characters; an IRI holding one is refused, not escaped.
_BAD_IRI: Final = re.compile(r'[\x00-\x20<>"{}|^`\\]')
_ESCAPES: Final = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r"})
CHUNK_CHARS: Final = 1 << 20


def iri(value: str) -> str:
    """`<value>`; ValueError when `value` cannot be an N-Triples IRI."""
    if _BAD_IRI.search(value) or ":" not in value:
        raise ValueError(f"not an absolute IRI: {value!r}")
    return f"<{value}>"


def is_iri(value: str) -> bool:
    """True when `value` can be written as an N-Triples IRI."""
    return ":" in value and not _BAD_IRI.search(value)


def literal(text: str, datatype: str | None = None) -> str:
    """A string literal (or one of `datatype`, given as `<iri>`), escaped for N-Triples."""
    quoted = '"' + text.translate(_ESCAPES) + '"'
    return quoted if datatype is None else f"{quoted}^^{datatype}"


class Counter:
    """How many triples (lines) a stream of chunks has carried so far."""

    def __init__(self) -> None:
        self.triples = 0


def chunked(pieces: Iterable[str], counter: Counter, size: int = CHUNK_CHARS) -> Iterator[bytes]:
    """Pieces of N-Triples text (whole lines) joined into UTF-8 chunks of about `size` chars."""
    batch: list[str] = []
    length = 0
    for piece in pieces:
        batch.append(piece)
        length += len(piece)
        if length >= size:
            yield _counted("".join(batch).encode("utf-8"), counter)
            batch, length = [], 0
    if batch:
        yield _counted("".join(batch).encode("utf-8"), counter)


def _counted(chunk: bytes, counter: Counter) -> bytes:
    # Literals are written with escaped newlines, so each newline ends one triple.
    counter.triples += chunk.count(b"\n")
    return chunk
