"""Headings that group conditions, join two, or qualify one; conditions named only as a drug's
effect; "Lead: sentence" paragraphs. Sentences are our own, about the skin of the foot."""

from __future__ import annotations

import pytest

from clinkg.loaders.extract.article import extract_article
from clinkg.loaders.extract.condition_names import (
    coordinated_names,
    lead_name,
    names_group,
    unqualified_forms,
)
from clinkg.loaders.extract.context import Context, build_context
from clinkg.loaders.extract.sections import classify_sections
from clinkg.loaders.parse.article import parse_article
from clinkg.loaders.parse.citations import align_citations
from clinkg.loaders.vocabularies.vocabulary import load_vocabulary

FOOT = "\n\n".join(
    [
        "Why is the skin between my toes itchy and peeling?",
        "Last updated: March 3, 2026View editorial policy",
        "Itchy Peeling Skin Between the Toes: Causes and Evaluation",
        (
            "Itchy, peeling skin between the toes is most often caused by tinea pedis, a "
            "fungal infection of the skin. 1"
        ),
        "Primary Condition: Tinea Pedis",
        "Tinea pedis is common in swimmers and soldiers. 1",
        "Important Differential Diagnoses",
        "Bacterial Causes",
        (
            "Pitted keratolysis reflects a bacterial infection rather than a fungal one, and "
            "causes small pits on the soles with a strong odour. 1"
        ),
        (
            "Erythrasma presents as brown, scaly patches between the toes that glow coral-red"
            " under a Wood lamp. 1"
        ),
        "Key findings:",
        "  • Pits on the pressure areas of the sole in pitted keratolysis 1",
        "Cellulitis and Erysipelas",
        (
            "Erysipelas causes a raised, sharply demarcated red plaque with fever. 1 "
            "Cellulitis causes a spreading, poorly demarcated redness of the foot. 1"
        ),
        "Contact Dermatitis",
        (
            "Contact dermatitis causes an itchy rash where a shoe material touches the skin. "
            "1 Erythrasma also causes scaling between the toes but does not itch. 1"
        ),
        (
            "Incidental Findings: treating thickened toenails seen during the examination is "
            "not recommended. 1"
        ),
        "Drug-Related Skin Problems:",
        (
            "Fixed drug eruption: allopurinol can cause round, dusky plaques that recur at "
            "the same site. 1"
        ),
        (
            "Terbinafine can precipitate subacute cutaneous lupus, and it has been implicated"
            " in drug-induced hepatitis. 1 Unlike terbinafine, topical clotrimazole does not "
            "cause hepatitis. 1"
        ),
        "Management",
        "For Recurrent Tinea Pedis:",
        "Topical terbinafine is recommended. 1",
        "For Severe Cellulitis:",
        "Oral antibiotics are recommended. 1",
        "For Fungal Causes:",
        "Clotrimazole cream is recommended. 1",
        "For Other Causes:",
        "Emollients are recommended. 1",
        "References",
        "Research",
        "Tinea pedis: a review.",
        "Dermatology journal, 2020",
    ]
)


@pytest.fixture(scope="module")
def context() -> Context:
    return build_context(parse_article(FOOT, "foot.txt"), load_vocabulary(), ())


def _conditions(context: Context) -> set[str]:
    return {
        d.label for d in context.registry._drafts.values() if d.kind == "condition" and d.active
    }


@pytest.mark.parametrize(
    ("heading", "group"),
    [
        ("Bacterial Causes", True),
        ("Drug-Related Skin Problems", True),
        ("Medication Causes", True),
        ("Viral Causes of a Sore Mouth", True),
        ("Contact Dermatitis", False),
        ("Restless Legs Syndrome", False),
        ("Plantar Warts", False),
    ],
)
def test_a_plural_group_head_names_a_group(heading: str, group: bool) -> None:
    assert names_group(heading) is group


def test_group_headings_scope_their_conditions_and_are_none(context: Context) -> None:
    titles = {s.title: context.sections[s.index] for s in context.article.sections}
    assert titles["Bacterial Causes"].kind == "other-conditions"
    assert titles["Drug-Related Skin Problems"].kind == "other-conditions"
    assert titles["Key findings"].kind == "features"
    conditions = _conditions(context)
    assert not conditions & {"Bacterial causes", "Drug-related skin problems", "Key findings"}
    assert {"Pitted keratolysis", "Erythrasma", "Fixed drug eruption"} <= set(context.differentials)


def test_a_contrast_in_an_other_causes_sentence_keeps_its_subject(context: Context) -> None:
    assert "Pitted keratolysis" in context.differentials  # "reflects … rather than …"


@pytest.mark.parametrize(
    ("phrase", "parts"),
    [
        ("Cellulitis and Erysipelas", ["Cellulitis", "Erysipelas"]),
        ("Gout and Pseudogout", None),  # "pseudogout" names no disorder by its form alone
        ("Rheumatoid Arthritis and Other Inflammatory Arthritis", None),
        ("Nausea and Vomiting", None),
        ("Hand, Foot and Mouth Disease", None),
        ("Bursitis", None),
    ],
)
def test_two_conditions_joined_by_and(phrase: str, parts: list[str] | None) -> None:
    assert coordinated_names(phrase) == parts


