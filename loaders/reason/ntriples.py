"""rdflib triples to N-Triples lines and back, without rdflib's per-term machinery: the rules'
store takes the input in one parse (`Store.load`), and what the rules added comes back as the
lines Oxigraph serialises, so each triple crosses between Python and Oxigraph once, as text.

An IRI is written as `<iri>` and read back from it: the form Oxigraph's N-Triples writer gives
it, so that a line written here and one Oxigraph wrote for the same triple are equal strings.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass

from rdflib import RDF, BNode, Literal, URIRef
from rdflib.term import Node

Triple = tuple[Node, Node, Node]
RDF_TYPE = f"<{RDF.type}>"
_ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r"})


@dataclass(frozen=True)
class Written:
    """The kept triples as N-Triples, and the IRIs with an rdf:type (the named individuals)."""

    text: bytes
    typed: frozenset[str]


def term_text(node: Node) -> str:
    """One RDF term as N-Triples."""
    if node.__class__ is URIRef or isinstance(node, URIRef):
        return f"<{node}>"
    if isinstance(node, Literal):
        return _literal_text(node)
    if isinstance(node, BNode):
        return f"_:{node}"
    raise TypeError(f"cannot write {type(node).__name__} {node!r} as N-Triples")


def _literal_text(node: Literal) -> str:
    """A literal as N-Triples; its lexical form escaped only where it holds a character that
    must be (translating every character of a long text is the costly part)."""
    lexical: str = node
    if '"' in node or "\\" in node or "\n" in node or "\r" in node:
        lexical = str.translate(node, _ESCAPES)
    if node.language:
        return f'"{lexical}"@{node.language}'
    if node.datatype is not None:
        return f'"{lexical}"^^<{node.datatype}>'
    return f'"{lexical}"'


def write(triples: Iterable[Triple], named: Collection[str] | None = None) -> Written:
    """The triples as N-Triples: all of them, or those a program naming the IRIs `named`
    (each written `<iri>`) can read: whose predicate is named, or rdf:type with a named class.
    Every typed IRI is kept in `typed`, its type written or not."""
    lines: list[str] = []
    typed: set[str] = set()
    for s, p, o in triples:
        predicate = f"<{p}>"
        is_type = predicate == RDF_TYPE
        if not is_type and named is not None and predicate not in named:
            continue
        subject = f"<{s}>" if s.__class__ is URIRef else term_text(s)
        value = f"<{o}>" if o.__class__ is URIRef else term_text(o)
        if is_type:
            if subject[0] == "<":
                typed.add(subject)
            if named is not None and value not in named:
                continue
        lines.append(f"{subject} {predicate} {value} .")
    return Written("\n".join(lines).encode(), frozenset(typed))


def iri_triples(lines: Iterable[str]) -> Iterator[tuple[str, str, str]]:
    """The three IRIs (each as `<iri>`) of each line `<s> <p> <o> .` (an IRI holds no space);
    lines with a literal or a blank node are skipped."""
    for line in lines:
        parts = line.split(" ")
        if len(parts) == 4 and parts[0][0] == "<" and parts[2][0] == "<":
            yield parts[0], parts[1], parts[2]


class Terms:
    """rdflib IRIs made once per distinct `<iri>` text (the read-out repeats classes and
    properties on every line)."""

    def __init__(self) -> None:
        self._made: dict[str, URIRef] = {}

    def __call__(self, text: str) -> URIRef:
        found = self._made.get(text)
        if found is None:
            found = self._made[text] = URIRef(text[1:-1])
        return found
