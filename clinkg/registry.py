"""The catalogue of canned questions: `queries/*.rq` files with a `#+` YAML header (grlc style).

A file's stem is its id; ids starting with `_` are support queries (evidence, allowed values)
that the server uses but does not list. Parameter values are resolved against the graph: a label
in any case, a synonym, or an IRI; anything else is refused with the allowed labels.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any, Final, NoReturn

import yaml
from rdflib import URIRef

from clinkg.errors import QueryCatalogueError, QueryParameterError, UnknownQuestion
from clinkg.ontology.namespaces import CKG
from clinkg.store import Store
from clinkg.store.state import current_stamp

# Named value sources a parameter may draw its allowed values from: concepts of these classes.
VALUE_SOURCES: Final[Mapping[str, URIRef]] = {
    "body-site": CKG.BodySite,
    "trigger": CKG.Trigger,
    "relief": CKG.Relief,
    "quality": CKG.Quality,
    "population": CKG.Population,
    "condition": CKG.Condition,
    "medication": CKG.Medication,
    "status": CKG.RecommendationStatus,
    "finding": CKG.Finding,
}
# Value sources whose values are classes: the named subclasses of this class (for questions
# over classes the reasoner fills, such as the defined kinds of condition).
CLASS_SOURCES: Final[Mapping[str, URIRef]] = {"condition-class": CKG.Condition}
HEADER_KEYS: Final = frozenset(
    {"name", "summary", "description", "group", "params", "returns", "tags"}
)
PARAM_KEYS: Final = frozenset({"name", "label", "values"})
_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")


@dataclass(frozen=True)
class Parameter:
    """One parameter of a canned question; `values` names its value source."""

    name: str
    label: str
    values: str


@dataclass(frozen=True)
class Question:
    """One canned question: its header and its SPARQL text."""

    id: str
    name: str
    summary: str
    group: str
    params: tuple[Parameter, ...]
    returns: tuple[str, ...]
    sparql: str
    source: str

    @property
    def internal(self) -> bool:
        """Support queries are run by the server, not offered to users."""
        return self.id.startswith("_")


@dataclass(frozen=True)
class AllowedValue:
    """A value a parameter accepts: canonical label, IRI and synonyms."""

    label: str
    iri: URIRef
    synonyms: tuple[str, ...] = ()


class Catalogue:
    """The questions by id, in a stable order (group, then name)."""

    def __init__(self, questions: Iterable[Question]) -> None:
        self._by_id = {question.id: question for question in questions}
        # Allowed values by (store stamp, value source): every page and answer needs them.
        self._values: dict[tuple[str, str], list[AllowedValue]] = {}
        self._values_lock = threading.Lock()

    def values_for(self, stamp: str | None, source: str) -> list[AllowedValue] | None:
        """Allowed values kept for this store state, if any."""
        if stamp is None:
            return None
        with self._values_lock:
            kept = self._values.get((stamp, source))
        return None if kept is None else list(kept)

    def keep_values(self, stamp: str | None, source: str, values: list[AllowedValue]) -> None:
        """Keep allowed values for this store state, forgetting those of older states."""
        if stamp is None:
            return
        with self._values_lock:
            if any(kept != stamp for kept, _ in self._values):
                self._values.clear()
            self._values[(stamp, source)] = list(values)

    def questions(self) -> list[Question]:
        """The questions offered to users (support queries left out)."""
        listed = [q for q in self._by_id.values() if not q.internal]
        return sorted(listed, key=lambda q: (q.group, q.name))

    def get(self, question_id: str) -> Question:
        """The question with this id; UnknownQuestion if there is none."""
        question = self._by_id.get(question_id)
        if question is None or question.internal:
            raise UnknownQuestion(f"no question with id '{question_id}'")
        return question

    def support(self, query_id: str) -> Question:
        """A support query by id (ids starting with `_`), for the server's own use."""
        return self._by_id[query_id]


def load_catalogue(directory: Path | None = None) -> Catalogue:
    """Read every `.rq` file of `directory` (default: the bundled `clinkg.queries`)."""
    if directory is None:
        files = [
            (entry.name, entry.read_text(encoding="utf-8"))
            for entry in resources.files("clinkg.queries").iterdir()
            if entry.name.endswith(".rq")
        ]
    else:
        files = [(path.name, path.read_text(encoding="utf-8")) for path in directory.glob("*.rq")]
    return Catalogue(parse_query(name, text) for name, text in sorted(files))


def parse_query(file_name: str, text: str) -> Question:
    """A Question from one `.rq` file's text; QueryCatalogueError naming the file if it is bad."""
    header = _read_header(file_name, text)
    params = tuple(_parameter(file_name, raw) for raw in _list(file_name, header, "params"))
    for param in params:
        if not re.search(r"[?$]" + re.escape(param.name) + r"\b", text):
            _fail(file_name, f"parameter '{param.name}' is not a variable of the query")
    returns = tuple(str(item) for item in _list(file_name, header, "returns"))
    return Question(
        id=Path(file_name).stem,
        name=_text(file_name, header, "name"),
        summary=_text(file_name, header, "summary"),
        group=str(header.get("group") or "Other"),
        params=params,
        returns=returns,
        sparql=text,
        source=file_name,
    )


