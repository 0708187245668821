"""`/api`: the question catalogue and the answers to canned questions, as JSON."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from flask import Blueprint, Response, jsonify, request

from clinkg.library import entry_json, list_articles
from clinkg.registry import Question, allowed_values
from clinkg.server.answers import answer_to_json
from clinkg.server.extensions import cached_answer, catalogue, store
from clinkg.store import snapshot

blueprint = Blueprint("api", __name__, url_prefix="/api")


@blueprint.get("/questions")
def questions() -> Response:
    """Every canned question with its parameters and their allowed values."""
    return jsonify({"questions": [question_json(q) for q in catalogue().questions()]})


@blueprint.get("/articles")
def articles() -> Response:
    """The article library: each loaded article with its load report."""
    return jsonify({"articles": [entry_json(entry) for entry in list_articles(snapshot(store()))]})


@blueprint.get("/questions/<question_id>")
def answer(question_id: str) -> Response:
    """The answers to one question for the parameter values in the query string."""
    answered, stamp = cached_answer(question_id, request.args.to_dict())
    response = jsonify(answer_to_json(answered))
    if stamp is not None:
        # Same store state, same question and values: same answers.
        response.set_etag(answer_etag(stamp, question_id, request.args.to_dict()))
        response.headers["Cache-Control"] = "no-cache"
        response.make_conditional(request)
    return response


def answer_etag(stamp: str, question_id: str, params: dict[str, str]) -> str:
    """Stable across processes and parameter order: the store state, question and values."""
    key = json.dumps([stamp, question_id, sorted(params.items())], ensure_ascii=False)
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:32]


def question_json(question: Question) -> dict[str, Any]:
    """A catalogue entry: id, title, summary, group, parameters with their allowed values."""
    return {
        "id": question.id,
        "title": question.name,
        "summary": question.summary,
        "group": question.group,
        "returns": list(question.returns),
        "params": [
            {
                "name": param.name,
                "label": param.label,
                "values": param.values,
                "allowed": [
                    {"label": v.label, "iri": str(v.iri), "synonyms": list(v.synonyms)}
                    for v in allowed_values(store(), catalogue(), param.values)
                ],
            }
            for param in question.params
        ],
    }
