"""Shared fixtures: the repository's seed corpus, and the real command line run in a
subprocess (`report_cli`) or in this process (`invoke`).

`make test` runs the tests on every core (pytest-xdist), so a test works in its own
tmp_path. The one folder workers share is the seed corpus's cache (`.report-cache/` beside
`corpus/`), as two runs in one checkout share it: SQLite in WAL mode, writers wait their
turn, and nothing in it decides a verdict."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
OUTLINES = ROOT / "outlines"
SAMPLE = OUTLINES / "xi-putin.yaml"
# The sample as it was when every quote was an evidence item: for tests of evidence lists.
EVIDENCE_SAMPLE = ROOT / "tests" / "data" / "evidence-outline.yaml"


def copy_sample_project(root: Path, outline_name: str = SAMPLE.name) -> Path:
    """A copy of the seed corpus and the sample outline in `root`, laid out as a user's
    project (corpus/, outlines/)."""
    shutil.copytree(CORPUS, root / "corpus")
    (root / "outlines").mkdir()
    shutil.copy(SAMPLE, root / "outlines" / outline_name)
    return root


@dataclass
class Result:
    code: int
    out: str
    err: str


def run_report(*args: str | Path, cwd: Path | None = None, timeout: float = 120) -> Result:
    """Run `python -m report ARGS` in a subprocess, as a user or CI would."""
    env = dict(os.environ, PYTHONPATH=str(ROOT), NO_COLOR="1")
    env.pop("FORCE_COLOR", None)
    env.pop("CLICOLOR_FORCE", None)
    proc = subprocess.run(
        [sys.executable, "-m", "report", *map(str, args)],
        cwd=cwd or ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    return Result(proc.returncode, proc.stdout, proc.stderr)


def invoke_report(
    *args: str | Path, cwd: Path | None = None, env: dict[str, str | None] | None = None
) -> Result:
    """Run `report ARGS` in this process: the real entry point (`report.cli.main`, with its
    handling of exit statuses and colour) under click's CliRunner isolation, so the exit
    status, standard output and standard error are what `run_report` gets, without starting
    an interpreter and importing WeasyPrint each time. For what needs a process of its own
    (a hang, signals, a terminal, a broken pipe, the console script), use `run_report`."""
    from click.testing import CliRunner

    from report.cli import main

    here, argv = Path.cwd(), sys.argv
    colourless = {"NO_COLOR": "1", "FORCE_COLOR": None, "CLICOLOR_FORCE": None}
    isolated = CliRunner().isolation(env={**colourless, **(env or {})})
    with isolated as (out, err, _):
        sys.argv = ["report", *map(str, args)]
        os.chdir(cwd or ROOT)
        try:
            main()
            code = 0
        except SystemExit as exc:
            if isinstance(exc.code, str):  # as the interpreter does on its way out
                print(exc.code, file=sys.stderr)
            code = exc.code if isinstance(exc.code, int) else 0 if exc.code is None else 1
        finally:
            os.chdir(here)
            sys.argv = argv
            sys.stdout.flush()
            sys.stderr.flush()
        return Result(code, out.getvalue().decode(), err.getvalue().decode())


@pytest.fixture
def report_cli():
    """`report` in a subprocess (see run_report)."""
    return run_report


@pytest.fixture
def invoke():
    """`report` in this process (see invoke_report)."""
    return invoke_report


@pytest.fixture(scope="session")
def corpus():
    from report.corpus import load_corpus

    return load_corpus(CORPUS)


@pytest.fixture(scope="session")
def sample_build(tmp_path_factory):
    """The sample brief built once per session (in process): its out/ folder."""
    from report.build import build

    out = tmp_path_factory.mktemp("out")
    built = build([SAMPLE], out)
    assert built.written, "the sample brief did not build"
    return out


# -- the order tests start in --------------------------------------------------------------

# Files whose tests take seconds each (a PostgreSQL server, a wheel installed, hypothesis
# searches, PDF builds, LibreOffice), in about that order: they start first, so that on
# `pytest -n` (worksteal) no worker is left running one of them alone at the end while the
# others are idle, and each file's module fixtures are made on one worker.
SLOW_FIRST = (
    "test_packaging.py",
    "test_database.py",
    "test_cite.py",
    "test_properties.py",
    "test_watch.py",
    "test_hostile_render.py",
    "test_audit_libreoffice.py",
    "test_build_cli.py",
    "test_bench.py",
    "test_appendix.py",
    "test_publish_pdf.py",
)


@pytest.fixture(scope="session")
def pg_server():
    """A throwaway PostgreSQL server (tests/pgserver.py) for the worker's whole session;
    each test takes a database of its own with `pg_server.database()`."""
    from tests import pgserver

    why = pgserver.missing()
    if why is not None:
        if os.environ.get("CI"):  # CI installs it (scripts/system-deps.sh): never skip there
            pytest.fail(why)
        pytest.skip(why)
    server = pgserver.Server()
    server.start()
    yield server
    server.stop()


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    rank = {name: i for i, name in enumerate(SLOW_FIRST)}
    items.sort(key=lambda item: rank.get(item.path.name, len(rank)))  # stable: files keep theirs


# -- every rule test in both forms: an evidence item, and a quotation in prose ------------

_QUOTE_HELPERS = {"check_one", "check_quotes", "check_in"}


def _checks_quotes(fn: object, module: object, depth: int = 0) -> bool:
    """Does the test function (or a helper of its module it calls) check quotes through
    tests.quotecheck's helpers?"""
    code = getattr(fn, "__code__", None)
    if code is None or depth > 3:
        return False
    names = set(code.co_names)
    if names & _QUOTE_HELPERS:
        return True
    return any(
        _checks_quotes(getattr(module, n), module, depth + 1)
        for n in names
        if callable(getattr(module, n, None)) and getattr(getattr(module, n), "__module__", "")
        == getattr(module, "__name__", None)
    )


def pytest_generate_tests(metafunc):
    if _checks_quotes(metafunc.function, metafunc.module):
        from tests.quotecheck import FORMS

        metafunc.fixturenames.append("quote_form")
        metafunc.parametrize("quote_form", FORMS, indirect=True)


@pytest.fixture
def quote_form(request):
    """The form quotes are written in for this test (tests.quotecheck.FORM)."""
    from tests import quotecheck

    quotecheck.FORM = request.param
    yield request.param
    quotecheck.FORM = "evidence"
