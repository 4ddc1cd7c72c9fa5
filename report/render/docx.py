"""A Brief -> Word (.docx) bytes, with python-docx.

The look comes from `templates/docx-styles.yaml` (Word's built-in styles restyled, so the
navigation pane and a table of contents work on the headings), or from a house Word
template (the outline's `docx_template`): then, as Pandoc's `--reference-doc` does, the
brief is written into a copy of that document, emptied, and takes its styles, page setup,
headers and footers; a style the brief needs and the template lacks comes from the built-in
look, and a Word style among them is named in a Notice. Citations are real Word footnotes
(report.render.docx_footnotes); addresses in notes and sources are live hyperlinks. The
package is written reproducibly: fixed document dates and zip timestamps, so one brief
always gives the same bytes.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import docx
from docx.document import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from docx.styles.style import BaseStyle
from docx.text.paragraph import Paragraph
from docx.text.run import Run
from lxml import etree

from report import brief as model
from report.brief import AppendixEntry, Brief, Labels, Note, Quote
from report.cite import Rich
from report.errors import Location, RenderError
from report.findings import Notice
from report.render.docx_footnotes import Footnotes, hyperlink, xml_text
from report.render.docx_styles import Look, load_look
from report.sources import web_address
from report.yamlfile import read_bytes

STYLES = "docx-styles.yaml"
ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)  # the earliest date a zip entry can carry
ZIP_END = (2107, 12, 31, 23, 59, 58)  # and the latest (two-second steps)
_ALIGN = {
    "left": WD_ALIGN_PARAGRAPH.LEFT,
    "right": WD_ALIGN_PARAGRAPH.RIGHT,
    "center": WD_ALIGN_PARAGRAPH.CENTER,
    "justify": WD_ALIGN_PARAGRAPH.JUSTIFY,
}


MAX_TEMPLATE_BYTES = 64 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class WordFile:
    data: bytes
    notices: tuple[Notice, ...] = ()


def render_docx(brief: Brief, templates: Path, look: Look | None = None) -> bytes:
    """The Word file in the built-in look; `look` is templates/docx-styles.yaml, read here
    unless given."""
    return render_word(brief, templates, look).data


def render_word(
    brief: Brief,
    templates: Path,
    look: Look | None = None,
    reference: Path | None = None,
    where: Location | None = None,
) -> WordFile:
    """The Word file, written into a copy of the house template `reference` when given
    (`where` names it in messages), else into python-docx's blank document in the look of
    docx-styles.yaml."""
    look = look or load_look(templates / STYLES)
    notices: list[Notice] = []
    if reference is None:
        document = docx.Document()
        footnotes = Footnotes(document)  # adds Word's footnote styles, restyled below
        _apply_look(document, look)
        _header_footer(document, brief)
    else:
        where = where or Location(str(reference))
        document = _open_reference(reference, where)
        _empty_body(document)
        have = _style_names(document)
        footnotes = Footnotes(document, replace=True)
        missing = {s.name for s in look.styles} - have
        _apply_look(document, look, only=missing, page=False)
        absent = [name for name in word_styles(brief) if name not in have]
        if absent:
            notices.append(Notice(_absent_message(absent), where))
    _ensure_hyperlink_style(document)
    _BodyWriter(document, footnotes).write(brief)
    _metadata(document, brief)
    buffer = io.BytesIO()
    document.save(buffer)
    return WordFile(_reproducible_zip(buffer.getvalue(), brief.timestamp), tuple(notices))


def word_styles(brief: Brief) -> list[str]:
    """Word's own styles that carry the brief's look, those it uses: a house template
    should define them. (Other styles the template lacks come from the built-in look
    without a word: the brief's own, Kicker, Byline, Claim and the like, which few templates
    have, and those Word fills in itself, Hyperlink, Footnote Reference, Bibliography.)"""
    names = ["Title"]
    names += ["Subtitle"] * bool(brief.subtitle)
    names += ["Heading 1"]
    names += ["Quote"] * any(q.block for q in brief.quotes)
    names += ["List Number"] * bool(brief.recommendations)
    names += ["footnote text"] * bool(brief.quotes)
    return names


def _absent_message(names: list[str]) -> str:
    shown_names = ", ".join(f"'{_ui_name(n)}'" for n in names)
    return (
        f"the Word template has no style {shown_names}: the built-in look stands in "
        "(define the styles in the template to use its own)"
    )


def _ui_name(name: str) -> str:
    """A style's name as Word shows it (python-docx keeps a few in lower case)."""
    return name[:1].upper() + name[1:] if name.startswith("footnote") else name


