"""Inline statistics of a statement: odds ratios, percentages, durations, thresholds, ratios.

Pure text -> `Statistic` records with their character spans; shared by the parser (which stores
them on each statement) and the extractor (which attaches them to facts).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Final

from .records import Statistic

_NUMBER_WORDS: Final[dict[str, float]] = {
    "one": 1.0,
    "two": 2.0,
    "three": 3.0,
    "four": 4.0,
    "five": 5.0,
    "six": 6.0,
    "seven": 7.0,
    "eight": 8.0,
    "nine": 9.0,
    "ten": 10.0,
    "twenty": 20.0,
    "hundred": 100.0,
    "thousand": 1000.0,
}
_NUM: Final[str] = r"\d+(?:[.,]\d+)*"
_WORD_NUM: Final[str] = "|".join(_NUMBER_WORDS)
_TIME_UNITS: Final[str] = (
    r"seconds?|minutes?|mins?|hours?|hrs?|days?|weeks?|months?|years?|decades?"
)
_MEASURE_UNITS: Final[str] = (
    r"cm|mm|m|km|kg|g|mg|mcg|µg|ml|mL|L|mmHg|bpm|points?|°C|°F|years?|"
    r"minutes?|hours?|days?|weeks?|months?"
)

# A qualifier that follows an odds ratio inside its parentheses ("OR 4.2 at age 45 years").
_OR: Final[re.Pattern[str]] = re.compile(
    rf"\b(?:OR|aOR|odds ratio)\s*(?:=|of)?\s*(?P<value>{_NUM})"
    rf"(?P<qualifier>\s+(?:at|in|for|among|with)\s+[^,;()]*?)?(?=\s+versus\b|\s+vs\.?\s|[,;)]|$)"
)
_FOLD: Final[re.Pattern[str]] = re.compile(
    rf"\b(?:(?P<qual>about|approximately|roughly|nearly|almost|up to|over|more than)\s+)?"
    rf"(?P<value>{_NUM}|{_WORD_NUM})[- ]fold\b",
    re.IGNORECASE,
)
_PERCENT: Final[re.Pattern[str]] = re.compile(
    rf"(?:\b(?P<qual>up to|about|approximately|around|roughly|nearly|almost|over|"
    rf"more than|less than|fewer than|at least|at most|in|of)\s+)?"
    rf"(?P<value>{_NUM})\s?%(?:\s+of\s+(?:all\s+|the\s+)?[a-z][\w-]*)?"
)
_DURATION: Final[re.Pattern[str]] = re.compile(
    r"\b(?P<qual>within(?:\s+the\s+(?:previous|past|first|last))?|for at least|for up to|"
    r"for about|for|over|after about|after|"
    rf"at least|up to|less than|more than|longer than|under)\s+"
    rf"(?P<value>{_NUM}|{_WORD_NUM})\s+(?P<unit>{_TIME_UNITS})\b",
    re.IGNORECASE,
)
_THRESHOLD: Final[re.Pattern[str]] = re.compile(
    rf"(?:\b(?P<subject>age|aged)\s*)?(?P<op>≥|≤|>=|<=|>|<|at least|at most|more than|"
    rf"less than|greater than|below|above|over|under)\s*(?P<value>{_NUM})\s*"
    rf"(?P<unit>{_MEASURE_UNITS})?\b",
)
_RATIO: Final[re.Pattern[str]] = re.compile(
    rf"\b(?P<qual>(?:about|approximately|roughly|nearly|almost|fewer than|more than|"
    rf"less than|at least|up to)\s+)?(?P<num>{_NUM}|{_WORD_NUM})\s+(?:in|out of)\s+"
    rf"(?P<den>{_NUM}|{_WORD_NUM})\b",
    re.IGNORECASE,
)


def _number(token: str) -> float:
    """The value of a numeral ("4.6", "1,000") or number word ("five")."""
    word = token.lower()
    if word in _NUMBER_WORDS:
        return _NUMBER_WORDS[word]
    return float(token.replace(",", ""))


def _odds_ratios(text: str) -> Iterator[Statistic]:
    for m in _OR.finditer(text):
        qualifier = (m.group("qualifier") or "").strip() or None
        yield Statistic(
            "OR",
            _number(m.group("value")),
            m.group(0).strip(),
            None,
            qualifier,
            m.start(),
            m.start() + len(m.group(0).rstrip()),
        )


def _folds(text: str) -> Iterator[Statistic]:
    for m in _FOLD.finditer(text):
        qualifier = m.group("qual").lower() if m.group("qual") else None
        yield Statistic(
            "fold", _number(m.group("value")), m.group(0), "fold", qualifier, m.start(), m.end()
        )


def _percents(text: str) -> Iterator[Statistic]:
    for m in _PERCENT.finditer(text):
        bound = (m.group("qual") or "").lower()
        qualifier = bound if bound not in ("", "in", "of") else None
        yield Statistic(
            "percent", _number(m.group("value")), m.group(0), "%", qualifier, m.start(), m.end()
        )


def _durations(text: str) -> Iterator[Statistic]:
    for m in _DURATION.finditer(text):
        unit = m.group("unit").lower()
        yield Statistic(
            "duration",
            _number(m.group("value")),
            m.group(0),
            unit,
            m.group("qual").lower(),
            m.start(),
            m.end(),
        )


def _thresholds(text: str) -> Iterator[Statistic]:
    for m in _THRESHOLD.finditer(text):
        qualifier = (
            m.group("op") if not m.group("subject") else f"{m.group('subject')} {m.group('op')}"
        )
        yield Statistic(
            "threshold",
            _number(m.group("value")),
            m.group(0).strip(),
            m.group("unit"),
            qualifier,
            m.start(),
            m.start() + len(m.group(0).rstrip()),
        )


def _ratios(text: str) -> Iterator[Statistic]:
    for m in _RATIO.finditer(text):
        den = _number(m.group("den"))
        if den == 0:
            continue
        qualifier = m.group("qual").strip().lower() if m.group("qual") else None
        yield Statistic(
            "ratio", _number(m.group("num")) / den, m.group(0), None, qualifier, m.start(), m.end()
        )


# Earlier finders win where spans overlap: an odds ratio's "at age 45 years" is its qualifier,
# not a separate threshold, and "within 10 minutes" is a duration, not a bare number.
_FINDERS: Final[tuple[Callable[[str], Iterator[Statistic]], ...]] = (
    _odds_ratios,
    _folds,
    _percents,
    _durations,
    _ratios,
    _thresholds,
)


def find_statistics(text: str) -> tuple[Statistic, ...]:
    """Every inline statistic of a statement's text, in reading order, without overlaps."""
    found: list[Statistic] = []
    for finder in _FINDERS:
        for stat in finder(text):
            if not any(stat.start < kept.end and kept.start < stat.end for kept in found):
                found.append(stat)
    return tuple(sorted(found, key=lambda s: s.start))
