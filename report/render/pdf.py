"""A Brief -> PDF bytes: the HTML of report.render.html set by WeasyPrint, tagged for
accessibility (PDF/UA-1 by default) and, when the brief is to be archived, as PDF/A.

WeasyPrint may load only files inside the templates folder (the stylesheet, images a
designer adds): no network, no other file. A template that asks for anything else fails
the build with a RenderError naming what it asked for.

Every variant is tagged: WeasyPrint builds the structure tree from the HTML (H1, H2, P,
L/LI, BlockQuote, Link), the document language from `<html lang>`, the title shown in the
viewer's title bar and bookmarks from the headings. Three things are added here, on the
PDF before it is written (WeasyPrint's `finisher`): each footnote becomes a `Note`
element with a unique ID (PDF/UA-1 7.9); the files given (the quote ledger) are embedded as
associated files of the document (`/AF`, `AFRelationship /Supplement`), as PDF/A-3 asks;
and a PDF/A-2 or A-3 file, being tagged, also declares PDF/UA-1 in its XMP metadata,
with the extension schema PDF/A requires for that property.
"""

from __future__ import annotations

import hashlib
import mimetypes
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import pydyf
from weasyprint import HTML
from weasyprint import Attachment as WeasyAttachment
from weasyprint.formatting_structure.boxes import FootnoteAreaBox
from weasyprint.pdf import VARIANTS
from weasyprint.urls import URLFetcher, URLFetcherResponse

from report.brief import Brief
from report.errors import Location, RenderError
from report.render import DEFAULT_PDF_VARIANT, PDF_VARIANTS
from report.render.html import TEMPLATE, render_html

DEFAULT_VARIANT = DEFAULT_PDF_VARIANT
ZERO_DATE = datetime(1980, 1, 1)  # an attachment's date when the brief has none


@dataclass(frozen=True, slots=True)
class Attachment:
    """A file carried inside the PDF (the brief's quote ledger)."""

    name: str
    data: bytes
    description: str
    relationship: str = "Supplement"  # ISO 32000-2 7.11.3: it supplements the brief


def embeds_files(variant: str) -> bool:
    """Whether a PDF of `variant` can carry attachments: PDF/A-1 forbids them and PDF/A-2
    allows only PDF/A files (WeasyPrint drops the others)."""
    return not variant.startswith(("pdf/a-1", "pdf/a-2"))


class TemplatesOnly(URLFetcher):
    """A WeasyPrint URL fetcher that serves files inside one folder and refuses the rest."""

    def __init__(self, root: Path) -> None:
        super().__init__(allowed_protocols={"file"})
        self.root = root.resolve()
        self.refused: list[str] = []

    def fetch(self, url: str, headers: dict[str, str] | None = None) -> URLFetcherResponse:
        path = self._path(url)
        if path is None:
            self.refused.append(url)
            raise ValueError(f"refused: {url} (only files inside {self.root} may be loaded)")
        mime, _ = mimetypes.guess_type(path.name)
        return URLFetcherResponse(
            path.as_uri(), path.read_bytes(), {"Content-Type": mime or "application/octet-stream"}
        )

    def _path(self, url: str) -> Path | None:
        parts = urlsplit(url)
        if parts.scheme != "file" or parts.netloc not in ("", "localhost"):
            return None
        try:
            path = Path(unquote(parts.path)).resolve(strict=True)
        except (OSError, RuntimeError):
            return None
        return path if path.is_relative_to(self.root) and path.is_file() else None


def render_pdf(
    brief: Brief,
    templates: Path,
    variant: str = DEFAULT_VARIANT,
    attachments: Sequence[Attachment] = (),
) -> bytes:
    """The brief as a PDF of `variant` (one of PDF_VARIANTS), carrying `attachments` when
    the variant allows (embeds_files)."""
    if variant not in PDF_VARIANTS or variant not in VARIANTS:
        raise RenderError(f"unknown PDF variant '{variant}' (one of {', '.join(PDF_VARIANTS)})")
    html = render_html(brief, templates)
    fetcher = TemplatesOnly(templates)
    document = HTML(
        string=html, base_url=(templates.resolve() / TEMPLATE).as_uri(), url_fetcher=fetcher
    )
    when = brief.timestamp.replace(tzinfo=None) if brief.timestamp is not None else ZERO_DATE
    files = [
        WeasyAttachment(
            string=a.data,  # bytes: WeasyPrint embeds them as they are
            name=a.name,
            description=a.description,
            created=when,
            modified=when,
            relationship=a.relationship,
        )
        for a in (attachments if embeds_files(variant) else ())
    ]
    # The file identifier is derived from the content, so that two builds of the same
    # brief give the same bytes.
    digest = hashlib.sha256(html.encode("utf-8"))
    for a in attachments:
        digest.update(hashlib.sha256(a.data).digest())
    identifier = digest.hexdigest()[:32].encode("ascii")
    pdf = document.write_pdf(
        pdf_identifier=identifier,
        pdf_variant=variant,
        pdf_tags=True,
        attachments=files,
        finisher=_Finisher(variant, files),
    )
    if fetcher.refused:
        raise RenderError(
            f"the templates asked for {fetcher.refused[0]}: only files inside the templates "
            "folder may be loaded",
            Location(str(templates / TEMPLATE)),
        )
    assert pdf is not None
    return pdf


