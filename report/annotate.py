"""An audited Word draft -> a copy of it with a Word comment on each finding (python-docx's
comments API), for the editor to read where they work.

Each comment is anchored on the quotation it is about, quotation marks included, and says
what `report audit` says of it: the finding, the closest passage and the word difference,
and any warning. A comment that begins or ends inside a run splits that run in two with the
same formatting, so the text and its look do not change. A quotation inside a footnote or
endnote gets its comment on the note's reference mark in the text (LibreOffice cannot open
a .docx with a comment inside a note; Word shows the mark's comment on the same page).

The copy is the draft's own package with only what comments need changed: the main
document part (the comment marks), the comments part (added, or extended when the draft
has comments of its own), the main part's relationships and the content types. Every other
part is copied byte for byte, tracked changes and all. The draft itself is never written.
"""

from __future__ import annotations

import copy
import io
import re
import zipfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from report.errors import DraftError, Location
from report.findings import QuoteResult, Run, Status

if TYPE_CHECKING:
    from report.audit import Audited
    from report.draft import Block
    from report.quotations import Quotation
    from report.readers.docxdraft import Piece, WordDraft

AUTHOR, INITIALS = "report", "R"
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
_CT = "{http://schemas.openxmlformats.org/package/2006/content-types}"
_LABEL = re.compile(r"^(\w+:)\s+")
_COMMENTS_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.comments+xml"


def write_annotated(done: Audited, run: Run, target: Path, everything: bool = False) -> Path:
    """Write the annotated copy of the audited Word draft to `target` (atomically): a
    comment on every quotation that fails or has a warning, and with `everything` on every
    audited one."""
    from report.atomic import write_atomic
    from report.readers.docxdraft import WordDraft

    draft = done.draft
    where = Location(str(target))
    if not isinstance(draft.handle, WordDraft):
        raise DraftError("--annotate writes Word comments: the draft is not a Word file", where)
    if target.suffix.lower() != ".docx":
        raise DraftError("--annotate writes a Word file: give it the suffix .docx", where)
    if target.exists() and target.resolve() == draft.path.resolve():
        raise DraftError("--annotate would overwrite the draft: name another file", where)
    data = annotated(done, run, everything)
    try:
        write_atomic(target, data)
    except OSError as exc:
        raise DraftError(f"cannot write: {exc.strerror}", where) from None
    return target


def annotated(done: Audited, run: Run, everything: bool = False) -> bytes:
    """The bytes of the annotated copy."""
    word: WordDraft = done.draft.handle
    for result, quotation in zip(done.results, done.about, strict=True):
        if not (everything or result.failed(run.strict) or result.warnings):
            continue
        block = done.draft.blocks[quotation.block]
        if block.kind == "note":
            ref = done.draft.notes[block.note].handle
            first = last = ref
        else:
            first, last = _isolate(word, block, quotation)
        _comment(word.document, first, last, comment_text(done, result, quotation))
    saved = io.BytesIO()
    word.document.save(saved)
    return _merged(word, saved.getvalue())


def comment_text(done: Audited, result: QuoteResult, quotation: Quotation) -> str:
    """What a comment says: the finding as `report audit` prints it, without colour."""
    from report.messages import details, excerpt_line, headline

    lines = []
    block = done.draft.blocks[quotation.block]
    if block.kind == "note":
        note = done.draft.notes[block.note]
        lines.append(f"In {note.label}: “{quotation.text}”")
    if result.status is Status.NOT_IN_CORPUS:
        lines.extend(f"report: {w.kind.label}: {w.message}" for w in result.warnings)
        return click.unstyle("\n".join(lines))
    if result.status.failed:
        lines.append(f"report: {result.status.label}: {headline(result)}")
        # `quote:   …` lines up in a terminal; in a comment one space reads better
        lines.extend(_LABEL.sub(r"\1 ", line.strip()) for line in details(result))
    else:
        lines.append(f"report: verified: {headline(result)}")
    for w in result.warnings:
        lines.append(f"warning: {w.kind.label}: {w.message}")
        if w.excerpt is not None:
            lines.append(f"source: {excerpt_line(w.excerpt)}")
    return click.unstyle("\n".join(lines))


