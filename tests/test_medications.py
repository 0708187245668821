"""Drug -> condition relations in any section, and the scope that can negate or except them.

Sentences are our own, on the knee, the ear and the skin, not from the bundled articles.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from clinkg.loaders.extract.article import extract_article
from clinkg.loaders.extract.facts import MedicationEffectFact
from clinkg.loaders.extract.names import split_name
from clinkg.loaders.extract.scope import Assertion, assertions
from clinkg.loaders.parse.article import parse_article
from clinkg.loaders.parse.citations import align_citations
from clinkg.loaders.pipeline import load_articles
from clinkg.registry import load_catalogue
from clinkg.server.answers import answer_question
from clinkg.store.oxigraph import OxigraphStore

FIXTURE = Path(__file__).parent / "fixtures" / "extract-medications-knee.txt"


def assert_words(text: str, *words: str) -> list[Assertion]:
    """The assertion of each word's first occurrence in the text."""
    spans = []
    for word in words:
        match = re.search(rf"\b{re.escape(word)}\b", text)
        assert match is not None, word
        spans.append((match.start(), match.end()))
    return assertions(text, spans)


# ---------------------------------------------------------------- scope: what is NOT affirmed


def test_an_exception_and_a_negated_verb_govern_the_drug_and_its_relation() -> None:
    text = "Methotrexate is an exception and does not worsen psoriasis."
    assert assert_words(text, "Methotrexate", "worsen", "psoriasis") == [
        "excepted",
        "negated",
        "negated",
    ]


def test_unlike_contrasts_one_drug_and_the_negation_governs_the_other() -> None:
    text = "Unlike gentamicin, azithromycin did not cause hearing loss."
    assert assert_words(text, "gentamicin", "azithromycin", "cause") == [
        "contrasted",
        "negated",
        "negated",
    ]


def test_an_if_clause_is_hypothetical_up_to_its_comma() -> None:
    text = "If isotretinoin is continued for months, acne may flare."
    assert assert_words(text, "isotretinoin", "acne") == ["hypothetical", "affirmed"]


def test_a_concession_covers_its_own_clause_only() -> None:
    text = "Although NSAIDs may relieve knee pain, they cause fluid retention."
    assert assert_words(text, "NSAIDs", "relieve", "cause") == [
        "concessive",
        "concessive",
        "affirmed",
    ]


def test_without_negates_what_follows_only() -> None:
    text = "Statins increased the risk of diabetes without increasing liver failure."
    assert assert_words(text, "increased", "increasing", "liver failure") == [
        "affirmed",
        "negated",
        "negated",
    ]


def test_a_new_clause_ends_a_negation() -> None:
    text = "Paracetamol does not cause gastritis, but ibuprofen can cause gastritis."
    assert assert_words(text, "Paracetamol", "ibuprofen") == ["negated", "affirmed"]


def test_a_plain_statement_is_affirmed() -> None:
    text = "ACE inhibitors are a well-recognised cause of angioedema."
    assert assert_words(text, "ACE inhibitors", "cause", "angioedema") == ["affirmed"] * 3


# ---------------------------------------------------------------- relations on a knee article


@pytest.fixture(scope="module")
def effects() -> tuple[MedicationEffectFact, ...]:
    article = parse_article(FIXTURE.read_text(encoding="utf-8"), FIXTURE.name)
    return extract_article(article, align_citations(article)).medication_effects


def pairs(effects: tuple[MedicationEffectFact, ...], negated: bool) -> set[tuple[str, str]]:
    return {(e.medication, e.condition) for e in effects if e.negated == negated}


def test_excepted_and_negated_drugs_are_never_positive(
    effects: tuple[MedicationEffectFact, ...],
) -> None:
    positive = {drug for drug, _ in pairs(effects, negated=False)}
    assert positive.isdisjoint({"Losartan", "Low-dose aspirin", "Methotrexate"})
    assert {
        ("Losartan", "Gout"),
        ("Low-dose aspirin", "Gout"),
        ("Methotrexate", "Knee osteoarthritis"),
    } <= pairs(effects, negated=True)


