"""Constants of the source site's article template: what is page furniture, not content.

Every article from the source site is laid out the same way:

1. the reader's question (first non-empty line);
2. page boilerplate: an editorial banner ("Medical Advisory Board…", "Educational purpose
   only…"), the review-status widget ("Article Review Status", "Submitted", "Under Review",
   "Approved"), "Last updated: <Month D, YYYY>View editorial policy", and a personalisation
   prompt ("Personalize", "Help us tailor your experience", "Which best describes you?…");
3. the title heading, then the body (headings, paragraphs, bullets with citation markers);
4. a `References` heading followed by groups of three lines: type / title / "journal, year";
5. trailer blocks ("Professional Medical Disclaimer", "Have a follow-up question?") that end
   the article; nothing after them is content.

The phrases below belong to the template, never to one article's content. Boilerplate lines
are optional (an article without the personalisation prompt still parses): the title is the
first line after the question that is not boilerplate.
"""

from __future__ import annotations

import re
from typing import Final

#: Lines of the page template, matched whole (after stripping surrounding spaces).
BOILERPLATE_LINES: Final[frozenset[str]] = frozenset(
    {
        "Article Review Status",
        "Submitted",
        "Under Review",
        "Approved",
        "Personalize",
        "Help us tailor your experience",
    }
)

#: Starts of template lines whose tail may vary between page versions.
BOILERPLATE_PREFIXES: Final[tuple[str, ...]] = (
    "Medical Advisory Board",
    "Educational purpose only",
    "Which best describes you?",
    "Last updated:",
)

#: The review date line; "View editorial policy" is a link glued to the date by the page.
LAST_UPDATED: Final[re.Pattern[str]] = re.compile(
    r"^Last updated:\s*(?P<date>.+?)\s*(?:View editorial policy)?$"
)

#: Date formats of the "Last updated" line ("November 2, 2025"); others are an error.
LAST_UPDATED_FORMATS: Final[tuple[str, ...]] = ("%B %d, %Y", "%b %d, %Y", "%b. %d, %Y", "%Y-%m-%d")

#: The heading that opens the printed reference list.
REFERENCES_HEADING: Final[str] = "References"

#: Headings of the blocks that follow the reference list and end the article.
TRAILER_HEADINGS: Final[frozenset[str]] = frozenset(
    {"Professional Medical Disclaimer", "Have a follow-up question?"}
)

#: The glyph that opens a bullet line (after optional indentation).
BULLET: Final[str] = "•"

#: A heading has at most this many words; longer unpunctuated lines are paragraph text.
HEADING_MAX_WORDS: Final[int] = 20

#: The title heading is known by its place (the first line after the page template), so only
#: a line that cannot be a title is refused: a bullet, a lead-in, a paragraph of this length.
TITLE_MAX_WORDS: Final[int] = 40

#: Citation markers above this are not markers the site prints: the line is malformed.
MAX_MARKER: Final[int] = 500


def is_boilerplate(line: str) -> bool:
    """Whether a stripped line is page template rather than article content."""
    return line in BOILERPLATE_LINES or line.startswith(BOILERPLATE_PREFIXES)
