"""`report build --appendix`: every quote with its source, paragraph and, for quotes with
omissions or alterations, the original passage, read back from the PDF (pypdf) and the Word
file (python-docx); and no appendix without the flag."""

from __future__ import annotations

import io
import re

import docx
import pytest
from pypdf import PdfReader

from report.brief import make_brief
from report.pipeline import check
from report.render.docx import render_docx
from tests.conftest import CORPUS, EVIDENCE_SAMPLE, ROOT, SAMPLE, invoke_report
from tests.textcheck import squash

HEADING = "Verification appendix"
EVIDENCE = EVIDENCE_SAMPLE.stem  # every quote an evidence item
# The evidence sample's quotes that are not verbatim, and the passages they stand for.
NEW_ERA = "That \u201cnew era\u201d is one in which the U.S. is no longer a lone superpower."
ISNT = (
    "I think both sides recognize, Putin knows, that if he invaded Ukraine, China "
    "[isn\u2019t] going to send military help"
)
# A quote with an omission, from ponars-643 (corpus/001_92b6317a18a4c361.txt, line 57).
OMITTED = (
    "China and Russia may seek to take advantage of a leadership vacuum ... they did not create it"
)
OMITTED_ORIGINAL = (
    "China and Russia may seek to take advantage of a leadership vacuum, but they did not create it"
)


@pytest.fixture(scope="module")
def omission_outline(tmp_path_factory):
    folder = tmp_path_factory.mktemp("project") / "outlines"
    folder.mkdir()
    path = folder / "omission.yaml"
    path.write_text(
        f"""title: Leadership vacuum
corpus: {CORPUS}
summary: Neither created the vacuum.
sections:
  - heading: Pandemic
    arguments:
      - claim: The vacuum was not of their making.
        evidence:
          - source: ponars-643
            quote: {OMITTED}
            speaker: Elizabeth Wishnick
          - source: cnbc-2021
            quote: Russia is very much the junior partner in the bilateral relationship
""",
        encoding="utf-8",
    )
    return path


@pytest.fixture(scope="module")
def briefs(omission_outline):
    """The sample's and the omission outline's Briefs, with their appendices."""
    return {
        c.outline.name: make_brief(c.outline, c.corpus, c.results, appendix=True)
        for c in check([EVIDENCE_SAMPLE, omission_outline])
    }


@pytest.fixture(scope="module")
def built(omission_outline, tmp_path_factory):
    """Both outlines built by the command line (in this process) with --appendix."""
    out = tmp_path_factory.mktemp("out")
    result = invoke_report("build", EVIDENCE_SAMPLE, omission_outline, "-o", out, "--appendix")
    assert result.code == 0, result.err
    return out


def _pdf_pages(path) -> list[str]:
    return [page.extract_text() for page in PdfReader(path).pages]


def _appendix_pdf_text(path) -> str:
    pages = _pdf_pages(path)
    first = next(i for i, text in enumerate(pages) if HEADING in text)
    return squash("".join(pages[first:]))


def _appendix_docx(path) -> list:
    paragraphs = docx.Document(str(path)).paragraphs
    start = next(i for i, p in enumerate(paragraphs) if p.text == HEADING)
    return paragraphs[start:]


def test_no_appendix_unless_asked(sample_build):
    (checked,) = check([SAMPLE])
    assert make_brief(checked.outline, checked.corpus, checked.results).appendix == ()
    assert not any(HEADING in text for text in _pdf_pages(sample_build / "xi-putin.pdf"))
    document = docx.Document(str(sample_build / "xi-putin.docx"))
    assert not any(HEADING in p.text or "Original\t" in p.text for p in document.paragraphs)


def test_one_entry_per_quote_in_note_order(briefs):
    brief = briefs[EVIDENCE]
    assert [e.number for e in brief.appendix] == [q.number for q in brief.quotes]
    assert [e.quote for e in brief.appendix] == [q.text for q in brief.quotes]
    assert [e.source_id for e in brief.appendix] == [q.source_id for q in brief.quotes]


def test_originals_only_for_omitted_or_altered_quotes(briefs):
    entries = {e.number: e for e in briefs[EVIDENCE].appendix}
    new_era = next(e for e in entries.values() if e.quote.startswith("[T]hat"))
    # The passage that `[T]` stands for, in the paragraph it is in (line 31), and not
    # reaching back across the closing quotation mark of the paragraph before.
    assert new_era.original == NEW_ERA
    assert (new_era.location, new_era.paragraph) == ("corpus/000_c697aafe88a72626.txt:31:1", 11)
    assert new_era.kind == "alteration"
    isnt = next(e for e in entries.values() if "[isn\u2019t]" in e.quote)
    assert isnt.original == ISNT  # the source has the brackets itself
    assert (isnt.kind, isnt.paragraph) == ("brackets as in the source", 11)
    plain = [e for e in entries.values() if e not in (new_era, isnt)]
    assert plain and all(e.original is None and e.kind == "verbatim" for e in plain)


