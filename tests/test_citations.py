"""Citation alignment: markers map to printed references by order when they agree, by content
when they do not, and to nothing when content cannot tell."""

from __future__ import annotations

from pathlib import Path

import pytest
from regen_golden import ARTICLES, parse_bundled

from clinkg.loaders.parse.citations import (
    MIN_MARGIN,
    align_citations,
    best_alignment,
    drug_terms,
    reference_kind,
    required_margin,
    terms,
)
from clinkg.loaders.parse.records import Article, ReferenceEntry, Statement

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


FIXTURES = Path(__file__).parent / "fixtures"

# Articles of other regions, written for these tests: each statement is (text, its markers), each
# listed reference (type line, title, journal).
Cited = list[tuple[str, tuple[int, ...]]]
Listed = list[tuple[str, str, str]]


def written(cited: Cited, listed: Listed) -> Article:
    """A small article from statements with their markers and a printed reference list."""
    statements = tuple(
        Statement(i, text, None, 10 + i, "sentence", markers)
        for i, (text, markers) in enumerate(cited)
    )
    references = tuple(
        ReferenceEntry(n, kind, title, journal, 2020, 100 + n)
        for n, (kind, title, journal) in enumerate(listed, start=1)
    )
    return Article("own.txt", "own", "Q?", "Title", None, (), statements, references)


MIGRAINE: Cited = [
    ("Migraine is a primary headache disorder with throbbing unilateral attacks.", (1,)),
    ("Attacks bring nausea, photophobia and phonophobia and last 4 to 72 hours.", (1,)),
    ("Sumatriptan relieves an acute migraine attack within two hours.", (2,)),
    ("Triptans such as sumatriptan are avoided in coronary artery disease.", (2,)),
    (
        "In a randomised trial of 487 participants, topiramate reduced monthly migraine days "
        "compared with placebo.",
        (3,),
    ),
    ("Topiramate causes paresthesia and word-finding difficulty.", (3,)),
    ("Analgesics taken on more than 10 days a month cause medication overuse headache.", (4,)),
    ("Medication overuse headache improves after withdrawal of the overused analgesic.", (4,)),
    ("Propranolol is recommended for migraine prevention.", (5,)),
    ("Amitriptyline should be considered when propranolol is not tolerated.", (5,)),
]
MIGRAINE_LIST: Listed = [
    ("Research", "Migraine: photophobia, nausea and unilateral throbbing attacks.", "Lancet"),
    ("Research", "Sumatriptan for acute migraine attacks in adults.", "Headache"),
    ("Research", "Topiramate for migraine prevention: a randomized controlled trial.", "JAMA"),
    ("Research", "Medication overuse headache and analgesic withdrawal.", "Cephalalgia"),
    ("Guideline", "Guideline: propranolol and amitriptyline for migraine prevention.", "Neurology"),
]


def test_migraine_list_missing_a_middle_entry() -> None:
    result = align_citations(written(MIGRAINE, MIGRAINE_LIST[:2] + MIGRAINE_LIST[3:]))
    assert result.mapping == {1: 1, 2: 2, 3: None, 4: 3, 5: 4}
    assert "marker 3 matches none of them (left unresolved" in result.warnings[0]


def test_migraine_list_missing_its_last_entry() -> None:
    result = align_citations(written(MIGRAINE, MIGRAINE_LIST[:4]))
    assert result.mapping == {1: 1, 2: 2, 3: 3, 4: 4, 5: None}
    assert "marker 5" in result.warnings[0] and "unresolved" in result.warnings[0]


def test_migraine_list_missing_two_entries() -> None:
    listed = [MIGRAINE_LIST[0], MIGRAINE_LIST[2], MIGRAINE_LIST[4]]
    result = align_citations(written(MIGRAINE, listed))
    assert result.mapping == {1: 1, 2: None, 3: 2, 4: None, 5: 3}
    assert "markers 2, 4 match none of them" in result.warnings[0]


ATRIAL_FIBRILLATION: Cited = [
    ("Atrial fibrillation causes palpitations, dyspnoea and an irregular pulse.", (1,)),
    (
        "In a randomised trial of 18201 patients, apixaban caused less major bleeding than "
        "warfarin.",
        (2,),
    ),
    ("Apixaban also lowered mortality compared with warfarin.", (2,)),
    ("Warfarin needs INR monitoring with a target INR of 2 to 3.", (3,)),
    ("Warfarin doses are adjusted to the INR.", (3,)),
    ("The CHA2DS2-VASc score estimates stroke risk and guides anticoagulation.", (4,)),
]
ATRIAL_FIBRILLATION_LIST: Listed = [
    ("Research", "Atrial fibrillation: palpitations and irregular pulse.", "BMJ"),
    ("Research", "Comparison of apixaban with warfarin in atrial fibrillation.", "NEJM"),
    ("Research", "INR monitoring of warfarin.", "Thrombosis"),
    ("Research", "Stroke risk stratification with the CHA2DS2-VASc score.", "Chest"),
]


def test_a_drug_trial_goes_with_the_paper_comparing_those_drugs() -> None:
    # The list lacks the INR paper: the apixaban-warfarin trial keeps "Comparison of ..."
    # although warfarin is also the subject of marker 3.
    listed = [ATRIAL_FIBRILLATION_LIST[n] for n in (0, 1, 3)]
    result = align_citations(written(ATRIAL_FIBRILLATION, listed))
    assert result.mapping == {1: 1, 2: 2, 3: None, 4: 3}


def test_a_drug_risk_goes_with_the_paper_on_that_drug() -> None:
    # The list lacks the trial: warfarin monitoring takes the INR paper, not the comparison.
    listed = [ATRIAL_FIBRILLATION_LIST[n] for n in (0, 2, 3)]
    result = align_citations(written(ATRIAL_FIBRILLATION, listed))
    assert result.mapping == {1: 1, 2: None, 3: 2, 4: 3}


