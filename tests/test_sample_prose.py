"""The sample brief read as a reader reads it: the PDF's text (pypdf) and the Word file's
(python-docx), sentence by sentence: the author's sentences with the quotations in place,
each note mark after the punctuation, the notes themselves."""

from __future__ import annotations

import re
import zipfile

import docx
import pytest
from lxml import etree
from pypdf import PdfReader

from report.brief import Note, make_brief
from report.cite import plain
from report.pipeline import check
from tests.conftest import SAMPLE

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"

# Sentences of the sample as a reader reads them, note numbers where the marks stand.
SENTENCES = [
    "in joint statements against what they call “American interference and bullying,”1 and in "
    "the personal warmth their leaders display.",
    "In a call with Xi Jinping in March 2020, Putin said that the Chinese government “has set "
    "an example for the international community”2 and had answered “the provocation and "
    "stigmatization by some country,”3 a jab at the United States that did not need to name it.",
    "Thomas Joscelyn of The Dispatch spelled out what the phrase implied: “[T]hat ‘new era’ is "
    "one in which the U.S. is no longer a lone superpower.”5",
    "“China is not alone in spreading disinformation about the origins of the pandemic,” she "
    "writes, and Russia has been doing the same in Europe.7",
    "Her verdict on both capitals is blunt:",
    "analysts read the summitry between Xi and Putin as solidarity with reservations.12",
    "As Thomas put it, “Russia is very much the junior partner in the bilateral relationship.”14",
    "Angela Stent of Georgetown University expected China to stay out of any war: “I think both "
    "sides recognize, Putin knows, that if he invaded Ukraine, China [isn’t] going to send "
    "military help.”16",
    "Natasha Kuhrt of King’s College London expects Beijing to keep its distance if Russia is "
    "defeated: “It doesn’t want to be shackled to a corpse.”23",
    "the analysts quoted here expect Beijing to distance itself if Russia loses.24",
]


def flat(text: str) -> str:
    """Text as one line: PDF extraction breaks lines, and sets a space or none where a
    line ended after a hyphen or a note mark."""
    return " ".join(re.sub("\u2010\\s+", "", text).split())


@pytest.fixture(scope="module")
def brief():
    [checked] = check([SAMPLE])
    return make_brief(checked.outline, checked.corpus, checked.results)


@pytest.fixture(scope="module")
def pdf_text(sample_build):
    reader = PdfReader(sample_build / "xi-putin.pdf")
    return flat(" ".join(page.extract_text() for page in reader.pages))


@pytest.fixture(scope="module")
def docx_body(sample_build):
    document = docx.Document(str(sample_build / "xi-putin.docx"))
    with zipfile.ZipFile(sample_build / "xi-putin.docx") as z:
        notes = etree.fromstring(z.read("word/footnotes.xml"))
    paragraphs = []
    for p in (para._p for para in document.paragraphs):  # a footnote reference: its number
        words = []
        for el in p.iter(f"{W}t", f"{W}footnoteReference"):
            words.append(el.get(f"{W}id") if el.tag == f"{W}footnoteReference" else el.text or "")
        paragraphs.append("".join(words))
    texts = {
        int(f.get(f"{W}id")): "".join(t.text or "" for t in f.iter(f"{W}t")).strip()
        for f in notes.iter(f"{W}footnote")
        if f.get(f"{W}type") is None
    }
    return flat(" ".join(paragraphs)), texts


@pytest.mark.parametrize("sentence", SENTENCES)
def test_the_pdf_reads_as_the_author_wrote_it(pdf_text, sentence):
    # a line may break before a note number: PDF text then has a space there
    pattern = re.escape(sentence).replace(r"\ ", r"\s*")
    pattern = re.sub(r"(\d+)", r" ?\1", pattern)
    assert re.search(pattern, pdf_text), sentence


@pytest.mark.parametrize("sentence", SENTENCES)
def test_the_word_file_reads_as_the_author_wrote_it(docx_body, sentence):
    body, _ = docx_body
    assert sentence in body, sentence


def test_every_note_is_a_real_footnote_with_its_citation(brief, docx_body):
    _, texts = docx_body
    notes = [n for p in brief.paragraphs for n in p.notes] + [
        Note(q.number, q.note) for q in brief.quotes
    ]
    notes.sort(key=lambda n: n.number)
    assert [n.number for n in notes] == list(range(1, 25))
    assert sorted(texts) == list(range(1, 25))
    for n in notes:
        assert texts[n.number] == plain(n.note)
    assert texts[1].startswith("“Xi’s Warm Embrace of Putin in China Is a Defiance")
    assert texts[2].startswith("Thomas Joscelyn, “Talk About Your Dangerous Liaisons,”")
    assert texts[3] == "Ibid."
    assert texts[19] == "“Xi’s Warm Embrace of Putin in China Is a Defiance of the West.”"


def test_no_quote_is_introduced_with_made_up_words_that_do_not_parse(pdf_text, docx_body):
    for text in (pdf_text, docx_body[0]):
        assert "In the words of" not in text
        assert not re.search(r"(\b\w+\b) adds, .{0,200}\1 adds,", text)


def test_most_quotes_stand_in_the_authors_sentences(brief):
    inline = [p for p in brief.paragraphs for r in p.parts if getattr(r, "quote", False)]
    assert len(inline) >= 2 * len(brief.quotes)
