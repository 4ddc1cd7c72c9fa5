"""A Run's results -> the formats CI systems read: GitHub workflow commands, JUnit XML and
SARIF 2.1.0. The messages themselves (headlines, details) are report.messages', so every
format says the same thing in its own envelope.

- github: one `::error file=…,line=…,col=…::` (or `::warning`) line per failed quote and per
  warning, so GitHub Actions marks the outline's line in a pull request;
- junit: one <testcase> per quote, grouped in one <testsuite> per outline file;
- sarif: one result per failed quote and per warning, one rule per kind of finding.

Every value from the input is made inert (report.inert) before it goes into an envelope:
the messages by report.messages, file names and input errors here.
"""

from __future__ import annotations

import json
import os
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote as url_quote

import click

from report import __version__
from report.errors import Location, ReportError
from report.findings import QuoteResult, QuoteWarning, Run, Status, WarningKind
from report.inert import inert, inert_json

TOOL = "report"

_STATUS_HELP = {
    Status.MISQUOTE: "The quote does not occur, word for word, in the source it names.",
    Status.WRONG_SOURCE: "The quote occurs verbatim, but in another source than the one named.",
    Status.OUTSIDE_BODY: (
        "The quote occurs only outside the article body (reader comments, site furniture)."
    ),
    Status.SOURCE_CHANGED: "The named source's file is not the one its sha256 pin records.",
    Status.WRONG_PAGE: "The quote is in the source it names, but not on the page given.",
    Status.SOURCE_UNKNOWN: (
        "A draft's quotation whose note or citation names no single source of the corpus."
    ),
}
_WARNING_HELP = {
    WarningKind.SPEAKER_NOT_FOUND: (
        "The speaker is not named in the quote's paragraph or the one before it."
    ),
    WarningKind.TOO_SHORT: "A part of the quote has fewer than three words and proves little.",
    WarningKind.NEGATION_OMITTED: (
        "A negation stands just before the quoted words in the source and the quote leaves it out."
    ),
    WarningKind.CONTRAST_OMITTED: (
        "The source's sentence goes on with a contrast (but, although, however, unless) "
        "where the quote ends."
    ),
    WarningKind.NOT_IN_CORPUS: (
        "A draft's note cites a document that is not in the corpus: its quotations are not checked."
    ),
    WarningKind.UNATTRIBUTED_QUOTE: (
        "A quotation in the outline's prose has no citation after it: nothing says whose "
        "words they are, and they are not checked."
    ),
    WarningKind.ATTRIBUTED_TO_AUTHOR: (
        "The source quotes these words from someone else, but the outline gives the "
        "source's author as the speaker."
    ),
}


def _findings(run: Run) -> Iterator[tuple[QuoteResult, QuoteWarning | None]]:
    """Every failed quote (warning None) and every warning, in outline order."""
    for r in run.results:
        if r.status.failed:
            yield r, None
        for w in r.warnings:
            yield r, w


def _message(r: QuoteResult, w: QuoteWarning | None) -> str:
    """The finding's message and its details, as plain text (no colour)."""
    from report.messages import details, excerpt_line, headline

    if w is None:
        lines = [inert(headline(r)), *(line.strip() for line in details(r))]
    else:
        lines = [inert(w.message)]
        if w.excerpt is not None:
            lines.append(f"source: {excerpt_line(w.excerpt)}")
    return click.unstyle("\n".join(lines))


def _rule(w: QuoteWarning | None, r: QuoteResult) -> str:
    return w.kind.value if w is not None else r.status.value


def _label(w: QuoteWarning | None, r: QuoteResult) -> str:
    return w.kind.label if w is not None else r.status.label


# -- GitHub Actions workflow commands ---------------------------------------------------


def _gh_data(s: str) -> str:
    """A workflow command's message: the runner decodes %25, %0D and %0A, so a line break
    of our own (between a headline and its details) survives; the text is inert already."""
    return s.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _gh_property(s: str) -> str:
    """A property value (file, title): inert, and `:` and `,` escaped so that a file name
    cannot end the properties or start the message."""
    return _gh_data(inert(s)).replace(":", "%3A").replace(",", "%2C")


def _workspace_relative(file: str) -> str:
    """GitHub matches annotations to files by their path in the checkout: every path (an
    outline's as given, a source's relative to the working folder) is made relative to
    it, so that all of them are relative to the same folder."""
    workspace = os.environ.get("GITHUB_WORKSPACE")
    path = Path(file)
    absolute = Path(os.path.normpath(path if path.is_absolute() else Path.cwd() / path))
    if workspace and absolute.is_relative_to(workspace):
        return absolute.relative_to(workspace).as_posix()
    return path.as_posix()


def github_input_errors(errors: list[ReportError]) -> str:
    """Input errors (exit 2) as workflow commands, so a broken outline is marked on its line
    in the pull request like a misquote is."""
    return "\n".join(
        f"::error {_gh_properties(e.location, 'input error')}::{_gh_data(inert(e.message))}"
        for e in errors
    )


