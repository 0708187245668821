"""The pages in a real browser (headless Debian chromium, Playwright), one test per issue-7 flow.

The app runs under waitress on a free loopback port over an in-memory store holding both
bundled articles. Screenshots of every page go to test-artifacts/screenshots/.
"""

from __future__ import annotations

import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from time import monotonic

import pytest

from clinkg.loaders.pipeline import load_articles
from clinkg.store.oxigraph import OxigraphStore

pytestmark = [pytest.mark.browser, pytest.mark.slow]

CHROMIUM = Path("/usr/bin/chromium")
ROOT = Path(__file__).resolve().parents[1]
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PAES = "Popliteal arterial entrapment syndrome"

if not CHROMIUM.exists():
    pytest.skip(
        "browser tests need Debian's chromium at /usr/bin/chromium (apt-get install chromium)",
        allow_module_level=True,
    )
sync_api = pytest.importorskip("playwright.sync_api")


@pytest.fixture(scope="module")
def base_url() -> Iterator[str]:
    """The app served by waitress on a free loopback port, both articles loaded."""
    from clinkg.server import create_app
    from clinkg.server.serving import make_server

    store = OxigraphStore(None)
    load_articles(sorted((ROOT / "data" / "articles").glob("*.txt")), store)
    # The production server: bound to its address, so share links are absolute.
    server = make_server(create_app({"STORE": store}), "127.0.0.1", 0)
    url = f"http://127.0.0.1:{server.effective_port}"
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    _wait_until_serving(url + "/api/questions", deadline=monotonic() + 20)
    yield url
    server.close()
    thread.join(timeout=5)


def _wait_until_serving(url: str, deadline: float) -> None:
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError):
            if monotonic() > deadline:
                raise
            threading.Event().wait(0.05)  # poll again; the deadline bounds the wait


@pytest.fixture(scope="module")
def browser() -> Iterator[sync_api.Browser]:
    """Headless system chromium."""
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield launched
        launched.close()


@pytest.fixture
def page(browser: sync_api.Browser) -> Iterator[sync_api.Page]:
    """A fresh page (own context) that fails the test on a script error."""
    context = browser.new_context(viewport={"width": 1200, "height": 900})
    opened = context.new_page()
    errors: list[str] = []
    opened.on("pageerror", lambda error: errors.append(str(error)))
    yield opened
    context.close()
    assert errors == [], f"script errors on the page: {errors}"


