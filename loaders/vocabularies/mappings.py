"""A link from an entity to a term of a public vocabulary (HPO, ICD-10-CM, DrugBank)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal


@dataclass(frozen=True)
class Mapping:
    """A link from an entity to a public vocabulary term, and how it was found."""

    scheme: Literal["HPO", "ICD10CM", "MESH", "DRUGBANK"]
    code: str  # "HP:0003394", "I80.0", "D014803", "DB00682"
    label: str  # the vocabulary's own label
    exact: bool  # True -> skos:exactMatch, False -> skos:closeMatch
    method: str  # e.g. "exact label", "exact synonym", "drug dictionary"
