"""Risk factors in the wordings prose uses beyond "(OR n)" bullets under a risk heading.

Our own sentences, in body regions no bundled article covers (ear, throat, neck, elbow, skin,
chest, mouth, foot, groin): ratios written out, "risk factors include" lists, "A is linked to
X", "the risk rises after age 50", events and age ranges; a group of people as the subject
("denture wearers were more likely to develop X"), a factor that predicts X, a qualifier inside
a ratio's brackets, a leading group ("in anyone over 60, X is common") and predisposing states;
and what must never become a risk factor (a sign, a diagnostic clue, a group the condition is
less common in, a negated, hypothetical or non-significant finding).
"""

from __future__ import annotations

import pytest

from clinkg.loaders.extract.article import extract_article
from clinkg.loaders.extract.facts import ArticleFacts
from clinkg.loaders.parse.article import parse_article
from clinkg.loaders.parse.citations import align_citations

HEADER = (
    "What causes {q}?\n\nLast updated: May 12, 2025View editorial policy\n\n{t}: Causes\n\n"
    "The most common cause of {q} is {c}, a common condition. 1\n\nPrimary Condition: {C}\n\n"
)
FOOTER = "\n\nReferences\n\nResearch\n\nA review.\n\nBMJ, 2021\n"
Risk = tuple[str, str, str | None, float | None]


def _facts(condition: str, body: str, complaint: str = "ear pain") -> ArticleFacts:
    """An article about one condition whose primary section holds the given text."""
    text = HEADER.format(q=complaint, t=complaint.title(), c=condition.lower(), C=condition)
    article = parse_article(text + body + FOOTER, "own.txt")
    return extract_article(article, align_citations(article))


def _risks(facts: ArticleFacts) -> set[Risk]:
    return {
        (r.condition, r.factor, r.statistic_type, r.statistic_value) for r in facts.risk_factors
    }


OTITIS = "Acute otitis media"


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        # ratios printed in other forms keep their value
        (
            "Daycare attendance was associated with acute otitis media (odds ratio, 2.4). 1",
            {(OTITIS, "Daycare attendance", "OR", 2.4)},
        ),
        (
            "Passive smoking increases the risk of acute otitis media (OR = 1.9). 1",
            {(OTITIS, "Passive smoking", "OR", 1.9)},
        ),
        (
            "Dummy use raises the risk of acute otitis media, with an odds ratio of 1.5. 1",
            {(OTITIS, "Dummy use", "OR", 1.5)},
        ),
        (
            "Bottle feeding lying down had an odds ratio of 1.8 for a first episode. 1",
            {(OTITIS, "Bottle feeding lying down", "OR", 1.8)},
        ),
        (
            "Cleft palate is a further risk factor for otitis media, with a hazard ratio of "
            "about 2.7. 1",
            {(OTITIS, "Cleft palate", "HR", 2.7)},
        ),
        # a plain list of risk factors names each item for the condition of its section
        (
            "Risk factors include daycare attendance, passive smoking, a dummy, and a family "
            "history of ear infections. 1",
            {
                (OTITIS, "Daycare attendance", None, None),
                (OTITIS, "Passive smoking", None, None),
                (OTITIS, "Dummy", None, None),
                (OTITIS, "Family history of ear infections", None, None),
            },
        ),
        # the factors on the left of "linked to" when the condition follows
        (
            "Adenoid enlargement and allergic rhinitis are also linked to acute otitis media. 1",
            {
                (OTITIS, "Adenoid enlargement", None, None),
                (OTITIS, "Allergic rhinitis", None, None),
            },
        ),
        ("It is more likely with a cold. 1", {(OTITIS, "Cold", None, None)}),
        # never a risk factor: a group it is less common in, a negated or non-significant link
        ("It is much less common in adults than in children. 1", set()),
        ("Breastfeeding was not associated with acute otitis media. 1", set()),
        ("Swimming did not increase the risk. 1", set()),
        (
            "Pet ownership was associated with acute otitis media (OR 1.1, not significant). 1",
            set(),
        ),
    ],
)
def test_ratio_forms_lists_and_links_in_prose(sentence: str, expected: set[Risk]) -> None:
    assert _risks(_facts(OTITIS, sentence)) == expected


