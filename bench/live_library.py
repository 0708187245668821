"""clinkg benchmark: the live library — what a write costs and how soon `clinkg serve` follows.

Run from the repository: `.venv/bin/python bench/live_library.py`. Loads the bundled articles
one by one (no reasoning, so the figures are the store's, not HermiT's) into a store that a
`clinkg serve` subprocess on loopback answers from, and prints per write: the load's seconds,
the generation write's seconds (checkpoint, change, flush, publish), and the seconds from the
load returning until `GET /api/articles` lists the article. Then removes them the same way.
"""

from __future__ import annotations

import json
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path

from clinkg.loaders.pipeline import load_articles, remove_articles
from clinkg.store import generations
from clinkg.store.oxigraph import OxigraphStore

ARTICLES = Path(__file__).resolve().parents[1] / "data" / "articles"
write_seconds: list[float] = []


def _timed_write(original: Callable[..., None]) -> Callable[..., None]:
    def write(self: generations.Generations, change: Callable[..., None]) -> None:
        started = time.perf_counter()
        original(self, change)
        write_seconds.append(time.perf_counter() - started)

    return write


def served_ids(base: str) -> list[str] | None:
    try:
        with urllib.request.urlopen(base + "/api/articles", timeout=30) as response:
            return sorted(entry["id"] for entry in json.loads(response.read())["articles"])
    except (urllib.error.URLError, ConnectionError):
        return None


def until(base: str, wanted: list[str], deadline: float = 60.0) -> float:
    """Seconds until the server lists `wanted` (polled every 10 ms)."""
    started = time.perf_counter()
    while served_ids(base) != wanted:
        if time.perf_counter() - started > deadline:
            raise RuntimeError(f"the server did not follow within {deadline} s")
        threading.Event().wait(0.01)
    return time.perf_counter() - started


def main() -> None:
    generations.Generations.write = _timed_write(generations.Generations.write)  # type: ignore[method-assign]
    with tempfile.TemporaryDirectory() as tmp:
        store_dir = Path(tmp) / "store"
        store = OxigraphStore(store_dir)
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        base = f"http://127.0.0.1:{port}"
        command = [sys.executable, "-m", "clinkg.cli", "serve", "--store", str(store_dir)]
        server = subprocess.Popen([*command, "--port", str(port)], stderr=subprocess.DEVNULL)
        try:
            until(base, [])
            loaded: list[str] = []
            follow: list[float] = []
            print("write             load s  generation write s  served after s")
            for path in sorted(ARTICLES.glob("*.txt")):
                started = time.perf_counter()
                load_articles([path], store, reasoning=False)
                seconds = time.perf_counter() - started
                loaded = sorted([*loaded, path.stem])
                follow.append(until(base, loaded))
                print(
                    f"load {path.stem[:12]:12}  {seconds:6.2f}  {write_seconds[-1]:18.3f}"
                    f"  {follow[-1]:14.3f}"
                )
            for name in list(loaded):
                started = time.perf_counter()
                remove_articles([name], store, reasoning=False)
                seconds = time.perf_counter() - started
                loaded.remove(name)
                follow.append(until(base, loaded))
                print(
                    f"remove {name[:10]:10}  {seconds:6.2f}  {write_seconds[-1]:18.3f}"
                    f"  {follow[-1]:14.3f}"
                )
            print(
                f"median generation write {statistics.median(write_seconds):.3f} s,"
                f" median served after {statistics.median(follow):.3f} s,"
                f" max {max(follow):.3f} s"
            )
        finally:
            server.terminate()
            server.wait(timeout=30)


if __name__ == "__main__":
    main()