class _Finisher:
    """Changes WeasyPrint's PDF objects before they are written (see the module's
    docstring)."""

    def __init__(self, variant: str, attachments: Sequence[WeasyAttachment]) -> None:
        self.variant = variant
        self.attachments = attachments

    def __call__(self, document: Any, pdf: pydyf.PDF) -> None:
        if "StructTreeRoot" in pdf.catalog:
            tag_notes(document, pdf)
        if self.attachments:
            _associate(pdf, self.attachments)
        if self.variant.startswith(("pdf/a-2", "pdf/a-3")) and "StructTreeRoot" in pdf.catalog:
            _declare_ua(pdf)


def _object(pdf: pydyf.PDF, reference: Any) -> Any:
    ref = reference if isinstance(reference, bytes) else str(reference).encode()
    return pdf.objects[int(ref.split()[0])]  # pydyf's references are `b"12 0 R"`


def tag_notes(document: Any, pdf: pydyf.PDF) -> int:
    """Footnotes tagged as `Note` elements with unique IDs; returns how many.

    WeasyPrint lays each page out as [the document's boxes, the footnote area, the margin
    boxes] and tags the first two in that order (margin boxes stay out of the tree), so a
    page's structure elements end with the footnote area, whose children are that page's
    footnotes, one element each. Where the tree does not have that shape, nothing is
    changed (and the tests notice)."""
    root = _object(pdf, pdf.catalog["StructTreeRoot"])
    top = _object(pdf, root["K"][0])
    by_page: dict[str, list[Any]] = {}
    for reference in top["K"]:
        element = _object(pdf, reference)
        by_page.setdefault(str(element.get("Pg")), []).append(element)
    count = 0
    for number, page in enumerate(document.pages):
        areas = [b for b in page._page_box.children if isinstance(b, FootnoteAreaBox)]
        notes = len(areas[0].children) if len(areas) == 1 else 0
        elements = by_page.get(str(pdf.page_references[number]), [])
        if not notes or not elements:
            continue
        area = elements[-1]
        kids = [_object(pdf, k) for k in area["K"] if not isinstance(k, int)]
        if area["S"] != "/NonStruct" or len(kids) != notes:
            continue
        for kid in kids:
            count += 1
            kid["S"] = "/Note"
            kid["ID"] = pydyf.String(f"note-{count}")
    return count


def _associate(pdf: pydyf.PDF, attachments: Sequence[WeasyAttachment]) -> None:
    """Each embedded file an associated file of the document, with its relationship (what
    WeasyPrint does for PDF/A-3 alone)."""
    relationship = {f"<{a.md5}>": a.relationship for a in attachments if a.md5}
    specs = []
    for obj in pdf.objects:
        if isinstance(obj, dict) and obj.get("Type") == "/Filespec" and "EF" in obj:
            stream = _object(pdf, obj["EF"]["F"])
            checksum = stream.extra["Params"]["CheckSum"]
            obj["AFRelationship"] = "/" + relationship.get(checksum, "Unspecified")
            specs.append(obj.reference)
    if "AF" not in pdf.catalog:
        pdf.catalog["AF"] = pydyf.Array(specs)


_PDFUA_SCHEMA = b"""<rdf:Description rdf:about=""
  xmlns:pdfaExtension="http://www.aiim.org/pdfa/ns/extension/"
  xmlns:pdfaSchema="http://www.aiim.org/pdfa/ns/schema#"
  xmlns:pdfaProperty="http://www.aiim.org/pdfa/ns/property#">
 <pdfaExtension:schemas><rdf:Bag><rdf:li rdf:parseType="Resource">
  <pdfaSchema:namespaceURI>http://www.aiim.org/pdfua/ns/id/</pdfaSchema:namespaceURI>
  <pdfaSchema:prefix>pdfuaid</pdfaSchema:prefix>
  <pdfaSchema:schema>PDF/UA identification schema</pdfaSchema:schema>
  <pdfaSchema:property><rdf:Seq><rdf:li rdf:parseType="Resource">
   <pdfaProperty:category>internal</pdfaProperty:category>
   <pdfaProperty:description>PDF/UA version identifier</pdfaProperty:description>
   <pdfaProperty:name>part</pdfaProperty:name>
   <pdfaProperty:valueType>Integer</pdfaProperty:valueType>
  </rdf:li></rdf:Seq></pdfaSchema:property>
 </rdf:li></rdf:Bag></pdfaExtension:schemas>
</rdf:Description>
<rdf:Description rdf:about="" xmlns:pdfuaid="http://www.aiim.org/pdfua/ns/id/"
  pdfuaid:part="1"/>
"""


def _declare_ua(pdf: pydyf.PDF) -> None:
    """PDF/UA-1 declared beside PDF/A in the XMP packet WeasyPrint wrote."""
    stream = _object(pdf, pdf.catalog["Metadata"])
    packet = b"".join(stream.stream)
    end = packet.rfind(b"</rdf:RDF>")
    if end < 0 or b"pdfuaid:part" in packet:
        return
    stream.stream = [packet[:end] + _PDFUA_SCHEMA + packet[end:]]
