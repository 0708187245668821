"""Risk factors and associated conditions, from risk sections and their bullet lists.

A bullet under a risk lead-in is a factor as worded (its statistic removed from the label); a
sentence names its factor through a generic risk wording ("the risk associated with X falls",
"X increases the risk", "X is a risk factor for"). Each odds ratio printed is one fact.
"""

from __future__ import annotations

import re
from typing import Final

from .extract_context import Context
from .facts import RiskFactorFact
from .names import Name, clean_phrase, sentence_case, split_list
from .records import Statement, Statistic
from .section_kinds import SectionContext

_STAT_PAREN: Final[re.Pattern[str]] = re.compile(
    r"\s*\([^()]*\b(?:OR|RR|HR|aOR|odds ratio|relative risk)\b[^()]*\)"
)
_RISK_SENTENCES: Final[tuple[re.Pattern[str], ...]] = (
    re.compile(
        r"\brisk\s+(?:associated\s+with|conferred\s+by|from)\s+(?P<factor>[^,;()]+?)\s+"
        r"(?:falls|rises|increases|decreases|declines|is|was|varies|doubles)\b",
        re.IGNORECASE,
    ),
    re.compile(
        r"^(?P<factor>[^,;()]+?)\s+(?:increases?|raises?|doubles?|triples?)\s+the\s+risk\b",
        re.IGNORECASE,
    ),
    re.compile(
        r"^(?P<factor>[^,;()]+?)\s+(?:is|are)\s+(?:an?\s+)?(?:\w+\s+)?risk\s+factors?\s+for\b",
        re.IGNORECASE,
    ),
)
_ASSOCIATED_SENTENCE: Final[re.Pattern[str]] = re.compile(
    r"\b(?:is|are)\s+(?:commonly\s+|often\s+|strongly\s+)?associated\s+with\s+(?P<items>[^;:]+?)\.?$",
    re.IGNORECASE,
)


def extract_risks(
    context: Context, statement: Statement, sc: SectionContext
) -> list[RiskFactorFact]:
    """Risk-factor facts of one statement of a risk or associated-conditions section."""
    if statement.kind == "lead-in":
        return []
    if statement.kind == "bullet":
        return _bullet(context, statement, sc)
    if sc.kind == "associated":
        return _associated_sentence(context, statement)
    return _risk_sentence(context, statement)


def _lead_in_text(context: Context, statement: Statement) -> str:
    if statement.lead_in is None:
        return statement.text
    return context.statement(statement.lead_in).text


def _bullet(context: Context, statement: Statement, sc: SectionContext) -> list[RiskFactorFact]:
    wording = clean_phrase(_STAT_PAREN.sub("", statement.text))
    if not wording:
        return []
    if sc.kind == "associated":
        factor = context.associated_items.get(statement.index) or context.registry.add(
            "condition", Name(sentence_case(wording, context.keep_case)), also=("risk-factor",)
        )
        role = "associated-condition"
    else:
        factor = _factor(context, wording)
        role = "risk-factor"
    lead_in = _lead_in_text(context, statement)
    target = context.target(statement, lead_in, {factor})
    if target is not None and statement.lead_in is not None:
        _say_when_inferred(context, context.statement(statement.lead_in), target)
    return _facts(context, statement, factor, target, role, statement.statistics)


def _say_when_inferred(context: Context, lead_in: Statement, target: str) -> None:
    """Warn once per lead-in whose condition comes from its section, not from its own words."""
    if target in context.conditions_named(lead_in.text):
        return
    message = (
        f"{context.article.source}, line {lead_in.line}: the list under '{lead_in.text}' names "
        f"no condition the article defines; its factors are attached to '{target}', the "
        "condition of its section"
    )
    if message not in context.warnings:
        context.warnings.append(message)


def _factor(context: Context, wording: str) -> str:
    """The entity a factor's wording names: a known condition (marked a risk factor) or new."""
    label = sentence_case(wording, context.keep_case)
    condition = context.registry.resolve(label, heads=False)
    if condition is not None:
        context.registry.mark(condition, "condition", "risk-factor")
        context.registry.add_synonym(condition, label)
        return condition
    return context.registry.add("risk-factor", Name(label))


def _facts(
    context: Context,
    statement: Statement,
    factor: str,
    target: str | None,
    role: str,
    statistics: tuple[Statistic, ...],
) -> list[RiskFactorFact]:
    if target is None or target == factor:
        context.warnings.append(
            f"{context.article.source}, line {statement.line}: risk factor '{factor}' has no "
            "condition to attach to; skipped"
        )
        return []
    odds = [s for s in statistics if s.kind == "OR"]
    if not odds:
        return [RiskFactorFact(target, factor, statement.index, role)]
    return [
        RiskFactorFact(target, factor, statement.index, role, "OR", s.value, s.text, s.qualifier)
        for s in odds
    ]


def _risk_sentence(context: Context, statement: Statement) -> list[RiskFactorFact]:
    for pattern in _RISK_SENTENCES:
        match = pattern.search(statement.text)
        if match:
            wording = clean_phrase(match.group("factor"))
            if not wording or len(wording.split()) > 8:
                continue
            factor = _factor(context, wording)
            target = context.target(statement, statement.text, {factor})
            return _facts(context, statement, factor, target, "risk-factor", statement.statistics)
    return []


def _associated_sentence(context: Context, statement: Statement) -> list[RiskFactorFact]:
    match = _ASSOCIATED_SENTENCE.search(statement.text)
    if not match:
        return []
    facts = []
    target = context.target(statement, statement.text[: match.start()])
    for item in split_list(match.group("items")):
        wording = clean_phrase(item)
        if wording:
            factor = context.registry.add(
                "condition", Name(sentence_case(wording, context.keep_case)), also=("risk-factor",)
            )
            facts += _facts(context, statement, factor, target, "associated-condition", ())
    return facts