def test_omission_shows_the_words_left_out(briefs):
    entry, verbatim = briefs["omission"].appendix
    assert entry.quote == OMITTED
    assert entry.original == OMITTED_ORIGINAL
    assert entry.kind == "omission"
    assert entry.where == (
        "ponars-643 \u00b7 corpus/001_92b6317a18a4c361.txt:57:644 \u00b7 paragraph 24 "
        "\u00b7 omission"
    )
    assert entry.source.startswith("Elizabeth Wishnick, \u201cMasked Diplomacy")
    assert verbatim.original is None


@pytest.mark.parametrize("name", [EVIDENCE, "omission"])
def test_pdf_appendix_lists_every_quote_with_its_original(built, briefs, name):
    pages = _pdf_pages(built / f"{name}.pdf")
    first = next(i for i, text in enumerate(pages) if HEADING in text)
    # A page of its own: the heading comes first, after the running header.
    assert pages[first].index(HEADING) < 60, pages[first][:200]
    assert not any("Sources quoted" in text for text in pages[first:])
    text = _appendix_pdf_text(built / f"{name}.pdf")
    position = 0
    for e in briefs[name].appendix:
        # In order: the source and where it is, the quote, then the original.
        for piece in (e.source, e.where, "AS QUOTED" + e.quote):  # CSS sets labels in caps
            found = text.find(squash(piece), position)
            assert found >= 0, (e.number, piece)
            position = found
        if e.original is not None:
            found = text.find(squash("ORIGINAL" + e.original), position)
            assert found >= 0, (e.number, e.original)
            position = found
    originals = text.count("ORIGINAL")
    assert originals == sum(e.original is not None for e in briefs[name].appendix) >= 1


def test_pdf_shows_the_passages_behind_the_marks(built):
    sample = _appendix_pdf_text(built / f"{EVIDENCE}.pdf")
    assert squash("ORIGINAL" + NEW_ERA) in sample
    assert squash("ORIGINAL" + ISNT) in sample
    assert squash("ORIGINAL" + OMITTED_ORIGINAL) in _appendix_pdf_text(built / "omission.pdf")


@pytest.mark.parametrize("name", [EVIDENCE, "omission"])
def test_docx_appendix_lists_every_quote_with_its_original(built, briefs, name):
    heading, intro, *paragraphs = _appendix_docx(built / f"{name}.docx")
    assert heading.style.name == "Heading 1"
    assert heading.paragraph_format.page_break_before
    assert intro.text == briefs[name].appendix_intro
    expected = []
    for e in briefs[name].appendix:
        expected += [f"{e.number}\t{e.source}", e.where, f"As quoted\t{e.quote}"]
        if e.original is not None:
            expected.append(f"Original\t{e.original}")
    assert [p.text for p in paragraphs] == expected
    labels = [p.runs[0] for p in paragraphs if p.style.name == "Appendix Passage"]
    assert labels and all(r.style.name == "Appendix Label" for r in labels)


def test_docx_shows_the_passages_behind_the_marks(built):
    sample = [p.text for p in _appendix_docx(built / f"{EVIDENCE}.docx")]
    assert f"Original\t{NEW_ERA}" in sample
    assert f"Original\t{ISNT}" in sample
    omission = [p.text for p in _appendix_docx(built / "omission.docx")]
    assert f"Original\t{OMITTED_ORIGINAL}" in omission
    assert f"As quoted\t{OMITTED}" in omission


def test_a_styles_file_without_the_appendix_styles_still_builds(briefs, tmp_path):
    styles = (ROOT / "templates" / "docx-styles.yaml").read_text(encoding="utf-8")
    older = re.sub(r"\n  # The verification appendix.*", "\n", styles, flags=re.DOTALL)
    assert "Appendix" not in older
    (tmp_path / "docx-styles.yaml").write_text(older, encoding="utf-8")
    document = docx.Document(io.BytesIO(render_docx(briefs["omission"], tmp_path)))
    texts = [p.text for p in document.paragraphs]
    assert f"Original\t{OMITTED_ORIGINAL}" in texts
    assert "Appendix Passage" not in [s.name for s in document.styles]


def test_a_styles_file_with_none_of_the_briefs_own_styles_still_builds(briefs, tmp_path):
    (tmp_path / "docx-styles.yaml").write_text("styles: {}\n", encoding="utf-8")
    document = docx.Document(io.BytesIO(render_docx(briefs["omission"], tmp_path)))
    texts = [p.text for p in document.paragraphs]
    assert "Policy Brief" in texts and f"Original\t{OMITTED_ORIGINAL}" in texts
