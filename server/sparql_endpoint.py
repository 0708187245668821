"""`/sparql`: the SPARQL 1.1 Protocol, read-only, with content negotiation.

Every query runs in a killable worker (`clinkg.server.query_runner`) after the query guard read it
(`clinkg.query_guard`: no SERVICE, no FROM outside the store, no updates). An answer cut at the
row or triple cap says so in the `Clinkg-Truncated` header (`rows; limit=10000`).

A query costs the engine a millisecond or less, so what the web process does around it matters:
`SparqlDispatch` answers query requests at the WSGI level, before Flask builds its contexts, runs
its hooks and routes. It does only what this route needs: a plain request's parameters read as
werkzeug reads them but without its request object, the same job as the Flask view, headers
computed once. Anything else (the service description, an oversized request, a body werkzeug
must read) and every failure goes on to Flask, a failure handed over in the environ so that
Flask's one error boundary answers it and the query is not run twice.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from contextlib import suppress
from functools import lru_cache
from typing import TYPE_CHECKING, Any, Final
from urllib.parse import parse_qsl

from flask import Blueprint, Flask, Response, request
from werkzeug.datastructures import MultiDict
from werkzeug.exceptions import UnsupportedMediaType
from werkzeug.utils import get_content_type
from werkzeug.wrappers import Request

from clinkg.errors import QueryError
from clinkg.query_guard import READ_ONLY
from clinkg.server.extensions import QUERY_RUNNER, query_runner
from clinkg.server.links import base_iri
from clinkg.server.query_runner import QueryRunner
from clinkg.server.query_worker import QueryJob, QueryReply
from clinkg.server.security import HEADERS
from clinkg.sparql_text import iri_problem
from clinkg.store.media_types import sparql_preferences

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment

blueprint = Blueprint("sparql", __name__)

FORM = "application/x-www-form-urlencoded"
TRUNCATED_HEADER = "Clinkg-Truncated"
# An error met by the WSGI dispatch, for the Flask view to raise (so Flask's handlers answer).
FAILURE: Final = "clinkg.sparql.failure"
PATH: Final = "/sparql"
# Direct POST content types the dispatch reads itself (any other charset: Flask reads it).
_DIRECT: Final = ("application/sparql-query", "application/sparql-query; charset=utf-8")


@blueprint.route(PATH, methods=["GET", "POST"])
def sparql() -> Response:
    """Answer one query given by GET, URL-encoded POST or direct POST."""
    failure = request.environ.pop(FAILURE, None)
    if failure is not None:
        raise failure
    reply = run_protocol_request(request, query_runner(), base_iri("sparql.sparql"))
    return Response(reply.body, headers=reply_headers(reply.media_type, reply))


def run_protocol_request(given: Request, runner: QueryRunner, base: str | None) -> QueryReply:
    """The runner's reply to one protocol request (its errors raised as they come)."""
    query, params = _query_and_params(given)
    return runner.run(protocol_job(query, params, given.headers.get("Accept"), runner, base))


def protocol_job(
    query: str,
    params: MultiDict[str, str],
    accept: str | None,
    runner: QueryRunner,
    base: str | None,
) -> QueryJob:
    """The job for a query, its protocol parameters and the request's Accept header."""
    defaults = _graph_iris(params, "default-graph-uri")
    named = _graph_iris(params, "named-graph-uri")
    dataset_given = bool(defaults or named)
    return QueryJob(
        sparql=query,
        media_type=sparql_preferences(accept),
        default_graphs=defaults if dataset_given else None,
        named_graphs=named if dataset_given else None,
        base_iri=base,
        max_rows=runner.settings.max_rows,
        max_triples=runner.settings.max_triples,
    )


def reply_headers(media_type: str, reply: QueryReply) -> list[tuple[str, str]]:
    """The response headers of an answer: its type, Vary, a truncation note, security headers."""
    headers = list(_fixed_headers(media_type))
    if reply.truncated is not None:
        headers.append((TRUNCATED_HEADER, f"{reply.truncated}; limit={reply.limit}"))
    return headers


@lru_cache(maxsize=32)
def _fixed_headers(media_type: str) -> tuple[tuple[str, str], ...]:
    content_type = get_content_type(media_type, "utf-8")
    return (("Content-Type", content_type), ("Vary", "Accept"), *HEADERS.items())


