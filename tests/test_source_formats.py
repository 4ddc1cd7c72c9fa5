"""PDF, Word and HTML sources: each becomes a text layer that quotes verify against, with
findings located as page/line, paragraph or line:col. The files are real, made in the tests."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from report.corpus import load_corpus
from report.errors import CorpusError, Location
from report.normalize import normalize_text
from report.readers import layer_of
from tests.sourcefiles import (
    DOCX_FOOTNOTE,
    DOCX_PARAGRAPHS,
    PDF_PARAGRAPH,
    make_docx,
    make_html,
    make_pdf,
)

SOURCES = """\
- id: paper
  file: paper.pdf
  title: Solidarity without alliance
- id: memo
  file: memo.docx
  title: Memorandum on the Partnership
- id: page
  file: page.html
  title: Xi's warm embrace
"""


def read_layer(path):
    return layer_of(path, path.read_bytes(), path.name)


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("formats")
    corpus = root / "corpus"
    corpus.mkdir()
    make_pdf(corpus / "paper.pdf")
    make_docx(corpus / "memo.docx")
    make_html(corpus / "page.html")
    (corpus / "sources.yaml").write_text(SOURCES, encoding="utf-8")
    (root / "outlines").mkdir()
    return root


def outline(project: Path, name: str, evidence: list[tuple[str, str]]) -> Path:
    items = "\n".join(
        f"          - source: {sid}\n            quote: {json.dumps(q, ensure_ascii=False)}"
        for sid, q in evidence
    )
    path = project / "outlines" / f"{name}.yaml"
    path.write_text(
        "title: Formats\nsections:\n  - heading: One\n    arguments:\n"
        f"      - claim: A claim.\n        evidence:\n{items}\n",
        encoding="utf-8",
    )
    return path


def check(invoke, project: Path, name: str, evidence: list[tuple[str, str]]) -> list[dict]:
    result = invoke("check", outline(project, name, evidence), "--format", "json", cwd=project)
    assert result.code in (0, 1), result.err
    return json.loads(result.out)["quotes"]


# -- PDF -----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def pdf(project):
    return load_corpus(project / "corpus").text("paper")


def test_pdf_really_hyphenates_and_breaks_pages(project):
    """The fixture exercises what it claims: hyphens at line ends and a paragraph that runs
    over a page break, with running heads on every page."""
    from pypdf import PdfReader  # an independent reading of the fixture

    pages = PdfReader(project / "corpus" / "paper.pdf").pages
    raw = "\n".join(page.extract_text() for page in pages)
    assert re.search(r"[a-z][\u2010-]\n[a-z]", raw)
    assert raw.count("Journal of Eurasian Studies") >= 2
    assert "Page 2" in raw


def test_pdf_text_layer_holds_the_known_text(pdf):
    assert normalize_text(PDF_PARAGRAPH) in pdf.text
    assert "Journal of Eurasian Studies" not in pdf.layer.text  # running header
    assert not re.search(r"Page \d", pdf.layer.text)  # running footer
    assert "\u2010" not in pdf.layer.text  # every hyphenation undone


def test_pdf_keeps_a_compound_hyphen_at_a_line_end(pdf):
    # "well-\nknown": the document also writes "well-known" on one line, never "wellknown".
    assert "well-known at once" in pdf.text
    assert "wellknown" not in pdf.text


def test_pdf_quotes_verify_across_line_breaks_and_hyphenation(invoke, project):
    quotes = check(
        invoke,
        project,
        "pdf",
        [
            ("paper", "the agreements signed in recent years bind them to very little"),
            ("paper", "argue that the extraordinarily comprehensive cooperation agreements"),
            ("paper", PDF_PARAGRAPH),  # runs over a page break and many hyphenated words
            # the hyphen at the line end "re-" / "cent" may be a compound's: both spellings
            ("paper", "the agreements signed in re-cent years bind them"),
            ("paper", "the agreements signed in recent years bind them to nothing"),
            ("paper", "argue that the extra-ordinarily comprehensive cooperation"),  # mid-line
        ],
    )
    assert [q["status"] for q in quotes] == ["verified"] * 4 + ["misquote"] * 2
    assert quotes[0]["location"]["page"] == 2
    whole = quotes[2]["matches"][0]["location"]
    assert whole["page"] == 1 and whole["line"] == 4  # header and two title lines above


def test_pdf_location_is_page_line_and_column(invoke, project, pdf):
    start = pdf.text.index("signed in recent years bind")
    loc = pdf.location(start)
    assert (loc.page, loc.line, loc.column) == (2, 12, 1)
    assert str(loc).endswith("paper.pdf:p2:12:1")
    assert pdf.layer.paragraph_index(pdf.norm.map(start)) == 2  # title, paragraph, this one


def test_pdf_without_text_is_a_clear_input_error(tmp_path):
    from weasyprint import HTML

    (tmp_path / "scan.pdf").write_bytes(HTML(string="<p></p>").write_pdf())
    with pytest.raises(CorpusError, match="no text layer"):
        read_layer(tmp_path / "scan.pdf")
    (tmp_path / "broken.pdf").write_bytes(b"%PDF-1.4\nnot really a PDF")
    with pytest.raises(CorpusError, match="cannot read the PDF"):
        read_layer(tmp_path / "broken.pdf")


# -- Word ----------------------------------------------------------------------------------


def test_docx_paragraphs_and_footnotes(project):
    text = load_corpus(project / "corpus").text("memo")
    assert text.layer.text.split("\n\n") == [*DOCX_PARAGRAPHS, DOCX_FOOTNOTE]
    since = text.text.index("since 2019")
    assert str(text.location(since)).endswith("memo.docx:¶2:60")
    note = text.text.index("joint statement")
    assert text.location(note).unit == "fn" and text.location(note).line == 1


def test_docx_quotes_verify_across_a_footnote_mark(invoke, project):
    quotes = check(
        invoke,
        project,
        "docx",
        [
            ("memo", "signed more than twenty agreements since 2019"),  # the mark is mid-way
            ("memo", "the joint statement of 4 February 2022"),
            ("memo", "bind neither side to come to the other's aid"),
        ],
    )
    assert [q["status"] for q in quotes] == ["verified", "verified", "misquote"]
    assert quotes[1]["location"]["unit"] == "footnote"
    assert quotes[2]["diff"] == "- aid + defence"  # edge punctuation the quote lacks is trimmed


def test_broken_docx_is_an_input_error(tmp_path):
    (tmp_path / "x.docx").write_bytes(b"PK\x03\x04 not a zip")
    with pytest.raises(CorpusError, match="cannot read the Word file"):
        read_layer(tmp_path / "x.docx")


# -- HTML ----------------------------------------------------------------------------------


def test_html_keeps_the_article_and_drops_the_furniture(project):
    text = load_corpus(project / "corpus").text("page")
    layer = text.layer.text
    assert layer.split("\n\n") == [
        "Xi’s warm embrace",
        "Mr. Xi called the relationship “a model for major countries,” and the two leaders "
        "hugged\u00a0before the cameras.".replace("\u00a0", " "),
        "AT&T was not part of the talks.\nNeither was any other company.",
    ]
    for furniture in ("Home", "Politics", "treaty of alliance", "Share", "Related", "2024"):
        assert furniture not in layer


def test_html_locations_point_into_the_page_source(project):
    text = load_corpus(project / "corpus").text("page")
    source = (project / "corpus" / "page.html").read_text(encoding="utf-8").split("\n")
    for words in ("a model for major", "countries", "AT&T", "Neither was"):
        loc = text.location(text.text.index(normalize_text(words)))
        line = source[loc.line - 1]
        assert line[loc.column - 1 :].startswith(words.replace("&", "&amp;")), (words, loc)


def test_html_quotes_verify(invoke, project):
    quotes = check(
        invoke,
        project,
        "html",
        [
            ("page", "a model for major countries"),
            ("page", "the two leaders hugged before the cameras"),
            ("page", "Xi and Putin sign a treaty of alliance"),  # in a <script>, not text
        ],
    )
    assert [q["status"] for q in quotes] == ["verified", "verified", "misquote"]
    assert quotes[0]["location"]["file"].endswith("page.html")


def test_html_in_a_declared_legacy_encoding(tmp_path):
    page = '<html><head><meta charset="iso-8859-1"></head><body><p>Caf\xe9 society</p></body>'
    (tmp_path / "old.html").write_bytes(page.encode("latin-1"))
    assert read_layer(tmp_path / "old.html").text == "Café society"


# -- Locations -----------------------------------------------------------------------------


def test_text_locations_read_as_before():
    assert str(Location("a.txt", 3, 7)) == "a.txt:3:7"
    assert str(Location("a.pdf", 3, 7, page=2)) == "a.pdf:p2:3:7"
    assert str(Location("a.docx", 3, 7, unit="¶")) == "a.docx:¶3:7"


def test_html_without_article_markup_keeps_the_body_text(tmp_path):
    page = (
        "<html><body><div id=menu role=navigation>Home News</div>"
        "<p>First paragraph<p>Second &#8212; with a dash<pre>line one\nline two</pre>"
        '<div hidden>secret</div><p style="color: red; display:none">hidden too</p>'
        "<span style='visibility: hidden'>and this</span></body></html>"
    )
    (tmp_path / "p.html").write_text(page, encoding="utf-8")
    layer = read_layer(tmp_path / "p.html")
    assert layer.text == "First paragraph\n\nSecond — with a dash\n\nline one\nline two"


def test_find_shows_pdf_passages_by_page(invoke, project):
    result = invoke(
        "find", "signed in recent years bind", "--corpus", "corpus", "--limit", "1", cwd=project
    )
    assert result.code == 0, result.err
    assert result.out.startswith(f"# {Path('corpus/paper.pdf')}:p2:8:1 ")  # the sentence's start
    assert "signed in recent years bind them to very little." in result.out
