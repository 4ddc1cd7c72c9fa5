"""Start-up: `report --help` imports no pipeline, renderer or search, and no module hashes
the package's files at import (the cache's fingerprint is computed when first needed)."""

from __future__ import annotations

import subprocess
import sys

from tests.conftest import ROOT


def _modules_after(code: str) -> set[str]:
    out = subprocess.run(
        [sys.executable, "-c", code + "\nimport sys; print('\\n'.join(sys.modules))"],
        cwd=ROOT, capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    return set(out.split())


def test_help_imports_only_the_command_line():
    loaded = _modules_after(
        "import sys; sys.argv = ['report', '--help']\n"
        "from report.cli import main\n"
        "try:\n    main()\nexcept SystemExit:\n    pass"
    )
    heavy = {"report.pipeline", "report.output", "report.corpus", "report.cache", "yaml",
             "rapidfuzz", "multiprocessing", "sqlite3", "report.verify"}  # fmt: skip
    assert not heavy & loaded


def test_nothing_is_hashed_at_import(monkeypatch):
    """report.cache's fingerprint reads the package's files only when first asked for."""
    loaded = _modules_after(
        "import pathlib\n"
        "read = pathlib.Path.read_bytes\n"
        "def spy(self):\n    raise SystemExit(f'read at import: {self}')\n"
        "pathlib.Path.read_bytes = spy\n"
        "import report.cli, report.pipeline, report.output, report.index, report.elsewhere"
    )
    assert "report.cache" in loaded


def test_the_format_names_are_the_renderers():
    from report import cli_options, output

    assert sorted(cli_options.FORMAT_NAMES) == sorted(output.FORMATS)
