"""A Word file (.docx) -> its text layer: the body's paragraphs (tables' cells and text boxes
included), then the footnotes and endnotes, each located as paragraph or note number and
column.

What a reader of the document sees is what is quotable: struck-through text (`w:strike`,
`w:dstrike`) and tracked deletions are kept, as a note (TextLayer.notes) that makes a quote
from them verify with a warning; comments, headers and footers (page furniture, like a PDF's
running heads), field codes and the VML copy of a drawing are not read. Tabs and breaks are
white space, a no-break hyphen is a hyphen, an optional (soft) hyphen is nothing. Footnote
and endnote reference marks are not text (Word draws their numbers), so a quote that runs
across one matches.

The package is opened with zipfile, not python-docx: python-docx reads every part into
memory before anything can be checked, so a 1 MB file with a 1 GB part would cost gigabytes.
Here only the parts with text are read, each after its declared size is checked and with a
cap on what is inflated; the XML is parsed by lxml without entities or network access. The
"decoded file" that locations refer to is one line per paragraph: body paragraphs are `¶n`
(empty ones not counted), footnotes `fnN` and endnotes `enN` in the order the text refers
to them.
"""

from __future__ import annotations

import io
import posixpath
import struct
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field

from lxml import etree

from report.errors import CorpusError, Location
from report.readers.builder import LayerBuilder
from report.textlayer import TextLayer

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_RT = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
_STRICT = "http://purl.oclc.org/ooxml/"
_NOT_NOTES = {"separator", "continuationSeparator", "continuationNotice"}

# Bounds, checked before anything is inflated (README, Safety): a Word file's text parts
# are a few MB even for a long report; a package of more parts than this is not a document.
MAX_PARTS = 10_000
MAX_PART_BYTES = 32 * 1024 * 1024  # uncompressed: each part read, and all of them together

_PARSER = etree.XMLParser(
    resolve_entities=False, no_network=True, remove_comments=True, remove_pis=True
)

# Elements whose content is not the document's visible text.
_SKIP = {
    f"{_W}{name}"
    for name in (
        "pPr", "rPr", "sectPr", "tblPr", "trPr", "tcPr", "tblGrid", "sdtPr", "sdtEndPr",
        "instrText", "delInstrText", "commentReference", "annotationRef", "footnoteRef",
        "endnoteRef", "fldData", "pPrChange", "rPrChange",
    )
} | {f"{_MC}Fallback"}  # fmt: skip
_OFF = {"0", "false", "off"}


class _Refused(Exception):
    """The package is not one to read (the message says why, in plain words)."""


def docx_layer(data: bytes, shown: str) -> TextLayer:
    """Build the text layer of a .docx file's bytes."""
    try:
        paragraphs = list(_Document(data).paragraphs())
    except _Refused as exc:
        raise CorpusError(str(exc), Location(shown)) from None
    except (zipfile.BadZipFile, zipfile.LargeZipFile, etree.XMLSyntaxError, KeyError) as exc:
        reason = str(exc) or type(exc).__name__
        raise CorpusError(f"cannot read the Word file: {reason}", Location(shown)) from None
    builder = LayerBuilder()
    starts: list[int] = []
    labels: list[tuple[int, int, str]] = []
    src = 0
    for unit, number, pieces in paragraphs:
        starts.append(src)
        labels.append((0, number, unit))
        for text, note in pieces:
            if note == "br":
                builder.line_break(src)
            else:
                builder.text(text, src, note=note)
            src += len(text)
        builder.end_paragraph()
        src += 1  # the line's end in the "decoded file"
    return builder.build(tuple(starts), tuple(labels))


Piece = tuple[str, str]  # (text, note): note "" plain, "struck", "deleted" or "br"


@dataclass
class _Styles:
    """Which paragraph and character styles strike their text through (w:strike), by id."""

    strike: dict[str, bool | None] = field(default_factory=dict)
    based_on: dict[str, str] = field(default_factory=dict)
    default: bool = False

    def struck(self, style_id: str | None) -> bool | None:
        seen = set()
        while style_id and style_id not in seen:  # basedOn chains may loop in a bad file
            seen.add(style_id)
            value = self.strike.get(style_id)
            if value is not None:
                return value
            style_id = self.based_on.get(style_id)
        return None


def _strike_of(rpr: etree._Element | None) -> bool | None:
    """True/False when run properties set strike-through (single or double), else None."""
    if rpr is None:
        return None
    value = None
    for name in ("strike", "dstrike"):
        el = rpr.find(f"{_W}{name}")
        if el is not None:
            on = el.get(f"{_W}val", "true").lower() not in _OFF
            value = value or on
    return value


