"""Treatment options and their recommendation status, from treatment statements.

One sentence at a time: split it into clauses (a concession kept apart), read each clause's cues
from the vocabulary (status cues, and treatment wordings that imply a default status; the
strongest status wins), find the treatments it speaks of (before the cue, after it in "X is
treated with Y" / "limited evidence supports Y", or carried from the previous clause), split them
into clean items and attach them to the condition the clause names, else the sentence's, else its
section's or the article's.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Final

from clinkg.loaders.extract.condition_names import names_specific_disorder
from clinkg.loaders.extract.context import Context
from clinkg.loaders.extract.facts import Status, TreatmentFact
from clinkg.loaders.extract.names import (
    Name,
    clean_phrase,
    is_abbreviation_of,
    sentence_case,
    split_list,
    split_name,
)
from clinkg.loaders.extract.treatment_items import name_part, strip_tails, treatment_items
from clinkg.loaders.parse.records import Statement
from clinkg.loaders.vocabularies.lexicon import drug_of_phrase, find_drugs
from clinkg.loaders.vocabularies.vocabulary import ConceptMatch, Vocabulary

_STRENGTH: Final[dict[str, int]] = {"Recommended": 1, "LimitedEvidence": 2, "NotRecommended": 3}
# Treatment wordings whose treatment follows them ("X is treated with Y", "X requires Y").
_OBJECT_WORDINGS: Final[frozenset[str]] = frozenset(
    {"TreatedWithWording", "HedgedTreatedWithWording"}
)
# Evidence grades ("… is limited") that speak of a treatment only after "evidence for X".
# "X should be stopped": the treatment is the action on X ("Stopping X"), one item.
_STOP_WORDINGS: Final[frozenset[str]] = frozenset({"StopTreatmentWording"})
# "X is reserved for Y": a recommendation for the cases Y only, dropped beside another status of X.
_RESERVED_WORDINGS: Final[frozenset[str]] = frozenset({"ReservedTreatmentWording"})
_GERUNDS: Final[dict[str, str]] = {
    "stopped": "Stopping",
    "discontinued": "Discontinuing",
    "withdrawn": "Withdrawing",
    "tapered": "Tapering",
}
_EVIDENCE_GRADES: Final[frozenset[str]] = frozenset({"EvidenceGradeWording"})
_DETERMINER: Final[re.Pattern[str]] = re.compile(r"^(?:any|all|the|a|an|such)\s+", re.I)
_EVIDENCE_FOR: Final[re.Pattern[str]] = re.compile(
    r"^(?:the\s+)?evidence\s+(?:for|of|supporting|on)\s+(?:adding\s+|using\s+)?(?P<what>.+)$",
    re.IGNORECASE,
)
_TREAT_WORD: Final[re.Pattern[str]] = re.compile(r"\b(?:treat\w*|therap\w*|management)\b", re.I)
# Breaks that always end a clause, and "and" breaks that end one only after a cue (else they
# join list items: "A, B, and C are recommended").
_BREAK: Final[re.Pattern[str]] = re.compile(
    r"(?P<sep>;|:|,\s+(?:but|whereas|while|although|though|yet|so)\b|\s(?:but|whereas|yet)\b"
    r"|,\s+and\b|\s+and(?=\s+(?:is|are|should|may|can|must|remains?)\s)|\s+and\b"
    r"|,\s+as\s+(?:are|is)\b|,\s+which\b|,)\s*",
    re.IGNORECASE,
)
# Words that open a clause depending on the one before it, not a new main clause.
_SUBORDINATE: Final[re.Pattern[str]] = re.compile(
    r"^\s*(?:as|because|since|when|whenever|if|unless|until|which|who|where|although|though|"
    r"while|whereas|so|with|without|especially|particularly|including|even|given|after|before|"
    r"once|for|in|to|but|or|and|then|than|that|not)\b",
    re.IGNORECASE,
)
# A purpose infinitive after a cue ("is recommended to reduce pain").
_PURPOSE: Final[re.Pattern[str]] = re.compile(r"^\s*(?:\w+ly\s+)?(?:in\s+order\s+)?to\s+\w", re.I)
_CONCESSION: Final[re.Pattern[str]] = re.compile(
    r"^(?:although|though|even\s+though|whilst|while|despite)\s+(?P<body>[^,]+),\s+(?P<rest>.+)$",
    re.IGNORECASE,
)
_MODAL: Final[re.Pattern[str]] = re.compile(
    r"\s+(?:may|might|can|could|do|does|is|are|often|usually|sometimes|will)\s", re.IGNORECASE
)
_SETTING_INTRO: Final[re.Pattern[str]] = re.compile(r"^(?P<setting>(?:for|in)\s+[^,]+),", re.I)
# "…, as is common": an "as is" that compares a state, not one that lists more treatments.
_PREDICATE: Final[re.Pattern[str]] = re.compile(
    r"^(?:common|usual|typical|often|likely|true|possible|the\s+case|needed|necessary|"
    r"appropriate|well|also|not|often)\b",
    re.IGNORECASE,
)
_TREAT_OBJECT: Final[re.Pattern[str]] = re.compile(
    r"\bto\s+(?:treat|manage|correct)\s+(?P<what>.+?)(?:\s+(?:in|during|among|with)\s.*)?$",
    re.IGNORECASE,
)
_AFTER: Final[re.Pattern[str]] = re.compile(r"\b(?:after|following)\s+(?P<what>[^,]+)$", re.I)
_INTRO: Final[re.Pattern[str]] = re.compile(
    r"^(?:(?:for|after|in|when|if|because|once|during|before)\b[^,]*,\s*)+", re.IGNORECASE
)
# Subjects that leave the status open or reverse it: questions, hypotheses, "neither … nor".
_QUESTION: Final[re.Pattern[str]] = re.compile(r"^(?:whether|if|unless|neither|none|no)\b", re.I)
_HYPOTHETICAL: Final[re.Pattern[str]] = re.compile(
    r"\b(?:would|could|whether|unclear|unknown|uncertain)\b", re.IGNORECASE
)
_NEGATED: Final[re.Pattern[str]] = re.compile(
    r"\b(?:not|no|never|nor|cannot)(?:\s+[\w-]+)?\s*$", re.IGNORECASE
)
_TRAILING_VERB: Final[re.Pattern[str]] = re.compile(
    r"(?:(?:^|\s+)(?:is|are|was|were|has|have|remains?|be|been|also|therefore|thus|now|still|generally|"
    r"usually|often|only|then|supported|by|the|a|an|"
    # Grades of a recommendation ("strongly", "conditionally"): the cue's, not the name's.
    r"strongly|conditionally|weakly|firmly|routinely|widely|commonly|currently))+$",
    re.IGNORECASE,
)
_EXPLETIVE: Final[re.Pattern[str]] = re.compile(
    r"^(?:there|(?:(?:acute|initial|first-line|standard|usual|definitive|further)\s+)?"
    r"(?:treatment|therapy|management))$",
    re.IGNORECASE,
)
# After a cue, words that put its treatment after it ("limited evidence supports X").
_OBJECT_VERB: Final[re.Pattern[str]] = re.compile(
    r"^\s*(?:supports?|favou?rs?|to\s+(?:recommend|support|use)|that)\b", re.IGNORECASE
)
_NEGATION_WORD: Final[re.Pattern[str]] = re.compile(r"\b(?:not|never|no)\b", re.IGNORECASE)
_DISTRIBUTIVE: Final[re.Pattern[str]] = re.compile(r"^(?:either|both|each|neither)\b", re.I)
# A clause's subject up to its verb: an auxiliary, or a past-tense verb ("B carried …").
_STATED_SUBJECT: Final[re.Pattern[str]] = re.compile(
    r"^(?P<subject>(?:[\w/()-]+\s+){0,5}?[\w/()-]+)\s+(?:should|may|might|can|could|must|is|are|"
    r"was|were|has|have|had|does|do|did|will|gave|\w+ed)\s",
    re.IGNORECASE,
)
# The first words of a clause without a cue, up to its verb: a subject the next clause shares.
_LEADING_SUBJECT: Final[re.Pattern[str]] = re.compile(
    r"^(?P<subject>(?:[\w/()-]+\s+){0,5}?[\w/()-]+)\s+(?:should|may|might|can|could|must|is|are|"
    r"was|were|has|have|does|do|will)\s",
    re.IGNORECASE,
)
_ANAPHOR: Final[re.Pattern[str]] = re.compile(
    r"^(?:it|they|them|this|these|those|its\s+use|their\s+use|"
    r"(?:the|this|that|such)\s+(?:operation|procedure|surgery|drug|"
    r"medication|medicine|treatment|therapy|injection|intervention|agent|approach)s?)$",
    re.IGNORECASE,
)
# "Repeated injections" after "an injection may relieve pain": the treatment just named, again.
_REPEATED: Final[re.Pattern[str]] = re.compile(
    r"^(?:repeated|repeat|further|additional|subsequent|another|second)\s+(?P<head>[\w-]+)$",
    re.IGNORECASE,
)
# A reason ("… because they can cause X") names what the treatment risks, not its target.
_REASON: Final[re.Pattern[str]] = re.compile(
    r"(?:,\s*|\s+)(?:because|since|as\s+(?:it|they|this)\s)\b.*$", re.IGNORECASE
)
_OBJECT_LEAD: Final[re.Pattern[str]] = re.compile(
    r"^\s*(?:(?:supports?|favou?rs?|that|to\s+(?:recommend|support|use)|for|of|on|with|"
    r"recommending|using)\s+)+",
    re.IGNORECASE,
)
_TREATING: Final[re.Pattern[str]] = re.compile(
    r"^(?:treating|managing)\s+(?P<target>.+?)\s+with\s+(?P<what>.+)$", re.IGNORECASE
)
_QUALIFIED: Final[re.Pattern[str]] = re.compile(r"\b(?:in|with|during|for)\s", re.IGNORECASE)
# "in PMR": an abbreviation the clause is about that no known condition answers.
_UNKNOWN_ABBREVIATION: Final[re.Pattern[str]] = re.compile(
    r"\b(?i:in|for|with)\s+(?:patients\s+with\s+)?(?P<abbr>[A-Z][A-Za-z]*[A-Z][A-Za-z]*)\b"
)
# What follows a condition's name in a setting and is not part of it ("from other causes").
_SETTING_TAIL: Final[re.Pattern[str]] = re.compile(
    r"\s+(?:from|due\s+to|caused\s+by|secondary\s+to|after|in|with|who|that)\s.*$", re.I
)
_RESTRICTION: Final[re.Pattern[str]] = re.compile(
    r"^\s*(?:\w+ly\s+)?(?P<prep>in|with|during)\s+(?P<who>[^,(]+?)\s*(?:\(|,|$|\s+because\b)",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class _Clause:
    """A clause of a sentence; `joined` is the word that joined it to the previous one."""

    text: str
    joined: str = ""
    concessive: bool = False
    setting: str = ""  # "for X," opening it or the clause it continues (not across ";")


@dataclass(frozen=True)
class _Reading:
    """What one clause says: its treatments' wording, status, cue and condition."""

    phrase: str
    status: Status
    cue: str
    target: str | None
    carried: bool  # the subject came from the previous clause
    restriction: str | None  # "in pregnancy": a subgroup the status is stated for
    qualified: bool  # the status is stated for a setting ("in X", "for Y", "with Z")
    joined: str
    action: str = ""  # "Stopping": the treatment is this action on the phrase
    named: bool = False  # the clause itself named the target condition
    reserved: bool = False  # "X is reserved for Y": recommended for the cases Y only


