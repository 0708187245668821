"""Rules in strata: a rule runs after every rule that writes what it reads, and only the rules
that read their own output (transitivity, property chains, inverses) loop to a fixpoint."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from clinkg.loaders.reason.compiler import Rule


def strata(rules: Sequence[Rule]) -> list[tuple[list[Rule], bool]]:
    """The strongly connected components of the rules' read-after-write graph, in dependency
    order (Tarjan's algorithm), each with whether it must loop."""
    feeds = [[j for j, later in enumerate(rules) if rule.writes & later.reads] for rule in rules]
    components = _components(feeds)
    ordered: list[tuple[list[Rule], bool]] = []
    for component in reversed(components):
        loops = len(component) > 1 or component[0] in feeds[component[0]]
        ordered.append(([rules[i] for i in sorted(component)], loops))
    return ordered


def _components(edges: list[list[int]]) -> list[list[int]]:
    """Tarjan's SCCs, iterative; each component is found after the ones it feeds."""
    index: dict[int, int] = {}
    low: dict[int, int] = {}
    stack: list[int] = []
    on_stack: set[int] = set()
    found: list[list[int]] = []
    for root in range(len(edges)):
        if root in index:
            continue
        work = [(root, 0)]
        while work:
            node, child = work.pop()
            if child == 0:
                index[node] = low[node] = len(index)
                stack.append(node)
                on_stack.add(node)
            if child < len(edges[node]):
                work.append((node, child + 1))
                target = edges[node][child]
                if target not in index:
                    work.append((target, 0))
                elif target in on_stack:
                    low[node] = min(low[node], index[target])
                continue
            for target in edges[node]:
                if target in on_stack:
                    low[node] = min(low[node], low[target])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                found.append(component)
    return found
