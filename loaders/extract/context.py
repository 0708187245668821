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
from clinkg.loaders.extract.condition_names import (
    coordinated_names,
    is_condition_name,
    is_title_cased,
    lead_name,
    names_group,
    synonyms_after,
    unqualified_forms,
)
from clinkg.loaders.extract.entities import Registry
from clinkg.loaders.extract.facts import Entity
from clinkg.loaders.extract.name_keys import KindKey
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
    r"leads?|gives?|develops?|manifests?|arises?|follows?|reflects?|represents?|resembles?|"
    r"appears?|involves?|begins?|starts?|spreads?|looks?)\b"
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
    # "Lead: sentence" paragraphs: the condition the lead names, None when it names another
    # state than the section's condition ("Incidental Nodules: …" is no fact of the section's)
    leads: dict[int, str | None] = field(default_factory=dict)
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
        if statement.index in self.leads:
            own, targets = self.leads[statement.index], ()
        named = [c for c in self.conditions_named(text) if c not in exclude]
        preferred = [c for c in named if c == own or c in targets]
        preferred += [c for c in named if own is not None and _narrower(c, own)]
        if preferred or named:
            return (preferred or named)[0]
        if own is not None and own not in exclude:
            return own
        if targets:
            return targets[0]
        if statement.index in self.leads:
            return None
        if section is not None and section in self.not_primary:
            return None
        return self.primary


def _narrower(candidate: str, condition: str) -> bool:
    """True when a label is the condition's name with words added ("heart failure with …")."""
    inner, outer = fold_name(condition).split(), fold_name(candidate).split()
    return len(outer) > len(inner) and outer[: len(inner)] == inner


def build_context(
    article: Article,
    vocabulary: Vocabulary,
    known: tuple[Entity, ...],
    asked: set[KindKey] | None = None,
) -> Context:
    """Section contexts and the article's conditions, registered from its structure; `asked`
    collects the name keys looked up among the known entities (entities.Registry)."""
    keep = capitalised_words(s.text for s in article.statements)
    registry = Registry(known, vocabulary, asked)
    context = Context(article, vocabulary, registry, classify_sections(article), keep)
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
            if _register_coordinated(context, section.index, sc):
                continue
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


def _register_coordinated(context: Context, section: int, sc: SectionContext) -> bool:
    """A heading "A and B" that names two conditions (and no known one as a whole): each is a
    condition, and the section is about both; its sentences say which one they describe."""
    assert sc.condition_name is not None
    parts = coordinated_names(sc.condition_name)
    if parts is None or context.registry.resolve(_name(context, sc.condition_name).label):
        return False
    labels = tuple(context.registry.add("condition", _name(context, p)) for p in parts)
    context.section_targets[section] = labels
    first = next((s.index for s in context.article.statements if s.section == section), None)
    if sc.differential and first is not None:
        for label in labels:
            context.differentials.setdefault(label, first)
    return True


def _expanded(context: Context, name: str) -> Name:
    """An abbreviation as the name the article defines for it ("GCA" -> its long form)."""
    definition = context.abbreviations.get(name)
    if definition is None:
        return _name(context, name)
    return Name(_name(context, definition.long).label, (definition.short,))


def _register_targets(context: Context, section: int, heading: str) -> None:
    """The condition(s) a "For X:" heading names; "For Other Causes" or "For Viral Causes"
    names none, not the primary."""
    if heading_kind(heading) == "other-conditions" or names_group(heading):
        context.not_primary.add(section)
        return
    for form in (heading, *unqualified_forms(heading)):
        whole = context.registry.resolve(_name(context, form).label)
        if whole is not None:
            context.section_condition[section] = whole
            return
    parts = [p for p in re.split(r",\s*|\s+and\s+", heading) if p.strip()]
    resolved = [context.registry.resolve(_name(context, p).label) for p in parts]
    if len(parts) > 1 and all(resolved):
        context.section_targets[section] = tuple(r for r in resolved if r)


