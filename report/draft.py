"""The draft model that the draft readers give and the audit reads: a draft (Word or
Markdown) as blocks of text with their citation marks, and its notes.

Each reader (report.readers.docxdraft, report.readers.mddraft) turns its format into this
model; everything after it (finding quotations, linking notes to sources, verifying) is the
same for every format. A reader keeps what it needs to write back (the Word file's XML for
comments) in `handle`s that nothing else reads.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from report.errors import Location


@dataclass(frozen=True, slots=True)
class Mark:
    """A citation at a place in a block's text, [start, end): a note reference (`key` names
    the note; zero-width in Word, `[^1]` in Markdown) or an inline citation (`[@id]`,
    `(Author 2020)`; `key` is "" and `text` is what the brackets hold)."""

    start: int
    end: int
    key: str = ""
    text: str = ""

    @property
    def is_note(self) -> bool:
        return bool(self.key)


@dataclass(eq=False)
class Block:
    """One paragraph of the draft as a reader reads it.

    `kind` is "body", "quote" (a block quotation: a quote style, or indented as one),
    "heading" (not searched for quotations) or "note" (a paragraph of the note `note`).
    `locate` turns an offset in `text` into a place in the draft file. `plain` turns a
    stretch of `text` into the words it shows (Markdown drops its markup; Word's text is
    already plain)."""

    text: str
    kind: str
    locate: Callable[[int], Location]
    marks: tuple[Mark, ...] = ()
    note: str = ""
    plain: Callable[[str], str] | None = None
    handle: Any = None

    def shown(self, start: int, end: int) -> str:
        words = self.text[start:end]
        return self.plain(words) if self.plain is not None else words


@dataclass(eq=False)
class Note:
    """A footnote or endnote (or a Markdown footnote): its whole text, and where it is."""

    key: str
    label: str  # as messages name it: "footnote 3", "endnote 1", "note [^src]"
    text: str  # its paragraphs joined by spaces
    location: Location
    urls: tuple[str, ...] = ()  # link targets its text does not show (Word hyperlinks)
    handle: Any = None


@dataclass(eq=False)
class Draft:
    path: Path
    shown: str  # the path as messages show it
    blocks: list[Block]
    notes: dict[str, Note] = field(default_factory=dict)  # by key, in reading order
    insertions: int = 0  # tracked changes, read as accepted
    deletions: int = 0
    handle: Any = None

    @property
    def tracked_changes(self) -> int:
        return self.insertions + self.deletions
