"""`/`: the clinicians' page: questions with pickers, answers with their evidence."""

from __future__ import annotations

from itertools import groupby

from flask import Blueprint, render_template, request

from clinkg.answers import QuestionAnswer, answer_question
from clinkg.registry import AllowedValue, Question, allowed_values
from clinkg.server.extensions import catalogue, store

blueprint = Blueprint("pages", __name__)


@blueprint.get("/")
def index() -> str:
    """The questions, grouped, each with its parameter pickers."""
    return _render(None, None)


@blueprint.get("/questions/<question_id>")
def question(question_id: str) -> str:
    """One question answered for the chosen parameter values."""
    asked = catalogue().get(question_id)
    answered = answer_question(store(), catalogue(), question_id, request.args.to_dict())
    return _render(asked, answered)


def _render(asked: Question | None, answered: QuestionAnswer | None) -> str:
    questions = catalogue().questions()
    pickers: dict[str, list[AllowedValue]] = {}
    for q in questions:
        for param in q.params:
            if param.values not in pickers:
                pickers[param.values] = allowed_values(store(), catalogue(), param.values)
    groups = [(name, list(items)) for name, items in groupby(questions, key=lambda q: q.group)]
    return render_template(
        "index.html",
        groups=groups,
        pickers=pickers,
        asked=asked,
        answered=answered,
        chosen=request.args,
    )
