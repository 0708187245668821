"""One long article: a shared article's body repeated to 100 kB, 200 kB, 400 kB and 1 MB, with
the CPU seconds of each load stage, to show which grows faster than the text.

Run: .venv/bin/python bench/long_article.py [kB ...]   (default 100 200 400 1000)
Target (issue 11): a 1 MB article in <= 30 s; pipeline.MAX_ARTICLE_BYTES refuses longer ones.
"""

from __future__ import annotations

import resource
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from clinkg.loaders.build.graph import build_graph, ontology_graph
from clinkg.loaders.build.validate import validate_graph
from clinkg.loaders.extract.article import extract_article
from clinkg.loaders.parse.citations import align_citations
from clinkg.loaders.pipeline import read_article
from clinkg.loaders.reason.rules import apply_rules, bundled

SOURCE = Path(__file__).resolve().parents[2] / "shared" / "articles" / "calf-muscle-spasms.txt"
TITLE = "Calf Muscle Spasms and Pain"


def long_article(folder: Path, size: int) -> Path:
    """The article with its body (title heading to References) repeated to about `size` bytes."""
    head, references = SOURCE.read_text(encoding="utf-8").split("\nReferences\n", 1)
    lines = head.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(TITLE))
    before, body = "\n".join(lines[:start]), "\n".join(lines[start:])
    repeats = max(1, size // len(body.encode()))
    text = before + "\n" + "\n\n".join([body] * repeats) + "\n\nReferences\n" + references
    path = folder / f"long-{size // 1000}k.txt"
    path.write_text(text, encoding="utf-8")
    return path


def timed(stage: Callable[[], Any], into: list[tuple[str, float]], name: str) -> Any:
    started = time.process_time()
    result = stage()
    into.append((name, time.process_time() - started))
    return result


def stages(path: Path) -> tuple[int, list[tuple[str, float]]]:
    """Triples built and the CPU seconds of parse, align, extract, build, validate, reason."""
    ontology, prepared, times = ontology_graph(), bundled(), []
    article, _ = timed(lambda: read_article(path), times, "parse")
    alignment = timed(lambda: align_citations(article), times, "align")
    facts = timed(lambda: extract_article(article, alignment, ()), times, "extract")
    graph = timed(lambda: build_graph(facts), times, "build")
    timed(lambda: validate_graph(graph, ontology), times, "validate")
    timed(lambda: apply_rules(graph, prepared), times, "reason")
    return len(graph), times


def main(sizes: list[int]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        stages(SOURCE)  # models and lexicons loaded before the clock runs
        for size in sizes:
            path = long_article(Path(folder), size * 1000)
            triples, times = stages(path)
            total = sum(seconds for _, seconds in times)
            cells = " ".join(f"{name} {seconds:.2f}" for name, seconds in times)
            megabytes = path.stat().st_size / 1e6
            peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
            print(f"{megabytes:.2f} MB  {triples} triples  {cells}  total {total:.1f} s", end="")
            print(f"  peak so far {peak:.0f} MB", flush=True)


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [100, 200, 400, 1000])
