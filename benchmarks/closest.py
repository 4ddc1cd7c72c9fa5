"""Misquotes -> how fast, and how well, `report check` finds their closest passage.

    python benchmarks/closest.py                 # long misquotes: 10 KB, 100 KB, 400 KB
    python benchmarks/closest.py --realworld DIR # and misquotes of real documents (opt-in)

Long misquotes: a source of one paragraph and a quote of the same size with one word
changed in its middle (the case that took 36 s at 427 KB when every character of the quote
was aligned with every paragraph); each figure is the best of --repeat runs of `check`, in
this process, the source already read.

Real documents (`../shared/realworld/documents/` when it is there, or DIR): sentences of
8-30 words from an independent reading of each document (pdftotext, pandoc), each changed
once (a word replaced, dropped, or `not` inserted); of the misquotes whose own sentence
verifies, how many get that sentence as their closest passage (at least 80% of its words
in order). The sentences never come from `report` itself.
"""

from __future__ import annotations

import argparse
import difflib
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))

from report.findings import DiffTag, Status  # noqa: E402
from report.normalize import normalize_text  # noqa: E402
from report.pipeline import check  # noqa: E402
from tests.quotecheck import Q, write_outline  # noqa: E402

SIZES = (10_000, 100_000, 400_000)
SENTENCES_PER_DOCUMENT = 8
_READERS = {".html": "html", ".docx": "docx", ".md": "markdown"}


def long_misquote(folder: Path, size: int) -> Path:
    corpus = folder / "corpus"
    corpus.mkdir(parents=True)
    words = [f"w{i % 997}x{i % 13}" for i in range(size // 6)]
    text = " ".join(words)[:size].rsplit(" ", 1)[0]
    (corpus / "a.txt").write_text(f"Intro.\n\n{text}\n", encoding="utf-8")
    (corpus / "sources.yaml").write_text("- id: a\n  file: a.txt\n", encoding="utf-8")
    quote = text.split(" ")
    quote[len(quote) // 2] = "changed"
    return write_outline(folder, [Q("a", " ".join(quote))], corpus).path


def time_long(repeat: int) -> None:
    print("long misquotes (one paragraph of the same size as the quote):")
    for size in SIZES:
        with tempfile.TemporaryDirectory() as tmp:
            outline = long_misquote(Path(tmp), size)
            check([outline])  # reads and caches the source
            best = float("inf")
            for _ in range(repeat):
                start = time.perf_counter()
                [checked] = check([outline])
                best = min(best, time.perf_counter() - start)
            [result] = checked.results
            diff = [(d.quote, d.source) for d in result.closest.diff if d.op is not DiffTag.EQUAL]
            print(f"  {size // 1000:>4} KB  {best:6.2f} s  diff {diff}")


def independent_reading(path: Path) -> str:
    if path.suffix == ".pdf":
        cmd = ["pdftotext", str(path), "-"]
    elif path.suffix in _READERS:
        cmd = ["pandoc", "-f", _READERS[path.suffix], "-t", "plain", "--wrap=none", str(path)]
    else:
        return ""
    return subprocess.run(cmd, capture_output=True, text=True, check=False).stdout


def sentences(text: str) -> list[str]:
    out = []
    for paragraph in re.split(r"\n\s*\n", text):
        paragraph = " ".join(paragraph.split())
        for s in re.split(r"(?<=[.!?])\s+(?=[A-Z])", paragraph):
            if 8 <= len(s.split()) <= 30 and re.fullmatch(r"[\w\s,.;:'’\"“”()%-]+", s):
                out.append(s)
    return out


def mutate(rng: random.Random, sentence: str) -> str | None:
    words = sentence.split()
    candidates = [i for i, w in enumerate(words) if re.fullmatch(r"[a-z]{4,}", w)]
    if not candidates:
        return None
    i = rng.choice(candidates)
    how = rng.choice(["change", "drop", "not"])
    if how == "change":
        words[i] = "zebra"
    elif how == "drop":
        del words[i]
    else:
        words.insert(i, "not")
    return " ".join(words)


def realworld(documents: Path) -> None:
    rng = random.Random(11)
    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "corpus"
        corpus.mkdir()
        entries, originals, misquotes = [], [], []
        for path in sorted(documents.iterdir()):
            sid = path.name.replace(".", "-")
            shutil.copy(path, corpus / path.name)
            entries.append(f"- id: {sid}\n  file: {path.name}\n")
            found = sentences(independent_reading(path))
            rng.shuffle(found)
            for s in found[:SENTENCES_PER_DOCUMENT]:
                changed = mutate(rng, s)
                if changed:
                    originals.append(Q(sid, s))
                    misquotes.append(Q(sid, changed))
        (corpus / "sources.yaml").write_text("".join(entries), encoding="utf-8")
        [first] = check([write_outline(Path(tmp), originals, corpus, "originals.yaml").path])
        start = time.perf_counter()
        [second] = check([write_outline(Path(tmp), misquotes, corpus, "misquotes.yaml").path])
        seconds = time.perf_counter() - start
    found = missed = 0
    for original, result, quote in zip(first.results, second.results, originals, strict=True):
        if original.status is not Status.VERIFIED or result.status is not Status.MISQUOTE:
            continue
        words = normalize_text(quote.quote).split()
        passage = normalize_text(result.closest.passage).split() if result.closest else []
        if difflib.SequenceMatcher(None, words, passage).ratio() >= 0.8:
            found += 1
        else:
            missed += 1
            shown = result.closest.passage[:70] if result.closest else None
            print(f"  missed: {quote.quote[:70]!r} -> {shown!r}")
    print(
        f"real documents: {found + missed} misquotes whose sentence verifies; the closest "
        f"passage is that sentence for {found}, not for {missed} ({seconds:.1f} s for all)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--realworld", type=Path, default=None)
    args = parser.parse_args()
    time_long(args.repeat)
    documents = args.realworld
    if documents is None:
        for base in (ROOT.parent, ROOT.parent.parent):
            if (base / "shared" / "realworld" / "documents").is_dir():
                documents = base / "shared" / "realworld" / "documents"
                break
    if documents is not None:
        realworld(documents)


if __name__ == "__main__":
    main()
