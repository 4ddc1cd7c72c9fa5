"""A small project for the publishing tests: a web page (with an archived copy) and a
two-page PDF report as sources, each with its web address, and an outline in British
English with a block quote, inline quotes, a short note and recommendations."""

from __future__ import annotations

from pathlib import Path

from weasyprint import HTML

WEB_URL = "https://example.org/news/partners.html"
ARCHIVED = "https://web.archive.org/web/20240516093000/https://example.org/news/partners.html"
PDF_URL = "https://example.org/papers/memo.pdf"

WEB_PAGE = """<!DOCTYPE html>
<html lang="en"><head><title>Partners, not allies</title></head><body>
<article>
<h1>Partners, not allies</h1>
<p>The two governments signed a statement on Friday that promised cooperation in trade,
energy and technology, and said their friendship had no limits &amp; no forbidden areas of
cooperation, while stopping short of any promise of mutual defence between the two sides.</p>
<p>Officials in both capitals described the relationship as a strategic partnership for a
new era, a phrase repeated at every summit since the first one.</p>
</article>
</body></html>
"""

PDF_PAGES = [
    "<p>Introduction. This memo reviews the partnership.</p>",
    "<p>The agreements bind neither side to come to the other's defence.</p>",
]

SOURCES = f"""\
- id: partners-web
  file: partners.html
  type: article-newspaper
  title: Partners, not allies
  author: Ann Writer
  container-title: The Example Times
  date: 2024-05-16
  url: {WEB_URL}
  archived: {ARCHIVED}
- id: memo-pdf
  file: memo.pdf
  type: report
  title: The Partnership Memo
  publisher: Example Institute
  date: 2023
  url: {PDF_URL}
"""

OUTLINE = """\
title: Bounded Partners
subtitle: What the statement promises
author: Desk of Examples
date: 2024-06-01
lang: en-GB
summary: A short summary in the author's own words.
sections:
  - heading: The statement
    arguments:
      - claim: The friendship was said to have no limits.
        evidence:
          - source: partners-web
            quote: >-
              The two governments signed a statement on Friday that promised cooperation in
              trade, energy and technology, and said their friendship had no limits & no
              forbidden areas of cooperation
      - claim: Neither side is bound to defend the other.
        evidence:
          - source: memo-pdf
            quote: The agreements bind neither side to come to the other's defence.
      - claim: The phrase is old.
        evidence:
          - source: partners-web
            quote: a strategic partnership for a new era
recommendations:
  - Plan for the limits.
  - Watch the next summit.
"""


def make_project(root: Path, outline: str = OUTLINE) -> Path:
    """The project in `root` (corpus/, outlines/); returns the outline's path."""
    corpus = root / "corpus"
    corpus.mkdir(parents=True)
    (corpus / "partners.html").write_text(WEB_PAGE, encoding="utf-8")
    pages = "".join(
        f'<section style="break-after: page">{p}</section>' for p in PDF_PAGES
    )
    HTML(string=f"<html><body>{pages}</body></html>").write_pdf(corpus / "memo.pdf")
    (corpus / "sources.yaml").write_text(SOURCES, encoding="utf-8")
    (root / "outlines").mkdir()
    path = root / "outlines" / "bounded.yaml"
    path.write_text(outline, encoding="utf-8")
    return path
