"""Risk factors as clean labels: a list of factors split into items, each item trimmed.

"lifting heavy loads or prolonged, repeated kneeling" is two factors; "contact sport and
smoking" is two; "people aged 30 to 50 years" is "Age 30 to 50 years".
"""

from __future__ import annotations

import re
from typing import Final

from clinkg.loaders.extract.names import clean_phrase
from clinkg.loaders.vocabularies.vocabulary import load_vocabulary

# A comma after a describing word joins coordinate adjectives ("forceful, repetitive gripping").
_ADJECTIVE_END: Final[re.Pattern[str]] = re.compile(
    r"\b\w+(?:ful|ive|ous|less|ical|able|ible)$", re.IGNORECASE
)
# "a history of A or of B" lists two: the second "of" repeats the first's head.
# "weakness owing to vitamin D deficiency": the state and its cause both predispose.
_ITEM_BREAK: Final[re.Pattern[str]] = re.compile(
    r"\s+and\s+(?=(?:with|in|after|among|following)\b)|,\s+(?:and|or)\s+|,\s+|"
    r"\s+(?:and|or)\s+of\s+|\s+(?:owing\s+to|due\s+to|resulting\s+from|secondary\s+to)\s+",
    re.IGNORECASE,
)
# Where a factor's name ends: a relative clause, apposition, comparison or example.
_NAME_END: Final[re.Pattern[str]] = re.compile(
    r",\s+(?:which|in\s+which|who|whose|where|a|an|compared\s+with|versus|vs\.?|particularly|"
    r"especially|e\.g\.|such\s+as|usually|often)\b.*$|\s+(?:than|as)\s+(?:in|among|for)\b.*$|"
    r"\s+(?:compared\s+with|versus)\s+.*$|\s+in\s+the\s+general\s+population\b.*$|"
    r"(?:\s+(?:about|roughly|approximately|nearly|almost))?\s+(?:twice|[\w.]+\s+times)\s+as\s+"
    r"(?:often|commonly|frequently)\b.*$",
    re.IGNORECASE,
)
_LEADING: Final[re.Pattern[str]] = re.compile(
    r"^(?:(?:in|with|among|after|following|from)\s+)?"
    r"(?:(?:the\s+)?(?:resulting|consequent|associated|ensuing)\s+)?"
    r"(?:(?:people|patients|adults|persons|individuals|those)\s+(?:with|who\s+have)\s+)?",
    re.IGNORECASE,
)
# "up to 30% of people with diabetes": the share is the statistic, the group the factor.
_SHARE: Final[re.Pattern[str]] = re.compile(
    r"^(?:(?:up\s+to|about|approximately|around|over|nearly|almost|at\s+least)\s+)?"
    r"\d+(?:\.\d+)?\s?%(?:\s*(?:to|-|\u2013)\s*\d+(?:\.\d+)?\s?%)?\s+of\s+",
    re.IGNORECASE,
)
# "patients who use a walking frame", "workers exposed to dust": the exposure names the factor.
_WHO_USE: Final[re.Pattern[str]] = re.compile(
    r"^(?:people|patients|adults|persons|individuals|those|workers|women|men|children)\s+"
    r"(?:who\s+(?P<verb>use|take|used|took)\s+|(?P<exposed>exposed)\s+to\s+)",
    re.IGNORECASE,
)
_WITH_GROUP: Final[re.Pattern[str]] = re.compile(
    r"^(?:people|patients|adults|persons|individuals|those)\s+(?:with|who\s+have)\s+", re.I
)
# "adults over 60 years", "people older than 60": the group is named by its age band.
_AGE_GROUP: Final[re.Pattern[str]] = re.compile(
    r"^(?:(?:people|patients|adults|persons|individuals|those|anyone|everyone)\s+"
    r"(?P<band>(?:older|younger)\s+than|over|under|above|below)|(?P<than>(?:older|younger)\s+than))"
    r"\s+(?=\d)",
    re.IGNORECASE,
)
# "adults between 20 and 50", "people aged 20 to 50": the group is named by its age band.
_GROUP_AGES: Final[re.Pattern[str]] = re.compile(
    r"^(?:people|patients|adults|persons|individuals|those)\s+(?:aged\s+|between\s+)"
    r"(?P<low>\d+)\s+(?:to|and)\s+(?P<high>\d+)(?:\s+years)?$",
    re.IGNORECASE,
)
_AGED: Final[re.Pattern[str]] = re.compile(
    r"^(?:(?:people|patients|adults|persons|individuals|those)\s+)?aged\s+", re.IGNORECASE
)
_AGES_BETWEEN: Final[re.Pattern[str]] = re.compile(
    r"^(?:between\s+)?(?:the\s+)?ages?\s+of\s+(?P<low>\d+)\s+(?:and|to)\s+(?P<high>\d+)"
    r"(?P<unit>\s+years)?",
    re.IGNORECASE,
)
# A relative clause or a comparison ends a list: ", among whom it accounts for 10%", ",
# compared with 4% of people without it" name no factor.
_RELATIVE: Final[re.Pattern[str]] = re.compile(
    r",\s+(?:(?:(?:among|in|of|for|with)\s+)?(?:which|whom|whose|who)|compared\s+with|versus|"
    r"vs\.?|than)\b.*$",
    re.IGNORECASE,
)
_AGES_AND: Final[re.Pattern[str]] = re.compile(
    r"(\b(?:ages?\s+of|between)\s+\d+(?=\s+and\s+\d+\b)|^\s*\d+(?=\s+and\s+\d+\s+years))"
    r"\s+and\s+",
    re.IGNORECASE,
)
# "40 to 60 years of age" names the age band "age 40 to 60 years".
_YEARS_OF_AGE: Final[re.Pattern[str]] = re.compile(
    r"^(?:between\s+)?(?P<low>\d+)\s+to\s+(?P<high>\d+)\s+years\s+of\s+age\b", re.IGNORECASE
)
# "pregnancy, particularly in the third trimester": the adverbial narrows the item before it
# and names no factor; "and especially obesity" names one, without the adverb.
_QUALIFIER: Final[re.Pattern[str]] = re.compile(
    r"^(?:particularly|especially|notably|mainly|mostly|chiefly|typically)\s+"
    r"(?=(?:in|during|after|before|when|with|among|at|if|from)\b)",
    re.IGNORECASE,
)
_ADVERB: Final[re.Pattern[str]] = re.compile(
    r"^(?:particularly|especially|notably|mainly|mostly|chiefly|typically)\s+", re.IGNORECASE
)
_PER_UNIT: Final[re.Pattern[str]] = re.compile(
    r"^(?:each|every|a|an)\s+[\w-]+\s+(?:increase|rise)\s+in\s+", re.IGNORECASE
)
_TRAILING: Final[re.Pattern[str]] = re.compile(
    r"(?:\s+(?:also|therefore|further|independently|strongly|significantly|each|both|all|"
    r"together|alone|roughly|about|approximately|nearly|almost))+$",
    re.IGNORECASE,
)
_NOT_A_FACTOR: Final[re.Pattern[str]] = re.compile(
    r"^(?:it|they|this|these|that|those|risk|the\s+risk|others?)$|\brisk\b|"
    r"^(?:earlier|later|more|less|higher|lower)\s+(?:in|among|than|with)\b",
    re.IGNORECASE,
)
_PREPOSITION: Final[re.Pattern[str]] = re.compile(
    r"\b(?:of|for|with|within|from|to|in|on|at|after|during)\b", re.IGNORECASE
)
# "people who inject drugs or have diabetes": the group carries over to the second verb.
_WHO_BOTH: Final[re.Pattern[str]] = re.compile(
    r"\b(?P<group>(?:people|patients|adults|persons|individuals|those)\s+who\s+)(?P<first>[^,]+?)"
    r"\s+(?:or|and)\s+(?=(?:have|has|take|takes|use|uses|smoke|smokes|drink|drinks)\b)",
    re.IGNORECASE,
)
_OWN_ARTICLE: Final[re.Pattern[str]] = re.compile(r"(?:a|an|the)\s", re.IGNORECASE)
_MAX_WORDS: Final[int] = 9


