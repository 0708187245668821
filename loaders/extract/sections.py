"""What each section of an article is about, read from its heading and where it sits.

A heading names a kind of content ("Key Clinical Features", "Associated Risk Factors",
"Treatment Considerations") or, inside the differential-diagnosis part of an article, a condition
("Gout", "Lateral Epicondylitis (Tennis Elbow)"). Level-2 headings inherit what they do not say.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final, Literal

from clinkg.loaders.extract.condition_names import names_group
from clinkg.loaders.parse.records import Article, Section

SectionKind = Literal[
    "general",  # introduction or a heading the extractor has no rule for
    "entity",  # a section about one condition (its heading names it)
    "features",  # clinical features of the enclosing condition
    "risk",  # risk factors of a condition
    "associated",  # conditions associated with a condition
    "medication",  # medications that induce or worsen a condition
    "differential",  # the heading that opens the differential diagnoses
    "other-conditions",  # conditions introduced by the subjects of their sentences
    "diagnostic",  # history, examination, testing: never features
    "treatment",  # treatment and management: never features
    "other",  # pitfalls, summaries: no facts
]

_KIND_WORDS: Final[tuple[tuple[SectionKind, str], ...]] = (
    ("differential", r"\bdifferential"),
    ("medication", r"\b(?:medication|drug)s?[- ]induced\b|\b(?:medications|drugs)\b"),
    (
        "associated",
        r"\bassociated\b.*\bconditions?\b|\bconditions?\b.*\bassociated\b|"
        r"\bcomorbid",
    ),
    ("risk", r"\brisk factors?\b|\bpredispos|\bat risk\b|\bwho gets\b"),
    (
        "other-conditions",
        r"\b(?:other|alternative|further)\s+(?:possible\s+)?(?:conditions|causes|diagnoses)\b|"
        r"\b(?:conditions|causes|diagnoses)\s+(?:that\s+mimic|to\s+consider|not\s+to\s+miss)\b|"
        r"\bmimics\b|\b(?:less|more)\s+common\s+causes\b|\bserious\s+causes\b",
    ),
    (
        "treatment",
        r"\btreatment|\bmanagement\b|\btherap(?:y|ies)\b|\bprevention\b|\bsurg(?:ery|ical)\b|"
        r"\bself-?care\b|\blifestyle\b",
    ),
    # Headings about the condition in general: no facts, and never a condition's name.
    (
        "other",
        r"\bepidemiology\b|\bpathophysiology\b|\bnatural history\b|\bclinical pearls\b|"
        r"\bfollow-?up\b|\breferral\b|\bwhen to worry\b|\bwarning signs\b",
    ),
    (
        "diagnostic",
        r"\bdiagnos|\bhistory\b|\bexamination\b|\btesting\b|\bwork-?up\b|"
        r"\bevaluation\b|\bscore\b|\bimaging\b|\binvestigations?\b",
    ),
    (
        "features",
        r"\bfeatures\b|\bfindings\b|\bpresentation\b|\bpresents\b|\bsymptoms\b|\bsigns\b|"
        r"\bclinical picture\b|\btriggers\b|\baggravating\b|\bmakes it worse\b",
    ),
    (
        "other",
        r"\bpitfalls?\b|\bsummary\b|\bkey points\b|\bbottom line\b|\bred flags\b|"
        r"\bprognosis\b|\bwhen to refer\b",
    ),
)
_KIND_CUES: Final[tuple[tuple[SectionKind, re.Pattern[str]], ...]] = tuple(
    (kind, re.compile(pattern, re.IGNORECASE)) for kind, pattern in _KIND_WORDS
)
_PRIMARY: Final[re.Pattern[str]] = re.compile(
    r"^(?:primary|main|most likely|leading)\s+(?:condition|diagnosis|cause)\s*:\s*(?P<name>.+)$",
    re.IGNORECASE,
)
_FOR_CONDITION: Final[re.Pattern[str]] = re.compile(r"^for\s+(?P<name>.+)$", re.IGNORECASE)


@dataclass(frozen=True)
class SectionContext:
    """A section's kind and, where its heading or an ancestor's names one, its condition."""

    kind: SectionKind
    condition_name: str | None = None  # the heading's wording for the condition
    primary: bool = False  # the heading is "Primary Condition: X"
    differential: bool = False  # inside the differential-diagnosis part of the article
    target_name: str | None = None  # "For X:" under a treatment heading


def heading_kind(title: str) -> SectionKind | None:
    """The kind a heading names by its words, or None when it names none."""
    for kind, pattern in _KIND_CUES:
        if pattern.search(title):
            return kind
    return None


def classify_sections(article: Article) -> dict[int, SectionContext]:
    """Context of every section, read in order so differential zones carry to later headings."""
    contexts: dict[int, SectionContext] = {}
    in_differential = False
    for section in article.sections:
        if section.level == 1 or section.parent is None:
            context = _level1(section, in_differential)
            in_differential = context.differential
        else:
            context = _level2(section, contexts[section.parent])
        contexts[section.index] = context
    return contexts


def _level1(section: Section, in_differential: bool) -> SectionContext:
    primary = _PRIMARY.match(section.title)
    if primary:
        return SectionContext("entity", primary.group("name").strip(), primary=True)
    kind = heading_kind(section.title)
    if kind == "differential":
        return SectionContext("differential", differential=True)
    if kind is None and names_group(section.title):
        kind = "other-conditions"  # "Viral Causes": its paragraphs name its conditions
    if kind is None and in_differential:
        return SectionContext("entity", section.title, differential=True)
    if kind == "other-conditions":
        # "Other Causes to Consider" opens the differential part as "Differential Diagnoses" does.
        return SectionContext(kind, differential=True)
    return SectionContext(kind or "general")


def _level2(section: Section, parent: SectionContext) -> SectionContext:
    kind = heading_kind(section.title)
    if kind == "other":
        return SectionContext("other")
    if parent.kind == "treatment" or kind == "treatment":
        target = _FOR_CONDITION.match(section.title)
        name = target.group("name").strip() if target else None
        return SectionContext("treatment", parent.condition_name, target_name=name)
    if kind == "other-conditions":
        return SectionContext(kind, differential=parent.differential or parent.kind == "entity")
    if kind is not None:
        return SectionContext(kind, parent.condition_name, parent.primary, parent.differential)
    if parent.differential and parent.kind in ("entity", "differential", "other-conditions"):
        if names_group(section.title):
            return SectionContext("other-conditions", differential=True)
        return SectionContext("entity", section.title, differential=True)
    return SectionContext(parent.kind, parent.condition_name, parent.primary, parent.differential)
