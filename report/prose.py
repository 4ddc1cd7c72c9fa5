"""The author's prose (an outline field's text, or a Markdown paragraph) -> a Para: its
words, the quotations in it with the citation that attributes each, and its citations.

A quotation in double quotation marks followed by a Pandoc citation is a quote to verify,
exactly like an evidence item:

    Putin said that China “has set an example for the international community” [@dispatch-2020]

Quotations and their citations are found by the finder `report audit` uses on drafts
(report.quotations: the first citation in the rest of the quotation's sentence attributes
it), over every quotation, short ones included. Citations follow Pandoc's syntax: `[@id]`,
`[@id, p. 4]`, `[see @id, para. 12 and later]`, several sources with `;`. A citation with no
quotation before it cites a paraphrase: it gets its note, and nothing is verified. A
quotation with no citation after it is unattributed: the check warns.

Who speaks a quotation is given with a Pandoc span around it, which Pandoc renders as its
plain contents: `[“…”]{speaker="Vladimir Putin"}` (or `speaker=Putin`). A quotation nested
inside the author's quotation uses single marks; it is verified as the source has it, in
double marks (or, failing that, single ones, as a British source writes).

Every piece keeps its place in the file (`locate`), so findings point at the quotation's
first character: `outlines/x.yaml:12:31`, `brief.md:40:17`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from report import typography
from report.draft import Block, Draft, Mark
from report.errors import Location, OutlineError, ReportError
from report.model import (
    Citation,
    Cite,
    CiteItem,
    Evidence,
    Locator,
    Para,
    Piece,
    Prose,
    Quoted,
    Words,
)
from report.quotations import Quotation, find_quotations, inline_citations
from report.quote import quote_problem

Locate = Callable[[int], Location]

# Pandoc's citation keys: `@` and a letter, digit or `_`, then those and internal
# punctuation; a key does not end in punctuation. `@{key}` holds any key.
_KEY = re.compile(r"(?<![\w.])(-?)@(?:\{([^{}]+)\}|(\w(?:[\w:.#$%&\-+?<>~/]*\w)?))")
# Pandoc's locator terms -> CSL's locator labels.
_LABELS = {
    "bk.": "book", "bks.": "book", "book": "book", "books": "book",
    "chap.": "chapter", "chaps.": "chapter", "chapter": "chapter", "chapters": "chapter",
    "col.": "column", "cols.": "column", "column": "column", "columns": "column",
    "fig.": "figure", "figs.": "figure", "figure": "figure", "figures": "figure",
    "fol.": "folio", "fols.": "folio", "folio": "folio", "folios": "folio",
    "l.": "line", "ll.": "line", "line": "line", "lines": "line",
    "n.": "note", "nn.": "note", "note": "note", "notes": "note",
    "no.": "issue", "nos.": "issue", "number": "issue", "numbers": "issue",
    "op.": "opus", "opp.": "opus", "opus": "opus", "opera": "opus",
    "p.": "page", "pp.": "page", "page": "page", "pages": "page",
    "para.": "paragraph", "paras.": "paragraph", "paragraph": "paragraph",
    "paragraphs": "paragraph", "¶": "paragraph", "¶¶": "paragraph",
    "pt.": "part", "pts.": "part", "part": "part", "parts": "part",
    "sec.": "section", "secs.": "section", "section": "section", "sections": "section",
    "§": "section", "§§": "section",
    "s.v.": "sub verbo", "s.vv.": "sub verbo", "sub verbo": "sub verbo",
    "v.": "verse", "vv.": "verse", "verse": "verse", "verses": "verse",
    "vol.": "volume", "vols.": "volume", "volume": "volume", "volumes": "volume",
}  # fmt: skip
_LABEL = re.compile(
    r"(?P<label>"
    + "|".join(re.escape(k) for k in sorted(_LABELS, key=len, reverse=True))
    + r")(?:\s+|(?<=[.¶§])(?=\w))",
    re.IGNORECASE,
)
# A locator's value: numbers or roman numerals, ranges and lists of them (`33-35, 38`).
_VALUE = re.compile(
    r"(?:[0-9]+[a-z]?|[ivxlcdmIVXLCDM]+)(?:\s*(?:[-–—]|,\s*|&\s*)(?:[0-9]+[a-z]?|[ivxlcdm]+))*"
    r"(?![\w])"
)
# A Pandoc bracketed span's attributes: `{speaker="Vladimir Putin" .class #id key=value}`.
_ATTRIBUTES = re.compile(r"\{([^{}\n]*)\}")
_SPEAKER = re.compile(r"""(?<![\w-])speaker\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'{}]+))""")
_CODE = re.compile(r"(`+)(?:(?!\1).)+?\1", re.DOTALL)
# Markdown's emphasis delimiters: `*`, and `_` not inside a word.
_EMPHASIS = re.compile(r"\*+|(?<!\w)_+|_+(?!\w)")
# A Markdown link's destination and title, `](url "title")`, and an autolink, `<url>`.
_LINK_TARGET = re.compile(
    r"(?<=\])\((?:<[^>\n]*>|[^()\s]+)?(?:\s+(?:\"[^\"]*\"|'[^']*'|\([^()]*\)))?\s*\)"
    r"|<[a-zA-Z][\w+.-]*:[^<>\s]*>"
)
_QUOTE_MARKS = '"“”„«»「」『』'
_PLACE = 0xF0000  # private-use characters stand for the quotations and notes while parsing
_PLACES = 0xFFFFD - _PLACE
# What one paragraph may hold: finding quotations and their citations takes time that grows
# with a paragraph's length times its quotation marks, and no analyst's paragraph comes near.
MAX_PARAGRAPH = 20_000  # characters
MAX_MARKS = 400  # quotation marks
_ANY_MARK = re.compile(f"[{_QUOTE_MARKS}]")
_PRIVATE = re.compile(f"([{chr(_PLACE)}-{chr(0xFFFFD)}])")