def extract_treatments(
    context: Context, statement: Statement, in_treatment_section: bool, previous: str = ""
) -> list[TreatmentFact]:
    """Treatment facts of one statement. Outside treatment sections only "treatment with …" or
    a guideline status stated for a condition the clause names ("X should be avoided in Y");
    `previous` is the subject an opening "They" stands for (the previous statement's)."""
    if statement.kind == "lead-in":
        return []
    clauses = _clauses(context.vocabulary, statement.text.rstrip("."))
    outside = not in_treatment_section and not _TREAT_WORD.search(statement.text)
    if outside and not any(_status_for_named(context, c.text) for c in clauses if not c.concessive):
        return []
    readings: list[_Reading] = []
    subject = next((_concession_subject(c.text) for c in clauses if c.concessive), previous)
    named: list[str] = []  # each clause's subject, for "either procedure" / "both drugs"
    for position, clause in enumerate(clauses):
        if clause.concessive:
            continue
        if clause.joined in ("as are", "as is"):
            reading = _inverted(context, statement, clause, readings[-1] if readings else None)
        else:
            before = clauses[position - 1].text if position else ""
            antecedent = (
                _relative_head(before) if clause.joined == "which" else None
            ) or _antecedent(clause, subject, named)
            reading = _read_clause(context, statement, clause, antecedent)
        if reading is not None:
            reading = _contrast_target(context, readings, clause, reading)
            readings.append(reading)
            subject = reading.phrase
        else:
            lead = _leading_subject(clause.text)
            subject = lead if lead and not _ANAPHOR.match(lead) else subject
        named.append(subject if reading else _stated_subject(clause.text))
    facts: list[TreatmentFact] = []
    for reading in _resolve_contrasts(readings):
        facts += _facts(context, statement, reading)
    return facts


