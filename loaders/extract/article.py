"""Records -> facts: the extraction entry point.

`extract_article` registers the article's conditions from its structure (extract_context), then
reads each statement by its section's kind: features from presentation sections, risk factors
from risk and associated-condition lists, inducing medications from medication sections,
treatments from treatment sections. Every fact keeps its statement; every statement records the
entities it names (Mention facts), the evidence trail of every answer.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from typing import Final

from clinkg.loaders.extract.context import Context, build_context
from clinkg.loaders.extract.entities import Found
from clinkg.loaders.extract.facts import (
    ArticleFacts,
    Entity,
    EntityKind,
    Feature,
    MedicationEffectFact,
    Mention,
    RelationFact,
    RiskFactorFact,
    TreatmentFact,
)
from clinkg.loaders.extract.features import (
    Qualifiers,
    ScopeReading,
    complaint_site,
    complaint_sites,
    feature_wording,
    mask,
    phenotype_mappings,
    read_qualifiers,
    read_scope,
    spreads_only,
)
from clinkg.loaders.extract.medications import (
    SubjectItem,
    extract_drug_risk_effects,
    extract_effects,
    extract_include_effects,
    extract_passive_effects,
    extract_taking_effects,
)
from clinkg.loaders.extract.name_keys import KindKey
from clinkg.loaders.extract.risk_history import extract_history_risks
from clinkg.loaders.extract.risk_prose import extract_prose_risks
from clinkg.loaders.extract.risks import extract_risks, introduces_risk
from clinkg.loaders.extract.treatments import extract_treatments
from clinkg.loaders.parse.records import Article, CitationAlignment, Statement
from clinkg.loaders.vocabularies.vocabulary import load_vocabulary

_FEATURE_KINDS: Final[frozenset[str]] = frozenset({"entity", "features", "other-conditions"})
# Clauses about testing describe the work-up, not the condition's features.
_WORK_UP: Final[re.Pattern[str]] = re.compile(
    r"\b(?:diagnos\w*|ultraso\w*|imaging|testing|tests?|confirm|exclude|score)\b",
    re.IGNORECASE,
)
_OPENING_ARTICLE: Final[re.Pattern[str]] = re.compile(r"\s*(?:(?:an?|the)\s+)?", re.IGNORECASE)
# A clause's subject is followed by its verb ("angina is brought on by", "TTS causes").
_SUBJECT_VERB: Final[re.Pattern[str]] = re.compile(
    r"\s+(?:\([^()]*\)\s+)?(?:is|are|causes?|presents?|can|may|typically|usually|often|tends?|"
    r"occurs?|produces?|results?)\b",
    re.IGNORECASE,
)
_TREATMENT_TALK: Final[re.Pattern[str]] = re.compile(r"\b(?:treat\w*|therap\w*)\b", re.I)


def extract_article(
    article: Article,
    alignment: CitationAlignment,
    known: Sequence[Entity] = (),
    asked: set[KindKey] | None = None,
) -> ArticleFacts:
    """Facts of one parsed article; `known` entities (other articles) keep their labels.
    `asked` collects the name keys it looked them up by (name_keys.py)."""
    context = build_context(article, load_vocabulary(), tuple(known), asked)
    features: list[Feature] = []
    risks: list[RiskFactorFact] = []
    effects: list[MedicationEffectFact] = []
    treatments: list[TreatmentFact] = []
    subject: dict[int | None, list[SubjectItem]] = {}  # section -> its last medication subject
    for statement in article.statements:
        sc = context.section(statement)
        in_risk_section = sc.kind in ("risk", "associated")
        if in_risk_section or introduces_risk(context, statement):
            stated = extract_risks(context, statement, sc)
            risks += stated
            effects += extract_drug_risk_effects(context, statement, stated)
            if not in_risk_section:
                continue
        found, subject[statement.section] = extract_effects(
            context, statement, subject.get(statement.section, []), sc.kind == "medication"
        )
        effects += found
        if sc.kind == "medication":
            effects += extract_include_effects(context, statement)
            if statement.kind == "sentence":  # "X doubles the risk of Y (OR 2)": a risk too
                risks += extract_prose_risks(context, statement)
        if sc.kind in ("treatment", "medication") or sc.kind in _FEATURE_KINDS:
            previous = _subject_label(subject.get(statement.section, []))
            treatments += extract_treatments(context, statement, sc.kind == "treatment", previous)
        described = None
        if sc.kind in _FEATURE_KINDS and statement.kind != "lead-in":
            described = _feature_condition(context, statement)
            if statement.kind == "sentence":
                risks += extract_prose_risks(context, statement)
            if described is not None:
                features += _features(context, statement, described)
                risks += extract_history_risks(context, statement, described)
        effects += extract_taking_effects(context, statement, described)
        effects += extract_passive_effects(context, statement)
    features = _sited_by_name(context, _spread_with_triggers(features))
    relations = _relations(context, risks)
    mentions = _mentions(context, features, risks, effects, treatments)
    keys = {(m.kind, m.label) for m in mentions}
    return ArticleFacts(
        article=article,
        alignment=alignment,
        primary_condition=context.primary,
        entities=context.registry.entities(keys),
        features=tuple(features),
        risk_factors=tuple(dict.fromkeys(risks)),
        medication_effects=tuple(dict.fromkeys(effects)),
        treatments=tuple(dict.fromkeys(treatments)),
        relations=tuple(dict.fromkeys(relations)),
        mentions=mentions,
        warnings=tuple(context.warnings),
    )


def _subject_label(items: list[SubjectItem]) -> str:
    """The medication subject a pronoun of the next statement stands for: its classes."""
    return ", ".join(dict.fromkeys(i.name.label for i in items if i.member_of is None))


def _spread_with_triggers(features: list[Feature]) -> list[Feature]:
    """ "Chest pain on exertion; the pain radiates to the jaw": a feature that only says where
    the one before it (same condition, same or previous statement) spreads comes with its
    triggers, so the jaw pain is exertional too."""
    out: list[Feature] = []
    for feature in features:
        before = out[-1] if out else None
        if (
            before is not None
            and not feature.triggers
            and not feature.negated
            and not before.negated
            and before.condition == feature.condition
            and feature.statement - before.statement in (0, 1)
            and spreads_only(feature.label)
        ):
            feature = replace(feature, triggers=before.triggers)
        out.append(feature)
    return out


def _sited_by_name(context: Context, features: list[Feature]) -> list[Feature]:
    """A condition whose features state no site has them where its name says ("low back pain":
    "it is worse with lifting" is low back pain on lifting)."""
    sited = {f.condition for f in features if f.sites and not f.negated}
    named = {
        f.condition: tuple(m.concept for m in context.vocabulary.find(f.condition, "BodySite"))
        for f in features
        if f.condition not in sited
    }
    return [
        replace(f, sites=named[f.condition]) if f.condition in named and not f.negated else f
        for f in features
    ]


def _feature_condition(context: Context, statement: Statement) -> str | None:
    """The condition a presentation statement describes: its subject, else its section's."""
    if statement.index in context.leads:
        return context.leads[statement.index]
    if statement.index in context.subjects:
        return context.subjects[statement.index]
    if context.section(statement).kind == "other-conditions" or statement.section is None:
        return None
    return context.section_condition.get(statement.section)


