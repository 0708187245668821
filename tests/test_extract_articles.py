"""End to end on the bundled articles: records -> facts, checked against the expected answers.

Labels match case-insensitively by label or synonym (tests/expected_answers.py folding).
"""

from __future__ import annotations

from functools import cache

import pytest
from expected_answers import BUNDLED_ARTICLES, expected_names, fold, synonyms_of

from clinkg.loaders.extract.article import extract_article
from clinkg.loaders.extract.facts import ArticleFacts, Entity
from clinkg.loaders.parse.article import parse_article
from clinkg.loaders.parse.citations import align_citations
from clinkg.loaders.vocabularies.vocabulary import load_vocabulary

pytestmark = pytest.mark.slow


@cache
def facts(slug: str, known: tuple[Entity, ...] = ()) -> ArticleFacts:
    text = (BUNDLED_ARTICLES / f"{slug}.txt").read_text(encoding="utf-8")
    article = parse_article(text, f"{slug}.txt")
    return extract_article(article, align_citations(article), known)


def names(result: ArticleFacts, label: str) -> set[str]:
    """Folded label and synonyms of an entity of the result."""
    for entity in result.entities:
        if entity.label == label:
            return {fold(entity.label), *map(fold, entity.synonyms)}
    return {fold(label)}


def same_set(result: ArticleFacts, labels: set[str], expected: list[str]) -> None:
    """Each expected item matched by exactly one label, and no label left over."""
    slug = result.article.slug
    wanted = [expected_names(e, synonyms_of(slug, e)) for e in expected]
    got = {label: names(result, label) for label in labels}
    missing = [
        e for e, w in zip(expected, wanted, strict=True) if not any(w & n for n in got.values())
    ]
    extra = [label for label, n in got.items() if not any(w & n for w in wanted)]
    assert (missing, extra) == ([], [])


def conditions_with(result: ArticleFacts, trigger: str, site: str) -> set[str]:
    """Query semantics: a feature with the trigger and a site in `site` (or its condition's)."""
    vocabulary = load_vocabulary()
    located = {
        f.condition
        for f in result.features
        if not f.negated and any(vocabulary.within(s, site) for s in f.sites)
    }
    return {
        f.condition
        for f in result.features
        if trigger in f.triggers
        and not f.negated
        and (
            any(vocabulary.within(s, site) for s in f.sites)
            or (not f.sites and f.condition in located)
        )
    }


def test_calf_timing() -> None:
    result = facts("calf-muscle-spasms")
    same_set(
        result,
        conditions_with(result, "Exertion", "Calf"),
        [
            "Peripheral artery disease",
            "Chronic compartment syndrome",
            "Venous claudication",
            "Popliteal artery entrapment syndrome",
            "Baker's cyst",
        ],
    )
    same_set(
        result,
        conditions_with(result, "Night", "Calf"),
        ["Nocturnal leg cramps", "Myofascial pain syndrome"],
    )
    assert conditions_with(result, "Exertion", "Leg") >= conditions_with(result, "Exertion", "Calf")


def test_calf_risk_factors_and_associated_conditions() -> None:
    result = facts("calf-muscle-spasms")
    assert result.primary_condition == "Nocturnal leg cramps"
    odds = {(r.factor, r.statistic_value) for r in result.risk_factors if r.statistic_type == "OR"}
    assert odds == {
        ("Muscle twitching", 4.6),
        ("Lower limb tingling", 4.1),
        ("Foot dorsiflexion weakness", 1.02),
    }
    associated = {r.factor for r in result.risk_factors if r.role == "associated-condition"}
    assert associated == {
        "Vascular disease",
        "Lumbar canal stenosis",
        "Cirrhosis",
        "Hemodialysis",
        "Pregnancy",
    }
    # "typically in heavy-muscled athletes", "usually with history of deep vein thrombosis"
    others = {(r.condition, r.factor) for r in result.risk_factors}
    others -= {("Nocturnal leg cramps", f) for f in {f for _, f in others}}
    assert others == {
        ("Chronic compartment syndrome", "Heavy-muscled athletes"),
        ("Venous claudication", "Deep vein thrombosis"),
    }


def test_calf_medications_and_treatments() -> None:
    result = facts("calf-muscle-spasms")
    assert {(m.medication, m.condition) for m in result.medication_effects} == {
        (d, "Nocturnal leg cramps")
        for d in [
            "Intravenous iron sucrose",
            "Conjugated estrogens",
            "Raloxifene",
            "Naproxen",
            "Teriparatide",
        ]
    }
    by_status: dict[str, set[str]] = {}
    for t in result.treatments:
        if t.condition == "Nocturnal leg cramps":
            by_status.setdefault(t.status, set()).add(t.label)
    assert by_status["NotRecommended"] == {"Quinine"}
    assert by_status["LimitedEvidence"] == {
        "Exercise and stretching",
        "Magnesium",
        "Calcium channel blockers",
        "Carisoprodol",
        "Vitamin B12",
    }
    assert by_status["Recommended"] == {
        "Stretching the affected calf muscle by forcible dorsiflexion of the foot",
        "Calf muscle stretching",
    }
    (quinine,) = [t for t in result.treatments if t.label == "Quinine"]
    assert quinine.no_longer_recommended
    injection = [t for t in result.treatments if t.label == "Trigger point injection"]
    assert [(t.condition, t.status) for t in injection] == [
        ("Myofascial pain syndrome", "LimitedEvidence")
    ]


