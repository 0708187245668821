"""The ontology compiled to rules: each OWL axiom the loader relies on becomes a SPARQL update
(run to a fixpoint by `rules.py`) or a SELECT check whose rows are a refusal.

Covered: subClassOf, equivalentClass to a named class or an intersection of named classes,
hasValue and someValuesFrom restrictions (on a property or its inverse; a named filler or a
datatype restriction with min/max facets), domain (named or a union of named classes), named
range, datatype range, inverseOf, TransitiveProperty, propertyChainAxiom, subPropertyOf,
FunctionalProperty, disjointWith, AllDisjointClasses, AllDifferent. Any other OWL or RDFS
construct in the ontology stops compilation with its name (`UnsupportedAxiom`), so a new
axiom is never silently ignored.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from itertools import combinations

from rdflib import OWL, RDF, RDFS, Graph, URIRef, Variable
from rdflib.term import Node

from clinkg.errors import UnsupportedAxiom
from clinkg.loaders.reason import templates as t
from clinkg.loaders.reason.datatypes import OWL2_DATATYPES, compatible_datatypes
from clinkg.loaders.reason.expressions import ClassExpressions, Head, Key, link_keys, type_keys
from clinkg.loaders.reason.inference import defined_classes
from clinkg.loaders.reason.schedule import strata
from clinkg.loaders.reason.templates import Fragment, Slot, fill

X, Y = Variable("x"), Variable("y")
DECLARATIONS = frozenset(
    {OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty}
    | {OWL.Ontology, OWL.NamedIndividual}
)
STRUCTURAL = frozenset({RDFS.subClassOf, RDFS.subPropertyOf, RDFS.domain, RDFS.range})
STRUCTURAL |= {RDF.first, RDF.rest}
ANNOTATION_LIKE = frozenset({OWL.versionInfo})

# Each rule inserts only what is not there yet (MINUS: one anti-join, cheaper in Oxigraph than
# FILTER NOT EXISTS, which probes the store once per solution), into the default graph (what
# rules and checks read) and into DERIVED (what the rules added: the read-out's candidates);
# its ASK (the same pattern) says whether a run would add anything, so that a rule whose run
# would add nothing is not run and wakes no other rule.
DERIVED = URIRef("urn:clinkg:reasoning:derived")
INSERT_TYPE = (
    "INSERT { ?x a $cls . GRAPH $derived { ?x a $cls } } WHERE {\n    $body\n"
    "    MINUS { ?x a $cls }\n}"
)
ASK_TYPE = "ASK {\n    $body\n    MINUS { ?x a $cls }\n}"
# A rule whose triples no rule, check or member count reads is not stored: after the fixpoint,
# its CONSTRUCT gives them straight to the read-out (two stored copies each cost more).
CONSTRUCT_TYPE = "CONSTRUCT { ?x a $cls } WHERE {\n    $body\n    MINUS { ?x a $cls }\n}"
INSERT_LINK = (
    "INSERT { $s $prop $o . GRAPH $derived { $s $prop $o } } WHERE {\n    $body\n"
    "    MINUS { $s $prop $o }\n}"
)
ASK_LINK = "ASK {\n    $body\n    MINUS { $s $prop $o }\n}"
CONSTRUCT_LINK = "CONSTRUCT { $s $prop $o } WHERE {\n    $body\n    MINUS { $s $prop $o }\n}"
# Each subject (or value) once, however many links it has: a solution per link would insert
# the same triple again for each.
TYPED_ANY = "{ SELECT DISTINCT ?x WHERE { VALUES ?c { $classes } ?x a ?c } }"
LINKED_ANY = "{ SELECT DISTINCT ?x WHERE { VALUES ?p { $props } ?x ?p ?y } }"
LINKED_ANY_TO = "{ SELECT DISTINCT ?x WHERE { VALUES ?p { $props } ?y ?p ?x } }"
LINK = "$s $prop $o ."
UNION_ELIMINATION = "VALUES ?p { $props } ?x ?p ?y .\n    ?x a $excluded ."
# First the individuals in two or more of the classes (one pass over their members) with their
# pairs of types, then the disjoint pairs among them (joined last: Oxigraph would otherwise
# look the members up once per pair).
DISJOINT = (
    "SELECT ?x ?a ?b WHERE {\n    {\n        SELECT ?x ?a ?b WHERE {\n            {\n"
    "                SELECT ?x WHERE { VALUES ?c { $classes } ?x a ?c }\n"
    "                GROUP BY ?x HAVING (COUNT(*) > 1)\n            }\n"
    "            ?x a ?a .\n            ?x a ?b .\n        }\n    }\n"
    "    VALUES (?a ?b) { $pairs }\n}"
)
FUNCTIONAL = (
    "SELECT ?x ?p ?a ?b WHERE {\n    VALUES ?p { $props }\n    ?x ?p ?a .\n    ?x ?p ?b .\n"
    "    FILTER(!sameTerm(?a, ?b))\n}"
)
# The members of the classes joined with the subjects of the properties (each once), then the
# (property, class) pairs that clash, and last the values, for the clashes only.
UNION_DOMAIN = (
    "SELECT ?x ?p ?y ?k WHERE {\n    {\n        SELECT ?x ?p ?k WHERE {\n"
    "            { SELECT ?x ?k WHERE { VALUES ?k { $classes } ?x a ?k } }\n"
    "            { SELECT DISTINCT ?x ?p WHERE { VALUES ?p { $props } ?x ?p ?y } }\n"
    "        }\n    }\n    VALUES (?p ?k) { $pairs }\n    ?x ?p ?y .\n}"
)
# The datatype is bound once per value, not computed once per datatype it is compared with.
LITERAL_RANGE = (
    "SELECT ?x ?p ?v ?range WHERE {\n    VALUES ?p { $props }\n    BIND($range AS ?range)\n"
    "    ?x ?p ?v .\n    BIND(datatype(?v) AS ?d)\n"
    "    FILTER(isLiteral(?v) && ?d IN ($owl2) && !(?d IN ($allowed)))\n}"
)


_IRI = re.compile(r"<[^<>\"{}|^`\\\x00-\x20]*>")
MEMBERS = (
    "SELECT ?class (COUNT(DISTINCT ?x) AS ?n) WHERE {\n    VALUES ?class { $classes }\n"
    "    ?x a ?class .\n} GROUP BY ?class"
)


@dataclass(frozen=True)
class Rule:
    """One SPARQL update, the same pattern as an ASK (would a run add anything?) and as a
    CONSTRUCT (what a run would add), and the type and link keys it reads and writes."""

    name: str
    text: str
    ask: str
    construct: str
    reads: frozenset[Key]
    writes: frozenset[Key]


@dataclass(frozen=True)
class Check:
    """One SELECT whose rows are clashes of the named kind."""

    kind: str  # disjoint | functional | union-domain | literal-range
    name: str
    text: str


@dataclass(frozen=True)
class Program:
    """The compiled ontology: rule strata in evaluation order, the final rules (whose output
    nothing reads: constructed after the fixpoint, not stored), checks, and what is not
    materialised (entailed, but neither read by a rule nor shown by HermiT)."""

    strata: tuple[tuple[Rule, ...], ...]
    recursive: tuple[bool, ...]
    final: tuple[Rule, ...]
    checks: tuple[Check, ...]
    different: frozenset[frozenset[Node]]
    defined: tuple[URIRef, ...]
    members: str  # SELECT ?class ?n: individuals of each defined class
    notes: tuple[str, ...] = field(default_factory=tuple)

    @property
    def named(self) -> frozenset[str]:
        """Every IRI the rules, checks and member count name, written `<iri>`: a triple whose
        predicate is none of them, or an rdf:type one whose class is none of them, cannot
        change what they find (a pattern `?x a ?c` is always joined with named classes)."""
        texts = [rule.text for stratum in self.strata for rule in stratum]
        texts += [rule.construct for rule in self.final]
        texts += [check.text for check in self.checks] + [self.members]
        return frozenset(match for text in texts for match in _IRI.findall(text))

    def render(self) -> str:
        """Every rule and check as text, with the axiom each comes from."""
        lines: list[str] = []
        for index, (stratum, loops) in enumerate(zip(self.strata, self.recursive, strict=True)):
            lines.append(f"# stratum {index + 1}{' (to a fixpoint)' if loops else ''}")
            lines.extend(f"# {rule.name}\n{rule.text};\n" for rule in stratum)
        lines.append("# after the fixpoint (read by no rule or check: constructed, not stored)")
        lines.extend(f"# {rule.name}\n{rule.construct}\n" for rule in self.final)
        lines.extend(f"# check ({c.kind}): {c.name}\n{c.text}\n" for c in self.checks)
        lines.extend(f"# not materialised: {note}" for note in self.notes)
        return "\n".join(lines)


def compile_ontology(ontology: Graph) -> Program:
    """The ontology's axioms as rules and checks; UnsupportedAxiom names any it cannot take."""
    compiler = _Compiler(ontology)
    rules = [*compiler.rules()]
    checks = [*compiler.checks()]
    different = frozenset(compiler.different())
    compiler.refuse_the_rest()
    members = fill(MEMBERS, classes=defined_classes(ontology))
    final = _unread(rules, [*(check.text for check in checks), members])
    ordered = strata([rule for rule in rules if rule not in final])
    return Program(
        strata=tuple(tuple(stratum) for stratum, _ in ordered),
        recursive=tuple(loops for _, loops in ordered),
        final=tuple(final),
        checks=tuple(checks),
        different=different,
        defined=tuple(defined_classes(ontology)),
        members=members,
        notes=tuple(compiler.notes),
    )


