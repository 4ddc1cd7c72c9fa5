"""A PDF -> its text layer: the running text as a reader reads it, every character located as
page, line and column.

PDFium (pypdfium2) extracts the characters, with their boxes, font sizes and the text of Form
XObjects; it is 50-100 times faster than pdfminer.six on real reports and reads text that
pdfminer drops (see README, "PDF sources"). It runs in a fenced child process
(report.readers.bounded): a hostile file cannot take more than a set memory and CPU time.
From the characters this module lays out what a reader sees:

- the "decoded file" that locations refer to is every extracted line, page after page, one
  line each (`line_labels` name them page and line on the page, headers included);
- a line in the top or bottom margin whose text (digits aside) recurs at the same height on
  another page is a running head or foot, and a lone page number is one too: dropped;
- small raised digits and marks (footnote references: `practice²`, `Karpukhin∗`) are not
  words of the sentence: left out;
- the running text (lines in the document's body type) is one flow across columns and pages:
  a paragraph ends at a short line that ends a sentence, an indented line after a sentence,
  a gap, or a heading (larger type); footnotes, captions and other small type between two
  columns or pages do not cut a sentence, they follow the flow as paragraphs of their own;
- a hyphen at a line end after a letter is ambiguous (a broken word or a compound): the text
  layer takes a guess (kept before a capital or a digit, or when the document writes the
  compound with its hyphen mid-line and never without; dropped otherwise) and records the
  place in `hyphens`, so that a quote may spell the word either way there;
- ligatures (ﬁ, ﬂ) are spelled out as letters;
- a page whose text is all invisible over an image is a scan's OCR layer: its text is
  quotable, and a note `ocr` (TextLayer.notes) so that a quote from it is warned of.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from itertools import pairwise
from statistics import median

from report.errors import CorpusError, Location
from report.readers.bounded import run_bounded
from report.readers.builder import LayerBuilder
from report.textlayer import TextLayer

_HYPHENS = "-\u2010\u00ad"  # hyphen-minus, hyphen, soft hyphen
_LIGATURES = {"\ufb00": "ff", "\ufb01": "fi", "\ufb02": "fl", "\ufb03": "ffi", "\ufb04": "ffl",
              "\ufb05": "st", "\ufb06": "st"}  # fmt: skip
_LIGATURE = re.compile("[" + "".join(_LIGATURES) + "]")
_PAGE_NUMBER = re.compile(
    r"(?:page\s*)?(?:\d{1,4}|[ivxlcdm]{1,7})(?:\s*(?:of|/)\s*\d{1,4})?", re.IGNORECASE
)
_SENTENCE_END = re.compile(r"[.!?:][\"'\u201d\u2019)\]]*$")
_CAPTION = re.compile(
    r"(?:Table|Figure|Fig\.|Chart|Exhibit|Box|Graph|Map|Abbildung|Tabelle|Tableau)\s+"
    r"[\dIVXA-Z][\w.\-]*\s*[:.\u2014\u2013]"
)
_ACCENTS = {
    "\u02c7": "\u030c", "\u00b4": "\u0301", "\u02ca": "\u0301", "`": "\u0300",
    "\u02cb": "\u0300", "\u02c6": "\u0302", "^": "\u0302", "\u02dc": "\u0303",
    "~": "\u0303", "\u00a8": "\u0308", "\u00af": "\u0304", "\u02c9": "\u0304",
    "\u02d8": "\u0306", "\u02d9": "\u0307", "\u02da": "\u030a", "\u00b8": "\u0327",
    "\u02db": "\u0328", "\u02dd": "\u030b",
}  # fmt: skip
_BROKEN_LIGATURE = re.compile("(?<=[^\\W\\d_])[\u21b5\ufffd](?=[^\\W\\d_]|-|$)")
_COMPOUND = re.compile(r"\w+(?:[-\u2010]\w+)*")
_FOOTNOTE_MARK = set("0123456789*\u2217\u2020\u2021\u00a7\u00b6,")  # digits, ∗ † ‡ § ¶
EDGE_LINES = 2  # lines at the top and at the bottom of a page that may be running heads
MARGIN = 0.12  # ... and only within this share of the page's height from its edge
SMALL, LARGE = 0.95, 1.12  # of the body type's size: footnotes and captions; headings
MAX_CHARS = 4_000_000  # characters a PDF may yield: about 1,500 pages of text
_INVISIBLE = 3  # FPDF_TEXTRENDERMODE_INVISIBLE: the OCR layer over a scanned page


def pdf_layer(data: bytes, shown: str) -> TextLayer:
    """Build the text layer of a PDF's bytes (in a fenced child process)."""
    state = run_bounded(_layer_state, data, shown, shown=shown)
    return _layer_from_state(state)