def junit_input_errors(errors: list[ReportError], kind: str = "input error") -> str:
    """Input errors (exit 2) as a JUnit report with one erroring test case each, so that a
    CI step that uploads the report shows them rather than an empty file. (`kind` "internal
    error": report itself failed, see internal_error.)"""
    suites = ET.Element("testsuites", name=f"{TOOL} check", tests=str(len(errors)))
    suites.set("failures", "0")
    suites.set("errors", str(len(errors)))
    suite_name = kind.split()[0]  # "input", "internal"
    suite = ET.SubElement(suites, "testsuite", name=suite_name, tests=str(len(errors)))
    suite.set("failures", "0")
    suite.set("errors", str(len(errors)))
    suite.set("skipped", "0")
    for e in errors:
        where = inert(str(e.location)) if e.location is not None else TOOL
        case = ET.SubElement(suite, "testcase", name=where, classname=suite_name)
        if e.location is not None:
            case.set("file", inert(e.location.file))
            if e.location.line > 0:
                case.set("line", str(e.location.line))
        error = ET.SubElement(case, "error", type=kind, message=inert(e.message))
        error.text = inert(str(e))
    ET.indent(suites)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(suites, encoding="unicode")


def _gh_properties(loc: Location | None, title: str) -> str:
    """`file=…,line=…,col=…,title=…` of a workflow command."""
    props = []
    if loc is not None:
        props.append(f"file={_gh_property(_workspace_relative(loc.file))}")
        if loc.line > 0:
            props.append(f"line={loc.line}")
        if loc.column > 0:
            props.append(f"col={loc.column}")
    props.append(f"title={_gh_property(f'report: {title}')}")
    return ",".join(props)


def format_github(run: Run) -> str:
    from report.messages import summary_line

    lines = []
    for r, w in _findings(run):
        level = "error" if w is None or run.strict else "warning"
        props = _gh_properties(r.evidence.location, _label(w, r))
        lines.append(f"::{level} {props}::{_gh_data(_message(r, w))}")
    lines.append(summary_line(run.summary))
    return "\n".join(lines)


# -- JUnit XML ----------------------------------------------------------------------------


def format_junit(run: Run) -> str:
    suites = ET.Element("testsuites", name=f"{TOOL} check")
    by_file: dict[str, list[QuoteResult]] = {}
    for r in run.results:
        by_file.setdefault(r.evidence.location.file, []).append(r)
    total = failures = 0
    for file, results in by_file.items():
        failed = sum(1 for r in results if r.failed(run.strict))
        suite = ET.SubElement(
            suites,
            "testsuite",
            name=inert(file),
            tests=str(len(results)),
            failures=str(failed),
            errors="0",
            skipped="0",
        )
        for r in results:
            _testcase(suite, r, run.strict)
        total += len(results)
        failures += failed
    suites.set("tests", str(total))
    suites.set("failures", str(failures))
    suites.set("errors", "0")
    ET.indent(suites)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(suites, encoding="unicode")


def _testcase(suite: ET.Element, r: QuoteResult, strict: bool) -> None:
    ev = r.evidence
    words = " ".join(ev.quote.split())
    short = words if len(words) <= 60 else words[:59] + "…"
    file = ev.location.file
    case = ET.SubElement(
        suite,
        "testcase",
        name=inert(f"{ev.location.line}:{ev.location.column} {ev.source}: {short}"),
        classname=inert(Path(file).with_suffix("").as_posix().strip("/").replace("/", ".")),
        file=inert(file),
        line=str(ev.location.line),
    )
    if r.status.failed:
        failure = ET.SubElement(
            case, "failure", type=r.status.value, message=_message(r, None).split("\n")[0]
        )
        failure.text = _message(r, None)
    if r.warnings and strict and not r.status.failed:
        first = r.warnings[0]
        failure = ET.SubElement(
            case, "failure", type=first.kind.value, message=inert(first.message)
        )
        failure.text = "\n\n".join(_message(r, w) for w in r.warnings)
    elif r.warnings:
        out = ET.SubElement(case, "system-out")
        out.text = "\n\n".join(f"warning: {_message(r, w)}" for w in r.warnings)


# -- SARIF 2.1.0 --------------------------------------------------------------------------

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"


def _uri(file: str) -> str:
    path = Path(_workspace_relative(file))
    if path.is_absolute():
        return path.as_uri()
    return url_quote(path.as_posix(), errors="surrogateescape")  # an undecodable name's bytes


def _physical(loc: Location) -> dict[str, Any]:
    region: dict[str, Any] = {"startLine": max(loc.line, 1)}
    if loc.column > 0:
        region["startColumn"] = loc.column
    return {"physicalLocation": {"artifactLocation": {"uri": _uri(loc.file)}, "region": region}}


