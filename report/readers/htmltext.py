"""An HTML page -> its text layer: the article's text, paragraphs kept, map back to line:col.

The page is read by a small tokenizer of this module that follows the HTML standard's
tokenization rules (tags and their attributes, comments, doctype and other declarations,
character references, raw text of scripts and styles) and reports where every piece of text
starts in the file, which findings need: `line:col` in the saved page. It makes one pass,
so its work is linear in the page's size whatever the markup: Python's `html.parser`, which
reports positions too, rescans the rest of the page for each unclosed tag or comment (a
60 KB page of them took 36 s) and raises on some declarations (`<!['x`). Element nesting
follows the standard where it matters for text (a `<p>` ends at the next block, an `<li>`
at the next item, cells and rows at the next); other elements close at their end tag, or
with the element they are inside.

Scripts, styles, forms, navigation, asides, site headers and footers, hidden elements and
note reference marks (a superscript link to a note on the page, `[3]`) are dropped; when
the page marks its article (`<main>`, or `<article>`), only that is kept. Block elements end
paragraphs, `<br>` breaks a line, white space collapses as a browser shows it, and
character references are decoded (mapped to where the reference starts).

`sources.yaml` can mark more of a page as outside the article body with CSS selectors
(`exclude: [{css: "aside.newsletter"}]`): `excluded_spans` reads the page again and matches
the selectors as it goes (cssselect2, WeasyPrint's, parses them).
"""

from __future__ import annotations

import codecs
import html
import re
from dataclasses import dataclass, field
from html.entities import html5 as _ENTITIES

from report.errors import CorpusError, Location
from report.readers.builder import LayerBuilder
from report.textlayer import TextLayer, line_starts

_SKIP = {
    "head", "script", "style", "noscript", "template", "nav", "aside", "footer", "form",
    "button", "select", "textarea", "svg", "math", "iframe", "object", "canvas", "dialog",
    "menu", "title",
}  # fmt: skip
_SKIP_ROLES = {"navigation", "banner", "contentinfo", "complementary", "search", "menu"}
_BLOCK = {
    "address", "article", "aside", "blockquote", "body", "caption", "dd", "details", "dialog",
    "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3",
    "h4", "h5", "h6", "header", "hgroup", "hr", "html", "li", "main", "menu", "nav", "ol", "p",
    "pre", "section", "summary", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul",
}  # fmt: skip
_VOID = {
    "area", "base", "br", "col", "embed", "hr", "img", "input", "keygen", "link", "meta",
    "param", "source", "track", "wbr",
}  # fmt: skip
# Elements whose content is raw text up to their end tag (no tags, no references there).
_RAW = {
    "script", "style", "xmp", "iframe", "noembed", "noframes", "noscript", "textarea", "title",
}  # fmt: skip
# A start tag that closes an open <p>, unless a scope boundary is open above it.
_CLOSES_P = (_BLOCK - {"body", "html", "caption", "td", "th", "tr", "tbody", "tfoot",
                       "thead", "dd", "dt", "li"}) | {"li", "dd", "dt"}  # fmt: skip