def factor_label(text: str) -> str:
    """A factor's name from its wording, or "" when what is left is not a name."""
    if _QUALIFIER.match(text.strip()):
        return ""
    text = _NAME_END.sub("", _ADVERB.sub("", text.strip()))
    text = _TRAILING.sub("", clean_phrase(text))
    share = _SHARE.sub("", text)
    if share != text and not _WITH_GROUP.match(share):
        return ""  # "2% of adults" is how common the condition is, not a factor
    text = _WHO_USE.sub(_exposure, share)
    text = _GROUP_AGES.sub(r"age \g<low> to \g<high> years", _LEADING.sub("", text))
    text = _PER_UNIT.sub("", text)
    text = _YEARS_OF_AGE.sub(r"age \g<low> to \g<high> years", text)
    ages = _AGES_BETWEEN.match(text)
    if ages:
        unit = ages.group("unit") or " years"
        text = f"age {ages.group('low')} to {ages.group('high')}{unit}"
    text = _AGE_GROUP.sub(_age_band, _AGED.sub("age ", clean_phrase(text)))
    text = clean_phrase(re.sub(r"\s*\([^()]*\)\s*$", "", text) if "(" in text else text)
    if not text or _NOT_A_FACTOR.search(text) or len(text.split()) > _MAX_WORDS:
        return ""
    return text


