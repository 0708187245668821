"""A `Store` on any SPARQL 1.1 server: queries over the Protocol (SPARQLWrapper), loads as Update.

The server's default graph must be the union of its named graphs, as the embedded store's is
(Oxigraph `serve --union-default-graph`, Fuseki `tdb2:unionDefaultGraph true`, Virtuoso and
GraphDB by default): the canned queries have no GRAPH clauses. Credentials, when the server
wants them, come from $CLINKG_SPARQL_USER and $CLINKG_SPARQL_PASSWORD (HTTP Basic), never from a
URL or a file.
"""

from __future__ import annotations

import ast
import http.client
import json
import os
import urllib.error
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any, Final
from urllib.parse import urlsplit

from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.term import Node
from SPARQLWrapper import JSON, POST, POSTDIRECTLY, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import (
    EndPointInternalError,
    EndPointNotFound,
    QueryBadFormed,
    SPARQLWrapperException,
    Unauthorized,
    URITooLong,
)

from clinkg.errors import ClinkgError, NotAcceptable, QueryError, StoreReadOnly, StoreUnavailable
from clinkg.query_guard import dataset_clauses
from clinkg.sparql_requests import bind_values, replacing_update
from clinkg.sparql_text import has_keyword, query_form
from clinkg.store import XSD_STRING, Row, SerializedResult, Term
from clinkg.store.media_types import canonical, choose

USER_ENV: Final = "CLINKG_SPARQL_USER"
PASSWORD_ENV: Final = "CLINKG_SPARQL_PASSWORD"
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
        self._credentials = (user, password) if user and password else None

    def __repr__(self) -> str:
        return f"RemoteStore({self.query_endpoint!r}, {self.update_endpoint!r})"

    def select(self, sparql: str, bindings: Mapping[str, Term] | None = None) -> list[Row]:
        """Run a SELECT; bound values travel as a VALUES block (see clinkg.sparql_requests)."""
        answer = self._json_answer(sparql, bindings, "SELECT")
        try:
            names = answer["head"]["vars"]
            return [
                {name: term_from_json(row[name]) if name in row else None for name in names}
                for row in answer["results"]["bindings"]
            ]
        except (KeyError, TypeError) as error:
            raise self._garbled(f"a SELECT answer without {error}") from error

    def ask(self, sparql: str, bindings: Mapping[str, Term] | None = None) -> bool:
        """Run an ASK."""
        answer = self._json_answer(sparql, bindings, "ASK")
        if not isinstance(answer.get("boolean"), bool):
            raise self._garbled("an ASK answer without a boolean")
        return bool(answer["boolean"])

    def query_serialized(
        self,
        sparql: str,
        media_type: str,
        *,
        default_graphs: Sequence[URIRef] | None = None,
        named_graphs: Sequence[URIRef] | None = None,
        base_iri: str | None = None,
    ) -> SerializedResult:
        """Forward a read query; the first fitting type of `media_type` is asked of the server."""
        form = _read_form(sparql)
        chosen = choose(media_type, "graph" if form in ("CONSTRUCT", "DESCRIBE") else "results")
        if base_iri is not None:
            # The Protocol has no base parameter: a BASE declaration first is the same thing.
            sparql = "\n".join((" ".join(("BASE", _n3(URIRef(base_iri)))), sparql))
        wrapper = self._query_wrapper(sparql, form or "SELECT", canonical(chosen))
        if default_graphs is not None or named_graphs is not None:
            _set_dataset(wrapper, (tuple(default_graphs or ()), tuple(named_graphs or ())))
        body, served = self._send(wrapper, self.query_endpoint)
        if served != canonical(chosen):
            raise NotAcceptable(f"SPARQL server {self.query_endpoint} answered in {served}")
        return SerializedResult(body=body, media_type=chosen)

    def replace_graphs(self, graphs: Mapping[URIRef, Iterable[tuple[Node, Node, Node]]]) -> None:
        """Replace each named graph in ONE update request (one transaction on the server)."""
        self._writable()
        update = replacing_update(graphs)
        if update:
            self._update(update)

    def _update(self, update: str) -> None:
        """Send one update request (one transaction on the server)."""
        update_endpoint = self._writable()
        wrapper = self._wrapper()
        wrapper.queryString = update
        wrapper.queryType = "INSERT"  # any update keyword routes the request to the update URL
        wrapper.setRequestMethod(POSTDIRECTLY)
        self._send(wrapper, update_endpoint)

    def _writable(self) -> str:
        if self.update_endpoint is None:
            raise StoreReadOnly(
                f"no update endpoint for {self.query_endpoint}: pass --update-endpoint "
                "or set CLINKG_UPDATE_ENDPOINT"
            )
        return self.update_endpoint

    def bulk_load(self, graph: URIRef, ntriples: Iterable[bytes]) -> None:
        """Replace `graph` by a DROP, then one INSERT DATA request per chunk of N-Triples.

        N-Triples lines are valid SPARQL triples, so each chunk's whole lines travel as written
        (a line cut between chunks goes with the next). A failed
        request drops the graph again, leaving it empty rather than half loaded.
        """
        name = _n3(graph)
        self._update(" ".join(("DROP", "SILENT", "GRAPH", name)))
        try:
            for lines in _whole_lines(ntriples):
                self._update(
                    " ".join(("INSERT", "DATA", "{", "GRAPH", name, "{\n", lines, "}", "}"))
                )
        except BaseException:
            self._update(" ".join(("DROP", "SILENT", "GRAPH", name)))
            raise

    def graph_names(self) -> list[URIRef]:
        """Named graphs holding triples on the server."""
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
        wrapper = self._query_wrapper(
            bind_values(sparql, bindings or {}), form, "application/sparql-results+json"
        )
        wrapper.setReturnFormat(JSON)
        body, _ = self._send(wrapper, self.query_endpoint)
        try:
            answer = json.loads(body)
        except ValueError as error:
            raise self._garbled(f"not JSON ({error})") from error
        if not isinstance(answer, dict):
            raise self._garbled("not a JSON object")
        return answer

    def _wrapper(self) -> SPARQLWrapper:
        """A fresh wrapper per request (it holds one query's state; requests run in threads)."""
        wrapper = SPARQLWrapper(self.query_endpoint, updateEndpoint=self.update_endpoint)
        wrapper.setMethod(POST)
        wrapper.setOnlyConneg(True)
        wrapper.setTimeout(self.timeout)
        if self._credentials is not None:
            wrapper.setCredentials(*self._credentials)
        return wrapper

    def _query_wrapper(self, sparql: str, form: str, accept: str) -> SPARQLWrapper:
        wrapper = self._wrapper()
        # Set directly: SPARQLWrapper's own guess of the form reads keywords inside comments.
        wrapper.queryString = sparql
        wrapper.queryType = form
        wrapper.addCustomHttpHeader("Accept", accept)
        if has_keyword(sparql, "FROM"):
            _set_dataset(wrapper, dataset_clauses(sparql))
        return wrapper

    def _send(self, wrapper: SPARQLWrapper, url: str) -> tuple[bytes, str]:
        """The answer's body and media type; every failure becomes a clinkg error naming `url`."""
        try:
            response = wrapper.query().response
            return response.read(), response.headers.get_content_type()
        except (QueryBadFormed, URITooLong) as error:
            raise QueryError(_server_message(error)) from error
        except Unauthorized as error:
            message = f"SPARQL server {url} refused access (401): see ${USER_ENV}, ${PASSWORD_ENV}"
            raise StoreUnavailable(message) from error
        except EndPointNotFound as error:
            message = f"SPARQL server {url} has no endpoint at that URL (404)"
            raise StoreUnavailable(message) from error
        except EndPointInternalError as error:
            message = f"SPARQL server {url} failed (500): {_server_message(error)}"
            raise StoreUnavailable(message) from error
        except urllib.error.HTTPError as error:
            raise _http_error(url, error) from error
        except urllib.error.URLError as error:
            reason = error.reason
            if isinstance(reason, TimeoutError):
                reason = f"no answer within {self.timeout} s"
            raise StoreUnavailable(f"SPARQL server {url} did not answer: {reason}") from error
        except TimeoutError as error:
            message = f"SPARQL server {url} did not answer: no answer within {self.timeout} s"
            raise StoreUnavailable(message) from error
        except (OSError, http.client.HTTPException) as error:
            message = f"SPARQL server {url} did not answer: {error!r}"
            raise StoreUnavailable(message) from error

    def _garbled(self, what: str) -> StoreUnavailable:
        return StoreUnavailable(f"SPARQL server {self.query_endpoint} sent {what}")


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


