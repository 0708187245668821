"""Feature qualifiers and scope on wording of our own, in body regions the articles do not cover."""

from __future__ import annotations

import pytest
from rdflib import RDF, Graph
from rdflib.namespace import SKOS

from clinkg.loaders.extract.article import extract_article
from clinkg.loaders.extract.features import (
    complaint_site,
    complaint_sites,
    feature_wording,
    read_qualifiers,
    read_scope,
    spreads_only,
)
from clinkg.loaders.parse.article import parse_article
from clinkg.loaders.parse.citations import align_citations
from clinkg.loaders.vocabularies.vocabulary import CKG_NS, VOCABULARY_FILE, load_vocabulary


def qualifiers(text: str, names: list[tuple[int, int]] | None = None) -> dict[str, tuple[str, ...]]:
    q = read_qualifiers(text, load_vocabulary(), names or [])
    return {"sites": q.sites, "triggers": q.triggers, "reliefs": q.reliefs}


@pytest.mark.parametrize(
    ("text", "site", "triggers"),
    [
        (
            "anterior knee pain on climbing stairs and after prolonged sitting",
            "Knee",
            ("StairClimbing", "Exertion", "Sitting"),
        ),
        (
            "a dull headache that is worse in the morning and on coughing",
            "Head",
            ("Morning", "Coughing"),
        ),
        (
            "lateral hip pain at night when lying on the affected side",
            "Hip",
            ("Night", "LyingOnSide"),
        ),
        ("wrist pain on gripping and typing", "Wrist", ("Gripping", "RepetitiveHandUse")),
        ("low back pain and stiffness on waking", "LowerBack", ("Morning",)),
        ("right upper quadrant pain after fatty meals", "RightUpperQuadrant", ("Eating",)),
        ("pleuritic chest wall pain", "ChestWall", ("Breathing",)),
        # Specific exertions are narrower triggers that state exertion too.
        ("ankle pain on landing from a jump", "Ankle", ("Jumping", "Exertion")),
        ("neck pain after heavy lifting", "Neck", ("Lifting", "Exertion")),
        ("ear pain on chewing", "Ear", ("Chewing",)),
        ("pain in the jaw muscles (jaw claudication)", "Jaw", ("Chewing",)),
    ],
)
def test_site_and_triggers_of_a_clause(text: str, site: str, triggers: tuple[str, ...]) -> None:
    q = qualifiers(text)
    assert site in q["sites"]
    assert q["triggers"] == triggers


def test_a_trigger_states_its_broader_triggers_and_names_no_site() -> None:
    q = qualifiers("numbness in the little finger on bending the elbow, worse when jogging")
    assert q["sites"] == ("LittleFinger",)  # the elbow is where the movement is, not the feature
    assert q["triggers"] == ("ElbowFlexion", "Running", "Exertion")
    assert load_vocabulary().within("LittleFinger", "Hand")


@pytest.mark.parametrize(
    ("text", "triggers", "reliefs"),
    [
        (
            "knee pain that eases after a few minutes of walking, then returns by evening",
            ("Evening",),
            ("Walking",),
        ),
        (
            "back pain that improves with activity and is worse after rest",
            ("Inactivity",),
            ("Exertion",),
        ),
        ("headache relieved by lying in a dark room", (), ("DarkRoom",)),
        ("chest pain at rest", ("Rest",), ()),
        (
            "epigastric pain relieved by antacids and worse lying flat",
            ("LyingFlat",),
            ("Antacids",),
        ),
    ],
)
def test_relief_cues_split_reliefs_from_triggers(
    text: str, triggers: tuple[str, ...], reliefs: tuple[str, ...]
) -> None:
    q = qualifiers(text)
    assert (q["triggers"], q["reliefs"]) == (triggers, reliefs)


def test_condition_names_say_where_but_not_when() -> None:
    text = "nocturnal knee pain"
    q = qualifiers(text, [(0, len(text))])
    assert q == {"sites": ("Knee",), "triggers": (), "reliefs": ()}


def scope(text: str, names: list[tuple[int, int]] | None = None) -> tuple[str, list[str]]:
    reading = read_scope(text, load_vocabulary(), names or [])
    return " ".join(reading.positive.split()), [feature_wording(p) for p in reading.negated]


