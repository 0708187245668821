"""The answer cache serves repeated questions from memory and forgets them on every load."""

from __future__ import annotations

from pathlib import Path

from clinkg.registry import load_catalogue
from clinkg.server.answer_cache import AnswerCache
from clinkg.store.oxigraph import OxigraphStore
from clinkg.store.state import current_stamp, new_stamp


def test_answers_are_reused_until_the_store_state_changes(store: OxigraphStore) -> None:
    cache, catalogue = AnswerCache(), load_catalogue()
    params = {"condition": "nocturnal leg cramps"}
    assert current_stamp(store) is None
    first, stamp = cache.answer(store, catalogue, "treatments", params)
    again, _ = cache.answer(store, catalogue, "treatments", params)
    assert stamp is None and again is not first  # no stamp: nothing is cached

    store.replace_graphs(new_stamp())
    first, stamp = cache.answer(store, catalogue, "treatments", params)
    again, same = cache.answer(store, catalogue, "treatments", params)
    assert stamp is not None and again is first and same == stamp

    store.replace_graphs(new_stamp())
    after, newer = cache.answer(store, catalogue, "treatments", params)
    assert after is not first and newer != stamp
    assert after.answers == first.answers


def test_a_load_writes_a_new_stamp(tmp_path: Path) -> None:
    from clinkg.loaders.pipeline import load_articles

    store = OxigraphStore(None)
    article = Path(__file__).resolve().parents[1] / "data" / "articles" / "calf-muscle-spasms.txt"
    load_articles([article], store, reasoning=False)
    stamp = current_stamp(store)
    load_articles([article], store, reasoning=False)
    assert stamp is not None and current_stamp(store) not in (None, stamp)