_SCOPE = {"html", "table", "td", "th", "caption", "button", "object", "marquee", "template"}
# Start tags that close an open element of a kind (as far as an element of the second set).
_IMPLIED: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "li": (("li",), ("ul", "ol", *_SCOPE)),
    "dt": (("dt", "dd"), ("dl", *_SCOPE)),
    "dd": (("dt", "dd"), ("dl", *_SCOPE)),
    "tr": (("tr",), ("table", "tbody", "thead", "tfoot")),
    "td": (("td", "th"), ("tr", "table")),
    "th": (("td", "th"), ("tr", "table")),
    "tbody": (("tbody", "thead", "tfoot"), ("table",)),
    "thead": (("tbody", "thead", "tfoot"), ("table",)),
    "tfoot": (("tbody", "thead", "tfoot"), ("table",)),
    "option": (("option",), ("select", "datalist")),
}

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f-\x84\x86-\x9f]+")  # not text
_MARKUP = re.compile(r"[<&]")
_TAG_NAME = re.compile(r"[^\t\n\f\r />]*")
_ATTR_NAME = re.compile(r"[^\t\n\f\r />][^\t\n\f\r />=]*")
_SPACES = re.compile(r"[\t\n\f\r ]*")
_SPACES_SLASHES = re.compile(r"[\t\n\f\r /]*")
_UNQUOTED = re.compile(r"[^\t\n\f\r >]*")
_COMMENT_END = re.compile(r"--!?>")
_NAMED_REF = re.compile(r"&([A-Za-z][A-Za-z0-9]*)(;?)")
_NUMERIC_REF = re.compile(r"&#(?:[xX]([0-9A-Fa-f]+)|([0-9]+));?")
_LONGEST_ENTITY = max(len(name) for name in _ENTITIES)
_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_:.-]+)""", re.IGNORECASE)
# Inline CSS that hides an element: its text is not what a reader of the page sees.
_HIDDEN_STYLE = re.compile(r"(?:^|;)\s*(?:display\s*:\s*none|visibility\s*:\s*hidden)", re.I)


def html_layer(data: bytes, shown: str) -> TextLayer:
    """Build the text layer of an HTML page's bytes."""
    source = _decode(data, shown)
    page = _Page(source)
    return page.layer(set())


def excluded_spans(data: bytes, shown: str, selectors: list[str]) -> list[tuple[int, int]]:
    """[start, end) spans of the text layer (as html_layer builds it) of the elements the CSS
    `selectors` match, one list for all; raises CorpusError for a selector that matches no
    element with text, so a mistyped one is told rather than silently doing nothing."""
    source = _decode(data, shown)
    page = _Page(source, [_compile(selector) for selector in selectors])
    for k, selector in enumerate(selectors):
        if not any(page.has_text(i) for i in page.matched[k]):
            raise CorpusError(
                f"`exclude` CSS selector {selector!r} matches no text in the page",
                Location(shown),
            )
    layer = page.layer({i for ids in page.matched for i in ids})
    return [(a, b) for kind, a, b in layer.notes if kind == "excluded"]


def check_selector(selector: str) -> str | None:
    """Why a CSS selector cannot be used in `exclude` (None when it can)."""
    try:
        _compile(selector)
    except ValueError as exc:
        return str(exc)
    return None


# -- CSS selectors ----------------------------------------------------------------------------
#
# cssselect2 (WeasyPrint's) parses them. Matching is done here, top-down as the page is read:
# each element carries which leading parts of each selector it and its ancestors match, so
# the work is linear in the page whatever its nesting. That is why only the selectors that
# can be matched that way are taken: tags, classes, ids, attributes, `:not()`/`:is()` of
# those, and the descendant (` `) and child (`>`) combinators; sibling combinators and
# structural pseudo-classes are refused when sources.yaml is read.

_SUPPORTED = (
    "use tags, .classes, #ids, [attributes], :not() and :is() of those, joined by spaces "
    "or >"
)


@dataclass(frozen=True)
class _Complex:
    compounds: tuple[tuple[object, ...], ...]  # the simple selectors of each compound
    child: tuple[bool, ...]  # before compound k (k >= 1): `>` (True) or ` ` (False)


def _compile(selector: str) -> list[_Complex]:
    """A selector list -> its complex selectors; ValueError saying why it cannot be used."""
    from cssselect2 import SelectorError, parser

    try:
        parsed = list(parser.parse(selector))
    except SelectorError as exc:
        raise ValueError(f"not a CSS selector: {exc.args[-1] if exc.args else exc}") from None
    except Exception as exc:  # the tokenizer may raise its own kinds on odd input
        raise ValueError(f"not a CSS selector: {exc or type(exc).__name__}") from None
    out = []
    for one in parsed:
        if one.pseudo_element is not None:
            raise ValueError(f"a pseudo-element has no text of its own; {_SUPPORTED}")
        compounds: list[tuple[object, ...]] = []
        child: list[bool] = []
        node = one.parsed_tree
        while isinstance(node, parser.CombinedSelector):
            if node.combinator not in (" ", ">"):
                raise ValueError(
                    f"the combinator '{node.combinator}' is not supported; {_SUPPORTED}"
                )
            compounds.append(_simple(node.right.simple_selectors, parser))
            child.append(node.combinator == ">")
            node = node.left
        compounds.append(_simple(node.simple_selectors, parser))
        compounds.reverse()
        child.reverse()
        out.append(_Complex(tuple(compounds), (False, *child)))
    return out