def _status_for_named(context: Context, clause: str) -> bool:
    """True when a clause states a guideline status for a condition it names after the cue."""
    statuses = context.vocabulary.find(clause, "RecommendationStatus")
    return bool(statuses) and bool(context.conditions_named(clause[statuses[-1].end :]))


def _antecedent(clause: _Clause, subject: str, named: list[str]) -> str:
    """What a clause's anaphor stands for: "either procedure" / "both" the two clause subjects
    just before it (the pair it chooses between), else the previous clause's subject."""
    opening = _TRAILING_VERB.sub("", _INTRO.sub("", clause.text.strip()))
    pair = [n for n in named if n][-2:]
    if re.match(r"^(?:either|both)\b", opening, re.I) and len(pair) == 2:
        return ", ".join(pair)
    return subject


def _relative_head(text: str) -> str:
    """What ", which …" speaks of: the noun phrase ending the clause before it ("… in
    preference to B, which is kept for later": B)."""
    match = re.search(r"^(?:.*\b(?:to|over|than|with|and|or|of|from)\s+)?(?P<np>[^,;()]+)$", text)
    return match.group("np").strip() if match else ""


def _stated_subject(text: str) -> str:
    """The subject of a clause that states a fact rather than a status ("A was the most
    cost-effective procedure", "B carried higher risks"): its words up to the verb."""
    match = _STATED_SUBJECT.match(_INTRO.sub("", text.strip()))
    return match.group("subject") if match else ""


