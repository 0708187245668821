"""What a public query may do: parsed (rdflib's SPARQL grammar) before any engine sees it.

Refused with a plain message (400): anything that is not a query (updates, LOAD), SERVICE in any
form and at any depth (SILENT, a variable endpoint, inside EXISTS or a sub-select), and FROM /
FROM NAMED naming a graph the store does not hold. Both engines we ship would otherwise open
outbound connections (pyoxigraph fetches SERVICE even when SILENT; rdflib reads `file:` FROMs).
A query rdflib cannot parse is refused too, even if another engine would accept it: what is not
understood is not run.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Mapping
from functools import lru_cache
from typing import Any, Final
from urllib.parse import urlsplit

from pyparsing import ParseBaseException, ParseResults
from rdflib import URIRef
from rdflib.plugins.sparql.algebra import translateQuery
from rdflib.plugins.sparql.parser import parseQuery, parseUpdate
from rdflib.plugins.sparql.parserutils import CompValue

from clinkg.errors import QueryError, QueryRefused
from clinkg.sparql_requests import _PARSE_LOCK as PARSE_LOCK
from clinkg.sparql_text import has_keyword

READ_ONLY: Final = (
    "this endpoint is read-only: SPARQL updates (INSERT, DELETE, LOAD, CLEAR, ...) are not accepted"
)
NO_SERVICE: Final = "federated queries (SERVICE) are not allowed on this endpoint"
FORMS: Final = {
    "SelectQuery": "SELECT",
    "ConstructQuery": "CONSTRUCT",
    "AskQuery": "ASK",
    "DescribeQuery": "DESCRIBE",
}
# Graph names that cannot be dereferenced; a protocol dataset may name them even if absent.
OPAQUE_SCHEMES: Final = frozenset({"urn", "tag"})

GraphNames = Callable[[], Collection[str]]


def check_query(
    sparql: str,
    local_graphs: GraphNames,
    default_graphs: Iterable[str] = (),
    named_graphs: Iterable[str] = (),
    *,
    check_protocol_dataset: bool = True,
) -> str:
    """The query's form (SELECT, ASK, ...) if the public may run it, else QueryRefused/QueryError.

    `local_graphs` is called only when a graph name must be checked (it may cost a query).
    `default_graphs` / `named_graphs` are the SPARQL Protocol's dataset parameters; with
    `check_protocol_dataset` off (an engine that only ever reads them as names, as the embedded
    store does) they are not checked, so a dataset of absent graphs is simply empty.
    """
    form, has_service, from_default, from_named = _read(sparql)
    if has_service:
        raise QueryRefused(NO_SERVICE)
    protocol = [*default_graphs, *named_graphs] if check_protocol_dataset else []
    if from_default or from_named or protocol:
        local = set(local_graphs())
        for name in (*from_default, *from_named):
            if name not in local:
                raise QueryRefused(f"FROM <{name}> names no graph in this store")
        for name in protocol:
            if name not in local and urlsplit(name).scheme.lower() not in OPAQUE_SCHEMES:
                raise QueryRefused(f"the dataset names <{name}>, which is no graph in this store")
    return form


def dataset_clauses(sparql: str) -> tuple[tuple[URIRef, ...], tuple[URIRef, ...]] | None:
    """The graphs a query's FROM and FROM NAMED name, or None when rdflib cannot read it.

    Some servers let a union default graph override FROM (Oxigraph server does); sent as the
    Protocol's dataset instead, the query's own clauses are honoured everywhere.
    """
    try:
        _, _, default, named = _read(sparql)
    except (QueryError, QueryRefused):
        return None
    return tuple(URIRef(g) for g in default), tuple(URIRef(g) for g in named)


@lru_cache(maxsize=2048)
def _read(sparql: str) -> tuple[str, bool, tuple[str, ...], tuple[str, ...]]:
    """What the guard needs from a query text: its form, SERVICE or not, its FROM clauses.

    Parsing with rdflib costs milliseconds, so the reading of a text is kept: the same text
    always reads the same (refusals raise and are not kept). Whether its FROM graphs exist is
    checked on every call, since that depends on the store.
    """
    parsed = _parse(sparql)
    tree = parsed[1]
    # The keyword scan is a second, independent look: it also sees a SERVICE that a parser
    # discrepancy might hide from the tree walk.
    has_service = has_keyword(sparql, "SERVICE") or _contains(tree, "ServiceGraphPattern")
    from_default, from_named = ([], []) if has_service else _dataset_clauses(parsed)
    return FORMS[tree.name], has_service, tuple(from_default), tuple(from_named)


def _parse(sparql: str) -> ParseResults:
    """The query's parse (prologue, query); an update or an unparsable text is refused."""
    try:
        with PARSE_LOCK:
            return parseQuery(sparql)
    except ParseBaseException as error:
        if _is_update(sparql):
            raise QueryRefused(READ_ONLY) from None
        message = f"the query does not parse: error at {error.lineno}:{error.col}: {error.msg}"
        raise QueryError(message) from None
    except RecursionError:
        raise QueryError("the query is nested too deeply to be read") from None


def _is_update(sparql: str) -> bool:
    try:
        with PARSE_LOCK:
            parseUpdate(sparql)
    except (ParseBaseException, RecursionError):
        return False
    return True


def _contains(tree: object, name: str) -> bool:
    """Whether a node called `name` occurs anywhere in the parse tree (walked without recursion)."""
    stack: list[object] = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, CompValue):
            if node.name == name:
                return True
            stack.extend(dict.values(node))
        elif isinstance(node, ParseResults | list | tuple):
            stack.extend(node)
        elif isinstance(node, Mapping):
            stack.extend(node.values())
    return False


def _dataset_clauses(parsed: ParseResults) -> tuple[list[str], list[str]]:
    """The IRIs of FROM and FROM NAMED, prefixes and base resolved."""
    if not dict.get(parsed[1], "datasetClause"):
        return [], []
    try:
        with PARSE_LOCK:
            clauses: list[Any] = translateQuery(parsed).algebra.get("datasetClause")
    except Exception as error:  # rdflib's algebra raises bare Exceptions (unknown prefix ...)
        raise QueryError(f"the query's dataset cannot be read: {error}") from None
    default = [str(d["default"]) for d in clauses if isinstance(dict.get(d, "default"), URIRef)]
    named = [str(d["named"]) for d in clauses if isinstance(dict.get(d, "named"), URIRef)]
    if len(default) + len(named) != len(clauses):
        raise QueryError("the query's FROM clauses name something other than IRIs")
    return default, named