def term_from_json(value: Mapping[str, str]) -> Term:
    """The rdflib term of a SPARQL JSON results value (plain literals stay plain)."""
    kind = value["type"]
    if kind == "uri":
        return URIRef(value["value"])
    if kind == "bnode":
        return BNode(value["value"])
    if kind in ("literal", "typed-literal"):
        if value.get("xml:lang"):
            return Literal(value["value"], lang=value["xml:lang"])
        datatype = value.get("datatype")
        if datatype and datatype != XSD_STRING:
            return Literal(value["value"], datatype=URIRef(datatype))
        return Literal(value["value"])
    raise TypeError(f"unsupported term in a SPARQL answer: {kind}")


def _set_dataset(
    wrapper: SPARQLWrapper, dataset: tuple[Sequence[URIRef], Sequence[URIRef]] | None
) -> None:
    """Send a dataset as the Protocol's graph parameters, replacing any set before."""
    if dataset is None:
        return
    wrapper.clearParameter("default-graph-uri")
    wrapper.clearParameter("named-graph-uri")
    for graph in dataset[0]:
        wrapper.addParameter("default-graph-uri", str(graph))
    for graph in dataset[1]:
        wrapper.addParameter("named-graph-uri", str(graph))


def _read_form(sparql: str) -> str | None:
    form = query_form(sparql)
    if form is not None and form not in READ_FORMS:
        raise QueryError(f"this endpoint only reads: {form} is an update, not a query")
    return form


def _http_error(url: str, error: urllib.error.HTTPError) -> ClinkgError:
    detail = f"SPARQL server {url} answered {error.code} {error.reason}"
    if error.code == 406:
        return NotAcceptable(detail)
    if error.code in (413, 415):
        return QueryError(detail)
    return StoreUnavailable(detail)


def _server_message(error: SPARQLWrapperException) -> str:
    """The body the server sent with its error (SPARQLWrapper keeps it only in its message)."""
    text = str(error)
    _, found, response = text.partition("Response:\n")
    if found:
        try:
            raw = ast.literal_eval(response.strip())
        except (ValueError, SyntaxError):
            return response.strip()
        if isinstance(raw, bytes):
            return raw.decode("utf-8", "replace").strip()
    return text


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
