"""Big inputs and `report find` -> how long they take, against the bound each once had as a
test, and how that time grows with the input.

    python benchmarks/limits.py            # every case, best of 3 runs
    python benchmarks/limits.py --runs 1   # once each

The test suite checks these inputs (tests/test_hostile_inputs.py, tests/test_find.py) at
sizes that show the behaviour, and never times them: a test that fails when the machine is
busy says nothing about the code. Here each big case runs `report check` cold (a fresh
cache folder), at full size and at a tenth of it; the ratio of the two CPU times (which a
busy machine disturbs less than wall-clock time) shows whether the work grows in proportion
to the input (about 10x, less while start-up dominates) or faster. Timings are wall clock
and CPU (the process and the workers it waited for), best of --runs.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))

from tests.test_hostile_inputs import (  # noqa: E402
    Project,
    _big_source,
    _decomposed_source,
    _many_quotes,
    _unclosed_markup,
    make_project,
)


@dataclass(frozen=True)
class Limit:
    name: str
    full: Callable[[Project], object]
    tenth: Callable[[Project], object]
    bound: float  # seconds: the test's former time limit, on 2 cores
    code: int  # the exit status `report check` must end with


LIMITS = [
    Limit(
        "outline-10000-quotes",
        lambda p: _many_quotes(p, quotes=10_000, paras=2000),
        lambda p: _many_quotes(p, quotes=1000, paras=2000),
        30,
        0,
    ),
    Limit(
        "outline-10000-misquotes",
        lambda p: _many_quotes(p, wrong=" zzz", quotes=10_000, paras=2000),
        lambda p: _many_quotes(p, wrong=" zzz", quotes=1000, paras=2000),
        30,
        1,
    ),
    Limit("source-50-mb", lambda p: _big_source(p, mb=50), lambda p: _big_source(p, mb=5), 60, 0),
    Limit(
        "decomposed-unicode-source-4-mb",
        lambda p: _decomposed_source(p, repeats=100_000),
        lambda p: _decomposed_source(p, repeats=10_000),
        20,
        0,
    ),
    Limit(
        "unclosed-markup-1-mb-line",
        _unclosed_markup,
        lambda p: _unclosed_markup(p, repeats=3000),
        10,
        0,
    ),
]


@dataclass(frozen=True)
class Timing:
    wall: float
    cpu: float  # user + system, of `report` and the workers it waited for
    peak_mb: float  # the largest resident set of `report` or one of its workers


def run_check(folder: Path) -> tuple[int, Timing]:
    shutil.rmtree(folder / ".report-cache", ignore_errors=True)  # cold, as the test was
    env = dict(os.environ, PYTHONPATH=str(ROOT), NO_COLOR="1")
    env.pop("REPORT_CACHE_DIR", None)  # one set for the session would make the runs warm
    start = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-m", "report", "check", "outlines/x.yaml"],
        cwd=folder,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    cpu = usage.ru_utime + usage.ru_stime
    return proc.returncode, Timing(wall, cpu, usage.ru_maxrss / 1024)


def best_of(folder: Path, runs: int, code: int) -> Timing:
    timings = []
    for _ in range(runs):
        got, timing = run_check(folder)
        if got != code:
            raise SystemExit(f"{folder.name}: exit status {got}, expected {code}")
        timings.append(timing)
    return min(timings, key=lambda t: t.wall)


def bench_limit(limit: Limit, runs: int, scratch: Path) -> tuple[Timing, Timing]:
    timings = []
    for size, build in (("full", limit.full), ("tenth", limit.tenth)):
        folder = scratch / f"{limit.name}-{size}"
        build(make_project(folder))
        timings.append(best_of(folder, runs, limit.code))
        shutil.rmtree(folder)
    return timings[0], timings[1]


def bench_find(runs: int) -> float:
    """`report find`'s work after start-up, as the author types: read the corpus, search
    four times. Best of `runs`, in this process."""
    from report.corpus import load_corpus
    from report.passages import find_passages

    best = float("inf")
    for _ in range(runs):
        start = time.perf_counter()
        corpus = load_corpus(ROOT / "corpus")
        for words in ("military help", "pandemic disinformation", "warm embrace", "junior partner"):
            find_passages(words, corpus)
        best = min(best, time.perf_counter() - start)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=3, help="best of this many runs")
    args = parser.parse_args()
    cores = len(os.sched_getaffinity(0))
    print(f"report check, cold, best of {args.runs} ({cores} cores)\n")
    print(
        f"{'case':32} {'wall s':>7} {'cpu s':>7} {'peak MB':>8} {'bound s':>8}"
        f" {'tenth s':>8} {'cpu full/tenth':>14}"
    )
    with tempfile.TemporaryDirectory(prefix="report-limits-") as tmp:
        for limit in LIMITS:
            full, tenth = bench_limit(limit, args.runs, Path(tmp))
            print(
                f"{limit.name:32} {full.wall:7.2f} {full.cpu:7.2f} {full.peak_mb:8.0f}"
                f" {limit.bound:8.0f} {tenth.wall:8.2f} {full.cpu / tenth.cpu:13.1f}x",
                flush=True,
            )
    find = bench_find(max(args.runs, 5))
    print(f"\nreport find, the seed corpus read and searched 4 times: {find:.3f} s (bound 0.5 s)")


if __name__ == "__main__":
    main()
