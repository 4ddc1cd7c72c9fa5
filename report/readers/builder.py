"""Chunks of extracted text with their offsets -> a TextLayer (text, paragraphs, offset map).

The HTML, PDF and Word readers all extract text piece by piece; this builder lays the pieces
out the same way for all of them: white space inside a paragraph collapses to one space (or
one line break), paragraphs are joined by a blank line, and every character keeps the offset
in the decoded file (or extracted text) it came from.
"""

from __future__ import annotations

import re

from report.offsets import OffsetMap
from report.textlayer import TextLayer

_PIECES = re.compile(r"\S+|\s+")
_IRREGULAR = re.compile(r"[^\S ]|  ")  # white space that is not one plain space
# Control characters (ESC, BEL...) are not text: they never reach the layer, from any reader.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f-\x84\x86-\x9f]+")


class LayerBuilder:
    """Append text; break lines and paragraphs; `build` returns the TextLayer."""

    def __init__(self) -> None:
        self._out: list[str] = []
        self._map = OffsetMap()
        self._paragraphs: list[tuple[int, int]] = []
        self._length = 0
        self._para_start: int | None = None
        self._pending: tuple[str, int, bool] | None = None  # a space or "\n" not yet written
        self._notes: list[tuple[str, int, int]] = []

    def text(self, chunk: str, src: int, identity: bool = True, note: str = "") -> None:
        """Append `chunk`, whose first character is at `src` (identity: one to one); its
        words are a note of kind `note` when one is given (TextLayer.notes)."""
        if _CONTROL.search(chunk):
            if not identity:
                chunk = _CONTROL.sub("", chunk)
            else:
                pos = 0
                for m in _CONTROL.finditer(chunk):
                    self.text(chunk[pos : m.start()], src + pos, True, note)
                    pos = m.end()
                chunk, src = chunk[pos:], src + pos
        if not chunk:
            return
        if not identity:  # a decoded reference or ligature: one unit, mapped to its start
            if chunk.strip():
                self._word(chunk, src, False, note)
            else:
                self.space(src)
            return
        words = chunk.strip()
        if words and not _IRREGULAR.search(words):  # words and single spaces: one piece
            lead = len(chunk) - len(chunk.lstrip())
            if lead:
                self.space(src, exact=chunk[:lead] == " ")
            self._word(words, src + lead, True, note)
            trail = len(chunk) - lead - len(words)
            if trail:
                self.space(src + lead + len(words), exact=chunk[-trail:] == " ")
            return
        for m in _PIECES.finditer(chunk):
            piece = m.group()
            if piece[0].isspace():
                self.space(src + m.start(), exact=piece == " ")
            else:
                self._word(piece, src + m.start(), True, note)

    def space(self, src: int, exact: bool = False) -> None:
        """White space at `src`: one space before the next word of this paragraph."""
        if self._para_start is not None and self._pending is None:
            self._pending = (" ", src, exact)

    def line_break(self, src: int) -> None:
        """A line break inside the paragraph (stronger than a space)."""
        if self._para_start is not None:
            self._pending = ("\n", src, False)

    def end_paragraph(self) -> None:
        if self._para_start is not None:
            self._paragraphs.append((self._para_start, self._length))
            self._para_start = None
        self._pending = None

    @property
    def length(self) -> int:
        """Characters written so far: the layer offset of the next one."""
        return self._length

    @property
    def in_paragraph(self) -> bool:
        return self._para_start is not None

    def _word(self, piece: str, src: int, identity: bool, note: str = "") -> None:
        if self._para_start is None:
            if self._paragraphs:
                self._emit("\n\n", src, False)
            self._para_start = self._length
        elif self._pending is not None:
            sep, at, exact = self._pending
            self._emit(sep, at, exact)
        self._pending = None
        start = self._length
        self._emit(piece, src, identity)
        if note:
            notes = self._notes
            # one note for a run of words of the same kind, the spaces between included
            if notes and notes[-1][0] == note and start - notes[-1][2] <= 1:
                notes[-1] = (note, notes[-1][1], self._length)
            else:
                notes.append((note, start, self._length))

    def _emit(self, text: str, src: int, identity: bool) -> None:
        self._out.append(text)
        self._map.add(len(text), src, identity)
        self._length += len(text)

    def build(
        self, line_starts: tuple[int, ...], line_labels: tuple[tuple[int, int, str], ...] = ()
    ) -> TextLayer:
        self.end_paragraph()
        return TextLayer(
            "".join(self._out),
            tuple(self._paragraphs),
            self._map,
            line_starts,
            line_labels,
            notes=tuple(self._notes),
        )
