"""A small hand-made article and its facts: the builder's and validator's test input.

It covers every kind of node once: a section tree, a bullet with an inherited marker, a marker
with no listed reference, a condition acting as a risk factor, a medication effect, a treatment
with a broader class, a differential and a vocabulary mapping.
"""

from __future__ import annotations

from datetime import date

from clinkg.loaders.extract.facts import (
    ArticleFacts,
    Entity,
    Feature,
    Mapping,
    MedicationEffectFact,
    Mention,
    RelationFact,
    RiskFactorFact,
    TreatmentFact,
)
from clinkg.loaders.parse.records import (
    Article,
    CitationAlignment,
    ReferenceEntry,
    Section,
    Statement,
)

ARTICLE = Article(
    source="sore-calf.txt",
    slug="sore-calf",
    question="Why is my calf sore?",
    title="Sore Calf: Causes",
    last_updated=date(2025, 1, 2),
    sections=(
        Section(index=0, title="Sore Calf: Causes", level=1, line=5, parent=None),
        Section(index=1, title="Key Clinical Features", level=2, line=9, parent=0),
    ),
    statements=(
        Statement(0, "Cramps are painful at night.", 0, 7, "sentence", (1,)),
        Statement(1, "Risk factors include:", 1, 11, "lead-in", (2,)),
        Statement(2, "Cirrhosis (OR 2.5)", 1, 12, "bullet", (2,), True, lead_in=1),
        Statement(3, "Naproxen induces cramps.", 1, 14, "sentence", (1, 2)),
        Statement(4, "Quinine is no longer recommended.", 1, 16, "sentence", ()),
        Statement(5, "Claudication comes with exercise.", 1, 18, "sentence", (1,)),
    ),
    references=(
        ReferenceEntry(1, "Research", "Nocturnal leg cramps.", "Am Fam Physician", 2012, 30),
    ),
)

ALIGNMENT = CitationAlignment(mapping={1: 1, 2: None}, consistent=False, warnings=("2 missing",))

HPO_CRAMPS = Mapping("HPO", "HP:0003394", "Muscle cramps", exact=False, method="exact synonym")

FACTS = ArticleFacts(
    article=ARTICLE,
    alignment=ALIGNMENT,
    primary_condition="Nocturnal leg cramps",
    entities=(
        Entity("condition", "Nocturnal leg cramps", ("leg cramps",), (HPO_CRAMPS,)),
        Entity("condition", "Cirrhosis", also=("risk-factor",)),
        Entity("condition", "Peripheral artery disease", ("PAD",)),
        Entity("medication", "Naproxen"),
        Entity("medication", "Quinine"),
    ),
    features=(
        Feature(
            condition="Nocturnal leg cramps",
            statement=0,
            label="painful cramps at night",
            sites=("Calf",),
            triggers=("Night",),
            qualities=("Cramping",),
            populations=("older adults",),
            duration="seconds to minutes",
        ),
        Feature(
            condition="Peripheral artery disease",
            statement=5,
            label="calf pain with exercise",
            sites=("Calf",),
            triggers=("Exertion",),
            reliefs=("Rest",),
            relief_within="PT10M",
            relief_speed="fast",
        ),
    ),
    risk_factors=(
        RiskFactorFact(
            condition="Nocturnal leg cramps",
            factor="Cirrhosis",
            statement=2,
            statistic_type="OR",
            statistic_value=2.5,
            statistic_text="OR 2.5",
        ),
    ),
    medication_effects=(
        MedicationEffectFact(medication="Naproxen", condition="Nocturnal leg cramps", statement=3),
    ),
    treatments=(
        TreatmentFact(
            condition="Nocturnal leg cramps",
            label="Quinine",
            status="NotRecommended",
            statement=4,
            cue="is no longer recommended",
            no_longer_recommended=True,
            medications=("Quinine",),
            broader="Antimalarials",
        ),
    ),
    relations=(
        RelationFact("differential", "Nocturnal leg cramps", "Peripheral artery disease", 5),
    ),
    mentions=(Mention(0, "condition", "Nocturnal leg cramps"),),
    warnings=("a warning",),
)