def pages_layer(data: bytes, shown: str, first: int, last: int) -> TextLayer:
    """The text layer of pages `first` to `last` (1-based) alone, laid out as a document of
    their own (report.confirm reads a quote's pages again this way)."""
    state = run_bounded(_layer_state, data, shown, (first, last), shown=shown)
    return _layer_from_state(state)


# --- extraction (in the child) -------------------------------------------------------------


@dataclass(slots=True)
class _Char:
    ch: str
    x0: float
    x1: float
    bottom: float  # distance from the page's top edge to the glyph box's bottom, in points
    top: float
    base: float  # of the baseline, from the page's top
    size: float
    generated: bool  # a space or line break PDFium inferred from the layout
    hyphen: bool  # PDFium's line-end hyphen


@dataclass(slots=True)
class _Line:
    chars: list[_Char]
    page: int
    number: int = 0  # 1-based on its page, in reading order (running heads counted)
    src: int = 0  # offset of the line in the decoded file
    text: str = ""
    size: float = 0.0  # the line's main font size
    base: float = 0.0
    x0: float = 0.0
    x1: float = 0.0
    top: float = 0.0
    bottom: float = 0.0
    height: float = 0.0  # of the page
    dropped: set[int] = field(default_factory=set)  # indices of characters that are not text
    # index -> what the character stands for: an accent set over its letter (`s` + `ˇ` is
    # `š`), a ligature whose Unicode mapping the font lacks (`↵` is `ff` in old TeX fonts)
    replaced: dict[int, str] = field(default_factory=dict)
    kind: str = "body"  # body, small, heading, furniture
    vertical: bool = False
    sizes: Counter[float] = field(default_factory=Counter)  # characters by (rounded) size
    block: int = 0
    ocr: bool = False


def _layer_state(data: bytes, shown: str, span: tuple[int, int] | None = None) -> dict:
    pages, labels = _extract(data, shown, span)
    lines = [line for page in pages for line in page]
    if not any(line.text.strip() for line in lines):
        raise CorpusError(
            "the PDF has no text layer (an image-only scan? run OCR on it first)",
            Location(shown),
        )
    layer = _lay_out(pages)
    return {
        "text": layer.text,
        "paragraphs": [list(p) for p in layer.paragraphs],
        "map": [list(x) for x in _map_runs(layer)],
        "line_starts": list(layer.line_starts),
        "labels": [list(x) for x in layer.line_labels],
        "hyphens": list(layer.hyphens),
        "page_labels": labels,
        "notes": [list(note) for note in layer.notes],
    }


def _map_runs(layer: TextLayer) -> list[tuple[int, int, int]]:
    out, src, ident = (list(a) for a in (layer.map._out, layer.map._src, layer.map._ident))
    return [(o, s, i) for o, s, i in zip(out, src, ident, strict=True)] + [(layer.map.length, 0, 0)]


def _layer_from_state(state: dict) -> TextLayer:
    from report.offsets import OffsetMap

    omap = OffsetMap()
    runs = state["map"]
    for (out, src, ident), (nxt, _, _) in pairwise(runs):
        omap.add(nxt - out, src, bool(ident))
    return TextLayer(
        state["text"],
        tuple((a, b) for a, b in state["paragraphs"]),
        omap,
        tuple(state["line_starts"]),
        tuple((a, b, c) for a, b, c in state["labels"]),
        hyphens=tuple(state["hyphens"]),
        page_labels=tuple(state["page_labels"]),
        notes=tuple((k, a, b) for k, a, b in state["notes"]),
    )


