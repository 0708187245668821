"""Medications stated to induce or worsen a condition, or stated not to, in any section.

A relation cue of the vocabulary (`ckg:MedicationEffectCues`: cause, worsen, increase the risk
of, are causes of …) relates the medications of the clause before it (its subject: a list of
drugs, a class "such as" or "(…)" its members, or a pronoun for the previous subject) to the
condition named after it. The scope stage (`scope.assertions`) decides each relation's polarity:
a negated or excepted relation is kept as a negated fact, a hypothetical one is dropped.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from functools import cache
from typing import Final

from rdflib.namespace import SKOS

from clinkg.loaders.extract.condition_names import (
    has_disorder_suffix,
    is_condition_name,
    names_one_disorder,
)
from clinkg.loaders.extract.context import Context
from clinkg.loaders.extract.facts import MedicationEffectFact, RiskFactorFact
from clinkg.loaders.extract.names import Name, clean_phrase, split_list, split_name
from clinkg.loaders.extract.scope import Assertion, assertions
from clinkg.loaders.parse.records import Statement, Statistic
from clinkg.loaders.vocabularies.lexicon import (
    drug_of_phrase,
    find_drugs,
    fold_name,
    vocabulary_mappings,
)
from clinkg.loaders.vocabularies.mappings import Mapping
from clinkg.loaders.vocabularies.vocabulary import CKG_NS, phrase_pattern, vocabulary_graph

_INCLUDE: Final[re.Pattern[str]] = re.compile(r"\binclud(?:e|es|ing)\s+(?P<items>[^;:]+?)\.?$")
# A new clause: its subject is read afresh.
_CLAUSE: Final[re.Pattern[str]] = re.compile(
    r";\s+|:\s+|,?\s+but\s+|,\s+(?:while|whereas)\s+|,\s+and,\s+|\s+because\s+"
)
# The verb group that ends a subject: "Losartan | is an exception and does not raise".
_AUXILIARY: Final[re.Pattern[str]] = re.compile(
    r"\s+(?:is|are|was|were|do|does|did|can|could|may|might|will|would|should|must|has|have|"
    r"had|not|never)\b",
    re.IGNORECASE,
)
_MODALS: Final[re.Pattern[str]] = re.compile(
    r"(?:\s+(?:can|may|might|could|will|also|often|commonly|frequently|each|all|both|roughly|"
    r"about|approximately|strongly|significantly|markedly|itself|themselves|reportedly|"
    r"double\s+to|double\s+or|two\s+to|up\s+to|"
    r"(?:is|are|was|were|has been|have been)(?:\s+\w+ly)?|the\s+most|a|an))+$",
    re.IGNORECASE,
)
_PRONOUN: Final[re.Pattern[str]] = re.compile(
    r"(?:^|\s)(?:they|these|it|this|both|these (?:drugs|agents|medications))$", re.IGNORECASE
)
# Clauses before a pronoun, the nearest last: "Although X may relieve pain, | they".
_SEGMENT: Final[re.Pattern[str]] = re.compile(r"[^,;:]+?(?:\s+(?:because|since|as)\b|(?=[,;:])|$)")
_SUBORDINATOR: Final[re.Pattern[str]] = re.compile(
    r"\s*(?:although|though|even though|while|whereas|if|when|unless)\s+", re.IGNORECASE
)
# "octreotide and other somatostatin analogues": a member named before its class.
_AND_OTHER: Final[re.Pattern[str]] = re.compile(r"^\s*(.+?)\s+and\s+other\s+(.+?)\s*$")
# Cues joined by "or"/"and" ("can trigger or worsen X") share one subject and one target.
_CUE_JOIN: Final[re.Pattern[str]] = re.compile(r"\s+(?:or|and|and/or)\s+(?:can\s+|may\s+)?")
# A non-restrictive relative clause between a subject and its verb ("A and B, which can X,
# also promote Y"): its cues are not the main clause's, and it is no part of the subject.
_RELATIVE: Final[re.Pattern[str]] = re.compile(r",\s+(?:which|who)\b[^,;:()]*,")
_SUBORDINATE: Final[re.Pattern[str]] = re.compile(
    r"\s*(?:although|though|even though|while|whereas|if|when|because|since|unless)\b[^,;]*,\s*",
    re.IGNORECASE,
)
_NEGATION_WORD: Final[re.Pattern[str]] = re.compile(r"\b(?:not|no|never)\b|n't", re.IGNORECASE)
_APPOSITIVE: Final[re.Pattern[str]] = re.compile(r"^\s*the\s", re.IGNORECASE)
_SUCH_AS: Final[re.Pattern[str]] = re.compile(r",?\s+(?:such\s+as|including|like|e\.g\.,?)\s+")
_LIST: Final[re.Pattern[str]] = re.compile(r",\s*(?:and\s+|or\s+)?|\s+(?:and|or)\s+")
_PAREN: Final[re.Pattern[str]] = re.compile(r"\s*\(([^()]*)\)")
# Where a drug is put ("into or around the tendon") is no part of its name nor of a list.
_PLACEMENT: Final[re.Pattern[str]] = re.compile(
    r"\s+(?:into|around|near|onto|inside)\b(?:\s+or\s+(?:into|around|near|onto|inside))?\s.*$",
    re.IGNORECASE,
)
# A drug's noun phrase ends where a participle or a preposition starts its post-modifier.
_POST_MODIFIER: Final[re.Pattern[str]] = re.compile(
    r"\s+(?:given|taken|used|prescribed|administered|combined|co-prescribed|for|in|during|at|when|"
    r"with|without|among|after|before|into|around|near|onto)\b.*$",
    re.IGNORECASE,
)
# "blood loss from NSAIDs", "exposure to fluoroquinolones": the drug is after the preposition.
_OF_DRUG: Final[re.Pattern[str]] = re.compile(
    r"^.*?\b(?:from|of|by|to|with|on|taking|receiving)\s+", re.IGNORECASE
)
_EXPOSURE: Final[re.Pattern[str]] = re.compile(
    r"\s+(?:exposure|use|intake|prescription|treatment|therapy use)$", re.IGNORECASE
)
_LEADING: Final[re.Pattern[str]] = re.compile(
    r"^(?:(?:the|a|an|some|other|certain|current|recent|particularly|especially|most|many|"
    r"several|both|all|any|such|either|neither|unlike|like|except|including)\s+)+",
    re.IGNORECASE,
)
# ", particularly of the femoral shaft" after a cue's target names the narrower condition meant.
_NARROWER: Final[re.Pattern[str]] = re.compile(
    r"^,\s+(?:particularly|especially|notably|mainly|most\s+often|usually)\s+"
    r"(?P<of>(?:of|in|at|affecting)\s+)?(?:the\s+)?(?P<site>[^,;.()]+)",
    re.IGNORECASE,
)
_DURATION: Final[re.Pattern[str]] = re.compile(
    r"^(?:long-term|short-term|prolonged|regular|chronic|current|recent)\s+", re.IGNORECASE
)
# Target phrase: the words after the cue up to the first clause-internal boundary.
_TARGET_END: Final[re.Pattern[str]] = re.compile(
    r"\s*(?:[,;:(.]|\s(?:in|with|without|and|or|when|if|at|for|among|than|because|particularly|"
    r"especially)\s)"
)
# "drug-induced X", "incident X", "paradoxical X": the condition is X; the word says how or
# when it arose.
_INDUCED: Final[re.Pattern[str]] = re.compile(
    r"^(?:[\w-]+-(?:induced|associated|related)\s+|(?:incident|new-onset|paradoxical)\s+)",
    re.IGNORECASE,
)
# Words after a cue that name no condition: the section's or the article's condition is meant.
_EMPTY_TARGET: Final[re.Pattern[str]] = re.compile(
    r"^(?:(?:the|a|an|this|it|its|them|risk|condition|disorder|symptoms?|high|higher|)\s*)*$",
    re.IGNORECASE,
)


# "repeated injections", "further courses": the medication named before, given again.
_REPEAT: Final[re.Pattern[str]] = re.compile(
    r"^(?:repeated|repeat|further|additional|subsequent|multiple)\s+(?P<head>[\w-]+)$",
    re.IGNORECASE,
)


# A word that can stand in a drug's name before its head noun ("local corticosteroid").
_MODIFIER_WORD: Final[re.Pattern[str]] = re.compile(
    r"^(?!(?:a|an|the|although|though|while|if|when|and|or|but|of|with|for|that|this|these|"
    r"its|their|may|can|is|are|was|were|repeated|further)$)[A-Za-z][\w-]*$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class SubjectItem:
    """One medication of a subject, with the class it is a member of."""

    name: Name
    start: int
    end: int
    member_of: Name | None = None


@dataclass(frozen=True)
class _Cue:
    start: int
    end: int


@cache
def _cue_patterns() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """Relation cues and medication-class head nouns, from the vocabulary."""
    graph = vocabulary_graph()

    def labels(concept: str) -> list[str]:
        return [str(o) for o in graph.objects(CKG_NS[concept], SKOS.hiddenLabel)]

    return phrase_pattern(labels("InducesCue")), phrase_pattern(labels("DrugClassHeads"))


@cache
def _protective() -> re.Pattern[str]:
    """Protective wording right after a cue ("associated with a lower risk of"), from the
    vocabulary; "a smaller increase" is still an increase, so no "increase" may follow."""
    graph = vocabulary_graph()
    words = phrase_pattern(
        str(o) for o in graph.objects(CKG_NS["ProtectiveWording"], SKOS.hiddenLabel)
    )
    return re.compile(
        r"^\s*(?:(?:a|an|the|any|significantly|substantially|markedly|much|slightly|modestly)\s+)*"
        rf"(?:{words.pattern})(?!(?:\s+\w+){{0,2}}\s+increase)",
        re.IGNORECASE,
    )


def _is_medication(context: Context, phrase: str) -> bool:
    """A phrase naming a drug of the dictionary, a known medication, or a medication class."""
    phrase = phrase.strip()
    if not phrase or not re.search(r"[A-Za-z]", phrase):
        return False
    if find_drugs(phrase) or context.registry.resolve(phrase, ("medication",), everywhere=True):
        return True
    end = len(phrase.rstrip(" )"))
    return any(head.end() == end for head in _cue_patterns()[1].finditer(phrase))


def _clean(phrase: str) -> str:
    """The medication's own name in a phrase: no determiner, post-modifier or "exposure"."""
    tail = _OF_DRUG.sub("", phrase.strip())
    head = phrase.strip()[: len(phrase.strip()) - len(tail)]
    drug_tail = find_drugs(tail) or _cue_patterns()[1].search(tail)
    if tail != phrase.strip() and drug_tail and not find_drugs(head):
        phrase = tail
    cut = _POST_MODIFIER.sub("", phrase.strip())
    if find_drugs(cut) or _cue_patterns()[1].search(cut):  # "the combined pill" keeps its words
        phrase = cut
    phrase = _LEADING.sub("", clean_phrase(phrase))
    if _EXPOSURE.search(
        phrase
    ):  # "long-term statin use": the duration is the use's, not the drug's
        phrase = _DURATION.sub("", _EXPOSURE.sub("", phrase))
    return phrase.strip(" ,")


