"""Medications that induce or worsen a condition.

In a medication section, a sentence lists its drugs as the subject of a risk verb ("A, B, and C
roughly double the risk") or after "include"; modifiers ("given with X", "for Y") are dropped, and
"A or B" splits when both are drugs. Anywhere, "in patients taking X such as Y" names Y.
"""

from __future__ import annotations

import re
from typing import Final

from .extract_context import Context
from .facts import MedicationEffectFact
from .lexicon import drug_of_phrase, find_drugs
from .names import Name, clean_phrase, sentence_case, split_list
from .records import Statement

_VERB: Final[re.Pattern[str]] = re.compile(
    r"\b(?:increases?|raises?|doubles?|triples?|carr(?:y|ies)|induces?|causes?|worsens?|"
    r"provokes?|(?:is|are)\s+(?:strongly\s+)?associated\s+with)\b",
    re.IGNORECASE,
)
_BOUNDARY: Final[re.Pattern[str]] = re.compile(r",\s+(?:and|while|whereas|but)\s+|;\s+")
_INCLUDE: Final[re.Pattern[str]] = re.compile(r"\binclud(?:e|es|ing)\s+(?P<items>[^;:]+?)\.?$")
_TRAILING_ADVERBS: Final[re.Pattern[str]] = re.compile(
    r"(?:\s+(?:roughly|about|approximately|strongly|significantly|markedly|may|can|also|often|"
    r"each|all|both))+$",
    re.IGNORECASE,
)
_MODIFIERS: Final[re.Pattern[str]] = re.compile(
    r"\s+(?:(?:given|taken|used|combined)\s+with|in\s+combination\s+with|for)\s+.*$",
    re.IGNORECASE,
)
_SUB_ITEM: Final[re.Pattern[str]] = re.compile(
    r"\b(?:for|with)\s+(?P<item>[^,;()]+?)\s*\((?P<stat>OR\s+[\d.]+)\)"
)
_TAKING: Final[re.Pattern[str]] = re.compile(
    r"\b(?:patients|people|those|individuals|women|men)\s+(?:taking|on|using|receiving|treated\s+"
    r"with)\s+(?P<what>[^;,.]+)",
    re.IGNORECASE,
)
_SUCH_AS: Final[re.Pattern[str]] = re.compile(r"\bsuch\s+as\s+(?P<items>.+)$", re.IGNORECASE)


def medication_items(phrase: str) -> list[str]:
    """Drug names in a subject phrase: list split, modifiers dropped, "A or B" split if drugs."""
    phrase = _MODIFIERS.sub("", _TRAILING_ADVERBS.sub("", phrase.strip()))
    items = []
    for item in split_list(phrase):
        item = clean_phrase(item)
        halves = re.split(r"\s+(?:or|and)\s+", item)
        if len(halves) > 1 and all(drug_of_phrase(h) for h in halves):
            items.extend(halves)
        elif item:
            items.append(item)
    return items


def _subjects(text: str) -> list[tuple[str, int, int]]:
    """(subject, verb start, clause end) for each risk verb, clauses split after a predicate."""
    found = []
    start = 0
    verbs = list(_VERB.finditer(text))
    for position, verb in enumerate(verbs):
        if position > 0:
            boundary = _BOUNDARY.search(text, verbs[position - 1].end(), verb.start())
            if boundary is None:
                continue
            start = boundary.end()
        following = _BOUNDARY.search(text, verb.end())
        found.append(
            (text[start : verb.start()], verb.end(), following.start() if following else len(text))
        )
    return found


def _effect(
    context: Context, statement: Statement, item: str, target: str, stat: tuple[float, str] | None
) -> MedicationEffectFact:
    label = context.registry.add("medication", Name(sentence_case(item, context.keep_case)))
    value, text = stat if stat else (None, None)
    return MedicationEffectFact(label, target, statement.index, value, text)


def extract_section_effects(context: Context, statement: Statement) -> list[MedicationEffectFact]:
    """Medication effects of a statement in a medication-induced section."""
    text = statement.text
    include = _INCLUDE.search(text)
    if include:
        target = context.target(statement, text[: include.start()])
        items = medication_items(include.group("items"))
        return [_effect(context, statement, i, target, None) for i in items] if target else []
    facts: list[MedicationEffectFact] = []
    for subject, verb_end, clause_end in _subjects(text):
        target = context.target(statement, text[verb_end:clause_end])
        if target is None:
            continue
        subs = [
            m for m in _SUB_ITEM.finditer(text, verb_end, clause_end) if _has_drug(m.group("item"))
        ]
        taken = [(m.start("stat"), m.end("stat")) for m in subs]
        odds = [
            s
            for s in statement.statistics
            if s.kind == "OR"
            and s.value is not None
            and verb_end <= s.start < clause_end
            and not any(a <= s.start < b for a, b in taken)
        ]
        items = medication_items(subject)
        value = odds[0].value if odds and len(items) == 1 else None
        stat = (value, odds[0].text) if value is not None else None
        facts += [_effect(context, statement, item, target, stat) for item in items]
        for sub in subs:
            item = re.split(r"\b(?:for|with)\s+", sub.group("item"))[-1]
            value = float(sub.group("stat").split()[1])
            facts.append(_effect(context, statement, item, target, (value, sub.group("stat"))))
    return facts


def _has_drug(phrase: str) -> bool:
    return bool(find_drugs(phrase))


def extract_taking_effects(
    context: Context, statement: Statement, condition: str
) -> list[MedicationEffectFact]:
    """ "… in patients taking anticoagulants such as warfarin": warfarin induces the condition."""
    facts = []
    for match in _TAKING.finditer(statement.text):
        what = match.group("what")
        such = _SUCH_AS.search(what)
        for item in medication_items(such.group("items") if such else what):
            facts.append(_effect(context, statement, item, condition, None))
    return facts
