"""An HTML page -> its text layer: the article's text, paragraphs kept, map back to line:col.

Python's own `html.parser` reads the page because it is the parser that reports where each
piece of text starts in the file (tree builders such as selectolax, lxml or BeautifulSoup keep
at most an element's line), and findings must point at line:col in the saved page. Scripts,
styles, forms, navigation, asides, site headers and footers, and hidden elements are dropped;
when the page marks its article (`<main>`, or `<article>`), only that is kept. Block elements
end paragraphs, `<br>` breaks a line, white space collapses as a browser shows it, and
character references are decoded (mapped to where the reference starts).
"""

from __future__ import annotations

import codecs
import html
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

from report.errors import CorpusError, Location
from report.readers.builder import LayerBuilder
from report.textlayer import TextLayer, line_starts

_SKIP = {
    "head", "script", "style", "noscript", "template", "nav", "aside", "footer", "form",
    "button", "select", "textarea", "svg", "math", "iframe", "object", "canvas", "dialog",
    "menu",
}  # fmt: skip
_SKIP_ROLES = {"navigation", "banner", "contentinfo", "complementary", "search", "menu"}
_BLOCK = {
    "address", "article", "blockquote", "body", "caption", "dd", "details", "div", "dl", "dt",
    "fieldset", "figcaption", "figure", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr",
    "html", "li", "main", "ol", "p", "pre", "section", "summary", "table", "tbody", "td",
    "tfoot", "th", "thead", "tr", "ul",
}  # fmt: skip
_VOID = {
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param",
    "source", "track", "wbr",
}  # fmt: skip
_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_:.-]+)""", re.IGNORECASE)


def html_layer(data: bytes, shown: str) -> TextLayer:
    """Build the text layer of an HTML page's bytes."""
    source = _decode(data, shown)
    parser = _Reader(line_starts(source))
    parser.feed(source)
    parser.close()
    builder = LayerBuilder()
    keep = parser.container()
    for block in parser.blocks:
        if keep is not None and keep not in block.containers:
            continue
        for kind, text, src in block.pieces:
            if kind == "br":
                builder.line_break(src)
            else:
                builder.text(text, src, identity=kind == "text")
        builder.end_paragraph()
    return builder.build(line_starts(source))


def _decode(data: bytes, shown: str) -> str:
    """Bytes -> text: a BOM, else the page's `<meta charset>`, else UTF-8, else Windows-1252
    (what browsers assume for an undeclared legacy page)."""
    encoding = None
    for bom, name in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
                      (codecs.BOM_UTF16_BE, "utf-16")):  # fmt: skip
        if data.startswith(bom):
            encoding = name
    if encoding is None:
        declared = _CHARSET.search(data[:2048])
        encoding = declared.group(1).decode("ascii").lower() if declared else None
    try:
        text = data.decode(encoding or "utf-8")
    except LookupError:
        raise CorpusError(f"unknown character encoding '{encoding}'", Location(shown)) from None
    except UnicodeDecodeError:
        if encoding is not None:
            raise CorpusError(f"not valid {encoding} text", Location(shown)) from None
        text = data.decode("cp1252", errors="replace")
    return text.replace("\r\n", "\n").replace("\r", "\n")


# Inline CSS that hides an element: its text is not what a reader of the page sees.
_HIDDEN_STYLE = re.compile(r"(?:^|;)\s*(?:display\s*:\s*none|visibility\s*:\s*hidden)", re.I)


@dataclass
class _Block:
    containers: frozenset[int]  # the <main>/<article> elements this block is inside
    pieces: list[tuple[str, str, int]] = field(default_factory=list)  # (kind, text, offset)


@dataclass
class _Open:
    tag: str
    skip: bool
    containers: frozenset[int]
    pre: bool


class _Reader(HTMLParser):
    """Collects blocks of text pieces with their offsets in the decoded page."""

    def __init__(self, starts: tuple[int, ...]) -> None:
        super().__init__(convert_charrefs=False)  # references come with their own offsets
        self.starts = starts
        self.stack: list[_Open] = [_Open("#root", False, frozenset(), False)]
        self.blocks: list[_Block] = []
        self.current: _Block | None = None
        self.mains: list[int] = []  # container ids of <main> (and role=main) elements
        self.articles: dict[int, int] = {}  # container id of each <article> -> its text length
        self._next_id = 0

    def position(self) -> int:
        line, col = self.getpos()
        return self.starts[line - 1] + col

    def break_block(self) -> None:
        self.current = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        top = self.stack[-1]
        attr = dict(attrs)
        if tag == "br":
            self.piece("br", "\n")
            return
        if tag in _BLOCK:
            self.break_block()
        if tag in _VOID:
            return
        role = (attr.get("role") or "").lower()
        skip = (
            top.skip
            or tag in _SKIP
            or role in _SKIP_ROLES
            or "hidden" in attr
            or attr.get("aria-hidden") == "true"
            or _HIDDEN_STYLE.search(attr.get("style") or "") is not None
            or (tag == "header" and not top.containers)  # a site banner, not an article's
        )
        containers = top.containers
        if tag in ("main", "article") or role == "main":
            self._next_id += 1
            containers = containers | {self._next_id}
            if tag == "main" or role == "main":
                self.mains.append(self._next_id)
            else:
                self.articles[self._next_id] = 0
        self.stack.append(_Open(tag, skip, containers, top.pre or tag == "pre"))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in _VOID:
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in _BLOCK or tag == "br":
            self.break_block()
        # Close the nearest open element of that name (and what was left open inside it);
        # an end tag with no open element is ignored, as browsers do.
        for k in range(len(self.stack) - 1, 0, -1):
            if self.stack[k].tag == tag:
                del self.stack[k:]
                break

    def handle_data(self, data: str) -> None:
        self.piece("text", data)

    def handle_entityref(self, name: str) -> None:
        self.reference(f"&{name};")

    def handle_charref(self, name: str) -> None:
        self.reference(f"&#{name};")

    def reference(self, token: str) -> None:
        decoded = html.unescape(token)
        self.piece("text" if decoded == token else "ref", decoded)

    def piece(self, kind: str, text: str) -> None:
        top = self.stack[-1]
        if top.skip or top.tag in ("title",):
            return
        if kind == "text" and not text.strip() and self.current is None:
            return  # white space between blocks
        if self.current is None:
            self.current = _Block(top.containers)
            self.blocks.append(self.current)
        src = self.position()
        if kind == "text" and top.pre and "\n" in text:
            pos = 0
            for line in text.split("\n"):
                if pos:
                    self.current.pieces.append(("br", "\n", src + pos - 1))
                self.current.pieces.append(("text", line, src + pos))
                pos += len(line) + 1
        else:
            self.current.pieces.append((kind, text, src))
        for c in top.containers:
            if c in self.articles:
                self.articles[c] += len(text)

    def container(self) -> int | None:
        """The element holding the article: the first <main>, else the longest <article>."""
        if self.mains:
            return self.mains[0]
        if self.articles:
            return max(self.articles, key=lambda c: (self.articles[c], -c))
        return None