def _contrast_target(
    context: Context, readings: list[_Reading], clause: _Clause, reading: _Reading
) -> _Reading:
    """ "A is considered in X, whereas B is not recommended": B is for X too, when its clause
    names no condition of its own."""
    if clause.joined not in ("whereas", "while") or not readings:
        return reading
    previous = readings[-1]
    if previous.named and not context.conditions_named(clause.text):
        return replace(reading, target=previous.target)
    return reading


def _inverted(
    context: Context, statement: Statement, clause: _Clause, previous: _Reading | None
) -> _Reading | None:
    """ "A is recommended, as are B and C": B and C share A's status (if the clause has no cue
    and names treatments, not a predicate: "as is common")."""
    text = clause.text.strip()
    if previous is None or _cues(context.vocabulary, text) or _PREDICATE.match(text):
        return None
    named = context.conditions_named(text)
    target = context.target(statement, text) if named else previous.target
    return replace(previous, phrase=text, target=target, carried=False, joined=clause.joined)


def _clauses(vocabulary: Vocabulary, text: str) -> list[_Clause]:
    """Clauses of a sentence: a leading "Although …," clause is a concession, as is ", although"."""
    concession = _CONCESSION.match(text)
    lead = [_Clause(concession.group("body"), concessive=True)] if concession else []
    if concession:
        text = concession.group("rest")
    clauses: list[_Clause] = []
    start, joined = 0, ""
    for match in _BREAK.finditer(text):
        sep = match.group("sep").strip(" ,").lower()
        piece = text[start : match.start()]
        if sep == "and" and _joins_items(vocabulary, match, piece, text[match.end() :]):
            continue
        absolute = _absolute_with(vocabulary, text[match.end() :]) if sep == "" else 0
        if sep == "" and not absolute and not _cue_pair(vocabulary, piece, text[match.end() :]):
            continue  # a comma inside a clause or a list; only "A is X, B is Y" ends one
        clauses.append(_Clause(piece, joined, joined in ("although", "though")))
        start, joined = match.end() + absolute, "with" if absolute else sep
    clauses.append(_Clause(text[start:], joined, joined in ("although", "though")))
    return lead + _settings([c for c in clauses if c.text.strip()])


def _settings(clauses: list[_Clause]) -> list[_Clause]:
    """Each clause with the "for X," / "in X," it opens with or continues ("for X, A is
    suggested, while B …"); a ";" or ":" ends the setting."""
    out: list[_Clause] = []
    setting = ""
    for clause in clauses:
        if clause.joined in (";", ":"):
            setting = ""
        opening = _SETTING_INTRO.match(clause.text.strip())
        setting = opening.group("setting") if opening else setting
        out.append(replace(clause, setting=setting))
    return out


