"""Treatment options and their statuses, read from guideline wording of our own.

Each test writes a short article in the bundled format about a body region the bundled articles
do not cover (knee, head, low back), so no rule can lean on the six articles' sentences.
"""

from __future__ import annotations

import pytest

from clinkg.loaders.extract.article import extract_article
from clinkg.loaders.extract.facts import ArticleFacts
from clinkg.loaders.parse.article import parse_article
from clinkg.loaders.parse.citations import align_citations
from clinkg.loaders.vocabularies.vocabulary import load_vocabulary

REGIONS = {
    "knee": ("knee pain", "Knee Osteoarthritis", "Gout"),
    "head": ("headache", "Migraine", "Tension-Type Headache"),
    "back": ("low back pain", "Lumbar Disc Herniation", "Ankylosing Spondylitis"),
    "hip": ("hip pain", "Hip Osteoarthritis", "Greater Trochanteric Pain Syndrome"),
    "wrist": ("wrist pain", "De Quervain Tenosynovitis", "Scaphoid Fracture"),
    "elbow": ("elbow pain", "Lateral Epicondylitis", "Cubital Tunnel Syndrome"),
    "throat": ("sore throat", "Streptococcal Pharyngitis", "Peritonsillar Abscess"),
}


def article(region: str, *sentences: str, heading: str | None = None) -> ArticleFacts:
    """Facts of an article on a region whose treatment section holds the sentences."""
    complaint, primary, differential = REGIONS[region]
    primary_in_text, differential_in_text = primary.capitalize(), differential.capitalize()
    text = f"""What causes {complaint}?

Last updated: March 3, 2025View editorial policy

{complaint.capitalize()}: Causes

The most common cause of {complaint} is {primary.lower()}, a common condition in adults. 1

Primary Condition: {primary}

{primary_in_text} presents with aching pain that is worse with activity. 1

Important Differential Diagnoses

{differential}

{differential_in_text} causes pain and stiffness at rest. 1

Treatment Considerations

{heading or f"For {primary}"}:

{" 1 ".join(sentences)} 1

References

Research

A review of {complaint}.

BMJ, 2020
"""
    parsed = parse_article(text, f"test-{region}.txt")
    return extract_article(parsed, align_citations(parsed))


def statuses(facts: ArticleFacts) -> dict[tuple[str, str], str]:
    return {(t.condition, t.label): t.status for t in facts.treatments}


def labels(facts: ArticleFacts, status: str) -> set[str]:
    return {t.label for t in facts.treatments if t.status == status}


@pytest.mark.parametrize(
    ("sentence", "status"),
    [
        ("Quadriceps strengthening is the treatment of choice.", "Recommended"),
        ("Quadriceps strengthening is advised.", "Recommended"),
        ("Quadriceps strengthening should be offered to every patient.", "Recommended"),
        ("Quadriceps strengthening is the first-line treatment.", "Recommended"),
        ("Quadriceps strengthening is suggested.", "Recommended"),
        ("Quadriceps strengthening is reasonable.", "Recommended"),
        ("Quadriceps strengthening is the most effective nonoperative treatment.", "Recommended"),
        ("Quadriceps strengthening may be considered.", "LimitedEvidence"),
        ("Quadriceps strengthening is possibly effective.", "LimitedEvidence"),
        ("Quadriceps strengthening has uncertain benefit.", "LimitedEvidence"),
        ("Quadriceps strengthening should no longer be used.", "NotRecommended"),
        ("Quadriceps strengthening is discouraged.", "NotRecommended"),
        ("Quadriceps strengthening should be avoided.", "NotRecommended"),
        ("Quadriceps strengthening is contraindicated.", "NotRecommended"),
        ("Quadriceps strengthening has no role.", "NotRecommended"),
        ("Quadriceps strengthening should not be routinely prescribed.", "NotRecommended"),
    ],
)
def test_guideline_wording_gives_its_status(sentence: str, status: str) -> None:
    facts = article("knee", sentence)
    assert statuses(facts) == {("Knee osteoarthritis", "Quadriceps strengthening"): status}