@dataclass(frozen=True, slots=True)
class _Span:
    """A Pandoc bracketed span `[...]{...}`: its `[`, its `]`, the end of its attributes."""

    open: int
    close: int
    end: int
    speaker: str | None


class ProseReader:
    """Reads the prose fields of one outline or Markdown brief, collecting input errors
    (an unreadable citation, a quotation of editorial marks only) for one abort."""

    def __init__(self, file: str, path: Path, markdown: bool = False) -> None:
        self.file = file
        self.path = path
        self.markdown = markdown
        self.errors: list[ReportError] = []

    def field(self, value: str, locate: Locate, location: Location, one: bool = False) -> Prose:
        """A prose field's text -> its paragraphs (split at blank lines, unless `one`)."""
        paras: list[Para] = []
        spans = [(0, len(value))] if one else _paragraph_spans(value)
        for start, end in spans:
            para = self.para(value[start:end], _shifted(locate, start))
            if para.pieces:
                paras.append(para)
        return Prose(tuple(paras), value, location)

    def para(self, raw: str, locate: Locate, kind: str = "paragraph", marker: str = "") -> Para:
        """One paragraph (of `kind`: "paragraph", "item", "quote") -> its pieces."""
        raw = _PRIVATE.sub("\ufffd", raw)  # the characters that stand in for pieces here
        count = len(_ANY_MARK.findall(raw))
        if len(raw) > MAX_PARAGRAPH or count > MAX_MARKS:
            self.errors.append(
                OutlineError(
                    f"a paragraph holds at most {MAX_PARAGRAPH:,} characters and {MAX_MARKS} "
                    f"quotation marks; this one has {len(raw):,} and {count}: split it",
                    locate(0),
                )
            )
            return Para((Words(raw),), kind)
        spans = _spans(raw)
        masked = _masked(raw, spans, self.markdown)
        block = Block(
            text=masked,
            kind="quote" if kind == "quote" else "body",
            locate=locate,
            plain=_markdown_plain if self.markdown else None,
        )
        draft = Draft(path=self.path, shown=self.file, blocks=[block])
        found = find_quotations(draft, everything=True)
        marks = [m for m in inline_citations(masked) if raw[m.start] == "[" and "@" in m.text]
        citations = {m.start: self._citation(m, locate) for m in marks}
        attributed = {q.citation.start for q in found if q.citation is not None}
        regions: list[tuple[int, int, Piece]] = []
        absorbed: set[int] = set()  # spans that hold just a quotation: it stands for them
        for q in found:
            speaker = next((s.speaker for s in spans if s.open < q.start < s.close), None)
            start, end = _region(raw, q, spans)
            absorbed.update(s.open for s in spans if (s.open, s.end) == (start, end))
            regions.append((start, end, self._quoted(raw, q, speaker, citations)))
        for m in marks:
            start = m.start
            while start > 0 and raw[start - 1] in " \t\n":  # a note mark follows the word
                start -= 1
            cite = citations[m.start]
            if cite is not None:
                regions.append((start, m.end, Cite(cite, m.start in attributed)))
        kept = [s for s in spans if s.open not in absorbed]
        hidden = [(s.open, s.open + 1) for s in kept] + [(s.close, s.end) for s in kept]
        return Para(self._pieces(raw, regions, hidden, marker), kind)

    # -- quotations and citations -------------------------------------------------------

    def _quoted(
        self,
        raw: str,
        q: Quotation,
        speaker: str | None,
        citations: dict[int, Citation | None],
    ) -> Quoted:
        shown = _shown(raw[q.start : q.end], self.markdown)
        citation = citations.get(q.citation.start) if q.citation is not None else None
        if citation is None:
            if q.citation is not None and not q.citation.is_note and "@" not in q.citation.text:
                problem = (
                    f"the citation after it, ({q.citation.text}), is not one report can check: "
                    "cite the source's id, [@id]"
                )
            else:
                problem = "no citation follows it"
            return Quoted(shown, q.location, None, problem, speaker)
        problem = quote_problem(q.text)
        if problem is not None:
            self.errors.append(OutlineError(problem, q.location))
            return Quoted(shown, q.location, None, problem, speaker)
        written = q.text
        doubled = double_nested(written)
        forms = [doubled] if doubled == written else [doubled, written]
        variants = [
            Evidence(
                source=item.source,
                quote=form,
                location=q.location,
                source_location=item.location,
                speaker=speaker,
                locator=_checked_locator(item),
                citation=citation,
            )
            for item in _unique_sources(citation.items)
            for form in forms
        ]
        evidence = replace(variants[0], alternates=tuple(variants[1:]))
        return Quoted(shown, q.location, evidence, "", speaker)

    def _citation(self, mark: Mark, locate: Locate) -> Citation | None:
        """`[prefix @id, locator suffix; ...]` (mark.text is what the brackets hold)."""
        inner = mark.text
        base = mark.start + 1
        items: list[CiteItem] = []
        pos = 0
        for part in inner.split(";"):
            at = _KEY.search(part)
            where = locate(base + pos + (at.start() if at else 0))
            pos += len(part) + 1
            if at is None:
                self.errors.append(
                    OutlineError(
                        f"'{part.strip()}' in the citation {raw_citation(mark)} names no "
                        "source: each part of a citation is [prefix @id, locator suffix]",
                        where,
                    )
                )
                continue
            key = at.group(2) or at.group(3)
            prefix = part[: at.start()].strip()
            locator, label, suffix = _locator(part[at.end() :])
            if _SPEAKER.search(suffix):
                self.errors.append(
                    OutlineError(
                        "a speaker is named with a span around the quotation, "
                        '[“…”]{speaker="Name"} [@id], not inside the citation (Pandoc would '
                        "print it in the note)",
                        where,
                    )
                )
                continue
            items.append(
                CiteItem(
                    source=key,
                    location=where,
                    prefix=prefix + " " if prefix else "",
                    locator=locator,
                    label=label,
                    suffix=suffix,
                )
            )
        if not items:
            return None
        return Citation(tuple(items), raw_citation(mark), locate(mark.start))

    # -- what the reader sees -----------------------------------------------------------

    def _pieces(
        self,
        raw: str,
        regions: list[tuple[int, int, Piece]],
        hidden: list[tuple[int, int]],
        marker: str,
    ) -> tuple[Piece, ...]:
        """The paragraph as pieces: each quotation and note stands in the text as a
        private-use character while its Markdown is read, so that emphasis around a
        quotation still holds, then the characters become the pieces again."""
        cuts = sorted(
            [(s, e, chr(_PLACE + k)) for k, (s, e, _) in enumerate(regions[:_PLACES])]
            + [(s, e, "") for s, e in hidden]
        )
        text, pos = [], 0
        for start, end, stand_in in cuts:
            if start < pos:  # a span bracket inside a quotation's own region
                continue
            text.append(raw[pos:start])
            text.append(stand_in)
            pos = end
        text.append(raw[pos:])
        flat = "".join(text)
        runs = _markdown_runs(flat) if self.markdown else [(flat, False, False)]
        pieces: list[Piece] = [Words(marker)] if marker else []
        previous = " "
        for run, italic, bold in runs:
            for chunk in _PRIVATE.split(run):
                if not chunk:
                    continue
                k = ord(chunk) - _PLACE if len(chunk) == 1 else -1
                if 0 <= k < len(regions):
                    piece = regions[k][2]
                    if isinstance(piece, Quoted) and (italic or bold):
                        piece = replace(piece, italic=italic, bold=bold)
                    pieces.append(piece)
                    if isinstance(piece, Quoted):
                        previous = piece.text[-1:] or previous
                    continue
                words = re.sub(r"\s+", " ", typography.visible(chunk))
                curled = typography.curl(previous + words)[len(previous) :]
                pieces.append(Words(curled, italic, bold))
                previous = words[-1:] or previous
        return _trimmed(pieces)


