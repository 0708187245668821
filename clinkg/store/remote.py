"""A `Store` on any SPARQL 1.1 server as it comes: queries over the Protocol, loads as Update.

No server configuration is needed. Every graph a load writes is listed in a registry graph on
the server, written in the same update request, and every query names the listed graphs as its
default graph and its named graphs (so it sees what the embedded store's union default graph
sees, and not the server's own system graphs). How to name them is detected once: the
Protocol's `default-graph-uri` / `named-graph-uri` parameters, else FROM / FROM NAMED clauses,
else the server's default graph when that is the union of its named graphs; a server that can
do none of these is refused with what to configure. Blank nodes are written as skolem IRIs
(`/.well-known/genid/`) and read back as blank nodes; answers are made server-neutral in
`clinkg.store.remote_quirks`, requests are sent by `clinkg.store.protocol`.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import Any, Final, Literal
from urllib.parse import urlsplit

from rdflib import BNode, Dataset, Graph, URIRef
from rdflib.term import Node

from clinkg.errors import ClinkgError, NotAcceptable, QueryError, StoreReadOnly, StoreUnavailable
from clinkg.query_guard import dataset_clauses
from clinkg.sparql_requests import bind_values, inserts, replacing_update
from clinkg.sparql_text import _blanked, has_keyword, query_form, where_group_start
from clinkg.store import Row, SerializedResult, Term
from clinkg.store import remote_quirks as answers
from clinkg.store.media_types import GRAPH_FORMATS, RESULT_FORMATS, choose
from clinkg.store.protocol import PASSWORD_ENV, USER_ENV, Answer, ProtocolClient
from clinkg.store.protocol import Dataset as Names

__all__ = ["DEFAULT_TIMEOUT", "PASSWORD_ENV", "USER_ENV", "RemoteStore"]

DEFAULT_TIMEOUT: Final = 30
EXPORT_FORMATS: Final = {
    "text/turtle": "turtle",
    "application/n-triples": "nt",
    "text/plain": "nt",
    "application/ld+json": "json-ld",
    "application/rdf+xml": "xml",
    "application/n-quads": "nquads",
    "application/trig": "trig",
}
DATASET_FORMATS: Final = frozenset({"nquads", "trig", "json-ld"})
READ_FORMS: Final = frozenset({"SELECT", "ASK", "CONSTRUCT", "DESCRIBE"})
ALL_QUADS: Final = "SELECT ?s ?p ?o ?g WHERE { GRAPH ?g { ?s ?p ?o } }"
GRAPH_NAMES: Final = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"
# The graphs clinkg wrote, one `<graph> a sd:NamedGraph` each; never itself part of a dataset.
REGISTRY: Final = URIRef("urn:clinkg:remote:graphs")
NAMED_GRAPH: Final = URIRef("http://www.w3.org/ns/sparql-service-description#NamedGraph")
# A graph nobody writes: names an empty dataset part (a server may read an absent part as "all").
NO_GRAPH: Final = "urn:clinkg:remote:no-graph"
REGISTERED: Final = (
    "SELECT ?g WHERE { GRAPH <urn:clinkg:remote:graphs> "
    "{ ?g a <http://www.w3.org/ns/sparql-service-description#NamedGraph> } }"
)
# The registry's triples seen through the server's own default graph: it is the union.
REGISTRY_IN_DEFAULT: Final = (
    "ASK { ?g a <http://www.w3.org/ns/sparql-service-description#NamedGraph> }"
)
ANY_TRIPLE: Final = "ASK { ?s ?p ?o }"
CONFIGURE: Final = (
    "SPARQL server {url} ignores the dataset a query names (default-graph-uri parameters and "
    "FROM clauses alike) and its default graph is not the union of its named graphs: enable "
    "the Protocol's dataset parameters, or make the default graph the union (Oxigraph: serve "
    "--union-default-graph; Fuseki: tdb2:unionDefaultGraph true)"
)

Naming = Literal["protocol", "from", "server"]


class RemoteStore:
    """A `Store` on a SPARQL 1.1 server; without `update_endpoint` it is read-only."""

    def __init__(
        self,
        query_endpoint: str,
        update_endpoint: str | None = None,
        *,
        timeout: int = DEFAULT_TIMEOUT,
        environ: Mapping[str, str] | None = None,
    ) -> None:
        self.query_endpoint = _checked_url(query_endpoint)
        self.update_endpoint = _checked_url(update_endpoint) if update_endpoint else None
        self.timeout = timeout
        env = os.environ if environ is None else environ
        user, password = env.get(USER_ENV), env.get(PASSWORD_ENV)
        credentials = (user, password) if user and password else None
        self._client = ProtocolClient(
            self.query_endpoint, self.update_endpoint, timeout, credentials
        )
        self._naming: Naming | None = None

    def __repr__(self) -> str:
        return f"RemoteStore({self.query_endpoint!r}, {self.update_endpoint!r})"

    def select(self, sparql: str, bindings: Mapping[str, Term] | None = None) -> list[Row]:
        """Run a SELECT; bound values travel as a VALUES block (see clinkg.sparql_requests)."""
        answer = self._json_answer(sparql, bindings, "SELECT")
        try:
            return answers.rows(answer)
        except answers.GarbledAnswer as error:
            raise self._garbled(str(error)) from error

    def ask(self, sparql: str, bindings: Mapping[str, Term] | None = None) -> bool:
        """Run an ASK."""
        return bool(self._json_answer(sparql, bindings, "ASK")["boolean"])

    def query_serialized(
        self,
        sparql: str,
        media_type: str,
        *,
        default_graphs: Sequence[URIRef] | None = None,
        named_graphs: Sequence[URIRef] | None = None,
        base_iri: str | None = None,
    ) -> SerializedResult:
        """Run a read query; the server answers in JSON or N-Triples, clinkg writes `media_type`."""
        form = _read_form(sparql) or "SELECT"
        graph_answer = form in ("CONSTRUCT", "DESCRIBE")
        chosen = choose(media_type, "graph" if graph_answer else "results")
        if base_iri is not None:
            # The Protocol has no base parameter: a BASE declaration first is the same thing.
            sparql = "\n".join((" ".join(("BASE", _n3(URIRef(base_iri)))), sparql))
        given = None
        if default_graphs is not None or named_graphs is not None:
            given = Names(
                [str(g) for g in default_graphs or ()], [str(g) for g in named_graphs or ()]
            )
        accept = answers.GRAPH_WIRE if graph_answer else answers.RESULTS_WIRE
        answer = self._read(sparql, accept, given)
        try:
            if graph_answer:
                self._expect(answer, answers.GRAPH_WIRE_TYPES)
                body = answers.graph_as(answer.body, GRAPH_FORMATS[chosen])
            else:
                self._expect(answer, {answers.RESULTS_WIRE, "application/json"})
                body = answers.results_as(
                    answers.json_answer(answer.body, form), RESULT_FORMATS[chosen]
                )
        except answers.GarbledAnswer as error:
            raise self._garbled(str(error)) from error
        return SerializedResult(body=body, media_type=chosen)

    def replace_graphs(
        self,
        graphs: Mapping[URIRef, Iterable[tuple[Node, Node, Node]]],
        *,
        additions: Mapping[URIRef, Iterable[tuple[Node, Node, Node]]] | None = None,
        removals: Mapping[URIRef, Iterable[tuple[Node, Node, Node]]] | None = None,
    ) -> None:
        """Replace each named graph, take out the removals and add the additions in ONE update
        request (one transaction on a server that makes a request one; the README says which
        do)."""
        update_endpoint = self._writable()
        labels: dict[BNode, URIRef] = {}
        authority = answers.skolem_authority(update_endpoint)
        ground = {
            name: list(answers.sendable(triples, authority, labels))
            for name, triples in graphs.items()
        }
        added, removed = (
            {name: list(answers.sendable(triples, authority, labels)) for name, triples in change}
            for change in ((additions or {}).items(), (removals or {}).items())
        )
        update = replacing_update(ground, adding=added, removing=removed)
        if update:
            listed = [name for name, triples in (*ground.items(), *added.items()) if triples]
            unlisted = [name for name, triples in ground.items() if not triples]
            self._update(" ;\n".join((update, *_registry_update(listed, unlisted))))

    def bulk_load(self, graph: URIRef, ntriples: Iterable[bytes]) -> None:
        """Replace `graph` by a DROP, then one update request per chunk of N-Triples.

        N-Triples lines are valid SPARQL triples, so each chunk's whole lines travel as written
        (a line cut between chunks goes with the next), in INSERT DATA operations of a bounded
        size. A failed request drops the graph again, leaving it empty rather than half loaded.
        """
        name = _n3(graph)
        drop = " ".join(("DROP", "SILENT", "GRAPH", name))
        self._update(" ;\n".join((drop, *_registry_update([graph], []))))
        try:
            for text in _whole_lines(ntriples):
                lines = [line for line in text.split("\n") if line.strip()]
                self._update(" ;\n".join(inserts(name, lines)))
        except BaseException:
            self._update(drop)
            raise

    def graph_names(self) -> list[URIRef]:
        """Named graphs holding triples on the server (the registered ones, when any are)."""
        rows = self.select(GRAPH_NAMES)
        return sorted(g for row in rows if isinstance(g := row["g"], URIRef))

    def export(self, media_type: str) -> bytes:
        """The whole dataset (named graphs kept where the format allows) as `media_type`."""
        rdf_format = EXPORT_FORMATS.get(media_type.split(";")[0].strip().lower())
        if rdf_format is None:
            raise NotAcceptable(f"cannot export as {media_type}")
        dataset = Dataset()
        union = Graph()
        for row in self.select(ALL_QUADS):
            triple = (row["s"], row["p"], row["o"])
            dataset.graph(URIRef(str(row["g"]))).add(triple)  # type: ignore[arg-type]
            union.add(triple)  # type: ignore[arg-type]
        target = dataset if rdf_format in DATASET_FORMATS else union
        return target.serialize(format=rdf_format, encoding="utf-8")

    def close(self) -> None:
        """Nothing to release: every request opens and closes its own connection."""

    def _json_answer(
        self, sparql: str, bindings: Mapping[str, Term] | None, form: str
    ) -> dict[str, Any]:
        if query_form(sparql) not in (form, None):
            raise QueryError(f"expected {'a SELECT' if form == 'SELECT' else 'an ASK'} query")
        answer = self._read(bind_values(sparql, bindings or {}), answers.RESULTS_WIRE, None)
        try:
            return answers.json_answer(answer.body, form)
        except answers.GarbledAnswer as error:
            raise self._garbled(str(error)) from error

    def _read(self, sparql: str, accept: str, given: Names | None) -> Answer:
        """Send a read query over the dataset it names, else over clinkg's registered graphs."""
        own = dataset_clauses(sparql) if has_keyword(sparql, "FROM") else None
        if given is None and own is not None:
            given = Names([str(g) for g in own[0]], [str(g) for g in own[1]])
        registered = None
        if given is None:
            registered = self._registered()
            if not registered:  # nothing clinkg wrote: the server's default graph as it is
                return self._client.query(sparql, accept, None)
            given = Names(registered, registered)
        naming = self._naming or self._naming_for(registered)
        names = Names(given.default or [NO_GRAPH], given.named or [NO_GRAPH])
        if naming == "protocol":
            return self._client.query(sparql, accept, names)
        if naming == "from" and own is None:
            return self._client.query(with_from(sparql, names), accept, None)
        return self._client.query(sparql, accept, None)

    def _registered(self) -> list[str]:
        answer = answers.json_answer(
            self._client.query(REGISTERED, answers.RESULTS_WIRE, None).body, "SELECT"
        )
        return sorted(str(row["g"]) for row in answers.rows(answer) if row["g"] is not None)

    def _naming_for(self, registered: list[str] | None) -> Naming:
        """Detected once the registry lists graphs to probe with; until then the Protocol's."""
        if registered is None:
            registered = self._registered()
        return self._detect_naming() if registered else "protocol"

    def _detect_naming(self) -> Naming:
        """How this server lets a query name its dataset (asked once, of the registry graph)."""
        if self._honours(lambda g: (ANY_TRIPLE, Names([g], [NO_GRAPH]))):
            self._naming = "protocol"
        elif self._honours(lambda g: (with_from(ANY_TRIPLE, Names([g], [NO_GRAPH])), None)):
            self._naming = "from"
        elif self._asks(REGISTRY_IN_DEFAULT, None):
            self._naming = "server"
        else:
            raise StoreUnavailable(CONFIGURE.format(url=self.query_endpoint))
        return self._naming

    def _honours(self, probe: Callable[[str], tuple[str, Names | None]]) -> bool:
        """Whether a dataset naming the registry sees triples, and one naming no graph none."""
        try:
            return self._asks(*probe(str(REGISTRY))) and not self._asks(*probe(NO_GRAPH))
        except QueryError:  # a server may refuse a dataset it will not honour (400)
            return False

    def _asks(self, sparql: str, names: Names | None) -> bool:
        answer = self._client.query(sparql, answers.RESULTS_WIRE, names)
        return bool(answers.json_answer(answer.body, "ASK")["boolean"])

    def _update(self, update: str) -> None:
        self._client.update(update, self._writable())

    def _writable(self) -> str:
        if self.update_endpoint is None:
            raise StoreReadOnly(
                f"no update endpoint for {self.query_endpoint}: pass --update-endpoint "
                "or set CLINKG_UPDATE_ENDPOINT"
            )
        return self.update_endpoint

    def _expect(self, answer: Answer, types: Iterable[str]) -> None:
        if answer.media_type not in types:
            raise NotAcceptable(
                f"SPARQL server {self.query_endpoint} answered in {answer.media_type}"
            )

    def _garbled(self, what: str) -> StoreUnavailable:
        return StoreUnavailable(f"SPARQL server {self.query_endpoint} sent {what}")


