"""A generated corpus -> the figures of a corpus in PostgreSQL against the folder corpus with
its SQLite index, on the same data in the same run: ingest MB/s (and the folder's own cold
build of its cache and index), the database's size against the corpus's, `report check` of
1,000 quotes with 10% misquotes (cold and warm), `find` latency p50/p95, and 8 checks at
once; then whether both gave the same findings.

    python benchmarks/database.py                 # a 1 GB corpus (about an hour on 2 cores)
    python benchmarks/database.py --size-mb 50    # a quick look

A throwaway server is started in /tmp (tests/pgserver.py) and stopped at the end. Timings
are single runs, or the best of --repeat for the warm ones (the machine may be shared);
"cold" is a new cache folder for the folder corpus and a restarted server (empty buffers;
the system's file cache stays warm) for the database. Results are printed and written to
benchmarks/data/database-results.json.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))

from benchmarks.generate import DATA, generate  # noqa: E402
from tests.pgserver import Server  # noqa: E402

SETTINGS = {  # a server as a team would give it, sized for this 24 GB machine
    "shared_buffers": "2GB",
    "effective_cache_size": "8GB",
    "maintenance_work_mem": "512MB",
    "work_mem": "32MB",
    "max_wal_size": "8GB",
    "checkpoint_timeout": "30min",
    "fsync": "on",  # measured as a real server writes
    "full_page_writes": "on",
    "synchronous_commit": "on",
}


def _report(*args: str | Path) -> tuple[float, subprocess.CompletedProcess]:
    env = dict(os.environ, NO_COLOR="1")
    env.pop("REPORT_DATABASE_URL", None)
    started = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-m", "report", *map(str, args)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    seconds = time.monotonic() - started
    if done.returncode not in (0, 1):
        raise SystemExit(f"report {' '.join(map(str, args))} failed:\n{done.stderr[-3000:]}")
    return seconds, done


def _du(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def _checks_at_once(n: int, args: list) -> float:
    env = dict(os.environ, NO_COLOR="1")
    started = time.monotonic()
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "report", *map(str, args)],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for _ in range(n)
    ]
    codes = [p.wait() for p in procs]
    if any(c not in (0, 1) for c in codes):
        raise SystemExit(f"a concurrent check failed: {codes}")
    return time.monotonic() - started


def _find_queries(outlines: Path, n: int) -> list[str]:
    """Words an author might remember: 4-6 consecutive words of the benchmark's quotes."""
    rng = random.Random(17)
    quotes = (outlines / "quotes.txt").read_text(encoding="utf-8").splitlines()
    out = []
    for quote in rng.sample(quotes, min(n, len(quotes))):
        words = quote.split()
        size = rng.randint(4, 6)
        start = rng.randrange(max(1, len(words) - size))
        out.append(" ".join(words[start : start + size]))
    return out