def _simple(simple: list[object], parser) -> tuple[object, ...]:
    for sel in simple:
        if isinstance(sel, (parser.NegationSelector, parser.MatchesAnySelector)):
            for inner in sel.selector_list:
                tree = inner.parsed_tree if hasattr(inner, "parsed_tree") else inner
                if not isinstance(tree, parser.CompoundSelector):
                    raise ValueError(f"':not()' and ':is()' take simple selectors; {_SUPPORTED}")
                _simple(tree.simple_selectors, parser)
        elif isinstance(sel, parser.AttributeSelector):
            if sel.namespace is None:
                raise ValueError(f"attribute namespaces are not supported; {_SUPPORTED}")
        elif not isinstance(
            sel,
            (parser.LocalNameSelector, parser.IDSelector, parser.ClassSelector,
             parser.NamespaceSelector),
        ):  # fmt: skip
            name = f":{sel.name}" if hasattr(sel, "name") else repr(sel)
            raise ValueError(f"'{name}' is not supported; {_SUPPORTED}")
    return tuple(simple)


def _matches(simple: tuple[object, ...], tag: str, attrs: dict[str, str]) -> bool:
    """Whether an element (tag, attributes) matches a compound selector's simple selectors."""
    from cssselect2 import parser

    for sel in simple:
        if isinstance(sel, parser.LocalNameSelector):
            ok = tag == sel.lower_local_name
        elif isinstance(sel, parser.ClassSelector):
            ok = sel.class_name in (attrs.get("class") or "").split()
        elif isinstance(sel, parser.IDSelector):
            ok = attrs.get("id") == sel.ident
        elif isinstance(sel, parser.AttributeSelector):
            ok = _attribute(sel, attrs)
        elif isinstance(sel, parser.NegationSelector):
            ok = not any(_matches(_tree(i).simple_selectors, tag, attrs) for i in sel.selector_list)
        elif isinstance(sel, parser.MatchesAnySelector):
            ok = any(_matches(_tree(i).simple_selectors, tag, attrs) for i in sel.selector_list)
        else:  # a namespace: HTML elements have one
            ok = True
        if not ok:
            return False
    return True


def _tree(selector: object) -> object:
    return selector.parsed_tree if hasattr(selector, "parsed_tree") else selector


def _attribute(sel, attrs: dict[str, str]) -> bool:
    if sel.lower_name not in attrs:
        return False
    if sel.operator is None:
        return True
    have, want = attrs[sel.lower_name], sel.value or ""
    if sel.case_sensitive is False:
        have, want = have.lower(), want.lower()
    op = sel.operator
    if op == "=":
        return have == want
    if op == "~=":
        return want in have.split()
    if op == "|=":
        return have == want or have.startswith(want + "-")
    if op == "^=":
        return bool(want) and have.startswith(want)
    if op == "$=":
        return bool(want) and have.endswith(want)
    if op == "*=":
        return bool(want) and want in have
    return False


# -- bytes -> text ----------------------------------------------------------------------------