def test_a_hypothetical_cause_is_no_fact(effects: tuple[MedicationEffectFact, ...]) -> None:
    assert not [e for e in effects if "hearing" in e.condition.lower()]
    assert not [e for e in effects if e.medication.lower() == "aminoglycosides"]


def test_a_cause_no_vocabulary_names_is_no_fact_outside_a_medication_section(
    effects: tuple[MedicationEffectFact, ...],
) -> None:
    # "Gentamicin can cause ototoxicity" in the septic arthritis section: neither HPO nor
    # ICD-10-CM names ototoxicity, and septic arthritis is not what gentamicin causes.
    assert not [e for e in effects if e.medication == "Gentamicin"]


def test_a_reason_clause_is_not_negated_by_the_advice_before_it(
    effects: tuple[MedicationEffectFact, ...],
) -> None:
    found = [e for e in effects if e.condition == "Osteoporosis"]
    assert [(e.medication, e.negated) for e in found] == [("Long-term oral corticosteroids", False)]


def test_labels_are_clean_names(effects: tuple[MedicationEffectFact, ...]) -> None:
    for effect in effects:
        assert not re.search(
            r"^(?:the|they|although|unlike|if)\b|\b(?:is|are|can|may|does|not)\b",
            effect.medication,
            re.IGNORECASE,
        ), effect.medication


def test_the_contrasted_drug_of_a_negated_clause_is_affirmed(
    effects: tuple[MedicationEffectFact, ...],
) -> None:
    fourth = {(e.medication, e.negated) for e in effects if e.statement == 4}
    assert fourth == {("Thiazide diuretics", False), ("Losartan", True)}


def test_a_class_and_its_members_in_a_medication_section(
    effects: tuple[MedicationEffectFact, ...],
) -> None:
    assert {("Thiazide diuretics", "Gout"), ("Hydrochlorothiazide", "Gout")} <= pairs(
        effects, negated=False
    )


def test_a_pronoun_at_the_start_takes_the_previous_subject(
    effects: tuple[MedicationEffectFact, ...],
) -> None:
    third = {e.medication for e in effects if e.statement == 3}
    assert third == {"Thiazide diuretics", "Hydrochlorothiazide"}


def test_relations_in_prose_outside_a_medication_section_name_their_condition(
    effects: tuple[MedicationEffectFact, ...],
) -> None:
    assert {
        ("Intra-articular corticosteroid injections", "Septic arthritis"),
        ("NSAIDs", "Hypertension"),
        ("Statins", "Myopathy"),
        ("ACE inhibitors", "Angioedema"),
    } <= pairs(effects, negated=False)


# ---------------------------------------------------------------- the questions


@pytest.fixture(scope="module")
def store() -> Iterator[OxigraphStore]:
    opened = OxigraphStore(None)
    load_articles([FIXTURE], opened)
    yield opened
    opened.close()


def _labels(store: OxigraphStore, question: str, condition: str) -> list[str]:
    answered = answer_question(store, load_catalogue(), question, {"condition": condition})
    return [item.label for item in answered.answers]


@pytest.mark.slow
def test_negated_findings_are_asked_apart_and_never_answered_as_inducing(
    store: OxigraphStore,
) -> None:
    inducing = _labels(store, "inducing-medications", "Gout")
    assert "Thiazide diuretics" in inducing
    assert "Losartan" not in inducing and "Low-dose aspirin" not in inducing
    assert _labels(store, "non-inducing-medications", "Gout") == ["Losartan", "Low-dose aspirin"]


# ---------------------------------------------------------------- protective wording (hip)

HIP = (
    "What causes hip pain after a fall?\n\nLast updated: May 12, 2025View editorial policy\n\n"
    "Hip Pain After a Fall: Causes\n\nThe most common cause of hip pain after a fall is hip "
    "fracture, a break of the proximal femur. 1\n\nPrimary Condition: Hip Fracture\n\n"
    "Hip fracture causes groin pain and inability to bear weight after a fall. 1 "
    "Long-term proton pump inhibitor use has been associated with an increased risk of hip "
    "fracture. 1 Thiazide diuretics are associated with a lower risk of hip fracture. 1 "
    "Bisphosphonates have been associated with a reduced risk of hip fracture. 1"
    "\n\nReferences\n\nResearch\n\nA review.\n\nBMJ, 2021\n"
)


