"""HTML tags in an article are removed before parsing; each line that had some gets a warning."""

from __future__ import annotations

from pathlib import Path

from clinkg.loaders.parse.article import decode_article, parse_article
from clinkg.loaders.parse.markup import strip_tags
from clinkg.loaders.pipeline import load_articles
from clinkg.store.oxigraph import OxigraphStore

ARTICLE = Path(__file__).resolve().parent.parent / "data" / "articles" / "calf-muscle-spasms.txt"


def test_tags_go_their_text_stays_and_the_line_is_named() -> None:
    lines = ["plain", 'A <b>bold</b> claim<br/> <a href="x">3</a>', "<!-- note -->x"]
    stripped, warnings = strip_tags(lines, "a.txt")
    assert stripped == ["plain", "A bold claim 3", "x"]
    assert warnings == (
        'a.txt, line 2: HTML tags removed (<b>, </b>, <br/>, <a href="x">, </a>)',
        "a.txt, line 3: HTML tags removed (<!-- note -->)",
    )


def test_clinical_comparisons_are_not_tags() -> None:
    text = ["BP <140 and >90", "a <5% risk", "x < y > z", "a <b and c> d", "<i>"]
    stripped, warnings = strip_tags(text, "a.txt")
    assert stripped == [*text[:4], ""]
    assert warnings == ("a.txt, line 5: HTML tags removed (<i>)",)


def _tagged_article(tmp_path: Path) -> tuple[Path, int]:
    lines = ARTICLE.read_text("utf-8").split("\n")
    at = next(i for i, line in enumerate(lines) if line.startswith("  • ") and "cramp" in line)
    lines[at] = lines[at].replace("  • ", "  • <strong>", 1) + "</strong>"
    path = tmp_path / "calf-muscle-spasms.txt"
    path.write_text("\n".join(lines), "utf-8")
    return path, at + 1


def test_the_parsed_article_holds_no_tag_and_warns_with_the_line(tmp_path: Path) -> None:
    path, line = _tagged_article(tmp_path)
    article = parse_article(decode_article(path.read_bytes(), path.name), path.name)
    assert not any("<strong>" in s.text or "</strong>" in s.text for s in article.statements)
    assert article.warnings == (
        f"calf-muscle-spasms.txt, line {line}: HTML tags removed (<strong>, </strong>)",
    )


def test_the_load_report_carries_the_warning_and_the_graph_no_tag(tmp_path: Path) -> None:
    path, line = _tagged_article(tmp_path)
    store = OxigraphStore(None)
    report = load_articles([path], store, reasoning=False)
    warnings = [w for article in report.articles for w in article.warnings]
    assert (
        f"calf-muscle-spasms.txt, line {line}: HTML tags removed (<strong>, </strong>)" in warnings
    )
    # Only the warnings themselves (the load record's note, the article's) may quote the tag.
    tagged = """ASK { ?s ?p ?o FILTER(isLiteral(?o) && CONTAINS(STR(?o), "<strong")
        && ?p NOT IN (<http://www.w3.org/2004/02/skos/core#editorialNote>,
                      <https://w3id.org/clinkg/ontology#loadWarning>)) }"""
    assert not store.ask(tagged)
