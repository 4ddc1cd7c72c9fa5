"""A run on every core (report.parallel) finds what a run in one process finds: the same
results in the same order, the same closest-passage budget, the same input errors."""

from __future__ import annotations

import multiprocessing
import os
import shutil
import signal
from pathlib import Path

import pytest

import report.cache
import report.parallel
import report.verify
from report.corpus import load_corpus
from report.errors import CorpusError
from report.findings import Status
from report.index import index_path
from report.outline import load_outline
from report.parallel import WorkerDied, forked_map
from report.pipeline import check
from tests.conftest import CORPUS, SAMPLE
from tests.quotecheck import Q, write_outline

pytestmark = pytest.mark.skipif(
    "fork" not in multiprocessing.get_all_start_methods(), reason="no fork: one process"
)


@pytest.fixture(autouse=True)
def two_workers(monkeypatch):
    """Two workers even on a one-core machine, so that these tests always fork."""
    monkeypatch.setattr(report.parallel, "workers", lambda: 2)
    monkeypatch.setattr(report.verify, "workers", lambda: 2)


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


def _run(paths: list[Path], cache: Path, parallel: bool, monkeypatch, forks=None) -> list:
    monkeypatch.setattr(report.verify, "PARALLEL_QUOTES", 1 if parallel else 10**9)
    forks = [] if forks is None else forks
    real = report.parallel.forked_map

    def counting(fn, jobs, parallel=True, chunksize=1):
        forks.append((fn.__name__, parallel and len(jobs) > 1))
        return real(fn, jobs, parallel, chunksize)

    monkeypatch.setattr(report.verify, "forked_map", counting)
    results = [r for checked in check(paths, cache_dir=cache) for r in checked.results]
    assert any(forked for _, forked in forks) == parallel  # the path it was meant to take
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
    """Past MAX_CLOSEST misquotes, a misquote gets no closest passage; the budget goes to
    the misquotes (not the wrong sources) in the order their sources are first named."""
    monkeypatch.setattr(report.verify, "MAX_CLOSEST", 2)
    paths = _outlines(tmp_path)
    serial = _run(paths, tmp_path / "cache", False, monkeypatch)
    parallel = _run(paths, tmp_path / "cache", True, monkeypatch)
    assert parallel == serial
    order = list(dict.fromkeys(r.evidence.source for r in serial))
    misquotes = sorted(
        (r for r in serial if r.status is Status.MISQUOTE),
        key=lambda r: order.index(r.evidence.source),
    )
    assert len(misquotes) == 3
    assert [r.closest is not None for r in misquotes] == [True, True, False]


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


def _die(job: int) -> int:
    if job == 3:
        os.kill(os.getpid(), signal.SIGKILL)  # as the out-of-memory killer would
    return job


def test_a_worker_that_dies_is_an_error_not_a_hang():
    with pytest.raises(WorkerDied):
        list(forked_map(_die, list(range(8))))


def test_an_index_kept_in_memory_keeps_the_failed_quotes_in_this_process(tmp_path, monkeypatch):
    """Without a usable index file (here a folder stands in its way) the index lives in
    this process's memory, which workers cannot share: the failed quotes are looked for
    here, with the same results."""
    paths = _outlines(tmp_path)
    serial = _run(paths, tmp_path / "cache-a", False, monkeypatch)
    cache = tmp_path / "cache-b"
    blocked = index_path(report.cache.TextCache(cache), CORPUS)
    assert blocked is not None
    blocked.mkdir(parents=True)
    forks: list[tuple[str, bool]] = []
    parallel = _run(paths, cache, True, monkeypatch, forks)
    assert parallel == serial
    assert forks[0] == ("_in_named", True)
    assert forks[1:] == [("_elsewhere_job", False), ("_misquote_job", False)]
