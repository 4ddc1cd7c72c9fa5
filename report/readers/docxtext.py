"""A Word file (.docx) -> its text layer: the body's paragraphs (tables' cells included), then
the footnotes, each located as paragraph or footnote number and column.

python-docx reads the file (it is already how `report` writes Word). It has no footnote API,
so the footnotes part is read from the same package with python-docx's own XML parser.
Footnote reference marks are not text (Word draws their numbers), so a quote that runs across
one matches; the footnotes themselves follow the body as paragraphs of their own. The
"decoded file" that locations refer to is one line per paragraph: body paragraphs are `¶n`
(empty ones not counted), footnotes `fnN` in the order the text refers to them.
"""

from __future__ import annotations

import io
from collections.abc import Iterator

from report.errors import CorpusError, Location
from report.readers.builder import LayerBuilder
from report.textlayer import TextLayer

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_NOT_NOTES = {"separator", "continuationSeparator", "continuationNotice"}


def docx_layer(data: bytes, shown: str) -> TextLayer:
    """Build the text layer of a .docx file's bytes."""
    try:
        texts = list(_paragraph_texts(data))
    except CorpusError:
        raise
    except Exception as exc:  # python-docx, zipfile and lxml each raise their own kinds
        reason = str(exc) or type(exc).__name__
        raise CorpusError(f"cannot read the Word file: {reason}", Location(shown)) from None
    builder = LayerBuilder()
    starts: list[int] = []
    labels: list[tuple[int, int, str]] = []
    src = 0
    for unit, number, text in texts:
        line = text.replace("\n", " ")  # a manual line break stays inside its paragraph
        starts.append(src)
        labels.append((0, number, unit))
        for k, piece in enumerate(text.split("\n")):
            if k:
                builder.line_break(src - 1)
            builder.text(piece, src)
            src += len(piece) + 1
        builder.end_paragraph()
        src = starts[-1] + len(line) + 1
    return builder.build(tuple(starts), tuple(labels))


def _paragraph_texts(data: bytes) -> Iterator[tuple[str, int, str]]:
    """(unit, number, text) of every non-empty paragraph: the body's, then the footnotes'."""
    import docx
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docx.oxml import parse_xml
    from docx.text.paragraph import Paragraph

    document = docx.Document(io.BytesIO(data))
    body = document.element.body
    number = 0
    order: list[str] = []  # footnote ids in the order the body refers to them
    for p in body.iter(f"{_W}p"):
        for ref in p.iter(f"{_W}footnoteReference"):
            order.append(ref.get(f"{_W}id"))
        text = Paragraph(p, document).text
        if text.strip():
            number += 1
            yield "¶", number, text
    notes = [rel.target_part for rel in document.part.rels.values() if rel.reltype == RT.FOOTNOTES]
    if not notes:
        return
    root = parse_xml(notes[0].blob)
    by_id = {
        note.get(f"{_W}id"): note
        for note in root.iter(f"{_W}footnote")
        if note.get(f"{_W}type") not in _NOT_NOTES
    }
    ids = [i for i in dict.fromkeys(order) if i in by_id]
    ids += [i for i in by_id if i not in ids]  # notes the body never refers to, last
    for k, note_id in enumerate(ids, 1):
        for p in by_id[note_id].iter(f"{_W}p"):
            text = Paragraph(p, document).text
            if text.strip():
                yield "fn", k, text
