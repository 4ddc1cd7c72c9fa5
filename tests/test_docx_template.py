"""The Word brief written into a house template (`docx_template:` in the outline): its
styles, page setup, headers and footers taken, missing styles named in a warning, core
properties set; and the outline's `lang` and `docx_template` checked like every key."""

from __future__ import annotations

import io
from datetime import UTC, datetime
from pathlib import Path

import docx
import pytest
from docx.enum.section import WD_ORIENT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from report.build import build
from tests.conftest import invoke_report
from tests.publishproject import OUTLINE, make_project
from tests.sourcefiles import make_docx

HEADER = "ACME INSTITUTE · FOR PUBLICATION"
FOOTER = "acme.example/briefs"


def make_reference(path: Path) -> Path:
    """A house template as an institution would keep one: its own fonts and colours, US
    Letter in landscape, a header and footer, sample text, and no Quote style."""
    document = docx.Document()
    styles = document.styles
    title = styles["Title"]
    title.font.name, title.font.size = "Courier New", Pt(30)
    title.font.color.rgb = RGBColor(0x88, 0x00, 0x22)
    heading = styles["Heading 1"]
    heading.font.name = "Verdana"
    heading.font.color.rgb = RGBColor(0x00, 0x77, 0x33)
    quote = styles["Quote"].element
    quote.getparent().remove(quote)
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Cm(27.94), Cm(21.59)
    section.left_margin = section.right_margin = Cm(3.3)
    section.header.paragraphs[0].text = HEADER
    section.footer.paragraphs[0].text = FOOTER
    document.add_paragraph("Sample text of the template, to be replaced.")
    document.save(path)
    return path


@pytest.fixture(scope="module")
def house(tmp_path_factory):
    root = tmp_path_factory.mktemp("house")
    make_reference(root / "house.docx")
    outline = make_project(root, OUTLINE + "docx_template: ../house.docx\n")
    built = build([outline], root / "out")
    assert built.written
    return root, built, docx.Document(root / "out" / "bounded.docx")


def test_the_brief_takes_the_templates_styles(house):
    _, _, document = house
    title = document.styles["Title"]
    assert title.font.name == "Courier New"
    assert title.font.size == Pt(30)
    assert title.font.color.rgb == RGBColor(0x88, 0x00, 0x22)
    assert document.styles["Heading 1"].font.name == "Verdana"
    paragraphs = {p.text: p.style.name for p in document.paragraphs}
    assert paragraphs["Bounded Partners"] == "Title"
    assert paragraphs["The statement"] == "Heading 1"


def test_the_brief_takes_the_templates_page_header_and_footer(house):
    root, _, document = house
    (section,) = document.sections
    reference = docx.Document(root / "house.docx").sections[0]  # as Word stores it: twips
    assert section.orientation == WD_ORIENT.LANDSCAPE
    for attr in ("page_width", "page_height", "left_margin", "right_margin", "top_margin"):
        assert getattr(section, attr) == getattr(reference, attr), attr
    assert abs(section.left_margin - Cm(3.3)) < Cm(0.01)
    assert section.header.paragraphs[0].text == HEADER
    assert section.footer.paragraphs[0].text == FOOTER
    texts = [p.text for p in document.paragraphs]
    assert "Sample text of the template, to be replaced." not in texts
    assert texts[1] == "Bounded Partners"  # after the kicker: the brief, from the top


def test_a_style_the_template_lacks_comes_from_the_built_in_look_with_a_warning(house):
    _, built, document = house
    (notice,) = built.notices
    assert "'Quote'" in notice.message and "'Footnote text'" in notice.message
    assert "'Title'" not in notice.message
    assert notice.location.file.endswith("bounded.yaml")
    assert notice.location.line == OUTLINE.count("\n") + 1  # the docx_template line
    quote = document.styles["Quote"]  # from templates/docx-styles.yaml
    assert quote.font.name == "Georgia"
    assert abs(quote.paragraph_format.left_indent - Cm(1.0)) < Cm(0.01)
    (block,) = [p for p in document.paragraphs if p.style.name == "Quote"]
    assert block.text.startswith("The two governments signed")


