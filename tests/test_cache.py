"""The on-disk text cache: reused across runs, keyed by content, damage rebuilt, never stale."""

from __future__ import annotations

import json
import os
import sqlite3
import time

import pytest

from report.cache import HashMemo, TextCache, content_key
from report.corpus import build_source_text, load_corpus
from report.prepare import cached
from tests.conftest import SAMPLE, copy_sample_project

CNBC = "004_d18f45208089c0a8.txt"


def project(tmp_path):
    """A copy of the seed corpus and the sample outline, laid out as a user's project."""
    copy_sample_project(tmp_path)
    return tmp_path / "corpus", tmp_path / "outlines" / SAMPLE.name


def same_text(a, b) -> None:
    assert a.text == b.text
    assert a.layer.text == b.layer.text
    assert a.layer.paragraphs == b.layer.paragraphs
    assert a.para_starts == b.para_starts
    assert a.body == b.body
    for pos in range(0, len(a.text), 97):
        assert a.location(pos) == b.location(pos)


def test_second_run_reads_the_cache_and_gets_the_same_text(tmp_path):
    corpus_dir, _ = project(tmp_path)
    first_cache = TextCache(tmp_path / "cache")
    first = load_corpus(corpus_dir, first_cache).text("cnbc-2021")
    assert (first_cache.hits, first_cache.misses) == (0, 1)

    cache = TextCache(tmp_path / "cache")
    again = load_corpus(corpus_dir, cache).text("cnbc-2021")
    assert (cache.hits, cache.misses) == (1, 0)
    same_text(again, first)
    source = load_corpus(corpus_dir).sources["cnbc-2021"]
    same_text(again, build_source_text(source, again.shown, source.path.read_text()))


@pytest.mark.parametrize(
    "damage",
    [
        "substr(data, 1, length(data) - 10)",  # torn write
        # one letter of the text changed, lengths intact: only the checksum can tell
        "substr(data, 1, 600) || 'X' || substr(data, 602)",
        "x'00'",
    ],
)
def test_damaged_entry_is_ignored_and_rebuilt(tmp_path, damage):
    corpus_dir, _ = project(tmp_path)
    cache = TextCache(tmp_path / "cache")
    good = load_corpus(corpus_dir, cache).text("cnbc-2021")
    db = sqlite3.connect(cache.path)
    db.execute(f"UPDATE entries SET data = {damage}")
    db.commit()
    db.close()

    rebuilt_cache = TextCache(tmp_path / "cache")
    rebuilt = load_corpus(corpus_dir, rebuilt_cache).text("cnbc-2021")
    assert (rebuilt_cache.hits, rebuilt_cache.misses) == (0, 1)
    same_text(rebuilt, good)
    healed = TextCache(tmp_path / "cache")
    load_corpus(corpus_dir, healed).text("cnbc-2021")
    assert healed.hits == 1


def test_a_cache_file_that_is_not_a_database_is_replaced(tmp_path):
    corpus_dir, _ = project(tmp_path)
    cache = TextCache(tmp_path / "cache")
    assert cache.path is not None
    cache.path.parent.mkdir(parents=True)
    cache.path.write_bytes(b"this is not SQLite" * 100)
    text = load_corpus(corpus_dir, cache).text("ponars-643")
    assert "Masked Diplomacy" in text.text
    again = TextCache(tmp_path / "cache")
    load_corpus(corpus_dir, again).text("ponars-643")
    assert again.hits == 1


def test_an_edited_source_is_checked_afresh_not_from_the_cache(tmp_path, invoke):
    corpus_dir, outline = project(tmp_path)
    cache_dir = tmp_path / "cache"
    assert invoke("check", outline, "--cache-dir", cache_dir).code == 0
    source = corpus_dir / CNBC
    text = source.read_text(encoding="utf-8")
    assert "junior partner" in text
    source.write_text(text.replace("junior partner", "senior partner"), encoding="utf-8")

    result = invoke("check", outline, "--cache-dir", cache_dir)
    assert result.code == 1
    assert "misquote: not found in cnbc-2021" in result.out
    assert "+ senior" in result.out


def test_entries_are_keyed_by_content_hash(tmp_path):
    corpus_dir, _ = project(tmp_path)
    cache = TextCache(tmp_path / "cache")
    corpus = load_corpus(corpus_dir, cache)
    corpus.text("cnbc-2021")
    data = (corpus_dir / CNBC).read_bytes()
    assert corpus.key("cnbc-2021") == content_key(data)
    # The same bytes under another name are the same entry; other bytes are another.
    assert cached(TextCache(tmp_path / "cache"), content_key(data)) is not None
    assert cached(TextCache(tmp_path / "cache"), content_key(data + b" ")) is None