def medication_items(phrase: str) -> list[str]:
    """Drug names of a list phrase, post-modifiers dropped, "A or B" split when both are drugs."""
    items = []
    for item in split_list(_MODALS.sub("", phrase.strip())):
        item = clean_phrase(_POST_MODIFIER.sub("", item))
        halves = re.split(r"\s+(?:or|and)\s+", item)
        if len(halves) > 1 and all(drug_of_phrase(h) for h in halves):
            items.extend(halves)
        elif item:
            items.append(item)
    return items


def _top_level_split(text: str, offset: int) -> list[tuple[str, int]]:
    """List items outside parentheses, with their start offsets."""
    items, depth, start, i = [], 0, 0, 0
    while i < len(text):
        if text[i] == "(":
            depth += 1
        elif text[i] == ")":
            depth = max(0, depth - 1)
        elif depth == 0:
            sep = _LIST.match(text, i)
            if sep and sep.end() > i:
                items.append((text[start:i], offset + start))
                start = i = sep.end()
                continue
        i += 1
    items.append((text[start:], offset + start))
    return [(t, s) for t, s in items if t.strip()]


def _group(context: Context, phrase: str, start: int, member_of: Name | None) -> list[SubjectItem]:
    """Items of one list entry: "X (A, B)", "the X inhibitors A" and "A and other X" are a class
    and members."""
    other = _AND_OTHER.match(phrase)
    if other and find_drugs(other.group(1)) and _is_medication(context, other.group(2)):
        cls = split_name(_clean(other.group(2)), context.keep_case)
        end = start + len(phrase.rstrip())
        named = split_name(_clean(other.group(1)), context.keep_case)
        return [SubjectItem(cls, start, end, member_of), SubjectItem(named, start, end, cls)]
    paren = _PAREN.search(phrase)
    if paren and paren.end() >= len(phrase.rstrip()) - 1:
        inner = [t for t, _ in _top_level_split(paren.group(1), 0)]
        if len(inner) > 1 and all(find_drugs(t) for t in inner):
            cls = split_name(_clean(phrase[: paren.start()]), context.keep_case)
            end = start + len(phrase)
            members = [
                SubjectItem(split_name(_clean(t), context.keep_case), start, end, cls)
                for t in inner
            ]
            return [SubjectItem(cls, start, end, member_of), *members]
    cleaned = _clean(phrase)
    hits = find_drugs(cleaned)
    if hits and hits[-1].end == len(cleaned) and hits[-1].start > 0:
        head = cleaned[: hits[-1].start].strip()
        if _is_medication(context, head) and not find_drugs(head):
            cls = split_name(head, context.keep_case)
            member = split_name(cleaned[hits[-1].start :], context.keep_case)
            end = start + len(phrase)
            return [SubjectItem(cls, start, end, member_of), SubjectItem(member, start, end, cls)]
    if not cleaned:
        return []
    # The mention is the name itself: a cue word beside it ("unlike") is its modifier, not it.
    at = phrase.find(cleaned)
    first, last = (
        (start + at, start + at + len(cleaned)) if at >= 0 else (start, start + len(phrase))
    )
    return [SubjectItem(split_name(cleaned, context.keep_case), first, last, member_of)]


