"""Treatment options and their recommendation status, from treatment statements.

The status comes from the vocabulary's cue phrases (skos:hiddenLabel of ckg:Recommended, …).
A cue either follows its treatment ("Quinine is no longer recommended") or precedes it ("Acute
treatment consists of stretching …", "Cellulitis requires antibiotics …", "Limited evidence
supports treating X with a, or with medications such as b, c").
"""

from __future__ import annotations

import re
from typing import Final

from .extract_context import Context
from .facts import Status, TreatmentFact
from .lexicon import drug_of_phrase, find_drugs
from .medications import medication_items
from .names import Name, clean_phrase, sentence_case, split_list
from .records import Statement
from .vocabulary import ConceptMatch

# Cues after which the treatment is named (the subject is a condition or "treatment").
_OBJECT_CUE: Final[re.Pattern[str]] = re.compile(
    r"^(?:consists?\s+of|(?:is|are)\s+treated\s+with|requires?|(?:is|are)\s+managed\b.*\bwith|"
    r"may\s+be\s+managed\s+with|limited\s+evidence|insufficient\s+evidence|weak\s+evidence)",
    re.IGNORECASE,
)
# Clause breaks: semicolons, concessive/relative commas, and "and" joining a second verb
# phrase to the same subject ("… is not recommended routinely and is reserved for …").
_CLAUSES: Final[re.Pattern[str]] = re.compile(
    r";\s+|,\s+(?:although|though|whereas|but|while|which)\s+"
    r"|\s+and\s+(?=(?:is|are|was|were|should|may|can|must)\s)"
)
_INTRO: Final[re.Pattern[str]] = re.compile(
    r"^(?:(?:for|after|in|when|if|because|once|during)\b[^,]*,\s*)+", re.IGNORECASE
)
_SO: Final[re.Pattern[str]] = re.compile(r"^.*,\s+so\s+", re.IGNORECASE)
_TREAT_WORD: Final[re.Pattern[str]] = re.compile(r"\b(?:treat\w*|therap\w*|management)\b", re.I)
_TREATING: Final[re.Pattern[str]] = re.compile(
    r"^\s*(?:supports?\s+)?(?:treating|managing)\s+(?P<target>.+?)\s+with\s+(?P<what>.+)$",
    re.IGNORECASE,
)
_PURPOSE: Final[re.Pattern[str]] = re.compile(
    r"^\s*(?:routinely\s+)?(?P<purpose>to\s+(?!treat\b)\w+\s+[^,;]+)", re.IGNORECASE
)
_TO_TREAT: Final[re.Pattern[str]] = re.compile(r"^\s*to\s+treat\s+(?P<target>[^,;]+)", re.I)
_OBJECT_END: Final[re.Pattern[str]] = re.compile(
    r"\s+(?:instead\s+of|rather\s+than|in\s+preference\s+to|once|when|until|unless|"
    r"because)\s+.*$",
    re.IGNORECASE,
)
_PRONOUNS: Final[re.Pattern[str]] = re.compile(r"^(?:it|they|this|these|those)$", re.IGNORECASE)
_MEMBERS: Final[re.Pattern[str]] = re.compile(r"^(?P<head>[^()]+?)\s*\((?P<members>[^()]+)\)$")


def extract_treatments(
    context: Context, statement: Statement, in_treatment_section: bool
) -> list[TreatmentFact]:
    """Treatment facts of one statement (outside treatment sections only "treatment with …")."""
    if statement.kind == "lead-in":
        return []
    if not in_treatment_section and not _TREAT_WORD.search(statement.text):
        return []
    facts: list[TreatmentFact] = []
    for clause in _CLAUSES.split(statement.text.rstrip(".")):
        cues = context.vocabulary.find(clause, "RecommendationStatus")
        if cues:
            facts += _clause_facts(context, statement, clause, cues[0])
    return facts


