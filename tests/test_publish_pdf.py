"""Accessible and archival PDFs, opened with pikepdf (qpdf): the structure tree, language,
title, bookmarks, XMP identification, and the quote ledger carried inside the PDF."""

from __future__ import annotations

import ctypes
import json
import re
import shutil
from pathlib import Path

import pikepdf
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
import pytest

from report.build import build
from report.render import PDF_VARIANTS
from tests.conftest import invoke_report
from tests.publishproject import make_project

PDFAID = "{http://www.aiim.org/pdfa/ns/id/}"
PDFUAID = "{http://www.aiim.org/pdfua/ns/id/}"


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("publish")
    return make_project(root)


@pytest.fixture(scope="module")
def ua(project) -> Path:
    """The brief built as report builds it by default."""
    out = project.parent.parent / "out-ua"
    assert build([project], out).written
    return out


@pytest.fixture(scope="module")
def archival(project) -> Path:
    out = project.parent.parent / "out-a3b"
    assert build([project], out, pdf_variant="pdf/a-3b").written
    return out


def _tree(pdf: pikepdf.Pdf) -> list[tuple[str, pikepdf.Dictionary]]:
    """Every structure element under the document, in order: (type, element)."""
    out: list[tuple[str, pikepdf.Dictionary]] = []

    def walk(element: pikepdf.Dictionary) -> None:
        out.append((str(element.get("/S")), element))
        kids = element.get("/K")
        for kid in kids if isinstance(kids, pikepdf.Array) else [kids]:
            if isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/StructElem":
                walk(kid)

    walk(pdf.Root.StructTreeRoot.K[0])
    return out


def _marked_text(path: Path) -> dict[tuple[int, int], str]:
    """(page index, MCID) -> the text drawn in that marked content, read by pdfium."""
    document = pdfium.PdfDocument(path)
    out: dict[tuple[int, int], str] = {}
    for index in range(len(document)):
        page = document[index]
        textpage = page.get_textpage()
        for obj in page.get_objects(max_depth=5):
            if obj.type != pdfium_c.FPDF_PAGEOBJ_TEXT:
                continue
            mcid = pdfium_c.FPDFPageObj_GetMarkedContentID(obj.raw)
            size = pdfium_c.FPDFTextObj_GetText(obj.raw, textpage.raw, None, 0)
            buffer = ctypes.create_string_buffer(size)
            pointer = ctypes.cast(buffer, ctypes.POINTER(ctypes.c_ushort))
            pdfium_c.FPDFTextObj_GetText(obj.raw, textpage.raw, pointer, size)
            text = buffer.raw.decode("utf-16-le").rstrip("\x00")
            out[(index, mcid)] = out.get((index, mcid), "") + text
    document.close()
    return out


def _text(pdf: pikepdf.Pdf, element: pikepdf.Dictionary) -> str:
    """The text an element's marked content draws (its MCIDs on their pages)."""
    pages = {page.obj.objgen: n for n, page in enumerate(pdf.pages)}
    drawn = _marked_text(Path(pdf.filename))
    text = []

    def collect(e: pikepdf.Dictionary) -> None:
        kids = e.get("/K")
        for kid in kids if isinstance(kids, pikepdf.Array) else [kids]:
            if isinstance(kid, int):
                text.append(drawn.get((pages[e.Pg.objgen], int(kid)), ""))
            elif isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/StructElem":
                collect(kid)

    collect(element)
    return "".join(text)


def test_the_default_pdf_is_tagged_pdf_ua_1_in_the_briefs_language(ua):
    with pikepdf.open(ua / "bounded.pdf") as pdf:
        assert pdf.Root.MarkInfo.Marked is True
        assert str(pdf.Root.Lang) == "en-GB"  # the outline's lang
        assert pdf.Root.ViewerPreferences.DisplayDocTitle is True
        assert str(pdf.docinfo["/Title"]) == "Bounded Partners"
        meta = pdf.open_metadata()
        assert meta[f"{PDFUAID}part"] == "1"
        assert f"{PDFAID}part" not in meta
        assert meta["dc:title"] == "Bounded Partners"
        assert pdf.check_pdf_syntax() == []  # qpdf finds nothing wrong with the file


