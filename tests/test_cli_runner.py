"""report.cli_runner and report.cli_options in-process: the one runner of check, build and
audit (what it prints where, and the exit status), and the option bundles the commands
share (what a command receives)."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from report.cli_options import Reading, Show, corpus_options, findings_options, watch_options
from report.cli_runner import Done, verify
from report.errors import Location, ReportError
from report.findings import Run
from report.output import render_audit
from tests import handmade as h

TEXT = Show("text", strict=False, verbose=False)


def test_findings_on_stdout_and_what_was_done_on_stderr(capsys):
    code = verify(TEXT, lambda: Done([h.verified()], ["a notice"], "nothing written", ["o/a.pdf"]))
    out, err = capsys.readouterr()
    assert code == 0
    assert out.splitlines() == ["1 quote: 1 verified"]
    assert err.splitlines() == ["a notice", "wrote o/a.pdf"]  # not refused: nothing failed


def test_a_failed_quote_is_status_1_with_what_was_not_done(capsys):
    code = verify(TEXT, lambda: Done([h.verified(), h.misquote()], refused="nothing written"))
    out, err = capsys.readouterr()
    assert code == 1
    assert "misquote" in out and out.rstrip().endswith("2 quotes: 1 verified, 1 misquote")
    assert err.splitlines() == ["nothing written"]


def test_a_warning_fails_only_under_strict(capsys):
    assert verify(TEXT, lambda: Done([h.warned()])) == 0
    assert verify(Show("text", strict=True, verbose=False), lambda: Done([h.warned()])) == 1


def test_what_the_runner_says_on_stderr_is_inert(capsys):
    verify(TEXT, lambda: Done([h.verified()], ["x\x1b[2Jy"], written=[Path("o/\u202ea.pdf")]))
    err = capsys.readouterr().err
    assert "\x1b" not in err and "\u202e" not in err
    assert err.splitlines() == ["x\\x1b[2Jy", "wrote o/\\u202ea.pdf"]


def test_an_input_error_is_status_2_in_the_format_asked_for(capsys):
    def work() -> Done:
        raise ReportError("no such outline", Location("outlines/x.yaml", 3, 1))

    code = verify(Show("junit", strict=False, verbose=False), work)
    out, err = capsys.readouterr()
    assert code == 2
    assert err.strip() == "outlines/x.yaml:3:1: no such outline"
    [error] = ET.fromstring(out).iter("error")
    assert "no such outline" in error.get("message")


def test_a_bug_is_status_70_never_a_verdict(capsys):
    def work() -> Done:
        raise ZeroDivisionError("boom")

    code = verify(Show("json", strict=False, verbose=False), work)
    out, err = capsys.readouterr()
    assert code == 70
    assert "internal error (ZeroDivisionError: boom)" in err
    assert out == ""  # JSON says nothing rather than something that parses as a result


class _Audited:
    """What render_audit reads of a draft's audit (report.audit.Audited)."""

    def notices(self) -> list[str]:
        return ["d\u202ex.docx: 1 quotation, 1 audited"]

    def summary_json(self) -> dict[str, object]:
        return {"file": "d\u202ex.docx", "quotations": 1}


@pytest.mark.parametrize("fmt", ["text", "json", "junit"])
def test_an_audit_says_the_drafts_facts_inert(fmt):
    run = Run([h.verified()], draft=True)
    text, notices = render_audit(run, fmt, False, _Audited())
    assert "\u202e" not in text
    if fmt == "json":  # the facts beside the findings, as they are once parsed
        assert json.loads(text)["draft"] == _Audited().summary_json() and notices == []
    elif fmt == "text":  # the notices before the findings
        assert text.splitlines()[0] == "d\\u202ex.docx: 1 quotation, 1 audited"
        assert notices == []
    else:  # said elsewhere (report.cli_runner puts them on stderr, inert)
        assert notices == _Audited().notices()


def _receiver():
    got = {}

    @click.command()
    @findings_options
    @watch_options("Again on every change.")
    @corpus_options
    def command(**kwargs):
        got.update(kwargs)

    return command, got


def test_the_bundles_reach_the_command_as_one_value_each():
    command, got = _receiver()
    args = ["--format", "sarif", "--strict", "--corpus", "c", "--no-cache", "--watch"]
    result = CliRunner().invoke(command, args, env={"REPORT_DATABASE_URL": ""})
    assert result.exit_code == 0, result.output
    assert got == {
        "show": Show("sarif", strict=True, verbose=False),
        "watch": 0.5,
        "reading": Reading(Path("c"), None, use_cache=False, database=None),
    }


def test_the_bundles_defaults():
    command, got = _receiver()
    result = CliRunner().invoke(
        command, [], env={"REPORT_DATABASE_URL": "", "REPORT_CACHE_DIR": ""}
    )
    assert result.exit_code == 0, result.output
    assert got["show"] == TEXT and got["watch"] is None
    assert got["reading"].kwargs() == {
        "corpus_dir": None, "cache_dir": None, "use_cache": True, "database": None,
    }  # fmt: skip


def test_the_bundles_keep_their_options_in_help():
    command, _ = _receiver()
    shown = CliRunner().invoke(command, ["--help"]).output
    order = ["--format", "--strict", "-v, --verbose", "--watch", "--corpus", "--cache-dir",
             "--no-cache", "--database"]  # fmt: skip
    assert [shown.index(o) for o in order] == sorted(shown.index(o) for o in order)
    assert "--interval" not in shown  # hidden
