"""Which printed reference each citation marker points to, and how sure we are.

When the distinct markers are exactly 1..N and the list has N entries, markers map in order.
Otherwise markers are aligned to list entries in order (the site prints references in citation
order), with gaps on either side, by dynamic programming over a score per (marker, reference):

* lexical fit: TF-IDF cosine between the statements carrying the marker and the reference's
  title and journal (words weighted by rarity in the article, crude stems, no stop words);
* type fit: statements that report a study's own results (odds ratios, "identified",
  "case-control") fit a reference whose title names a study, and misfit a review or guideline;
  guidance wording ("recommended", "assess", "do not") fits a guideline.

A marker keeps its reference only if every alignment that places it differently scores clearly
lower (`MIN_MARGIN`); otherwise it is left unresolved (None) rather than guessed.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Final, Literal

from .records import Article, CitationAlignment, ReferenceEntry

#: What an unmatched marker or an uncited list entry costs: lists are built from citations,
#: so gaps are the exception and must be paid for by content.
GAP_COST: Final[float] = 0.5
#: How much clearer the chosen placement of a marker must be than its best alternative.
MIN_MARGIN: Final[float] = 0.25
#: Weight of the type-fit signal against the lexical cosine (which lies in 0..1).
TYPE_WEIGHT: Final[float] = 0.5

RefKind = Literal["study", "review", "guideline"]

_STOP_TEXT: Final[str] = """a about above after again against all also an and any are as at be
because been before being below between both but by can could did do does doing down during each
few for from further had has have having here how if in into is it its itself may more most much
must no nor not of off on once only or other our out over own same should so some such than that
the their them then there these they this those through to too under until up upon very was we
were what when where which while who whom why will with within without would you your often
usually typically especially including include includes versus vs"""
_STOP_WORDS: Final[frozenset[str]] = frozenset(_STOP_TEXT.split())
_STUDY_RESULT: Final[re.Pattern[str]] = re.compile(
    r"\b(?:OR|aOR|HR|RR)\s*\d|odds ratio|hazard ratio|relative risk|case-control|cohort|"
    r"\btrial\b|\bstud(?:y|ies)\b|\bidentified\b|\bamong \d+ (?:patients|participants|subjects)",
    re.IGNORECASE,
)
_GUIDANCE: Final[re.Pattern[str]] = re.compile(
    r"\brecommended\b|\brecommend\b|\bshould\b|\bdo not\b|\bassess\b|\bis advised\b|"
    r"\bconsider\b|\bis required\b|\bindicated\b|\bfirst-line\b|\bsuggested\b",
    re.IGNORECASE,
)
_STUDY_TITLE: Final[re.Pattern[str]] = re.compile(
    r"\bstudy\b|\btrial\b|\bcohort\b|case-control|\bpatients\b|randomi[sz]ed|"
    r"meta-analysis|\bresults of\b",
    re.IGNORECASE,
)
_GUIDELINE_TITLE: Final[re.Pattern[str]] = re.compile(
    r"guideline|consensus|recommendation|practice parameter|position statement",
    re.IGNORECASE,
)


def terms(text: str) -> list[str]:
    """Crude stems of a text's content words: lower case, no stop words, 7-letter prefixes."""
    stems = []
    for word in re.findall(r"[a-z]+", text.lower()):
        if word in _STOP_WORDS or len(word) < 3:
            continue
        if word.endswith("s") and not word.endswith(("ss", "is", "us")):
            word = word[:-1]
        stems.append(word[:7])
    return stems


def marker_statements(article: Article) -> dict[int, list[str]]:
    """The texts of the statements carrying each marker, own or inherited, in article order."""
    texts: dict[int, list[str]] = {}
    for statement in article.statements:
        for marker in dict.fromkeys(statement.citations):
            texts.setdefault(marker, []).append(statement.text)
    return texts