SHINGLES = "Herpes zoster"


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        # age and a state the risk rises after or with
        (
            "The risk rises after age 50 and with immune suppression. 1",
            {
                (SHINGLES, "Age over 50", None, None),
                (SHINGLES, "Immune suppression", None, None),
            },
        ),
        (
            "The risk is highest in people over 60 and in those taking oral corticosteroids. 1",
            {
                (SHINGLES, "Age over 60", None, None),
                (SHINGLES, "Taking oral corticosteroids", None, None),
            },
        ),
        (
            "It occurs most often between the ages of 50 and 70. 1",
            {(SHINGLES, "Age 50 to 70 years", None, None)},
        ),
        # events before the condition
        (
            "It appears most often after a severe illness, chemotherapy or an organ transplant. 1",
            {
                (SHINGLES, "Severe illness", None, None),
                (SHINGLES, "Chemotherapy", None, None),
                (SHINGLES, "Organ transplant", None, None),
            },
        ),
        (
            "It occurs most often after an injury, surgery or repeated injections. 1",
            {
                (SHINGLES, "Injury", None, None),
                (SHINGLES, "Surgery", None, None),
                (SHINGLES, "Repeated injections", None, None),
            },
        ),
        # who it affects is the group of people, not the body part named first
        (
            "It usually affects one side of the chest at a time in adults between 20 and 50. 1",
            {(SHINGLES, "Age 20 to 50 years", None, None)},
        ),
        # "the risk" of a drug's adverse effect is not the condition's own risk
        (
            "Prednisolone tablets can bring on herpes zoster, and the risk is highest in people "
            "over 60. 1",
            set(),
        ),
        # a sign is not an exposure
        ("Herpes zoster is associated with burning pain and itching. 1", set()),
    ],
)
def test_age_states_and_events(sentence: str, expected: set[Risk]) -> None:
    assert _risks(_facts(SHINGLES, sentence, "skin rash")) == expected


def test_a_list_of_ratios_under_a_study_lead_in_is_a_list_of_risk_factors() -> None:
    body = (
        "In a case-control study of 250 patients with tennis elbow: 1\n\n"
        "  • Manual work with tools (OR 2.6) 1\n"
        "  • Smoking (odds ratio 1.7) 1\n"
        "  • Left-handedness (OR 1.1, not significant) 1\n"
    )
    facts = _facts("Tennis elbow", body, "elbow pain")
    assert _risks(facts) == {
        ("Tennis elbow", "Manual work with tools", "OR", 2.6),
        ("Tennis elbow", "Smoking", "OR", 1.7),
    }


def test_a_history_item_with_a_second_of_phrase_is_two_factors() -> None:
    sentence = (
        "Risk factors for it include a family history of thyroid cancer or of radiation to the "
        "neck in childhood. 1"
    )
    facts = _facts("Thyroid nodule", sentence, "neck lump")
    assert _risks(facts) == {
        ("Thyroid nodule", "Family history of thyroid cancer", None, None),
        ("Thyroid nodule", "Radiation to the neck in childhood", None, None),
    }


