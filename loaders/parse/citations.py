"""Which printed reference each citation marker points to, and how sure we are.

When the distinct markers are exactly 1..N and the list has N entries, markers map in order.
Otherwise every hypothesis of which markers the list lacks (and which entries no marker cites) is
scored at once: markers are numbered in order of first citation and the site prints references
in that order, so the list is the markers' order with gaps, found by dynamic programming over a
score per (marker, reference):

* word fit: how much more the statements carrying the marker use the reference's title words
  (and, at half weight, its journal's) than the article as a whole does: a query likelihood with
  the article as background, so words rare in the article weigh most. Abbreviations the text
  defines are read as their long forms, drug names found by the drug dictionary count as one
  concept each (twice as heavy as a plain word), and words naming a paper's design or scope
  ("case-control", "diagnosis and treatment") are left to the type fit;
* type fit: statements that report a study's own results (odds ratios, "case-control", "trial")
  fit a reference whose title names a study or a measured association, and misfit a review or
  guideline; guidance wording ("recommended", "assess", "do not") fits a guideline.

A marker keeps its reference only if every alignment that places it differently scores clearly
lower (`MIN_MARGIN`, more when several entries are missing); otherwise it is left unresolved
(None) rather than guessed. Marker numbers the text never uses take part as empty markers, so
the entries printed for them stay in place; an entry printed twice is aligned once.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass
from typing import Final, Literal

from clinkg.loaders.parse.records import Article, CitationAlignment, ReferenceEntry
from clinkg.loaders.vocabularies.lexicon import find_drugs, fold_name

#: What an unmatched marker or an uncited list entry costs: lists are built from citations,
#: so gaps are the exception and must be paid for by content.
GAP_COST: Final[float] = 0.5
#: How much clearer the chosen placement of a marker must be than its best alternative.
MIN_MARGIN: Final[float] = 0.25
#: Weight of the type-fit signal (in -1..1) against the word fit.
TYPE_WEIGHT: Final[float] = 0.5
#: Statements citing a study report its results in about this share or more (the rest is
#: its background).
STUDY_SHARE: Final[float] = 3.0
#: A drug concept shared by statements and title is stronger evidence than a plain word.
DRUG_WEIGHT: Final[float] = 2.0
#: Brings the word fit (a mean log lift, about 0..3) to the scale of the other signals.
WORD_SCALE: Final[float] = 0.5
#: Journal words say less about a paper than its title words.
JOURNAL_WEIGHT: Final[float] = 0.5

RefKind = Literal["study", "review", "guideline"]

_STOP_TEXT: Final[str] = """a about above after again against all also an and any are as at be
because been before being below between both but by can could did do does doing down during each
few for from further had has have having here how if in into is it its itself may more most much
must no nor not of off on once only or other our out over own same should so some such than that
the their them then there these they this those through to too under until up upon very was we
were what when where which while who whom why will with within without would you your often
usually typically especially including include includes versus vs"""
# Words that name a kind of paper, its design or its scope ("diagnosis and treatment of ..."),
# not its topic: the type fit weighs the kind, and every clinical text has diagnosis and treatment.
_RESEARCH_TEXT: Final[str] = """study studies trial trials cohort case control controls nested
population based randomized randomised controlled prospective retrospective analysis meta
systematic review guideline guidelines clinical practice revision update overview relative
absolute results comparison evidence odds ratio ratios hazard diagnosis diagnostic treatment
treatments management approach evaluation assessment differential guide"""
_STOP_WORDS: Final[frozenset[str]] = frozenset(_STOP_TEXT.split() + _RESEARCH_TEXT.split())
_STUDY_RESULT: Final[re.Pattern[str]] = re.compile(
    r"\b(?:a?OR|a?HR|a?RR|IRR)\s*[=:]?\s*\d|odds ratio|hazard ratio|relative risk|rate ratio|"
    r"case-control|\bcohort\b|\btrials?\b|randomi[sz]ed|meta-analys[ie]s|"
    # "a study", "studies found"; not a test's name ("nerve conduction studies")
    r"\b(?:a|one|this|the|in|large|recent)\s+(?:[\w-]+\s+){0,3}study\b|"
    r"\bstud(?:y|ies)\s+(?:found|show\w*|report\w*|identified|suggest\w*|confirm\w*)\b|"
    r"\bidentified\b|\bparticipants\b|\b\d+ (?:patients|participants|subjects|controls)\b|"
    r"\b(?:sensitivity|specificity) of \d|\bcompared with\b",
    re.IGNORECASE,
)
_GUIDANCE: Final[re.Pattern[str]] = re.compile(
    r"\brecommended\b|\brecommend\b|\bshould\b|\bdo not\b|\bassess\b|\bis advised\b|"
    r"\bconsider(?:ed)?\b|\bis required\b|\bindicated\b|\bfirst-line\b|\bsuggested\b|"
    r"\bwarrants?\b|\bask about\b",
    re.IGNORECASE,
)
_STUDY_TITLE: Final[re.Pattern[str]] = re.compile(
    r"\bstudy\b|\btrials?\b|\bcohort\b|case-control|\bpatients\b|randomi[sz]ed|"
    r"meta-analysis|\bresults (?:of|from)\b|\bcomparison of\b|\bversus\b|\bvs\.?\s|"
    r"\bcompared with\b|"
    # titles that name a measured association ("Obesity and the risk of heart failure")
    r"\brisks? of\b|\brisk factors?\b|\bassociation (?:of|between)\b|\bincidence of\b|"
    r"\bprevalence of\b|\brelationship between\b",
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


def drug_terms(text: str) -> set[str]:
    """The drugs a text names, one concept term each (synonyms and brand names meet)."""
    return {"drug:" + fold_name(hit.name) for hit in find_drugs(text)}


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
    """What kind of wording one marker's statements use."""

    study_results: float  # share of its statements reporting a study's own results
    guidance: float  # share of its statements worded as guidance