def shoot(page: sync_api.Page, name: str) -> None:
    """Save a full-page screenshot as a test artifact."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def test_a_canned_question_end_to_end_shows_its_evidence(
    page: sync_api.Page, base_url: str
) -> None:
    page.goto(base_url + "/")
    shoot(page, "01-index")
    form = page.locator("form.question", has=page.locator("#q-conditions-by-feature"))
    form.get_by_label("Body site").fill("calf")
    form.get_by_label("Trigger").fill("exercise")  # a synonym, as a clinician would type it
    form.get_by_role("button", name="Answer").click()
    page.wait_for_url("**/questions/conditions-by-feature?*")
    answers = page.locator("li.answer")
    sync_api.expect(answers.filter(has_text=PAES)).to_be_visible()
    paes = answers.filter(has_text=PAES)
    sync_api.expect(paes.locator("blockquote.evidence").first).to_contain_text("paresthesia")
    sync_api.expect(paes.locator("blockquote.evidence cite").first).to_be_visible()
    sync_api.expect(paes.locator("ul.citations li").first).to_be_visible()
    sync_api.expect(page.get_by_role("link", name="Download CSV")).to_be_visible()
    page.get_by_text("Show the SPARQL").click()
    sync_api.expect(page.locator("details.sparql pre")).to_contain_text("VALUES")
    shoot(page, "02-answer-conditions-by-feature")


def test_not_recommended_treatments_stand_out(page: sync_api.Page, base_url: str) -> None:
    page.goto(base_url + "/questions/treatments?condition=Nocturnal+leg+cramps")
    flagged = page.locator("li.answer.not-recommended")
    sync_api.expect(flagged.first).to_be_visible()
    sync_api.expect(flagged.filter(has_text="Quinine").locator(".status")).to_contain_text(
        "NOT RECOMMENDED"
    )
    colour = flagged.first.locator(".status").evaluate("e => getComputedStyle(e).backgroundColor")
    assert colour == "rgb(164, 14, 38)"  # the danger red, not the neutral badge
    shoot(page, "03-treatments-not-recommended")


def test_a_shared_url_reproduces_the_answer(
    browser: sync_api.Browser, page: sync_api.Page, base_url: str
) -> None:
    page.goto(base_url + "/questions/risk-factors?condition=DVT")
    shared = page.locator("#share-url").input_value()
    labels = page.locator("li.answer h3").all_inner_texts()
    assert labels and "condition=Deep" in shared
    other = browser.new_context().new_page()
    other.goto(shared)
    assert other.locator("li.answer h3").all_inner_texts() == labels
    sync_api.expect(other.locator(".statistic").first).to_contain_text("OR")
    shoot(other, "04-shared-url-risk-factors")
    other.context.close()


def test_free_text_maps_calf_pain_on_exercise(page: sync_api.Page, base_url: str) -> None:
    page.goto(base_url + "/")
    page.get_by_label("In your own words").fill("which conditions cause calf pain on exercise?")
    page.get_by_label("In your own words").press("Enter")
    reading = page.locator(".reading-question")
    sync_api.expect(reading).to_have_attribute("data-question", "conditions-by-feature")
    sync_api.expect(page.locator("li[data-param=site]")).to_contain_text("calf")
    sync_api.expect(page.locator("li[data-param=trigger]")).to_contain_text("exertion")
    sync_api.expect(page.locator("li[data-param=trigger]")).to_contain_text("“exercise”")
    sync_api.expect(page.locator("li.answer").filter(has_text=PAES)).to_be_visible()
    shoot(page, "05-ask-in-your-own-words")
    # The reading can be corrected in the prefilled form.
    form = page.locator(".understood form.question")
    form.get_by_label("Trigger").fill("night")
    form.get_by_role("button", name="Answer").click()
    sync_api.expect(
        page.locator("li.answer").filter(has_text="Nocturnal leg cramps")
    ).to_be_visible()


def test_the_differential_helper_ranks_paes_first(page: sync_api.Page, base_url: str) -> None:
    page.goto(base_url + "/differential")
    page.get_by_label("Site").fill("calf")
    page.get_by_label("Brought on by").fill("exercise")
    page.get_by_label("Patient group").fill("young adults")
    page.get_by_label("Associated sign 1").fill("paresthesia")
    page.get_by_label("Associated sign 2").fill("swelling")
    page.get_by_role("button", name="Rank conditions").click()
    first = page.locator("li.candidate").first
    sync_api.expect(first).to_have_attribute("data-condition", PAES)
    sync_api.expect(first.locator("ul.matches")).to_contain_text("swelling")
    sync_api.expect(first.locator("ul.distinguishing")).to_contain_text("young adults")
    against = page.locator("li.candidate[data-condition='Nocturnal leg cramps'] ul.against")
    sync_api.expect(against).to_contain_text("swelling")
    first.locator("ul.matches details summary").first.click()
    sync_api.expect(first.locator("blockquote.evidence").first).to_be_visible()
    shoot(page, "06-differential-helper")


def test_an_entity_page_in_html_and_in_turtle(page: sync_api.Page, base_url: str) -> None:
    page.goto(base_url + "/questions/conditions-by-feature?site=calf&trigger=exertion")
    page.get_by_role("link", name=PAES).click()
    sync_api.expect(page.get_by_role("heading", level=1)).to_have_text(PAES)
    sync_api.expect(page.locator("blockquote.evidence").first).to_be_visible()
    sync_api.expect(page.locator("table.links").first).to_contain_text("has feature")
    shoot(page, "07-entity-page")
    turtle = page.request.get(page.url, headers={"Accept": "text/turtle"})
    assert turtle.headers["content-type"].startswith("text/turtle")
    assert "ckg:hasFeature" in turtle.text()
    page.get_by_role("link", name="Turtle").first.click()
    sync_api.expect(page.locator("body")).to_contain_text("@prefix ckg:")


def test_yasgui_runs_a_catalogue_query_against_our_endpoint(
    page: sync_api.Page, base_url: str
) -> None:
    page.goto(base_url + "/questions/conditions-by-feature?site=calf&trigger=exertion")
    page.get_by_role("link", name="Open in the query editor").click()
    tabs = page.locator(".yasgui .tabsList .tab")
    sync_api.expect(tabs.first).to_contain_text("your question")
    assert tabs.count() > 6  # the question, then every canned question as an example
    with page.expect_response(lambda r: r.url == base_url + "/sparql") as answered:
        page.locator(".yasgui .tabPanel.active .yasqe_queryButton").click()
    assert answered.value.status == 200
    results = page.locator(".yasgui .tabPanel.active .yasr")
    sync_api.expect(results).to_contain_text(PAES)
    shoot(page, "08-workbench-yasgui")


def test_the_researcher_pages_render(page: sync_api.Page, base_url: str) -> None:
    page.goto(base_url + "/ontology")
    sync_api.expect(page.locator("#Condition")).to_contain_text("Condition")
    shoot(page, "09-ontology")
    description = page.request.get(base_url + "/sparql", headers={"Accept": "text/turtle"})
    assert "sd:Service" in description.text()
    void = page.request.get(base_url + "/void", headers={"Accept": "text/turtle"})
    assert "void:Dataset" in void.text()
