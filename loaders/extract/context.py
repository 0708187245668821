"""What every extraction step shares: the article, its section contexts, the entity registry.

Also the first pass over the article that registers its conditions from structure: the primary
condition, entity headings, the subjects of presentation sentences, associated-condition lists
and "differentiate X from … such as a, b" lists, plus the synonyms printed beside their names.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Final

from clinkg.loaders.extract.abbreviations import Definition, definitions
from clinkg.loaders.extract.condition_names import is_condition_name, synonyms_after
from clinkg.loaders.extract.entities import Registry
from clinkg.loaders.extract.facts import Entity
from clinkg.loaders.extract.names import (
    Name,
    capitalised_words,
    clean_phrase,
    is_abbreviation_of,
    split_list,
    split_name,
)
from clinkg.loaders.extract.sections import SectionContext, classify_sections, heading_kind
from clinkg.loaders.parse.records import Article, Statement
from clinkg.loaders.vocabularies.lexicon import fold_name, hpo_index
from clinkg.loaders.vocabularies.vocabulary import Vocabulary

# Where the subject of a sentence introducing a condition ends: its first verb of presentation.
_SUBJECT_END: Final[re.Pattern[str]] = re.compile(
    r"\s+(?:(?:can|may|often|usually|typically|commonly|classically|also|most\s+often)\s+)*"
    r"(?:presents?|causes?|is|are|occurs?|invades?|refers?|produces?|results?|affects?|mimics?|"
    r"leads?|gives?|develops?|manifests?|arises?|follows?)\b"
)
# The subject verbs that say the subject brings the complaint on.
_CAUSAL_VERB: Final[re.Pattern[str]] = re.compile(r"\b(?:causes?|produces?|leads?|results?)$")
_NOT_SUBJECT: Final[re.Pattern[str]] = re.compile(
    r"^(?:this|these|it|they|that|those|there|when|if|because|in|on|at|after|during)\b",
    re.IGNORECASE,
)
_SUCH_AS: Final[re.Pattern[str]] = re.compile(r"\s+(?:such\s+as|including)\s+", re.IGNORECASE)
# A cause or circumstance after a condition's name is not part of it ("compression from …").
_SUBJECT_TAIL: Final[re.Pattern[str]] = re.compile(
    r"\s+(?:from|due\s+to|caused\s+by|secondary\s+to|in\s+(?:patients|people|adults))\s+.*$",
    re.IGNORECASE,
)
_MAX_SUBJECT_WORDS: Final[int] = 12
_RELATIVE: Final[re.Pattern[str]] = re.compile(r"\s+(?:that|which|who)\b.*$", re.IGNORECASE)
_PREPOSITION: Final[re.Pattern[str]] = re.compile(
    r"^(?:at|in|of|on|from|with|within|near|behind|around|along)\b", re.IGNORECASE
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
# An appositive saying the condition just named is a form of the one the text is about.
_FORM_OF: Final[re.Pattern[str]] = re.compile(
    r"^\s*(?:\([^()]*\))?,\s+(?:its|their)\s+(?:most\s+common\s+|commonest\s+|main\s+)?"
    r"(?:[\w-]+\s+)?(?:form|type|subtype|variant)\b",
    re.IGNORECASE,
)
_PRINTED_ABBREVIATION: Final[re.Pattern[str]] = re.compile(r"^\s*\((?P<inner>[^()\s]+)\)")


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
    # sections whose heading names several conditions ("For COPD and Pulmonary Fibrosis")
    section_targets: dict[int, tuple[str, ...]] = field(default_factory=dict)
    # sections that exclude the primary condition by their heading ("For Other Causes")
    not_primary: set[int] = field(default_factory=set)
    abbreviations: dict[str, Definition] = field(default_factory=dict)  # short form -> first
    subjects: dict[int, str] = field(default_factory=dict)  # statement -> condition it is about
    differentials: dict[str, int] = field(default_factory=dict)  # condition -> first statement
    associated_items: dict[int, str] = field(default_factory=dict)  # bullet -> condition
    bullets: dict[int, list[Statement]] = field(default_factory=dict)  # lead-in -> its bullets
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
        """The condition a statement speaks of: one the text names (the section's own first, then
        one of the heading's conditions, then one narrower than the section's, PMR under polymyalgic
        failure), else the section's, else the primary unless the heading excludes it."""
        section = statement.section
        own = self.section_condition.get(section) if section is not None else None
        targets = self.section_targets.get(section, ()) if section is not None else ()
        named = [c for c in self.conditions_named(text) if c not in exclude]
        preferred = [c for c in named if c == own or c in targets]
        preferred += [c for c in named if own is not None and _narrower(c, own)]
        if preferred or named:
            return (preferred or named)[0]
        if own is not None and own not in exclude:
            return own
        if targets:
            return targets[0]
        if section is not None and section in self.not_primary:
            return None
        return self.primary


