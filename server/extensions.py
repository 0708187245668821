"""The store and the catalogue the app holds, for the blueprints."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final, cast

from flask import current_app, g

from clinkg.registry import Catalogue
from clinkg.server.answer_cache import AnswerCache
from clinkg.server.answers import QuestionAnswer
from clinkg.server.deadline import DeadlineStore
from clinkg.server.query_runner import QueryRunner
from clinkg.store import Store


def store() -> Store:
    """The app's store (`app.extensions["clinkg.store"]`), under this request's deadline."""
    timed = g.get("clinkg_store")
    if timed is None:
        held = cast(Store, current_app.extensions["clinkg.store"])
        timed = DeadlineStore(held, float(current_app.config["PAGE_DEADLINE"]))
        g.clinkg_store = timed
    return cast(Store, timed)


def catalogue() -> Catalogue:
    """The app's question catalogue (`app.extensions["clinkg.catalogue"]`)."""
    return cast(Catalogue, current_app.extensions["clinkg.catalogue"])


QUERY_RUNNER: Final = "clinkg.server.query_runner"


def query_runner() -> QueryRunner:
    """The app's runner of public queries (`app.extensions["clinkg.server.query_runner"]`)."""
    return cast(QueryRunner, current_app.extensions[QUERY_RUNNER])


def cached_answer(
    question_id: str, raw_params: Mapping[str, str]
) -> tuple[QuestionAnswer, str | None]:
    """A canned question answered through the app's cache, with the store state it holds for."""
    cache = cast(AnswerCache, current_app.extensions["clinkg.server.answer_cache"])
    return cache.answer(store(), catalogue(), question_id, raw_params)
