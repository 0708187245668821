"""Entity names as printed: sentence case, abbreviations, "also called" and parenthetical variants.

A heading "Lateral Epicondylitis (Tennis Elbow)" names one entity twice; a phrase
"dorsal wrist (ganglion) cyst" names it two ways. These functions turn such wording into a
canonical label and synonyms.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Final

from clinkg.loaders.extract.condition_names import naming_cues, narrower_names

_DETERMINERS: Final[re.Pattern[str]] = re.compile(
    r"^(?:the|a|an|any|some|this|these|those|its|their)\s+", re.IGNORECASE
)
_ACRONYM: Final[re.Pattern[str]] = re.compile(
    r"^[A-Z][A-Za-z0-9]*[A-Z0-9]$|^[A-Z]{2,}s?$|^[A-Z]{2,}-\d+$"  # "IL-17", "COVID-19"
)
_PAREN: Final[re.Pattern[str]] = re.compile(r"\s*\(([^()]*)\)")
_QUOTES: Final[str] = "\"'\u201c\u201d\u2018\u2019"


@dataclass(frozen=True)
class Name:
    """A canonical label and the synonyms the same wording gives."""

    label: str
    synonyms: tuple[str, ...] = ()
    narrower: tuple[str, ...] = ()  # conditions a heading says it includes ("Including HFpEF")


def capitalised_words(texts: Iterable[str]) -> frozenset[str]:
    """Words printed with a capital inside sentences (proper names and acronyms to keep)."""
    words: set[str] = set()
    for text in texts:
        for match in re.finditer("(?<=[\\w,;()]\\s)([A-Z][\\w'\u2019-]*)", text):
            words.add(match.group(1).replace("\u2019", "'"))
    return frozenset(words)


def sentence_case(text: str, keep: frozenset[str] = frozenset()) -> str:
    """First letter capital, other words lower case unless acronyms, eponyms or kept words."""
    words = text.strip().split()
    out = []
    for position, word in enumerate(words):
        bare = word.strip(_QUOTES + "(),")
        if _ACRONYM.match(bare) or bare in keep or re.match(r"^[A-Z]\w*'s?$", bare):
            out.append(word)
        elif position == 0:
            out.append(word[:1].upper() + word[1:].lower())
        else:
            out.append(word.lower())
    return " ".join(out)


def clean_phrase(text: str) -> str:
    """A phrase without a leading determiner, surrounding quotes or trailing punctuation."""
    text = text.strip().strip(_QUOTES).strip()
    text = _DETERMINERS.sub("", text)
    return text.rstrip(".,;:").strip().strip(_QUOTES).strip()


def is_abbreviation_of(abbreviation: str, phrase: str) -> bool:
    """True when an acronym's letters are the initials of the phrase's words (or its tail)."""
    letters = re.sub(r"[^A-Za-z]", "", abbreviation).upper().rstrip("S")
    if len(letters) < 2 or not abbreviation[:1].isupper():
        return False
    initials = "".join(w[0] for w in re.findall(r"[A-Za-z]+", phrase)).upper()
    return initials.endswith(letters) or initials == letters


def split_name(phrase: str, keep: frozenset[str] = frozenset()) -> Name:
    """Label and synonyms of a naming phrase with parentheses resolved.

    "A (B)" at the end: B is an abbreviation or another name of A. "A (also called B)": B a
    synonym. "x (y) z" inside: two variants "x z" and "y z" (the second, shorter, is the label).
    """
    phrase = clean_phrase(phrase)
    parens = list(_PAREN.finditer(phrase))
    if not parens:
        return Name(sentence_case(phrase, keep))
    last = parens[-1]
    inner = last.group(1).strip().strip(_QUOTES)
    outer = phrase[: last.start()].strip()
    if last.end() == len(phrase) and outer:
        included = narrower_names(inner)
        if included is not None:
            return Name(sentence_case(outer, keep), narrower=tuple(included))
        also = naming_cues().synonym.match(inner)
        other = inner[also.end() :].strip() if also else inner
        if " " not in other and is_abbreviation_of(other, outer):
            return Name(sentence_case(outer, keep), (other,))
        other = clean_phrase(other)
        if also is not None and not re.search(r"[^\W\d_]", other):
            return Name(sentence_case(outer, keep))  # "(OR 1.92)": a ratio, not a name
        return Name(sentence_case(outer, keep), (sentence_case(other, keep),))
    before, after = phrase[: last.start()].strip(), phrase[last.end() :].strip()
    words = before.split()
    if words and after and " " not in inner:
        plain = sentence_case(f"{before} {after}", keep)
        swapped = sentence_case(f"{inner} {after}", keep)
        narrowed = sentence_case(f"{words[-1]} {after}", keep)
        # "tumor necrosis factor (TNF) inhibitors": the abbreviation stands for several words,
        # so "factor inhibitors" names nothing.
        if is_abbreviation_of(inner, before) and not is_abbreviation_of(inner, words[-1]):
            narrowed = plain
        synonyms = tuple(dict.fromkeys(s for s in (narrowed, plain) if s != swapped))
        return Name(swapped, synonyms)
    return Name(sentence_case(_PAREN.sub("", phrase), keep))


def split_list(text: str) -> list[str]:
    """Items of "a, b, and c" / "a, b or c"; commas inside parentheses do not split, and a
    lone "a and b" stays one item (the caller decides whether it names two things)."""
    depth, pieces, current = 0, [], ""
    for char in text:
        depth += char == "("
        depth -= char == ")"
        if char == "," and depth == 0:
            pieces.append(current)
            current = ""
        else:
            current += char
    pieces.append(current)
    if len(pieces) == 1:
        return [text.strip()] if text.strip() else []
    items = [re.sub(r"^(?:and|or)\s+", "", piece.strip()) for piece in pieces]
    if not re.match(r"^(?:and|or)\s", pieces[-1].strip()):
        tail = re.match(r"^(.+?)\s+(?:and|or)\s+(.+)$", items[-1])
        if tail:
            items[-1:] = [tail.group(1), tail.group(2)]
    return [item for item in items if item]