def test_default_cache_is_beside_the_corpus_and_no_cache_writes_nothing(tmp_path, invoke):
    _, outline = project(tmp_path)
    assert invoke("check", outline, "--no-cache").code == 0
    assert not (tmp_path / ".report-cache").exists()
    assert invoke("check", outline, cwd=tmp_path).code == 0
    assert any((tmp_path / ".report-cache").glob("texts-*.sqlite"))


def test_hash_memo_trusts_a_file_only_while_its_stat_is_unchanged(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text("one")
    old = time.time() - 60
    os.utime(path, (old, old))
    memo = HashMemo(tmp_path / "memo.json")
    memo.remember(path, "key-one", path.stat())
    memo.save()
    assert HashMemo(tmp_path / "memo.json").known(path) == "key-one"
    path.write_text("two")
    assert HashMemo(tmp_path / "memo.json").known(path) is None


def _project(tmp_path, files: dict[str, str], sources: str, quotes: list[tuple[str, str]]):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for name, text in files.items():
        (corpus / name).parent.mkdir(parents=True, exist_ok=True)
        (corpus / name).write_text(text, encoding="utf-8")
    (corpus / "sources.yaml").write_text(sources, encoding="utf-8")
    evidence = "".join(
        f"          - source: {sid}\n            quote: {quote}\n" for sid, quote in quotes
    )
    outline = tmp_path / "o.yaml"
    outline.write_text(
        "title: T\ncorpus: corpus\nsections:\n  - heading: H\n    arguments:\n"
        f"      - claim: C\n        evidence:\n{evidence}",
        encoding="utf-8",
    )
    return outline


def test_the_same_bytes_read_by_two_readers_are_two_cache_entries(tmp_path, invoke):
    page = "<p>Visible words of the page here.</p><nav>menu words of the site</nav>\n"
    outline = _project(
        tmp_path,
        {"a.html": page, "b.md": page},
        "- id: a\n  file: a.html\n- id: b\n  file: b.md\n",
        [("b", "menu words of the site"), ("a", "menu words of the site")],
    )
    cold = invoke("check", outline, "--format", "json", cwd=tmp_path)
    warm = invoke("check", outline, "--format", "json", cwd=tmp_path)
    fresh = invoke("check", outline, "--format", "json", "--no-cache", cwd=tmp_path)
    statuses = [[q["status"] for q in json.loads(r.out)["quotes"]] for r in (cold, warm, fresh)]
    # Markdown keeps the menu's text (only the tags are markup); the HTML reader drops it.
    assert statuses == [["verified", "wrong_source"]] * 3  # a drops it: found in b only


def test_a_retargeted_symlink_is_followed_with_a_warm_cache(tmp_path, invoke):
    outline = _project(
        tmp_path,
        {"v1.txt": "The first version says yes to the plan.\n",
         "v2.txt": "The second version says no to the plan.\n"},
        "- id: a\n  file: latest.txt\n",
        [("a", "The first version says yes to the plan.")],
    )  # fmt: skip
    link = tmp_path / "corpus" / "latest.txt"
    link.symlink_to("v1.txt")
    assert invoke("check", outline, cwd=tmp_path).code == 0
    link.unlink()
    link.symlink_to("v2.txt")
    assert invoke("check", outline, cwd=tmp_path).code == 1


def test_a_folder_turned_symlink_is_noticed_with_a_warm_cache(tmp_path, invoke):
    """A warm run confirms cached sources.yaml entries without resolving every path: a
    folder on the way that has become a symlink (here, out of the corpus) is still seen."""
    outline = _project(
        tmp_path,
        {"sub/a.txt": "The first version says yes to the plan.\n"},
        "- id: a\n  file: sub/a.txt\n",
        [("a", "The first version says yes to the plan.")],
    )  # fmt: skip
    assert invoke("check", outline, cwd=tmp_path).code == 0
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "a.txt").write_text("The first version says yes to the plan.\n")
    sub = tmp_path / "corpus" / "sub"
    (sub / "a.txt").unlink()
    sub.rmdir()
    sub.symlink_to(outside)
    result = invoke("check", outline, cwd=tmp_path)
    assert result.code == 2, result.out
    assert "sources.yaml:2" in result.err and "outside" in result.err, result.err


def test_dot_dot_after_a_symlinked_folder_reads_the_file_the_system_reads(tmp_path, invoke):
    """`link/../a.txt` is the `a.txt` beside the link's target, as `cat` reads it, not the
    `a.txt` beside the link: a path with `..` is resolved, warm or cold."""
    outline = _project(
        tmp_path,
        {"a.txt": "The memo says the plan was rejected.\n",
         "real/a.txt": "The memo says the plan was approved.\n",
         "real/deep/b.txt": "Filler.\n"},
        "- id: a\n  file: link/../a.txt\n",
        [("a", "The memo says the plan was approved.")],
    )  # fmt: skip
    (tmp_path / "corpus" / "link").symlink_to("real/deep")
    for _ in ("cold", "warm"):
        result = invoke("check", outline, cwd=tmp_path)
        assert result.code == 0, result.out + result.err
