"""A seed -> a deterministic benchmark corpus and quote sets (outlines + grep pattern file).

Two kinds of corpus:
- `realistic` (the main one, benchmarks/realistic.py): articles of a few KB to hundreds of KB
  with a long-tailed vocabulary, Markdown links and hard wraps; 20% of the quotes have one
  word changed for another word of the vocabulary (a misquote as people make them).
- `recombined` (the stress case): the seed texts' paragraphs recombined into files of
  5-20 KB, about one word in fifteen swapped for another word of the seeds, so every quote's
  words are common words; 10% of the quotes have one word replaced by a word the seeds
  never use.

Quotes are runs of 8-40 words from one paragraph of a file's text layer; a changed quote
cannot occur anywhere in the corpus and must fail. Same arguments, same bytes.

    python benchmarks/generate.py --size-mb 10 --quotes 1000 [--kind recombined]
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks import realistic  # noqa: E402
from report.readers import layer_of  # noqa: E402

SEEDS = ROOT / "corpus"
DATA = Path(__file__).resolve().parent / "data"
SEED = 20261126
QUOTES_PER_OUTLINE = 100
QUOTES_PER_ARGUMENT = 10
MUTATED_SHARE = {"realistic": 0.20, "recombined": 0.10}
KINDS = tuple(MUTATED_SHARE)

_WORD = re.compile(r"(?<![\w/#.-])[a-z]{3,}(?![\w/.-])")
_QUOTABLE_WORD = re.compile(r"[a-z]{3,}")
# English words the seed texts never use: a quote with one of them cannot occur in the corpus.
_FOREIGN = (
    "firmly",
    "swiftly",
    "quietly",
    "boldly",
    "gladly",
    "sternly",
    "warmly",
    "vaguely",
    "deeply",
    "barely",
    "meadow",
    "lantern",
    "harbor",
    "violin",
    "pebble",
    "orchard",
    "tundra",
    "saddle",
    "basket",
    "furnace",
    "whisper",
    "glimmer",
    "wander",
    "stumble",
    "ponder",
    "mingle",
    "flutter",
    "shimmer",
    "rustle",
    "dangle",
)


@dataclass(frozen=True)
class Quote:
    source: str
    text: str
    mutated: bool


def seed_paragraphs() -> list[str]:
    paragraphs = []
    for path in sorted(SEEDS.glob("*.txt")):
        raw = path.read_text(encoding="utf-8")
        paragraphs.extend(p.strip("\n") for p in re.split(r"\n\s*\n", raw) if p.strip())
    return paragraphs


def seed_vocabulary(paragraphs: list[str]) -> list[str]:
    return sorted({w for p in paragraphs for w in _WORD.findall(p)})


def _recombine(rng: random.Random, paragraph: str, vocab: list[str]) -> str:
    """The paragraph with about one lower-case word in fifteen swapped for another seed word."""
    spans = [m.span() for m in _WORD.finditer(paragraph)]
    if not spans:
        return paragraph
    picks = sorted(rng.sample(spans, max(1, len(spans) // 15)))
    out, pos = [], 0
    for start, end in picks:
        out.append(paragraph[pos:start])
        out.append(rng.choice(vocab))
        pos = end
    out.append(paragraph[pos:])
    return "".join(out)


def make_corpus(
    directory: Path, size_mb: float, seed: int = SEED, file_kb: tuple[int, int] = (5, 20)
) -> list[str]:
    """Write source files (of `file_kb` KB) and sources.yaml into `directory`; return the
    source ids in order."""
    rng = random.Random(seed)
    paragraphs = seed_paragraphs()
    vocab = seed_vocabulary(paragraphs)
    directory.mkdir(parents=True, exist_ok=True)
    budget = int(size_mb * 1024 * 1024)
    ids: list[str] = []
    entries: list[str] = []
    written = 0
    while written < budget:
        n = len(ids)
        sid = f"src-{n:05d}"
        target = rng.randint(file_kb[0] * 1024, file_kb[1] * 1024)
        chunks = [f"# Source {n}: {rng.choice(vocab)} and {rng.choice(vocab)}"]
        size = len(chunks[0])
        start = rng.randrange(len(paragraphs))
        k = 0
        while size < target:
            # Mostly runs of consecutive seed paragraphs (text reads on), sometimes a jump.
            if rng.random() < 0.2:
                start = rng.randrange(len(paragraphs))
                k = 0
            p = _recombine(rng, paragraphs[(start + k) % len(paragraphs)], vocab)
            k += 1
            chunks.append(p)
            size += len(p.encode("utf-8")) + 2
        data = ("\n\n".join(chunks) + "\n").encode("utf-8")
        name = f"{sid}.txt"
        (directory / name).write_bytes(data)
        written += len(data)
        ids.append(sid)
        entries.append(
            f"- id: {sid}\n  file: {name}\n  title: Generated source {n}\n"
            f"  author: Bench Author {n % 97}\n  date: 2024-01-{n % 28 + 1:02d}\n"
        )
    (directory / "sources.yaml").write_text("".join(entries), encoding="utf-8")
    return ids


def _quote_from(rng: random.Random, text: str, paragraphs: tuple[tuple[int, int], ...]) -> str:
    for _ in range(50):
        start, end = paragraphs[rng.randrange(len(paragraphs))]
        words = text[start:end].split()
        if len(words) < 8:
            continue
        n = rng.randint(8, min(40, len(words)))
        first = rng.randrange(len(words) - n + 1)
        quote = " ".join(words[first : first + n])
        # Editorial marks would change what the quote means; keep to plain quotes.
        if any(mark in quote for mark in ("[", "]", "...", "\u2026", "--")):
            continue
        return quote
    return ""


def _mutate(rng: random.Random, quote: str, other_word) -> str | None:
    words = quote.split(" ")
    inner = [i for i in range(1, len(words) - 1) if _QUOTABLE_WORD.fullmatch(words[i])]
    if not inner:
        return None
    i = rng.choice(inner)
    words[i] = other_word(rng, words[i])
    return " ".join(words)


def make_quotes(
    directory: Path, files: dict[str, str], count: int, kind: str, seed: int = SEED
) -> list[Quote]:
    rng = random.Random(seed + count)
    if kind == "realistic":
        other_word = realistic.replacement
    else:
        seeds = "\n".join(seed_paragraphs()).lower()
        foreign = [w for w in _FOREIGN if w not in seeds]
        other_word = lambda rng, _word: rng.choice(foreign)  # noqa: E731
    ids = list(files)
    quotes: list[Quote] = []
    layers: dict[str, tuple[str, tuple[tuple[int, int], ...]]] = {}
    while len(quotes) < count:
        sid = ids[rng.randrange(len(ids))]
        if sid not in layers:
            path = directory / files[sid]
            layer = layer_of(path, path.read_bytes(), str(path))
            layers[sid] = (layer.text, layer.paragraphs)
        quote = _quote_from(rng, *layers[sid])
        if not quote:
            continue
        if rng.random() < MUTATED_SHARE[kind]:
            mutated = _mutate(rng, quote, other_word)
            if mutated is None:
                continue
            quotes.append(Quote(sid, mutated, True))
        else:
            quotes.append(Quote(sid, quote, False))
    return quotes


def write_outlines(folder: Path, corpus_dir: Path, quotes: list[Quote]) -> list[Path]:
    """Outlines of QUOTES_PER_OUTLINE quotes each, plus quotes.txt (one a line, for grep)
    and expected.json (which quotes must fail)."""
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("brief-*.yaml"):
        old.unlink()
    corpus_rel = Path("..") / corpus_dir.name
    paths = []
    for b in range(0, len(quotes), QUOTES_PER_OUTLINE):
        batch = quotes[b : b + QUOTES_PER_OUTLINE]
        lines = [
            f"title: Benchmark brief {b // QUOTES_PER_OUTLINE}",
            f"corpus: {corpus_rel.as_posix()}",
            "sections:",
            "  - heading: Evidence",
            "    arguments:",
        ]
        for a in range(0, len(batch), QUOTES_PER_ARGUMENT):
            lines.append(f"      - claim: Claim {a // QUOTES_PER_ARGUMENT}")
            lines.append("        evidence:")
            for q in batch[a : a + QUOTES_PER_ARGUMENT]:
                lines.append(f"          - source: {q.source}")
                lines.append(f"            quote: {json.dumps(q.text, ensure_ascii=False)}")
        path = folder / f"brief-{b // QUOTES_PER_OUTLINE:04d}.yaml"
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        paths.append(path)
    (folder / "quotes.txt").write_text("".join(q.text + "\n" for q in quotes), encoding="utf-8")
    expected = [{"source": q.source, "mutated": q.mutated} for q in quotes]
    (folder / "expected.json").write_text(json.dumps(expected), encoding="utf-8")
    return paths


def generate(
    size_mb: float,
    quote_counts: list[int],
    data: Path = DATA,
    kind: str = "realistic",
    file_kb: tuple[int, int] = (5, 20),
) -> Path:
    """Make (or reuse, when already made with the same arguments) one corpus and its quote
    sets under `data`; return the corpus folder. `file_kb` sizes the recombined kind's files."""
    name = f"{kind}-{size_mb:g}mb"
    if kind != "realistic" and file_kb != (5, 20):
        name += f"-{file_kb[0]}-{file_kb[1]}kb"
    corpus_dir = data / name
    stamp = corpus_dir / ".complete"
    if not stamp.exists():
        if kind == "realistic":
            ids = realistic.make_corpus(corpus_dir, size_mb)
            names = {p.stem: p.name for p in corpus_dir.iterdir() if p.suffix in (".md", ".txt")}
            files = {sid: names[sid] for sid in ids}
        else:
            ids = make_corpus(corpus_dir, size_mb, file_kb=file_kb)
            files = {sid: f"{sid}.txt" for sid in ids}
        stamp.write_text(json.dumps(files))
    files = json.loads(stamp.read_text())
    for count in quote_counts:
        folder = data / f"{name}-q{count}"
        # the same quotes without the mutated ones: a run in which every quote verifies
        verbatim = data / f"{name}-q{count}-verbatim"
        if (folder / ".complete").exists() and (verbatim / ".complete").exists():
            continue
        quotes = make_quotes(corpus_dir, files, count, kind)
        write_outlines(folder, corpus_dir, quotes)
        write_outlines(verbatim, corpus_dir, [q for q in quotes if not q.mutated])
        (folder / ".complete").write_text("ok")
        (verbatim / ".complete").write_text("ok")
    return corpus_dir


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size-mb", type=float, default=10)
    parser.add_argument("--quotes", type=int, nargs="+", default=[1000])
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--kind", choices=KINDS, default="realistic")
    args = parser.parse_args()
    corpus_dir = generate(args.size_mb, args.quotes, args.data, args.kind)
    print(corpus_dir)


if __name__ == "__main__":
    main()
