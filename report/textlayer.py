"""A source file's text -> its text layer: plain text without markup, paragraphs kept,
and a map from every character back to the original file's line and column.

Plain-text sources (`.txt` and any suffix without a reader of its own) are read line by
line, and the loose Markdown that text exports carry is dropped: blank lines (and horizontal
rules and headings) end paragraphs; links `[words](url)` keep their words; emphasis markers,
images and HTML tags are dropped; HTML entities are decoded. Paragraphs are joined with a
blank line, so the text layer reads like the file without its markup. Markdown files (`.md`)
are parsed as CommonMark by report.readers.mdtext, which builds the same TextLayer.
"""

from __future__ import annotations

import html
import re
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass

from report.errors import Location
from report.offsets import OffsetMap

# Inline markup, tried left to right at each position. Groups named `keep` survive.
# No pattern may scan past the start of another of its kind (no `[` inside link text, no
# `*` inside `*emphasis*`, no `<!--` inside a comment): an unclosed opener then costs a
# scan to the next opener, not to the end of the line, and a long line of unclosed
# openers stays linear instead of taking minutes.
_URL = r"\((?:[^()\s]|\([^()\s]*\))*(?:\s+\"[^\"\n]*\")?\)"
_IMAGE = r"!\[(?P<alt>[^\[\]\n]*)\]" + _URL  # dropped entirely
_LINK = r"\[(?P<link>[^\[\]\n]+)\]" + _URL  # [words](url): the words are kept
_INLINE = re.compile(
    _IMAGE + "|" + _LINK + "|"
    r"<(?i:script)\b[^>]*>(?:(?!<(?i:script)\b).)*?</(?i:script)\s*>"  # script and style:
    r"|<(?i:style)\b[^>]*>(?:(?!<(?i:style)\b).)*?</(?i:style)\s*>"  # content dropped too
    r"|</?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?/?>"  # an HTML tag (content is kept)
    r"|<!--(?:(?!<!--).)*?-->"  # an HTML comment
    r"|&(?:#[0-9]{1,7}|#[xX][0-9A-Fa-f]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});"  # an entity
    r"|[\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f]+"  # control characters (ESC...): not text
    r"|(?<![\w*])(?P<em>\*{1,3})(?=[^\s*])(?P<emtext>[^*]+?)(?<=[^\s*])(?P=em)(?![\w*])"
    r"|(?<![\w_])(?P<us>_{1,3})(?=[^\s_])(?P<ustext>[^_]+?)(?<=[^\s_])(?P=us)(?![\w_])"
)
# A character that every inline markup pattern begins with.
_MAY_BE_MARKUP = re.compile(r"[!\[<&*_\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f]")
# No `^`: .match(line, pos) anchors at pos, which is past the `>` of a blockquote line.
_HEADING = re.compile(r" {0,3}#{1,6}(?:[ \t]+|$)")
_RULE = re.compile(r"^ {0,3}(?:(?:-[ \t]*){3,}|(?:\*[ \t]*){3,}|(?:_[ \t]*){3,})$")
_BLOCKQUOTE = re.compile(r"^ {0,3}>[ \t]?")
_CLOSING_HASHES = re.compile(r"[ \t]+#+[ \t]*$")
_BLOCK_STARTS = frozenset(" \t#>-*_")


@dataclass(frozen=True, slots=True)
class TextLayer:
    """Plain text of a source, its paragraphs, and the way back to the file."""

    text: str
    paragraphs: tuple[tuple[int, int], ...]  # [start, end) offsets in `text`
    map: OffsetMap  # text offset -> offset in the decoded file
    line_starts: Sequence[int]  # offsets in the decoded file where each line starts
    # How each line of the decoded file is named when it is not simply "line k": for a PDF
    # (page, line on the page, ""), for Word (0, paragraph or footnote number, "¶" or "fn").
    # The "decoded file" of such sources is the text their reader extracted, one line each.
    line_labels: tuple[tuple[int, int, str], ...] = ()
    # Hyphens at a PDF line end that may be a broken word's or a compound's: the layer offset
    # of the "-" where the layer keeps it, of the word's next letter where it joins the word;
    # a quote may spell the word either way there (SourceText.joined, report.match).
    hyphens: tuple[int, ...] = ()
    page_labels: tuple[str, ...] = ()  # a PDF's printed page labels ("" where it has none)
    # Stretches of the text a reader should be told about when a quote comes from them:
    # (kind, start, end) in text offsets, e.g. ("struck", 10, 25) for struck-through or
    # deleted Word text. report.verify turns each kind into a warning (NOTE_WARNINGS).
    notes: tuple[tuple[str, int, int], ...] = ()

    def line_col(self, pos: int) -> tuple[int, int]:
        """1-based line and column in the original file of text offset `pos`."""
        src = self.map(pos)
        line = bisect_right(self.line_starts, src)
        return line, src - self.line_starts[line - 1] + 1

    def location(self, file: str, pos: int) -> Location:
        """Where text offset `pos` is in `file`: line:col, or page/paragraph for PDF and Word."""
        line, col = self.line_col(pos)
        if not self.line_labels:
            return Location(file, line, col)
        page, number, unit = self.line_labels[min(line, len(self.line_labels)) - 1]
        return Location(file, number, col, page, unit)

    def paragraph_index(self, pos: int) -> int:
        """Index of the paragraph that holds text offset `pos` (or the one before a gap)."""
        starts = [p[0] for p in self.paragraphs]
        return max(0, bisect_right(starts, pos) - 1)


