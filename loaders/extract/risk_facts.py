"""What risk lists and risk prose share: the statistics that qualify a link, the factor
entity a wording names, and the facts one link gives (one per statistic)."""

from __future__ import annotations

import re
from functools import cache
from typing import Final

from rdflib import URIRef
from rdflib.namespace import SKOS

from clinkg.loaders.extract.context import Context
from clinkg.loaders.extract.facts import RiskFactorFact
from clinkg.loaders.extract.names import Name, sentence_case
from clinkg.loaders.parse.records import Statement, Statistic
from clinkg.loaders.parse.statistics import NOT_SIGNIFICANT
from clinkg.loaders.vocabularies.lexicon import fold_name
from clinkg.loaders.vocabularies.vocabulary import CKG_NS, phrase_pattern, vocabulary_graph

EFFECT_KINDS: Final[frozenset[str]] = frozenset({"OR", "RR", "HR", "IRR", "fold"})
# Scope is not this stage's work: any negation before or in the cue leaves the clause alone.
NEGATION: Final[re.Pattern[str]] = re.compile(
    r"\b(?:not|no|never|neither|nor|without|unlike|except)\b|n't\b", re.IGNORECASE
)


@cache
def concept_names(concept: str) -> tuple[str, ...]:
    """The prefLabel and hiddenLabels of one concept of the vocabulary, sorted."""
    graph = vocabulary_graph()
    return tuple(
        sorted(
            str(o)
            for predicate in (SKOS.prefLabel, SKOS.hiddenLabel)
            for o in graph.objects(CKG_NS[concept], predicate)
        )
    )


@cache
def concept_pattern(concept: str) -> re.Pattern[str]:
    """A whole-word matcher of one concept's names ("SignHead", "LessCommonWording")."""
    return phrase_pattern(concept_names(concept))


def factor_entity(context: Context, wording: str) -> str:
    """The entity a factor's wording names: a known condition (marked a risk factor) or new."""
    label = sentence_case(wording, context.keep_case)
    demographic = context.vocabulary.find(wording, "Demographic")
    if demographic and demographic[0].text.lower() == wording.lower():
        label = context.vocabulary.concepts[demographic[0].concept].label
    condition = context.registry.resolve(label, heads=False)
    if condition is not None:
        context.registry.mark(condition, "condition", "risk-factor")
        context.registry.add_synonym(condition, label)
        return condition
    return context.registry.add("risk-factor", Name(label))


def risk_facts(
    context: Context,
    statement: Statement,
    factor: str,
    target: str | None,
    role: str,
    statistics: tuple[Statistic, ...],
    qualifier: str | None = None,
) -> list[RiskFactorFact]:
    """One fact per statistic of a link, one plain fact without; none without a condition."""
    if any(s.qualifier == NOT_SIGNIFICANT for s in statistics):
        return []  # "(OR 1.1, not significant)": a finding of no association
    if target is None or target == factor:
        context.warnings.append(
            f"{context.article.source}, line {statement.line}: risk factor '{factor}' has no "
            "condition to attach to; skipped"
        )
        return []
    if not statistics:
        return [RiskFactorFact(target, factor, statement.index, role, qualifier=qualifier)]
    return [
        RiskFactorFact(target, factor, statement.index, role, s.kind, s.value, s.text, s.qualifier)
        for s in statistics
    ]


@cache
def condition_groups() -> tuple[tuple[re.Pattern[str], frozenset[str]], ...]:
    """Umbrella terms of the vocabulary (`ckg:ConditionGroups`): a matcher of the umbrella's
    names and the folded names of its members."""
    graph = vocabulary_graph()
    groups = []
    scheme = CKG_NS["ConditionGroups"]
    for group in sorted(s for s in graph.subjects(SKOS.inScheme, scheme) if isinstance(s, URIRef)):
        names = [str(o) for p in (SKOS.prefLabel, SKOS.altLabel) for o in graph.objects(group, p)]
        members = {
            fold_name(str(o))
            for member in graph.objects(group, SKOS.narrower)
            if isinstance(member, URIRef)
            for p in (SKOS.prefLabel, SKOS.altLabel)
            for o in graph.objects(member, p)
        }
        if names and members:
            groups.append((phrase_pattern(names), frozenset(members)))
    return tuple(groups)


def member_of_named_group(context: Context, text: str, candidate: str | None) -> str | None:
    """The candidate condition when the text names an umbrella term it belongs to ("the risk of
    venous thromboembolism" in an article on deep vein thrombosis), else None."""
    if candidate is None:
        return None
    draft = context.registry.draft(candidate)
    names = {fold_name(n) for n in (draft.names() if draft is not None else [candidate])}
    for pattern, members in condition_groups():
        if pattern.search(text) and names & members:
            return candidate
    return None