def test_calf_differentials() -> None:
    result = facts("calf-muscle-spasms")
    differentials = {r.object for r in result.relations if r.kind == "differential"}
    assert all(
        r.subject == "Nocturnal leg cramps" for r in result.relations if r.kind == "differential"
    )
    core = [
        "Peripheral artery disease",
        "Chronic compartment syndrome",
        "Venous claudication",
        "Popliteal artery entrapment syndrome",
        "Baker's cyst",
        "Myofascial pain syndrome",
    ]
    optional = ["Restless legs syndrome", "Myositis", "Peripheral neuropathy"]
    same_set(result, differentials, core + optional)


def test_swollen_timing_and_negation() -> None:
    result = facts("swollen-painful-calf")
    same_set(
        result, conditions_with(result, "Exertion", "Calf"), ["Gastrocnemius tear (tennis leg)"]
    )
    same_set(result, conditions_with(result, "Night", "Calf"), ["Nocturnal leg cramps"])
    dvt = [f for f in result.features if f.condition == "Deep vein thrombosis"]
    assert any("Standing" in f.triggers and "Elevation" in f.reliefs for f in dvt)
    assert any(f.negated and f.label == "persistent swelling" for f in result.features)


def test_swollen_risk_factors() -> None:
    result = facts("swollen-painful-calf")
    dvt = [r for r in result.risk_factors if r.condition == "Deep vein thrombosis"]
    odds = {(r.factor, r.statistic_value, r.qualifier) for r in dvt if r.statistic_type == "OR"}
    assert ("Varicose veins", 4.2, "at age 45 years") in odds
    assert ("Varicose veins", 1.9, "at age 60 years") in odds
    assert ("Recent surgery", 21.7, None) in odds
    # "Superficial vein thrombosis" is the differential "Superficial thrombophlebitis".
    assert ("Superficial thrombophlebitis", 4.3, None) in odds
    plain = {r.factor for r in dvt if r.statistic_type is None}
    assert "Inherited thrombophilia such as factor V Leiden" in plain
    assert len(plain) == 6


def test_swollen_medications() -> None:
    result = facts("swollen-painful-calf")
    dvt = {
        m.medication: m.odds_ratio
        for m in result.medication_effects
        if m.condition == "Deep vein thrombosis"
    }
    assert dvt["Combined oral contraceptives"] == 5.0
    assert {
        "Oral estrogen hormone replacement therapy",
        "Tamoxifen",
        "Raloxifene",
        "Thalidomide",
        "Lenalidomide",
    } <= set(dvt)
    assert "Dexamethasone" not in dvt
    assert ("Warfarin", "Muscle hematoma") in {
        (m.medication, m.condition) for m in result.medication_effects
    }


def test_swollen_treatments() -> None:
    result = facts("swollen-painful-calf")
    dvt = [t for t in result.treatments if t.condition == "Deep vein thrombosis"]
    # "Routine" and the purpose ("to prevent post-thrombotic syndrome") are not in the names.
    assert {t.label for t in dvt if t.status == "NotRecommended"} == {
        "Bed rest",
        "Graduated compression stockings",
        "Catheter-directed thrombolysis",
    }
    recommended = {t.label for t in dvt if t.status == "Recommended"}
    assert {
        "Direct oral anticoagulants",
        "Apixaban",
        "Rivaroxaban",
        "Dabigatran",
        "Edoxaban",
        "Oral factor Xa inhibitor",
        "Early ambulation",
        "Extended anticoagulation",
    } <= recommended
    assert {t.broader for t in dvt if t.label == "Dabigatran"} == {"Direct oral anticoagulants"}
    assert {t.label for t in dvt if t.status == "LimitedEvidence"} == {
        "Serial ultrasound over 2 weeks"
    }
    assert {t.label for t in dvt if t.no_longer_recommended} == {"Bed rest"}


def test_swollen_differentials() -> None:
    result = facts("swollen-painful-calf")
    differentials = {r.object for r in result.relations if r.kind == "differential"}
    same_set(
        result,
        differentials,
        [
            "Ruptured Baker's cyst",
            "Cellulitis",
            "Gastrocnemius tear (tennis leg)",
            "Superficial thrombophlebitis",
            "Muscle hematoma",
            "Nocturnal leg cramps",
        ],
    )


