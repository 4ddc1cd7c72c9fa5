"""report.readers.docxtext on Word files made here with python-docx (raw WordprocessingML
where python-docx has no API): what a reader of the document sees is what is quotable;
struck-through and deleted text verifies with a warning; packages that cannot or must not
be read are input errors in plain words, before anything large is inflated."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import docx
import pytest
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml import parse_xml

from report.errors import CorpusError
from report.readers.docxtext import MAX_PART_BYTES, MAX_PARTS, docx_layer

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = (
    f'xmlns:w="{W_NS}" '
    'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
    'xmlns:v="urn:schemas-microsoft-com:vml" '
    'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape"'
)


def _docx(*paragraphs: str, setup=None) -> bytes:
    """A Word file whose body holds `paragraphs` (raw `<w:p>` XML, namespaces added)."""
    document = docx.Document()
    body = document.element.body
    for xml in paragraphs:
        p = parse_xml(xml.replace("<w:p>", f"<w:p {NS}>", 1))
        body.insert(len(body) - 1, p)  # before the section properties
    if setup is not None:
        setup(document)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _layer(data: bytes):
    return docx_layer(data, "x.docx")


def _paragraphs(layer) -> list[str]:
    return [layer.text[a:b] for a, b in layer.paragraphs]


def _noted(layer) -> list[tuple[str, str]]:
    return [(kind, layer.text[a:b]) for kind, a, b in layer.notes]


def _run(text: str, props: str = "") -> str:
    return f'<w:r><w:rPr>{props}</w:rPr><w:t xml:space="preserve">{text}</w:t></w:r>'


# -- struck-through and deleted text ------------------------------------------------------


def test_struck_through_text_is_read_and_noted():
    layer = _layer(
        _docx(
            "<w:p>"
            + _run("Today's special: ")
            + _run("grilled salmon", "<w:strike/>")
            + _run(" sold out, and ")
            + _run("the soup", '<w:dstrike w:val="true"/>')
            + _run(" too, but ")
            + _run("not this", '<w:strike w:val="0"/>')
            + "</w:p>"
        )
    )
    assert layer.text == "Today's special: grilled salmon sold out, and the soup too, but not this"
    assert _noted(layer) == [("struck", "grilled salmon"), ("struck", "the soup")]


def test_strike_through_set_by_a_character_style():
    def style(document):
        styles = document.styles.element
        styles.append(
            parse_xml(
                f'<w:style {NS} w:type="character" w:styleId="Gone"><w:name w:val="Gone"/>'
                "<w:rPr><w:strike/></w:rPr></w:style>"
            )
        )
        styles.append(
            parse_xml(
                f'<w:style {NS} w:type="character" w:styleId="GoneToo"><w:name w:val="GoneToo"/>'
                '<w:basedOn w:val="Gone"/></w:style>'
            )
        )

    layer = _layer(
        _docx(
            "<w:p>"
            + _run("kept words ")
            + _run("dropped words", '<w:rStyle w:val="GoneToo"/>')
            + "</w:p>",
            setup=style,
        )
    )
    assert _noted(layer) == [("struck", "dropped words")]


def test_tracked_deletions_are_read_and_noted_insertions_are_plain_text():
    layer = _layer(
        _docx(
            "<w:p>"
            + _run("The ministry ")
            + '<w:del w:id="1" w:author="A"><w:r><w:delText xml:space="preserve">never </w:delText>'
            "</w:r></w:del>"
            + '<w:ins w:id="2" w:author="A">'
            + _run("always ")
            + "</w:ins>"
            + _run("agreed.")
            + "</w:p>"
        )
    )
    assert layer.text == "The ministry never always agreed."
    assert _noted(layer) == [("deleted", "never")]


def _project(tmp_path: Path, data: bytes, quotes: list[str]) -> Path:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "memo.docx").write_bytes(data)
    (corpus / "sources.yaml").write_text("- id: memo\n  file: memo.docx\n", encoding="utf-8")
    (tmp_path / "outlines").mkdir()
    items = "\n".join(
        f"          - source: memo\n            quote: {json.dumps(q)}" for q in quotes
    )
    (tmp_path / "outlines" / "o.yaml").write_text(
        "title: T\nsections:\n  - heading: H\n    arguments:\n"
        f"      - claim: C.\n        evidence:\n{items}\n",
        encoding="utf-8",
    )
    return tmp_path


def test_a_quote_from_struck_text_verifies_with_a_warning_warm_or_cold(invoke, tmp_path):
    data = _docx(
        "<w:p>"
        + _run("The council approved the budget for the new library, ")
        + _run("including a reading room for children", "<w:strike/>")
        + _run(", after a long debate.")
        + "</w:p>"
    )
    project = _project(
        tmp_path,
        data,
        [
            "approved the budget for the new library",
            "including a reading room for children",
            "the new library, including a reading room",
        ],
    )
    for _ in ("cold", "warm"):  # the second run reads the text layer from the cache
        result = invoke("check", "outlines/o.yaml", "--format", "json", cwd=project)
        assert result.code == 0, result.err
        quotes = json.loads(result.out)["quotes"]
        assert [q["status"] for q in quotes] == ["verified"] * 3
        kinds = [[w["kind"] for w in q["warnings"]] for q in quotes]
        assert kinds == [[], ["struck_text"], ["struck_text"]]
        assert "struck through" in quotes[1]["warnings"][0]["message"]
    assert invoke("check", "outlines/o.yaml", "--strict", cwd=project).code == 1


# -- what is and is not the document's text ----------------------------------------------


_TEXT_BOX = (
    "<w:p>"
    + _run("Anchor paragraph text.")
    + "<w:r><mc:AlternateContent><mc:Choice Requires=\"wps\"><w:drawing><wps:wsp><wps:txbx>"
    "<w:txbxContent><w:p>"
    + _run("Text in the box.")
    + "</w:p></w:txbxContent></wps:txbx></wps:wsp></w:drawing></mc:Choice>"
    "<mc:Fallback><w:pict><v:shape><v:textbox><w:txbxContent><w:p>"
    + _run("Text in the box.")
    + "</w:p></w:txbxContent></v:textbox></v:shape></w:pict></mc:Fallback>"
    "</mc:AlternateContent></w:r></w:p>"
)


def test_a_text_box_is_a_paragraph_of_its_own_read_once():
    layer = _layer(_docx(_TEXT_BOX, "<w:p>" + _run("Next paragraph.") + "</w:p>"))
    assert _paragraphs(layer) == ["Anchor paragraph text.", "Text in the box.", "Next paragraph."]
    assert str(layer.location("x.docx", layer.text.index("box"))) == "x.docx:¶2:13"


def test_headers_footers_and_comments_are_not_the_documents_text():
    def furniture(document):
        section = document.sections[0]
        section.header.paragraphs[0].text = "CONFIDENTIAL DRAFT header words"
        section.footer.paragraphs[0].text = "Page footer words"
        paragraph = document.add_paragraph("The minister resigned on Tuesday.")
        document.add_comment(paragraph.runs, text="Reviewer: check this date", author="R")

    layer = _layer(_docx(setup=furniture))
    assert layer.text == "The minister resigned on Tuesday."


def test_tabs_breaks_and_hyphens_read_as_the_page_shows_them():
    layer = _layer(
        _docx(
            "<w:p>"
            + _run("before the tab")
            + "<w:r><w:tab/></w:r>"
            + _run("after it, then a page")
            + '<w:r><w:br w:type="page"/></w:r>'
            + _run("break mid-sentence; a no")
            + "<w:r><w:noBreakHyphen/></w:r>"
            + _run("break hyphen and a soft")
            + "<w:r><w:softHyphen/></w:r>"
            + _run("hyphen. Page ")
            + '<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
            + '<w:r><w:instrText xml:space="preserve"> PAGE </w:instrText></w:r>'
            + '<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
            + _run("7")
            + '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
            + "</w:p>"
        )
    )
    assert layer.text == (
        "before the tab after it, then a page\n"
        "break mid-sentence; a no-break hyphen and a softhyphen. Page 7"
    )


def test_a_superscript_tail_of_a_footnote_mark_is_part_of_the_mark():
    """`trustees.1/ This` in a converted document: the `/` after the mark is not text."""
    sup = '<w:vertAlign w:val="superscript"/>'
    layer = _layer(
        _docx(
            "<w:p>"
            + _run("appointment of trustees.")
            + f'<w:r><w:rPr>{sup}</w:rPr><w:footnoteReference w:id="1"/></w:r>'
            + _run("/", sup)
            + _run(" This Handbook, 10")
            + _run("6", sup)
            + _run(" copies.")
            + "</w:p>"
        )
    )
    assert layer.text == "appointment of trustees. This Handbook, 106 copies."


def test_endnotes_follow_the_footnotes():
    endnotes = (
        f"<w:endnotes {NS}>"
        '<w:endnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:endnote>'
        '<w:endnote w:id="1"><w:p><w:r><w:endnoteRef/></w:r>'
        + _run(" Source: the ministry's annual report.")
        + "</w:p></w:endnote></w:endnotes>"
    )

    def add_endnotes(document):
        part = Part(
            PackURI("/word/endnotes.xml"),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.endnotes+xml",
            endnotes.encode(),
            document.part.package,
        )
        document.part.relate_to(part, RT.ENDNOTES)

    layer = _layer(
        _docx(
            "<w:p>" + _run("Spending rose") + '<w:r><w:endnoteReference w:id="1"/></w:r>'
            + _run(" by a third.") + "</w:p>",
            setup=add_endnotes,
        )
    )
    assert _paragraphs(layer) == [
        "Spending rose by a third.",
        "Source: the ministry's annual report.",
    ]
    assert str(layer.location("x.docx", layer.text.index("annual"))) == "x.docx:en1:25"


# -- files that are refused ---------------------------------------------------------------


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in members.items():
            z.writestr(name, data)
    return buffer.getvalue()


def test_strict_open_xml_is_an_input_error_in_plain_words():
    strict = "http://purl.oclc.org/ooxml/officeDocument/relationships/officeDocument"
    data = _zip(
        {
            "[Content_Types].xml": b"<Types/>",
            "_rels/.rels": (
                '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
                f'relationships"><Relationship Id="rId1" Type="{strict}" '
                'Target="word/document.xml"/></Relationships>'
            ).encode(),
            "word/document.xml": b"<w:document/>",
        }
    )
    with pytest.raises(CorpusError) as caught:
        _layer(data)
    message = str(caught.value)
    assert "Strict Open XML" in message and "save it as a Word Document (.docx)" in message
    assert "relationship" not in message  # not python-docx's words


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 500
            + "EncryptedPackage".encode("utf-16-le") + b"\0" * 500,
            "protected by a password",
        ),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 1000, "Word 97-2003"),
        (b"%PDF-1.7 not a Word file", "not a zip package"),
        (b"PK\x03\x04 a broken zip", "cannot read the Word file"),
    ],
    ids=["password", "doc", "pdf", "broken"],
)
def test_what_is_not_a_docx_package_is_an_input_error(data, words):
    with pytest.raises(CorpusError, match=words):
        _layer(data)


def test_a_part_too_large_is_refused_before_it_is_inflated():
    """A 128 MB document.xml of spaces compresses to a few hundred KB: refused on its
    declared size, not read (it used to take 2 GB of memory for a 1 GB part)."""
    source = zipfile.ZipFile(io.BytesIO(_docx("<w:p>" + _run("Words.") + "</w:p>")))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as out:
        for info in source.infolist():
            data = source.read(info)
            if info.filename != "word/document.xml":
                out.writestr(info, data)
                continue
            head, tail = data.split(b"</w:body>")
            with out.open("word/document.xml", "w", force_zip64=True) as f:
                f.write(head)
                for _ in range(2 * MAX_PART_BYTES // (1 << 24)):
                    f.write(b" " * (1 << 24))
                f.write(b"</w:body>" + tail)
    data = buffer.getvalue()
    assert len(data) < 2_000_000
    with pytest.raises(CorpusError, match=r"word/document.xml' is 67 MB uncompressed"):
        _layer(data)


def test_a_part_larger_than_it_declares_is_not_inflated_past_its_declaration():
    data = bytearray(_docx("<w:p>" + _run("Some words of the document.") + "</w:p>"))
    # shrink the declared size of document.xml in the central directory: zipfile stops there
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as z:
        info = z.getinfo("word/document.xml")
    directory = bytes(data).rfind(b"PK\x01\x02", 0, bytes(data).rfind(b"word/document.xml") + 1)
    data[directory + 24 : directory + 28] = (info.file_size // 2).to_bytes(4, "little")
    with pytest.raises(CorpusError, match="cannot read the Word file"):
        _layer(bytes(data))


def test_a_package_of_too_many_parts_is_refused_before_its_directory_is_read():
    members = {f"word/media/x{k}.bin": b"" for k in range(MAX_PARTS + 1)}
    with pytest.raises(CorpusError, match=f"{MAX_PARTS + 1:,} parts"):
        _layer(_zip(members))


def test_an_embedded_zip_bomb_is_never_opened():
    inner = io.BytesIO()
    with (
        zipfile.ZipFile(inner, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as z,
        z.open("bomb.bin", "w", force_zip64=True) as f,
    ):
        for _ in range(4):
            f.write(b"\0" * (1 << 24))  # 64 MB of zeros in a few hundred KB

    def embed(document):
        part = Part(
            PackURI("/word/embeddings/package.zip"),
            "application/zip",
            inner.getvalue(),
            document.part.package,
        )
        document.part.relate_to(part, RT.PACKAGE)

    layer = _layer(_docx("<w:p>" + _run("Only these words.") + "</w:p>", setup=embed))
    assert layer.text == "Only these words."
