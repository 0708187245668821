"""The question catalogue: `#+` headers, value sources, parameter resolution."""

from __future__ import annotations

import pytest
from rdflib import RDF, RDFS, Literal, URIRef

from clinkg.errors import QueryCatalogueError, QueryParameterError, UnknownQuestion
from clinkg.ontology.namespaces import CKG
from clinkg.registry import (
    AllowedValue,
    Parameter,
    allowed_values,
    load_catalogue,
    parse_query,
    resolve_params,
    resolve_value,
)
from clinkg.store.oxigraph import OxigraphStore

GOOD = """#+ name: Things at a site
#+ summary: Which things are at this site?
#+ group: Test
#+ params:
#+   - name: site
#+     label: Body site
#+     values: body-site
#+ returns: [label, iri]
SELECT ?site ?iri WHERE { ?iri <urn:at> ?site }
"""

REQUIRED = {
    "conditions-by-feature",
    "risk-factors",
    "inducing-medications",
    "treatments",
    "differentials",
    "evidence",
}


def test_a_header_becomes_a_question() -> None:
    question = parse_query("things.rq", GOOD)
    assert question.id == "things"
    assert question.name == "Things at a site"
    assert question.params == (Parameter("site", "Body site", "body-site"),)
    assert question.returns == ("label", "iri")
    assert question.sparql == GOOD


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("SELECT * WHERE {}", "no '#\\+' header"),
        ("#+ name: [unclosed\nSELECT * WHERE {}", "not valid YAML"),
        ("#+ summary: s\nSELECT * WHERE {}", "non-empty 'name'"),
        ("#+ name: n\n#+ summary: s\n#+ colour: red\nSELECT * WHERE {}", "unknown header keys"),
        (GOOD.replace("values: body-site", "values: planets"), "not in"),
        (GOOD.replace("?site ?iri", "?iri").replace("?iri <urn:at> ?site", "?iri ?p ?o"), "not a"),
    ],
)
def test_a_bad_header_names_the_file_and_the_reason(text: str, reason: str) -> None:
    with pytest.raises(QueryCatalogueError, match=f"^bad.rq: .*{reason}"):
        parse_query("bad.rq", text)


def test_the_bundled_catalogue_has_the_required_questions() -> None:
    catalogue = load_catalogue()
    assert {question.id for question in catalogue.questions()} >= REQUIRED
    assert all(not question.internal for question in catalogue.questions())


def test_an_unknown_id_and_a_support_query_are_unknown_questions() -> None:
    catalogue = load_catalogue()
    for question_id in ("no-such-question", "_statement"):
        with pytest.raises(UnknownQuestion):
            catalogue.get(question_id)


def test_allowed_values_come_from_the_graph_with_synonyms(store: OxigraphStore) -> None:
    sites = allowed_values(store, load_catalogue(), "body-site")
    assert [v.label for v in sites] == ["arm", "calf", "leg", "lower leg", "thigh"]
    calf = sites[1]
    assert str(calf.iri) == "https://w3id.org/clinkg/ontology#Calf"
    assert calf.synonyms == ("calves", "sural region")


CALF = AllowedValue("calf", CKG.BodySite, ("calves", "sural region"))
LEG = AllowedValue("leg", CKG.Trigger, ("legs",))
SITE = Parameter("site", "Body site", "body-site")


@pytest.mark.parametrize("given", ["calf", "CALF", " Calf ", "sural region", str(CKG.BodySite)])
def test_a_value_is_a_label_in_any_case_a_synonym_or_an_iri(given: str) -> None:
    assert resolve_value(SITE, given, [CALF, LEG]) == CALF


def test_an_unknown_value_lists_the_allowed_labels() -> None:
    with pytest.raises(QueryParameterError) as raised:
        resolve_value(SITE, "elbow", [CALF, LEG])
    assert raised.value.allowed == ["calf", "leg"]
    assert "unknown value 'elbow' for 'site'" in str(raised.value)


def test_a_missing_value_is_refused() -> None:
    with pytest.raises(QueryParameterError, match="missing parameter 'site'"):
        resolve_value(SITE, None, [CALF])


def test_resolve_params_resolves_every_parameter(store: OxigraphStore) -> None:
    catalogue = load_catalogue()
    question = catalogue.get("conditions-by-feature")
    resolved = resolve_params(store, catalogue, question, {"site": "Calves", "trigger": "walking"})
    assert {name: value.label for name, value in resolved.items()} == {
        "site": "calf",
        "trigger": "exertion",
    }


def test_allowed_values_are_kept_until_the_store_state_changes(store: OxigraphStore) -> None:
    from clinkg.store.state import new_stamp

    catalogue = load_catalogue()
    store.replace_graphs(new_stamp())
    first = allowed_values(store, catalogue, "condition")
    store.replace_graphs(
        {
            URIRef("urn:x-test:g"): [
                (URIRef("urn:x-test:c"), RDF.type, CKG.Condition),
                (URIRef("urn:x-test:c"), RDFS.label, Literal("Zz test condition")),
            ]
        }
    )
    assert allowed_values(store, catalogue, "condition") == first  # same stamp: kept
    store.replace_graphs(new_stamp())
    assert "Zz test condition" in [v.label for v in allowed_values(store, catalogue, "condition")]