def subject_items(context: Context, region: str, offset: int = 0) -> list[SubjectItem]:
    """The medications a clause names as its subject (the list just before the cue)."""
    start, verb = _main_subject(region)
    if verb is not None:
        return subject_items(context, region[start:verb], offset + start)
    region = _MODALS.sub("", region.rstrip())
    placed = _PLACEMENT.sub("", region)
    if placed != region and _is_medication(context, _clean(placed)):
        region = placed  # "injection into or next to the bursa": where it goes, not a list
    such = None
    for match in _SUCH_AS.finditer(region):
        such = match
    if such is not None:
        members = _top_level_split(region[such.end() :], offset + such.end())
        before = _top_level_split(region[: such.start()], offset)
        if before and members and all(_is_medication(context, t) for t, _ in members):
            cls_text, cls_start = before[-1]
            classes = _group(context, cls_text, cls_start, None)
            if classes and _is_medication(context, cls_text):
                cls = classes[0].name
                items = [i for t, s in members for i in _group(context, t, s, cls)]
                return _backwards(context, before[:-1]) + classes + items
    entries = _top_level_split(region, offset)
    if len(entries) > 1 and region.rstrip().endswith(",") and _APPOSITIVE.match(entries[-1][0]):
        entries = entries[:-1]  # "A (brand B), the reference drug,": A's other name
    return _backwards(context, entries)