def test_a_heading_joining_two_conditions_names_each(context: Context) -> None:
    section = next(s for s in context.article.sections if s.title == "Cellulitis and Erysipelas")
    assert context.section_targets[section.index] == ("Cellulitis", "Erysipelas")
    assert {"Cellulitis", "Erysipelas"} <= set(context.differentials)
    assert "Cellulitis and erysipelas" not in _conditions(context)
    erysipelas = next(s for s in context.article.statements if s.text.startswith("Erysipelas"))
    assert context.subjects[erysipelas.index] == "Erysipelas"


@pytest.mark.parametrize(
    ("heading", "forms"),
    [
        ("Recurrent Tinea Pedis", ["Tinea Pedis"]),
        ("Steroid-Induced Myopathy", ["Myopathy"]),
        ("Severe Refractory Gout", ["Refractory Gout", "Gout"]),
        ("Tinea Pedis", []),
        ("Other Causes", []),
    ],
)
def test_case_qualifiers_are_dropped_one_by_one(heading: str, forms: list[str]) -> None:
    assert unqualified_forms(heading) == forms


def test_a_qualified_treatment_heading_is_about_its_condition(context: Context) -> None:
    by_title = {s.title: s.index for s in context.article.sections}
    assert context.section_condition[by_title["For Recurrent Tinea Pedis"]] == "Tinea pedis"
    assert context.section_condition[by_title["For Severe Cellulitis"]] == "Cellulitis"
    emollients = next(s for s in context.article.statements if s.text.startswith("Emollients"))
    assert context.target(emollients, emollients.text) is None  # "Other Causes" stays no one's
    cream = next(s for s in context.article.statements if s.text.startswith("Clotrimazole cream"))
    assert context.target(cream, cream.text) is None  # a group names none, not the primary


@pytest.mark.parametrize(
    ("text", "lead"),
    [
        ("Incidental Findings: treating these is not recommended.", "Incidental Findings"),
        ("Fixed drug eruption: sulfonamides can cause plaques.", "Fixed drug eruption"),
        ("Lumbar stenosis causes claudication: pain in the legs.", None),
        ("The pain is typical: it comes at night.", None),
        ("Pain that is worse at night: typical of bursitis.", None),
    ],
)
def test_a_lead_is_a_short_noun_phrase_before_a_colon(text: str, lead: str | None) -> None:
    assert lead_name(text) == lead


def test_a_lead_about_another_state_is_no_fact_of_the_section() -> None:
    article = parse_article(FOOT, "foot.txt")
    facts = extract_article(article, align_citations(article))
    toenails = [t for t in facts.treatments if "toenail" in t.label.lower()]
    assert toenails == []  # not Contact dermatitis's: the paragraph is about incidental findings
    assert any("toenails" in w for w in facts.warnings)


def test_a_sentence_whose_subject_is_another_condition_is_about_that_one(
    context: Context,
) -> None:
    also = next(s for s in context.article.statements if s.text.startswith("Erythrasma also"))
    assert context.subjects[also.index] == "Erythrasma"


def test_conditions_named_only_as_a_drugs_effect() -> None:
    article = parse_article(FOOT, "foot.txt")
    facts = extract_article(article, align_citations(article))
    effects = {(e.medication, e.condition, e.negated) for e in facts.medication_effects}
    assert ("Terbinafine", "Subacute cutaneous lupus", False) in effects
    assert ("Allopurinol", "Fixed drug eruption", False) in effects
    assert not any(m == "Clotrimazole" and not negated for m, _, negated in effects)


@pytest.mark.parametrize(
    "sentence",
    [
        "Terbinafine does not precipitate subacute cutaneous lupus. 1",
        "It is not known whether terbinafine could precipitate subacute cutaneous lupus. 1",
    ],
)
def test_a_negated_or_hypothetical_drug_effect_gives_no_inducing_fact(sentence: str) -> None:
    text = FOOT.replace(
        "Terbinafine can precipitate subacute cutaneous lupus, and it has been implicated in "
        "drug-induced hepatitis. 1 Unlike terbinafine, topical clotrimazole does not cause "
        "hepatitis. 1",
        sentence,
    )
    article = parse_article(text, "foot.txt")
    facts = extract_article(article, align_citations(article))
    assert not [
        e for e in facts.medication_effects if e.medication == "Terbinafine" and not e.negated
    ]


def test_group_headings_outside_a_differential_part_open_one() -> None:
    text = FOOT.replace("Important Differential Diagnoses\n\n", "")
    contexts = classify_sections(parse_article(text, "foot.txt"))
    kinds = {c.kind for c in contexts.values()}
    assert "other-conditions" in kinds