def _extract(
    data: bytes, shown: str, span: tuple[int, int] | None = None
) -> tuple[list[list[_Line]], list[str]]:
    """Every text line of every page (or of pages span[0] to span[1]) in PDFium's order
    (lines of a scan's OCR layer marked), and the printed page labels."""
    import pypdfium2 as pdfium
    import pypdfium2.raw as raw

    try:
        doc = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        reason = str(exc)
        if "password" in reason.lower():
            raise CorpusError(
                "the PDF is password-protected; save an unprotected copy in the corpus",
                Location(shown),
            ) from None
        raise CorpusError(f"cannot read the PDF: {reason}", Location(shown)) from None
    pages: list[list[_Line]] = []
    labels: list[str] = []
    total = 0
    try:
        first, last = span if span is not None else (1, len(doc))
        for index in range(max(0, first - 1), min(len(doc), last)):
            page = doc[index]
            try:
                width, height = page.get_size()
                textpage = page.get_textpage()
                total += raw.FPDFText_CountChars(textpage.raw)
                if total > MAX_CHARS:  # counted before the characters are read one by one
                    raise CorpusError(
                        f"the PDF holds more than {MAX_CHARS:,} characters of text "
                        "(about 1,500 pages); it is not read",
                        Location(shown),
                    )
                lines = _page_lines(raw, textpage.raw, width, height, index + 1)
                textpage.close()
                invisible, visible, image = _page_kind(raw, page.raw)
                ocr = invisible > 0 and visible == 0 and image
            finally:
                page.close()
            for line in lines:
                line.ocr = ocr
            pages.append(lines)
            labels.append(doc.get_page_label(index) or "")
    except pdfium.PdfiumError as exc:
        raise CorpusError(f"cannot read the PDF: {exc}", Location(shown)) from None
    finally:
        doc.close()
    return pages, labels


def _page_kind(raw, page) -> tuple[int, int, bool]:
    """The page's top-level text objects drawn invisibly and visibly, and whether it holds
    an image: all text invisible over an image is a scan's OCR layer."""
    invisible = visible = 0
    image = False
    for k in range(raw.FPDFPage_CountObjects(page)):
        obj = raw.FPDFPage_GetObject(page, k)
        kind = raw.FPDFPageObj_GetType(obj)
        if kind == raw.FPDF_PAGEOBJ_IMAGE:
            image = True
        elif kind == raw.FPDF_PAGEOBJ_TEXT:
            if raw.FPDFTextObj_GetTextRenderMode(obj) == _INVISIBLE:
                invisible += 1
            else:
                visible += 1
    return invisible, visible, image


def _page_lines(raw, tp, width: float, height: float, page: int) -> list[_Line]:
    """The page's characters grouped into lines (two calls into PDFium a character: the
    per-character work is most of the reading time)."""
    n = raw.FPDFText_CountChars(tp)
    box = raw.FS_RECTF()
    unicode, loose_box = raw.FPDFText_GetUnicode, raw.FPDFText_GetLooseCharBox
    lines: list[list[_Char]] = [[]]
    for i in range(n):
        code = unicode(tp, i)
        if code in (10, 13):
            if lines[-1]:
                lines.append([])
            continue
        current = lines[-1]
        if code == 32 or code == 0xA0:  # a space: where the character before it ends
            if current:
                prev = current[-1]
                current.append(_Char(" ", prev.x1, prev.x1, prev.bottom, prev.top, prev.base,
                                     prev.size, True, False))  # fmt: skip
            continue
        hyphen = code == 2 and raw.FPDFText_IsHyphen(tp, i) == 1  # PDFium's line-end hyphen
        ch = "-" if hyphen else _char(code)
        if not ch:
            continue
        loose_box(tp, i, box)
        if box.right < 0 or box.left > width or box.top < 0 or box.bottom > height:
            continue  # outside the page: no reader sees it (a spread's other half)
        # The loose box spans the font's ascent and descent at the size the glyph is drawn
        # (FPDFText_GetFontSize gives the size before the text matrix scales it: often 1).
        size = box.top - box.bottom
        # Its bottom is the same for every glyph on a baseline: it stands for the baseline.
        c = _Char(ch, box.left, box.right, height - box.bottom, height - box.top,
                  height - box.bottom, size, False, hyphen)  # fmt: skip
        last = next((x for x in reversed(current) if not x.generated), None)
        if last is not None and c.x0 < last.x1 - size and c.base - last.base > 0.6 * size:
            current = []  # back to the left and further down: a line PDFium did not break
            lines.append(current)
        current.append(c)
        if hyphen:  # PDFium joins the lines at its hyphen: they are two lines
            lines.append([])
    merged = _merge_lines([chars for chars in lines if chars])
    out = [_line(chars, page, height) for chars in merged]
    return [line for line in out if line.text.strip()]