def test_a_negated_clause_is_no_positive_trigger() -> None:
    positive, negated = scope("hip pain that is worse on walking, but not worse at night")
    assert "night" not in positive
    assert [read_qualifiers(n, load_vocabulary()).triggers for n in negated] == [("Night",)]


def test_a_negated_list_negates_every_item() -> None:
    positive, negated = scope(
        "No numbness, tingling, or weakness in the thumb, which would suggest a nerve cause"
    )
    assert "thumb" not in positive and "suggest" not in positive
    assert read_qualifiers(negated[0], load_vocabulary()).sites == ("Thumb",)


def test_the_subject_of_a_negated_copula_is_negated() -> None:
    positive, negated = scope("The kneecap is not tender, and the pain is worse on squatting")
    assert "kneecap" not in positive
    assert "squatting" in positive
    assert read_qualifiers(negated[0], load_vocabulary()).sites == ("Knee",)


def test_a_hedge_is_neither_positive_nor_negated() -> None:
    positive, negated = scope("the headache is not always worse in the morning")
    assert "morning" not in positive and negated == []


def test_pseudo_negation_is_read_as_plain_words() -> None:
    positive, negated = scope("night pain is not uncommon")
    assert "night" in positive and negated == []


def test_what_is_said_of_a_compared_condition_is_not_the_subjects() -> None:
    text = "Unlike migraine, which is relieved by sleep, it is worse on lying down"
    positive, _ = scope(text, [(7, 15)])
    assert "sleep" not in positive
    assert read_qualifiers(positive, load_vocabulary()).triggers == ("LyingFlat",)


def test_features_before_suggests_belong_to_what_is_suggested() -> None:
    text = "Wrist pain on gripping suggests de Quervain tenosynovitis"
    reading = read_scope(text, load_vocabulary(), [])
    assert reading.owner_from is not None
    assert "gripping" in reading.attributed and "gripping" not in reading.positive


def test_epidemiology_is_no_feature() -> None:
    assert read_scope("Its incidence peaks in runners", load_vocabulary(), []).epidemiology


TYPED_TRIGGERS = [
    "first steps",
    "Morning",
    "raising arms",
    "bending elbow",
    "evening",
    "driving",
    "neck movement",
    "on waking",
    "overhead",
    "lying flat",
    "climbing stairs",
    "coughing",
    "swallowing",
    "meals",
    "deep breathing",
    "weight bearing",
    "cold",
    "after rest",
    "running",
]


@pytest.mark.parametrize("typed", TYPED_TRIGGERS)
def test_a_trigger_a_user_types_names_one_trigger_concept(typed: str) -> None:
    graph = Graph().parse(VOCABULARY_FILE)
    named = {
        concept
        for concept in graph.subjects(RDF.type, CKG_NS["Trigger"])
        for predicate in (SKOS.prefLabel, SKOS.altLabel)
        for label in graph.objects(concept, predicate)
        if str(label).casefold() == typed.casefold()
    }
    assert len(named) == 1, (typed, named)


def test_every_new_site_is_part_of_a_region() -> None:
    vocabulary = load_vocabulary()
    for site, region in [
        ("Eye", "Head"),
        ("Throat", "Neck"),
        ("RightUpperQuadrant", "Abdomen"),
        ("Sole", "Leg"),
        ("AchillesTendon", "Heel"),
        ("Thumb", "Arm"),
        ("ShoulderBlade", "Back"),
    ]:
        assert vocabulary.within(site, region), (site, region)


def test_a_compared_condition_names_no_site() -> None:
    text = "groin pain on twisting that mimics knee osteoarthritis"
    start = text.index("knee")
    q = qualifiers(text, [(start, len(text))])
    assert q["sites"] == ("Groin",)
    assert q["triggers"] == ("Twisting",)


@pytest.mark.parametrize(
    ("clause", "kept"),
    [
        # A work-up list item is dropped; the rest of the clause still describes the condition.
        (
            "deep hip pain at night, with fever, and joint effusion on ultrasound",
            "deep hip pain at night, with fever",
        ),
        ("Imaging shows wrist swelling at night", None),  # the clause is about testing
        ("wrist pain on gripping", "wrist pain on gripping"),
    ],
)
def test_work_up_items_leave_the_clause(clause: str, kept: str | None) -> None:
    from clinkg.loaders.extract.article import _without_work_up

    result = _without_work_up(clause)
    assert (" ".join(result.split()) if result else None) == kept