def test_known_entities_keep_their_labels_across_articles() -> None:
    calf = facts("calf-muscle-spasms")
    swollen = facts("swollen-painful-calf", calf.entities)
    cramps = [e for e in swollen.entities if fold(e.label) == "nocturnal leg cramps"]
    assert [e.label for e in cramps] == ["Nocturnal leg cramps"]
    # A known entity this article does not name through its structure stays out of its facts.
    assert "Intermittent claudication" not in {e.label for e in swollen.entities}


def test_extraction_does_not_depend_on_what_else_is_in_the_store() -> None:
    calf = facts("calf-muscle-spasms")
    swollen = facts("swollen-painful-calf", calf.entities)
    again = facts("calf-muscle-spasms", swollen.entities + calf.entities)
    assert again.entities == calf.entities
    assert (again.features, again.mentions, again.treatments) == (
        calf.features,
        calf.mentions,
        calf.treatments,
    )


def test_every_fact_points_at_a_statement_that_mentions_its_entities() -> None:
    for slug in ("calf-muscle-spasms", "swollen-painful-calf"):
        result = facts(slug)
        mentioned = {(m.statement, m.label) for m in result.mentions}
        for r in result.risk_factors:
            assert {(r.statement, r.factor), (r.statement, r.condition)} <= mentioned
        for t in result.treatments:
            assert (t.statement, t.condition) in mentioned
        labels = {e.label for e in result.entities}
        assert {m.label for m in result.mentions} <= labels


def test_an_article_on_another_body_region() -> None:
    """Nothing in the extractor names the calf: a shoulder article reads the same way."""
    text = (
        BUNDLED_ARTICLES.parent.parent / "tests" / "fixtures" / "extract-shoulder.txt"
    ).read_text(encoding="utf-8")
    article = parse_article(text, "extract-shoulder.txt")
    result = extract_article(article, align_citations(article))
    assert result.primary_condition == "Rotator cuff tendinopathy"
    differentials = {r.object for r in result.relations if r.kind == "differential"}
    assert differentials == {"Adhesive capsulitis", "Cervical radiculopathy"}
    assert (
        "Frozen shoulder"
        in next(e for e in result.entities if e.label == "Adhesive capsulitis").synonyms
    )
    at_night = conditions_with(result, "Night", "Arm")
    assert at_night == {"Rotator cuff tendinopathy"}
    assert {(r.factor, r.statistic_value) for r in result.risk_factors} == {
        ("Age over 40 years", 2.5),
        ("Repetitive overhead work", None),
    }
    statuses = {t.label: t.status for t in result.treatments}
    assert statuses == {
        "Exercise therapy": "Recommended",
        "Subacromial corticosteroid injection": "LimitedEvidence",
        "Surgery": "NotRecommended",
    }
    radiculopathy = [f for f in result.features if f.condition == "Cervical radiculopathy"]
    assert {"Neck", "Arm", "Hand"} <= {s for f in radiculopathy for s in f.sites}


def test_a_list_whose_condition_comes_from_its_section_is_reported() -> None:
    result = facts("calf-muscle-spasms")
    [warning] = [w for w in result.warnings if "names no condition" in w]
    assert "night-time calf cramps" in warning and "'Nocturnal leg cramps'" in warning
    # The swollen-calf lists name deep vein thrombosis themselves: nothing to report.
    assert not [w for w in facts("swollen-painful-calf").warnings if "names no condition" in w]


def test_features_in_prose_on_the_knee() -> None:
    """Own wording (tests/fixtures/extract-knee.txt): prose clauses, negations and comparisons."""
    text = (BUNDLED_ARTICLES.parent.parent / "tests" / "fixtures" / "extract-knee.txt").read_text(
        encoding="utf-8"
    )
    article = parse_article(text, "extract-knee.txt")
    result = extract_article(article, align_citations(article))
    assert conditions_with(result, "StairClimbing", "Knee") == {"Patellofemoral pain syndrome"}
    assert conditions_with(result, "Exertion", "Leg") == {"Patellofemoral pain syndrome"}
    assert conditions_with(result, "Sitting", "Knee") == {"Patellofemoral pain syndrome"}
    assert conditions_with(result, "Morning", "Knee") == {
        "Knee osteoarthritis",
        "Inflammatory arthritis",
    }
    assert conditions_with(result, "Kneeling", "Knee") == {"Prepatellar bursitis"}
    # "A suggests B": the night pain is inflammatory arthritis's, not the section's condition's
    assert conditions_with(result, "Night", "Knee") == {"Inflammatory arthritis"}
    assert conditions_with(result, "Evening", "Knee") == {"Knee osteoarthritis"}
    negated = {(f.condition, t) for f in result.features if f.negated for t in f.triggers}
    assert {
        ("Prepatellar bursitis", "StairClimbing"),
        ("Knee osteoarthritis", "Sitting"),
    } <= negated
    inflammatory = [f for f in result.features if f.condition == "Inflammatory arthritis"]
    assert {f.reliefs for f in inflammatory if not f.negated} == {(), ("Exertion",)}
    assert [f.reliefs for f in inflammatory if f.negated] == [("Rest",)]
    assert not any("Exertion" in f.triggers for f in inflammatory)
