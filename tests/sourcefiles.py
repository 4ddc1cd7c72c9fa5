"""Real small source files made for the tests: a PDF rendered by WeasyPrint from known text,
a Word file made with python-docx (footnotes included), and a saved web page."""

from __future__ import annotations

import io
from pathlib import Path

# Long enough to fill more than one A6 page; no word of it has a hyphen of its own, so any
# hyphen at a line end in the PDF was put there by WeasyPrint's hyphenation.
PDF_PARAGRAPH = (
    "The partnership between Beijing and Moscow is described by officials as having no "
    "limits, yet the record of the past decade shows a relationship that is interdependent "
    "but unequal in most respects. Analysts at several institutes argue that the "
    "extraordinarily comprehensive cooperation agreements signed in recent years contain "
    "remarkably few binding commitments, and that both governments remain deeply wary of "
    "entanglement in each other's territorial disputes. Chinese manufacturers nevertheless "
    "supplied machinery and electronics in quantities that transformed bilateral commerce, "
    "while Russian energy exporters redirected pipelines and tankers towards Asian customers "
    "at considerable discounts. Diplomatic communiqués celebrated an unprecedented "
    "convergence of strategic outlooks, although practical coordination in international "
    "organisations remained uneven and frequently improvised."
)
PDF_HTML = """<html lang="en"><head><style>
@page { size: A6; margin: 2cm 1.5cm;
  @top-center { content: "Journal of Eurasian Studies"; font-size: 8pt }
  @bottom-center { content: "Page " counter(page); font-size: 8pt } }
body { font: 10pt serif }
.auto { hyphens: auto; text-align: justify }
.lines { white-space: pre-line }
</style></head><body>
<h1>Solidarity without alliance</h1>
<p class="auto">PARAGRAPH</p>
<p class="lines">Officials in both capitals call the relationship well-known and
well-
known at once, and the agreements signed in re-
cent years bind them to very little.</p>
</body></html>"""


def make_pdf(path: Path) -> Path:
    from weasyprint import HTML

    HTML(string=PDF_HTML.replace("PARAGRAPH", PDF_PARAGRAPH)).write_pdf(path)
    return path


DOCX_PARAGRAPHS = [
    "Memorandum on the Partnership",
    "Moscow and Beijing have signed more than twenty agreements since 2019, most of them "
    "declarations of intent rather than treaties.",
    "The agreements bind neither side to come to the other's defence.",
]
DOCX_FOOTNOTE = "See the joint statement of 4 February 2022, paragraph three."

_FOOTNOTES_XML = (
    '<w:footnotes xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
    '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>'
    '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/>'
    "</w:r></w:p></w:footnote>"
    '<w:footnote w:id="1"><w:p><w:r><w:footnoteRef/></w:r><w:r><w:t xml:space="preserve"> '
    "TEXT</w:t></w:r></w:p></w:footnote></w:footnotes>"
)


def make_docx(path: Path) -> Path:
    """A Word file whose second paragraph carries a footnote reference in mid-sentence."""
    import docx
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docx.opc.packuri import PackURI
    from docx.opc.part import Part
    from docx.oxml import parse_xml

    document = docx.Document()
    document.add_heading(DOCX_PARAGRAPHS[0], level=1)
    document.add_paragraph("")  # an empty paragraph is not counted
    first, rest = DOCX_PARAGRAPHS[1].split(" since ", 1)
    p = document.add_paragraph(first)
    ref = parse_xml(
        '<w:r xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        '<w:rPr><w:vertAlign w:val="superscript"/></w:rPr><w:footnoteReference w:id="1"/></w:r>'
    )
    p._p.append(ref)
    p.add_run(" since " + rest)
    document.add_paragraph(DOCX_PARAGRAPHS[2])
    blob = _FOOTNOTES_XML.replace("TEXT", DOCX_FOOTNOTE).encode()
    part = Part(
        PackURI("/word/footnotes.xml"),
        "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml",
        blob,
        document.part.package,
    )
    document.part.relate_to(part, RT.FOOTNOTES)
    buffer = io.BytesIO()
    document.save(buffer)
    path.write_bytes(buffer.getvalue())
    return path


HTML_PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>World News</title>
<script>var teaser = "<p>Xi and Putin sign a treaty of alliance</p>";</script>
<style>p { margin: 0 }</style></head>
<body>
<header><a href="/">Home</a> | <a href="/world">World</a></header>
<nav><ul><li>Politics<li>Business</ul></nav>
<main>
<article>
  <h1>Xi&rsquo;s warm embrace</h1>
  <p>Mr. Xi called the relationship &ldquo;a model for major
     countries,&rdquo; and the two leaders hugged&nbsp;before the cameras.</p>
  <p>AT&amp;T was not part of the talks.<br>Neither was any other company.</p>
  <div class="share" aria-hidden="true">Share this article</div>
</article>
<aside>Related: Putin visits Pyongyang</aside>
</main>
<footer>&copy; 2024 The World News</footer>
</body></html>
"""


def make_html(path: Path) -> Path:
    path.write_text(HTML_PAGE, encoding="utf-8")
    return path
