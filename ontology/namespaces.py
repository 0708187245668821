"""The one home of clinkg's IRIs: the ontology namespace and a minting function per entity type.

Minting is deterministic (same input, same IRI), so loading an article twice changes nothing and
the same entity named in two articles gets one IRI.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

from rdflib import Namespace, URIRef
from rdflib.namespace import DefinedNamespace

BASE = "https://w3id.org/clinkg/"
ONTOLOGY_IRI = URIRef(BASE + "ontology")
ID = Namespace(BASE + "id/")
GRAPH = Namespace(BASE + "graph/")
# What the reasoner entails beyond the asserted triples, kept apart so users can tell them apart.
INFERRED_GRAPH = GRAPH["inferred"]

SCHEMA = Namespace("https://schema.org/")
BIBO = Namespace("http://purl.org/ontology/bibo/")
HP = Namespace("http://purl.obolibrary.org/obo/HP_")
ICD10CM = Namespace("http://purl.bioontology.org/ontology/ICD10CM/")
MESH = Namespace("http://id.nlm.nih.gov/mesh/")
OBO = Namespace("http://purl.obolibrary.org/obo/")
OBO_IN_OWL = Namespace("http://www.geneontology.org/formats/oboInOwl#")
# Public vocabularies loaded beside the articles (`clinkg load-vocabulary`), one graph each.
HPO_GRAPH = GRAPH["hpo"]
ICD10CM_GRAPH = GRAPH["icd10cm"]
ICD10CM_SCHEME = URIRef("http://purl.bioontology.org/ontology/ICD10CM")
# Disease catalogues HPO annotates, by CURIE prefix: the IRI each catalogue itself uses.
DISEASE_CATALOGUES = {
    "OMIM": "https://omim.org/entry/",
    "ORPHA": "http://www.orpha.net/ORDO/Orphanet_",
    "DECIPHER": "https://www.deciphergenomics.org/syndrome/",
}
# Where an HPO annotation's reference CURIE resolves (others are kept as text).
REFERENCE_PREFIXES = {"PMID": "https://pubmed.ncbi.nlm.nih.gov/", **DISEASE_CATALOGUES}


class CKG(DefinedNamespace):
    """Terms of the clinkg ontology (`ontology/clinkg.ttl`); a typo raises instead of minting."""

    _fail = True
    _NS = Namespace(BASE + "ontology#")

    # Core classes (their local names are a contract with researchers' queries).
    Condition: URIRef
    ClinicalFeature: URIRef
    RiskFactor: URIRef
    Medication: URIRef
    Treatment: URIRef
    Reference: URIRef
    Article: URIRef
    Statement: URIRef
    # Supporting classes.
    Section: URIRef
    Citation: URIRef  # one citation marker number of one article, and what it resolves to
    RiskAssociation: URIRef  # one stated link factor -> condition, with its statistic
    MedicationEffect: URIRef  # one stated link medication -> induced condition
    Qualifier: URIRef  # controlled vocabularies below are skos:Concepts of these classes
    BodySite: URIRef
    Trigger: URIRef
    Relief: URIRef
    RiskWording: URIRef  # vocabulary: how prose states a risk link (cue phrases)
    Demographic: URIRef  # vocabulary: female / male sex named by bare group words
    Quality: URIRef
    Population: URIRef
    RecommendationStatus: URIRef
    FeatureCue: URIRef  # cue words of the feature reader (vocabulary.ttl)
    # Defined classes answered by the reasoner.
    ExertionalCondition: URIRef
    NocturnalCondition: URIRef
    RestPainCondition: URIRef  # a feature at rest
    RestRelievedCondition: URIRef  # a feature rest relieves
    LegCondition: URIRef  # a feature in the leg or a part of it (through the partonomy)
    ExertionalLegCondition: URIRef  # a leg feature exertion brings on
    ExertionalFeature: URIRef  # the features that witness the condition classes above
    NocturnalFeature: URIRef
    RestFeature: URIRef
    RestRelievedFeature: URIRef
    LegFeature: URIRef
    ExertionalLegFeature: URIRef
    NotRecommendedTreatment: URIRef
    NoLongerRecommendedTreatment: URIRef
    StrongRiskAssociation: URIRef  # odds ratio >= 4
    StrongRiskFactor: URIRef  # factor of some strong risk association

    # Object properties.
    hasFeature: URIRef  # Condition -> ClinicalFeature
    bodySite: URIRef  # ClinicalFeature -> BodySite
    partOf: URIRef  # BodySite -> BodySite (transitive)
    trigger: URIRef  # ClinicalFeature -> Trigger
    relievedBy: URIRef  # ClinicalFeature -> Relief
    quality: URIRef  # ClinicalFeature -> Quality
    population: URIRef  # ClinicalFeature | RiskAssociation -> Population
    hasRiskFactor: URIRef  # Condition -> RiskFactor (plain shortcut of a RiskAssociation)
    riskAssociation: URIRef  # Condition -> RiskAssociation
    factor: URIRef  # RiskAssociation -> RiskFactor
    inducedBy: URIRef  # Condition -> Medication (plain shortcut of a MedicationEffect)
    medicationEffect: URIRef  # Condition -> MedicationEffect
    medication: URIRef  # MedicationEffect | Treatment -> Medication
    hasTreatment: URIRef  # Condition -> Treatment
    treats: URIRef  # Treatment -> Condition
    recommendationStatus: URIRef  # Treatment -> RecommendationStatus
    broaderTreatment: URIRef  # Treatment -> Treatment (apixaban within direct oral anticoagulants)
    differentialDiagnosis: URIRef  # Condition -> Condition
    associatedCondition: URIRef  # Condition -> Condition
    primaryCondition: URIRef  # Article -> Condition
    supportedBy: URIRef  # fact node -> Statement
    about: URIRef  # Statement -> entity it speaks of
    inArticle: URIRef  # Statement | Section -> Article
    inSection: URIRef  # Statement -> Section
    parentSection: URIRef  # Section -> Section
    cites: URIRef  # Statement -> Reference (only citations resolved to a listed reference)
    citation: URIRef  # Statement -> Citation (every marker printed on it, or inherited)
    citedReference: URIRef  # Citation -> Reference (absent when the marker is unresolved)
    leadIn: URIRef  # Statement (bullet) -> Statement (the line it hangs from)

    # Data properties.
    text: URIRef  # Statement text without citation markers
    citationNumber: URIRef  # every marker printed on a statement (xsd:integer)
    unresolvedCitation: URIRef  # a marker with no listed reference (xsd:integer)
    citationInherited: URIRef  # xsd:boolean: a bullet takes its lead-in's markers
    position: URIRef  # order within the article (xsd:integer)
    line: URIRef  # line number in the source file (xsd:integer)
    level: URIRef  # heading level (xsd:integer)
    statementKind: URIRef  # "sentence" | "bullet" | "lead-in"
    question: URIRef  # Article: the question it answers
    sourceFile: URIRef  # Article: the file it was loaded from
    loadWarning: URIRef  # Article: a warning its load gave (xsd:string)
    listPosition: URIRef  # Reference: position in the article's reference list
    referenceType: URIRef  # Reference: "Research", "Guideline", ...
    journal: URIRef  # Reference: journal or publisher as printed
    year: URIRef  # Reference: xsd:gYear
    oddsRatio: URIRef  # RiskAssociation | MedicationEffect: xsd:decimal
    statisticType: URIRef  # "OR", "RR", "HR", "IRR", "fold", "percent", "threshold", ...
    statisticValue: URIRef  # RiskAssociation: xsd:decimal, the statistic's number
    statisticText: URIRef  # the statistic exactly as worded
    statisticQualifier: URIRef  # e.g. "at age 45 years"
    reliefWithin: URIRef  # ClinicalFeature: xsd:duration, relief within this time
    reliefSpeed: URIRef  # ClinicalFeature: "fast" | "slow"
    duration: URIRef  # ClinicalFeature: duration as worded
    negated: URIRef  # ClinicalFeature | MedicationEffect: xsd:boolean, stated absent / not caused
    noLongerRecommended: URIRef  # Treatment: xsd:boolean, status changed from recommended
    statusCue: URIRef  # Treatment: the wording that decided its status
    role: URIRef  # RiskAssociation: "risk-factor" | "associated-condition" | "population" | ...
    matchMethod: URIRef  # how a vocabulary mapping was made

    # Public vocabularies beside the articles (HPO annotations; see loaders/vocabularies/hpo.py).
    Finding: URIRef  # an article entity matched to an HPO class (the builder asserts it)
    Disease: URIRef  # a disease of a catalogue HPO annotates (OMIM, Orphanet, DECIPHER)
    PhenotypeAnnotation: URIRef  # one phenotype.hpoa row: disease -> phenotype, with evidence
    NegatedPhenotypeAnnotation: URIRef  # a NOT row: the disease is stated to lack the phenotype
    disease: URIRef  # PhenotypeAnnotation -> Disease
    phenotype: URIRef  # PhenotypeAnnotation -> HPO class (positive rows only)
    excludedPhenotype: URIRef  # NegatedPhenotypeAnnotation -> HPO class (NOT rows only)
    onset: URIRef  # PhenotypeAnnotation -> HPO onset class
    frequency: URIRef  # PhenotypeAnnotation -> HPO frequency class
    modifier: URIRef  # PhenotypeAnnotation -> HPO clinical modifier class
    frequencyText: URIRef  # "1/2", "17%": a frequency given as a ratio or a percentage
    evidenceCode: URIRef  # "PCS" | "TAS" | "IEA"
    aspect: URIRef  # "P" | "I" | "C" | "M" | "H": HPO's sub-ontology of the phenotype
    sex: URIRef  # "male" | "female": the annotation holds for this sex only
    annotationSource: URIRef  # a reference the annotation cites, as text (ISBN, …)


def slug(text: str, max_length: int = 80) -> str:
    """Lower-case ASCII words joined by hyphens: the readable part of a minted IRI."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    ascii_text = ascii_text.replace("'", "")
    words = re.findall(r"[a-z0-9]+", ascii_text.lower())
    joined = "-".join(words)
    if len(joined) <= max_length:
        return joined or "unnamed"
    digest = hashlib.sha1(joined.encode()).hexdigest()[:8]
    return joined[: max_length - 9].rstrip("-") + "-" + digest


