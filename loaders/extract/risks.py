"""Risk factors and associated conditions from risk lists; sentences go to `risk_prose`.

A bullet under a risk lead-in (in a risk section, or under any lead-in that introduces risk) is
a factor as worded, its statistics removed from the label; a graded bullet "Strong (OR >10): a,
b, and c" gives each item the grade's statistic. A list under a negated lead-in gives nothing.
"""

from __future__ import annotations

import re
from typing import Final

from clinkg.loaders.extract.condition_names import is_condition_name
from clinkg.loaders.extract.context import Context
from clinkg.loaders.extract.facts import RiskFactorFact
from clinkg.loaders.extract.names import Name, clean_phrase, sentence_case
from clinkg.loaders.extract.risk_facts import (
    EFFECT_KINDS,
    NEGATION,
    concept_pattern,
    factor_entity,
    risk_facts,
)
from clinkg.loaders.extract.risk_prose import extract_prose_risks
from clinkg.loaders.extract.risk_wording import factor_items, factor_label
from clinkg.loaders.extract.sections import SectionContext, heading_kind
from clinkg.loaders.parse.records import Statement, Statistic

_STAT_PAREN: Final[re.Pattern[str]] = re.compile(
    r"\s*\([^()]*\b(?:a?OR|a?RR|a?HR|a?IRR|odds ratio|relative risk|hazard ratio)\b[^()]*\)"
)
# "Strong (OR >10): a, b, and c" — a short grade name, its statistic, then the items.
_GRADE: Final[re.Pattern[str]] = re.compile(
    r"^(?P<grade>[A-Z][\w-]*(?:\s+[\w-]+){0,2})\s*\((?P<stat>[^()]+)\)\s*:\s*(?P<items>.+)$"
)
_FACTORS_FOR: Final[re.Pattern[str]] = re.compile(
    r"\b(?:factors?|risk|odds)\s+(?:for|of)\s+(?P<outcome>[^,;:()]+)", re.IGNORECASE
)
# Where the outcome of "factors for X are graded by …:" ends: the lead-in's verb.
_OUTCOME_END: Final[re.Pattern[str]] = re.compile(
    r"\s+(?:is|are|was|were|include|includes|included|can|may|by|in|among|with|rise|rose|"
    r"rises|increase|increases|increased|double|doubles|doubled)\b.*$",
    re.IGNORECASE,
)
# "compared with people with neither": the reference group of a comparison; its "neither" or
# "without" negates no link.
_REFERENCE: Final[re.Pattern[str]] = re.compile(
    r"\b(?:compared\s+(?:with|to)|relative\s+to|versus)\s+[^,;:]*", re.IGNORECASE
)
_MAX_OUTCOME_WORDS: Final[int] = 5
# A generic head a condition's name may be written without ("the risk of peptic ulcer").
_GENERIC_HEAD: Final[re.Pattern[str]] = re.compile(
    r"\s+(?:disease|disorder|syndrome)$", re.IGNORECASE
)


def extract_risks(
    context: Context, statement: Statement, sc: SectionContext
) -> list[RiskFactorFact]:
    """Risk-factor facts of one statement of a risk or associated-conditions section."""
    if statement.kind == "lead-in":
        return []
    if statement.kind == "bullet":
        return _bullet(context, statement, sc)
    return extract_prose_risks(context, statement)


def introduces_risk(context: Context, statement: Statement) -> bool:
    """True for a bullet whose lead-in introduces risk factors, whatever its section."""
    if statement.kind != "bullet" or statement.lead_in is None:
        return False
    lead_in = context.statement(statement.lead_in).text
    if _negated(lead_in):
        return False
    if heading_kind(lead_in) == "risk" or context.vocabulary.find(lead_in, "RiskWording"):
        return True
    return _raised_in_study(lead_in, statement)


def _raised_in_study(lead_in: str, statement: Statement) -> bool:
    """A bullet reporting a raised ratio under a study's lead-in ("In a case-control study of
    200 patients with X:"): a finding of risk; a protective ratio (below 1) is none."""
    if not concept_pattern("StudyLeadIn").search(lead_in):
        return False
    return any(
        s.kind in EFFECT_KINDS and s.kind != "fold" and (s.value is None or s.value > 1)
        for s in statement.statistics
    )


