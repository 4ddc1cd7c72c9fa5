"""A seed -> a realistic archive for the benchmark: articles with a long-tailed vocabulary.

What makes a corpus realistic for `report`, unlike benchmarks/generate.py's recombined seed
texts (kept as a stress case, where every quote's words are common):
- a vocabulary of tens of thousands of word types drawn by Zipf's law (a few hundred
  function words carry half the text, most types occur a handful of times), so that a
  quote of 8 words or more occurs once in the whole corpus, as in a real archive;
- article sizes from a few KB to hundreds of KB (log-normal: most are short news items,
  a few are long reports), about 7.8 KB on average, as in the archives the issue measured
  (100 MB in about 12,900 files, 500 MB in about 65,000);
- Markdown with headings, links, emphasis and lists (most files are .md, the rest .txt),
  hard-wrapped at 72-80 columns, and curly quotation marks and apostrophes.

Files are made on every core, each from its own random stream (seed, file number): the
same arguments give the same bytes whatever the number of cores.
"""

from __future__ import annotations

import itertools
import math
import os
import random
from multiprocessing import get_context
from pathlib import Path

SEED = 20261130
WORD_TYPES = 60_000
ZIPF = 1.05  # the exponent of English running text
MEAN_KB = 7.8
SIZE_SIGMA = 0.95  # of the log-normal file size: a few files of hundreds of KB
MIN_KB, MAX_KB = 1.5, 480
MD_SHARE = 0.7
SMALL_CORPUS = 2 * 1024 * 1024  # bytes written without a pool of processes

_FUNCTION = [
    "the",
    "of",
    "and",
    "to",
    "a",
    "in",
    "that",
    "is",
    "for",
    "it",
    "as",
    "was",
    "with",
    "be",
    "by",
    "on",
    "not",
    "he",
    "this",
    "are",
    "or",
    "his",
    "from",
    "at",
    "which",
    "but",
    "have",
    "an",
    "they",
    "you",
    "were",
    "her",
    "she",
    "there",
    "one",
    "all",
    "we",
    "their",
    "has",
    "would",
    "been",
    "if",
    "will",
    "more",
    "when",
    "who",
    "no",
    "its",
    "what",
    "can",
    "said",
    "so",
    "about",
    "up",
    "out",
    "them",
    "than",
    "into",
    "other",
    "some",
    "could",
    "only",
    "time",
    "these",
    "two",
    "may",
    "first",
    "then",
    "do",
    "any",
    "like",
    "my",
    "now",
    "over",
    "such",
    "our",
    "man",
    "me",
    "even",
    "most",
    "made",
    "after",
    "also",
    "did",
    "many",
    "before",
    "must",
    "through",
    "back",
    "years",
    "where",
    "much",
    "your",
    "way",
    "well",
    "down",
    "should",
    "because",
    "each",
    "just",
    "those",
    "people",
    "how",
    "too",
    "little",
    "state",
    "good",
    "very",
    "make",
    "world",
    "still",
    "own",
    "see",
    "men",
    "work",
    "long",
    "get",
    "here",
    "between",
    "both",
    "life",
    "being",
    "under",
    "never",
    "day",
    "same",
    "another",
    "know",
    "while",
    "last",
    "might",
    "us",
    "great",
    "old",
    "year",
    "off",
    "come",
    "since",
    "against",
    "go",
    "came",
    "right",
    "used",
    "take",
    "three",
]
_ONSETS = [
    "b",
    "c",
    "d",
    "f",
    "g",
    "h",
    "j",
    "k",
    "l",
    "m",
    "n",
    "p",
    "r",
    "s",
    "t",
    "v",
    "w",
    "z",
    "br",
    "cr",
    "dr",
    "fr",
    "gr",
    "pr",
    "tr",
    "bl",
    "cl",
    "fl",
    "gl",
    "pl",
    "sl",
    "st",
    "sp",
    "sk",
    "sm",
    "sn",
    "sh",
    "ch",
    "th",
    "wh",
]
_VOWELS = ["a", "e", "i", "o", "u", "a", "e", "i", "o", "ai", "ea", "ee", "ie", "oa", "ou", "au"]
_CODAS = "| n r s t l m d nd nt st rd rt ck ng sh th ll ss".replace("|", " ").split(" ")


