"""Public queries run in worker processes that can be killed at a deadline.

A running pyoxigraph query cannot be interrupted from Python (no signal reaches it), but its
process can be killed. So each user query goes to a worker process; past the deadline the worker
is killed, the client gets 503, and a fresh worker takes its place on the next request. At most
`workers` queries run at once; `queue` more may wait up to `queue_wait` seconds for a worker
(then 503), beyond that the caller is told 429. Both carry Retry-After.

Workers start from a clean fork server; for an embedded store on disk each opens its own
read-only view, for an in-memory store it gets a copy, for a SPARQL server it makes plain HTTP
calls. A worker of a store directory follows its published generation by itself (it reads the
pointer on every query); a worker holding a copy holds a snapshot: when the store's `generation`
changes (a replace in this process), idle copies are retired and new ones see the new data.
"""

from __future__ import annotations

import math
import multiprocessing
import socket
import threading
import time
import weakref
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, replace
from multiprocessing.context import BaseContext
from multiprocessing.process import BaseProcess

from clinkg.errors import (
    NotAcceptable,
    QueryError,
    QueryRefused,
    QueryTimeout,
    ServerBusy,
    StoreUnavailable,
    TooManyQueries,
)
from clinkg.server.query_worker import (
    IDLE_SECONDS,
    QueryFailure,
    QueryJob,
    QueryReply,
    WorkerSource,
    receive,
    send,
    worker_main,
)
from clinkg.store import Store
from clinkg.store.oxigraph import OxigraphStore


@dataclass(frozen=True)
class RunnerSettings:
    """Limits on public queries (Flask config keys QUERY_WORKERS, QUERY_DEADLINE, ...)."""

    workers: int = 4
    deadline: float = 10.0  # seconds a query may run before its worker is killed
    queue: int = 32  # queries that may wait for a worker beyond those running
    queue_wait: float = 5.0  # seconds a query waits for a worker before 503
    max_rows: int = 10_000
    max_triples: int = 50_000
    niceness: int = 0  # added to a worker's nice value: pages win the CPU from queries


class QueryRunner:
    """Runs jobs in a bounded set of killable worker processes over one store."""

    def __init__(self, store: Store, settings: RunnerSettings | None = None) -> None:
        self.settings = settings or RunnerSettings()
        self._store = store
        self._context = _context()
        self._slots = threading.BoundedSemaphore(self.settings.workers)
        self._lock = threading.Lock()
        self._in_flight = 0
        self._running = 0
        self._idle: list[_Worker] = []
        self.lost_workers = 0  # workers that died while answering (a bug, or out of memory)
        weakref.finalize(self, _stop_all, self._idle)

    def run(self, job: QueryJob) -> QueryReply:
        """The job's answer, or QueryError/QueryRefused (400), NotAcceptable (406),
        QueryTimeout/ServerBusy/StoreUnavailable (503), TooManyQueries (429)."""
        with self._slot():
            worker = self._take_worker()
            try:
                outcome = worker.ask(job, self.settings.deadline)
            except BaseException as error:
                worker.kill()
                if isinstance(error, _WorkerLost):
                    self.lost_workers += 1
                raise
            with self._lock:
                self._idle.append(worker)
        if isinstance(outcome, QueryFailure):
            raise _error(outcome)
        return outcome

    @property
    def running(self) -> int:
        """Queries holding a worker now."""
        return self._running

    @property
    def in_flight(self) -> int:
        """Queries running or waiting for a worker now."""
        return self._in_flight

    def warm(self) -> None:
        """Start every worker now, each with the store open, so no query waits for one."""
        generation = self._generation()
        started = [
            _Worker(self._context, _source_for(self._store), generation, self.settings.niceness)
            for _ in range(self.settings.workers - len(self._idle))
        ]
        with self._lock:
            self._idle.extend(started)

    def close(self) -> None:
        """Stop the idle workers (busy ones stop after their query, or with this process)."""
        _stop_all(self._idle)

    @contextmanager
    def _slot(self) -> Iterator[None]:
        retry = max(1, math.ceil(self.settings.deadline))
        with self._lock:
            if self._in_flight >= self.settings.workers + self.settings.queue:
                raise TooManyQueries("too many queries are running; try again later", retry)
            self._in_flight += 1
        try:
            if not self._slots.acquire(timeout=self.settings.queue_wait):
                raise ServerBusy("every query worker is busy; try again later", retry)
            with self._lock:
                self._running += 1
            try:
                yield
            finally:
                with self._lock:
                    self._running -= 1
                self._slots.release()
        finally:
            with self._lock:
                self._in_flight -= 1

    def _take_worker(self) -> _Worker:
        generation = self._generation()
        stale: list[_Worker] = []
        try:
            with self._lock:
                while self._idle:
                    worker = self._idle.pop()
                    if worker.generation == generation and worker.fresh():
                        return worker
                    stale.append(worker)
        finally:
            # Stopping waits for each process: never while other requests wait for the lock.
            _stop_all(stale)
        return _Worker(self._context, _source_for(self._store), generation, self.settings.niceness)

    def _generation(self) -> int:
        """The state a worker must have been started at; always 0 when workers follow the
        store directory themselves (so no request reads the pointer file for them)."""
        if isinstance(self._store, OxigraphStore) and self._store.path is not None:
            return 0
        return int(getattr(self._store, "generation", 0))


