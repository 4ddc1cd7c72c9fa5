"""One run of `report check` reads and scans each source once, for every quote."""

from __future__ import annotations

import ahocorasick

from report.findings import Status
from tests.quotecheck import (
    CNBC,
    DISPATCH,
    EMBRACE,
    PONARS,
    M,
    Q,
    V,
    write_outline,
)


def test_each_source_is_read_and_scanned_once_per_run(tmp_path, monkeypatch):
    import report.corpus
    import report.match

    layers: list[int] = []
    scans: list[int] = []
    real_read = report.corpus.read_bytes
    real_automaton = ahocorasick.Automaton

    def counting_read(path, *args, **kwargs):
        if path.name != "sources.yaml":
            layers.append(path)
        return real_read(path, *args, **kwargs)

    class CountingAutomaton:
        def __init__(self) -> None:
            self._a = real_automaton()

        def __getattr__(self, name):
            return getattr(self._a, name)

        def __len__(self) -> int:
            return len(self._a)

        def iter(self, text):
            scans.append(len(text))
            return self._a.iter(text)

    monkeypatch.setattr(report.corpus, "read_bytes", counting_read)
    monkeypatch.setattr(report.match.ahocorasick, "Automaton", CountingAutomaton)
    quotes = [
        Q(DISPATCH, "has set an example for the international community"),
        Q(PONARS, "mutual support, solidarity and close collaboration"),  # wrong source
        Q(CNBC, "reaffirmed China’s commitment to fully support Russia"),  # misquote
        Q(DISPATCH, "everybody knows Russia and China are bastards"),  # outside body
        Q(PONARS, "Experts claim that Russia has suspiciously few reported cases ... All closed"),
        Q(DISPATCH, "[T]hat “new era” is one in which the U.S. is no longer a lone superpower."),
        Q(EMBRACE, "It doesn’t want to be shackled to a corpse."),
    ] * 15
    one = write_outline(tmp_path, quotes, name="one.yaml")
    two = write_outline(tmp_path, quotes[:20], name="two.yaml")
    from report.pipeline import check

    checked = check([one.path, two.path])
    assert sum(len(c.results) for c in checked) == 125
    statuses = {r.status for c in checked for r in c.results}
    assert statuses == {V, M, Status.WRONG_SOURCE, Status.OUTSIDE_BODY}
    assert len(set(layers)) == 4
    # Each named source is read once for all its quotes; only the three kinds of failing
    # quote may read another source again (wrong source, closest passage in the corpus).
    assert len(layers) <= 4 + 3, "each source's text layer is built once"
    assert len(scans) == 4, "one automaton pass per source for all 125 quotes"
