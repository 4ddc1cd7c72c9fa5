"""Links to the quoted passage: text fragments and page links built as the specifications
say, archived copies cited as Chicago cites them, and the links live in the PDF's
annotations and the Word file's relationships, never pointing at a local file."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote

import docx
import pytest
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from pypdf import PdfReader

from report.build import build
from report.cite import archived_phrase
from report.errors import Location
from report.findings import Match
from report.links import encode_directive, passage_link, text_fragment
from report.sources import Source, web_address
from tests.conftest import invoke_report
from tests.publishproject import ARCHIVED, PDF_URL, SOURCES, WEB_URL, make_project

FRAGMENT = (
    WEB_URL + "#:~:text=The%20two%20governments%20signed,forbidden%20areas%20of%20cooperation"
)


@pytest.mark.parametrize(
    ("text", "encoded"),
    [
        ("no limits", "no%20limits"),
        ("dual-use, and more", "dual%2Duse%2C%20and%20more"),  # - and , are the syntax
        ("trade & energy", "trade%20%26%20energy"),  # & ends a directive
        ("“new era”", "%E2%80%9Cnew%20era%E2%80%9D"),  # UTF-8, then percent-encoded
        ("50% #1", "50%25%20%231"),
        ("it's (so): a.b/c?d=e;f@g_h~i!j$k*l+m", "it's%20(so):%20a.b/c?d=e;f@g_h~i!j$k*l+m"),
    ],
)  # fmt: skip
def test_directive_text_is_percent_encoded_as_the_specification_requires(text, encoded):
    assert encode_directive(text) == encoded
    assert unquote(encoded) == text


def test_a_short_passage_is_given_whole_a_long_one_by_its_edges():
    assert text_fragment("a strategic  partnership\nfor a new era") == (
        ":~:text=a%20strategic%20partnership%20for%20a%20new%20era"
    )
    long = "one two three four five six seven eight nine ten"
    assert text_fragment(long) == ":~:text=one%20two%20three%20four,seven%20eight%20nine%20ten"
    assert text_fragment("  ") == ""


def _source(file: str, url: str | None) -> Source:
    csl = {"URL": url} if url else {}
    return Source("s", Path("/corpus") / file, file, Location("sources.yaml"), csl)


def _match(text: str, page: int = 0) -> Match:
    return Match("s", 0, len(text), Location("f", 3, 1, page=page), 0, text, text)


def test_passage_links():
    words = "the friendship had no limits"
    assert passage_link(_source("a.html", "https://x.org/a"), _match(words)) == (
        "https://x.org/a#:~:text=the%20friendship%20had%20no%20limits"
    )
    # an address's own fragment stays before the directive
    assert passage_link(_source("a.html", "https://x.org/a#top"), _match(words)).startswith(
        "https://x.org/a#top:~:text=the%20"
    )
    assert passage_link(_source("m.pdf", "https://x.org/m.pdf"), _match(words, 7)) == (
        "https://x.org/m.pdf#page=7"
    )
    assert passage_link(_source("m.pdf", "https://x.org/m.pdf#page=2"), _match(words, 5)) == (
        "https://x.org/m.pdf#page=5"
    )
    assert passage_link(_source("a.html", None), _match(words)) is None
    assert passage_link(_source("a.html", "file:///etc/passwd"), _match(words)) is None


@pytest.mark.parametrize(
    ("address", "ok"),
    [
        ("https://example.org/a", True),
        ("http://example.org", True),
        ("file:///home/me/a.html", False),
        ("javascript:alert(1)", False),
        ("example.org/a", False),
        ("https:///nohost", False),
        ("https://example.org/a b", False),
    ],
)
def test_only_web_addresses_are_links(address, ok):
    assert web_address(address) is ok


def test_archived_copies_are_cited_as_chicago_cites_them():
    assert archived_phrase(ARCHIVED) == (
        f"archived May 16, 2024, at the Wayback Machine, {ARCHIVED}"
    )
    assert archived_phrase("https://perma.cc/AB12-CD34") == (
        "archived at Perma.cc, https://perma.cc/AB12-CD34"
    )
    assert archived_phrase("https://archive.ph/xYz1") == (
        "archived at archive.today, https://archive.ph/xYz1"
    )


@pytest.mark.parametrize(
    ("key", "value"),
    [("archived", "file:///tmp/copy.html"), ("url", "partners.html"), ("archived", "[1, 2]")],
)
def test_a_source_address_that_is_not_a_web_address_is_a_located_input_error(
    tmp_path, key, value
):
    outline = make_project(tmp_path)
    sources = tmp_path / "corpus" / "sources.yaml"
    line = f"  {key}: {value}" if key == "url" else f"  url: {PDF_URL}\n  {key}: {value}"
    text = SOURCES.replace(f"  url: {PDF_URL}", line)
    sources.write_text(text)
    result = invoke_report("check", outline, cwd=tmp_path)
    assert result.code == 2
    line = text.splitlines().index(f"  {key}: {value}") + 1
    assert f"sources.yaml:{line}:" in result.err
    assert "must be a web address" in result.err


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("links")
    out = root / "out"
    assert build([make_project(root)], out).written
    return out


def test_the_pdf_notes_link_to_the_passages(built):
    reader = PdfReader(built / "bounded.pdf")
    uris = [
        a.get_object()["/A"]["/URI"]
        for page in reader.pages
        for a in page.get("/Annots") or []
        if "/A" in a.get_object()
    ]
    # note 1: the page opened at the quoted words; the archived copy; note 2: the PDF's
    # page; note 3, a short note, linked whole to its passage
    assert FRAGMENT in uris
    assert ARCHIVED in uris
    assert PDF_URL + "#page=2" in uris
    assert WEB_URL + "#:~:text=a%20strategic%20partnership%20for%20a%20new%20era" in uris
    assert all(u.startswith("https://") for u in uris)


def test_the_word_notes_and_sources_are_hyperlinks(built):
    document = docx.Document(built / "bounded.docx")
    (notes,) = [r.target_part for r in document.part.rels.values() if r.reltype == RT.FOOTNOTES]
    in_notes = {r.target_ref for r in notes.rels.values() if r.reltype == RT.HYPERLINK}
    assert in_notes == {
        FRAGMENT,
        ARCHIVED,
        PDF_URL + "#page=2",
        WEB_URL + "#:~:text=a%20strategic%20partnership%20for%20a%20new%20era",
    }
    assert all(r.is_external for r in notes.rels.values() if r.reltype == RT.HYPERLINK)
    # each relationship is used by a w:hyperlink whose text is what the reader sees
    xml = notes.blob if hasattr(notes, "blob") else b""
    assert b"w:hyperlink" in xml
    in_body = {r.target_ref for r in document.part.rels.values() if r.reltype == RT.HYPERLINK}
    assert in_body == {WEB_URL, ARCHIVED, PDF_URL}  # the sources quoted
    links = document.element.body.findall(".//" + docx.oxml.ns.qn("w:hyperlink"))
    shown = ["".join(t.text for t in link.iter(docx.oxml.ns.qn("w:t"))) for link in links]
    assert WEB_URL in shown and ARCHIVED in shown


def test_the_archived_copy_is_in_note_and_bibliography(built):
    text = "".join(
        p.text for p in docx.Document(built / "bounded.docx").paragraphs
    )
    assert f"Archived May 16, 2024, at the Wayback Machine, {ARCHIVED}." in text
