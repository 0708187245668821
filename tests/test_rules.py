"""The ontology compiled to rules (no Java here): what the compiler refuses, what its rules and
checks look like and do, and the refusals they give in plain words. tests/test_reasoning_oracle
holds them against HermiT."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import OWL, RDF, RDFS, XSD, Graph, Literal, URIRef
from sample_facts import FACTS

from clinkg.errors import InconsistentGraph, UnsupportedAxiom
from clinkg.loaders.build.graph import build_graph, ontology_graph
from clinkg.loaders.reason import ntriples
from clinkg.loaders.reason.compiler import compile_ontology
from clinkg.loaders.reason.rules import apply_rules, bundled
from clinkg.loaders.reason.templates import Fragment, fill
from clinkg.loaders.stored_graphs import fingerprint
from clinkg.ontology import namespaces as ns
from clinkg.ontology.namespaces import CKG, SCHEMA
from clinkg.store.oxigraph import to_oxigraph

Runner = Callable[..., tuple[int, str, str]]
REASONING = Path(__file__).parent / "fixtures" / "reasoning"
ONTOLOGY_TEXT = (Path(__file__).resolve().parents[1] / "ontology" / "clinkg.ttl").read_text()
PREFIXES = """
@prefix ckg: <https://w3id.org/clinkg/ontology#> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
"""


def with_axiom(turtle: str) -> Graph:
    return ontology_graph() + Graph().parse(data=PREFIXES + turtle, format="turtle")


@pytest.mark.parametrize(
    ("axiom", "named"),
    [
        ("ckg:Odd owl:equivalentClass [ a owl:Restriction ; owl:onProperty ckg:hasFeature ;"
         " owl:allValuesFrom ckg:ClinicalFeature ] .", "owl:allValuesFrom"),
        ("ckg:trigger a owl:SymmetricProperty .", "owl:SymmetricProperty"),
        ("ckg:Odd owl:equivalentClass [ owl:unionOf ( ckg:Condition ckg:Medication ) ] .",
         "owl:unionOf"),
        ("ckg:Odd owl:complementOf ckg:Condition .", "owl:complementOf"),
        ("ckg:Odd owl:equivalentClass [ a owl:Restriction ; owl:onProperty ckg:hasFeature ;"
         " owl:minCardinality 2 ] .", "owl:minCardinality"),
    ],
)  # fmt: skip
def test_an_axiom_the_compiler_does_not_cover_is_refused_by_name(axiom: str, named: str) -> None:
    with pytest.raises(UnsupportedAxiom, match=named):
        compile_ontology(with_axiom(axiom))


def test_a_rule_slot_takes_rdf_terms_only() -> None:
    with pytest.raises(TypeError):
        fill("INSERT { ?x a $cls } WHERE { ?x a ?y }", cls="<http://x> } ; DROP ALL ; {")  # type: ignore[arg-type]
    with pytest.raises(UnsupportedAxiom, match="cannot be written"):
        fill("$cls", cls=URIRef("http://x> } ; DROP ALL ; { <http://y"))
    assert fill("$v > $n", v=Literal("it's"), n=Fragment("?n")) == '"it\'s" > ?n'


def test_every_rule_and_check_is_sparql_the_store_runs() -> None:
    program = bundled().program
    store = ox.Store()
    for stratum in program.strata:
        for rule in stratum:
            assert not store.query(rule.ask)
            store.update(rule.text)
    for rule in program.final:
        assert list(store.query(rule.construct)) == []  # type: ignore[arg-type]
    for check in program.checks:
        assert list(store.query(check.text)) == []  # type: ignore[arg-type]
    assert len(store) == 0


def test_only_rules_whose_output_nothing_reads_are_left_unstored() -> None:
    program = bundled().program
    final = {rule.name for rule in program.final}
    assert f"rdfs:subClassOf {SCHEMA.MedicalCondition.n3()}" in final
    read = {key for stratum in program.strata for rule in stratum for key in rule.reads}
    queries = " ".join([*(check.text for check in program.checks), program.members])
    for rule in program.final:
        assert not rule.writes & read
        assert all(term.n3() not in queries for _, term in rule.writes)
    assert f"rdfs:subClassOf {CKG.Condition.n3()}" not in final  # read by the defined classes


def test_only_rules_that_read_their_own_output_loop() -> None:
    program = bundled().program
    looping = {rule.name for stratum, loops in zip(program.strata, program.recursive,
               strict=True) if loops for rule in stratum}  # fmt: skip
    assert f"{CKG.partOf.n3()} a owl:TransitiveProperty" in looping
    assert f"rdfs:subClassOf {SCHEMA.MedicalCondition.n3()}" not in looping
    assert f"rdfs:range {CKG.Section.n3()}" not in looping


def test_every_defined_class_has_a_rule_that_fills_it() -> None:
    ontology = ontology_graph()
    text = bundled().program.render()
    for cls in set(ontology.subjects(OWL.equivalentClass, None)):
        assert f"INSERT {{ ?x a {cls.n3()} . " in text


def test_the_rules_follow_the_body_site_partonomy_and_add_only_what_is_new() -> None:
    asserted = build_graph(FACTS)
    inference = apply_rules(asserted, bundled())
    feature = ns.feature(FACTS.article.slug, 5, 0)
    assert (feature, CKG.bodySite, CKG._NS["Leg"]) in inference.triples
    condition = ns.condition("Peripheral artery disease")
    assert (condition, RDF.type, CKG.LegCondition) in inference.triples
    assert not set(inference.triples) & set(asserted)
    assert inference.members[CKG.LegCondition] >= 1


def refusal(fixture: str) -> str:
    graph = build_graph(FACTS) + Graph().parse(REASONING / fixture)
    with pytest.raises(InconsistentGraph) as refused:
        apply_rules(graph, bundled())
    return str(refused.value)


def test_two_statuses_are_refused_as_the_loader_words_it() -> None:
    quinine = ns.treatment("Nocturnal leg cramps", "Quinine")
    graph = build_graph(FACTS)
    graph.add((quinine, RDF.type, CKG.Treatment))
    graph.add((quinine, RDFS.label, Literal("Quinine")))
    graph.add((quinine, CKG.recommendationStatus, CKG._NS["Recommended"]))
    graph.add((quinine, CKG.recommendationStatus, CKG._NS["NotRecommended"]))
    with pytest.raises(InconsistentGraph) as refused:
        apply_rules(graph, bundled())
    assert refused.value.reasons == (
        "'Quinine' has both 'not recommended' and 'recommended' as its recommendation status,"
        " which can have one value only",
    )


def test_a_literal_of_the_wrong_datatype_is_refused_with_both_datatypes() -> None:
    statement = ns.statement(FACTS.article.slug, 3)
    graph = build_graph(FACTS)
    graph.add((statement, CKG.position, Literal("third")))
    with pytest.raises(InconsistentGraph) as refused:
        apply_rules(graph, bundled())
    assert refused.value.reasons == (
        f'<{statement}> has "third" (xsd:string) as its position, which must be a xsd:integer',
    )


def test_a_union_domain_broken_is_refused_with_the_classes_allowed() -> None:
    condition = ns.condition("Peripheral artery disease")
    graph = build_graph(FACTS)
    graph.add((condition, CKG.supportedBy, ns.statement(FACTS.article.slug, 5)))
    with pytest.raises(InconsistentGraph) as refused:
        apply_rules(graph, bundled())
    (reason,) = refused.value.reasons
    assert reason.startswith("'Peripheral artery disease' is a Condition, yet it has supported by")
    assert reason.endswith(
        "which only a Clinical feature, a Risk association, a Medication effect or a Treatment"
        " can have, and the ontology declares a Condition none of these"
    )


def test_the_rules_command_prints_every_rule_with_its_axiom(runner: Runner) -> None:
    code, out, _ = runner("rules")
    assert code == 0
    assert f"# {CKG.bodySite.n3()} owl:propertyChainAxiom" in out
    assert "# check (disjoint)" in out and "# check (functional)" in out


def test_a_changed_axiom_changes_the_ontology_fingerprint_a_load_compares() -> None:
    ontology = ontology_graph()
    assert fingerprint(ontology) == fingerprint(ontology_graph())
    changed = ontology_graph()
    restriction = next(changed.subjects(OWL.hasValue, CKG._NS["Exertion"]))
    changed.remove((restriction, OWL.hasValue, CKG._NS["Exertion"]))
    changed.add((restriction, OWL.hasValue, CKG._NS["Night"]))
    assert fingerprint(changed) != fingerprint(ontology)


def test_the_fingerprint_compares_typed_literals_by_value_as_a_store_writes_them_back() -> None:
    ontology = ontology_graph()
    written_back = ontology_graph()
    facet = next(written_back.triples((None, XSD.minInclusive, None)))
    written_back.remove(facet)
    canonical = Literal(str(int(facet[2].toPython())), datatype=XSD.decimal)  # "4.0" -> "4"
    written_back.add((facet[0], facet[1], canonical))
    assert fingerprint(written_back) == fingerprint(ontology)
    written_back.set((facet[0], facet[1], Literal("5", datatype=XSD.decimal)))
    assert fingerprint(written_back) != fingerprint(ontology)


def test_the_rules_store_holds_each_literal_as_a_term_by_term_conversion_would() -> None:
    subject = URIRef("https://example.org/s")
    values = [
        Literal('a "quoted"\\ back\nslash\r'),
        Literal("nuit", lang="fr"),
        Literal("4.0", datatype=XSD.decimal),
        Literal("third"),
    ]
    triples = [(subject, RDFS.label, value) for value in values]
    store, converted = ox.Store(), ox.Store()
    store.load(ntriples.write(triples).text, format=ox.RdfFormat.N_TRIPLES)
    converted.extend(ox.Quad(*map(to_oxigraph, triple)) for triple in triples)
    assert set(store) == set(converted) and len(set(store)) == len(values)
