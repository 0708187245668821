"""The SHACL shapes of `ontology/shapes.ttl` compiled to one SELECT per constraint.

Each query answers the focus nodes that break one constraint (`?this`) and the offending value
(`?value`, unbound for a count): run in Oxigraph over the article graph and the ontology, it
finds what pyshacl finds, in a fraction of the time (`tests/test_validate.py` compares the two).
Covered: `sh:targetClass`, `sh:targetSubjectsOf`, property shapes on an IRI or an
`sh:inversePath`, `sh:minCount`, `sh:maxCount`, `sh:datatype`, `sh:class`, `sh:in`,
`sh:minExclusive`, and node-level `sh:sparql` SELECT constraints. Any other SHACL term stops
the compiler with its name, so a new shape is never silently skipped. Query text is made by
filling templates with the shapes' own terms (`loaders/reason/templates.py`, as the rules are).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache

from rdflib import RDF, SH, Graph
from rdflib.collection import Collection
from rdflib.term import Node, URIRef

from clinkg.loaders.reason.templates import Fragment, Slot, fill, join

# What the compiler reads; any other sh: predicate in the shapes is refused.
COVERED = {
    SH[name]
    for name in (
        *("class", "datatype", "declare", "in", "inversePath", "maxCount", "message"),
        *("minCount", "minExclusive", "namespace", "path", "prefix", "prefixes", "property"),
        *("select", "sparql", "targetClass", "targetSubjectsOf"),
    )
}


class UnsupportedShape(ValueError):
    """The shapes use a SHACL construct the compiler does not translate."""


@dataclass(frozen=True)
class Check:
    """One constraint as a SELECT of ?this (the focus node) and ?value (the offending value,
    if any), with the message and path a violation line prints."""

    query: str
    message: str
    path: Node | None
    has_value: bool = True


@cache
def compiled_checks(shapes: Graph) -> tuple[Check, ...]:
    """Every constraint of the shapes graph as a check."""
    unknown = {p for p in shapes.predicates() if str(p).startswith(str(SH)) and p not in COVERED}
    if unknown:
        names = ", ".join(sorted(p.n3(shapes.namespace_manager) for p in unknown))
        raise UnsupportedShape(f"shapes.ttl uses SHACL terms the validator does not cover: {names}")
    checks: list[Check] = []
    for shape in sorted(set(shapes.subjects(RDF.type, SH.NodeShape)), key=str):
        focus = _focus(shapes, shape)
        for prop in shapes.objects(shape, SH.property):
            checks.extend(_property_checks(shapes, focus, prop))
        for constraint in shapes.objects(shape, SH.sparql):
            checks.append(_sparql_check(shapes, focus, constraint))
    return tuple(checks)


_INSTANCE_OF = "{ ?this a/<http://www.w3.org/2000/01/rdf-schema#subClassOf>* $target }"
_SUBJECT_OF = "{ ?this $predicate [] }"
_FOCUS = "{ SELECT DISTINCT ?this WHERE { $targets } }"
_FORWARD, _INVERSE = "?this $path ?value", "?value $path ?this"
_OFFENDING = "SELECT ?this ?value WHERE { $focus $step $test }"
_COUNTED = "SELECT ?this WHERE { $focus OPTIONAL { $step } } GROUP BY ?this HAVING ($test)"
_TESTS = {
    SH.minCount: "COUNT(DISTINCT ?value) < $bound",
    SH.maxCount: "COUNT(DISTINCT ?value) > $bound",
    SH.datatype: "FILTER(!isLiteral(?value) || datatype(?value) != $bound)",
    # MINUS, not FILTER NOT EXISTS: the same rows here (?value is always bound), but Oxigraph
    # evaluates the instance path once instead of once per row (which grew with the graph).
    SH["class"]: "MINUS { ?value a/<http://www.w3.org/2000/01/rdf-schema#subClassOf>* $bound }",
    SH["in"]: "FILTER NOT EXISTS { VALUES ?allowed { $bound } FILTER(sameTerm(?value, ?allowed)) }",
    SH.minExclusive: "FILTER(!COALESCE(?value > $bound, false))",
}
_SPARQL = "$prefixes\nSELECT ?this ?value WHERE { $focus { $select } }"


def _focus(shapes: Graph, shape: Node) -> Fragment:
    """A group pattern binding ?this to each focus node of the shape."""
    parts = [fill(_INSTANCE_OF, target=t) for t in shapes.objects(shape, SH.targetClass)]
    parts += [fill(_SUBJECT_OF, predicate=p) for p in shapes.objects(shape, SH.targetSubjectsOf)]
    if not parts:
        raise UnsupportedShape(f"shape {shape} has no sh:targetClass or sh:targetSubjectsOf")
    return fill(_FOCUS, targets=join(parts, " UNION "))


def _property_checks(shapes: Graph, focus: Fragment, prop: Node) -> Iterator[Check]:
    path = shapes.value(prop, SH.path)
    if path is None:
        raise UnsupportedShape(f"property shape {prop} has no sh:path")
    inverse = shapes.value(path, SH.inversePath)
    step = fill(_INVERSE, path=inverse) if inverse is not None else fill(_FORWARD, path=path)
    message = str(shapes.value(prop, SH.message) or "breaks a shape")
    for component, test in _TESTS.items():
        bound = shapes.value(prop, component)
        if bound is None:
            continue
        slot: Slot = list(Collection(shapes, bound)) if component == SH["in"] else bound
        filled = fill(test, bound=slot)
        if component in (SH.minCount, SH.maxCount):
            query = fill(_COUNTED, focus=focus, step=step, test=filled)
            yield Check(query, message, path, has_value=False)
        else:
            yield Check(fill(_OFFENDING, focus=focus, step=step, test=filled), message, path)


def _sparql_check(shapes: Graph, focus: Fragment, constraint: Node) -> Check:
    """A SPARQL-based constraint: its SELECT, with $this bound to each focus node, under the
    prefixes its sh:prefixes declare (the shapes file's own text, not a template's slots)."""
    select = str(shapes.value(constraint, SH.select)).replace("$this", "?this")
    prefixes = [
        Fragment(
            f"PREFIX {shapes.value(d, SH.prefix)}: "
            + URIRef(str(shapes.value(d, SH.namespace))).n3()
        )
        for source in shapes.objects(constraint, SH.prefixes)
        for d in shapes.objects(source, SH.declare)
    ]
    query = fill(_SPARQL, prefixes=join(prefixes, "\n"), focus=focus, select=Fragment(select))
    message = shapes.value(constraint, SH.message)
    return Check(query, str(message or "breaks a shape"), None)


def message_for(check: Check, value: Node | None) -> str:
    """The check's message with `{?value}` filled in."""
    return check.message.replace("{?value}", str(value) if value is not None else "")
