"""The benchmark's generators and its correctness check, on tiny corpora (no timings)."""

from __future__ import annotations

import re

import pytest

from benchmarks.generate import generate
from benchmarks.run import check_results


@pytest.mark.parametrize("kind", ["realistic", "recombined"])
def test_generator_is_deterministic(tmp_path, kind):
    a = generate(0.2, [40], tmp_path / "a", kind)
    b = generate(0.2, [40], tmp_path / "b", kind)
    files = sorted(p.name for p in a.iterdir())
    assert files == sorted(p.name for p in b.iterdir())
    assert len(files) > 10
    for name in files:
        assert (a / name).read_bytes() == (b / name).read_bytes()
    quotes = f"{kind}-0.2mb-q40/quotes.txt"
    assert (tmp_path / "a" / quotes).read_text() == (tmp_path / "b" / quotes).read_text()


def test_realistic_corpus_is_an_archive(tmp_path):
    """Markdown with links and hard wraps, curly quotes, sizes from under 2 KB to tens of
    KB, and a vocabulary whose words mostly occur rarely (a long tail)."""
    corpus = generate(1, [10], tmp_path)
    files = [p for p in corpus.iterdir() if p.suffix in (".md", ".txt")]
    sizes = sorted(p.stat().st_size for p in files)
    assert sizes[0] < 2500 and sizes[-1] > 20_000
    text = "\n".join(p.read_text(encoding="utf-8") for p in files)
    assert "](https://" in text and "\u201c" in text and "\u2019" in text
    assert max(len(line) for line in text.splitlines()) <= 200  # hard-wrapped, but for links
    counts: dict[str, int] = {}
    for w in re.findall(r"[a-z]+", text.lower()):
        counts[w] = counts.get(w, 0) + 1
    assert len(counts) > 10_000
    assert sum(1 for c in counts.values() if c <= 3) > len(counts) / 2


@pytest.mark.parametrize("kind", ["realistic", "recombined"])
def test_verbatim_quotes_verify_and_mutated_ones_fail(tmp_path, invoke, kind):
    corpus = generate(0.3, [80], tmp_path, kind)
    folder = tmp_path / f"{corpus.name}-q80"
    outlines = sorted(folder.glob("brief-*.yaml"))
    result = invoke("check", *outlines, "--format", "json", "--cache-dir", tmp_path / "c")
    assert result.code == 1, result.err
    check = check_results(result.out, folder)
    assert check["quotes"] == 80
    assert 0 < check["mutated"] < 30
    assert check["wrong"] == 0
    assert check["misquotes_without_closest"] == 0
    # The same again from the cache.
    again = invoke("check", *outlines, "--format", "json", "--cache-dir", tmp_path / "c")
    assert again.out == result.out