def _char(code: int) -> str:
    if code == 0:
        return "\ufffd"  # a glyph the font maps to nothing (a ligature in old TeX fonts)
    if code == 0xFFFF or 0xD800 <= code <= 0xDFFF:
        return ""
    try:
        return chr(code)
    except (ValueError, OverflowError):
        return ""


def _merge_lines(lines: list[list[_Char]]) -> list[list[_Char]]:
    """PDFium breaks a line before and after raised characters (`practice²` / `, indicating`);
    a piece that continues the one before on the same baseline, to its right, is one line."""
    out: list[list[_Char]] = []
    for chars in lines:
        if out:
            prev = out[-1]
            a, b = _extent(prev), _extent(chars)
            overlap = min(a[1], b[1]) - max(a[0], b[0])
            if (
                not prev[-1].hyphen
                and chars[0].x0 >= prev[-1].x1 - 1
                and chars[0].x0 - prev[-1].x1 < 3 * max(prev[-1].size, 1)
                and overlap > 0.3 * min(a[1] - a[0], b[1] - b[0])
            ):
                last = prev[-1]
                if chars[0].x0 - last.x1 > 0.15 * max(last.size, 1) and not last.ch.isspace():
                    prev.append(_Char(" ", last.x1, last.x1, last.bottom, last.top, last.base,
                                      last.size, True, False))  # fmt: skip
                prev.extend(chars)
                continue
        out.append(chars)
    return out


def _extent(chars: list[_Char]) -> tuple[float, float]:
    real = [c for c in chars if not c.generated] or chars
    return min(c.top for c in real), max(c.bottom for c in real)


def _line(chars: list[_Char], page: int, height: float) -> _Line:
    line = _Line(chars, page)
    line.text = "".join(c.ch for c in chars)
    real = [c for c in chars if not c.generated and not c.ch.isspace()]
    if not real:
        return line
    sizes = Counter(round(c.size * 2) / 2 for c in real)
    line.size = sizes.most_common(1)[0][0]
    line.sizes = sizes
    main = [c for c in real if abs(c.size - line.size) < 0.6] or real
    line.base = median(c.base for c in main)
    line.x0, line.x1 = min(c.x0 for c in real), max(c.x1 for c in real)
    line.top, line.bottom = min(c.top for c in real), max(c.bottom for c in real)
    line.height = height
    line.dropped = _raised_marks(chars, line)
    _accents(chars, line)
    _broken_ligatures(line)
    tall, wide = line.bottom - line.top, line.x1 - line.x0
    if len(real) >= 3 and tall > 3 * line.size and wide < tall / 4:
        line.vertical = True  # set vertically, in a margin (an arXiv stamp): not the flow
    return line


def _accents(chars: list[_Char], line: _Line) -> None:
    """Spacing accents that TeX and others draw over (or under) a letter, extracted as a
    character of their own (`Baudis ˇ`): combined with the letter they sit on."""
    for k, c in enumerate(chars):
        mark = _ACCENTS.get(c.ch)
        if mark is None or c.generated:
            continue
        middle = (c.x0 + c.x1) / 2
        # PDFium may put the accent after the word: the letter is the one it sits over.
        for j in sorted(range(len(chars)), key=lambda j: abs(j - k)):
            base = chars[j]
            if j == k or not base.ch.isalpha() or base.generated or j in line.replaced:
                continue
            if base.x0 - 0.5 <= middle <= base.x1 + 0.5:
                line.replaced[j] = unicodedata.normalize("NFC", base.ch + mark)
                line.dropped.add(k)
                for i in (k - 1, k + 1):  # a space inferred beside the accent, inside a word
                    if 0 <= i < len(chars) and chars[i].generated and _glued(chars, line, i):
                        line.dropped.add(i)
                break


