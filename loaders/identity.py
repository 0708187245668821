"""Which loaded article a file is: the same article again, a new version, or a new article.

An article is known by its content (the hash of its file) and by its question, not by its
file name: the same content under another name is refused unless the caller asks to replace,
and a file asking the question of a loaded article is a new version of it and takes its place
(its IRIs keep the slug they were first minted from). Pure: no store, no I/O.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass

from clinkg.errors import ArticleParseError
from clinkg.library import LibraryEntry, same_question
from clinkg.loaders.parse.records import Article
from clinkg.ontology import namespaces as ns


@dataclass(frozen=True)
class Placed:
    """A parsed article with the slug it is written under and what it replaces."""

    article: Article
    digest: str
    replaces: LibraryEntry | None  # the loaded article it takes the place of
    note: str | None  # for the load report


def place(
    article: Article, digest: str, library: Sequence[LibraryEntry], *, replace: bool = False
) -> Placed:
    """Where one article goes given what is loaded; ArticleParseError naming both files when
    it would silently duplicate or overwrite a loaded article."""
    same_content = next((e for e in library if e.content_hash == digest), None)
    if same_content is not None:
        if same_content.source != article.source and not replace:
            raise ArticleParseError(
                article.source,
                None,
                f"has the same content as {same_content.source}, loaded as article"
                f" '{same_content.id}'; nothing was loaded (to keep it under the new name:"
                " clinkg load --replace)",
            )
        return _under(article, digest, same_content, None)
    version = next((e for e in library if same_question(e.question, article.question)), None)
    if version is not None:
        note = f"{article.source}: a new version of '{version.id}' (from {version.source})"
        return _under(article, digest, version, note)
    same_name = next((e for e in library if ns.slug(article.slug) == e.id), None)
    if same_name is not None and not replace:
        raise ArticleParseError(
            article.source,
            None,
            f"would overwrite article '{same_name.id}' (from {same_name.source}), which asks"
            f" another question ({same_name.question!r}); nothing was loaded (rename the file,"
            " or clinkg load --replace to replace that article)",
        )
    return _under(article, digest, same_name, None)


def _under(article: Article, digest: str, entry: LibraryEntry | None, note: str | None) -> Placed:
    if entry is None:
        return Placed(article, digest, None, note)
    return Placed(dataclasses.replace(article, slug=entry.id), digest, entry, note)
