"""Risk factors a condition's feature list reports as its patients' history or exposures.

"Key features: • History of gout or knee surgery • Asbestos exposure": a past disorder or an
exposure is what predisposes to the condition, not a sign of it. A bullet counts when it opens
with a history wording, or when every item ends in an exposure head; the wordings are data
(`ckg:PastHistoryOpening`, `ckg:ExposureHead` in `ontology/vocabulary.ttl`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Final

from clinkg.loaders.extract.context import Context
from clinkg.loaders.extract.facts import RiskFactorFact
from clinkg.loaders.extract.risk_facts import (
    EFFECT_KINDS,
    NEGATION,
    concept_pattern,
    factor_entity,
    risk_facts,
)
from clinkg.loaders.extract.risk_wording import factor_items
from clinkg.loaders.parse.records import Statement

_STAT_PAREN: Final[re.Pattern[str]] = re.compile(r"\s*\([^()]*\)")


@dataclass(frozen=True)
class HistoryCues:
    """The history openings and exposure heads of the vocabulary, ready to match."""

    opening: re.Pattern[str]
    head: re.Pattern[str]


@cache
def history_cues() -> HistoryCues:
    """The cues read once per process."""
    opening = concept_pattern("PastHistoryOpening")
    head = concept_pattern("ExposureHead")
    return HistoryCues(
        re.compile(r"^\s*(?:" + opening.pattern + r")\s+", re.IGNORECASE),
        re.compile(r"(?:" + head.pattern + r")\s*$", re.IGNORECASE),
    )


def extract_history_risks(
    context: Context, statement: Statement, condition: str
) -> list[RiskFactorFact]:
    """Risk-factor facts of one feature bullet of a condition ("History of A or B")."""
    if statement.kind != "bullet" or NEGATION.search(statement.text):
        return []
    text = _STAT_PAREN.sub("", statement.text)
    cues = history_cues()
    opening = cues.opening.match(text)
    if opening is not None:
        items = factor_items(text[opening.end() :], opening.end())
    else:
        items = factor_items(text, 0)
        if not items or not all(cues.head.search(wording) for wording, _ in items):
            return []
    stats = tuple(s for s in statement.statistics if s.kind in EFFECT_KINDS)
    facts = []
    for wording, _ in items:
        factor = factor_entity(context, wording)
        facts += risk_facts(context, statement, factor, condition, "risk-factor", stats)
    return facts
