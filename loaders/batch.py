"""A batch's articles built (extracted, built, validated) in worker processes, with exactly the
result of building them one after another.

Built one after another, each article sees the entities of the articles before it (their
labels are the names it adopts). A worker builds an article with the entities of those finished
when it was handed out, and reports the (name key, kind) pairs it looked entities up by
(name_keys.py); the articles finished in the meantime could have changed its result only if one
of their entities is filed under such a pair, and then the article is extracted again here, with
all of them, and built by a worker. So the result is the serial one whatever the timing; a
worker that fails has its article done again here, so the error names the file and line as a
serial load does.
"""

from __future__ import annotations

import dataclasses
import multiprocessing
from collections import deque
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from functools import cache
from typing import Generic, Protocol, TypeVar

from rdflib import Graph

from clinkg.loaders.build.graph import ontology_graph
from clinkg.loaders.extract.facts import ArticleFacts, Entity, EntityKind
from clinkg.loaders.extract.name_keys import KindKey, entity_keys
from clinkg.loaders.parse.records import Article
from clinkg.loaders.vocabularies.lexicon import fold_name

# Below this many articles a batch is built here: forking workers, and the article built first
# to warm this process for them, cost more than they save (bench/library.py).
MIN_PARALLEL = 3


class HasFacts(Protocol):
    @property
    def facts(self) -> ArticleFacts: ...


E = TypeVar("E", bound=HasFacts)  # an article extracted
L = TypeVar("L", bound=HasFacts)  # an article built and validated
T = TypeVar("T")


@dataclass(frozen=True)
class Steps(Generic[E, L]):
    """How one article is built: extracted with the known entities (collecting the keys it
    asked for), then built and validated with the ontology."""

    extract: Callable[[Article, Sequence[Entity], float, set[KindKey] | None], E]
    finish: Callable[[E, Graph], L]


class _Known:
    """The entities an article is built with, as the serial load would hand them, and the keys
    of those that changed since a given point (an entity the same as the one it replaces changes
    nothing: the registry keeps one entity per kind and folded label, the last)."""

    def __init__(self, known: Sequence[Entity]) -> None:
        self.entities: list[Entity] = [_named(entity) for entity in known]
        self._slots: dict[tuple[EntityKind, str], Entity] = {}
        for entity in known:
            self._slots[_slot(entity)] = entity
        self.changes: list[set[KindKey]] = []  # per article added: the keys it changed

    def add(self, entities: Iterable[Entity]) -> None:
        changed: set[KindKey] = set()
        for entity in map(_named, entities):
            self.entities.append(entity)
            old = self._slots.get(_slot(entity))
            if old is not None and _same(old, entity):
                continue
            changed |= entity_keys(entity) | (entity_keys(old) if old is not None else set())
            self._slots[_slot(entity)] = entity
        self.changes.append(changed)

    def changed_since(self, added: int) -> set[KindKey]:
        """Keys changed by the articles added after the first `added`."""
        return set().union(*self.changes[added:])


def _named(entity: Entity) -> Entity:
    """The entity as name resolution reads it: its mappings play no part (and need not travel
    to the workers)."""
    return dataclasses.replace(entity, mappings=()) if entity.mappings else entity


def _slot(entity: Entity) -> tuple[EntityKind, str]:
    return entity.kind, fold_name(entity.label)


def _same(one: Entity, other: Entity) -> bool:
    return (one.label, one.synonyms, one.also) == (other.label, other.synonyms, other.also)


def build_batch(
    items: Sequence[tuple[Article, float]],
    known: Sequence[Entity],
    ontology: Graph,
    steps: Steps[E, L],
    *,
    workers: int,
    done: Callable[[int], None],
) -> list[L]:
    """Each (article, seconds read) built in order, each with the entities of those before it;
    in `workers` processes when there are enough articles. `done(i)` as each one is extracted."""
    state = _Known(known)

    def extracted_here(article: Article, seconds: float) -> E:
        extracted = steps.extract(article, tuple(state.entities), seconds, None)
        state.add(extracted.facts.entities)
        return extracted

    if workers < 2 or len(items) < MIN_PARALLEL:
        results = []
        for index, (article, seconds) in enumerate(items):
            results.append(steps.finish(extracted_here(article, seconds), ontology))
            done(index)
        return results
    first = steps.finish(extracted_here(*items[0]), ontology)  # loads what the workers share
    done(0)
    with _Pool(workers, state.entities) as pool:
        later: list[L | tuple[Future[L] | None, E]] = []
        pending: deque[tuple[Future[Outcome[L]] | None, int]] = deque()
        ahead = iter(items[1:])

        def hand_out() -> None:
            item = next(ahead, None)
            if item is not None:
                task = pool.submit(_speculate, steps, *item, tuple(state.entities[pool.base :]))
                pending.append((task, len(state.changes)))

        for _ in range(workers + 1):
            hand_out()
        for index in range(1, len(items)):
            future, added = pending.popleft()
            built = _accepted(future, state.changed_since(added))
            if built is None:
                extracted = extracted_here(*items[index])
                later.append((pool.submit(_finish, steps, extracted), extracted))
            else:
                state.add(built.facts.entities)
                later.append(built)
            done(index)
            hand_out()
        return [first, *(_finished(one, steps, ontology) for one in later)]


Outcome = tuple[L, set[KindKey]]


class _Pool:
    """Forked worker processes that share this process's loaded models and the entities known
    when they start (so a task carries only those added since). A pool that breaks takes no
    more tasks: their articles are built here."""

    def __init__(self, workers: int, known: Sequence[Entity]) -> None:
        self.base = len(known)
        self._executor = ProcessPoolExecutor(
            workers,
            mp_context=multiprocessing.get_context("fork"),
            initializer=_share,
            initargs=(tuple(known),),
        )

    def submit(self, function: Callable[..., T], *args: object) -> Future[T] | None:
        try:
            return self._executor.submit(function, *args)
        except RuntimeError:
            return None

    def __enter__(self) -> _Pool:
        return self

    def __exit__(self, *_: object) -> None:
        self._executor.shutdown(cancel_futures=True)


def _accepted(future: Future[Outcome[L]] | None, changed: set[KindKey]) -> L | None:
    """The worker's article, unless it failed or looked up a key changed since it was handed
    out (then it is extracted again here)."""
    if future is None:
        return None
    try:
        built, asked = future.result()
    except Exception:  # extracted again here, whose error names the file and line
        return None
    return None if asked & changed else built


def _finished(one: L | tuple[Future[L] | None, E], steps: Steps[E, L], ontology: Graph) -> L:
    """An article built by a worker, or (when that failed) here, whose error says why."""
    if not isinstance(one, tuple):
        return one
    future, extracted = one
    if future is not None:
        try:
            return future.result()
        except Exception:
            pass
    return steps.finish(extracted, ontology)


# In a worker process: the entities known when the batch began (set once, as it starts).
_shared: list[tuple[Entity, ...]] = []


def _share(known: tuple[Entity, ...]) -> None:
    _shared[:] = [known]


def _speculate(
    steps: Steps[E, L], article: Article, seconds: float, added: tuple[Entity, ...]
) -> Outcome[L]:
    asked: set[KindKey] = set()
    extracted = steps.extract(article, (*_shared[0], *added), seconds, asked)
    return steps.finish(extracted, _worker_ontology()), asked


def _finish(steps: Steps[E, L], extracted: E) -> L:
    return steps.finish(extracted, _worker_ontology())


@cache
def _worker_ontology() -> Graph:
    """The ontology graph a worker process validates with (built once per process)."""
    return ontology_graph()