def test_drug_synonyms_meet_through_the_drug_dictionary() -> None:
    assert drug_terms("Salbutamol for asthma") == drug_terms("albuterol in asthma") != set()


KNEE: Cited = [
    (
        "Knee osteoarthritis causes pain on weight bearing and morning stiffness under 30 minutes.",
        (1,),
    ),
    ("Quadriceps strengthening exercise reduces knee osteoarthritis pain.", (2,)),
    ("Intra-articular hyaluronic acid is not recommended.", (3,)),
    ("A Baker's cyst forms a swelling in the popliteal fossa behind the knee.", (4,)),
    ("Septic arthritis of the knee presents with fever and a hot swollen joint.", (5,)),
]
KNEE_LIST: Listed = [
    ("Research", "Knee osteoarthritis: weight bearing pain and stiffness.", "Lancet"),
    ("Research", "Quadriceps strengthening exercise for knee pain.", "BJSM"),
    ("Guideline", "Guideline on hyaluronic acid injection for the knee.", "AAOS"),
    ("Research", "Baker's cyst of the popliteal fossa.", "Radiology"),
    ("Research", "Septic arthritis: fever and the hot swollen joint.", "Rheumatology"),
]


def test_a_repeated_list_entry_keeps_every_marker() -> None:
    listed = [*KNEE_LIST[:2], KNEE_LIST[1], *KNEE_LIST[2:]]
    result = align_citations(written(KNEE, listed))
    assert result.mapping == {1: 1, 2: 2, 3: 4, 4: 5, 5: 6}
    assert any("listed reference 3 repeats listed reference 2" in w for w in result.warnings)


def test_a_marker_printed_twice_on_one_statement_is_one_marker() -> None:
    cited = [
        (text, markers * 2) if n == 1 else (text, markers) for n, (text, markers) in enumerate(KNEE)
    ]
    result = align_citations(written(cited, KNEE_LIST))
    assert result.consistent and result.mapping == {n: n for n in range(1, 6)}


def test_a_stray_marker_does_not_unresolve_the_others() -> None:
    stray = [*KNEE, ("Aspiration confirms the diagnosis.", (14,))]
    result = align_citations(written(stray, KNEE_LIST))
    assert result.mapping == {1: 1, 2: 2, 3: 3, 4: 4, 5: 5, 14: None}
    assert "marker 14 matches none of them" in result.warnings[0]


def test_a_marker_number_never_used_keeps_its_entry_in_place() -> None:
    unused = [(text, markers) for text, markers in KNEE if markers != (3,)]
    result = align_citations(written(unused, KNEE_LIST))
    assert result.mapping == {1: 1, 2: 2, 4: 4, 5: 5}
    assert "marker number 3 never used" in result.warnings[0]
    assert any("listed reference 3" in w for w in result.warnings[1:])


def test_a_list_longer_than_the_markers_by_one() -> None:
    fewer = [(text, markers) for text, markers in KNEE if markers != (5,)]
    listed = [*KNEE_LIST[:2], KNEE_LIST[4], *KNEE_LIST[2:4]]  # an uncited entry in the middle
    result = align_citations(written(fewer, listed))
    assert result.mapping == {1: 1, 2: 2, 3: 4, 4: 5}


LOW_BACK: Cited = [
    ("Acute low back pain usually settles within six weeks.", (1,)),
    ("Sciatica radiates below the knee along a dermatome.", (2,)),
    ("Sciatica is leg pain from a compressed nerve root.", (3,)),
    ("Cauda equina syndrome needs emergency MRI.", (4,)),
]
LOW_BACK_LIST: Listed = [
    ("Research", "Acute low back pain: natural course over six weeks.", "BMJ"),
    ("Research", "Sciatica.", "Spine"),
    ("Research", "Emergency MRI for cauda equina syndrome.", "Emergency Medicine Journal"),
]


def test_content_without_a_margin_leaves_the_contested_markers_unresolved() -> None:
    # Markers 2 and 3 both speak of sciatica: either may be the one the list lacks.
    result = align_citations(written(LOW_BACK, LOW_BACK_LIST))
    assert result.mapping == {1: 1, 2: None, 3: None, 4: 3}
    assert "markers 2, 3 could not be placed with confidence" in result.warnings[0]
    assert "no citation marker is aligned to listed reference 2" in result.warnings[1]


def test_an_article_in_the_format_names_its_missing_middle_marker() -> None:
    parsed = parse_bundled(FIXTURES / "citations-migraine.txt")
    result = align_citations(parsed)
    assert result.mapping == {1: 1, 2: 2, 3: None, 4: 3, 5: 4}
    assert "marker 3 matches none of them (left unresolved" in result.warnings[0]


def test_more_missing_entries_need_a_clearer_margin() -> None:
    assert required_margin(6, 5) == required_margin(5, 6) == MIN_MARGIN
    assert MIN_MARGIN < required_margin(6, 4) < required_margin(6, 3)


def test_as_many_entries_as_markers_but_content_out_of_order() -> None:
    # The trial's paper is missing and an uncited paper on another topic closes the list.
    foreign = ("Research", "Balance exercises and bracing after ankle sprain.", "BJSM")
    listed = [*MIGRAINE_LIST[:2], *MIGRAINE_LIST[3:], foreign]
    result = align_citations(written(MIGRAINE, listed))
    assert not result.consistent
    assert result.mapping == {1: 1, 2: 2, 3: None, 4: 3, 5: 4}
    assert "by content they do not line up in order" in result.warnings[0]
    assert "listed reference 5" in result.warnings[1]
