"""Loads are atomic under kill -9, and the server holds up under a bounded load.

The kill test runs the real `clinkg load` in a subprocess with a probe that reports when it is
writing (and holds it there), kills it with SIGKILL, then serves the store: the previous graph
must be there exactly, with no half-written graph beside it. A second kill lands as the new
generation is published: the store must then be exactly the old one or exactly the new one.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from types import ModuleType
from typing import Final

import pytest

from clinkg.server import create_app
from clinkg.store.oxigraph import STAGING_PREFIX, OxigraphStore

ROOT: Final = Path(__file__).resolve().parent.parent
ARTICLE: Final = ROOT / "data" / "articles" / "calf-muscle-spasms.txt"
MARKER_SECONDS: Final = 120.0

# Runs `clinkg load` with one write step wrapped: it prints a marker, then holds or goes on.
PROBE: Final = """
import sys, time
from clinkg import cli
from clinkg.store import generations, oxigraph as oxigraph_store
mode = sys.argv[1]
if mode == "staging":
    # Writing quads into the next, unpublished generation.
    subject = oxigraph_store._subject
    written = [0]
    def slow_subject(term):
        written[0] += 1
        if written[0] == 200:
            print("WRITING", flush=True)
            time.sleep(600)
        return subject(term)
    oxigraph_store._subject = slow_subject
else:
    # Publishing it: the kill lands before or after the pointer is replaced.
    publish = generations.Generations._publish
    def announced(self, number):
        print("WRITING", flush=True)
        publish(self, number)
    generations.Generations._publish = announced
sys.exit(cli.main(["load", "--store", sys.argv[2], sys.argv[3]]))
"""


def _snapshot(path: Path) -> tuple[list[str], bytes]:
    """Graph names and the sorted N-Quads of the store at `path` (opened, then released)."""
    store = OxigraphStore(path)
    names = [str(name) for name in store.graph_names()]
    quads = b"\n".join(sorted(store.export("application/n-quads").splitlines()))
    store.close()
    del store
    return names, quads


def _kill_when_writing(mode: str, store: Path) -> int | None:
    """Run the probed load; SIGKILL it on the marker. Its exit code if it finished first."""
    process = subprocess.Popen(
        [sys.executable, "-c", PROBE, mode, str(store), str(ARTICLE)],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        cwd=ROOT,
    )
    assert process.stdout is not None
    deadline = time.monotonic() + MARKER_SECONDS
    line = b""
    while time.monotonic() < deadline and not line:
        line = process.stdout.readline()  # blocks until the marker or the end of output
        if not line:
            break
    if line.strip() == b"WRITING":
        os.kill(process.pid, signal.SIGKILL)
    code = process.wait(timeout=MARKER_SECONDS)
    return None if code == -signal.SIGKILL else code


def _served_count(store: Path) -> int:
    """Triples the /sparql endpoint of an app over `store` counts."""
    app = create_app({"TESTING": True, "STORE": str(store)})
    query = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    response = app.test_client().post("/sparql", data={"query": query})
    assert response.status_code == 200
    count = int(response.get_json()["results"]["bindings"][0]["n"]["value"])
    app.extensions["clinkg.server.query_runner"].close()
    app.extensions["clinkg.store"].close()
    return count


@pytest.mark.slow
def test_kill_9_while_staging_leaves_the_previous_graph_served(disk_store: Path) -> None:
    before = _snapshot(disk_store)
    assert _kill_when_writing("staging", disk_store) is None
    after = _snapshot(disk_store)
    assert not any(name.startswith(STAGING_PREFIX) for name in after[0])
    assert after == before
    assert _served_count(disk_store) == before[1].count(b"\n") + 1


@pytest.mark.slow
def test_kill_9_during_the_swap_leaves_the_old_or_the_new_store_never_a_mix(
    disk_store: Path, tmp_path: Path
) -> None:
    reference = tmp_path / "reference"
    shutil.copytree(disk_store, reference)
    before = _snapshot(disk_store)
    # The same load left to finish, on a copy, meanwhile: what "the new store" is.
    finishing = subprocess.Popen(
        [sys.executable, "-m", "clinkg.cli", "load", "--store", str(reference), str(ARTICLE)],
        stdout=subprocess.DEVNULL,
        cwd=ROOT,
    )
    _kill_when_writing("swap", disk_store)
    assert finishing.wait(timeout=MARKER_SECONDS) == 0
    complete = _snapshot(reference)
    after = _snapshot(disk_store)
    assert after in (before, complete)


def _load_test_module() -> ModuleType:
    spec = importlib.util.spec_from_file_location("load_test", ROOT / "bench" / "load_test.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while being defined
    spec.loader.exec_module(module)
    return module


@pytest.mark.slow
def test_twenty_clients_for_ten_seconds_get_no_error_and_memory_stays_flat(
    disk_store: Path,
) -> None:
    bench = _load_test_module()
    port = bench.free_port()
    server = bench.start_server(disk_store, port)
    try:
        figures = bench.run_clients(port, server.pid, clients=20, seconds=10.0)
    finally:
        server.kill()
        server.wait()
    assert figures.requests > 200
    assert figures.errors == 0, figures.statuses
    assert figures.rss_end - figures.rss_warm < 30 * 2**20
