"""Sentence-level extraction steps, each on small strings."""

from __future__ import annotations

import pytest

from clinkg.loaders.extract.features import feature_wording, read_qualifiers, read_scope
from clinkg.loaders.extract.medications import medication_items
from clinkg.loaders.extract.names import split_list, split_name
from clinkg.loaders.extract.sections import heading_kind
from clinkg.loaders.vocabularies.vocabulary import load_vocabulary


@pytest.mark.parametrize(
    ("phrase", "label", "synonyms"),
    [
        ("Nocturnal Leg Cramps", "Nocturnal leg cramps", ()),
        ("Gastrocnemius Tear (Tennis Leg)", "Gastrocnemius tear", ("Tennis leg",)),
        (
            "Popliteal arterial entrapment syndrome (PAES)",
            "Popliteal arterial entrapment syndrome",
            ("PAES",),
        ),
        ("leg cramps (also called night cramps)", "Leg cramps", ("Night cramps",)),
        (
            "Symptomatic popliteal (Baker's) cyst",
            "Baker's cyst",
            ("Popliteal cyst", "Symptomatic popliteal cyst"),
        ),
    ],
)
def test_split_name(phrase: str, label: str, synonyms: tuple[str, ...]) -> None:
    name = split_name(phrase)
    assert (name.label, name.synonyms) == (label, synonyms)


def test_split_list_keeps_a_lone_pair_and_parenthesised_commas() -> None:
    assert split_list("a, b, or c") == ["a", "b", "c"]
    assert split_list("a, b and c") == ["a", "b", "c"]
    assert split_list("exercise and stretching") == ["exercise and stretching"]
    assert split_list("DOACs (apixaban, edoxaban), or heparin") == [
        "DOACs (apixaban, edoxaban)",
        "heparin",
    ]


def test_medication_items_split_drug_pairs_and_drop_modifiers() -> None:
    assert medication_items(
        "thalidomide or lenalidomide given with dexamethasone for multiple myeloma"
    ) == ["thalidomide", "lenalidomide"]
    assert medication_items(
        "Oral estrogen hormone replacement therapy, tamoxifen, and raloxifene roughly"
    ) == [
        "Oral estrogen hormone replacement therapy",
        "tamoxifen",
        "raloxifene",
    ]
    assert medication_items("exercise and stretching") == ["exercise and stretching"]


@pytest.mark.parametrize(
    ("heading", "kind"),
    [
        ("Key Clinical Features", "features"),
        ("Associated Risk Factors", "risk"),
        ("Medical Conditions Associated with Leg Cramps", "associated"),
        ("Medication-Induced Thrombosis", "medication"),
        ("Important Differential Diagnoses", "differential"),
        ("Other Conditions Causing Chest Pain", "other-conditions"),
        ("Physical Examination Priorities", "diagnostic"),
        ("Treatment Considerations", "treatment"),
        ("Critical Pitfall", "other"),
        ("Cellulitis", None),
    ],
)
def test_heading_kind(heading: str, kind: str | None) -> None:
    assert heading_kind(heading) == kind


def test_relief_is_read_after_its_cue_and_rest_as_trigger_otherwise() -> None:
    vocabulary = load_vocabulary()
    q = read_qualifiers(
        "calf pain occurs with exercise and is relieved by rest (typically within 10 minutes)",
        vocabulary,
    )
    assert (q.sites, q.triggers, q.reliefs, q.relief_within) == (
        ("Calf",),
        ("Exertion",),
        ("Rest",),
        "PT10M",
    )
    at_rest = read_qualifiers("swelling present with exercise and at rest", vocabulary)
    assert at_rest.triggers == ("Exertion", "Rest") and at_rest.reliefs == ()


def test_slow_relief_population_and_duration() -> None:
    vocabulary = load_vocabulary()
    q = read_qualifiers(
        "pain that subsides very slowly with rest, typically in heavy-muscled athletes, "
        "and can last from seconds to several minutes",
        vocabulary,
    )
    assert q.relief_speed == "slow"
    assert q.populations == ("heavy-muscled athletes",)
    assert q.duration == "seconds to several minutes"


def test_head_of_a_muscle_is_not_the_head() -> None:
    q = read_qualifiers("pain in the medial head of the gastrocnemius", load_vocabulary())
    assert q.sites == ("Gastrocnemius",)


def test_negated_part_is_split_off() -> None:
    scope = read_scope(
        "cramps at night that are relieved by stretching, and do not cause persistent swelling",
        load_vocabulary(),
        [],
    )
    assert [feature_wording(p) for p in scope.negated] == ["persistent swelling"]
    assert "swelling" not in scope.positive


def test_feature_wording_follows_the_presentation_verb() -> None:
    text = "Chronic compartment syndrome presents with tight, bursting calf pain."
    assert feature_wording(text, 28) == "tight, bursting calf pain"
    assert (
        feature_wording("X is the most common correctable cause of Y, presenting with Z", 1) == "Z"
    )


def test_a_negated_finding_is_not_mapped_to_a_phenotype() -> None:
    from clinkg.loaders.extract.features import phenotype_mappings

    assert phenotype_mappings("this represents claudication, not simple muscle cramps") == ()
    assert [m.code for m in phenotype_mappings("painful muscle cramps at night")] == ["HP:0003394"]


@pytest.mark.parametrize(
    ("text", "reliefs", "within"),
    [
        ("Swelling appears within 2 days of surgery and is relieved by rest", ("Rest",), None),
        ("pain relieved by rest within ten minutes", ("Rest",), "PT10M"),
        ("is relieved by rest (typically within 10 minutes)", ("Rest",), "PT10M"),
        ("relieved by rest and massage", ("Rest", "Massage"), None),
        ("relieved by rest and ice, and worse at night", ("Rest", "Ice"), None),
    ],
)
def test_relief_and_its_time_are_read_from_the_relief_words_only(
    text: str, reliefs: tuple[str, ...], within: str | None
) -> None:
    from clinkg.loaders.extract.features import read_qualifiers
    from clinkg.loaders.vocabularies.vocabulary import load_vocabulary

    qualifiers = read_qualifiers(text, load_vocabulary())
    assert (qualifiers.reliefs, qualifiers.relief_within) == (reliefs, within)
