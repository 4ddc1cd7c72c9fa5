"""Bytes -> a file that is either wholly the new content or wholly the old one.

Each output is written to a temporary file in the target folder, flushed to disk, and
renamed into place (rename is atomic within one file system). Several outputs of one build
are all prepared first and only then renamed, so a build that fails or is interrupted
half-way leaves the previous files and no temporary ones.
"""

from __future__ import annotations

import contextlib
import glob
import os
import signal
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path

TEMP_SUFFIX = ".tmp"
STALE_AFTER = 600  # seconds


def write_atomic(path: Path, data: bytes) -> None:
    """Write one file atomically."""
    with staged({path: data}):
        pass


@contextlib.contextmanager
def staged(outputs: dict[Path, bytes]) -> Iterator[None]:
    """Write every output to a temporary file beside its target; on leaving the block
    without an exception, rename them all into place; otherwise remove them."""
    temps: dict[Path, Path] = {}
    try:
        with _terminate_interrupts():
            for target, data in outputs.items():
                target.parent.mkdir(parents=True, exist_ok=True)
                _sweep(target)
                fd, name = tempfile.mkstemp(
                    prefix=f".{target.name}.", suffix=TEMP_SUFFIX, dir=target.parent
                )
                temps[target] = Path(name)
                with os.fdopen(fd, "wb") as fh:
                    fh.write(data)
                    fh.flush()
                    os.fsync(fh.fileno())
                os.chmod(name, 0o644)
            yield
            for target, temp in temps.items():
                os.replace(temp, target)
            temps.clear()
    finally:  # also runs on KeyboardInterrupt / SystemExit (and SIGTERM, see below)
        for temp in temps.values():
            with contextlib.suppress(FileNotFoundError):
                temp.unlink()


def _sweep(target: Path) -> None:
    """Remove temporary files that a build killed outright (SIGKILL, power loss) left
    beside `target`; nothing can clean up after those but the next build."""
    # Only old ones: a fresh one may belong to a build running beside this one.
    cutoff = time.time() - STALE_AFTER
    for stale in target.parent.glob(f".{glob.escape(target.name)}.*{TEMP_SUFFIX}"):
        with contextlib.suppress(OSError):
            if stale.stat().st_mtime < cutoff:
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