def profile(texts: list[str]) -> MarkerProfile:
    """The wording profile of the statements carrying one marker."""
    study = sum(bool(_STUDY_RESULT.search(t)) for t in texts)
    guidance = sum(bool(_GUIDANCE.search(t)) for t in texts)
    return MarkerProfile(study / len(texts), guidance / len(texts))


def type_fit(marker: MarkerProfile, kind: RefKind) -> float:
    """How well a marker's kind of wording fits a kind of reference, in -1..1.

    A study paper is also cited for its background, so a third of result sentences fits it
    fully; a review or guideline is rarely the source of most of a marker's study results.
    """
    if kind == "study":
        return min(1.0, STUDY_SHARE * marker.study_results) - marker.guidance / 2
    if kind == "guideline":
        return marker.guidance - marker.study_results
    return -marker.study_results


_DEFINED: Final[re.Pattern[str]] = re.compile(r"([A-Za-z][\w'\- ]*?)\s*\(([A-Z][A-Za-z0-9]{1,9})\)")


def abbreviations(article: Article) -> dict[str, list[str]]:
    """Abbreviations the text defines ("carpal tunnel syndrome (CTS)"), with the stems of
    their long forms, so "CTS" in one statement meets "carpal tunnel syndrome" in a title."""
    found: dict[str, list[str]] = {}
    for statement in article.statements:
        for match in _DEFINED.finditer(statement.text):
            words, short = match.group(1).split(), match.group(2)
            for size in range(1, min(len(words), 2 * len(short)) + 1):
                phrase = " ".join(words[-size:])
                if _letters(short) in _initials(phrase):
                    found.setdefault(short, terms(phrase))
                    break
    return found


def _letters(short: str) -> str:
    """An abbreviation's letters without a plural "s" ("NSAIDs"); "CTS" keeps its S."""
    return re.sub(r"(?<=[A-Z])s$", "", short).upper()


def _initials(phrase: str) -> tuple[str, str]:
    """The initials of a phrase's words, with and without its small words ("with", "of")."""
    words = re.findall(r"[A-Za-z0-9]+", phrase)
    content = [w for w in words if w.lower() not in _STOP_WORDS]
    return "".join(w[0] for w in words).upper(), "".join(w[0] for w in content).upper()


