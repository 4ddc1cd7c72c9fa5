"""sources.yaml of an archive: read entry by entry (no fixed 8 MB ceiling), and from the
cache a warm run makes only the entries it names (no O(sources) work)."""

from __future__ import annotations

from pathlib import Path

import pytest

import report.sources
from report.cache import TextCache
from report.corpus import load_corpus
from report.errors import CorpusError
from report.findings import Status
from report.pipeline import check
from report.sources import _SourcesLoader
from report.yamlfile import compose_yaml, list_items
from tests.conftest import ROOT
from tests.quotecheck import Q, write_outline

ENTRY = """\
- id: s{n}
  file: s{n}.txt
  title: "Source {n}: a title"
  author: [{{family: Doe, given: Jane}}, John Roe]
  date: 2024-01-{day:02d}
  abstract: >
    {abstract}
  body: {{start: "Words {n}", end: "end {n}."}}
  exclude:
    - "aside {n}"
"""


def _archive(root: Path, n: int, abstract: str = "A short abstract.") -> Path:
    corpus = root / "corpus"
    corpus.mkdir()
    for k in range(n):
        (corpus / f"s{k}.txt").write_text(
            f"Title {k}\n\nWords {k} of the source, then aside {k}, then the end {k}.\n",
            encoding="utf-8",
        )
    entries = [ENTRY.format(n=k, day=k % 28 + 1, abstract=abstract) for k in range(n)]
    (corpus / "sources.yaml").write_text("# archive\n" + "".join(entries), encoding="utf-8")
    return corpus


@pytest.mark.parametrize("wrapped", [False, True])
def test_entry_by_entry_reads_what_the_whole_document_reads(tmp_path, wrapped):
    """The same sources, locations and spans as composing the whole file (the old way)."""
    seed = (ROOT / "corpus/sources.yaml").read_text(encoding="utf-8")
    archive = (_archive(tmp_path, 30) / "sources.yaml").read_text(encoding="utf-8")
    for text in (seed, archive):
        if wrapped:
            text = "sources:\n" + "".join(f"  {line}\n" for line in text.splitlines())
        root = (tmp_path / "corpus") if "archive" in text else ROOT / "corpus"
        whole = _SourcesLoader(root.resolve(), "s.yaml").load(
            compose_yaml(text, "s.yaml", CorpusError)
        )
        items = list_items(text, "s.yaml", CorpusError, key="sources")
        assert items is not None
        streamed = _SourcesLoader(root.resolve(), "s.yaml").load_items(items)
        assert streamed == whole and len(whole) >= 4


def test_a_sources_yaml_over_8_mb_loads(tmp_path):
    corpus = _archive(tmp_path, 600, abstract="word " * 3000)
    assert (corpus / "sources.yaml").stat().st_size > 8 * 1024 * 1024
    loaded = load_corpus(corpus)
    assert len(loaded.sources) == 600
    assert loaded.sources["s599"].location.line > 500 * 10


def test_entry_by_entry_errors_are_located(tmp_path):
    corpus = _archive(tmp_path, 3)
    path = corpus / "sources.yaml"
    good = path.read_text()
    path.write_text(good + "- id: bad\n  file: missing.txt\n- {id: y, file: *x}\n")
    with pytest.raises(CorpusError, match=r"sources.yaml:34:\d+: YAML aliases \(\*x\)"):
        load_corpus(corpus)
    path.write_text(good + "- id: bad\n  file: missing.txt\n")
    with pytest.raises(CorpusError, match=r"sources.yaml:33:9: source file 'missing.txt' does"):
        load_corpus(corpus)
    path.write_text(good + "- id: c\n  file: [unclosed\n")
    with pytest.raises(CorpusError, match=r"sources.yaml:\d+:\d+: invalid YAML"):
        load_corpus(corpus)


def test_a_warm_run_makes_only_the_entries_it_names(tmp_path, monkeypatch):
    corpus = _archive(tmp_path, 200)
    cache = tmp_path / "cache"
    outline = write_outline(tmp_path, [Q("s7", "Words 7 of the source")], corpus).path
    [cold] = check([outline], cache_dir=cache)
    made = []
    real = report.sources._source_from_row
    monkeypatch.setattr(
        report.sources, "_source_from_row", lambda *a: made.append(a[0][0]) or real(*a)
    )
    [warm] = check([outline], cache_dir=cache)
    assert [r.status for r in warm.results] == [r.status for r in cold.results]
    assert [r.status for r in warm.results] == [Status.VERIFIED]
    assert made == ["s7"]  # not 200 entries


def test_cached_entries_whose_file_moved_are_read_again(tmp_path):
    corpus = _archive(tmp_path, 5)
    cache = TextCache(tmp_path / "cache")
    load_corpus(corpus, cache)
    (corpus / "s3.txt").unlink()
    (corpus / "s3.txt").mkdir()  # no longer a file: sources.yaml is read afresh, and says so
    again = load_corpus(corpus, cache)
    with pytest.raises(CorpusError, match="is not a file"):
        again.sources["s3"]
