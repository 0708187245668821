"""Reading `*.expected.json` (test material in ../shared) and matching answers against it.

An answer matches an expected item when one of its names (label or synonyms) equals one of the
item's names, after case and punctuation are folded. An expected label with a parenthesis,
"Gastrocnemius tear (tennis leg)", offers both the outer name and the inner one.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

SHARED_ARTICLES = Path(__file__).resolve().parents[2] / "shared" / "articles"
BUNDLED_ARTICLES = Path(__file__).resolve().parents[1] / "data" / "articles"


def expected(slug: str) -> dict[str, Any]:
    """The expected-answers file of a bundled article."""
    path = SHARED_ARTICLES / f"{slug}.expected.json"
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def fold(name: str) -> str:
    """Case, apostrophes, punctuation and spacing folded away."""
    name = name.lower().replace("\u2019", "'").replace("'s ", "s ").replace("'", "")
    return " ".join(re.findall(r"[a-z0-9]+", name))


def expected_names(label: str, synonyms: Iterable[str] = ()) -> set[str]:
    """All folded names an expected item can be recognised by."""
    names = {label, *synonyms}
    outer = re.sub(r"\s*\([^)]*\)", "", label).strip()
    inner = re.findall(r"\(([^)]*)\)", label)
    names.update([outer, *inner])
    return {fold(name) for name in names if name.strip()}


def answer_names(answer: Mapping[str, Any]) -> set[str]:
    """All folded names of an API answer (its label and synonyms)."""
    names = [answer["label"], *answer.get("synonyms", [])]
    return {fold(name) for name in names}


def synonyms_of(slug: str, label: str) -> list[str]:
    """Synonyms the expected file gives for a condition label (empty when it lists none)."""
    for item in expected(slug)["conditions"]:
        if item["label"] == label:
            return list(item.get("synonyms", []))
    return []


def unmatched(
    expected_items: Sequence[set[str]], answers: Sequence[Mapping[str, Any]]
) -> tuple[list[set[str]], list[str]]:
    """Expected items no answer matches, and answers that match no expected item."""
    missing = [
        names for names in expected_items if not any(names & answer_names(a) for a in answers)
    ]
    extra = [
        a["label"] for a in answers if not any(names & answer_names(a) for names in expected_items)
    ]
    return missing, extra
