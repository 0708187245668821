"""Risk links stated in prose, anywhere in an article, each factor with its statistics.

A clause states a link through a wording of the vocabulary (`RiskWording`): the factor raises
the risk ("obesity doubles the risk of knee osteoarthritis (OR 2.1)"), the condition is common
in a group ("gout is three times as common in men"), or the risk of a factor is described
("the risk associated with X falls with age"). A negated clause gives nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final

from clinkg.loaders.extract.condition_names import is_condition_name
from clinkg.loaders.extract.context import Context
from clinkg.loaders.extract.facts import RiskFactorFact
from clinkg.loaders.extract.names import Name, clean_phrase, sentence_case
from clinkg.loaders.extract.risk_cues import (
    condition_follows,
    is_sign,
    is_trigger,
    less_common,
    listed_condition,
)
from clinkg.loaders.extract.risk_facts import (
    EFFECT_KINDS,
    NEGATION,
    concept_pattern,
    factor_entity,
    member_of_named_group,
    risk_facts,
)
from clinkg.loaders.extract.risk_objects import direct_object, leading_group, peak_band, refers_back
from clinkg.loaders.extract.risk_wording import factor_items, list_text
from clinkg.loaders.extract.scope import assertions
from clinkg.loaders.parse.records import Statement, Statistic
from clinkg.loaders.vocabularies.lexicon import find_drugs, fold_name
from clinkg.loaders.vocabularies.vocabulary import ConceptMatch

# A clause ends at ";" or ":", or at ", and" / ", but" / ", whereas" once it has a verb.
_HARD_BREAK: Final[re.Pattern[str]] = re.compile(r";\s+|:\s+")
_SOFT_BREAK: Final[re.Pattern[str]] = re.compile(r",\s+(?:and|but|whereas|while)\s+")
_VERB: Final[re.Pattern[str]] = re.compile(
    r"\b(?:is|are|was|were|has|have|had|can|may|causes?|becomes?|\w+ed)\b"
)
_PREDICATE_ADVERB: Final[re.Pattern[str]] = re.compile(
    r"^\s*(?:usually|often|typically|generally|also|then|rarely|commonly|frequently|may|can|"
    r"sometimes|later)\b",
    re.IGNORECASE,
)
_PRONOUN: Final[re.Pattern[str]] = re.compile(
    r"^(?:it|this|this condition|they|the|its|their|"
    r"(?:its\s+)?(?:incidence|prevalence|onset|peak\s+incidence))$",
    re.IGNORECASE,
)
# "of developing X", "to develop X" (after "were more likely"), "for a first episode"
_OUTCOME: Final[re.Pattern[str]] = re.compile(
    r"^\s*(?:of|for|to)\s+(?:develop(?:ing)?\s+|get(?:ting)?\s+|suffer(?:ing)?\s+)?"
    r"(?:a\s+|an\s+)?(?P<outcome>[^,;()]+)",
    re.IGNORECASE,
)
_DANGLING_CONJUNCTION: Final[re.Pattern[str]] = re.compile(r"\b(?:and|or|but)\s*$", re.IGNORECASE)
# "in a trial in people with diabetes they increased the risk": the factor is what "they" stands
# for, not the words before it; a pronoun subject gives no factor of its own.
_PRONOUN_SUBJECT: Final[re.Pattern[str]] = re.compile(
    r"\b(?:they|it|these|this|those|such\s+drugs)\s*$", re.IGNORECASE
)
# "…, with a lower risk for A (OR 1.4) than for B (OR 2.2)": A and B are factors of their own,
# each with its statistic, named after the link's factor when they are kinds of it.
_COMPARED_RISK: Final[re.Pattern[str]] = re.compile(
    r",?\s+with\s+(?:a\s+)?(?:lower|higher|greater|smaller|less|more)\s+risk\s+(?:for|with)\s+"
    r"(?P<first>[^()]+?)\s*\([^()]*\)\s+than\s+(?:for|with)\s+(?P<second>[^()]+?)\s*"
    r"\([^()]*\)",
    re.IGNORECASE,
)
# "levonorgestrel-containing pills" after "combined oral contraceptives": a kind of the factor.
_KIND_OF_FACTOR: Final[re.Pattern[str]] = re.compile(
    r"^(?P<kind>[\w-]+-(?:containing|based|only))\s+(?:pills|preparations|products|"
    r"formulations|tablets|drops|creams|ones)$",
    re.IGNORECASE,
)
# "makes X more likely than Y": a clue that tells X from Y, not a risk of X.
_THAN: Final[re.Pattern[str]] = re.compile(r"^\s*than\b", re.IGNORECASE)
# What stands between a "common in" subject and its cue: copula and degree words.
_SUBJECT_TAIL: Final[re.Pattern[str]] = re.compile(
    r"(?:\s+(?:is|are|was|were|becomes?|became|also|about|approximately|roughly|nearly|much|"
    r"usually|often|typically|mostly|mainly|commonly|frequently|generally|"
    r"far|slightly|twice|[\w.]+\s+times|\d+(?:\.\d+)?|one|two|three|four|five|six|seven|eight|"
    r"nine|ten|to|occurs?|appears?|arises?|develops?|happens?|presents?))+\s*$",
    re.IGNORECASE,
)
# "It affects 2% of adults, is three times more common in women": the cue's predicate is
# coordinated with an earlier one, so the subject is the clause's opening word.
_PREDICATE_LIST: Final[re.Pattern[str]] = re.compile(r",\s*$")
_COORDINATED: Final[re.Pattern[str]] = re.compile(
    r"^(?:and|but|or)?\s*(?:is|are|was|were|becomes?|became)?(?:\s+also)?$", re.IGNORECASE
)
_RIGHT_TAIL: Final[re.Pattern[str]] = re.compile(
    r"\s+and(?:\s+(?:is|are|was|were|becomes?|became))?(?:\s+also)?\s*$", re.IGNORECASE
)
# "… of amyloidosis (HR 12) and of heart failure (HR 1.5)": each outcome's name.
_OF_NAME: Final[re.Pattern[str]] = re.compile(r"\bof\s+(?P<name>[^(),;]+?)\s*(?=[(),;]|\s+and\b|$)")
# "X was associated with a later diagnosis of Y": the subject is the factor, Y the outcome.
_LATER_OUTCOME: Final[re.Pattern[str]] = re.compile(
    r"^\s*(?:an?\s+)?(?:later|subsequent|future|increased|higher|greater|raised)\s+"
    r"(?:diagnosis|risk|incidence|rate|likelihood|odds|chance|probability|hazard)\s+of\b",
    re.IGNORECASE,
)
_FACTOR_END: Final[re.Pattern[str]] = re.compile(
    r"\s+(?:falls|rises|is|was|are|were|increases|decreases|declines|varies|doubles|differs)\b.*$",
    re.IGNORECASE,
)
# Who a condition "usually affects": a group of people or an age, never a body part.
_POPULATION: Final[re.Pattern[str]] = re.compile(
    r"^age\b|\b(?:people|adults|women|men|children|adolescents|patients|athletes|persons|"
    r"individuals|smokers|workers|runners|females|males|infants|elderly)\b",
    re.IGNORECASE,
)
# Cues that also say where or when ("affects the big toe", "most often in the morning"): only a
# group of people is a factor.
_GROUP_ONLY: Final[re.Pattern[str]] = re.compile(
    r"affect|\bmost\s+often\b(?!\s+after)|^(?:typically|usually|mainly|predominantly)\s+in\b|"
    r"\b(?:occurs?|occurring|seen|develops?)\b.*\bin$|"
    r"\b(?:patients|people|those)(?:\s+affected)?\s+are$",
    re.IGNORECASE,
)
_IN_PEOPLE: Final[re.Pattern[str]] = re.compile(
    r"\s(?:in|among)\s+(?P<group>(?:people|adults|women|men|children|adolescents|patients)\b.*)$",
    re.IGNORECASE,
)
# Plural agent nouns name groups of people: "rowers", "cyclists", "musicians", "players".
_AGENT_PLURAL: Final[re.Pattern[str]] = re.compile(r"^\w{2,}(?:ers|ists|ians|ors)$|^players$")
# Cues that say an event came first ("most often after an injury", "follows"): a trigger is no
# event.
_EVENT_CUE: Final[re.Pattern[str]] = re.compile(r"\b(?:after|follows?)$", re.IGNORECASE)
# "the risk rises after age 50": the age band over it.
_AFTER_AGE: Final[re.Pattern[str]] = re.compile(r"^age\s+(?=\d)", re.IGNORECASE)
# "a new sprain", "a first episode": the condition again, named by its head.
_EPISODE: Final[re.Pattern[str]] = re.compile(
    r"^(?:new|first|further|second|repeat|recurrent|another|later|subsequent)\s+", re.IGNORECASE
)
# "most often in people who smoke or have diabetes": every item describes the people.
_PEOPLE_FIRST: Final[re.Pattern[str]] = re.compile(
    r"^\s*(?:people|persons|patients|adults|individuals|those)\s+(?:who|with)\b", re.IGNORECASE
)
# A condition's name after a word or two that qualify it ("clinical CTS is present in …").
_MODIFIED: Final[re.Pattern[str]] = re.compile(
    r"^(?:clinical|symptomatic|bilateral|unilateral|recurrent|chronic|acute|primary|secondary|"
    r"severe|mild|idiopathic)\s+",
    re.IGNORECASE,
)
# A disorder named by its site and a generic head ("ankle joint disease", "knee problems").
_GENERIC_SUBJECT: Final[re.Pattern[str]] = re.compile(
    r"^(?P<site>[\w' -]+?)\s+(?:disease|diseases|disorders?|problems|pathology)$", re.IGNORECASE
)
_IN_GROUP: Final[re.Pattern[str]] = re.compile(r"^\s*\(?(?:in|among)\s+[^,;()]+", re.IGNORECASE)
_LEADING_ADVERBIAL: Final[re.Pattern[str]] = re.compile(
    r"^(?:in|among|across|for|after|during|within|besides|apart\s+from|in\s+addition\s+to|"
    r"as\s+well\s+as|like)\b[^,]*,\s+",
    re.IGNORECASE,
)


# "Besides A and B, C and D raise the risk": the adverbial adds factors of the same link.
_ADDITIVE: Final[re.Pattern[str]] = re.compile(
    r"^(?P<lead>\s*(?:besides|in\s+addition\s+to|as\s+well\s+as|apart\s+from)\s+)"
    r"(?P<items>[^,]+),\s+",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class _Link:
    """One stated link: factor wordings, their condition, and where the statistics sit."""

    factors: tuple[tuple[str, int], ...]  # wording, start in the statement text
    condition: str
    start: int  # span of the text whose statistics belong to the link
    end: int
    factors_first: bool  # factors precede the cue, so every statistic is theirs
    group: str | None = None  # "in older adults": whom the raised risk is stated for


def extract_prose_risks(context: Context, statement: Statement) -> list[RiskFactorFact]:
    """Risk links a sentence states in words, each factor with the statistics beside it."""
    facts: list[RiskFactorFact] = []
    links = _links(context, statement)
    hypothetical = assertions(statement.text, [(k.start, k.end) for k in links])
    for link, assertion in zip(links, hypothetical, strict=True):
        if assertion == "hypothetical":
            continue  # "if smokers were more likely to develop X, …": no finding
        stats = [
            s
            for s in statement.statistics
            if link.start < s.end
            and s.start < link.end
            and (s.kind in EFFECT_KINDS or (s.kind == "percent" and not link.factors_first))
        ]
        stats = _without_echoes(stats)
        for index, (wording, position) in enumerate(link.factors):
            if link.factors_first or len(link.factors) == 1:
                mine = stats
            else:
                following = [p for _, p in link.factors[index + 1 :]] + [link.end]
                mine = [s for s in stats if position <= s.start < following[0]]
                mine += [s for s in stats if s.start < link.factors[0][1]]
            factor = factor_entity(context, wording)
            facts += risk_facts(
                context, statement, factor, link.condition, "risk-factor", tuple(mine), link.group
            )
    return facts


def _without_echoes(stats: list[Statistic]) -> list[Statistic]:
    """A worded fold repeated by its ratio ("3.69 times the odds (OR 3.69)") counts once."""
    ratios = {s.value for s in stats if s.kind != "fold"}
    return [s for s in stats if s.kind != "fold" or s.value is None or s.value not in ratios]


def _clauses(context: Context, text: str) -> list[tuple[int, int]]:
    """Clause spans of a sentence: hard breaks always, soft ones after a clause with a verb."""
    spans, start = [], 0
    breaks = sorted(
        [(m.start(), m.end()) for m in _HARD_BREAK.finditer(text)]
        + [(m.start(), m.end()) for m in _SOFT_BREAK.finditer(text)]
    )
    for index, (b_start, b_end) in enumerate(breaks):
        hard = text[b_start] in ";:"
        before = text[start:b_start]
        after = text[b_end : breaks[index + 1][0] if index + 1 < len(breaks) else len(text)]
        # ", and a family history of X" ends a list, not a clause: the part after has no verb.
        if hard or (_clause_like(context, before) and _clause_like(context, after)):
            spans.append((start, b_start))
            start = b_end
    spans.append((start, len(text)))
    return [(a, b) for a, b in spans if b > a]


def _clause_like(context: Context, text: str) -> bool:
    # "usually resolves after delivery": an adverb of frequency starts a predicate, not an item
    return bool(
        _VERB.search(text)
        or _PREDICATE_ADVERB.match(text)
        or context.vocabulary.find(text, "RiskWording")
    )


def _links(context: Context, statement: Statement) -> list[_Link]:
    links: list[_Link] = []
    text = statement.text
    for c_start, c_end in _clauses(context, text):
        clause = text[c_start:c_end]
        cues = context.vocabulary.find(clause, "RiskWording")
        if not cues:
            links += _group_first(context, statement, clause, c_start)
        subject: str | None = None
        for index, cue in enumerate(cues):
            left = clause[cues[index - 1].end if index else 0 : cue.start]
            if NEGATION.search(left + " " + cue.text):
                break
            if less_common(left, cue):
                continue  # "much less common in adults than in children": no factor either side
            right_end = cues[index + 1].start if index + 1 < len(cues) else len(clause)
            right = clause[cue.end : right_end]
            if index and _coordinated(left):
                left = subject or ""  # "X is common in A and is linked to B": X both times
            elif c_start and _COORDINATED.match(left.strip()):
                left = "it"  # "X is caused by Y, and is most common in A": the sentence's X
            subject = left
            found = _link(context, statement, cue, left, right, c_start)
            if found is not None:
                links += _with_compared(statement.text, found)
            links += _later_outcomes(context, cue, left, right, c_start)
    return [_carried(context, statement.text, link) for link in links]


def _coordinated(left: str) -> bool:
    """True when the words between two cues start a predicate of the same subject ("X is common
    in A and is linked to B", "it affects 3% of adults, is twice as common in women")."""
    return bool(
        _COORDINATED.match(left.strip())
        or _RIGHT_TAIL.search(left)
        or _PREDICATE_LIST.search(_SUBJECT_TAIL.sub("", left))
    )


def _with_compared(text: str, link: _Link) -> list[_Link]:
    """A link, and the kinds of its factor a comparison after it names with their own figures
    ("X raises the risk (OR 5), lower for A-coated stents (OR 3) than for B-coated ones …")."""
    match = _COMPARED_RISK.search(text, link.start, link.end)
    if match is None or len(link.factors) != 1:
        return [link]
    own = _Link(link.factors, link.condition, link.start, match.start(), True, link.group)
    kinds = []
    for part in ("first", "second"):
        wording = match.group(part)
        kind = _KIND_OF_FACTOR.match(wording)
        label = f"{kind.group('kind')} {link.factors[0][0]}" if kind else wording
        kinds.append((label, match.start(part)))
    compared = _Link(tuple(kinds), link.condition, match.start(), match.end(), False)
    return [own, compared]


def _carried(context: Context, text: str, link: _Link) -> _Link:
    """A link of one factor keeps the statistics of the clauses that go on about it alone."""
    if len(link.factors) != 1:
        return link
    end = link.end
    own = {link.condition, _factor_key(context, link.factors[0][0])}
    for c_start, c_end in _clauses(context, text):
        if c_start < end:
            continue
        clause = text[c_start:c_end]
        others = {f.label for f in context.registry.find(clause)} - own
        if others or context.vocabulary.find(clause, "RiskWording"):
            break
        end = c_end
    return _Link(link.factors, link.condition, link.start, end, link.factors_first, link.group)


def _factor_key(context: Context, wording: str) -> str:
    return context.registry.resolve(wording, ("condition", "risk-factor"), heads=False) or wording


def _later_outcomes(
    context: Context, cue: ConceptMatch, left: str, right: str, offset: int
) -> list[_Link]:
    """ "X was associated with a later diagnosis of A (HR 1) and of B (HR 2)": X for each."""
    if cue.concept not in ("CommonInGroup", "AssociatedWith") or not _LATER_OUTCOME.match(right):
        return []
    factors = factor_items(_SUBJECT_TAIL.sub("", _LEADING_ADVERBIAL.sub("", left.strip())), 0)
    outcomes = [(m.start(), _diagnosis(context, m.group("name"))) for m in _OF_NAME.finditer(right)]
    named = [(start, label) for start, label in outcomes if label is not None]
    links = []
    base = offset + cue.end
    for index, (start, label) in enumerate(named):
        end = named[index + 1][0] if index + 1 < len(named) else len(right)
        if len(factors) == 1 and fold_name(label) != fold_name(factors[0][0]):
            links.append(_Link(tuple(factors), label, base + start, base + end, True))
    return links


def _diagnosis(context: Context, name: str) -> str | None:
    """The condition a later diagnosis names: a known one (by its head too, "amyloidosis" for
    "ATTR amyloidosis"), else a disorder name as a condition of its own."""
    phrase = clean_phrase(name)
    known = context.registry.resolve(phrase) or context.registry.by_head(phrase)
    if known is not None or not phrase or not is_condition_name(phrase):
        return known
    return context.registry.add("condition", Name(sentence_case(phrase, context.keep_case)))


def _link(
    context: Context,
    statement: Statement,
    cue: ConceptMatch,
    left: str,
    right: str,
    offset: int,
) -> _Link | None:
    """The link one cue states, or None when its condition or factors are not clear."""
    additive = _ADDITIVE.match(left)
    if cue.concept == "PeakAge":
        return _peak(context, statement, cue, right, offset)
    left = _LEADING_ADVERBIAL.sub("", left.strip())
    span = (offset + cue.start, offset + cue.end + len(right))
    if cue.concept in ("FactorRaisesRisk", "FactorHasRatio", "FactorPredicts"):
        if _DANGLING_CONJUNCTION.search(left) or _PRONOUN_SUBJECT.search(left):
            return None  # "X raises Y and increases the risk": the cue's subject is not "… and"
        if _THAN.match(right):
            return None  # "a thrill makes X more likely than Y": a diagnostic clue, no risk
        lenient = cue.concept == "FactorHasRatio"  # "had an odds ratio of 3 for a first episode"
        condition = (
            direct_object(context, statement, right, left)
            if cue.concept == "FactorPredicts"
            else _outcome(context, statement, right, left, lenient)
        )
        factors = factor_items(left, offset + cue.start - len(left))
        if additive is not None:
            start = offset + cue.start - len(left) - len(additive.group(0))
            start += additive.start("items")
            factors = factor_items(additive.group("items"), start) + factors
        first = True
    elif cue.concept == "RiskFactorsInclude":
        condition = listed_condition(context, statement, cue.text)
        right = list_text(right)
        span = (span[0], offset + cue.end + len(right))
        factors = factor_items(right, offset + cue.end)
        first = False
    elif cue.concept == "RiskOfFactor":
        condition = context.target(statement, statement.text)
        factors = factor_items(_FACTOR_END.sub("", right), offset + cue.end)
        first = True
    elif _LATER_OUTCOME.match(right):
        return None
    elif cue.concept == "AssociatedWith" and condition_follows(context, statement, left, right):
        return _factors_before(context, statement, cue, left, right, offset)
    else:
        condition = _subject_condition(context, statement, _SUBJECT_TAIL.sub("", left))
        if cue.concept == "RiskRisesWith" and not _about_opening(context, statement, offset):
            return None  # "X can cause Y, and the risk is highest in A": "the risk" of which?
        right = _RIGHT_TAIL.sub("", list_text(right))
        span = (span[0], offset + cue.end + len(right))
        items, base = (right, offset + cue.end)
        if _GROUP_ONLY.search(cue.text):
            items, base = _people_part(right, base)
        factors = factor_items(items, base)
        if cue.concept == "AssociatedWith":
            factors = [f for f in factors if not is_sign(f[0])]  # "is associated with weakness"
        first = False
    if _EVENT_CUE.search(cue.text):
        factors = [(_AFTER_AGE.sub("age over ", w), p) for w, p in factors]
        factors = [f for f in factors if not is_trigger(context, f[0])]  # not "after meals"
    if _GROUP_ONLY.search(cue.text) and not _PEOPLE_FIRST.match(right):
        factors = [f for f in factors if _population(context, f[0])]  # not "affects the big toe"
    if condition is None or not factors:
        return None
    kept = tuple(f for f in factors if context.registry.resolve(f[0], heads=False) != condition)
    group = _IN_GROUP.match(right) if first else None
    in_group = group.group(0).strip(" .(") if group and _POPULATION.search(group.group(0)) else None
    return _Link(kept, condition, span[0], span[1], first, in_group) if kept else None


def _peak(
    context: Context, statement: Statement, cue: ConceptMatch, right: str, offset: int
) -> _Link | None:
    """ "…, with a peak between 30 and 50": the band, for the sentence's condition."""
    band = peak_band(right)
    condition = _referent(context, statement)
    if band is None or condition is None:
        return None
    end = offset + cue.end + len(right)
    return _Link(((band, offset + cue.end),), condition, offset + cue.start, end, False)


def _group_first(context: Context, statement: Statement, clause: str, offset: int) -> list[_Link]:
    """ "In anyone over 60, X is common": the leading group, for the condition of the subject."""
    lead = leading_group(clause)
    if lead is None or NEGATION.search(clause):
        return []
    group, rest = lead
    cue = concept_pattern("CommonAfterGroup").search(rest)
    if cue is None or less_common(rest[: cue.start()], _as_cue(cue)):
        return []
    condition = _subject_condition(context, statement, rest[: cue.start()])
    found = factor_items(group, offset + clause.find(group))
    factors = tuple(f for f in found if _population(context, f[0]))
    if condition is None or not factors:
        return []
    return [_Link(factors, condition, offset, offset + len(clause), False)]


def _as_cue(match: re.Match[str]) -> ConceptMatch:
    return ConceptMatch("CommonAfterGroup", match.group(0), match.start(), match.end())


def _population(context: Context, label: str) -> bool:
    """True when a factor names a group of people: a group word, or a plural agent noun
    ("rowers", "cyclists", "musicians", "tennis players") that names no body site or disorder."""
    words = fold_name(label).split()
    if _POPULATION.match(label) or (words and _POPULATION.search(words[-1])):
        return True  # "adults over 60", "young adults"
    if not words or not _AGENT_PLURAL.search(words[-1]):
        return False
    return not context.vocabulary.find(label, "BodySite") and not is_condition_name(label)


def _about_opening(context: Context, statement: Statement, offset: int) -> bool:
    """True when "the risk" of a later clause is the sentence's own condition ("Glaucoma is
    common in women, and the risk rises with age"); false when the sentence opens with a drug,
    whose adverse effect the risk is of."""
    if offset == 0:
        return True
    drugs = find_drugs(statement.text[:offset])
    return not (drugs and drugs[0].start == 0)


def _people_part(right: str, start: int) -> tuple[str, int]:
    """What a "who it affects" cue says of people: the group after "in" when the words after
    the cue name something else first ("one eye at a time in adults between 20 and 50")."""
    inner = _IN_PEOPLE.search(right)
    if inner is None or _POPULATION.match(right.strip()):
        return right, start
    return inner.group("group"), start + inner.start("group")


def _factors_before(
    context: Context,
    statement: Statement,
    cue: ConceptMatch,
    left: str,
    right: str,
    offset: int,
) -> _Link | None:
    """ "A and B are linked to C (OR 2)": the subject's items are factors of the condition after
    the cue, and every statistic of the clause is theirs."""
    condition = condition_follows(context, statement, left, right)
    subject = _SUBJECT_TAIL.sub("", left.rstrip())
    factors = factor_items(subject, offset + cue.start - len(left))
    kept = tuple(f for f in factors if context.registry.resolve(f[0], heads=False) != condition)
    if condition is None or not kept:
        return None
    return _Link(kept, condition, offset + cue.start, offset + cue.end + len(right), True)


def _outcome(
    context: Context, statement: Statement, right: str, left: str, lenient: bool = False
) -> str | None:
    """The condition a raised risk is of: named after the cue, else the sentence's or section's.

    Lenient (a ratio's "for a first episode"): an outcome that names no disorder is the
    sentence's condition too."""
    match = _OUTCOME.match(right)
    if match:
        outcome = match.group("outcome")
        named = context.conditions_named(outcome)
        if named:
            return named[0]
        # a risk of something the article does not define: none, unless it is an umbrella term
        # of the condition the sentence is about, or a generic name of it
        candidate = context.target(statement, statement.text, set(context.conditions_named(left)))
        episode = _EPISODE.sub("", clean_phrase(outcome))
        if lenient and candidate is not None and not is_condition_name(episode):
            return candidate
        if refers_back(outcome):
            return candidate  # "more likely to develop the infection": the sentence's own
        return (
            _head_of(episode, candidate)
            or member_of_named_group(context, outcome, candidate)
            or _generic_of(clean_phrase(outcome), candidate)
        )
    excluded = set(context.conditions_named(left))
    return context.target(statement, statement.text, excluded)


def _head_of(outcome: str, candidate: str | None) -> str | None:
    """The candidate when the outcome is its name's head ("the probability of fracture" in the
    section of osteoporotic vertebral fracture)."""
    head = fold_name(clean_phrase(outcome))
    if candidate is None or not head:
        return None
    return candidate if fold_name(candidate).endswith(" " + head) else None


def _subject_condition(context: Context, statement: Statement, left: str) -> str | None:
    """The condition a "common in" clause is about: the one its subject names, or "it"."""
    subject = clean_phrase(left)
    opening = subject.split(None, 1)[0] if subject else ""
    if _PRONOUN.match(subject) or (_PREDICATE_LIST.search(left) and _PRONOUN.match(opening)):
        return _referent(context, statement)
    named = context.registry.find(subject)
    conditions = [f for f in named if f.kind == "condition"]
    if conditions and conditions[0].start == 0:
        return conditions[0].label
    if conditions and conditions[-1].end == len(subject) and _MODIFIED.match(subject):
        return conditions[-1].label  # "clinical CTS", "bilateral knee osteoarthritis"
    return context.registry.resolve(subject, heads=False) or _generic_of_own(
        context, statement, subject
    )


def _generic_of_own(context: Context, statement: Statement, subject: str) -> str | None:
    """ "Rotator cuff disease" in the section of rotator cuff tendinopathy: a generic head after
    the words that open the section's condition names that condition."""
    own = (
        context.section_condition.get(statement.section) if statement.section is not None else None
    )
    return _generic_of(subject, own)


def _generic_of(phrase: str, condition: str | None) -> str | None:
    """The condition when a phrase is a generic head after the words that open its name
    ("patellar tendon disease", "peroneal tendon disorders" for peroneal tendinopathy)."""
    generic = _GENERIC_SUBJECT.match(phrase)
    if generic is None or condition is None:
        return None
    site = fold_name(generic.group("site")).split()
    name = fold_name(condition).split()
    if len(name) > len(site) and name[: len(site)] == site:
        return condition
    return condition if len(site) == 2 and len(name) == 2 and site[0] == name[0] else None


def _referent(context: Context, statement: Statement) -> str | None:
    """What "it" stands for: the opening condition of this or the previous sentence, else the
    section's."""
    if statement.index in context.subjects:
        return context.subjects[statement.index]
    for index in (statement.index, statement.index - 1):
        if index < 0 or context.statement(index).section != statement.section:
            continue
        opening = [f for f in context.registry.find(context.statement(index).text)]
        if opening and opening[0].start == 0 and opening[0].kind == "condition":
            return opening[0].label
    if statement.section is None:
        return None
    return context.section_condition.get(statement.section)
