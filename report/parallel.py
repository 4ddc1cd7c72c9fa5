"""Jobs -> their results, on every core when there are enough of them.

Worker processes are forked, so they share the parent's state as it was at the fork (the
outlines, compiled quotes, the corpus): only the jobs and their results are pickled. A
connection to a cache or index file must not cross a fork; report.cache and report.index
open their own in each process (`inherited` keeps the parent's from being closed there).
Where fork is not available (Windows), or with one core, the jobs run in this process.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
from collections.abc import Callable, Iterator, Sequence
from typing import TypeVar

J = TypeVar("J")
R = TypeVar("R")

MAX_WORKERS = 4  # beyond this, reading the cache and pickling results cost more than they save


class WorkerDied(RuntimeError):
    """A worker process ended without a result (killed, or out of memory)."""


def workers() -> int:
    """How many processes `forked_map` would use (1: it runs in this process)."""
    import multiprocessing  # imported when needed: it costs a short run a fifth of its time

    if "fork" not in multiprocessing.get_all_start_methods():
        return 1
    try:
        cores = len(os.sched_getaffinity(0))  # the cores this process may use
    except AttributeError:  # not on every platform
        cores = os.cpu_count() or 1
    return max(1, min(cores, MAX_WORKERS))


def forked_map(
    fn: Callable[[J], R], jobs: Sequence[J], parallel: bool = True, chunksize: int = 1
) -> Iterator[R]:
    """fn(job) for every job, in order; in forked workers when `parallel` and there is
    more than one job and one core. `fn` must be a module-level function. A worker that
    dies raises WorkerDied here (multiprocessing.Pool would wait for it forever)."""
    n = workers() if parallel else 1
    if n < 2 or len(jobs) < 2:
        yield from map(fn, jobs)
        return
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    context = multiprocessing.get_context("fork")
    global _parent_pid
    _parent_pid = os.getpid()
    with ProcessPoolExecutor(min(n, len(jobs)), context, initializer=_quiet) as pool:
        try:
            yield from pool.map(fn, jobs, chunksize=chunksize)
        except BrokenProcessPool:
            raise WorkerDied(
                "a worker process ended without its results (killed, or out of memory)"
            ) from None


_inherited: list[object] = []


def inherited(connection: object) -> None:
    """Keep a connection this process inherited from its parent: closing it here (as
    garbage collection would) could release locks the parent still relies on."""
    _inherited.append(connection)


def _quiet() -> None:
    """A worker leaves Ctrl-C to the parent (which stops the pool on its way out) rather
    than print a traceback of its own; the pool's SIGTERM ends it without one."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    _die_with_parent()


_parent_pid = 0  # the process that forks the workers


def _die_with_parent() -> None:
    """A worker whose parent is killed (SIGKILL, out of memory) ends too, on Linux, rather
    than wait for jobs forever, holding what it inherited open (a database connection: the
    server would keep the parent's session, and `report ingest`'s lock, alive)."""
    if not sys.platform.startswith("linux"):
        return
    import ctypes

    with contextlib.suppress(OSError, AttributeError):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)
    if os.getppid() != _parent_pid:  # the parent died before prctl took effect
        os._exit(1)


_PR_SET_PDEATHSIG = 1
