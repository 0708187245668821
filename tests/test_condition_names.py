"""How an article names its conditions: abbreviations, printed synonyms, prose subjects,
heading parentheses. Sentences are our own, about body regions the bundled articles leave out."""

from __future__ import annotations

import pytest

from clinkg.loaders.extract.abbreviations import definitions
from clinkg.loaders.extract.condition_names import is_condition_name, narrower_names, synonyms_after
from clinkg.loaders.extract.context import build_context
from clinkg.loaders.extract.sections import heading_kind
from clinkg.loaders.parse.article import parse_article
from clinkg.loaders.vocabularies.vocabulary import load_vocabulary


@pytest.mark.parametrize(
    ("text", "pairs"),
    [
        (
            "Jaw pain on chewing in an older adult suggests giant cell arteritis (GCA). 1",
            [("giant cell arteritis", "GCA")],
        ),
        (
            "Morning stiffness, particularly polymyalgia rheumatica (PMR), lasts an hour.",
            [("polymyalgia rheumatica", "PMR")],
        ),
        (
            "Acute angle-closure glaucoma (AACG) is an emergency.",
            [("Acute angle-closure glaucoma", "AACG")],
        ),
        ("Pain scores (VAS 7) were high (OR 2.1).", []),
        (
            "It responds to nonsteroidal anti-inflammatory drugs (NSAIDs).",
            [
                ("nonsteroidal anti-inflammatory drugs", "NSAIDs"),
            ],
        ),
    ],
)
def test_abbreviation_definitions(text: str, pairs: list[tuple[str, str]]) -> None:
    assert [(d.long, d.short) for d in definitions(text)] == pairs


@pytest.mark.parametrize(
    ("phrase", "condition"),
    [
        ("giant cell arteritis", True),
        ("Meniscal tear", True),
        ("Entrapment of the ulnar nerve", True),
        ("primary angle-closure glaucoma", True),
        ("History of knee surgery", False),  # the head of "N of X" is N
        ("jaw claudication", True),
        ("visual loss", False),
        ("erythrocyte sedimentation rate", False),
        ("diagnosis", False),
        ("knee effusion", False),
        ("Tumor necrosis factor", False),  # the head is "factor"
        ("Sleep bruxism", True),
        ("heart failure with preserved ejection fraction", True),
    ],
)
def test_condition_names(phrase: str, condition: bool) -> None:
    assert is_condition_name(phrase) is condition


def test_printed_synonyms_chain_after_a_name() -> None:
    text = (
        "Patellofemoral pain, also known as runner's knee (PFPS), which was formerly called "
        "chondromalacia patellae, is common."
    )
    names = [s.name for s in synonyms_after(text, len("Patellofemoral pain"))]
    assert names == ["runner's knee", "PFPS", "chondromalacia patellae"]


def test_a_list_comma_is_not_a_synonym() -> None:
    assert synonyms_after("Gout, or pseudogout, may flare.", len("Gout")) == []
    assert [s.name for s in synonyms_after("Gout (or podagra) flares.", len("Gout"))] == ["podagra"]


def test_narrower_names_in_a_heading_parenthesis() -> None:
    assert narrower_names("Including GCA") == ["GCA"]
    assert narrower_names("Tennis Elbow") is None


@pytest.mark.parametrize(
    ("heading", "kind"),
    [
        ("Who Is at Risk", "risk"),
        ("Other Causes to Consider", "other-conditions"),
        ("Alternative Diagnoses", "other-conditions"),
        ("Other Causes of Knee Pain", "other-conditions"),
        ("Conditions That Mimic Migraine", "other-conditions"),
        ("Serious Causes Not to Miss", "other-conditions"),
        ("Epidemiology", "other"),  # in a differential part, not a condition's name
        ("Natural History", "other"),
        ("Aggravating and Relieving Factors", "features"),
        ("Surgical Options", "treatment"),
    ],
)
def test_heading_kinds(heading: str, kind: str) -> None:
    assert heading_kind(heading) == kind


ARTICLE = """Why does my knee hurt on the stairs?

Last updated: March 3, 2026View editorial policy

Knee Pain on Stairs: Patellofemoral Pain and Other Causes

Knee pain on stairs in a young adult is most commonly patellofemoral pain syndrome (PFPS). 1

Primary Condition: Patellofemoral Pain (Including PFPS)

Patellofemoral pain, also called runner's knee, is pain around the kneecap. 1

Other Causes to Consider

Knee Osteoarthritis (OA)

Knee osteoarthritis causes pain on weight bearing in older adults. 1

Other Conditions Causing Knee Pain:

A Baker's cyst (popliteal cyst) behind the knee causes fullness after activity. 1

Prepatellar bursitis from repeated kneeling causes swelling over the kneecap. 1

Iliotibial band syndrome, also known as runner's knee pain, causes lateral pain. 1

An osteochondral lesion that detaches causes locking. 1

Treatment

For Other Causes:

Ice is recommended. 1

References

Research

Patellofemoral pain.

Lancet, 2020
"""


