"""The benchmark's generator and its correctness check, on a tiny corpus (no timings)."""

from __future__ import annotations

from benchmarks.generate import generate
from benchmarks.run import check_results


def test_generator_is_deterministic(tmp_path):
    a = generate(0.2, [40], tmp_path / "a")
    b = generate(0.2, [40], tmp_path / "b")
    files = sorted(p.name for p in a.iterdir())
    assert files == sorted(p.name for p in b.iterdir())
    assert len(files) > 10
    for name in files:
        assert (a / name).read_bytes() == (b / name).read_bytes()
    quotes = "corpus-0.2mb-q40/quotes.txt"
    assert (tmp_path / "a" / quotes).read_text() == (tmp_path / "b" / quotes).read_text()


def test_verbatim_quotes_verify_and_mutated_ones_fail(tmp_path, invoke):
    corpus = generate(0.3, [80], tmp_path)
    folder = tmp_path / f"{corpus.name}-q80"
    outlines = sorted(folder.glob("brief-*.yaml"))
    result = invoke("check", *outlines, "--format", "json", "--cache-dir", tmp_path / "c")
    assert result.code == 1, result.err
    check = check_results(result.out, folder)
    assert check["quotes"] == 80
    assert 0 < check["mutated"] < 20
    assert check["wrong"] == 0
    assert check["misquotes_without_closest"] == 0
    # The same again from the cache.
    again = invoke("check", *outlines, "--format", "json", "--cache-dir", tmp_path / "c")
    assert again.out == result.out