def _find_latency(corpus, queries: list[str]) -> dict:
    """Seconds per `find` in one warm process (the command's own start-up left out)."""
    from report.passages import find_passages

    index = corpus.open_index()
    find_passages(queries[0], corpus, index=index)  # the first opens what it needs
    times = []
    for words in queries:
        started = time.perf_counter()
        find_passages(words, corpus, index=index)
        times.append(time.perf_counter() - started)
    times.sort()
    return {
        "p50_ms": 1000 * statistics.median(times),
        "p95_ms": 1000 * times[min(len(times) - 1, int(0.95 * len(times)))],
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__.splitlines()[0], formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--size-mb", type=float, default=1024)
    parser.add_argument("--quotes", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--find-queries", type=int, default=40)
    parser.add_argument("--concurrent", type=int, default=8)
    # Files of 10-40 KB: at 5-20 KB, a 1 GB corpus has 80,000 sources, and its sources.yaml
    # is over the 8 MB the folder corpus reads (report.sources.MAX_SOURCES_YAML_BYTES).
    parser.add_argument("--file-kb", type=int, nargs=2, default=(10, 40))
    args = parser.parse_args()

    print(f"generating a {args.size_mb:g} MB corpus ...", file=sys.stderr, flush=True)
    corpus_dir = generate(
        args.size_mb, [args.quotes], kind="recombined", file_kb=tuple(args.file_kb)
    )
    outlines = DATA / f"{corpus_dir.name}-q{args.quotes}"
    corpus_bytes = _du(corpus_dir)
    mb = corpus_bytes / 1e6
    r: dict = {"corpus_mb": mb, "sources": len(json.loads((corpus_dir / ".complete").read_text()))}
    cache = DATA / f"{corpus_dir.name}-cache"
    shutil.rmtree(cache, ignore_errors=True)
    check = ["check", outlines, "--format", "json"]

    print("folder corpus ...", file=sys.stderr, flush=True)
    r["folder_cold_check_s"], cold = _report(*check, "--cache-dir", cache)
    warm_runs = [_report(*check, "--cache-dir", cache) for _ in range(args.repeat)]
    r["folder_warm_check_s"] = min(s for s, _ in warm_runs)
    r["folder_cache_mb"] = _du(cache) / 1e6
    r["folder_8_checks_s"] = _checks_at_once(args.concurrent, [*check, "--cache-dir", cache])
    from report.cache import TextCache
    from report.corpus import load_corpus

    queries = _find_queries(outlines, args.find_queries)
    r["folder_find"] = _find_latency(load_corpus(corpus_dir, TextCache(cache)), queries)

    with Server(SETTINGS) as server:
        url = server.database()
        print("ingest ...", file=sys.stderr, flush=True)
        r["ingest_s"], _ = _report("ingest", corpus_dir, "--database", url)
        r["ingest_mb_s"] = mb / r["ingest_s"]
        r["reingest_unchanged_s"], _ = _report("ingest", corpus_dir, "--database", url)
        import psycopg

        size = "SELECT pg_database_size(current_database())"
        with psycopg.connect(server.database()) as conn:  # what an empty database takes
            empty = conn.execute(size).fetchone()[0]
        with psycopg.connect(url) as conn:
            r["database_mb"] = (conn.execute(size).fetchone()[0] - empty) / 1e6
            r["tables_mb"] = {
                name: size / 1e6
                for name, size in conn.execute(
                    "SELECT relname, pg_relation_size(oid) FROM pg_class"
                    " WHERE relname LIKE 'report_%' ORDER BY 2 DESC"
                )
            }
        server.restart()
        db_check = [*check, "--database", url]
        r["db_cold_check_s"], db_cold = _report(*db_check)
        db_warm = [_report(*db_check) for _ in range(args.repeat)]
        r["db_warm_check_s"] = min(s for s, _ in db_warm)
        r["db_8_checks_s"] = _checks_at_once(args.concurrent, db_check)
        from report.database.corpus import open_corpus

        r["db_find"] = _find_latency(open_corpus(url, corpus_dir), queries)
        outputs = {cold.stdout, db_cold.stdout, *(d.stdout for _, d in warm_runs + db_warm)}
        r["identical_findings"] = len(outputs) == 1
        statuses: dict[str, int] = {}
        for q in json.loads(cold.stdout)["quotes"]:
            statuses[q["status"]] = statuses.get(q["status"], 0) + 1
        r["statuses"] = statuses
    out = DATA / "database-results.json"
    out.write_text(json.dumps(r, indent=2))
    print(format_results(r, args))


def format_results(r: dict, args) -> str:
    def ratio(a: float, b: float) -> str:
        return f"{a / b:.2f}x" if b else "-"

    lines = [
        f"corpus: {r['corpus_mb']:.0f} MB, {r['sources']} sources; {args.quotes} quotes "
        f"({r['statuses']})",
        "",
        f"{'':34}{'folder + SQLite':>18}{'PostgreSQL':>14}{'db/folder':>11}",
        f"{'load (ingest / cold cache+index)':34}{r['folder_cold_check_s']:>17.1f}s"
        f"{r['ingest_s']:>13.1f}s{ratio(r['ingest_s'], r['folder_cold_check_s']):>11}",
        f"{'  MB/s':34}{r['corpus_mb'] / r['folder_cold_check_s']:>18.1f}{r['ingest_mb_s']:>14.1f}",
        f"{'size on disk (MB)':34}{r['folder_cache_mb']:>18.0f}{r['database_mb']:>14.0f}"
        f"{ratio(r['database_mb'], r['folder_cache_mb']):>11}",
        f"{'  against the corpus':34}{ratio(r['folder_cache_mb'], r['corpus_mb']):>18}"
        f"{ratio(r['database_mb'], r['corpus_mb']):>14}",
        f"{'check, cold (s)':34}{r['folder_cold_check_s']:>18.1f}{r['db_cold_check_s']:>14.1f}"
        f"{ratio(r['db_cold_check_s'], r['folder_cold_check_s']):>11}",
        f"{'check, warm (s)':34}{r['folder_warm_check_s']:>18.1f}{r['db_warm_check_s']:>14.1f}"
        f"{ratio(r['db_warm_check_s'], r['folder_warm_check_s']):>11}",
        f"{f'{args.concurrent} checks at once (s)':34}{r['folder_8_checks_s']:>18.1f}"
        f"{r['db_8_checks_s']:>14.1f}{ratio(r['db_8_checks_s'], r['folder_8_checks_s']):>11}",
        f"{'find p50 (ms)':34}{r['folder_find']['p50_ms']:>18.0f}{r['db_find']['p50_ms']:>14.0f}"
        f"{ratio(r['db_find']['p50_ms'], r['folder_find']['p50_ms']):>11}",
        f"{'find p95 (ms)':34}{r['folder_find']['p95_ms']:>18.0f}{r['db_find']['p95_ms']:>14.0f}"
        f"{ratio(r['db_find']['p95_ms'], r['folder_find']['p95_ms']):>11}",
        f"re-ingest, nothing changed: {r['reingest_unchanged_s']:.1f} s",
        f"tables (MB): {', '.join(f'{k} {v:.0f}' for k, v in r['tables_mb'].items() if v >= 1)}",
        f"same findings both ways: {'yes' if r['identical_findings'] else 'NO'}",
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    main()
