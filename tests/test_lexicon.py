"""HPO, ICD-10-CM and drug-dictionary lookups."""

from __future__ import annotations

from clinkg.loaders.vocabularies.lexicon import (
    drug_mappings,
    drug_of_phrase,
    find_drugs,
    fold_name,
    parse_obo,
    vocabulary_mappings,
)

OBO = """format-version: 1.2

[Term]
id: HP:0000001
name: Varicose veins
synonym: "Varicosities" EXACT []
synonym: "Dilated veins" RELATED []

[Term]
id: HP:0000002
name: Old term
is_obsolete: true
"""


def test_fold_name_meets_spelling_variants() -> None:
    assert fold_name("Baker's Cyst") == fold_name("bakers cyst")
    assert fold_name("haematoma") == fold_name("hematoma")
    assert fold_name("lower-extremity") == "lower extremity"


def test_parse_obo_keeps_scope_and_drops_obsolete_terms() -> None:
    index = parse_obo(OBO.splitlines())
    assert index["varicosities"] == [("HP:0000001", "Varicose veins", True)]
    assert index["dilated veins"] == [("HP:0000001", "Varicose veins", False)]
    assert "old term" not in index


def test_exact_and_close_vocabulary_mappings() -> None:
    cellulitis = {(m.scheme, m.code, m.exact) for m in vocabulary_mappings(["Cellulitis"])}
    assert ("HPO", "HP:0100658", True) in cellulitis
    ruptured = vocabulary_mappings(["Ruptured Baker's cyst"])
    assert ruptured and not any(m.exact for m in ruptured)
    assert vocabulary_mappings(["Muscle twitching in the calf at night"]) == ()


def test_drug_of_phrase_needs_the_head_word() -> None:
    assert drug_of_phrase("Intravenous iron sucrose") is not None
    assert drug_of_phrase("calcium channel blockers") is None
    assert drug_of_phrase("Exercise and stretching") is None


def test_drug_mappings_are_drugbank_only() -> None:
    (naproxen,) = drug_mappings("Naproxen")
    assert (naproxen.scheme, naproxen.code, naproxen.exact) == ("DRUGBANK", "DB00788", True)
    (iron,) = drug_mappings("Intravenous iron sucrose")
    assert not iron.exact


def test_find_drugs_gives_character_spans() -> None:
    text = "thalidomide or lenalidomide given with dexamethasone"
    assert [text[h.start : h.end] for h in find_drugs(text)] == [
        "thalidomide",
        "lenalidomide",
        "dexamethasone",
    ]
