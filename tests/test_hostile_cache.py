"""The hostile-input catalogue, cache side: a cache folder is data anyone who can write a CI
cache store may have planted. A cache may only make `report` fast; it can never make a quote
verify that the source's bytes do not hold, crash a run, or make it read without bound."""

from __future__ import annotations

import json
import os
import resource
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from report.cache import TextCache, content_key
from report.corpus import Corpus, load_corpus
from report.findings import Status
from report.pipeline import check
from report.prepare import cached, encode, prepare
from report.readers import reader_tag
from tests.conftest import ROOT
from tests.pdfmaker import text_ops, write_pdf
from tests.quotecheck import Q, write_outline

TRUE = "Paragraph one says the quick brown fox jumps over the lazy dog."
SOURCE = f"A Title\n\n{TRUE}\n\nAnother paragraph, the last.\n"
FABRICATED = "the minister admitted the plan had failed"


def project(root: Path, source: bytes = SOURCE.encode(), name: str = "a.txt") -> Path:
    corpus = root / "corpus"
    corpus.mkdir()
    (corpus / name).write_bytes(source)
    (corpus / "sources.yaml").write_text(f"- id: a\n  file: {name}\n", encoding="utf-8")
    return corpus


def verdicts(root: Path, corpus: Path, *quotes: str, cache: Path) -> list[Status]:
    written = write_outline(root, [Q("a", q) for q in quotes], corpus)
    [checked] = check([written.path], cache_dir=cache)
    return [r.status for r in checked.results]


def forge(cache_dir: Path, path: Path, text: str) -> str:
    """Plant a cache entry for `path`'s bytes whose text is `text`: a sound entry (right
    key, right checksum), of invented words."""
    key = content_key(path.read_bytes(), reader_tag(path))
    cache = TextCache(cache_dir)
    cache.put_entry(key, encode(key, prepare(text)))
    return key


def test_a_forged_text_entry_does_not_make_a_fabricated_quote_verify(tmp_path):
    corpus = project(tmp_path)
    cache = tmp_path / "cache"
    assert verdicts(tmp_path, corpus, TRUE, cache=cache) == [Status.VERIFIED]  # warm it
    key = forge(cache, corpus / "a.txt", SOURCE.replace("the last.", FABRICATED + "."))
    got = verdicts(tmp_path, corpus, FABRICATED, TRUE, cache=cache)
    assert got == [Status.MISQUOTE, Status.VERIFIED]
    # ... and the planted entry is gone: the text was built again from the file
    assert FABRICATED not in cached(TextCache(cache), key).norm.text


def test_a_forged_pdf_entry_is_checked_against_the_pdf_pages(tmp_path):
    pdf = write_pdf(tmp_path / "paper.pdf", [text_ops([TRUE]), text_ops(["Page two text."])])
    corpus = project(tmp_path, pdf.read_bytes(), "paper.pdf")
    cache = tmp_path / "cache"
    assert verdicts(tmp_path, corpus, TRUE, cache=cache) == [Status.VERIFIED]
    kept = cached(TextCache(cache), content_key(pdf.read_bytes(), "pdf"))
    forged = kept.layer.text.replace("lazy dog", "lazy dog and " + FABRICATED)
    forge(cache, corpus / "paper.pdf", forged)
    assert verdicts(tmp_path, corpus, FABRICATED, TRUE, cache=cache) == [
        Status.MISQUOTE,
        Status.VERIFIED,
    ]


def test_a_true_quote_from_a_cached_text_is_confirmed_without_rebuilding(tmp_path, monkeypatch):
    corpus = project(tmp_path)
    cache = tmp_path / "cache"
    verdicts(tmp_path, corpus, TRUE, cache=cache)

    def rebuilt(*args):
        raise AssertionError("a sound cache entry was rebuilt")

    monkeypatch.setattr(Corpus, "rebuilt", rebuilt)
    assert verdicts(tmp_path, corpus, TRUE, cache=cache) == [Status.VERIFIED]


@pytest.mark.parametrize("offset", [20, 1000, 8000])
def test_a_damaged_index_is_rebuilt(tmp_path, offset):
    corpus = project(tmp_path)
    cache = tmp_path / "cache"
    misquote = "the quick brown cat jumps over the lazy dog"
    assert verdicts(tmp_path, corpus, misquote, cache=cache) == [Status.MISQUOTE]  # builds it
    [index] = cache.glob("index-*.sqlite")
    damaged = bytearray(index.read_bytes())
    damaged[min(offset, len(damaged) - 1)] ^= 0xFF
    index.write_bytes(bytes(damaged))
    written = write_outline(tmp_path, [Q("a", misquote)], corpus)
    [checked] = check([written.path], cache_dir=cache)
    [result] = checked.results
    assert result.status is Status.MISQUOTE
    assert result.closest is not None and "quick brown fox" in result.closest.passage


