"""report.ci_formats on findings made by hand: GitHub workflow commands (escaping, levels,
paths relative to the workspace), JUnit XML and SARIF, for findings and for input errors."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from dataclasses import replace

import pytest

from report.ci_formats import (
    format_github,
    format_junit,
    format_sarif,
    github_input_errors,
    junit_input_errors,
    sarif_input_errors,
)
from report.errors import Location, ReportError
from report.findings import Run
from tests import handmade as h
from tests.test_formats import assert_sarif_shape, parse_github

MIXED = [h.verified(), h.misquote(11), h.warned(13)]


@pytest.fixture(autouse=True)
def no_workspace(monkeypatch):
    monkeypatch.delenv("GITHUB_WORKSPACE", raising=False)


# -- github ---------------------------------------------------------------------------------


def test_github_one_command_per_failure_and_warning_then_the_summary():
    out = format_github(Run(MIXED))
    error, warning = parse_github(out)
    assert (error["level"], error["file"], error["line"], error["col"]) == (
        "error", "outlines/brief.yaml", "11", "20",
    )  # fmt: skip
    assert error["title"] == "report: misquote"
    assert error["message"].splitlines() == [
        "not found in cnbc",
        "quote:   reaffirmed China's commitment to [-fully-] support Russia",
        "closest: cnbc at corpus/cnbc.txt:40:7 (93% similar)",
        "reaffirmed China’s commitment to {+firmly+} support Russia",
        "diff:    - fully + firmly  (substantive: a changed word)",
    ]
    assert (warning["level"], warning["line"]) == ("warning", "13")
    assert warning["title"] == "report: negation omitted"
    assert out.splitlines()[-1] == "3 quotes: 2 verified, 1 misquote; 1 warning"


def test_github_escapes_what_would_end_a_property_or_the_message():
    """A line break would end the command, `%` starts an escape, and `:` or `,` in a
    property would end it: GitHub reads them escaped."""
    out = format_github(Run([h.misquote()]))
    command = out.splitlines()[0]
    assert "\n" not in command and "%0A" in command  # the message's lines in one command
    assert "(93%25 similar)" in command
    assert "title=report%3A misquote::" in command


def test_github_strict_makes_a_warning_an_error():
    [command] = parse_github(format_github(Run([h.warned()], strict=True)))
    assert command["level"] == "error"


def test_github_paths_are_relative_to_the_workspace(monkeypatch, tmp_path):
    """An outline given as `repo/outlines/x.yaml` (relative to the working folder) or by its
    absolute path is marked on `outlines/x.yaml` of the checkout."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("GITHUB_WORKSPACE", str(tmp_path / "repo"))
    results = [
        at(h.misquote(), "repo/outlines/x.yaml"),
        at(h.misquote(), str(tmp_path / "repo" / "outlines" / "y.yaml")),
        at(h.misquote(), "elsewhere/z.yaml"),  # outside the workspace: as given
    ]
    files = [c["file"] for c in parse_github(format_github(Run(results)))]
    assert files == ["outlines/x.yaml", "outlines/y.yaml", "elsewhere/z.yaml"]


def at(result, outline: str):
    """The result with its quote in the outline file `outline`."""
    location = replace(result.evidence.location, file=outline)
    return replace(result, evidence=replace(result.evidence, location=location))


def test_github_input_errors_are_marked_on_their_line():
    out = github_input_errors(
        [
            ReportError("unknown key 'a,b'", Location("outlines/x.yaml", 4, 5)),
            ReportError("no such file", Location("outlines/y.yaml")),
        ]
    )
    first, second = out.splitlines()
    assert first == (
        "::error file=outlines/x.yaml,line=4,col=5,title=report%3A input error::unknown key 'a,b'"
    )
    assert second == "::error file=outlines/y.yaml,title=report%3A input error::no such file"


# -- junit ----------------------------------------------------------------------------------