def words_of(text: str, defined: dict[str, list[str]]) -> list[str]:
    """A text's stems, with each defined abbreviation read as its long form and each drug the
    dictionary names as one concept term."""
    expanded = [
        stem
        for short in re.findall(r"\b[A-Z][A-Za-z0-9]+\b", text)
        for stem in defined.get(short, ())
    ]
    return [*terms(text), *expanded, *(sorted(drug_terms(text)))]


@dataclass(frozen=True)
class WordModel:
    """How often each word is used by the whole article and by the statements of each marker."""

    background: dict[str, float]  # share of all the article's words
    by_marker: dict[int, dict[str, float]]  # share of the words of one marker's statements

    @classmethod
    def of(cls, article: Article, defined: dict[str, list[str]]) -> WordModel:
        """Count the words of every statement, and of every marker's statements."""
        overall: Counter[str] = Counter()
        per_marker: dict[int, Counter[str]] = {}
        for statement in article.statements:
            words = words_of(statement.text, defined)
            overall.update(words)
            for marker in dict.fromkeys(statement.citations):
                per_marker.setdefault(marker, Counter()).update(words)
        return cls(_shares(overall), {m: _shares(c) for m, c in per_marker.items()})

    def fit(self, marker: int, words: dict[str, float]) -> float:
        """How much more the marker's statements use the reference's words than the article
        does (query likelihood against the article as background), per word, with one word of
        doubt so a single shared word is not proof. A word the article never uses counts as a
        word the marker does not use: a title about something else fits no marker."""
        own = self.by_marker.get(marker, {})
        lift = weight = 0.0
        for word, factor in words.items():
            factor *= _kind_weight(word)
            weight += factor
            if word in self.background:
                lift += factor * math.log1p(own.get(word, 0.0) / self.background[word])
        return WORD_SCALE * lift / (weight + 1.0)


def _shares(counts: Counter[str]) -> dict[str, float]:
    total = sum(counts.values())
    return {word: n / total for word, n in counts.items()}


def reference_words(reference: ReferenceEntry, defined: dict[str, list[str]]) -> dict[str, float]:
    """A reference's title words and drugs, and its journal's words at lower weight."""
    words = dict.fromkeys(words_of(reference.journal, defined), JOURNAL_WEIGHT)
    words.update(dict.fromkeys(words_of(reference.title, defined), 1.0))
    return words


def _kind_weight(word: str) -> float:
    return DRUG_WEIGHT if word.startswith("drug:") else 1.0


def score_matrix(article: Article, markers: list[int]) -> list[list[float]]:
    """Score of each (marker, listed reference) pair: word fit plus weighted type fit.

    A marker the text never uses scores 0 everywhere: nothing speaks for or against it.
    """
    defined = abbreviations(article)
    model = WordModel.of(article, defined)
    texts = marker_statements(article)
    kinds = [reference_kind(reference) for reference in article.references]
    words = [reference_words(reference, defined) for reference in article.references]
    scores = []
    for marker in markers:
        if marker not in texts:
            scores.append([0.0] * len(article.references))
            continue
        wording = profile(texts[marker])
        scores.append(
            [
                model.fit(marker, listed) + TYPE_WEIGHT * type_fit(wording, kind)
                for listed, kind in zip(words, kinds, strict=True)
            ]
        )
    return scores


Assignment = tuple[int | None, ...]  # per marker (sorted): 0-based list index, or None


def best_alignment(
    scores: list[list[float]],
    forbidden: tuple[int, int | None] | None = None,
    free_gaps: frozenset[int] = frozenset(),
) -> tuple[float, Assignment]:
    """The best monotone alignment of markers (rows) to references (columns), with gaps.

    `forbidden = (row, choice)` excludes alignments giving that row that choice; rows in
    `free_gaps` (marker numbers never used) may be left out at no cost.
    """
    rows = len(scores)
    cols = len(scores[0]) if rows else 0
    best = [[-math.inf] * (cols + 1) for _ in range(rows + 1)]
    step: list[list[str]] = [[""] * (cols + 1) for _ in range(rows + 1)]
    best[0][0] = 0.0
    for i in range(rows + 1):
        for j in range(cols + 1):
            options: list[tuple[float, str]] = []
            if i and j and forbidden != (i - 1, j - 1):
                options.append((best[i - 1][j - 1] + scores[i - 1][j - 1], "match"))
            if i and forbidden != (i - 1, None):
                cost = 0.0 if i - 1 in free_gaps else GAP_COST
                options.append((best[i - 1][j] - cost, "marker"))
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


