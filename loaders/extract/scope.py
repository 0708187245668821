"""The scope of negation, exception, hypothesis, concession and contrast in one statement.

medspaCy's ConText (Harkema et al. 2009) on a blank English pipeline, with its rules read from
the scope-cue block of `ontology/vocabulary.ttl`. `assertions` takes a statement's text and the
spans of its mentions (drugs, conditions, relation cues) and says how the text asserts each one.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Final, Literal

from rdflib import Graph, URIRef
from rdflib.namespace import SKOS

from clinkg.loaders.vocabularies.vocabulary import CKG_NS, vocabulary_graph

if TYPE_CHECKING:
    from spacy.language import Language

Assertion = Literal["affirmed", "negated", "excepted", "hypothetical", "concessive", "contrasted"]
SCOPE_SCHEME: Final[URIRef] = CKG_NS["ScopeCues"]
# When a mention is in several scopes, the first of these it is in decides.
_PRECEDENCE: Final[tuple[Assertion, ...]] = (
    "contrasted",
    "excepted",
    "negated",
    "hypothetical",
    "concessive",
)
_CATEGORY: Final[dict[str, Assertion]] = {
    "SCOPENEGATED": "negated",
    "SCOPEEXCEPTED": "excepted",
    "SCOPEHYPOTHETICAL": "hypothetical",
    "SCOPECONCESSIVE": "concessive",
    "SCOPECONTRASTED": "contrasted",
}


@dataclass(frozen=True)
class ScopeRule:
    """One cue phrase: what it asserts (its category), which way its scope runs, what ends it."""

    literal: str
    category: str  # "SCOPENEGATED", … or the boundary's own name ("CLAUSECOMMA")
    direction: str  # FORWARD, BACKWARD, BIDIRECTIONAL, TERMINATE, PSEUDO
    terminated_by: frozenset[str] = frozenset()


def _local(node: object) -> str:
    return str(node).removeprefix(str(CKG_NS)).upper()


def read_scope_rules(graph: Graph) -> tuple[ScopeRule, ...]:
    """The scope rules of a vocabulary graph, one per cue phrase."""
    rules = []
    for concept in sorted(graph.subjects(SKOS.inScheme, SCOPE_SCHEME), key=str):
        direction = graph.value(concept, SKOS.notation)
        if direction is None:
            continue  # a category, not a cue
        broader = graph.value(concept, SKOS.broader)
        category = _local(broader if broader is not None else concept)
        ended = frozenset(_local(o) for o in graph.objects(concept, SKOS.related))
        for label in sorted(graph.objects(concept, SKOS.hiddenLabel), key=str):
            rules.append(ScopeRule(str(label), category, str(direction), ended))
    return tuple(rules)


@cache
def scope_rules() -> tuple[ScopeRule, ...]:
    """The rules of the project's vocabulary file, read once per process."""
    return read_scope_rules(vocabulary_graph())


@cache
def _pipeline() -> Language:
    """A blank English tokenizer with ConText carrying the vocabulary's rules."""
    import spacy
    from medspacy.context import ConText, ConTextRule

    nlp = spacy.blank("en")
    context: ConText = nlp.add_pipe("medspacy_context", config={"rules": None, "span_attrs": None})
    context.add(
        [
            ConTextRule(
                r.literal,
                r.category,
                direction=r.direction,
                terminated_by=set(r.terminated_by) or None,
            )
            for r in scope_rules()
        ]
    )
    return nlp


def assertions(text: str, spans: Sequence[tuple[int, int]]) -> list[Assertion]:
    """How the text asserts each mention span (character offsets), in the order given."""
    from spacy.util import filter_spans

    nlp = _pipeline()
    doc = nlp.make_doc(text)
    for token in doc:
        token.is_sent_start = token.i == 0  # a statement is one scope window
    wanted = [doc.char_span(s, e, label="MENTION", alignment_mode="expand") for s, e in spans]
    doc.ents = filter_spans([w for w in wanted if w is not None])
    doc = nlp.get_pipe("medspacy_context")(doc)
    by_span: dict[tuple[int, int], set[str]] = {}
    for ent in doc.ents:
        by_span[(ent.start, ent.end)] = {m.category for m in ent._.modifiers}
    found: list[Assertion] = []
    for span in wanted:
        # A mention that overlaps a longer one is asserted as that one is.
        categories = {
            c
            for (start, end), cats in by_span.items()
            if span is not None and start < span.end and span.start < end
            for c in cats
        }
        found.append(_assertion(categories))
    return found


def _assertion(categories: set[str]) -> Assertion:
    kinds = {_CATEGORY[c] for c in categories if c in _CATEGORY}
    return next((k for k in _PRECEDENCE if k in kinds), "affirmed")