def _features(context: Context, statement: Statement, condition: str) -> list[Feature]:
    """Features of a statement, clause by clause; negated parts are negated features."""
    if _TREATMENT_TALK.search(statement.text) and context.vocabulary.find(
        statement.text, "RecommendationStatus"
    ):
        return []
    lead_in = statement.lead_in
    if lead_in is not None and _epidemiology(context, context.statement(lead_in)):
        return []
    found = []
    for clause in re.split(r";\s+", statement.text):
        kept = _without_work_up(clause)
        if kept is not None:
            found += _clause_features(context, statement, kept, condition)
    return found


def _without_work_up(clause: str) -> str | None:
    """The clause without its work-up list items ("…, and lytic lesions on imaging"); None when
    its opening part is about testing, so the whole clause describes the work-up."""
    parts = re.split(r"(,\s*)", clause)
    if _WORK_UP.search(parts[0]):
        return None
    return "".join(
        " " * len(part) if index % 2 == 0 and _WORK_UP.search(part) else part
        for index, part in enumerate(parts)
    ).rstrip(" ,")


def _clause_features(
    context: Context, statement: Statement, clause: str, condition: str
) -> list[Feature]:
    """What one clause asserts, denies, and attributes to a suggested condition."""
    conditions = [f for f in context.registry.find(clause) if f.kind == "condition"]
    names = [(f.start, f.end) for f in conditions]
    scope = read_scope(clause, context.vocabulary, names)
    if scope.epidemiology:
        return []
    found = _attributed(context, statement, clause, scope, names)
    about = _clause_subject(clause, conditions) or condition
    subject = statement.index in context.subjects
    article = context.article
    complaint = complaint_sites(article.question, context.vocabulary)
    site = complaint_site(article.question, article.title, context.vocabulary)
    qualifiers = read_qualifiers(scope.positive, context.vocabulary, names, complaint, site)
    asserted = re.search(r"[A-Za-z]{3,}", mask(scope.positive, names)) is not None
    if asserted and (qualifiers.any() or statement.kind == "bullet" or subject):
        wording = feature_wording(scope.positive, names[0][1] if subject and names else 0)
        wording = re.sub(r"(?:\s*,)+", ",", " ".join(wording.split())).strip(" ,")
        named = [(f.start, f.end) for f in context.registry.find(wording)]
        found.append(_feature(about, statement, wording, qualifiers, mask(wording, named)))
    for phrase in scope.negated:
        absent = read_qualifiers(phrase, context.vocabulary)
        wording = " ".join(feature_wording(phrase).split())
        if re.search(r"[A-Za-z]{3,}", wording):
            found.append(_feature(about, statement, wording, absent, wording, negated=True))
    return found


