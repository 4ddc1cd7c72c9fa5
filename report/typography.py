"""Plain typed text -> typographic text: curly quotes and apostrophes, real dashes; and
text from the input -> text a reader may see: no control characters.

Used on the author's own prose and, where the source itself is set that way, on quotes
(report.brief). Only quotation marks and `--` change; every letter stays as written.
Control characters (ESC, BEL, NUL, DEL, the C1 range) are never rendered: a line or
paragraph break among them (U+0085 NEL, U+2028, tab) stands for a space, the others are
dropped, whether the outline or sources.yaml holds them.
"""

from __future__ import annotations

import re

_OPENS_AFTER = " \t\n([{\u2014\u2013/-"  # a mark after these (or at the start) opens

DOUBLE = ("\u201c", "\u201d")  # “ ”
SINGLE = ("\u2018", "\u2019")  # ‘ ’
_BREAKS = "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f\x85\u2028\u2029"  # str.split()'s white space
_VISIBLE = {
    **{c: None for c in [*range(0x20), *range(0x7F, 0xA0), 0xFFFE, 0xFFFF]},
    **{ord(c): " " for c in _BREAKS},
}


def curl(text: str, double: bool = True, single: bool = True) -> str:
    """Straight quotation marks -> curly ones; `--` -> an em dash.

    A mark at the start or after white space or an opening bracket opens; any other closes.
    A single mark between two letters or digits is an apostrophe (’), and so is one before
    a digit ('90s)."""
    out: list[str] = []
    for i, ch in enumerate(text):
        prev = text[i - 1] if i else " "
        nxt = text[i + 1] if i + 1 < len(text) else " "
        if ch == '"' and double:
            out.append(DOUBLE[0] if prev in _OPENS_AFTER else DOUBLE[1])
        elif ch == "'" and single:
            opens = prev in _OPENS_AFTER and not nxt.isdigit()
            out.append(SINGLE[0] if opens else SINGLE[1])
        else:
            out.append(ch)
    return re.sub(r"\s*--\s*", "\u2014", "".join(out))


def nest(text: str) -> str:
    """Double quotation marks inside a quotation -> single ones (“new era” -> ‘new era’),
    as style guides want when the quotation itself is set in double marks."""
    return text.replace(DOUBLE[0], SINGLE[0]).replace(DOUBLE[1], SINGLE[1])


def visible(text: str) -> str:
    """Text without control characters: breaks among them as spaces, the rest dropped."""
    return text.translate(_VISIBLE)


def line(text: str) -> str:
    """Text as one line: control characters gone, white space runs as one space."""
    return " ".join(visible(text).split())


def paragraphs(text: str | None) -> tuple[str, ...]:
    """A YAML block of prose -> its paragraphs (split at blank lines, lines joined)."""
    if not text:
        return ()
    blocks = re.split(r"\n\s*\n", text.strip())
    return tuple(p for p in map(line, blocks) if p)
