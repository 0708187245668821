"""Pictures drawn on the server: the forest plot's log axis and the neighbourhood's layout."""

from __future__ import annotations

import math

from flask.testing import FlaskClient
from rdflib import Literal, URIRef

from clinkg.registry import load_catalogue
from clinkg.server.pictures import PLOT_MARGIN, PLOT_WIDTH, forest_plot, ratio_rows
from clinkg.store.oxigraph import OxigraphStore

CRAMPS = URIRef("https://w3id.org/clinkg/id/condition/nocturnal-leg-cramps")


def _row(fact: str, value: str, kind: str = "OR") -> dict[str, object]:
    return {
        "fact": URIRef(f"urn:fact:{fact}"),
        "factor": URIRef(f"urn:factor:{fact}"),
        "factorLabel": Literal(fact),
        "conditionLabel": Literal("C"),
        "statisticType": Literal(kind),
        "statisticValue": Literal(value),
    }


def test_the_forest_axis_is_logarithmic_and_holds_one_and_every_value() -> None:
    plot = forest_plot([_row("a", "10"), _row("b", "0.5", "HR"), _row("a", "10"), _row("z", "0")])
    assert plot is not None
    assert [(r.factor, r.kind, r.text) for r in plot.rows] == [
        ("a", "OR", "OR 10"),
        ("b", "HR", "HR 0.5"),
    ]
    ten, half = plot.rows[0].x, plot.rows[1].x
    assert PLOT_MARGIN <= half < plot.one < ten <= PLOT_WIDTH - PLOT_MARGIN
    # Equal ratios, equal distances: log(10) - log(1) is log(1) - log(0.1), not log(1) - log(0.5).
    assert math.isclose((ten - plot.one) / (plot.one - half), 1 / math.log10(2), rel_tol=0.01)
    assert ("1", plot.one) in {(label, x) for x, label in plot.ticks}


def test_no_ratio_no_plot() -> None:
    assert forest_plot([]) is None
    assert forest_plot([_row("z", "0")]) is None


def test_ratios_come_from_risk_associations_and_inducing_medications(store: OxigraphStore) -> None:
    rows = ratio_rows(store, load_catalogue(), CRAMPS)
    assert {(str(r["factorLabel"]), float(str(r["statisticValue"]))) for r in rows} >= {
        ("Muscle twitching", 4.6),
        ("Lower limb tingling", 4.1),
    }
    assert all(r["statement"] is not None for r in rows)


def test_a_condition_page_draws_its_neighbourhood_and_forest_plot(client: FlaskClient) -> None:
    page = client.get("/id/condition/nocturnal-leg-cramps").get_data(as_text=True)
    assert 'figure class="neighbourhood"' in page and 'data-group="risk-factors"' in page
    assert 'table class="forest"' in page and 'aria-label="OR 4.6, above 1"' in page
    assert "<script" not in page.split("</head>")[1]


def test_an_answer_page_opens_with_its_overview(client: FlaskClient) -> None:
    page = client.get("/questions/risk-factors?condition=leg+cramps").get_data(as_text=True)
    overview, detail = page.index('table class="overview"'), page.index('ol class="answers"')
    forest = page.index('table class="forest"')
    assert overview < forest < detail
    table = page[overview:forest]
    assert "Muscle twitching" in table and "OR 4.6" in table
    assert '<td class="count">1</td>' in table
