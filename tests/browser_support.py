"""What the browser tests share: the app served on loopback, Chromium, screenshots and axe-core."""

from __future__ import annotations

import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from time import monotonic
from typing import Any

from clinkg.loaders.pipeline import load_articles
from clinkg.store.oxigraph import OxigraphStore

CHROMIUM = Path("/usr/bin/chromium")
ROOT = Path(__file__).resolve().parents[1]
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# axe-core impacts that fail a page; "minor" and "moderate" findings are left to review.
FAILING_IMPACTS = ("serious", "critical")


@contextmanager
def served_app() -> Iterator[str]:
    """The app under waitress on a free loopback port over every bundled article; its URL."""
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
    try:
        yield url
    finally:
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


def shoot(page: Any, name: str, *, full_page: bool = True) -> Path:
    """Save a screenshot as a test artifact (the whole page, or just the viewport)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=full_page)
    return path


def axe_violations(page: Any) -> list[str]:
    """The page's serious and critical axe-core violations, one line each (rule, impact, nodes).

    The page's CSP refuses a script tag (`add_script_tag`), so axe's source is evaluated through
    the DevTools protocol instead, which the CSP does not govern: the page keeps its real policy
    (no `bypass_csp`) and a test still fails on a script the policy refuses.
    """
    page.evaluate(AXE.read_text(encoding="utf-8"))
    results = page.evaluate("async () => await axe.run(document)")
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
        for v in results["violations"]
        if v["impact"] in FAILING_IMPACTS
    ]