def _decode(data: bytes, shown: str) -> str:
    """Bytes -> text: a BOM, else the page's `<meta charset>` (a label of the WHATWG Encoding
    Standard; one it does not know is ignored, as browsers do), else UTF-8, else
    Windows-1252 (what browsers assume for an undeclared legacy page)."""
    import webencodings

    codec: codecs.CodecInfo | None = None
    for bom, name in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
                      (codecs.BOM_UTF16_BE, "utf-16")):  # fmt: skip
        if data.startswith(bom):
            codec = codecs.lookup(name)
    if codec is None:
        declared = _CHARSET.search(data[:2048])
        found = webencodings.lookup(declared.group(1).decode("ascii")) if declared else None
        if found is not None:
            codec = found.codec_info
            if codec.name.startswith("utf-16"):  # a page read as ASCII cannot be UTF-16
                codec = codecs.lookup("utf-8")
    try:
        text = (codec or codecs.lookup("utf-8")).decode(data)[0]
    except (UnicodeError, LookupError, ValueError):
        if codec is not None:
            raise CorpusError(f"not valid {codec.name} text", Location(shown)) from None
        text = data.decode("cp1252", errors="replace")
    return text.replace("\r\n", "\n").replace("\r", "\n")


# -- text -> elements and text pieces ---------------------------------------------------------


@dataclass
class _Open:
    tag: str
    skip: bool
    pre: bool
    containers: int  # how many <main>/<article> elements this one is inside (itself included)
    id: int  # index in _Page.spans
    # (selector, compound) pairs this element matches, and those it or an ancestor matches
    own: frozenset[tuple[int, int]] = frozenset()
    seen: frozenset[tuple[int, int]] = frozenset()


@dataclass
class _Piece:
    kind: str  # "text" (as in the file), "ref" (a decoded reference) or "br"
    text: str
    src: int  # offset in the decoded page
    index: int  # in document order, for excluded elements' ranges


@dataclass
class _Container:
    tag: str  # "main" or "article"
    first_block: int
    end_block: int = -1  # -1 while open
    length: int = 0  # text of its blocks (for "the longest article")


