"""SHACL validation of a built article graph against `ontology/shapes.ttl`."""

from __future__ import annotations

from functools import cache
from importlib import resources

from pyshacl import validate
from rdflib import RDF, RDFS, SH, Graph
from rdflib.term import Identifier, Node

from clinkg.errors import ValidationError
from clinkg.ontology.namespaces import CKG

MAX_LISTED = 20


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
    data = graph if ontology is None else graph + ontology
    conforms, results, _ = validate(
        data,
        shacl_graph=shapes_graph(),
        inference="none",
        allow_warnings=True,
        advanced=False,
    )
    if conforms:
        return
    assert isinstance(results, Graph)
    messages = violation_messages(results, data)
    shown = messages[:MAX_LISTED]
    more = f"\n  … and {len(messages) - MAX_LISTED} more" if len(messages) > MAX_LISTED else ""
    raise ValidationError(f"{len(messages)} SHACL violation(s):\n  " + "\n  ".join(shown) + more)


def violation_messages(results: Graph, data: Graph) -> list[str]:
    """One line per violation: the focus node's label (or IRI), the property and the message."""
    lines = set()
    for result in results.subjects(RDF.type, SH.ValidationResult):
        focus = results.value(result, SH.focusNode)
        path = results.value(result, SH.resultPath)
        message = results.value(result, SH.resultMessage)
        value = results.value(result, SH.value)
        line = f"{_name(focus, data)}: {message or 'breaks a shape'}"
        if path is not None:
            line += f" (property {_path(path, results, data)})"
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


def _path(path: Node, results: Graph, data: Graph) -> str:
    inverse = results.value(path, SH.inversePath)
    return f"^{_short(inverse, data)}" if inverse is not None else _short(path, data)


def _short(node: Node, data: Graph) -> str:
    return node.n3(data.namespace_manager) if isinstance(node, Identifier) else str(node)