def test_cache_files_that_are_not_files_are_not_read(tmp_path):
    corpus = project(tmp_path)
    cache = tmp_path / "cache"
    verdicts(tmp_path, corpus, "the quick brown cat", cache=cache)  # sources, memo, index
    planted = [*cache.rglob("*.json"), *cache.glob("sources-*.sqlite")]
    assert planted, "the run kept no documents to plant over"
    for path in planted:
        path.unlink()
        path.symlink_to("/dev/zero")
    result = run_limited(tmp_path, corpus, cache, memory=2 << 30)
    assert result.returncode == 1, result.stderr  # a misquote, found as before
    assert "Traceback" not in result.stderr


def test_a_sparse_huge_file_in_the_corpus_is_never_read_whole(tmp_path):
    corpus = project(tmp_path)
    with open(corpus / "huge.txt", "wb") as f:
        f.truncate(3 << 30)  # 3 GB that take no room
    sources = corpus / "sources.yaml"
    sources.write_text(sources.read_text() + "- id: huge\n  file: huge.txt\n")
    cache = tmp_path / "cache"
    # A misquote builds the index over the whole corpus, the huge file included.
    result = run_limited(tmp_path, corpus, cache, memory=1 << 30)
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    # Named by a quote, it is an input error, found before a byte is read.
    written = write_outline(tmp_path, [Q("huge", "anything at all here")], corpus, "h.yaml")
    named = run_limited(tmp_path, corpus, cache, memory=1 << 30, outline=written.path)
    assert named.returncode == 2
    assert "huge.txt: file is larger than 64 MB" in named.stderr


def run_limited(
    root: Path, corpus: Path, cache: Path, memory: int, outline: Path | None = None
) -> subprocess.CompletedProcess:
    """`report check` of a one-misquote outline in a process that may not take more than
    `memory` bytes of address space above what Python itself needs."""
    if outline is None:
        outline = write_outline(root, [Q("a", "the quick brown cat")], corpus, "m.yaml").path

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (memory + (512 << 20), resource.RLIM_INFINITY))

    env = dict(os.environ, PYTHONPATH=str(ROOT), NO_COLOR="1", REPORT_CACHE_DIR=str(cache))
    return subprocess.run(
        [sys.executable, "-m", "report", "check", str(outline)],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        preexec_fn=limit,
    )


def test_the_forged_verdict_also_fails_from_the_command_line(tmp_path):
    corpus = project(tmp_path)
    cache = tmp_path / "cache"
    verdicts(tmp_path, corpus, TRUE, cache=cache)
    forge(cache, corpus / "a.txt", SOURCE.replace("the last.", FABRICATED + "."))
    written = write_outline(tmp_path, [Q("a", FABRICATED)], corpus, "f.yaml")
    env = dict(os.environ, PYTHONPATH=str(ROOT), NO_COLOR="1", REPORT_CACHE_DIR=str(cache))
    result = subprocess.run(
        [sys.executable, "-m", "report", "check", str(written.path), "--format", "json"],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert result.returncode == 1
    assert json.loads(result.stdout)["quotes"][0]["status"] == "misquote"
    assert load_corpus(corpus) is not None


def test_a_forged_sources_entry_cannot_unpin_or_move_a_source(tmp_path):
    corpus = project(tmp_path)
    (corpus / "b.txt").write_text(f"B\n\n{FABRICATED} in another file.\n", encoding="utf-8")
    pin = content_key((corpus / "a.txt").read_bytes())
    (corpus / "sources.yaml").write_text(
        f"- id: a\n  file: a.txt\n  sha256: {pin}\n- id: b\n  file: b.txt\n", encoding="utf-8"
    )
    cache = tmp_path / "cache"
    assert verdicts(tmp_path, corpus, TRUE, cache=cache) == [Status.VERIFIED]  # cached
    [entries] = list(cache.glob("sources-*.sqlite"))
    db = sqlite3.connect(entries)
    rows = [json.loads(r) for (r,) in db.execute("SELECT row FROM rows ORDER BY n")]

    def plant() -> None:
        with db:
            for row in rows:
                db.execute("UPDATE rows SET row = ? WHERE id = ?", (json.dumps(row), row[0]))

    rows[0][1] = str((corpus / "b.txt").resolve())  # `a` now reads b.txt ...
    rows[0][2] = "b.txt"
    rows[1][1], rows[1][2] = str((corpus / "a.txt").resolve()), "a.txt"
    plant()
    assert verdicts(tmp_path, corpus, FABRICATED, cache=cache) == [Status.WRONG_SOURCE]
    (corpus / "a.txt").write_text(SOURCE + "\nEdited.\n", encoding="utf-8")
    rows[0][1], rows[0][2], rows[0][5] = str((corpus / "a.txt").resolve()), "a.txt", None
    plant()  # ... or is no longer pinned
    assert verdicts(tmp_path, corpus, TRUE, cache=cache) == [Status.SOURCE_CHANGED]