def _main_subject(region: str) -> tuple[int, int | None]:
    """Where the subject of the clause's last verb group starts and ends: before the first
    auxiliary, unless a comma and a new auxiliary start another clause ("A lowers B, and C can")."""
    auxiliaries = list(_AUXILIARY.finditer(region))
    if not auxiliaries:
        return 0, None
    start, end = 0, auxiliaries[0].start()
    for before, verb in itertools.pairwise(auxiliaries):
        comma = region.rfind(",", before.end(), verb.start())
        if comma >= 0:
            start, end = comma + 1, verb.start()
    return start, end


def _backwards(context: Context, entries: Sequence[tuple[str, int]]) -> list[SubjectItem]:
    """The trailing run of list entries that are medications."""
    kept: list[SubjectItem] = []
    for position in range(len(entries) - 1, -1, -1):
        text, start = entries[position]
        cleaned = _clean(text)
        if not _is_medication(context, cleaned) and not _is_medication(context, text):
            break
        kept = _group(context, text, start, None) + kept
    return kept


def _named_target(context: Context, phrase: str, new_names: bool = True) -> str | Name | None:
    """The condition a phrase names: a known one's label, else the name of one HPO or ICD-10-CM
    knows (to register); a longer name ending in a known condition is a narrower condition."""
    phrase = _INDUCED.sub("", clean_phrase(phrase))
    if not phrase or len(phrase.split()) > 5:
        return None
    leading = [f for f in context.registry.find(phrase) if f.kind == "condition" and f.start == 0]
    if leading:  # "glaucoma about threefold": the condition it starts with
        return leading[0].label
    inside = context.conditions_named(phrase)
    codes = {m.code for m in vocabulary_mappings([phrase])}
    if inside and codes & {m.code for m in vocabulary_mappings(inside[:1])}:
        return inside[0]  # "congestive heart failure" when heart failure is known
    narrower = inside and fold_name(phrase).endswith(fold_name(inside[0]))
    # "a higher risk of incident gout" names gout: only a disorder's name is a narrower one
    # "painless thyroiditis": a disorder by its form, outside a section on the drugs that bring
    # on one condition (there, an unlisted name is that condition under another name)
    specific = new_names and names_one_disorder(phrase)
    if (
        codes
        or (narrower and is_condition_name(phrase))
        or specific
        or _sited_disorder(context, phrase)
    ):
        resolved = context.registry.resolve(phrase, ("condition",), heads=False)
        return resolved or split_name(phrase, context.keep_case)
    return inside[0] if inside else None


def _sited_disorder(context: Context, phrase: str) -> bool:
    """True for a disorder named by a body site and a disorder head word ("plantar fascia
    rupture", "wrist fracture"): a condition even when no vocabulary lists it."""
    words = phrase.split()
    if len(words) < 2 or not is_condition_name(phrase):
        return False
    sites = context.vocabulary.find(phrase, "BodySite")
    return bool(sites) and sites[0].start == 0