@pytest.mark.xfail(
    strict=True,
    reason="a broader term named by another word (middle ear infection for otitis media) needs "
    "the HPO/ICD-10-CM hierarchy, which the risk stage does not read",
)
def test_a_risk_factor_for_a_broader_synonym_of_the_condition() -> None:
    sentence = "Cleft palate is a further risk factor for middle ear infection. 1"
    assert _risks(_facts(OTITIS, sentence)) == {(OTITIS, "Cleft palate", None, None)}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Snoring (OR = 2.1) 1", ("OR", 2.1, None)),
        ("Snoring (odds ratio, 2.4) 1", ("OR", 2.4, None)),
        ("Snoring had a hazard ratio of about 2.7.", ("HR", 2.7, None)),
        ("Snoring, with a relative risk of 1.8.", ("RR", 1.8, None)),
        ("Snoring (OR 1.1, not significant) 1", ("OR", 1.1, "not significant")),
        ("Snoring, with an odds ratio near 2.", ("OR", 2.0, None)),
        ("Snoring (HR 1.3 per additional decade) 1", ("HR", 1.3, "per additional decade")),
        # a confidence interval that includes 1 is a finding of no association
        ("Snoring (OR 1.1, 95% CI 0.8\u20131.5) 1", ("OR", 1.1, "not significant")),
        ("Snoring (RR 0.9, 95% CI 0.7 to 1.2) 1", ("RR", 0.9, "not significant")),
        ("Snoring (OR 2.1, 95% CI 1.4\u20133.0) 1", ("OR", 2.1, None)),
    ],
)
def test_printed_forms_of_a_ratio(text: str, expected: tuple[str, float, str | None]) -> None:
    from clinkg.loaders.parse.statistics import find_statistics

    found = [
        (s.kind, s.value, s.qualifier)
        for s in find_statistics(text)
        if s.kind not in ("ratio", "percent")
    ]
    assert found == [expected]


THRUSH = "Oral candidiasis"


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        # a group of people as the subject, the condition after "to develop" or "of"
        (
            "Denture wearers were more likely to develop oral candidiasis (OR 3.2). 1",
            {(THRUSH, "Denture wearers", "OR", 3.2)},
        ),
        (
            "Patients who use a steroid inhaler were more likely to develop the infection. 1",
            {(THRUSH, "Use of a steroid inhaler", None, None)},
        ),
        (
            "Workers exposed to sugar dust had a higher rate of oral candidiasis (OR 1.6). 1",
            {(THRUSH, "Exposure to sugar dust", "OR", 1.6)},
        ),
        # another disorder the article does not define, an outcome that is no disorder, a
        # negated or hypothetical statement: none
        ("Denture wearers were more likely to develop angular cheilitis (OR 2.0). 1", set()),
        ("Patients who use a steroid inhaler were more likely to report a sore throat. 1", set()),
        ("Denture wearers were not more likely to develop oral candidiasis. 1", set()),
        (
            "If smokers were more likely to develop oral candidiasis, screening would help. 1",
            set(),
        ),
    ],
)
def test_a_group_of_people_as_the_subject(sentence: str, expected: set[Risk]) -> None:
    assert _risks(_facts(THRUSH, sentence, "mouth soreness")) == expected


ULCER = "Diabetic foot ulcer"


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        # the factor as the subject of a predicting or raising verb
        (
            "Peripheral neuropathy was the strongest predictor of diabetic foot ulcer (OR 4.1). 1",
            {(ULCER, "Peripheral neuropathy", "OR", 4.1)},
        ),
        (
            "A previous ulcer also predicted recurrence (HR 2.2). 1",
            {(ULCER, "Previous ulcer", "HR", 2.2)},
        ),
        (
            "Poor footwear raised the hazard further (HR 1.4). 1",
            {(ULCER, "Poor footwear", "HR", 1.4)},
        ),
        (
            "Minor trauma is the usual precipitating event (OR 8.5). 1",
            {(ULCER, "Minor trauma", "OR", 8.5)},
        ),
        (
            "Smoking was linked to a higher likelihood of diabetic foot ulcer (OR 1.7). 1",
            {(ULCER, "Smoking", "OR", 1.7)},
        ),
        # what it predicts is something else, or it is denied: none
        ("Peripheral neuropathy also predicted falls (HR 1.5). 1", set()),
        ("Poor footwear did not predict recurrence (HR 1.1). 1", set()),
    ],
)
def test_a_factor_that_predicts_or_raises_the_hazard(sentence: str, expected: set[Risk]) -> None:
    assert _risks(_facts(ULCER, sentence, "foot sore")) == expected