def test_core_properties_and_language(house):
    _, _, document = house
    props = document.core_properties
    assert props.title == "Bounded Partners"
    assert props.author == "Desk of Examples"
    assert props.subject == "What the statement promises"
    assert props.keywords == "policy brief"
    assert props.created == datetime(2024, 6, 1, tzinfo=UTC)
    assert props.language == "en-GB"
    lang = document.styles.element.find(f"{qn('w:docDefaults')}//{qn('w:lang')}")
    assert lang.get(qn("w:val")) == "en-GB"


def test_the_warning_is_printed_and_the_build_succeeds(tmp_path):
    make_reference(tmp_path / "house.docx")
    outline = make_project(tmp_path, OUTLINE + "docx_template: ../house.docx\n")
    result = invoke_report("build", outline, "-o", tmp_path / "out", cwd=tmp_path)
    assert result.code == 0, result.err
    line = OUTLINE.count("\n") + 1
    assert f"outlines/bounded.yaml:{line}:16: warning: the Word template has no style" in (
        result.err
    )


def test_a_template_with_footnotes_of_its_own(tmp_path):
    make_docx(tmp_path / "memo.docx")  # a Word file with a footnote of its own
    outline = make_project(tmp_path, OUTLINE + "docx_template: ../memo.docx\n")
    assert build([outline], tmp_path / "out").written
    document = docx.Document(tmp_path / "out" / "bounded.docx")
    (notes,) = [r.target_part for r in document.part.rels.values() if r.reltype == RT.FOOTNOTES]
    xml = notes.blob.decode()
    assert "joint statement of 4 February" not in xml  # the template's note is gone
    assert xml.count("<w:footnote ") == 2 + 3  # the separators and the brief's three notes


def test_the_same_template_gives_the_same_bytes(house):
    root, _, _ = house
    build([root / "outlines" / "bounded.yaml"], root / "again")
    assert (root / "again" / "bounded.docx").read_bytes() == (
        root / "out" / "bounded.docx"
    ).read_bytes()


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("docx_template: ../missing.docx", "docx_template '../missing.docx' does not exist"),
        ("docx_template: ../house.dotx", "is not a Word document (.docx)"),
        ("docx_template: [a, b]", "'docx_template' must be the path of a .docx file"),
        ("docx_template: ../broken.docx", "broken.docx is not a Word document python-docx"),
        ("lang: english", "'lang' must be a BCP 47 language tag such as en, en-GB"),
        ("lang: en_GB", "'lang' must be a BCP 47 language tag"),
        ("lang: xx-YYYY-1", "'lang' must be a BCP 47 language tag"),
    ],
)
def test_a_bad_value_is_a_located_input_error(tmp_path, line, message):
    (tmp_path / "house.dotx").write_bytes(b"")
    (tmp_path / "broken.docx").write_bytes(b"not a zip at all")
    text = (OUTLINE.replace("lang: en-GB\n", "") if line.startswith("lang") else OUTLINE) + line
    outline = make_project(tmp_path, text + "\n")
    result = invoke_report("build", outline, "-o", tmp_path / "out", cwd=tmp_path)
    assert result.code == 2
    where = text.count("\n") + 1
    assert f"outlines/bounded.yaml:{where}:" in result.err
    assert message in result.err
    assert "Traceback" not in result.err
    assert not (tmp_path / "out").exists()


def test_lang_is_kept_in_its_canonical_case(tmp_path):
    outline = make_project(tmp_path, OUTLINE.replace("lang: en-GB", "lang: PT-br"))
    from report.outline import load_outline

    assert load_outline(outline).lang == "pt-BR"
    build([outline], tmp_path / "out")
    data = (tmp_path / "out" / "bounded.docx").read_bytes()
    assert docx.Document(io.BytesIO(data)).core_properties.language == "pt-BR"
