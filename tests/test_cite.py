"""report.cite: notes rendered once per source, position and locator shape are the notes
citeproc-py gives when it renders every citation in turn."""

from __future__ import annotations

import warnings

from citeproc import Citation, CitationItem, CitationStylesBibliography, Locator, formatter
from citeproc.source.json import CiteProcJSON
from hypothesis import given, settings
from hypothesis import strategies as st

from report import cite


def _one_by_one(sources, cites):
    """The straightforward way: every citation registered and rendered in order (one
    Locator object per page, as citeproc-py tells "Ibid." from "Ibid., 5" by identity)."""
    used = list(dict.fromkeys(c.source for c in cites))
    keys = {sid: f"source-{n}" for n, sid in enumerate(used, start=1)}
    items = [cite._csl_item(sources[sid], keys[sid]) for sid in used]
    bib = CitationStylesBibliography(
        cite._style(cite.DEFAULT_STYLE), CiteProcJSON(items), formatter.html
    )
    locators = {}
    citations = []
    for c in cites:
        if c.locator:
            locator = locators.setdefault(
                c.locator, Locator("page", c.locator.replace("\u2013", "-"))
            )
            citations.append(Citation([CitationItem(keys[c.source], locator=locator)]))
        else:
            citations.append(Citation([CitationItem(keys[c.source])]))
    for c in citations:
        bib.register(c)
    notes, seen = [], set()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for c, citation in zip(cites, citations, strict=True):
            note = cite._finish(cite._rich(cite._tidy(str(bib.cite(citation, cite._ignore)))))
            if c.source in seen and not cite.plain(note).startswith("Ibid"):
                note = cite._without_date(note, sources[c.source])
            notes.append(note)
            seen.add(c.source)
    return notes


# 30 examples find each of three planted mistakes in cite._position (the "Ibid." without a
# page after a note with one, among them) on 10 seeds of 10; 20 missed that one on 2.
@settings(max_examples=30, deadline=None)
@given(st.data())
def test_notes_are_those_of_citing_one_by_one(corpus, data) -> None:
    ids = sorted(corpus.sources)
    pages = st.sampled_from(["", "4", "5", "4\u20135"])
    cites = data.draw(
        st.lists(st.builds(cite.Cite, st.sampled_from(ids), pages), min_size=1, max_size=12)
    )
    notes, _ = cite.citations(corpus.sources, cites)
    assert notes == _one_by_one(corpus.sources, cites)


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
    # a full note and a short one a source, and "Ibid.", each rendered once after the
    # citations that give it its position (at most two)
    assert len(calls) <= 3 * (2 * len(ids) + 1)
