"""A PDF -> its text layer: paragraphs of running text, hyphenated words re-joined, running
headers and footers dropped, every character located as page, line and column.

pdfminer.six reads the PDF because its layout analysis gives what this needs and plain
extractors (pypdf's `extract_text`) do not: text lines with their position on the page,
grouped into text boxes (paragraphs) in reading order, across columns. From those:

- the "decoded file" that locations refer to is every extracted line, page after page, one
  line each (`line_labels` name them page and line on the page, headers included);
- a line in the top or bottom margin of a page whose text (digits aside) recurs at the same
  height on another page is a running header or footer, and a lone page number is one too:
  dropped;
- a line ending in a hyphen after a letter, followed by one starting in lower case, is a word
  broken at the line end: re-joined without the hyphen, unless the document elsewhere writes
  that word with its hyphen mid-line ("well-known") and never without;
- a paragraph cut by a page break (no sentence end before it, lower case after) is joined up.
"""

from __future__ import annotations

import io
import re
from collections import Counter
from dataclasses import dataclass

from report.errors import CorpusError, Location
from report.readers.builder import LayerBuilder
from report.textlayer import TextLayer

_HYPHENS = "-\u2010\u00ad"  # hyphen-minus, hyphen, soft hyphen
_LIGATURES = {"\ufb00": "ff", "\ufb01": "fi", "\ufb02": "fl", "\ufb03": "ffi", "\ufb04": "ffl",
              "\ufb05": "st", "\ufb06": "st"}  # fmt: skip
_LIGATURE = re.compile("[" + "".join(_LIGATURES) + "]")
_PAGE_NUMBER = re.compile(
    r"(?:page\s*)?(?:\d{1,4}|[ivxlcdm]{1,7})(?:\s*(?:of|/)\s*\d{1,4})?", re.IGNORECASE
)
_SENTENCE_END = re.compile(r"[.!?:;\"'\u201d\u2019)\]]\s*$")
EDGE_LINES = 2  # lines at the top and at the bottom of a page that may be running heads
MARGIN = 0.12  # ... and only within this share of the page's height from its edge


@dataclass(frozen=True, slots=True)
class _Line:
    text: str  # as extracted, without its line end
    src: int  # offset of the line in the extracted text
    page: int
    number: int  # 1-based, on its page, in reading order (running heads counted)
    top: float  # distance from the page's top edge, in points
    height: float  # of the page, in points
    box: int  # the text box (paragraph) it belongs to, numbered across the document


def pdf_layer(data: bytes, shown: str) -> TextLayer:
    """Build the text layer of a PDF's bytes."""
    pages = _extract(data, shown)
    lines = [line for page in pages for line in page]
    if not any(line.text.strip() for line in lines):
        raise CorpusError(
            "the PDF has no text layer (a scanned document? run OCR on it first)",
            Location(shown),
        )
    furniture = _running_heads(pages)
    body = [line for line in lines if line.src not in furniture and line.text.strip()]
    document = "\n".join(line.text for line in body).lower()
    builder = LayerBuilder()
    for paragraph in _paragraphs(body):
        for k, line in enumerate(paragraph):
            lead = len(line.text) - len(line.text.lstrip())
            text = line.text.strip()
            following = paragraph[k + 1].text.strip() if k + 1 < len(paragraph) else ""
            join = _word_break(text, following, document)
            if join == "drop":
                text = text[:-1]
            _emit(builder, text, line.src + lead)
            if following and not join:
                builder.line_break(line.src + len(line.text))
        builder.end_paragraph()
    starts = tuple(line.src for line in lines)
    labels = tuple((line.page, line.number, "") for line in lines)
    return builder.build(starts, labels)


