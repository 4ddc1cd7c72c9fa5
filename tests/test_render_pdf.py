"""The sample brief's PDF, opened with pypdf: quotes, footnotes, metadata, page furniture."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from pypdf import PdfReader

from report.brief import make_brief
from report.build import build
from report.cite import plain
from report.errors import RenderError
from report.pipeline import check
from report.render.html import render_html
from report.render.pdf import TemplatesOnly, render_pdf
from tests.conftest import CORPUS, ROOT, SAMPLE
from tests.textcheck import squash

TEMPLATES = ROOT / "templates"
BODY_PX = 12.5  # body text is 10-10.5pt (13.3-14px); notes, headers and calls are smaller


@pytest.fixture(scope="module")
def pdf(sample_build):
    return PdfReader(sample_build / "xi-putin.pdf")


@pytest.fixture(scope="module")
def brief():
    (checked,) = check([SAMPLE])
    return make_brief(checked.outline, checked.corpus, checked.results)


def _chunks(reader: PdfReader) -> list[tuple[float, str]]:
    """(font size in px, text) of every text chunk, in reading order."""
    out: list[tuple[float, str]] = []
    for page in reader.pages:

        def visit(text, cm, tm, font, size, out=out):
            if text:
                out.append((size * (tm[0] if tm else 1), text))

        page.extract_text(visitor_text=visit)
    return out


def test_every_quote_is_in_the_body_text(pdf, brief):
    body = squash("".join(t for size, t in _chunks(pdf) if size >= BODY_PX))
    for q in brief.quotes:
        assert squash(q.text) in body, q.text


def test_each_quote_is_followed_by_its_footnote_call(pdf, brief):
    # Body text with the footnote calls (small superscript digits) marked as ^n^.
    pieces = []
    for size, text in _chunks(pdf):
        if size >= BODY_PX:
            pieces.append(text)
        elif size < 8 and text.strip().isdigit():
            pieces.append(f"^{text.strip()}^")
    body = squash("".join(pieces))
    calls = [int(n) for n in re.findall(r"\^(\d+)\^", body)]
    assert calls == [n.number for n in brief.notes]
    for p in brief.paragraphs:  # each call where it stands in the author's sentence
        for k, part in enumerate(p.parts):
            if hasattr(part, "number") and k:
                tail = re.escape(
                    squash("".join(x.text for x in p.parts[:k] if hasattr(x, "text")))[-12:]
                )
                assert re.search(tail + r"\^" + str(part.number) + r"\^", body), part.number
    for q in brief.quotes:
        tail = re.escape(squash(q.text)[-12:])
        assert re.search(tail + r'[.!?"]*\^' + str(q.number) + r"\^", body), q.number


def test_every_citation_is_a_numbered_footnote(pdf, brief):
    notes = squash(
        "".join(
            t
            for size, t in _chunks(pdf)
            if 10.3 <= size < 11 and not re.fullmatch(r"\s*\d+ / \d+\s*", t)  # 8pt, no folios
        )
    )
    for q in brief.notes:
        pattern = rf"(?<!\d){q.number}\." + re.escape(squash(plain(q.note)))
        assert re.search(pattern, notes), q.number


def test_metadata(pdf):
    meta = pdf.metadata
    assert meta.title == "Solidarity Without Alliance"
    assert meta.author == "Policy Analysis Desk"
    assert meta["/CreationDate"].startswith("D:20261126")


def test_page_numbers_and_running_header(pdf):
    pages = [p.extract_text() for p in pdf.pages]
    n = len(pages)
    assert n >= 2
    for i, text in enumerate(pages, start=1):
        assert f"{i} / {n}" in text
    assert "SOLIDARITY WITHOUT ALLIANCE" not in pages[0]  # no running header on the cover
    assert all("SOLIDARITY WITHOUT ALLIANCE" in t for t in pages[1:])


def test_title_block_sections_recommendations_and_sources(pdf, brief):
    text = squash(" ".join(p.extract_text() for p in pdf.pages))
    for piece in [brief.title, brief.subtitle, brief.author, "26 November 2026"]:
        assert squash(piece) in text
    for section in brief.sections:
        assert squash(section.heading) in text
        for argument in section.arguments:
            assert squash(argument.claim.text) in text
    for rec in brief.recommendations:
        assert squash(rec.text) in text
    assert squash("Sources quoted") in text
    for source in brief.sources:
        assert squash(plain(source.entry)) in text


def test_outline_text_is_escaped_never_markup(tmp_path):
    outline = tmp_path / "x.yaml"
    outline.write_text(
        f"""title: "Risks & <b>Rewards</b>"
corpus: {CORPUS}
sections:
  - heading: "<script>alert(1)</script>"
    arguments:
      - claim: A claim.
        evidence:
          - source: cnbc-2021
            quote: Russia is very much the junior partner in the bilateral relationship
""",
        encoding="utf-8",
    )
    (checked,) = check([outline])
    brief = make_brief(checked.outline, checked.corpus, checked.results)
    html = render_html(brief, TEMPLATES)
    assert "Risks &amp; &lt;b&gt;Rewards&lt;/b&gt;" in html
    assert "<script>" not in html
    text = PdfReader_text(render_pdf(brief, TEMPLATES), tmp_path)
    assert "Risks & <b>Rewards</b>" in text


def PdfReader_text(data: bytes, tmp_path: Path) -> str:
    path = tmp_path / "x.pdf"
    path.write_bytes(data)
    return " ".join(p.extract_text() for p in PdfReader(path).pages)


def test_fetcher_serves_template_files_only(tmp_path):
    fetcher = TemplatesOnly(TEMPLATES)
    css = fetcher.fetch((TEMPLATES / "brief.css").as_uri())
    assert b"@page" in css.read()
    (tmp_path / "secret.txt").write_text("secret")
    link = tmp_path / "templates"
    link.mkdir()
    (link / "escape.css").symlink_to(tmp_path / "secret.txt")
    for url in [
        "http://example.com/x.css",
        "https://example.com/font.woff2",
        (tmp_path / "secret.txt").as_uri(),
        (TEMPLATES / ".." / "pyproject.toml").as_uri(),
        "data:text/css,p{}",
    ]:
        with pytest.raises(ValueError, match="refused"):
            fetcher.fetch(url)
    with pytest.raises(ValueError, match="refused"):
        TemplatesOnly(link).fetch((link / "escape.css").as_uri())


def test_a_template_that_reaches_outside_fails_the_build(tmp_path, brief):
    templates = tmp_path / "templates"
    shutil.copytree(TEMPLATES, templates)
    css = templates / "brief.css"
    css.write_text('@import url("http://example.com/evil.css");\n' + css.read_text())
    with pytest.raises(RenderError, match=r"example\.com"):
        render_pdf(brief, templates)


def test_two_builds_give_the_same_bytes(sample_build, tmp_path):
    build([SAMPLE], tmp_path)
    for name in ("xi-putin.pdf", "xi-putin.docx"):
        assert (tmp_path / name).read_bytes() == (sample_build / name).read_bytes(), name


def test_bookmarks_follow_the_headings(pdf, brief):
    (title, headings) = pdf.outline
    assert title.title == brief.title
    assert [h.title for h in headings] == [
        "Summary",
        *(s.heading for s in brief.sections),
        "Recommendations",
        "Sources quoted",
    ]
