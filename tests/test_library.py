"""The live article library: articles added, replaced and removed while `clinkg serve` runs.

The server is a real `clinkg serve` subprocess on loopback over an embedded store directory;
loads and removals run in other processes (the CLI, or this test process) on the same directory.
Waits are polls with a deadline, never sleeps.
"""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import Runner
from rdflib import Dataset
from rdflib.compare import IsomorphicGraph, to_isomorphic
from remote_server import free_port

from clinkg.errors import ArticleParseError, StoreBusy
from clinkg.library import content_hash, list_articles
from clinkg.loaders.pipeline import load_articles, remove_articles
from clinkg.ontology import namespaces as ns
from clinkg.server import create_app
from clinkg.store.oxigraph import OxigraphStore
from clinkg.store.state import STATE_GRAPH

ARTICLES = Path(__file__).parent.parent / ".." / "shared" / "articles"
FIXTURES = Path(__file__).parent / "fixtures"
BASE_ARTICLE = FIXTURES / "extract-risk-knee.txt"  # asks about gout; the base of every state
DEADLINE = 60.0  # seconds a served answer may take to follow a load (generous: a busy machine)
RISKS = (
    "Smoking",
    "Diabetes",
    "Obesity",
    "Hypertension",
    "Chronic kidney disease",
    "Heavy alcohol use",
    "Older age",
    "Psoriasis",
    "Organ transplantation",
    "High fructose intake",
)
GOUT_ARTICLE = """What raises the risk of gout, finding {n}?

Last updated: May {n}, 2025View editorial policy

Gout Risk: Finding {n}

Gout is an inflammatory arthritis caused by urate crystal deposits in the joint. 1

Primary Condition: Gout

Who Is at Risk:

{risk} increases the risk of gout (OR {ratio}). 1

References

Research

Gout risk study number {n}.

Journal of Gout Research {n}, 20{year}
"""


