"""The SHACL shapes of `ontology/shapes.ttl` compiled to one SELECT per constraint.

Each query answers the focus nodes that break one constraint (`?this`) and the offending value
(`?value`, unbound for a count): run in Oxigraph over the article graph and the ontology, it
finds what pyshacl finds, in a fraction of the time (`tests/test_validate.py` compares the two).
Covered: `sh:targetClass`, `sh:targetSubjectsOf`, property shapes on an IRI or an
`sh:inversePath`, `sh:minCount`, `sh:maxCount`, `sh:datatype`, `sh:class`, `sh:in`,
`sh:minExclusive`, and node-level `sh:sparql` SELECT constraints. Any other SHACL term stops
the compiler with its name, so a new shape is never silently skipped. Query text is made from
the shapes' own terms, each written by its `.n3()`.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache

from rdflib import RDF, SH, Graph
from rdflib.collection import Collection
from rdflib.term import Node

# What the compiler reads; any other sh: predicate in the shapes is refused.
COVERED = {
    SH[name]
    for name in (
        *("class", "datatype", "declare", "in", "inversePath", "maxCount", "message"),
        *("minCount", "minExclusive", "namespace", "path", "prefix", "prefixes", "property"),
        *("select", "sparql", "targetClass", "targetSubjectsOf"),
    )
}
INSTANCE = "a/<http://www.w3.org/2000/01/rdf-schema#subClassOf>*"


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


def _focus(shapes: Graph, shape: Node) -> str:
    """A group pattern binding ?this to each focus node of the shape."""
    parts = [
        f"{{ ?this {INSTANCE} {target.n3()} }}" for target in shapes.objects(shape, SH.targetClass)
    ]
    parts += [
        f"{{ ?this {predicate.n3()} [] }}"
        for predicate in shapes.objects(shape, SH.targetSubjectsOf)
    ]
    if not parts:
        raise UnsupportedShape(f"shape {shape} has no sh:targetClass or sh:targetSubjectsOf")
    return "{ SELECT DISTINCT ?this WHERE { " + " UNION ".join(parts) + " } }"


def _property_checks(shapes: Graph, focus: str, prop: Node) -> Iterator[Check]:
    path = shapes.value(prop, SH.path)
    if path is None:
        raise UnsupportedShape(f"property shape {prop} has no sh:path")
    inverse = shapes.value(path, SH.inversePath)
    step = f"?value {inverse.n3()} ?this" if inverse is not None else f"?this {path.n3()} ?value"
    message = str(shapes.value(prop, SH.message) or "breaks a shape")
    result_path = path

    def check(body: str) -> Check:
        return Check(f"SELECT ?this ?value WHERE {{ {focus} {body} }}", message, result_path)

    def counted(having: str) -> Check:
        query = (
            f"SELECT ?this WHERE {{ {focus} OPTIONAL {{ {step} }} }}"
            f" GROUP BY ?this HAVING (COUNT(DISTINCT ?value) {having})"
        )
        return Check(query, message, result_path, has_value=False)

    if (low := shapes.value(prop, SH.minCount)) is not None:
        yield counted(f"< {int(str(low))}")
    if (high := shapes.value(prop, SH.maxCount)) is not None:
        yield counted(f"> {int(str(high))}")
    if (datatype := shapes.value(prop, SH.datatype)) is not None:
        wrong = f"!isLiteral(?value) || datatype(?value) != {datatype.n3()}"
        yield check(f"{step} FILTER({wrong})")
    if (cls := shapes.value(prop, SH["class"])) is not None:
        yield check(f"{step} FILTER NOT EXISTS {{ ?value {INSTANCE} {cls.n3()} }}")
    if (allowed := shapes.value(prop, SH["in"])) is not None:
        values = " ".join(node.n3() for node in Collection(shapes, allowed))
        same = f"VALUES ?allowed {{ {values} }} FILTER(sameTerm(?value, ?allowed))"
        yield check(f"{step} FILTER NOT EXISTS {{ {same} }}")
    if (bound := shapes.value(prop, SH.minExclusive)) is not None:
        yield check(f"{step} FILTER(!COALESCE(?value > {bound.n3()}, false))")


def _sparql_check(shapes: Graph, focus: str, constraint: Node) -> Check:
    """A SPARQL-based constraint: its SELECT, with $this bound to each focus node, under the
    prefixes its sh:prefixes declare."""
    select = str(shapes.value(constraint, SH.select))
    prefixes = [
        f"PREFIX {shapes.value(declared, SH.prefix)}: <{shapes.value(declared, SH.namespace)}>"
        for source in shapes.objects(constraint, SH.prefixes)
        for declared in shapes.objects(source, SH.declare)
    ]
    inner = select.replace("$this", "?this")
    query = "\n".join((*prefixes, f"SELECT ?this ?value WHERE {{ {focus} {{ {inner} }} }}"))
    message = shapes.value(constraint, SH.message)
    return Check(query, str(message or "breaks a shape"), None)


def message_for(check: Check, value: Node | None) -> str:
    """The check's message with `{?value}` filled in."""
    return check.message.replace("{?value}", str(value) if value is not None else "")