def _negated(lead_in: str) -> bool:
    """A lead-in that denies a link ("were not associated with:"); a comparison's reference
    group ("compared with people with neither") denies none."""
    return bool(NEGATION.search(_REFERENCE.sub("", lead_in)))


def _lead_in_text(context: Context, statement: Statement) -> str:
    if statement.lead_in is None:
        return statement.text
    return context.statement(statement.lead_in).text


def _siblings(context: Context, statement: Statement) -> set[str]:
    """What the other bullets of the same list are: factors, never the list's condition."""
    if statement.lead_in is None:
        return set()
    found = set()
    for other in context.bullets.get(statement.lead_in, []):
        wording = factor_label(_STAT_PAREN.sub("", other.text))
        label = context.associated_items.get(other.index) or (
            context.registry.resolve(wording, heads=False) if wording else None
        )
        if label is not None:
            found.add(label)
    return found


def _bullet(context: Context, statement: Statement, sc: SectionContext) -> list[RiskFactorFact]:
    lead_in = _lead_in_text(context, statement)
    if statement.lead_in is not None and _negated(lead_in):
        return []  # "were not associated with:" lists what is not a risk
    grade = _GRADE.match(statement.text)
    graded = [s for s in statement.statistics if s.kind in EFFECT_KINDS]
    if grade and graded and graded[0].end <= grade.end("stat") + 1:
        return _graded(context, statement, sc, grade.group("items"), graded[0], lead_in)
    wording = factor_label(_STAT_PAREN.sub("", statement.text))
    if not wording:
        return []
    if sc.kind == "associated":
        factor = context.associated_items.get(statement.index) or context.registry.add(
            "condition", Name(sentence_case(wording, context.keep_case)), also=("risk-factor",)
        )
        role = "associated-condition"
    else:
        factor = factor_entity(context, wording)
        role = "risk-factor"
    target = _list_target(context, statement, sc, lead_in, {factor} | _siblings(context, statement))
    if target is not None and statement.lead_in is not None:
        _say_when_inferred(context, context.statement(statement.lead_in), target)
    stats = tuple(s for s in statement.statistics if s.kind in EFFECT_KINDS)
    return risk_facts(context, statement, factor, target, role, stats)


def _graded(
    context: Context,
    statement: Statement,
    sc: SectionContext,
    items: str,
    grade: Statistic,
    lead_in: str,
) -> list[RiskFactorFact]:
    """Each item of a graded bullet, with the grade's statistic as worded."""
    facts = []
    for wording, _ in factor_items(items, 0):
        factor = factor_entity(context, wording)
        target = _list_target(context, statement, sc, lead_in, {factor})
        facts += risk_facts(context, statement, factor, target, "risk-factor", (grade,))
    return facts


def _list_target(
    context: Context, statement: Statement, sc: SectionContext, lead_in: str, exclude: set[str]
) -> str | None:
    """A list's condition: its lead-in's, else its section's; the primary only in risk sections.

    A lead-in naming a condition the article does not define ("factors for X") gives none."""
    own = (
        context.section_condition.get(statement.section) if statement.section is not None else None
    )
    outcome = _FACTORS_FOR.search(lead_in)
    if own is not None and outcome is not None and _names_own(outcome.group("outcome"), own):
        return own
    if any(c not in exclude for c in context.conditions_named(lead_in)):
        return context.target(statement, lead_in, exclude)
    if outcome is not None:
        return _outcome_condition(context, outcome.group("outcome"))
    return own or (context.primary if sc.kind in ("risk", "associated") else None)


def _outcome_condition(context: Context, outcome: str) -> str | None:
    """The disorder a risk lead-in names that the article does not define yet ("Predisposing
    factors for gout are:"): a condition of its own; anything else, none."""
    name = clean_phrase(_OUTCOME_END.sub("", outcome))
    if not name or not is_condition_name(name) or len(name.split()) > _MAX_OUTCOME_WORDS:
        return None
    return context.registry.add("condition", Name(sentence_case(name, context.keep_case)))


def _names_own(outcome: str, own: str) -> bool:
    """True when "risk of X" names the section's condition, maybe without its generic head
    ("uncomplicated peptic ulcer" under "Peptic ulcer disease")."""
    name = _GENERIC_HEAD.sub("", own.lower())
    return re.search(rf"\b{re.escape(name)}s?\b", outcome.lower()) is not None


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