@dataclass
class _Page:
    """A page's blocks of text pieces, its article containers, and the elements that the CSS
    `selectors` (each a list of complex selectors) match, from one pass of the tokenizer."""

    source: str
    selectors: list[list[_Complex]] = field(default_factory=list)
    blocks: list[list[_Piece]] = field(default_factory=list)
    block_text: list[int] = field(default_factory=list)  # text length of each block
    containers: list[_Container] = field(default_factory=list)
    spans: list[list[int]] = field(default_factory=list)  # element id -> [first, end) piece
    matched: list[set[int]] = field(default_factory=list)  # per selector: element ids

    def __post_init__(self) -> None:
        self._pieces = 0
        self._current: list[_Piece] | None = None
        self._stack: list[_Open] = []
        self._open: dict[str, list[int]] = {}  # tag -> stack indices where it is open
        self._open_containers: list[tuple[int, int]] = []  # (stack index, container index)
        self.matched = [set() for _ in self.selectors]
        self._complex = [(k, c) for k, one in enumerate(self.selectors) for c in one]
        self._push("#root", {})
        _Tokenizer(self.source, self).run()
        while len(self._stack) > 1:
            self._pop()
        total = [0]  # text length of the blocks before each block
        for length in self.block_text:
            total.append(total[-1] + length)
        for c in self.containers:
            if c.end_block < 0:
                c.end_block = len(self.blocks)
            c.length = total[c.end_block] - total[c.first_block]

    # -- the element stack ----------------------------------------------------------------

    def _push(self, tag: str, attrs: dict[str, str]) -> None:
        top = self._stack[-1] if self._stack else None
        role = (attrs.get("role") or "").lower()
        containers = top.containers if top else 0
        skip = top is not None and (
            top.skip
            or tag in _SKIP
            or role in _SKIP_ROLES
            or "hidden" in attrs
            or attrs.get("aria-hidden") == "true"
            or _HIDDEN_STYLE.search(attrs.get("style") or "") is not None
            or (tag == "header" and not containers)  # a site banner, not an article's
            # a note reference mark (`<sup><a href="#cite_note-3">[3]</a></sup>`): not a word
            # of the sentence, as a Word or PDF footnote number is not
            or (tag == "sup" and "reference" in (attrs.get("class") or "").split())
            or (tag == "a" and top.tag == "sup" and (attrs.get("href") or "").startswith("#"))
        )
        if tag in ("main", "article") or role == "main":
            containers += 1
            self.containers.append(_Container("main" if role == "main" else tag, len(self.blocks)))
            self._open_containers.append((len(self._stack), len(self.containers) - 1))
        self.spans.append([self._pieces, -1])
        opened = _Open(tag, skip, bool(top and top.pre) or tag == "pre", containers,
                       len(self.spans) - 1)  # fmt: skip
        if self._complex and top is not None:
            self._match(opened, attrs, top)
        self._open.setdefault(tag, []).append(len(self._stack))
        self._stack.append(opened)

    def _pop(self) -> None:
        opened = self._stack.pop()
        self._open[opened.tag].pop()
        self.spans[opened.id][1] = self._pieces
        if self._open_containers and self._open_containers[-1][0] == len(self._stack):
            self.containers[self._open_containers.pop()[1]].end_block = len(self.blocks)

    def _pop_to(self, index: int) -> None:
        """Close the element at stack `index` and every element opened inside it."""
        while len(self._stack) > index:
            self._pop()

    def _innermost(self, tags: tuple[str, ...] | set[str]) -> int:
        return max((self._open[t][-1] for t in tags if self._open.get(t)), default=-1)

    def _close_implied(self, tag: str) -> None:
        if tag in _CLOSES_P:
            p = self._innermost(("p",))
            if p > 0 and p > self._innermost(_SCOPE):
                self._pop_to(p)
        implied = _IMPLIED.get(tag)
        if implied is not None:
            closes, bounds = implied
            k = self._innermost(closes)
            if k > 0 and k > self._innermost(bounds):
                self._pop_to(k)

    # -- tokenizer events -----------------------------------------------------------------

    def start_tag(self, tag: str, attrs: dict[str, str], src: int) -> None:
        if tag == "br":
            self.piece("br", "\n", src)
            return
        self._close_implied(tag)
        if tag in _BLOCK:
            self._current = None
        if tag in _VOID:  # no text inside: nothing for a selector to exclude
            return
        self._push(tag, attrs)

    def end_tag(self, tag: str, src: int) -> None:
        if tag == "br":  # </br> is read as <br>, as browsers do
            self.start_tag("br", {}, src)
            return
        if tag in _BLOCK:
            self._current = None
        # Close the nearest open element of that name (and what was left open inside it);
        # an end tag with no open element is ignored, as browsers do.
        opened = self._open.get(tag)
        if opened:
            self._pop_to(opened[-1])

    def _match(self, opened: _Open, attrs: dict[str, str], parent: _Open) -> None:
        """Which leading compounds of each selector the element matches, given its parent's
        (top-down, so linear in the page whatever its nesting)."""
        own = set()
        for k, (n, one) in enumerate(self._complex):
            for i, compound in enumerate(one.compounds):
                if i and (k, i - 1) not in (parent.own if one.child[i] else parent.seen):
                    continue
                if _matches(compound, opened.tag, attrs):
                    own.add((k, i))
                    if i == len(one.compounds) - 1:
                        self.matched[n].add(opened.id)
        opened.own = frozenset(own)
        opened.seen = parent.seen | opened.own if own else parent.seen

    def text(self, text: str, src: int) -> None:
        self.piece("text", text, src)

    def reference(self, decoded: str, src: int) -> None:
        self.piece("ref", decoded, src)

    def piece(self, kind: str, text: str, src: int) -> None:
        top = self._stack[-1]
        if top.skip:
            return
        if kind == "text" and self._current is None and not text.strip():
            return  # white space between blocks
        if self._current is None:
            self._current = []
            self.blocks.append(self._current)
            self.block_text.append(0)
        if kind == "text" and top.pre and "\n" in text:
            pos = 0
            for line in text.split("\n"):
                if pos:
                    self._current.append(_Piece("br", "\n", src + pos - 1, self._pieces))
                self._current.append(_Piece("text", line, src + pos, self._pieces))
                pos += len(line) + 1
        else:
            self._current.append(_Piece(kind, text, src, self._pieces))
        self._pieces += 1
        self.block_text[-1] += len(text)

    # -- the result -----------------------------------------------------------------------

    def kept(self) -> _Container | None:
        """The element holding the article: the first <main>, else the longest <article>."""
        mains = [c for c in self.containers if c.tag == "main"]
        if mains:
            return mains[0]
        articles = [c for c in self.containers if c.tag == "article"]
        if articles:
            return max(articles, key=lambda c: c.length)  # the first of equals
        return None

    def has_text(self, element_id: int) -> bool:
        first, end = self.spans[element_id]
        return end < 0 or end > first

    def layer(self, excluded_ids: set[int]) -> TextLayer:
        """The text layer; the words of the elements `excluded_ids` are notes "excluded"."""
        excluded = _merged(self.spans[i] for i in excluded_ids)
        builder = LayerBuilder()
        keep = self.kept()
        blocks = (
            self.blocks[keep.first_block : keep.end_block] if keep is not None else self.blocks
        )
        k = 0
        for block in blocks:
            for piece in block:
                while k < len(excluded) and excluded[k][1] <= piece.index:
                    k += 1
                inside = k < len(excluded) and excluded[k][0] <= piece.index
                note = "excluded" if inside else ""
                if piece.kind == "br":
                    builder.line_break(piece.src)
                else:
                    builder.text(piece.text, piece.src, piece.kind == "text", note)
            builder.end_paragraph()
        return builder.build(line_starts(self.source))