def _glued(chars: list[_Char], line: _Line, i: int) -> bool:
    """The characters kept on either side of index `i` touch: no space between them."""
    before = next((chars[j] for j in range(i - 1, -1, -1)
                   if j not in line.dropped and not chars[j].generated), None)  # fmt: skip
    after = next((chars[j] for j in range(i + 1, len(chars))
                  if j not in line.dropped and not chars[j].generated), None)  # fmt: skip
    if before is None or after is None:
        return False
    return -0.5 <= after.x0 - before.x1 < 0.1 * max(before.size, 1)


def _broken_ligatures(line: _Line) -> None:
    """Old TeX fonts map the ff ligature to `↵` and leave ffi and ffl unmapped: between two
    letters they are those letters."""
    text = line.text
    for m in _BROKEN_LIGATURE.finditer(text):
        k = m.start()
        line.replaced[k] = "ff" if text[k] == "\u21b5" else "ffi"


def _raised_marks(chars: list[_Char], line: _Line) -> set[int]:
    """Indices of footnote references: runs of small raised digits or marks (∗ † ‡) after a
    letter or punctuation, or opening the line (a footnote's own number), not after a digit
    (an exponent: 10⁶)."""
    out: set[int] = set()
    i, n = 0, len(chars)
    while i < n:
        c = chars[i]
        if not _raised(c, line) or c.ch not in _FOOTNOTE_MARK:
            i += 1
            continue
        j = i
        while j < n and _raised(chars[j], line) and chars[j].ch in _FOOTNOTE_MARK:
            j += 1
        before = next((chars[k].ch for k in range(i - 1, -1, -1) if not chars[k].generated), "")
        if not before.isdigit() and any(chars[k].ch != "," for k in range(i, j)):
            out.update(range(i, j))
        i = j
    return out


def _raised(c: _Char, line: _Line) -> bool:
    return (
        not c.generated
        and c.size <= 0.95 * line.size
        and c.base < line.base - 0.2 * line.size  # above the baseline (from the top: less)
    ) or (c.ch in "\u2217\u2020\u2021" and c.size <= 0.85 * line.size)


# --- layout ---------------------------------------------------------------------------------


def _lay_out(pages: list[list[_Line]]) -> TextLayer:
    for line in _running_heads(pages):
        line.kind = "furniture"
    _number(pages)
    lines = [line for page in pages for line in page]
    body_size = _body_size(lines)
    for line in lines:
        if line.kind == "furniture" or not line.size:
            continue
        if line.ocr and not line.vertical:
            continue  # an OCR engine sizes each line as it measures it: size says nothing
        # Small type when nearly all of the line is small: a line in small capitals
        # ("in the FOR FURTHER INFORMATION") has its lower-case letters at body size.
        if line.vertical or _share(line, lambda size: size < SMALL * body_size) >= 0.85:
            line.kind = "small"
        elif _share(line, lambda size: size > LARGE * body_size) >= 0.6:
            line.kind = "heading"
    _blocks(pages)
    _captions(pages)
    text = [line for line in lines if line.kind != "furniture" and _visible(line)]
    flow = [line for line in text if line.kind != "small"]
    small = [line for line in text if line.kind == "small"]
    builder = _Builder(_Words(text))
    builder.flow(flow)
    builder.flow(small, separate_blocks=True)
    starts = tuple(line.src for line in lines)
    labels = tuple((line.page, line.number, "") for line in lines)
    return builder.build(starts, labels)


class _Words:
    """The words the document writes within its lines, and its hyphenated compounds."""

    def __init__(self, lines: list[_Line]) -> None:
        self.plain: set[str] = set()
        self.compounds: set[tuple[str, str]] = set()
        for line in lines:
            for m in _COMPOUND.finditer(line.text.lower()):
                parts = re.split(r"[-\u2010]", m.group())
                self.plain.update(parts)
                self.compounds.update(pairwise(parts))


def _number(pages: list[list[_Line]]) -> None:
    """Number each page's lines as a reader counts them: the running head first, the foot
    last, the text between in reading order; and place them in the decoded file."""
    src = 0
    for k, page in enumerate(pages):
        heads = sorted((x for x in page if x.kind == "furniture" and x.top < x.height / 2),
                       key=lambda x: x.top)  # fmt: skip
        feet = sorted((x for x in page if x.kind == "furniture" and x.top >= x.height / 2),
                      key=lambda x: x.top)  # fmt: skip
        page[:] = heads + [x for x in page if x.kind != "furniture"] + feet
        pages[k] = page
        for number, line in enumerate(page, 1):
            line.number, line.src = number, src
            src += len(line.text) + 1


