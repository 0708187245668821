"""The tree's dependency rule and the no-pasted-SPARQL rule, checked on the source itself."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
LAYERS = {"clinkg": "clinkg", "ontology": "ontology", "loaders": "loaders", "server": "server"}
SPARQL_WORDS = re.compile(r"\b(SELECT|CONSTRUCT|DESCRIBE|ASK|WHERE|PREFIX|INSERT|DELETE|VALUES)\b")


def python_files(folder: str) -> list[Path]:
    return sorted((ROOT / folder).rglob("*.py"))


def imported_modules(path: Path) -> set[str]:
    """Absolute module names a file imports (relative imports resolved within clinkg.)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = "clinkg" if path.parent.name == "clinkg" else f"clinkg.{path.parent.name}"
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                names.add(f"{base}.{node.module}" if node.module else base)
            elif node.module:
                names.add(node.module)
    return names


FORBIDDEN = {
    # core: neither side; cli.py is the composition root and is allowed both.
    "clinkg": ("clinkg.loaders", "clinkg.server", "flask"),
    "ontology": ("clinkg.loaders", "clinkg.server", "flask"),
    "loaders": ("clinkg.server", "flask", "werkzeug"),
    "server": ("clinkg.loaders",),
}


@pytest.mark.parametrize("layer", sorted(FORBIDDEN))
def test_layer_imports_only_what_the_dependency_rule_allows(layer: str) -> None:
    offences = []
    for path in python_files(LAYERS[layer]):
        if path.name == "cli.py" and layer == "clinkg":
            continue
        for module in imported_modules(path):
            if module.startswith(FORBIDDEN[layer]):
                offences.append(f"{path.relative_to(ROOT)} imports {module}")
    assert offences == []


PARSE_MODULES = sorted((ROOT / "loaders" / "parse").glob("*.py"))


@pytest.mark.parametrize("path", PARSE_MODULES, ids=[p.name for p in PARSE_MODULES])
def test_parse_step_knows_nothing_of_rdf(path: Path) -> None:
    assert not any(m.startswith(("rdflib", "pyoxigraph")) for m in imported_modules(path))


# Stages read only what comes before them: parse <- extract <- build; vocabularies serve all.
LATER_STAGES = {
    "parse": ("clinkg.loaders.extract", "clinkg.loaders.build", "clinkg.loaders.reason"),
    "extract": ("clinkg.loaders.build", "clinkg.loaders.reason", "clinkg.loaders.pipeline"),
    "vocabularies": ("clinkg.loaders.extract", "clinkg.loaders.build", "clinkg.loaders.parse"),
}


@pytest.mark.parametrize("stage", sorted(LATER_STAGES))
def test_a_stage_does_not_import_a_later_one(stage: str) -> None:
    paths = sorted((ROOT / "loaders" / stage).glob("*.py"))
    assert paths, f"loaders/{stage}/ has no modules"
    offences = [
        f"{path.name} imports {module}"
        for path in paths
        for module in imported_modules(path)
        if module.startswith(LATER_STAGES[stage])
    ]
    assert offences == []


def _string_parts(node: ast.AST) -> list[str]:
    return [
        n.value for n in ast.walk(node) if isinstance(n, ast.Constant) and isinstance(n.value, str)
    ]


def _builds_sparql(node: ast.AST) -> bool:
    """True for an f-string, `%`, `+` or `.format` whose literal parts look like SPARQL."""
    if isinstance(node, ast.JoinedStr):
        parts = _string_parts(node)
    elif isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mod | ast.Add):
        parts = _string_parts(node.left)
    elif (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "format"
    ):
        parts = _string_parts(node.func.value)
    else:
        return False
    return any(len(SPARQL_WORDS.findall(part)) >= 2 for part in parts)


def test_no_sparql_is_built_by_string_formatting() -> None:
    offences = []
    for folder in LAYERS.values():
        for path in python_files(folder):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            for node in ast.walk(tree):
                if _builds_sparql(node):
                    offences.append(f"{path.relative_to(ROOT)}:{getattr(node, 'lineno', '?')}")
    assert offences == []


def test_the_sparql_check_catches_each_way_of_pasting() -> None:
    pasted = [
        'f"SELECT ?x WHERE {{ ?x ?p {value} }}"',
        '"SELECT ?x WHERE { ?x ?p %s }" % value',
        '"SELECT ?x WHERE { ?x ?p " + value + " }"',
        '"SELECT ?x WHERE {{ ?x ?p {} }}".format(value)',
    ]
    for source in pasted:
        assert any(_builds_sparql(n) for n in ast.walk(ast.parse(source)))
    assert not any(_builds_sparql(n) for n in ast.walk(ast.parse('f"loaded {n} triples"')))
