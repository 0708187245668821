"""HTML tags in article text: removed before anything reads the line, with a warning naming it.

Articles copied from a web page can keep some markup (`<b>`, `<sup>3</sup>`, `<br/>`). Labels
and statements must be text, so the tags go and their content stays; every line that lost a tag
is named in a warning. Only HTML element names count as tags, so clinical text such as
"BP <140 and >90" or "a <5% risk" is left alone.
"""

from __future__ import annotations

import re
from typing import Final

_ELEMENTS: Final = """a abbr b big blockquote br caption center cite code dd del div dl dt em font
h1 h2 h3 h4 h5 h6 hr i iframe img ins kbd li mark ol p pre q s script small span strike strong style
sub sup table tbody td tfoot th thead tr tt u ul"""
# Attributes, if any, are name=value pairs: "<b and c>" in a sentence is not a tag.
_ATTRIBUTE: Final = r"""\s+[\w:-]+\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'<>]+)"""
_TAG: Final = re.compile(
    r"<!--.*?-->|</?(?:" + "|".join(_ELEMENTS.split()) + rf")\b(?:{_ATTRIBUTE})*\s*/?>",
    re.IGNORECASE,
)


def strip_tags(lines: list[str], source: str) -> tuple[list[str], tuple[str, ...]]:
    """The lines without HTML tags, and a warning for each line that had some."""
    stripped: list[str] = []
    warnings: list[str] = []
    for number, line in enumerate(lines, start=1):
        tags = _TAG.findall(line)
        if tags:
            shown = ", ".join(dict.fromkeys(tag[:30] for tag in tags))
            warnings.append(f"{source}, line {number}: HTML tags removed ({shown})")
            line = _TAG.sub("", line)
        stripped.append(line)
    return stripped, tuple(warnings)
