"""One Brief, laid out once: the PDF (its text read with pypdf) and the Word file (read with
python-docx) show the same headings, the same quotes and the same notes, in the same order,
and take the brief's own words (Brief.labels, Brief.byline) from the Brief, not each their
own. The sample brief, with its appendix, rendered with words of its own in every label."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from dataclasses import replace

import docx
import pytest
from lxml import etree
from pypdf import PdfReader

from report.brief import Brief, Labels, Quote, Run, make_brief
from report.build import timestamp
from report.cite import plain
from report.pipeline import check
from report.render.docx import render_word
from report.render.pdf import render_pdf
from tests.conftest import ROOT, SAMPLE
from tests.textcheck import squash

TEMPLATES = ROOT / "templates"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
# Words no renderer could have of its own: each label must come from the Brief.
LABELS = Labels(
    kicker="Kurzdossier",
    summary="Das Wichtigste",
    recommendations="Was zu tun ist",
    sources="Zitierte Quellen",
    appendix="Prüfanhang",
    appendix_intro="Jedes Zitat dieses Berichts, mit seiner Quelle.",
    as_quoted="Zitiert",
    original="Im Original",
    byline_separator=" / ",
    keywords="Kurzdossier, Zitate",
)


@pytest.fixture(scope="module")
def brief() -> Brief:
    (checked,) = check([SAMPLE])
    made = make_brief(
        checked.outline, checked.corpus, checked.results, timestamp(checked.outline), True
    )
    return replace(made, labels=LABELS)


@pytest.fixture(scope="module")
def pdf(brief: Brief) -> PdfReader:
    return PdfReader(io.BytesIO(render_pdf(brief, TEMPLATES)))


@pytest.fixture(scope="module")
def word(brief: Brief) -> bytes:
    return render_word(brief, TEMPLATES).data


def _pdf_text(pdf: PdfReader) -> str:
    return squash(" ".join(page.extract_text() for page in pdf.pages))


def _word_text(word: bytes) -> str:
    return squash(" ".join(p.text for p in docx.Document(io.BytesIO(word)).paragraphs))


def _in_order(text: str, pieces: list[str]) -> list[str]:
    """The pieces not found in `text` one after the other (each after the one before)."""
    missing, at = [], 0
    for piece in pieces:
        found = text.find(squash(piece), at)
        if found < 0:
            missing.append(piece)
        else:
            at = found + len(squash(piece))
    return missing


def expected_headings(brief: Brief) -> list[str]:
    return [
        brief.title,
        brief.labels.summary,
        *(s.heading for s in brief.sections),
        brief.labels.recommendations,
        brief.labels.sources,
        brief.labels.appendix,
    ]


def quotes_in_reading_order(brief: Brief) -> Iterator[str]:
    """Every quotation a reader meets, in order: those in the author's prose and the
    evidence items' (the appendix repeats them after)."""

    def prose(paragraphs) -> Iterator[str]:
        for p in paragraphs:
            yield from (r.text for r in p.parts if isinstance(r, Run) and r.quote)

    yield from prose(brief.summary)
    for section in brief.sections:
        yield from prose(section.intro)
        for argument in section.arguments:
            yield from prose((argument.claim, *argument.text))
            yield from (q.text for q in argument.quotes if isinstance(q, Quote))
    yield from prose(brief.recommendations)


def test_the_sample_has_all_there_is_to_compare(brief):
    quotes = list(quotes_in_reading_order(brief))
    assert len(brief.sections) >= 2 and brief.summary and brief.recommendations
    assert len(quotes) >= 8 and len(brief.notes) == len(brief.quotes) + sum(
        len(p.notes) for p in brief.paragraphs
    )
    assert brief.appendix and any(e.original for e in brief.appendix)
    assert brief.byline == "Policy Analysis Desk / 26 November 2026"


def test_the_same_headings_in_the_same_order(pdf, word, brief):
    document = docx.Document(io.BytesIO(word))
    in_word = [p.text for p in document.paragraphs if p.style.name in ("Title", "Heading 1")]
    (title, headings) = pdf.outline  # the PDF's bookmarks are its headings
    in_pdf = [title.title, *(h.title for h in headings)]
    assert in_pdf == in_word == expected_headings(brief)
    # and on its pages, in that order (brief.css sets the summary's in capitals)
    assert not _in_order(_pdf_text(pdf).casefold(), [h.casefold() for h in in_pdf])


def test_the_same_quotes_in_the_same_order(pdf, word, brief):
    quotes = list(quotes_in_reading_order(brief))
    assert _in_order(_pdf_text(pdf), quotes) == []
    assert _in_order(_word_text(word), quotes) == []


def test_the_same_notes_in_the_same_order(pdf, word, brief):
    notes = [plain(n.note) for n in brief.notes]
    with zipfile.ZipFile(io.BytesIO(word)) as z:
        xml = etree.fromstring(z.read("word/footnotes.xml"))
    in_word = [  # Word's own separators aside, in the order of their numbers
        "".join(t.text or "" for t in f.iter(f"{W}t"))
        for f in sorted(xml.iter(f"{W}footnote"), key=lambda f: int(f.get(f"{W}id")))
        if f.get(f"{W}type") is None
    ]
    assert list(map(squash, in_word)) == list(map(squash, notes))
    # The PDF sets each at its page's foot after its number, `3. Joscelyn, ...`.
    numbered = [f"{n.number}.{plain(n.note)}" for n in brief.notes]
    assert _in_order(_pdf_text(pdf), numbered) == []


def test_the_brief_s_own_words_come_from_the_brief(pdf, word, brief):
    document = docx.Document(io.BytesIO(word))
    paragraphs = [p.text for p in document.paragraphs]
    assert paragraphs[0] == LABELS.kicker
    assert [p.text for p in document.paragraphs if p.style.name == "Byline"] == [brief.byline]
    assert document.core_properties.keywords == LABELS.keywords
    words = [LABELS.appendix_intro, f"{LABELS.as_quoted}\t", f"{LABELS.original}\t"]
    assert all(any(w in p for p in paragraphs) for w in words)

    first, *rest = [page.extract_text() for page in pdf.pages]
    assert LABELS.kicker.upper() in first  # brief.css sets the kicker in capitals
    assert squash(brief.byline) in squash(first)
    assert all(LABELS.kicker.upper() in page for page in rest)  # the running header too
    text = _pdf_text(pdf)
    for w in (LABELS.appendix_intro, LABELS.as_quoted.upper(), LABELS.original.upper()):
        assert squash(w) in text
    assert pdf.metadata["/Keywords"] == LABELS.keywords
    for english in ("Summary", "Sources quoted", "Verification appendix", "POLICY BRIEF"):
        assert english not in first + " ".join(rest) and english not in " ".join(paragraphs)
