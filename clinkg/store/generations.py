"""An embedded store directory as immutable generations: one writer, many readers, any process.

pyoxigraph 0.5 lets one process open a RocksDB directory for writing and calls a read-only
opening undefined while another process writes the same directory; it has no secondary mode.
A checkpoint (`Store.backup`: hard links, milliseconds) works from a read-only opening. So a
store directory holds generations that are never written once published:

    <store>/GENERATION          the published generation's number (replaced with os.replace)
    <store>/generations/<n>/    one RocksDB directory per generation
    <store>/generations/<n>.readers   readers hold a shared flock on it while they use <n>
    <store>/writer.lock         the one writer's exclusive flock, with its pid and command

A write checkpoints the published generation into the next one, opens that for writing, applies
the change, closes it and flips the pointer; a failed write deletes its generation, so readers
see the old state or the new, never a half-written one. Readers stat the pointer on every use
and open the new generation when it moves. A generation nobody reads any more is deleted.
A directory from before generations (a plain RocksDB directory) is read as generation 0 and
becomes generation 1 on its first write.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import sys
import threading
import time
import traceback
import weakref
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final

import pyoxigraph as ox

from clinkg.errors import StoreBusy, StoreReadOnly, StoreUnavailable

POINTER: Final = "GENERATION"
GENERATIONS: Final = "generations"
WRITER_LOCK: Final = "writer.lock"
# Files RocksDB keeps in a plain (pre-generation) store directory, deleted once it is migrated.
_ROCKSDB_NAMES: Final = ("CURRENT", "IDENTITY", "LOCK", "LOG")
_ROCKSDB_PREFIXES: Final = ("MANIFEST-", "OPTIONS-", "LOG.old")
_ROCKSDB_SUFFIXES: Final = (".sst", ".log", ".blob")


@dataclass
class View:
    """One generation opened read-only; its shared lock lasts as long as this object."""

    number: int | None  # None: nothing written yet (an empty store)
    engine: ox.Store
    marker: tuple[int, int] | None  # the pointer file's (inode, mtime) when it was opened
    _lock_fd: int | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        if self._lock_fd is not None:
            weakref.finalize(self, _close_quietly, self._lock_fd)


class Generations:
    """The generations of one store directory, as seen by one process."""

    def __init__(self, root: Path, *, writable: bool = True) -> None:
        self.root = root
        self.writable = writable
        self._view: View | None = None
        self._view_lock = threading.Lock()
        # Threads of one process take turns; other processes are kept out by the flock.
        self._writer = threading.RLock()
        self._writer_depth = 0
        self._writer_fd: int | None = None

    def current(self) -> int | None:
        """The published generation: a number, 0 for a plain directory, None when empty."""
        try:
            return int((self.root / POINTER).read_text(encoding="ascii").strip())
        except FileNotFoundError:
            return 0 if (self.root / "CURRENT").is_file() else None
        except (OSError, ValueError) as error:
            raise StoreUnavailable(f"cannot read {self.root / POINTER}: {error}") from error

    def view(self) -> View:
        """The published generation, reopened when the pointer moved since the last call."""
        marker = self._marker()
        with self._view_lock:
            if self._view is None or self._view.marker != marker:
                self._view = self._open_view()
            return self._view

    def drop_view(self) -> None:
        """Forget the open generation (its lock goes once no query holds it)."""
        with self._view_lock:
            self._view = None

    @contextmanager
    def exclusive(self) -> Iterator[None]:
        """Be the store's one writer for the block; StoreBusy naming the holder if another is."""
        if not self.writable:
            raise StoreReadOnly(f"the store at {self.root} was opened read-only")
        with self._writer:
            if self._writer_depth == 0:
                self._writer_fd = _take_writer_lock(self.root)
            self._writer_depth += 1
            try:
                yield
            finally:
                self._writer_depth -= 1
                if self._writer_depth == 0 and self._writer_fd is not None:
                    _close_quietly(self._writer_fd)
                    self._writer_fd = None

    def write(self, change: Callable[[ox.Store], None]) -> None:
        """Apply `change` to a copy of the published generation and publish it, or nothing."""
        with self.exclusive():
            base = self.current()
            self._discard_unpublished(base or 0)
            number = (base or 0) + 1
            target = self.directory(number)
            target.parent.mkdir(parents=True, exist_ok=True)
            try:
                if base is not None:
                    self.view().engine.backup(str(target))
                _apply(target, change)
            except BaseException:
                shutil.rmtree(target, ignore_errors=True)
                raise
            self._publish(number)
            self.drop_view()
            self.collect()

    def directory(self, number: int) -> Path:
        """Where generation `number` lives (0: the plain directory itself)."""
        return self.root if number == 0 else self.root / GENERATIONS / str(number)

    def collect(self) -> None:
        """Delete the generations older than the published one that no process reads."""
        current = self.current() or 0
        for number in [*self._numbers(), 0]:
            if number >= current or (number == 0 and not (self.root / "CURRENT").exists()):
                continue
            readers = self.root / GENERATIONS / f"{number}.readers"
            fd = os.open(readers, os.O_RDWR | os.O_CREAT, 0o644)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                os.close(fd)
                continue  # still read; a later write collects it
            try:
                _delete_generation(self.directory(number))
                readers.unlink(missing_ok=True)
            finally:
                os.close(fd)

    def _open_view(self) -> View:
        for _ in range(20):
            marker, number = self._marker(), self.current()
            if number is None:
                return View(None, ox.Store(), marker)
            lock_fd = self._hold(number)
            if self.current() == number:  # not replaced and collected meanwhile
                try:
                    engine = ox.Store.read_only(str(self.directory(number)))
                except OSError as error:
                    _close_quietly(lock_fd)
                    message = f"cannot open the store at {self.root}: {error}"
                    raise StoreUnavailable(message) from error
                return View(number, engine, marker, lock_fd)
            _close_quietly(lock_fd)
        raise StoreUnavailable(f"the store at {self.root} kept changing while it was opened")

    def _hold(self, number: int) -> int | None:
        """A shared lock on generation `number`, so no writer deletes it while it is read."""
        try:
            (self.root / GENERATIONS).mkdir(parents=True, exist_ok=True)
            readers = self.root / GENERATIONS / f"{number}.readers"
            fd = os.open(readers, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError:
            return None  # a store on a read-only file system: nobody deletes generations there
        fcntl.flock(fd, fcntl.LOCK_SH)
        return fd

    def _marker(self) -> tuple[int, int] | None:
        try:
            status = os.stat(self.root / POINTER)
        except FileNotFoundError:
            return None
        return status.st_ino, status.st_mtime_ns

    def _numbers(self) -> list[int]:
        folder = self.root / GENERATIONS
        if not folder.is_dir():
            return []
        return sorted(int(entry.name) for entry in folder.iterdir() if entry.name.isdigit())

    def _discard_unpublished(self, current: int) -> None:
        """Generations a crashed writer left behind (newer than the published one)."""
        for number in self._numbers():
            if number > current:
                shutil.rmtree(self.directory(number), ignore_errors=True)

    def _publish(self, number: int) -> None:
        staged = self.root / f"{POINTER}.{os.getpid()}"
        with open(staged, "w", encoding="ascii") as pointer:
            pointer.write(f"{number}\n")
            pointer.flush()
            os.fsync(pointer.fileno())
        os.replace(staged, self.root / POINTER)
        directory = os.open(self.root, os.O_RDONLY)
        try:
            os.fsync(directory)
        finally:
            os.close(directory)


def _apply(target: Path, change: Callable[[ox.Store], None]) -> None:
    """Open `target` for writing, apply the change, flush and close it (before it is published:
    a RocksDB writer left open could compact files that readers of the generation read)."""
    try:
        engine = ox.Store(str(target))
    except OSError as error:
        raise StoreUnavailable(f"cannot write the store at {target}: {error}") from error
    try:
        change(engine)
        engine.flush()
    except BaseException as error:
        # The traceback's frames hold the engine open; the generation is deleted next.
        traceback.clear_frames(error.__traceback__)
        raise
    finally:
        del engine


def _take_writer_lock(root: Path) -> int:
    """The exclusive writer flock, with this process's pid and command written in it."""
    root.mkdir(parents=True, exist_ok=True)
    fd = os.open(root / WRITER_LOCK, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        holder = os.pread(fd, 4096, 0).decode("utf-8", "replace").strip() or "another process"
        os.close(fd)
        raise StoreBusy(
            f"the store at {root} is being written by {holder}; wait until that load or removal"
            " finishes (or stop it), then run this again — queries and `clinkg serve` are not"
            " affected"
        ) from None
    command = " ".join(os.path.basename(arg) if i == 0 else arg for i, arg in enumerate(sys.argv))
    started = time.strftime("%Y-%m-%d %H:%M:%S", time.localtime())
    os.ftruncate(fd, 0)
    os.pwrite(fd, f"process {os.getpid()} ({command[:200]}, since {started})".encode(), 0)
    return fd


def _delete_generation(directory: Path) -> None:
    if directory.name != "" and directory.parent.name == GENERATIONS:
        shutil.rmtree(directory, ignore_errors=True)
        return
    # Generation 0 is the plain directory itself: delete RocksDB's files, keep ours.
    for entry in directory.iterdir():
        name = entry.name
        if entry.is_file() and (
            name in _ROCKSDB_NAMES
            or name.startswith(_ROCKSDB_PREFIXES)
            or name.endswith(_ROCKSDB_SUFFIXES)
        ):
            entry.unlink(missing_ok=True)


def _close_quietly(fd: int | None) -> None:
    if fd is not None:
        with suppress(OSError):
            os.close(fd)