def test_conditions_registered_from_structure_and_prose() -> None:
    article = parse_article(ARTICLE, "knee.txt")
    context = build_context(article, load_vocabulary(), ())
    assert context.primary == "Patellofemoral pain"
    labels = {d.label: d.synonyms for d in context.registry._drafts.values()}
    assert "Runner's knee" in labels["Patellofemoral pain"]
    assert "Patellofemoral pain syndrome" in labels  # "(Including PFPS)", PFPS defined above
    assert "OA" in labels["Knee osteoarthritis"]
    assert "Popliteal cyst" in labels["Baker's cyst"]
    assert "Prepatellar bursitis" in labels  # "from repeated kneeling" is not part of the name
    assert "Runner's knee pain" in labels["Iliotibial band syndrome"]
    assert "Osteochondral lesion" in labels
    assert set(context.differentials) >= {"Knee osteoarthritis", "Baker's cyst"}
    ice = next(s for s in article.statements if s.text.startswith("Ice"))
    assert context.target(ice, ice.text) is None  # "For Other Causes:" is not the primary


def test_abbreviations_match_in_their_printed_case_only() -> None:
    context = build_context(parse_article(ARTICLE, "knee.txt"), load_vocabulary(), ())
    assert [f.label for f in context.registry.find("OA of the knee")] == ["Knee osteoarthritis"]
    assert context.registry.find("a koa or oa") == []


def test_names_with_one_hpo_code_are_one_condition() -> None:
    from clinkg.loaders.extract.entities import Registry
    from clinkg.loaders.extract.names import Name

    registry = Registry((), load_vocabulary())
    label = registry.add("condition", Name("Myocardial infarction"))
    assert registry.resolve("heart attack") == label
    assert registry.resolve("angina pectoris") is None


def test_a_name_printed_as_another_name_is_not_a_second_condition() -> None:
    text = ARTICLE.replace(
        "Knee pain on stairs in a young adult is most commonly patellofemoral pain syndrome "
        "(PFPS).",
        "Knee pain on stairs is most commonly patellofemoral pain, now usually called anterior "
        "knee pain syndrome (AKPS).",
    )
    context = build_context(parse_article(text, "knee.txt"), load_vocabulary(), ())
    labels = {d.label: d.synonyms for d in context.registry._drafts.values()}
    assert "Anterior knee pain syndrome" not in labels
    assert {"Anterior knee pain syndrome", "AKPS"} <= set(labels["Patellofemoral pain"])


EYE_ARTICLE = """Why does my eye ache in the evening?

Last updated: March 3, 2026View editorial policy

Eye Ache in the Evening: Eye Strain and Other Causes

Eye ache in the evening is most commonly digital eye strain. 1

Primary Condition: Digital Eye Strain

Digital eye strain causes aching eyes after hours of screen use. 1

Other Conditions Causing Eye Ache:

Elevated intraocular pressure from a blocked drainage angle causes a deep ache behind the eye. 1

Fatigue causes poor concentration late in the day. 1

References

Research

Digital eye strain.

Lancet, 2020
"""


def test_a_finding_that_causes_a_sited_complaint_is_an_other_cause() -> None:
    context = build_context(parse_article(EYE_ARTICLE, "eye.txt"), load_vocabulary(), ())
    labels = {d.label for d in context.registry._drafts.values()}
    assert "Elevated intraocular pressure" in labels  # HPO finding, causes an ache at the eye
    assert "Fatigue" not in labels  # what it causes is at no body site: not a cause to consider


def test_a_short_name_after_a_modifier_of_its_own_is_another_condition() -> None:
    from clinkg.loaders.extract.entities import Registry
    from clinkg.loaders.extract.names import Name

    registry = Registry((), load_vocabulary())
    registry.add("condition", Name("Primary open-angle glaucoma"))
    assert [f.label for f in registry.find("signs of open-angle glaucoma")] == [
        "Primary open-angle glaucoma"
    ]
    assert [f.label for f in registry.find("chronic open-angle glaucoma")] == [
        "Primary open-angle glaucoma"
    ]
    assert registry.find("steroid-induced open-angle glaucoma") == []


def test_a_plural_names_the_same_condition() -> None:
    from clinkg.loaders.extract.entities import Registry
    from clinkg.loaders.extract.names import Name

    registry = Registry((), load_vocabulary())
    label = registry.add("condition", Name("Corneal ulcer"))
    assert registry.resolve("corneal ulcers") == label
    assert registry.add("condition", Name("Corneal ulcers")) == label


def test_alternatives_in_a_such_as_list_are_conditions_each() -> None:
    text = ARTICLE.replace(
        "Prepatellar bursitis from repeated kneeling causes swelling over the kneecap. 1",
        "Tendon disease such as patellar tendinopathy or quadriceps tendon rupture can refer "
        "pain to the front of the knee. 1",
    )
    context = build_context(parse_article(text, "knee.txt"), load_vocabulary(), ())
    labels = {d.label for d in context.registry._drafts.values()}
    assert {"Patellar tendinopathy", "Quadriceps tendon rupture"} <= labels
    assert not any(" or " in label for label in labels)


def test_a_form_of_a_differential_named_in_its_section_is_a_differential_too() -> None:
    text = ARTICLE.replace(
        "Knee osteoarthritis causes pain on weight bearing in older adults. 1",
        "Knee osteoarthritis causes pain on weight bearing in older adults; patellofemoral "
        "osteoarthritis (PFOA), its most common isolated form, hurts most on stairs. 1",
    )
    context = build_context(parse_article(text, "knee.txt"), load_vocabulary(), ())
    assert "Patellofemoral osteoarthritis" in context.differentials