def _open_reference(path: Path, where: Location) -> Document:
    """The house template as a python-docx document; a file it cannot read is an input
    error at the outline's `docx_template`."""
    data = read_bytes(path, RenderError, MAX_TEMPLATE_BYTES)
    try:
        document = docx.Document(io.BytesIO(data))
    except (KeyError, ValueError, zipfile.BadZipFile, etree.XMLSyntaxError) as exc:
        raise RenderError(
            f"docx_template {path.name} is not a Word document python-docx can read ({exc})",
            where,
        ) from exc
    return document


def _empty_body(document: Document) -> None:
    """Everything in the template's body goes but its last section properties (page size,
    margins, columns, and which headers and footers it shows)."""
    body = document.element.body
    for child in list(body):
        if child.tag != qn("w:sectPr"):
            body.remove(child)


def _style_names(document: Document) -> set[str]:
    """The names of the styles a document defines (not Word's latent ones)."""
    return {s.name for s in document.styles if s.name}


def _ensure_hyperlink_style(document: Document) -> None:
    """Word's Hyperlink character style, for links in notes and sources, when missing."""
    if "Hyperlink" in _style_names(document):
        return
    style = document.styles.add_style("Hyperlink", WD_STYLE_TYPE.CHARACTER, builtin=True)
    style.font.color.rgb = RGBColor(0x05, 0x63, 0xC1)
    style.font.underline = True


class _BodyWriter:
    """Writes the body in order. Paragraphs are added before the body's section properties
    directly, and styles are looked up once each: python-docx's `add_paragraph` searches
    the body for where to insert and scans every style by name on each call, which made a
    brief's Word file quadratic in its paragraphs (20,000 took 158 s)."""

    def __init__(self, document: Document, footnotes: Footnotes) -> None:
        self.doc = document
        self.notes = footnotes
        self.body = document._body
        self.end = document.element.body.sectPr  # the body's last child, when there
        self.ids: dict[str, str | None] = {}
        self.default = document.styles.default(WD_STYLE_TYPE.PARAGRAPH).style_id

    def style_id(self, name: str) -> str | None:
        if name not in self.ids:
            try:
                self.ids[name] = self.doc.styles[name].style_id
            except KeyError:
                self.ids[name] = None
        return self.ids[name]

    def para(self, text: str = "", style: str | None = None) -> Paragraph:
        p = OxmlElement("w:p")
        name = self.style(style) if style else None
        sid = self.style_id(name) if name else None
        if sid is not None and sid != self.default:  # as python-docx: Normal is implied
            p.get_or_add_pPr().style = sid
        if self.end is not None:
            self.end.addprevious(p)
        else:
            self.doc.element.body.append(p)
        paragraph = Paragraph(p, self.body)
        if text:
            paragraph.add_run(xml_text(text))
        return paragraph

    def run(self, p: Paragraph, text: str, style: str | None = None) -> Run:
        run = p.add_run(xml_text(text))
        sid = self.style_id(style) if style else None
        if sid is not None:
            run._r.style = sid
        return run

    def write(self, brief: Brief) -> None:
        labels = brief.labels  # the brief's own words, as the PDF has them
        self.para(labels.kicker, "Kicker")
        self.para(brief.title, "Title")
        if brief.subtitle:
            self.para(brief.subtitle, "Subtitle")
        if brief.byline:
            self.para(brief.byline, "Byline")
        if brief.summary:
            self.para(labels.summary, "Heading 1")
            for paragraph in brief.summary:
                self.paragraph(paragraph)
        for section in brief.sections:
            self.para(section.heading, "Heading 1")
            for paragraph in section.intro:
                self.paragraph(paragraph, "Intro")
            for argument in section.arguments:
                p = self.para()
                self.prose(p, argument.claim, self.style("Claim", None))
                if argument.opening is not None:
                    self.run(p, " ")
                    self.prose(p, argument.opening)
                for paragraph in argument.rest:
                    self.paragraph(paragraph)
                for group in argument.evidence:
                    if group[0].block:
                        self.block_quote(group[0])
                    else:
                        self.inline_quotes(group)
        if brief.recommendations:
            self.para(labels.recommendations, "Heading 1")
            for paragraph in brief.recommendations:
                self.prose(self.para(style="List Number"), paragraph)
        self.para(labels.sources, "Heading 1")
        for source in brief.sources:
            self.rich(self.para(style="Bibliography"), source.entry)
        if brief.appendix:
            self.appendix(brief)

    def appendix(self, brief: Brief) -> None:
        heading = self.para(brief.labels.appendix, "Heading 1")
        heading.paragraph_format.page_break_before = True
        self.para(brief.labels.appendix_intro, self.style("Intro"))
        for entry in brief.appendix:
            self.appendix_entry(entry, brief.labels)

    def appendix_entry(self, entry: AppendixEntry, labels: Labels) -> None:
        head = self.para(f"{entry.number}\t{entry.source}", self.style("Appendix Entry"))
        head.paragraph_format.keep_with_next = True
        self.para(entry.where, self.style("Appendix Where")).paragraph_format.keep_with_next = True
        rows = [(labels.as_quoted, entry.quote)]
        if entry.original:
            rows.append((labels.original, entry.original))
        for i, (label, text) in enumerate(rows):
            p = self.para(style=self.style("Appendix Passage"))
            self.run(p, label + "\t", self.style("Appendix Label", None))
            self.run(p, text)
            p.paragraph_format.keep_with_next = i < len(rows) - 1

    def style(self, name: str, fallback: str | None = "Normal") -> str | None:
        """The brief's own style if the project's docx-styles.yaml defines it; an older
        styles file still builds, in plainer dress."""
        return name if self.style_id(name) is not None else fallback

    def inline_quotes(self, group: tuple[Quote, ...]) -> None:
        p = self.para()
        for i, quote in enumerate(group):
            self.run(p, ("" if i == 0 else " ") + quote.inline)
            self.cite(p, quote)

    def paragraph(self, paragraph: model.Paragraph, style: str | None = None) -> None:
        """A paragraph of the author's prose: a block quotation in Word's Quote style with
        its attribution line, any other in `style`."""
        if paragraph.block:
            self.prose(self.para(style="Quote"), paragraph)
            if paragraph.attribution:
                self.para("\u2014\u2009" + paragraph.attribution, "Attribution")
            return
        self.prose(self.para(style=style), paragraph)

    def prose(self, p: Paragraph, paragraph: model.Paragraph, style: str | None = None) -> None:
        """A paragraph's words, quotations and note marks (real footnotes) into `p`."""
        for part in paragraph.parts:
            if isinstance(part, Note) and part.in_text:  # an author-date style's citation
                self.run(p, " ")
                self.rich(p, part.note)
                continue
            if isinstance(part, Note):
                self.notes.add(p, part.note)
                continue
            run = self.run(p, part.text, style)
            run.italic = part.italic or None
            run.bold = part.bold or None

    def block_quote(self, quote: Quote) -> None:
        if quote.lead_in:
            self.para(quote.lead_in)
        p = self.para(quote.text, "Quote")
        self.cite(p, quote)
        self.para("\u2014\u2009" + quote.attribution, "Attribution")

    def cite(self, p: Paragraph, quote: Quote) -> None:
        """A quote's citation: a real footnote, or in an author-date style the citation in
        the text after it (and the sentence's full stop)."""
        if not quote.in_text:
            self.notes.add(p, quote.note)
            return
        self.run(p, " ")
        self.rich(p, quote.note)
        if quote.tail:
            self.run(p, quote.tail)

    def rich(self, p: Paragraph, rich: Rich) -> None:
        for span in rich:
            if span.href is not None and web_address(span.href):
                p._p.append(
                    hyperlink(self.doc.part, span.href, [(span.text, span.italic, span.bold)])
                )
                continue
            run = self.run(p, span.text)
            run.italic = span.italic or None
            run.bold = span.bold or None


