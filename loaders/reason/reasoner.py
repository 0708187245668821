"""HermiT (run by owlready2), the oracle of the compiled rules: it checks that the ontology (and,
with `clinkg load --audit`, the article graphs) is consistent, classifies individuals into the
defined classes, and entails the types and links the inferred graph holds. Loads use the
compiled rules (rules.py), which tests/test_reasoning_oracle.py holds equal to it.

Pure apart from the Java process owlready2 starts. Never run at serve time.
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import owlready2
import owlready2.reasoning
from rdflib import OWL, RDF, Graph, Literal, URIRef
from rdflib.term import Node

from clinkg.errors import InconsistentGraph, ReasonerUnavailable
from clinkg.loaders.reason.datatypes import OWL2_DATATYPES
from clinkg.loaders.reason.inconsistency import explain_inconsistency
from clinkg.loaders.reason.inference import Inference, individuals, kept, members
from clinkg.ontology.namespaces import CKG

JAVA_PACKAGE = "default-jre-headless"
QUICK_JVM_OPTIONS = "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC"
LARGE_INPUT = 20_000  # triples from which HermiT's run is long enough for the full JIT
PROPERTY_CLASSIFICATION = frozenset({"-O", "-D"})


def reason(asserted: Graph, ontology: Graph) -> Inference:
    """Classify the asserted graph under the ontology with HermiT; InconsistentGraph if it
    cannot hold, ReasonerUnavailable if Java (and so HermiT) cannot run."""
    started = time.perf_counter()
    whole = asserted + ontology
    world = _world(reasoner_input(whole))
    try:
        _run_hermit(world, whole)
        inferred = Graph()
        inferred.bind("ckg", CKG._NS)
        types = _add_all(inferred, _inferred_types(world, whole))
        links = _add_all(inferred, _inferred_links(world, whole))
        unsatisfiable = _unsatisfiable(world)
    finally:
        world.close()
    return Inference(
        triples=frozenset(inferred),
        seconds=time.perf_counter() - started,
        members=members(ontology, (whole, inferred)),
        inferred_types=types,
        inferred_links=links,
        unsatisfiable=unsatisfiable,
    )


def reasoner_input(graph: Graph) -> Graph:
    """The graph as HermiT should see it: no annotation assertions (labels, text, mappings carry
    no logical meaning and only slow it down) and no literals outside the OWL 2 datatype map."""
    annotations = set(graph.subjects(RDF.type, OWL.AnnotationProperty))
    kept = Graph()
    for triple in graph:
        predicate, value = triple[1], triple[2]
        if predicate in annotations and (predicate, RDF.type, OWL.AnnotationProperty) != triple:
            continue
        if isinstance(value, Literal) and value.datatype and value.datatype not in OWL2_DATATYPES:
            continue
        kept.add(triple)
    return kept


def _world(graph: Graph) -> owlready2.World:
    """A fresh owlready2 world (its own in-memory quadstore) holding the graph."""
    world = owlready2.World()
    data = graph.serialize(format="nt", encoding="utf-8")
    world.get_ontology("https://w3id.org/clinkg/graph/reasoner-input").load(
        fileobj=io.BytesIO(data), format="ntriples"
    )
    return world


def _run_hermit(world: owlready2.World, whole: Graph) -> None:
    """Classify the world in place; the errors say what went wrong in plain words."""
    java = shutil.which(owlready2.JAVA_EXE)
    if java is None:
        raise ReasonerUnavailable(
            f"reasoning needs HermiT, which needs Java, and '{owlready2.JAVA_EXE}' is not on the"
            f" PATH: install a Java runtime (Debian/Ubuntu: apt-get install {JAVA_PACKAGE})"
        )
    try:
        with _jvm_options(len(whole)), _without_property_classification():
            owlready2.sync_reasoner_hermit(world, infer_property_values=True, debug=0)
    except owlready2.OwlReadyInconsistentOntologyError as error:
        reasons = explain_inconsistency(whole)
        raise InconsistentGraph(reasons, hermit=str(error) or "Inconsistent ontology") from error
    except (owlready2.OwlReadyJavaError, OSError) as error:
        raise ReasonerUnavailable(f"HermiT could not run: {error}") from error


@contextmanager
def _jvm_options(triples: int) -> Iterator[None]:
    """JVM flags for HermiT's run, chosen by the input's size.

    A small graph is reasoned in a second or two, where the optimising compiler costs more than
    it saves (measured: 1.5 s -> 1.0 s per bundled article); a large one runs long enough for
    it to pay (4 copies of both articles: 10.3 s quick, 8.7 s with it).
    """
    options = QUICK_JVM_OPTIONS if triples < LARGE_INPUT else "-XX:+UseSerialGC"
    previous = os.environ.get("JAVA_TOOL_OPTIONS")
    os.environ["JAVA_TOOL_OPTIONS"] = f"{previous or ''} {options}".strip()
    try:
        yield
    finally:
        if previous is None:
            del os.environ["JAVA_TOOL_OPTIONS"]
        else:
            os.environ["JAVA_TOOL_OPTIONS"] = previous


class _HermitCommand:
    """Stands in for `subprocess` inside owlready2's HermiT call and drops `-O -D`.

    owlready2 always asks HermiT to classify object and data properties, which clinkg never
    reads (it keeps individuals' types and property values): on four copies of both articles
    that doubles the run (22.4 s -> 10.3 s without). Everything else passes through unchanged.
    """

    def __getattr__(self, name: str) -> Any:
        return getattr(subprocess, name)

    @staticmethod
    def check_output(command: list[str], *args: Any, **kwargs: Any) -> Any:
        kept = [part for part in command if part not in PROPERTY_CLASSIFICATION]
        return subprocess.check_output(kept, *args, **kwargs)


@contextmanager
def _without_property_classification() -> Iterator[None]:
    module = owlready2.reasoning
    original = module.subprocess
    module.subprocess = _HermitCommand()
    try:
        yield
    finally:
        module.subprocess = original


def _inferred_types(world: owlready2.World, whole: Graph) -> Iterator[tuple[Node, Node, Node]]:
    """rdf:type triples of named individuals in kept named classes, not asserted."""
    for subject in sorted(individuals(whole)):
        individual = world[str(subject)]
        if not isinstance(individual, owlready2.Thing):
            continue
        for cls in individual.INDIRECT_is_a:
            if not isinstance(cls, owlready2.ThingClass) or not kept(cls.iri):
                continue
            triple = (subject, RDF.type, URIRef(cls.iri))
            if triple not in whole:
                yield triple


def _inferred_links(world: owlready2.World, whole: Graph) -> Iterator[tuple[Node, Node, Node]]:
    """Object-property links between named individuals that HermiT entailed, not asserted."""
    for prop in world.object_properties():
        if not kept(prop.iri):
            continue
        predicate = URIRef(prop.iri)
        for subject, value in prop.get_relations():
            if not hasattr(subject, "iri") or not hasattr(value, "iri"):
                continue
            triple = (URIRef(subject.iri), predicate, URIRef(value.iri))
            if triple not in whole:
                yield triple


def _add_all(graph: Graph, triples: Iterator[tuple[Node, Node, Node]]) -> int:
    before = len(graph)
    for triple in triples:
        graph.add(triple)
    return len(graph) - before


def _unsatisfiable(world: owlready2.World) -> tuple[URIRef, ...]:
    """Kept classes no individual can belong to: a fault of the ontology, shown in the report."""
    return tuple(sorted(URIRef(cls.iri) for cls in world.inconsistent_classes() if kept(cls.iri)))