def _attributed(
    context: Context,
    statement: Statement,
    clause: str,
    scope: ScopeReading,
    names: list[tuple[int, int]],
) -> list[Feature]:
    """The feature of "A suggests B" as B's, when B is a known condition (else nobody's)."""
    owner = _owner(context, clause, scope.owner_from)
    if owner is None or not scope.attributed.strip():
        return []
    qualifiers = read_qualifiers(scope.attributed, context.vocabulary, names)
    wording = " ".join(scope.attributed.split()).strip(" ,")
    return [_feature(owner, statement, wording, qualifiers, wording)] if qualifiers.any() else []


def _clause_subject(clause: str, conditions: list[Found]) -> str | None:
    """The condition a clause opens with ("…; angina is brought on by exertion"): it is about it."""
    opening = _OPENING_ARTICLE.match(clause)
    start = opening.end() if opening else 0
    return next(
        (f.label for f in conditions if f.start == start and _SUBJECT_VERB.match(clause, f.end)),
        None,
    )


def _epidemiology(context: Context, statement: Statement) -> bool:
    """True when a statement speaks of how common a condition is or who gets it."""
    cues = context.vocabulary.find(statement.text, "FeatureCue")
    return any(c.concept == "EpidemiologyCue" for c in cues)


def _owner(context: Context, clause: str, owner_from: int | None) -> str | None:
    """The B of "A suggests B" when it is a known condition (else A is no one's feature)."""
    if owner_from is None:
        return None
    named = context.conditions_named(clause[owner_from:])
    return named[0] if named else None


def _feature(
    condition: str,
    statement: Statement,
    wording: str,
    q: Qualifiers,
    unnamed: str,
    *,
    negated: bool = False,
) -> Feature:
    """A feature with its qualifiers; HPO is matched on the wording without condition names."""
    return Feature(
        condition=condition,
        statement=statement.index,
        label=wording,
        sites=q.sites,
        triggers=q.triggers,
        reliefs=q.reliefs,
        relief_within=q.relief_within,
        relief_speed=q.relief_speed,
        qualities=q.qualities,
        populations=q.populations,
        duration=q.duration,
        negated=negated,
        mappings=phenotype_mappings(unnamed),
    )


def _relations(context: Context, risks: list[RiskFactorFact]) -> list[RelationFact]:
    """Differentials of the primary condition, and associated conditions from risk lists."""
    relations = []
    if context.primary is not None:
        for label, statement in context.differentials.items():
            if label != context.primary:
                relations.append(RelationFact("differential", context.primary, label, statement))
    elif context.differentials:
        context.warnings.append(
            f"{context.article.source}: differential diagnoses found but no primary condition; "
            "no differential relations made"
        )
    for risk in risks:
        if risk.role == "associated-condition":
            relations.append(
                RelationFact("associated", risk.condition, risk.factor, risk.statement)
            )
    return relations


def _section_conditions(context: Context, statement: Statement) -> list[str]:
    """Conditions a statement is about by where it stands: its own section's entity or "For X:"
    heading (and the subject a prose paragraph introduces), whether or not a fact was drawn from
    it."""
    about = []
    if statement.index in context.subjects:
        about.append(context.subjects[statement.index])
    if statement.section is not None:
        own = context.section_condition.get(statement.section)
        if own is not None:
            about.append(own)
    return about


def _kind_of(context: Context, label: str, preferred: EntityKind) -> EntityKind:
    order: tuple[EntityKind, ...] = (preferred, "condition", "risk-factor", "medication")
    for kind in order:
        draft = context.registry.draft(label, (kind,))
        if draft is not None:
            return draft.kind
    return preferred


def _mentions(
    context: Context,
    features: list[Feature],
    risks: list[RiskFactorFact],
    effects: list[MedicationEffectFact],
    treatments: list[TreatmentFact],
) -> tuple[Mention, ...]:
    """Entities each statement names in its text or through a fact drawn from it."""
    pairs: list[tuple[int, EntityKind, str]] = []
    for statement in context.article.statements:
        pairs += [(statement.index, f.kind, f.label) for f in context.registry.find(statement.text)]
        pairs += [
            (statement.index, "condition", c) for c in _section_conditions(context, statement)
        ]
    pairs += [(f.statement, "condition", f.condition) for f in features]
    for risk in risks:
        pairs.append((risk.statement, "condition", risk.condition))
        pairs.append((risk.statement, _kind_of(context, risk.factor, "risk-factor"), risk.factor))
    for effect in effects:
        pairs += [
            (effect.statement, "condition", effect.condition),
            (effect.statement, "medication", effect.medication),
        ]
    for treatment in treatments:
        pairs.append((treatment.statement, "condition", treatment.condition))
        pairs += [(treatment.statement, "medication", m) for m in treatment.medications]
    pairs += [(index, "condition", label) for label, index in context.differentials.items()]
    mentions = [
        Mention(index, _kind_of(context, label, kind), label) for index, kind, label in pairs
    ]
    return tuple(sorted(dict.fromkeys(mentions), key=lambda m: (m.statement, m.kind, m.label)))
