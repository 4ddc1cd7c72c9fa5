"""Bytes -> a file that is either wholly the new content or wholly the old one.

Each output is written to a temporary file in the target folder, flushed to disk, and
renamed into place (rename is atomic within one file system). Several outputs of one build
are all prepared first and only then renamed, so a build that fails or is interrupted
half-way leaves the previous files and no temporary ones.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path


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
        for target, data in outputs.items():
            target.parent.mkdir(parents=True, exist_ok=True)
            fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
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
    finally:  # also runs on KeyboardInterrupt / SystemExit
        for temp in temps.values():
            with contextlib.suppress(FileNotFoundError):
                temp.unlink()