def _isolate(word: WordDraft, block: Block, q: Quotation) -> tuple[Any, Any]:
    """The first and last runs of the quotation's stretch, splitting the runs its edges
    fall inside."""
    for pos in (q.end, q.start):  # the end first: splitting there moves no earlier text
        _boundary(word.pieces(block), pos)
    pieces = [p for p in word.pieces(block) if p.start < q.end and p.end > q.start]
    return pieces[0].run, pieces[-1].run


def _boundary(pieces: list[Piece], pos: int) -> None:
    """Make `pos` a run boundary (a no-op where it is one already)."""
    for piece in pieces:
        if piece.start < pos < piece.end:  # inside a w:t
            _split(piece.run, piece.child, pos - piece.start)
            return
        if piece.start == pos:
            _split(piece.run, piece.child, 0)
            return


def _split(run: Any, child: Any, offset: int) -> None:
    """Split `run` at `offset` characters into `child`: what comes before stays in `run`,
    the rest moves into a copy of it (same properties) right after it."""
    content = [c for c in run if c.tag != f"{_W}rPr"]
    k = content.index(child)
    if k == 0 and offset == 0:
        return
    twin = copy.deepcopy(run)
    twin_content = [c for c in twin if c.tag != f"{_W}rPr"]
    if offset:
        text = child.text or ""
        child.text, twin_content[k].text = text[:offset], text[offset:]
        for t in (child, twin_content[k]):
            t.set(_XML_SPACE, "preserve")
        keep_from = k + 1
    else:
        keep_from = k
    for c in content[keep_from:]:
        run.remove(c)
    for c in twin_content[:k]:
        twin.remove(c)
    run.addnext(twin)


def _comment(document: Any, first: Any, last: Any, text: str) -> None:
    """A comment over the runs from `first` to `last`; its reference mark goes right after
    the range, outside any insertion or link (a rejected insertion must not take it)."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    from report.render.docx_footnotes import xml_text

    comment = document.comments.add_comment(text=xml_text(text), author=AUTHOR, initials=INITIALS)
    for p in comment.paragraphs:  # LibreOffice folds runs of spaces unless told not to
        for t in p._p.iter(qn("w:t")):
            t.set(qn("xml:space"), "preserve")
    cid = {qn("w:id"): str(comment.comment_id)}
    first.addprevious(OxmlElement("w:commentRangeStart", cid))
    end = OxmlElement("w:commentRangeEnd", cid)
    last.addnext(end)
    ref = OxmlElement("w:r")
    rpr = OxmlElement("w:rPr")
    rpr.append(OxmlElement("w:rStyle", {qn("w:val"): "CommentReference"}))
    ref.append(rpr)
    ref.append(OxmlElement("w:commentReference", cid))
    anchor = end
    while anchor.getparent() is not None and anchor.getparent().tag != f"{_W}p":
        anchor = anchor.getparent()
    anchor.addnext(ref)


def _merged(word: WordDraft, saved: bytes) -> bytes:
    """The draft's package with the parts comments changed taken from `saved`."""
    from docx.opc.constants import RELATIONSHIP_TYPE as RT

    part = word.document.part
    main = str(part.partname).lstrip("/")
    rels = str(part.partname.rels_uri).lstrip("/")
    comments = [
        str(r.target_part.partname).lstrip("/")
        for r in part.rels.values()
        if r.reltype == RT.COMMENTS and not r.is_external
    ]
    changed = {main, rels, *comments}
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(word.data)) as old,
        zipfile.ZipFile(io.BytesIO(saved)) as new,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst,
    ):
        old_names = set(old.namelist())
        for info in old.infolist():
            if info.filename == "[Content_Types].xml":
                data = _content_types(old.read(info), comments)
            elif info.filename in changed:
                data = new.read(info.filename)
            else:
                data = old.read(info)
            dst.writestr(info, data)
        for name in changed - old_names:
            dst.writestr(new.getinfo(name), new.read(name))
    return out.getvalue()


def _content_types(data: bytes, comments: list[str]) -> bytes:
    """The draft's content types, with the comments part declared."""
    from lxml import etree

    root = etree.fromstring(data)
    declared = {o.get("PartName") for o in root.iter(f"{_CT}Override")}
    for name in comments:
        if f"/{name}" not in declared:
            etree.SubElement(
                root, f"{_CT}Override", PartName=f"/{name}", ContentType=_COMMENTS_TYPE
            )
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
