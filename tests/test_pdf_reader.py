"""The PDF reader on files made here: what a reader sees is what verifies (issue: real
documents). Each test makes the PDF that shows one behaviour: WeasyPrint for laid-out pages
(columns, running heads, footnotes, hyphenation), tests/pdfmaker.py for what WeasyPrint does
not write (Form XObjects, an OCR layer, bombs)."""

from __future__ import annotations

from pathlib import Path

import pytest

from report.errors import CorpusError
from report.findings import Status, WarningKind
from report.readers import layer_of
from report.readers.bounded import ReaderLimit
from report.readers.pdftext import _Char, _line
from tests.pdfmaker import text_ops, write_pdf
from tests.quotecheck import Q, check_quotes


def corpus_with(root: Path, files: dict[str, Path]) -> Path:
    corpus = root / "corpus"
    corpus.mkdir(exist_ok=True)
    entries = []
    for sid, made in files.items():
        (corpus / made.name).write_bytes(made.read_bytes())
        entries.append(f"- id: {sid}\n  file: {made.name}\n")
    (corpus / "sources.yaml").write_text("".join(entries), encoding="utf-8")
    return corpus


def verdicts(tmp_path: Path, pdf: Path, *quotes: str) -> list:
    corpus = corpus_with(tmp_path, {"doc": pdf})
    return check_quotes(tmp_path, *(Q("doc", q) for q in quotes), corpus=corpus)


def statuses(results) -> list[str]:
    return [r.status.value for r in results]


def weasy(path: Path, body: str, css: str = "") -> Path:
    from weasyprint import HTML

    html = f"""<html lang="en"><head><style>
    @page {{ size: A5; margin: 2cm 1.5cm;
      @top-center {{ content: "Review of Eurasian Affairs"; font-size: 8pt }}
      @bottom-center {{ content: counter(page); font-size: 8pt }}
      @footnote {{ font-size: 7pt }} }}
    ::footnote-call {{ font-size: 70% }}
    body {{ font: 10pt serif }}
    .lines {{ white-space: pre-line }}
    {css}</style></head><body>{body}</body></html>"""
    HTML(string=html).write_pdf(path)
    return path


# -- a sentence is read as a reader reads it, over breaks ------------------------------------


def test_a_sentence_runs_over_a_column_break_past_a_caption_and_a_capital(tmp_path):
    pdf = weasy(
        tmp_path / "columns.pdf",
        """<div style="columns: 2; column-gap: 1cm">
        <p class="lines">Officials in both capitals describe the partnership
        as durable, and the agreements signed with</p>
        <p style="break-before: column; font-size: 7pt">Figure 2: Trade volumes, 2015-2022.</p>
        <p class="lines">Moscow in recent years bind Beijing to very little.</p>
        </div>""",
    )
    results = verdicts(
        tmp_path,
        pdf,
        "the agreements signed with Moscow in recent years bind Beijing to very little",
        "Trade volumes, 2015-2022.",  # the caption is text too, a paragraph of its own
        "the agreements signed with Figure 2",  # ... never part of the sentence
    )
    assert statuses(results) == ["verified", "verified", "misquote"]


def test_a_sentence_runs_over_a_page_break_past_a_footnote_and_a_running_head(tmp_path):
    filler = "<p>Filler paragraph of the first page, long enough to matter.</p>" * 12
    pdf = weasy(
        tmp_path / "pages.pdf",
        f"""{filler}
        <p class="lines">The ministry said the pipeline would be finished
        on time<span style="float: footnote; font-size: 7pt">Ministry statement of 3 May
        2021.</span> and that</p>
        <p class="lines" style="break-before: page">the second line would follow in 2030.</p>""",
    )
    layer = layer_of(pdf, pdf.read_bytes(), pdf.name)
    assert "Review of Eurasian Affairs" not in layer.text  # the running head
    results = verdicts(
        tmp_path,
        pdf,
        "the pipeline would be finished on time and that the second line would follow in 2030",
        "Ministry statement of 3 May 2021.",
    )
    assert statuses(results) == ["verified", "verified"]
    assert results[0].match.location.page == len(layer.page_labels) - 1  # starts on the page before


def test_footnote_numbers_are_not_words_of_the_sentence(tmp_path):
    pdf = weasy(
        tmp_path / "notes.pdf",
        """<p>The record of the past decade shows<sup>2</sup> a relationship that is
        interdependent but unequal.<sup>3</sup> Trade grew fast.</p>""",
    )
    results = verdicts(
        tmp_path,
        pdf,
        "The record of the past decade shows a relationship that is interdependent",
        "interdependent but unequal. Trade grew fast.",
    )
    assert statuses(results) == ["verified", "verified"]
    assert "shows2" not in layer_of(pdf, pdf.read_bytes(), pdf.name).text