def _rules() -> list[dict[str, Any]]:
    rules = []
    for status in Status:
        if status.failed:
            text = _STATUS_HELP.get(status, status.label)
            rules.append(_rule_json(status.value, status.label, text, "error"))
    for kind in WarningKind:
        text = _WARNING_HELP.get(kind, kind.label)
        rules.append(_rule_json(kind.value, kind.label, text, "warning"))
    return rules


def _rule_json(rule_id: str, label: str, text: str, level: str) -> dict[str, Any]:
    return {
        "id": rule_id,
        "name": "".join(w.capitalize() for w in label.split()),
        "shortDescription": {"text": label},
        "fullDescription": {"text": text},
        "defaultConfiguration": {"level": level},
    }


def format_sarif(run: Run) -> str:
    rules = _rules()
    index = {rule["id"]: i for i, rule in enumerate(rules)}
    results = []
    for r, w in _findings(run):
        rule = _rule(w, r)
        result: dict[str, Any] = {
            "ruleId": rule,
            "ruleIndex": index[rule],
            "level": "error" if w is None or run.strict else "warning",
            "message": {"text": _message(r, w)},
            "locations": [_physical(r.evidence.location)],
        }
        related = _related(r, w)
        if related:
            result["relatedLocations"] = related
        results.append(result)
    summary = run.summary
    doc = {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": TOOL,
                        "version": __version__,
                        "rules": rules,
                    }
                },
                "results": results,
                "invocations": [{"executionSuccessful": True, "exitCode": int(summary.failed > 0)}],
            }
        ],
    }
    return inert_json(json.dumps(doc, ensure_ascii=False, indent=2))


def sarif_input_errors(errors: list[ReportError]) -> str:
    """Input errors (exit 2) as a SARIF run that did not succeed, each a located result."""
    rule = _rule_json("input-error", "input error", _INPUT_HELP, "error")
    results = []
    for e in errors:
        result: dict[str, Any] = {
            "ruleId": "input-error",
            "ruleIndex": 0,
            "level": "error",
            "message": {"text": inert(e.message)},
        }
        if e.location is not None:
            result["locations"] = [_physical(e.location)]
        results.append(result)
    doc = {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {"driver": {"name": TOOL, "version": __version__, "rules": [rule]}},
                "results": results,
                "invocations": [{"executionSuccessful": False, "exitCode": 2}],
            }
        ],
    }
    return inert_json(json.dumps(doc, ensure_ascii=False, indent=2))


def input_errors(fmt: str, errors: list[ReportError]) -> str:
    """Input errors (exit 2) in the CI format `fmt` (github, junit or sarif)."""
    render = {
        "github": github_input_errors,
        "junit": junit_input_errors,
        "sarif": sarif_input_errors,
    }[fmt]
    return render(errors)


def internal_error(fmt: str, message: str, exit_code: int) -> str | None:
    """What a CI format prints when report itself failed (a bug, not the input, not a
    quote): an error its reader shows, never a passing or empty report. None for the
    formats that print nothing on standard output then (text, json)."""
    if fmt == "github":
        return f"::error title={_gh_property('report: internal error')}::{_gh_data(inert(message))}"
    if fmt == "junit":
        return junit_input_errors([ReportError(message)], kind="internal error")
    if fmt == "sarif":
        notification = {"level": "error", "message": {"text": inert(message)}}
        invocation = {
            "executionSuccessful": False,
            "exitCode": exit_code,
            "toolExecutionNotifications": [notification],
        }
        doc = {
            "$schema": SARIF_SCHEMA,
            "version": "2.1.0",
            "runs": [
                {
                    "tool": {"driver": {"name": TOOL, "version": __version__}},
                    "results": [],
                    "invocations": [invocation],
                }
            ],
        }
        return inert_json(json.dumps(doc, ensure_ascii=False, indent=2))
    return None


_INPUT_HELP = (
    "An outline, sources.yaml or source file could not be read (bad YAML, an unknown key or "
    "source, a missing file): no quote was checked. Fix the input at the place named."
)


def _related(r: QuoteResult, w: QuoteWarning | None) -> list[dict[str, Any]]:
    """Where in the corpus the finding points: the match, or the closest passage."""
    out = []
    places: list[tuple[Location, str]] = []
    if w is not None and w.excerpt is not None:
        places.append((w.excerpt.location, "the source sentence"))
    elif r.match is not None:
        places.append((r.match.location, f"found in {inert(r.match.source_id)}"))
    else:
        for c in (r.closest, r.closest_corpus):
            if c is not None and all(c.location != p for p, _ in places):
                places.append((c.location, f"closest passage in {inert(c.source_id)}"))
    for i, (loc, text) in enumerate(places):
        out.append({"id": i, **_physical(loc), "message": {"text": text}})
    return out