def test_a_lower_or_reduced_risk_is_never_an_inducing_relation() -> None:
    article = parse_article(HIP, "hip.txt")
    effects = extract_article(article, align_citations(article)).medication_effects
    positive = {drug for drug, _ in pairs(effects, negated=False)}
    assert positive == {"Proton pump inhibitor"}
    assert {"Thiazide diuretics", "Bisphosphonates"} <= {
        drug for drug, _ in pairs(effects, negated=True)
    }


HIP_RISKS = (
    "What causes hip pain after a fall?\n\nLast updated: May 12, 2025View editorial policy\n\n"
    "Hip Pain After a Fall: Causes\n\nThe most common cause of hip pain after a fall is hip "
    "fracture, a break of the proximal femur. 1\n\nPrimary Condition: Hip Fracture\n\n"
    "Hip fracture causes groin pain and inability to bear weight after a fall. 1\n\n"
    "Risk factors for hip fracture include: 1\n\n"
    "  • Age over 80 years 1\n"
    "  • Benzodiazepines (OR 1.5) 1\n"
    "  • Glucocorticoid therapy 1\n"
    "  • Hip fracture with bisphosphonates 1\n"
    "\n\nReferences\n\nResearch\n\nA review.\n\nBMJ, 2021\n"
)


def test_a_drug_bullet_under_a_risk_lead_in_is_a_medication_effect_too() -> None:
    article = parse_article(HIP_RISKS, "hip-risks.txt")
    facts = extract_article(article, align_citations(article))
    found = {(e.medication, e.condition, e.odds_ratio) for e in facts.medication_effects}
    assert found == {
        ("Benzodiazepines", "Hip fracture", 1.5),
        ("Glucocorticoid therapy", "Hip fracture", None),
    }
    assert {"Benzodiazepines", "Glucocorticoid therapy", "Age over 80 years"} <= {
        r.factor for r in facts.risk_factors
    }


def test_a_particular_site_after_the_target_names_the_narrower_condition_too() -> None:
    text = HIP.replace(
        "Bisphosphonates have been associated with a reduced risk of hip fracture. 1",
        "Bisphosphonates can cause stress fracture, particularly of the femoral shaft. 1",
    )
    article = parse_article(text, "hip.txt")
    effects = extract_article(article, align_citations(article)).medication_effects
    found = {(e.condition, e.negated) for e in effects if e.medication == "Bisphosphonates"}
    assert ("Femoral shaft stress fracture", False) in found


def test_a_higher_risk_of_a_condition_names_that_condition() -> None:
    text = HIP.replace(
        "Thiazide diuretics are associated with a lower risk of hip fracture.",
        "Zolpidem is associated with a higher risk of hip fracture.",
    )
    article = parse_article(text, "hip.txt")
    facts = extract_article(article, align_citations(article))
    assert ("Zolpidem", "Hip fracture") in pairs(facts.medication_effects, negated=False)
    assert not any("risk" in e.label.lower() for e in facts.entities if e.kind == "condition")


WRIST = (
    "What causes wrist pain?\n\nLast updated: May 12, 2025View editorial policy\n\n"
    "Wrist Pain: Causes\n\nThe most common cause of wrist pain is wrist tendinopathy. 1\n\n"
    "Primary Condition: Wrist Tendinopathy\n\nWrist tendinopathy causes pain on gripping. 1 "
    "{}\n\nReferences\n\nResearch\n\nA review.\n\nBMJ, 2021\n"
)


def _wrist_effects(sentence: str) -> set[tuple[str, str, bool]]:
    article = parse_article(WRIST.format(sentence + " 1"), "wrist.txt")
    effects = extract_article(article, align_citations(article)).medication_effects
    return {(e.medication, e.condition, e.negated) for e in effects}


def test_coordinated_cues_share_the_target_they_name() -> None:
    found = _wrist_effects("Proton pump inhibitors can trigger or worsen osteoporosis.")
    assert found == {("Proton pump inhibitors", "Osteoporosis", False)}