def _visible(line: _Line) -> bool:
    return any(
        not c.ch.isspace() for k, c in enumerate(line.chars) if k not in line.dropped
    )


def _share(line: _Line, which: Callable[[float], bool]) -> float:
    """The share of the line's characters whose size `which` picks."""
    total = sum(line.sizes.values())
    return sum(n for size, n in line.sizes.items() if which(size)) / total if total else 0.0


def _body_size(lines: list[_Line]) -> float:
    sizes: Counter[float] = Counter()
    for line in lines:
        if line.kind != "furniture" and line.size:
            sizes[line.size] += len(line.text)
    return sizes.most_common(1)[0][0] if sizes else 10.0


def _blocks(pages: list[list[_Line]]) -> None:
    """Number the blocks: runs of lines of one kind that follow each other down a column."""
    block = 0
    for page in pages:
        prev: _Line | None = None
        for line in page:
            if line.kind == "furniture":
                continue
            if prev is None or not _same_block(prev, line):
                block += 1
            line.block = block
            prev = line


def _captions(pages: list[list[_Line]]) -> None:
    """A block in body type that opens like a caption ("Table 1:", "Figure 3.") is set
    aside like small type: it does not cut the sentence it interrupts."""
    for page in pages:
        first: dict[int, _Line] = {}
        for line in page:
            first.setdefault(line.block, line)
        caption = {b for b, line in first.items() if _CAPTION.match(_head(line))}
        for line in page:
            if line.block in caption and line.kind == "body":
                line.kind = "small"


def _same_block(a: _Line, b: _Line) -> bool:
    if a.kind != b.kind or not a.size or not b.size:
        return False
    step = b.base - a.base
    if step <= 0 or step > 2.2 * max(a.size, b.size):  # up (a new column) or a gap
        return False
    return b.x0 < a.x1 and a.x0 < b.x1  # they overlap across: one column


def _running_heads(pages: list[list[_Line]]) -> list[_Line]:
    """The lines that are running headers, footers or page numbers."""
    edges: list[tuple[_Line, tuple[str, int]]] = []
    for page in pages:
        by_height = sorted((line for line in page if line.text.strip()), key=lambda x: x.top)
        candidates = by_height[:EDGE_LINES] + by_height[EDGE_LINES:][-EDGE_LINES:]
        for line in candidates:
            masked = re.sub(r"\d+", "#", " ".join(line.text.lower().split()))
            edges.append((line, (masked, round(line.top / 2))))
    pages_with = Counter(key for key in {(line.page, key) for line, key in edges})
    recurring = Counter(key for _, key in pages_with)
    # A line that recurs at the same height on two pages is a head when it lies in the page's
    # margin; on three pages, wherever it lies (a book's heads sit inside wide margins).
    return [
        line
        for line, key in edges
        if (recurring[key] >= 2 and _in_margin(line))
        or recurring[key] >= 3
        or _PAGE_NUMBER.fullmatch(line.text.strip())
    ]


def _in_margin(line: _Line) -> bool:
    return not MARGIN * line.height < line.top < (1 - MARGIN) * line.height


