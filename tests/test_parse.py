"""The article parser: decoding, structure, citation markers, reference list, and its errors."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from regen_golden import ARTICLES, GOLDEN, article_json, parse_bundled

from clinkg.errors import ArticleParseError
from clinkg.loaders.parse.article import decode_article, parse_article
from clinkg.loaders.parse.records import Article, Statement

HEAD = (
    "What causes it?\n\n"
    "Medical Advisory BoardAll articles are reviewed for accuracy by our Medical Advisory Board\n"
    "Article Review Status\nSubmitted\nUnder Review\nApproved\n\n"
    "Last updated: January 5, 2024View editorial policy\n\n"
    "Personalize\n\nHelp us tailor your experience\n\n"
    "Which best describes you? Your choice helps us use language.\n\n"
    "Sore Shin: Causes\n\n"
)
REFS = "References\n\nResearch\n\nShin pain.\n\nSome journal, 2020\n"
TRAILER = "\nProfessional Medical Disclaimer\n\nThis information is intended for professionals.\n"


def parse(body: str, refs: str = REFS, head: str = HEAD) -> Article:
    return parse_article(head + body + "\n" + refs + TRAILER, "sore-shin.txt")


def texts(article: Article) -> list[tuple[str, tuple[int, ...]]]:
    return [(s.text, s.citations) for s in article.statements]


def parse_error(body: str, refs: str = REFS, head: str = HEAD) -> ArticleParseError:
    with pytest.raises(ArticleParseError) as caught:
        parse(body, refs, head)
    return caught.value


# --- golden files ---------------------------------------------------------------------------


@pytest.mark.parametrize("path", sorted(ARTICLES.glob("*.txt")), ids=lambda p: p.stem)
def test_bundled_article_matches_its_golden_records(path: Path) -> None:
    golden = GOLDEN / f"{path.stem}.records.json"
    assert json.loads(article_json(parse_bundled(path))) == json.loads(golden.read_text("utf-8"))


def test_golden_records_hold_the_tricky_lines() -> None:
    swollen = parse_bundled(ARTICLES / "swollen-painful-calf.txt")
    by_line = {s.line: s for s in swollen.statements}
    assert (by_line[112].text, by_line[112].citations) == (
        "Each of the following scores 1 point:",
        (2,),
    )
    assert by_line[112].kind == "lead-in"
    assert (by_line[39].text, by_line[39].citations) == ("Recent surgery (OR 21.7)", (3,))
    assert by_line[54].citations_inherited and by_line[54].lead_in == 19


# --- decoding -------------------------------------------------------------------------------


def test_decode_strips_a_byte_order_mark() -> None:
    assert decode_article(b"\xef\xbb\xbfQuestion?\n", "a.txt") == "Question?\n"


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "file is empty"),
        (b"  \n\n\t\n", "file has no content (only whitespace)"),
        (b"PK\x03\x04\x00\x00binary", "looks like a binary file"),
        (b"\x01\x02\x03\x04\x05\x06 text", "looks like a binary file"),
    ],
)
def test_decode_rejects_files_that_are_not_articles(data: bytes, reason: str) -> None:
    with pytest.raises(ArticleParseError) as caught:
        decode_article(data, "a.txt")
    assert caught.value.reason == reason
    assert caught.value.source == "a.txt"


def test_decode_names_the_line_and_column_of_a_bad_byte() -> None:
    with pytest.raises(ArticleParseError) as caught:
        decode_article("Question?\n\nCaf\u00e9 \xff".encode("latin-1"), "a.txt")
    assert caught.value.line == 3
    assert caught.value.reason == "not UTF-8 text: byte 0xe9 at line 3, column 4"


# --- head of the article --------------------------------------------------------------------


def test_question_title_date_and_slug_come_from_the_template() -> None:
    article = parse("Shins hurt. 1\n")
    assert (article.question, article.title) == ("What causes it?", "Sore Shin: Causes")
    assert article.last_updated == date(2024, 1, 5)
    assert (article.slug, article.source) == ("sore-shin", "sore-shin.txt")


def test_an_article_without_boilerplate_still_parses() -> None:
    article = parse("Shins hurt. 1\n", head="What causes it?\n\nSore Shin\n\n")
    assert article.title == "Sore Shin" and article.last_updated is None


def test_a_long_title_is_a_title() -> None:
    title = (
        "Knee Pain When Climbing Stairs in Young Adults: Patellofemoral Pain, Osteoarthritis, "
        "Meniscal Tears and the Other Causes to Consider"
    )
    article = parse("Shins hurt. 1\n", head=f"What causes it?\n\n{title}\n\n")
    assert article.title == title


def test_a_heading_of_fifteen_words_is_a_heading() -> None:
    heading = "Other Conditions That Can Cause Knee Pain on Stairs in Older and Younger Adults"
    article = parse(f"Shins hurt. 1\n\n{heading}:\n\nA torn meniscus locks. 1\n")
    assert [s.title for s in article.sections] == [heading]


def test_a_sentence_where_the_title_belongs_is_an_error() -> None:
    error = parse_error("", head="What causes it?\n\nShins hurt when running. 1\n")
    assert error.line == 3 and "title" in error.reason


# --- sections -------------------------------------------------------------------------------


def test_heading_levels_and_parents() -> None:
    article = parse(
        "Intro sentence. 1\n\nPrimary Condition: Shin Splints\n\nKey Features:\n\n  • Pain 1\n\n"
        "Other Causes\n\nStress fracture hurts. 1\n"
    )
    shape = [(s.title, s.level, s.parent) for s in article.sections]
    assert shape == [
        ("Primary Condition: Shin Splints", 1, None),
        ("Key Features", 2, 0),
        ("Other Causes", 1, None),
    ]
    assert [s.section for s in article.statements] == [None, 1, 2]


def test_trailer_blocks_are_not_content() -> None:
    article = parse("Shins hurt. 1\n")
    assert [s.text for s in article.statements] == ["Shins hurt."]
    assert len(article.references) == 1


# --- statements and markers -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Shins hurt. 1 Runners get it. 2", [("Shins hurt.", (1,)), ("Runners get it.", (2,))]),
        ("Shins hurt. 1 2", [("Shins hurt.", (1, 2))]),
        ("Shins hurt. 1,2", [("Shins hurt.", (1, 2))]),
        ("Shins hurt. 1, 2", [("Shins hurt.", (1, 2))]),
        ("It lasts 2 weeks. 3", [("It lasts 2 weeks.", (3,))]),
        ("Risk rises (OR 21.7). 3", [("Risk rises (OR 21.7).", (3,))]),
        ("Shins hurt. Runners get it.", [("Shins hurt.", ()), ("Runners get it.", ())]),
        (
            "Shins hurt. 1 Runners get it. Rest helps.",
            [
                ("Shins hurt.", (1,)),
                ("Runners get it.", ()),
                ("Rest helps.", ()),
            ],
        ),
    ],
)
def test_paragraph_is_split_at_markers_then_into_sentences(
    line: str, expected: list[tuple[str, tuple[int, ...]]]
) -> None:
    assert texts(parse(line + "\n")) == expected


def test_a_number_inside_a_lead_in_is_content_not_a_marker() -> None:
    article = parse("Each of the following scores 1 point: 2\n\n  • Cancer 2\n")
    lead_in = article.statements[0]
    assert (lead_in.kind, lead_in.text, lead_in.citations) == (
        "lead-in",
        "Each of the following scores 1 point:",
        (2,),
    )


@pytest.mark.parametrize(
    ("bullet", "expected"),
    [
        ("Recent surgery (OR 21.7) 3", ("Recent surgery (OR 21.7)", (3,))),
        ("Entire leg swollen 2", ("Entire leg swollen", (2,))),
        ("Entire leg swollen 1 2", ("Entire leg swollen", (1, 2))),
        ("Surgery within the previous 12 weeks 2", ("Surgery within the previous 12 weeks", (2,))),
        ("Platelets below 100", ("Platelets below 100", ())),
        ("Age over 65", ("Age over 65", ())),
        ("Children under age 5", ("Children under age 5", ())),
        # age itself is the item: the number after it is a marker
        ("Smoking and advancing age 3", ("Smoking and advancing age", (3,))),
    ],
)
def test_bullet_markers_are_stripped_but_content_numbers_kept(
    bullet: str, expected: tuple[str, tuple[int, ...]]
) -> None:
    article = parse(f"Key Features:\n\n  • {bullet}\n")
    assert texts(article) == [expected]


def test_unmarked_bullets_inherit_their_lead_ins_markers() -> None:
    article = parse("Shins hurt with: 4\n\n  • Running\n  • Jumping 5\n")
    lead_in, running, jumping = article.statements
    assert lead_in.kind == "lead-in"
    assert running == Statement(1, "Running", None, running.line, "bullet", (4,), True, 0)
    assert (jumping.citations, jumping.citations_inherited, jumping.lead_in) == ((5,), False, 0)


def test_a_lead_in_can_end_a_paragraph_line() -> None:
    article = parse("Shins hurt. 1 Key distinguishing features: 1\n\n  • Swelling\n")
    assert [s.kind for s in article.statements] == ["sentence", "lead-in", "bullet"]
    assert article.statements[2].lead_in == 1


def test_bullets_under_a_heading_hang_from_no_lead_in() -> None:
    article = parse("Key Features:\n\n  • Swelling\n")
    assert article.statements[0].lead_in is None
    assert article.statements[0].citations == ()


def test_a_heading_like_line_ending_in_colon_with_a_marker_is_a_lead_in() -> None:
    article = parse("Nocturnal cramps are associated with: 1\n")
    assert article.sections == ()
    assert article.statements[0].kind == "lead-in"


def test_statements_carry_their_statistics() -> None:
    article = parse("Cramps affect up to 60% of adults. 1\n")
    assert [(s.kind, s.value) for s in article.statements[0].statistics] == [("percent", 60.0)]


# --- errors ---------------------------------------------------------------------------------


@pytest.mark.parametrize("marker", ["0", "501"])
def test_an_absurd_citation_marker_is_an_error(marker: str) -> None:
    error = parse_error(f"Intro. 1\n\nShins hurt. {marker}\n")
    assert error.line == 21 and f"citation marker {marker}" in error.reason


def test_no_references_section_means_a_truncated_file() -> None:
    error = parse_error("Shins hurt. 1\n", refs="")
    assert "no References section" in error.reason


def test_no_content_statements_is_an_error() -> None:
    assert "no content statements" in parse_error("Only A Heading\n").reason


@pytest.mark.parametrize(
    ("refs", "line", "words"),
    [
        ("References\n\nResearch\n\nShin pain.\n", 25, "incomplete"),
        ("References\n\nResearch\n\nShin pain.\n\nSome journal, in press\n", 27, "journal, year"),
        ("References\n\nResearch\n\nShin pain.\n\nSome journal 2020\n", 27, "journal, year"),
        ("References\n\nResearch\n\nShin pain.\n\nSome journal, 0999\n", 27, "not a plausible"),
        ("References\n\n", 21, "lists no references"),
        (
            "References\n\nResearch\n\nShin pain.\n\nJ, 2020\n\nResearch\n\nJ, 2021\n\n"
            "Research\n\nShin pain.\n\nJ, 2020\n",
            33,
            "journal, year",
        ),
    ],
)
def test_malformed_reference_groups_name_the_line(refs: str, line: int, words: str) -> None:
    error = parse_error("Shins hurt. 1\n", refs=refs)
    assert (error.line, error.source) == (line, "sore-shin.txt")
    assert words in error.reason


def test_reference_fields() -> None:
    refs = "References\n\nGuideline\n\nA title.\n\nJournal of X = Y, Ed. 2, 1999\n"
    (entry,) = parse("Shins hurt. 1\n", refs=refs).references
    assert (entry.position, entry.type, entry.title) == (1, "Guideline", "A title.")
    assert (entry.journal, entry.year, entry.line) == ("Journal of X = Y, Ed. 2", 1999, 23)


def test_a_bare_bullet_glyph_is_skipped() -> None:
    assert texts(parse("Key Features:\n\n  •\n  • Pain 1\n")) == [("Pain", (1,))]


def test_a_falling_number_before_a_marker_is_content() -> None:
    assert texts(parse("Key Features:\n\n  • Recovery by week 12, 2\n")) == [
        ("Recovery by week 12", (2,))
    ]


def test_an_unreadable_last_updated_date_is_an_error() -> None:
    head = HEAD.replace("January 5, 2024", "sometime soon")
    error = parse_error("Shins hurt. 1\n", head=head)
    assert (error.line, error.reason) == (9, "'Last updated' date 'sometime soon' is not a date")


def test_a_file_starting_with_boilerplate_has_no_question() -> None:
    error = parse_error("Shins hurt. 1\n", head=HEAD.split("\n", 2)[2])
    assert "no question line" in error.reason