def _sited_head(context: Context, statement: Statement, head: str) -> str | None:
    """ "Injection into the Achilles tendon … increases the risk of rupture": a bare disorder
    word is the known condition of the body site the statement names ("Achilles tendon
    rupture"), if there is one."""
    word = clean_phrase(head)
    if len(word.split()) != 1 or not is_condition_name(word):
        return None
    sites = context.vocabulary.find(statement.text, "BodySite")
    named = {context.registry.resolve(f"{s.text} {word}", heads=False) for s in sites}
    named.discard(None)
    return named.pop() if len(named) == 1 else None


def _heading_names(context: Context, statement: Statement, label: str) -> bool:
    """True when the statement's section heading names the label ("Drugs That Cause X")."""
    if statement.section is None:
        return False
    title = context.article.sections[statement.section].title
    return re.search(rf"\b{re.escape(label)}\b", title, re.IGNORECASE) is not None


def _bare_disorder(context: Context, head: str) -> Name | None:
    """ "can cause tenosynovitis": one word whose ending names a disorder is a condition, named
    by the drug's effect even when no vocabulary lists it, when it is all the cue names or the
    section's heading names it too (`_targets`)."""
    word = clean_phrase(head)
    return split_name(word, context.keep_case) if has_disorder_suffix(word) else None


def _disease_of_its_own(target: str | Name, section: str | None) -> bool:
    """True when a drug's effect is a condition apart from the section's: one the article
    already names as a condition (a known label), or a disease ICD-10-CM names."""
    if isinstance(target, str) and target != section:
        return True
    return any(m.scheme == "ICD10CM" for m in _mappings_of(target))


def _register(context: Context, target: str | Name) -> str:
    return target if isinstance(target, str) else context.registry.add("condition", target)


def _mappings_of(target: str | Name) -> tuple[Mapping, ...]:
    return vocabulary_mappings([target if isinstance(target, str) else target.label])


def _heading_condition(context: Context, statement: Statement) -> str | None:
    """The condition a medication section's heading names ("Drugs That Can Worsen X")."""
    if statement.section is None:
        return None
    named = context.conditions_named(context.article.sections[statement.section].title)
    own = context.section_condition.get(statement.section)
    return own if own in named else (named[0] if named else None)


def _heading_named(context: Context, statement: Statement, target: str | Name) -> str | Name:
    """A new condition the medication section's heading names ("Medications That Promote X")
    is the section's own condition under another name, not a condition of its own."""
    own = (
        context.section_condition.get(statement.section) if statement.section is not None else None
    )
    if own is None or not isinstance(target, Name) or statement.section is None:
        return target
    if has_disorder_suffix(target.label):
        return target  # "Drugs That Can Cause Tenosynovitis": a disease named in its own right
    title = context.article.sections[statement.section].title
    return own if re.search(rf"\b{re.escape(target.label)}\b", title, re.IGNORECASE) else target


def _targets(context: Context, statement: Statement, after: str, own_section: bool) -> list[str]:
    """The conditions a cue points at: named right after it ("A and B"); in a section about
    medications inducing a condition, that condition too; else, when the words after the cue name
    nothing ("the risk"), the section's condition."""
    hard = re.search(r"[,;:(.]", after)
    parts = re.split(r"\s+(?:and|or)\s+", after[: hard.start()] if hard else after)
    found: list[str | Name | None] = []
    bare: list[Name] = []  # disorder words no vocabulary knows ("tenosynovitis")
    for index, part in enumerate(parts):
        end = _TARGET_END.search(part)
        head = part[: end.start()] if end else part
        word = _bare_disorder(context, head)
        bare += [word] if word is not None else []
        if index + 1 < len(parts) and len(head.split()) == 1 and not _named_target(context, head):
            continue  # "salt and fluid retention": a coordinated modifier, not a condition
        joined = None
        if index and len(parts[index - 1].split()) == 1 and not found:
            joined = _named_target(context, f"{parts[index - 1].strip()} and {head}")
        found.append(
            joined
            or _named_target(context, head, not own_section)
            or _sited_head(context, statement, head)
        )
        if end is not None and index == 0 and not found[-1] and word is None:
            break
    named = [t for t in found if t is not None]
    named += [b for b in bare if not named or _heading_names(context, statement, b.label)]
    narrower = _NARROWER.match(after[hard.start() :]) if hard else None
    if narrower is not None and len(parts) == 1:  # "stress fracture, particularly of the tibia"
        broad = parts[0].strip()
        site = narrower.group("site").strip()
        if narrower.group("of") and site.split()[-1].lower() == broad.split()[0].lower():
            site = site.rsplit(" ", 1)[0]  # "ligament tear, … of the knee ligament"
        wording = f"{site} {broad}" if narrower.group("of") else site
        # a longer name ending in the named condition is the narrower condition, known or new
        narrow: str | Name | None = context.registry.resolve(wording, heads=False)
        if narrow is None and named and wording.lower().endswith(broad.lower()):
            narrow = split_name(wording, context.keep_case)
        if narrow is not None and narrow not in named:
            named.append(narrow)
    # A sign the drug causes ("fluid retention") under "Drugs That Worsen X" is how it worsens X;
    # a disease of its own (one ICD-10-CM names, or a condition the article names already) is a
    # relation of its own.
    section = _heading_condition(context, statement) if own_section else None
    diseases = [t for t in named if _disease_of_its_own(t, section)]
    if section is not None and named and not diseases:
        named = [section]
    named = [_heading_named(context, statement, t) if own_section else t for t in named]
    targets = list(dict.fromkeys(_register(context, t) for t in named))
    own = context.target(statement, "")
    led = statement.index in context.leads  # "X: drugs can cause …" names X as the effect
    if not targets and own is not None and (own_section or led or _EMPTY_TARGET.match(parts[0])):
        targets.append(own)
    return targets


