"""The differential helper: rank the graph's conditions by the findings a clinician picks.

Every judgement is made by SPARQL (`queries/_differential-helper.rq` for qualifiers,
`queries/_differential-sign.rq` for signs, `queries/_distinguishing-features.rq`), one bound
query per finding; this module only counts: score = findings matched - findings argued against.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Final, Literal

from rdflib import Literal as RDFLiteral
from rdflib import URIRef

from clinkg.errors import QueryParameterError
from clinkg.ontology.namespaces import CKG
from clinkg.registry import AllowedValue, Catalogue, Parameter, allowed_values, resolve_value
from clinkg.server.answers import Evidence, statement_evidence
from clinkg.store import Row, Store, Term

Kind = Literal["site", "trigger", "relief", "speed", "quality", "population", "sign"]


@dataclass(frozen=True)
class FindingKind:
    """One kind of finding: the feature property it is about and where its values come from."""

    name: Kind
    label: str
    property: URIRef | None  # None: a sign, matched by wording
    source: str | None  # registry value source; None: fixed or free values


KINDS: Final[tuple[FindingKind, ...]] = (
    FindingKind("site", "Site", CKG.bodySite, "body-site"),
    FindingKind("trigger", "Brought on by", CKG.trigger, "trigger"),
    FindingKind("relief", "Relieved by", CKG.relievedBy, "relief"),
    FindingKind("speed", "Relief comes", CKG.reliefSpeed, None),
    FindingKind("quality", "Quality", CKG.quality, "quality"),
    FindingKind("population", "Patient group", CKG.population, "population"),
    FindingKind("sign", "Associated sign", None, None),
)
# The ontology's two values of ckg:reliefSpeed.
SPEEDS: Final = (
    AllowedValue("fast", URIRef("urn:clinkg:speed:fast")),
    AllowedValue("slow", URIRef("urn:clinkg:speed:slow")),
)


@dataclass(frozen=True)
class Finding:
    """One picked finding: its kind, how it reads, and the graph term it stands for."""

    kind: Kind
    label: str
    value: Term


@dataclass(frozen=True)
class FeatureEvidence:
    """A feature of a condition with the statements that state it."""

    iri: URIRef
    label: str
    evidence: tuple[Evidence, ...]


@dataclass(frozen=True)
class Verdict:
    """How one feature bears on one finding: it matches, or argues against (with what it states)."""

    finding: Finding
    feature: FeatureEvidence
    stated: str | None


@dataclass(frozen=True)
class Distinguishing:
    """A feature that sets a condition apart, and why it counts as distinguishing."""

    feature: FeatureEvidence
    why: tuple[str, ...]


@dataclass(frozen=True)
class RankedCondition:
    """A condition: the findings it matches, those against it, its distinguishing features."""

    iri: URIRef
    label: str
    matching: tuple[Verdict, ...]
    against: tuple[Verdict, ...]
    distinguishing: tuple[Distinguishing, ...]

    @property
    def matched_findings(self) -> int:
        """How many of the picked findings at least one feature matches."""
        return len({v.finding for v in self.matching})

    @property
    def contradicted_findings(self) -> int:
        """How many picked findings are argued against and matched by no feature."""
        matched = {v.finding for v in self.matching}
        return len({v.finding for v in self.against} - matched)

    @property
    def score(self) -> int:
        """Findings matched minus findings argued against."""
        return self.matched_findings - self.contradicted_findings

    def cell(self, finding: Finding) -> Cell:
        """How this condition bears on one finding: a match wins over an argument against."""
        matching = _bearing_on(finding, self.matching)
        if matching:
            return Cell(finding, "matches", matching)
        against = _bearing_on(finding, self.against)
        return Cell(finding, "against" if against else None, against)


def _bearing_on(finding: Finding, verdicts: Iterable[Verdict]) -> tuple[Verdict, ...]:
    """The verdicts on `finding`, one per feature."""
    return tuple({v.feature.iri: v for v in verdicts if v.finding == finding}.values())


@dataclass(frozen=True)
class Cell:
    """One cell of the differential matrix: a condition against one finding."""

    finding: Finding
    verdict: Literal["matches", "against"] | None  # None: the articles do not say
    verdicts: tuple[Verdict, ...]

    @property
    def sentences(self) -> int:
        """How many distinct statements support the cell."""
        return len({ev.statement for v in self.verdicts for ev in v.feature.evidence})


def finding_choices(store: Store, catalogue: Catalogue) -> dict[Kind, list[AllowedValue]]:
    """The values each kind of finding offers, from the graph (signs: qualities and HPO terms)."""
    choices: dict[Kind, list[AllowedValue]] = {}
    for kind in KINDS:
        if kind.source is not None:
            choices[kind.name] = allowed_values(store, catalogue, kind.source)
    choices["speed"] = list(SPEEDS)
    choices["sign"] = choices["quality"]
    return choices


def parse_findings(
    store: Store, catalogue: Catalogue, raw: Mapping[Kind, Iterable[str]]
) -> list[Finding]:
    """The picked findings, each value resolved (label, synonym or IRI); unknown ones refused."""
    choices = finding_choices(store, catalogue)
    findings: list[Finding] = []
    for kind in KINDS:
        for text in (t.strip() for t in raw.get(kind.name, ())):
            if not text:
                continue
            if kind.name == "sign":
                findings.append(Finding("sign", text, RDFLiteral(text)))
                continue
            param = Parameter(kind.name, kind.label, kind.source or kind.name)
            value = resolve_value(param, text, choices[kind.name])
            term: Term = RDFLiteral(value.label) if kind.name == "speed" else value.iri
            findings.append(Finding(kind.name, value.label, term))
    if not findings:
        raise QueryParameterError("findings", None, [k.label for k in KINDS])
    return list(dict.fromkeys(findings))


def rank_conditions(
    store: Store, catalogue: Catalogue, findings: list[Finding]
) -> list[RankedCondition]:
    """Conditions bearing on at least one finding, best first (score, then matches, then name)."""
    features: dict[URIRef, FeatureEvidence] = {}
    labels: dict[URIRef, str] = {}
    matching: dict[URIRef, list[Verdict]] = {}
    against: dict[URIRef, list[Verdict]] = {}
    for finding in findings:
        for row in _verdict_rows(store, catalogue, finding):
            condition, feature = URIRef(str(row["iri"])), URIRef(str(row["support"]))
            labels[condition] = str(row["label"])
            if feature not in features:
                features[feature] = _feature(store, catalogue, feature, row.get("featureLabel"))
            stated = row.get("statedLabel") or row.get("stated")
            verdict = Verdict(finding, features[feature], None if stated is None else str(stated))
            bucket = matching if str(row["verdict"]) == "matches" else against
            bucket.setdefault(condition, []).append(verdict)
    ranked = [
        RankedCondition(
            iri=condition,
            label=label,
            matching=tuple(matching.get(condition, ())),
            against=tuple(against.get(condition, ())),
            distinguishing=distinguishing_features(store, catalogue, condition, features),
        )
        for condition, label in labels.items()
    ]
    return sorted(ranked, key=lambda c: (-c.score, -c.matched_findings, c.label.casefold()))


def _verdict_rows(store: Store, catalogue: Catalogue, finding: Finding) -> list[Row]:
    if finding.kind == "sign":
        return store.select(catalogue.support("_differential-sign").sparql, {"sign": finding.value})
    kind = next(k for k in KINDS if k.name == finding.kind)
    assert kind.property is not None  # every kind but signs names its property
    query = catalogue.support("_differential-helper").sparql
    return store.select(query, {"property": kind.property, "value": finding.value})


def distinguishing_features(
    store: Store,
    catalogue: Catalogue,
    condition: URIRef,
    known: dict[URIRef, FeatureEvidence] | None = None,
) -> tuple[Distinguishing, ...]:
    """The features the articles single out for `condition`, or that no other condition has."""
    known = {} if known is None else known
    reasons: dict[URIRef, list[str]] = {}
    rows = store.select(
        catalogue.support("_distinguishing-features").sparql, {"condition": condition}
    )
    for row in rows:
        feature = URIRef(str(row["support"]))
        if feature not in known:
            known[feature] = _feature(store, catalogue, feature, row.get("featureLabel"))
        why = str(row["why"])
        if why not in reasons.setdefault(feature, []):
            reasons[feature].append(why)
    return tuple(Distinguishing(known[f], tuple(why)) for f, why in reasons.items())


def _feature(
    store: Store, catalogue: Catalogue, feature: URIRef, label: Term | None
) -> FeatureEvidence:
    rows = store.select(catalogue.support("_supporting-statements").sparql, {"fact": feature})
    statements = dict.fromkeys(URIRef(str(r["statement"])) for r in rows if r["statement"])
    evidence = tuple(statement_evidence(store, catalogue, s) for s in statements)
    return FeatureEvidence(feature, str(label) if label is not None else str(feature), evidence)
