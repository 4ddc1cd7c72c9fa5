"""An index already up to date with its corpus is used as it is: the same sources.yaml and
every file's stat stamp unchanged, no source entry is made and nothing is read; any change
(an edit, a file replaced, sources.yaml itself) brings the index up to date as before."""

from __future__ import annotations

import os

import pytest

import report.index
import report.sources
from report.cache import TextCache
from report.corpus import load_corpus
from report.index import CorpusIndex, Fts5Index, _listing, index_path


def _corpus(root, n: int = 3):
    corpus = root / "corpus"
    corpus.mkdir()
    for k in range(n):
        (corpus / f"s{k}.txt").write_text(f"Title {k}\n\nThe words of source number {k}.\n")
    (corpus / "sources.yaml").write_text(
        "".join(f"- id: s{k}\n  file: s{k}.txt\n" for k in range(n)), encoding="utf-8"
    )
    return corpus


@pytest.fixture
def settled(monkeypatch):
    """Files written by a test are seconds old: as old enough to trust their stamps."""
    monkeypatch.setattr(report.index, "_RACY_NS", 0)


def _entries_made(monkeypatch) -> list[str]:
    made: list[str] = []
    real = report.sources._source_from_row

    def counted(row, *args):
        made.append(row[0])
        return real(row, *args)

    monkeypatch.setattr(report.sources, "_source_from_row", counted)
    return made


def test_an_unchanged_corpus_makes_no_source_entry(tmp_path, monkeypatch, settled):
    corpus = _corpus(tmp_path)
    cache = TextCache(tmp_path / "cache")
    CorpusIndex.open(load_corpus(corpus, cache))  # built, and sources.yaml's rows cached
    made = _entries_made(monkeypatch)
    index = CorpusIndex.open(load_corpus(corpus, cache))
    assert made == []
    assert (index.added, index.removed) == (0, 0)
    assert index.containing(["source", "number", "2"]) == [("s2", 1)]


def test_an_edited_file_is_indexed_again(tmp_path, settled):
    corpus = _corpus(tmp_path)
    cache = TextCache(tmp_path / "cache")
    CorpusIndex.open(load_corpus(corpus, cache))
    before = (corpus / "s1.txt").stat()
    (corpus / "s1.txt").write_text("Title 1\n\nThe edited words of source number 1.\n")
    # the same size and mtime as before: the inode and ctime still tell the change
    os.utime(corpus / "s1.txt", ns=(before.st_atime_ns, before.st_mtime_ns))
    index = CorpusIndex.open(load_corpus(corpus, cache))
    assert index.added == 1
    assert index.containing(["edited", "words"]) == [("s1", 1)]


def test_a_file_replaced_by_another_is_indexed_again(tmp_path, settled):
    corpus = _corpus(tmp_path)
    cache = TextCache(tmp_path / "cache")
    CorpusIndex.open(load_corpus(corpus, cache))
    (corpus / "new.txt").write_text("Title 1\n\nThe other words of source number 1.\n")
    os.replace(corpus / "new.txt", corpus / "s1.txt")
    index = CorpusIndex.open(load_corpus(corpus, cache))
    assert index.containing(["other", "words"]) == [("s1", 1)]


def test_a_changed_sources_yaml_is_followed(tmp_path, settled):
    corpus = _corpus(tmp_path)
    cache = TextCache(tmp_path / "cache")
    CorpusIndex.open(load_corpus(corpus, cache))
    (corpus / "sources.yaml").write_text("- id: only\n  file: s2.txt\n", encoding="utf-8")
    index = CorpusIndex.open(load_corpus(corpus, cache))
    assert index.removed == 2
    assert index.containing(["source", "number", "2"]) == [("only", 1)]


def test_files_changed_too_recently_are_not_taken_as_settled(tmp_path):
    corpus = _corpus(tmp_path)
    cache = TextCache(tmp_path / "cache")
    loaded = load_corpus(corpus, cache)
    CorpusIndex.open(loaded)
    fts = Fts5Index(index_path(cache, corpus))
    # written a moment ago: a change within the same stamp could not be told apart
    assert fts.files(_listing(loaded)) is None


def test_a_document_the_index_no_longer_holds_is_added_again(tmp_path, settled):
    corpus = _corpus(tmp_path)
    cache = TextCache(tmp_path / "cache")
    first = CorpusIndex.open(load_corpus(corpus, cache))
    (key,) = [k for k, sids in first.by_key.items() if sids == ["s0"]]
    fts = Fts5Index(index_path(cache, corpus))
    fts.remove_except(fts.keys() - {key}, first._paragraphs)
    fts.commit()
    index = CorpusIndex.open(load_corpus(corpus, cache))
    assert index.added == 1
    assert index.containing(["source", "number", "0"]) == [("s0", 1)]
