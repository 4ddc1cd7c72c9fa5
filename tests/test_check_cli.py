"""`report check` end to end on the seed corpus: exit statuses and what is printed."""

from __future__ import annotations

import json

import pytest

from tests.conftest import CORPUS, SAMPLE


def test_sample_outline_checks_clean(report_cli):
    result = report_cli("check", SAMPLE)
    assert result.code == 0, result.out + result.err
    assert "verified" in result.out.splitlines()[-1]


def test_json_format_has_one_object_per_quote(invoke):
    result = invoke("check", SAMPLE, "--format", "json")
    doc = json.loads(result.out)
    assert doc["summary"]["quotes"] == len(doc["quotes"]) >= 15
    assert {q["status"] for q in doc["quotes"]} == {"verified", "cited"}  # cited: paraphrases
    first = doc["quotes"][0]
    assert first["outline"]["file"].endswith("xi-putin.yaml")
    assert first["location"]["line"] > 0


def test_ctrl_c_ends_with_status_130_not_the_status_of_a_misquote(monkeypatch, capsys):
    from report import cli

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr("report.pipeline.check", interrupted)  # cli imports it when run
    monkeypatch.setattr("sys.argv", ["report", "check", str(SAMPLE)])
    with pytest.raises(SystemExit) as raised:
        cli.main()
    assert raised.value.code == 130
    assert "interrupted" in capsys.readouterr().err


def test_corpus_option_serves_an_outline_kept_away_from_its_corpus(tmp_path, invoke):
    elsewhere = tmp_path / "drafts"
    elsewhere.mkdir()
    outline = elsewhere / SAMPLE.name
    outline.write_text(SAMPLE.read_text(encoding="utf-8"), encoding="utf-8")
    lost = invoke("check", outline)
    assert lost.code == 2
    assert f"{outline}:1:1: no corpus folder" in lost.err and "--corpus" in lost.err
    found = invoke("check", outline, "--corpus", CORPUS)
    assert found.code == 0
    assert found.out.splitlines()[-1] == "21 quotes: 21 verified; 3 paraphrases cited"


def test_a_reader_that_stops_early_does_not_change_the_exit_status(tmp_path):
    """`report check ... | head -1` under `set -o pipefail` (GitHub's bash): the status is
    still the check's, 0 here, not click's 1 for a broken pipe, and no traceback."""
    import os
    import subprocess
    import sys

    from tests.conftest import ROOT

    read, write = os.pipe()
    os.close(read)  # nobody reads: the first write breaks the pipe
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    proc = subprocess.Popen(
        [sys.executable, "-m", "report", "check", str(SAMPLE), "-v"],
        stdout=write, stderr=subprocess.PIPE, cwd=ROOT, env=env,
    )  # fmt: skip
    os.close(write)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 0 and b"Traceback" not in err and b"Exception" not in err


def test_a_dead_worker_still_gets_its_ci_report(monkeypatch):
    """A worker killed mid-run (out of memory) is exit 2 with a JUnit report saying so, not
    an empty file for CI to upload."""
    import xml.etree.ElementTree as ET

    from click.testing import CliRunner

    from report import cli
    from report.parallel import WorkerDied

    def killed(*args, **kwargs):
        raise WorkerDied("a worker process ended without its results")

    monkeypatch.setattr("report.pipeline.check", killed)  # cli imports it when run
    result = CliRunner().invoke(cli.cli, ["check", str(SAMPLE), "--format", "junit"])
    assert result.exit_code == 2
    [error] = ET.fromstring(result.stdout).iter("error")
    assert "worker process ended" in error.get("message")