@pytest.mark.parametrize(
    ("question", "clause", "sites"),
    [
        # In an article on upper back pain, "back pain" is the complaint: the upper back.
        ("Why does my upper back hurt when I breathe?", "back pain on breathing", ("UpperBack",)),
        ("Why does my lower back hurt?", "spinal tenderness", ("Back",)),  # another word
        ("Why does my knee hurt?", "leg pain at night", ("Leg",)),  # "knee" names no leg
        ("Why does my wrist hurt?", "wrist pain on gripping", ("Wrist",)),
    ],
)
def test_a_bare_word_for_the_complaint_site_names_it(
    question: str, clause: str, sites: tuple[str, ...]
) -> None:
    vocabulary = load_vocabulary()
    complaint = complaint_sites(question, vocabulary)
    assert read_qualifiers(clause, vocabulary, [], complaint).sites == sites


HIP_ARTICLE = """Why does my hip hurt when I lie on it?

Last updated: March 3, 2026View editorial policy

Hip Pain Lying on the Side: Trochanteric Bursitis and Other Causes

Lateral hip pain at night is most commonly greater trochanteric pain syndrome. 1

Primary Condition: Greater Trochanteric Pain Syndrome

Key features:

  • Aching at night 1
  • Worse on climbing stairs and after lifting 1

Other Conditions Causing Hip Pain:

Septic arthritis of the hip causes groin pain at rest, with fever, and effusion on ultrasound. 1

References

Research

Greater trochanteric pain syndrome.

Lancet, 2020
"""


def test_article_features_take_the_site_named_by_the_condition_and_drop_work_up_items() -> None:
    article = parse_article(HIP_ARTICLE, "hip.txt")
    facts = extract_article(article, align_citations(article))
    lifting = next(f for f in facts.features if "Lifting" in f.triggers)
    assert lifting.sites == ("Hip",)  # no feature names a site; the condition's name does
    septic = next(f for f in facts.features if f.condition == "Septic arthritis of the hip")
    assert "Rest" in septic.triggers and "ultrasound" not in septic.label


@pytest.mark.parametrize(
    ("text", "epidemiology"),
    [
        ("wrist swelling that peaks within 12 hours", False),  # the course of a symptom
        ("it peaks between the ages of 20 and 40 years", True),  # who gets the condition
    ],
)
def test_a_peak_is_epidemiology_only_of_age(text: str, epidemiology: bool) -> None:
    assert read_scope(text, load_vocabulary(), []).epidemiology is epidemiology


@pytest.mark.parametrize(
    ("text", "triggers"),
    [
        ("elbow pain on pinching and wringing", ("Pinching", "Gripping")),
        ("forearm ache when carrying bags or opening jars", ("Gripping",)),
        ("pain at the base of the finger on a key pinch", ("Pinching", "Gripping")),
    ],
)
def test_pinching_is_a_grip_and_gripping_wording_is_a_trigger(
    text: str, triggers: tuple[str, ...]
) -> None:
    assert qualifiers(text)["triggers"] == triggers


@pytest.mark.parametrize(
    ("text", "sites"),
    [
        # "its back" is a side of the thing named before, not the back.
        ("a tender lump just above the ankle on its back", ("Ankle",)),
        ("swelling on the back of the elbow", ("Elbow",)),
        ("aching in the back and the buttocks", ("Back", "Buttock")),
        # "radial head", "femoral neck": part of a bone, not the head or the neck.
        ("tenderness over the radial head", ("Elbow",)),
        ("groin pain from the femoral neck", ("Groin",)),
        # A place word before a structure no site names: the complaint's site.
        ("pain over the anterior talofibular ligament", ("Elbow",)),
        ("swelling along the tendon sheath", ("Elbow",)),
        # A site between "with the" and a posture word says how, not where.
        ("ache over the tendon origin, worse lifting with the palm facing down", ("Elbow",)),
        ("numbness of the foot with the knee held straight", ("Foot",)),
        # No place word, or no structure: no site is guessed.
        ("ligament laxity after a sprain", ()),
        ("pain in the morning", ()),
    ],
)
def test_a_site_word_names_where_the_feature_is_or_the_complaint_site_stands_in(
    text: str, sites: tuple[str, ...]
) -> None:
    found = read_qualifiers(text, load_vocabulary(), [], None, "Elbow")
    assert found.sites == sites