def test_a_relative_clause_is_skipped_and_and_other_names_a_member_and_its_class() -> None:
    found = _wrist_effects(
        "Furosemide and other loop diuretics, fibrates, and ceftriaxone, which can precipitate "
        "in the urine, also promote kidney stones."
    )
    assert found == {
        (drug, "Kidney stones", False)
        for drug in ("Furosemide", "Loop diuretics", "Fibrates", "Ceftriaxone")
    }


def test_a_higher_risk_of_incident_x_targets_x() -> None:
    found = _wrist_effects(
        "Statins were associated with a higher risk of incident type 2 diabetes."
    )
    assert found == {("Statins", "Type 2 diabetes", False)}


def test_an_abbreviated_class_keeps_its_name_and_a_paradoxical_condition_is_the_condition() -> None:
    found = _wrist_effects("Tumor necrosis factor (TNF) inhibitors can cause paradoxical uveitis.")
    assert found == {("TNF inhibitors", "Uveitis", False)}


def test_a_passive_cause_by_overuse_relates_every_drug_of_the_list() -> None:
    found = _wrist_effects(
        "Wrist tendinopathy is caused by taking fluoroquinolones or statins on 5 or more days a "
        "week, or corticosteroids such as prednisolone and dexamethasone for months."
    )
    assert found == {
        (drug, "Wrist tendinopathy", False)
        for drug in (
            "Fluoroquinolones",
            "Statins",
            "Corticosteroids",
            "Prednisolone",
            "Dexamethasone",
        )
    }


def test_a_negated_passive_cause_is_no_positive_fact() -> None:
    found = _wrist_effects("Wrist tendinopathy is not caused by taking statins.")
    assert not {f for f in found if not f[2]}


def test_an_abbreviation_of_several_words_leaves_no_fragment_synonym() -> None:
    tnf = split_name("Tumor necrosis factor (TNF) blockers")
    assert (tnf.label, tnf.synonyms) == ("TNF blockers", ("Tumor necrosis factor blockers",))
    assert split_name("Interleukin-6 (IL-6) inhibitors").label == "IL-6 inhibitors"


FLANK = (
    "What causes flank pain?\n\nLast updated: May 12, 2025View editorial policy\n\n"
    "Flank Pain: Causes\n\nThe most common cause of flank pain is renal colic. 1\n\n"
    "Primary Condition: Renal Colic\n\nRenal colic causes waves of flank pain. 1\n\n"
    "Medications That Promote Kidney Stones:\n\n"
    "Topiramate and acetazolamide promote kidney stones. 1"
    "\n\nReferences\n\nResearch\n\nA review.\n\nBMJ, 2021\n"
)


def test_a_condition_the_medication_heading_names_is_the_sections_own() -> None:
    article = parse_article(FLANK, "flank.txt")
    effects = extract_article(article, align_citations(article)).medication_effects
    assert {(e.medication, e.condition) for e in effects} == {
        ("Topiramate", "Renal colic"),
        ("Acetazolamide", "Renal colic"),
    }


def test_repeated_injections_are_the_injection_named_before_and_a_sited_disorder_is_a_target() -> (
    None
):
    found = _wrist_effects(
        "Although a corticosteroid injection may ease wrist pain for weeks, repeated injections "
        "are not advised because they can cause wrist tendon rupture."
    )
    assert found == {("Corticosteroid injection", "Wrist tendon rupture", False)}


def test_a_repeat_with_no_medication_named_before_keeps_its_own_words() -> None:
    found = _wrist_effects("Repeated injections can cause wrist tendon rupture.")
    assert {m for m, _, _ in found} <= {"Repeated injections"}


def test_a_bare_disorder_word_is_the_known_condition_of_the_site_the_statement_names() -> None:
    found = _wrist_effects(
        "Long-term glucocorticoids can cause ankle fracture. 1 Corticosteroid injection into or "
        "around the ankle joint should be avoided because it increases the risk of fracture."
    )
    assert ("Corticosteroid injection", "Ankle fracture", False) in found


