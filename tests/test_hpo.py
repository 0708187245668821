"""HPO and ICD-10-CM as RDF: the OBO and HPOA writers on small inputs, the full load (slow)."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from rdflib import OWL, RDF, RDFS, Graph, Literal, URIRef

from clinkg import cli
from clinkg.errors import VocabularyParseError
from clinkg.loaders.pipeline import load_articles
from clinkg.loaders.vocabularies.hpo import hpoa_ntriples, load_hpo, obo_ntriples
from clinkg.loaders.vocabularies.lexicon import vocabulary_mappings
from clinkg.ontology import namespaces as ns
from clinkg.ontology.namespaces import CKG, HPO_GRAPH, OBO, OBO_IN_OWL
from clinkg.registry import load_catalogue
from clinkg.server.answers import answer_question
from clinkg.store.oxigraph import OxigraphStore

ARTICLES = Path(__file__).resolve().parents[1] / "data" / "articles"
OBO_TEXT = """format-version: 1.2
data-version: hp/releases/2025-01-16

[Term]
id: HP:0003394
name: Muscle spasm
def: "Sudden \\"involuntary\\" contractions." [https://orcid.org/0000]
synonym: "Muscle cramps" EXACT plural_form []
synonym: "Charley horse" RELATED layperson []
xref: UMLS:C0026821
is_a: HP:0011804 ! Abnormal muscle physiology

[Term]
id: HP:0000001
name: obsolete All
is_obsolete: true
replaced_by: HP:0003394

[Typedef]
id: part_of
name: part of
"""
HPOA_HEADER = (
    "#description: test\ndatabase_id\tdisease_name\tqualifier\thpo_id\treference\tevidence\t"
    "onset\tfrequency\tsex\tmodifier\taspect\tbiocuration\n"
)
POSITIVE = (
    "OMIM:263800\tGitelman syndrome\t\tHP:0003394\tPMID:1;ISBN-13:978-0\tPCS\t"
    "HP:0003581\t2/5\tFEMALE\tHP:0012828\tP\tHPO:x[2020-01-01]"
)
NEGATIVE = "ORPHA:17\tSome disease\tNOT\tHP:0003394\tORPHA:17\tTAS\t\tHP:0040283\t\t\tP\tHPO:y"


def graph_of(text: str) -> Graph:
    return Graph().parse(data=text, format="nt")


def numbered(text: str) -> list[tuple[int, str]]:
    return list(enumerate(text.splitlines(), start=1))


def hp(code: str) -> URIRef:
    return ns.hpo(code)


def test_an_obo_term_becomes_a_class_with_label_definition_synonyms_and_parent() -> None:
    graph = graph_of("".join(obo_ntriples(iter(numbered(OBO_TEXT)), "hp.obo")))
    spasm = hp("HP:0003394")
    assert (spasm, RDF.type, OWL.Class) in graph
    assert graph.value(spasm, RDFS.label) == Literal("Muscle spasm")
    assert graph.value(spasm, OBO["IAO_0000115"]) == Literal('Sudden "involuntary" contractions.')
    assert graph.value(spasm, OBO_IN_OWL.hasExactSynonym) == Literal("Muscle cramps")
    assert graph.value(spasm, OBO_IN_OWL.hasRelatedSynonym) == Literal("Charley horse")
    assert graph.value(spasm, RDFS.subClassOf) == hp("HP:0011804")
    assert graph.value(spasm, OBO_IN_OWL.hasDbXref) == Literal("UMLS:C0026821")
    assert graph.value(URIRef(str(OBO["hp.owl"])), OWL.versionInfo) == Literal(
        "hp/releases/2025-01-16"
    )


def test_an_obsolete_term_is_deprecated_and_points_to_its_replacement() -> None:
    graph = graph_of("".join(obo_ntriples(iter(numbered(OBO_TEXT)), "hp.obo")))
    old = hp("HP:0000001")
    assert graph.value(old, OWL.deprecated) == Literal(True)
    assert graph.value(old, OBO["IAO_0100001"]) == hp("HP:0003394")
    assert not list(graph.subjects(RDFS.label, Literal("part of")))  # [Typedef] left out


def test_an_annotation_row_keeps_evidence_reference_onset_frequency_sex_and_modifier() -> None:
    graph = graph_of("".join(hpoa_ntriples(iter(numbered(HPOA_HEADER + POSITIVE)), "x.hpoa")))
    node = next(graph.subjects(RDF.type, CKG.PhenotypeAnnotation))
    disease = URIRef("https://omim.org/entry/263800")
    assert graph.value(node, CKG.disease) == disease
    assert graph.value(disease, RDFS.label) == Literal("Gitelman syndrome")
    assert graph.value(node, CKG.phenotype) == hp("HP:0003394")
    assert graph.value(node, CKG.evidenceCode) == Literal("PCS")
    assert graph.value(node, CKG.onset) == hp("HP:0003581")
    assert graph.value(node, CKG.frequencyText) == Literal("2/5")
    assert graph.value(node, CKG.sex) == Literal("female")
    assert graph.value(node, CKG.modifier) == hp("HP:0012828")
    assert graph.value(node, CKG.aspect) == Literal("P")
    assert graph.value(node, URIRef("http://purl.org/dc/terms/source")) == URIRef(
        "https://pubmed.ncbi.nlm.nih.gov/1"
    )
    assert graph.value(node, CKG.annotationSource) == Literal("ISBN-13:978-0")


def test_a_not_row_is_a_negation_never_a_phenotype() -> None:
    graph = graph_of("".join(hpoa_ntriples(iter(numbered(HPOA_HEADER + NEGATIVE)), "x.hpoa")))
    node = next(graph.subjects(RDF.type, CKG.NegatedPhenotypeAnnotation))
    assert graph.value(node, CKG.excludedPhenotype) == hp("HP:0003394")
    assert graph.value(node, CKG.phenotype) is None
    assert graph.value(node, CKG.frequency) == hp("HP:0040283")
    assert graph.value(node, CKG.disease) == URIRef("http://www.orpha.net/ORDO/Orphanet_17")


def test_identical_rows_are_one_annotation_node() -> None:
    text = HPOA_HEADER + POSITIVE + "\n" + POSITIVE
    graph = graph_of("".join(hpoa_ntriples(iter(numbered(text)), "x.hpoa")))
    assert len(set(graph.subjects(RDF.type, CKG.PhenotypeAnnotation))) == 1


@pytest.mark.parametrize(
    ("row", "reason"),
    [
        ("OMIM:1\tX\t\tHP:0003394\tPMID:1\tPCS", "expected 12 tab-separated columns, found 6"),
        (POSITIVE.replace("\tHP:0003394\t", "\tHP:12\t"), "not an HPO id"),
        (POSITIVE.replace("Gitelman syndrome\t\t", "Gitelman syndrome\tMAYBE\t"), "qualifier"),
    ],
)
def test_a_bad_row_names_the_file_and_line(row: str, reason: str) -> None:
    with pytest.raises(VocabularyParseError, match=reason) as error:
        "".join(hpoa_ntriples(iter(numbered(HPOA_HEADER + row)), "x.hpoa"))
    assert (error.value.source, error.value.line) == ("x.hpoa", 3)


def test_a_gerund_finding_closely_matches_its_verb_in_hpo() -> None:
    (mapping,) = vocabulary_mappings(["Muscle twitching"])
    assert (mapping.code, mapping.exact) == ("HP:0002380", False)  # Fasciculations


@pytest.mark.slow
def test_load_vocabulary_writes_icd10cm_into_its_own_graph(tmp_path: Path) -> None:
    assert cli.main(["load-vocabulary", "icd10cm", "--store", str(tmp_path), "--quiet"]) == 0
    store = OxigraphStore(tmp_path)
    rows = store.select(
        "PREFIX skos: <http://www.w3.org/2004/02/skos/core#> "
        "SELECT ?code ?g ?label WHERE { GRAPH ?g { ?code skos:prefLabel ?label } }",
        {"code": ns.icd10cm("G47.62")},
    )
    assert [(row["g"], row["label"]) for row in rows] == [
        (ns.ICD10CM_GRAPH, Literal("Sleep related leg cramps"))
    ]


@pytest.fixture(scope="module")
def with_hpo() -> OxigraphStore:
    """The bundled articles and the full HPO (about 2 million triples) in one memory store."""
    store = OxigraphStore(None)
    load_articles(sorted(ARTICLES.glob("*.txt")), store)
    started = time.perf_counter()
    report = load_hpo(store)
    print(f"\nfull HPO: {report.triples} triples in {time.perf_counter() - started:.1f} s")
    return store


def diseases(store: OxigraphStore, finding: str) -> dict[str, str]:
    answer = answer_question(
        store, load_catalogue(), "hpo-diseases-by-finding", {"finding": finding}
    )
    return {item.label: str(item.columns["phenotypes"]) for item in answer.answers}


@pytest.mark.slow
def test_muscle_cramps_bring_back_diseases_annotated_with_it_or_a_subclass(
    with_hpo: OxigraphStore,
) -> None:
    finding = URIRef(ns.ID["finding/test-muscle-cramps"])
    with_hpo.replace_graphs(
        {
            ns.GRAPH["test-finding"]: [
                (finding, RDF.type, CKG.Finding),
                (finding, RDFS.label, Literal("Muscle cramps")),
                (
                    finding,
                    URIRef("http://www.w3.org/2004/02/skos/core#exactMatch"),
                    hp("HP:0003394"),
                ),
            ]
        }
    )
    found = diseases(with_hpo, "Muscle cramps")
    assert "Muscle spasm" in found["Gitelman syndrome"]  # annotated with HP:0003394 itself
    # McArdle disease is annotated only with a subclass, exercise-induced muscle cramps.
    assert found["Glycogen storage disease V"] == "Exercise-induced muscle cramps"


@pytest.mark.slow
def test_muscle_twitching_in_the_calf_article_reaches_diseases_with_fasciculations(
    with_hpo: OxigraphStore,
) -> None:
    found = diseases(with_hpo, "Muscle twitching")
    assert "Fasciculations" in found["Amyotrophic lateral sclerosis"]
    assert any(phenotypes == "Tongue fasciculations" for phenotypes in found.values())
    assert with_hpo.ask("ASK { GRAPH ?g { ?a ?p ?o } }", {"g": HPO_GRAPH})
