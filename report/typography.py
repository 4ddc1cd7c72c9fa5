"""Plain typed text -> typographic text: curly quotes and apostrophes, real dashes.

Used on the author's own prose and, where the source itself is set that way, on quotes
(report.brief). Only quotation marks and `--` change; every letter stays as written.
"""

from __future__ import annotations

import re

_OPENS_AFTER = " \t\n([{\u2014\u2013/-"  # a mark after these (or at the start) opens

DOUBLE = ("\u201c", "\u201d")  # “ ”
SINGLE = ("\u2018", "\u2019")  # ‘ ’


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


def paragraphs(text: str | None) -> tuple[str, ...]:
    """A YAML block of prose -> its paragraphs (split at blank lines, lines joined)."""
    if not text:
        return ()
    blocks = re.split(r"\n\s*\n", text.strip())
    return tuple(" ".join(b.split()) for b in blocks if b.strip())
