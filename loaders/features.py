"""Qualifiers of a clinical feature read from one clause: site, trigger, relief, quality, timing.

Pure functions of text and the vocabulary. Relief is read only after a relief cue ("relieved by",
"eased by", "relief within … of"), so "relieved by rest" is a relief and "at rest" a trigger.
Spans the caller masks (condition names) are blanked first: "nocturnal leg cramps" names a
condition, it does not say the feature comes at night.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Final, Literal

from .facts import Mapping
from .lexicon import fold_name, hpo_index
from .statistics import find_statistics
from .vocabulary import Vocabulary

_RELIEF_CUE: Final[re.Pattern[str]] = re.compile(
    r"\b(?:(?:relieved|eased|improved|alleviated|helped|resolves?|resolving|subsides?|subsiding|"
    r"settles?|settling|better)(?:\s+[\w-]+){0,3}?\s+(?:by|with|on)|relief(?:\s+[\w-]+){0,4}?\s+"
    r"(?:by|of|with))\b",
    re.IGNORECASE,
)
_WINDOW_END: Final[re.Pattern[str]] = re.compile(r"[,;:()]|\band\b")
_ISO_UNITS: Final[dict[str, str]] = {
    "second": "PT{:g}S",
    "minute": "PT{:g}M",
    "hour": "PT{:g}H",
    "day": "P{:g}D",
    "week": "P{:g}W",
}
# "the medial head of the gastrocnemius": a site word followed by "of" names a part of another.
_PART_OF_PHRASE: Final[re.Pattern[str]] = re.compile(r"\s+of\b")
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
_NEGATED: Final[re.Pattern[str]] = re.compile(
    r"(?:,\s*(?:and\s+)?)?\b(?:do|does|did)\s+not\s+(?:cause|produce|involve|present\s+with|"
    r"lead\s+to)\s+(?P<what>[^,;.]+)",
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
    for cue in _RELIEF_CUE.finditer(text):
        end = len(text)
        for stop in _WINDOW_END.finditer(text, cue.end()):
            after = text[stop.end() :].lstrip()
            following = vocabulary.find(after, "Relief")
            if stop.group() == "and" and following and following[0].start == 0:
                continue
            end = stop.start()
            break
        windows.append((cue.start(), end))
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


def _unique(names: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(names))


def read_qualifiers(text: str, vocabulary: Vocabulary) -> Qualifiers:
    """Sites, triggers, reliefs, qualities, population and duration named in a clause."""
    windows = relief_windows(text, vocabulary)
    reliefs = [
        m.concept for start, end in windows for m in vocabulary.find(text[start:end], "Relief")
    ]
    outside = mask(text, windows)
    speed: Literal["fast", "slow"] | None = None
    cue_text = " ".join(text[s:e] for s, e in windows).lower()
    if re.search(r"\bslow(?:ly)?\b", cue_text):
        speed = "slow"
    elif re.search(r"\b(?:quickly|rapidly|promptly|fast)\b", cue_text):
        speed = "fast"
    duration = _DURATION.search(outside)
    return Qualifiers(
        sites=_unique(
            m.concept
            for m in vocabulary.find(outside, "BodySite")
            if not _PART_OF_PHRASE.match(outside, m.end)
        ),
        triggers=_unique(m.concept for m in vocabulary.find(outside, "Trigger")),
        reliefs=_unique(reliefs),
        relief_within=relief_time(text, windows) if reliefs else None,
        relief_speed=speed,
        qualities=_unique(m.concept for m in vocabulary.find(outside, "Quality")),
        populations=_unique(m.group("who").lower() for m in _POPULATION.finditer(outside)),
        duration=duration.group("span") if duration else None,
    )


def split_negated(text: str) -> tuple[str, list[str]]:
    """The clause without its negated parts, and the negated phrases ("persistent swelling")."""
    negated = [m.group("what").strip() for m in _NEGATED.finditer(text)]
    return _NEGATED.sub("", text).strip(), negated


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
