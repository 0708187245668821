"""The keys under which name resolution can find an entity, so that it looks up the few
entities a phrase can name instead of scanning every known one.

A phrase names an entity by one of its folded names, by the singular of one, by a vocabulary
synonym set holding one, by an HPO / ICD-10-CM code one is an exact label of, or by being the
trailing words of one (entities.py): each way is a key the entity is filed under and the phrase
asks for. The keys a load asked for, with the kinds it asked them for, also tell whether
entities it did not see (an earlier article of the same batch) could have changed what it
extracted: only if one of those kinds is filed under one.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache

from clinkg.loaders.extract.facts import Entity, EntityKind
from clinkg.loaders.vocabularies.lexicon import fold_name, singular, vocabulary_mappings

NameKey = tuple[str, str]  # (way, folded text): ("name", "heart failure"), ("code", "HPO:…")
KindKey = tuple[NameKey, EntityKind]  # a key looked up for entities of one kind


def name_keys(folded: str) -> set[NameKey]:
    """The keys of one folded name: itself, its singular and its trailing word groups (the
    codes, costlier, are filed apart: code_keys)."""
    words = folded.split()
    keys = {("name", folded), ("singular", singular(folded))}
    keys.update(("tail", " ".join(words[cut:])) for cut in range(1, len(words)))
    return keys


@cache
def exact_codes(folded: str) -> frozenset[str]:
    """HPO and ICD-10-CM codes a name is the exact label or exact synonym of: two names with a
    code in common are one condition ("heart attack", "myocardial infarction")."""
    return frozenset(f"{m.scheme}:{m.code}" for m in vocabulary_mappings([folded]) if m.exact)


def code_keys(folded: str) -> set[NameKey]:
    return {("code", code) for code in exact_codes(folded)}


def phrase_keys(folded: str, synonym_sets: Iterable[frozenset[str]], heads: bool) -> set[NameKey]:
    """The keys an entity the phrase may name is filed under (heads: by trailing words too)."""
    keys: set[NameKey] = {("name", folded), ("singular", singular(folded))}
    keys.update(("name", member) for group in synonym_sets for member in group)
    keys.update(code_keys(folded))
    if heads and len(folded.split()) >= 2:
        keys.add(("tail", folded))
    return keys


def entity_keys(entity: Entity) -> set[KindKey]:
    """Every key an entity is filed under, by all its names, with each of its kinds."""
    keys: set[NameKey] = set()
    for name in (entity.label, *entity.synonyms):
        folded = fold_name(name)
        keys |= name_keys(folded) | code_keys(folded)
    return {(key, kind) for key in keys for kind in (entity.kind, *entity.also)}