def test_headings_lists_quotes_and_notes_are_structure(ua):
    with pikepdf.open(ua / "bounded.pdf") as pdf:
        tree = _tree(pdf)
        kinds = [kind for kind, _ in tree]
        assert kinds.count("/H1") == 1
        headings = [_text(pdf, e) for kind, e in tree if kind == "/H2"]
        assert headings[:2] == ["SUMMARY", "The statement"]  # as set: CSS capitals
        assert headings[2:] == ["Recommendations", "Sources quoted"]
        assert kinds.count("/BlockQuote") == 1
        (block,) = [e for kind, e in tree if kind == "/BlockQuote"]
        assert "The two governments signed" in _text(pdf, block)
        lists = [e for kind, e in tree if kind == "/L"]
        items = [e for kind, e in tree if kind == "/LI"]
        assert lists and len(items) >= 2
        notes = [e for kind, e in tree if kind == "/Note"]
        assert len(notes) == 3  # one per quote, each a Note with its own ID (PDF/UA-1 7.9)
        assert [str(n.ID) for n in notes] == ["note-1", "note-2", "note-3"]
        assert "The Partnership Memo" in _text(pdf, notes[1])


def test_bookmarks_follow_the_headings(ua):
    with pikepdf.open(ua / "bounded.pdf") as pdf, pdf.open_outline() as outline:
        titles = [item.title for item in outline.root]
        assert titles[0] == "Bounded Partners"
        below = [child.title for item in outline.root for child in item.children]
        assert {"Summary", "The statement", "Recommendations", "Sources quoted"} <= set(
            titles + below
        )


def test_the_pdf_carries_the_ledger_as_an_associated_file(ua):
    ledger = (ua / "bounded.quotes.json").read_bytes()
    with pikepdf.open(ua / "bounded.pdf") as pdf:
        (name,) = pdf.attachments
        assert name == "bounded.quotes.json"
        spec = pdf.attachments[name]
        assert spec.get_file().read_bytes() == ledger
        assert spec.obj.AFRelationship == "/Supplement"
        assert spec.get_file().mime_type == "application/json"
        assert [str(f.UF) for f in pdf.Root.AF] == ["bounded.quotes.json"]
    doc = json.loads(ledger)
    # It cannot hold the sha256 of the PDF that holds it: it names the PDF instead.
    assert doc["report"]["carried_by"] == "bounded.pdf"
    assert [o["file"] for o in doc["report"]["outputs"]] == ["bounded.docx"]


def test_the_archival_pdf_is_pdf_a_3b_and_pdf_ua_1(archival):
    ledger = (archival / "bounded.quotes.json").read_bytes()
    with pikepdf.open(archival / "bounded.pdf") as pdf:
        meta = pdf.open_metadata()
        assert (meta[f"{PDFAID}part"], meta[f"{PDFAID}conformance"]) == ("3", "B")
        assert meta[f"{PDFUAID}part"] == "1"
        # PDF/A wants every XMP property outside its predefined schemas declared
        xmp = bytes(pdf.Root.Metadata.read_bytes())
        assert b"<pdfaSchema:prefix>pdfuaid</pdfaSchema:prefix>" in xmp
        assert pdf.Root.OutputIntents[0].S == "/GTS_PDFA1"
        assert str(pdf.Root.Lang) == "en-GB"
        assert pdf.Root.MarkInfo.Marked is True
        assert pdf.attachments["bounded.quotes.json"].get_file().read_bytes() == ledger
        assert pdf.attachments["bounded.quotes.json"].obj.AFRelationship == "/Supplement"
        assert len([k for k, _ in _tree(pdf) if k == "/Note"]) == 3
        assert pdf.check_pdf_syntax() == []


def test_pdf_a_2b_cannot_carry_the_ledger_which_then_records_the_pdf(project, tmp_path):
    assert build([project], tmp_path, pdf_variant="pdf/a-2b").written
    doc = json.loads((tmp_path / "bounded.quotes.json").read_text())
    assert "carried_by" not in doc["report"]
    assert [o["file"] for o in doc["report"]["outputs"]] == ["bounded.pdf", "bounded.docx"]
    with pikepdf.open(tmp_path / "bounded.pdf") as pdf:
        assert len(pdf.attachments) == 0
        assert pdf.open_metadata()[f"{PDFAID}part"] == "2"


