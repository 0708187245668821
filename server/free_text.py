"""Ask in your own words: map a typed question onto a canned question and its parameter values.

No language model: the words are matched against the graph's labels and synonyms (the values a
parameter accepts) and against the catalogue's `#+` headers. A reading fills each parameter of
a question with a value named in the text; readings are ranked by parameters filled, parameters
missing, and header words shared with the text (compared by their first five letters).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final

from clinkg.registry import AllowedValue, Catalogue, Question, allowed_values
from clinkg.store import Store

STEM_LENGTH: Final = 5
STOPWORDS: Final = frozenset(
    [
        "a",
        "an",
        "and",
        "are",
        "at",
        "be",
        "by",
        "can",
        "could",
        "do",
        "does",
        "for",
        "from",
        "how",
        "i",
        "in",
        "is",
        "it",
        "its",
        "me",
        "my",
        "of",
        "on",
        "or",
        "the",
        "this",
        "that",
        "to",
        "what",
        "when",
        "where",
        "which",
        "who",
        "why",
        "with",
        "when",
        "while",
        "my",
        "your",
        "you",
        "there",
        "their",
    ]
)
_WORD = re.compile(r"[a-z][a-z'-]+")


@dataclass(frozen=True)
class Mention:
    """A value of a value source named in the text, and the words that named it."""

    source: str
    value: AllowedValue
    words: str
    start: int
    end: int


@dataclass(frozen=True)
class Reading:
    """One reading of the text: a question, the values found for its parameters, what is missing."""

    question: Question
    params: dict[str, Mention]
    missing: tuple[str, ...]
    cues: tuple[str, ...]

    @property
    def score(self) -> int:
        """Filled parameters count most, then header words the text shares."""
        return 3 * len(self.params) - 3 * len(self.missing) + len(self.cues)

    @property
    def complete(self) -> bool:
        """Every parameter has a value, so the question can be answered as read."""
        return not self.missing


@dataclass(frozen=True)
class Understanding:
    """What the text was read as: the values it names and the readings, best first."""

    text: str
    mentions: tuple[Mention, ...]
    readings: tuple[Reading, ...]

    @property
    def best(self) -> Reading | None:
        """The first reading, if any question shares anything with the text."""
        return self.readings[0] if self.readings else None


def understand(store: Store, catalogue: Catalogue, text: str) -> Understanding:
    """Read `text` as each canned question; readings that use next to nothing are dropped."""
    questions = catalogue.questions()
    sources = sorted({param.values for q in questions for param in q.params})
    mentions = find_mentions(text, {s: allowed_values(store, catalogue, s) for s in sources})
    covered = {i for m in mentions for i in range(m.start, m.end)}
    words = {stem(w.group()) for w in _WORD.finditer(text.lower()) if w.start() not in covered}
    words -= {stem(w) for w in STOPWORDS}
    readings = [read_as(question, mentions, words) for question in questions]
    # Header words alone are a weak hint: one shared word ("about") is not a reading.
    useful = [r for r in readings if r.params or len(r.cues) >= 2]
    useful.sort(key=lambda r: -r.score)  # stable: catalogue order breaks ties
    return Understanding(text, tuple(mentions), tuple(useful))


def find_mentions(text: str, values: dict[str, list[AllowedValue]]) -> list[Mention]:
    """Every label or synonym named in `text`, longest first where names overlap."""
    found: list[Mention] = []
    for source, allowed in values.items():
        for value in allowed:
            for name in (value.label, *value.synonyms):
                found.extend(_occurrences(text, source, value, name))
    found.sort(key=lambda m: (-(m.end - m.start), m.start))
    kept: list[Mention] = []
    for mention in found:
        overlaps = any(m.start < mention.end and mention.start < m.end for m in kept)
        same_span = any((m.start, m.end) == (mention.start, mention.end) for m in kept)
        # One span may name values of several sources ("rest" is a trigger and a relief).
        repeated = any(m.source == mention.source and m.start == mention.start for m in kept)
        if (not overlaps or same_span) and not repeated:
            kept.append(mention)
    return sorted(kept, key=lambda m: m.start)


def _occurrences(text: str, source: str, value: AllowedValue, name: str) -> list[Mention]:
    if len(name) < 2:
        return []
    # Short all-capital synonyms are acronyms (DVT, PE): they must match as written.
    acronym = name.isupper() and len(name) <= 5
    pattern = re.compile(r"(?<![\w-])" + re.escape(name) + r"(?![\w-])", 0 if acronym else re.I)
    return [Mention(source, value, m.group(), m.start(), m.end()) for m in pattern.finditer(text)]


def read_as(question: Question, mentions: list[Mention], words: set[str]) -> Reading:
    """The question with each parameter filled by the first unused mention of its source."""
    used: set[int] = set()
    params: dict[str, Mention] = {}
    for param in question.params:
        for mention in mentions:
            if mention.source == param.values and mention.start not in used:
                params[param.name] = mention
                used.add(mention.start)
                break
    missing = tuple(p.name for p in question.params if p.name not in params)
    header = " ".join(
        (question.name, question.summary, question.group, *(p.label for p in question.params))
    )
    header_words = {stem(w.group()) for w in _WORD.finditer(header.lower())}
    return Reading(question, params, missing, tuple(sorted(words & header_words)))


def stem(word: str) -> str:
    """A word's first five letters: "treated" and "treatments" meet, "causes" and "caused" too."""
    return word.strip("'-")[:STEM_LENGTH]