def article(article_slug: str) -> URIRef:
    """IRI of an article, from the slug of its file name."""
    return ID[f"article/{slug(article_slug)}"]


def article_graph(article_slug: str) -> URIRef:
    """Named graph holding the triples loaded from one article."""
    return GRAPH[f"article/{slug(article_slug)}"]


def library_graph(article_slug: str) -> URIRef:
    """Named graph holding one article's load record (file, content hash, when, warnings)."""
    return GRAPH[f"library/{slug(article_slug)}"]


def section(article_slug: str, index: int) -> URIRef:
    """IRI of a section (heading) of an article, by its order in the article."""
    return ID[f"article/{slug(article_slug)}/section/{index}"]


def statement(article_slug: str, index: int) -> URIRef:
    """IRI of a statement (sentence or bullet) of an article, by its order in the article."""
    return ID[f"article/{slug(article_slug)}/statement/{index}"]


def citation(article_slug: str, number: int) -> URIRef:
    """IRI of citation marker `number` of an article: what that number names in that article."""
    return ID[f"article/{slug(article_slug)}/citation/{number}"]


def condition(label: str) -> URIRef:
    """IRI of a condition, from its canonical label."""
    return ID[f"condition/{slug(label)}"]


def medication(label: str) -> URIRef:
    """IRI of a medication, from its canonical label."""
    return ID[f"medication/{slug(label)}"]


