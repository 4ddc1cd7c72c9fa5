"""Benchmark corpora -> `report check` cold and warm against `rg -F` and `grep -F` on the same
quotes and files, in the same run: every ratio with its baseline, peak memory, start-up, and a
check of every verdict (each verbatim quote verified, each changed one failed).

    python benchmarks/run.py            # the cases of the targets (issue 16); 500 MB included
    python benchmarks/run.py --quick    # small corpora: a smoke test of the same cases
    python benchmarks/run.py --no-big   # without the 500 MB archive (minutes less)

The main corpus is realistic (benchmarks/realistic.py: a long-tailed vocabulary, articles of
a few KB to hundreds of KB, Markdown with links and hard wraps, 20% of the quotes with one
word changed); the recombined seed texts (benchmarks/generate.py) are kept as a stress case.
Corpora are generated at run time under --data (benchmarks/data, never committed) and
reused by later runs.

Timing: each figure is the best of --repeat runs, as wall-clock seconds and as CPU seconds
(user + system, of the process and every worker it waited for). The development machine is
shared (its CPU is often saturated by other jobs), so wall-clock figures there measure the
queue as much as the program; CPU seconds are steadier, and the verdicts on the targets are
given on both. The baselines write their output to a file (GNU grep sending output to
/dev/null behaves as `-q` and stops reading each file at its first match).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
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
class Timed:
    wall: float
    cpu: float  # user + system of the process and the children it waited for

    @classmethod
    def best(cls, runs: list[Timed]) -> Timed:
        return cls(min(r.wall for r in runs), min(r.cpu for r in runs))


@dataclass
class Run:
    timed: Timed
    peak_kb: int  # the main process
    worker_peak_kb: int  # the largest worker process
    code: int
    out: str
    total_pss_kb: int = 0  # all processes together (sampled runs only)


def _spawn(cmd: list[str], **kw) -> tuple[subprocess.Popen, float]:
    return subprocess.Popen(cmd, **kw), time.perf_counter()


def _wait(proc: subprocess.Popen, start: float) -> tuple[int, Timed]:
    """Wait for `proc`; its exit status, wall time and CPU time (with its waited children)."""
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    return proc.returncode, Timed(wall, usage.ru_utime + usage.ru_stime)


def run_report(
    args: list[str], cache: Path | None, sample_memory: bool = False, sealed: bool = False
) -> Run:
    """Run `report` and time it; with `sample_memory` (untimed: sampling costs CPU), also
    the peak of the proportional memory (PSS) of it and its workers together."""
    rusage = (cache or DATA).parent / ".bench-rusage.json"
    env = dict(os.environ, PYTHONPATH=str(ROOT), BENCH_RUSAGE=str(rusage), NO_COLOR="1")
    env.pop("REPORT_CACHE_KEY", None)
    if sealed:  # cache entries sealed with a secret need no confirming (report.cache)
        env["REPORT_CACHE_KEY"] = "benchmark secret"
    extra = ["--cache-dir", str(cache)] if cache is not None else []
    out_file = rusage.with_suffix(".out")
    with open(out_file, "w+") as out, open(out_file.with_suffix(".err"), "w+") as err:
        proc, start = _spawn(
            [sys.executable, "-c", _CHILD, *args, *extra], cwd=ROOT, env=env, stdout=out, stderr=err
        )
        peak = [0]
        sampler = threading.Thread(target=_sample_pss, args=(proc, peak), daemon=True)
        if sample_memory:
            sampler.start()
        code, timed = _wait(proc, start)
        if sample_memory:
            sampler.join()
        out.seek(0)
        err.seek(0)
        text, errors = out.read(), err.read()
    peaks = json.loads(rusage.read_text())
    if code not in (0, 1):
        raise SystemExit(f"report {' '.join(args)} failed ({code}):\n{errors[-2000:]}")
    run = Run(timed, peaks["self"], peaks["children"], code, text)
    run.total_pss_kb = peak[0]
    return run


def _sample_pss(proc: subprocess.Popen, peak: list[int]) -> None:
    """The largest sum of PSS over `proc` and its descendants, every few milliseconds:
    unlike each process's own peak (ru_maxrss), memory that forked workers share with
    their parent is counted once."""
    while proc.returncode is None and Path(f"/proc/{proc.pid}").exists():
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


def time_baseline(tool: str, quotes: Path, corpus: Path, scratch: Path) -> Timed:
    """`grep -F -r -c -f` or `rg -F -c -f` with its output written to a file: every file is
    read to its end (output to /dev/null lets GNU grep stop at each file's first match)."""
    cmd = {
        "grep": ["grep", "-F", "-r", "-c", "-f", str(quotes), str(corpus)],
        "rg": ["rg", "-F", "-c", "-f", str(quotes), str(corpus)],
    }[tool]
    with open(scratch / f".bench-{tool}.out", "w") as out:
        proc, start = _spawn(cmd, stdout=out)
        code, timed = _wait(proc, start)
    if code not in (0, 1):
        raise SystemExit(f"{tool} failed ({code})")
    return timed


def corpus_mb(corpus: Path) -> float:
    return sum(p.stat().st_size for p in corpus.iterdir() if p.suffix in (".md", ".txt")) / 1e6


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


def _generate(size: float, counts: list[int], data: Path, kind: str) -> Path:
    """benchmarks/generate.py in a process of its own: on Linux a child's peak memory starts
    at its parent's, so this process must stay small for the figures of `report`'s runs."""
    args = ["--size-mb", str(size), "--quotes", *map(str, counts), "--data", str(data)]
    print(f"generating {kind} {size:g} MB (once; reused by later runs) ...", file=sys.stderr)
    out = subprocess.run(
        [sys.executable, str(HERE / "generate.py"), *args, "--kind", kind],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return Path(out.strip().splitlines()[-1])


def _outlines(folder: Path) -> list[str]:
    return sorted(os.path.relpath(p, ROOT) for p in folder.glob("brief-*.yaml"))


def _baselines(folder: Path, corpus: Path, repeat: int) -> dict:
    quotes = folder / "quotes.txt"
    return {
        tool: Timed.best([time_baseline(tool, quotes, corpus, folder) for _ in range(repeat)])
        for tool in ("rg", "grep")
    }


def bench_case(corpus: Path, folder: Path, cache: Path, repeat: int, cold: bool) -> dict:
    """The baselines, then `report check` as CI runs it (text output), cold (an empty cache
    folder) and warm; then once more with --format json, untimed, to check every verdict."""
    args = ["check", *_outlines(folder)]
    result: dict = {
        "corpus_mb": round(corpus_mb(corpus), 1),
        "sources": sum(1 for p in corpus.iterdir() if p.suffix in (".md", ".txt")),
        "base": _baselines(folder, corpus, repeat),
    }
    if cold:
        # A cold run is long: the one that samples memory (from this process, so the
        # run's own CPU time is untouched) counts as one of them.
        shutil.rmtree(cache, ignore_errors=True)
        sampled = run_report(args, cache, sample_memory=True)
        colds = [sampled]
        for _ in range(repeat - 2):
            shutil.rmtree(cache, ignore_errors=True)
            colds.append(run_report(args, cache))
        result |= {
            "cold": Timed.best([r.timed for r in colds]),
            "cold_peak_mb": sampled.peak_kb / 1024,
            "cold_worker_peak_mb": sampled.worker_peak_kb / 1024,
            "cold_total_mb": sampled.total_pss_kb / 1024,
        }
    else:
        run_report(args, cache)  # every entry this quote set needs is cached
    warm = [run_report(args, cache) for _ in range(repeat)]
    checked = run_report([*args, "--format", "json"], cache, sample_memory=True)
    run_report(args, cache, sealed=True)  # the entries sealed (built again once)
    sealed = [run_report(args, cache, sealed=True) for _ in range(repeat)]
    result |= {
        "sealed": Timed.best([r.timed for r in sealed]),
        "warm": Timed.best([r.timed for r in warm]),
        "warm_peak_mb": max(r.peak_kb for r in warm) / 1024,
        "warm_total_mb": checked.total_pss_kb / 1024,
        "check": check_results(checked.out, folder),
    }
    return result


def misquote_cost(corpus: Path, folder: Path, cache: Path, samples: int = 50) -> dict:
    """CPU seconds per misquote, warm, in this process: where else it occurs (wrong source)
    and its closest passage, the index open (as after a run's first misquote)."""
    from report.cache import TextCache
    from report.corpus import load_corpus
    from report.elsewhere import CorpusSearch
    from report.outline import load_outline
    from report.quote import compile_quote

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
        start = time.process_time()
        search.elsewhere(pattern, ev.source)
        _, found = search.closest(pattern.plain, named)
        times.append(time.process_time() - start)
        assert found is not None
    times.sort()
    return {"median_s": times[len(times) // 2], "p90_s": times[int(len(times) * 0.9)]}


def startup(repeat: int) -> dict:
    """`python -c pass`, `report --help` and a warm `report check` of the sample brief."""
    cache = DATA / ".report-cache-sample"
    shutil.rmtree(cache, ignore_errors=True)
    sample = ["check", "outlines/xi-putin.yaml", "--cache-dir", str(cache)]
    report = [sys.executable, "-m", "report"]
    cmds = {"python": [sys.executable, "-c", "pass"], "help": [*report, "--help"]}
    cmds["sample_warm"] = [*report, *sample]
    subprocess.run(cmds["sample_warm"], cwd=ROOT, capture_output=True)  # warm the cache
    out: dict = {}
    for name, cmd in cmds.items():
        runs = []
        for _ in range(max(repeat, 5)):
            proc, start = _spawn(cmd, cwd=ROOT, stdout=subprocess.DEVNULL)
            runs.append(_wait(proc, start)[1])
        out[name] = Timed.best(runs)
    return out


def build_vs_pandoc(repeat: int, scratch: Path) -> dict | None:
    """`report build` of the sample brief (verified, PDF, Word and ledger; warm cache)
    against pandoc + WeasyPrint on the same content: pandoc makes HTML and Word from the
    brief's Markdown, WeasyPrint the PDF from that HTML with report's own stylesheet."""
    if shutil.which("pandoc") is None:
        return None
    from report.pipeline import check

    (checked,) = check([ROOT / "outlines/xi-putin.yaml"], cache_dir=scratch / ".cache")
    md = scratch / "brief.md"
    md.write_text(_markdown(checked), encoding="utf-8")
    css = next((ROOT / "templates").glob("*.css"), None)
    weasy = "import sys, weasyprint; weasyprint.HTML(sys.argv[1]).write_pdf(sys.argv[2]" + (
        f", stylesheets=[{str(css)!r}])" if css else ")"
    )
    pipeline = (
        f"pandoc {md} -s -o {scratch}/brief.html && pandoc {md} -o {scratch}/brief.docx && "
        f"{sys.executable} -c {_shell_quote(weasy)} {scratch}/brief.html {scratch}/brief.pdf"
    )
    build = [sys.executable, "-m", "report", "build", "outlines/xi-putin.yaml", "-o",
             str(scratch / "out"), "--cache-dir", str(scratch / ".cache")]  # fmt: skip
    out = {}
    for name, cmd in (("pandoc", ["sh", "-c", pipeline]), ("report", build)):
        runs = []
        for _ in range(repeat):
            proc, start = _spawn(cmd, cwd=ROOT, stdout=subprocess.DEVNULL,
                                 stderr=subprocess.DEVNULL)  # fmt: skip
            code, timed = _wait(proc, start)
            if code != 0:
                raise SystemExit(f"{name} failed ({code})")
            runs.append(timed)
        out[name] = Timed.best(runs)
    return out


def _shell_quote(s: str) -> str:
    return "'" + s.replace("'", "'\"'\"'") + "'"


def _markdown(checked) -> str:
    """The sample brief's content as Markdown: headings, claims, texts and quotes."""
    o = checked.outline
    lines = [f"% {o.title}", "", _plain(o.summary), ""]
    results = iter(checked.results)
    for section in o.sections:
        lines += [f"# {section.heading}", "", _plain(section.intro), ""]
        for arg in section.arguments:
            lines += [f"**{_plain(arg.claim)}**", "", _plain(arg.text), ""]
            for ev in arg.evidence:
                next(results)
                note = f"[^{id(ev)}]"
                lines += [f"> \u201c{ev.quote}\u201d{note}", "", f"{note}: {ev.source}", ""]
    return "\n".join(lines)


def _plain(prose) -> str:
    """A prose field (report.model.Prose, or text in an outline made in code) as text."""
    return "" if prose is None else str(prose)


def ratio(a: Timed, b: Timed) -> tuple[float, float]:
    return a.wall / b.wall, a.cpu / b.cpu


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0].replace("\n", " "),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--quick", action="store_true", help="small corpora: a smoke test")
    parser.add_argument("--no-big", action="store_true", help="leave out the 500 MB archive")
    parser.add_argument(
        "--repeat", type=int, default=3, help="runs of each timing; the best is kept (3)"
    )
    parser.add_argument(
        "--data", type=Path, default=DATA, help="where the generated corpora go (benchmarks/data)"
    )
    parser.add_argument(
        "--only", help="these cases only, comma-separated (main, verbatim, many, stress, archive)"
    )
    args = parser.parse_args()
    for tool in ("rg", "grep"):
        if shutil.which(tool) is None:
            raise SystemExit(f"{tool} is needed (scripts/system-deps.sh --bench installs it)")
    data: Path = args.data
    data.mkdir(parents=True, exist_ok=True)
    main_mb, big_mb = (3, 10) if args.quick else (100, 500)
    n, many, few = (200, 1000, 50) if args.quick else (1000, 10000, 100)
    repeat = 1 if args.quick else args.repeat
    only = set(args.only.split(",")) if args.only else None
    # The load average (processes wanting a core) at the start and end: on a shared machine
    # it says how far wall-clock figures measure the queue rather than the program.
    r: dict = {"cores": os.cpu_count(), "quick": args.quick, "cases": {},
               "load": [os.getloadavg()]}  # fmt: skip
    cases = r["cases"]

    def case(name: str, kind: str, size: float, count: int, cold: bool, verbatim=False) -> None:
        if only is not None and name not in only:
            return
        corpus = _generate(size, [count], data, kind)
        folder = data / f"{corpus.name}-q{count}{'-verbatim' if verbatim else ''}"
        print(f"running {name} ...", file=sys.stderr, flush=True)
        cache_dir = data / f".report-cache-{corpus.name}"
        cases[name] = bench_case(corpus, folder, cache_dir, repeat, cold) | {"kind": kind}
        save()  # each case as it ends: a later failure keeps what was measured

    def save() -> None:
        text = json.dumps(r, indent=2, default=lambda t: t.__dict__)
        (data / "results.json").write_text(text)

    case("main", "realistic", main_mb, n, cold=True)
    case("verbatim", "realistic", main_mb, n, cold=True, verbatim=True)
    case("many", "realistic", main_mb, many, cold=False)
    case("stress", "recombined", main_mb, n, cold=True)
    if not args.no_big:
        case("archive", "realistic", big_mb, few, cold=True)
    main_corpus = data / f"realistic-{main_mb:g}mb"
    if only is None or "main" in only:
        cache_dir = data / f".report-cache-{main_corpus.name}"
        r["misquote"] = misquote_cost(main_corpus, data / f"{main_corpus.name}-q{n}", cache_dir)
    r["startup"] = startup(args.repeat)
    save()
    r["build"] = build_vs_pandoc(args.repeat, data / ".build")
    r["load"].append(os.getloadavg())
    save()
    print(format_results(r, main_mb, big_mb, n, many, few))
    failed = [k for k, c in cases.items() if c["check"]["wrong"]]
    if failed:
        raise SystemExit(f"wrong verdicts in {', '.join(failed)}")


def _x(a: float) -> str:
    return f"{a:.2f}x"


def format_results(r: dict, main_mb: float, big_mb: float, n: int, many: int, few: int) -> str:
    lines = [
        f"report check vs rg -F -c -f and grep -F -r -c -f ({r['cores']} cores; best of runs;"
        " wall-clock seconds / CPU seconds)",
        "",
        f"{'case':<10}{'MB':>5}{'files':>7}{'quotes':>7}{'rg':>12}{'grep':>12}{'cold':>14}"
        f"{'warm':>12}{'sealed':>12}{'cold/rg':>13}{'warm/rg':>13}{'sealed/rg':>13}{'warm/grep':>12}"
        f"{'peak/MB':>9}  verdicts",
    ]
    for name, c in r["cases"].items():
        rg, grep, warm = c["base"]["rg"], c["base"]["grep"], c["warm"]
        cold = c.get("cold")
        check = c["check"]
        ok = "0 wrong" if not check["wrong"] else f"{check['wrong']} WRONG"
        peak = max(c.get("cold_total_mb", 0), c["warm_total_mb"])

        def pair(t: Timed) -> str:
            return f"{t.wall:.2f}/{t.cpu:.2f}"

        def rx(t: Timed | None, b: Timed) -> str:
            if t is None:
                return "-"
            w, u = ratio(t, b)
            return f"{w:.1f}/{u:.1f}x"

        lines.append(
            f"{name:<10}{c['corpus_mb']:>5.0f}{c['sources']:>7}{check['quotes']:>7}"
            f"{pair(rg):>12}{pair(grep):>12}{pair(cold) if cold else '-':>14}{pair(warm):>12}"
            f"{pair(c['sealed']):>12}{rx(cold, rg):>13}{rx(warm, rg):>13}{rx(c['sealed'], rg):>13}"
            f"{rx(warm, grep):>12}"
            f"{peak / c['corpus_mb']:>9.2f}  {ok} ({check['mutated']} changed)"
        )
    m = r.get("misquote")
    s = r["startup"]
    lines.append("")
    if m:
        lines.append(
            f"per misquote, warm, {main_mb:g} MB (wrong-source search + closest passage, CPU):"
            f" {m['median_s'] * 1000:.1f} ms median, {m['p90_s'] * 1000:.1f} ms p90"
        )
    lines += [
        f"start-up over `python -c pass` ({s['python'].cpu:.3f} s CPU): `report --help`"
        f" +{s['help'].cpu - s['python'].cpu:.3f} s CPU (+{s['help'].wall - s['python'].wall:.3f}"
        f" s wall); warm check of the sample +{s['sample_warm'].cpu - s['python'].cpu:.3f} s CPU"
        f" (+{s['sample_warm'].wall - s['python'].wall:.3f} s wall)",
    ]
    b = r.get("build")
    if b:
        w, u = ratio(b["report"], b["pandoc"])
        lines.append(
            f"report build of the sample vs pandoc + WeasyPrint: {b['report'].wall:.2f}/"
            f"{b['report'].cpu:.2f} s vs {b['pandoc'].wall:.2f}/{b['pandoc'].cpu:.2f} s ="
            f" {w:.2f}x wall, {u:.2f}x CPU"
        )
    loads = " -> ".join("/".join(f"{x:.1f}" for x in la) for la in r["load"])
    lines.append(f"load average (1/5/15 min) at the start -> end: {loads}")
    lines += ["", "targets (issue 16), as CPU / wall-clock ratios:"]
    lines += _targets(r, main_mb, big_mb)
    return "\n".join(lines)


def _targets(r: dict, main_mb: float, big_mb: float) -> list[str]:
    cases = r["cases"]
    rows = []

    def target(what: str, values: tuple[float, float] | None, limit: float, unit="x") -> None:
        if values is None:
            rows.append(f"  {what:<52} not measured")
            return
        wall, cpu = values
        met = "met" if cpu <= limit else "NOT met"
        if (cpu <= limit) != (wall <= limit):
            met += " (CPU; wall " + ("met" if wall <= limit else "not met") + ")"
        rows.append(f"  {what:<52} {cpu:.2f}{unit} CPU, {wall:.2f}{unit} wall  (<= {limit:g}{unit})"
                    f"  {met}")  # fmt: skip

    main, verb = cases.get("main"), cases.get("verbatim")
    if main:
        rg = main["base"]["rg"]
        target(f"warm, {main_mb:g} MB, 20% misquotes / rg", ratio(main["warm"], rg), 1.5)
        target("  the same, entries sealed ($REPORT_CACHE_KEY)", ratio(main["sealed"], rg), 1.5)
    if verb:
        target("warm, all verbatim / rg", ratio(verb["warm"], verb["base"]["rg"]), 1.0)
        target("  the same, entries sealed", ratio(verb["sealed"], verb["base"]["rg"]), 1.0)
    if main:
        target(f"cold, {main_mb:g} MB, 20% misquotes / rg", ratio(main["cold"], rg), 5)
    if r.get("misquote"):
        ms = r["misquote"]["median_s"] * 1000
        target("per misquote, warm (ms)", (ms, ms), 1.0, unit=" ms")
    arch = cases.get("archive")
    if arch:
        target(f"{big_mb:g} MB archive, cold / rg", ratio(arch["cold"], arch["base"]["rg"]), 5)
        target(f"{big_mb:g} MB archive, warm / rg", ratio(arch["warm"], arch["base"]["rg"]), 1.0)
        target("  the same, entries sealed", ratio(arch["sealed"], arch["base"]["rg"]), 1.0)
        peak = max(arch["cold_total_mb"], arch["warm_total_mb"]) / arch["corpus_mb"]
        target(f"peak memory, {big_mb:g} MB, all processes / corpus", (peak, peak), 1.0)
    else:
        target(f"{big_mb:g} MB archive", None, 0)
    b = r.get("build")
    target("report build sample / pandoc + WeasyPrint",
           ratio(b["report"], b["pandoc"]) if b else None, 1.1)  # fmt: skip
    s = r["startup"]
    over = (s["help"].wall - s["python"].wall, s["help"].cpu - s["python"].cpu)
    target("start-up over python -c pass, --help (s)", over, 0.08, unit=" s")
    over = (s["sample_warm"].wall - s["python"].wall, s["sample_warm"].cpu - s["python"].cpu)
    target("start-up over python -c pass, warm sample check (s)", over, 0.08, unit=" s")
    return rows


if __name__ == "__main__":
    main()