def _eye_article(body: str) -> tuple[MedicationEffectFact, ...]:
    text = (
        "Why is my eye red and painful?\n\nLast updated: May 2, 2025View editorial policy\n\n"
        "Red Painful Eye: Causes\n\nThe most common cause of a red painful eye is anterior "
        "uveitis. 1\n\nPrimary Condition: Anterior Uveitis\n\nAnterior uveitis causes aching eye "
        "pain and blurred vision. 1\n\nImportant Differential Diagnoses\n\nEpiscleritis\n\n"
        "Episcleritis causes mild redness without pain. 1\n\n" + body + "\n\nReferences\n\n"
        "Research\n\nA review of the red eye.\n\nBMJ, 2021\n"
    )
    article = parse_article(text, "own-eye.txt")
    return extract_article(article, align_citations(article)).medication_effects


def test_a_disorder_named_only_as_a_drug_effect_is_a_condition_of_its_own() -> None:
    """Under a drug heading nested in another condition's section, the disorder the drug causes
    is the target, never the enclosing section's condition."""
    found = _eye_article(
        "Drugs That Can Cause Scleritis:\n\nBisphosphonates such as alendronate can cause "
        "scleritis and keratitis. 1 Denosumab, unlike the bisphosphonates, does not cause "
        "scleritis. 1"
    )
    assert ("Alendronate", "Scleritis") in pairs(found, negated=False)
    assert ("Bisphosphonates", "Keratitis") in pairs(found, negated=False)
    assert ("Denosumab", "Scleritis") in pairs(found, negated=True)
    assert "Denosumab" not in {drug for drug, _ in pairs(found, negated=False)}
    assert "Episcleritis" not in {condition for _, condition in pairs(found, negated=False)}


def test_a_cue_word_that_opens_a_disorder_name_is_no_verb() -> None:
    """ "trigger" in "trigger thumb" names a disorder; it does not say the drug triggers one."""
    found = _eye_article(
        "Aromatase inhibitors can cause carpal tunnel syndrome and trigger thumb. 1"
    )
    assert {("Aromatase inhibitors", "Carpal tunnel syndrome")} <= pairs(found, negated=False)
    assert ("Aromatase inhibitors", "Trigger thumb") in pairs(found, negated=False)


# ---------------------------------------------------- the condition a drug's effect names

THROAT = """Why does my throat hurt?

Last updated: March 3, 2025View editorial policy

Sore Throat: Causes

The most common cause of sore throat is viral pharyngitis, a common condition in adults. 1

Primary Condition: Viral Pharyngitis

Viral pharyngitis presents with throat pain that is worse on swallowing. 1

Medications That Can Worsen Viral Pharyngitis:

{sentence} 1

Important Differential Diagnoses

Oral Candidiasis

Oral candidiasis causes white plaques and a burning mouth. 1

References

Research

A review of sore throat.

BMJ, 2020
"""


def throat_effects(sentence: str) -> set[tuple[str, str, bool]]:
    article = parse_article(THROAT.format(sentence=sentence), "throat.txt")
    facts = extract_article(article, align_citations(article))
    return {(m.medication, m.condition, m.negated) for m in facts.medication_effects}


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        # A condition the article names is the effect's own, not the section's.
        (
            "Inhaled corticosteroids can cause oral candidiasis.",
            {("Inhaled corticosteroids", "Oral candidiasis", False)},
        ),
        (
            "Broad-spectrum antibiotics can worsen oral candidiasis.",
            {("Broad-spectrum antibiotics", "Oral candidiasis", False)},
        ),
        # A sign the drug causes under the section's heading is how it worsens that condition.
        (
            "Antihistamines can worsen dryness of the throat.",
            {("Antihistamines", "Viral pharyngitis", False)},
        ),
        # Negated: a negated finding of the named condition, never a positive of either.
        (
            "Inhaled corticosteroids do not cause oral candidiasis.",
            {("Inhaled corticosteroids", "Oral candidiasis", True)},
        ),
        ("If inhaled corticosteroids caused oral candidiasis, it would be rare.", set()),
    ],
)
def test_a_drug_effect_names_its_condition_in_a_section_on_another(
    sentence: str, expected: set[tuple[str, str, bool]]
) -> None:
    assert throat_effects(sentence) == expected
