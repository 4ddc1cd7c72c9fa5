"""The reusable GitHub Action (action.yml): it parses as a composite action with the inputs
the manual documents (docs/ci.md), its commands are the ones the manual shows, its check step
run here as GitHub runs it gives report's status and a SARIF file, and the manual's workflow
uses it as it is."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from report.scaffold import init_project
from tests.conftest import ROOT

ACTION = ROOT / "action.yml"
CI_PAGE = (ROOT / "docs" / "ci.md").read_text(encoding="utf-8")
INPUTS = {"outlines", "corpus", "format", "strict", "sarif-file", "python-version"}
# How the manual writes the action's shell words.
SHOWN_WORDS = {
    '"${outlines[@]}"': "OUTLINES...",
    '"${options[@]}"': "[--corpus CORPUS] [--strict]",
    '"$INPUT_FORMAT"': "FORMAT",
    '"$INPUT_SARIF_FILE"': "SARIF_FILE",
}


def action() -> dict:
    return yaml.safe_load(ACTION.read_text(encoding="utf-8"))


def step(step_id: str) -> dict:
    [found] = [s for s in action()["runs"]["steps"] if s.get("id") == step_id]
    return found


def manual_block(after: str, lang: str) -> str:
    """The first fenced block of `lang` after the words `after` in docs/ci.md."""
    start = CI_PAGE.index(after)
    m = re.compile(rf"^```{lang}\n(.*?)^```$", re.M | re.S).search(CI_PAGE, start)
    assert m, after
    return m.group(1)


def test_action_yml_is_a_composite_action_with_the_documented_inputs():
    doc = action()
    assert doc["runs"]["using"] == "composite"
    assert set(doc["inputs"]) == INPUTS
    for name in INPUTS:
        assert f"`{name}`" in CI_PAGE  # each input is documented
    for s in doc["runs"]["steps"]:
        if "uses" in s:
            assert re.search(r"@v\d+$", s["uses"]), s["uses"]
        else:
            assert s["shell"] == "bash" and "${{" not in s["run"]  # inputs only through env
    [upload] = [s for s in doc["runs"]["steps"] if "upload-sarif" in s.get("uses", "")]
    assert upload["uses"].startswith("github/codeql-action/upload-sarif@")
    assert "always()" in upload["if"] and "inputs.sarif-file" in upload["if"]


def test_its_commands_are_the_ones_the_manual_shows():
    commands = []
    for s in action()["runs"]["steps"]:
        for line in s.get("run", "").splitlines():
            line = line.strip()
            if line.startswith(("python -m pip", "report ")):
                line = line.split(" || ")[0]
                for word, shown in SHOWN_WORDS.items():
                    line = line.replace(word, shown)
                commands.append(line)
    shown = manual_block("**The action.**", "sh").strip().splitlines()
    assert commands == shown


def test_the_manual_workflow_uses_the_action_with_its_inputs_and_permissions():
    workflow = yaml.safe_load(manual_block("**The action.**", "yaml"))
    assert workflow["permissions"]["security-events"] == "write"
    steps = workflow["jobs"]["check"]["steps"]
    assert steps[0]["uses"].startswith("actions/checkout@")
    [use] = [s for s in steps if s["uses"].split("@")[0].endswith("/verbatim-briefs")]
    assert set(use["with"]) <= INPUTS and "sarif-file" in use["with"]


# -- the check step, run as GitHub runs a composite step of `shell: bash` ---------------------


def run_step(s: dict, cwd: Path, context: dict[str, str], output: Path) -> int:
    """`context`: the values of the step's expressions (`inputs.corpus`, `steps.check.outputs.
    status`); an input not given has its default."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("INPUT_", "PYTHON"))}
    env.update(
        PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",  # `report`
        GITHUB_OUTPUT=str(output),
        NO_COLOR="1",
    )
    defaults = {f"inputs.{k}": v["default"] for k, v in action()["inputs"].items()}
    for key, template in s.get("env", {}).items():
        expression = re.fullmatch(r"\$\{\{ ([\w.-]+) \}\}", template).group(1)
        env[key] = {**defaults, **context}[expression]
    script = cwd / ".step.sh"
    script.write_text(s["run"], encoding="utf-8")
    proc = subprocess.run(
        ["bash", "--noprofile", "--norc", "-eo", "pipefail", str(script)],
        cwd=cwd, env=env, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    return proc.returncode


@pytest.fixture
def project(tmp_path) -> Path:
    return init_project(tmp_path / "brief").root


def outputs(path: Path) -> dict[str, str]:
    return dict(line.split("=", 1) for line in path.read_text().splitlines())


def test_the_check_step_passes_a_project_whose_quotes_verify(project, tmp_path):
    out = tmp_path / "github_output"
    assert run_step(step("check"), project, {"inputs.strict": "true"}, out) == 0
    assert outputs(out) == {"status": "0"}


def test_the_check_step_reports_a_misquote_as_sarif_and_the_last_step_fails(project, tmp_path):
    source = project / "corpus" / "example-source.txt"
    source.write_text(source.read_text().replace("twice", "once"), encoding="utf-8")
    out = tmp_path / "github_output"
    inputs = {
        "inputs.outlines": "outlines/example.yaml",
        "inputs.corpus": "corpus",
        "inputs.sarif-file": "r.sarif",
    }
    assert run_step(step("check"), project, inputs, out) == 0  # the upload still runs
    assert outputs(out) == {"status": "1"}
    sarif = json.loads((project / "r.sarif").read_text())
    assert sarif["version"] == "2.1.0"
    [result] = sarif["runs"][0]["results"]
    assert result["ruleId"] == "misquote"
    assert result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == (
        "outlines/example.yaml"
    )
    [fail] = [s for s in action()["runs"]["steps"] if "exit" in s.get("run", "")]
    status = {"steps.check.outputs.status": outputs(out)["status"]}
    assert run_step(fail, project, status, out) == 1
