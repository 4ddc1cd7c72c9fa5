"""The sample brief's Word file, opened with python-docx and read as XML: quotes, one real
footnote per quote, Word's heading styles, metadata."""

from __future__ import annotations

import zipfile
from datetime import UTC, datetime

import docx
import pytest
from docx.oxml.ns import qn
from lxml import etree

from report.brief import make_brief
from report.cite import Span, plain
from report.pipeline import check
from report.render.docx_footnotes import Footnotes
from tests.conftest import SAMPLE
from tests.textcheck import squash

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@pytest.fixture(scope="module")
def path(sample_build):
    return sample_build / "xi-putin.docx"


@pytest.fixture(scope="module")
def document(path):
    return docx.Document(str(path))


@pytest.fixture(scope="module")
def brief():
    (checked,) = check([SAMPLE])
    return make_brief(checked.outline, checked.corpus, checked.results)


def _xml(path, name):
    with zipfile.ZipFile(path) as z:
        return etree.fromstring(z.read(name))


def test_every_quote_is_in_the_body(document, brief):
    body = squash(" ".join(p.text for p in document.paragraphs))
    for q in brief.quotes:
        assert squash(q.text) in body, q.text
    for p in brief.paragraphs:  # the author's, with the quotations in them
        assert squash(p.text) in body, p.text


def test_one_real_footnote_per_citation(path, brief):
    notes = _xml(path, "word/footnotes.xml")
    real = [f for f in notes.iter(f"{W}footnote") if f.get(f"{W}type") is None]
    assert [int(f.get(f"{W}id")) for f in real] == [n.number for n in brief.notes]
    for f, n in zip(real, brief.notes, strict=True):
        text = "".join(t.text or "" for t in f.iter(f"{W}t"))
        assert text.strip() == plain(n.note)
        assert next(f.iter(f"{W}footnoteRef"), None) is not None  # Word numbers it
    separators = {f.get(f"{W}type") for f in notes.iter(f"{W}footnote")} - {None}
    assert separators == {"separator", "continuationSeparator"}

    body = _xml(path, "word/document.xml")
    refs = [int(r.get(f"{W}id")) for r in body.iter(f"{W}footnoteReference")]
    assert refs == [n.number for n in brief.notes]


def test_footnotes_part_is_wired_into_the_package(path, document):
    rels = [r for r in document.part.rels.values() if r.reltype.endswith("/footnotes")]
    assert len(rels) == 1
    assert str(rels[0].target_part.partname) == "/word/footnotes.xml"
    types = _xml(path, "[Content_Types].xml")
    overrides = {o.get("PartName"): o.get("ContentType") for o in types}
    assert overrides["/word/footnotes.xml"].endswith("wordprocessingml.footnotes+xml")
    style_ids = {s.style_id for s in document.styles}
    assert {"FootnoteText", "FootnoteReference"} <= style_ids


def test_citations_keep_their_italics(path):
    notes = _xml(path, "word/footnotes.xml")
    first = next(f for f in notes.iter(f"{W}footnote") if f.get(f"{W}id") == "2")
    italic = [
        "".join(t.text for t in r.iter(f"{W}t"))
        for r in first.iter(f"{W}r")
        if r.find(f"{W}rPr/{W}i") is not None
    ]
    assert italic == ["The Dispatch: Vital Interests"]


def test_headings_use_words_built_in_styles(document, brief):
    by_style: dict[str, list[str]] = {}
    for p in document.paragraphs:
        by_style.setdefault(p.style.name, []).append(p.text)
    assert by_style["Title"] == [brief.title]
    assert by_style["Subtitle"] == [brief.subtitle]
    assert by_style["Heading 1"] == [
        "Summary",
        *(s.heading for s in brief.sections),
        "Recommendations",
        "Sources quoted",
    ]
    assert by_style["List Number"] == [r.text for r in brief.recommendations]
    assert len(by_style["Bibliography"]) == len(brief.sources)
    blocks = sum(q.block for q in brief.quotes) + sum(p.block for p in brief.paragraphs)
    assert len(by_style["Quote"]) == blocks


def test_metadata(document):
    props = document.core_properties
    assert props.title == "Solidarity Without Alliance"
    assert props.author == "Policy Analysis Desk"
    assert props.created == datetime(2026, 11, 26, tzinfo=UTC)


def test_page_numbers_and_running_header(path, document):
    section = document.sections[0]
    assert section.different_first_page_header_footer
    assert section.header.paragraphs[0].text == "Solidarity Without Alliance"
    footer = _xml(path, "word/footer1.xml")
    assert [f.get(f"{W}instr") for f in footer.iter(f"{W}fldSimple")] == ["PAGE"]


def test_zip_entries_have_fixed_dates(path):
    with zipfile.ZipFile(path) as z:
        assert {i.date_time for i in z.infolist()} == {(2026, 11, 26, 0, 0, 0)}


def test_footnote_text_is_escaped_and_made_xml_safe():
    document = docx.Document()
    paragraph = document.add_paragraph("Body")
    notes = Footnotes(document)
    number = notes.add(paragraph, (Span("A & B <c> \x07bell", italic=True), Span(" end")))
    assert number == 1
    xml = etree.tostring(notes.part.element, encoding="unicode")
    assert "A &amp; B &lt;c&gt; bell" in xml
    refs = paragraph._p.findall(f".//{qn('w:footnoteReference')}")
    assert [r.get(qn("w:id")) for r in refs] == ["1"]