def _apply_look(
    document: Document, look: Look, only: set[str] | None = None, page: bool = True
) -> None:
    """Restyle the document as docx-styles.yaml says: its page (with `page`) and its styles
    (only those named in `only`, when given)."""
    if page:
        section = document.sections[0]
        width, height = look.page_size
        section.page_width, section.page_height = Cm(width), Cm(height)
        for side, cm in look.margins:
            setattr(section, f"{side}_margin", Cm(cm))
    styles = document.styles
    for style_look in look.styles:  # checked by report.render.docx_styles
        if only is not None and style_look.name not in only:
            continue
        spec = style_look.values
        try:
            style = styles[style_look.name]
        except KeyError:
            kind = spec.get("type") or "paragraph"
            style_type = WD_STYLE_TYPE.PARAGRAPH if kind == "paragraph" else WD_STYLE_TYPE.CHARACTER
            style = styles.add_style(style_look.name, style_type)
        try:
            _restyle(style, spec, document)
        except (KeyError, ValueError, TypeError) as exc:
            raise RenderError(f"style '{style_look.name}': {exc}", style_look.where) from exc


def _restyle(style: BaseStyle, spec: dict[str, Any], document: Document) -> None:
    if "based_on" in spec:
        style.base_style = document.styles[spec["based_on"]]
    font = style.font
    if "font" in spec:
        font.name = spec["font"]
        rfonts = style.element.rPr.rFonts
        for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
            rfonts.attrib.pop(qn(attr), None)  # a theme font would win over the name
    if "size" in spec:
        font.size = Pt(spec["size"])
    for key in ("bold", "italic", "all_caps"):
        if key in spec:
            setattr(font, key, spec[key])
    if "letter_spacing" in spec:  # in points; 0 undoes a spaced-out built-in style
        rpr = style.element.get_or_add_rPr()
        for old in rpr.findall(qn("w:spacing")):
            rpr.remove(old)
        if spec["letter_spacing"]:
            twips = round(spec["letter_spacing"] * 20)
            rpr.append(OxmlElement("w:spacing", {qn("w:val"): str(twips)}))
    if "color" in spec:
        font.color.rgb = RGBColor.from_string(spec["color"])
    if style.type != WD_STYLE_TYPE.PARAGRAPH:
        return
    pf = style.paragraph_format
    if "align" in spec:
        pf.alignment = _ALIGN[spec["align"]]
    for key in ("space_before", "space_after"):
        if key in spec:
            setattr(pf, key, Pt(spec[key]))
    if "line_spacing" in spec:
        pf.line_spacing = spec["line_spacing"]
    for key in ("left_indent", "right_indent", "first_line_indent"):
        if key in spec:
            setattr(pf, key, Cm(spec[key]))
    if "keep_with_next" in spec:
        pf.keep_with_next = spec["keep_with_next"]