def gout_articles(folder: Path) -> list[Path]:
    """Ten small articles, each adding one risk factor of gout with its own reference."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for n, risk in enumerate(RISKS, 1):
        path = folder / f"gout-finding-{n}.txt"
        path.write_text(GOUT_ARTICLE.format(n=n, risk=risk, ratio=1.5 + n / 10, year=10 + n))
        paths.append(path)
    return paths


class Served:
    """A `clinkg serve` subprocess over one store directory, on a free loopback port."""

    def __init__(self, store: Path, log: Path) -> None:
        self.base = f"http://127.0.0.1:{free_port()}"
        port = self.base.rsplit(":", 1)[1]
        self._log = log.open("wb")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "clinkg.cli", "serve", "--store", str(store), "--port", port],
            stdout=self._log,
            stderr=subprocess.STDOUT,
        )
        self.until(lambda: self.status("/api/articles") == 200, "the server never answered")

    def get(self, path: str) -> Any:
        """The JSON answer to GET `path` (a 200)."""
        with urllib.request.urlopen(self.base + path, timeout=30) as response:
            return json.loads(response.read())

    def status(self, path: str) -> int | None:
        """The status GET `path` answers with, or None while the server is not answering."""
        try:
            with urllib.request.urlopen(self.base + path, timeout=30) as response:
                return int(response.status)
        except urllib.error.HTTPError as error:
            return int(error.code)
        except (urllib.error.URLError, ConnectionError):
            assert self.process.poll() is None, "clinkg serve exited"
            return None

    def until(self, ready: Callable[[], bool], message: str) -> None:
        """Poll `ready` until it holds, or fail at the deadline."""
        deadline = time.monotonic() + DEADLINE
        while not ready():
            assert time.monotonic() < deadline, message
            threading.Event().wait(0.1)  # poll again; the deadline bounds the wait

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=30)
        self._log.close()


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[Path, Served]]:
    store = tmp_path / "store"
    OxigraphStore(store).close()
    server = Served(store, tmp_path / "serve.log")
    try:
        yield store, server
    finally:
        server.stop()


def clinkg(*argv: str) -> subprocess.CompletedProcess[str]:
    """The CLI as a user runs it, in its own process."""
    command = [sys.executable, "-m", "clinkg.cli", *argv]
    return subprocess.run(command, capture_output=True, text=True, timeout=300, check=False)


def dump_without_stamp(store: Path) -> dict[str, IsomorphicGraph]:
    """The store's exported graphs, apart from the state stamp (a fresh one comes with every
    write), each comparable up to blank node names (the ontology's OWL lists have them)."""
    exported = clinkg("export", "--store", str(store), "--format", "nq")
    assert exported.returncode == 0, exported.stderr
    dataset = Dataset()
    dataset.parse(data=exported.stdout, format="nquads")
    return {
        str(graph.identifier): to_isomorphic(graph)
        for graph in dataset.graphs()
        if graph.identifier != STATE_GRAPH and len(graph)
    }


def served_ids(server: Served) -> list[str] | None:
    listed = server.get("/api/articles")
    return None if listed is None else sorted(entry["id"] for entry in listed["articles"])


@pytest.mark.slow
def test_an_article_loaded_and_removed_while_serving_is_answered_then_gone(
    served: tuple[Path, Served],
) -> None:
    store, server = served
    first = clinkg("load", "--store", str(store), str(ARTICLES / "calf-muscle-spasms.txt"))
    assert first.returncode == 0, first.stderr
    server.until(lambda: served_ids(server) == ["calf-muscle-spasms"], "first load not served")
    calf = "/api/questions/risk-factors?condition=Nocturnal%20leg%20cramps"
    heel = "/api/questions/risk-factors?condition=Plantar%20fasciitis"
    before, one_article = server.get(calf), dump_without_stamp(store)
    assert before["answers"] and server.status(heel) == 400  # no such condition yet

    second = clinkg("load", "--store", str(store), str(ARTICLES / "heel-pain-morning.txt"))
    assert second.returncode == 0, second.stderr
    both = ["calf-muscle-spasms", "heel-pain-morning"]
    server.until(lambda: served_ids(server) == both, "the second article was never served")
    assert "Obesity" in [answer["label"] for answer in server.get(heel)["answers"]]
    assert server.get(calf)["answers"]

    removed = clinkg("remove", "--store", str(store), "heel-pain-morning")
    assert removed.returncode == 0, removed.stderr
    server.until(lambda: served_ids(server) == ["calf-muscle-spasms"], "removal not served")
    assert (server.get(calf), server.status(heel)) == (before, 400)
    # Its graphs, its load record, the entities only it named and what only it implied are gone.
    assert dump_without_stamp(store) == one_article


def test_the_same_article_under_two_names_is_one_article(tmp_path: Path) -> None:
    store = OxigraphStore(tmp_path / "store")
    copy = tmp_path / "copy-of-knee.txt"
    copy.write_bytes(BASE_ARTICLE.read_bytes())
    with pytest.raises(ArticleParseError, match="names the same article as extract-risk-knee"):
        load_articles([BASE_ARTICLE, copy], store, reasoning=False)
    load_articles([BASE_ARTICLE], store, reasoning=False)
    with pytest.raises(ArticleParseError, match=r"same content as extract-risk-knee\.txt"):
        load_articles([copy], store, reasoning=False)
    load_articles([copy], store, reasoning=False, replace=True)
    (entry,) = list_articles(store)
    assert (entry.id, entry.source) == ("extract-risk-knee", "copy-of-knee.txt")

    changed = tmp_path / "knee-v2.txt"
    changed.write_text(BASE_ARTICLE.read_text().replace("Hypertension (RR 2.31)", "Smoking"))
    report = load_articles([changed], store, reasoning=False)
    assert report.notes == (
        "knee-v2.txt: a new version of 'extract-risk-knee' (from copy-of-knee.txt)",
    )
    prefix = str(ns.article_graph("x"))[:-1]
    article_graphs = [g for g in store.graph_names() if g.startswith(prefix)]
    assert article_graphs == [ns.article_graph("extract-risk-knee")]
    assert store.ask('ASK { ?r <http://www.w3.org/2000/01/rdf-schema#label> "Smoking" }')
    assert [e.source for e in list_articles(store)] == ["knee-v2.txt"]


def test_the_library_is_listed_by_the_cli_and_the_api(tmp_path: Path, runner: Runner) -> None:
    store = OxigraphStore(tmp_path / "store")
    assert runner("articles", "--store", str(tmp_path / "store"))[1].startswith("No articles")
    load_articles([BASE_ARTICLE], store, reasoning=False)
    code, out, _ = runner("articles", "--store", str(tmp_path / "store"), "--format", "json")
    (listed,) = json.loads(out)
    client = create_app({"TESTING": True, "STORE": store}).test_client()
    assert client.get("/api/articles").get_json() == {"articles": [listed]}
    assert (listed["id"], listed["source"], listed["lastUpdated"]) == (
        "extract-risk-knee",
        "extract-risk-knee.txt",
        "2025-05-12",
    )
    assert listed["question"] == "What causes a hot, swollen big toe at night?"
    assert listed["triples"] == len(
        store.select(f"SELECT * {{ GRAPH <{listed['graph']}> {{ ?s ?p ?o }} }}")
    )
    assert listed["contentHash"] == content_hash(BASE_ARTICLE.read_bytes())
    assert listed["unresolvedCitations"] == 0 and code == 0


def test_a_file_that_would_overwrite_another_article_is_refused(tmp_path: Path) -> None:
    store = OxigraphStore(tmp_path / "store")
    load_articles([BASE_ARTICLE], store, reasoning=False)
    other = tmp_path / "extract-risk-knee.txt"
    other.write_text(GOUT_ARTICLE.format(n=1, risk="Smoking", ratio=2, year=11))
    with pytest.raises(ArticleParseError, match="asks another question"):
        load_articles([other], store, reasoning=False)
    assert [e.source for e in list_articles(store)] == ["extract-risk-knee.txt"]


def test_a_second_writer_is_told_who_holds_the_store(tmp_path: Path) -> None:
    store = tmp_path / "store"
    OxigraphStore(store).close()
    holder = subprocess.Popen(
        [sys.executable, "-c", _HOLD_WRITER_LOCK, str(store)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "holding"
        with pytest.raises(StoreBusy, match=rf"process {holder.pid} .*wait until"):
            load_articles([BASE_ARTICLE], OxigraphStore(store), reasoning=False)
        refused = clinkg("remove", "--store", str(store), "anything")
        assert refused.returncode == 1 and f"process {holder.pid}" in refused.stderr
    finally:
        holder.kill()
        holder.wait()


_HOLD_WRITER_LOCK = """
import sys
from pathlib import Path
from clinkg.store.oxigraph import OxigraphStore
with OxigraphStore(Path(sys.argv[1])).exclusive():
    print("holding", flush=True)
    sys.stdin.read()  # until the test closes or kills it
"""


@pytest.mark.slow
def test_clients_never_see_a_half_written_or_mixed_state(
    served: tuple[Path, Served], tmp_path: Path
) -> None:
    store, server = served
    writer = OxigraphStore(store)
    question = "/api/questions/risk-factors?condition=gout"
    states: list[str] = []  # each state's answer, as the writer saw it right after publishing

    def publish(change: Callable[[], object]) -> None:
        change()
        states.append(_canonical(_answer_in(writer, "gout")))

    publish(lambda: load_articles([BASE_ARTICLE], writer, reasoning=False))
    server.until(lambda: served_ids(server) == ["extract-risk-knee"], "base load not served")
    seen: list[str] = []
    errors: list[str] = []
    done = threading.Event()

    def client() -> None:
        while not done.is_set():
            try:
                seen.append(_canonical(server.get(question)))
            except Exception as error:
                errors.append(repr(error))

    clients = [threading.Thread(target=client) for _ in range(20)]
    for thread in clients:
        thread.start()
    try:
        articles = gout_articles(tmp_path / "gout")
        for path in articles:
            publish(lambda path=path: load_articles([path], writer, reasoning=False))
        for path in reversed(articles):  # back through the same states
            publish(lambda path=path: remove_articles([path.name], writer, reasoning=False))
    finally:
        done.set()
        for thread in clients:
            thread.join()
    assert errors == []
    # Every load changed the answer; each removal went back to the state before that load.
    assert len(set(states)) == len(RISKS) + 1 and states[-1] == states[0]
    assert set(seen) <= set(states), "an answer matched none of the states the store went through"
    assert len(set(seen)) > 1, "the clients never saw the store change"


def _answer_in(store: OxigraphStore, condition: str) -> Any:
    from clinkg.registry import load_catalogue
    from clinkg.server.answers import answer_question, answer_to_json

    answered = answer_question(store, load_catalogue(), "risk-factors", {"condition": condition})
    return answer_to_json(answered)


def _canonical(answer: Any) -> str:
    return json.dumps(answer, sort_keys=True)


def test_a_second_serve_on_a_port_in_use_is_told_so(tmp_path: Path, runner: Runner) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = str(taken.getsockname()[1])
        code, _, err = runner("serve", "--store", str(tmp_path / "store"), "--port", port)
    assert code == 1 and f"127.0.0.1:{port}: the port is in use" in err