def _checked_locator(item: CiteItem) -> Locator | None:
    """A citation's page (checked against the page the quote is found on, as an evidence
    item's `page:` is) or paragraph; other locators (a chapter, a section) are cited only."""
    if item.locator and item.label in ("page", "paragraph"):
        return Locator(item.label, item.locator, item.location)
    return None


def raw_citation(mark: Mark) -> str:
    return f"[{mark.text}]"


def _unique_sources(items: tuple[CiteItem, ...]) -> list[CiteItem]:
    seen: set[str] = set()
    out = []
    for item in items:
        if item.source not in seen:
            seen.add(item.source)
            out.append(item)
    return out


def _locator(rest: str) -> tuple[str, str, str]:
    """What follows a citation's key -> (locator, label, suffix), as Pandoc reads it: a
    comma, then a locator term and its value (`p. 4`, `para. 12`, `chap. 3`); a bare
    number is a page. The rest is the suffix."""
    stripped = rest.lstrip()
    if not stripped.startswith(","):
        return "", "", rest.rstrip()
    after = stripped[1:].lstrip()
    label = "page"
    term = _LABEL.match(after)
    if term is not None:
        label = _LABELS[term.group("label").lower()]
        after = after[term.end() :]
    value = _VALUE.match(after)
    if value is None:
        return "", "", rest.rstrip()
    return value.group(0), label, after[value.end() :].rstrip()


