"""Clinicians' pages: canned questions, answers with evidence, free text, differential helper."""

from __future__ import annotations

from itertools import groupby
from typing import Any, Final

from flask import Blueprint, Response, render_template, request, url_for

from clinkg.registry import AllowedValue, Question, allowed_values
from clinkg.server.answers import AnswerItem, QuestionAnswer
from clinkg.server.csv_cells import csv_text
from clinkg.server.differential import KINDS, finding_choices, parse_findings, rank_conditions
from clinkg.server.extensions import cached_answer, catalogue, store
from clinkg.server.free_text import understand
from clinkg.server.links import external_url
from clinkg.server.pictures import ForestPlot, forest_plot, ratio_rows
from clinkg.sparql_requests import bind_values

blueprint = Blueprint("pages", __name__)
MATRIX_ROWS: Final = 12  # conditions the differential matrix shows before "more conditions"

# What a statistic type means, in the words a clinician would use.
STATISTIC_MEANINGS: Final = {
    "OR": "odds ratio: the odds are this many times higher with the factor",
    "percent": "proportion of people affected",
    "prevalence": "how common it is",
    "fold-increase": "times the usual risk",
    "RR": "relative risk: the risk is this many times higher with the factor",
    "HR": "hazard ratio: the rate of new cases is this many times higher with the factor",
    "IRR": "incidence rate ratio: new cases occur this many times as often with the factor",
    "fold": "times the usual risk or frequency, as worded",
    "threshold": "the level at which it counts",
}


@blueprint.app_template_filter("statistic_meaning")
def statistic_meaning(statistic_type: object) -> str:
    """The plain meaning of a statistic type ("OR" -> odds ratio ...), or nothing if unknown."""
    return STATISTIC_MEANINGS.get(str(statistic_type), "") if statistic_type else ""


@blueprint.get("/")
def index() -> str:
    """The questions, grouped, each with its labelled pickers; the free-text box on top."""
    return render_template("index.html", **_catalogue_context())


@blueprint.get("/questions/<question_id>")
def question(question_id: str) -> str:
    """One question answered for the chosen values; the form stays above to change them."""
    asked = catalogue().get(question_id)
    answered, _ = cached_answer(question_id, request.args.to_dict())
    return render_template(
        "question.html", asked=asked, answered=answered, **_answer_context(answered)
    )


@blueprint.get("/questions/<question_id>/answers.csv")
def answers_csv(question_id: str) -> Response:
    """The answers as CSV, one row per answer and supporting statement."""
    answered, _ = cached_answer(question_id, request.args.to_dict())
    columns = _extra_columns(answered.answers)
    rows = []
    for item in answered.answers:
        extra = [item.columns.get(name) for name in columns]
        for ev in item.evidence or (None,):
            refs = "" if ev is None else "; ".join(_reference_text(c) for c in ev.citations)
            where = ("", "", "") if ev is None else (ev.text, ev.section or "", ev.article or "")
            rows.append([item.label, str(item.iri), *extra, *where, refs])
    header = ["label", "iri", *columns, "evidence", "section", "article", "references"]
    response = Response(csv_text(header, rows), mimetype="text/csv")
    response.headers["Content-Disposition"] = f'attachment; filename="{question_id}.csv"'
    return response


@blueprint.get("/ask")
def ask() -> str:
    """A question in the user's own words: how it was read, and the answer if it was complete."""
    text = request.args.get("q", "").strip()
    understood = understand(store(), catalogue(), text) if text else None
    best = understood.best if understood else None
    answered = None
    if best is not None and best.complete:
        raw = {name: str(mention.value.iri) for name, mention in best.params.items()}
        answered, _ = cached_answer(best.question.id, raw)
    return render_template(
        "ask.html",
        text=text,
        understood=understood,
        best=best,
        asked=best.question if best else None,
        answered=answered,
        **(_answer_context(answered) if answered else _catalogue_context()),
    )


@blueprint.get("/differential")
def differential() -> str:
    """The differential helper: pick findings, see the conditions ranked with their evidence."""
    picked = {kind.name: request.args.getlist(kind.name) for kind in KINDS}
    ranked, findings = None, []
    if any(value.strip() for values in picked.values() for value in values):
        findings = parse_findings(store(), catalogue(), picked)
        ranked = rank_conditions(store(), catalogue(), findings)
    return render_template(
        "differential.html",
        kinds=KINDS,
        choices=finding_choices(store(), catalogue()),
        picked=picked,
        findings=findings,
        ranked=ranked,
        shown=MATRIX_ROWS,
    )


def _catalogue_context() -> dict[str, Any]:
    questions = catalogue().questions()
    pickers: dict[str, list[AllowedValue]] = {}
    for q in questions:
        for param in q.params:
            if param.values not in pickers:
                pickers[param.values] = allowed_values(store(), catalogue(), param.values)
    groups = [(name, list(items)) for name, items in groupby(questions, key=lambda q: q.group)]
    return {"groups": groups, "pickers": pickers}


def _answer_context(answered: QuestionAnswer) -> dict[str, Any]:
    """Links and texts around an answer: shareable URL, downloads, its SPARQL, the editor link."""
    question: Question = answered.question
    labels: dict[str, Any] = {name: value.label for name, value in answered.params.items()}
    bound = bind_values(question.sparql, {n: v.iri for n, v in answered.params.items()})
    return {
        "share_url": external_url("pages.question", question_id=question.id, **labels),
        "csv_url": url_for("pages.answers_csv", question_id=question.id, **labels),
        "json_url": url_for("api.answer", question_id=question.id, **labels),
        "editor_url": url_for("workbench.workbench", question=question.id, **labels),
        "bound_sparql": bound,
        "columns": _extra_columns(answered.answers),
        "forest_plot": _answer_forest(answered),
        **_catalogue_context(),
    }


def _answer_forest(answered: QuestionAnswer) -> ForestPlot | None:
    """A forest plot of the ratios behind the answers, when they carry statistics."""
    condition = answered.params.get("condition")
    ratios = ("statisticValue", "oddsRatio")
    if condition is None or not any(n in a.columns for a in answered.answers for n in ratios):
        return None
    answers = {item.iri for item in answered.answers}
    rows = ratio_rows(store(), catalogue(), condition.iri)
    return forest_plot(row for row in rows if row["factor"] in answers)


def _extra_columns(items: tuple[AnswerItem, ...]) -> list[str]:
    return list(dict.fromkeys(name for item in items for name in item.columns))


def _reference_text(citation: Any) -> str:
    if citation.unresolved or citation.reference is None:
        return f"[{citation.number}] not in the article's reference list"
    ref = citation.reference
    parts = [ref.title or "untitled", ref.journal or "", ref.year or ""]
    return f"[{citation.number}] " + ", ".join(part for part in parts if part)