def _joins_items(vocabulary: Vocabulary, match: re.Match[str], piece: str, rest: str) -> bool:
    """True when an "and" joins list items, not clauses: ", and" after commas since the last cue
    ("A, B, and C"); a bare "and" unless cues stand on both sides ("A is … and B is not …")."""
    cues = _cues(vocabulary, piece)
    since = piece[max((c.end for c in cues), default=0) :]
    if cues and _PURPOSE.match(since):
        # "… is recommended to reduce pain and improve function in the short, medium, and long
        # term, and X is …": the purpose's lists and "and"s run on until a new subject and cue.
        return not _starts_clause(vocabulary, rest)
    if match.group("sep").startswith(","):
        return len(split_list(since)) > 1
    if re.match(r"\s+and\s+(?:is|are|should|may|can|must|remains?)\s", match.group(0) + rest):
        return False
    return not (cues and _cues(vocabulary, rest))


def _cue_pair(vocabulary: Vocabulary, piece: str, rest: str) -> bool:
    """True when a comma stands between two clauses that each carry a cue ("A and B come first,
    limited evidence supports C")."""
    if _SUBORDINATE.match(rest):
        return False  # "…, as limited evidence shows no benefit": a reason, not a new option
    return bool(_cues(vocabulary, piece)) and _starts_clause(vocabulary, rest)


def _absolute_with(vocabulary: Vocabulary, rest: str) -> int:
    """The length of the "with " opening an absolute clause with a cue of its own ("…, with B
    reserved for severe disease": B is the subject of its own status), else 0."""
    opening = re.match(r"with\s+", rest, re.IGNORECASE)
    if opening is None or not _starts_clause(vocabulary, rest[opening.end() :]):
        return 0
    return opening.end()


def _starts_clause(vocabulary: Vocabulary, rest: str) -> bool:
    """True when the text opens a clause of its own: a subject with no list break, then a cue."""
    cues = _cues(vocabulary, rest)
    return bool(cues) and not re.search(r",|\bto\s", rest[: cues[0].start])


def _cues(vocabulary: Vocabulary, text: str) -> list[ConceptMatch]:
    return vocabulary.find(text, "RecommendationStatus") + vocabulary.find(text, "TreatmentWording")


def _concession_subject(text: str) -> str:
    """The treatment a concession speaks of: its subject, else what follows "after"."""
    after = _AFTER.search(text)
    modal = _MODAL.search(text)
    if modal and (after is None or after.start() > modal.start()):
        return text[: modal.start()]
    return after.group("what") if after else ""


def _leading_subject(text: str) -> str:
    """The subject of a clause without a cue ("X should be stopped …"), or "" if unclear."""
    match = _LEADING_SUBJECT.match(_INTRO.sub("", text.strip()))
    if match:
        return match.group("subject")
    drugs = find_drugs(text)
    return text[: drugs[0].end] if drugs and drugs[0].start == 0 else ""


def _cue(context: Context, clause: str) -> tuple[ConceptMatch, Status, bool] | None:
    """The clause's deciding cue, its status, and whether the treatment follows the cue."""
    statuses = context.vocabulary.find(clause, "RecommendationStatus")
    wordings = context.vocabulary.find(clause, "TreatmentWording")
    if statuses:
        strongest = max(_STRENGTH[c.concept] for c in statuses)
        cue = next(c for c in statuses if _STRENGTH[c.concept] == strongest)
        holding = [w for w in wordings if w.start <= cue.start and cue.end <= w.end]
        if holding and holding[0].concept in _OBJECT_WORDINGS:
            return holding[0], cue.concept, True  # type: ignore[return-value]
        return cue, cue.concept, False  # type: ignore[return-value]
    if not wordings:
        return None
    wording = wordings[0]
    if _NEGATION_WORD.search(wording.text):
        return None  # "is not … treated with": a gap holding a negation says nothing here
    implied = context.vocabulary.concepts[wording.concept].implies
    if implied not in _STRENGTH:
        return None
    return wording, implied, wording.concept in _OBJECT_WORDINGS  # type: ignore[return-value]


