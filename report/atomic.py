"""Bytes -> files that are, as a set, either all the new content or all the old one.

Each output is written to a hidden temporary file beside its target (`.NAME.XXXX.tmp`, same
folder, so the same file system) and flushed to disk; only when every output is ready are
they swapped into place, one rename each:

- where Linux's `renameat2(RENAME_EXCHANGE)` works, each new file is exchanged with the old
  one in one step, so the old file stays at hand under the temporary name;
- elsewhere the old file is first hard-linked to a hidden backup name, then the new one
  renamed over it (or, where hard links are not allowed, the old file renamed aside first).

If a rename fails (a folder in the way, a full disk, permissions), the renames already done
are undone, so the previous set stays as it was. Ctrl-C and SIGTERM wait until the swap is
over (it is a few renames). Only a SIGKILL or a power cut in the middle of the swap itself
can leave some new files beside some old ones; each file is still whole, and the quote
ledger records the sha256 of the PDF and Word file it was built with, so `report check
--ledger` reports such a set. Temporary files that a killed build left behind are removed by
a later build once they are 10 minutes old: a younger one may be another build's, still
running.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import errno
import glob
import os
import signal
import stat
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path

TEMP_SUFFIX = ".tmp"
STALE_AFTER = 600  # seconds: a build takes seconds; ten minutes leave a wide margin
_HELD = tuple(
    getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP") if hasattr(signal, name)
)


def write_atomic(path: Path, data: bytes) -> None:
    """Write one file atomically."""
    with staged({path: data}):
        pass


@contextlib.contextmanager
def staged(outputs: dict[Path, bytes]) -> Iterator[None]:
    """Write every output to a temporary file beside its target; on leaving the block
    without an exception, swap them all into place (all or none); otherwise remove them.
    A folder (or other non-file) where an output belongs is an IsADirectoryError or
    FileExistsError naming it, raised before anything is written."""
    temps: dict[Path, Path] = {}
    try:
        with _terminate_interrupts():
            for target in outputs:
                target.parent.mkdir(parents=True, exist_ok=True)
                _in_the_way(target)
            for target, data in outputs.items():
                _sweep(target)
                temps[target] = _write_temp(target, data)
            yield
            _swap(temps)
            temps.clear()
    finally:  # also runs on KeyboardInterrupt / SystemExit (and SIGTERM, see below)
        for temp in temps.values():
            with contextlib.suppress(FileNotFoundError):
                temp.unlink()


def _in_the_way(target: Path) -> None:
    try:
        mode = target.lstat().st_mode
    except FileNotFoundError:
        return
    if stat.S_ISDIR(mode):
        raise IsADirectoryError(errno.EISDIR, "a folder is in the way", str(target))
    if not (stat.S_ISREG(mode) or stat.S_ISLNK(mode)):
        raise FileExistsError(
            errno.EEXIST, "something other than a file is in the way", str(target)
        )


def _write_temp(target: Path, data: bytes) -> Path:
    fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=TEMP_SUFFIX, dir=target.parent)
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())
    os.chmod(name, 0o644)
    return Path(name)


# -- the swap ----------------------------------------------------------------------------


def _swap(temps: dict[Path, Path]) -> None:
    """Put every temporary file in its target's place; if one cannot be, undo the others.
    Interrupting signals are held meanwhile and take effect once the swap is over."""
    done: list[tuple[Path, Path, Path | None, str]] = []  # (target, temp, backup, how)
    with _signals_held():
        try:
            for target, temp in temps.items():
                done.append(_replace(temp, target))
        except BaseException:
            for step in reversed(done):
                with contextlib.suppress(OSError):
                    _undo(*step)
            raise
        for _target, temp, backup, _how in done:  # the old files, under hidden names now
            for old in (temp, backup):
                if old is not None:
                    with contextlib.suppress(FileNotFoundError):
                        old.unlink()
    for folder in {target.parent for target in temps}:
        _fsync_folder(folder)


def _replace(temp: Path, target: Path) -> tuple[Path, Path, Path | None, str]:
    """Rename `temp` to `target`, keeping the old target where `_undo` finds it."""
    try:
        mode = target.lstat().st_mode
    except FileNotFoundError:
        mode = 0
    if not (stat.S_ISREG(mode) or stat.S_ISLNK(mode)):
        os.replace(temp, target)  # nothing there (a folder that appeared since: an error)
        return target, temp, None, "new"
    if exchange(temp, target):
        return target, temp, None, "exchanged"  # the old file is at `temp` now
    backup = temp.with_name(temp.name.removesuffix(TEMP_SUFFIX) + ".old" + TEMP_SUFFIX)
    try:
        os.link(target, backup, follow_symlinks=False)
        aside = False
    except OSError:  # no hard links here: the old file goes aside (absent for a moment)
        os.replace(target, backup)
        aside = True
    try:
        os.replace(temp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            if aside:
                os.replace(backup, target)
            else:
                backup.unlink()
        raise
    return target, temp, backup, "backed up"


def _undo(target: Path, temp: Path, backup: Path | None, how: str) -> None:
    if how == "new":
        os.replace(target, temp)  # removed again, as it was absent
    elif how == "exchanged":
        exchange(temp, target)
    elif backup is not None:
        os.replace(backup, target)


_AT_FDCWD = -100
_RENAME_EXCHANGE = 2
_renameat2: object | None = None


def exchange(a: Path, b: Path) -> bool:
    """Swap two paths in one step (Linux renameat2 RENAME_EXCHANGE); False where the
    system or the file system cannot, so that the caller falls back."""
    global _renameat2
    if _renameat2 is None:
        _renameat2 = _load_renameat2() or False
    if not _renameat2:
        return False
    rc = _renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)  # type: ignore[operator]
    if rc == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP, errno.EOPNOTSUPP):
        return False
    raise OSError(err, os.strerror(err), str(b))


def _load_renameat2() -> object | None:
    if not sys.platform.startswith("linux"):
        return None
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        fn = libc.renameat2  # glibc 2.28 and later
    except (OSError, AttributeError):
        return None
    fn.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    fn.restype = ctypes.c_int
    return fn


def _fsync_folder(folder: Path) -> None:
    """Make the renames durable (a folder's entries are flushed separately from files)."""
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


# -- clean-up and signals ------------------------------------------------------------------


def _sweep(target: Path) -> None:
    """Remove temporary files that a build killed outright (SIGKILL, power loss) left
    beside `target`; nothing can clean up after those but the next build."""
    # Only old ones: a fresh one may belong to a build running beside this one.
    cutoff = time.time() - STALE_AFTER
    for stale in target.parent.glob(f".{glob.escape(target.name)}.*{TEMP_SUFFIX}"):
        with contextlib.suppress(OSError):
            if stale.lstat().st_mtime < cutoff:
                stale.unlink()


@contextlib.contextmanager
def _terminate_interrupts() -> Iterator[None]:
    """While staging, SIGTERM (`kill`, a CI job cancelled) interrupts like Ctrl-C, so that
    the temporary files are removed; by default it ends Python without any clean-up."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def interrupt(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


@contextlib.contextmanager
def _signals_held() -> Iterator[None]:
    """Ctrl-C, SIGTERM and SIGHUP received in the block are noted, not acted on; once it
    is over, the first one is raised again and handled as it would have been."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    received: list[int] = []

    def note(signum: int, frame: object) -> None:
        received.append(signum)

    previous = {sig: signal.signal(sig, note) for sig in _HELD}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        if received:  # as it would have been handled during the block
            signal.raise_signal(received[0])
