"""Pictures drawn on the server as SVG: a forest plot of ratios and a condition's neighbourhood.

Pure geometry from rows the support queries return; the templates (`_pictures.html`) only draw
what is computed here, so the pages need no script and the CSP stays strict.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Final

from rdflib import URIRef

from clinkg.registry import Catalogue
from clinkg.store import Row, Store

PLOT_WIDTH: Final = 240  # px of one forest-plot row's axis
PLOT_MARGIN: Final = 14
TICKS: Final = (0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 50, 100)
# The neighbourhood: which edges of a condition are drawn, in which column and colour.
GROUPS: Final = (
    ("features", "Features", "left", "#1d4ed8"),
    ("risk-factors", "Risk factors", "left", "#92400e"),
    ("treatments", "Treatments", "right", "#166534"),
    ("medications", "Inducing medications", "right", "#9d174d"),
    ("differentials", "Differentials", "right", "#6b21a8"),
)
NODES_PER_GROUP: Final = 7
ROW: Final = 22  # px between neighbourhood rows
GRAPH_WIDTH: Final = 900


@dataclass(frozen=True)
class ForestRow:
    """One ratio: the factor, the condition, its wording, its source and where its point falls."""

    factor: str
    factor_iri: URIRef
    condition: str
    kind: str  # "OR" | "RR" | "HR" | "IRR"
    value: float
    text: str
    source: str | None
    statement: URIRef | None
    x: float  # the point on the row's axis, px


@dataclass(frozen=True)
class ForestPlot:
    """Rows on one shared log axis: where 1 falls, and the ticks."""

    rows: tuple[ForestRow, ...]
    width: int
    one: float  # x of the line at 1
    ticks: tuple[tuple[float, str], ...]  # (x, label)


def ratio_rows(store: Store, catalogue: Catalogue, condition: URIRef | None = None) -> list[Row]:
    """The ratio statistics the articles give (for `condition`, or for every condition)."""
    query = catalogue.support("_ratio-statistics").sparql
    return store.select(query, {} if condition is None else {"condition": condition})


def forest_plot(rows: Iterable[Row]) -> ForestPlot | None:
    """The rows as a forest plot on a log axis wide enough for every value and 1; None if none."""
    seen: dict[tuple[str, str], Row] = {}
    for row in rows:
        if float(str(row["statisticValue"])) > 0:  # a log axis has no place for 0
            seen.setdefault((str(row["fact"]), str(row["statisticType"])), row)
    values = [float(str(row["statisticValue"])) for row in seen.values()]
    if not values:
        return None
    low = math.log10(min([*values, 1.0]) / 1.25)
    high = math.log10(max([*values, 1.0]) * 1.25)
    span = PLOT_WIDTH - 2 * PLOT_MARGIN

    def x(value: float) -> float:
        return round(PLOT_MARGIN + (math.log10(value) - low) / (high - low) * span, 1)

    plotted = [
        _forest_row(row, x) for row in seen.values() if float(str(row["statisticValue"])) > 0
    ]
    plotted.sort(key=lambda r: (r.condition, -r.value, r.factor))
    ticks = tuple((x(t), f"{t:g}") for t in TICKS if low <= math.log10(t) <= high)
    return ForestPlot(tuple(plotted), PLOT_WIDTH, x(1.0), ticks)


def _forest_row(row: Row, x: Callable[[float], float]) -> ForestRow:
    value = float(str(row["statisticValue"]))
    text = str(row.get("statisticText") or f"{row['statisticType']} {value:g}")
    if row.get("statisticQualifier") and str(row["statisticQualifier"]) not in text:
        text += f" {row['statisticQualifier']}"
    statement = row.get("statement")
    return ForestRow(
        factor=str(row["factorLabel"]),
        factor_iri=URIRef(str(row["factor"])),
        condition=str(row["conditionLabel"]),
        kind=str(row["statisticType"]),
        value=value,
        text=text,
        source=None if row.get("articleTitle") is None else str(row["articleTitle"]),
        statement=statement if isinstance(statement, URIRef) else None,
        x=x(value),
    )


@dataclass(frozen=True)
class Node:
    """One neighbour, placed: its label, link and the point its edge ends at."""

    label: str
    iri: URIRef | None  # None: the "n more" line
    x: float
    y: float
    anchor: str  # "end" on the left column, "start" on the right


@dataclass(frozen=True)
class Group:
    """A kind of neighbour: heading position, colour and its placed nodes."""

    name: str
    title: str
    colour: str
    x: float
    y: float
    anchor: str
    nodes: tuple[Node, ...]
    total: int


@dataclass(frozen=True)
class Neighbourhood:
    """A condition in the middle, its neighbours in two columns."""

    label: str
    width: int
    height: int
    cx: float
    cy: float
    groups: tuple[Group, ...]


def neighbourhood_rows(store: Store, catalogue: Catalogue, condition: URIRef) -> list[Row]:
    """The condition's features, risk factors, treatments, medications and differentials."""
    query = catalogue.support("_condition-neighbourhood").sparql
    return store.select(query, {"condition": condition})


def neighbourhood(label: str, rows: Iterable[Row]) -> Neighbourhood | None:
    """The neighbours laid out in two columns around the condition; None if it has none."""
    members: dict[str, dict[URIRef, str]] = {name: {} for name, *_ in GROUPS}
    for row in rows:
        group = str(row["group"])
        if group in members and isinstance(row.get("node"), URIRef):
            members[group].setdefault(URIRef(str(row["node"])), str(row["nodeLabel"]))
    if not any(members.values()):
        return None
    placed: list[Group] = []
    bottom = {"left": ROW, "right": ROW}
    for name, title, side, colour in GROUPS:
        ordered = sorted(members[name].items(), key=lambda item: item[1].casefold())
        if ordered:
            placed.append(_group(name, title, side, colour, ordered, bottom[side]))
            bottom[side] += ROW * (len(placed[-1].nodes) + 2)
    height = max(bottom.values())
    return Neighbourhood(label, GRAPH_WIDTH, height, GRAPH_WIDTH / 2, height / 2, tuple(placed))


def _group(
    name: str,
    title: str,
    side: str,
    colour: str,
    ordered: Sequence[tuple[URIRef, str]],
    top: float,
) -> Group:
    x = GRAPH_WIDTH * (0.34 if side == "left" else 0.66)
    anchor = "end" if side == "left" else "start"
    shown = list(ordered[:NODES_PER_GROUP])
    nodes = [
        Node(_short(text), iri, x, top + ROW * (i + 1), anchor)
        for i, (iri, text) in enumerate(shown)
    ]
    if len(ordered) > len(shown):
        more = f"and {len(ordered) - len(shown)} more"
        nodes.append(Node(more, None, x, top + ROW * (len(shown) + 1), anchor))
    return Group(name, title, colour, x, top, anchor, tuple(nodes), len(ordered))


def _short(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip(" ,;") + "…"