def extract_effects(
    context: Context, statement: Statement, previous: list[SubjectItem], own_section: bool
) -> tuple[list[MedicationEffectFact], list[SubjectItem]]:
    """Medication effects of one statement, and its subject (the next statement's antecedent)."""
    text = _mask_relatives(statement.text)
    verbs = (m for m in _cue_patterns()[0].finditer(text) if not _opens_a_term(text, m))
    cues = _joined(text, (_Cue(m.start(), m.end()) for m in verbs))
    if not cues:
        return [], previous
    clauses = [0, *(m.end() for m in _CLAUSE.finditer(text)), len(text)]
    facts: list[MedicationEffectFact] = []
    antecedent = previous
    for index, cue in enumerate(cues):
        clause_start = max(c for c in clauses if c <= cue.start)
        prior = (
            cues[index - 1].end if index and cues[index - 1].end > clause_start else clause_start
        )
        subordinate = _SUBORDINATE.match(text, prior, cue.start)
        if subordinate is not None:
            prior = subordinate.end()
        region = text[prior : cue.start]
        items = subject_items(context, region, prior)
        pronoun = _PRONOUN.search(_MODALS.sub("", region.rstrip()))
        if not items and pronoun is not None:
            at = re.compile(re.escape(pronoun.group(0).strip()) + r"\b")
            found = at.search(text, prior)
            items = _antecedent(context, text, found, antecedent) if found else []
        items = [_repeated(context, text, item) for item in items]
        if not items:
            continue
        antecedent = items
        following = next((c.start for c in cues[index + 1 :]), len(text))
        clause_end = min((c for c in clauses if c > cue.start), default=len(text))
        after = text[cue.end : min(following, clause_end)]
        for target in _targets(context, statement, after, own_section):
            facts += _facts(context, statement, items, cue, target, after)
    return facts, antecedent


def _opens_a_term(text: str, cue: re.Match[str]) -> bool:
    """True when a cue word is the first word of a disorder's name ("trigger finger"): the
    vocabularies name the phrase exactly, so the word is no verb there."""
    following = re.match(r"\s+([\w-]+)", text[cue.end() :])
    if following is None or " " in cue.group(0).strip():
        return False
    return any(m.exact for m in vocabulary_mappings([f"{cue.group(0)} {following.group(1)}"]))


def _repeated(context: Context, text: str, item: SubjectItem) -> SubjectItem:
    """ "Although a corticosteroid injection may help, repeated injections …": a repeat of the
    medication named before in the statement, with the same head noun, is that medication."""
    repeat = _REPEAT.match(item.name.label)
    if repeat is None:
        return item
    head = repeat.group("head").lower().rstrip("s")
    for match in reversed(list(re.finditer(rf"\b{head}s?\b", text[: item.start], re.I))):
        words: list[str] = []
        for word in reversed(text[: match.start()].split()[-3:]):
            if not _MODIFIER_WORD.match(word):
                break
            words.insert(0, word)
        phrase = " ".join([*words, match.group(0)])
        if words and _is_medication(context, phrase):
            return replace(item, name=split_name(phrase, context.keep_case))
    return item


def _mask_relatives(text: str) -> str:
    """The text with relative clauses blanked out, offsets kept."""
    return _RELATIVE.sub(lambda m: "," + " " * (len(m.group(0)) - 2) + ",", text)


def _joined(text: str, found: Iterable[_Cue]) -> list[_Cue]:
    """Cues with coordinated neighbours merged: "trigger or worsen" is one relation."""
    cues: list[_Cue] = []
    for cue in found:
        if cues and _CUE_JOIN.fullmatch(text, cues[-1].end, cue.start):
            cues[-1] = _Cue(cues[-1].start, cue.end)
        else:
            cues.append(cue)
    return cues