def line_starts(source: str) -> tuple[int, ...]:
    starts = [0]
    find = source.find
    i = find("\n")
    while i != -1:
        starts.append(i + 1)
        i = find("\n", i + 1)
    return tuple(starts)


def text_layer(source: str) -> TextLayer:
    """Build the text layer of a decoded plain-text or Markdown source."""
    text, paragraphs, omap = _read(source, OffsetMap())
    return TextLayer(text, paragraphs, omap, line_starts(source))


def paragraph_texts(source: str) -> list[str]:
    """The text layer's paragraphs alone, without the map back to the file (a fifth less
    work: what the passage index reads of a corpus's many files)."""
    text, paragraphs, _ = _read(source, None)
    return [text[a:b] for a, b in paragraphs]


def _read(
    source: str, omap: OffsetMap | None
) -> tuple[str, tuple[tuple[int, int], ...], OffsetMap | None]:
    out: list[str] = []
    paragraphs: list[tuple[int, int]] = []
    para_start: int | None = None
    length = 0

    def end_paragraph() -> None:
        nonlocal para_start
        if para_start is not None:
            paragraphs.append((para_start, length))
            para_start = None

    def emit(text: str, src: int, identity: bool = True) -> None:
        nonlocal length
        out.append(text)
        if omap is not None:
            omap.add(len(text), src, identity)
        length += len(text)

    pos = 0
    blank = False  # a blank line since the last text: the paragraph ends, unless...
    for line in source.split("\n"):
        line_pos = pos
        pos += len(line) + 1
        if not line or line.isspace():
            blank = True
            continue
        body_start = 0
        heading = None
        # Rules, block quotes and headings all begin with one of these (after at most three
        # spaces): most lines are spared three regexes.
        if line[0] in _BLOCK_STARTS:
            if _RULE.match(line):
                end_paragraph()
                continue
            quote = _BLOCKQUOTE.match(line)
            if quote:
                body_start = quote.end()
            heading = _HEADING.match(line, body_start)
        if heading:
            end_paragraph()
            body_start = heading.end()
            closing = _CLOSING_HASHES.search(line, body_start)
            body_end = closing.start() if closing else len(line)
        else:
            body_end = len(line)
        # Leading and trailing white space of a line is layout, not text.
        while body_start < body_end and line[body_start].isspace():
            body_start += 1
        while body_end > body_start and line[body_end - 1].isspace():
            body_end -= 1
        chunks = _inline(line, body_start, body_end) if body_start < body_end else []
        if not any(text for text, _, _ in chunks):  # nothing but markup: no paragraph
            if heading:
                end_paragraph()
            continue
        if blank and not (heading or _continues(out, chunks)):
            end_paragraph()
        blank = False
        if para_start is None:
            if paragraphs:
                emit("\n\n", line_pos, identity=False)
            para_start = length
        else:
            emit("\n", line_pos - 1, identity=False)  # a line break inside a paragraph
        for text, src, ident in chunks:
            emit(text, line_pos + src, ident)
        if heading:
            end_paragraph()
    end_paragraph()
    return "".join(out), tuple(paragraphs), omap


def _continues(out: list[str], chunks: list[tuple[str, int, bool]]) -> bool:
    """A blank line inside a sentence ("sanctions\n\nnotwithstanding.") is a conversion
    artefact, not a paragraph break: the text before it ends in a letter, digit or comma
    and the text after it begins with a lower-case letter."""
    before = out[-1][-1:] if out else ""
    after = next((t[:1] for t, _, _ in chunks if t), "")
    return (before.isalnum() or before == ",") and after.islower()


def _inline(line: str, start: int, end: int) -> list[tuple[str, int, bool]]:
    """Inline markup of line[start:end] removed: chunks of (text, offset in line, identity)."""
    if not _MAY_BE_MARKUP.search(line, start, end):  # most lines: no markup at all
        return [(line[start:end], start, True)]
    chunks: list[tuple[str, int, bool]] = []
    pos = start
    for m in _INLINE.finditer(line, start, end):
        if m.start() > pos:
            chunks.append((line[pos : m.start()], pos, True))
        token = m.group()
        if m.group("link") is not None:
            chunks.extend(_inline(line, m.start("link"), m.end("link")))
        elif m.group("emtext") is not None:
            chunks.extend(_inline(line, m.start("emtext"), m.end("emtext")))
        elif m.group("ustext") is not None:
            chunks.extend(_inline(line, m.start("ustext"), m.end("ustext")))
        elif token.startswith("&"):
            decoded = html.unescape(token)
            if decoded == token or len(decoded) != 1:
                chunks.append((token, m.start(), True))  # not an entity we know: keep as text
            else:
                chunks.append((decoded, m.start(), False))
        # images, tags and comments vanish
        pos = m.end()
    if pos < end:
        chunks.append((line[pos:end], pos, True))
    return chunks
