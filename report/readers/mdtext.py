"""A Markdown file (.md, .markdown, .qmd, .rmd) -> its text layer: the text a reader of the
rendered page sees, paragraphs kept, every character mapped back to `file:LINE:COL`.

markdown-it-py (CommonMark, with tables and ~~strikethrough~~) reads the structure: headings,
paragraphs, list items, block quotes, table cells and code blocks are paragraphs of their
own; emphasis, links (inline, reference `[text][ref]`, autolinks) and code-span backticks are
markup around text, also where they run over a line break; images, link reference
definitions and TOML (`+++`) or YAML (`---`) front matter are not text at all; HTML keeps
only its text (tags, comments, scripts and styles dropped); references like `&amp;` are
decoded. A blank line inside a sentence (text ending in a letter, digit or comma, the next
paragraph beginning in lower case) is a conversion artefact and does not end the paragraph.

The parser's tokens say which lines a block spans and what its inline text is, but not
where each piece of text is on the line; that is found by walking the block's raw inline
source alongside the tokens (markup skipped, escapes and references matched), so a
finding's column is exact.

Plain text (`.txt` and any other suffix) keeps report.textlayer's line reader: it is three
to five times faster on a large corpus and reads the seeds' loose Markdown the same way.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field

from report.offsets import OffsetMap
from report.textlayer import TextLayer, _inline, line_starts

_FRONT = re.compile(r"(?:\+\+\+|---)[ \t]*\n")
_ENTITY = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9A-Fa-f]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
_SKIPPABLE = frozenset("*_~`[]!<> \t\n")  # markup between two pieces of inline text
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f-\x84\x86-\x9f]+")
_ASCII_PUNCT = frozenset("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")

_parser = None


def _markdown():
    global _parser
    if _parser is None:
        from markdown_it import MarkdownIt

        _parser = MarkdownIt("commonmark").enable(["table", "strikethrough"])
    return _parser


@dataclass
class _Block:
    """A paragraph of the layer: pieces (text, offset in the file, identity) and breaks."""

    pieces: list[tuple[str, int, bool]] = field(default_factory=list)
    joins: bool = False  # a paragraph that may continue the one before (see _continues)

    def text(self) -> str:
        return "".join(t for t, _, _ in self.pieces if t != "\n")


def markdown_layer(source: str) -> TextLayer:
    """Build the text layer of a decoded Markdown source."""
    starts = line_starts(source)
    lines = source.split("\n")
    skipped = _front_matter(source)
    parsed = "\n" * skipped + "\n".join(lines[skipped:])  # line numbers stay the file's
    blocks: list[_Block] = []
    tokens = _markdown().parse(parsed)
    for k, token in enumerate(tokens):
        if token.type == "inline" and token.map is not None:
            # a paragraph right after another (only a blank line between) may continue it
            joins = k >= 3 and [t.type for t in tokens[k - 3 : k]] == [
                "inline", "paragraph_close", "paragraph_open"
            ]  # fmt: skip
            block = _Block(joins=joins)
            _inline_block(token, lines, starts, block)
            blocks.append(block)
        elif token.type in ("fence", "code_block") and token.map is not None:
            blocks.extend(_code_block(token, lines, starts))
        elif token.type == "html_block" and token.map is not None:
            blocks.append(_html_block(token, lines, starts))
    return _layer(blocks, starts)


def _layer(blocks: list[_Block], starts: tuple[int, ...]) -> TextLayer:
    """The blocks laid out as report.textlayer lays out text: lines of a paragraph joined by
    a line break, paragraphs by a blank line; each piece mapped to where it is in the file."""
    out: list[str] = []
    omap = OffsetMap()
    paragraphs: list[tuple[int, int]] = []
    length = 0
    para_start: int | None = None
    previous = ""

    def emit(text: str, src: int, identity: bool) -> None:
        nonlocal length
        out.append(text)
        omap.add(len(text), src, identity)
        length += len(text)

    for block in blocks:
        text = block.text()
        if not text.strip():
            continue
        first = block.pieces[0][1]
        if para_start is not None and block.joins and _continues(previous, text):
            emit("\n", first, False)
        else:
            if para_start is not None:
                paragraphs.append((para_start, length))
                emit("\n\n", first, False)
            para_start = length
        for piece, src, identity in block.pieces:
            if piece == "\n":
                emit("\n", src, False)
            elif _CONTROL.search(piece) is None:
                emit(piece, src, identity)
            else:  # control characters (ESC, BEL...) are not text
                pos = 0
                for m in _CONTROL.finditer(piece):
                    if m.start() > pos:
                        emit(piece[pos : m.start()], src + pos, identity)
                    pos = m.end()
                if pos < len(piece):
                    emit(piece[pos:], src + pos, identity)
        previous = text
    if para_start is not None:
        paragraphs.append((para_start, length))
    return TextLayer("".join(out), tuple(paragraphs), omap, starts)


def _front_matter(source: str) -> int:
    """How many lines a TOML (`+++`) or YAML (`---`) front matter block at the top takes."""
    m = _FRONT.match(source)
    if m is None:
        return 0
    fence = source[:3]
    lines = source.split("\n", 2000)
    for k in range(1, len(lines)):
        if lines[k].rstrip() in (fence, "...") and (fence == "---" or lines[k].rstrip() == fence):
            return k + 1
    return 0


def _continues(before: str, after: str) -> bool:
    """A blank line inside a sentence ("sanctions\\n\\nnotwithstanding.") is a conversion
    artefact: the text before ends in a letter, digit or comma and the text after begins
    with a lower-case letter (as report.textlayer)."""
    last = before.rstrip()[-1:]
    first = after.lstrip()[:1]
    return (last.isalnum() or last == ",") and first.islower()


def _line_offsets(
    content: str, first_line: int, lines: list[str], starts: tuple[int, ...]
) -> list[int]:
    """Where each line of a block's content (the block's lines with their quote and list
    markers and indentation taken off) starts in the file: every content line is the end of
    its file line."""
    out = []
    cursor = 0
    for k, part in enumerate(content.split("\n")):
        line_no = first_line + k
        raw = lines[line_no] if line_no < len(lines) else ""
        at = raw.find(part, cursor if k == 0 else 0) if part else len(raw)
        if at < 0:
            at = max(0, len(raw) - len(part))
        out.append(starts[min(line_no, len(starts) - 1)] + at)
    return out


class _Content:
    """A block's raw inline content and the way from its offsets to the file's."""

    def __init__(self, content: str, offsets: list[int]) -> None:
        self.s = content
        self.line_at: list[int] = []  # content offset where each content line starts
        pos = 0
        for part in content.split("\n"):
            self.line_at.append(pos)
            pos += len(part) + 1
        self.offsets = offsets

    def src(self, pos: int) -> int:
        from bisect import bisect_right

        k = bisect_right(self.line_at, pos) - 1
        return self.offsets[k] + pos - self.line_at[k]


def _inline_block(token, lines: list[str], starts: tuple[int, ...], block: _Block) -> None:
    content = _Content(token.content, _line_offsets(token.content, token.map[0], lines, starts))
    s = content.s
    c = 0
    out: list[tuple[str, int, bool]] = []
    link_kinds: list[str] = []
    for tok in token.children or []:
        kind = tok.type
        if kind == "text":
            c = _align(s, c, tok.content, out)
        elif kind == "code_inline":
            k = s.find(tok.markup, c)
            if k >= 0:
                c = k + len(tok.markup)
            c = _align(s, c, tok.content, out, code=True)
            k = s.find(tok.markup, c)
            if k >= 0:
                c = k + len(tok.markup)
        elif kind in ("softbreak", "hardbreak"):
            k = s.find("\n", c)
            if k >= 0:
                out.append(("\n", k, False))
                c = k + 1
        elif kind == "html_inline":
            k = s.find(tok.content, c)
            if k >= 0:
                c = k + len(tok.content)
        elif kind == "image":
            k = s.find("![", c)
            if k >= 0:
                c = _past_link(s, k + 1)
        elif kind == "link_open":
            link_kinds.append(tok.markup)
            if tok.markup == "autolink":
                k = s.find("<", c)
                c = k + 1 if k >= 0 else c
            else:
                k = s.find("[", c)
                c = k + 1 if k >= 0 else c
        elif kind == "link_close":
            markup = link_kinds.pop() if link_kinds else ""
            if markup == "autolink":
                k = s.find(">", c)
                c = k + 1 if k >= 0 else c
            else:
                k = s.find("]", c)
                if k >= 0:
                    c = _past_destination(s, k + 1)
    for text, pos, identity in out:
        block.pieces.append((text, content.src(pos), identity))


def _align(s: str, c: int, text: str, out: list, code: bool = False) -> int:
    """Find `text` (a token's decoded text) in the raw inline source `s` from `c`, past any
    markup; append its pieces (text, offset in `s`, identity) to `out`; return the offset
    after it."""
    if not text:
        return c
    k = s.find(text, c) if "&" not in text and "\\" not in text else -1
    if k >= 0 and all(ch in _SKIPPABLE for ch in s[c:k]):
        out.append((text, k, True))
        return k + len(text)
    i = 0
    n = len(s)
    run_start, run_src = -1, -1  # a run of characters that are the file's own
    while i < len(text):
        ch = text[i]
        while c < n:
            r = s[c]
            if r == "&" and not code:
                m = _ENTITY.match(s, c)
                decoded = html.unescape(m.group()) if m else ""
                if m and decoded != m.group() and text.startswith(decoded, i):
                    _flush(out, text, run_start, i, run_src)
                    run_start = -1
                    out.append((decoded, c, False))
                    i += len(decoded)
                    c = m.end()
                    break
            if r == ch or (code and ch == " " and r == "\n"):
                if run_start < 0 or c != run_src + (i - run_start) or r != ch:
                    _flush(out, text, run_start, i, run_src)
                    run_start, run_src = i, c
                if r != ch:  # a code span's line break reads as a space
                    out.append((" ", c, False))
                    run_start = -1
                i += 1
                c += 1
                break
            if r == "\\" and not code and c + 1 < n and s[c + 1] == ch and ch in _ASCII_PUNCT:
                _flush(out, text, run_start, i, run_src)
                run_start, run_src = i, c + 1
                i += 1
                c += 2
                break
            if r in _SKIPPABLE or r == "\\":
                c += 1
                continue
            # not markup and not the text: map the rest to here rather than run away
            _flush(out, text, run_start, i, run_src)
            out.append((text[i:], c, False))
            return c
        else:
            _flush(out, text, run_start, i, run_src)
            out.append((text[i:], max(0, n - 1), False))
            return n
    _flush(out, text, run_start, i, run_src)
    return c


def _flush(out: list, text: str, start: int, end: int, src: int) -> None:
    if start >= 0 and end > start:
        out.append((text[start:end], src, True))


def _past_link(s: str, k: int) -> int:
    """From the `[` at k: past the bracketed text and its destination."""
    depth = 0
    n = len(s)
    while k < n:
        ch = s[k]
        if ch == "\\":
            k += 2
            continue
        if ch == "[":
            depth += 1
        elif ch == "]":
            depth -= 1
            if depth == 0:
                return _past_destination(s, k + 1)
        k += 1
    return n


def _past_destination(s: str, k: int) -> int:
    """Past a link's `(destination "title")` or `[label]` starting at k (if any)."""
    n = len(s)
    if k < n and s[k] == "(":
        depth = 0
        quote = ""
        while k < n:
            ch = s[k]
            if ch == "\\":
                k += 2
                continue
            if quote:
                if ch == quote:
                    quote = ""
            elif ch in "\"'" and depth == 1:
                quote = ch
            elif ch == "(":
                depth += 1
            elif ch == ")":
                depth -= 1
                if depth == 0:
                    return k + 1
            k += 1
        return n
    if k < n and s[k] == "[":
        close = s.find("]", k)
        return close + 1 if close >= 0 else n
    return k


def _code_block(token, lines: list[str], starts: tuple[int, ...]) -> list[_Block]:
    """A fenced or indented code block: its lines as written (the fences are markup), a
    paragraph for each run of lines between blank ones."""
    blocks = [_Block()]
    first = token.map[0] + (1 if token.type == "fence" else 0)
    content = token.content[:-1] if token.content.endswith("\n") else token.content
    offsets = _line_offsets(content, first, lines, starts)
    for part, src in zip(content.split("\n"), offsets, strict=True):
        block = blocks[-1]
        if not part.strip():
            if block.pieces:
                blocks.append(_Block())
            continue
        if block.pieces:
            block.pieces.append(("\n", src - 1, False))
        block.pieces.append((part, src, True))
    return blocks


def _html_block(token, lines: list[str], starts: tuple[int, ...]) -> _Block:
    """An HTML block: only its text (tags, comments, scripts and styles dropped), line by
    line as report.textlayer reads inline HTML."""
    block = _Block()
    for line_no in range(token.map[0], min(token.map[1], len(lines))):
        line = lines[line_no]
        chunks = [c for c in _inline(line, 0, len(line)) if c[0].strip()]
        if not chunks:
            continue
        if block.pieces:
            block.pieces.append(("\n", starts[line_no] - 1, False))
        for text, col, identity in chunks:
            block.pieces.append((text, starts[line_no] + col, identity))
    return block