def _antecedent(
    context: Context, text: str, pronoun: re.Match[str], previous: list[SubjectItem]
) -> list[SubjectItem]:
    """What "they" stands for: the subject of the nearest clause before it in the statement
    ("Although X may …, they"; "X is avoided because it"), else the statement's earlier
    medication subject, else the previous statement's subject when it is one class."""
    for segment in reversed(list(_SEGMENT.finditer(text, 0, pronoun.start()))):
        start = segment.start()
        lead = _SUBORDINATOR.match(text, start, segment.end())
        start = lead.end() if lead else start
        verb = _AUXILIARY.search(text, start, segment.end())
        if verb is not None:  # a clause with a subject of its own: that subject or nothing
            items = subject_items(context, text[start : verb.start()], start)
            # "If X is given, they may …" stays conditional; "X is not advised because they …"
            # does not negate what "they" do.
            if "hypothetical" in assertions(text, [(i.start, i.end) for i in items]):
                return []
            return [replace(i, start=pronoun.start(), end=pronoun.end()) for i in items]
    local = [i for i in previous if i.end <= pronoun.start()]
    if not local and text[: pronoun.start()].strip():
        return []  # "they" after other words of its own statement: not the previous subject
    classes = {i.member_of or i.name for i in previous}
    between = text[max((i.end for i in local), default=0) : pronoun.start()]
    if len(classes) != 1 or _names_medication(between):
        return []  # another medication is nearer: "they" is ambiguous
    return [replace(i, start=pronoun.start(), end=pronoun.end()) for i in previous]


def _names_medication(text: str) -> bool:
    return bool(find_drugs(text) or _cue_patterns()[1].search(text))


def _facts(
    context: Context,
    statement: Statement,
    items: list[SubjectItem],
    cue: _Cue,
    target: str,
    after: str,
) -> list[MedicationEffectFact]:
    """One fact per item, with the polarity the scope gives the relation."""
    spans = [(cue.start, cue.end)] + [(i.start, i.end) for i in items]
    found = assertions(statement.text, spans)
    relation, by_span = found[0], dict(zip(spans[1:], found[1:], strict=True))
    if _NEGATION_WORD.search(statement.text[cue.start : cue.end]) or _protective().match(after):
        relation = "negated"  # a cue with its own "not", or a lower risk, is never inducing
    odds = _odds(statement.statistics, cue.end, cue.end + len(after)) if len(items) == 1 else None
    facts = []
    for item in items:
        own = by_span[(item.start, item.end)]
        negated = _negated(relation, own)
        if negated is None:
            continue
        label = context.registry.add("medication", item.name)
        value, stat = (odds.value, odds.text) if odds is not None and not negated else (None, None)
        facts.append(MedicationEffectFact(label, target, statement.index, value, stat, negated))
    return facts


def _negated(relation: Assertion, item: Assertion) -> bool | None:
    """Polarity of a drug's relation: True negated, False affirmed, None not stated as fact."""
    if "hypothetical" in (relation, item):
        return None
    if item == "contrasted":  # "unlike X, Y does not …": X does; "unlike X, Y rarely …": unsure
        return False if relation in ("negated", "excepted") else None
    return relation in ("negated", "excepted") or item in ("negated", "excepted")


def _odds(statistics: Sequence[Statistic], start: int, end: int) -> Statistic | None:
    found = [s for s in statistics if s.kind == "OR" and s.value is not None]
    return next((s for s in found if start <= s.start < end), None)


def extract_include_effects(context: Context, statement: Statement) -> list[MedicationEffectFact]:
    """ "Medications associated with X include A, B and C" in a medication section."""
    include = _INCLUDE.search(statement.text)
    if include is None:
        return []
    target = context.target(statement, statement.text[: include.start()])
    if target is None:
        return []
    items = subject_items(context, include.group("items"), include.start("items"))
    labels = [context.registry.add("medication", i.name) for i in items]
    return [MedicationEffectFact(label, target, statement.index) for label in labels]


# "X occurs / has been reported in patients taking Y": the condition arises on the drug.
_TAKING: Final[re.Pattern[str]] = re.compile(
    r"\b(?:occurs?|occurring|develops?|arises?|seen|reported|common|frequent)\b[^;.]*?"
    r"\b(?:patients|people|those|individuals|women|men)(?:\s+with\s+[\w-]+)?\s+(?:taking|on|"
    r"using|receiving|treated\s+with)\s+(?P<what>[^;,.]+)",
    re.IGNORECASE,
)