class _Document:
    def __init__(self, data: bytes) -> None:
        _check_container(data)
        try:
            self.zip = zipfile.ZipFile(io.BytesIO(data))
        except zipfile.BadZipFile:
            raise _Refused("cannot read the Word file: it is not a zip package") from None
        self.names = {info.filename: info for info in self.zip.infolist()}
        self.total = 0  # uncompressed bytes of the parts read so far
        rels = self._rels("")
        main = [t for kind, t in rels if kind == _RT + "officeDocument"]
        if not main:
            if any(kind.startswith(_STRICT) for kind, _ in rels):
                raise _Refused(
                    "this Word file is saved as Strict Open XML, which report cannot read: "
                    "open it in Word and save it as a Word Document (.docx)"
                )
            raise _Refused("cannot read the Word file: the package has no main document")
        self.main = main[0]
        self.main_rels = self._rels(self.main)
        self.styles = self._styles()

    # -- the package --------------------------------------------------------------------

    def read(self, name: str) -> bytes:
        info = self.names.get(name)
        if info is None:
            raise _Refused(f"the Word file has no part '{name}' that its relationships name")
        if info.file_size > MAX_PART_BYTES:
            raise _Refused(
                f"the Word file's part '{name}' is {info.file_size // 1_000_000:,} MB "
                f"uncompressed; report reads parts of up to {MAX_PART_BYTES >> 20} MB"
            )
        self.total += info.file_size
        if self.total > MAX_PART_BYTES:
            raise _Refused(
                f"the Word file's text parts are over {MAX_PART_BYTES >> 20} MB uncompressed "
                "together; report reads up to that"
            )
        with self.zip.open(info) as f:  # zipfile inflates no more than the declared size
            data = f.read(MAX_PART_BYTES + 1)
        if len(data) > MAX_PART_BYTES:
            raise _Refused(f"the Word file's part '{name}' is larger than it declares")
        return data

    def xml(self, name: str) -> etree._Element:
        return etree.fromstring(self.read(name), _PARSER)

    def _rels(self, part: str) -> list[tuple[str, str]]:
        """(type, target part name) of a part's relationships ("" for the package's)."""
        folder, base = posixpath.split(part)
        name = posixpath.join(folder, "_rels", base + ".rels")
        if name not in self.names:
            return []
        out = []
        for rel in self.xml(name).iter(f"{_REL}Relationship"):
            if rel.get("TargetMode") == "External":
                continue
            target = rel.get("Target") or ""
            if target.startswith("/"):
                target = target.lstrip("/")
            else:
                target = posixpath.join(folder, target)
            out.append((rel.get("Type") or "", posixpath.normpath(target)))
        return out

    def _part(self, kind: str) -> str | None:
        found = [t for k, t in self.main_rels if k == _RT + kind]
        return found[0] if found else None

    def _styles(self) -> _Styles:
        styles = _Styles()
        name = self._part("styles")
        if name is None or name not in self.names:
            return styles
        root = self.xml(name)
        defaults = root.find(f"{_W}docDefaults/{_W}rPrDefault/{_W}rPr")
        styles.default = bool(_strike_of(defaults))
        for style in root.iter(f"{_W}style"):
            sid = style.get(f"{_W}styleId")
            if not sid:
                continue
            styles.strike[sid] = _strike_of(style.find(f"{_W}rPr"))
            based = style.find(f"{_W}basedOn")
            if based is not None and based.get(f"{_W}val"):
                styles.based_on[sid] = based.get(f"{_W}val")
        return styles

    # -- the text -----------------------------------------------------------------------

    def paragraphs(self) -> Iterator[tuple[str, int, list[Piece]]]:
        """(unit, number, pieces) of every non-empty paragraph: the body's, then the notes'."""
        body = self.xml(self.main).find(f"{_W}body")
        if body is None:
            return
        order: dict[str, list[str]] = {"footnote": [], "endnote": []}
        for number, pieces in enumerate(self._paragraphs_of(body, order), 1):
            yield "¶", number, pieces
        for kind, unit in (("footnote", "fn"), ("endnote", "en")):
            name = self._part(kind + "s")
            if name is None or name not in self.names:
                continue
            by_id = {
                note.get(f"{_W}id"): note
                for note in self.xml(name).iter(f"{_W}{kind}")
                if note.get(f"{_W}type") not in _NOT_NOTES
            }
            ids = [i for i in dict.fromkeys(order[kind]) if i in by_id]
            ids += [i for i in by_id if i not in ids]  # notes the body never refers to, last
            for k, note_id in enumerate(ids, 1):
                for pieces in self._paragraphs_of(by_id[note_id], order):
                    yield unit, k, pieces

    def _paragraphs_of(
        self, root: etree._Element, order: dict[str, list[str]]
    ) -> Iterator[list[Piece]]:
        """The pieces of each non-empty paragraph under `root`, in document order; a text
        box's paragraphs follow the paragraph that anchors it."""
        for p in root.iter(f"{_W}p"):
            if _inside(p, root, f"{_MC}Fallback"):  # the VML copy of a drawing
                continue
            pieces = self._pieces(p, order)
            if "".join(t for t, note in pieces if note != "br").strip():
                yield pieces

    def _pieces(self, p: etree._Element, order: dict[str, list[str]]) -> list[Piece]:
        ppr = p.find(f"{_W}pPr")
        pstyle = ppr.find(f"{_W}pStyle") if ppr is not None else None
        para_strike = self.styles.struck(pstyle.get(f"{_W}val") if pstyle is not None else None)
        pieces: list[Piece] = []
        # Depth-first over the paragraph's content, not into nested paragraphs (text boxes
        # are paragraphs of their own) nor into properties, field codes or comment marks.
        stack: list[tuple[etree._Element, bool]] = [(child, False) for child in reversed(p)]
        after_mark = False  # the last run was a footnote or endnote reference
        while stack:
            el, deleted = stack.pop()
            tag = el.tag
            if not isinstance(tag, str) or tag in _SKIP or tag == f"{_W}p":
                continue
            if tag == f"{_W}r":
                run = self._run(el, deleted, para_strike, order)
                if after_mark and _mark_suffix(el, run):
                    continue  # `1/`: a superscript tail of the mark is part of the mark
                after_mark = el.find(f"{_W}footnoteReference") is not None or (
                    el.find(f"{_W}endnoteReference") is not None
                )
                pieces.extend(run)
                continue
            inner = deleted or tag in (f"{_W}del", f"{_W}moveFrom")
            stack.extend((child, inner) for child in reversed(el))
        return pieces

    def _run(
        self,
        r: etree._Element,
        deleted: bool,
        para_strike: bool | None,
        order: dict[str, list[str]],
    ) -> list[Piece]:
        rpr = r.find(f"{_W}rPr")
        struck = _strike_of(rpr)
        if struck is None and rpr is not None:
            rstyle = rpr.find(f"{_W}rStyle")
            if rstyle is not None:
                struck = self.styles.struck(rstyle.get(f"{_W}val"))
        if struck is None:
            struck = para_strike if para_strike is not None else self.styles.default
        note = "deleted" if deleted else "struck" if struck else ""
        out: list[Piece] = []
        for el in r:
            tag = el.tag
            if tag in (f"{_W}t", f"{_W}delText"):
                out.append((el.text or "", note))
            elif tag in (f"{_W}tab", f"{_W}ptab"):
                out.append(("\t", note))
            elif tag in (f"{_W}br", f"{_W}cr"):  # a line, column or page break
                out.append(("\n", "br"))
            elif tag == f"{_W}noBreakHyphen":
                out.append(("-", note))
            elif tag in (f"{_W}footnoteReference", f"{_W}endnoteReference"):
                order["footnote" if "foot" in tag else "endnote"].append(el.get(f"{_W}id"))
            # anything else (drawings, text boxes, symbols, soft hyphens, marks) is no text
            # here: a text box's paragraphs are read as paragraphs of their own
        return out