def _narrower(candidate: str, condition: str) -> bool:
    """True when a label is the condition's name with words added ("heart failure with …")."""
    inner, outer = fold_name(condition).split(), fold_name(candidate).split()
    return len(outer) > len(inner) and outer[: len(inner)] == inner


def build_context(article: Article, vocabulary: Vocabulary, known: tuple[Entity, ...]) -> Context:
    """Section contexts and the article's conditions, registered from its structure."""
    keep = capitalised_words(s.text for s in article.statements)
    context = Context(
        article, vocabulary, Registry(known, vocabulary), classify_sections(article), keep
    )
    for statement in article.statements:
        for definition in definitions(statement.text):
            context.abbreviations.setdefault(definition.short, definition)
        if statement.kind == "bullet" and statement.lead_in is not None:
            context.bullets.setdefault(statement.lead_in, []).append(statement)
    _register_sections(context)
    for statement in article.statements:
        _register_statement(context, statement)
    # Printed synonyms before abbreviations, so "X, now called Y (ABBR)" gives X a synonym
    # rather than Y a condition of its own; and after, for names the abbreviations registered.
    for register in (
        _register_printed_synonyms,
        _register_abbreviations,
        _register_printed_synonyms,
    ):
        for statement in article.statements:
            register(context, statement)
    for statement in article.statements:
        _register_forms(context, statement)
    for section in article.sections:
        target_name = context.sections[section.index].target_name
        if target_name:
            _register_targets(context, section.index, target_name)
    if context.primary is None:
        _primary_from_first_sentence(context)
    return context


def _name(context: Context, phrase: str) -> Name:
    return split_name(phrase, context.keep_case)


def _register_sections(context: Context) -> None:
    firsts: dict[int, int] = {}  # section -> its first statement
    for statement in context.article.statements:
        if statement.section is not None:
            firsts.setdefault(statement.section, statement.index)
    for section in context.article.sections:
        sc = context.sections[section.index]
        if sc.kind == "entity" and sc.condition_name and section.title.endswith(sc.condition_name):
            name = _name(context, sc.condition_name)
            label = context.registry.add("condition", name)
            for narrower in name.narrower:
                context.registry.add("condition", _expanded(context, narrower))
            if sc.primary and context.primary is None:
                context.primary = label
            if sc.differential and section.index in firsts:
                context.differentials.setdefault(label, firsts[section.index])
        if sc.condition_name and not sc.target_name:
            resolved = context.registry.resolve(_name(context, sc.condition_name).label)
            if resolved:
                context.section_condition[section.index] = resolved


def _expanded(context: Context, name: str) -> Name:
    """An abbreviation as the name the article defines for it ("GCA" -> its long form)."""
    definition = context.abbreviations.get(name)
    if definition is None:
        return _name(context, name)
    return Name(_name(context, definition.long).label, (definition.short,))


def _register_targets(context: Context, section: int, heading: str) -> None:
    """The condition(s) a "For X:" heading names; "For Other Causes" names none, not the
    primary."""
    if heading_kind(heading) == "other-conditions":
        context.not_primary.add(section)
        return
    whole = context.registry.resolve(_name(context, heading).label)
    if whole is not None:
        context.section_condition[section] = whole
        return
    parts = [p for p in re.split(r",\s*|\s+and\s+", heading) if p.strip()]
    resolved = [context.registry.resolve(_name(context, p).label) for p in parts]
    if len(parts) > 1 and all(resolved):
        context.section_targets[section] = tuple(r for r in resolved if r)


def _register_statement(context: Context, statement: Statement) -> None:
    sc = context.section(statement)
    if sc.kind == "other-conditions" and statement.kind == "sentence":
        subject = _prose_subject(context, statement.text)
        if subject is not None:
            label = context.registry.add("condition", subject)
            for member in subject.narrower:
                context.registry.add("condition", _name(context, member))
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


