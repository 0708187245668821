"""Real SPARQL servers on free loopback ports, for tests: Oxigraph server and Virtuoso 7.

`oxigraph serve` comes from the `oxigraph` PyPI package, in union-default-graph mode or plain;
`virtuoso-t` from Debian's virtuoso-opensource-7-bin (scripts/setup --test installs both), run
on a minimal `virtuoso.ini` written here: its own database in a temporary directory, both ports
on loopback. Ready means the server answers an ASK over HTTP; start polls for that with a
deadline, never sleeping.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Mapping
from pathlib import Path
from typing import Final

import pytest

STARTUP_SECONDS: Final = 60.0
POLL_SECONDS: Final = 0.05
REGISTERED = (
    "SELECT ?g WHERE { GRAPH <urn:clinkg:remote:graphs> "
    "{ ?g a <http://www.w3.org/ns/sparql-service-description#NamedGraph> } }"
)


def oxigraph_command() -> str | None:
    """The `oxigraph` executable beside this Python, else on PATH."""
    beside = Path(sys.executable).with_name("oxigraph")
    return str(beside) if beside.exists() else shutil.which("oxigraph")


def virtuoso_command() -> str | None:
    """Debian's `virtuoso-t`, when installed."""
    return shutil.which("virtuoso-t")


def free_port() -> int:
    """A loopback port nobody listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class SparqlServer:
    """A server process, started and stopped by tests; subclasses say how to run it."""

    name = "server"
    query_path = "/query"
    update_path = "/update"
    # What a RemoteStore on this server needs in its environment (credentials).
    environ: Mapping[str, str] = {}

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
        return self.base + self.query_path

    @property
    def update_endpoint(self) -> str:
        return self.base + self.update_path

    def command(self) -> list[str]:
        raise NotImplementedError

    def start(self) -> None:
        """Start the server and return once it answers queries."""
        command = self.command()
        with self.log.open("ab") as log:
            # A file, not a pipe: a pipe nobody reads would block a chatty server.
            self.process = subprocess.Popen(
                command, stdout=subprocess.DEVNULL, stderr=log, cwd=self.location.parent
            )
        self._wait_until_ready()

    def clear(self) -> None:
        """Drop every graph clinkg registered (one update), so the next test starts empty."""
        graphs = [line for line in self._csv(REGISTERED)[1:] if line]
        drops = [f"DROP SILENT GRAPH <{g}>" for g in (*graphs, "urn:clinkg:remote:graphs")]
        self.update(" ;\n".join(drops))

    def update(self, update: str) -> None:
        """Send one update over the Protocol, as a client with no credentials."""
        data = urllib.parse.urlencode({"update": update}).encode()
        with urllib.request.urlopen(self.update_endpoint, data, timeout=30) as response:
            assert int(response.status) in (200, 204)

    def _csv(self, query: str) -> list[str]:
        data = urllib.parse.urlencode({"query": query}).encode()
        request = urllib.request.Request(self.query_endpoint, data, {"Accept": "text/csv"})
        with urllib.request.urlopen(request, timeout=30) as response:
            text: str = response.read().decode()
        return [line.strip().strip('"') for line in text.splitlines()]

    def stop(self) -> None:
        """Stop the server and wait for it to exit (the data directory is then free)."""
        if self.process is None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
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
            raise RuntimeError(f"{self.name} exited with {code}: {log}")
        self.stop()
        raise RuntimeError(f"{self.name} did not answer on {self.base} within the deadline")

    def _answers(self) -> bool:
        url = self.query_endpoint + "?query=ASK%7B%7D"
        try:
            with urllib.request.urlopen(url, timeout=1) as response:
                return int(response.status) == 200
        except (urllib.error.URLError, OSError):
            return False


class OxigraphServer(SparqlServer):
    """One `oxigraph serve` process over a data directory, union default graph or plain."""

    def __init__(self, location: Path, port: int | None = None, *, union: bool = True) -> None:
        super().__init__(location, port)
        self.union = union
        self.name = "oxigraph serve" + (" --union-default-graph" if union else "")

    def command(self) -> list[str]:
        command = oxigraph_command()
        assert command is not None, "the oxigraph package is not installed"
        bind = ["--bind", f"127.0.0.1:{self.port}"]
        union = ["--union-default-graph"] if self.union else []
        return [command, "serve", "--location", str(self.location), *bind, *union]

    def clear(self) -> None:
        """Drop every graph (one update), so the next test starts empty."""
        self.update("DROP ALL")


VIRTUOSO_INI: Final = """\
[Database]
DatabaseFile = {dir}/virtuoso.db
ErrorLogFile = {dir}/virtuoso.log
LockFile = {dir}/virtuoso.lck
TransactionFile = {dir}/virtuoso.trx
xa_persistent_file = {dir}/virtuoso.pxa
Striping = 0

[TempDatabase]
DatabaseFile = {dir}/virtuoso-temp.db
TransactionFile = {dir}/virtuoso-temp.trx

[Parameters]
ServerPort = 127.0.0.1:{sql_port}
DirsAllowed = {dir}
NumberOfBuffers = 10000
MaxDirtyBuffers = 6000

[HTTPServer]
ServerPort = 127.0.0.1:{port}
ServerThreads = 4

[SPARQL]
ResultSetMaxRows = 1000000
MaxQueryExecutionTime = 60
"""


class VirtuosoServer(SparqlServer):
    """Debian's Virtuoso 7 on a database of its own, SPARQL at /sparql and /sparql-auth.

    Out of the box its anonymous SPARQL user may not write; `grant_update` gives it
    SPARQL_UPDATE (the set-up the README describes), or a client writes to /sparql-auth with
    Digest credentials (dba / dba on a new database).
    """

    name = "virtuoso-t"
    query_path = "/sparql"
    update_path = "/sparql"

    def __init__(self, location: Path, port: int | None = None) -> None:
        super().__init__(location, port)
        self.sql_port = free_port()

    def command(self) -> list[str]:
        command = virtuoso_command()
        assert command is not None, "virtuoso-opensource-7-bin is not installed"
        self.location.mkdir(parents=True, exist_ok=True)
        ini = self.location / "virtuoso.ini"
        settings = {"dir": self.location, "port": self.port, "sql_port": self.sql_port}
        ini.write_text(VIRTUOSO_INI.format(**settings))
        return [command, "+foreground", "+configfile", str(ini)]

    def grant_update(self) -> None:
        """Let the anonymous SPARQL user update (Virtuoso's `GRANT SPARQL_UPDATE TO "SPARQL"`)."""
        isql = shutil.which("isql-vt")
        assert isql is not None, "isql-vt (virtuoso-opensource-7-bin) is not installed"
        statement = 'exec=GRANT SPARQL_UPDATE TO "SPARQL";'
        subprocess.run(
            [isql, f"127.0.0.1:{self.sql_port}", "dba", "dba", statement],
            check=True,
            capture_output=True,
            timeout=60,
        )


# Each real server the remote store is tested on, by the conftest fixture that starts it.
REMOTE_SERVERS = {
    "oxigraph-union": "oxigraph_server",
    "oxigraph-plain": "oxigraph_plain_server",
    "virtuoso": "virtuoso_server",
}


def remote_server(request: pytest.FixtureRequest, kind: str) -> SparqlServer:
    """The session's server of `kind` (a key of REMOTE_SERVERS), started on first use."""
    server: SparqlServer = request.getfixturevalue(REMOTE_SERVERS[kind])
    return server
