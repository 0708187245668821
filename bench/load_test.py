"""Bounded load test of `clinkg serve` on loopback: N clients for S seconds, errors and memory.

Run from the repository: `.venv/bin/python bench/load_test.py` (20 clients, 60 s, the bundled
articles loaded first) or `--seconds 10 --store DIR` on a store already loaded. Prints requests,
errors, statuses, latency percentiles and the server's memory (its process and its query workers)
after warm-up and at the end. tests/test_security_load.py runs a 10 s version.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final
from urllib.parse import urlencode

ROOT: Final = Path(__file__).resolve().parent.parent
STARTUP_SECONDS: Final = 60.0
# A mix of what the public asks: researchers' SPARQL, the JSON API and the page.
REQUESTS: Final = (
    ("GET", "/sparql?" + urlencode({"query": "SELECT ?s ?p ?o WHERE { ?s ?p ?o } LIMIT 50"})),
    ("POST", "/sparql", "query=" + "ASK%20%7B%20%3Fs%20a%20%3Fc%20%7D"),
    ("GET", "/sparql?" + urlencode({"query": "CONSTRUCT WHERE { ?s a ?c } LIMIT 100"})),
    ("GET", "/api/questions"),
    ("GET", "/"),
)


@dataclass
class Figures:
    """What a load test measured."""

    requests: int = 0
    errors: int = 0
    statuses: dict[int, int] = field(default_factory=dict)
    latencies: list[float] = field(default_factory=list)
    rss_warm: int = 0
    rss_end: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def summary(self) -> dict[str, object]:
        ordered = sorted(self.latencies) or [0.0]
        return {
            "requests": self.requests,
            "errors": self.errors,
            "statuses": self.statuses,
            "p50_ms": round(statistics.median(ordered) * 1000, 1),
            "p99_ms": round(ordered[int(len(ordered) * 0.99) - 1] * 1000, 1),
            "rss_warm_mb": round(self.rss_warm / 2**20, 1),
            "rss_end_mb": round(self.rss_end / 2**20, 1),
        }


def free_port() -> int:
    """A loopback port nobody listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def start_server(store: Path, port: int) -> subprocess.Popen[bytes]:
    """`clinkg serve` on loopback over `store`, polled until it answers."""
    command = [sys.executable, "-m", "clinkg.cli", "serve", "--store", str(store)]
    process = subprocess.Popen(
        [*command, "--host", "127.0.0.1", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"clinkg serve exited with {process.returncode}")
        try:
            if _request(port, ("GET", "/api/questions"))[0] == 200:
                return process
        except OSError:
            time.sleep(0.1)  # polling the port with a deadline, not waiting blind
    process.kill()
    raise RuntimeError("clinkg serve did not answer in time")


def tree_rss(pid: int) -> int:
    """Resident memory of a process and all its descendants, in bytes (Linux /proc)."""
    total, todo = 0, [pid]
    while todo:
        current = todo.pop()
        try:
            status = Path(f"/proc/{current}/status").read_text()
            # Children are listed per thread: workers start from the server's request threads.
            tasks = Path(f"/proc/{current}/task").glob("*/children")
            children = [child for task in tasks for child in task.read_text().split()]
        except OSError:
            continue
        rss = next((line.split()[1] for line in status.splitlines() if line.startswith("VmRSS")), 0)
        total += int(rss) * 1024
        todo.extend(int(child) for child in children)
    return total


def run_clients(port: int, pid: int, clients: int, seconds: float) -> Figures:
    """`clients` threads cycling through REQUESTS for `seconds`; memory: the peak of the first
    half, once every request kind has been answered (workers started, caches filled), and the end.

    The warm figure is a peak, not one sample: query workers start on demand, so a single early
    sample on a busy machine can land before the pool has grown and read as growth later.
    """
    figures = Figures()
    started = time.monotonic()
    stop = started + seconds
    threads = [
        threading.Thread(target=_client, args=(port, stop, index, figures))
        for index in range(clients)
    ]
    for thread in threads:
        thread.start()
    while time.monotonic() < started + seconds / 2 or figures.requests < clients * len(REQUESTS):
        if time.monotonic() >= stop:
            break
        if figures.requests >= len(REQUESTS):
            figures.rss_warm = max(figures.rss_warm, tree_rss(pid))
        time.sleep(0.1)
    for thread in threads:
        thread.join()
    figures.rss_end = tree_rss(pid)
    return figures


def _client(port: int, stop: float, index: int, figures: Figures) -> None:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    turn = index
    while time.monotonic() < stop:
        started = time.monotonic()
        try:
            status, connection = _send(connection, port, REQUESTS[turn % len(REQUESTS)])
        except OSError:
            status = 0
        elapsed = time.monotonic() - started
        with figures.lock:
            figures.requests += 1
            figures.statuses[status] = figures.statuses.get(status, 0) + 1
            figures.errors += status != 200
            figures.latencies.append(elapsed)
        turn += 1
    connection.close()


def _send(
    connection: http.client.HTTPConnection, port: int, spec: tuple[str, ...]
) -> tuple[int, http.client.HTTPConnection]:
    method, path, *body = spec
    headers = {"Content-Type": "application/x-www-form-urlencoded"} if body else {}
    try:
        connection.request(method, path, body=body[0] if body else None, headers=headers)
        response = connection.getresponse()
    except (http.client.HTTPException, ConnectionError):
        # A keep-alive connection the server closed: one fresh connection, one retry.
        connection.close()
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        connection.request(method, path, body=body[0] if body else None, headers=headers)
        response = connection.getresponse()
    response.read()
    return response.status, connection


def _request(port: int, spec: tuple[str, ...]) -> tuple[int, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        status, _ = _send(connection, port, spec)
        return status, b""
    finally:
        connection.close()


def load_bundled_articles(store: Path) -> None:
    """The bundled articles loaded into `store` by `clinkg load`."""
    articles = sorted(str(path) for path in (ROOT / "data" / "articles").glob("*.txt"))
    command = [sys.executable, "-m", "clinkg.cli", "load", "--store", str(store), *articles]
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)


def main() -> int:
    """Run the load test and print its figures as JSON."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--store", type=Path, help="a loaded store (default: load the articles)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        store = args.store or Path(scratch) / "store"
        if args.store is None:
            load_bundled_articles(store)
        port = free_port()
        server = start_server(store, port)
        try:
            figures = run_clients(port, server.pid, args.clients, args.seconds)
        finally:
            server.kill()
            server.wait()
    print(json.dumps({"clients": args.clients, "seconds": args.seconds, **figures.summary()}))
    return 0 if figures.errors == 0 else 1


if __name__ == "__main__":
    os.chdir(ROOT)
    sys.exit(main())
