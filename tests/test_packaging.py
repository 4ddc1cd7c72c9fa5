"""What an installed `report` carries and does: the wheel of the distribution verbatim-briefs
ships every package and data file of report/ and the templates, and installed as `uv tool
install` installs it (a fresh venv of its own, its dependencies from the package index, no
checkout on sys.path), `report init` and `report build` work.

The install needs the package index: it takes a second or two with uv's cache warm."""

from __future__ import annotations

import email
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tests.conftest import ROOT

# What a build needs from the checkout (what an sdist holds).
BUILD_INPUTS = ("pyproject.toml", "setup.py", "README.md", "LICENSE")


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    # Built from a copy, so setuptools' build/ and egg-info folders never land in the checkout.
    src = tmp_path_factory.mktemp("src")
    for name in BUILD_INPUTS:
        shutil.copy(ROOT / name, src / name)
    for name in ("report", "templates"):
        shutil.copytree(ROOT / name, src / name, ignore=shutil.ignore_patterns("__pycache__"))
    out = tmp_path_factory.mktemp("wheel")
    from uv import find_uv_bin

    proc = subprocess.run(
        [find_uv_bin(), "build", "--wheel", "-q", "-o", str(out), str(src)],
        capture_output=True,
        text=True,
        timeout=300,
    )  # fmt: skip
    if proc.returncode != 0:
        pytest.fail(proc.stderr[-2000:])
    [path] = out.glob("verbatim_briefs-*.whl")
    return path


def _clean_env(**extra: str) -> dict[str, str]:
    """The environment of a user's shell: no checkout on PYTHONPATH, no venv active, and
    Python keeping its bytecode caches (the tool's first run compiles what it imports, the
    next ones reuse it: `uv tool install` compiles nothing itself)."""
    drop = ("PYTHONPATH", "VIRTUAL_ENV", "PYTHONDONTWRITEBYTECODE")
    env = {k: v for k, v in os.environ.items() if k not in drop}
    env.pop("FORCE_COLOR", None)
    return {**env, "NO_COLOR": "1", **extra}


@pytest.fixture(scope="module")
def installed(wheel, tmp_path_factory) -> Path:
    """The wheel installed with `uv tool install`: the folder of its `report` command."""
    from uv import find_uv_bin

    home = tmp_path_factory.mktemp("tool")
    env = _clean_env(
        UV_TOOL_DIR=str(home / "tools"),
        UV_TOOL_BIN_DIR=str(home / "bin"),
        UV_PYTHON_DOWNLOADS="never",  # the interpreter this suite runs on, never a download
    )
    proc = subprocess.run(
        [find_uv_bin(), "tool", "install", "--python", sys.executable, str(wheel)],
        capture_output=True,
        text=True,
        env=env,
        cwd=home,
        timeout=600,  # the package index may be slow; only a hang fails here
    )
    if proc.returncode != 0:
        pytest.fail(proc.stderr[-3000:])
    return home / "bin"


def test_the_wheel_ships_every_package_data_file_and_template(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    shipped = {
        f"report/{p.relative_to(ROOT / 'report').as_posix()}"
        for p in (ROOT / "report").rglob("*")
        if p.is_file() and "__pycache__" not in p.parts
    }
    assert shipped - names == set()  # a subpackage or data folder added later ships too
    for template in (ROOT / "templates").rglob("*"):
        if template.is_file():
            assert f"report/templates/{template.relative_to(ROOT / 'templates')}" in names
    assert any(n.startswith("report/data/") and n.endswith(".csl") for n in names)
    assert {"report/data/outline.schema.json", "report/data/sources.schema.json"} <= names
    assert not any("__pycache__" in n or n.startswith("tests/") for n in names)


def test_the_wheel_names_its_distribution_licence_and_command(wheel):
    archive = zipfile.ZipFile(wheel)
    info = "verbatim_briefs-0.1.0.dist-info"
    meta = email.message_from_string(archive.read(f"{info}/METADATA").decode())
    assert meta["Name"] == "verbatim-briefs"
    assert meta["License-Expression"] == "MIT AND CC-BY-SA-3.0"
    styles = "report/data/styles/LICENSE-CC-BY-SA-3.0.txt"
    assert meta.get_all("License-File") == ["LICENSE", styles]
    for name in ("LICENSE", styles):
        assert archive.read(f"{info}/licenses/{name}") == (ROOT / name).read_bytes()
    entry_points = archive.read(f"{info}/entry_points.txt").decode()
    assert "report = report.cli:main" in entry_points


def test_the_installed_tool_inits_and_builds_a_project_outside_the_checkout(installed, tmp_path):
    report = str(installed / "report")
    env = _clean_env()

    def run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
        proc = subprocess.run(
            [report, *args], capture_output=True, text=True, env=env, cwd=cwd, timeout=300
        )
        assert proc.returncode == 0, proc.stdout + proc.stderr
        return proc

    # The command runs the installed package, in a venv that holds no test dependency.
    python = Path(os.path.realpath(installed / "report")).parent / "python"
    probe = subprocess.run(
        [str(python), "-c", "import report, importlib.util as u; print(report.__file__); "
         "print(u.find_spec('pytest') is None)"],
        capture_output=True, text=True, env=env, cwd=tmp_path, timeout=60,
    )  # fmt: skip
    where, no_pytest = probe.stdout.split()
    assert not Path(where).is_relative_to(ROOT) and no_pytest == "True", probe.stdout

    run("init", "brief", cwd=tmp_path)
    project = tmp_path / "brief"
    assert (project / "templates" / "brief.html.j2").is_file()
    assert (project / "outlines" / "example.yaml").is_file()
    run("check", "outlines/example.yaml", cwd=project)
    built = run("build", "outlines/example.yaml", cwd=project)
    assert "wrote" in built.stderr

    from docx import Document
    from pypdf import PdfReader

    pdf = "".join(page.extract_text() for page in PdfReader(project / "out/example.pdf").pages)
    assert "Protected Lanes, Open Questions" in pdf
    assert "forty kilometres of protected bicycle lanes" in " ".join(pdf.split())
    docx = "\n".join(p.text for p in Document(str(project / "out/example.docx")).paragraphs)
    assert "Protected Lanes, Open Questions" in docx
    assert (project / "out/example.quotes.json").is_file()
