"""Word drafts for the audit's tests and the sample draft, built with python-docx: paragraphs
of text with footnote and endnote references, tracked insertions and deletions, quote
styles, indents and tables. python-docx has no note or revision API, so those are written
on its OXML layer, as Word writes them."""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass

import docx
from docx.enum.style import WD_STYLE_TYPE
from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import XmlPart
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Cm, Pt

REVISION_DATE = "2026-01-05T10:00:00Z"


@dataclass(frozen=True)
class Note:
    """A footnote reference here, and the footnote's text (links: (url, shown) pairs)."""

    text: str
    link: tuple[str, str] | None = None


@dataclass(frozen=True)
class Endnote:
    text: str


@dataclass(frozen=True)
class Ins:
    """Text inserted with tracked changes on."""

    text: str


@dataclass(frozen=True)
class Del:
    """Text deleted with tracked changes on."""

    text: str


Part = str | Note | Endnote | Ins | Del


class DraftBuilder:
    def __init__(self) -> None:
        self.document = docx.Document()
        self.notes: dict[str, XmlPart] = {}
        self.counts = {"footnote": 0, "endnote": 0}
        self.revisions = 0
        core = self.document.core_properties
        core.author, core.title = "Policy Analysis Desk", "Draft"

    # -- paragraphs ------------------------------------------------------------------------

    def heading(self, text: str, level: int = 1) -> None:
        self.document.add_heading(text, level)

    def para(
        self,
        *parts: Part,
        style: str | None = None,
        indent_cm: float | None = None,
        mark_deleted: bool = False,
    ) -> docx.text.paragraph.Paragraph:
        p = self.document.add_paragraph(style=style)
        self.fill(p, parts)
        if indent_cm is not None:
            p.paragraph_format.left_indent = Cm(indent_cm)
        if mark_deleted:  # the paragraph mark is a tracked deletion: it runs on into the next
            ppr = p._p.get_or_add_pPr()
            rpr = OxmlElement("w:rPr")
            rpr.append(self._revision("w:del"))
            ppr.append(rpr)
        return p

    def table(self, rows: list[list[tuple[Part, ...]]]) -> None:
        table = self.document.add_table(rows=len(rows), cols=len(rows[0]))
        for r, row in enumerate(rows):
            for c, parts in enumerate(row):
                cell = table.cell(r, c)
                self.fill(cell.paragraphs[0], parts)

    def fill(self, p, parts: tuple[Part, ...]) -> None:
        for part in parts:
            if isinstance(part, str):
                p.add_run(part)
            elif isinstance(part, Note):
                p._p.append(self._reference("footnote", part.text, part.link))
            elif isinstance(part, Endnote):
                p._p.append(self._reference("endnote", part.text, None))
            elif isinstance(part, Ins):
                ins = self._revision("w:ins")
                ins.append(_run(part.text))
                p._p.append(ins)
            elif isinstance(part, Del):
                deleted = self._revision("w:del")
                deleted.append(_run(part.text, tag="w:delText"))
                p._p.append(deleted)

    # -- notes and revisions -------------------------------------------------------------

    def _revision(self, tag: str) -> OxmlElement:
        self.revisions += 1
        return OxmlElement(
            tag,
            {
                qn("w:id"): str(900 + self.revisions),
                qn("w:author"): "Editor",
                qn("w:date"): REVISION_DATE,
            },
        )

    def _reference(self, kind: str, text: str, link: tuple[str, str] | None) -> OxmlElement:
        part = self._notes_part(kind)
        self.counts[kind] += 1
        number = self.counts[kind]
        ref = OxmlElement("w:r")
        rpr = OxmlElement("w:rPr")
        rpr.append(OxmlElement("w:vertAlign", {qn("w:val"): "superscript"}))
        ref.append(rpr)
        ref.append(OxmlElement(f"w:{kind}Reference", {qn("w:id"): str(number)}))
        note = OxmlElement(f"w:{kind}", {qn("w:id"): str(number)})
        p = OxmlElement("w:p")
        ppr = OxmlElement("w:pPr")
        ppr.append(OxmlElement("w:pStyle", {qn("w:val"): self._note_style(kind)}))
        p.append(ppr)
        mark = OxmlElement("w:r")
        mark.append(OxmlElement(f"w:{kind}Ref"))
        p.append(mark)
        p.append(_run(" " + text))
        if link is not None:
            url, shown = link
            rid = part.relate_to(url, RT.HYPERLINK, is_external=True)
            hyperlink = OxmlElement("w:hyperlink", {qn("r:id"): rid})
            hyperlink.append(_run(shown))
            p.append(_run(" "))
            p.append(hyperlink)
        note.append(p)
        part.element.append(note)
        return ref

    def _note_style(self, kind: str) -> str:
        """Word's footnote (endnote) text style, 9 pt, added to the styles once."""
        style_id = f"{kind.capitalize()}Text"
        if style_id not in {s.style_id for s in self.document.styles}:
            style = self.document.styles.add_style(f"{kind} text", WD_STYLE_TYPE.PARAGRAPH)
            style.style_id = style_id
            style.base_style = self.document.styles["Normal"]
            style.font.size = Pt(9)
            style.paragraph_format.space_after = Pt(2)
        return style_id

    def _notes_part(self, kind: str) -> XmlPart:
        if kind in self.notes:
            return self.notes[kind]
        root = parse_xml(
            f"<w:{kind}s {nsdecls('w', 'r')}>"
            f'<w:{kind} w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p>'
            f"</w:{kind}>"
            f'<w:{kind} w:type="continuationSeparator" w:id="0"><w:p><w:r>'
            f"<w:continuationSeparator/></w:r></w:p></w:{kind}>"
            f"</w:{kind}s>"
        )
        content_type = CT.WML_FOOTNOTES if kind == "footnote" else CT.WML_ENDNOTES
        reltype = RT.FOOTNOTES if kind == "footnote" else RT.ENDNOTES
        document = self.document
        part = XmlPart(PackURI(f"/word/{kind}s.xml"), content_type, root, document.part.package)
        document.part.relate_to(part, reltype)
        self.notes[kind] = part
        return part

    # -- the file ------------------------------------------------------------------------

    def bytes(self) -> bytes:
        """The .docx, the same bytes every time for the same content."""
        buffer = io.BytesIO()
        self.document.save(buffer)
        out = io.BytesIO()
        with (
            zipfile.ZipFile(io.BytesIO(buffer.getvalue())) as src,
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst,
        ):
            for info in src.infolist():
                entry = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
                entry.compress_type = zipfile.ZIP_DEFLATED
                dst.writestr(entry, src.read(info))
        return out.getvalue()


def _run(text: str, tag: str = "w:t") -> OxmlElement:
    run = OxmlElement("w:r")
    t = OxmlElement(tag, {qn("xml:space"): "preserve"})
    t.text = text
    run.append(t)
    return run
