"""Watching: a change to an outline, a source or a template runs the check again, once per
change; `report check --watch` prints fresh findings after an edit."""

from __future__ import annotations

import contextlib
import os
import queue
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from report.watch import snapshot, watch, watched_paths
from tests.conftest import ROOT, copy_sample_project


@pytest.fixture
def project(tmp_path):
    """A copy of the sample project: outlines/, corpus/, templates/."""
    copy_sample_project(tmp_path, "brief.yaml")
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "brief.css").write_text("body {}")
    return tmp_path


def scripted(actions: dict[int, Callable[[], None]]) -> Callable[[float], None]:
    """A stand-in for time.sleep that performs actions[n] at the n-th poll (1-based)."""
    polls = 0

    def sleep(_seconds: float) -> None:
        nonlocal polls
        polls += 1
        if polls in actions:
            actions[polls]()

    return sleep


def touch(path: Path, text: str) -> Callable[[], None]:
    return lambda: path.write_text(text, encoding="utf-8")


def test_watched_paths_cover_outline_corpus_and_templates(project):
    outline = project / "outlines" / "brief.yaml"
    roots = {p.resolve() for p in watched_paths([outline])}
    assert {outline.resolve(), (project / "corpus").resolve()} <= roots
    assert (project / "templates").resolve() in roots
    files = snapshot(watched_paths([outline]))
    assert (project / "corpus" / "sources.yaml").resolve() in {f.resolve() for f in files}


@pytest.mark.parametrize(
    "changed", ["outlines/brief.yaml", "corpus/sources.yaml", "corpus/004_d18f45208089c0a8.txt",
                "templates/brief.css", "corpus/new-source.txt"],
)  # fmt: skip
def test_each_kind_of_input_triggers_one_run(project, changed):
    path = project / changed
    calls: list[list[Path]] = []
    outline = project / "outlines" / "brief.yaml"
    runs = watch(
        lambda: watched_paths([outline]),
        calls.append,
        interval=0,
        max_polls=6,
        sleep=scripted({2: touch(path, "changed\n")}),
    )
    assert runs == 1
    assert [p.resolve() for p in calls[0]] == [path.resolve()]


def test_nothing_changed_nothing_runs(project):
    outline = project / "outlines" / "brief.yaml"
    calls: list[list[Path]] = []
    runs = watch(lambda: [outline], calls.append, interval=0, max_polls=5, sleep=scripted({}))
    assert runs == 0
    assert calls == []


def test_a_change_in_several_steps_runs_once_it_settles(project):
    outline = project / "outlines" / "brief.yaml"
    calls: list[list[Path]] = []
    steps = {2: touch(outline, "title: a\n"), 3: touch(outline, "title: ab\n")}
    runs = watch(lambda: [outline], calls.append, interval=0, max_polls=8, sleep=scripted(steps))
    assert runs == 1


def test_two_separate_changes_run_twice(project):
    outline = project / "outlines" / "brief.yaml"
    steps = {2: touch(outline, "title: a\n"), 6: touch(outline, "title: abc\n")}
    calls: list[list[Path]] = []
    runs = watch(lambda: [outline], calls.append, interval=0, max_polls=10, sleep=scripted(steps))
    assert runs == 2


def read_until(lines: queue.Queue, needle: str, timeout: float = 30) -> str:
    seen = []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            line = lines.get(timeout=deadline - time.monotonic())
        except queue.Empty:
            break
        seen.append(line)
        if needle in line:
            return "".join(seen)
    raise AssertionError(f"{needle!r} not printed; got:\n{''.join(seen)}")


@contextlib.contextmanager
def watching(project: Path, *args: str | Path) -> Iterator[tuple[subprocess.Popen, queue.Queue]]:
    """`report ARGS --watch` running in `project`, with its output lines in a queue."""
    env = dict(os.environ, PYTHONPATH=str(ROOT), NO_COLOR="1", PYTHONUNBUFFERED="1")
    proc = subprocess.Popen(
        [sys.executable, "-m", "report", *map(str, args), "--watch", "--interval", "0.05"],
        cwd=project,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    lines: queue.Queue[str] = queue.Queue()
    reader = threading.Thread(target=lambda: [lines.put(x) for x in proc.stdout], daemon=True)
    reader.start()
    try:
        yield proc, lines
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_check_watch_reports_again_after_an_edit(project):
    outline = project / "outlines" / "brief.yaml"
    with watching(project, "check", outline) as (proc, lines):
        first = read_until(lines, "for changes")
        assert "21 quotes: 21 verified" in first
        assert "watching 7 files" in first  # outline, sources.yaml, 4 texts, 1 template
        text = outline.read_text(encoding="utf-8")
        outline.write_text(text.replace("junior partner", "senior partner"), encoding="utf-8")
        second = read_until(lines, "quotes:")
        assert "changed: outlines/brief.yaml" in second
        assert "misquote: not found in cnbc-2021" in second
        assert "21 quotes: 20 verified, 1 misquote" in second
        outline.write_text("title: [unclosed\n", encoding="utf-8")  # an input error: keep watching
        read_until(lines, "invalid YAML")
        outline.write_text(text, encoding="utf-8")
        assert "21 quotes: 21 verified" in read_until(lines, "quotes:")
        assert proc.poll() is None


def test_build_watch_rebuilds_after_an_edit_and_writes_nothing_on_a_misquote(project):
    outline = project / "outlines" / "brief.yaml"
    out = project / "out"
    shutil.copytree(ROOT / "templates", project / "templates", dirs_exist_ok=True)
    with watching(project, "build", outline, "-o", out) as (proc, lines):
        first = read_until(lines, "for changes", timeout=60)
        assert "wrote" in first and (out / "brief.pdf").exists()
        built_once = (out / "brief.pdf").stat().st_mtime_ns
        text = outline.read_text(encoding="utf-8")
        outline.write_text(text.replace("junior partner", "senior partner"), encoding="utf-8")
        second = read_until(lines, "nothing written", timeout=60)
        assert "misquote: not found in cnbc-2021" in second
        assert (out / "brief.pdf").stat().st_mtime_ns == built_once  # the old brief stays
        outline.write_text(text.replace("Solidarity Without", "Solidarity Short of"), "utf-8")
        read_until(lines, "wrote", timeout=60)
        assert (out / "brief.pdf").stat().st_mtime_ns != built_once
        assert proc.poll() is None


def test_watched_paths_follow_the_corpus_option(project, tmp_path):
    """`--watch --corpus C` watches C, not the corpus the outline would find by itself."""
    outline = project / "outlines" / "brief.yaml"
    other = tmp_path / "other-corpus"
    other.mkdir()
    roots = {p.resolve() for p in watched_paths([outline], other)}
    assert other.resolve() in roots and (project / "corpus").resolve() not in roots
