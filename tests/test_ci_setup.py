"""The CI set-up shipped in the repository: the GitHub Actions workflow and the pre-commit
hooks run commands that exist and pass on this repository's own outlines."""

from __future__ import annotations

import re
import shlex
import tomllib

import yaml

from tests.conftest import ROOT

WORKFLOW = ROOT / ".github" / "workflows" / "report.yml"
HOOKS = ROOT / ".pre-commit-hooks.yaml"


def workflow() -> dict:
    doc = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    doc["on"] = doc.pop(True, doc.get("on"))  # YAML 1.1 reads a bare `on` as true
    return doc


def steps(job: str) -> list[dict]:
    return workflow()["jobs"][job]["steps"]


def report_args(run: str) -> list[str]:
    """The arguments of a `.venv/bin/report ...` step, up to any redirection or `||`."""
    words = shlex.split(run)
    assert words[0] == ".venv/bin/report", run
    out = []
    for w in words[1:]:
        if w in (">", "||", "|", "&&"):
            break
        out.append(w)
    return out


def test_workflow_runs_on_every_pull_request():
    assert "pull_request" in workflow()["on"]
    for job in workflow()["jobs"].values():
        for step in job["steps"]:
            if "uses" in step:
                assert re.search(r"@v\d+$", step["uses"]), step["uses"]


def test_workflow_make_targets_exist():
    makefile = (ROOT / "Makefile").read_text()
    runs = [s["run"] for job in workflow()["jobs"] for s in steps(job) if "run" in s]
    for target in (m.group(1) for r in runs for m in re.finditer(r"\bmake (\w+)", r)):
        assert re.search(rf"^{target}:", makefile, re.M), target


def test_workflow_annotates_misquotes_and_its_check_passes_here(invoke):
    [check] = [s for s in steps("briefs") if "--format github" in s.get("run", "")]
    args = report_args(check["run"])
    assert args[0] == "check" and "--strict" in args
    result = invoke(*args)
    assert result.code == 0, result.out + result.err
    assert "::error" not in result.out


def test_workflow_builds_and_uploads_the_briefs():
    briefs = steps("briefs")
    [build] = [s for s in briefs if "report build" in s.get("run", "")]
    args = report_args(build["run"])
    out = args[args.index("-o") + 1]
    uploads = [s for s in briefs if s.get("uses", "").startswith("actions/upload-artifact@")]
    assert any(u["with"]["path"].rstrip("/") == out for u in uploads)
    assert briefs.index(build) > briefs.index(
        next(s for s in briefs if "--format github" in s.get("run", ""))
    )  # nothing is built before every quote is checked


def test_pre_commit_hooks_run_report_check(invoke):
    hooks = yaml.safe_load(HOOKS.read_text(encoding="utf-8"))
    scripts = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["scripts"]
    assert {h["id"] for h in hooks} == {"report-check", "report-check-all"}
    for hook in hooks:
        assert {"id", "name", "entry", "language"} <= set(hook)
        assert hook["language"] == "python"  # pre-commit pip-installs this repository
        command, *args = shlex.split(hook["entry"])
        assert command in scripts
        assert re.search(hook["files"], "outlines/xi-putin.yaml")
        if not hook.get("pass_filenames", True):
            result = invoke(*args, *hook.get("args", []))
            assert result.code == 0, result.out + result.err
        else:  # pre-commit appends the changed outlines
            assert invoke(*args, *hook.get("args", []), "outlines/xi-putin.yaml").code == 0
    [all_hook] = [h for h in hooks if h["id"] == "report-check-all"]
    assert re.search(all_hook["files"], "corpus/004_d18f45208089c0a8.txt")


def test_a_folder_stands_for_the_outlines_in_it(tmp_path, invoke):
    whole = invoke("check", "outlines/", "--format", "json")
    assert whole.code == 0
    briefs = sorted([*ROOT.glob("outlines/*.yaml"), *ROOT.glob("outlines/*.md")])
    assert whole.out == invoke("check", *briefs, "--format",
                                   "json").out.replace(str(ROOT) + "/", "")  # fmt: skip
    empty = invoke("check", tmp_path)
    assert empty.code == 2
    assert "no outlines (*.yaml, *.md) in this folder" in empty.err
