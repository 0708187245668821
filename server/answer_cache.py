"""Canned answers kept until the store changes, so a busy page does not re-run its queries.

Validity is the store's state stamp (`clinkg.store.state`), read with one small query per
request: a load anywhere — this process, `clinkg load` against a remote server — changes it and
empties the cache. A store without a stamp (never loaded by clinkg) is not cached.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Mapping

from clinkg.registry import Catalogue
from clinkg.server.answers import QuestionAnswer, answer_question
from clinkg.store import Store, snapshot
from clinkg.store.state import current_stamp

Key = tuple[str, tuple[tuple[str, str], ...]]


class AnswerCache:
    """A bounded, thread-safe map from (question, parameters) to answers for one store state."""

    def __init__(self, size: int = 1024) -> None:
        self._size = size
        self._entries: OrderedDict[Key, QuestionAnswer] = OrderedDict()
        self._stamp: str | None = None
        self._lock = threading.Lock()

    def answer(
        self, store: Store, catalogue: Catalogue, question_id: str, raw_params: Mapping[str, str]
    ) -> tuple[QuestionAnswer, str | None]:
        """The answers and the stamp of the store state they hold for (None: not cacheable)."""
        # One state for the stamp and every query of the answer, while loads publish new ones.
        store = snapshot(store)
        stamp = current_stamp(store)
        key: Key = (question_id, tuple(sorted(raw_params.items())))
        with self._lock:
            if stamp != self._stamp:
                self._entries.clear()
                self._stamp = stamp
            cached = self._entries.get(key) if stamp is not None else None
            if cached is not None:
                self._entries.move_to_end(key)
                return cached, stamp
        answered = answer_question(store, catalogue, question_id, raw_params)
        if stamp is not None:
            with self._lock:
                if stamp == self._stamp:
                    self._entries[key] = answered
                    while len(self._entries) > self._size:
                        self._entries.popitem(last=False)
        return answered, stamp
