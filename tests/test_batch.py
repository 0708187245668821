"""A batch built in worker processes gives exactly the serial result, and a failing article is
reported as a serial load reports it.

The steps here are small stand-ins for extraction: each "article" is a file name and the
condition names it registers, through the real entity registry, so an article adopts the label
an earlier one gave the same condition, as real articles do."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from clinkg.errors import ArticleParseError
from clinkg.loaders.batch import Steps, build_batch
from clinkg.loaders.extract.entities import Registry
from clinkg.loaders.extract.facts import Entity
from clinkg.loaders.extract.name_keys import KindKey
from clinkg.loaders.extract.names import Name
from clinkg.loaders.vocabularies.vocabulary import load_vocabulary


@dataclass(frozen=True)
class Facts:
    entities: tuple[Entity, ...]


@dataclass(frozen=True)
class Extracted:
    source: str
    facts: Facts


def extract(
    article: Any, known: tuple[Entity, ...], seconds: float, asked: set[KindKey] | None
) -> Extracted:
    source, names = article
    if "BROKEN" in names:
        raise ArticleParseError(source, 7, "a stand-in for a bad statement")
    registry = Registry(known, load_vocabulary(), asked)
    labels = set()
    for name in names:  # "label|synonym|..."
        label, *synonyms = name.split("|")
        labels.add(("condition", registry.add("condition", Name(label, tuple(synonyms)))))
    return Extracted(source, Facts(registry.entities(labels)))


def finish(extracted: Extracted, ontology: Any) -> Extracted:
    return extracted


STEPS = Steps(extract, finish)
ARTICLES = [
    ("a.txt", ["Heart failure", "Obesity"]),
    ("b.txt", ["Gout"]),
    ("c.txt", ["heart failure|HF", "Asthma"]),  # a.txt's label, and a synonym of its own
    ("d.txt", ["Myocardial infarction"]),
    ("e.txt", ["heart attack", "gout"]),  # a synonym set and a code away from d.txt, b.txt
    ("f.txt", ["Asthma", "Eczema"]),
    ("g.txt", ["HF"]),  # only c.txt's synonym names it
]


def build(articles: list[tuple[str, list[str]]], workers: int) -> list[Extracted]:
    items = [(article, 0.0) for article in articles]
    return build_batch(items, (), None, STEPS, workers=workers, done=lambda _: None)  # type: ignore[arg-type]


def test_workers_give_the_serial_result() -> None:
    serial = build(ARTICLES, workers=1)
    assert build(ARTICLES, workers=2) == serial
    assert build(ARTICLES * 3, workers=3) == build(ARTICLES * 3, workers=1)
    labels = [{e.label for e in one.facts.entities} for one in serial]
    assert labels[2] == {"Heart failure", "Asthma"}  # the earlier article's label
    assert labels[6] == {"Heart failure"}


def test_a_failing_article_is_reported_with_its_file_and_line() -> None:
    articles = [*ARTICLES[:4], ("bad.txt", ["Gout", "BROKEN"]), *ARTICLES[4:]]
    with pytest.raises(ArticleParseError) as raised:
        build(articles, workers=2)
    assert str(raised.value) == "bad.txt, line 7: a stand-in for a bad statement"