def test_treatment_wording_implies_a_default_status_and_a_hedge_weakens_it() -> None:
    vocabulary = load_vocabulary()
    treated = vocabulary.find("Gout is treated with colchicine.", "TreatmentWording")
    hedged = vocabulary.find("Gout may be managed with rest.", "TreatmentWording")
    assert vocabulary.concepts[treated[0].concept].implies == "Recommended"
    assert vocabulary.concepts[hedged[0].concept].implies == "LimitedEvidence"
    # Treatment wording is no status cue of its own.
    assert vocabulary.find("Gout is treated with colchicine.", "RecommendationStatus") == []


def test_the_strongest_cue_of_a_clause_wins() -> None:
    facts = article(
        "knee", "Knee arthroscopy is not recommended, as limited evidence shows no benefit."
    )
    assert statuses(facts) == {("Knee osteoarthritis", "Knee arthroscopy"): "NotRecommended"}
    facts = article("knee", "The evidence is insufficient to recommend acupuncture.")
    assert statuses(facts) == {("Knee osteoarthritis", "Acupuncture"): "LimitedEvidence"}
    facts = article(
        "knee",
        "Evidence for adding tai chi or aquatic exercise programmes is limited.",
        "Knee flexion is limited after surgery.",
    )
    assert statuses(facts) == {
        ("Knee osteoarthritis", "Tai chi"): "LimitedEvidence",
        ("Knee osteoarthritis", "Aquatic exercise programmes"): "LimitedEvidence",
    }


def test_a_concession_is_never_a_recommendation() -> None:
    facts = article(
        "knee",
        "Although paracetamol is effective for mild pain, it is not advised as long-term therapy.",
        "Although opioids may relieve pain, they should be avoided.",
        "It is recommended that walking be encouraged.",
    )
    assert statuses(facts) == {
        ("Knee osteoarthritis", "Paracetamol"): "NotRecommended",
        ("Knee osteoarthritis", "Opioids"): "NotRecommended",
        ("Knee osteoarthritis", "Walking"): "Recommended",
    }


def test_the_subject_is_carried_across_coordination() -> None:
    facts = article("back", "Tramadol relieves pain but is no longer recommended.")
    [tramadol] = facts.treatments
    assert (tramadol.label, tramadol.status, tramadol.no_longer_recommended) == (
        "Tramadol",
        "NotRecommended",
        True,
    )
    facts = article("back", "Diazepam is effective but is not recommended because of dependence.")
    assert statuses(facts) == {("Lumbar disc herniation", "Diazepam"): "NotRecommended"}


def test_a_restriction_to_a_subgroup_is_kept_with_the_treatment() -> None:
    """Not recommended in pregnancy is no blanket not-recommended."""
    facts = article(
        "head", "Topiramate is recommended for prevention but is not recommended in pregnancy."
    )
    assert statuses(facts) == {
        ("Migraine", "Topiramate"): "Recommended",
        ("Migraine", "Topiramate in pregnancy"): "NotRecommended",
    }


def test_lists_become_clean_items() -> None:
    facts = article(
        "head",
        "Ibuprofen, naproxen, or aspirin is recommended to relieve acute attacks.",
        "A triptan (sumatriptan or rizatriptan) is recommended when simple analgesics fail.",
        "Beta blockers such as propranolol are recommended for prevention.",
        "Paracetamol combined with metoclopramide is recommended.",
        "Routine opioids are not recommended.",
    )
    assert labels(facts, "Recommended") == {
        "Ibuprofen",
        "Naproxen",
        "Aspirin",
        "Triptan",
        "Sumatriptan",
        "Rizatriptan",
        "Beta blockers",
        "Propranolol",
        "Paracetamol combined with metoclopramide",
    }
    assert labels(facts, "NotRecommended") == {"Opioids"}
    broader = {t.label: t.broader for t in facts.treatments if t.broader}
    assert broader == {
        "Sumatriptan": "Triptan",
        "Rizatriptan": "Triptan",
        "Propranolol": "Beta blockers",
    }


def test_clauses_joined_by_and_keep_their_own_subjects() -> None:
    facts = article(
        "knee",
        "Walking is recommended and knee arthroscopy is not recommended.",
        "Knee osteoarthritis is treated with exercise and weight loss.",
    )
    assert statuses(facts) == {
        ("Knee osteoarthritis", "Walking"): "Recommended",
        ("Knee osteoarthritis", "Knee arthroscopy"): "NotRecommended",
        ("Knee osteoarthritis", "Exercise and weight loss"): "Recommended",
    }