def vocabulary(n: int = WORD_TYPES, seed: int = SEED) -> list[str]:
    """`n` distinct lower-case words, the function words first (the most frequent)."""
    rng = random.Random(seed)
    words: list[str] = list(dict.fromkeys(_FUNCTION))
    seen = set(words)
    while len(words) < n:
        syllables = rng.choices((1, 2, 3), weights=(4, 5, 2))[0]
        w = "".join(
            rng.choice(_ONSETS)
            + rng.choice(_VOWELS)
            + (rng.choice(_CODAS) if rng.random() < 0.6 else "")
            for _ in range(syllables)
        )
        if 3 <= len(w) <= 16 and w not in seen:
            seen.add(w)
            words.append(w)
    return words


class Words:
    """Zipf-distributed draws from the vocabulary."""

    def __init__(self, vocab: list[str]) -> None:
        self.vocab = vocab
        weights = [1 / (r + 1) ** ZIPF for r in range(len(vocab))]
        self.cum = list(itertools.accumulate(weights))

    def draw(self, rng: random.Random, k: int) -> list[str]:
        return rng.choices(self.vocab, cum_weights=self.cum, k=k)

    def rare(self, rng: random.Random) -> str:
        """A word of the long tail (ranks past 2,000)."""
        return self.vocab[rng.randrange(2000, len(self.vocab))]


_words: Words | None = None
_names: list[str] = []
_seeded: int | None = None


def _sentence(rng: random.Random, words: Words) -> str:
    n = max(4, int(rng.gauss(19, 8)))
    ws = words.draw(rng, n)
    if rng.random() < 0.5:  # a proper name
        i = rng.randrange(n)
        ws[i] = rng.choice(_names)
    if rng.random() < 0.25:
        ws[rng.randrange(n)] = str(rng.choice((rng.randrange(1, 100), rng.randrange(1900, 2030))))
    if rng.random() < 0.15:
        i = rng.randrange(n)
        ws[i] = ws[i] + "\u2019s"
    if n > 10 and rng.random() < 0.5:
        i = rng.randrange(3, n - 3)
        ws[i] = ws[i] + ","
    ws[0] = ws[0][:1].upper() + ws[0][1:]
    text = " ".join(ws) + rng.choice(".........?;")
    if rng.random() < 0.12:  # reported speech, in curly quotation marks
        speaker = rng.choice(_names)
        text = f"\u201c{text[:-1]},\u201d {speaker} said."
    return text


def _paragraph(rng: random.Random, words: Words, markdown: bool) -> str:
    sentences = [_sentence(rng, words) for _ in range(max(1, int(rng.gauss(4, 2))))]
    text = " ".join(sentences)
    if markdown:
        tokens = text.split(" ")
        for _ in range(rng.randrange(0, 3)):
            i = rng.randrange(len(tokens))
            w = tokens[i]
            if w.isalpha():
                if rng.random() < 0.6:
                    slug = "-".join(words.draw(rng, 3))
                    year = rng.randrange(2001, 2026)
                    tokens[i] = f"[{w}](https://news.example.org/{year}/{slug})"
                else:
                    tokens[i] = f"*{w}*"
        text = " ".join(tokens)
    return _wrap(text, rng.randint(72, 80))


def _wrap(text: str, width: int) -> str:
    """Hard-wrapped at `width` columns (textwrap.fill's greedy lines, faster)."""
    lines: list[str] = []
    line: list[str] = []
    n = -1
    for w in text.split(" "):
        if n + 1 + len(w) > width and line:
            lines.append(" ".join(line))
            line, n = [], -1
        line.append(w)
        n += 1 + len(w)
    lines.append(" ".join(line))
    return "\n".join(lines)


