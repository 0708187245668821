"""Rewrite `tests/golden/<slug>.records.json` from the bundled articles.

Run after a deliberate parser change, then read the diff before keeping it:
`.venv/bin/python tests/regen_golden.py`.
"""

from __future__ import annotations

import dataclasses
import json
from datetime import date
from pathlib import Path
from typing import Any

from clinkg.loaders.parse.article import decode_article, parse_article
from clinkg.loaders.parse.records import Article

ROOT = Path(__file__).resolve().parent.parent
ARTICLES = ROOT / "data" / "articles"
GOLDEN = Path(__file__).resolve().parent / "golden"


def _plain(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(f"cannot write {type(value).__name__} to a golden file")


def article_json(article: Article) -> str:
    """The golden-file text of parsed records: stable key order, one value per line."""
    return (
        json.dumps(dataclasses.asdict(article), default=_plain, indent=1, ensure_ascii=False) + "\n"
    )


def parse_bundled(path: Path) -> Article:
    """Parse one bundled article file the way the pipeline does."""
    return parse_article(decode_article(path.read_bytes(), path.name), path.name)


def main() -> None:
    """Write one golden file per bundled article."""
    GOLDEN.mkdir(exist_ok=True)
    for path in sorted(ARTICLES.glob("*.txt")):
        target = GOLDEN / f"{path.stem}.records.json"
        target.write_text(article_json(parse_bundled(path)), encoding="utf-8")
        print(f"wrote {target.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
