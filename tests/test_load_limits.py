"""What a load refuses by size before reading, and the progress it shows."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from expected_answers import BUNDLED_ARTICLES

from clinkg.errors import ArticleParseError
from clinkg.loaders.pipeline import MAX_ARTICLE_BYTES, load_articles
from clinkg.store.oxigraph import OxigraphStore


def test_an_article_over_the_size_limit_is_refused_by_name_and_size(tmp_path: Path) -> None:
    path = tmp_path / "huge.txt"
    with path.open("wb") as file:
        file.truncate(MAX_ARTICLE_BYTES + 1)  # sparse: nothing this long is ever read
    store = OxigraphStore(None)
    with pytest.raises(ArticleParseError, match=r"huge.txt: the file is 2.0 MB .* at most 2 MB"):
        load_articles([path], store, reasoning=False)
    assert store.graph_names() == []


@pytest.mark.slow
def test_a_load_draws_its_progress_through_the_files_bytes() -> None:
    path = BUNDLED_ARTICLES / "calf-muscle-spasms.txt"
    stream = io.StringIO()
    load_articles([path], OxigraphStore(None), reasoning=False, progress=stream)
    megabytes = path.stat().st_size / 1e6
    assert stream.getvalue().startswith(
        f"load [{'#' * 30}] 100% {megabytes:.1f}/{megabytes:.1f} MB"
    )
    assert stream.getvalue().count("\n") == 1
