"""OWL class expressions as SPARQL: the pattern an individual of the expression matches (the
sufficient side of an axiom), and the triples membership requires (the necessary side).

Every ontology triple read here is marked used, so that the compiler can refuse the rest.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from itertools import combinations, count
from typing import Literal as Kind

from rdflib import OWL, RDF, RDFS, XSD, Graph, Literal, URIRef, Variable
from rdflib.term import Node

from clinkg.errors import UnsupportedAxiom
from clinkg.loaders.reason import templates as t
from clinkg.loaders.reason.datatypes import compatible_datatypes
from clinkg.loaders.reason.templates import Fragment, fill

Key = tuple[Kind["type", "link"], URIRef]


def link_keys(props: Iterable[URIRef]) -> frozenset[Key]:
    """The keys of links by these properties (what a rule reads or writes)."""
    return frozenset(("link", p) for p in props)


def type_keys(classes: Iterable[URIRef]) -> frozenset[Key]:
    return frozenset(("type", c) for c in classes)


TYPED = "$node a $cls ."
LINK = "$s $prop $o ."
VALUE_TEST = "FILTER(datatype($v) IN ($types) && $v $op $bound)"
FACETS = {XSD.minInclusive: ">=", XSD.minExclusive: ">", XSD.maxInclusive: "<="}
FACETS[XSD.maxExclusive] = "<"
# The comparison operators, as the fragments a facet test is built from.
OPERATORS = {facet: Fragment(op) for facet, op in FACETS.items()}


@dataclass(frozen=True)
class Body:
    """A graph pattern and the type and link keys it reads."""

    fragment: Fragment
    reads: frozenset[Key]


@dataclass(frozen=True)
class Head:
    """One triple a rule inserts: `subject rdf:type class` or `subject property value`."""

    key: Key
    subject: Node
    value: Node
    name: str

    @staticmethod
    def of_type(cls: URIRef, var: Variable) -> Head:
        return Head(("type", cls), var, cls, f"a {cls.n3()}")


@dataclass
class ClassExpressions:
    """Reads class expressions of one ontology graph."""

    graph: Graph
    used: set[tuple[Node, Node, Node]] = field(default_factory=set)
    unions: list[tuple[URIRef, list[URIRef]]] = field(default_factory=list)
    _fresh: Iterator[int] = field(default_factory=lambda: count(1))

    def objects(self, subject: Node, predicate: URIRef) -> list[Node]:
        found = sorted(self.graph.objects(subject, predicate), key=lambda node: node.n3())
        self.used.update((subject, predicate, o) for o in found)
        return found

    def one(self, subject: Node, predicate: URIRef) -> Node | None:
        found = self.objects(subject, predicate)
        return found[0] if found else None

    def named_list(self, node: Node) -> list[URIRef]:
        items = self.items(node)
        if not all(isinstance(item, URIRef) for item in items):
            raise UnsupportedAxiom(f"a list of class or property expressions at {node.n3()}")
        return [URIRef(str(item)) for item in items]

    def items(self, node: Node) -> list[Node]:
        items: list[Node] = []
        while node != RDF.nil:
            first, rest = self.one(node, RDF.first), self.one(node, RDF.rest)
            if first is None or rest is None:
                raise UnsupportedAxiom(f"an RDF list that does not end in rdf:nil at {node.n3()}")
            items.append(first)
            node = rest
        return items

    def _declared(self, node: Node) -> None:
        for kind in (OWL.Class, OWL.Restriction, RDFS.Datatype):
            self.used.add((node, RDF.type, kind))

    def members(self, expr: Node) -> list[Node]:
        """The conjuncts of an expression (itself, unless an intersection)."""
        if isinstance(expr, URIRef):
            return [expr]
        self._declared(expr)
        conjuncts = self.one(expr, OWL.intersectionOf)
        if conjuncts is None:
            return [expr]
        return [m for item in self.items(conjuncts) for m in self.members(item)]

    def pattern(self, expr: Node, var: Variable) -> Body:
        """The graph pattern `var` matches when it is an individual of the expression."""
        parts: list[Fragment] = []
        reads: set[Key] = set()
        for member in self.members(expr):
            if isinstance(member, URIRef):
                parts.append(fill(TYPED, node=var, cls=member))
                reads.add(("type", member))
                continue
            prop, backwards = self._on_property(member)
            reads.add(("link", prop))
            value = self.one(member, OWL.hasValue)
            filler = self.one(member, OWL.someValuesFrom)
            if value is not None:
                parts.append(_link(var, prop, value, backwards))
            elif filler is not None:
                other = Variable(f"y{next(self._fresh)}")
                parts.append(_link(var, prop, other, backwards))
                inner = self._filler(filler, other)
                parts.append(inner.fragment)
                reads.update(inner.reads)
            else:
                raise UnsupportedAxiom(_unsupported(self.graph, member))
        return Body(t.join(parts), frozenset(reads))

    def _filler(self, filler: Node, var: Variable) -> Body:
        if (filler, OWL.onDatatype, None) in self.graph:
            return Body(self._datatype_test(filler, var), frozenset())
        return self.pattern(filler, var)

    def _datatype_test(self, datatype: Node, var: Variable) -> Fragment:
        base = self.one(datatype, OWL.onDatatype)
        facets = self.one(datatype, OWL.withRestrictions)
        if not isinstance(base, URIRef) or facets is None:
            raise UnsupportedAxiom(f"the datatype restriction {datatype.n3()}")
        types = t.join([fill("$d", d=d) for d in sorted(compatible_datatypes(base))], ", ")
        tests = []
        for facet_node in self.items(facets):
            for facet, bound in self.graph.predicate_objects(facet_node):
                if facet not in OPERATORS or not isinstance(bound, Literal):
                    raise UnsupportedAxiom(f"the datatype facet {facet.n3()}")
                self.used.add((facet_node, facet, bound))
                op = OPERATORS[URIRef(str(facet))]
                tests.append(fill(VALUE_TEST, v=var, types=types, op=op, bound=bound))
        return t.join(tests)

    def _on_property(self, restriction: Node) -> tuple[URIRef, bool]:
        prop = self.one(restriction, OWL.onProperty)
        if isinstance(prop, URIRef):
            return prop, False
        inverse = self.one(prop, OWL.inverseOf) if prop is not None else None
        if isinstance(inverse, URIRef):
            return inverse, True
        raise UnsupportedAxiom(_unsupported(self.graph, restriction))

    def heads(self, expr: Node, var: Variable, notes: list[str]) -> Iterator[Head]:
        """The triples an individual of the expression must have (the axiom's necessary side);
        an existential's unnamed witness is noted, not made."""
        for member in self.members(expr):
            if isinstance(member, URIRef):
                yield Head.of_type(member, var)
                continue
            prop, backwards = self._on_property(member)
            value = self.one(member, OWL.hasValue)
            if value is not None:
                subject, obj = (value, var) if backwards else (var, value)
                yield Head(("link", prop), subject, obj, f"{prop.n3()} {value.n3()}")
            elif self.one(member, OWL.someValuesFrom) is not None:
                notes.append(f"the unnamed {prop.n3()} value a member of {expr.n3()} must have")
            else:
                raise UnsupportedAxiom(_unsupported(self.graph, member))

    def domain_classes(self, domain: Node, prop: URIRef) -> list[URIRef]:
        """The named classes a subject of `prop` is in: the domain, or what the members of a
        union domain have in common (the union itself is checked, see union_domain_clashes)."""
        if isinstance(domain, URIRef):
            return [domain]
        self._declared(domain)
        union = self.one(domain, OWL.unionOf)
        if union is None:
            raise UnsupportedAxiom(
                f"the rdfs:domain of {prop.n3()}: {_unsupported(self.graph, domain)}"
            )
        members = self.named_list(union)
        self.unions.append((prop, members))
        common = set.intersection(*(self.ancestors(m) for m in members))
        return sorted(common)

    def ancestors(self, cls: URIRef) -> set[URIRef]:
        """The class and its named superclasses (told)."""
        found = {a for a in self.graph.transitive_objects(cls, RDFS.subClassOf)}
        return {a for a in found if isinstance(a, URIRef)}

    def disjoint_pairs(self) -> set[tuple[URIRef, URIRef]]:
        pairs: set[tuple[URIRef, URIRef]] = set()
        for group in sorted(self.graph.subjects(RDF.type, OWL.AllDisjointClasses), key=str):
            self.used.add((group, RDF.type, OWL.AllDisjointClasses))
            named = self.named_list(self.one(group, OWL.members) or RDF.nil)
            pairs.update((a, b) if a < b else (b, a) for a, b in combinations(named, 2))
        for a, b in self.graph.subject_objects(OWL.disjointWith):
            self.used.add((a, OWL.disjointWith, b))
            if not isinstance(a, URIRef) or not isinstance(b, URIRef):
                raise UnsupportedAxiom(f"owl:disjointWith between {a.n3()} and {b.n3()}")
            pairs.add((a, b) if a < b else (b, a))
        return pairs

    def union_domain_clashes(
        self, pairs: list[tuple[URIRef, URIRef]]
    ) -> list[tuple[URIRef, URIRef]]:
        """(property, class) where the class is disjoint with every member of the property's
        union domain: a subject of the property in that class makes the graph inconsistent."""
        return [
            (prop, cls)
            for prop, members in self.unions
            for cls in self._declared_disjoint(pairs)
            if all(self._disjoint(cls, m, pairs) for m in members)
        ]

    def elimination_rules(self) -> Iterator[tuple[URIRef, URIRef, URIRef]]:
        """(property, excluded class, remaining member): a subject of the
        property in a class disjoint with all members but one is in that one."""
        pairs = sorted(self.disjoint_pairs())
        for prop, members in self.unions:
            for cls in self._declared_disjoint(pairs):
                left = [m for m in members if not self._disjoint(cls, m, pairs)]
                if len(left) == 1 and len(members) > 1 and left[0] not in self.ancestors(cls):
                    yield prop, cls, left[0]

    def _declared_disjoint(self, pairs: list[tuple[URIRef, URIRef]]) -> list[URIRef]:
        return sorted({c for pair in pairs for c in pair})

    def _disjoint(self, a: URIRef, b: URIRef, pairs: list[tuple[URIRef, URIRef]]) -> bool:
        ups_a, ups_b = self.ancestors(a), self.ancestors(b)
        return any((x in ups_a and y in ups_b) or (y in ups_a and x in ups_b) for x, y in pairs)


def _link(var: Variable, prop: URIRef, other: Node, backwards: bool) -> Fragment:
    return (
        fill(LINK, s=other, prop=prop, o=var)
        if backwards
        else fill(LINK, s=var, prop=prop, o=other)
    )


def _unsupported(graph: Graph, node: Node) -> str:
    constructs = sorted(
        graph.namespace_manager.normalizeUri(str(p))
        for p in set(graph.predicates(node, None))
        if str(p).startswith(str(OWL)) and p not in {OWL.onProperty}
    )
    used = ", ".join(constructs) or "no construct it knows"
    return f"the class expression {node.n3()} uses {used}, which the rule compiler does not cover"