def _mark_suffix(r: etree._Element, pieces: list[Piece]) -> bool:
    """A superscript run of at most three marks, no letters, right after a note reference
    (`1/` in documents converted from other formats)."""
    align = r.find(f"{_W}rPr/{_W}vertAlign")
    text = "".join(t for t, _ in pieces).strip()
    return (
        align is not None
        and align.get(f"{_W}val") == "superscript"
        and 0 < len(text) <= 3
        and not any(ch.isalpha() for ch in text)
    )


def _inside(el: etree._Element, root: etree._Element, tag: str) -> bool:
    parent = el.getparent()
    while parent is not None and parent is not root:
        if parent.tag == tag:
            return True
        parent = parent.getparent()
    return False


def _check_container(data: bytes) -> None:
    """Refuse what is not a zip package, or one with more parts than MAX_PARTS, before
    zipfile reads its directory (an entry costs memory whether or not it is read)."""
    if data.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):  # an OLE compound file
        if "EncryptedPackage".encode("utf-16-le") in data:
            raise _Refused(
                "this Word file is protected by a password: save an unprotected copy "
                "(File > Info > Protect Document) and quote that"
            )
        raise _Refused(
            "this is an old Word 97-2003 file (.doc), not a .docx: open it in Word and save "
            "it as a Word Document (.docx)"
        )
    if not data.startswith(b"PK"):
        raise _Refused("cannot read the Word file: it is not a zip package (.docx)")
    end = data.rfind(b"PK\x05\x06", max(0, len(data) - 65_557))
    if end < 0 or end + 22 > len(data):
        raise _Refused("cannot read the Word file: the zip package is damaged (no directory)")
    entries = struct.unpack_from("<H", data, end + 10)[0]
    locator = end - 20
    if entries == 0xFFFF and locator >= 0 and data.startswith(b"PK\x06\x07", locator):
        record = struct.unpack_from("<Q", data, locator + 8)[0]
        if data.startswith(b"PK\x06\x06", record) and record + 40 <= len(data):
            entries = struct.unpack_from("<Q", data, record + 32)[0]
    if entries > MAX_PARTS:
        raise _Refused(
            f"the Word file has {entries:,} parts; report reads packages of up to "
            f"{MAX_PARTS:,} (a document has a few dozen)"
        )
