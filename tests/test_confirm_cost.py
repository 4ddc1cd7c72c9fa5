"""Confirming cached verdicts against the file's bytes (report.confirm) costs one reading of
each source, however many of its quotes verified; and it still catches a forged entry."""

from __future__ import annotations

from pathlib import Path

import report.confirm
from report.findings import Status
from report.pipeline import check
from tests.quotecheck import Q, write_outline

SENTENCES = [f"Sentence number {n} of the article says something worth quoting." for n in range(8)]


def _project(root: Path) -> Path:
    corpus = root / "corpus"
    corpus.mkdir()
    (corpus / "a.md").write_text("# A\n\n" + "\n\n".join(SENTENCES) + "\n", encoding="utf-8")
    (corpus / "sources.yaml").write_text("- id: a\n  file: a.md\n", encoding="utf-8")
    return corpus


def test_a_source_is_read_again_once_for_all_its_quotes(tmp_path, monkeypatch):
    corpus = _project(tmp_path)
    outline = write_outline(tmp_path, [Q("a", s[:-1]) for s in SENTENCES], corpus).path
    cache = tmp_path / "cache"
    check([outline], cache_dir=cache)  # cold: builds the cache
    calls = []
    real = report.confirm.layer_of

    def counted(path, data, shown):
        calls.append(path)
        return real(path, data, shown)

    monkeypatch.setattr(report.confirm, "layer_of", counted)
    [checked] = check([outline], cache_dir=cache)  # warm: every verdict confirmed
    assert [r.status for r in checked.results] == [Status.VERIFIED] * len(SENTENCES)
    assert len(calls) == 1
