"""A run on every core (report.parallel) finds what a run in one process finds: the same
results in the same order, the same closest-passage budget, the same input errors."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import report.verify
from report.corpus import load_corpus
from report.errors import CorpusError
from report.findings import Status
from report.outline import load_outline
from report.parallel import workers
from report.pipeline import check
from tests.conftest import CORPUS, SAMPLE
from tests.quotecheck import Q, write_outline

pytestmark = pytest.mark.skipif(workers() < 2, reason="one core: nothing runs in parallel")

MISQUOTES = [
    Q("cnbc-2021", "Russia is very much the senior partner in the bilateral relationship"),
    Q("dispatch-2020", "Russia is very much the junior partner in the bilateral relationship"),
    Q("embrace-2024", "an entirely invented sentence that no source has"),
    Q("ponars-643", "Russia is very much the junior partner in the bilateral relationship"),
    Q("cnbc-2021", "the junior partner firmly in the bilateral relationship"),
]


def _outlines(tmp_path: Path) -> list[Path]:
    """The sample brief, and one of failing quotes (misquotes and wrong sources)."""
    evidence = [Q(ev.source, ev.quote, ev.speaker) for ev in load_outline(SAMPLE).evidence()]
    first = write_outline(tmp_path, evidence, name="a.yaml").path
    second = write_outline(tmp_path, MISQUOTES, name="b.yaml").path
    return [first, second]


def _run(paths: list[Path], cache: Path, parallel: bool, monkeypatch) -> list:
    monkeypatch.setattr(report.verify, "PARALLEL_QUOTES", 1 if parallel else 10**9)
    forks = []
    real = report.verify.forked_map

    def counting(fn, jobs, parallel=True, chunksize=1):
        forks.append(parallel and len(jobs) > 1)
        return real(fn, jobs, parallel, chunksize)

    monkeypatch.setattr(report.verify, "forked_map", counting)
    results = [r for checked in check(paths, cache_dir=cache) for r in checked.results]
    assert any(forks) == parallel  # the run took the path it was meant to
    return results


def test_every_core_gives_the_results_of_one_process(tmp_path, monkeypatch):
    paths = _outlines(tmp_path)
    serial = _run(paths, tmp_path / "cache", False, monkeypatch)
    parallel = _run(paths, tmp_path / "cache", True, monkeypatch)
    assert parallel == serial
    statuses = [r.status for r in serial[-len(MISQUOTES) :]]
    assert statuses == [
        Status.MISQUOTE,
        Status.WRONG_SOURCE,
        Status.MISQUOTE,
        Status.WRONG_SOURCE,
        Status.MISQUOTE,
    ]
    assert all(r.status is Status.VERIFIED for r in serial[: -len(MISQUOTES)])


def test_the_closest_passage_budget_goes_to_the_same_quotes(tmp_path, monkeypatch):
    """Past MAX_CLOSEST failed quotes, a misquote gets no closest passage; the budget goes
    to the failed quotes in the order their named sources are first named."""
    monkeypatch.setattr(report.verify, "MAX_CLOSEST", 3)
    paths = _outlines(tmp_path)
    serial = _run(paths, tmp_path / "cache", False, monkeypatch)
    parallel = _run(paths, tmp_path / "cache", True, monkeypatch)
    assert parallel == serial
    order = list(dict.fromkeys(r.evidence.source for r in serial))
    failed = sorted(
        (r for r in serial if r.status is not Status.VERIFIED),
        key=lambda r: order.index(r.evidence.source),
    )
    within = [r for r in failed[:3] if r.status is Status.MISQUOTE]
    beyond = [r for r in failed[3:] if r.status is Status.MISQUOTE]
    assert within and beyond
    assert all(r.closest is not None for r in within)
    assert all(r.closest is None and r.closest_corpus is None for r in beyond)


def test_a_source_that_cannot_be_read_is_the_same_input_error(tmp_path, monkeypatch):
    corpus = tmp_path / "corpus"
    shutil.copytree(CORPUS, corpus)
    ponars = load_corpus(corpus).sources["ponars-643"].path
    ponars.write_bytes(b"caf\xe9\n")  # not UTF-8
    evidence = [Q(ev.source, ev.quote) for ev in load_outline(SAMPLE).evidence()]
    path = write_outline(tmp_path, evidence, corpus=corpus).path
    errors = []
    for parallel in (False, True):
        monkeypatch.setattr(report.verify, "PARALLEL_QUOTES", 1 if parallel else 10**9)
        with pytest.raises(CorpusError) as caught:
            check([path], cache_dir=tmp_path / f"cache-{parallel}")
        errors.append(str(caught.value))
    assert errors[0] == errors[1]
    assert f"{ponars.name}:1: not UTF-8 text" in errors[0]