class _Builder:
    """Lines of running text -> paragraphs in a LayerBuilder, hyphens at line ends decided."""

    def __init__(self, words: _Words) -> None:
        self.out = LayerBuilder()
        self.words = words
        self.hyphens: list[int] = []
        self._extent: dict[int, tuple[float, float]] = {}

    def flow(self, lines: list[_Line], separate_blocks: bool = False) -> None:
        for line in lines:
            x0, x1 = self._extent.get(line.block, (line.x0, line.x1))
            self._extent[line.block] = (min(x0, line.x0), max(x1, line.x1))
        for k, line in enumerate(lines):
            nxt = lines[k + 1] if k + 1 < len(lines) else None
            if nxt is None or self._breaks(line, nxt, separate_blocks):
                self._emit(line, None)
                self.out.end_paragraph()
            elif _hyphen_at_end(line) and _head(nxt)[:1].isalpha():
                self._emit(line, nxt)  # the word goes on in the next line
            else:
                self._emit(line, None)
                self.out.line_break(line.src + len(line.text))
        self.out.end_paragraph()

    def _breaks(self, a: _Line, b: _Line, separate_blocks: bool) -> bool:
        """Whether a paragraph ends between line `a` and line `b` of the flow."""
        if a.kind == "heading" or b.kind == "heading":
            return not (a.kind == b.kind == "heading" and a.block == b.block)
        if a.block != b.block and separate_blocks:
            return True
        em = max(a.size, 1.0)
        ends = bool(_SENTENCE_END.search(_tail(a)))
        _, a_right = self._extent[a.block]
        b_left, _ = self._extent[b.block]
        short = a.x1 < a_right - 2 * em
        indented = b.x0 > b_left + 0.7 * em
        if a.block == b.block and b.base - a.base > 1.6 * max(a.size, b.size):
            return True  # a gap between two lines of one column
        # Within a column, and across a column or page break (or small type between): the
        # sentence goes on unless the line before ends one and looks like a paragraph's end.
        return ends and (short or indented)

    def _emit(self, line: _Line, joined: _Line | None) -> None:
        """The line's characters (footnote marks left out); with `joined`, the line ends in
        a hyphen that breaks a word continued there: kept or dropped, and recorded."""
        chars = line.chars
        keep = [k for k in range(len(chars)) if k not in line.dropped]
        hyphen = None
        if joined is not None:
            while keep and chars[keep[-1]].ch.isspace():
                keep.pop()
            hyphen = keep.pop()
        run: list[int] = []
        for k in keep:
            if run and (k != run[-1] + 1 or k in line.replaced or run[-1] in line.replaced):
                self._text(line, run)
                run = []
            run.append(k)
        if run:
            self._text(line, run)
        if hyphen is not None and joined is not None:
            # Recorded where it is (kept) or where the word goes on (dropped).
            self.hyphens.append(self.out.length)
            if self._keeps_hyphen(_tail(line)[:-1], _head(joined)):
                self.out.text("-", line.src + hyphen)

    def _keeps_hyphen(self, before: str, after: str) -> bool:
        """A line-end hyphen's best guess: kept before a capital or a digit (`Lucene-BM25`)
        and where the document writes the compound with its hyphen mid-line and never
        without (`well-known`); dropped otherwise (`ef-ficient`)."""
        if not after[:1].islower():
            return True
        a = re.search(r"\w+$", before)
        b = re.match(r"\w+", after)
        if not (a and b):
            return False
        x, y = a.group().lower(), b.group().lower()
        return (x, y) in self.words.compounds and x + y not in self.words.plain

    def _text(self, line: _Line, run: list[int]) -> None:
        """Consecutive characters of a line (or one that stands for something else)."""
        start = run[0]
        note = "ocr" if line.ocr else ""  # a machine's reading: quotes from it are warned of
        if start in line.replaced:
            self.out.text(line.replaced[start], line.src + start, identity=False, note=note)
            return
        _emit_text(self.out, line.text[start : run[-1] + 1], line.src + start, note)

    def build(self, starts: tuple[int, ...], labels: tuple[tuple[int, int, str], ...]):
        layer = self.out.build(starts, labels)
        return replace(layer, hyphens=tuple(self.hyphens))


def _hyphen_at_end(line: _Line) -> bool:
    tail = _tail(line)
    return len(tail) >= 2 and tail[-1] in _HYPHENS and tail[-2].isalpha()


def _kept(line: _Line) -> str:
    return "".join(
        line.replaced.get(k, c.ch) for k, c in enumerate(line.chars) if k not in line.dropped
    )


def _tail(line: _Line) -> str:
    return _kept(line).rstrip()


def _head(line: _Line) -> str:
    return _kept(line).lstrip()


def _emit_text(builder: LayerBuilder, text: str, src: int, note: str = "") -> None:
    """A line's text, ligatures (ﬁ, ﬂ) spelled out as letters."""
    pos = 0
    for m in _LIGATURE.finditer(text):
        builder.text(text[pos : m.start()], src + pos, note=note)
        builder.text(_LIGATURES[m.group()], src + m.start(), identity=False, note=note)
        pos = m.end()
    builder.text(text[pos:], src + pos, note=note)
