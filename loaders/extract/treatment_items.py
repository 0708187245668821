"""Treatment labels from the phrase a treatment statement names them in.

Tails that are not part of a name (purpose, sequence, reason, setting) go; lists become items
("A, B, and C", "A plus B", "A or B" when both are names); a class with examples ("A such as b",
"A (b, c)") gives the class and its member medications.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Final

from rdflib.namespace import SKOS

from clinkg.loaders.extract.context import Context
from clinkg.loaders.extract.medications import medication_items
from clinkg.loaders.extract.names import (
    clean_phrase,
    is_abbreviation_of,
    sentence_case,
    split_list,
)
from clinkg.loaders.vocabularies.lexicon import drug_of_phrase, singular
from clinkg.loaders.vocabularies.vocabulary import CKG_NS, phrase_pattern, vocabulary_graph

# Tails that are not part of a treatment's name: purpose, sequence, reason, condition, setting.
_TAIL: Final[re.Pattern[str]] = re.compile(
    r"(?:\s+(?:that|which|who)\s|,?\s+to\s+(?:improve|relieve|reduce|prevent|treat|control|ease|"
    r"manage|slow|lower|restore|maintain|speed|limit)\b|\s+for\s+treating\s|"
    r"\s+(?:followed\s+by|instead\s+of|rather\s+than|in\s+preference\s+to|once|when|until|"
    r"unless|because|if|whereas)\s|"
    r",\s+(?:often|usually|typically|preferably|ideally|combining|focused|focusing|with)\s"
    r"|\s+focused\s+on\s|\s+be\s).*$",
    re.IGNORECASE,
)
_ARTICLE: Final[re.Pattern[str]] = re.compile(r"^(?:an?|the)\s+", re.IGNORECASE)
_SETTING: Final[re.Pattern[str]] = re.compile(r"\s+(?:in|for|during)\s+.*$", re.IGNORECASE)
_PREPOSITION: Final[re.Pattern[str]] = re.compile(
    r"\b(?:of|with|for|in|to|into|about|under|on|at|from|by|after|before|during)\b", re.IGNORECASE
)
_FREQUENCY: Final[re.Pattern[str]] = re.compile(
    r"^(?:routine|routinely|regular|short\s+courses?\s+of|a\s+(?:short\s+)?course\s+of)\s+",
    re.IGNORECASE,
)
_EXAMPLES: Final[re.Pattern[str]] = re.compile(
    r"^(?P<head>.+?),?\s+(?:such\s+as|including|e\.g\.,?)\s+(?P<members>.+)$", re.IGNORECASE
)
_GENERIC: Final[re.Pattern[str]] = re.compile(
    r"^(?:medications?|drugs?|agents?|medicines?|treatments?|options?|therapies|therapy)$", re.I
)
_GENERIC_TAIL: Final[re.Pattern[str]] = re.compile(
    r"\b(?:medications?|drugs?|agents?|medicines?|treatments?|options?|therapies)\s*$", re.I
)
_MEMBERS: Final[re.Pattern[str]] = re.compile(r"^(?P<head>[^()]+?)\s*\((?P<members>[^()]+)\)$")
# "A-specific and B stretching": a compound modifier, "and", a second modifier, the shared head.
_MODIFIER_PAIR: Final[re.Pattern[str]] = re.compile(
    r"^(?P<first>[^,()]*\w[-\u2013](?:specific|based|guided|targeted|directed|focused))\s+and\s+"
    r"(?P<second>[^,]+?)\s+(?P<head>[a-z]+)$",
    re.IGNORECASE,
)
# "Stretching the calf muscles": a relief done to a body site, named as clinicians name it.
_GERUND_SITE: Final[re.Pattern[str]] = re.compile(
    r"^(?P<gerund>[a-z]+ing)\s+(?:the\s+|both\s+|each\s+)?(?P<site>[a-z][a-z -]*)$", re.I
)


@cache
def _combined() -> re.Pattern[str]:
    """Words joining two treatments ("A together with B"), from the vocabulary, with the commas
    and the "if needed" around them."""
    graph = vocabulary_graph()
    words = phrase_pattern(
        str(o) for o in graph.objects(CKG_NS["CombinedTreatmentWords"], SKOS.hiddenLabel)
    )
    return re.compile(rf",?\s*(?:{words.pattern})\s+", re.IGNORECASE)


def treatment_items(
    context: Context, phrase: str, restricted: bool, apart: bool = True
) -> list[tuple[str, str | None]]:
    """Clean treatment labels in a phrase, each with the class it is a member of (or None);
    treatments joined as one regimen ("A together with B") are items each when `apart` (a
    combination advised against is one item: either part alone may still be sound)."""
    out: list[tuple[str, str | None]] = []
    for part in _combined().split(phrase) if apart else [phrase]:
        if part.strip(" ,"):
            out += _phrase_items(context, part.strip(" ,"), restricted)
    return list(dict.fromkeys(out))


def _phrase_items(context: Context, phrase: str, restricted: bool) -> list[tuple[str, str | None]]:
    """Clean treatment labels in a phrase naming one treatment or a list of them."""
    if not restricted:
        phrase = (
            _SETTING.sub("", _TAIL.sub("", phrase))
            if _named_setting(context, phrase)
            else (_TAIL.sub("", phrase))
        )
    examples = _EXAMPLES.match(phrase)
    head, members = (
        (examples.group("head"), examples.group("members")) if examples else (phrase, "")
    )
    out: list[tuple[str, str | None]] = []
    for item in _split(head):
        out += _item(context, item)
    listed = [clean_phrase(m) for m in medication_items(members)] if members else []
    generic = examples is not None and bool(_GENERIC_TAIL.search(head))
    if generic or (listed and all(drug_of_phrase(d) for d in listed)):
        single = len(out) == 1 and out[0][1] is None and not generic
        broader = out[0][0] if single else None
        out += [(sentence_case(d, context.keep_case), broader) for d in listed]
    return [i for i in dict.fromkeys(out) if len(i[0].split()) <= 12]


def _named_setting(context: Context, phrase: str) -> bool:
    """True when an "in/for …" tail names a condition (the target, not part of the name)."""
    setting = re.search(r"\s+(?:in|for|during)\s+(?P<rest>.*)$", phrase, re.IGNORECASE)
    return setting is not None and bool(context.conditions_named(setting.group("rest")))


def _split(phrase: str) -> list[str]:
    """List items: "a, b, and c", "a plus b"; "x with a, b and c" stays one item."""
    parts = re.split(r",?\s+plus\s+", phrase, flags=re.IGNORECASE)
    items: list[str] = []
    for part in parts:
        first = part.split(",")[0]
        pieces = [part] if re.search(r"\bwith\b", first) else split_list(part)
        for piece in pieces:
            piece = re.sub(r"^(?:(?:and|or|with)\s+)+", "", piece.strip(), flags=re.IGNORECASE)
            items += [
                c
                for h in _shared_head(clean_phrase(piece))
                for a in _alternatives(h)
                for c in _conjuncts(a)
            ]
    return [i for i in items if i]


def _conjuncts(item: str) -> list[str]:
    """ "A and B" as two treatments when each half is a name of its own: two longer names, or a
    second half that opens with its own article ("education about pacing and a graded walking
    programme"); two single words stay one item, as the articles' expected answers read them
    ("rest and splinting"). One word before a longer half shares its head
    ("hip and knee replacement"); after a preposition, "and" joins its objects ("training of light
    load and many repetitions")."""
    outside = re.sub(r"\([^()]*\)", "", item)
    if len(re.findall(r"\s+and\s+", outside)) != 1:
        return [item]
    match = re.search(r"\s+and\s+(?![^()]*\))", item)
    if match is None:
        return [item]
    left, right = item[: match.start()].strip(), item[match.end() :].strip()
    left_words, right_words = left.split(), right.split()
    if left.endswith(("-", "\u2013")):
        return [item]  # "hip- and knee-targeted exercise": one name with a suspended hyphen
    if _ARTICLE.match(right):
        return [left, _ARTICLE.sub("", right)]
    if len(left_words) >= 2 and len(right_words) >= 2 and not _PREPOSITION.search(left):
        return [left, right]
    return [item]


def _shared_head(item: str) -> list[str]:
    """ "Tendon-specific and calf stretching": a first conjunct that is only a compound modifier
    shares the head noun of the second ("tendon-specific stretching", "calf stretching")."""
    match = _MODIFIER_PAIR.match(item)
    if match is None:
        return [item]
    head = match.group("head")
    return [f"{match.group('first')} {head}", f"{match.group('second')} {head}"]


def _alternatives(item: str) -> list[str]:
    """ "A or B" as two treatments when both are drugs or both are named at length."""
    halves = [h.strip() for h in split_list(re.sub(r"\s+or\s+", ", ", item))]
    outside = re.sub(r"\([^()]*\)", "", item)
    if len(halves) != 2 or len(re.findall(r"\s+or\s+", outside)) != 1:
        return [item]
    prepositions = r"\b(?:with|of|for|in|to|into|around|on|at|from|by|against)\b"
    if re.search(prepositions, halves[0]):
        return [item]
    if all(drug_of_phrase(h) for h in halves) or all(len(h.split()) >= 2 for h in halves):
        return halves
    return [item]


def _item(context: Context, item: str) -> list[tuple[str, str | None]]:
    """One item's label, or a class "A (b, c)" and its members b, c."""
    item = clean_phrase(_FREQUENCY.sub("", clean_phrase(item)))
    item = re.sub(r"^treatment\s+with\s+", "", item, flags=re.IGNORECASE)
    if not item or _GENERIC.match(item):
        return []
    grouped = _MEMBERS.match(item)
    if grouped:
        listed = medication_items(grouped.group("members"))
        if _class_with_members(grouped.group("head"), listed):
            head = sentence_case(grouped.group("head").strip(), context.keep_case)
            return [(head, None)] + [(sentence_case(m, context.keep_case), head) for m in listed]
    return [(sentence_case(_nominalised(context, item), context.keep_case), None)]


def _nominalised(context: Context, item: str) -> str:
    """ "Stretching the calf muscles" -> "calf muscle stretching": a relief gerund (a label of a
    `ckg:Relief` concept) with a whole body-site name as its object becomes the site (singular,
    as a noun before a noun is) and the gerund; anything else is left as written."""
    match = _GERUND_SITE.match(item)
    if match is None:
        return item
    gerund, site = match.group("gerund"), match.group("site").strip()
    reliefs = context.vocabulary.find(gerund, "Relief")
    sites = context.vocabulary.find(site, "BodySite")
    if not reliefs or reliefs[0].text.lower() != gerund.lower():
        return item
    if len(sites) != 1 or sites[0].text.lower() != site.lower():
        return item
    return f"{singular(site.lower())} {gerund.lower()}"


def _class_with_members(head: str, listed: list[str]) -> bool:
    """True for "A (b, c)" with drugs b, c, or "A (b)" with b a drug and A a class it belongs to
    rather than b's other name or abbreviation ("paracetamol (acetaminophen)", "NSAIDs")."""
    if not listed or not all(drug_of_phrase(m) for m in listed):
        return False
    if len(listed) > 1:
        return True
    member = drug_of_phrase(listed[0])
    named = drug_of_phrase(head)
    return (
        member is not None
        and member.drugbank is not None
        and (named is None or named.drugbank is None)
        and not is_abbreviation_of(listed[0], head)
        and bool(re.search(r"s$", head.strip()))  # a class is named in the plural
    )


def strip_tails(phrase: str) -> str:
    """The phrase without the tails that are not part of a treatment's name."""
    return _SETTING.sub("", _TAIL.sub("", phrase)).strip()


def name_part(phrase: str) -> str:
    """The phrase without purpose, sequence and reason tails (its setting kept)."""
    return _TAIL.sub("", phrase).strip()