def test_check_ledger_re_verifies_from_the_pdf(ua, tmp_path):
    shutil.copytree(ua.parent / "corpus", tmp_path / "corpus")
    shutil.copytree(ua.parent / "outlines", tmp_path / "outlines")
    shutil.copytree(ua, tmp_path / "out")
    result = invoke_report("check", "--ledger", "out/bounded.pdf", cwd=tmp_path)
    assert result.code == 0, result.err
    assert "3 quotes: 3 verified" in result.out
    # The evidence travels alone: the ledger file gone, the PDF still carries it.
    (tmp_path / "out" / "bounded.quotes.json").unlink()
    assert invoke_report("check", "--ledger", "out/bounded.pdf", cwd=tmp_path).code == 0
    # A changed source is found from the PDF's ledger too.
    page = tmp_path / "corpus" / "partners.html"
    page.write_text(page.read_text().replace("no limits", "few limits"))
    result = invoke_report("check", "--ledger", "out/bounded.pdf", cwd=tmp_path)
    assert result.code == 1
    assert "source changed" in result.out


def test_a_pdf_of_another_build_beside_the_ledger_is_an_input_error(project, ua, tmp_path):
    out = tmp_path / "out"
    shutil.copytree(ua, out)
    outline = project.read_text().replace("Plan for the limits.", "Plan for limits.")
    other = tmp_path / "other"
    (other / "outlines").mkdir(parents=True)
    shutil.copytree(project.parent.parent / "corpus", other / "corpus")
    (other / "outlines" / "bounded.yaml").write_text(outline)
    assert build([other / "outlines" / "bounded.yaml"], other / "out").written
    shutil.copy(other / "out" / "bounded.pdf", out / "bounded.pdf")  # only the PDF swapped
    result = invoke_report("check", "--ledger", out / "bounded.quotes.json")
    assert result.code == 2
    assert re.search(r"bounded\.pdf: not the PDF that .*\(it carries another quote ledger\)",
                     result.err)  # fmt: skip


def test_a_pdf_without_a_ledger_is_an_input_error(project, tmp_path):
    assert build([project], tmp_path, pdf_variant="pdf/a-1b").written
    result = invoke_report("check", "--ledger", tmp_path / "bounded.pdf")
    assert result.code == 2
    assert "carries no quote ledger" in result.err
    assert "Traceback" not in result.err


def test_pdf_variant_on_the_command_line(project, tmp_path):
    result = invoke_report(
        "build", project, "-o", tmp_path, "--pdf-variant", "pdf/a-3b", cwd=project.parent.parent
    )
    assert result.code == 0, result.err
    with pikepdf.open(tmp_path / "bounded.pdf") as pdf:
        assert pdf.open_metadata()[f"{PDFAID}part"] == "3"
    bad = invoke_report("build", project, "-o", tmp_path, "--pdf-variant", "pdf/z")
    assert bad.code == 2
    assert "pdf/ua-1" in bad.err  # the choices are named


def test_the_variants_offered_are_weasyprints():
    from weasyprint.pdf import VARIANTS

    assert sorted(PDF_VARIANTS) == sorted(v for v in VARIANTS if v != "debug")


def test_builds_stay_reproducible(project, ua, archival):
    """A later build of the same brief gives the module's first build's bytes (into a
    folder beside it: the ledger the PDF carries names the outline from there)."""
    for variant, first in (("pdf/ua-1", ua), ("pdf/a-3b", archival)):
        again = first.with_name(f"{first.name}-again")
        build([project], again, pdf_variant=variant)
        assert (again / "bounded.pdf").read_bytes() == (first / "bounded.pdf").read_bytes()


def test_the_sample_brief_is_pdf_ua(sample_build):
    with pikepdf.open(sample_build / "xi-putin.pdf") as pdf:
        assert pdf.open_metadata()[f"{PDFUAID}part"] == "1"
        assert str(pdf.Root.Lang) == "en"  # the outline says no lang: English
        notes = [e for kind, e in _tree(pdf) if kind == "/Note"]
        assert len(notes) == 24  # 21 quotes and 3 paraphrases, each with its note
        assert len({str(n.ID) for n in notes}) == 24
