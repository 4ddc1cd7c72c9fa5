"""What an installed `report` carries: the wheel ships the templates, so `report init` and
`report build` work outside a source checkout."""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile

import pytest

from tests.conftest import ROOT


@pytest.fixture(scope="module")
def wheel(tmp_path_factory):
    # Build from a copy, so setuptools' build/ folder never lands in the checkout.
    src = tmp_path_factory.mktemp("src")
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, src / name)
    for name in ("report", "templates"):
        shutil.copytree(ROOT / name, src / name, ignore=shutil.ignore_patterns("__pycache__"))
    out = tmp_path_factory.mktemp("wheel")
    proc = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(out), str(src)],
        capture_output=True,
        text=True,
        timeout=300,
    )  # fmt: skip
    if proc.returncode != 0:
        pytest.fail(proc.stderr[-2000:])
    [path] = out.glob("report-*.whl")
    return path


def test_the_wheel_ships_the_templates_and_the_citation_style(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    for template in ROOT.joinpath("templates").iterdir():
        assert f"report/templates/{template.name}" in names
    assert any(n.startswith("report/data/") and n.endswith(".csl") for n in names)
    assert "report/render/pdf.py" in names and "report/readers/pdftext.py" in names