def article(n: int, seed: int = SEED) -> tuple[str, bytes]:
    """The file name and bytes of article `n`."""
    assert _words is not None
    rng = random.Random(seed * 1_000_003 + n)
    markdown = rng.random() < MD_SHARE
    kb = math.exp(rng.gauss(math.log(MEAN_KB) - SIZE_SIGMA**2 / 2, SIZE_SIGMA))
    target = int(min(MAX_KB, max(MIN_KB, kb)) * 1024)
    title = " ".join(_words.draw(rng, rng.randint(4, 9))).capitalize()
    parts = [f"# {title}" if markdown else title.upper(), ""]
    byline = f"By {rng.choice(_names)}, {rng.choice(('Reuters', 'staff', 'correspondent'))}"
    parts += [f"*{byline}*" if markdown else byline, ""]
    size = sum(len(p) + 1 for p in parts)
    while size < target:
        r = rng.random()
        if markdown and r < 0.05:
            block = "## " + " ".join(_words.draw(rng, rng.randint(2, 6))).capitalize()
        elif markdown and r < 0.08:
            items = (_wrap(_sentence(rng, _words), 74) for _ in range(rng.randint(2, 5)))
            block = "\n".join("- " + item.replace("\n", "\n  ") for item in items)
        else:
            block = _paragraph(rng, _words, markdown)
        parts += [block, ""]
        size += len(block.encode("utf-8")) + 2
    name = f"a{n:06d}.{'md' if markdown else 'txt'}"
    return name, "\n".join(parts).encode("utf-8")


def _init(seed: int) -> None:
    global _words, _names, _seeded
    if _seeded == seed:  # made already (half a second; forked workers inherit it)
        return
    vocab = vocabulary(seed=seed)
    _words = Words(vocab)
    rng = random.Random(seed + 1)
    _names = [w.capitalize() for w in rng.sample(vocab[2000:], 3000)]
    _seeded = seed


def _write(job: tuple[Path, int, int, int]) -> list[tuple[str, int]]:
    directory, first, last, seed = job
    out = []
    for n in range(first, last):
        name, data = article(n, seed)
        (directory / name).write_bytes(data)
        out.append((name, len(data)))
    return out


def make_corpus(directory: Path, size_mb: float, seed: int = SEED) -> list[str]:
    """Write articles and sources.yaml into `directory` until `size_mb` MB; return the ids."""
    directory.mkdir(parents=True, exist_ok=True)
    budget = int(size_mb * 1024 * 1024)
    names: list[str] = []
    written = 0
    n = 0
    _init(seed)
    # Article n is the same bytes however it is made: a small corpus (the tests') is written
    # here, one article at a time, rather than by a pool writing thousands to throw away.
    while written < min(budget, SMALL_CORPUS):
        name, data = article(n, seed)
        (directory / name).write_bytes(data)
        names.append(name)
        written += len(data)
        n += 1
    # Files are made in batches on every core; whole batches until the budget is reached,
    # then the last batch is cut where the budget runs out (the same files either way).
    batch = 256
    if written < budget:
        with get_context("fork").Pool(os.cpu_count() or 1, _init, (seed,)) as pool:
            while written < budget:
                jobs = [(directory, n + k * batch, n + (k + 1) * batch, seed) for k in range(8)]
                n += 8 * batch
                for made in pool.map(_write, jobs):
                    for name, size in made:
                        if written >= budget:
                            (directory / name).unlink()
                            continue
                        names.append(name)
                        written += size
    _init(seed)
    rng = random.Random(seed + 2)
    entries = []
    ids = []
    for k, name in enumerate(names):
        sid = f"a{k:06d}"
        ids.append(sid)
        author = rng.choice(_names)
        entries.append(
            f"- id: {sid}\n  file: {name}\n  title: Article {k}\n"
            f"  author: {rng.choice(_names)} {author}\n  date: {2000 + k % 25}-{k % 12 + 1:02d}-"
            f"{k % 28 + 1:02d}\n  publisher: The {rng.choice(_names)} Times\n"
        )
    (directory / "sources.yaml").write_text("".join(entries), encoding="utf-8")
    return ids


def replacement(rng: random.Random, word: str) -> str:
    """Another word of the vocabulary, to change one word of a quote (a real misquote's
    change is a real word, one the corpus has elsewhere)."""
    if _words is None:
        _init(SEED)
    assert _words is not None
    while True:
        w = _words.draw(rng, 1)[0] if rng.random() < 0.5 else _words.rare(rng)
        if w != word.lower() and len(w) >= 3:
            return w
