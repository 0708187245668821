"""Why a graph the reasoner refuses cannot hold, in plain words.

HermiT says only "inconsistent". The clashes a wrong extraction makes are almost always one
individual in two disjoint classes (by its types, or by the domain and range of the properties
it takes part in) or two values of a functional property that cannot be the same; these are
found here by reading the graph, with the triples that cause them.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterator
from itertools import combinations

from rdflib import OWL, RDF, RDFS, SKOS, Graph, Literal, URIRef
from rdflib.term import Node

Reasons = dict[URIRef, list[str]]  # class -> why the individual would belong to it


def explain_inconsistency(graph: Graph) -> list[str]:
    """One sentence per clash found in the graph (ontology and data together)."""
    return [*disjoint_clashes(graph), *_functional_clashes(graph)]


def disjoint_clashes(graph: Graph, only: Collection[URIRef] | None = None) -> Iterator[str]:
    """One sentence per pair of disjoint classes an individual (of `only`, if given) is put in
    by its asserted types and the domains and ranges of its properties."""
    pairs = disjoint_pairs(graph)
    ancestors = _ancestor_map(graph)
    for individual, reasons in sorted(_class_reasons(graph).items()):
        if only is not None and individual not in only:
            continue
        closed: Reasons = defaultdict(list)
        for cls, why in reasons.items():
            for ancestor in ancestors.get(cls, {cls}):
                closed[ancestor].extend(w for w in why if w not in closed[ancestor])
        for first, second in sorted(pairs):
            if first in closed and second in closed:
                yield (
                    f"{name(graph, individual)} would be both a {name(graph, first)}"
                    f" ({'; '.join(sorted(closed[first]))}) and a {name(graph, second)}"
                    f" ({'; '.join(sorted(closed[second]))}), and the ontology declares these"
                    " classes disjoint"
                )


def disjoint_pairs(graph: Graph) -> set[tuple[URIRef, URIRef]]:
    """Named classes declared disjoint, each pair once (sorted)."""
    pairs: set[tuple[URIRef, URIRef]] = set()
    for group in graph.subjects(RDF.type, OWL.AllDisjointClasses):
        members = graph.value(group, OWL.members)
        named = [m for m in graph.items(members) if isinstance(m, URIRef)] if members else []
        pairs.update((a, b) if a < b else (b, a) for a, b in combinations(named, 2))
    for a, b in graph.subject_objects(OWL.disjointWith):
        if isinstance(a, URIRef) and isinstance(b, URIRef):
            pairs.add((a, b) if a < b else (b, a))
    return pairs


def _ancestor_map(graph: Graph) -> dict[URIRef, set[URIRef]]:
    """Each named class with itself and its named superclasses."""
    classes = {c for c in graph.subjects(RDF.type, OWL.Class) if isinstance(c, URIRef)}
    return {
        cls: {a for a in graph.transitive_objects(cls, RDFS.subClassOf) if isinstance(a, URIRef)}
        for cls in classes
    }


def _class_reasons(graph: Graph) -> dict[URIRef, Reasons]:
    """For every named individual, the named classes its triples put it in, and why."""
    found: dict[URIRef, Reasons] = defaultdict(lambda: defaultdict(list))
    domains = _named(graph, RDFS.domain)
    ranges = _named(graph, RDFS.range)
    schema = {c for c in graph.subjects(RDF.type, OWL.Class)}
    for subject, predicate, value in graph:
        if not isinstance(subject, URIRef) or subject in schema:
            continue
        if predicate == RDF.type and isinstance(value, URIRef) and value in schema:
            found[subject][value].append("it is typed so")
        if predicate in domains:
            why = f"it has {name(graph, predicate)} {name(graph, value)}"
            found[subject][domains[predicate]].append(why)
        if predicate in ranges and isinstance(value, URIRef):
            why = f"{name(graph, subject)} has it as {name(graph, predicate)}"
            found[value][ranges[predicate]].append(why)
    return found


def _named(graph: Graph, axiom: URIRef) -> dict[Node, URIRef]:
    """Properties with a named class as domain (or range)."""
    return {
        prop: cls
        for prop, cls in graph.subject_objects(axiom)
        if isinstance(cls, URIRef) and (cls, RDF.type, OWL.Class) in graph
    }


def _functional_clashes(graph: Graph) -> Iterator[str]:
    """Two values of a functional property that must be different things."""
    different = _declared_different(graph)
    for prop in sorted(graph.subjects(RDF.type, OWL.FunctionalProperty), key=str):
        for subject in sorted(set(graph.subjects(prop, None)), key=str):
            values = sorted(set(graph.objects(subject, prop)), key=str)
            for a, b in combinations(values, 2):
                if distinct(a, b, different):
                    yield functional_clash(graph, subject, prop, a, b)


def functional_clash(graph: Graph, subject: Node, prop: Node, a: Node, b: Node) -> str:
    """The sentence for two values of a functional property that cannot be one."""
    first, second = sorted((a, b), key=str)
    return (
        f"{name(graph, subject)} has both {name(graph, first)} and {name(graph, second)}"
        f" as its {name(graph, prop)}, which can have one value only"
    )


def _declared_different(graph: Graph) -> set[frozenset[Node]]:
    pairs: set[frozenset[Node]] = set()
    for group in graph.subjects(RDF.type, OWL.AllDifferent):
        members = graph.value(group, OWL.distinctMembers) or graph.value(group, OWL.members)
        if members is not None:
            pairs.update(frozenset(pair) for pair in combinations(graph.items(members), 2))
    return pairs


def distinct(a: Node, b: Node, different: set[frozenset[Node]]) -> bool:
    if isinstance(a, Literal) and isinstance(b, Literal):
        return not a.eq(b)
    return frozenset((a, b)) in different


def name(graph: Graph, node: Node) -> str:
    """A term as a reader knows it: its label in quotes, else its IRI or literal value."""
    if isinstance(node, Literal):
        return f'"{node}"'
    for predicate in (SKOS.prefLabel, RDFS.label):
        label = graph.value(node, predicate)
        if label is not None:
            return (
                f"'{label}'" if isinstance(node, URIRef) and _is_data(graph, node) else str(label)
            )
    return f"<{node}>"


def _is_data(graph: Graph, node: URIRef) -> bool:
    """Individuals are quoted; classes and properties are named bare ("a Condition")."""
    kinds = {OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty}
    return not any((node, RDF.type, kind) in graph for kind in kinds)