def extract_taking_effects(
    context: Context, statement: Statement, condition: str | None
) -> list[MedicationEffectFact]:
    """ "X occurs in patients taking anticoagulants such as warfarin": they induce X, the
    condition named before, else the one the statement describes."""
    facts = []
    for match in _TAKING.finditer(statement.text):
        before = statement.text[: match.start()]
        _, verb = _main_subject(before)
        subject = context.registry.resolve(before[:verb]) if verb is not None else None
        named = [subject] if subject else context.conditions_named(before)
        condition = named[0] if named else condition
        if condition is None:
            continue
        items = subject_items(context, match.group("what"), match.start("what"))
        found = assertions(statement.text, [(match.start(), match.end())])
        if not items or found[0] != "affirmed":
            continue
        for item in items:
            label = context.registry.add("medication", item.name)
            facts.append(MedicationEffectFact(label, condition, statement.index))
    return facts


# "X is caused by (taking | overuse of) A, B, or C": the condition is the subject, the drugs
# the agent. Only cue verbs of the passive voice with "by"; "is not caused by" never matches.
_PASSIVE: Final[re.Pattern[str]] = re.compile(
    r"\b(?:is|are|can\s+be|may\s+be)\s+(?:often\s+|usually\s+|commonly\s+|mostly\s+)?"
    r"(?P<verb>caused|induced|triggered|precipitated|provoked|worsened|aggravated|exacerbated)"
    r"\s+by\s+(?:(?:taking|using|overusing|(?:the\s+)?(?:regular\s+|frequent\s+|excessive\s+)?"
    r"(?:over)?use\s+of)\s+)?(?P<what>[^;:.]+)",
    re.IGNORECASE,
)
# How often or when the drug is taken ("on 10 or more days a month"), blanked before listing.
_DOSING: Final[re.Pattern[str]] = re.compile(
    r"\s+(?:on|for|at|in|during|when|with|without)\s+[^,]*", re.IGNORECASE
)


def extract_passive_effects(context: Context, statement: Statement) -> list[MedicationEffectFact]:
    """ "X is caused by taking A, B, or C on …, or D such as E": each drug (and class) induces X,
    the condition the clause names as its subject."""
    facts = []
    text = statement.text
    for match in _PASSIVE.finditer(text):
        start = max([0, *(m.end() for m in _CLAUSE.finditer(text, 0, match.start()))])
        condition = context.registry.resolve(text[start : match.start()].strip(), ("condition",))
        if condition is None:
            continue
        what = _DOSING.sub(lambda m: " " * len(m.group(0)), match.group("what"))
        items = [
            item
            for segment in re.finditer(r"(?:^|,\s+or\s+)((?:(?!,\s+or\s+).)+)", what)
            for item in subject_items(
                context, segment.group(1), match.start("what") + segment.start(1)
            )
        ]
        cue = _Cue(match.start(), match.end("verb"))
        facts += _facts(context, statement, items, cue, condition, "")
    return facts


# A factor naming people, a behaviour or a condition treated with a drug ("people who inject
# drugs", "active cancer with chemotherapy") is not a drug.
_NOT_A_DRUG: Final[re.Pattern[str]] = re.compile(
    r"\b(?:who|which|that|people|patients|users?|abuse|misuse|overuse|withdrawal|with|without|"
    r"after|during|for|from|on|in)\b",
    re.IGNORECASE,
)
_USE: Final[re.Pattern[str]] = re.compile(r"\s+(?:use|exposure|intake)$", re.IGNORECASE)
_THERAPY: Final[re.Pattern[str]] = re.compile(
    r"\s+(?:therapy|treatment|use|exposure|intake)$", re.IGNORECASE
)


def extract_drug_risk_effects(
    context: Context, statement: Statement, risks: Sequence[RiskFactorFact]
) -> list[MedicationEffectFact]:
    """A risk bullet that names a drug ("oral contraceptive therapy") says the drug raises the
    risk of the list's condition: a medication effect too, with the bullet's odds ratio."""
    if statement.kind != "bullet":
        return []
    facts = []
    for risk in risks:
        if risk.statement != statement.index or risk.role != "risk-factor":
            continue
        if _NOT_A_DRUG.search(risk.factor) or not _names_drug(_THERAPY.sub("", risk.factor)):
            continue
        odds = risk.statistic_type == "OR" and risk.statistic_value is not None
        value, text = (risk.statistic_value, risk.statistic_text) if odds else (None, None)
        drug = _USE.sub("", risk.factor)  # "NSAID use" is the exposure; the drug is "NSAID"
        facts.append(MedicationEffectFact(drug, risk.condition, statement.index, value, text))
    return facts


def _names_drug(phrase: str) -> bool:
    """The whole phrase is a drug of the dictionary or ends in a medication-class head noun."""
    if drug_of_phrase(phrase) is not None:
        return True
    end = len(phrase.rstrip(" )"))
    return any(head.end() == end for head in _cue_patterns()[1].finditer(phrase))