def _header_footer(document: Document, brief: Brief) -> None:
    """A running header (the title) from page 2 on; page numbers on every page."""
    section = document.sections[0]
    section.different_first_page_header_footer = True
    header = section.header.paragraphs[0]
    header.text = xml_text(brief.title)
    header.style = document.styles["Header"]
    for footer in (section.footer, section.first_page_footer):
        p = footer.paragraphs[0]
        p.style = document.styles["Footer"]
        _page_field(p)


def _page_field(paragraph: Paragraph) -> None:
    field = OxmlElement("w:fldSimple", {qn("w:instr"): "PAGE"})
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    field.append(run)
    paragraph._p.append(field)


def _metadata(document: Document, brief: Brief) -> None:
    props = document.core_properties
    props.title = brief.title
    props.subject = brief.subtitle or ""
    props.author = brief.author or ""
    props.last_modified_by = brief.author or ""
    props.keywords = brief.labels.keywords
    props.language = brief.lang
    _language(document, brief.lang)
    props.comments = "Every quotation verified against its source by report."
    props.revision = 1
    # python-docx's default package carries a picture of a blank page as its thumbnail.
    package = document.part.package
    for rid, rel in list(package.rels.items()):
        if rel.reltype == RT.THUMBNAIL:
            del package.rels[rid]
    element = props._element
    for tag in ("dcterms:created", "dcterms:modified", "cp:lastPrinted"):
        for old in element.findall(qn(tag)):
            element.remove(old)
    if brief.timestamp is not None and brief.created is not None:
        stamp = brief.timestamp.replace(tzinfo=None)
        props.created = stamp
        props.modified = stamp
        for tag in ("dcterms:created", "dcterms:modified"):  # python-docx writes year 800
            for element in props._element.findall(qn(tag)):  # as `800`, not `0800`
                element.text = brief.created


def _language(document: Document, lang: str) -> None:
    """The brief's language as the document's default (screen readers and proofing)."""
    styles = document.styles.element
    defaults = styles.find(qn("w:docDefaults"))
    if defaults is None:
        defaults = OxmlElement("w:docDefaults")
        styles.insert(0, defaults)
    rpr_default = defaults.find(qn("w:rPrDefault"))
    if rpr_default is None:
        rpr_default = OxmlElement("w:rPrDefault")
        defaults.insert(0, rpr_default)
    rpr = rpr_default.find(qn("w:rPr"))
    if rpr is None:
        rpr = OxmlElement("w:rPr")
        rpr_default.append(rpr)
    element = rpr.find(qn("w:lang"))
    if element is None:
        element = OxmlElement("w:lang")
        rpr.append(element)
    element.set(qn("w:val"), lang)


def _reproducible_zip(data: bytes, timestamp: datetime | None) -> bytes:
    """The same package with fixed entry dates and attributes, so equal briefs give equal
    bytes (python-docx stamps each entry with the current time)."""
    date_time = ZIP_EPOCH
    if timestamp is not None:
        date_time = min(max(timestamp.timetuple()[:6], ZIP_EPOCH), ZIP_END)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=date_time)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            dst.writestr(entry, src.read(info.filename))
    return out.getvalue()
