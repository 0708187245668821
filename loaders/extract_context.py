"""What every extraction step shares: the article, its section contexts, the entity registry.

Also the first pass over the article that registers its conditions from structure: the primary
condition, entity headings, the subjects of presentation sentences, associated-condition lists
and "differentiate X from … such as a, b" lists, plus the synonyms printed beside their names.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Final

from .facts import Entity
from .mentions import Registry
from .names import (
    Name,
    capitalised_words,
    clean_phrase,
    is_abbreviation_of,
    split_list,
    split_name,
)
from .records import Article, Statement
from .section_kinds import SectionContext, classify_sections
from .vocabulary import Vocabulary

_SUBJECT: Final[re.Pattern[str]] = re.compile(
    r"^(?P<subject>[A-Z][^,;:]{2,90}?)\s+(?:presents?\s+(?:with|as)|causes?|"
    r"(?:is|are)\s+(?:the\s+most\s+common|characterized|a\s+common|an?\s+\w+\s+cause)|"
    r"(?:typically|usually|often)\s+(?:presents?|causes?|occurs?)|occurs?\b)",
)
_NOT_SUBJECT: Final[re.Pattern[str]] = re.compile(
    r"^(?:this|these|it|they|that|those|there|rupture|treatment|history|when|if|because)\b",
    re.IGNORECASE,
)
_FIRST_SENTENCE_PRIMARY: Final[re.Pattern[str]] = re.compile(
    r"\b(?:most\s+(?:common|important|likely)|main|leading|primary)\b[^.]*?\b(?:is|are)\s+"
    r"(?P<name>[^,;.()]+(?:\([^()]*\))?)",
    re.IGNORECASE,
)
_DIFFERENTIATE: Final[re.Pattern[str]] = re.compile(
    r"\bdifferentiat\w*\s+.+?\s+from\s+(?:other\s+\w+\s+)?(?:such\s+as|including)\s+"
    r"(?P<items>[^.;]+)",
    re.IGNORECASE,
)
_ALSO_CALLED: Final[re.Pattern[str]] = re.compile(
    r"^\s*\((?:also\s+(?:called|known\s+as|termed)\s+)?(?P<inner>[^()]+)\)"
)


@dataclass
class Context:
    """The article being extracted and what the first pass learnt about it."""

    article: Article
    vocabulary: Vocabulary
    registry: Registry
    sections: dict[int, SectionContext]
    keep_case: frozenset[str]
    primary: str | None = None
    section_condition: dict[int, str] = field(default_factory=dict)
    subjects: dict[int, str] = field(default_factory=dict)  # statement -> condition it is about
    differentials: dict[str, int] = field(default_factory=dict)  # condition -> first statement
    associated_items: dict[int, str] = field(default_factory=dict)  # bullet -> condition
    warnings: list[str] = field(default_factory=list)

    def section(self, statement: Statement) -> SectionContext:
        """The context of the statement's section ("general" before the first heading)."""
        if statement.section is None:
            return SectionContext("general")
        return self.sections[statement.section]

    def statement(self, index: int) -> Statement:
        """A statement by its index."""
        return self.article.statements[index]

    def conditions_named(self, text: str) -> list[str]:
        """Canonical labels of the known conditions a text names, in order."""
        return list(
            dict.fromkeys(f.label for f in self.registry.find(text) if f.kind == "condition")
        )

    def target(
        self, statement: Statement, text: str, exclude: frozenset[str] | set[str] = frozenset()
    ) -> str | None:
        """The condition a statement speaks of: named, else its section's, else the primary."""
        own = (
            self.section_condition.get(statement.section) if statement.section is not None else None
        )
        named = [c for c in self.conditions_named(text) if c not in exclude]
        if own is not None and own in named:
            return own
        if named:
            return named[0]
        return own or self.primary


def build_context(article: Article, vocabulary: Vocabulary, known: tuple[Entity, ...]) -> Context:
    """Section contexts and the article's conditions, registered from its structure."""
    keep = capitalised_words(s.text for s in article.statements)
    context = Context(
        article, vocabulary, Registry(known, vocabulary), classify_sections(article), keep
    )
    _register_sections(context)
    for statement in article.statements:
        _register_statement(context, statement)
    for statement in article.statements:
        _register_printed_synonyms(context, statement)
    if context.primary is None:
        _primary_from_first_sentence(context)
    return context


def _name(context: Context, phrase: str) -> Name:
    return split_name(phrase, context.keep_case)


def _register_sections(context: Context) -> None:
    for section in context.article.sections:
        sc = context.sections[section.index]
        if sc.kind == "entity" and sc.condition_name and section.title.endswith(sc.condition_name):
            label = context.registry.add("condition", _name(context, sc.condition_name))
            if sc.primary and context.primary is None:
                context.primary = label
            if sc.differential:
                first = next(
                    (s.index for s in context.article.statements if s.section == section.index),
                    None,
                )
                if first is not None:
                    context.differentials.setdefault(label, first)
        name = sc.target_name or sc.condition_name
        if name:
            resolved = context.registry.resolve(_name(context, name).label)
            if resolved:
                context.section_condition[section.index] = resolved


def _register_statement(context: Context, statement: Statement) -> None:
    sc = context.section(statement)
    if sc.kind == "other-conditions" and statement.kind == "sentence":
        match = _SUBJECT.match(statement.text)
        if match and not _NOT_SUBJECT.match(match.group("subject")):
            subject = match.group("subject")
            if len(subject.split()) <= 8:
                label = context.registry.add("condition", _name(context, subject))
                context.subjects[statement.index] = label
                if sc.differential:
                    context.differentials.setdefault(label, statement.index)
    if sc.kind == "associated" and statement.kind == "bullet":
        label = context.registry.add(
            "condition", _name(context, statement.text), also=("risk-factor",)
        )
        context.associated_items[statement.index] = label
    differentiate = _DIFFERENTIATE.search(statement.text)
    if differentiate and sc.kind != "treatment":
        for item in split_list(differentiate.group("items")):
            phrase = clean_phrase(item)
            resolved = context.registry.resolve(phrase)
            if resolved is None and not context.registry.ambiguous(phrase):
                resolved = context.registry.add("condition", _name(context, phrase))
            if resolved is not None:
                context.differentials.setdefault(resolved, statement.index)


def _register_printed_synonyms(context: Context, statement: Statement) -> None:
    """ "X (ABBR)" and "X (also called Y)" beside a known name add a synonym to it."""
    text = statement.text
    for found in context.registry.find(text):
        if found.kind != "condition":
            continue
        match = _ALSO_CALLED.match(text[found.end :])
        if not match:
            continue
        inner, named = match.group("inner").strip(), text[found.start : found.end]
        if match.group(0).lstrip("( ").lower().startswith("also"):
            context.registry.add_synonym(found.label, split_name(inner, context.keep_case).label)
        elif " " not in inner and is_abbreviation_of(inner, named):
            context.registry.add_synonym(found.label, inner)


def _primary_from_first_sentence(context: Context) -> None:
    for statement in context.article.statements[:3]:
        match = _FIRST_SENTENCE_PRIMARY.search(statement.text)
        if match:
            context.primary = context.registry.add("condition", _name(context, match.group("name")))
            return
    context.warnings.append(
        f"{context.article.source}: no primary condition found (no 'Primary Condition:' heading "
        "and no 'the most common … is X' opening); relations to it are skipped"
    )
