"""Where a risk cue's condition or factors stand when not after "of" or in the cue's own list.

"X predicted relapse (HR 1.5)": the object follows the verb at once, and is the article's own
condition or a word that refers back to it (`ckg:GenericReferent`). "In anyone over 60, X is
common": the group is the leading adverbial. "…, with a peak between 30 and 50": an age band.
`risk_prose` reads these answers.
"""

from __future__ import annotations

import re
from typing import Final

from clinkg.loaders.extract.context import Context
from clinkg.loaders.extract.names import clean_phrase
from clinkg.loaders.extract.risk_facts import concept_pattern
from clinkg.loaders.parse.records import Statement

# "predicted relapse (HR 1.5)", "predicts the infection": the object up to a bracket or break.
_OBJECT: Final[re.Pattern[str]] = re.compile(r"^\s*(?P<object>[^,;()]+?)\s*(?=[,;()]|\.?$)")
# "In anyone over 60, X is common": a group of people before the clause's subject.
_GROUP_LEAD: Final[re.Pattern[str]] = re.compile(
    r"^\s*(?:in|among)\s+(?P<group>(?:anyone|everyone|people|persons|adults|women|men|children|"
    r"adolescents|patients|individuals|those|older|younger|young|elderly)\b[^,]*),\s+"
    r"(?P<subject>.*)$",
    re.IGNORECASE,
)
# "between 30 and 50", "between 30 and 50 years", "at ages 30 to 50": the band's two ends.
_BAND: Final[re.Pattern[str]] = re.compile(
    r"^\s*(?:(?:the\s+)?ages?\s+(?:of\s+)?)?(?P<low>\d+)\s*(?:and|to|-|\u2013)\s*(?P<high>\d+)\b"
)
_ADVERB: Final[re.Pattern[str]] = re.compile(
    r"^(?:further|also|again|independently|strongly|significantly)\b\s*", re.IGNORECASE
)


def refers_back(phrase: str) -> bool:
    """True when a phrase only refers back to the condition ("the infection", "recurrence")."""
    raw = _ADVERB.sub("", phrase.strip(" .\n"))
    pattern = concept_pattern("GenericReferent")
    return any(pattern.fullmatch(w) is not None for w in (raw, clean_phrase(raw)) if w)


def direct_object(context: Context, statement: Statement, right: str, left: str) -> str | None:
    """The condition a factor "predicts": one of the article's named at once after the verb, or
    the sentence's own when the object only refers back to it; else None ("predicted falls")."""
    found = _OBJECT.match(right)
    if found is None:
        return None
    phrase = found.group("object")
    named = [f for f in context.registry.find(phrase) if f.kind == "condition"]
    if named and named[0].start == len(phrase) - len(phrase.lstrip()):
        return named[0].label
    if refers_back(phrase):
        return context.target(statement, statement.text, set(context.conditions_named(left)))
    return None


def leading_group(left: str) -> tuple[str, str] | None:
    """A clause's leading group of people and the rest of its subject, or None."""
    found = _GROUP_LEAD.match(left)
    if found is None:
        return None
    return found.group("group"), found.group("subject")


def peak_band(right: str) -> str | None:
    """The age band a "peak between" names ("age 30 to 50 years"), or None."""
    found = _BAND.match(right)
    if found is None or int(found.group("low")) >= int(found.group("high")):
        return None
    return f"age {found.group('low')} to {found.group('high')} years"