def _read_header(file_name: str, text: str) -> dict[str, Any]:
    lines = []
    for line in text.splitlines():
        if not line.startswith("#+"):
            break
        lines.append(line[2:])
    if not lines:
        _fail(file_name, "no '#+' header at the top of the file")
    try:
        header = yaml.safe_load("\n".join(lines))
    except yaml.YAMLError as error:
        _fail(file_name, f"header is not valid YAML: {error}")
    if not isinstance(header, dict):
        _fail(file_name, "header must be a mapping of keys such as name, summary, params")
    unknown = set(header) - HEADER_KEYS
    if unknown:
        _fail(file_name, f"unknown header keys {sorted(unknown)}; known: {sorted(HEADER_KEYS)}")
    return header


def _parameter(file_name: str, raw: object) -> Parameter:
    if not isinstance(raw, dict) or set(raw) - PARAM_KEYS or "name" not in raw:
        _fail(file_name, f"a parameter needs exactly the keys {sorted(PARAM_KEYS)}: {raw!r}")
    name = str(raw["name"])
    if not _IDENTIFIER.match(name):
        _fail(file_name, f"parameter name '{name}' is not a SPARQL variable name")
    values = str(raw.get("values", ""))
    if values not in VALUE_SOURCES and values not in CLASS_SOURCES:
        known = sorted([*VALUE_SOURCES, *CLASS_SOURCES])
        _fail(file_name, f"parameter '{name}': values '{values}' not in {known}")
    return Parameter(name=name, label=str(raw.get("label") or name), values=values)


def _text(file_name: str, header: Mapping[str, Any], key: str) -> str:
    value = header.get(key)
    if not isinstance(value, str) or not value.strip():
        _fail(file_name, f"header needs a non-empty '{key}'")
    return value.strip()


def _list(file_name: str, header: Mapping[str, Any], key: str) -> list[Any]:
    value = header.get(key) or []
    if not isinstance(value, list):
        _fail(file_name, f"header '{key}' must be a list")
    return value


def _fail(file_name: str, reason: str) -> NoReturn:
    raise QueryCatalogueError(f"{file_name}: {reason}")


def allowed_values(store: Store, catalogue: Catalogue, source: str) -> list[AllowedValue]:
    """The values a parameter of this value source accepts, read from the graph, by label."""
    stamp = current_stamp(store)
    kept = catalogue.values_for(stamp, source)
    if kept is not None:
        return kept
    values = _read_allowed_values(store, catalogue, source)
    catalogue.keep_values(stamp, source, values)
    return values


def _read_allowed_values(store: Store, catalogue: Catalogue, source: str) -> list[AllowedValue]:
    if source in CLASS_SOURCES:
        query = catalogue.support("_allowed-classes")
        rows = store.select(query.sparql, {"class": CLASS_SOURCES[source]})
    else:
        query = catalogue.support("_allowed-values")
        rows = store.select(query.sparql, {"class": VALUE_SOURCES[source]})
    labels: dict[URIRef, str] = {}
    synonyms: dict[URIRef, set[str]] = {}
    for row in rows:
        iri, label, synonym = row["iri"], row["label"], row.get("synonym")
        if not isinstance(iri, URIRef) or label is None:
            continue
        labels[iri] = min(labels.get(iri, str(label)), str(label))
        synonyms.setdefault(iri, set())
        if synonym is not None and str(synonym) != labels[iri]:
            synonyms[iri].add(str(synonym))
    values = (AllowedValue(labels[i], i, tuple(sorted(synonyms[i]))) for i in labels)
    return sorted(values, key=lambda value: (value.label.casefold(), str(value.iri)))


def resolve_value(param: Parameter, value: str | None, allowed: list[AllowedValue]) -> AllowedValue:
    """The allowed value `value` names (label in any case, synonym or IRI), else an error."""
    if value is None or not value.strip():
        raise QueryParameterError(param.name, None, [v.label for v in allowed])
    wanted = value.strip()
    key = wanted.casefold()
    for matches in (
        [v for v in allowed if str(v.iri) == wanted],
        [v for v in allowed if v.label.casefold() == key],
        [v for v in allowed if key in (s.casefold() for s in v.synonyms)],
    ):
        if len(matches) == 1:
            return matches[0]
        if len(matches) > 1:
            raise QueryParameterError(param.name, value, [v.label for v in matches])
    raise QueryParameterError(param.name, value, [v.label for v in allowed])


def resolve_params(
    store: Store, catalogue: Catalogue, question: Question, raw: Mapping[str, str]
) -> dict[str, AllowedValue]:
    """Every parameter of `question` resolved to an allowed value (all are required)."""
    return {
        param.name: resolve_value(
            param, raw.get(param.name), allowed_values(store, catalogue, param.values)
        )
        for param in question.params
    }