def _register_lead(context: Context, statement: Statement) -> bool:
    """ "Lead: sentence" in a section on conditions: a lead naming a condition makes it the
    statement's subject; a heading-like lead naming another state takes the statement out of
    the section's condition. True when the statement's subject is settled."""
    sc = context.section(statement)
    lead = lead_name(statement.text)
    if lead is None or sc.kind not in ("entity", "other-conditions"):
        return False
    known = context.registry.resolve(lead, heads=False, everywhere=True)
    # under a heading naming a group, a paragraph's lead names one of its conditions
    grouped = sc.kind == "other-conditions" and statement.kind == "sentence"
    if known is None and (is_condition_name(lead) or grouped):
        known = context.registry.add("condition", _name(context, lead))
    if known is not None:
        context.subjects[statement.index] = known
        context.leads[statement.index] = known
        if sc.differential:
            context.differentials.setdefault(known, statement.index)
        return True
    own = (
        context.section_condition.get(statement.section) if statement.section is not None else None
    )
    if statement.kind == "sentence" and is_title_cased(lead) and own not in (None, lead):
        context.leads[statement.index] = None
        return True
    return False


def _register_statement(context: Context, statement: Statement) -> None:
    sc = context.section(statement)
    if _register_lead(context, statement):
        pass
    elif (
        sc.kind == "other-conditions"
        or (sc.kind == "entity" and statement.section in context.section_targets)
    ) and statement.kind == "sentence":
        subject = (
            _prose_subject(context, statement.text)
            or _named_subject(context, statement.text)
            or _grouped_subject(context, statement)
        )
        if subject is not None:
            label = _section_target(context, statement, subject) or context.registry.add(
                "condition", subject
            )
            for member in subject.narrower:
                context.registry.add("condition", _name(context, member))
            context.subjects[statement.index] = label
            if sc.differential:
                context.differentials.setdefault(label, statement.index)
    elif sc.kind == "entity" and statement.kind == "sentence":
        _register_other_subject(context, statement)
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


def _register_other_subject(context: Context, statement: Statement) -> None:
    """A sentence in a section on one condition whose subject is another condition the article
    names, and which does not name the section's, is about that one ("B also causes …" under a
    heading on A)."""
    own = (
        context.section_condition.get(statement.section) if statement.section is not None else None
    )
    subject = _prose_subject(context, statement.text) or _named_subject(context, statement.text)
    if own is None or subject is None:
        return
    known = context.registry.resolve(subject.label)
    if known is None or known == own or own in context.conditions_named(statement.text):
        return
    context.subjects[statement.index] = known
    context.leads[statement.index] = known


def _section_target(context: Context, statement: Statement, subject: Name) -> str | None:
    """The condition of an "A and B" heading a sentence's subject names, qualified or not
    ("Acute B causes …" under "A and B" is about B)."""
    section = statement.section
    targets = context.section_targets.get(section) if section is not None else None
    for form in (subject.label, *unqualified_forms(subject.label)):
        resolved = context.registry.resolve(form, heads=False) if targets else None
        if targets and resolved in targets:
            return resolved
    return None


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


# A word that can be a sentence's verb after its subject: a third-person form ("reflects"), a
# past form ("followed"), an auxiliary, or an adverb before one.
_VERB_LIKE: Final[re.Pattern[str]] = re.compile(
    r"^(?:[a-z]+ly|[a-z]{3,}[^s\W]s|[a-z]{3,}ed|is|are|was|were|has|have|can|may|might|will|would|"
    r"should|does|do)$"
)


def _grouped_subject(context: Context, statement: Statement) -> Name | None:
    """Under a heading naming a group of conditions ("Fungal Causes"), the short subject of a
    paragraph's first sentence names one of them even when no vocabulary knows it."""
    if statement.section is None or not names_group(
        context.article.sections[statement.section].title
    ):
        return None
    first = next(s for s in context.article.statements if s.line == statement.line)
    end = _SUBJECT_END.search(statement.text)
    if first.index != statement.index or end is None or _NOT_SUBJECT.match(statement.text):
        return None
    phrase = clean_phrase(statement.text[: end.start()])
    if not phrase or len(phrase.split()) > 4 or re.search(r"[^\w\s'-]|\d", phrase):
        return None
    return _name(context, phrase)


def _named_subject(context: Context, text: str) -> Name | None:
    """The disorder a sentence opens with when its verb is none the introducing verbs list ("A
    deep abscess reflects …"): the shortest opening that names one and is followed by a verb."""
    if _NOT_SUBJECT.match(text):
        return None
    words = text.split()
    for end in range(1, min(len(words), _MAX_SUBJECT_WORDS + 1)):
        phrase = clean_phrase(" ".join(words[:end]))
        if phrase and _VERB_LIKE.match(words[end]) and is_condition_name(phrase):
            if re.search(r"[,;:()]", " ".join(words[:end])):
                return None
            return _name(context, phrase)
    return None


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