class SparqlDispatch:
    """WSGI middleware answering /sparql queries without Flask's per-request machinery."""

    def __init__(self, app: Flask, inner: WSGIApplication) -> None:
        self.app = app
        self.inner = inner
        self._bases: dict[tuple[Any, ...], str | None] = {}

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        if not self._takes(environ):
            return self.inner(environ, start_response)
        try:
            read = self._read(environ)
            if read is None:  # not plain enough to read here: Flask reads it
                return self.inner(environ, start_response)
            runner: QueryRunner = self.app.extensions[QUERY_RUNNER]
            job = protocol_job(*read, environ.get("HTTP_ACCEPT"), runner, self._base_iri(environ))
            reply = runner.run(job)
        except Exception as error:  # answered by Flask's error handlers, at the one boundary
            environ[FAILURE] = error
            return self.inner(environ, start_response)
        headers = reply_headers(reply.media_type, reply)
        headers.append(("Content-Length", str(len(reply.body))))
        start_response("200 OK", headers)
        return [] if environ["REQUEST_METHOD"] == "HEAD" else [reply.body]

    def _read(self, environ: WSGIEnvironment) -> tuple[str, MultiDict[str, str]] | None:
        """The query and parameters of a plain request, read as werkzeug reads them but without
        its request object; None for any other (its body, if read, put back for Flask)."""
        if environ["REQUEST_METHOD"] in ("GET", "HEAD"):
            params = _parameters(str(environ.get("QUERY_STRING", "")))
            return None if params is None else (_single_query(params), params)
        media_type = str(environ.get("CONTENT_TYPE", "")).strip().lower()
        if not environ.get("CONTENT_LENGTH"):  # a body of unstated length: werkzeug reads it
            return None
        length = int(str(environ["CONTENT_LENGTH"]))
        if media_type == FORM and length <= int(self.app.config["MAX_FORM_MEMORY_SIZE"]):
            body: bytes = environ["wsgi.input"].read(length)
            form = _parameters(body.decode("latin-1"))
            if form is not None:
                return _single_query(form), form
        elif media_type in _DIRECT:
            body = environ["wsgi.input"].read(length)
            params = _parameters(str(environ.get("QUERY_STRING", "")))
            with suppress(UnicodeDecodeError):
                if params is not None:
                    return body.decode("utf-8"), params
        else:
            return None
        environ["wsgi.input"] = io.BytesIO(body)
        return None

    def _takes(self, environ: WSGIEnvironment) -> bool:
        """A query request within the size limits Flask's hooks would check; else Flask's."""
        if environ.get("PATH_INFO") != PATH or FAILURE in environ:
            return False
        method = environ.get("REQUEST_METHOD")
        query_string = str(environ.get("QUERY_STRING", ""))
        if len(query_string) > int(self.app.config["MAX_QUERY_STRING"]):
            return False
        if method == "POST":
            length = str(environ.get("CONTENT_LENGTH") or "0")
            return length.isdigit() and int(length) <= int(self.app.config["MAX_CONTENT_LENGTH"])
        # GET without a query is the service description (`clinkg.server.workbench`).
        return method in ("GET", "HEAD") and "query=" in query_string

    def _base_iri(self, environ: WSGIEnvironment) -> str | None:
        """The endpoint's URL as `clinkg.server.links` builds it, once per server identity."""
        names = ("wsgi.url_scheme", "SERVER_NAME", "SERVER_PORT", "SCRIPT_NAME")
        key = (*(environ.get(name) for name in names), self.app.config.get("PUBLIC_URL"))
        if key not in self._bases:
            with self.app.request_context(environ):
                self._bases[key] = base_iri("sparql.sparql")
        return self._bases[key]


def install(app: Flask) -> None:
    """Put the dispatch in front of `app`'s WSGI callable (the test client goes through it too)."""
    app.wsgi_app = SparqlDispatch(app, app.wsgi_app)  # type: ignore[method-assign]


def _query_and_params(given: Request) -> tuple[str, MultiDict[str, str]]:
    """The query text and the protocol parameters, by the request's method and media type."""
    if given.method in ("GET", "HEAD"):
        params: MultiDict[str, str] = given.args
        return _single_query(params), params
    if given.mimetype == FORM:
        return _single_query(given.form), given.form
    if given.mimetype == "application/sparql-update":
        raise QueryError(READ_ONLY)
    if given.mimetype == "application/sparql-query":
        charset = given.mimetype_params.get("charset", "utf-8").lower()
        if charset not in ("utf-8", "utf8"):
            raise UnsupportedMediaType(f"a direct POST must be UTF-8, not {charset}")
        try:
            return given.get_data().decode("utf-8"), given.args
        except UnicodeDecodeError as error:
            raise QueryError(f"the query is not valid UTF-8: {error}") from error
    raise UnsupportedMediaType(
        f"POST needs {FORM} or application/sparql-query, not {given.mimetype or 'none'}"
    )


def _parameters(text: str) -> MultiDict[str, str] | None:
    """URL-encoded parameters as werkzeug reads them (`text`: raw bytes as Latin-1, the way WSGI
    gives a query string), or None when they are not UTF-8 (then werkzeug's reading answers)."""
    try:
        decoded = text.encode("latin-1").decode("utf-8")
    except UnicodeError:
        return None
    return MultiDict(parse_qsl(decoded, keep_blank_values=True, errors="werkzeug.url_quote"))


def _single_query(params: MultiDict[str, str]) -> str:
    if "update" in params or "using-graph-uri" in params or "using-named-graph-uri" in params:
        raise QueryError(READ_ONLY)
    queries = params.getlist("query")
    if len(queries) != 1:
        raise QueryError(f"expected exactly one 'query' parameter, got {len(queries)}")
    return queries[0]


def _graph_iris(params: MultiDict[str, str], name: str) -> tuple[str, ...]:
    """The graph names a dataset parameter gives, each checked to be an IRI (else 400)."""
    given = tuple(params.getlist(name))
    for iri in given:
        problem = iri_problem(iri)
        if problem is not None:
            raise QueryError(f"{name}: {problem}")
    return given