def test_the_condition_a_clause_names_wins_over_the_section() -> None:
    facts = article(
        "knee",
        "Weight loss is recommended, and colchicine is recommended for acute gout.",
        "Gout is treated with allopurinol.",
    )
    assert statuses(facts) == {
        ("Knee osteoarthritis", "Weight loss"): "Recommended",
        ("Gout", "Colchicine"): "Recommended",
        ("Gout", "Allopurinol"): "Recommended",
    }


def test_no_fact_without_a_known_condition_to_attach_to() -> None:
    """A heading or abbreviation no known condition answers does not fall back to the primary."""
    facts = article("back", "Heat wraps are recommended.", heading="For Other Causes")
    assert facts.treatments == ()
    assert any("no condition to attach to" in w for w in facts.warnings)
    facts = article("back", "In SIJD, manipulation is recommended.")
    assert facts.treatments == ()
    # The clause after "whereas" names no condition; the sentence is about SIJD, not the section's.
    facts = article(
        "back", "Manipulation may be considered in SIJD, whereas bracing is not recommended."
    )
    assert facts.treatments == ()


@pytest.mark.parametrize(
    "sentence",
    [
        "Bracing is not first-line treatment.",
        "Whether bracing is effective is unclear.",
        "Bracing would be recommended if it were cheaper.",
        "Either procedure may be considered when symptoms persist.",
        "It is unclear whether bracing is effective.",
        "Neither bracing nor knee taping is recommended.",
        "Bracing is not the most effective treatment.",
    ],
)
def test_negated_hypothetical_and_vague_statements_give_nothing(sentence: str) -> None:
    assert article("knee", sentence).treatments == ()


def test_a_hedged_treatment_wording_gives_limited_evidence() -> None:
    facts = article(
        "back", "Lumbar disc herniation may be managed with epidural steroid injection."
    )
    assert statuses(facts) == {
        ("Lumbar disc herniation", "Epidural steroid injection"): "LimitedEvidence"
    }


def test_recommended_against_is_not_recommended() -> None:
    from clinkg.loaders.vocabularies.vocabulary import load_vocabulary

    text = "Opioids and benzodiazepines are strongly recommended against for chronic neck pain."
    cues = load_vocabulary().find(text, "RecommendationStatus")
    assert [c.concept for c in cues] == ["NotRecommended"]


def test_recommended_against_wins_over_recommended_and_leaves_no_grade_in_the_label() -> None:
    facts = article(
        "hip",
        "Glucosamine, hyaluronic acid injections, and stem cell injections are strongly "
        "recommended against.",
    )
    assert statuses(facts) == {
        ("Hip osteoarthritis", "Glucosamine"): "NotRecommended",
        ("Hip osteoarthritis", "Hyaluronic acid injections"): "NotRecommended",
        ("Hip osteoarthritis", "Stem cell injections"): "NotRecommended",
    }


def test_a_purpose_clause_is_no_list_of_treatments() -> None:
    facts = article(
        "hip",
        "Hip strengthening is recommended to reduce pain and restore walking in the early, "
        "middle, and late stages, and aquatic exercise is recommended for people with obesity.",
    )
    assert statuses(facts) == {
        ("Hip osteoarthritis", "Hip strengthening"): "Recommended",
        ("Hip osteoarthritis", "Aquatic exercise"): "Recommended",
    }


def test_a_pronoun_or_a_repeated_treatment_takes_the_one_named_before_or_nothing() -> None:
    facts = article(
        "elbow",
        "Although counterforce braces are widely worn, evidence is insufficient to recommend them.",
        "Although a corticosteroid injection may ease elbow pain for weeks, repeated injections "
        "are not recommended because they can cause cubital tunnel syndrome.",
        "Further operations are not recommended.",
    )
    assert statuses(facts) == {
        ("Lateral epicondylitis", "Counterforce braces"): "LimitedEvidence",
        ("Lateral epicondylitis", "Corticosteroid injection"): "NotRecommended",
    }