def reference_kind(reference: ReferenceEntry) -> RefKind:
    """A guideline, a primary study, or a review/overview, from the type line and title."""
    if _GUIDELINE_TITLE.search(reference.type) or _GUIDELINE_TITLE.search(reference.title):
        return "guideline"
    if _STUDY_TITLE.search(reference.title):
        return "study"
    return "review"


@dataclass(frozen=True)
class MarkerProfile:
    """What the statements of one marker are like: term weights and kind of wording."""

    vector: dict[str, float]
    study_results: float  # share of its statements reporting a study's own results
    guidance: float  # share of its statements worded as guidance


def _idf(article: Article) -> dict[str, float]:
    documents = [set(terms(s.text)) for s in article.statements]
    counts = Counter(term for doc in documents for term in doc)
    total = len(documents)
    return {term: math.log((total + 1) / (df + 1)) + 1.0 for term, df in counts.items()}


def _vector(words: Iterable[str], idf: dict[str, float]) -> dict[str, float]:
    counts = Counter(words)
    default = max(idf.values(), default=1.0)
    return {t: (1.0 + math.log(n)) * idf.get(t, default) for t, n in counts.items()}


def _cosine(a: dict[str, float], b: dict[str, float]) -> float:
    dot = sum(weight * b[t] for t, weight in a.items() if t in b)
    norm = math.sqrt(sum(w * w for w in a.values())) * math.sqrt(sum(w * w for w in b.values()))
    return dot / norm if norm else 0.0


def profiles(article: Article) -> dict[int, MarkerProfile]:
    """A profile per marker used in the article body."""
    idf = _idf(article)
    result = {}
    for marker, texts in marker_statements(article).items():
        words = [t for text in texts for t in terms(text)]
        study = sum(bool(_STUDY_RESULT.search(t)) for t in texts) / len(texts)
        guidance = sum(bool(_GUIDANCE.search(t)) for t in texts) / len(texts)
        result[marker] = MarkerProfile(_vector(words, idf), study, guidance)
    return result


def type_fit(profile: MarkerProfile, kind: RefKind) -> float:
    """How well a marker's kind of wording fits a kind of reference, in -1..1."""
    if kind == "study":
        return profile.study_results - profile.guidance / 2
    if kind == "guideline":
        return profile.guidance - profile.study_results
    return -profile.study_results


def score_matrix(article: Article, markers: list[int]) -> list[list[float]]:
    """Score of each (marker, listed reference) pair: lexical cosine plus weighted type fit."""
    idf = _idf(article)
    by_marker = profiles(article)
    scores = []
    for marker in markers:
        profile = by_marker[marker]
        row = []
        for reference in article.references:
            ref_vector = _vector(terms(f"{reference.title} {reference.journal}"), idf)
            lexical = _cosine(profile.vector, ref_vector)
            row.append(lexical + TYPE_WEIGHT * type_fit(profile, reference_kind(reference)))
        scores.append(row)
    return scores


Assignment = tuple[int | None, ...]  # per marker (sorted): 0-based list index, or None


def best_alignment(
    scores: list[list[float]], forbidden: tuple[int, int | None] | None = None
) -> tuple[float, Assignment]:
    """The best monotone alignment of markers (rows) to references (columns), with gaps.

    `forbidden = (row, choice)` excludes alignments giving that row that choice.
    """
    rows = len(scores)
    cols = len(scores[0]) if rows else 0
    worst = -math.inf
    best = [[worst] * (cols + 1) for _ in range(rows + 1)]
    step: list[list[str]] = [[""] * (cols + 1) for _ in range(rows + 1)]
    best[0][0] = 0.0
    for i in range(rows + 1):
        for j in range(cols + 1):
            options: list[tuple[float, str]] = []
            if i and j and forbidden != (i - 1, j - 1):
                options.append((best[i - 1][j - 1] + scores[i - 1][j - 1], "match"))
            if i and forbidden != (i - 1, None):
                options.append((best[i - 1][j] - GAP_COST, "marker"))
            if j:
                options.append((best[i][j - 1] - GAP_COST, "reference"))
            for value, kind in options:
                if value > best[i][j]:
                    best[i][j], step[i][j] = value, kind
    return best[rows][cols], _trace(step, rows, cols)


