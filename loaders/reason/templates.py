"""Rule and check text from templates whose slots take RDF terms only.

The compiler writes SPARQL by filling `$name` slots of the templates it owns with ontology terms
(IRIs, literals, variables), each written by its own `.n3()`, or with fragments this module made
the same way. No slot takes a plain string, so no text from outside can enter a rule.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from string import Template

from rdflib import Literal, URIRef, Variable
from rdflib.term import Node

from clinkg.errors import UnsupportedAxiom

# Characters an IRI reference cannot hold in SPARQL (RFC 3987 / SPARQL IRIREF).
_NOT_IN_IRI = re.compile(r'[\x00-\x20<>"{}|^`\\]')


class Fragment(str):
    """SPARQL text made by `fill` (or `join`): the only text a slot accepts."""

    __slots__ = ()


Slot = Node | Fragment | Sequence[Node] | Sequence[Sequence[Node]]


def fill(template: str, **slots: Slot) -> Fragment:
    """The template with every `$name` replaced by its slot written as SPARQL."""
    return Fragment(Template(template).substitute({k: _text(v) for k, v in slots.items()}))


def join(fragments: Sequence[Fragment], separator: str = "\n    ") -> Fragment:
    """Fragments one after another (a group graph pattern's parts)."""
    return Fragment(separator.join(fragments))


def _text(slot: Slot) -> str:
    if isinstance(slot, Fragment):
        return slot
    if isinstance(slot, URIRef | Literal | Variable):
        return term_text(slot)
    if isinstance(slot, Sequence) and not isinstance(slot, str):
        return " ".join(_row(item) for item in slot)
    raise TypeError(f"a rule slot takes RDF terms, not {type(slot).__name__}")


def _row(item: Node | Sequence[Node]) -> str:
    if isinstance(item, Sequence) and not isinstance(item, str):
        return "(" + " ".join(term_text(term) for term in item) + ")"
    return term_text(item)


def term_text(term: Node) -> str:
    """One RDF term as SPARQL; an IRI that SPARQL cannot hold is refused by name."""
    if isinstance(term, URIRef):
        if _NOT_IN_IRI.search(term):
            raise UnsupportedAxiom(f"the IRI {term!r} cannot be written in a SPARQL rule")
        return term.n3()
    if isinstance(term, Literal | Variable):
        return term.n3()
    raise UnsupportedAxiom(f"a rule cannot name the blank node {term.n3()}")
