"""The progress display: the pipeline reports its stages; the bar is drawn on stderr only
on a terminal, never in CI, and only once a run has taken a while."""

from __future__ import annotations

import io

from report import cli_runner
from report.pipeline import check
from tests.conftest import SAMPLE


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_pipeline_reports_each_stage():
    calls: list[tuple[str, int, int]] = []
    check([SAMPLE], progress=lambda *call: calls.append(call))
    assert ("reading outlines", 1, 1) in calls
    sources = [c for c in calls if c[0] == "reading sources"]
    assert [c[1] for c in sources] == [1, 2, 3, 4] and {c[2] for c in sources} == {4}


def test_no_bar_in_ci_or_when_piped(monkeypatch):
    monkeypatch.setattr("sys.stderr", Terminal())
    monkeypatch.setenv("CI", "true")
    assert cli_runner.progress_bar() is None
    monkeypatch.delenv("CI")
    assert cli_runner.progress_bar() is not None
    monkeypatch.setattr("sys.stderr", io.StringIO())
    assert cli_runner.progress_bar() is None


def test_bar_is_drawn_on_stderr_for_a_long_run(monkeypatch):
    terminal = Terminal()
    monkeypatch.setattr("sys.stderr", terminal)
    bar = cli_runner.ProgressBar()
    bar.DELAY = 0  # as if the run had already taken long
    for done in range(1, 5):
        bar("reading sources", done, 4)
    assert "reading sources" in terminal.getvalue()
    assert "100%" in terminal.getvalue()


def test_short_runs_stay_quiet(monkeypatch):
    terminal = Terminal()
    monkeypatch.setattr("sys.stderr", terminal)
    bar = cli_runner.ProgressBar()
    for done in range(1, 5):
        bar("reading sources", done, 4)
    assert terminal.getvalue() == ""


def test_bar_follows_work_reported_in_steps_of_any_size(monkeypatch):
    """Workers report whole jobs of sources at once: 50, 100, 150 of 200 is 75%, not 26%."""
    terminal = Terminal()
    monkeypatch.setattr("sys.stderr", terminal)
    bar = cli_runner.ProgressBar()
    bar.DELAY = 0
    for done in (50, 100, 150):
        bar("reading sources", done, 200)
    assert bar.bar is not None and bar.bar.pos == 150
    bar("reading sources", 200, 200)
    assert "100%" in terminal.getvalue()
