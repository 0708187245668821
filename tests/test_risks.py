"""Risk factors wherever an article states them, each with the statistics beside it.

Own wording in body regions the bundled articles do not cover (big toe, knee, hip, eye, head).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from clinkg.loaders.extract.article import extract_article
from clinkg.loaders.extract.facts import ArticleFacts
from clinkg.loaders.extract.risk_wording import factor_items, factor_label
from clinkg.loaders.parse.article import parse_article
from clinkg.loaders.parse.citations import align_citations

FIXTURE = Path(__file__).parent / "fixtures" / "extract-risk-knee.txt"
HEADER = (
    "What causes {q}?\n\nLast updated: May 12, 2025View editorial policy\n\n{t}: Causes\n\n"
    "The most common cause of {q} is {c}, a common condition. 1\n\nPrimary Condition: {C}\n\n"
)
FOOTER = "\n\nReferences\n\nResearch\n\nA review.\n\nBMJ, 2021\n"


def _extract(text: str, source: str = "own.txt") -> ArticleFacts:
    article = parse_article(text, source)
    return extract_article(article, align_citations(article))


def _one_condition(condition: str, body: str) -> ArticleFacts:
    """An article about one condition whose primary section holds the given sentences."""
    header = HEADER.format(q="eye pain", t="Eye Pain", c=condition.lower(), C=condition)
    return _extract(header + body + FOOTER)


def _risks(facts: ArticleFacts) -> set[tuple[str, str, str | None, float | None]]:
    return {
        (r.condition, r.factor, r.statistic_type, r.statistic_value) for r in facts.risk_factors
    }


@pytest.fixture(scope="module")
def gout() -> ArticleFacts:
    return _extract(FIXTURE.read_text(encoding="utf-8"), FIXTURE.name)


def test_lists_under_any_risk_lead_in_keep_their_ratios(gout: ArticleFacts) -> None:
    assert {
        ("Gout", "Obesity", "RR", 2.33),
        ("Gout", "Hypertension", "RR", 2.31),
        ("Gout", "Diuretic use", "RR", 1.77),
    } <= _risks(gout)


def test_graded_items_take_their_grade_statistic_as_text(gout: ArticleFacts) -> None:
    graded = {(r.factor, r.statistic_text) for r in gout.risk_factors if r.statement in (12, 13)}
    assert graded == {
        ("Chronic kidney disease", "OR >5"),
        ("Organ transplantation", "OR >5"),
        ("Heavy beer intake", "OR >5"),
        ("Older age", "OR <2"),
        ("High fructose intake", "OR <2"),
    }
    assert all(r.statistic_value is None for r in gout.risk_factors if r.statement in (12, 13))


def test_several_ratios_in_one_sentence_each_with_its_qualifier(gout: ArticleFacts) -> None:
    thiazide = {
        (r.statistic_type, r.statistic_value, r.qualifier)
        for r in gout.risk_factors
        if r.factor == "Thiazide diuretics"
    }
    assert thiazide == {("fold", 2.0, "roughly"), ("HR", 1.4, "in women"), ("HR", 1.2, "in men")}


def test_prose_risk_wordings(gout: ArticleFacts) -> None:
    assert {
        ("Gout", "Male sex", "fold", 3.0),
        ("Gout", "Age 40 to 70 years", None, None),
        ("Gout", "Chronic kidney disease", None, None),
        ("Gout", "Heavy alcohol use", None, None),
        ("Knee osteoarthritis", "Obesity", "OR", 2.1),
        ("Knee osteoarthritis", "Obesity", "fold", 2.0),
        ("Knee osteoarthritis", "Previous knee injury", None, None),
        ("Knee osteoarthritis", "Female sex", None, None),
        ("Knee osteoarthritis", "Meniscal surgery", None, None),
        ("Septic arthritis", "Joint injection or joint surgery", None, None),
    } <= _risks(gout)


def test_a_factor_stated_as_not_associated_is_never_a_risk(gout: ArticleFacts) -> None:
    factors = {r.factor.lower() for r in gout.risk_factors}
    assert not factors & {"aspirin", "low-purine diet"}


def test_labels_are_clean_names(gout: ArticleFacts) -> None:
    for risk in gout.risk_factors:
        assert not risk.factor.lower().startswith(("the ", "and ", "of ", "with "))
        assert "risk" not in risk.factor.lower()


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        (
            "Glaucoma is twice as common in people with diabetes.",
            {("Glaucoma", "Diabetes", "fold", 2.0)},
        ),
        (
            "Myopia and a family history of glaucoma are the major risk factors.",
            {
                ("Glaucoma", "Myopia", None, None),
                ("Glaucoma", "Family history of glaucoma", None, None),
            },
        ),
        ("Glaucoma was not associated with smoking.", set()),
        # who a condition affects is a group of people, never a body part; a group named by
        # its age band is the age factor
        (
            "Glaucoma typically affects the optic nerve and usually affects adults over 60 years.",
            {("Glaucoma", "Age over 60 years", None, None)},
        ),
        # a share of people with a condition is a prevalence; the comparison group is no factor
        (
            "Glaucoma is present in up to 12% of people with diabetes, compared with 4% of "
            "people without diabetes.",
            {("Glaucoma", "Diabetes", "percent", 12.0)},
        ),
        ("Glaucoma is present in about 2% of adults.", set()),
        (
            "Its incidence peaks between 50 and 70 years of age in the general population and "
            "earlier in people with myopia, among whom it is the main cause of blindness.",
            {("Glaucoma", "Age 50 to 70 years", None, None)},
        ),
        ("Smoking does not increase the risk of glaucoma.", set()),
        (
            "Glaucoma is about three times as common in women as in men, and the risk rises "
            "with age, myopia, and a family history of glaucoma.",
            {
                ("Glaucoma", "Female sex", "fold", 3.0),
                ("Glaucoma", "Age", None, None),
                ("Glaucoma", "Myopia", None, None),
                ("Glaucoma", "Family history of glaucoma", None, None),
            },
        ),
        (
            "Glaucoma is common in diabetes, particularly in the first decade after diagnosis, "
            "and usually progresses slowly.",
            {("Glaucoma", "Diabetes", None, None)},
        ),
        (
            "Besides age, high myopia and thinning of the cornea are risk factors for glaucoma.",
            {
                ("Glaucoma", "Age", None, None),
                ("Glaucoma", "High myopia", None, None),
                ("Glaucoma", "Thinning of the cornea", None, None),
            },
        ),
        # the risk of something the article does not define: no target, no fact
        ("Poor sleep increases the risk of daytime tiredness.", set()),
        (
            "It usually affects adults aged 60 to 80 years and is more common in women.",
            {
                ("Glaucoma", "Age 60 to 80 years", None, None),
                ("Glaucoma", "Female sex", None, None),
            },
        ),
        # a predicate coordinated after another keeps the sentence's subject
        (
            "It affects 3% of adults, is about four times more common in women than in men, and "
            "is the commonest cause of a red eye.",
            {("Glaucoma", "Female sex", "fold", 4.0)},
        ),
        # a range of folds has no single value
        (
            "It is two to three times more common in men than in women.",
            {("Glaucoma", "Male sex", "fold", None)},
        ),
        (
            "Besides diabetes and male sex, myopia and a family history of glaucoma all make "
            "glaucoma more likely in an adult with eye pain.",
            {
                ("Glaucoma", "Diabetes", None, None),
                ("Glaucoma", "Male sex", None, None),
                ("Glaucoma", "Myopia", None, None),
                ("Glaucoma", "Family history of glaucoma", None, None),
            },
        ),
        # a group named by what its members do names the exposure
        (
            "Glaucoma is more common in people who inject drugs and in smokers.",
            {("Glaucoma", "Injection drug use", None, None), ("Glaucoma", "Smoking", None, None)},
        ),
        (
            "Glaucoma occurs most often in people who inject drugs or have diabetes.",
            {("Glaucoma", "Injection drug use", None, None), ("Glaucoma", "Diabetes", None, None)},
        ),
        # "most often in" names a group of people, never a time or a place
        ("Glaucoma pain occurs most often in the morning.", set()),
    ],
)
def test_prose_sentences(
    sentence: str, expected: set[tuple[str, str, str | None, float | None]]
) -> None:
    facts = _one_condition("Glaucoma", sentence + " 1")
    assert _risks(facts) == expected


@pytest.mark.parametrize(
    ("wording", "labels"),
    [
        (
            "work with vibrating tools or forceful, repetitive gripping",
            ["work with vibrating tools", "forceful, repetitive gripping"],
        ),
        (
            "repetitive overhead work or sport and with smoking",
            ["repetitive overhead work or sport", "smoking"],
        ),
        (
            "hip or knee replacement, major trauma, and prolonged car or air travel",
            ["hip or knee replacement", "major trauma", "prolonged car or air travel"],
        ),
        (
            "older adults and after a previous hip fracture",
            ["older adults", "previous hip fracture"],
        ),
        ("people aged 50 to 70 years", ["age 50 to 70 years"]),
        ("the ages of 20 and 40 years", ["age 20 to 40 years"]),
        ("women than in men", ["women"]),
        ("migraine, in which aura may precede the headache", ["migraine"]),
        ("lower limb weakness and earlier in runners", ["lower limb weakness"]),
        # an adverbial after a comma narrows the item before it and names no factor
        ("pregnancy, particularly in the first trimester", ["pregnancy"]),
        ("obesity, and especially smoking", ["obesity", "smoking"]),
        ("women as in men", ["women"]),
        (
            "a sudden increase in walking or hiking distance and stiffness of the hamstrings",
            ["sudden increase in walking or hiking distance", "stiffness of the hamstrings"],
        ),
    ],
)
def test_factor_items(wording: str, labels: list[str]) -> None:
    assert [label for label, _ in factor_items(wording, 0)] == labels


def test_factor_label_drops_comparisons_and_appositions() -> None:
    assert factor_label("Body mass index above 30 kg/m², compared with 25 kg/m² or less") == (
        "Body mass index above 30 kg/m²"
    )
    assert factor_label("Oral contraceptive use, a marker of migraine treatment") == (
        "Oral contraceptive use"
    )
    assert factor_label("Bed rest for more than 3 days") == "Bed rest for more than 3 days"
    assert factor_label("the risk") == ""


HEADACHE = Path(__file__).parent / "fixtures" / "extract-risk-headache.txt"


@pytest.fixture(scope="module")
def migraine() -> ArticleFacts:
    return _extract(HEADACHE.read_text(encoding="utf-8"), HEADACHE.name)


def test_a_later_diagnosis_is_the_outcome_of_the_subject(migraine: ArticleFacts) -> None:
    assert {r for r in _risks(migraine) if r[1] == "Migraine with aura"} == {
        ("Stroke", "Migraine with aura", "HR", 2.1),
        ("Glaucoma", "Migraine with aura", "HR", 1.3),
    }


def test_a_list_under_a_negated_lead_in_gives_no_risk(migraine: ArticleFacts) -> None:
    assert not {r.factor for r in migraine.risk_factors} & {"Coffee intake", "Statin use"}


def test_a_list_for_a_disorder_the_article_names_only_there_is_that_disorders(
    migraine: ArticleFacts,
) -> None:
    """Factors "for carotid dissection" are carotid dissection's (a condition from then on),
    not the stroke section's, nor the primary's."""
    listed = {(r.condition, r.factor, r.statistic_text) for r in migraine.risk_factors}
    assert {
        ("Carotid dissection", "Neck manipulation", "OR >10"),
        ("Carotid dissection", "Major trauma", "OR >10"),
    } <= listed
    assert not {c for c, f, _ in listed if f in ("Neck manipulation", "Major trauma")} - {
        "Carotid dissection"
    }


def test_a_raised_risk_keeps_the_group_it_is_stated_for() -> None:
    facts = _one_condition("Glaucoma", "Myopia increases the risk in older adults. 1")
    assert [(r.factor, r.qualifier) for r in facts.risk_factors] == [("Myopia", "in older adults")]


def test_a_cue_coordinated_with_another_verb_names_no_factor() -> None:
    facts = _one_condition(
        "Glaucoma", "Steroid eye drops raise eye pressure and increase the risk of glaucoma. 1"
    )
    assert not any("raise" in label.lower() for _, label, _, _ in _risks(facts))


def test_a_list_after_a_comparison_with_people_with_neither_keeps_its_ratios() -> None:
    """The reference group's "neither" negates nothing; "the risk of X" names the section's
    condition without its generic head ("disease")."""
    facts = _one_condition(
        "Dry eye disease",
        "Screen use and contact lens wear each increase the risk of dry eye; compared with people "
        "with neither, the risk of symptomatic dry eye was: 1\n\n"
        "  \u2022 Screen use alone (OR 2.2) 1\n  \u2022 Contact lens wear alone (OR 3.1) 1\n",
    )
    assert _risks(facts) == {
        ("Dry eye disease", "Screen use", "OR", 2.2),
        ("Dry eye disease", "Contact lens wear", "OR", 3.1),
    }


def test_a_list_under_a_negated_comparison_lead_in_gives_none() -> None:
    facts = _one_condition(
        "Dry eye disease",
        "Compared with people who never used screens, the following were not associated with "
        "dry eye: 1\n\n  \u2022 Tablet use (OR 1.0) 1\n",
    )
    assert not facts.risk_factors


WRIST = Path(__file__).parent / "fixtures" / "extract-risk-wrist.txt"


@pytest.fixture(scope="module")
def wrist() -> ArticleFacts:
    return _extract(WRIST.read_text(encoding="utf-8"), WRIST.name)


def _of(facts: ArticleFacts, condition: str) -> set[str]:
    return {r.factor for r in facts.risk_factors if r.condition == condition}


def test_a_generic_name_of_the_sections_condition_is_that_condition(wrist: ArticleFacts) -> None:
    """ "De Quervain disease" in the section of de Quervain tenosynovitis."""
    assert _of(wrist, "De Quervain tenosynovitis") == {"Age", "Repetitive thumb use", "Diabetes"}


def test_a_risk_lead_in_names_its_own_condition(wrist: ArticleFacts) -> None:
    """ "Risk factors for X include:" and "the odds of X doubled with each point of this score:"
    give X's factors even when X has no section; never the section's condition."""
    assert _of(wrist, "Ulnar neuropathy at the elbow") == {
        "Prolonged elbow flexion",
        "Previous elbow fracture",
    }
    assert _of(wrist, "Wrist tendinitis") == {
        "Typing for more than 6 hours a day",
        "Age above 50 years",
    }


def test_groups_named_after_typically_in_or_most_patients_are(wrist: ArticleFacts) -> None:
    assert {"Manual workers", "Older age"} <= _of(wrist, "Wrist osteoarthritis")
    assert {"Wrist trauma", "Men aged 20 to 40 years"} <= _of(wrist, "Kienbock disease")
    # "typically in the morning" names a time, not a group of people
    assert _of(wrist, "Ganglion cyst") == {"Age younger than 40 years"}


def test_history_and_exposure_bullets_of_a_feature_list_are_risk_factors(
    wrist: ArticleFacts,
) -> None:
    """A past disorder or an exposure in a condition's features predisposes to it; a negated
    history ("No history of inflammatory arthritis") and a sign (crepitus) are no factor."""
    assert _of(wrist, "Wrist osteoarthritis") == {
        "Manual workers",
        "Older age",
        "Scaphoid fracture",
        "Wrist ligament injury",
        "Gout",
        "Occupational vibration exposure",
    }


def test_a_qualified_subject_is_its_condition(wrist: ArticleFacts) -> None:
    """ "Symptomatic Kienbock disease is present in up to 20% of people with X"."""
    assert ("Kienbock disease", "Negative ulnar variance", "percent", 20.0) in _risks(wrist)


@pytest.mark.parametrize(
    ("wording", "label"),
    [
        ("adults over 60 years", "age over 60 years"),
        ("people older than 50", "age older than 50"),
        ("those younger than 40 years", "age younger than 40 years"),
        ("body mass index above 30 kg/m2", "body mass index above 30 kg/m2"),
        ("women older than 45 years", "women older than 45 years"),
    ],
)
def test_a_group_named_by_its_age_band_is_the_age_factor(wording: str, label: str) -> None:
    assert factor_label(wording) == label


def test_older_adults_name_older_age() -> None:
    facts = _one_condition("Glaucoma", "Glaucoma is more common in older adults. 1")
    assert _risks(facts) == {("Glaucoma", "Older age", None, None)}


def test_kinds_compared_after_a_risk_keep_their_own_ratios() -> None:
    """ "…, with higher risk for A-containing drops (OR x) than for B-containing drops (OR y)":
    the kinds are named after the factor they are kinds of, each with its own ratio."""
    facts = _one_condition(
        "Glaucoma",
        "Topical steroids raise the risk of glaucoma (OR 3.0), with higher risk for "
        "dexamethasone-containing drops (OR 4.1) than for fluorometholone-containing drops "
        "(OR 1.5). 1",
    )
    assert _risks(facts) == {
        ("Glaucoma", "Topical steroids", "OR", 3.0),
        ("Glaucoma", "Dexamethasone-containing topical steroids", "OR", 4.1),
        ("Glaucoma", "Fluorometholone-containing topical steroids", "OR", 1.5),
    }


def test_a_pronoun_subject_gives_no_factor_of_the_words_before_it() -> None:
    facts = _one_condition(
        "Glaucoma",
        "Topical steroids cause ocular hypertension; in a trial in people with uveitis they "
        "increased the risk of glaucoma (RR 1.5). 1",
    )
    assert not {r.factor for r in facts.risk_factors} & {
        "Trial in people with uveitis",
        "Uveitis they",
    }


def test_a_later_diagnosis_of_a_disorder_the_article_does_not_define_is_a_condition() -> None:
    facts = _one_condition(
        "Glaucoma",
        "Glaucoma was associated with a later diagnosis of retinal vein occlusion (HR 2.0) and "
        "of Alzheimer disease (HR 1.2). 1",
    )
    assert _risks(facts) == {
        ("Retinal vein occlusion", "Glaucoma", "HR", 2.0),
        ("Alzheimer disease", "Glaucoma", "HR", 1.2),
    }


def test_a_risk_of_an_umbrella_term_is_a_risk_of_its_member_the_article_is_about() -> None:
    """ "the risk of venous thromboembolism" in an article on pulmonary embolism; a risk of a
    disorder that is neither defined nor an umbrella of the article's condition gives none."""
    header = HEADER.format(
        q="sudden chest pain",
        t="Sudden Chest Pain",
        c="pulmonary embolism",
        C="Pulmonary Embolism",
    )
    facts = _extract(
        header + "Long-haul flights raise the risk of venous thromboembolism (OR 2.0). 1 "
        "Smoking raises the risk of stroke (OR 1.8). 1" + FOOTER
    )
    assert _risks(facts) == {("Pulmonary embolism", "Long-haul flights", "OR", 2.0)}


