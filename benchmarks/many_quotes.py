"""The seed corpus -> one outline of N quotes (100,000 by default), and the time `report check`
takes on it, cold (empty cache) and warm.

Every quote is a run of 4-9 words from a paragraph of a seed source's article body, as the
text layer has it, so every quote verifies: the figure is the cost of loading, matching,
bookkeeping and printing a very large outline, not of searching for misquotes.

    python benchmarks/many_quotes.py                # 100,000 quotes, best of 3 warm runs
    python benchmarks/many_quotes.py --quotes 20000 --runs 1
    python benchmarks/many_quotes.py --profile      # cProfile of one warm run, top 25
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from report.corpus import load_corpus  # noqa: E402

SEED = 20261126
PER_ARGUMENT = 20


def quotes_from_corpus(corpus_dir: Path, count: int, seed: int = SEED) -> list[tuple[str, str]]:
    """`count` (source id, quote) pairs, each a run of words inside one body paragraph."""
    corpus = load_corpus(corpus_dir)
    runs: list[tuple[str, list[str]]] = []
    for source_id in corpus.sources:
        text = corpus.text(source_id)
        body_start, body_end = text.norm.map(text.body[0]), text.norm.map(text.body[1])
        for start, end in text.layer.paragraphs:
            if start >= body_start and end <= body_end:
                words = text.layer.text[start:end].split()
                if len(words) >= 14:
                    runs.append((source_id, words))
    rng = random.Random(seed)
    out = []
    while len(out) < count:
        source_id, words = rng.choice(runs)
        n = rng.randint(4, 9)
        at = rng.randint(0, len(words) - n)
        quote = " ".join(words[at : at + n]).strip(" ,;:")
        if re.search(r"[\[\]]|\.\.\.|…", quote):  # editorial marks would change the meaning
            continue
        out.append((source_id, quote))
    return out


def write_outline(path: Path, quotes: list[tuple[str, str]]) -> None:
    """Compact (flow-style evidence items), so that 100,000 quotes stay under the 8 MB an
    outline may have."""
    lines = ["title: Many quotes", "sections:", "- heading: All of them", "  arguments:"]
    for i in range(0, len(quotes), PER_ARGUMENT):
        lines.append(f"  - claim: Claim {i // PER_ARGUMENT + 1}")
        lines.append("    evidence:")
        for source_id, quote in quotes[i : i + PER_ARGUMENT]:
            text = json.dumps(quote, ensure_ascii=False)
            lines.append(f"    - {{source: {source_id}, quote: {text}}}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def make_project(root: Path, count: int) -> Path:
    shutil.copytree(ROOT / "corpus", root / "corpus")
    (root / "outlines").mkdir()
    outline = root / "outlines" / "many.yaml"
    write_outline(outline, quotes_from_corpus(root / "corpus", count))
    return outline


def timed_check(outline: Path, cwd: Path, *extra: str) -> tuple[float, float, int, str]:
    """Wall-clock and CPU seconds (user + system, workers included) of one `report check`,
    its exit status and its last line. On a busy machine the wall clock is longer than
    the CPU time; on a quiet one a run in one process takes about its CPU time."""
    env = dict(os.environ, PYTHONPATH=str(ROOT), NO_COLOR="1")
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-m", "report", "check", str(outline), *extra],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
    )
    elapsed = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return elapsed, cpu, proc.returncode, (proc.stdout.strip().splitlines() or [""])[-1]


def profile(outline: Path, cwd: Path) -> None:
    import cProfile
    import pstats

    os.chdir(cwd)
    from report import output
    from report.findings import Run
    from report.pipeline import check

    check([outline])  # warm the cache first
    prof = cProfile.Profile()
    prof.enable()
    (checked,) = check([outline])
    output.render(Run(checked.results), "text")
    prof.disable()
    pstats.Stats(prof).sort_stats("cumulative").print_stats(25)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quotes", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3, help="warm runs (the best is shown)")
    parser.add_argument("--profile", action="store_true", help="cProfile one warm run instead")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        outline = make_project(root, args.quotes)
        size = outline.stat().st_size / 1e6
        print(f"{args.quotes} quotes, outline {size:.1f} MB", flush=True)
        if args.profile:
            profile(outline, root)
            return
        print(f"load average before: {os.getloadavg()[0]:.1f}", flush=True)
        cold, cpu, code, last = timed_check(outline, root)
        print(f"cold: {cold:.2f} s wall, {cpu:.2f} s CPU (exit {code}: {last})", flush=True)
        warm = []
        for _ in range(args.runs):
            elapsed, cpu, code, last = timed_check(outline, root)
            warm.append((elapsed, cpu))
        best = min(warm)
        print(
            f"warm: {best[0]:.2f} s wall, {best[1]:.2f} s CPU, best of {len(warm)} "
            f"(exit {code}: {last})"
        )
        for fmt in ("json", "junit"):
            elapsed, cpu, code, _ = timed_check(outline, root, "--format", fmt)
            print(f"warm --format {fmt}: {elapsed:.2f} s wall, {cpu:.2f} s CPU (exit {code})")
        print(f"load average after: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
