"""Rewrite `tests/golden/sample-facts.ttl` from `sample_facts.FACTS`.

Run after a deliberate builder change, then read the diff before keeping it:
`.venv/bin/python tests/regen_build_golden.py`.
"""

from __future__ import annotations

from pathlib import Path

from sample_facts import FACTS

from clinkg.loaders.build.graph import build_graph

GOLDEN = Path(__file__).resolve().parent / "golden" / "sample-facts.ttl"

if __name__ == "__main__":
    GOLDEN.write_text(build_graph(FACTS).serialize(format="turtle"), encoding="utf-8")
    print(f"wrote {GOLDEN}")
