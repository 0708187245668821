"""The reasoning step of a load: which inference the inferred graph gets, and how it is found.

- Default: the compiled rules (loaders/reason/compiler.py) over the new articles plus what the
  store holds about the entities they share with earlier articles; the new inferences join the
  stored ones. Its cost follows the new articles, not the library.
- A full pass of the same rules over every article graph when the incremental one cannot be
  trusted: an article is replaced (its old inferences must go), the store has article graphs
  but no inferred graph (a load with --no-reasoning emptied it), or the ontology changed since
  the last load.
- `audit`: HermiT over the ontology and every article graph, as before the rules existed.

HermiT also classifies and checks the ontology alone, once per process (about a second).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field, replace
from functools import cache

from rdflib import RDF, RDFS, Graph, URIRef
from rdflib.term import Node

from clinkg.loaders import stored_graphs
from clinkg.loaders.reason.inference import Inference, defined_classes
from clinkg.loaders.reason.reasoner import reason
from clinkg.loaders.reason.rules import Prepared, bundled, classify
from clinkg.loaders.report import ReasoningReport
from clinkg.store import Store

Triple = tuple[Node, Node, Node]


@dataclass(frozen=True)
class Reasoned:
    """The inferred graph's new content and the report line. When `appended`, `triples` join
    the stored inferred graph and `withdrawn` (stored inferences the new articles assert) leave
    it; else `triples` replace it."""

    triples: list[Triple]
    report: ReasoningReport
    appended: bool = False
    withdrawn: list[Triple] = field(default_factory=list)


def infer(
    store: Store,
    graphs: dict[URIRef, Graph],
    ontology_graph: URIRef,
    *,
    audit: bool = False,
    dropped: Collection[URIRef] = (),
) -> Reasoned:
    """The inferred graph the store should hold once the article `graphs` are written and the
    article graphs `dropped` removed (`ontology_graph`: where the store keeps the ontology the
    earlier loads reasoned with). A removal reasons in a full pass over what remains: what
    only the removed facts implied cannot be told apart from the stored inferences."""
    prepared = bundled()
    unsatisfiable = ontology_check(prepared)
    stored = stored_graphs.article_graph_names(store)
    gone = set(graphs) | set(dropped)
    if audit:
        whole = stored_graphs.stored_article_graphs(store, excluding=gone)
        for graph in graphs.values():
            whole += graph
        inference = reason(whole, prepared.ontology)
        mode = "HermiT over every article graph (--audit)"
    elif dropped or gone & set(stored) or (stored and _stale(store, prepared, ontology_graph)):
        asserted = stored_graphs.read_graphs(store, stored_graphs.article_graph_names(store, gone))
        inference = classify([*asserted, *_all(graphs.values())], prepared)
        mode = "compiled rules, full pass"
    else:
        return _appended(store, graphs, prepared, unsatisfiable)
    triples = sorted(set(inference.triples) - set(_all(graphs.values())))
    return Reasoned(triples, _report(inference, triples, graphs, prepared, mode, unsatisfiable))


def _appended(
    store: Store, graphs: dict[URIRef, Graph], prepared: Prepared, unsatisfiable: tuple[URIRef, ...]
) -> Reasoned:
    """The incremental pass as a change to the stored inferred graph, which is not read back:
    its totals are counted by the store."""
    inference = _incremental(store, graphs, prepared)
    asserted, found = set(_all(graphs.values())), set(inference.triples)
    entities = stored_graphs.shared_entities(graphs.values())
    stored_here = set(stored_graphs.stored_inferences(store, _outside(asserted | found, entities)))
    new = sorted(found - asserted - stored_here)
    withdrawn = sorted(stored_here & asserted)
    stored = stored_graphs.inferred_totals(store, defined_classes(prepared.ontology))
    mode = "compiled rules, incremental"
    report = _report(inference, new, graphs, prepared, mode, unsatisfiable, stored, withdrawn)
    return Reasoned(new, report, appended=True, withdrawn=withdrawn)


def _outside(asserted: Iterable[Triple], entities: Collection[Node]) -> list[Triple]:
    """The triples an earlier load may have inferred: those about a shared entity or an
    ontology term (the new articles' own nodes are new to the store)."""
    return [
        t
        for t in asserted
        if t[0] in entities or not str(t[0]).startswith(stored_graphs.ENTITY_IDS)
    ]


def _incremental(store: Store, graphs: dict[URIRef, Graph], prepared: Prepared) -> Inference:
    entities = stored_graphs.shared_entities(graphs.values())
    around = stored_graphs.neighbourhood(store, entities, excluding=set(graphs))
    asserted = [*_all(graphs.values()), *around.asserted]
    inference = classify(asserted, prepared, around.inferred)
    new = stored_graphs.not_stored(
        store, inference.triples, about=entities | _nodes(graphs.values())
    )
    return replace(inference, triples=frozenset(new))


def _nodes(graphs: Iterable[Graph]) -> set[Node]:
    return {node for graph in graphs for s, _, o in graph for node in (s, o)}


def _stale(store: Store, prepared: Prepared, ontology_graph: URIRef) -> bool:
    """No inferred graph (a --no-reasoning load emptied it), or one made under another
    ontology: the earlier articles' inferences cannot be built on."""
    if not stored_graphs.has_inferred(store):
        return True
    return stored_graphs.ontology_changed(store, prepared.ontology, ontology_graph)


@cache
def ontology_check(prepared: Prepared) -> tuple[URIRef, ...]:
    """HermiT on the ontology and vocabulary alone: ReasonerUnavailable without Java,
    InconsistentGraph if they cannot hold; the classes no individual can be in."""
    return reason(Graph(), prepared.ontology).unsatisfiable


def _all(graphs: Iterable[Graph]) -> list[Triple]:
    return [triple for graph in graphs for triple in graph]


def _report(
    inference: Inference,
    triples: Sequence[Triple],
    graphs: dict[URIRef, Graph],
    prepared: Prepared,
    mode: str,
    unsatisfiable: tuple[URIRef, ...],
    stored: stored_graphs.InferredTotals | None = None,
    withdrawn: Sequence[Triple] = (),
) -> ReasoningReport:
    """Totals over the whole inferred graph (`triples`, or those added to what is `stored` less
    the `withdrawn`); members of the defined classes by it and by the new articles' own types."""
    ontology = prepared.ontology
    members: dict[URIRef, set[Node]] = {cls: set() for cls in defined_classes(ontology)}
    for cls, found in (stored.members if stored else {}).items():
        members[cls] |= found
    for s, p, o in (*triples, *_all(graphs.values())):
        if p == RDF.type and o in members:
            members[URIRef(str(o))].add(s)
    label = {cls: str(ontology.value(cls, RDFS.label) or cls) for cls in members}
    types = sum(1 for _, p, _ in triples if p == RDF.type)
    total = len(triples) + (stored.triples if stored else 0) - len(withdrawn)
    types += (stored.types if stored else 0) - sum(1 for _, p, _ in withdrawn if p == RDF.type)
    return ReasoningReport(
        seconds=inference.seconds,
        inferred_triples=total,
        inferred_types=types,
        inferred_links=total - types,
        members={label[cls]: len(found) for cls, found in members.items()},
        unsatisfiable=tuple(str(ontology.value(c, RDFS.label) or c) for c in unsatisfiable),
        engine=mode,
    )
