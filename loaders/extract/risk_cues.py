"""What a risk cue's neighbourhood says about the link: whether the cue reads "less common",
which side of an "associated with" names the condition, and which items are no exposure.

The words are data (`ckg:LessCommonWording`, `ckg:SignHead`, the triggers and the
`RiskFactorsInclude` cues of `ontology/vocabulary.ttl`); `risk_prose` reads these answers.
"""

from __future__ import annotations

import re
from typing import Final

from clinkg.loaders.extract.context import Context
from clinkg.loaders.extract.risk_facts import concept_pattern
from clinkg.loaders.parse.records import Statement
from clinkg.loaders.vocabularies.vocabulary import ConceptMatch

# Triggers that are also events a condition follows ("most often after an injury").
_EVENT_TRIGGERS: Final[frozenset[str]] = frozenset({"Trauma"})
# How far before a cue a "less" still qualifies it ("is much less common in").
_LESS_WINDOW: Final[int] = 3
# "risk factors for X include": the condition named inside the cue.
_FOR_CONDITION: Final[re.Pattern[str]] = re.compile(r"\bfor\s+(?P<name>.+?)\s+(?:include|are)\b")
# What may stand between "associated with" and the condition it names ("also", "the").
_BEFORE_NAME: Final[re.Pattern[str]] = re.compile(
    r"^\s*(?:(?:an?|the|both|also|later|subsequent)\s+)*", re.IGNORECASE
)


def less_common(left: str, cue: ConceptMatch) -> bool:
    """True when a cue reads as rarer ("much less common in", "rarely affects")."""
    words = " ".join(left.split()[-_LESS_WINDOW:])
    pattern = concept_pattern("LessCommonWording")
    return bool(pattern.search(cue.text) or pattern.search(words))


def is_sign(label: str) -> bool:
    """True when an item's head is a sign or symptom ("weakness of eversion", "burning pain")."""
    found = list(concept_pattern("SignHead").finditer(label))
    if not found:
        return False
    return found[0].start() == 0 or found[-1].end() >= len(label.rstrip(" ."))


def is_trigger(context: Context, label: str) -> bool:
    """True when the vocabulary's triggers name the whole item ("meals", "exercise"): what
    brings a symptom on, not a risk factor; an injury is both, and an event before a condition."""
    found = context.vocabulary.find(label, "Trigger")
    if not found or found[0].concept in _EVENT_TRIGGERS:
        return False
    return found[0].start == 0 and found[0].end >= len(label.rstrip(" ."))


def condition_follows(context: Context, statement: Statement, left: str, right: str) -> str | None:
    """The condition an "X is associated with C" names right after its cue, when the subject
    names no condition, or when C is the section's own and the subject is not; else None (the
    condition is the subject, "migraine is associated with obesity")."""
    after = _BEFORE_NAME.sub("", right)
    named = [f for f in context.registry.find(after) if f.kind == "condition"]
    if not named or named[0].start != 0:
        return None
    before = {f.label for f in context.registry.find(left) if f.kind == "condition"}
    own = (
        context.section_condition.get(statement.section) if statement.section is not None else None
    )
    if not before or (named[0].label == own and own not in before):
        return named[0].label
    return None


def listed_condition(context: Context, statement: Statement, cue: str) -> str | None:
    """The condition a "risk factors (for X) include" list is of: X when the article defines it,
    none when X is something else, else the sentence's or section's condition."""
    named = _FOR_CONDITION.search(cue)
    if named is None:
        return context.target(statement, statement.text)
    conditions = context.conditions_named(named.group("name"))
    if conditions:
        return conditions[0]
    if named.group("name").lower() in ("it", "this", "this condition", "them"):
        return context.target(statement, statement.text)
    return None
