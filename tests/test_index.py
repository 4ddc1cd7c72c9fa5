"""The FTS5 passage index: the searches beyond a quote's named source find what a scan of
the whole corpus finds, follow the corpus as it changes, and survive a damaged index."""

from __future__ import annotations

import shutil

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from report.cache import TextCache
from report.closest import closest_passage
from report.corpus import load_corpus
from report.elsewhere import CorpusSearch
from report.index import TOKEN, CorpusIndex, Fts5Index, Hit, index_path
from report.normalize import normalize_text, tokens_unchanged
from report.outline import load_outline
from report.passages import find_passages
from report.quote import compile_quote
from tests.conftest import CORPUS, EVIDENCE_SAMPLE

QUOTE = "Russia is very much the junior partner in the bilateral relationship"


def misquotes() -> list[tuple[str, str]]:
    """Every sample quote of six words or more with one word in the middle changed."""
    out = []
    for ev in load_outline(EVIDENCE_SAMPLE).evidence():
        words = ev.quote.split()
        if len(words) >= 6:
            k = len(words) // 2
            out.append((ev.source, " ".join([*words[:k], "firmly", *words[k + 1 :]])))
    return out


@pytest.fixture
def cached(tmp_path):
    return load_corpus(CORPUS, TextCache(tmp_path / "cache"))


@pytest.mark.parametrize(("source", "quote"), misquotes())
def test_closest_passage_via_index_is_the_one_a_full_scan_finds(cached, source, quote):
    plain = compile_quote(quote).plain
    named = cached.text(source)
    in_named, in_corpus = CorpusSearch(cached).closest(plain, named)
    assert in_corpus == closest_passage(plain, cached.texts())
    assert in_named == closest_passage(plain, [named])
    assert in_corpus is not None and in_corpus.score >= 80


def test_closest_passage_is_found_in_another_source_than_the_named_one(cached):
    plain = compile_quote(QUOTE.replace("junior", "senior")).plain
    _, in_corpus = CorpusSearch(cached).closest(plain, cached.text("dispatch-2020"))
    assert in_corpus is not None
    assert in_corpus.source_id == "cnbc-2021"
    assert "junior partner" in in_corpus.passage


def test_wrong_source_is_found_through_the_index(cached):
    found = CorpusSearch(cached).elsewhere(compile_quote(QUOTE), "dispatch-2020")
    assert [m.source_id for m in found] == ["cnbc-2021"]
    assert found[0].text == QUOTE


def test_wrong_source_from_the_command_line(tmp_path, invoke):
    shutil.copytree(CORPUS, tmp_path / "corpus")
    (tmp_path / "outlines").mkdir()
    outline = tmp_path / "outlines" / "wrong.yaml"
    outline.write_text(
        "title: T\nsections:\n  - heading: H\n    arguments:\n      - claim: C\n"
        f"        evidence:\n          - source: embrace-2024\n            quote: {QUOTE}\n",
        encoding="utf-8",
    )
    result = invoke("check", outline, "--cache-dir", tmp_path / "cache")
    assert result.code == 1
    assert "not in embrace-2024, but found verbatim in cnbc-2021" in result.out


def test_index_follows_added_and_removed_sources(tmp_path):
    corpus_dir = tmp_path / "corpus"
    shutil.copytree(CORPUS, corpus_dir)
    cache = TextCache(tmp_path / "cache")
    pattern = compile_quote(QUOTE)
    assert CorpusSearch(load_corpus(corpus_dir, cache)).elsewhere(pattern, "cnbc-2021") == []

    (corpus_dir / "reprint.txt").write_text(f"A reprint.\n\nHe said {QUOTE}.\n", encoding="utf-8")
    with (corpus_dir / "sources.yaml").open("a", encoding="utf-8") as f:
        f.write("\n- id: reprint\n  file: reprint.txt\n  title: A reprint\n")
    found = CorpusSearch(load_corpus(corpus_dir, cache)).elsewhere(pattern, "cnbc-2021")
    assert [m.source_id for m in found] == ["reprint"]
    assert found[0].location.line == 3

    text = (corpus_dir / "sources.yaml").read_text(encoding="utf-8")
    (corpus_dir / "sources.yaml").write_text(text.split("\n- id: reprint")[0], encoding="utf-8")
    assert CorpusSearch(load_corpus(corpus_dir, cache)).elsewhere(pattern, "cnbc-2021") == []
    # The removed document's rows are gone from the full-text table, not only unreported.
    fts = Fts5Index(index_path(cache, corpus_dir))
    rows = "SELECT count(*) FROM passages WHERE passages MATCH ?"
    assert fts.db.execute(rows, ['"He said Russia"']).fetchone() == (0,)
    assert fts.db.execute(rows, ['"junior partner"']).fetchone() == (1,)
    assert len(fts.keys()) == 4


def test_damaged_index_is_rebuilt(tmp_path):
    cache = TextCache(tmp_path / "cache")
    corpus = load_corpus(CORPUS, cache)
    CorpusIndex.open(corpus)
    path = index_path(cache, CORPUS)
    assert path is not None and path.exists()
    path.write_bytes(b"garbage" * 1000)
    for suffix in ("-wal", "-shm"):
        (path.parent / (path.name + suffix)).unlink(missing_ok=True)
    index = CorpusIndex.open(load_corpus(CORPUS, TextCache(tmp_path / "cache")))
    assert [sid for sid, _ in index.containing(["junior", "partner"])] == ["cnbc-2021"]
    assert isinstance(index.index, Fts5Index)