def _extract(data: bytes, shown: str) -> list[list[_Line]]:
    """Every text line of every page, in pdfminer's reading order."""
    from pdfminer.high_level import extract_pages
    from pdfminer.layout import LAParams, LTTextContainer, LTTextLine

    pages: list[list[_Line]] = []
    src = box = 0
    try:
        for number, page in enumerate(extract_pages(io.BytesIO(data), laparams=LAParams()), 1):
            out: list[_Line] = []
            for element in page:
                if not isinstance(element, LTTextContainer):
                    continue
                box += 1
                rows = [element] if isinstance(element, LTTextLine) else list(element)
                for row in rows:
                    if isinstance(row, LTTextLine):
                        text = row.get_text().rstrip("\n").replace("\n", " ")
                        top = page.height - row.y1
                        out.append(_Line(text, src, number, len(out) + 1, top, page.height, box))
                        src += len(text) + 1
            pages.append(out)
    except Exception as exc:  # pdfminer raises many kinds of errors on damaged files
        reason = str(exc) or type(exc).__name__
        raise CorpusError(f"cannot read the PDF: {reason}", Location(shown)) from None
    return pages


def _running_heads(pages: list[list[_Line]]) -> set[int]:
    """Offsets of the lines that are running headers, footers or page numbers."""
    edges: list[tuple[_Line, tuple[str, int]]] = []
    for page in pages:
        by_height = sorted((line for line in page if line.text.strip()), key=lambda x: x.top)
        candidates = by_height[:EDGE_LINES] + by_height[EDGE_LINES:][-EDGE_LINES:]
        for line in candidates:
            if MARGIN * line.height < line.top < (1 - MARGIN) * line.height:
                continue  # in the type area: text, however often it recurs
            masked = re.sub(r"\d+", "#", " ".join(line.text.lower().split()))
            edges.append((line, (masked, round(line.top / 2))))
    pages_with = Counter(key for key in {(line.page, key) for line, key in edges})
    recurring = Counter(key for _, key in pages_with)
    return {
        line.src
        for line, key in edges
        if recurring[key] >= 2 or _PAGE_NUMBER.fullmatch(line.text.strip())
    }


def _paragraphs(body: list[_Line]) -> list[list[_Line]]:
    """Lines grouped by text box; a box cut by a page break is joined to the next page's."""
    out: list[list[_Line]] = []
    for line in body:
        if out and (out[-1][-1].box == line.box or _continues(out[-1][-1], line)):
            out[-1].append(line)
        else:
            out.append([line])
    return out


def _continues(last: _Line, first: _Line) -> bool:
    if first.page != last.page + 1:
        return False
    text, following = last.text.strip(), first.text.strip()
    return bool(following[:1].islower()) and (
        text[-1:] in _HYPHENS or not _SENTENCE_END.search(text)
    )


def _word_break(text: str, following: str, document: str) -> str:
    """How a line ending joins the next line: "drop" the hyphen of a word broken in two,
    "keep" it for a hyphenated compound, or "" (a line break: a space)."""
    if not following or text[-1:] not in _HYPHENS:
        return ""
    if text[-1] == "\u00ad":
        return "drop"
    if len(text) < 2 or not text[-2].isalpha() or not following[0].islower():
        return ""
    before = re.search(r"\w+$", text[:-1])
    after = re.match(r"\w+", following)
    if before and after:
        a, b = before.group().lower(), after.group().lower()
        hyphened = re.search(rf"(?<!\w){re.escape(a)}[-\u2010]{re.escape(b)}(?!\w)", document)
        if hyphened and not re.search(rf"(?<!\w){re.escape(a + b)}(?!\w)", document):
            return "keep"
    return "drop"


def _emit(builder: LayerBuilder, text: str, src: int) -> None:
    """A line's text, ligatures (ﬁ, ﬂ) spelled out as letters."""
    pos = 0
    for m in _LIGATURE.finditer(text):
        builder.text(text[pos : m.start()], src + pos)
        builder.text(_LIGATURES[m.group()], src + m.start(), identity=False)
        pos = m.end()
    builder.text(text[pos:], src + pos)
