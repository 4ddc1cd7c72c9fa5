"""A reader function x untrusted bytes -> its result, computed in a child process that cannot
take more than a set memory and CPU time.

The PDF reader runs a C library (PDFium) over bytes anyone may have written: a 2 MB file
can inflate to gigabytes, a 40 KB one can hold a million glyphs. Sizes can be checked before
reading, but what a stream inflates to is only known once it is inflated, so the reading
itself is fenced: it runs in a forked child whose address space and CPU time are limited by
the kernel (`setrlimit`), and whose only way back is a JSON document on a pipe (no pickle:
a child that a hostile file took over could not make the parent run code). Where there is
no `fork` (not Linux or macOS), the function runs in this process, unfenced.
"""

from __future__ import annotations

import faulthandler
import json
import os
import signal
from collections.abc import Callable
from typing import Any

from report.errors import CorpusError, Location

MEMORY_LIMIT = 1024 * 1024 * 1024  # address space a reader may add to this process's
CPU_SECONDS = 60  # of CPU time a reader may take for one file
# The limits can be lowered (or raised) for one run: REPORT_READER_MEMORY_MB and
# REPORT_READER_CPU_SECONDS.
_FAILED = 3  # the child's exit status when the function raised


class ReaderLimit(CorpusError):
    """A file needs more memory or time to read than a reader may take."""


def run_bounded(func: Callable[..., Any], *args: Any, shown: str) -> Any:
    """`func(*args)` computed in a fenced child; its result must be JSON data. A CorpusError
    the function raises is raised here again (message and location); running out of the
    limits is a ReaderLimit naming the file."""
    memory = _setting("REPORT_READER_MEMORY_MB", MEMORY_LIMIT // 2**20) * 2**20
    cpu_seconds = _setting("REPORT_READER_CPU_SECONDS", CPU_SECONDS)
    if not hasattr(os, "fork") or os.environ.get("REPORT_UNFENCED_READERS") == "1":
        return func(*args)
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: limit, compute, send, and leave without running any cleanup
        status = 0
        try:
            os.close(read_end)
            faulthandler.disable()  # an abort here is reported by the parent, not dumped
            _limit(memory, cpu_seconds)
            try:
                payload = {"ok": func(*args)}
            except CorpusError as exc:
                loc = exc.location
                payload = {"error": exc.message, "location": _location_state(loc)}
            except MemoryError:
                status = _FAILED
                payload = {"limit": "memory"}
            except Exception as exc:  # a bug, not the file's fault: the parent raises it
                payload = {"crash": f"{type(exc).__name__}: {exc}"}
            data = json.dumps(payload, separators=(",", ":")).encode("utf-8")
            with os.fdopen(write_end, "wb") as out:
                out.write(data)
        except BaseException:
            status = _FAILED
        finally:
            os._exit(status)
    os.close(write_end)
    try:
        with os.fdopen(read_end, "rb") as pipe:
            data = pipe.read()
    finally:
        _, wait_status = os.waitpid(pid, 0)
    if os.WIFSIGNALED(wait_status):
        sig = os.WTERMSIG(wait_status)
        if sig == signal.SIGABRT:  # PDFium aborts when an allocation fails
            raise ReaderLimit(
                f"reading this file needs more than {memory // (1024 * 1024)} MB of memory "
                "(or the file is damaged); it is not read",
                Location(shown),
            )
        if sig in (signal.SIGXCPU, signal.SIGKILL):
            raise ReaderLimit(
                f"reading this file takes more than {cpu_seconds} s of CPU time; "
                "it is not read (a damaged or hostile file?)",
                Location(shown),
            )
        raise ReaderLimit(
            f"the reader stopped on this file ({signal.Signals(sig).name}); it is not read",
            Location(shown),
        )
    try:
        payload = json.loads(data) if data else {"limit": "memory"}
    except ValueError:
        payload = {"limit": "memory"}  # cut short: it ran out while writing
    if "ok" in payload:
        return payload["ok"]
    if "error" in payload:
        raise CorpusError(payload["error"], _location(payload.get("location"), shown))
    if "crash" in payload:
        raise RuntimeError(f"reading {shown} failed: {payload['crash']}")
    raise ReaderLimit(
        f"reading this file needs more than {memory // (1024 * 1024)} MB of memory; "
        "it is not read (a damaged or hostile file?)",
        Location(shown),
    )


def _setting(name: str, default: int) -> int:
    try:
        value = int(os.environ.get(name, ""))
    except ValueError:
        return default
    return value if value > 0 else default


def _limit(memory: int, cpu_seconds: int) -> None:
    import resource

    # The child starts with the parent's address space: the limit is what it may add.
    used = _address_space()
    for kind, amount in ((resource.RLIMIT_AS, used + memory), (resource.RLIMIT_CPU, cpu_seconds)):
        _soft, hard = resource.getrlimit(kind)
        if hard != resource.RLIM_INFINITY:
            amount = min(amount, hard)
        resource.setrlimit(kind, (amount, hard))
    # SIGXCPU at the soft limit kills the child (its default action), as SIGKILL would.
    signal.signal(signal.SIGXCPU, signal.SIG_DFL)


def _address_space() -> int:
    try:
        with open("/proc/self/statm", "rb") as f:
            return int(f.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return 0


def _location_state(loc: Location | None) -> list | None:
    if loc is None:
        return None
    return [loc.file, loc.line, loc.column, loc.page, loc.unit]


def _location(state: list | None, shown: str) -> Location:
    if not state:
        return Location(shown)
    file, line, column, page, unit = state
    return Location(str(file), int(line), int(column), int(page), str(unit))