def test_an_inverted_list_shares_the_status() -> None:
    facts = article(
        "wrist",
        "Splinting and rest are strongly recommended, as are oral NSAIDs, ice, and activity "
        "modification.",
        "Surgery is not recommended, as is common in guidelines.",
    )
    assert labels(facts, "Recommended") == {
        "Splinting and rest",
        "Oral NSAIDs",
        "Ice",
        "Activity modification",
    }
    assert labels(facts, "NotRecommended") == {"Surgery"}


def test_stopping_a_drug_is_the_treatment_and_a_class_keeps_its_one_member() -> None:
    facts = article(
        "wrist",
        "Fluoroquinolones should be stopped.",
        "Opioids, benzodiazepines, and gabapentinoids should be tapered.",
        "Vitamin K antagonists (warfarin) are recommended.",
        "Paracetamol (acetaminophen) is recommended.",
    )
    assert statuses(facts) == {
        ("De quervain tenosynovitis", "Stopping fluoroquinolones"): "Recommended",
        (
            "De quervain tenosynovitis",
            "Tapering opioids, benzodiazepines, and gabapentinoids",
        ): "Recommended",
        ("De quervain tenosynovitis", "Vitamin K antagonists"): "Recommended",
        ("De quervain tenosynovitis", "Warfarin"): "Recommended",
        ("De quervain tenosynovitis", "Paracetamol (acetaminophen)"): "Recommended",
    }
    assert not any(m.startswith("Stopping") for t in facts.treatments for m in t.medications)


def test_a_clause_names_its_condition_and_a_setting_carries_across_while() -> None:
    facts = article(
        "hip",
        "Bisphosphonates may be considered in greater trochanteric pain syndrome, whereas "
        "opioids are not recommended.",
        "Iron should not be used to treat hip osteoarthritis in greater trochanteric pain "
        "syndrome.",
        "Weight loss is advised in hip osteoarthritis; for hip dysplasia, osteotomy is "
        "suggested, while the evidence for arthroscopy is insufficient.",
    )
    assert statuses(facts) == {
        ("Greater trochanteric pain syndrome", "Bisphosphonates"): "LimitedEvidence",
        ("Greater trochanteric pain syndrome", "Opioids"): "NotRecommended",
        ("Hip osteoarthritis", "Iron"): "NotRecommended",
        ("Hip osteoarthritis", "Weight loss"): "Recommended",
        # The setting names a disorder of its own: its options are for it, never for the other.
        ("Hip dysplasia", "Osteotomy"): "Recommended",
        ("Hip dysplasia", "Arthroscopy"): "LimitedEvidence",
    }


def test_a_paragraph_under_a_heading_of_two_conditions_names_its_own() -> None:
    facts = article(
        "elbow",
        "Eccentric loading, plus a counterforce brace, is recommended, and platelet-rich plasma "
        "monotherapy is not recommended.",
        "Surgery is considered for lateral epicondylitis after 12 months.",
        heading="For Lateral Epicondylitis and Cubital Tunnel Syndrome",
    )
    assert statuses(facts) == {
        ("Lateral epicondylitis", "Eccentric loading"): "Recommended",
        ("Lateral epicondylitis", "Counterforce brace"): "Recommended",
        ("Lateral epicondylitis", "Platelet-rich plasma monotherapy"): "NotRecommended",
    }


def test_a_relief_done_to_a_body_site_is_named_as_the_site_and_the_relief() -> None:
    facts = article(
        "hip",
        "Stretching the hamstrings is recommended.",
        "Raising the head of the bed is advised.",
    )
    assert statuses(facts) == {
        ("Hip osteoarthritis", "Hamstring stretching"): "Recommended",
        ("Hip osteoarthritis", "Raising the head of the bed"): "Recommended",
    }


def test_either_procedure_stands_for_the_pair_named_before_it() -> None:
    facts = article(
        "wrist",
        "Cast immobilisation was the cheapest option, whereas percutaneous screw fixation carried "
        "higher costs, and either procedure may be considered for an undisplaced fracture.",
        "Each procedure may be considered.",
        heading="For Scaphoid Fracture",
    )
    assert statuses(facts) == {
        ("Scaphoid fracture", "Cast immobilisation"): "LimitedEvidence",
        ("Scaphoid fracture", "Percutaneous screw fixation"): "LimitedEvidence",
    }


