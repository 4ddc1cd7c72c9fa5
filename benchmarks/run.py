"""Benchmark corpora -> timings of `report check` (cold and warm) against `grep -F` on the
same quotes and files, in the same run, with peak memory and MB/s; and a correctness check
that every verbatim quote verified and every mutated one failed.

    python benchmarks/run.py            # 10 MB and 100 MB corpora, 1,000 and 10,000 quotes
    python benchmarks/run.py --quick    # a 3 MB corpus and 200 quotes: a smoke test

Each figure is the best of --repeat runs (the machine may be shared); "cold" runs start
with an empty cache folder. Results are printed and written to benchmarks/data/results.json.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))

from benchmarks.generate import DATA  # noqa: E402

# Runs `report` in a child process and leaves its peak memory (and its workers') in a file.
_CHILD = """
import atexit, json, os, resource, sys
def _peak():
    with open(os.environ["BENCH_RUSAGE"], "w") as f:
        json.dump({"self": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
                   "children": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss}, f)
atexit.register(_peak)
sys.argv = ["report", *sys.argv[1:]]
from report.cli import main
main()
"""


@dataclass
class Run:
    seconds: float
    peak_kb: int  # the main process
    worker_peak_kb: int  # the largest worker process (cold runs prepare on every core)
    code: int
    out: str
    total_pss_kb: int = 0  # all processes together (sampled runs only)


def run_report(args: list[str], cache: Path, sample_memory: bool = False) -> Run:
    """Run `report` and time it; with `sample_memory` (untimed: sampling costs CPU), also
    the peak of the proportional memory (PSS) of it and its workers together."""
    rusage = cache.parent / ".bench-rusage.json"
    env = dict(os.environ, PYTHONPATH=str(ROOT), BENCH_RUSAGE=str(rusage), NO_COLOR="1")
    start = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-c", _CHILD, *args, "--cache-dir", str(cache)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    peak = [0]
    sampler = threading.Thread(target=_sample_pss, args=(proc, peak), daemon=True)
    if sample_memory:
        sampler.start()
    out, err = proc.communicate()
    seconds = time.perf_counter() - start
    if sample_memory:
        sampler.join()
    peaks = json.loads(rusage.read_text())
    if proc.returncode not in (0, 1):
        raise SystemExit(f"report failed ({proc.returncode}):\n{err[-2000:]}")
    run = Run(seconds, peaks["self"], peaks["children"], proc.returncode, out)
    run.total_pss_kb = peak[0]
    return run


def _sample_pss(proc: subprocess.Popen, peak: list[int]) -> None:
    """The largest sum of PSS over `proc` and its descendants, every few milliseconds:
    unlike each process's own peak (ru_maxrss), memory that forked workers share with
    their parent is counted once."""
    while proc.poll() is None:
        total = sum(_pss_kb(pid) for pid in _tree(proc.pid))
        peak[0] = max(peak[0], total)
        time.sleep(0.01)


def _tree(pid: int) -> list[int]:
    pids, todo = [], [pid]
    while todo:
        p = todo.pop()
        pids.append(p)
        with contextlib.suppress(OSError):
            todo += [int(c) for c in Path(f"/proc/{p}/task/{p}/children").read_text().split()]
    return pids


def _pss_kb(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0


def time_grep(quotes: Path, corpus: Path) -> float:
    start = time.perf_counter()
    subprocess.run(
        ["grep", "-F", "-r", "-c", "-f", str(quotes), str(corpus)],
        stdout=subprocess.DEVNULL,
        check=False,
    )
    return time.perf_counter() - start


def corpus_mb(corpus: Path) -> float:
    return sum(p.stat().st_size for p in corpus.glob("*.txt")) / 1e6


def check_results(out: str, folder: Path) -> dict:
    """Every verbatim quote verified, every mutated one failed with a closest passage."""
    doc = json.loads(out)
    expected = json.loads((folder / "expected.json").read_text())
    quotes = doc["quotes"]
    assert len(quotes) == len(expected), (len(quotes), len(expected))
    wrong = [
        i
        for i, (q, e) in enumerate(zip(quotes, expected, strict=True))
        if (q["status"] == "verified") == e["mutated"]
    ]
    no_closest = [q for q in quotes if q["status"] == "misquote" and not q.get("closest_in_corpus")]
    return {
        "quotes": len(quotes),
        "mutated": sum(e["mutated"] for e in expected),
        "wrong": len(wrong),
        "misquotes_without_closest": len(no_closest),
    }


def _generate(size: float, counts: list[int], data: Path) -> Path:
    """benchmarks/generate.py in a process of its own: on Linux a child's peak memory starts
    at its parent's, so this process must stay small for the figures of `report`'s runs."""
    args = ["--size-mb", str(size), "--quotes", *map(str, counts), "--data", str(data)]
    out = subprocess.run(
        [sys.executable, str(HERE / "generate.py"), *args],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return Path(out.strip().splitlines()[-1])


def _outlines(folder: Path) -> list[str]:
    return sorted(os.path.relpath(p, ROOT) for p in folder.glob("brief-*.yaml"))


def bench_case(corpus: Path, folder: Path, cache: Path, repeat: int, cold: bool) -> dict:
    """grep, then `report check` as CI runs it (text output), cold and warm; then once more
    with --format json, untimed, to check every verdict."""
    args = ["check", *_outlines(folder)]
    grep = min(time_grep(folder / "quotes.txt", corpus) for _ in range(repeat))
    result: dict = {"corpus_mb": round(corpus_mb(corpus), 1), "grep_s": grep}
    if cold:
        # The usual CI run: every quote verifies, so nothing beyond the named sources is
        # read and the index is never built.
        verbatim = Path(f"{folder}-verbatim")
        shutil.rmtree(cache, ignore_errors=True)
        all_verified = run_report(["check", *_outlines(verbatim)], cache)
        assert all_verified.code == 0, all_verified.out[-2000:]
        result["cold_verified_s"] = all_verified.seconds
        shutil.rmtree(cache, ignore_errors=True)
        first = run_report(args, cache)
        shutil.rmtree(cache, ignore_errors=True)
        sampled = run_report(args, cache, sample_memory=True)  # untimed: memory only
        result |= {
            "cold_s": first.seconds,
            "cold_peak_mb": first.peak_kb / 1024,
            "cold_worker_peak_mb": first.worker_peak_kb / 1024,
            "cold_total_mb": sampled.total_pss_kb / 1024,
        }
    else:
        run_report(args, cache)  # make sure every entry this quote set needs is cached
    warm = [run_report(args, cache) for _ in range(repeat)]
    best = min(warm, key=lambda r: r.seconds)
    checked = run_report([*args, "--format", "json"], cache, sample_memory=True)
    result |= {
        "warm_s": best.seconds,
        "warm_median_s": statistics.median(r.seconds for r in warm),
        "warm_peak_mb": max(r.peak_kb for r in warm) / 1024,
        "warm_worker_peak_mb": max(r.worker_peak_kb for r in warm) / 1024,
        "warm_total_mb": checked.total_pss_kb / 1024,
        "check": check_results(checked.out, folder),
    }
    return result


def closest_latency(corpus: Path, folder: Path, cache: Path, samples: int = 20) -> dict:
    """Seconds to find where else a misquote occurs and its closest passage (warm index),
    per quote, in this process; and one whole `report check` of a one-misquote outline."""
    from report.cache import TextCache
    from report.corpus import load_corpus
    from report.outline import load_outline
    from report.quote import compile_quote
    from report.search import CorpusSearch

    expected = json.loads((folder / "expected.json").read_text())
    evidence = [
        ev for p in sorted(folder.glob("brief-*.yaml")) for ev in load_outline(p).evidence()
    ]
    mutated = [ev for ev, e in zip(evidence, expected, strict=True) if e["mutated"]][:samples]
    corp = load_corpus(corpus, TextCache(cache))
    search = CorpusSearch(corp)
    search.index  # noqa: B018 - open the index before timing, as a run's first misquote does
    times = []
    for ev in mutated:
        pattern = compile_quote(ev.quote)
        named = corp.text(ev.source)
        start = time.perf_counter()
        search.elsewhere(pattern, ev.source)
        _, found = search.closest(pattern.plain, named)
        times.append(time.perf_counter() - start)
        assert found is not None
    one = folder / "one-misquote.yaml"
    ev = mutated[0]
    one.write_text(
        f"title: One misquote\ncorpus: ../{corpus.name}\nsections:\n  - heading: H\n"
        f"    arguments:\n      - claim: C\n        evidence:\n"
        f"          - source: {ev.source}\n            quote: {json.dumps(ev.quote)}\n",
        encoding="utf-8",
    )
    cli = min(run_report(["check", os.path.relpath(one, ROOT)], cache).seconds for _ in range(3))
    return {
        "per_quote_median_s": statistics.median(times),
        "per_quote_max_s": max(times),
        "one_misquote_check_s": cli,
    }


def sample_brief(cache: Path, repeat: int) -> dict:
    shutil.rmtree(cache, ignore_errors=True)
    args = ["check", "outlines/xi-putin.yaml"]
    cold = run_report(args, cache).seconds
    warm = min(run_report(args, cache).seconds for _ in range(repeat))
    return {"cold_s": cold, "warm_s": warm}


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0].replace("\n", " "),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--quick", action="store_true", help="a 3 MB smoke test")
    parser.add_argument(
        "--repeat", type=int, default=3, help="runs of each timing; the best is kept (3)"
    )
    parser.add_argument(
        "--data", type=Path, default=DATA, help="where the generated corpora go (benchmarks/data)"
    )
    args = parser.parse_args()
    data: Path = args.data
    cache = data / ".report-cache"
    sizes = [3] if args.quick else [10, 100]
    big_quotes = [200] if args.quick else [1000, 10000]
    results: dict = {"cores": os.cpu_count(), "cases": {}}
    small = 200 if args.quick else 1000
    for size in sizes:
        counts = big_quotes if size == sizes[-1] else [small]
        corpus = _generate(size, counts, data)
        for count in counts:
            folder = data / f"{corpus.name}-q{count}"
            name = f"{size}MB/{count}q"
            print(f"running {name} ...", file=sys.stderr, flush=True)
            results["cases"][name] = bench_case(
                corpus, folder, cache, args.repeat, cold=(count == small)
            )
    big = data / f"corpus-{sizes[-1]:g}mb"
    results["closest"] = closest_latency(big, data / f"{big.name}-q{small}", cache)
    results["sample_brief"] = sample_brief(data / ".report-cache-sample", args.repeat)
    (data / "results.json").write_text(json.dumps(results, indent=2))
    print(format_results(results, sizes, small, big_quotes))
    failed = [n for n, c in results["cases"].items() if c["check"]["wrong"]]
    if failed:
        raise SystemExit(f"wrong results in {', '.join(failed)}")


def format_results(r: dict, sizes: list[int], small: int, counts: list[int]) -> str:
    lines = [f"report check vs grep -F -r -c -f ({r['cores']} cores; best of runs)", ""]
    lines.append(
        f"{'case':<14}{'MB':>6}{'grep s':>9}{'cold s':>9}{'warm s':>9}{'cold/grep':>11}"
        f"{'warm/grep':>11}{'warm MB/s':>11}{'peak MB':>9}{'peak/corpus':>13}  correct"
    )
    for name, c in r["cases"].items():
        cold = c.get("cold_s")
        cold_s = f"{cold:.2f}" if cold else "-"
        cold_x = f"{cold / c['grep_s']:.1f}x" if cold else "-"
        peak = max(c.get("cold_total_mb", 0), c["warm_total_mb"])  # all processes (PSS)
        check = c["check"]
        ok = "yes" if not check["wrong"] and not check["misquotes_without_closest"] else "NO"
        lines.append(
            f"{name:<14}{c['corpus_mb']:>6.0f}{c['grep_s']:>9.2f}{cold_s:>9}{c['warm_s']:>9.2f}"
            f"{cold_x:>11}{c['warm_s'] / c['grep_s']:>10.1f}x{c['corpus_mb'] / c['warm_s']:>11.0f}"
            f"{peak:>9.0f}{peak / c['corpus_mb']:>12.2f}x  {ok} "
            f"({check['quotes'] - check['mutated']} verbatim, {check['mutated']} mutated)"
        )
    cases = r["cases"]
    big = f"{sizes[-1]}MB"
    lines.append("")
    if len(counts) > 1:
        many, few = cases[f"{big}/{counts[-1]}q"], cases[f"{big}/{counts[0]}q"]
        lines.append(
            f"{counts[-1]:,} vs {counts[0]:,} quotes, warm: {many['warm_s'] / few['warm_s']:.1f}x"
        )
    if len(sizes) > 1:
        a, b = cases[f"{sizes[0]}MB/{small}q"], cases[f"{big}/{small}q"]
        lines.append(
            f"{sizes[0]} MB -> {sizes[-1]} MB ({b['corpus_mb'] / a['corpus_mb']:.1f}x data): "
            f"cold {b['cold_s'] / a['cold_s']:.1f}x, warm {b['warm_s'] / a['warm_s']:.1f}x"
        )
    cold_case = cases[f"{big}/{small}q"]
    verified = cold_case["cold_verified_s"]
    lines.append(
        f"cold, {big}/{small}q without the mutated quotes (all verify, no index needed):"
        f" {verified:.2f} s = {verified / cold_case['grep_s']:.1f}x grep"
    )
    lines.append(
        f"peak memory of {big}/{small}q: main process {cold_case['cold_peak_mb']:.0f} MB cold,"
        f" {cold_case['warm_peak_mb']:.0f} MB warm; largest worker"
        f" {cold_case['cold_worker_peak_mb']:.0f} MB cold, {cold_case['warm_worker_peak_mb']:.0f}"
        " MB warm (each process's own peak; peak MB above: all processes together, PSS)"
    )
    c = r["closest"]
    median, worst = c["per_quote_median_s"] * 1000, c["per_quote_max_s"] * 1000
    lines.append(
        f"misquote in {big}, warm: wrong-source search + closest passage {median:.0f} ms median,"
        f" {worst:.0f} ms max per quote; `report check` of a one-misquote outline"
        f" {c['one_misquote_check_s']:.2f} s"
    )
    s = r["sample_brief"]
    lines.append(f"sample brief (report check): cold {s['cold_s']:.2f} s, warm {s['warm_s']:.2f} s")
    return "\n".join(lines)


if __name__ == "__main__":
    main()