def with_from(sparql: str, names: Names) -> str:
    """The query with FROM / FROM NAMED clauses naming `names`, before its WHERE group."""
    clauses = [
        *(" ".join(("FROM", _n3(URIRef(g)))) for g in names.default),
        *(" ".join(("FROM", "NAMED", _n3(URIRef(g)))) for g in names.named),
    ]
    position = _dataset_position(sparql)
    return " ".join((sparql[:position], *clauses, sparql[position:]))


def _dataset_position(sparql: str) -> int:
    """Where dataset clauses go: before `WHERE` (or the group when it has none), after a
    CONSTRUCT template, at the end of a DESCRIBE without a WHERE group."""
    blank = _blanked(sparql)
    start = where_group_start(sparql)
    if start is None:
        return len(sparql)
    position = start - 1
    head = blank[:position].rstrip()
    if query_form(sparql) == "CONSTRUCT" and _ends_with_keyword(head, "CONSTRUCT"):
        return _matching_brace(blank, position) + 1
    if _ends_with_keyword(head, "WHERE"):
        return len(head) - len("WHERE")
    return position


def _ends_with_keyword(text: str, keyword: str) -> bool:
    return re.search(r"(?<![\w?$:.-])" + keyword + r"\Z", text, re.IGNORECASE) is not None


