"""Citation alignment: markers map to printed references by order when they agree, by content
when they do not, and to nothing when content cannot tell."""

from __future__ import annotations

import pytest
from regen_golden import ARTICLES, parse_bundled

from clinkg.loaders.citations import align_citations, best_alignment, reference_kind, terms
from clinkg.loaders.records import Article, ReferenceEntry, Statement

# Four unrelated topics: what statements citing a paper say, and that paper's title.
TOPICS = {
    "warfarin": (
        "Warfarin dosing in atrial fibrillation needs INR monitoring.",
        "Warfarin dosing and INR monitoring in atrial fibrillation.",
    ),
    "ankle": (
        "Ankle sprain rehabilitation uses balance exercises and bracing.",
        "Balance exercises and bracing after ankle sprain.",
    ),
    "migraine": (
        "Migraine prophylaxis with propranolol reduces headache days.",
        "Propranolol for migraine prophylaxis: headache days.",
    ),
    "gout": (
        "Gout flares respond to colchicine and urate lowering.",
        "Colchicine for gout flares and urate lowering.",
    ),
    "eczema": (
        "Eczema flares settle with emollients and topical steroids.",
        "Emollients and topical steroids in eczema.",
    ),
}


def article(cited: list[tuple[str, int]], listed: list[str], *, kinds: str = "") -> Article:
    """An article whose statement i talks about topic cited[i][0] and carries marker cited[i][1]."""
    statements = tuple(
        Statement(i, TOPICS[topic][0], None, 10 + i, "sentence", (marker,))
        for i, (topic, marker) in enumerate(cited)
    )
    references = tuple(
        ReferenceEntry(
            n,
            (kinds[n - 1 : n] == "G" and "Guideline") or "Research",
            TOPICS[topic][1],
            "Journal",
            2020,
            100 + n,
        )
        for n, topic in enumerate(listed, start=1)
    )
    return Article("synthetic.txt", "synthetic", "Q?", "Title", None, (), statements, references)


def test_calf_article_leaves_the_unlisted_marker_unresolved() -> None:
    result = align_citations(parse_bundled(ARTICLES / "calf-muscle-spasms.txt"))
    assert result.mapping == {1: 1, 2: 2, 3: 3, 4: None, 5: 4, 6: 5}
    assert not result.consistent
    (warning,) = result.warnings
    assert "markers 1\u20136" in warning and "5 entries" in warning
    assert "marker 4 matches none of them" in warning
    assert "markers 5, 6 aligned to listed references 4, 5" in warning


def test_swollen_article_maps_in_order() -> None:
    result = align_citations(parse_bundled(ARTICLES / "swollen-painful-calf.txt"))
    assert result.mapping == {n: n for n in range(1, 7)}
    assert result.consistent and result.warnings == ()


def test_list_missing_its_last_entry() -> None:
    cited = [("warfarin", 1), ("ankle", 2), ("migraine", 3), ("gout", 4)]
    result = align_citations(article(cited, ["warfarin", "ankle", "migraine"]))
    assert result.mapping == {1: 1, 2: 2, 3: 3, 4: None}
    assert "marker 4 matches none of them" in result.warnings[0]


def test_list_missing_its_first_entry() -> None:
    cited = [("warfarin", 1), ("ankle", 2), ("migraine", 3), ("gout", 4)]
    result = align_citations(article(cited, ["ankle", "migraine", "gout"]))
    assert result.mapping == {1: None, 2: 1, 3: 2, 4: 3}
    assert "markers 2\u20134 aligned to listed references 1, 2, 3 by content" in result.warnings[0]


def test_an_uncited_extra_entry_is_reported() -> None:
    cited = [("warfarin", 1), ("ankle", 2), ("gout", 3)]
    result = align_citations(article(cited, ["warfarin", "ankle", "migraine", "gout"]))
    assert result.mapping == {1: 1, 2: 2, 3: 4}
    assert result.warnings[1] == (
        "synthetic.txt: no citation marker is aligned to listed reference 3 "
        "('Propranolol for migraine prophylaxis: headache days.')"
    )


def test_a_marker_beyond_the_list() -> None:
    cited = [("warfarin", 1), ("ankle", 2), ("migraine", 3), ("eczema", 9)]
    result = align_citations(article(cited, ["warfarin", "ankle", "migraine"]))
    assert result.mapping == {1: 1, 2: 2, 3: 3, 9: None}


def test_markers_content_cannot_tell_apart_stay_unresolved() -> None:
    # Three markers, two listed papers, and nothing in the text that matches any title.
    cited = [("eczema", 1), ("eczema", 2), ("eczema", 3)]
    result = align_citations(article(cited, ["warfarin", "gout"]))
    assert result.mapping == {1: None, 2: None, 3: None}
    assert "could not be placed with confidence" in result.warnings[0]


def test_a_confident_marker_survives_beside_unresolved_ones() -> None:
    cited = [("warfarin", 1), ("eczema", 2), ("eczema", 3)]
    result = align_citations(article(cited, ["warfarin", "gout"]))
    assert result.mapping == {1: 1, 2: None, 3: None}


def test_study_results_do_not_fit_a_guideline() -> None:
    statements = (
        Statement(
            0, "A case-control study identified smoking (OR 3.1).", None, 1, "sentence", (1,)
        ),
        Statement(1, "Statins are recommended; do not delay.", None, 2, "sentence", (2,)),
    )
    listed = (ReferenceEntry(1, "Guideline", "Practice guideline", "Society", 2020, 10),)
    base = Article("s.txt", "s", "Q?", "T", None, (), statements, listed)
    assert align_citations(base).mapping == {1: None, 2: 1}


def test_alignment_is_monotone_with_gaps() -> None:
    scores = [[1.0, 0.0], [0.0, 0.0], [0.0, 1.0]]
    assert best_alignment(scores) == (pytest.approx(1.5), (0, None, 1))


@pytest.mark.parametrize(
    ("kind", "title", "expected"),
    [
        ("Research", "Risk factors: a population-based case-control study.", "study"),
        ("Research", "Nocturnal leg cramps.", "review"),
        ("Guideline", "Guideline Directed Topic Overview", "guideline"),
        ("Research", "Antithrombotic Therapy: the CHEST Guideline.", "guideline"),
    ],
)
def test_reference_kind(kind: str, title: str, expected: str) -> None:
    assert reference_kind(ReferenceEntry(1, kind, title, "J", 2000, 1)) == expected


def test_terms_drop_stop_words_and_stem_crudely() -> None:
    assert terms("The cramps of the Calves, in thrombosis") == ["cramp", "calve", "thrombo"]