def test_a_comma_between_two_clauses_with_cues_ends_the_first() -> None:
    facts = article(
        "hip",
        "In hip osteoarthritis, exercise and education come first, limited evidence supports "
        "hydrotherapy, and total hip replacement is recommended for end-stage disease.",
        "Knee arthroscopy is not recommended, as limited evidence shows no benefit.",
    )
    assert statuses(facts) == {
        ("Hip osteoarthritis", "Exercise and education"): "Recommended",
        ("Hip osteoarthritis", "Hydrotherapy"): "LimitedEvidence",
        ("Hip osteoarthritis", "Total hip replacement"): "Recommended",
        ("Hip osteoarthritis", "Knee arthroscopy"): "NotRecommended",
    }


@pytest.mark.parametrize(
    "sentence",
    [
        "A walking stick remains an alternative.",
        "A walking stick is an acceptable alternative.",
    ],
)
def test_alternative_wording_is_recommended(sentence: str) -> None:
    assert statuses(article("hip", sentence)) == {
        ("Hip osteoarthritis", "Walking stick"): "Recommended"
    }


def test_a_condition_named_in_the_plural_is_the_condition() -> None:
    facts = article(
        "wrist",
        "Scaphoid fractures are managed with cast immobilisation.",
        heading="For Fractures",
    )
    assert statuses(facts) == {("Scaphoid fracture", "Cast immobilisation"): "Recommended"}


EYE = """What causes eye pain?

Last updated: March 3, 2025View editorial policy

Eye Pain: Causes

The most common cause of eye pain is acute angle-closure glaucoma, an emergency in adults. 1

Primary Condition: Acute Angle-Closure Glaucoma

Acute angle-closure glaucoma causes severe eye pain and blurred vision in dim light. 1 Bright \
light should be avoided. 1

Drugs That Can Worsen Acute Angle-Closure Glaucoma:

Anticholinergic drugs such as oxybutynin can precipitate acute angle-closure glaucoma. 1 They \
are contraindicated in untreated acute angle-closure glaucoma. 1

References

Research

A review of eye pain.

BMJ, 2020
"""


def test_a_status_for_a_named_condition_counts_outside_a_treatment_section() -> None:
    parsed = parse_article(EYE, "test-eye.txt")
    facts = extract_article(parsed, align_citations(parsed))
    # "They" is the previous statement's drug class; "should be avoided" with no condition
    # named after it, in a presentation section, is no treatment.
    assert statuses(facts) == {
        ("Acute angle-closure glaucoma", "Anticholinergic drugs"): "NotRecommended"
    }


def test_a_disorder_named_by_a_setting_is_a_condition_of_its_own() -> None:
    facts = article(
        "back",
        "Physiotherapy is recommended in lumbar disc herniation; for lumbar spinal stenosis from "
        "other causes, decompression is suggested, while the evidence for fusion remains "
        "insufficient.",
        "For end-stage disease, bracing is suggested.",
    )
    assert statuses(facts) == {
        ("Lumbar disc herniation", "Physiotherapy"): "Recommended",
        ("Lumbar spinal stenosis", "Decompression"): "Recommended",
        ("Lumbar spinal stenosis", "Fusion"): "LimitedEvidence",
        ("Lumbar disc herniation", "Bracing"): "Recommended",
    }
    assert "End-stage disease" not in {e.label for e in facts.entities}


def test_which_after_a_treatment_speaks_of_it() -> None:
    facts = article(
        "knee",
        "Topical NSAIDs are recommended in preference to oral NSAIDs, which remain alternatives.",
    )
    assert statuses(facts) == {
        ("Knee osteoarthritis", "Topical NSAIDs"): "Recommended",
        ("Knee osteoarthritis", "Oral NSAIDs"): "Recommended",
    }


def test_a_compound_modifier_shares_the_head_of_the_next_conjunct() -> None:
    facts = article(
        "hip",
        "Gluteal-specific and core strengthening are recommended.",
        "Combined hip- and knee-targeted exercise is recommended.",
    )
    assert statuses(facts) == {
        ("Hip osteoarthritis", "Gluteal-specific strengthening"): "Recommended",
        ("Hip osteoarthritis", "Core strengthening"): "Recommended",
        ("Hip osteoarthritis", "Combined hip- and knee-targeted exercise"): "Recommended",
    }