def double_nested(quote: str) -> str:
    """A quotation nested in the author's quote with single marks (`the ‘new era’ is`) ->
    with double ones (`the “new era” is`), as the source quoted inside it most often has
    them. An apostrophe (`doesn’t`, `'90s`) is not a quotation mark: an opening mark stands
    at the start or after a space or bracket, a closing one before a space, punctuation or
    the end."""
    out = list(quote)
    opened: int | None = None
    for i, ch in enumerate(quote):
        before = quote[i - 1] if i else " "
        after = quote[i + 1] if i + 1 < len(quote) else " "
        if ch in "‘'" and before in " \t\n([{—–-/" and (after.isalnum() or after in '[“"'):
            opened = i
        elif ch in "’'" and opened is not None and not after.isalnum() and not before.isspace():
            out[opened], out[i] = "“", "”"
            opened = None
    return "".join(out)


def _paragraph_spans(value: str) -> list[tuple[int, int]]:
    """(start, end) of each paragraph of a field's text, white space trimmed."""
    out = []
    pos = 0
    for m in [*re.finditer(r"\n[ \t]*\n\s*", value), None]:
        end = m.start() if m is not None else len(value)
        start = pos
        while start < end and value[start].isspace():
            start += 1
        stop = end
        while stop > start and value[stop - 1].isspace():
            stop -= 1
        if stop > start:
            out.append((start, stop))
        if m is not None:
            pos = m.end()
    return out


def _shifted(locate: Locate, by: int) -> Locate:
    return lambda offset: locate(offset + by)


def _spans(raw: str) -> list[_Span]:
    """The Pandoc bracketed spans of a paragraph: `[words]{attributes}`, brackets balanced
    (a quotation's `[T]he` and `[...]` nest inside)."""
    out = []
    for m in _ATTRIBUTES.finditer(raw):
        close = m.start() - 1
        if close < 0 or raw[close] != "]":
            continue
        depth, k = 0, close
        while k >= 0:
            if raw[k] == "]":
                depth += 1
            elif raw[k] == "[":
                depth -= 1
                if depth == 0:
                    break
            k -= 1
        if k < 0:
            continue
        said = _SPEAKER.search(m.group(1))
        speaker = next((g for g in said.groups() if g is not None), None) if said else None
        speaker = " ".join(speaker.split()) if speaker else None
        out.append(_Span(k, close, m.end(), speaker or None))
    return out


