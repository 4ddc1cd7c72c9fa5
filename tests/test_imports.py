"""report's modules import one another one way: no circle of imports, neither of those made
when a module is imported nor of those a function makes when it runs (an import under
`if TYPE_CHECKING:` never runs, and is left out). Read from the source with `ast`, so that a
circle is named with the file and line of each import in it."""

from __future__ import annotations

import ast
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import ROOT

PACKAGE = ROOT / "report"


@dataclass(frozen=True)
class Edge:
    importer: str
    imported: str
    where: str  # file:line
    top: bool  # made when the module is imported (else when a function runs)


def module_names(root: Path = PACKAGE) -> dict[str, Path]:
    """Every module of the package by its dotted name (a package by its own)."""
    out = {}
    for path in sorted(root.rglob("*.py")):
        parts = list(path.relative_to(root.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        out[".".join(parts)] = path
    return out


def imports(name: str, path: Path, modules: Iterable[str], root: Path = PACKAGE) -> Iterator[Edge]:
    """The imports of package modules that module `name` makes, at its top level or in a
    function, by what they name: `from report import x` imports report.x when that is a
    module, else report itself."""
    known = set(modules)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))

    def targets(node: ast.Import | ast.ImportFrom) -> list[str]:
        if isinstance(node, ast.Import):
            return [a.name for a in node.names]
        base = node.module or ""
        if node.level:  # relative: from the module's package, up level - 1
            up = package.split(".")[: len(package.split(".")) - (node.level - 1)]
            base = ".".join([*up, *([base] if base else [])])
        found = [f"{base}.{a.name}" for a in node.names if f"{base}.{a.name}" in known]
        return found if len(found) == len(node.names) else [*found, base]

    def walk(node: ast.AST, top: bool) -> Iterator[Edge]:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and "TYPE_CHECKING" in ast.unparse(child.test):
                yield from (e for stmt in child.orelse for e in walk_one(stmt, top))
                continue
            yield from walk_one(child, top)

    def walk_one(node: ast.AST, top: bool) -> Iterator[Edge]:
        if isinstance(node, ast.Import | ast.ImportFrom):
            for target in targets(node):
                if target in known and target != name:
                    yield Edge(name, target, f"{path.relative_to(root.parent)}:{node.lineno}", top)
            return
        inner = top and not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda)
        yield from walk(node, inner)

    yield from walk(tree, True)


def all_imports() -> list[Edge]:
    modules = module_names()
    return [e for name, path in modules.items() for e in imports(name, path, modules)]


def circles(edges: Iterable[Edge]) -> list[list[Edge]]:
    """The import circles among `edges`: for each group of modules that reach one another
    (Tarjan's strongly connected components), the imports between them."""
    graph: dict[str, list[Edge]] = {}
    for e in edges:
        graph.setdefault(e.importer, []).append(e)
        graph.setdefault(e.imported, [])
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[set[str]] = []

    def visit(v: str) -> None:  # the package has tens of modules: recursion is safe
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for e in graph[v]:
            w = e.imported
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = set()
            while True:
                w = stack.pop()
                on_stack.discard(w)
                group.add(w)
                if w == v:
                    break
            if len(group) > 1:
                groups.append(group)

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return [[e for v in sorted(g) for e in graph[v] if e.imported in g] for g in groups]


def _shown(found: list[list[Edge]]) -> str:
    return "\n\n".join(
        "\n".join(f"  {e.where}: {e.importer} -> {e.imported}" for e in circle) for circle in found
    )


def test_no_circle_among_the_imports_made_at_import_time():
    found = circles(e for e in all_imports() if e.top)
    assert not found, "import circles:\n" + _shown(found)


def test_no_circle_even_through_the_imports_functions_make():
    """A function's import breaks no circle: the modules still depend on each other."""
    found = circles(all_imports())
    assert not found, "import circles:\n" + _shown(found)


def test_the_imports_are_read_as_written():
    """What the reader sees (so that the tests above cannot pass by seeing nothing)."""
    edges = {(e.importer, e.imported, e.top) for e in all_imports()}
    assert ("report.cli", "report.errors", True) in edges  # from report.errors import ...
    assert ("report.cli", "report.pipeline", False) in edges  # inside a command
    assert ("report.output", "report.messages", True) in edges
    assert ("report.render.pdf", "report.render.html", True) in edges
    assert ("report.render.docx", "report.brief", True) in edges  # from report import brief
    # report.index imports report.corpus under TYPE_CHECKING only: no edge.
    assert not any(e[:2] == ("report.index", "report.corpus") for e in edges)


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("from report.b import f\n", {("report.a", "report.b", True)}),
        ("def f():\n    from report import b\n", {("report.a", "report.b", False)}),
        ("from report import X\n", {("report.a", "report", True)}),  # a name, not a module
        ("from . import b\n", {("report.a", "report.b", True)}),
        ("import report.b\n", {("report.a", "report.b", True)}),
        (
            "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from report.b import B\n",
            set(),
        ),
        ("class A:\n    from report.b import B\n", {("report.a", "report.b", True)}),
    ],
)
def test_the_reader_on_one_line_each(tmp_path, source, expected):
    pkg = tmp_path / "report"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("")
    (pkg / "b.py").write_text("")
    (pkg / "a.py").write_text(source)
    modules = module_names(pkg)
    edges = {
        (e.importer, e.imported, e.top) for e in imports("report.a", pkg / "a.py", modules, pkg)
    }
    assert edges == expected


def test_a_circle_is_found_and_named():
    ab = Edge("report.a", "report.b", "report/a.py:3", True)
    ba = Edge("report.b", "report.a", "report/b.py:9", False)
    bc = Edge("report.b", "report.c", "report/b.py:10", True)
    assert circles([ab, bc]) == []
    assert circles([ab, ba, bc]) == [[ab, ba]]
    assert "report/b.py:9: report.b -> report.a" in _shown(circles([ab, ba]))
