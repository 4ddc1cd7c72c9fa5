"""Word footnotes for python-docx: the `word/footnotes.xml` part, its styles, and the
reference runs in the body.

python-docx has no footnote API, so this module builds them on its OXML/OPC layer: one
`XmlPart` related to the document part, holding Word's two separator footnotes (ids -1
and 0, as Word writes them) and one `w:footnote` per note. Word numbers the notes itself,
in the order their references appear. All text goes in through lxml, so it is escaped;
characters XML cannot hold at all are dropped (`xml_text`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from docx.document import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part, XmlPart
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Pt
from docx.text.paragraph import Paragraph

from report.cite import Rich
from report.sources import web_address

TEXT_STYLE = ("FootnoteText", "footnote text")
REFERENCE_STYLE = ("FootnoteReference", "footnote reference")

_SEPARATORS = f"""<w:footnotes {nsdecls("w")}>
  <w:footnote w:type="separator" w:id="-1"><w:p><w:pPr><w:spacing w:after="0"
    w:line="240" w:lineRule="auto"/></w:pPr><w:r><w:separator/></w:r></w:p></w:footnote>
  <w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:pPr><w:spacing w:after="0"
    w:line="240" w:lineRule="auto"/></w:pPr><w:r><w:continuationSeparator/></w:r></w:p>
  </w:footnote>
</w:footnotes>"""

_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def xml_text(text: str) -> str:
    """Text that XML 1.0 can hold (lxml refuses control characters)."""
    return _NOT_XML.sub("", text)


class Footnotes:
    """The footnotes of one document; `add` places a reference and writes its note."""

    def __init__(self, document: Document, replace: bool = False) -> None:
        """With `replace`, a footnotes part the document has (a house template's) gives
        way to this one."""
        self.document = document
        part = document.part
        for rid, rel in list(part.rels.items()):
            if rel.reltype == RT.FOOTNOTES:
                if not replace:
                    raise ValueError("the document already has a footnotes part")
                del part.rels[rid]
        self.part = XmlPart(
            PackURI("/word/footnotes.xml"), CT.WML_FOOTNOTES, parse_xml(_SEPARATORS), part.package
        )
        part.relate_to(self.part, RT.FOOTNOTES)
        self.count = 0
        _ensure_styles(document)

    def add(self, paragraph: Paragraph, note: Rich) -> int:
        """Append a footnote reference to `paragraph` and the note to footnotes.xml."""
        self.count += 1
        number = self.count
        ref = OxmlElement("w:r")
        ref.append(_run_style(REFERENCE_STYLE[0]))
        ref.append(OxmlElement("w:footnoteReference", {qn("w:id"): str(number)}))
        paragraph._p.append(ref)

        footnote = OxmlElement("w:footnote", {qn("w:id"): str(number)})
        p = OxmlElement("w:p")
        ppr = OxmlElement("w:pPr")
        ppr.append(OxmlElement("w:pStyle", {qn("w:val"): TEXT_STYLE[0]}))
        p.append(ppr)
        mark = OxmlElement("w:r")
        mark.append(_run_style(REFERENCE_STYLE[0]))
        mark.append(OxmlElement("w:footnoteRef"))
        p.append(mark)
        p.extend(_runs([(" ", False, False)]))
        for span in note:
            if span.href is not None and web_address(span.href):
                p.append(hyperlink(self.part, span.href, [(span.text, span.italic, span.bold)]))
            else:
                p.extend(_runs([(span.text, span.italic, span.bold)]))
        footnote.append(p)
        self.part.element.append(footnote)
        return number


def hyperlink(
    part: Part, address: str, spans: Iterable[tuple[str, bool, bool]]
) -> OxmlElement:
    """A `w:hyperlink` to a web address, related to `part` (the body's or the footnotes'
    part), its runs in Word's Hyperlink style."""
    rid = part.relate_to(address, RT.HYPERLINK, is_external=True)
    link = OxmlElement("w:hyperlink", {qn("r:id"): rid, qn("w:history"): "1"})
    for run in _runs(spans):
        rpr = run.find(qn("w:rPr"))
        if rpr is None:
            rpr = OxmlElement("w:rPr")
            run.insert(0, rpr)
        rpr.insert(0, OxmlElement("w:rStyle", {qn("w:val"): "Hyperlink"}))
        link.append(run)
    return link


def _run_style(style_id: str) -> OxmlElement:
    rpr = OxmlElement("w:rPr")
    rpr.append(OxmlElement("w:rStyle", {qn("w:val"): style_id}))
    return rpr


def _runs(spans: Iterable[tuple[str, bool, bool]]) -> list[OxmlElement]:
    out = []
    for text, italic, bold in spans:
        run = OxmlElement("w:r")
        if italic or bold:
            rpr = OxmlElement("w:rPr")
            if bold:
                rpr.append(OxmlElement("w:b"))
            if italic:
                rpr.append(OxmlElement("w:i"))
            run.append(rpr)
        t = OxmlElement("w:t", {qn("xml:space"): "preserve"})
        t.text = xml_text(text)
        run.append(t)
        out.append(run)
    return out


def _ensure_styles(document: Document) -> None:
    """Word's built-in footnote styles, added when the document's styles lack them."""
    styles = document.styles
    ids = {s.style_id for s in styles}
    if TEXT_STYLE[0] not in ids:
        style = styles.add_style(TEXT_STYLE[1], WD_STYLE_TYPE.PARAGRAPH, builtin=True)
        style.style_id = TEXT_STYLE[0]
        style.base_style = styles["Normal"]
        style.font.size = Pt(8)
        style.paragraph_format.space_after = 0
    if REFERENCE_STYLE[0] not in ids:
        style = styles.add_style(REFERENCE_STYLE[1], WD_STYLE_TYPE.CHARACTER, builtin=True)
        style.style_id = REFERENCE_STYLE[0]
        style.font.superscript = True