def test_text_set_vertically_in_the_margin_does_not_cut_a_sentence(tmp_path):
    pdf = weasy(
        tmp_path / "stamp.pdf",
        """<div style="position: absolute; left: -1.2cm; top: 3cm; transform: rotate(-90deg);
        transform-origin: left top; font-size: 14pt">arXiv:2004.04906v3 [cs.CL] 30 Sep 2020</div>
        <p class="lines">Analysts at several institutes argue that the extraordinarily
        comprehensive cooperation agreements contain remarkably few binding commitments
        and that both governments remain deeply wary of entanglement in each other's
        territorial disputes across the whole of the period under review here.</p>""",
    )
    results = verdicts(
        tmp_path,
        pdf,
        "contain remarkably few binding commitments and that both governments remain deeply wary",
    )
    assert statuses(results) == ["verified"]


# -- a hyphen at a line end may be spelled either way -----------------------------------------


@pytest.fixture
def hyphens(tmp_path) -> Path:
    return weasy(
        tmp_path / "hyphens.pdf",
        """<p class="lines">First, because chat-
        optimized models show the ability to incorporate feed-
        back, agents cooperate through a strong Lucene-
        BM25 system, a dual-encoder and a non-
        decomposable model.</p>""",
    )


def test_a_line_end_hyphen_verifies_joined_and_hyphenated(tmp_path, hyphens):
    results = verdicts(
        tmp_path,
        hyphens,
        "because chatoptimized models",
        "because chat-optimized models",
        "the ability to incorporate feedback",
        "the ability to incorporate feed-back",
        "a strong Lucene-BM25 system",
        "a strong LuceneBM25 system",
        "the ability to incorporate feedback, agents cooperate through a strong Lucene-BM25",
        "a dual-encoder and a non-decomposable model",  # the document's own spelling
        "incorporate feed-back, agents cooperate through a strong LuceneBM25 system",  # mixed
    )
    assert statuses(results) == ["verified"] * 9


def test_a_hyphen_inside_a_line_is_not_optional(tmp_path, hyphens):
    results = verdicts(
        tmp_path,
        hyphens,
        "a dualencoder and",  # the hyphen is mid-line: a different spelling
        "because chat optimized models",  # a space is not a hyphen
        "incorpo-rate feedback",  # no hyphen there at all
    )
    assert statuses(results) == ["misquote"] * 3


# -- text a plain reading misses or adds ------------------------------------------------------


def test_text_inside_a_form_xobject_is_read(tmp_path):
    form = text_ops(["Reliance Industries Limited (RIL) is a Fortune 500 company",
                     "and the largest private sector corporation in India."])  # fmt: skip
    pdf = write_pdf(tmp_path / "form.pdf", [b"q /Fm1 Do Q"], form=form)
    results = verdicts(
        tmp_path,
        pdf,
        "Reliance Industries Limited (RIL) is a Fortune 500 company and the largest private "
        "sector corporation in India.",
    )
    assert statuses(results) == ["verified"]


def test_text_outside_the_page_is_not_text(tmp_path):
    ops = text_ops(["The visible sentence of the page."]) + b"\n" + text_ops(
        ["A sentence drawn beyond the page's left edge."], x=-900
    )
    pdf = write_pdf(tmp_path / "offpage.pdf", [ops])
    layer = layer_of(pdf, pdf.read_bytes(), pdf.name)
    assert "visible sentence" in layer.text
    assert "beyond" not in layer.text


def test_an_ocr_layer_verifies_with_a_warning(tmp_path):
    ocr = text_ops(["We use this form instead of the pair so that cells can be",
                    "distinguished from ordinary pairs."], mode=3)  # fmt: skip
    scan = b"q 612 0 0 792 0 0 cm /Im1 Do Q\n" + ocr
    pdf = write_pdf(tmp_path / "scan.pdf", [scan], image=True)
    [result] = verdicts(tmp_path, pdf, "so that cells can be distinguished from ordinary pairs")
    assert result.status is Status.VERIFIED
    assert [w.kind for w in result.warnings] == [WarningKind.OCR_TEXT]


def test_visible_text_gets_no_ocr_warning(tmp_path):
    pdf = write_pdf(tmp_path / "born.pdf", [text_ops(["A born-digital sentence of text."])])
    [result] = verdicts(tmp_path, pdf, "A born-digital sentence of text.")
    assert result.status is Status.VERIFIED and not result.warnings


def test_page_labels_are_recorded(tmp_path):
    from pypdf import PdfReader, PdfWriter

    plain = write_pdf(tmp_path / "plain.pdf", [text_ops([f"Page {n} text."]) for n in range(4)])
    writer = PdfWriter(clone_from=PdfReader(plain))
    writer.set_page_label(0, 1, style="/r")
    writer.set_page_label(2, 3, style="/D", start=1)
    labelled = tmp_path / "labelled.pdf"
    writer.write(labelled)
    layer = layer_of(labelled, labelled.read_bytes(), labelled.name)
    assert layer.page_labels == ("i", "ii", "1", "2")


