"""The qualifier vocabulary (`ontology/vocabulary.ttl`) read into text matchers.

Each SKOS concept is found in text by its prefLabel, altLabels and hiddenLabels (cue phrases);
a " … " in a label is a short gap of words. Body sites keep their `ckg:partOf` partonomy,
triggers their `skos:broader` triggers.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Final

from rdflib import RDF, Graph, Namespace, URIRef
from rdflib.namespace import SKOS

from clinkg.ontology import ONTOLOGY_DIR

VOCABULARY_FILE: Final[Path] = ONTOLOGY_DIR / "vocabulary.ttl"
CKG_NS: Final[Namespace] = Namespace("https://w3id.org/clinkg/ontology#")
SYNONYM_SCHEME: Final[URIRef] = CKG_NS["ConditionSynonymSets"]
# Treatment wordings are cue concepts, not qualifiers: they are read by their scheme.
TREATMENT_WORDING_SCHEME: Final[URIRef] = CKG_NS["TreatmentWordings"]
QUALIFIER_KINDS: Final[tuple[str, ...]] = (
    "BodySite",
    "Trigger",
    "Relief",
    "Quality",
    "RecommendationStatus",
    "FeatureCue",
    "RiskWording",
    "Demographic",
    "TreatmentWording",
)
_GAP: Final[str] = r"(?:\s+[\w'-]+){0,4}?\s+"


@dataclass(frozen=True)
class Concept:
    """A qualifier concept: its local name, the kinds it is, and the words that name it."""

    name: str
    kinds: frozenset[str]
    label: str
    names: tuple[str, ...]  # prefLabel, altLabels and hiddenLabels
    part_of: tuple[str, ...] = ()
    broader: tuple[str, ...] = ()
    implies: str | None = None  # a treatment wording's default status (skos:related)


@dataclass(frozen=True)
class ConceptMatch:
    """A concept found in a text, with the words that named it and their span."""

    concept: str
    text: str
    start: int
    end: int


def phrase_pattern(names: Iterable[str]) -> re.Pattern[str]:
    """One case-insensitive pattern for whole-word phrases, longest first; "…" is a short gap."""
    parts = []
    for name in sorted(set(names), key=len, reverse=True):
        pieces = [re.escape(p.strip()).replace(r"\ ", r"\s+") for p in name.split("…")]
        parts.append(_GAP.join(pieces))
    return re.compile(r"(?<![\w-])(?:" + "|".join(parts) + r")(?![\w-])", re.IGNORECASE)


class Vocabulary:
    """Qualifier concepts by kind, with matchers and the body-site partonomy."""

    def __init__(self, concepts: Iterable[Concept], synonym_sets: Iterable[tuple[str, ...]]):
        self.concepts: dict[str, Concept] = {c.name: c for c in concepts}
        self.synonym_sets: tuple[tuple[str, ...], ...] = tuple(synonym_sets)
        self._patterns: dict[str, tuple[re.Pattern[str], dict[str, str]]] = {}
        for kind in QUALIFIER_KINDS:
            members = [c for c in self.concepts.values() if kind in c.kinds]
            by_name = {n.lower(): c.name for c in members for n in c.names}
            if by_name:
                self._patterns[kind] = (phrase_pattern(by_name), by_name)

    def find(self, text: str, kind: str) -> list[ConceptMatch]:
        """Concepts of one kind named in a text, leftmost-longest, without overlaps."""
        if kind not in self._patterns:
            return []
        pattern, by_name = self._patterns[kind]
        found = []
        for match in pattern.finditer(text):
            name = self._concept_of(match.group(0), by_name)
            if name is not None:
                found.append(ConceptMatch(name, match.group(0), match.start(), match.end()))
        return found

    @staticmethod
    def _concept_of(words: str, by_name: dict[str, str]) -> str | None:
        folded = " ".join(words.lower().split())
        if folded in by_name:
            return by_name[folded]
        for name, concept in by_name.items():
            if "…" in name and phrase_pattern([name]).fullmatch(folded):
                return concept
        return None

    def ancestors(self, name: str) -> set[str]:
        """Every site a body site is part of, transitively (not itself)."""
        seen: set[str] = set()
        todo = list(self.concepts[name].part_of) if name in self.concepts else []
        while todo:
            parent = todo.pop()
            if parent not in seen:
                seen.add(parent)
                todo.extend(self.concepts[parent].part_of if parent in self.concepts else ())
        return seen

    def broader(self, name: str) -> set[str]:
        """Every concept a concept is a kind of, through skos:broader, transitively (not itself)."""
        seen: set[str] = set()
        todo = list(self.concepts[name].broader) if name in self.concepts else []
        while todo:
            parent = todo.pop()
            if parent not in seen:
                seen.add(parent)
                todo.extend(self.concepts[parent].broader if parent in self.concepts else ())
        return seen

    def within(self, site: str, region: str) -> bool:
        """True when a body site is the region or part of it."""
        return site == region or region in self.ancestors(site)

    def names_of(self, kind: str) -> list[str]:
        """Local names of the concepts of one kind, sorted."""
        return sorted(c.name for c in self.concepts.values() if kind in c.kinds)


def _literals(graph: Graph, subject: URIRef, predicate: URIRef) -> list[str]:
    return sorted(str(o) for o in graph.objects(subject, predicate))


def _local_names(objects: Iterable[object]) -> tuple[str, ...]:
    return tuple(sorted(str(o).removeprefix(str(CKG_NS)) for o in objects))


def read_vocabulary(graph: Graph) -> Vocabulary:
    """A Vocabulary from the SKOS concepts of a graph shaped like vocabulary.ttl."""
    concepts = []
    kinds_of = {CKG_NS[k]: k for k in QUALIFIER_KINDS}
    subjects = {s for s in graph.subjects(RDF.type, SKOS.Concept) if isinstance(s, URIRef)}
    for subject in sorted(subjects):
        if not str(subject).startswith(str(CKG_NS)):
            continue
        types = [t for t in graph.objects(subject, RDF.type) if isinstance(t, URIRef)]
        kinds = frozenset(kinds_of[t] for t in types if t in kinds_of)
        if (subject, SKOS.inScheme, TREATMENT_WORDING_SCHEME) in graph:
            kinds |= {"TreatmentWording"}
        if not kinds:
            continue
        pref = _literals(graph, subject, SKOS.prefLabel)
        names = pref + _literals(graph, subject, SKOS.altLabel)
        names += _literals(graph, subject, SKOS.hiddenLabel)
        parts = _local_names(graph.objects(subject, CKG_NS["partOf"]))
        broader = _local_names(graph.objects(subject, SKOS.broader))
        local = str(subject).removeprefix(str(CKG_NS))
        related = _local_names(graph.objects(subject, SKOS.related))
        label = pref[0] if pref else local
        implies = min(related) if related else None
        concepts.append(Concept(local, kinds, label, tuple(names), parts, broader, implies))
    members = [s for s in graph.subjects(SKOS.inScheme, SYNONYM_SCHEME) if isinstance(s, URIRef)]
    synonym_sets = [
        tuple(_literals(graph, s, SKOS.prefLabel) + _literals(graph, s, SKOS.altLabel))
        for s in sorted(members)
    ]
    return Vocabulary(concepts, synonym_sets)


@cache
def vocabulary_graph(path: Path = VOCABULARY_FILE) -> Graph:
    """The vocabulary file parsed once per process, for every stage that reads its cues (read
    only: callers never add to it)."""
    return Graph().parse(path, format="turtle")


@cache
def load_vocabulary(path: Path = VOCABULARY_FILE) -> Vocabulary:
    """The qualifier vocabulary, read once per process."""
    return read_vocabulary(vocabulary_graph(path))
