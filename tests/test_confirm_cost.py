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


def test_with_a_secret_sealed_entries_need_no_confirming(tmp_path, monkeypatch):
    corpus = _project(tmp_path)
    outline = write_outline(tmp_path, [Q("a", s[:-1]) for s in SENTENCES], corpus).path
    cache = tmp_path / "cache"
    monkeypatch.setenv("REPORT_CACHE_KEY", "a CI secret")
    check([outline], cache_dir=cache)
    calls = []
    real = report.confirm.layer_of
    monkeypatch.setattr(report.confirm, "layer_of", lambda *a: calls.append(a) or real(*a))
    [checked] = check([outline], cache_dir=cache)
    assert [r.status for r in checked.results] == [Status.VERIFIED] * len(SENTENCES)
    assert calls == []  # sealed by this secret: nothing to confirm


def test_an_entry_planted_without_the_secret_is_built_again(tmp_path, monkeypatch):
    """Whoever plants an entry has no secret to seal it with: it is not trusted."""
    from tests.test_hostile_cache import FABRICATED, SOURCE, TRUE, forge, project, verdicts

    corpus = project(tmp_path)
    cache = tmp_path / "cache"
    monkeypatch.setenv("REPORT_CACHE_KEY", "a CI secret")
    assert verdicts(tmp_path, corpus, TRUE, cache=cache) == [Status.VERIFIED]
    for planter_secret in (None, "another secret"):
        if planter_secret is None:
            monkeypatch.delenv("REPORT_CACHE_KEY")
        else:
            monkeypatch.setenv("REPORT_CACHE_KEY", planter_secret)
        forge(cache, corpus / "a.txt", SOURCE.replace("the last.", FABRICATED + "."))
        monkeypatch.setenv("REPORT_CACHE_KEY", "a CI secret")
        got = verdicts(tmp_path, corpus, FABRICATED, TRUE, cache=cache)
        assert got == [Status.MISQUOTE, Status.VERIFIED]