CHEST = "Costochondritis"


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        # a ratio spelled out, and one approximated
        ("Heavy lifting carried a relative risk of 1.4. 1", {(CHEST, "Heavy lifting", "RR", 1.4)}),
        (
            "Recent viral illness was associated with costochondritis, with an odds ratio "
            "near 2. 1",
            {(CHEST, "Recent viral illness", "OR", 2.0)},
        ),
        (
            "Heavy lifting was associated with costochondritis (OR 2.1, 95% CI 1.4\u20133.0). 1",
            {(CHEST, "Heavy lifting", "OR", 2.1)},
        ),
        # a diagnostic clue, an interval that includes 1, and "neither … nor": none
        (
            "Point tenderness over the cartilage makes costochondritis more likely than angina. 1",
            set(),
        ),
        (
            "Smoking was associated with costochondritis (OR 1.1, 95% CI 0.8\u20131.5). 1",
            set(),
        ),
        ("Neither smoking nor obesity was associated with costochondritis. 1", set()),
    ],
)
def test_spelled_out_ratios_and_what_is_no_risk(sentence: str, expected: set[Risk]) -> None:
    assert _risks(_facts(CHEST, sentence, "chest wall pain")) == expected


HERNIA = "Inguinal hernia"


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        (
            "Chronic cough increases the risk of inguinal hernia (RR 2.6 for cough lasting over "
            "a year). 1",
            ("Chronic cough", "RR", 2.6, "for cough lasting over a year"),
        ),
        (
            "Constipation increases the risk of inguinal hernia (HR 1.3 per additional year). 1",
            ("Constipation", "HR", 1.3, "per additional year"),
        ),
    ],
)
def test_a_qualifier_inside_the_ratio_brackets(
    sentence: str, expected: tuple[str, str, float, str]
) -> None:
    facts = _facts(HERNIA, sentence, "groin lump")
    found = {
        (r.factor, r.statistic_type, r.statistic_value, r.qualifier) for r in facts.risk_factors
    }
    assert found == {expected}


KERATOSIS = "Seborrhoeic keratosis"


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("In anyone over 60, seborrhoeic keratosis is common. 1", {(KERATOSIS, "Age over 60")}),
        ("It occurs mostly in people aged 40 to 65 years. 1", {(KERATOSIS, "Age 40 to 65 years")}),
        ("It is most common in older adults. 1", {(KERATOSIS, "Older age")}),
        (
            "It affects men roughly twice as often as women, with a peak between 50 and 70. 1",
            {(KERATOSIS, "Male sex"), (KERATOSIS, "Age 50 to 70 years")},
        ),
        # a leading time is no group; a rarer group is no factor
        ("In the summer months, seborrhoeic keratosis is more common. 1", set()),
        ("In anyone over 60, it is less common. 1", set()),
    ],
)
def test_populations_and_ages(sentence: str, expected: set[tuple[str, str]]) -> None:
    facts = _facts(KERATOSIS, sentence, "skin growth")
    assert {(r.condition, r.factor) for r in facts.risk_factors} == expected


FRACTURE = "Metatarsal stress fracture"


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        (
            "Loss of muscle mass and the resulting frailty predispose to metatarsal stress "
            "fracture. 1",
            {"Loss of muscle mass", "Frailty"},
        ),
        (
            "Bone loss owing to vitamin D deficiency predisposes to metatarsal stress fracture. 1",
            {"Bone loss", "Vitamin D deficiency"},
        ),
        ("It is more common owing to vitamin D deficiency. 1", {"Vitamin D deficiency"}),
    ],
)
def test_predisposing_conditions(sentence: str, expected: set[str]) -> None:
    facts = _facts(FRACTURE, sentence, "foot pain")
    assert {r.factor for r in facts.risk_factors} == expected
    assert {r.condition for r in facts.risk_factors} == {FRACTURE}
