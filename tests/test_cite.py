"""report.cite: notes rendered once per source and position are the notes citeproc-py gives
when it renders every citation in turn."""

from __future__ import annotations

import warnings

from citeproc import Citation, CitationItem, CitationStylesBibliography, formatter
from citeproc.source.json import CiteProcJSON
from hypothesis import given, settings
from hypothesis import strategies as st

from report import cite


def _one_by_one(sources, order):
    """The straightforward way: every citation registered and rendered in order."""
    used = list(dict.fromkeys(order))
    keys = {sid: f"source-{n}" for n, sid in enumerate(used, start=1)}
    items = [cite._csl_item(sources[sid], keys[sid]) for sid in used]
    bib = CitationStylesBibliography(
        cite._style(cite.DEFAULT_STYLE), CiteProcJSON(items), formatter.html
    )
    citations = [Citation([CitationItem(keys[sid])]) for sid in order]
    for c in citations:
        bib.register(c)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        notes = [cite._finish(cite._rich(str(bib.cite(c, cite._ignore)))) for c in citations]
    return cite._short_notes_undated(notes, order, sources)


@settings(max_examples=40, deadline=None)
@given(st.data())
def test_notes_are_those_of_citing_one_by_one(corpus, data) -> None:
    ids = sorted(corpus.sources)
    order = data.draw(st.lists(st.sampled_from(ids), min_size=1, max_size=12))
    notes, _ = cite.cite_notes(corpus.sources, order)
    assert notes == _one_by_one(corpus.sources, order)


def test_a_thousand_notes_render_each_form_once(corpus, monkeypatch) -> None:
    calls = []
    real = CitationStylesBibliography.cite

    def counted(self, citation, callback):
        calls.append(citation)
        return real(self, citation, callback)

    monkeypatch.setattr(CitationStylesBibliography, "cite", counted)
    ids = sorted(corpus.sources)
    order = [ids[(k * 7) % len(ids)] for k in range(1000)]
    notes, _ = cite.cite_notes(corpus.sources, order)
    assert len(notes) == 1000
    assert len(calls) <= 2 * len(ids) + 2  # full, short, a separator, Ibid.