def test_a_coordinated_subject_names_each_treatment_however_long() -> None:
    """ "A and B are recommended" is two treatments; a long item is kept, not dropped."""
    facts = article(
        "elbow",
        "Rest and a sling are recommended as first-line treatment.",
        "Advice about activity modification and a graded loading programme for the wrist "
        "extensor muscles are recommended as first-line treatment.",
        "Attention to grip technique and posture is advised.",
        "Isometric exercise of low load and high repetition is recommended.",
    )
    assert labels(facts, "Recommended") == {
        "Rest",
        "Sling",
        "Advice about activity modification",
        "Graded loading programme for the wrist extensor muscles",
        "Attention to grip technique and posture",
        "Isometric exercise of low load and high repetition",
    }


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        (
            "Streptococcal pharyngitis is best treated with oral penicillin.",
            {("Streptococcal pharyngitis", "Oral penicillin"): "Recommended"},
        ),
        (
            "Peritonsillar abscess is best managed by needle aspiration.",
            {("Peritonsillar abscess", "Needle aspiration"): "Recommended"},
        ),
        (
            "First-line management of streptococcal pharyngitis is oral penicillin.",
            {("Streptococcal pharyngitis", "Oral penicillin"): "Recommended"},
        ),
        (
            "First-line treatment is paracetamol.",
            {("Streptococcal pharyngitis", "Paracetamol"): "Recommended"},
        ),
    ],
)
def test_a_condition_as_subject_states_its_usual_treatment(
    sentence: str, expected: dict[tuple[str, str], str]
) -> None:
    """ "X is best treated with A", "first-line management of X is A": A is X's usual care."""
    assert statuses(article("throat", sentence)) == expected


@pytest.mark.parametrize(
    "sentence",
    [
        "Streptococcal pharyngitis is not treated with corticosteroids.",
        "Streptococcal pharyngitis is not usually treated with corticosteroids.",
        "Streptococcal pharyngitis is not treated with antibiotics unless symptoms are severe.",
        "If streptococcal pharyngitis were treated with aminoglycosides, they would fail.",
        "Whether peritonsillar abscess is best treated by incision is unclear.",
        "First-line treatment is not tonsillectomy.",
    ],
)
def test_a_negated_or_hypothetical_usual_treatment_gives_nothing(sentence: str) -> None:
    assert statuses(article("throat", sentence)) == {}


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        (
            "Paracetamol together with throat lozenges is recommended.",
            {"Paracetamol", "Throat lozenges"},
        ),
        ("Saline gargles with or without honey are recommended.", {"Saline gargles", "Honey"}),
        (
            "Amoxicillin, followed by clindamycin if needed, is recommended.",
            {"Amoxicillin", "Clindamycin"},
        ),
    ],
)
def test_treatments_given_together_or_in_sequence_are_items_each(
    sentence: str, expected: set[str]
) -> None:
    assert labels(article("throat", sentence), "Recommended") == expected


def test_a_combination_advised_against_stays_one_item() -> None:
    """Either part alone may be sound: only the combination is advised against."""
    facts = article("throat", "Aspirin together with codeine is not recommended.")
    assert statuses(facts) == {
        ("Streptococcal pharyngitis", "Aspirin together with codeine"): "NotRecommended"
    }


def test_a_treatment_reserved_for_some_cases_is_recommended_for_them() -> None:
    facts = article(
        "throat",
        "Penicillin is first-line treatment, with tonsillectomy reserved for recurrent episodes.",
    )
    assert statuses(facts) == {
        ("Streptococcal pharyngitis", "Penicillin"): "Recommended",
        ("Streptococcal pharyngitis", "Tonsillectomy"): "Recommended",
    }


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        (
            "Tonsillectomy is not recommended routinely and is reserved for recurrent episodes.",
            {("Streptococcal pharyngitis", "Tonsillectomy"): "NotRecommended"},
        ),
        ("Tonsillectomy is not reserved for recurrent episodes.", {}),
        ("Whether tonsillectomy should be reserved for recurrent episodes is uncertain.", {}),
        ("If tonsillectomy were reserved for recurrent episodes, fewer would be done.", {}),
    ],
)
def test_a_reservation_beside_another_status_or_negated_adds_nothing(
    sentence: str, expected: dict[tuple[str, str], str]
) -> None:
    assert statuses(article("throat", sentence)) == expected