def _prose_subject(context: Context, text: str) -> Name | None:
    """The condition a sentence introduces as its subject ("A Pancoast tumor (superior sulcus
    cyst) behind the knee causes …"), with the names it prints and the members it lists."""
    end = _SUBJECT_END.search(text)
    if end is None or _NOT_SUBJECT.match(text):
        return None
    phrase = text[: end.start()]
    members: tuple[str, ...] = ()
    such = _SUCH_AS.search(phrase)
    if such:
        phrase = phrase[: such.start()]
        members = tuple(
            clean_phrase(part)
            for item in split_list(text[such.end() : end.start()])
            for part in _alternatives(item)
        )
    synonyms: tuple[str, ...] = ()
    phrase = _RELATIVE.sub("", phrase)
    if "," in phrase.split("(")[0]:
        # "X, also known as Y," names X twice; "X, grinding of the teeth," defines it.
        head = phrase[: phrase.index(",")]
        synonyms = tuple(s.name for s in synonyms_after(phrase, len(head)))
        phrase = head
    after = phrase.split(")", 1)[1].strip() if ")" in phrase else ""
    # "popliteal (Baker's) cyst" is one name read by split_name; "X (Y) at the apex" is X.
    if "(" in phrase and (not after or _PREPOSITION.match(after)):
        head = phrase[: phrase.index("(")]
        synonyms += tuple(s.name for s in synonyms_after(phrase, len(head.rstrip())))
        inner = phrase[phrase.index("(") + 1 :].split(")")[0].strip()
        if not synonyms and inner:
            synonyms = (inner,)
        phrase = head
    phrase = clean_phrase(_SUBJECT_TAIL.sub("", phrase))
    if not phrase or len(phrase.split()) > _MAX_SUBJECT_WORDS:
        return None
    known = context.registry.resolve(phrase, heads=False, everywhere=True)
    cause = _CAUSAL_VERB.search(end.group()) and _finding_as_cause(
        context, phrase, text[end.end() :]
    )
    if known is None and not is_condition_name(phrase) and not cause:
        return None
    name = _name(context, phrase)
    names = tuple(_name(context, s).label for s in synonyms)
    return Name(name.label, (*name.synonyms, *names), tuple(members))


def _finding_as_cause(context: Context, phrase: str, caused: str) -> bool:
    """True when an "other causes" subject is a finding HPO names whole ("nocturnal
    hypoventilation") and what it causes is a complaint at a body site: a cause to consider."""
    return bool(hpo_index().get(fold_name(phrase))) and bool(
        context.vocabulary.find(caused, "BodySite")
    )


def _alternatives(item: str) -> list[str]:
    """ "biliary colic or acute cholecystitis": two conditions when both sides name one."""
    parts = re.split(r"\s+(?:or|and)\s+", item)
    return parts if len(parts) > 1 and all(map(is_condition_name, parts)) else [item]


def _register_abbreviations(context: Context, statement: Statement) -> None:
    """ "Long form (ABBR)": the abbreviation names the entity of the long form; a long form
    that names a disorder and is not known yet becomes a condition (outside work-up and
    treatment sections, where long forms are tests and therapies)."""
    kind = context.section(statement).kind
    for definition in definitions(statement.text):
        known = context.registry.resolve(definition.long, heads=False)
        if known is not None:
            context.registry.add_synonym(known, definition.short)
        elif kind not in ("treatment", "diagnostic") and is_condition_name(definition.long):
            context.registry.add("condition", _expanded(context, definition.short))


def _register_forms(context: Context, statement: Statement) -> None:
    """ "X (ABBR), its most common form," in a differential's section: a form of a condition
    to tell apart is one to tell apart too."""
    if not context.section(statement).differential:
        return
    for found in context.registry.find(statement.text):
        if found.kind == "condition" and _FORM_OF.match(statement.text[found.end :]):
            context.differentials.setdefault(found.label, statement.index)


def _register_printed_synonyms(context: Context, statement: Statement) -> None:
    """Names printed beside a known condition's name ("X (also called Y)", "X, formerly called
    Y,", "X (ABBR)") become its synonyms."""
    text = statement.text
    for found in context.registry.find(text):
        if found.kind != "condition":
            continue
        for synonym in synonyms_after(text, found.end):
            context.registry.add_synonym(found.label, _name(context, synonym.name).label)
        match = _PRINTED_ABBREVIATION.match(text[found.end :])
        inner = match.group("inner") if match else ""
        if inner and is_abbreviation_of(inner, text[found.start : found.end]):
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