def _exposure(match: re.Match[str]) -> str:
    return "exposure to " if match.group("exposed") else "use of "


def _age_band(match: re.Match[str]) -> str:
    return f"age {match.group('band') or match.group('than')} "


def list_text(text: str) -> str:
    """A list as written, without the relative clause or comparison that ends it."""
    return _RELATIVE.sub("", text)


def factor_items(text: str, offset: int) -> list[tuple[str, int]]:
    """Factor labels of a list, each with where its wording starts (offset added)."""
    items: list[tuple[str, int]] = []
    text = _RELATIVE.sub("", text)
    text = _AGES_AND.sub(r"\1 to ", text)
    text = _WHO_BOTH.sub(r"\g<group>\g<first>, \g<group>", text)
    pieces = _pieces(text)
    for index, (piece, start) in enumerate(pieces):
        listed = len(pieces) > 1 and index == len(pieces) - 1
        for part, part_start in _split_or_and(piece, start, listed):
            label = factor_label(part)
            if label:
                items.append((label, offset + part_start))
    return items


def _pieces(text: str) -> list[tuple[str, int]]:
    """Comma-separated pieces (outside parentheses), coordinate adjectives kept together."""
    pieces: list[tuple[str, int]] = []
    start = 0
    for match in _ITEM_BREAK.finditer(text):
        if text.count("(", 0, match.start()) > text.count(")", 0, match.start()):
            continue
        before = text[start : match.start()]
        if match.group(0).strip() == "," and _ADJECTIVE_END.search(before.split(" ")[-1]):
            continue
        pieces.append((before, start))
        start = match.end()
    pieces.append((text[start:], start))
    return [(p, s) for p, s in pieces if p.strip()]


def _body_site(word: str) -> bool:
    """True when the vocabulary's body sites name the whole word ("hip", "knee")."""
    found = load_vocabulary().find(word, "BodySite")
    return bool(found) and found[0].text.lower() == word.strip().lower()


def _split_or_and(piece: str, start: int, listed: bool = False) -> list[tuple[str, int]]:
    """Items joined by "and"; by "or" only when both sides are phrases ("hip or knee" is one)."""
    match = re.search(r"\s+(and|or)\s+", piece)
    conjunction = re.search(r"\s+(and)\s+", piece)
    if match is not None and conjunction is not None and match.group(1) == "or":
        left, right = piece[: conjunction.start()], piece[conjunction.end() :]
        if len(left.split()) > 2 and len(right.split()) > 1:  # "A in B or C and D of E": two
            match = conjunction
    if match is None or "(" in piece[: match.start()]:
        return [(piece, start)]
    left, right = piece[: match.start()], piece[match.end() :]
    inside_of = re.search(r"\bof\s+(?:the\s+)?\w+$", left)
    # "or" inside a phrase ("hip or knee", "prolonged car or air travel", "heart failure or
    # atrial fibrillation within 3 months") joins words of one factor; between two phrases
    # ("lifting heavy loads or repeated kneeling") it lists two.
    joined = len(left.split()) < 3 or len(right.split()) < 2 or _PREPOSITION.search(right)
    # "A or an organ transplant", "A, B or the use of C": an item that opens with its own
    # article is a noun phrase of its own; so is a list's last "surgery or repeated injections"
    # (one word before "or" that is no body site: "hip or knee replacement" is one item)
    own_article = _OWN_ARTICLE.match(right) is not None
    single = len(left.split()) == 1 and len(right.split()) > 1 and not _body_site(left)
    listed = (own_article and (listed or len(left.split()) > 1)) or (listed and single)
    # "a viral infection or a blow to the eye": a second half with "a"/"an" is a phrase
    phrase = re.match(r"an?\s", right, re.IGNORECASE) is not None
    if inside_of or (match.group(1) == "or" and joined and not listed and not phrase):
        return [(piece, start)]
    return [(left, start), *_split_or_and(right, start + match.end(), listed)]