def margins(
    scores: list[list[float]],
    total: float,
    assignment: Assignment,
    free_gaps: frozenset[int] = frozenset(),
) -> list[float]:
    """Per marker: how much the best alignment placing it differently falls short."""
    result = []
    for row, choice in enumerate(assignment):
        alternative, _ = best_alignment(scores, (row, choice), free_gaps)
        result.append(total - alternative)
    return result


def _distinct_entries(references: tuple[ReferenceEntry, ...]) -> dict[int, int]:
    """Per list position, the position of the first entry with the same title (a repeat)."""
    first: dict[str, int] = {}
    return {
        ref.position: first.setdefault(" ".join(terms(ref.title)) or ref.title, ref.position)
        for ref in references
    }


def required_margin(markers: int, entries: int) -> float:
    """`MIN_MARGIN`, raised as the hypotheses multiply: with k of n unlisted there are
    C(n, k) of them, and the best of many is more often best by chance (square root of the
    ratio of their logarithms to the one-missing case's)."""
    larger, gaps = max(markers, entries), abs(markers - entries)
    if larger < 2 or gaps < 2:
        return MIN_MARGIN
    return MIN_MARGIN * math.sqrt(math.log(math.comb(larger, gaps)) / math.log(larger))


def align_citations(article: Article) -> CitationAlignment:
    """Map each citation marker to a 1-based printed reference position, or None."""
    used = sorted({m for s in article.statements for m in s.citations})
    count = len(article.references)
    if not used or not count:
        mapping: dict[int, int | None] = dict.fromkeys(used)
        return CitationAlignment(mapping, False, _warnings(article, used, mapping, set()))
    # A repeated entry is one source printed twice: align over the first printing only.
    repeats = _distinct_entries(article.references)
    distinct = tuple(r for r in article.references if repeats[r.position] == r.position)
    aligned = Article(**{**article.__dict__, "references": distinct})
    markers = list(range(1, max(used) + 1))
    unused = frozenset(row for row, m in enumerate(markers) if m not in used)
    scores = score_matrix(aligned, markers)
    total, assignment = best_alignment(scores, free_gaps=unused)
    if used == list(range(1, count + 1)) and assignment == tuple(range(count)):
        # As many entries as markers, and content does not overturn their order.
        return CitationAlignment({m: m for m in used}, consistent=True)
    needed = required_margin(len(used), len(distinct))
    unsure = {
        markers[row]
        for row, margin in enumerate(margins(scores, total, assignment, unused))
        if margin < needed and markers[row] in used
    }
    mapping = {
        marker: None if marker in unsure or choice is None else distinct[choice].position
        for marker, choice in zip(markers, assignment, strict=True)
        if marker in used
    }
    return CitationAlignment(mapping, False, _warnings(article, used, mapping, unsure))


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
    lacks = "" if len(markers) == count else "but "
    parts = [
        f"{article.source}: the text uses citation markers {shown} {lacks or 'and '}the "
        f"reference list has {count} {entries}"
        + ("" if lacks else ", but by content they do not line up in order")
    ]
    never = [n for n in range(1, max(markers, default=0)) if n not in markers]
    if never:
        parts.append(f"marker number{'s' if len(never) > 1 else ''} {_numbers(never)} never used")
    unplaced = [m for m in markers if mapping[m] is None and m not in unsure]
    if unplaced:
        their = "their statements are" if len(unplaced) > 1 else "its statements are"
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
    repeats = _distinct_entries(article.references)
    for reference in article.references:
        first = repeats[reference.position]
        if first != reference.position:
            warnings.append(
                f"{article.source}: listed reference {reference.position} repeats listed "
                f"reference {first} ({reference.title!r})"
            )
        elif reference.position not in cited:
            warnings.append(
                f"{article.source}: no citation marker is aligned to listed reference "
                f"{reference.position} ({reference.title!r})"
            )
    return tuple(warnings)
