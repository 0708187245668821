"""Inline statistics: each as worded, with its kind, value, unit, qualifier and span."""

from __future__ import annotations

from itertools import pairwise

import pytest

from clinkg.loaders.parse.records import Statistic
from clinkg.loaders.parse.statistics import find_statistics


def shape(stat: Statistic) -> tuple[str, float | None, str | None, str, str | None]:
    return (stat.kind, stat.value, stat.unit, stat.text, stat.qualifier)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Muscle twitching (OR 4.6)", [("OR", 4.6, None, "OR 4.6", None)]),
        ("Foot dorsiflexion weakness (OR 1.02)", [("OR", 1.02, None, "OR 1.02", None)]),
        (
            "Risk falls with age (OR 4.2 at age 45 years versus OR 1.9 at age 60 years).",
            [
                ("OR", 4.2, None, "OR 4.2 at age 45 years", "at age 45 years"),
                ("OR", 1.9, None, "OR 1.9 at age 60 years", "at age 60 years"),
            ],
        ),
        (
            "Pills increase the risk about five-fold (OR 5.0).",
            [("fold", 5.0, "fold", "about five-fold", "about"), ("OR", 5.0, None, "OR 5.0", None)],
        ),
        (
            "Cramps affect up to 60% of adults.",
            [("percent", 60.0, "%", "up to 60% of adults", "up to")],
        ),
        ("Rupture was seen in 66.7%.", [("percent", 66.7, "%", "in 66.7%", None)]),
        ("Recurrence is about 10% in a year.", [("percent", 10.0, "%", "about 10%", "about")]),
        (
            "Relieved by rest within 10 minutes.",
            [("duration", 10.0, "minutes", "within 10 minutes", "within")],
        ),
        (
            "Given for at least 3 months.",
            [("duration", 3.0, "months", "for at least 3 months", "for at least")],
        ),
        ("Serial ultrasound over 2 weeks.", [("duration", 2.0, "weeks", "over 2 weeks", "over")]),
        ("Fondaparinux for 45 days.", [("duration", 45.0, "days", "for 45 days", "for")]),
        ("Smoking and age ≥65 years.", [("threshold", 65.0, "years", "age ≥65 years", "age ≥")]),
        ("Swelling at least 3 cm larger.", [("threshold", 3.0, "cm", "at least 3 cm", "at least")]),
        (
            "Fewer than one in four patients have DVT.",
            [("ratio", 0.25, None, "Fewer than one in four", "fewer than")],
        ),
        ("About 1 in 10 patients.", [("ratio", 0.1, None, "About 1 in 10", "about")]),
        ("Muscle twitching and tingling.", []),
        (
            "Obesity raised the risk of hip fracture (HR 1.4 in women, HR 1.20 in men).",
            [
                ("HR", 1.4, None, "HR 1.4 in women", "in women"),
                ("HR", 1.2, None, "HR 1.20 in men", "in men"),
            ],
        ),
        ("Steroid use (RR 1.72).", [("RR", 1.72, None, "RR 1.72", None)]),
        ("Migraine with aura (aOR 2.3).", [("OR", 2.3, None, "aOR 2.3", None)]),
        (
            "raised the risk of glaucoma (adjusted incidence rate ratio 1.9)",
            [("IRR", 1.9, None, "adjusted incidence rate ratio 1.9", None)],
        ),
        (
            "hazard ratio 0.8 and HR 1.1",
            [("HR", 0.8, None, "hazard ratio 0.8", None), ("HR", 1.1, None, "HR 1.1", None)],
        ),
        ("Strong (OR >10): hip fracture", [("OR", None, None, "OR >10", None)]),
        ("Moderate (OR 2\u20139): smoking", [("OR", None, None, "OR 2\u20139", None)]),
        (
            "Obesity doubles the risk of knee osteoarthritis (OR 2.1).",
            [("fold", 2.0, "fold", "doubles the risk", None), ("OR", 2.1, None, "OR 2.1", None)],
        ),
        (
            "Gout is three times as common in men.",
            [("fold", 3.0, "fold", "three times as common", None)],
        ),
        ("Migraine is twice as common in women.", [("fold", 2.0, "fold", "twice as common", None)]),
        (
            "Steroids roughly double to triple the risk of cataract.",
            [("fold", None, "fold", "roughly double to triple the risk", "roughly")],
        ),
        (
            "Gout is two to three times more common in men.",
            [("fold", None, "fold", "two to three times more common", None)],
        ),
        ("It happens one or two times a week.", []),
        ("Knee pain OR swelling at night.", []),  # a capital OR without a number is a word
    ],
)
def test_statistics_as_worded(
    text: str, expected: list[tuple[str, float | None, str | None, str, str | None]]
) -> None:
    assert [shape(s) for s in find_statistics(text)] == expected


def test_spans_point_at_the_wording() -> None:
    text = "Varicose veins (OR 4.2 at age 45 years versus OR 1.9 at age 60 years)."
    for stat in find_statistics(text):
        assert text[stat.start : stat.end] == stat.text


def test_statistics_do_not_overlap() -> None:
    stats = find_statistics(
        "Relief within 10 minutes of rest; about 10% of adults; OR 2.0 at age 45 years."
    )
    spans = sorted((s.start, s.end) for s in stats)
    assert all(a_end <= b_start for (_, a_end), (b_start, _) in pairwise(spans))
    assert [s.kind for s in stats] == ["duration", "percent", "OR"]
