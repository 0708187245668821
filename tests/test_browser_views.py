"""Issue 15's views in a real browser: the differential matrix, the article view, the pictures
and the answer overview, each screenshotted and checked with axe-core (no serious or critical
violation). Fixtures (the served app, Chromium, `page`) are in conftest.py."""

from __future__ import annotations

from typing import Any

import pytest
from browser_support import AXE, CHROMIUM, axe_violations, shoot

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PAES = "Popliteal arterial entrapment syndrome"
CASE = {
    "Site": "calf",
    "Brought on by": "exercise",
    "Patient group": "young adults",
    "Associated sign 1": "paresthesia",
    "Associated sign 2": "swelling",
}

if not CHROMIUM.exists():
    pytest.skip(
        "browser tests need Debian's chromium at /usr/bin/chromium (apt-get install chromium)",
        allow_module_level=True,
    )
if not AXE.exists():
    pytest.skip("axe-core is not installed (scripts/setup --test)", allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api")
expect = sync_api.expect


@pytest.fixture
def screen(browser: Any) -> Any:
    """A page with a 1,400 x 1,000 viewport, the screen the matrix must fit."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    yield context.new_page()
    context.close()


def test_the_differential_matrix_fits_one_screen(screen: Any, base_url: str) -> None:
    screen.goto(base_url + "/differential")
    for label, value in CASE.items():
        screen.get_by_label(label).fill(value)
    screen.get_by_role("button", name="Rank conditions").click()
    rows = screen.locator("table.matrix").first.locator("tr.candidate")
    expect(rows.first).to_have_attribute("data-condition", PAES)
    assert rows.count() == 12  # a dozen; the rest behind "more conditions"
    header = screen.locator("table.matrix").first.locator("thead th.finding")
    assert header.count() == 5
    paes = [rows.first.locator("td.cell").nth(i).get_attribute("class") for i in range(5)]
    assert paes == ["cell matches"] * 5
    box = screen.locator("table.matrix").first.bounding_box()
    assert box["y"] + box["height"] <= 1000 and box["x"] + box["width"] <= 1400
    assert screen.evaluate("window.scrollY") == 0
    shoot(screen, "10-differential-matrix-1400x1000", full_page=False)
    assert axe_violations(screen) == []


def test_a_matrix_cell_opens_its_sentences_by_keyboard_and_by_click(
    page: Any, base_url: str
) -> None:
    query = "&".join(
        ["site=calf", "trigger=exercise", "population=young+adults", "sign=paresthesia"]
    )
    page.goto(f"{base_url}/differential?{query}&sign=swelling")
    against = page.locator("tr.candidate[data-condition='Deep vein thrombosis'] td.cell.against")
    against.first.locator("a").focus()
    page.keyboard.press("Enter")
    panel = page.locator(".cell-evidence:target")
    expect(panel).to_be_visible()
    expect(panel).to_contain_text("argues against")
    expect(panel.locator("blockquote.evidence").first).to_be_visible()
    page.locator("tr.candidate").first.locator("td.distinguishing a").click()
    expect(page.locator(".cell-evidence:target")).to_contain_text("young adults")
    shoot(page, "11-differential-cell-evidence")


def test_an_evidence_quote_leads_to_its_sentence_marked_in_the_article(
    page: Any, base_url: str
) -> None:
    page.goto(base_url + "/questions/conditions-by-feature?site=calf&trigger=exertion")
    answer = page.locator("li.answer").filter(has_text=PAES)
    answer.get_by_role("link", name="see it in the article").first.click()
    page.wait_for_url("**/articles/*#s-*")
    target = page.locator(".statement:target")
    expect(target).to_be_visible()
    fact = target.locator("[data-fact]").first
    expect(fact).to_be_visible()
    expect(page.locator(".mark-legend")).to_contain_text("clinical feature")
    target.locator("mark[data-fact]").first.focus()
    panel = page.locator("#mark-panel")
    expect(panel).to_be_visible()
    expect(panel.locator(".iri")).to_contain_text("https://w3id.org/clinkg/id/")
    shoot(page, "12-article-view")
    assert axe_violations(page) == []


def test_the_article_list_and_an_article_with_load_warnings(page: Any, base_url: str) -> None:
    page.goto(base_url + "/articles")
    links = page.locator("table.library tbody a")
    assert links.count() == 6
    shoot(page, "13-article-list")
    assert axe_violations(page) == []
    page.goto(base_url + "/articles/heel-pain-morning")
    warnings = page.locator(".load-warnings")
    expect(warnings).to_be_visible()
    above = page.locator(".article-text").bounding_box()["y"]
    assert warnings.bounding_box()["y"] < above
    expect(page.locator(".citation.unresolved").first).to_be_visible()
    shoot(page, "14-article-with-warnings")


def test_risk_factor_answers_open_with_an_overview_and_a_forest_plot(
    page: Any, base_url: str
) -> None:
    page.goto(base_url + "/questions/risk-factors?condition=DVT")
    overview = page.locator("table.overview")
    expect(overview.locator("tbody tr").first).to_contain_text("Recent surgery")
    expect(overview.locator("tbody tr").first).to_contain_text("OR 21.7")
    assert overview.bounding_box()["y"] < page.locator("ol.answers").bounding_box()["y"]
    surgery = page.locator("table.forest tr[data-factor='Recent surgery']")
    point = surgery.locator("rect.point").bounding_box()
    one = surgery.locator("td.plot line").first.bounding_box()
    assert point["x"] > one["x"]  # OR 21.7 stands right of the line at 1
    expect(surgery.locator("svg")).to_have_attribute("aria-label", "OR 21.7, above 1")
    overview.get_by_role("link", name="Trauma").click()
    expect(page.locator("li.answer:target")).to_contain_text("OR 12.7")
    shoot(page, "15-answer-overview-and-forest-plot")
    assert axe_violations(page) == []


def test_a_condition_page_draws_its_neighbourhood_reachable_by_keyboard(
    page: Any, base_url: str
) -> None:
    page.goto(base_url + "/id/condition/deep-vein-thrombosis")
    picture = page.locator("figure.neighbourhood")
    expect(picture).to_be_visible()
    expect(picture.locator("figcaption")).to_contain_text("differentials")
    assert page.locator("table.forest tbody tr").count() >= 10
    shoot(page, "16-condition-neighbourhood-and-forest-plot")
    assert axe_violations(page) == []
    differential = picture.locator("[data-group='differentials'] a").first
    differential.focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/id/condition/cellulitis")
    expect(page.get_by_role("heading", level=1)).to_have_text("Cellulitis")
