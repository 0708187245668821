"""Every label an answer can carry is a clean name: no sentence fragment, no leading "the",
"particularly" or pronoun, no dangling verb or conjunction, no clause punctuation.

Run over the shared articles and our held-out ones (tests/fixtures/articles/), extraction only.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from clinkg.loaders.extract.article import extract_article
from clinkg.loaders.parse.article import decode_article, parse_article
from clinkg.loaders.parse.citations import align_citations

SHARED = Path(__file__).resolve().parents[2] / "shared" / "articles"
HELD_OUT = Path(__file__).parent / "fixtures" / "articles"
BUNDLED = Path(__file__).resolve().parents[1] / "data" / "articles"

_BAD_START = re.compile(
    r"^(?:the|a|an|particularly|most|especially|it|its|they|them|their|this|these|those|"
    r"although|though|whereas|while|and|or|but|in|with|for|to|of|by|as|if|when|because|"
    r"which|that)\b",
    re.IGNORECASE,
)
_BAD_END = re.compile(
    r"\b(?:are|is|was|were|and|or|the|a|an|of|with|strongly|in|to|by|as|for|than|that|which|"
    r"can|may|be)$",
    re.IGNORECASE,
)
_MAX_WORDS = 12

# Labels still produced that are not clean: strict xfails, so a fix is noticed.
KNOWN_FRAGMENTS: dict[str, str] = {}


def fault(label: str) -> str | None:
    """Why a label is not a clean name, or None."""
    if _BAD_START.search(label) or _BAD_END.search(label.rstrip(".")):
        return "a sentence fragment"
    if len(label.split()) > _MAX_WORDS:
        return f"more than {_MAX_WORDS} words"
    if re.search(r"[;:]", label) or label.count("(") != label.count(")"):
        return "clause punctuation"
    return None


@pytest.mark.parametrize(
    ("label", "why"),
    [
        ("Particularly in the third trimester", "a sentence fragment"),
        ("Use of a cane are strongly", "a sentence fragment"),
        ("Them", "a sentence fragment"),
        ("Sacubitril/valsartan", None),
        ("Age 40 to 60 years", None),
        ("Ulnar neuropathy at the elbow", None),
    ],
)
def test_the_predicate(label: str, why: str | None) -> None:
    assert fault(label) == why


def articles() -> list[Any]:
    by_name = {p.name: p for p in [*BUNDLED.glob("*.txt"), *SHARED.glob("*.txt")]}
    by_name |= {p.name: p for p in HELD_OUT.glob("*.txt")}
    params = []
    for path in sorted(by_name.values(), key=lambda p: p.name):
        known = KNOWN_FRAGMENTS.get(path.name)
        marks = [pytest.mark.xfail(reason=known, strict=True)] if known else []
        params.append(pytest.param(path, marks=marks, id=path.name))
    return params


@pytest.mark.slow
@pytest.mark.parametrize("path", articles())
def test_every_answer_label_is_a_clean_name(path: Path) -> None:
    article = parse_article(decode_article(path.read_bytes(), path.name), path.name)
    facts = extract_article(article, align_citations(article))
    labels = [(e.kind, e.label) for e in facts.entities]
    labels += [("treatment", t.label) for t in facts.treatments]
    faults = [f"{kind} {label!r}: {fault(label)}" for kind, label in labels if fault(label)]
    assert faults == []