def test_junit_one_case_per_quote_a_failure_for_each_failed_one():
    root = ET.fromstring(format_junit(Run(MIXED)))
    assert (root.get("tests"), root.get("failures"), root.get("errors")) == ("3", "1", "0")
    [suite] = root.findall("testsuite")
    assert suite.get("name") == "outlines/brief.yaml"
    ok, failed, warned = suite.findall("testcase")
    assert ok.get("name") == "9:20 cnbc: the junior partner in the relationship"
    assert ok.get("classname") == "outlines.brief" and ok.get("line") == "9"
    assert list(ok) == []
    [failure] = failed.findall("failure")
    assert (failure.get("type"), failure.get("message")) == ("misquote", "not found in cnbc")
    assert "{+firmly+}" in failure.text
    assert warned.find("failure") is None
    assert warned.find("system-out").text.startswith("warning: leaves out 'isn't'")


def test_junit_strict_fails_a_warned_case_with_the_warnings_kind():
    root = ET.fromstring(format_junit(Run([h.warned()], strict=True)))
    [case] = root.iter("testcase")
    assert case.find("failure").get("type") == "negation_omitted"
    assert root.get("failures") == "1"


def test_junit_shortens_a_long_quote_in_the_case_name():
    long = h.verified(" ".join(["word"] * 40))
    [case] = ET.fromstring(format_junit(Run([long]))).iter("testcase")
    name = case.get("name")
    assert name.endswith("…") and len(name.split(": ", 1)[1]) == 60


def test_junit_of_input_errors_has_one_erroring_case_each():
    root = ET.fromstring(
        junit_input_errors([ReportError("no such file", Location("outlines/x.yaml"))])
    )
    assert (root.get("tests"), root.get("errors"), root.get("failures")) == ("1", "1", "0")
    [case] = root.iter("testcase")
    assert case.get("file") == "outlines/x.yaml" and case.get("line") is None
    [error] = case.iter("error")
    assert error.get("message") == "no such file"
    assert error.text == "outlines/x.yaml: no such file"


# -- sarif ----------------------------------------------------------------------------------


def test_sarif_one_result_per_failure_and_warning_with_related_places():
    doc = json.loads(format_sarif(Run(MIXED)))
    assert_sarif_shape(doc)
    [run] = doc["runs"]
    rules = [rule["id"] for rule in run["tool"]["driver"]["rules"]]
    assert {"misquote", "wrong_source", "negation_omitted"} <= set(rules)
    error, warning = run["results"]
    assert (error["ruleId"], error["level"]) == ("misquote", "error")
    assert rules[error["ruleIndex"]] == "misquote"
    assert error["locations"][0]["physicalLocation"] == {
        "artifactLocation": {"uri": "outlines/brief.yaml"},
        "region": {"startLine": 11, "startColumn": 20},
    }
    [related] = error["relatedLocations"]
    assert related["message"]["text"] == "closest passage in cnbc"
    assert related["physicalLocation"]["region"] == {"startLine": 40, "startColumn": 7}
    assert (warning["ruleId"], warning["level"]) == ("negation_omitted", "warning")
    assert warning["relatedLocations"][0]["message"]["text"] == "the source sentence"
    assert run["invocations"] == [{"executionSuccessful": True, "exitCode": 1}]


def test_sarif_of_a_clean_run_has_no_results_and_exit_code_0():
    [run] = json.loads(format_sarif(Run([h.verified()])))["runs"]
    assert run["results"] == []
    assert run["invocations"] == [{"executionSuccessful": True, "exitCode": 0}]


def test_sarif_uris_are_percent_encoded():
    doc = json.loads(format_sarif(Run([at(h.misquote(), "my outlines/a b.yaml")])))
    uri = doc["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
    assert uri == {"uri": "my%20outlines/a%20b.yaml"}


def test_sarif_of_input_errors_is_a_failed_run():
    doc = json.loads(sarif_input_errors([ReportError("invalid YAML", Location("x.yaml", 3, 1))]))
    assert_sarif_shape(doc)
    [run] = doc["runs"]
    assert run["invocations"] == [{"executionSuccessful": False, "exitCode": 2}]
    [result] = run["results"]
    assert result["ruleId"] == "input-error" and result["message"]["text"] == "invalid YAML"
    assert result["locations"][0]["physicalLocation"]["region"] == {
        "startLine": 3,
        "startColumn": 1,
    }