def _read_clause(
    context: Context, statement: Statement, clause: _Clause, previous: str
) -> _Reading | None:
    found = _cue(context, clause.text)
    if found is None:
        return None
    cue, status, object_first = found
    text = clause.text
    before, after = text[: cue.start].strip(), text[cue.end :]
    if status != "NotRecommended" and _NEGATED.search(before):
        return None  # "is not always recommended": a polarity the cues do not decide
    if _HYPOTHETICAL.search(before) or _QUESTION.match(before):
        return None
    subject = _TRAILING_VERB.sub("", _INTRO.sub("", before)).strip()
    if cue.concept in _EVIDENCE_GRADES:
        evidence = _EVIDENCE_FOR.match(subject)
        if evidence is None:
            return None
        subject = evidence.group("what")
    if _DISTRIBUTIVE.match(subject):
        if not re.match(r"^(?:either|both)\b", subject, re.I) or "," not in previous:
            return None  # "each procedure" / "either" with no pair named before: unclear
        subject = "they"  # "either procedure" stands for the pair named before it
    target_text = text
    evidence_first = cue.text.lower().endswith("evidence") or subject.lower() in ("", "it")
    stated = f"{subject} {cue.text}"  # "first-line management of X is": the cue names it
    if object_first and not (context.conditions_named(stated) or _TREAT_WORD.search(stated)):
        return None  # "dabigatran requires heparin first" is not a treatment of a condition
    if evidence_first and _OBJECT_VERB.match(after):
        subject = ""
        object_first = True
    if object_first or _EXPLETIVE.match(subject):
        phrase, target_text = _object(after, stated.strip(), text)
        if _NEGATION_WORD.match(phrase.strip()):
            return None  # "first-line treatment is not surgery": no treatment stated
        carried = False
        if _ANAPHOR.match(strip_tails(phrase)):
            phrase, carried = previous, True
    else:
        carried = not subject or bool(_ANAPHOR.match(subject) or _REPEATED.match(subject))
        phrase = previous if carried else subject
        if _REPEATED.match(subject) and not _same_head(subject, previous):
            return None  # "repeated injections" with no injection named before: unclear
    phrase = phrase.strip()
    if not phrase or _ANAPHOR.match(phrase) or len(phrase.split()) > 25:
        return None
    action = _GERUNDS[cue.text.split()[-1].lower()] if cue.concept in _STOP_WORDINGS else ""
    if action and carried:
        return None  # "… and should be stopped": what is stopped is left to the previous clause
    restriction = _restriction(context, after) if status == "NotRecommended" else None
    target_text = _REASON.sub("", target_text)
    treated = _TREAT_OBJECT.search(after)
    if treated and context.conditions_named(treated.group("what")):
        target_text = treated.group("what")  # "… should not be used to treat X in Y": X
    if clause.setting and not context.conditions_named(target_text):
        if context.conditions_named(clause.setting) or _setting_condition(context, clause.setting):
            target_text = clause.setting
        elif context.conditions_named(statement.text):
            return None  # "A is given in X; for Y, B is suggested": B is for Y, which is unknown
    target = _target(context, statement, target_text)
    qualified = bool(_QUALIFIED.search(after))
    named = bool(context.conditions_named(target_text))
    return _Reading(
        phrase,
        status,
        cue.text,
        target,
        carried,
        restriction,
        qualified,
        clause.joined,
        action,
        named,
        cue.concept in _RESERVED_WORDINGS,
    )


def _setting_condition(context: Context, setting: str) -> str | None:
    """ "For progressive pulmonary fibrosis from other causes, B is suggested": a disorder the
    setting names that is not known yet is a condition of its own, registered here."""
    phrase = clean_phrase(_SETTING_TAIL.sub("", re.sub(r"^(?:for|in)\s+", "", setting, flags=re.I)))
    if not names_specific_disorder(phrase):
        return None
    return context.registry.add("condition", split_name(phrase, context.keep_case))


def _same_head(phrase: str, previous: str) -> bool:
    """True when both phrases end in the same noun, singular or plural ("injections")."""
    words = strip_tails(previous).lower().split()
    head = phrase.lower().split()[-1]
    return bool(words) and words[-1].rstrip("s") == head.rstrip("s")


def _object(after: str, subject: str, clause: str) -> tuple[str, str]:
    """The treatment phrase after an object cue, and the text that names its condition."""
    what = _OBJECT_LEAD.sub("", after)
    treating = _TREATING.match(what)
    if treating:
        return treating.group("what"), treating.group("target")
    return what, clause if subject else what


