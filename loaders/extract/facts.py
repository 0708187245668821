"""Facts extracted from an article's records; the builder turns them into RDF.

Entities are named by their canonical label; the builder mints IRIs from it through
`clinkg.ontology.namespaces`. Every fact keeps the index of the statement it came from.
Qualifier values (sites, triggers, reliefs, qualities, statuses) are local names of concepts in
`ontology/clinkg.ttl` (for example "Calf", "Exertion", "NotRecommended").
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from clinkg.loaders.parse.records import Article, CitationAlignment
from clinkg.loaders.vocabularies.mappings import Mapping

EntityKind = Literal["condition", "medication", "risk-factor", "population"]
Status = Literal["Recommended", "LimitedEvidence", "NotRecommended"]


@dataclass(frozen=True)
class Entity:
    """A condition, medication, risk factor or population, merged across sections."""

    kind: EntityKind
    label: str  # canonical label, sentence case ("Nocturnal leg cramps")
    synonyms: tuple[str, ...] = ()
    mappings: tuple[Mapping, ...] = ()
    also: tuple[EntityKind, ...] = ()  # other kinds it is (a condition acting as a risk factor)


@dataclass(frozen=True)
class Feature:
    """A clinical feature of a condition as one statement describes it."""

    condition: str  # canonical label of the condition
    statement: int
    label: str  # the feature as worded ("tight, bursting calf pain")
    sites: tuple[str, ...] = ()  # BodySite local names
    triggers: tuple[str, ...] = ()  # Trigger local names
    reliefs: tuple[str, ...] = ()  # Relief local names
    relief_within: str | None = None  # xsd:duration, e.g. "PT10M"
    relief_speed: Literal["fast", "slow"] | None = None
    qualities: tuple[str, ...] = ()  # Quality local names
    populations: tuple[str, ...] = ()  # population labels ("young adults")
    duration: str | None = None  # as worded ("seconds to several minutes")
    negated: bool = False  # stated as absent ("do not cause persistent swelling")
    mappings: tuple[Mapping, ...] = ()  # HPO classes the wording matches


@dataclass(frozen=True)
class RiskFactorFact:
    """A factor stated to raise the risk of (or be associated with) a condition."""

    condition: str
    factor: str  # canonical label of the risk-factor entity
    statement: int
    role: str = "risk-factor"  # "risk-factor" | "associated-condition" | "population" | "history"
    statistic_type: str | None = None  # "OR", "threshold", ...
    statistic_value: float | None = None
    statistic_text: str | None = None
    qualifier: str | None = None  # "at age 45 years"


@dataclass(frozen=True)
class MedicationEffectFact:
    """A medication stated to induce or worsen a condition, or (negated) stated not to."""

    medication: str
    condition: str
    statement: int
    odds_ratio: float | None = None
    statistic_text: str | None = None
    negated: bool = False  # "Losartan is an exception and does not raise urate"


@dataclass(frozen=True)
class TreatmentFact:
    """A treatment option for a condition with its recommendation status."""

    condition: str
    label: str
    status: Status
    statement: int
    cue: str  # the wording that decided the status ("is no longer recommended")
    no_longer_recommended: bool = False
    medications: tuple[str, ...] = ()  # canonical labels of medications it uses
    broader: str | None = None  # label of the treatment class it is a member of


@dataclass(frozen=True)
class RelationFact:
    """A plain relation between two conditions (differential, associated), with its source."""

    kind: Literal["differential", "associated"]
    subject: str
    object: str
    statement: int


@dataclass(frozen=True)
class Mention:
    """A statement speaks of an entity (its evidence, whatever the relation)."""

    statement: int
    kind: EntityKind
    label: str


@dataclass(frozen=True)
class ArticleFacts:
    """Everything extracted from one article, ready to build."""

    article: Article
    alignment: CitationAlignment
    primary_condition: str | None
    entities: tuple[Entity, ...]
    features: tuple[Feature, ...] = ()
    risk_factors: tuple[RiskFactorFact, ...] = ()
    medication_effects: tuple[MedicationEffectFact, ...] = ()
    treatments: tuple[TreatmentFact, ...] = ()
    relations: tuple[RelationFact, ...] = ()
    mentions: tuple[Mention, ...] = ()
    warnings: tuple[str, ...] = field(default_factory=tuple)