# -- files that are not a readable text layer: input errors, never misquotes ------------------


def read(path: Path):
    return layer_of(path, path.read_bytes(), path.name)


def test_an_image_only_pdf_is_an_input_error(tmp_path):
    pdf = write_pdf(tmp_path / "image.pdf", [b"q 612 0 0 792 0 0 cm /Im1 Do Q"], image=True)
    with pytest.raises(CorpusError, match=r"no text layer .*OCR") as caught:
        read(pdf)
    assert caught.value.location.file == "image.pdf"


def test_a_damaged_pdf_is_an_input_error(tmp_path):
    pdf = tmp_path / "damaged.pdf"
    pdf.write_bytes(b"%PDF-1.7\n1 0 obj << /Type /Catalog >> garbage")
    with pytest.raises(CorpusError, match="cannot read the PDF"):
        read(pdf)


def test_a_password_protected_pdf_is_an_input_error(tmp_path):
    from pypdf import PdfReader, PdfWriter

    plain = write_pdf(tmp_path / "plain.pdf", [text_ops(["Secret text."])])
    writer = PdfWriter(clone_from=PdfReader(plain))
    writer.encrypt(user_password="secret", owner_password="owner")
    locked = tmp_path / "locked.pdf"
    writer.write(locked)
    with pytest.raises(CorpusError, match="password-protected"):
        read(locked)


def test_a_stream_that_inflates_past_the_memory_limit_is_refused(tmp_path, monkeypatch):
    monkeypatch.setenv("REPORT_READER_MEMORY_MB", "64")
    pdf = write_pdf(tmp_path / "bomb.pdf", [text_ops(["Text."])], deflate_pad=300 << 20)
    assert pdf.stat().st_size < 2 << 20  # 300 MB of content in under 2 MB
    with pytest.raises(ReaderLimit, match=r"bomb\.pdf: reading this file needs more than 64 MB"):
        read(pdf)


def test_a_file_that_takes_too_long_is_refused(tmp_path, monkeypatch):
    monkeypatch.setenv("REPORT_READER_CPU_SECONDS", "1")
    lines = [f"Line {n} of many glyphs drawn one by one to keep it busy." for n in range(60)]
    pages = [text_ops(lines, size=6)] * 1500  # some 5 million glyphs
    pdf = write_pdf(tmp_path / "slow.pdf", pages)
    with pytest.raises(CorpusError, match=r"slow\.pdf: .*(CPU time|characters)"):
        read(pdf)


# -- the characters of one line --------------------------------------------------------------


def chars(spec: list[tuple[str, float, float]], base: float = 100.0) -> list[_Char]:
    """Characters (text, x0, x1) on one baseline, 10 points high."""
    return [_Char(ch, x0, x1, base, base - 10, base, 10, ch == " ", False) for ch, x0, x1 in spec]


def kept(line) -> str:
    return "".join(line.replaced.get(k, c.ch) for k, c in enumerate(line.chars)
                   if k not in line.dropped)  # fmt: skip


def test_an_accent_set_over_its_letter_joins_it():
    # "Baudis" then, after the next word, the caron PDFium extracted on its own over the "s"
    spec = [("B", 0, 7), ("a", 7, 12), ("u", 12, 17), ("d", 17, 22), ("i", 22, 25),
            ("s", 25, 29), (" ", 29, 29), ("a", 31, 36), ("n", 36, 41), ("d", 41, 46),
            (" ", 46, 46), ("\u02c7", 25.3, 28.7)]  # fmt: skip
    line = _line(chars(spec), 1, 800)
    assert kept(line).split() == ["Baudiš", "and"]


def test_ligatures_an_old_tex_font_left_unmapped_are_spelled_out():
    text = "di\u21b5erent e\ufffdcient o\u21b5-the-shelf"
    line = _line(chars([(ch, 5 * k, 5 * k + 5) for k, ch in enumerate(text)]), 1, 800)
    assert kept(line) == "different efficient off-the-shelf"


def test_a_line_set_mostly_in_small_capitals_stays_in_its_sentence(tmp_path):
    pdf = weasy(
        tmp_path / "smallcaps.pdf",
        """<p class="lines">Submissions containing confidential business information
        should be sent to the person identified
        in the <span style="font-variant: small-caps">for further information</span>
        contact section of this notice.</p>""",
    )
    results = verdicts(
        tmp_path,
        pdf,
        "should be sent to the person identified in the for further information contact "
        "section of this notice",
    )
    assert statuses(results) == ["verified"]