def _matching_brace(blank: str, opening: int) -> int:
    depth = 0
    for index in range(opening, len(blank)):
        depth += {"{": 1, "}": -1}.get(blank[index], 0)
        if depth == 0:
            return index
    raise QueryError("the query's braces do not balance")


def _registry_update(listed: Sequence[URIRef], unlisted: Sequence[URIRef]) -> Iterator[str]:
    """Update operations that list graphs in the registry, and take emptied ones off it."""
    for keyword, names in (("INSERT", listed), ("DELETE", unlisted)):
        if names:
            lines = (" ".join((_n3(name), "a", _n3(NAMED_GRAPH), ".")) for name in names)
            yield " ".join((keyword, "DATA", "{", "GRAPH", _n3(REGISTRY), "{", *lines, "}", "}"))


def _whole_lines(chunks: Iterable[bytes]) -> Iterator[str]:
    """The text of the chunks, re-cut so that each piece ends at the end of a line."""
    tail = b""
    for chunk in chunks:
        head, newline, rest = (tail + chunk).rpartition(b"\n")
        if newline:
            yield (head + newline).decode("utf-8")
        tail = rest
    if tail.strip():
        yield tail.decode("utf-8") + "\n"


def _read_form(sparql: str) -> str | None:
    form = query_form(sparql)
    if form is not None and form not in READ_FORMS:
        raise QueryError(f"this endpoint only reads: {form} is an update, not a query")
    return form


def _checked_url(url: str) -> str:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ClinkgError(f"not an http(s) SPARQL endpoint URL: {url}")
    if parts.username or parts.password:
        raise ClinkgError(
            f"put credentials in ${USER_ENV} and ${PASSWORD_ENV}, not in the endpoint URL"
        )
    return url


def _n3(term: URIRef) -> str:
    try:
        return term.n3()
    except Exception as error:  # rdflib raises a bare Exception for an IRI it cannot write
        raise QueryError(f"not an IRI: {term!r}") from error