def _trace(step: list[list[str]], i: int, j: int) -> Assignment:
    assignment: list[int | None] = []
    while i or j:
        kind = step[i][j]
        if kind == "match":
            assignment.append(j - 1)
            i, j = i - 1, j - 1
        elif kind == "marker":
            assignment.append(None)
            i -= 1
        else:
            j -= 1
    return tuple(reversed(assignment))


def margins(scores: list[list[float]], total: float, assignment: Assignment) -> list[float]:
    """Per marker: how much the best alignment placing it differently falls short."""
    result = []
    for row, choice in enumerate(assignment):
        alternative, _ = best_alignment(scores, forbidden=(row, choice))
        result.append(total - alternative)
    return result


def align_citations(article: Article) -> CitationAlignment:
    """Map each citation marker to a 1-based printed reference position, or None."""
    markers = sorted({m for s in article.statements for m in s.citations})
    count = len(article.references)
    if markers == list(range(1, count + 1)):
        return CitationAlignment({m: m for m in markers}, consistent=True)
    if not markers or not count:
        mapping: dict[int, int | None] = dict.fromkeys(markers)
        return CitationAlignment(mapping, False, _warnings(article, markers, mapping, set()))
    scores = score_matrix(article, markers)
    total, assignment = best_alignment(scores)
    unsure = {
        markers[row]
        for row, margin in enumerate(margins(scores, total, assignment))
        if margin < MIN_MARGIN
    }
    mapping = {
        marker: None if marker in unsure or choice is None else choice + 1
        for marker, choice in zip(markers, assignment, strict=True)
    }
    return CitationAlignment(mapping, False, _warnings(article, markers, mapping, unsure))


def _numbers(values: list[int]) -> str:
    """A run of marker numbers from the first as a range ("1-6"), others as a list."""
    if len(values) > 2 and values == list(range(values[0], values[-1] + 1)):
        return f"{values[0]}\u2013{values[-1]}"
    return ", ".join(str(v) for v in values)


def _markers_phrase(values: list[int]) -> str:
    return f"marker{'s' if len(values) > 1 else ''} {_numbers(values)}"


def _warnings(
    article: Article, markers: list[int], mapping: dict[int, int | None], unsure: set[int]
) -> tuple[str, ...]:
    count = len(article.references)
    entries = "entry" if count == 1 else "entries"
    shown = _numbers(markers) if markers else "no citation markers"
    parts = [
        f"{article.source}: the text uses citation markers {shown} but the reference list "
        f"has {count} {entries}"
    ]
    unplaced = [m for m in markers if mapping[m] is None and m not in unsure]
    their = "their statements are" if len(unplaced) > 1 else "its statements are"
    if unplaced:
        verb = "match" if len(unplaced) > 1 else "matches"
        parts.append(
            f"{_markers_phrase(unplaced)} {verb} none of them (left unresolved: "
            f"{their} attached to no reference)"
        )
    if unsure:
        ordered = sorted(unsure)
        pronoun = "their statements are" if len(ordered) > 1 else "its statements are"
        parts.append(
            f"{_markers_phrase(ordered)} could not be placed with confidence by content "
            f"(left unresolved: {pronoun} attached to no reference)"
        )
    shifted = [m for m in markers if mapping[m] is not None and mapping[m] != m]
    if shifted:
        targets = ", ".join(str(mapping[m]) for m in shifted)
        plural = "s" if len(shifted) > 1 else ""
        parts.append(
            f"{_markers_phrase(shifted)} aligned to listed reference{plural} {targets} by content"
        )
    warnings = ["; ".join(parts)]
    cited = {position for position in mapping.values() if position is not None}
    for reference in article.references:
        if reference.position not in cited:
            warnings.append(
                f"{article.source}: no citation marker is aligned to listed reference "
                f"{reference.position} ({reference.title!r})"
            )
    return tuple(warnings)
