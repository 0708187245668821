"""What a load did: per article its triples, counts, warnings and time; `render` for the CLI."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from rdflib import RDF, Graph, URIRef

from clinkg.library import LibraryEntry
from clinkg.ontology.namespaces import CKG

# The classes a reader checks a load by, with the plural the report prints.
COUNTED: tuple[tuple[str, URIRef], ...] = (
    ("conditions", CKG.Condition),
    ("features", CKG.ClinicalFeature),
    ("risk factors", CKG.RiskFactor),
    ("medications", CKG.Medication),
    ("treatments", CKG.Treatment),
    ("references", CKG.Reference),
    ("statements", CKG.Statement),
)


def class_counts(graph: Graph) -> dict[str, int]:
    """How many distinct nodes of each counted class the graph types."""
    return {name: len(set(graph.subjects(RDF.type, cls))) for name, cls in COUNTED}


@dataclass(frozen=True)
class ArticleReport:
    """One loaded article."""

    source: str
    graph: URIRef
    triples: int
    counts: Mapping[str, int]
    warnings: tuple[str, ...] = ()
    seconds: float = 0.0

    def render(self) -> str:
        """A line of counts, then one line per warning."""
        counts = ", ".join(f"{count} {name}" for name, count in self.counts.items())
        lines = [f"{self.source}: {self.triples} triples ({counts}) in {self.seconds:.2f} s"]
        lines.extend(f"  warning: {warning}" for warning in self.warnings)
        return "\n".join(lines)


@dataclass(frozen=True)
class ReasoningReport:
    """What OWL reasoning did in one load (None for `seconds` when it was switched off)."""

    seconds: float | None
    inferred_triples: int = 0
    inferred_types: int = 0
    inferred_links: int = 0
    members: Mapping[str, int] = field(default_factory=dict)  # defined class label -> count
    unsatisfiable: tuple[str, ...] = ()
    engine: str = "compiled rules"

    def render(self) -> str:
        """A line of totals, a line of defined-class members, and any unsatisfiable class."""
        if self.seconds is None:
            return "Reasoning: off; the inferred graph was emptied."
        lines = [
            f"Reasoning ({self.engine}): consistent, {self.inferred_triples} inferred triples"
            f" ({self.inferred_types} types, {self.inferred_links} links) in {self.seconds:.2f} s"
        ]
        members = ", ".join(f"{label} {count}" for label, count in self.members.items())
        lines.append(f"  defined classes: {members}")
        lines.extend(f"  warning: no individual can be a {name}" for name in self.unsatisfiable)
        return "\n".join(lines)


@dataclass(frozen=True)
class LoadReport:
    """Every article of one `load_articles` call, written to the store together."""

    articles: tuple[ArticleReport, ...]
    ontology_triples: int
    seconds: float
    store_triples: int | None = None
    notes: tuple[str, ...] = field(default_factory=tuple)
    reasoning: ReasoningReport | None = None

    @property
    def triples(self) -> int:
        """Triples written for the articles (the ontology graph not included)."""
        return sum(article.triples for article in self.articles)

    @property
    def warnings(self) -> tuple[str, ...]:
        """Every warning, prefixed with its file (unless it names the file already)."""
        return tuple(
            warning if warning.startswith(article.source) else f"{article.source}: {warning}"
            for article in self.articles
            for warning in article.warnings
        )

    def render(self) -> str:
        """The report as the CLI prints it."""
        head = (
            f"Loaded {len(self.articles)} article(s): {self.triples} triples"
            f" (+ {self.ontology_triples} ontology) in {self.seconds:.2f} s"
        )
        lines = [head, *(article.render() for article in self.articles)]
        if self.reasoning is not None:
            lines.append(self.reasoning.render())
        if self.store_triples is not None:
            lines.append(f"The store now holds {self.store_triples} triples.")
        lines.extend(self.notes)
        return "\n".join(lines)


@dataclass(frozen=True)
class RemoveReport:
    """Articles one `remove_articles` call took out of the store together."""

    removed: tuple[LibraryEntry, ...]
    seconds: float
    store_triples: int | None = None
    reasoning: ReasoningReport | None = None

    def render(self) -> str:
        """The report as the CLI prints it."""
        lines = [f"Removed {len(self.removed)} article(s) in {self.seconds:.2f} s"]
        lines.extend(
            f"{entry.id}: {entry.title} (from {entry.source}, {entry.triples} triples)"
            for entry in self.removed
        )
        if self.reasoning is not None:
            lines.append(self.reasoning.render())
        if self.store_triples is not None:
            lines.append(f"The store now holds {self.store_triples} triples.")
        return "\n".join(lines)
