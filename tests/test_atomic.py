"""report.atomic: an output file is wholly the old one or wholly the new one, and an
interrupted build (exception, Ctrl-C, kill) leaves no temporary file behind."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from report import atomic
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


# -- the outputs are one set: all old or all new ---------------------------------------------


@pytest.fixture
def three(tmp_path: Path) -> dict[Path, bytes]:
    """The PDF, Word file and ledger of an earlier build."""
    names = ("brief.pdf", "brief.docx", "brief.quotes.json")
    files = {tmp_path / name: b"old " + name.encode() for name in names}
    for path, data in files.items():
        path.write_bytes(data)
    return files


def _fails_on(name: str, real):
    def replace(temp: Path, target: Path):
        if target.name == name:
            raise OSError(5, "injected failure", str(target))
        return real(temp, target)

    return replace


@pytest.mark.parametrize("how", ["exchange", "hard link", "rename aside"])
def test_a_failed_rename_mid_swap_puts_back_the_old_set(
    three: dict[Path, bytes], monkeypatch: pytest.MonkeyPatch, how: str
) -> None:
    if how != "exchange":
        monkeypatch.setattr(atomic, "exchange", lambda a, b: False)
    if how == "rename aside":

        def no_links(*args, **kwargs):
            raise OSError(1, "hard links not allowed")

        monkeypatch.setattr(atomic.os, "link", no_links)
    monkeypatch.setattr(atomic, "_replace", _fails_on("brief.quotes.json", atomic._replace))
    folder = next(iter(three)).parent
    with pytest.raises(OSError, match="injected"), staged({p: b"new" for p in three}):
        pass
    _unchanged(three)
    assert _temps(folder) == []


@pytest.mark.parametrize("how", ["exchange", "hard link", "rename aside"])
def test_every_way_of_swapping_replaces_the_whole_set(
    three: dict[Path, bytes], monkeypatch: pytest.MonkeyPatch, how: str, tmp_path: Path
) -> None:
    if how != "exchange":
        monkeypatch.setattr(atomic, "exchange", lambda a, b: False)
    if how == "rename aside":
        monkeypatch.setattr(atomic.os, "link", lambda *a, **k: (_ for _ in ()).throw(OSError(1)))
    new = {path: b"new " + data for path, data in three.items()}
    new[tmp_path / "brief.extra"] = b"a file that was not there"
    write = dict(new)
    with staged(write):
        pass
    _unchanged(new)
    assert _temps(tmp_path) == []


def test_renameat2_exchange_is_used_where_linux_has_it(tmp_path: Path) -> None:
    a, b = tmp_path / "a", tmp_path / "b"
    a.write_bytes(b"A")
    b.write_bytes(b"B")
    if not atomic.exchange(a, b):
        pytest.skip("no renameat2(RENAME_EXCHANGE) here")
    assert (a.read_bytes(), b.read_bytes()) == (b"B", b"A")


def test_a_folder_in_the_way_stops_the_build_before_anything_is_replaced(
    three: dict[Path, bytes],
) -> None:
    folder = next(iter(three)).parent
    docx = folder / "brief.docx"
    docx.unlink()
    docx.mkdir()
    with pytest.raises(IsADirectoryError) as raised, staged({p: b"new" for p in three}):
        pytest.fail("the block must not run")
    assert raised.value.filename == str(docx)
    _unchanged({p: d for p, d in three.items() if p != docx})
    assert _temps(folder) == []


SWAP_CHILD = """
import signal, sys, time
from pathlib import Path
from report import atomic
# As CHILD: SIGINT as on a terminal, even if the suite was started with it ignored (a
# background job of a shell without job control), which the child would inherit.
signal.signal(signal.SIGINT, signal.default_int_handler)
folder = Path(sys.argv[1])
real = atomic._replace
def slow(temp, target):
    done = real(temp, target)
    if target.name == "brief.pdf":
        print("swapping", flush=True)
        sys.stdin.readline()  # the parent writes a line once it has sent its signal
    return done
atomic._replace = slow
names = ("brief.pdf", "brief.docx", "brief.quotes.json")
with atomic.staged({folder / name: b"new " + name.encode() for name in names}):
    pass
print("swapped", flush=True)
time.sleep(60)
"""


def _killed_mid_swap(folder: Path, sig: signal.Signals) -> tuple[int, str]:
    """A build that pauses after renaming its PDF into place, and `sig` sent then."""
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    proc = subprocess.Popen(
        [sys.executable, "-c", SWAP_CHILD, str(folder)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    assert proc.stdin is not None and proc.stdout is not None
    assert proc.stdout.readline().strip() == "swapping"
    proc.send_signal(sig)  # pending before the line below lets the child go on
    with contextlib.suppress(BrokenPipeError):  # SIGKILL: the child may be gone
        proc.stdin.write("go\n")
        proc.stdin.flush()
    out, _ = proc.communicate(timeout=30)
    return proc.returncode, out


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_a_signal_mid_swap_waits_for_the_whole_set(
    three: dict[Path, bytes], sig: signal.Signals
) -> None:
    folder = next(iter(three)).parent
    code, out = _killed_mid_swap(folder, sig)
    assert code != 0 and "swapped" not in out  # it was interrupted, after the swap
    _unchanged({path: b"new " + data.removeprefix(b"old ") for path, data in three.items()})
    assert _temps(folder) == []


def test_sigkill_mid_swap_leaves_whole_files_and_the_next_build_sweeps(
    three: dict[Path, bytes],
) -> None:
    """The one case the swap cannot cover: each file is whole, old or new, and the ledger's
    sha256 of the PDF and Word file tells a mixed set (tests/test_hostile_render.py)."""
    folder = next(iter(three)).parent
    assert _killed_mid_swap(folder, signal.SIGKILL)[0] == -signal.SIGKILL
    for path, data in three.items():
        assert path.read_bytes() in (data, b"new " + data.removeprefix(b"old "))
    leftovers = _temps(folder)
    assert leftovers and all(name.startswith(".brief.") for name in leftovers)
    old = time.time() - STALE_AFTER - 60
    for name in leftovers:
        os.utime(folder / name, (old, old))
    with staged({path: b"next" for path in three}):
        pass
    assert _temps(folder) == []


def test_the_manual_says_when_a_later_build_removes_temporary_files() -> None:
    safety = (ROOT / "docs" / "safety.md").read_text(encoding="utf-8")
    assert f"{STALE_AFTER // 60} minutes" in safety
