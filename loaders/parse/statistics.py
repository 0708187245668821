"""Inline statistics of a statement: effect ratios, folds, percentages, durations, thresholds.

Effect ratios are typed by what they measure: OR (odds ratio, adjusted or not), RR (relative
risk, risk ratio), HR (hazard ratio), IRR (incidence rate ratio). Worded multipliers ("doubled
the risk", "three times as likely", "fourfold") are folds.

Pure text -> `Statistic` records with their character spans; shared by the parser (which stores
them on each statement) and the extractor (which attaches them to facts).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Final

from clinkg.loaders.parse.records import Statistic

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

# Each ratio's printed names; "a" or "adjusted" marks an adjusted estimate of the same kind.
_RATIO_NAMES: Final[dict[str, str]] = {
    "OR": r"a?OR|(?i:(?:adjusted\s+)?odds\s+ratios?)",
    "RR": r"a?RR|(?i:(?:adjusted\s+)?(?:relative\s+risks?|risk\s+ratios?))",
    "HR": r"a?HR|(?i:(?:adjusted\s+)?hazard\s+ratios?)",
    "IRR": r"a?IRR|(?i:(?:adjusted\s+)?incidence\s+rate\s+ratios?)",
}
_RATIO_KIND: Final[str] = "|".join(f"(?P<{k}>{v})" for k, v in _RATIO_NAMES.items())
_ANY_RATIO: Final[str] = "|".join(_RATIO_NAMES.values())
# A value is a number, a bound ("OR >10") or a range ("OR 2-9", en dash too); only a number
# is a value.
# A qualifier follows inside the parentheses ("OR 4.2 at age 45 years", "HR 2.12 in women").
# "odds ratio, 2.4" and "hazard ratio of about 2.7" are printed forms of the same value; a
# "not significant" inside the parentheses ("OR 1.1, not significant"), or a confidence interval
# that includes 1 ("OR 1.1, 95% CI 0.8-1.5"), is its qualifier; "per year" qualifies a ratio too.
_EFFECT: Final[re.Pattern[str]] = re.compile(
    rf"\b(?:{_RATIO_KIND})\s*(?:=|:|,|of)?\s*"
    rf"(?:(?:about|approximately|around|roughly|nearly|near|close\s+to|almost|just\s+over|"
    rf"just\s+under)\s+)?"
    rf"(?:(?P<bound>[<>≤≥]\s?{_NUM})|(?P<range>{_NUM}\s?[\u2013-]\s?{_NUM})|(?P<value>{_NUM}))"
    rf"(?P<qualifier>\s+(?:at|in|for|among|with|per)\s+[^,;()]*?)?"
    rf"(?P<ns>\s*[,;]\s*(?:not\s+|non-?)(?:statistically\s+)?significant\b)?"
    rf"(?P<ci>\s*[,;]\s*(?:95\s?%\s*)?(?:CI|confidence\s+interval)\s*[,:]?\s*"
    rf"(?P<low>{_NUM})\s*(?:[\u2013-]|to)\s*(?P<high>{_NUM}))?"
    rf"(?=\s+versus\b|\s+vs\.?\s|\s+and\s+(?:{_ANY_RATIO})|[,;):]|\.?$)"
)
NOT_SIGNIFICANT: Final[str] = "not significant"
_MULTIPLIERS: Final[dict[str, float]] = {
    "double": 2.0,
    "doubles": 2.0,
    "doubled": 2.0,
    "twice": 2.0,
    "triple": 3.0,
    "triples": 3.0,
    "tripled": 3.0,
    "quadruple": 4.0,
    "quadrupled": 4.0,
}
# "doubled the risk", "twice as common", "three times more likely", "3.69 times the odds",
# "roughly double to triple the risk", "two to three times more common": a worded fold (a range
# has no single value).
_TIMES: Final[re.Pattern[str]] = re.compile(
    rf"\b(?:(?P<qual>about|approximately|roughly|nearly|almost|more than|over|up to)\s+)?"
    rf"(?:(?P<verb>{'|'.join(_MULTIPLIERS)})(?:\s+to\s+(?P<upto>{'|'.join(_MULTIPLIERS)}))?"
    rf"|(?:(?P<low>{_NUM}|{_WORD_NUM})\s+to\s+)?(?P<value>{_NUM}|{_WORD_NUM})\s+times)\s+"
    rf"(?:(?:more|less|as)\s+)?(?:common|likely|frequent|prevalent|the\s+(?:risk|odds|rate))\b",
    re.IGNORECASE,
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


def _effects(text: str) -> Iterator[Statistic]:
    for m in _EFFECT.finditer(text):
        kind = next(k for k in _RATIO_NAMES if m.group(k))
        qualifier = (
            NOT_SIGNIFICANT
            if m.group("ns") or _spans_one(m)
            else (m.group("qualifier") or "").strip()
        )
        value = _number(m.group("value")) if m.group("value") else None
        shown = m.group(0)[: m.start("ci") - m.start()] if m.group("ci") else m.group(0)
        end = m.start() + len(shown.rstrip().rstrip("."))
        yield Statistic(kind, value, text[m.start() : end], None, qualifier or None, m.start(), end)


def _spans_one(m: re.Match[str]) -> bool:
    """True when a ratio's confidence interval includes 1 ("OR 1.1, 95% CI 0.8-1.5"): a finding
    of no significant association."""
    if not m.group("ci"):
        return False
    return _number(m.group("low")) <= 1.0 <= _number(m.group("high"))


def _times(text: str) -> Iterator[Statistic]:
    for m in _TIMES.finditer(text):
        verb = (m.group("verb") or "").lower()
        ranged = m.group("upto") is not None or m.group("low") is not None
        value = None if ranged else _MULTIPLIERS.get(verb) or _number(m.group("value"))
        qualifier = m.group("qual").lower() if m.group("qual") else None
        worded = m.group(0).rstrip()
        end = m.start() + len(worded)
        yield Statistic("fold", value, worded, "fold", qualifier, m.start(), end)


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


# Earlier finders win where spans overlap: a ratio's "at age 45 years" is its qualifier,
# not a separate threshold, and "within 10 minutes" is a duration, not a bare number.
_FINDERS: Final[tuple[Callable[[str], Iterator[Statistic]], ...]] = (
    _effects,
    _folds,
    _times,
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