def _restriction(context: Context, after: str) -> str | None:
    """ "… is not recommended in pregnancy": the subgroup, unless it is the target condition."""
    match = _RESTRICTION.match(after)
    if match is None or context.conditions_named(match.group("who")):
        return None
    return f"{match.group('prep').lower()} {match.group('who').strip()}"


def _target(context: Context, statement: Statement, clause: str) -> str | None:
    """The condition the clause names, else its section's, else the sentence's only one, else
    the primary (but never the primary under a "For X:" heading no known condition answers)."""
    if context.conditions_named(clause):
        return context.target(statement, clause)
    if _names_unknown(context, statement, statement.text):
        return None  # "X is considered in PMR, whereas Y is not recommended": Y's is unclear
    if statement.index in context.leads:
        return context.leads[statement.index]  # "Lead: …" names its own subject, or another state
    own = (
        context.section_condition.get(statement.section) if statement.section is not None else None
    )
    if own is not None:
        return own
    named = context.conditions_named(statement.text)
    if len(named) == 1:
        return named[0]
    heading = context.section(statement).target_name
    if heading:
        return _paragraph_condition(context, statement, heading)
    return context.primary


def _paragraph_condition(context: Context, statement: Statement, heading: str) -> str | None:
    """Under a heading naming several conditions, the one of them the sentence's paragraph
    names, if only one ("For A and B:", a paragraph on A whose first sentence names none)."""
    paragraph = " ".join(
        s.text
        for s in context.article.statements
        if s.line == statement.line and s.section == statement.section
    )
    listed = set(context.conditions_named(heading))
    named = [c for c in context.conditions_named(paragraph) if c in listed]
    return named[0] if len(named) == 1 else None


def _names_unknown(context: Context, statement: Statement, text: str) -> bool:
    """True when the text is about an abbreviation ("in PMR") that neither a known condition
    nor the fallback condition (the section's, else the primary) answers."""
    fallback = context.target(statement, "") or ""
    return any(
        not context.conditions_named(m.group("abbr"))
        and not is_abbreviation_of(m.group("abbr"), fallback)
        for m in _UNKNOWN_ABBREVIATION.finditer(text)
    )


def _resolve_contrasts(readings: list[_Reading]) -> list[_Reading]:
    """ "X is effective but is not recommended": the second clause wins; stated for a subgroup
    ("… but is not recommended in pregnancy") it stands beside the first, named for it."""
    kept: list[_Reading] = []
    for reading in readings:
        previous = kept[-1] if kept else None
        contrast = reading.joined in ("but", "yet") and reading.carried and not reading.qualified
        if previous is not None and contrast and previous.status != reading.status:
            kept.pop()
        if reading.reserved and reading.carried and previous is not None:
            continue  # "… is not routinely recommended and is reserved for Y": the first stands
        if reading.restriction is not None:
            reading = replace(reading, phrase=f"{name_part(reading.phrase)} {reading.restriction}")
        kept.append(reading)
    return kept


def _facts(context: Context, statement: Statement, reading: _Reading) -> list[TreatmentFact]:
    if reading.target is None:
        context.warnings.append(
            f"{context.article.source}, line {statement.line}: treatment '{reading.phrase}' has "
            "no condition to attach to; skipped"
        )
        return []
    no_longer = "no longer" in reading.cue.lower()
    if reading.action:
        what = _DETERMINER.sub("", reading.phrase.strip())
        label = sentence_case(f"{reading.action} {what}", context.keep_case)
        return [_fact(context, statement, reading, reading.target, label, no_longer, None)]
    facts = []
    restricted = reading.restriction is not None
    apart = reading.status != "NotRecommended"
    for label, broader in treatment_items(context, reading.phrase, restricted, apart):
        facts.append(_fact(context, statement, reading, reading.target, label, no_longer, broader))
    return facts


def _fact(
    context: Context,
    statement: Statement,
    reading: _Reading,
    target: str,
    label: str,
    no_longer: bool,
    broader: str | None,
) -> TreatmentFact:
    if drug_of_phrase(label) is not None and not reading.action:
        names = [label]
    else:
        names = [
            sentence_case(label[h.start : h.end], context.keep_case)
            for h in find_drugs(label)
            if h.drugbank is not None
        ]
    medications = tuple(context.registry.add("medication", Name(n)) for n in names)
    return TreatmentFact(
        target,
        label,
        reading.status,
        statement.index,
        reading.cue,
        no_longer,
        medications,
        broader,
    )
