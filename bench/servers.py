"""Servers the benchmark starts on loopback: `clinkg serve` and a plain `oxigraph serve`.

Each runs as its own process on one store directory (one at a time: a RocksDB directory has
one writer), is polled until it answers, and is stopped by its own process id.
"""

from __future__ import annotations

import http.client
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Final

from clinkg.store.generations import Generations

STARTUP_SECONDS: Final = 60.0


def free_port() -> int:
    """A loopback port nobody listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def oxigraph_command() -> str:
    """The `oxigraph` executable of the `oxigraph` PyPI package (test extra)."""
    beside = Path(sys.executable).with_name("oxigraph")
    found = str(beside) if beside.exists() else shutil.which("oxigraph")
    if found is None:
        raise SystemExit("bench: the `oxigraph` package is not installed (pip install oxigraph)")
    return found


class Server:
    """One server process on a free port; `first_answer_seconds` is start to first answer.

    A `niceness` above 0 runs the process at that nice(1) increment.
    """

    def __init__(self, kind: str, store: Path, probe: str, niceness: int = 0) -> None:
        self.kind = kind
        self.port = free_port()
        self.probe = probe
        if kind == "clinkg":
            clinkg = str(Path(sys.executable).with_name("clinkg"))
            command = [clinkg, "serve", "--store", str(store), "--port", str(self.port)]
        else:
            bind = f"127.0.0.1:{self.port}"
            # A clinkg store directory holds generations; the engine reads the published one.
            published = Generations(store, writable=False)
            location = published.directory(published.current() or 0)
            command = [oxigraph_command(), "serve-read-only", "--location", str(location)]
            command += ["--bind", bind, "--union-default-graph"]
        if niceness:
            command = ["nice", "-n", str(niceness), *command]
        started = time.perf_counter()
        self.process = subprocess.Popen(
            command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        self.first_answer_seconds = self._wait(started)

    def _wait(self, started: float) -> float:
        deadline = started + STARTUP_SECONDS
        while time.perf_counter() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"bench: {self.kind} server exited with {self.process.returncode}")
            try:
                connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)
                connection.request("GET", self.probe)
                if connection.getresponse().status == 200:
                    return time.perf_counter() - started
            except OSError:
                time.sleep(0.02)
        raise SystemExit(f"bench: {self.kind} server gave no answer in {STARTUP_SECONDS} s")

    def peak_memory_mb(self) -> float:
        """The process's peak resident memory (VmHWM), in megabytes."""
        for line in Path(f"/proc/{self.process.pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
        return float("nan")

    def stop(self) -> None:
        """Stop this server's process and wait for it."""
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
