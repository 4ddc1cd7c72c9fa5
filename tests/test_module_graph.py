"""Reading a source flows one way: the corpus asks for prepared texts, which come from the
readers and the cache, which know nothing of either (read from the source files' import
statements, not by importing). tests/test_imports.py keeps the modules free of circles."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tests.conftest import ROOT

PACKAGE = ROOT / "report"


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {_module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def _imported(node: ast.Import | ast.ImportFrom, module: str, package: bool) -> set[str]:
    """The report modules an import statement names (`from report import x` names report.x)."""
    if isinstance(node, ast.Import):
        names = {alias.name for alias in node.names}
    else:
        base = node.module or ""
        if node.level:  # relative: from the module's package
            parent = module.split(".")[: len(module.split(".")) - (0 if package else 1)]
            parent = parent[: len(parent) - (node.level - 1)]
            base = ".".join([*parent, base] if base else parent)
        names = {base} | {f"{base}.{alias.name}" for alias in node.names}
    return {name for name in names if name in MODULES and name != module}


def imports(module: str, everywhere: bool = False) -> set[str]:
    """The report modules `module` imports when it is imported (at its top level, outside
    `if TYPE_CHECKING:`); with `everywhere`, inside its functions too."""
    path = MODULES[module]
    package = path.name == "__init__.py"
    found: set[str] = set()

    def visit(body: list[ast.stmt]) -> None:
        for node in body:
            if isinstance(node, ast.Import | ast.ImportFrom):
                found.update(_imported(node, module, package))
            elif isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
                continue
            elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                if everywhere or isinstance(node, ast.ClassDef):
                    visit(node.body)
            elif isinstance(node, ast.stmt):
                for field in ("body", "orelse", "finalbody", "handlers"):
                    for child in getattr(node, field, []):
                        visit(child.body if isinstance(child, ast.ExceptHandler) else [child])

    visit(ast.parse(path.read_text(encoding="utf-8")).body)
    return found


def test_the_graph_reader_sees_imports_of_every_kind():
    """So that the tests below cannot pass by reading nothing."""
    assert "report.prepare" in imports("report.corpus")  # from report.prepare import (...)
    assert "report.typography" in imports("report.brief")  # from report import typography
    assert "report.index" not in imports("report.corpus")  # only under TYPE_CHECKING
    assert "report.readers.htmltext" not in imports("report.prepare")  # inside a function
    assert "report.readers.htmltext" in imports("report.prepare", everywhere=True)


# Each of these imports none of the modules after it, not even inside a function.
LOWER_THAN = {
    "report.cache": {"report.prepare", "report.sources", "report.corpus", "report.csl"},
    "report.csl": {"report.sources", "report.corpus", "report.cite"},
    "report.sources": {"report.prepare", "report.corpus"},
    "report.prepare": {"report.sources", "report.corpus"},
    "report.readers": {"report.cache", "report.prepare", "report.sources", "report.corpus"},
}


@pytest.mark.parametrize("module", sorted(LOWER_THAN))
def test_reading_a_source_flows_one_way(module):
    assert not imports(module, everywhere=True) & LOWER_THAN[module]


@pytest.mark.parametrize(
    "module", sorted(m for m in MODULES if m.startswith("report.readers.") and "draft" not in m)
)
def test_the_source_readers_know_nothing_of_the_corpus(module):
    assert not imports(module, everywhere=True) & LOWER_THAN["report.readers"]
