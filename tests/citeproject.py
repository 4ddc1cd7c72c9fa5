"""A project for the citation tests: three of the seed sources and a set of awkward ones (an
organisation as author with a report number, in a PDF whose pages are labelled 47698...; no
author; no date; eight authors; a French title), and an outline quoting each, in a style
and language the test chooses."""

# ruff: noqa: E501 (sources.yaml and the outline are written as a user writes them)
from __future__ import annotations

import shutil
from pathlib import Path

from tests.conftest import CORPUS
from tests.pdfmaker import text_ops, write_pdf

SOURCES = """\
- id: dispatch-2020
  file: 000_c697aafe88a72626.txt
  type: article-newspaper
  title: Talk About Your Dangerous Liaisons
  author: Thomas Joscelyn
  container-title: "The Dispatch: Vital Interests"
  publisher: The Dispatch
  date: 2020-03-21
- id: ponars-643
  file: 001_92b6317a18a4c361.txt
  type: report
  title: "Masked Diplomacy: Xi and Putin Seek Advantage and Cover from the Pandemic"
  author: Elizabeth Wishnick
  collection-title: PONARS Eurasia Policy Memo
  number: "643"
  publisher: PONARS Eurasia
  date: 2020-04
- id: cnbc-2021
  file: 004_d18f45208089c0a8.txt
  type: article-newspaper
  title: China and Russia show solidarity, but likely won’t support each other militarily, analysts say
  container-title: CNBC
  publisher: CNBC
  date: 2021-12
- id: faa-2020
  file: faa.pdf
  type: report
  organization: Federal Aviation Administration
  title: "Airworthiness Directives; The Boeing Company Airplanes"
  number: FAA-2020-0686
  publisher: U.S. Department of Transportation
  date: 2020-08-06
- id: dpr
  file: dpr.txt
  type: article
  title: Dense Passage Retrieval for Open-Domain Question Answering
  author: [Vladimir Karpukhin, Barlas Oğuz, Sewon Min, Patrick Lewis, Ledell Wu, Sergey Edunov, Danqi Chen, Wen-tau Yih]
  number: arXiv:2004.04906v3
  date: 2020-09-30
- id: olap
  file: olap.txt
  type: paper-conference
  title: Résumés et interrogations de logs de requêtes OLAP
  author: [Julien Aligon, Patrick Marcel, Elsa Negre]
  date: 2011
  language: fr
- id: undated
  file: undated.md
  type: webpage
  title: Why "Liberation" Failed
  author: Ann Smith
  container-title: Example Review
"""

OUTLINE = """\
title: Citations
date: 2026-01-15
{header}
sections:
  - heading: Sources
    arguments:
      - claim: Each kind of source is cited.
        evidence:
          - source: dispatch-2020
            quote: has set an example for the international community
          - source: faa-2020
            quote: The agency proposes to require an inspection of the stabilizer.
          - source: faa-2020
            quote: The operators must inspect the horizontal stabilizer within thirty days.
            page: {pages}
          - source: dispatch-2020
            quote: has set an example for the international community
          - source: cnbc-2021
            quote: reaffirmed China’s commitment to firmly support Russia
          - source: dpr
            quote: Dense retrieval outperforms a strong sparse baseline by a wide margin.
          - source: olap
            quote: Les requêtes sont résumées en « profils » avant d’être comparées.
          - source: undated
            quote: The reforms 'failed the farmers,' he wrote, and 'they can't handle it.'
          - source: ponars-643
            quote: in keeping with its ongoing efforts to sow distrust in Europe and the United States
"""


def make_project(root: Path, header: str = "", pages: str = "47699-47700") -> Path:
    """The project in `root`; its outline is outlines/citations.yaml."""
    corpus = root / "corpus"
    corpus.mkdir(parents=True)
    for name in ("000_c697aafe88a72626.txt", "001_92b6317a18a4c361.txt",
                 "004_d18f45208089c0a8.txt"):  # fmt: skip
        shutil.copy(CORPUS / name, corpus / name)
    (corpus / "sources.yaml").write_text(SOURCES, encoding="utf-8")
    _faa_pdf(corpus / "faa.pdf")
    (corpus / "dpr.txt").write_text(
        "Dense retrieval outperforms a strong sparse baseline by a wide margin.\n",
        encoding="utf-8",
    )
    (corpus / "olap.txt").write_text(
        "Les requêtes sont résumées en « profils » avant d’être comparées.\n", encoding="utf-8"
    )
    (corpus / "undated.md").write_text(
        "# Why it failed\n\nThe reforms ‘failed the farmers,’ he wrote, and ‘they can’t "
        "handle it.’\n",
        encoding="utf-8",
    )
    (root / "outlines").mkdir()
    outline = root / "outlines" / "citations.yaml"
    outline.write_text(OUTLINE.format(header=header, pages=pages), encoding="utf-8")
    return outline


def _faa_pdf(path: Path) -> None:
    """Four pages printed 47698 to 47701 (/PageLabels); a sentence on the second page, and
    one that runs from the second page onto the third."""
    from pypdf import PdfReader, PdfWriter

    pages = [
        text_ops(["Federal Register notice of proposed rulemaking."]),
        text_ops(
            ["The agency proposes to require an inspection of the stabilizer."] * 1
            + ["Discussion of the unsafe condition follows in detail."] * 40
            + ["The operators must inspect the horizontal"]
        ),
        text_ops(["stabilizer within thirty days. Costs are estimated below."]),
        text_ops(["Regulatory findings and the proposed amendment."]),
    ]
    plain = write_pdf(path.with_suffix(".plain.pdf"), pages)
    writer = PdfWriter(clone_from=PdfReader(plain))
    writer.set_page_label(0, 3, style="/D", start=47698)
    with path.open("wb") as f:
        writer.write(f)
    plain.unlink()
