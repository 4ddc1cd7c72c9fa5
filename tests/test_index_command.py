"""`report index`: builds the corpus's search index, then brings it up to date with only
the sources added, edited or removed since; a check then finds what the index holds."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from report.cache import TextCache
from report.corpus import load_corpus
from report.index import CorpusIndex
from tests.conftest import ROOT


def _corpus(root: Path, n: int) -> Path:
    corpus = root / "corpus"
    corpus.mkdir(exist_ok=True)
    for k in range(n):
        (corpus / f"s{k}.txt").write_text(f"Title {k}\n\nThe words of source {k} are here.\n")
    (corpus / "sources.yaml").write_text(
        "".join(f"- id: s{k}\n  file: s{k}.txt\n" for k in range(n)), encoding="utf-8"
    )
    return corpus


def test_index_builds_then_updates_only_what_changed(tmp_path, invoke):
    corpus = _corpus(tmp_path, 5)
    cache = tmp_path / "cache"
    first = invoke("index", "--corpus", corpus, "--cache-dir", cache)
    assert first.code == 0, first.err
    assert first.out.strip() == "5 sources indexed: 5 added or changed, 0 removed"
    again = invoke("index", "--corpus", corpus, "--cache-dir", cache)
    assert again.out.strip() == "5 sources indexed: 0 added or changed, 0 removed"
    (corpus / "s1.txt").write_text("Title 1\n\nEdited words of source one.\n")
    (corpus / "sources.yaml").write_text(
        "".join(f"- id: s{k}\n  file: s{k}.txt\n" for k in range(4)), encoding="utf-8"
    )
    update = invoke("index", "--corpus", corpus, "--cache-dir", cache)
    assert update.out.strip() == "4 sources indexed: 1 added or changed, 2 removed"
    index = CorpusIndex.open(load_corpus(corpus, TextCache(cache)))
    assert index.containing(["Edited", "words"]) == [("s1", 1)]
    assert index.containing(["source", "4"]) == []


_DIES = """
import os, sys
import report.index
from report.cache import TextCache
from report.corpus import load_corpus
report.index._COMMIT_EVERY = 3
real = report.index.Fts5Index.add
added = []
def dies_at_the_sixth(self, key, paragraphs):
    if len(added) == 5:
        os._exit(9)  # killed: nothing is closed or committed on the way out
    added.append(key)
    real(self, key, paragraphs)
report.index.Fts5Index.add = dies_at_the_sixth
report.index.CorpusIndex.open(load_corpus(sys.argv[1], TextCache(sys.argv[2])))
"""


def test_a_build_killed_half_way_resumes_from_what_it_committed(tmp_path):
    corpus = _corpus(tmp_path, 7)
    cache = tmp_path / "cache"
    killed = subprocess.run(
        [sys.executable, "-c", _DIES, str(corpus), str(cache)], cwd=ROOT, timeout=120
    )
    assert killed.returncode == 9
    resumed = CorpusIndex.open(load_corpus(corpus, TextCache(cache)))
    assert resumed.added == 4  # 3 of the 7 were committed before it was killed
    assert resumed.containing(["source", "6"]) == [("s6", 1)]