def risk_factor(label: str) -> URIRef:
    """IRI of a risk factor, from its canonical label."""
    return ID[f"risk-factor/{slug(label)}"]


def treatment(condition_label: str, label: str) -> URIRef:
    """IRI of a treatment option for one condition (its status belongs to that pairing)."""
    return ID[f"treatment/{slug(condition_label)}/{slug(label)}"]


def feature(article_slug: str, statement_index: int, index: int) -> URIRef:
    """IRI of a clinical feature as one statement describes it for one condition."""
    return ID[f"article/{slug(article_slug)}/statement/{statement_index}/feature/{index}"]


def risk_association(article_slug: str, statement_index: int, index: int) -> URIRef:
    """IRI of one stated risk-factor link (factor, condition, statistic) in a statement."""
    return ID[f"article/{slug(article_slug)}/statement/{statement_index}/risk/{index}"]


def medication_effect(article_slug: str, statement_index: int, index: int) -> URIRef:
    """IRI of one stated medication -> induced-condition link in a statement."""
    return ID[f"article/{slug(article_slug)}/statement/{statement_index}/induces/{index}"]


def reference(title: str, year: int | None) -> URIRef:
    """IRI of a cited work, from its title and year, so two articles citing it share it."""
    key = f"{slug(title, 1000)}|{year or ''}"
    digest = hashlib.sha1(key.encode()).hexdigest()[:10]
    return ID[f"reference/{slug(title, 48)}-{digest}"]


def population(label: str) -> URIRef:
    """IRI of a population (young adults, heavy-muscled athletes) not in the vocabulary."""
    return ID[f"population/{slug(label)}"]


def phenotype_annotation(key: str) -> URIRef:
    """IRI of one HPO annotation row, from a digest of the row (identical rows are one node)."""
    return ID[f"hpo-annotation/{hashlib.blake2b(key.encode(), digest_size=8).hexdigest()}"]


def hpo(code: str) -> URIRef:
    """IRI of a Human Phenotype Ontology class from `HP:0003394`."""
    return HP[code.split(":", 1)[1]]


def icd10cm(code: str) -> URIRef:
    """IRI of an ICD-10-CM code such as `I80.0`."""
    return ICD10CM[code]
