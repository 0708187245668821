"""How an article names its disorders: which phrases are condition names, and the other names
it prints beside them ("X (also known as Y)", "X, formerly called Y,", "X (ABBR)").

The cue words are data: the `ckg:NamingCues` scheme of `ontology/vocabulary.ttl`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Final

from rdflib import Graph, URIRef
from rdflib.namespace import SKOS

from clinkg.loaders.vocabularies.lexicon import fold_name, singular, vocabulary_mappings
from clinkg.loaders.vocabularies.vocabulary import CKG_NS, phrase_pattern, vocabulary_graph

# ICD-10-CM chapters of symptoms (R) and encounters (Z) name no disorder.
_NOT_DISORDER_CHAPTERS: Final[tuple[str, ...]] = ("R", "Z")


@dataclass(frozen=True)
class NamingCues:
    """The naming cues of the vocabulary, ready to match."""

    head_words: frozenset[str]
    suffixes: tuple[str, ...]
    not_suffixed: frozenset[str]
    synonym: re.Pattern[str]
    narrower: re.Pattern[str]
    group_heads: frozenset[str] = frozenset()
    qualifiers: frozenset[str] = frozenset()  # "recurrent"; "-induced" as a word's ending


def _labels(graph: Graph, concept: str, predicate: URIRef = SKOS.hiddenLabel) -> list[str]:
    return sorted(str(o) for o in graph.objects(CKG_NS[concept], predicate))


@cache
def naming_cues() -> NamingCues:
    """The cues read once per process."""
    graph = vocabulary_graph()
    suffixes = tuple(s.lstrip("-") for s in _labels(graph, "ConditionSuffixes"))
    return NamingCues(
        head_words=frozenset(fold_name(w) for w in _labels(graph, "ConditionHeadWords")),
        suffixes=suffixes,
        not_suffixed=frozenset(_labels(graph, "ConditionSuffixes", SKOS.scopeNote)),
        synonym=phrase_pattern(_labels(graph, "SynonymCues")),
        narrower=phrase_pattern(_labels(graph, "NarrowerCues")),
        group_heads=frozenset(_labels(graph, "GroupHeadWords")),
        qualifiers=frozenset(_labels(graph, "CaseQualifiers")),
    )


def head_word(phrase: str) -> str:
    """The head noun of a noun phrase: its last word before a preposition ("failure" in "heart
    fracture with nonunion", "entrapment" in "entrapment of the ulnar nerve")."""
    words = fold_name(phrase).split()
    for position, word in enumerate(words):
        if word in _PREPOSITIONS and position > 0:
            return words[position - 1]
    return words[-1] if words else ""


_PREPOSITIONS: Final[frozenset[str]] = frozenset(
    {"of", "with", "in", "at", "from", "due", "after", "on", "without", "during", "for"}
)


def is_condition_name(phrase: str) -> bool:
    """True when a phrase names a disorder: its head is a condition head word or has a disorder
    suffix, or ICD-10-CM has it outside its symptom and encounter chapters."""
    cues = naming_cues()
    head = head_word(phrase)
    if not head:
        return False
    if head in cues.head_words or singular(head) in cues.head_words:
        return True
    if has_disorder_suffix(head):
        return True
    return any(
        m.scheme == "ICD10CM" and not m.code.startswith(_NOT_DISORDER_CHAPTERS)
        for m in vocabulary_mappings([phrase])
    )


def has_disorder_suffix(word: str) -> bool:
    """True for one word whose ending names a disorder ("tenosynovitis", "neuropathy")."""
    cues = naming_cues()
    folded = fold_name(word)
    return (
        len(folded.split()) == 1
        and folded not in cues.not_suffixed
        and len(folded) > 5
        and folded.endswith(cues.suffixes)
    )


_AFTER_NAME: Final[str] = r"^\s*(?:\(\s*|,\s+(?:which\s+(?:is|was|are|were)\s+)?)"
_NAME_AFTER_CUE: Final[re.Pattern[str]] = re.compile(r"\s+(?P<name>[^,;:()]+?)\s*(?=[,;:()]|\.?$)")


@dataclass(frozen=True)
class PrintedSynonym:
    """Another name printed right after a name, and where the printed phrase ends."""

    name: str
    end: int


def synonyms_after(text: str, position: int) -> list[PrintedSynonym]:
    """Names a text gives right after `position` (the end of a name), chained: "X, now called
    Y (Z), which was formerly termed W" gives Y, Z and W."""
    found: list[PrintedSynonym] = []
    cues = naming_cues()
    while True:
        lead = re.match(_AFTER_NAME, text[position:])
        if lead is None:
            return found
        start = position + lead.end()
        cue = cues.synonym.match(text, start)
        opened = lead.group(0).strip().startswith("(")
        if cue is None or (cue.group(0).lower() == "or" and not opened):
            return found
        name = _NAME_AFTER_CUE.match(text, cue.end())
        if name is None:
            return found
        for alternative in re.split(r"\s+or\s+", name.group("name")):
            if re.search(r"[^\W\d_]", alternative):  # "(OR 3.69)" is a ratio, not a name
                found.append(PrintedSynonym(alternative, name.end()))
        position = name.end()
        position += len(re.match(r"\s*\)?", text[position:]).group(0))  # type: ignore[union-attr]
        abbreviation = re.match(r"\s*\(([A-Za-z][A-Za-z0-9-]+)\)", text[position:])
        if abbreviation:
            found.append(PrintedSynonym(abbreviation.group(1), position + abbreviation.end()))
            position += abbreviation.end()


def narrower_names(inner: str) -> list[str] | None:
    """The names after a narrower cue in a heading's parenthesis ("Including PMR"), or None."""
    cue = naming_cues().narrower.match(inner.strip())
    if cue is None:
        return None
    rest = inner.strip()[cue.end() :].strip()
    return [n.strip() for n in re.split(r",\s*|\s+(?:and|or)\s+", rest) if n.strip()]


# Heads so general that a phrase ending in one names no disorder of its own ("severe disease").
_GENERIC_HEADS: Final[frozenset[str]] = frozenset(
    {"disease", "diseases", "disorder", "disorders", "condition", "conditions", "illness"}
)


def names_specific_disorder(phrase: str) -> bool:
    """True when a phrase of two words or more names one disorder ("progressive pulmonary
    fibrosis"), not a stage or a kind of disease in general ("end-stage disease")."""
    words = fold_name(phrase).split()
    return len(words) >= 2 and head_word(phrase) not in _GENERIC_HEADS and is_condition_name(phrase)


def names_group(heading: str) -> bool:
    """True when a heading names a group of conditions by a plural head ("Viral Causes of X",
    "Drug-Related Mouth Problems"), not one condition."""
    return head_word(heading) in naming_cues().group_heads


def unqualified_forms(phrase: str) -> list[str]:
    """The phrase with its leading case qualifiers dropped one by one ("Recurrent Severe Gout":
    "Severe Gout", "Gout"; "Steroid-Induced Myopathy": "Myopathy"), longest first."""
    qualifiers = naming_cues().qualifiers
    endings = tuple(q for q in qualifiers if q.startswith("-"))
    words = phrase.split()
    forms = []
    while len(words) > 1:
        first = words[0].lower().strip(",")
        if first not in qualifiers and not first.endswith(endings):
            break
        words = words[1:]
        forms.append(" ".join(words))
    return forms


def coordinated_names(phrase: str) -> list[str] | None:
    """The two names of "A and B" when each side names a disorder ("Gout and Pseudogout");
    None for one name with "and" inside ("A and other B", "Hand, Foot and Mouth Disease")."""
    parts = re.split(r"\s+(?:and|&)\s+", phrase.strip())
    if len(parts) != 2 or re.match(r"other\b", parts[1], re.IGNORECASE) or "," in phrase:
        return None
    return parts if all(is_condition_name(p) for p in parts) else None


# "Incidental Nodules: …", "Drug-induced rash: …": a short lead that names what follows.
_LEAD: Final[re.Pattern[str]] = re.compile(
    r"^(?P<lead>[A-Z][\w'\u2019-]*(?:\s+[\w'\u2019-]+){0,4}):\s+\S"
)
_LEAD_VERBS: Final[re.Pattern[str]] = re.compile(
    r"\b(?:is|are|was|were|be|can|may|causes?|include[sd]?|presents?|has|have|do|does)\b",
    re.IGNORECASE,
)


def lead_name(text: str) -> str | None:
    """The lead of a "Lead: sentence" paragraph: a noun phrase of up to five words before the
    colon, with no verb (a sentence that goes on after a colon is not led)."""
    lead = _LEAD.match(text)
    if lead is None or _LEAD_VERBS.search(lead.group("lead")):
        return None
    return lead.group("lead")


def is_title_cased(phrase: str) -> bool:
    """True when every word of more than three letters starts with a capital, as headings do."""
    return all(w[:1].isupper() for w in phrase.split() if len(w) > 3)


def names_one_disorder(phrase: str) -> bool:
    """True for a specific disorder's name that coordinates none ("painless thyroiditis", not
    "gastritis and peptic ulcer", two effects)."""
    return names_specific_disorder(phrase) and not re.search(r"\s(?:and|or|&)\s", phrase)
