"""SHACL validation of a built article graph against `ontology/shapes.ttl`.

The shapes are compiled to one SELECT per constraint (`shapes.py`) and run in an in-memory
Oxigraph store holding the graph and the ontology; pyshacl, which took most of a load's time,
is the oracle the tests compare with.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache
from importlib import resources

import pyoxigraph as ox
from rdflib import RDFS, SH, Graph
from rdflib.term import Identifier, Node

from clinkg.errors import ValidationError
from clinkg.loaders.build.shapes import Check, compiled_checks, message_for
from clinkg.ontology.namespaces import CKG
from clinkg.store.oxigraph import from_oxigraph, to_oxigraph

MAX_LISTED = 20
Violation = tuple[Node, Node | None, Check]


@cache
def shapes_graph() -> Graph:
    """The SHACL shapes, parsed once."""
    text = resources.files("clinkg.ontology").joinpath("shapes.ttl").read_text(encoding="utf-8")
    return Graph().parse(data=text, format="turtle")


def validate_graph(graph: Graph, ontology: Graph | None = None) -> None:
    """Raise ValidationError, listing the violations in plain words, unless `graph` conforms.

    `ontology` (the ontology and vocabulary) is checked together with the graph, so that
    qualifier concepts such as ckg:Calf are known to be body sites.
    """
    found = list(violations(graph, ontology))
    if not found:
        return
    data = graph if ontology is None else graph + ontology
    messages = violation_lines(found, data)
    shown = messages[:MAX_LISTED]
    more = f"\n  … and {len(messages) - MAX_LISTED} more" if len(messages) > MAX_LISTED else ""
    raise ValidationError(f"{len(messages)} SHACL violation(s):\n  " + "\n  ".join(shown) + more)


def violations(graph: Graph, ontology: Graph | None = None) -> Iterator[Violation]:
    """(focus node, offending value or None, the check it breaks) for each violation."""
    engine = ox.Store()
    engine.extend(
        ox.Quad(to_oxigraph(s), to_oxigraph(p), to_oxigraph(o))  # type: ignore[arg-type]
        for source in (graph, ontology or Graph())
        for s, p, o in source
    )
    for check in compiled_checks(shapes_graph()):
        for row in engine.query(check.query):  # type: ignore[union-attr]
            value = _optional(row["value"]) if check.has_value else None
            yield from_oxigraph(row["this"]), value, check


def _optional(term: object) -> Node | None:
    return None if term is None else from_oxigraph(term)


def violation_lines(found: list[Violation], data: Graph) -> list[str]:
    """One line per violation: the focus node's label (or IRI), the property and the message."""
    lines = set()
    for focus, value, check in found:
        line = f"{_name(focus, data)}: {message_for(check, value)}"
        if check.path is not None:
            line += f" (property {_path(check.path, shapes_graph(), data)})"
        if value is not None and value != focus:
            line += f" [value: {_short(value, data)}]"
        lines.add(line)
    return sorted(lines)


def _name(node: Node | None, data: Graph) -> str:
    if node is None:
        return "?"
    label = data.value(node, RDFS.label) or data.value(node, CKG.text)
    if label is None:
        return f"<{node}>"
    text = str(label)
    shown = text if len(text) <= 60 else text[:57] + "..."
    return f"'{shown}' <{node}>"


def _path(path: Node, shapes: Graph, data: Graph) -> str:
    inverse = shapes.value(path, SH.inversePath)
    return f"^{_short(inverse, data)}" if inverse is not None else _short(path, data)


def _short(node: Node, data: Graph) -> str:
    return node.n3(data.namespace_manager) if isinstance(node, Identifier) else str(node)