def test_a_raised_probability_of_the_conditions_head_is_its_risk() -> None:
    """ "raises the probability of fracture" in an article on hip fracture."""
    facts = _one_condition("Hip fracture", "Low bone density raises the probability of fracture. 1")
    assert _risks(facts) == {("Hip fracture", "Low bone density", None, None)}


@pytest.mark.parametrize(
    ("sentence", "factors"),
    [
        # A group of people named by what they do: plural agent nouns.
        ("It occurs mostly in rowers and weightlifters.", {"Rowers", "Weightlifters"}),
        ("It is seen mainly in swimmers and divers.", {"Swimmers", "Divers"}),
        # An event that comes first; "or a …" lists a second one.
        (
            "It usually occurs after a viral infection or a blow to the eye.",
            {"Viral infection", "Blow to the eye"},
        ),
        # A group named by its age is the age factor.
        ("It is most common in older adults.", {"Older age"}),
        # Where and when are no groups; a trigger is no risk factor; a negation gives nothing.
        ("It usually occurs in the morning and after meals.", set()),
        ("It does not occur mostly in smokers.", set()),
        ("It never occurs in infants.", set()),
        ("If it occurs after a fall, imaging is needed.", set()),
        ("Whether it occurs mostly in rowers is unclear.", set()),
    ],
)
def test_populations_and_events_are_risk_factors(sentence: str, factors: set[str]) -> None:
    facts = _one_condition(
        "Optic neuritis", f"Optic neuritis causes pain on eye movement. 1 {sentence} 1"
    )
    assert {factor for _, factor, _, _ in _risks(facts)} == factors