class _Compiler:
    """Walks the ontology once, marking each triple it turns into a rule or check."""

    def __init__(self, graph: Graph) -> None:
        self.graph = graph
        self.expressions = ClassExpressions(graph)
        self.notes: list[str] = []

    @property
    def used(self) -> set[tuple[Node, Node, Node]]:
        return self.expressions.used

    def objects(self, subject: Node, predicate: URIRef) -> list[Node]:
        return self.expressions.objects(subject, predicate)

    def subjects_objects(self, predicate: URIRef) -> list[tuple[Node, Node]]:
        pairs = sorted(self.graph.subject_objects(predicate), key=lambda pair: pair[0].n3())
        self.used.update((s, predicate, o) for s, o in pairs)
        return pairs

    def typed(self, kind: URIRef) -> list[Node]:
        found = sorted(self.graph.subjects(RDF.type, kind), key=lambda node: node.n3())
        self.used.update((s, RDF.type, kind) for s in found)
        return found

    def rules(self) -> Iterator[Rule]:
        yield from self._class_axioms()
        yield from self._domains()
        yield from self._ranges()
        yield from self._property_axioms()

    def _class_axioms(self) -> Iterator[Rule]:
        supers: dict[URIRef, set[URIRef]] = {}
        for sub, sup in self.subjects_objects(RDFS.subClassOf):
            if isinstance(sub, URIRef) and isinstance(sup, URIRef):
                supers.setdefault(sup, set()).add(sub)
            else:
                yield from self._inclusion(sub, sup, "rdfs:subClassOf")
        for sup, subs in sorted(supers.items()):
            yield _typed_any(f"rdfs:subClassOf {sup.n3()}", sup, subs)
        for cls, expression in self.subjects_objects(OWL.equivalentClass):
            yield from self._inclusion(cls, expression, "owl:equivalentClass")
            yield from self._inclusion(expression, cls, "owl:equivalentClass")

    def _inclusion(self, sub: Node, sup: Node, axiom: str) -> Iterator[Rule]:
        """sub ⊑ sup: the body is sub's pattern, the heads what sup requires of a member."""
        body = self.expressions.pattern(sub, X)
        name = f"{sub.n3() if isinstance(sub, URIRef) else 'a class expression'} {axiom}"
        for head in self.expressions.heads(sup, X, self.notes):
            yield _rule(f"{name} -> {head.name}", head, body.fragment, body.reads)

    def _domains(self) -> Iterator[Rule]:
        by_class: dict[URIRef, set[URIRef]] = {}
        for prop, domain in self.subjects_objects(RDFS.domain):
            if not isinstance(prop, URIRef):
                raise UnsupportedAxiom(f"rdfs:domain on the property expression {prop.n3()}")
            for cls in self.expressions.domain_classes(domain, prop):
                by_class.setdefault(cls, set()).add(prop)
        for cls, props in sorted(by_class.items()):
            body = fill(LINKED_ANY, props=sorted(props))
            reads = link_keys(props)
            yield _rule(f"rdfs:domain {cls.n3()}", Head.of_type(cls, X), body, reads)
        for prop, excluded, member in self.expressions.elimination_rules():
            body = fill(UNION_ELIMINATION, props=[prop], excluded=excluded)
            reads = link_keys([prop]) | type_keys([excluded])
            name = f"rdfs:domain of {prop.n3()} (a union) for a {excluded.n3()}"
            yield _rule(name, Head.of_type(member, X), body, reads)

    def _ranges(self) -> Iterator[Rule]:
        by_class: dict[URIRef, set[URIRef]] = {}
        for prop, range_ in self.subjects_objects(RDFS.range):
            if range_ in OWL2_DATATYPES or (range_, RDF.type, RDFS.Datatype) in self.graph:
                continue  # a datatype: a check, not a rule
            if not isinstance(range_, URIRef) or not isinstance(prop, URIRef):
                raise UnsupportedAxiom(
                    f"rdfs:range {range_.n3()} of {prop.n3()}: not a named class"
                )
            by_class.setdefault(range_, set()).add(prop)
        for cls, props in sorted(by_class.items()):
            body = fill(LINKED_ANY_TO, props=sorted(props))
            reads = link_keys(props)
            yield _rule(f"rdfs:range {cls.n3()}", Head.of_type(cls, X), body, reads)

    def _property_axioms(self) -> Iterator[Rule]:
        for prop, inverse in self.subjects_objects(OWL.inverseOf):
            if isinstance(prop, URIRef) and isinstance(inverse, URIRef):
                yield _link_rule(
                    f"{prop.n3()} owl:inverseOf {inverse.n3()}", prop, [(inverse, True)]
                )
                yield _link_rule(
                    f"{inverse.n3()} owl:inverseOf {prop.n3()}", inverse, [(prop, True)]
                )
        for prop in self.typed(OWL.TransitiveProperty):
            if isinstance(prop, URIRef):
                yield _link_rule(f"{prop.n3()} a owl:TransitiveProperty", prop, [(prop, False)] * 2)
        for prop, chain in self.subjects_objects(OWL.propertyChainAxiom):
            links = [(p, False) for p in self.expressions.named_list(chain)]
            if isinstance(prop, URIRef):
                yield _link_rule(f"{prop.n3()} owl:propertyChainAxiom", prop, links)
        yield from self._sub_properties()

    def _sub_properties(self) -> Iterator[Rule]:
        for sub, sup in self.subjects_objects(RDFS.subPropertyOf):
            if not isinstance(sub, URIRef) or not isinstance(sup, URIRef):
                raise UnsupportedAxiom(f"rdfs:subPropertyOf between {sub.n3()} and {sup.n3()}")
            if self._has_axioms(sup):
                yield _link_rule(f"{sub.n3()} rdfs:subPropertyOf {sup.n3()}", sup, [(sub, False)])
            else:
                self.notes.append(f"{sub.n3()} rdfs:subPropertyOf {sup.n3()} (no axiom reads it)")

    def _has_axioms(self, prop: URIRef) -> bool:
        meaningful = STRUCTURAL | {OWL.inverseOf, OWL.propertyChainAxiom, OWL.onProperty}
        kinds = {OWL.TransitiveProperty, OWL.FunctionalProperty}
        if any(p in meaningful for p in self.graph.predicates(prop, None)):
            return True
        return any(self.graph.subjects(OWL.onProperty, prop)) or any(
            (prop, RDF.type, kind) in self.graph for kind in kinds
        )

    def checks(self) -> Iterator[Check]:
        pairs = sorted(self.expressions.disjoint_pairs())
        classes = sorted({cls for pair in pairs for cls in pair})
        text = fill(DISJOINT, pairs=pairs, classes=classes)
        yield Check("disjoint", "owl:disjointWith and owl:AllDisjointClasses", text)
        functional = [p for p in self.typed(OWL.FunctionalProperty) if isinstance(p, URIRef)]
        yield Check("functional", "owl:FunctionalProperty", fill(FUNCTIONAL, props=functional))
        union = sorted(self.expressions.union_domain_clashes(pairs))
        if union:
            props = sorted({prop for prop, _ in union})
            classes = sorted({cls for _, cls in union})
            text = fill(UNION_DOMAIN, pairs=union, props=props, classes=classes)
            yield Check("union-domain", "rdfs:domain owl:unionOf", text)
        yield from self._literal_ranges()

    def _literal_ranges(self) -> Iterator[Check]:
        by_datatype: dict[URIRef, list[URIRef]] = {}
        for prop, range_ in sorted(self.graph.subject_objects(RDFS.range)):
            if range_ in OWL2_DATATYPES and isinstance(prop, URIRef):
                by_datatype.setdefault(URIRef(str(range_)), []).append(prop)
        for datatype, props in sorted(by_datatype.items()):
            text = fill(
                LITERAL_RANGE,
                props=props,
                range=datatype,
                owl2=_comma(sorted(OWL2_DATATYPES)),
                allowed=_comma(sorted(compatible_datatypes(datatype))),
            )
            yield Check("literal-range", f"rdfs:range {datatype.n3()}", text)

    def different(self) -> Iterator[frozenset[Node]]:
        for group in self.typed(OWL.AllDifferent):
            for predicate in (OWL.distinctMembers, OWL.members):
                for members in self.objects(group, predicate):
                    named = self.expressions.named_list(members)
                    yield from (frozenset(pair) for pair in combinations(named, 2))
        for a, b in self.subjects_objects(OWL.differentFrom):
            yield frozenset((a, b))

    def refuse_the_rest(self) -> None:
        """UnsupportedAxiom for the first OWL/RDFS axiom triple no rule or check took."""
        for s, p, o in sorted(self.graph, key=lambda triple: tuple(n.n3() for n in triple)):
            if (s, p, o) in self.used or p in ANNOTATION_LIKE:
                continue
            owl_type = p == RDF.type and str(o).startswith(str(OWL)) and o not in DECLARATIONS
            owl_axiom = str(p).startswith(str(OWL)) or p in STRUCTURAL
            if owl_type or owl_axiom:
                construct = o if owl_type else p
                raise UnsupportedAxiom(
                    f"the ontology uses {self.graph.namespace_manager.normalizeUri(str(construct))}"
                    f" (on {s.n3()}), which the rule compiler does not cover: extend"
                    " loaders/reason/compiler.py before using it"
                )