class _WorkerLost(StoreUnavailable):
    """A worker process that died while it held a job."""


class _Worker:
    """One worker process and the parent's end of the socket pair to it.

    The socket is the only thing the worker holds of the parent's, so when the worker dies the
    parent reads end-of-file at once; no second descriptor (the process sentinel) is watched.
    """

    def __init__(
        self, context: BaseContext, source: WorkerSource, generation: int, niceness: int
    ) -> None:
        self.generation = generation
        self.sock, child = socket.socketpair()
        process: BaseProcess = context.Process(  # type: ignore[attr-defined]
            target=worker_main,
            args=(child, source, niceness),
            daemon=True,
            name="clinkg-query",
        )
        self.process = process
        process.start()
        child.close()
        self.last_used = time.monotonic()

    def fresh(self) -> bool:
        """Alive and far from exiting on its own for idleness."""
        idle = time.monotonic() - self.last_used
        return idle < IDLE_SECONDS / 2 and self.process.is_alive()

    def ask(self, job: QueryJob, deadline: float) -> QueryReply | QueryFailure:
        """Send one job and wait for its answer until the deadline."""
        self.last_used = time.monotonic()
        try:
            send(self.sock, job)
            outcome, body = receive(self.sock, deadline)
        except TimeoutError:
            raise QueryTimeout(
                f"the query ran longer than {deadline:g} s and was stopped", math.ceil(deadline)
            ) from None
        except (EOFError, OSError):
            raise _WorkerLost("the query worker stopped unexpectedly") from None
        if isinstance(outcome, QueryReply):
            return replace(outcome, body=body)
        if isinstance(outcome, QueryFailure):
            return outcome
        raise _WorkerLost(f"the query worker sent {type(outcome).__name__}, not an answer")

    def kill(self) -> float:
        """Kill the process now; the seconds it took until it was gone."""
        started = time.monotonic()
        self.process.kill()
        self.process.join(timeout=5)
        self.sock.close()
        return time.monotonic() - started

    def stop(self) -> None:
        """Ask the process to exit after its current job; kill it if it does not."""
        with suppress(OSError):
            send(self.sock, None)
        self.process.join(timeout=1)
        if self.process.is_alive():
            self.kill()
        else:
            self.sock.close()


def _context() -> BaseContext:
    """Workers fork from a small clean server: no threads, no open store, no inherited sockets
    or pipes (a fork of the web server would hold its listening socket and its clients' pipes)."""
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["clinkg.server.query_worker"])
    return context


def _source_for(store: Store) -> WorkerSource:
    """How a worker reaches `store` as it is now."""
    if isinstance(store, OxigraphStore):
        if store.path is None:
            # Memory cannot be opened from another process: the worker gets a copy.
            return WorkerSource(nquads=store.export("application/n-quads"))
        return WorkerSource(path=str(store.path))
    return WorkerSource(store=store)


def _error(failure: QueryFailure) -> Exception:
    if failure.kind == "refused":
        return QueryRefused(failure.message)
    if failure.kind == "query":
        return QueryError(failure.message)
    if failure.kind == "not-acceptable":
        return NotAcceptable(failure.message)
    if failure.kind == "internal":
        return RuntimeError(f"the query worker failed: {failure.message}")
    return StoreUnavailable(failure.message)


def _stop_all(workers: list[_Worker]) -> None:
    while workers:
        workers.pop().stop()
