"""`/sparql`: the SPARQL 1.1 Protocol, read-only, with content negotiation.

Every query runs in a killable worker (`clinkg.server.query_runner`) after the query guard read it
(`clinkg.query_guard`: no SERVICE, no FROM outside the store, no updates). An answer cut at the
row or triple cap says so in the `Clinkg-Truncated` header (`rows; limit=10000`).
"""

from __future__ import annotations

from flask import Blueprint, Response, request
from werkzeug.datastructures import MultiDict
from werkzeug.exceptions import UnsupportedMediaType

from clinkg.errors import QueryError
from clinkg.query_guard import READ_ONLY
from clinkg.server.extensions import query_runner
from clinkg.server.links import base_iri
from clinkg.server.query_worker import QueryJob
from clinkg.sparql_text import iri_problem
from clinkg.store.media_types import sparql_preferences

blueprint = Blueprint("sparql", __name__)

FORM = "application/x-www-form-urlencoded"
TRUNCATED_HEADER = "Clinkg-Truncated"


@blueprint.route("/sparql", methods=["GET", "POST"])
def sparql() -> Response:
    """Answer one query given by GET, URL-encoded POST or direct POST."""
    query, params = _query_and_params()
    defaults = _graph_iris(params, "default-graph-uri")
    named = _graph_iris(params, "named-graph-uri")
    dataset_given = bool(defaults or named)
    runner = query_runner()
    job = QueryJob(
        sparql=query,
        media_type=sparql_preferences(request.headers.get("Accept")),
        default_graphs=defaults if dataset_given else None,
        named_graphs=named if dataset_given else None,
        base_iri=base_iri("sparql.sparql"),
        max_rows=runner.settings.max_rows,
        max_triples=runner.settings.max_triples,
    )
    result = runner.run(job)
    response = Response(result.body, mimetype=result.media_type)
    response.vary.add("Accept")
    if result.truncated is not None:
        response.headers[TRUNCATED_HEADER] = f"{result.truncated}; limit={result.limit}"
    return response


def _query_and_params() -> tuple[str, MultiDict[str, str]]:
    """The query text and the protocol parameters, by the request's method and media type."""
    if request.method in ("GET", "HEAD"):
        params: MultiDict[str, str] = request.args
        return _single_query(params), params
    if request.mimetype == FORM:
        return _single_query(request.form), request.form
    if request.mimetype == "application/sparql-update":
        raise QueryError(READ_ONLY)
    if request.mimetype == "application/sparql-query":
        charset = request.mimetype_params.get("charset", "utf-8").lower()
        if charset not in ("utf-8", "utf8"):
            raise UnsupportedMediaType(f"a direct POST must be UTF-8, not {charset}")
        try:
            return request.get_data().decode("utf-8"), request.args
        except UnicodeDecodeError as error:
            raise QueryError(f"the query is not valid UTF-8: {error}") from error
    raise UnsupportedMediaType(
        f"POST needs {FORM} or application/sparql-query, not {request.mimetype or 'none'}"
    )


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