def _unread(rules: list[Rule], queries: list[str]) -> list[Rule]:
    """The rules whose kind of triple no rule reads and no query names."""
    read = frozenset(key for rule in rules for key in rule.reads)
    named = frozenset(match for text in queries for match in _IRI.findall(text))
    return [
        rule
        for rule in rules
        if not rule.writes & read and not any(f"<{term}>" in named for _, term in rule.writes)
    ]


def _comma(terms: list[URIRef]) -> Fragment:
    return t.join([fill("$term", term=term) for term in terms], ", ")


def _rule(name: str, head: Head, body: Fragment, reads: frozenset[Key]) -> Rule:
    if head.key[0] == "type":
        slots: dict[str, Slot] = {"cls": head.key[1]}
        templates = (INSERT_TYPE, ASK_TYPE, CONSTRUCT_TYPE)
    else:
        slots = {"s": head.subject, "prop": head.key[1], "o": head.value}
        templates = (INSERT_LINK, ASK_LINK, CONSTRUCT_LINK)
    text, ask, construct = (fill(t, body=body, derived=DERIVED, **slots) for t in templates)
    return Rule(name, text, ask, construct, reads, frozenset({head.key}))


def _typed_any(name: str, cls: URIRef, subs: set[URIRef]) -> Rule:
    body = fill(TYPED_ANY, classes=sorted(subs))
    return _rule(name, Head.of_type(cls, X), body, type_keys(subs))


def _link_rule(name: str, prop: URIRef, links: Sequence[tuple[URIRef, bool]]) -> Rule:
    """prop between the ends of a path of links (each possibly followed backwards)."""
    nodes = [Variable(f"v{i}") for i in range(len(links) + 1)]
    parts = [
        fill(
            LINK, s=nodes[i + 1] if back else nodes[i], prop=p, o=nodes[i] if back else nodes[i + 1]
        )
        for i, (p, back) in enumerate(links)
    ]
    reads = link_keys(p for p, _ in links)
    head = Head(("link", prop), nodes[0], nodes[-1], f"{prop.n3()}")
    return _rule(name, head, t.join(parts), reads)
