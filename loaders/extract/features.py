"""Qualifiers of a clinical feature read from one clause: site, trigger, relief, quality, timing.

Pure functions of text and the vocabulary. Relief is read only after a relief cue of the
vocabulary ("relieved by", "eases after", "relief within … of"), so "relieved by rest" is a relief
and "at rest" a trigger. Spans the caller masks (condition names) are blanked first: "nocturnal
leg cramps" names a condition, it does not say the feature comes at night. `read_scope` reads the
feature cues of a clause first: negated, hedged and compared parts are set apart from what it
asserts.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from typing import Final, Literal

from rdflib.namespace import SKOS

from clinkg.loaders.parse.statistics import find_statistics
from clinkg.loaders.vocabularies.lexicon import fold_name, hpo_index
from clinkg.loaders.vocabularies.mappings import Mapping
from clinkg.loaders.vocabularies.vocabulary import (
    CKG_NS,
    ConceptMatch,
    Vocabulary,
    phrase_pattern,
    vocabulary_graph,
)

_WINDOW_END: Final[re.Pattern[str]] = re.compile(
    r"[,;:()]|\b(?:and|but|then|whereas|while|rather\s+than)\b", re.IGNORECASE
)
# Where a negated or hedged part of a clause ends: a clause break, or a comma after more than a
# list item ("no numbness, burning, or tingling in the sole, which …" negates all three).
_SCOPE_BREAK: Final[re.Pattern[str]] = re.compile(
    r"[;:()]|\b(?:but|whereas|while|although|though|however|which|then|except)\b|,|"
    r"\band\s+(?=(?:is|are|was|were|may|can|often|usually|typically|it|they|in)\b)",
    re.IGNORECASE,
)
_COPULA_END: Final[re.Pattern[str]] = re.compile(r"\b(?:is|are|was|were)\s*$", re.IGNORECASE)
_RELATIVE_COPULA: Final[re.Pattern[str]] = re.compile(
    r"\s*(?:which|that|who)\s+(?:is|are|was|were)\s*", re.IGNORECASE
)
_PREPOSITION: Final[re.Pattern[str]] = re.compile(r"\s*(?:by|with|on|after|of)\b", re.I)
_COMPARED_NAME: Final[re.Pattern[str]] = re.compile(
    r"\b(?:from|than|mimics?|mimicking|of|like|with|as)\s+(?:the\s+)?$", re.IGNORECASE
)
_JUST_THE: Final[re.Pattern[str]] = re.compile(r"\s*(?:the\s+)?", re.IGNORECASE)
# ", and the pain is …" opens a new clause; ", and tingling" goes on with a list.
_NEW_CLAUSE: Final[re.Pattern[str]] = re.compile(
    r"\s*(?:(?:and|or|but)\s+)?(?:the|it|its|they|this|these|there|in|on|at|when)\b", re.I
)
_RELATIVE_AFTER_NAME: Final[re.Pattern[str]] = re.compile(r"\s*,?\s*(?:which|where|in which)\b")
_RELATIVE_BEFORE_CUE: Final[re.Pattern[str]] = re.compile(r",?\s*which\s+(?:\w+\s+)?$", re.I)
_ISO_UNITS: Final[dict[str, str]] = {
    "second": "PT{:g}S",
    "minute": "PT{:g}M",
    "hour": "PT{:g}H",
    "day": "P{:g}D",
    "week": "P{:g}W",
}
# "the long head of the biceps", "the thumb side of the wrist": a site word followed by
# "of" or "side of" names a part or a side of another.
_PART_OF_PHRASE: Final[re.Pattern[str]] = re.compile(r"\s+(?:side\s+)?of\b")
# "above the wrist on its back": "its" makes the site word a side of the thing named before.
_SIDE_OF_NAMED: Final[re.Pattern[str]] = re.compile(r"\bits\s+$", re.IGNORECASE)
_WITH_THE: Final[re.Pattern[str]] = re.compile(
    r"\bwith\s+(?:the|one's|his|her|their|both|each)\s+$", re.IGNORECASE
)
_POPULATION: Final[re.Pattern[str]] = re.compile(
    r"\b(?:in|among|affecting)\s+(?P<who>(?:[\w-]+\s+){0,2}?"
    r"(?:adults|athletes|children|adolescents|infants|women|men|runners|elderly))\b",
    re.IGNORECASE,
)
_DURATION: Final[re.Pattern[str]] = re.compile(
    r"\b(?:lasts?|lasting|ranges?|ranging)\s+(?:typically\s+|usually\s+)?(?:from\s+)?"
    r"(?P<span>(?:a few\s+|several\s+)?\w+\s+to\s+(?:a few\s+|several\s+)?"
    r"(?:seconds|minutes|hours|days|weeks|months))\b",
    re.IGNORECASE,
)
_PRESENTS: Final[re.Pattern[str]] = re.compile(
    r"\b(?:presents?\s+(?:with|as)|presenting\s+with|causes?(?!\s+of\b)|(?:is|are)\s+characterized\s+by|"
    r"manifests?\s+(?:with|as))\s+",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Qualifiers:
    """What a clause says about a feature, as vocabulary local names and worded values."""

    sites: tuple[str, ...] = ()
    triggers: tuple[str, ...] = ()
    reliefs: tuple[str, ...] = ()
    relief_within: str | None = None
    relief_speed: Literal["fast", "slow"] | None = None
    qualities: tuple[str, ...] = ()
    populations: tuple[str, ...] = ()
    duration: str | None = None

    def any(self) -> bool:
        """True when the clause says anything the vocabulary recognises."""
        return bool(self.sites or self.triggers or self.reliefs or self.qualities or self.duration)


def mask(text: str, spans: Iterable[tuple[int, int]]) -> str:
    """The text with the spans blanked out (same length, so offsets stay valid)."""
    chars = list(text)
    for start, end in spans:
        chars[start:end] = " " * (end - start)
    return "".join(chars)


def relief_windows(text: str, vocabulary: Vocabulary) -> list[tuple[int, int]]:
    """Spans of the words naming what relieves (from a relief cue to the clause's end).

    An "and" ends the span unless another relief follows it ("rest and elevation").
    """
    windows = []
    cues = [m for m in vocabulary.find(text, "FeatureCue") if m.concept == "ReliefCue"]
    for cue in cues:
        end = len(text)
        for stop in _WINDOW_END.finditer(text, cue.end):
            after = text[stop.end() :].lstrip()
            following = vocabulary.find(after, "Relief")
            if stop.group().lower() == "and" and following and following[0].start == 0:
                continue
            end = stop.start()
            break
        windows.append((cue.start, end))
    return windows


def relief_time(text: str, windows: list[tuple[int, int]]) -> str | None:
    """The "within …" of a relief as xsd:duration: inside a relief span, or in a parenthesis
    opening where one ends ("relieved by rest (typically within 10 minutes)")."""
    for start, end in windows:
        region = text[start:end]
        if text[end : end + 1] == "(":
            close = text.find(")", end)
            region += " " + text[end : close if close != -1 else len(text)]
        for statistic in find_statistics(region):
            unit = (statistic.unit or "").lower().rstrip("s")
            timed = statistic.kind == "duration" and statistic.qualifier == "within"
            if timed and unit in _ISO_UNITS and statistic.value is not None:
                return _ISO_UNITS[unit].format(statistic.value)
    return None


@cache
def _structure_patterns() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    """A word of place before an anatomical structure ("over the radial styloid"), a bone's or
    organ's adjective right before a site word ("radial head"), and a posture word right after
    one ("the palm facing down"), from the vocabulary."""
    graph = vocabulary_graph()

    def words(concept: str) -> str:
        labels = graph.objects(CKG_NS[concept], SKOS.hiddenLabel)
        return phrase_pattern(str(o) for o in labels).pattern

    place = words("PlaceWords") + r"\s+(?:(?:the|a|an|its|their)\s+)?(?:[\w-]+\s+){0,3}?"
    located = re.compile(place + words("AnatomicalStructure"), re.IGNORECASE)
    bone_part = re.compile(words("BonePartAdjectives") + r"\s+$", re.IGNORECASE)
    posture = re.compile(r"\s+" + words("PostureWords"), re.IGNORECASE)
    return located, bone_part, posture


def _site_word(text: str, match: ConceptMatch) -> bool:
    """True when a body-site match names where a feature is, not a part or side of something
    else ("head of the biceps", "its back", "radial head") or a posture ("lifting with
    the palm facing down")."""
    if _PART_OF_PHRASE.match(text, match.end) or _SIDE_OF_NAMED.search(text[: match.start]):
        return False
    _, bone_part, posture = _structure_patterns()
    if _WITH_THE.search(text[: match.start]) and posture.match(text, match.end):
        return False
    return bone_part.search(text[: match.start]) is None


@cache
def _radiation_opening() -> re.Pattern[str]:
    """A clause opening with a feature's spread ("the pain radiates to", "it may spread down",
    "radiating into"), the words from the vocabulary."""
    graph = vocabulary_graph()
    words = phrase_pattern(
        str(o) for o in graph.objects(CKG_NS["RadiationWords"], SKOS.hiddenLabel)
    ).pattern
    subject = (
        r"(?:(?:the|this|that|its|their|such)\s+(?:pain|ache|discomfort|symptoms?)|it|they|pain)"
    )
    adverbs = r"(?:(?:may|can|often|usually|typically|commonly|sometimes|also|then|and)\s+){0,3}"
    return re.compile(rf"^\s*(?:{subject}\s+)?{adverbs}(?:{words})\s", re.IGNORECASE)


def spreads_only(wording: str) -> bool:
    """True when a feature's wording only says where a feature described before it spreads
    ("the pain radiates to the jaw"): a continuation of that feature, with its triggers."""
    return _radiation_opening().match(wording) is not None


def located_at_structure(text: str) -> bool:
    """True when a clause says a feature is at an anatomical structure ("over the tendon")."""
    return _structure_patterns()[0].search(text) is not None


def complaint_site(question: str, title: str, vocabulary: Vocabulary) -> str | None:
    """The body site of the article's complaint: the first the question names, else the
    title's ("Why does my elbow hurt when I grip?" -> Elbow; "the thumb side of my wrist" ->
    Wrist)."""
    for text in (question, title):
        sites = [m for m in vocabulary.find(text, "BodySite") if _site_word(text, m)]
        if sites:
            return sites[0].concept
    return None


def _unique(names: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(names))


def complaint_sites(question: str, vocabulary: Vocabulary) -> dict[str, str]:
    """The article's complaint site by the bare word that names its whole ("lower back" in
    "Why does my lower back hurt?" gives "back" -> LowerBack): in that article, "back pain" is
    the complaint, so the word names the complaint's site."""
    found = {}
    for match in vocabulary.find(question, "BodySite"):
        head = match.text.split()[-1].lower()
        whole = [m.concept for m in vocabulary.find(head, "BodySite") if m.text.lower() == head]
        if whole and whole[0] != match.concept and vocabulary.within(match.concept, whole[0]):
            found[head] = match.concept
    return found


def read_qualifiers(
    text: str,
    vocabulary: Vocabulary,
    names: Iterable[tuple[int, int]] = (),
    complaint: dict[str, str] | None = None,
    fallback_site: str | None = None,
) -> Qualifiers:
    """Sites, triggers, reliefs, qualities, population and duration named in a clause.

    Condition names (`names`) say where a feature is ("heel pain") but not when it comes
    ("nocturnal leg cramps"), so they are blanked for all but the sites, unless the clause
    compares with them ("hard to tell from knee osteoarthritis"). A bare word naming the
    whole of the complaint's site names the complaint's site (`complaint_sites`); a clause that
    places the feature at a structure no body site names ("over the radial styloid") puts it at
    `fallback_site`, the complaint's."""
    refine = complaint or {}
    named = list(names)
    windows = relief_windows(mask(text, named), vocabulary)
    reliefs = [
        m.concept for start, end in windows for m in vocabulary.find(text[start:end], "Relief")
    ]
    outside = mask(text, windows + named)
    speed: Literal["fast", "slow"] | None = None
    cue_text = " ".join(text[s:e] for s, e in windows).lower()
    if re.search(r"\bslow(?:ly)?\b", cue_text):
        speed = "slow"
    elif re.search(r"\b(?:quickly|rapidly|promptly|fast)\b", cue_text):
        speed = "fast"
    duration = _DURATION.search(outside)
    triggers = vocabulary.find(outside, "Trigger")
    # "numbness on bending the elbow": the elbow names the trigger, not where the feature is.
    compared = [(s, e) for s, e in named if _COMPARED_NAME.search(text, 0, s)]
    unsited = mask(text, windows + compared + [(m.start, m.end) for m in triggers])
    sites = _unique(
        refine.get(m.text.lower(), m.concept)
        for m in vocabulary.find(unsited, "BodySite")
        if _site_word(unsited, m)
    )
    if not sites and fallback_site is not None and located_at_structure(unsited):
        sites = (fallback_site,)
    return Qualifiers(
        sites=sites,
        triggers=_unique(
            name for m in triggers for name in (m.concept, *sorted(vocabulary.broader(m.concept)))
        ),
        reliefs=_unique(reliefs),
        relief_within=relief_time(text, windows) if reliefs else None,
        relief_speed=speed,
        qualities=_unique(m.concept for m in vocabulary.find(outside, "Quality")),
        populations=_unique(m.group("who").lower() for m in _POPULATION.finditer(outside)),
        duration=duration.group("span") if duration else None,
    )


@dataclass(frozen=True)
class ScopeReading:
    """A clause read by its feature cues: what it asserts, what it negates, whose it is."""

    positive: str  # the clause with negated, hedged and compared parts blanked (offsets kept)
    negated: tuple[str, ...] = ()  # the phrases stated as absent
    owner_from: int | None = None  # "A suggests B": B is named from here
    attributed: str = ""  # the A of "A suggests B" (rest blanked): features of B, not the subject's
    epidemiology: bool = False  # how common a condition is, or who gets it: no feature


def scope_end(text: str, start: int) -> int:
    """Where the scope of a cue ending at `start` ends (see _SCOPE_BREAK)."""
    segment = start
    for stop in _SCOPE_BREAK.finditer(text, start):
        if stop.group() != ",":
            return stop.start()
        if len(text[segment : stop.start()].split()) > 2 or _NEW_CLAUSE.match(text, stop.end()):
            return stop.start()
        segment = stop.end()
    return len(text.rstrip(" ."))


def _comparison_end(text: str, cue_end: int, word: str, names: list[tuple[int, int]]) -> int:
    """End of "unlike X" / "like X, which …": the compared condition and what is said of it."""
    named = [end for start, end in names if _JUST_THE.fullmatch(text, cue_end, start)]
    if named:
        relative = _RELATIVE_AFTER_NAME.match(text, named[0])
        return scope_end(text, relative.end()) if relative else named[0]
    # "feels like a tight band": plain "like" compares with no condition and says nothing.
    return cue_end if word.lower() == "like" else scope_end(text, cue_end)


def read_scope(text: str, vocabulary: Vocabulary, names: list[tuple[int, int]]) -> ScopeReading:
    """The clause's assertions apart from its negated, hedged and compared parts."""
    blanked: list[tuple[int, int]] = []
    negated: list[str] = []
    owner_from: int | None = None
    attributed = ""
    epidemiology = False
    cues = vocabulary.find(text, "FeatureCue")
    for cue in cues:
        if any(start <= cue.start < end for start, end in blanked):
            continue
        if cue.concept in ("NegationCue", "HedgeCue"):
            start, end = _negated_subject(text, cue.start), scope_end(text, cue.end)
            blanked.append((start, end))
            if cue.concept == "NegationCue":
                phrase = mask(text, names)[start:end].replace(cue.text, " ", 1)
                negated.append(_relief_carried(text, cue, cues, vocabulary, phrase))
        elif cue.concept == "ComparisonCue":
            blanked.append((cue.start, _comparison_end(text, cue.end, cue.text, names)))
        elif cue.concept == "AttributionCue":
            relative = _RELATIVE_BEFORE_CUE.search(text[: cue.start])
            if relative:  # "…, which would suggest Y": an aside about the words before it
                blanked.append((relative.start(), scope_end(text, cue.end)))
            elif owner_from is None:
                owner_from = cue.end
                start = _clause_start(text, cue.start)
                attributed = mask(mask(text, blanked), [(0, start), (cue.start, len(text))])
                blanked.append((start, len(text)))
        elif cue.concept == "EpidemiologyCue":
            epidemiology = True
    phrases = tuple(p.strip(" ,.") for p in negated if p.strip(" ,."))
    return ScopeReading(mask(text, blanked), phrases, owner_from, attributed, epidemiology)


def _relief_carried(
    text: str, negation: ConceptMatch, cues: list[ConceptMatch], vocabulary: Vocabulary, phrase: str
) -> str:
    """The denied phrase, after the relief cue a negation goes on from ("improves with activity
    rather than with rest"), so that its words are read as reliefs."""
    windows = relief_windows(text, vocabulary)
    reliefs = [c for c in cues if c.concept == "ReliefCue"]
    denied = phrase.strip()
    named = vocabulary.find(denied, "Relief")
    parallel = _PREPOSITION.match(denied) or (named and named[0].start == 0)
    for cue, (_, end) in zip(reliefs, windows, strict=True):
        if parallel and not text[end : negation.start].strip(" ,"):
            carried = cue.text.split()
            if _PREPOSITION.match(denied):  # "… rather than with rest": the cue's own "with"
                carried = carried[:-1]
            return " ".join(carried) + " " + denied
    return phrase


def _negated_subject(text: str, cue_start: int) -> int:
    """Where a negated scope starts: at the cue, or at the subject of "the little finger is not
    affected" (a copula just before the cue); a relative "which is not" refers elsewhere."""
    breaks = list(re.finditer(r"[,;:()]|\b(?:and|but)\b", text[:cue_start]))
    start = breaks[-1].end() if breaks else 0
    segment = text[start:cue_start]
    if _RELATIVE_COPULA.fullmatch(segment) or not _COPULA_END.search(segment):
        return cue_start
    return start


def _clause_start(text: str, before: int) -> int:
    """Start of the coordinated clause a cue at `before` sits in ("X, and A suggests B" -> A)."""
    breaks = list(re.finditer(r"[;:]|,\s*(?:and|but|while|whereas)\b", text[:before]))
    return breaks[-1].end() if breaks else 0


def feature_wording(text: str, subject_end: int = 0) -> str:
    """The feature as worded: what follows a presentation verb ("presents with …"), else all."""
    cue = _PRESENTS.search(text, subject_end)
    wording = text[cue.end() :] if cue else text
    return wording.strip().rstrip(".;:").strip() or text.strip()


# A negation cue negates the rest of its clause: "… not simple muscle cramps" names no finding.
_NEGATION = re.compile(r"\b(?:not|no|without|rather than|absence of|never)\b", re.IGNORECASE)


def asserted_chunks(wording: str) -> list[str]:
    """The parts of the wording outside negated clause tails."""
    chunks = []
    for clause in re.split(r"[,;:()]", wording):
        cue = _NEGATION.search(clause)
        chunks.append(clause[: cue.start()] if cue else clause)
    return [chunk for chunk in chunks if chunk.strip()]


def phenotype_mappings(wording: str, limit: int = 3) -> tuple[Mapping, ...]:
    """HPO classes whose name or synonym is a phrase of the wording's non-negated parts."""
    whole = " ".join(fold_name(wording).split())
    index = hpo_index()
    found: dict[str, Mapping] = {}
    for chunk in asserted_chunks(wording):
        words = fold_name(chunk).split()
        for size in range(min(len(words), 6), 0, -1):
            for start in range(len(words) - size + 1):
                phrase = " ".join(words[start : start + size])
                if size == 1 and phrase != whole:
                    continue
                for code, label, _ in index.get(phrase, [])[:1]:
                    mapping = Mapping("HPO", code, label, phrase == whole, "phrase in wording")
                    found.setdefault(code, mapping)
    return tuple(list(found.values())[:limit])
