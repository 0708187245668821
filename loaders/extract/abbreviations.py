"""Abbreviations an article defines: "long form (ABBR)", found as Schwartz and Hearst do.

Schwartz & Hearst (2003), "A simple algorithm for identifying abbreviation definitions in
biomedical text": the long form is the shortest run of words before the parenthesis whose
characters contain the short form's letters in order, its first letter starting a word.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final

_PARENTHESIS: Final[re.Pattern[str]] = re.compile(r"\(([^()]{2,12})\)")
# A short form: one token, a letter first, at least two capitals ("GCA", "PMR", "SpA", "AKPS").
_SHORT: Final[re.Pattern[str]] = re.compile(r"^[A-Za-z][A-Za-z0-9\-]*$")
_CLAUSE_BREAK: Final[re.Pattern[str]] = re.compile(r"[,;:()\[\]]|\s[-\u2013\u2014]\s")


@dataclass(frozen=True)
class Definition:
    """An abbreviation and the words it stands for, with the long form's span in the text."""

    long: str
    short: str
    start: int
    end: int


def is_short_form(token: str) -> bool:
    """True for a token that can be an abbreviation: one word, two or more capitals."""
    return bool(_SHORT.match(token)) and sum(c.isupper() for c in token) >= 2


def definitions(text: str) -> list[Definition]:
    """Every "long form (ABBR)" of a text, in order; "(ABBR, …)" takes the first token."""
    found = []
    for match in _PARENTHESIS.finditer(text):
        short = re.split(r"[,;]", match.group(1))[0].strip()
        if not is_short_form(short):
            continue
        window_start = _window_start(text, match.start(), short)
        long = _long_form(short, text[window_start : match.start()].rstrip())
        if long is not None:
            start = text.rindex(long, window_start, match.start())
            found.append(Definition(long, short, start, start + len(long)))
    return found


def _window_start(text: str, end: int, short: str) -> int:
    """Start of the words a long form may use: at most min(|A| + 5, 2|A|) words, one clause."""
    before = text[:end]
    breaks = list(_CLAUSE_BREAK.finditer(before))
    start = breaks[-1].end() if breaks else 0
    words = list(re.finditer(r"\S+", before[start:]))
    limit = min(len(short) + 5, 2 * len(short))
    if len(words) > limit:
        start += words[-limit].start()
    return start


def _long_form(short: str, candidate: str) -> str | None:
    """The shortest tail of `candidate` that the short form abbreviates, or None."""
    s, c = len(short) - 1, len(candidate) - 1
    while s >= 0:
        char = short[s].lower()
        if not char.isalnum():
            s -= 1
            continue
        while c >= 0 and (
            candidate[c].lower() != char or (s == 0 and c > 0 and candidate[c - 1].isalnum())
        ):
            c -= 1
        if c < 0:
            return None
        c -= 1
        s -= 1
    start = candidate.rfind(" ", 0, c + 1) + 1
    long = candidate[start:].strip()
    if not long or len(long) <= len(short) or long.lower().startswith(short.lower()):
        return None
    return long
