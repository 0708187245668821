"""Keywords of a SPARQL text, read past strings, IRIs and comments (no full parse needed).

Used where a decision depends on a clause being present (FROM, SERVICE) before the engine runs;
and whether a text is an IRI at all, before it reaches the engine as one.
"""

from __future__ import annotations

import re

import pyoxigraph as ox

_OPAQUE = re.compile(
    r'"""(?:[^"\\]|\\.|"(?!""))*"""'
    r"|'''(?:[^'\\]|\\.|'(?!''))*'''"
    r'|"(?:[^"\\\n]|\\.)*"'
    r"|'(?:[^'\\\n]|\\.)*'"
    r'|<[^<>"{}|^`\\\s]*>'
    r"|#[^\n]*",
    re.DOTALL,
)


def has_keyword(sparql: str, keyword: str) -> bool:
    """Whether `keyword` occurs as a keyword (not in a string, IRI, comment, name or variable)."""
    bare = _OPAQUE.sub(" ", sparql)
    pattern = r"(?<![\w?$:.-])" + re.escape(keyword) + r"(?![\w:.-])"
    return re.search(pattern, bare, re.IGNORECASE) is not None


_FORMS = re.compile(
    r"(?<![\w?$:.-])(SELECT|CONSTRUCT|DESCRIBE|ASK|INSERT|DELETE|LOAD|CLEAR|CREATE|DROP|COPY"
    r"|MOVE|ADD|WITH)(?![\w:.-])",
    re.IGNORECASE,
)


def _blanked(sparql: str) -> str:
    """The text with strings, IRIs and comments replaced by spaces of the same length."""
    return _OPAQUE.sub(lambda match: " " * len(match.group()), sparql)


def query_form(sparql: str) -> str | None:
    """The first query or update keyword (SELECT, CONSTRUCT, ..., INSERT, DROP), upper-cased."""
    match = _FORMS.search(_blanked(sparql))
    return match.group(1).upper() if match else None


def where_group_start(sparql: str) -> int | None:
    """Index just inside the `{` opening the query's WHERE group (the first outside brackets)."""
    depth = 0
    for index, char in enumerate(_blanked(sparql)):
        if char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif char == "{" and depth == 0:
            return index + 1
    return None


def iri_problem(text: str) -> str | None:
    """Why `text` is not an absolute IRI (RFC 3987, as the engine reads one), or None if it is."""
    try:
        ox.NamedNode(text)
    except ValueError as error:
        return f"'{text}' is not a valid IRI ({error})"
    return None
