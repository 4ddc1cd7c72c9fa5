"""Every --format, checked by parsing what it prints: GitHub workflow commands, JUnit XML
(with an XML parser), SARIF 2.1.0 (against its shape), JSON, and the text format's marked
differences (in colour on a terminal, plain when piped)."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import unquote

import pytest
from click.testing import CliRunner

from report.cli import cli
from tests.conftest import ROOT, SAMPLE
from tests.quotes import outline_with

MISQUOTE = {
    "source": "cnbc-2021",
    "quote": "China’s commitment to fully support Russia in maintaining",
}
VERIFIED = {"source": "embrace-2024", "quote": "It doesn’t want to be shackled to a corpse."}
OUT_OF_CONTEXT = {"source": "cnbc-2021", "quote": "going to send military help"}


@pytest.fixture
def mixed(tmp_path):
    """Line 9: a misquote; line 11: verified; line 13: verified but a negation is left out."""
    return outline_with(tmp_path, MISQUOTE, VERIFIED, OUT_OF_CONTEXT)


# -- github -------------------------------------------------------------------------------

_COMMAND = re.compile(r"^::(?P<level>error|warning|notice) (?P<props>[^:]*)::(?P<message>.*)$")


def parse_github(out: str) -> list[dict[str, str]]:
    commands = []
    for line in out.splitlines():
        m = _COMMAND.match(line)
        if m:
            props = dict(p.split("=", 1) for p in m["props"].split(","))
            props = {k: unquote(v) for k, v in props.items()}
            commands.append({"level": m["level"], **props, "message": unquote(m["message"])})
    return commands


def test_github_marks_each_finding_on_its_outline_line(mixed, invoke):
    result = invoke("check", mixed, "--format", "github")
    assert result.code == 1
    error, warning = parse_github(result.out)
    assert error["level"] == "error"
    assert (error["file"], error["line"], error["col"]) == (str(mixed), "9", "20")
    assert error["title"] == "report: misquote"
    assert error["message"].startswith("not found in cnbc-2021\n")
    assert "- fully + firmly" in error["message"]
    assert warning["level"] == "warning"
    assert warning["line"] == "13"
    assert warning["title"] == "report: negation omitted"
    assert ">>going to send military help<<" in warning["message"]
    assert result.out.splitlines()[-1].startswith("3 quotes: 2 verified, 1 misquote")


def test_github_strict_makes_warnings_errors(tmp_path, invoke):
    path = outline_with(tmp_path, VERIFIED, OUT_OF_CONTEXT)
    assert parse_github(invoke("check", path, "--format", "github").out)[0]["level"] == "warning"
    strict = invoke("check", path, "--format", "github", "--strict")
    assert strict.code == 1
    assert [c["level"] for c in parse_github(strict.out)] == ["error"]


def test_github_paths_are_relative_to_the_workspace(mixed, invoke, monkeypatch):
    monkeypatch.setenv("GITHUB_WORKSPACE", str(mixed.parent.parent))
    [error, _] = parse_github(invoke("check", mixed, "--format", "github").out)
    assert error["file"] == "outlines/t.yaml"


def test_github_clean_run_has_no_annotations(invoke):
    result = invoke("check", SAMPLE, "--format", "github")
    assert result.code == 0
    assert parse_github(result.out) == []


# -- junit --------------------------------------------------------------------------------


def test_junit_has_one_test_case_per_quote(mixed, invoke):
    result = invoke("check", mixed, "--format", "junit")
    assert result.code == 1
    root = ET.fromstring(result.out)
    assert root.tag == "testsuites"
    assert (root.get("tests"), root.get("failures")) == ("3", "1")
    [suite] = root.findall("testsuite")
    assert suite.get("name") == str(mixed)
    cases = suite.findall("testcase")
    assert [c.get("line") for c in cases] == ["9", "11", "13"]
    assert {c.get("file") for c in cases} == {str(mixed)}
    [failure] = cases[0].findall("failure")
    assert failure.get("type") == "misquote"
    assert failure.get("message") == "not found in cnbc-2021"
    assert "{+firmly+}" in failure.text
    assert cases[1].find("failure") is None and cases[1].find("system-out") is None
    assert cases[2].find("failure") is None
    assert "negation" in cases[2].find("system-out").text or "isn't" in (
        cases[2].find("system-out").text
    )


def test_junit_strict_fails_the_warned_case(mixed, invoke):
    root = ET.fromstring(invoke("check", mixed, "--format", "junit", "--strict").out)
    cases = root.find("testsuite").findall("testcase")
    assert root.get("failures") == "2"
    assert cases[2].find("failure").get("type") == "negation_omitted"


def test_junit_groups_outlines_into_suites(tmp_path, invoke):
    first = outline_with(tmp_path, VERIFIED, name="a.yaml")
    second = outline_with(tmp_path, VERIFIED, OUT_OF_CONTEXT, name="b.yaml")
    root = ET.fromstring(invoke("check", first, second, "--format", "junit").out)
    suites = root.findall("testsuite")
    assert [(s.get("name"), s.get("tests")) for s in suites] == [
        (str(first), "1"),
        (str(second), "2"),
    ]
    assert root.get("tests") == "3"


# -- sarif --------------------------------------------------------------------------------

_LEVELS = {"none", "note", "warning", "error"}


def assert_sarif_shape(doc: dict) -> None:
    """The parts of SARIF 2.1.0 that code-scanning dashboards require."""
    assert doc["version"] == "2.1.0"
    assert doc["$schema"].endswith("sarif-2.1.0.json")
    assert isinstance(doc["runs"], list) and doc["runs"]
    for run in doc["runs"]:
        driver = run["tool"]["driver"]
        assert isinstance(driver["name"], str) and driver["name"]
        rules = driver["rules"]
        ids = [rule["id"] for rule in rules]
        assert len(ids) == len(set(ids))
        for rule in rules:
            assert rule["shortDescription"]["text"]
            assert rule["defaultConfiguration"]["level"] in _LEVELS
        for result in run["results"]:
            assert result["message"]["text"]
            assert result["level"] in _LEVELS
            assert ids[result["ruleIndex"]] == result["ruleId"]
            for loc in result["locations"] + result.get("relatedLocations", []):
                physical = loc["physicalLocation"]
                assert physical["artifactLocation"]["uri"]
                region = physical["region"]
                assert isinstance(region["startLine"], int) and region["startLine"] >= 1
                assert region.get("startColumn", 1) >= 1


def test_sarif_has_one_result_per_finding(mixed, invoke):
    result = invoke("check", mixed, "--format", "sarif")
    assert result.code == 1
    doc = json.loads(result.out)
    assert_sarif_shape(doc)
    error, warning = doc["runs"][0]["results"]
    assert (error["ruleId"], error["level"]) == ("misquote", "error")
    region = error["locations"][0]["physicalLocation"]["region"]
    assert (region["startLine"], region["startColumn"]) == (9, 20)
    uri = error["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
    assert uri.endswith("outlines/t.yaml")
    related = error["relatedLocations"][0]["physicalLocation"]
    assert related["artifactLocation"]["uri"].endswith("004_d18f45208089c0a8.txt")
    assert (warning["ruleId"], warning["level"]) == ("negation_omitted", "warning")


def test_sarif_clean_run_has_no_results(invoke):
    result = invoke("check", SAMPLE, "--format", "sarif")
    assert result.code == 0
    doc = json.loads(result.out)
    assert_sarif_shape(doc)
    assert doc["runs"][0]["results"] == []


# -- json ---------------------------------------------------------------------------------


def test_json_warnings_carry_the_marked_source_sentence(mixed, invoke):
    doc = json.loads(invoke("check", mixed, "--format", "json").out)
    [warning] = doc["quotes"][2]["warnings"]
    assert warning["kind"] == "negation_omitted"
    excerpt = warning["excerpt"]
    [(start, end)] = excerpt["spans"]
    assert excerpt["text"][start:end] == "going to send military help"
    assert excerpt["location"]["file"].endswith("004_d18f45208089c0a8.txt")


# -- text: what kind of difference, marked ------------------------------------------------


@pytest.mark.parametrize(
    ("evidence", "kind", "quote_mark", "source_mark"),
    [
        (MISQUOTE, "substantive: a changed word", "[-fully-]", "{+firmly+}"),
        (
            {"source": "cnbc-2021", "quote": "China’s commitment to support Russia in maintaining"},
            "substantive: a missing word",
            None,
            "{+firmly+}",
        ),
        (
            {"source": "cnbc-2021", "quote": "Moscow struck an even more very optimistic tone."},
            "substantive: an extra word",
            "[-very-]",
            None,
        ),
        (
            {
                "source": "embrace-2024",
                "quote": "bolstered by Chinese semiconductors and other dual use technologies",
            },
            "punctuation only",
            "[-dual use-]",
            "{+dual-use+}",
        ),
    ],
)
def test_text_says_what_kind_of_difference(tmp_path, invoke, evidence, kind, quote_mark,
                                           source_mark):  # fmt: skip
    result = invoke("check", outline_with(tmp_path, evidence))
    assert result.code == 1
    assert f"({kind})" in result.out
    quote_line = next(line for line in result.out.splitlines() if line.startswith("    quote:"))
    if quote_mark:
        assert quote_mark in quote_line
    else:
        assert "[-" not in quote_line
    if source_mark:
        assert source_mark in result.out


def test_text_is_coloured_on_a_terminal_and_plain_when_piped(mixed):
    runner = CliRunner()
    plain = runner.invoke(cli, ["check", str(mixed)])
    assert plain.exit_code == 1
    assert "\x1b[" not in plain.output
    assert "[-fully-]" in plain.output
    coloured = runner.invoke(cli, ["check", str(mixed)], color=True)
    assert "\x1b[" in coloured.output
    assert click_unstyle(coloured.output) == plain.output


def click_unstyle(text: str) -> str:
    import click

    return click.unstyle(text)


# An unknown key at line 4, column 5, beside an empty corpus.
BAD_KEY = ROOT / "tests" / "data" / "bad-key" / "outlines" / "bad.yaml"


def test_github_marks_input_errors_on_their_line_too(invoke, monkeypatch):
    monkeypatch.delenv("GITHUB_WORKSPACE", raising=False)  # the path as given, in CI too
    bad = BAD_KEY
    result = invoke("check", bad, "--format", "github")
    assert result.code == 2
    assert f"{bad}:4:5: unknown key 'argumnets'" in result.err
    [line] = result.out.splitlines()
    assert line.startswith(f"::error file={bad},line=4,col=5,title=report%3A input error::")
    assert "unknown key 'argumnets'" in line


def test_strict_summary_says_why_a_run_of_verified_quotes_fails(tmp_path, invoke):
    path = outline_with(tmp_path, VERIFIED, OUT_OF_CONTEXT)
    plain = invoke("check", path)
    assert plain.code == 0 and plain.out.splitlines()[-1] == "2 quotes: 2 verified; 1 warning"
    strict = invoke("check", path, "--strict")
    assert strict.code == 1
    assert strict.out.splitlines()[-1] == (
        "2 quotes: 2 verified; 1 warning (1 verified quote failed by --strict)"
    )


def test_junit_of_an_input_error_is_a_report_with_the_error(invoke):
    """CI uploads the JUnit file whatever the exit status: on exit 2 it must say why."""
    bad = BAD_KEY
    result = invoke("check", bad, "--format", "junit")
    assert result.code == 2
    root = ET.fromstring(result.out)
    assert (root.get("tests"), root.get("errors"), root.get("failures")) == ("1", "1", "0")
    [case] = root.iter("testcase")
    assert (case.get("file"), case.get("line")) == (str(bad), "4")
    [error] = case.iter("error")
    assert "unknown key 'argumnets'" in error.get("message")


def test_sarif_of_an_input_error_is_a_failed_run_with_the_error(invoke):
    bad = BAD_KEY
    result = invoke("check", bad, "--format", "sarif")
    assert result.code == 2
    [run] = json.loads(result.out)["runs"]
    assert run["invocations"] == [{"executionSuccessful": False, "exitCode": 2}]
    [finding] = run["results"]
    assert finding["ruleId"] == "input-error" and "argumnets" in finding["message"]["text"]
    region = finding["locations"][0]["physicalLocation"]["region"]
    assert (region["startLine"], region["startColumn"]) == (4, 5)


def test_sarif_paths_are_all_relative_to_the_workspace(mixed, invoke, monkeypatch):
    """The outline's path (as given) and the sources' (relative to the working folder) are
    made relative to the same folder, the workspace, so that code scanning opens both."""
    workspace = Path(mixed.anchor)  # the file system's root holds the outline and corpus
    monkeypatch.setenv("GITHUB_WORKSPACE", str(workspace))
    here = mixed.parent.parent
    result = invoke("check", mixed.relative_to(here), "--format", "sarif", cwd=here)
    [run] = json.loads(result.out)["runs"]
    uris = [
        loc["physicalLocation"]["artifactLocation"]["uri"]
        for r in run["results"]
        for loc in r["locations"] + r.get("relatedLocations", [])
    ]
    assert len(uris) >= 4  # outline lines and corpus passages
    assert all((workspace / unquote(u)).is_file() for u in uris), uris


def _on_a_terminal(args: list[str], env: dict[str, str]) -> str:
    """`report ARGS` with its standard output on a pseudo-terminal: what a person sees."""
    import os
    import pty
    import subprocess
    import sys

    from tests.conftest import ROOT

    master, slave = pty.openpty()
    full_env = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}
    full_env |= {"PYTHONPATH": str(ROOT), **env}
    proc = subprocess.Popen(
        [sys.executable, "-m", "report", *args], stdout=slave, stderr=subprocess.DEVNULL,
        cwd=ROOT, env=full_env,
    )  # fmt: skip
    os.close(slave)
    chunks = []
    while True:
        try:
            data = os.read(master, 65536)
        except OSError:  # the terminal closed with the process
            break
        if not data:
            break
        chunks.append(data)
    proc.wait(timeout=60)
    os.close(master)
    return b"".join(chunks).decode("utf-8", "replace")


def test_no_color_turns_colour_off_on_a_terminal(mixed):
    assert "\x1b[" in _on_a_terminal(["check", str(mixed)], {})
    assert "\x1b[" not in _on_a_terminal(["check", str(mixed)], {"NO_COLOR": "1"})
