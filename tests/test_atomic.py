"""report.atomic: an output file is wholly the old one or wholly the new one, and an
interrupted build (exception, Ctrl-C, kill) leaves no temporary file behind."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from report.atomic import STALE_AFTER, staged, write_atomic
from tests.conftest import ROOT


def _temps(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


@pytest.fixture
def previous(tmp_path: Path) -> dict[Path, bytes]:
    """Two outputs of an earlier build."""
    files = {tmp_path / "brief.pdf": b"%PDF old", tmp_path / "brief.docx": b"PK old"}
    for path, data in files.items():
        path.write_bytes(data)
    return files


def _unchanged(files: dict[Path, bytes]) -> None:
    for path, data in files.items():
        assert path.read_bytes() == data


def test_write_atomic_replaces_content_and_leaves_no_temp(tmp_path: Path) -> None:
    target = tmp_path / "sub" / "brief.pdf"
    write_atomic(target, b"first")
    write_atomic(target, b"second")
    assert target.read_bytes() == b"second"
    assert target.stat().st_mode & 0o777 == 0o644
    assert _temps(target.parent) == []


def test_staged_renames_only_when_the_block_succeeds(previous: dict[Path, bytes]) -> None:
    new = {path: b"new " + data for path, data in previous.items()}
    folder = next(iter(previous)).parent
    with staged(new):
        _unchanged(previous)  # nothing is visible before the block ends
        assert len(_temps(folder)) == 2
    _unchanged(new)
    assert _temps(folder) == []


@pytest.mark.parametrize("raised", [RuntimeError, KeyboardInterrupt, SystemExit])
def test_exception_inside_the_block_keeps_previous_files(
    previous: dict[Path, bytes], raised: type[BaseException]
) -> None:
    folder = next(iter(previous)).parent
    with pytest.raises(raised), staged({p: b"half-made" for p in previous}):
        raise raised()
    _unchanged(previous)
    assert _temps(folder) == []


def test_failure_while_staging_removes_what_was_staged(
    previous: dict[Path, bytes], tmp_path: Path
) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where a folder should be")
    outputs = {**{p: b"new" for p in previous}, blocker / "brief.pdf": b"new"}
    with pytest.raises(OSError), staged(outputs):
        pytest.fail("the block must not run when staging fails")
    _unchanged(previous)
    assert _temps(tmp_path) == []


CHILD = """
import signal, sys, time
from pathlib import Path
from report.atomic import staged
# Ctrl-C as on a terminal, even when the suite itself was started with SIGINT ignored
# (`nohup make test &`), which the child would inherit.
signal.signal(signal.SIGINT, signal.default_int_handler)
folder = Path(sys.argv[1])
outputs = {folder / "brief.pdf": b"new" * 1_000_000, folder / "brief.docx": b"new"}
with staged(outputs):
    print("staged", flush=True)
    time.sleep(60)
"""


def _killed_child(folder: Path, sig: signal.Signals) -> int:
    """Run a build that stages its outputs, and send `sig` while it holds them."""
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    proc = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(folder)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    assert proc.stdout is not None
    assert proc.stdout.readline().strip() == "staged"
    assert len(_temps(folder)) == 2  # the temporary files exist at this moment
    proc.send_signal(sig)
    proc.communicate(timeout=30)
    return proc.returncode


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_interrupted_process_keeps_previous_files_and_no_temp(
    previous: dict[Path, bytes], sig: signal.Signals
) -> None:
    folder = next(iter(previous)).parent
    code = _killed_child(folder, sig)
    assert code != 0
    _unchanged(previous)
    assert _temps(folder) == []


def test_sigkill_keeps_previous_files_and_the_next_build_sweeps_its_temps(
    previous: dict[Path, bytes],
) -> None:
    folder = next(iter(previous)).parent
    assert _killed_child(folder, signal.SIGKILL) == -signal.SIGKILL
    _unchanged(previous)
    leftovers = _temps(folder)
    assert leftovers and all(name.startswith(".brief.") for name in leftovers)  # hidden
    old = time.time() - STALE_AFTER - 60
    for name in leftovers:
        os.utime(folder / name, (old, old))
    write_atomic(folder / "brief.pdf", b"next build")
    write_atomic(folder / "brief.docx", b"next build")
    assert _temps(folder) == []


def test_fresh_temps_of_a_concurrent_build_are_left_alone(tmp_path: Path) -> None:
    other = tmp_path / ".brief.pdf.abc123.tmp"
    other.write_bytes(b"another build is writing this")
    write_atomic(tmp_path / "brief.pdf", b"mine")
    assert other.exists()
