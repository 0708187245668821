"""A real `oxigraph serve` (from the `oxigraph` PyPI package) on a free loopback port, for tests.

Ready means it answers an ASK over HTTP; start polls for that with a deadline, never sleeping.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import BinaryIO, Final

STARTUP_SECONDS: Final = 20.0
POLL_SECONDS: Final = 0.05


def oxigraph_command() -> str | None:
    """The `oxigraph` executable beside this Python, else on PATH."""
    beside = Path(sys.executable).with_name("oxigraph")
    return str(beside) if beside.exists() else shutil.which("oxigraph")


def free_port() -> int:
    """A loopback port nobody listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class OxigraphServer:
    """One `oxigraph serve --union-default-graph` process over a data directory."""

    def __init__(self, location: Path, port: int | None = None) -> None:
        self.location = location
        self.port = port or free_port()
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def log(self) -> Path:
        return self.location.with_name(self.location.name + ".log")

    @property
    def query_endpoint(self) -> str:
        return self.base + "/query"

    @property
    def update_endpoint(self) -> str:
        return self.base + "/update"

    def start(self) -> None:
        """Start the server and return once it answers queries."""
        command = oxigraph_command()
        assert command is not None, "the oxigraph package is not installed"
        with self.log.open("ab") as log:
            self.process = self._spawn(command, log)
        self._wait_until_ready()

    def clear(self) -> None:
        """Drop every graph (one update), so the next test starts empty."""
        request = urllib.request.Request(
            self.update_endpoint,
            data=b"DROP ALL",
            headers={"Content-Type": "application/sparql-update"},
        )
        with urllib.request.urlopen(request, timeout=10) as response:
            assert int(response.status) in (200, 204)

    def _spawn(self, command: str, log: BinaryIO) -> subprocess.Popen[bytes]:
        return subprocess.Popen(
            [
                command,
                "serve",
                "--location",
                str(self.location),
                "--bind",
                f"127.0.0.1:{self.port}",
                "--union-default-graph",
            ],
            stdout=subprocess.DEVNULL,
            # A file, not a pipe: a pipe nobody reads would block a chatty server.
            stderr=log,
        )

    def stop(self) -> None:
        """Stop the server and wait for it to exit (the data directory is then free)."""
        if self.process is None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.process = None

    def _wait_until_ready(self) -> None:
        assert self.process is not None
        deadline = time.monotonic() + STARTUP_SECONDS
        while time.monotonic() < deadline:
            if self._answers():
                return
            try:
                # Waiting on the process, not sleeping: an early exit ends the wait at once.
                code = self.process.wait(timeout=POLL_SECONDS)
            except subprocess.TimeoutExpired:
                continue
            self.process = None
            log = self.log.read_text(errors="replace")
            raise RuntimeError(f"oxigraph serve exited with {code}: {log}")
        self.stop()
        raise RuntimeError(f"oxigraph serve did not answer on {self.base} within the deadline")

    def _answers(self) -> bool:
        url = self.query_endpoint + "?query=ASK%7B%7D"
        try:
            with urllib.request.urlopen(url, timeout=1) as response:
                return int(response.status) == 200
        except (urllib.error.URLError, OSError):
            return False