def _clause_facts(
    context: Context, statement: Statement, clause: str, cue: ConceptMatch
) -> list[TreatmentFact]:
    status: Status = cue.concept  # type: ignore[assignment]
    subject = clause[: cue.start].strip()
    after = clause[cue.end :]
    no_longer = "no longer" in cue.text.lower()
    if _OBJECT_CUE.match(cue.text):
        return _object_facts(context, statement, subject, after, status, cue.text)
    subject = _SO.sub("", _INTRO.sub("", subject))
    subject = re.sub(r"^treatment\s+with\s+", "", clean_phrase(subject), flags=re.IGNORECASE)
    if not subject or _PRONOUNS.match(subject) or len(subject.split()) > 12:
        return []
    target_text = clause
    to_treat = _TO_TREAT.match(after)
    if to_treat:
        target_text = to_treat.group("target")
    else:
        purpose = _PURPOSE.match(after)
        if purpose:
            subject = f"{subject} {purpose.group('purpose').strip()}"
    target = context.target(statement, target_text)
    return _options(context, statement, target, subject, status, cue.text, no_longer)


def _object_facts(
    context: Context, statement: Statement, subject: str, after: str, status: Status, cue: str
) -> list[TreatmentFact]:
    treating = _TREATING.match(after)
    if treating:
        target = context.registry.resolve(treating.group("target")) or context.target(
            statement, treating.group("target")
        )
        what = treating.group("what")
    else:
        named = context.conditions_named(subject)
        if not named and not _TREAT_WORD.search(subject):
            return []
        target = named[0] if named else context.target(statement, subject)
        what = after
    facts = []
    for alternative in re.split(r",?\s+or\s+with\s+", _OBJECT_END.sub("", what)):
        for item in _object_items(alternative):
            facts += _options(context, statement, target, item, status, cue, False)
    return facts


def _object_items(phrase: str) -> list[str]:
    """Treatments in an object phrase: a "such as" list, a list of drugs, or one treatment."""
    such = re.search(r"\bsuch\s+as\s+(?P<items>.+)$", phrase, re.IGNORECASE)
    if such:
        return [clean_phrase(i) for i in split_list(such.group("items"))]
    items = medication_items(phrase) if "," in phrase or drug_of_phrase(phrase) else [phrase]
    if len(items) > 1 and not all(drug_of_phrase(i) for i in items):
        return [clean_phrase(phrase)]
    return [clean_phrase(i) for i in items]


def _options(
    context: Context,
    statement: Statement,
    target: str | None,
    wording: str,
    status: Status,
    cue: str,
    no_longer: bool,
) -> list[TreatmentFact]:
    """One fact per treatment; "A (b, c)" gives A and its members b, c (broader A)."""
    if target is None:
        context.warnings.append(
            f"{context.article.source}, line {statement.line}: treatment '{wording}' has no "
            "condition to attach to; skipped"
        )
        return []
    wording = clean_phrase(wording)
    members: list[str] = []
    grouped = _MEMBERS.match(wording)
    if grouped:
        listed = medication_items(grouped.group("members"))
        if listed and all(drug_of_phrase(m) for m in listed):
            wording, members = grouped.group("head").strip(), listed
    label = sentence_case(wording, context.keep_case)
    facts = [_fact(context, statement, target, label, status, cue, no_longer, None)]
    facts += [
        _fact(
            context,
            statement,
            target,
            sentence_case(m, context.keep_case),
            status,
            cue,
            no_longer,
            label,
        )
        for m in members
    ]
    return facts


def _fact(
    context: Context,
    statement: Statement,
    target: str,
    label: str,
    status: Status,
    cue: str,
    no_longer: bool,
    broader: str | None,
) -> TreatmentFact:
    if drug_of_phrase(label) is not None:
        names = [label]
    else:
        names = [
            sentence_case(label[h.start : h.end], context.keep_case)
            for h in find_drugs(label)
            if h.drugbank is not None
        ]
    medications = tuple(context.registry.add("medication", Name(n)) for n in names)
    return TreatmentFact(
        target, label, status, statement.index, cue, no_longer, medications, broader
    )
