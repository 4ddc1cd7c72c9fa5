"""A Word draft (.docx) -> the draft model (report.draft): its paragraphs as they read with
every tracked change accepted, which of them are block quotations, its footnote and endnote
references, and the notes' texts and link targets.

Paragraphs are numbered as for Word sources (report.readers.docxtext): `¶N` is the N-th
non-empty paragraph of the body, tables and text boxes included, in document order; notes
are `fnN` and `enN`, numbered in the order the text refers to them, as Word numbers them.
Tracked changes are read as accepted: inserted text (w:ins, w:moveTo) is text, deleted text
(w:del, w:moveFrom) is not, and a paragraph whose mark was deleted runs on into the next.

A block quotation is a paragraph in a quote style (Word's Quote and Intense Quote,
LibreOffice's Quotations, Pandoc's Block Text, and the same in other languages: Zitat,
Citation, Cita) or, in any style, indented on the left 1 cm or more beyond the indent
most of the document's text has, without a hanging indent or list numbering (which is how
a bibliography or a list is indented).

python-docx opens the file, and the draft keeps it (`WordDraft`): report.annotate adds its
comments to that same document, and reads a paragraph's runs again through `pieces`.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from report.draft import Block, Draft, Mark, Note
from report.errors import DraftError, Location
from report.yamlfile import read_bytes

MAX_DRAFT_BYTES = 64 * 1024 * 1024
# python-docx inflates every part of the package: a draft of a few MB that inflates to
# gigabytes is refused from the zip directory, before anything is inflated.
MAX_INFLATED_BYTES = 512 * 1024 * 1024
MAX_PARTS = 10_000

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
_R_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
_NOT_NOTES = {"separator", "continuationSeparator", "continuationNotice"}
# Not text as the draft reads: properties, deleted text, field codes, comment marks, the
# VML copy of a drawing, and nested paragraphs (a text box is a paragraph of its own).
_SKIP = {
    f"{_W}{name}"
    for name in (
        "pPr", "rPr", "sectPr", "tblPr", "trPr", "tcPr", "tblGrid", "sdtPr", "sdtEndPr",
        "del", "moveFrom", "p", "commentReference", "annotationRef", "footnoteRef",
        "endnoteRef", "fldData", "pPrChange", "rPrChange",
    )
} | {f"{_MC}Fallback"}  # fmt: skip
_QUOTE_STYLE = re.compile(
    r"quot|block ?text|zitat|\bcita(?:tion|ção|zione)?\b|citaat|cytat", re.IGNORECASE
)
_HEADING_STYLE = re.compile(r"^(heading|title|subtitle|überschrift|titre)", re.IGNORECASE)
_HYPERLINK_FIELD = re.compile(r'HYPERLINK\s+"([^"]+)"')
BLOCK_INDENT = 567  # twips: 1 cm
_STRICT = b"http://purl.oclc.org/ooxml/officeDocument"


@dataclass(eq=False, slots=True)
class Piece:
    """A stretch [start, end) of a block's text and the run child it comes from: a w:t
    (`split` True: a comment's edge can fall inside it) or a tab, break or hyphen."""

    start: int
    end: int
    run: Any  # the w:r element
    child: Any
    split: bool


@dataclass(eq=False)
class _Text:
    """What reading one paragraph (or paragraphs that run on) gives."""

    parts: list[str] = field(default_factory=list)
    pieces: list[Piece] = field(default_factory=list)
    refs: list[tuple[int, str, str, Any]] = field(default_factory=list)  # offset, kind, id, run
    urls: list[str] = field(default_factory=list)
    size: int = 0

    def add(self, text: str, run: Any, child: Any, split: bool = False) -> None:
        if text:
            self.pieces.append(Piece(self.size, self.size + len(text), run, child, split))
            self.parts.append(text)
            self.size += len(text)

    @property
    def text(self) -> str:
        return "".join(self.parts)


@dataclass(eq=False)
class _Style:
    name: str
    based_on: str | None
    indent: tuple[int | None, int | None]  # left, hanging (twips)
    numbered: bool
    outline: bool


class WordDraft:
    """The opened Word document behind a Draft: python-docx's Document, its note parts'
    XML, and how to read a paragraph's runs again."""

    def __init__(
        self, data: bytes, document: Any, notes_xml: dict[str, Any], rels: dict[str, Any]
    ) -> None:
        self.data = data  # the file's bytes: the annotated copy keeps every part it can
        self.document = document
        self.notes_xml = notes_xml  # "footnote"/"endnote" -> root element
        self.rels = rels  # "footnote"/"endnote" -> that part's relationships

    def pieces(self, block: Block) -> list[Piece]:
        """The block's text pieces, read afresh from its paragraphs (after comments split
        runs, the old pieces point at runs that no longer hold those characters)."""
        kind, paragraphs = block.handle
        text = _Text()
        for p in paragraphs:
            _Walker(self, kind, text).paragraph(p)
        return text.pieces


def read_docx_draft(path: Path, shown: str) -> Draft:
    """Read a Word draft: a DraftError for a file that is not one."""
    data = read_bytes(path, DraftError, MAX_DRAFT_BYTES, shown)
    if data.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        raise DraftError(
            "this is an old Word 97-2003 file (.doc) or a password-protected one: save it as "
            "an unprotected Word Document (.docx)",
            Location(shown),
        )
    if not data.startswith(b"PK"):
        raise DraftError(
            "cannot read the Word file: it is not a .docx (zip) package", Location(shown)
        )
    import docx
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docx.oxml import parse_xml

    try:
        _check_package(data, shown)
        document = docx.Document(io.BytesIO(data))
        notes_xml, rels = {}, {}
        for kind, reltype in (("footnote", RT.FOOTNOTES), ("endnote", RT.ENDNOTES)):
            for rel in document.part.rels.values():
                if rel.reltype == reltype and not rel.is_external:
                    part = rel.target_part
                    notes_xml[kind] = parse_xml(part.blob)
                    rels[kind] = part.rels
                    break
        word = WordDraft(data, document, notes_xml, rels)
        return _Reader(word, path, shown).draft()
    except DraftError:
        raise
    except Exception as exc:  # python-docx, zipfile and lxml each raise their own kinds
        reason = str(exc) or type(exc).__name__
        raise DraftError(f"cannot read the Word file: {reason}", Location(shown)) from None


def _check_package(data: bytes, shown: str) -> None:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        infos = z.infolist()
        rels = z.getinfo("_rels/.rels") if "_rels/.rels" in z.namelist() else None
        if rels is not None and rels.file_size < 1_000_000 and _STRICT in z.read(rels):
            raise DraftError(
                "this Word file is saved as Strict Open XML, which report cannot read: open "
                "it in Word and save it as a Word Document (.docx)",
                Location(shown),
            )
    if len(infos) > MAX_PARTS:
        raise DraftError(
            f"the Word file has {len(infos):,} parts; a document has a few dozen",
            Location(shown),
        )
    inflated = sum(i.file_size for i in infos)
    if inflated > MAX_INFLATED_BYTES:
        raise DraftError(
            f"the Word file inflates to {inflated // 1_000_000:,} MB; report reads drafts of up "
            f"to {MAX_INFLATED_BYTES >> 20} MB",
            Location(shown),
        )


class _Walker:
    """Reads one paragraph's text as it reads with every tracked change accepted."""

    def __init__(self, word: WordDraft, kind: str, out: _Text) -> None:
        self.word = word
        self.kind = kind  # "body", "footnote" or "endnote": whose relationships links use
        self.out = out

    def paragraph(self, p: Any) -> None:
        self.content(p)

    def content(self, el: Any) -> None:
        for child in el:
            tag = child.tag
            if not isinstance(tag, str) or tag in _SKIP:
                continue
            if tag == f"{_W}r":
                self.run(child)
                continue
            if tag == f"{_W}hyperlink":
                self.link(child)
            self.content(child)  # insertions, moves, links, content controls, fields

    def link(self, hyperlink: Any) -> None:
        rid = hyperlink.get(_R_ID)
        if not rid:
            return
        rels = self.word.document.part.rels if self.kind == "body" else self.word.rels[self.kind]
        rel = rels.get(rid)
        if rel is not None and rel.is_external:
            self.out.urls.append(rel.target_ref)

    def run(self, r: Any) -> None:
        out = self.out
        for child in r:
            tag = child.tag
            if tag == f"{_W}t":
                out.add(child.text or "", r, child, split=True)
            elif tag in (f"{_W}tab", f"{_W}ptab"):
                out.add("\t", r, child)
            elif tag in (f"{_W}br", f"{_W}cr"):
                out.add("\n", r, child)
            elif tag == f"{_W}noBreakHyphen":
                out.add("-", r, child)
            elif tag in (f"{_W}footnoteReference", f"{_W}endnoteReference"):
                kind = "footnote" if "foot" in tag else "endnote"
                out.refs.append((out.size, kind, child.get(f"{_W}id") or "", r))
            elif tag == f"{_W}instrText":
                out.urls.extend(_HYPERLINK_FIELD.findall(child.text or ""))


class _Reader:
    def __init__(self, word: WordDraft, path: Path, shown: str) -> None:
        self.word = word
        self.path = path
        self.shown = shown
        self.styles, self.default_style = _styles(word.document)

    def draft(self) -> Draft:
        body = self.word.document.element.body
        blocks: list[Block] = []
        first_ref: dict[tuple[str, str], Any] = {}  # (kind, id) -> the run that refers to it
        order: list[tuple[str, str]] = []
        indents: list[tuple[str, int | None]] = []
        number = 0
        for paragraphs in _paragraph_groups(body):
            text = _Text()
            for p in paragraphs:
                _Walker(self.word, "body", text).paragraph(p)
            if not text.text.strip():
                continue
            number += 1
            marks = []
            for offset, kind, note_id, run in text.refs:
                if (kind, note_id) not in first_ref:
                    first_ref[kind, note_id] = run
                    order.append((kind, note_id))
                marks.append(Mark(offset, offset, key=f"{kind}:{note_id}"))
            blocks.append(
                Block(
                    text=text.text,
                    kind="body",
                    locate=_locator(self.shown, number, "¶"),
                    marks=tuple(marks),
                    handle=("body", paragraphs),
                )
            )
            indents.append(self._kind(paragraphs[-1]))
        _block_quotes(blocks, indents)
        notes: dict[str, Note] = {}
        for kind, unit in (("footnote", "fn"), ("endnote", "en")):
            root = self.word.notes_xml.get(kind)
            if root is None:
                continue
            by_id = {
                n.get(f"{_W}id"): n
                for n in root.iter(f"{_W}{kind}")
                if n.get(f"{_W}type") not in _NOT_NOTES
            }
            ids = [i for k, i in order if k == kind and i in by_id]  # notes never referred
            for k, note_id in enumerate(ids, 1):  # to (or only in deleted text) are not read
                key = f"{kind}:{note_id}"
                texts, urls = [], []
                for paragraphs in _paragraph_groups(by_id[note_id]):
                    text = _Text()
                    for p in paragraphs:
                        _Walker(self.word, kind, text).paragraph(p)
                    urls.extend(text.urls)
                    if not text.text.strip():
                        continue
                    texts.append(text.text.strip())
                    blocks.append(
                        Block(
                            text=text.text,
                            kind="note",
                            locate=_locator(self.shown, k, unit),
                            note=key,
                            handle=(kind, paragraphs),
                        )
                    )
                notes[key] = Note(
                    key=key,
                    label=f"{kind} {k}",
                    text=" ".join(texts),
                    location=Location(self.shown, k, 1, unit=unit),
                    urls=tuple(dict.fromkeys(urls)),
                    handle=first_ref[kind, note_id],
                )
        insertions, deletions = self._changes()
        return Draft(
            path=self.path,
            shown=self.shown,
            blocks=blocks,
            notes=notes,
            insertions=insertions,
            deletions=deletions,
            handle=self.word,
        )

    def _changes(self) -> tuple[int, int]:
        """Tracked insertions and deletions of text in the body and the notes (formatting
        changes are not counted: they change no word)."""
        roots = [self.word.document.element.body, *self.word.notes_xml.values()]
        count = {"ins": 0, "del": 0}
        for root in roots:
            for name, kind in (("ins", "ins"), ("moveTo", "ins"), ("del", "del")):
                count[kind] += sum(1 for _ in root.iter(f"{_W}{name}"))
            count["del"] += sum(1 for _ in root.iter(f"{_W}moveFrom"))
        return count["ins"], count["del"]

    def _kind(self, p: Any) -> tuple[str, int | None]:
        """The paragraph's kind by its style ("heading", "quote", or "body"), and its left
        indent in twips when it is plain text that an indent could make a block quotation
        (None for a list item, a hanging indent, a heading or a quote style)."""
        ppr = p.find(f"{_W}pPr")
        style_id = None
        if ppr is not None:
            ps = ppr.find(f"{_W}pStyle")
            style_id = ps.get(f"{_W}val") if ps is not None else None
            if ppr.find(f"{_W}outlineLvl") is not None:
                level = ppr.find(f"{_W}outlineLvl").get(f"{_W}val")
                if level is not None and level.isdigit() and int(level) < 9:
                    return "heading", None
        chain = self._chain(style_id or self.default_style)
        names = [s.name for s in chain]
        if any(_HEADING_STYLE.match(n) for n in names) or any(s.outline for s in chain):
            return "heading", None
        if any(_QUOTE_STYLE.search(n) for n in names):
            return "quote", None
        left, hanging = _indent(ppr)
        numbered = ppr is not None and ppr.find(f"{_W}numPr") is not None
        for s in chain:
            left = s.indent[0] if left is None else left
            hanging = s.indent[1] if hanging is None else hanging
            numbered = numbered or s.numbered
        if hanging or numbered:
            return "body", None
        return "body", left or 0

    def _chain(self, style_id: str | None) -> list[_Style]:
        chain, seen = [], set()
        while style_id and style_id in self.styles and style_id not in seen:  # may loop
            seen.add(style_id)
            style = self.styles[style_id]
            chain.append(style)
            style_id = style.based_on
        return chain


def _block_quotes(blocks: list[Block], kinds: list[tuple[str, int | None]]) -> None:
    """Each body block's kind: by its style, or a block quotation by its indent, which must
    go BLOCK_INDENT beyond the indent most of the document's text has (some documents
    indent all their text: a handbook's paragraphs at 0.5 inch are its body, not quotes)."""
    indents: Counter[int] = Counter()
    for block, (_, left) in zip(blocks, kinds, strict=True):
        if left is not None:
            indents[left] += len(block.text)  # the indent most of the text has
    usual = indents.most_common(1)[0][0] if indents else 0
    for block, (kind, left) in zip(blocks, kinds, strict=True):
        if left is not None and left - usual >= BLOCK_INDENT:
            kind = "quote"
        block.kind = kind


def _paragraph_groups(root: Any) -> Iterator[list[Any]]:
    """The paragraphs under `root` in document order (not the VML copies of drawings),
    a paragraph whose mark is a tracked deletion together with the one it runs on into."""
    pending: list[Any] = []
    for p in root.iter(f"{_W}p"):
        if _inside(p, root, f"{_MC}Fallback"):
            continue
        pending.append(p)
        mark = p.find(f"{_W}pPr/{_W}rPr/{_W}del")
        if mark is None:
            yield pending
            pending = []
    if pending:
        yield pending


def _inside(el: Any, root: Any, tag: str) -> bool:
    parent = el.getparent()
    while parent is not None and parent is not root:
        if parent.tag == tag:
            return True
        parent = parent.getparent()
    return False


def _locator(shown: str, number: int, unit: str) -> Callable[[int], Location]:
    return lambda offset: Location(shown, number, offset + 1, unit=unit)


def _twips(value: str | None) -> int | None:
    if value is None:
        return None
    try:
        return int(float(value))
    except ValueError:
        return None


def _indent(ppr: Any) -> tuple[int | None, int | None]:
    ind = ppr.find(f"{_W}ind") if ppr is not None else None
    if ind is None:
        return None, None
    left = ind.get(f"{_W}left") or ind.get(f"{_W}start")
    return _twips(left), _twips(ind.get(f"{_W}hanging"))


def _styles(document: Any) -> tuple[dict[str, _Style], str | None]:
    """The paragraph styles by id, and the id of the default one."""
    styles: dict[str, _Style] = {}
    default = None
    try:
        root = document.styles.element
    except Exception:  # a package without a styles part
        return styles, None
    for style in root.iter(f"{_W}style"):
        sid = style.get(f"{_W}styleId")
        if not sid:
            continue
        if style.get(f"{_W}type") == "paragraph" and style.get(f"{_W}default") in ("1", "true"):
            default = sid
        name_el = style.find(f"{_W}name")
        based = style.find(f"{_W}basedOn")
        ppr = style.find(f"{_W}pPr")
        outline = ppr.find(f"{_W}outlineLvl") if ppr is not None else None
        level = outline.get(f"{_W}val") if outline is not None else None
        styles[sid] = _Style(
            name=(name_el.get(f"{_W}val") if name_el is not None else None) or sid,
            based_on=based.get(f"{_W}val") if based is not None else None,
            indent=_indent(ppr),
            numbered=ppr is not None and ppr.find(f"{_W}numPr") is not None,
            outline=level is not None and level.isdigit() and int(level) < 9,
        )
    return styles, default