@pytest.mark.parametrize(
    "words",
    [
        "set an example for the international community",
        "junior partner",
        "shackled to a corpse",
        "soft power resources",
    ],
)
def test_find_through_the_index_gives_the_full_scan_best_passage(cached, words):
    index = CorpusIndex.open(cached)
    via_index = find_passages(words, cached, index=index)
    scan = find_passages(words, cached)
    assert via_index and via_index[0] == scan[0]


def test_rows_of_an_edited_uncached_file_are_counted_and_rebuilt_past_a_share(
    tmp_path, monkeypatch
):
    """A cold index build does not cache every file's text, so an edited file's old rows
    cannot be deleted from the contentless table: they are never a hit, they are counted,
    and past a share of the corpus the index is built afresh."""
    import report.index

    corpus_dir = tmp_path / "corpus"
    shutil.copytree(CORPUS, corpus_dir)
    extra = corpus_dir / "extra.txt"
    extra.write_text("Old words: zebra lantern orchard.\n", encoding="utf-8")
    with (corpus_dir / "sources.yaml").open("a", encoding="utf-8") as f:
        f.write("\n- id: extra\n  file: extra.txt\n  title: Extra\n")
    cache = TextCache(tmp_path / "cache")
    index = CorpusIndex.open(load_corpus(corpus_dir, cache))
    assert [sid for sid, _ in index.containing(["zebra", "lantern"])] == ["extra"]
    index.index.close()

    extra.write_text("New words: violin harbor meadow.\n", encoding="utf-8")
    index = CorpusIndex.open(load_corpus(corpus_dir, cache))
    rows = "SELECT count(*) FROM passages WHERE passages MATCH ?"
    assert index.index.db.execute(rows, ['"zebra lantern"']).fetchone() == (1,)  # left behind
    assert index.containing(["zebra", "lantern"]) == []  # but never a hit
    assert [sid for sid, _ in index.containing(["violin", "harbor"])] == ["extra"]
    assert index.index.stale() == 1
    index.index.close()

    monkeypatch.setattr(report.index, "STALE_MIN", 0)
    monkeypatch.setattr(report.index, "STALE_SHARE", 0)
    index = CorpusIndex.open(load_corpus(corpus_dir, cache))
    assert index.index.stale() == 0
    assert index.index.db.execute(rows, ['"zebra lantern"']).fetchone() == (0,)
    assert [sid for sid, _ in index.containing(["violin", "harbor"])] == ["extra"]
    assert [sid for sid, _ in index.containing(["junior", "partner"])] == ["cnbc-2021"]


_PIECES = ["Russia", "partner", "l'État", "don’t", "“", "”", "‘", "’", '"', "'", "—", "–", "--",
           "…", "...", " ", "  ", "\n", "\u00a0", "\u2009", ",", ".", "-", "(", ")"]  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), min_size=1, max_size=30))
def test_the_index_finds_the_same_phrases_in_a_text_it_did_not_normalise(pieces):
    """The index reads a text whose normalisation changes only quotation marks, dashes,
    ellipses and white space as it is: every phrase of the normalised text's words is
    found in it."""
    raw = "".join(pieces)
    assert tokens_unchanged(raw)
    words = TOKEN.findall(normalize_text(raw))
    index = Fts5Index(None)
    index.add("k", [raw])
    for n in range(1, min(len(words), 4) + 1):
        for i in range(len(words) - n + 1):
            assert index.containing(words[i : i + n], 5) == [Hit("k", 0)], words[i : i + n]


def test_rows_left_by_a_removed_file_neither_crowd_out_nor_stand_for_a_new_one(tmp_path):
    """The rows of a removed file that no quote named stay in the table (its text was never
    cached, so they cannot be deleted): a later file never takes over its document number,
    and a query's limit counts only live rows."""
    corpus_dir = tmp_path / "corpus"
    shutil.copytree(CORPUS, corpus_dir)
    sources = corpus_dir / "sources.yaml"
    original = sources.read_text(encoding="utf-8")
    paragraphs = [f"Paragraph {k} says zebra lantern orchard here." for k in range(20)]
    (corpus_dir / "z.txt").write_text("\n\n".join(paragraphs) + "\n", encoding="utf-8")
    sources.write_text(original + "\n- id: z\n  file: z.txt\n", encoding="utf-8")
    cache = TextCache(tmp_path / "cache")
    CorpusIndex.open(load_corpus(corpus_dir, cache)).index.close()

    (corpus_dir / "z.txt").unlink()
    (corpus_dir / "y.txt").write_text("Only one: zebra lantern orchard.\n", encoding="utf-8")
    sources.write_text(original + "\n- id: y\n  file: y.txt\n", encoding="utf-8")
    corpus = load_corpus(corpus_dir, cache)
    index = CorpusIndex.open(corpus)
    assert index.index.stale() == 1  # z's 20 rows are still in the table
    assert index.containing(["zebra", "lantern"], limit=8) == [("y", 0)]
    search = CorpusSearch(corpus)
    found = search.elsewhere(compile_quote("Paragraph 19 says zebra lantern orchard here."), "a")
    assert found == []