def test_no_site_is_guessed_for_a_negated_part() -> None:
    vocabulary = load_vocabulary()
    scope = read_scope("aching pain, but no tenderness over the ligament", vocabulary, [])
    assert read_qualifiers(scope.positive, vocabulary, [], None, "Ankle").sites == ()


def test_the_complaint_site_is_the_question_s_else_the_title_s() -> None:
    vocabulary = load_vocabulary()
    assert complaint_site("Why does my elbow hurt when I grip?", "", vocabulary) == "Elbow"
    assert complaint_site("Why do I hurt?", "Ankle Pain: Causes", vocabulary) == "Ankle"
    assert complaint_site("Why am I tired?", "Fatigue: Causes", vocabulary) is None
    question = "Why does the big toe side of my foot ache?"
    assert complaint_site(question, "", vocabulary) == "Foot"


@pytest.mark.parametrize(
    ("text", "site", "triggers"),
    [
        ("ear pain that is worse when swimming", "Ear", ("Swimming",)),
        ("facial pain brought on by flying", "Face", ("PressureChange",)),
        (
            "a headache that is worse in bright light and with loud noise",
            "Head",
            ("BrightLight", "Noise"),
        ),
        ("jaw pain provoked by chewing and yawning", "Jaw", ("Chewing", "JawOpening")),
        ("epigastric pain on an empty stomach", "Epigastrium", ("Fasting",)),
        ("ear pain on pulling the ear", "Ear", ("DirectPressure",)),
    ],
)
def test_triggers_of_other_regions(text: str, site: str, triggers: tuple[str, ...]) -> None:
    q = qualifiers(text)
    assert site in q["sites"]
    assert q["triggers"] == triggers


@pytest.mark.parametrize(
    "text",
    [
        # Pressure of blood or fluid, and a fasting test, are no triggers.
        "raised intracranial pressure with a high blood pressure",
        "a raised fasting glucose",
        # A habit is a risk factor, not what brings the feature on.
        "chest pain in people who drink alcohol heavily",
    ],
)
def test_measurements_and_habits_are_no_triggers(text: str) -> None:
    assert qualifiers(text)["triggers"] == ()


def test_a_negated_trigger_of_another_region_is_no_positive_trigger() -> None:
    positive, negated = scope("ear pain that is worse on chewing, but not worse when swimming")
    assert "swimming" not in positive
    assert [read_qualifiers(n, load_vocabulary()).triggers for n in negated] == [("Swimming",)]


@pytest.mark.parametrize(
    ("wording", "spreads"),
    [
        ("the pain radiates to the jaw", True),
        ("it may spread down the arm", True),
        ("radiating into the groin", True),
        ("pain that is worse on chewing", False),
        ("there is radiation to the jaw", False),
    ],
)
def test_a_wording_that_only_says_where_a_feature_spreads(wording: str, spreads: bool) -> None:
    assert spreads_only(wording) is spreads


EAR = """Why does my ear hurt?

Last updated: March 3, 2025View editorial policy

Ear Pain: Causes

The most common cause of ear pain is otitis externa, a common condition in adults. 1

Primary Condition: Otitis Externa

{sentences} 1

References

Research

A review of ear pain.

BMJ, 2020
"""


def ear_features(*sentences: str) -> list[tuple[tuple[str, ...], tuple[str, ...], bool]]:
    article = parse_article(EAR.format(sentences=" 1 ".join(sentences)), "ear.txt")
    facts = extract_article(article, align_citations(article))
    return [(f.sites, f.triggers, f.negated) for f in facts.features]


@pytest.mark.parametrize(
    "sentences",
    [
        ("Otitis externa causes ear pain on chewing; the pain radiates to the jaw.",),
        ("Otitis externa causes ear pain on chewing.", "The pain may radiate to the jaw."),
    ],
)
def test_where_a_feature_spreads_comes_with_its_triggers(sentences: tuple[str, ...]) -> None:
    assert (("Jaw",), ("Chewing",), False) in ear_features(*sentences)


def test_a_negated_spread_is_a_negated_feature_without_triggers() -> None:
    found = ear_features(
        "Otitis externa causes ear pain on chewing; it does not radiate to the jaw."
    )
    assert (("Jaw",), (), True) in found
    assert not any("Jaw" in sites and not negated for sites, _, negated in found)
