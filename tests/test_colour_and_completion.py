"""Colour by the conventions of the environment (NO_COLOR wins; FORCE_COLOR and
CLICOLOR_FORCE colour a pipe), and shell completion as the manual shows it (docs/settings.md)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from report.cli_runner import colour
from report.scaffold import init_project
from tests.conftest import ROOT

ESC = "\x1b["
COLOUR_VARS = ("NO_COLOR", "FORCE_COLOR", "CLICOLOR_FORCE")


@pytest.mark.parametrize(
    ("environ", "expected"),
    [
        ({}, None),  # click decides: colour on a terminal only
        ({"NO_COLOR": "1"}, False),
        ({"NO_COLOR": ""}, None),  # empty is unset
        ({"FORCE_COLOR": "1"}, True),
        ({"FORCE_COLOR": "0"}, True),  # force-color.org: any value but empty
        ({"FORCE_COLOR": ""}, None),
        ({"CLICOLOR_FORCE": "1"}, True),
        ({"CLICOLOR_FORCE": "0"}, None),
        ({"NO_COLOR": "1", "FORCE_COLOR": "1", "CLICOLOR_FORCE": "1"}, False),
    ],
)
def test_the_colour_setting_of_each_environment(environ, expected):
    assert colour(environ) is expected


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    return init_project(tmp_path_factory.mktemp("colour") / "brief").root


def check_on_a_pipe(project: Path, **colour_env: str) -> str:
    """`report check` in a process of its own, its standard output a pipe."""
    env = {k: v for k, v in os.environ.items() if k not in COLOUR_VARS}
    env.update(PYTHONPATH=str(ROOT), **colour_env)
    proc = subprocess.run(
        [sys.executable, "-m", "report", "check", "outlines/example.yaml"],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


def test_a_pipe_is_plain_unless_colour_is_forced(project):
    assert ESC not in check_on_a_pipe(project)
    forced = check_on_a_pipe(project, FORCE_COLOR="1")
    summary = r"3 quotes: 3 verified; 1 paraphrase cited"
    assert re.search(r"\x1b\[\d+(;\d+)*m" + summary + r"\x1b\[0m", forced), forced
    assert ESC in check_on_a_pipe(project, CLICOLOR_FORCE="1")
    assert ESC not in check_on_a_pipe(project, CLICOLOR_FORCE="0")


def test_no_color_wins_over_forced_colour(project):
    out = check_on_a_pipe(project, NO_COLOR="1", FORCE_COLOR="1", CLICOLOR_FORCE="1")
    assert ESC not in out and out.splitlines()[-1] == "3 quotes: 3 verified; 1 paraphrase cited"


def test_the_formats_for_machines_stay_plain_when_colour_is_forced(invoke, project):
    for fmt in ("json", "github", "junit", "sarif"):
        result = invoke("check", "outlines/example.yaml", "--format", fmt, cwd=project,
                        env={"NO_COLOR": None, "FORCE_COLOR": "1"})  # fmt: skip
        assert result.code == 0 and ESC not in result.out, fmt


# -- shell completion -----------------------------------------------------------------------


def completions(words: list[str], cword: int) -> list[str]:
    """What bash offers for `words` with the manual's set-up line evaluated first."""
    manual = (ROOT / "docs" / "settings.md").read_text(encoding="utf-8")
    [setup] = re.findall(r'^\s*(eval "\$\(_REPORT_COMPLETE=bash_source report\)").*$', manual, re.M)
    script = (
        f"{setup}\n"
        f"COMP_WORDS=({' '.join(map(repr, words))}); COMP_CWORD={cword}\n"
        "_report_completion report\n"
        'printf "%s\\n" "${COMPREPLY[@]}"\n'
    )
    # `report` as the console script installs it, the first on PATH
    env = dict(os.environ, PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}")
    env.pop("PYTHONPATH", None)
    proc = subprocess.run(
        ["bash", "-c", script], capture_output=True, text=True, env=env, timeout=120
    )
    assert proc.returncode == 0, proc.stderr
    return proc.stdout.split()


@pytest.mark.skipif(shutil.which("bash") is None, reason="no bash")
def test_bash_completes_commands_and_option_values_as_the_manual_sets_it_up():
    assert shutil.which("report", path=str(Path(sys.executable).parent))
    assert completions(["report", "c"], 1) == ["check", "config"]
    assert completions(["report", "check", "--format", ""], 3) == [
        "github", "json", "junit", "sarif", "text",
    ]  # fmt: skip
