"""The entities of an article: registered by structure, resolved by name, found in text.

A name resolves to an entity by exact name or synonym (folded), by a shared clinical synonym set
of the vocabulary, or by being the unique trailing head of one entity's name ("leg cramps" ->
nocturnal leg cramps; "claudication" is ambiguous when two claudications are known).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Final

from clinkg.loaders.extract.abbreviations import is_short_form
from clinkg.loaders.extract.facts import Entity, EntityKind
from clinkg.loaders.extract.name_keys import (
    KindKey,
    NameKey,
    code_keys,
    exact_codes,
    name_keys,
    phrase_keys,
)
from clinkg.loaders.extract.names import Name
from clinkg.loaders.vocabularies.lexicon import (
    NARROWING_WORDS,
    drug_mappings,
    fold_name,
    singular,
    vocabulary_mappings,
)
from clinkg.loaders.vocabularies.mappings import Mapping
from clinkg.loaders.vocabularies.vocabulary import Vocabulary

# Words after which a name goes on with a site or a cause, not with a shorter name of it.
_SITE_PREPOSITIONS: Final[frozenset[str]] = frozenset({"of", "in", "with", "from", "due", "after"})


@dataclass
class _Draft:
    kind: EntityKind
    label: str
    synonyms: list[str] = field(default_factory=list)
    also: set[EntityKind] = field(default_factory=set)
    # Known entities (other articles) only take part once this article names them through its
    # structure; what this article says of them (own names, own kinds) is what its graph states,
    # so an article extracts the same facts whatever else is in the store.
    active: bool = True
    own: list[str] = field(default_factory=list)
    own_also: set[EntityKind] = field(default_factory=set)
    rank: int = 0  # its place in the order drafts are read in (the order they were filed in)

    # The folded label, names and their singulars: resolving a phrase reads them for every
    # entity, so they are folded once, and again only after a synonym is added.
    _folded: _Folded | None = field(default=None, init=False, repr=False, compare=False)

    def names(self) -> list[str]:
        return [self.label, *self.synonyms]

    def folded_label(self) -> str:
        return self._folded_forms().label

    def folded_names(self) -> frozenset[str]:
        return self._folded_forms().names

    def singular_names(self) -> frozenset[str]:
        return self._folded_forms().singulars

    def _folded_forms(self) -> _Folded:
        if self._folded is None or self._folded.synonyms != len(self.synonyms):
            names = frozenset(fold_name(n) for n in self.names())
            self._folded = _Folded(
                len(self.synonyms),
                fold_name(self.label),
                names,
                frozenset(singular(n) for n in names),
            )
        return self._folded


@dataclass(frozen=True)
class _Folded:
    synonyms: int  # how many synonyms the draft had when these were folded
    label: str
    names: frozenset[str]
    singulars: frozenset[str]


@dataclass(frozen=True)
class Found:
    """An entity named in a text, and where."""

    label: str
    kind: EntityKind
    start: int
    end: int


class Registry:
    """Entities known so far (from the store and this article), with name resolution.

    Every entity is filed under its name keys (name_keys.py), so resolving a phrase reads the
    few entities it can name, whatever the library's size. `asked`, when given, collects the
    (key, kind) pairs looked up among all entities, not only those this article named: a known
    entity of another key or kind could not have changed the result."""

    def __init__(
        self,
        known: Sequence[Entity],
        vocabulary: Vocabulary,
        asked: set[KindKey] | None = None,
    ) -> None:
        self._drafts: dict[tuple[EntityKind, str], _Draft] = {}
        self._sets_of: dict[str, list[frozenset[str]]] = {}
        for group in vocabulary.synonym_sets:
            folded_group = frozenset(fold_name(n) for n in group)
            for member in folded_group:
                self._sets_of.setdefault(member, []).append(folded_group)
        self._pattern: tuple[re.Pattern[str], dict[str, tuple[EntityKind, str]]] | None = None
        self._head_names: set[str] = set()  # trailing words of a longer name, standing for it
        self._filed: dict[NameKey, dict[int, _Draft]] = {}
        self._coded = False  # whether drafts are filed under their codes yet (costly: lazily)
        self._keys_of: dict[int, set[NameKey]] = {}
        self._active: dict[int, _Draft] = {}
        self._ranks = itertools.count()
        self._asked = asked
        for entity in known:
            draft = _Draft(
                entity.kind, entity.label, list(entity.synonyms), set(entity.also), active=False
            )
            self._put((entity.kind, fold_name(entity.label)), draft)

    def _put(self, key: tuple[EntityKind, str], draft: _Draft) -> None:
        """File a draft under its key; one it replaces there is forgotten (and leaves it its
        place in the order drafts are read in)."""
        old = self._drafts.get(key)
        if old is not None and old is not draft:
            self._forget(old)
        draft.rank = next(self._ranks) if old is None else old.rank
        self._drafts[key] = draft
        if draft.active:
            self._active[id(draft)] = draft
        for name in draft.names():
            self._file(draft, fold_name(name))

    def _forget(self, draft: _Draft) -> None:
        self._active.pop(id(draft), None)
        for key in self._keys_of.pop(id(draft), set()):
            self._filed[key].pop(id(draft), None)

    def _file(self, draft: _Draft, folded: str) -> None:
        keys = name_keys(folded) | (code_keys(folded) if self._coded else set())
        self._keys_of.setdefault(id(draft), set()).update(keys)
        for key in keys:
            self._filed.setdefault(key, {})[id(draft)] = draft

    def _lookup(
        self, keys: set[NameKey], kinds: Iterable[EntityKind] | None = None
    ) -> list[_Draft]:
        """The drafts filed under any of the keys, in the order drafts are read in; `kinds`
        when any of them (known or not) may be read, to note as asked."""
        if self._asked is not None and kinds is not None:
            self._asked.update((key, kind) for key in keys for kind in kinds)
        if not self._coded and any(way == "code" for way, _ in keys):
            self._coded = True
            for draft in list(self._drafts.values()):
                for name in draft.names():
                    self._file(draft, fold_name(name))
        found = {id(d): d for key in keys for d in self._filed.get(key, {}).values()}
        return sorted(found.values(), key=lambda d: d.rank)

    def _activate(self, draft: _Draft) -> None:
        draft.active = True
        self._active[id(draft)] = draft

    def _of_kinds(
        self, kinds: Iterable[EntityKind], drafts: Iterable[_Draft] | None = None
    ) -> list[_Draft]:
        """The active drafts of the kinds, or those of `drafts` (active or not)."""
        wanted = set(kinds)
        pool = sorted(self._active.values(), key=lambda d: d.rank) if drafts is None else drafts
        return [d for d in pool if d.kind in wanted or d.also & wanted]

    def resolve(
        self,
        phrase: str,
        kinds: Sequence[EntityKind] = ("condition",),
        *,
        heads: bool = True,
        everywhere: bool = False,
    ) -> str | None:
        """Canonical label of the one entity a phrase names, or None (unknown or ambiguous).

        Only entities this article has named count, unless `everywhere` (known ones too)."""
        folded = fold_name(phrase)
        if not folded:
            return None
        sets = self._sets_of.get(folded, [])
        filed = self._lookup(phrase_keys(folded, sets, heads), kinds if everywhere else None)
        drafts = self._of_kinds(kinds, filed if everywhere else [d for d in filed if d.active])
        for hits in self._rounds(folded, drafts, sets, heads):
            if hits:
                return hits.pop() if len(hits) == 1 else None
        return None

    def _rounds(
        self, folded: str, drafts: list[_Draft], sets: list[frozenset[str]], heads: bool
    ) -> Iterator[set[str]]:
        """The labels a folded phrase names, by ever looser matches, each round only when the
        ones before found nothing."""
        yield {d.label for d in drafts if folded in d.folded_names()}
        one = singular(folded)
        yield {d.label for d in drafts if one in d.singular_names()}
        yield {d.label for d in drafts if any(d.folded_names() & s for s in sets)}
        codes = exact_codes(folded)
        yield {
            d.label
            for d in drafts
            if codes and any(codes & exact_codes(n) for n in d.folded_names())
        }
        if heads and len(folded.split()) >= 2:
            tail = " " + folded
            yield {d.label for d in drafts if any(n.endswith(tail) for n in d.folded_names())}

    def ambiguous(self, phrase: str, kinds: Sequence[EntityKind] = ("condition",)) -> bool:
        """True when a phrase is the trailing head of names of more than one entity."""
        return len(self._headed(phrase, kinds)) > 1

    def by_head(self, phrase: str, kinds: Sequence[EntityKind] = ("condition",)) -> str | None:
        """The one entity whose name ends in the phrase ("amyloidosis": "ATTR amyloidosis")."""
        hits = self._headed(phrase, kinds)
        return hits.pop() if len(hits) == 1 else None

    def _headed(self, phrase: str, kinds: Sequence[EntityKind]) -> set[str]:
        folded = fold_name(phrase)
        return {
            d.label
            for d in self._of_kinds(kinds)
            if any(n.endswith(" " + folded) for n in d.folded_names())
        }

    def draft(self, label: str, kinds: Sequence[EntityKind] = ("condition",)) -> _Draft | None:
        """The entity a canonical label belongs to."""
        folded = fold_name(label)
        filed = self._lookup({("name", folded)}, kinds)
        for kind in kinds:
            if (kind, folded) in self._drafts:
                return self._drafts[(kind, folded)]
        for draft in self._of_kinds(kinds, filed):
            if draft.folded_label() == folded:
                return draft
        return None

    def add(self, kind: EntityKind, name: Name, *, also: Iterable[EntityKind] = ()) -> str:
        """Register an entity (or merge into the one its names resolve to); its canonical label."""
        kinds: tuple[EntityKind, ...] = (kind,) if kind != "condition" else ("condition",)
        found = None
        for candidate in (name.label, *name.synonyms):
            found = found or self.resolve(candidate, kinds, heads=False, everywhere=True)
        if kind == "condition" and found is None:
            found = self.resolve(name.label, ("risk-factor",), heads=False, everywhere=True)
            if found is not None:
                self._promote(found)
        draft = self.draft(found, (*kinds, "risk-factor")) if found else None
        if draft is None:
            draft = _Draft(kind, name.label)
            self._put((kind, fold_name(name.label)), draft)
        self._activate(draft)
        for synonym in (name.label, *name.synonyms):
            self.add_synonym(draft.label, synonym, draft.kind)
        for other in also:
            self.mark(draft.label, draft.kind, other)
        self._pattern = None
        return draft.label

    def _promote(self, label: str) -> None:
        """A risk factor turns out to be a condition: it becomes one (and stays a risk factor)."""
        draft = self._drafts.pop(("risk-factor", fold_name(label)))
        draft.kind = "condition"
        draft.also.add("risk-factor")
        draft.own_also.add("risk-factor")
        self._put(("condition", fold_name(label)), draft)

    def add_synonym(self, label: str, synonym: str, kind: EntityKind = "condition") -> None:
        """Record another name of an entity (ignored when it is already one of its names)."""
        draft = self.draft(label, (kind,))
        if draft is None:
            return
        folded = fold_name(synonym)
        if folded and folded not in draft.folded_names():
            draft.synonyms.append(synonym)
            self._file(draft, folded)
            self._pattern = None
        if folded and folded not in {fold_name(n) for n in draft.own}:
            draft.own.append(synonym)

    def mark(self, label: str, kind: EntityKind, also: EntityKind) -> None:
        """Record that an entity also acts as another kind (a condition as a risk factor)."""
        draft = self.draft(label, (kind,))
        if draft is not None and also != draft.kind:
            draft.also.add(also)
            draft.own_also.add(also)

    def find(self, text: str) -> list[Found]:
        """Entities named in a text (longest names first, no overlaps)."""
        pattern, owners = self._compiled()
        found = []
        position = 0
        while (match := pattern.search(text, position)) is not None:
            folded = fold_name(match.group(0))
            if folded in self._head_names and _narrowed_otherwise(text[: match.start()]):
                position = match.start() + 1  # a shorter name inside may still be meant
                continue
            kind, label = owners[_owned(folded, owners)]
            found.append(Found(label, kind, match.start(), match.end()))
            position = match.end()
        return found

    def _compiled(self) -> tuple[re.Pattern[str], dict[str, tuple[EntityKind, str]]]:
        if self._pattern is None:
            owners: dict[str, tuple[EntityKind, str]] = {}
            acronyms: set[str] = set()  # printed as abbreviations: matched in their own case
            clashes: set[str] = set()
            heads: dict[str, set[tuple[EntityKind, str]]] = {}
            for draft in self._of_kinds(("condition", "risk-factor", "medication", "population")):
                for name in draft.names():
                    folded = fold_name(name)
                    if is_short_form(name):
                        acronyms.add(name)
                    if owners.get(folded, (draft.kind, draft.label)) != (draft.kind, draft.label):
                        clashes.add(folded)
                    owners[folded] = (draft.kind, draft.label)
                    words = folded.split()
                    for cut in range(1, len(words) - 1):
                        if _SITE_PREPOSITIONS & set(words[: cut + 1]):
                            break  # "… of the ear canal": what follows "of" is a site, no head
                        heads.setdefault(" ".join(words[cut:]), set()).add(
                            (draft.kind, draft.label)
                        )
            self._head_names = set()
            for head, entities in heads.items():
                if head not in owners and len(entities) == 1:
                    owners[head] = next(iter(entities))
                    self._head_names.add(head)
            for folded in clashes:
                owners.pop(folded, None)
            self._pattern = (_names_pattern(owners, acronyms, self._head_names), owners)
        return self._pattern

    def entities(self, labels: set[tuple[EntityKind, str]]) -> tuple[Entity, ...]:
        """The entities with these (kind, label) keys, as this article names them, mapped to the
        public vocabularies."""
        result = []
        for kind, label in sorted(labels):
            draft = self.draft(label, (kind,))
            if draft is None:
                continue
            label_key = fold_name(draft.label)
            synonyms = tuple(dict.fromkeys(s for s in draft.own if fold_name(s) != label_key))
            also = tuple(sorted(k for k in draft.own_also if k != draft.kind))
            mappings = _mappings(draft.kind, [draft.label, *synonyms])
            result.append(Entity(draft.kind, draft.label, synonyms, mappings, also))
        return tuple(dict.fromkeys(result))


def _owned(folded: str, owners: dict[str, tuple[EntityKind, str]]) -> str:
    """The owned name a matched phrase is: itself, or the singular its plural stands for."""
    for cut in ("", "s", "es"):
        name = folded[: -len(cut)] if cut and folded.endswith(cut) else folded
        if name in owners:
            return name
    raise KeyError(folded)


# Words that may stand before the short form of a name without making it another condition.
_BEFORE_A_SHORT_NAME: Final[frozenset[str]] = frozenset(
    {
        "the",
        "a",
        "an",
        "of",
        "in",
        "with",
        "and",
        "or",
        "for",
        "to",
        "from",
        "by",
        "on",
        "at",
        "as",
        "is",
        "are",
        "was",
        "were",
        "be",
        "that",
        "which",
        "this",
        "these",
        "its",
        "their",
        "his",
        "her",
        "no",
        "not",
        "any",
        "than",
        "like",
        "unlike",
        "suspected",
        "typical",
    }
)
_LAST_WORD: Final[re.Pattern[str]] = re.compile(r"([A-Za-z][\w'-]*)\s*$")


def _narrowed_otherwise(before: str) -> bool:
    """True when the word before a short name is a modifier of its own ("progressive
    pulmonary fibrosis" is not idiopathic pulmonary fibrosis), not a function word or one of
    the narrowing words that leave a condition what it is ("severe", "chronic")."""
    word = _LAST_WORD.search(before)
    if word is None:
        return False
    folded = word.group(1).lower()
    return folded not in _BEFORE_A_SHORT_NAME and folded not in NARROWING_WORDS


def _mappings(kind: EntityKind, names: list[str]) -> tuple[Mapping, ...]:
    if kind == "medication":
        return drug_mappings(names[0])
    if kind in ("condition", "risk-factor"):
        return vocabulary_mappings(names)
    return ()


def _names_pattern(
    owners: dict[str, tuple[EntityKind, str]], acronyms: set[str], heads: set[str]
) -> re.Pattern[str]:
    """Whole-word pattern for folded names: any case, hyphens or spaces, optional apostrophes;
    abbreviations ("PE", "AC") only in the case they are printed in. Longest names first."""
    parts = [(len(a), f"(?-i:{re.escape(a)})") for a in acronyms if fold_name(a) in owners]
    folded_acronyms = {fold_name(a) for a in acronyms}
    for folded in owners:
        if folded in folded_acronyms:
            continue
        words = [
            re.escape(w[:-1]) + "['\u2019]?s" if w.endswith("s") else re.escape(w)
            for w in folded.split()
        ]
        if len(words) > 1 and not folded.endswith("s") and folded not in heads:
            words[-1] += "(?:e?s)?"  # a name in the plural ("stress fractures") is the name
        parts.append((len(folded), r"[\s\-/]+".join(words)))
    if not parts:
        return re.compile(r"(?!x)x")
    ordered = [part for _, part in sorted(parts, key=lambda p: -p[0])]
    return re.compile(r"(?<![\w-])(?:" + "|".join(ordered) + r")(?![\w-])", re.IGNORECASE)
