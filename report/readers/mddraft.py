"""A Markdown draft (.md, .qmd: Pandoc, Quarto, R Markdown) -> the draft model
(report.draft): its paragraphs, list items and table cells, its block quotations (`> …`),
its footnote references (`[^label]`, inline `^[…]`) and the footnotes' texts.

markdown-it-py (CommonMark, with mdit-py-plugins' footnotes and front matter) finds the
blocks; a block's text is its Markdown source, so that every offset maps back to the
file's `LINE:COL`, and `plain` turns a quotation's stretch into the words it shows
(emphasis, links and escapes resolved). Pandoc citations (`[@id]`) stay in the text, where
report.quotations finds them like any inline citation.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

from report.draft import Block, Draft, Mark, Note
from report.errors import DraftError, Location
from report.yamlfile import decode_text, read_bytes

MAX_DRAFT_BYTES = 8 * 1024 * 1024
_NOTE_REF = re.compile(r"\[\^([^\]\s]+)\]|\^\[((?:[^\[\]]|\[[^\[\]]*\])*)\]")
_CODE = re.compile(r"(`+)(?:(?!\1).)+?\1", re.DOTALL)
_INERT = str.maketrans({c: "\u2033" for c in '"“”„«»「」『』'})  # double primes


@cache
def _parser() -> Any:
    from markdown_it import MarkdownIt
    from mdit_py_plugins.footnote import footnote_plugin
    from mdit_py_plugins.front_matter import front_matter_plugin

    return MarkdownIt("commonmark").use(front_matter_plugin).use(footnote_plugin).enable("table")


def read_markdown_draft(path: Path, shown: str) -> Draft:
    text = decode_text(read_bytes(path, DraftError, MAX_DRAFT_BYTES, shown), shown, DraftError)
    lines = text.split("\n")
    blocks: list[Block] = []
    notes: dict[str, Note] = {}
    inline_notes = 0
    kinds: list[str] = []  # the enclosing blocks: "quote", "note"
    note_label = ""
    heading = False
    row: tuple[int, int] | None = None  # a table row's line and how far its cells are read
    for token in _parser().parse(text):
        t = token.type
        if t == "blockquote_open":
            kinds.append("quote")
        elif t == "blockquote_close":
            kinds.pop()
        elif t == "footnote_open":
            note_label = str(token.meta.get("label", token.meta.get("id")))
            kinds.append("note")
        elif t == "footnote_close":
            kinds.pop()
        elif t in ("heading_open", "heading_close"):
            heading = t == "heading_open"
        elif t == "tr_open" and token.map:
            row = (token.map[0], 0)
        elif t == "inline" and token.content.strip():
            if token.map:
                first = token.map[0]
            elif row is not None:
                first = row[0]
            else:
                continue
            locate, row = _locator(shown, lines, first, token.content, row)
            kind = "note" if "note" in kinds else "quote" if "quote" in kinds else "body"
            if heading:
                kind = "heading"
            marks = []
            for m in _note_refs(token.content):
                if m.group(1) is not None:
                    key = f"md:{m.group(1)}"
                else:  # an inline note: its text is the note
                    inline_notes += 1
                    key = f"md:^{inline_notes}"
                    where = locate(m.start())
                    notes[key] = Note(key, f"inline note {inline_notes}", m.group(2), where)
                marks.append(Mark(m.start(), m.end(), key=key))
            block = Block(
                text=_code_inert(token.content),
                kind=kind,
                locate=locate,
                marks=tuple(marks),
                note=f"md:{note_label}" if kind == "note" else "",
                plain=plain,
            )
            blocks.append(block)
            if kind == "note":
                _add_to_note(notes, note_label, block)
    return Draft(path=path, shown=shown, blocks=blocks, notes=_ordered(notes, blocks))


def _code_inert(text: str) -> str:
    """The text with the quotation marks inside code spans made inert (the same length,
    so offsets still hold): code is not prose, and `"x"` in it quotes nothing."""
    pieces, pos = [], 0
    for m in _CODE.finditer(text):
        pieces.append(text[pos : m.start()])
        pieces.append(m.group(0).translate(_INERT))
        pos = m.end()
    pieces.append(text[pos:])
    return "".join(pieces)


def _note_refs(text: str) -> list[re.Match[str]]:
    """Footnote references outside code spans."""
    code = [(m.start(), m.end()) for m in _CODE.finditer(text)]
    return [m for m in _NOTE_REF.finditer(text) if not any(a <= m.start() < b for a, b in code)]


def _add_to_note(notes: dict[str, Note], label: str, block: Block) -> None:
    key = f"md:{label}"
    words = plain(_NOTE_REF.sub("", block.text))
    links = tuple(_links(block.text))
    if key in notes:
        old = notes[key]
        notes[key] = Note(key, old.label, f"{old.text} {words}", old.location, old.urls + links)
    else:
        notes[key] = Note(key, f"note [^{label}]", words, block.locate(0), links)


def _ordered(notes: dict[str, Note], blocks: list[Block]) -> dict[str, Note]:
    """The notes in the order the text refers to them ("Ibid." follows that order)."""
    order = [m.key for b in blocks if b.kind != "note" for m in b.marks if m.key in notes]
    keys = list(dict.fromkeys([*order, *notes]))
    return {k: notes[k] for k in keys}


def _locator(
    shown: str, lines: list[str], first: int, content: str, row: tuple[int, int] | None
) -> tuple[Callable[[int], Location], tuple[int, int] | None]:
    """offset in `content` -> LINE:COL in the file: each of its lines is found in the
    source line it came from (after the block's `>` marks and indentation), a table
    cell in its row, after the cells before it."""
    starts: list[tuple[int, int, int]] = []  # (offset in content, file line, column)
    offset = 0
    for k, piece in enumerate(content.split("\n")):
        number = first + k
        source = lines[number] if number < len(lines) else ""
        after = row[1] if row is not None and row[0] == number else 0
        column = source.find(piece, after) if piece else after
        if column < 0:
            column = max(0, len(source) - len(source.lstrip()))
        starts.append((offset, number + 1, column + 1))
        if row is not None and row[0] == number:
            row = (number, column + len(piece))
        offset += len(piece) + 1

    def locate(at: int) -> Location:
        for start, line, column in reversed(starts):
            if at >= start:
                return Location(shown, line, column + at - start)
        return Location(shown, starts[0][1], starts[0][2])

    return locate, row


def plain(markdown: str) -> str:
    """The words a stretch of inline Markdown shows: emphasis, code marks, escapes and
    link targets dropped, footnote references left out."""
    tokens = _parser().parseInline(markdown)
    out: list[str] = []
    for token in tokens:
        for child in token.children or []:
            if child.type in ("text", "code_inline"):
                out.append(child.content)
            elif child.type in ("softbreak", "hardbreak"):
                out.append(" ")
    return "".join(out)


def _links(markdown: str) -> list[str]:
    tokens = _parser().parseInline(markdown)
    return [
        str(child.attrs.get("href"))
        for token in tokens
        for child in token.children or []
        if child.type == "link_open" and child.attrs.get("href")
    ]