def _masked(raw: str, spans: list[_Span], markdown: bool) -> str:
    """The paragraph as the quotation finder reads it, the same length: a span's brackets
    and attributes as spaces (an attribute's `"Name"` is not a quotation), and in Markdown
    the quotation marks of code spans inert."""
    chars = list(raw)
    for s in spans:
        chars[s.open] = " "
        for k in range(s.close, s.end):
            chars[k] = " "
    if markdown:  # code, link targets and their titles are not prose
        for m in [*_CODE.finditer(raw), *_LINK_TARGET.finditer(raw)]:
            for k in range(m.start(), m.end()):
                if chars[k] in _QUOTE_MARKS or chars[k] in "@[]":
                    chars[k] = "\u2033"
        for m in _EMPHASIS.finditer(raw):  # `*“…”*`: the marks stand where the words do
            for k in range(m.start(), m.end()):
                chars[k] = " "
    for k in _unclosed("".join(chars)):
        chars[k] = "\u2033"
    return "".join(chars)


_PAIRS = (("\u201c", "\u201d"), ("\u00ab", "\u00bb"), ("\u300c", "\u300d"), ("\u300e", "\u300f"))


def _unclosed(text: str) -> list[int]:
    """The opening marks that no mark after them closes: the finder would look for their
    closing mark to the paragraph's end, each in turn. Found here in one pass and left out,
    a paragraph of many stray marks costs no more than one of words."""
    out: list[int] = []
    for opening, closing in _PAIRS:  # these nest: a mark of the same kind opens inside
        stack: list[int] = []
        for k, ch in enumerate(text):
            if ch == opening:
                stack.append(k)
            elif ch == closing and stack:
                stack.pop()
        out += stack
    last = max(
        (k for k in range(1, len(text)) if text[k] == '"' and not text[k - 1].isspace()), default=-1
    )  # the last straight mark that can close
    out += [
        k
        for k, ch in enumerate(text)
        if ch == '"' and k >= last and (k == 0 or text[k - 1].isspace())
    ]
    return out


def _region(raw: str, q: Quotation, spans: list[_Span]) -> tuple[int, int]:
    """The stretch of the paragraph a quotation stands for: its marks, and a span around
    it; a block quotation's whole text."""
    start, end = q.start, q.end
    for s in spans:
        inside = s.open < start and end <= s.close + 1
        alone = not raw[s.open + 1 : start].strip() and not raw[end : s.close].strip(" .,;:!?")
        if inside and alone:
            start, end = s.open, s.end
    return start, end


def _shown(raw: str, markdown: bool) -> str:
    text = _markdown_plain(raw) if markdown else raw
    text = re.sub(r"\s+", " ", typography.visible(text)).strip()
    return typography.curl(text)


def _markdown_plain(markdown: str) -> str:
    from report.readers.mddraft import plain

    return plain(markdown)


def _markdown_runs(text: str) -> list[tuple[str, bool, bool]]:
    """Inline Markdown -> (text, italic, bold) runs: emphasis kept, link targets, code
    marks, escapes and HTML dropped."""
    from report.readers.mddraft import _parser

    runs: list[tuple[str, bool, bool]] = []
    italic = bold = 0
    for token in _parser().parseInline(text):
        for child in token.children or []:
            t = child.type
            if t in ("em_open", "em_close"):
                italic += 1 if t == "em_open" else -1
            elif t in ("strong_open", "strong_close"):
                bold += 1 if t == "strong_open" else -1
            elif t in ("text", "code_inline"):
                runs.append((child.content, italic > 0, bold > 0))
            elif t in ("softbreak", "hardbreak"):
                runs.append((" ", italic > 0, bold > 0))
    return runs


def _trimmed(pieces: list[Piece]) -> tuple[Piece, ...]:
    """Without white space at the paragraph's ends, and with runs of one look joined."""
    out: list[Piece] = []
    for piece in pieces:
        last = out[-1] if out else None
        if (
            isinstance(piece, Words)
            and isinstance(last, Words)
            and (last.italic, last.bold) == (piece.italic, piece.bold)
        ):
            joined = last.text + piece.text
            out[-1] = Words(re.sub(r"  +", " ", joined), piece.italic, piece.bold)
        elif not (isinstance(piece, Words) and not piece.text):
            out.append(piece)
    if out and isinstance(out[0], Words):
        out[0] = Words(out[0].text.lstrip(), out[0].italic, out[0].bold)
    if out and isinstance(out[-1], Words):
        out[-1] = Words(out[-1].text.rstrip(), out[-1].italic, out[-1].bold)
    return tuple(p for p in out if not (isinstance(p, Words) and not p.text))