def _merged(spans) -> list[tuple[int, int]]:
    """Disjoint, sorted [first, end) piece ranges covering `spans` (which may nest)."""
    out: list[tuple[int, int]] = []
    for a, b in sorted((a, b) for a, b in spans if b > a):
        if out and a <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], b))
        else:
            out.append((a, b))
    return out


class _Tokenizer:
    """One pass over the page: tags (name, attributes), text, character references;
    comments, declarations and raw text skipped. Work is linear in the page's length: a
    construct that does not end before the end of the page ends there (the standard's rule
    for end of file inside a tag or comment)."""

    def __init__(self, source: str, page: _Page) -> None:
        self.s = source
        self.page = page

    def run(self) -> None:
        s, page, n = self.s, self.page, len(self.s)
        i = 0
        while i < n:
            m = _MARKUP.search(s, i)
            j = m.start() if m else n
            if j > i:
                self._text(i, j)
            if j >= n:
                return
            if s[j] == "&":
                i = self._reference(j)
                continue
            nxt = s[j + 1 : j + 2]
            if nxt.isascii() and nxt.isalpha():
                i = self._start_tag(j)
            elif nxt == "/":
                i = self._end_tag(j)
            elif nxt == "!":
                if s.startswith("<!--", j):
                    if s.startswith("<!-->", j):
                        i = j + 5
                    elif s.startswith("<!--->", j):
                        i = j + 6
                    else:
                        end = _COMMENT_END.search(s, j + 4)
                        i = end.end() if end else n
                else:  # doctype, CDATA and other declarations: a bogus comment up to >
                    i = self._to_gt(j + 2)
            elif nxt == "?":
                i = self._to_gt(j + 2)
            else:
                page.text("<", j)
                i = j + 1

    def _to_gt(self, i: int) -> int:
        k = self.s.find(">", i)
        return k + 1 if k >= 0 else len(self.s)

    def _text(self, i: int, j: int) -> None:
        s, page = self.s, self.page
        if _CONTROL.search(s, i, j) is None:
            page.text(s[i:j], i)
            return
        pos = i
        for m in _CONTROL.finditer(s, i, j):  # control characters are not text
            if m.start() > pos:
                page.text(s[pos : m.start()], pos)
            pos = m.end()
        if pos < j:
            page.text(s[pos:j], pos)

    def _reference(self, j: int) -> int:
        s, page = self.s, self.page
        m = _NUMERIC_REF.match(s, j)
        if m:
            digits = m.group(1) or m.group(2)
            base = 16 if m.group(1) else 10
            # a number past Unicode is U+FFFD (html.unescape says which characters the
            # standard maps, e.g. &#150; to an en dash); long digit strings are not parsed
            code = int(digits, base) if len(digits) <= 8 else 0x110000
            decoded = html.unescape(f"&#{min(code, 0x110000)};")
            decoded = _CONTROL.sub("", decoded)
            if decoded:
                page.reference(decoded, j)
            return m.end()
        m = _NAMED_REF.match(s, j)
        if m:
            name, semicolon = m.group(1), m.group(2)
            if semicolon and name + ";" in _ENTITIES:
                page.reference(_ENTITIES[name + ";"], j)
                return m.end()
            # a legacy reference without `;` (`&copy 2024`, `&amp`): its longest known prefix
            for k in range(min(len(name), _LONGEST_ENTITY), 1, -1):
                if name[:k] in _ENTITIES:
                    page.reference(_ENTITIES[name[:k]], j)
                    return j + 1 + k
        page.text("&", j)
        return j + 1

    def _start_tag(self, j: int) -> int:
        s, n = self.s, len(self.s)
        name_end = _TAG_NAME.match(s, j + 1).end()
        tag = s[j + 1 : name_end].lower()
        parsed = self._attributes(name_end)
        if parsed is None:
            return n  # the page ends inside the tag: nothing of it is shown
        attrs, end = parsed
        self.page.start_tag(tag, attrs, j)
        if tag in _RAW:  # its content is raw text, up to its end tag
            close = _raw_end(tag).search(s, end)
            if close is None:
                return n
            return close.start()  # the end tag is read as a tag
        if tag == "plaintext":  # the rest of the page is text
            self._text(end, n)
            return n
        return end

    def _end_tag(self, j: int) -> int:
        s, n = self.s, len(self.s)
        nxt = s[j + 2 : j + 3]
        if nxt == ">":
            return j + 3  # `</>` is nothing
        if not (nxt.isascii() and nxt.isalpha()):
            return self._to_gt(j + 2)  # a bogus comment
        name_end = _TAG_NAME.match(s, j + 2).end()
        parsed = self._attributes(name_end)
        if parsed is None:
            return n
        self.page.end_tag(s[j + 2 : name_end].lower(), j)
        return parsed[1]

    def _attributes(self, i: int) -> tuple[dict[str, str], int] | None:
        """A tag's attributes from `i` to its `>`: (attributes, offset past the `>`), or None
        when the page ends first. Each step moves forward: linear in the tag's length."""
        s, n = self.s, len(self.s)
        attrs: dict[str, str] = {}
        while True:
            i = _SPACES_SLASHES.match(s, i).end()
            if i >= n:
                return None
            if s[i] == ">":
                return attrs, i + 1
            name_end = _ATTR_NAME.match(s, i).end()
            name = s[i:name_end].lower()
            i = name_end
            k = _SPACES.match(s, i).end()
            value = ""
            if k < n and s[k] == "=":
                k = _SPACES.match(s, k + 1).end()
                if k >= n:
                    return None
                quote = s[k]
                if quote in "\"'":
                    close = s.find(quote, k + 1)
                    if close < 0:
                        return None
                    value, i = s[k + 1 : close], close + 1
                elif quote != ">":
                    end = _UNQUOTED.match(s, k).end()
                    value, i = s[k:end], end
                else:
                    i = k
            if name not in attrs:  # the first of a repeated attribute counts
                attrs[name] = _unescape(value)


def _unescape(value: str) -> str:
    if "&" not in value:
        return value
    try:
        return html.unescape(value)
    except ValueError:  # a numeric reference of thousands of digits (int() refuses it)
        return value


_RAW_END: dict[str, re.Pattern[str]] = {}


def _raw_end(tag: str) -> re.Pattern[str]:
    pattern = _RAW_END.get(tag)
    if pattern is None:
        pattern = _RAW_END[tag] = re.compile(rf"</{tag}[\t\n\f\r />]", re.IGNORECASE)
    return pattern
