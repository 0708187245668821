"""The text a remote SPARQL server receives: queries with bound values, and graph replacements.

Over HTTP there is no engine binding mechanism, so values travel as a VALUES block and triples
(blank nodes skolemised by the caller) as INSERT DATA, every term serialized by rdflib's `.n3()`
(its escaping), never pasted as text.
The VALUES block opens the WHERE group rather than trailing the query (rdflib SPARQLStore's
way): a trailing block joins after the filters ran, so a variable used only inside
`FILTER EXISTS` (conditions-by-feature's ?site) would match everything. Inside the group,
filters and EXISTS see the bound value, as with pyoxigraph's substitutions.
"""

from __future__ import annotations

import functools
import re
import threading
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any, Final

from pyparsing import ParseException, ParseResults
from rdflib import BNode, Literal, URIRef, Variable
from rdflib.plugins.sparql.parser import parseQuery
from rdflib.term import Node

from clinkg.errors import QueryError
from clinkg.sparql_text import where_group_start

# Triples per INSERT DATA operation: some servers compile each operation whole (Virtuoso refuses
# one of a few thousand triples); none limits how many operations a request holds.
PER_INSERT: Final = 1000
_VARIABLE_NAME: Final = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")
# rdflib's pyparsing grammar keeps per-parse state, so parses must not run concurrently.
_PARSE_LOCK: Final = threading.Lock()


def bind_values(sparql: str, bindings: Mapping[str, Node]) -> str:
    """The query with `bindings` as a VALUES block opening its WHERE group."""
    if not bindings:
        return sparql
    names = tuple(bindings)
    terms = [_value_n3(name, bindings[name]) for name in names]
    position = _binding_position(sparql, names)
    block = _values_block(names, terms)
    return " ".join((sparql[:position], block, sparql[position:]))


def replacing_update(
    graphs: Mapping[URIRef, Iterable[tuple[Node, Node, Node]]],
    per_insert: int = PER_INSERT,
    *,
    adding: Mapping[URIRef, Iterable[tuple[Node, Node, Node]]] | None = None,
    removing: Mapping[URIRef, Iterable[tuple[Node, Node, Node]]] | None = None,
) -> str:
    """One update request that drops each graph and inserts its new triples, deletes the
    triples `removing` names from their graphs, then inserts those `adding` names (no blank
    nodes), at most `per_insert` triples in each INSERT or DELETE DATA operation."""
    operations: list[str] = []
    for name, triples in graphs.items():
        graph = _graph_n3(name)
        operations.append(" ".join(("DROP", "SILENT", "GRAPH", graph)))
        lines = [_triple_n3(triple) for triple in triples]
        operations.extend(inserts(graph, lines, per_insert))
    for keyword, change in (("DELETE", removing), ("INSERT", adding)):
        for name, triples in (change or {}).items():
            lines = [_triple_n3(triple) for triple in triples]
            operations.extend(inserts(_graph_n3(name), lines, per_insert, keyword))
    return " ;\n".join(operations)


def inserts(
    graph: str, lines: Sequence[str], per_insert: int = PER_INSERT, keyword: str = "INSERT"
) -> Iterator[str]:
    """INSERT DATA operations putting the triple `lines` (N3 text) in `graph` (an N3 IRI), or
    DELETE DATA ones taking them out."""
    for start in range(0, len(lines), per_insert):
        batch = "\n".join(lines[start : start + per_insert])
        yield " ".join((keyword, "DATA", "{", "GRAPH", graph, "{", batch, "}", "}"))


def _values_block(names: tuple[str, ...], terms: list[str]) -> str:
    variables = [Variable(name).n3() for name in names]
    return " ".join(("VALUES", "(", *variables, ")", "{", "(", *terms, ")", "}"))


def _value_n3(name: str, term: Node) -> str:
    if not _VARIABLE_NAME.match(name):
        raise QueryError(f"'{name}' is not a SPARQL variable name")
    if isinstance(term, URIRef | Literal):
        return _n3(term)
    raise QueryError(f"?{name}: only IRIs and literals can be bound remotely, not {term!r}")


@functools.lru_cache(maxsize=256)
def _binding_position(sparql: str, names: tuple[str, ...]) -> int:
    """Where the VALUES block goes, checked by parsing the query with a placeholder block."""
    tree = _parse(sparql)
    if tree.name not in ("SelectQuery", "AskQuery"):
        raise QueryError("parameters can only be bound in a SELECT or ASK query")
    missing = [name for name in names if Variable(name) not in _bindable(tree)]
    if missing:
        raise QueryError(f"the query does not contain ?{missing[0]} in its SELECT projection")
    position = where_group_start(sparql)
    if position is not None:
        undefined = ["UNDEF"] * len(names)
        probe = " ".join((sparql[:position], _values_block(names, undefined), sparql[position:]))
        try:
            parts = dict.get(_parse(probe).where, "part") or []
        except QueryError:
            parts = []
        if parts and parts[0].name == "InlineData":
            return position
    raise QueryError("cannot bind parameters into this query: its WHERE group is a sub-select")


def _parse(sparql: str) -> Any:
    """rdflib's parse tree of the query (its first and only query)."""
    try:
        with _PARSE_LOCK:
            return parseQuery(sparql)[1]
    except ParseException as error:
        raise QueryError(f"the query does not parse: {error}") from error


def _bindable(tree: Any) -> set[Variable]:
    """Variables a value may be bound to: the projection, or every variable for * and ASK."""
    # CompValue.get answers a missing key with the key itself, so read it as a plain dict.
    projection = dict.get(tree, "projection") if tree.name == "SelectQuery" else None
    if projection:
        return {item["var"] if "var" in item else item["evar"] for item in projection}
    return set(_variables(tree))


def _variables(node: object) -> Iterator[Variable]:
    if isinstance(node, Variable):
        yield node
    elif isinstance(node, ParseResults | list | tuple):
        # Before Mapping: ParseResults is one too, but its items are in the sequence.
        for item in node:
            yield from _variables(item)
    elif isinstance(node, Mapping):
        for value in node.values():
            yield from _variables(value)


def _triple_n3(triple: tuple[Node, Node, Node]) -> str:
    subject, predicate, obj = triple
    if isinstance(subject, BNode) or isinstance(obj, BNode):
        # Labels cannot be shared between INSERT DATA operations: the caller skolemises.
        raise TypeError(f"a blank node cannot be sent in a triple, skolemise it: {triple!r}")
    if not isinstance(subject, URIRef):
        raise TypeError(f"a subject must be an IRI or a blank node: {subject!r}")
    if not isinstance(predicate, URIRef):
        raise TypeError(f"a predicate must be an IRI: {predicate!r}")
    if not isinstance(obj, URIRef | Literal):
        raise TypeError(f"cannot store {type(obj).__name__} {obj!r}")
    return " ".join((_n3(subject), _n3(predicate), _n3(obj), "."))


def _graph_n3(name: URIRef) -> str:
    if not isinstance(name, URIRef):
        raise TypeError(f"a graph name must be an IRI: {name!r}")
    return _n3(name)


def _n3(term: URIRef | Literal) -> str:
    try:
        return term.n3()
    except Exception as error:  # rdflib raises a bare Exception for an IRI it cannot write
        raise QueryError(f"cannot send {term!r}: {error}") from error
