"""Text -> its normalised form: the one definition of "verbatim" (SPEC: What verbatim means).

Both sides of every comparison go through `normalize`: a source's text layer and a quote.
The normalisation is typographic only; it never makes two different words equal:

- Unicode NFC;
- curly/straight/low quotation marks and primes fold to ' and ";
- em dash, en dash, horizontal bar and `--` fold to one em dash, with the spaces around them
  dropped; a hyphen stays a hyphen;
- `…` becomes `...`; every run of white space becomes one space; soft hyphens and
  zero-width characters vanish.

Case is not folded: the quote matcher (report.quote) allows only the first letter of a
quote, and of each part after an omission, to differ in case.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from report.offsets import OffsetMap

# One-for-one replacements keep every offset where it was. A chain of str.replace (each a
# fast C scan, skipped when the character is absent) is far faster than str.translate on
# text that is not pure ASCII. Every white-space character becomes a plain space here, so
# the length-changing pass below only has runs of spaces to fold.
_SAME_LENGTH: tuple[tuple[str, str], ...] = (
    ("\u2019", "'"),  # ’
    ("\u2018", "'"),  # ‘
    ("\u201a", "'"),  # ‚
    ("\u2032", "'"),  # ′
    ("\u201b", "'"),  # ‛
    ("\u201c", '"'),  # “
    ("\u201d", '"'),  # ”
    ("\u201e", '"'),  # „
    ("\u2033", '"'),  # ″
    ("\u201f", '"'),  # ‟
    ("\u2013", "\u2014"),  # – en dash
    ("\u2015", "\u2014"),  # ― horizontal bar
    # every other character for which str.isspace() is true (\s in a regex)
    *((c, " ") for c in "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f\x85\xa0\u1680\u2000\u2001\u2002"),
    *((c, " ") for c in "\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029"),
    *((c, " ") for c in "\u202f\u205f\u3000"),
)
_ASCII_SPACES = (("\n", " "), ("\t", " "))
_COMMON = (*_SAME_LENGTH[:12], *_ASCII_SPACES, ("\u00a0", " "))
# Every other white-space character: rare, so found by one scan before any replacing.
_RARE_SPACE = re.compile(
    "[" + re.escape("".join(old for old, _ in _SAME_LENGTH[12:] if old not in "\n\t\u00a0")) + "]"
)
# Characters that are not text vanish first, so that what they separated is normalised
# as if they were never there ("a \u200b b", "-\u00ad-"): soft hyphen, zero-width
# characters, and control characters other than white space (ESC, BEL, ...), which left in
# would reach a terminal or a CI log when a passage is shown.
_VANISHES = re.compile("[\u00ad\u200b\u200c\u200d\u2060\ufeff\x00-\x08\x0e-\x1b\x7f-\x84\x86-\x9f]")
DASH = "\u2014"


@dataclass(frozen=True, slots=True)
class Normalized:
    """A normalised text and the map from its offsets back to the input's offsets."""

    text: str
    map: OffsetMap


def normalize(text: str) -> Normalized:
    """Normalise `text`, keeping a map from every output offset back into `text`."""
    if _VANISHES.search(text) is None:
        return _normalize_visible(text)
    kept = OffsetMap()
    pieces: list[str] = []
    pos = 0
    for m in _VANISHES.finditer(text):
        pieces.append(text[pos : m.start()])
        kept.add(m.start() - pos, pos)
        pos = m.end()
    pieces.append(text[pos:])
    kept.add(len(text) - pos, pos)
    inner = _normalize_visible("".join(pieces))
    return Normalized(inner.text, inner.map.then(kept))


def tokens_unchanged(text: str) -> bool:
    """Whether normalising `text` changes only what a word tokenizer skips (quotation
    marks, dashes, ellipses, white space): true unless it has characters that vanish or is
    not in NFC. The passage index reads such a text's paragraphs as they are."""
    return _VANISHES.search(text) is None and unicodedata.is_normalized("NFC", text)


def _normalize_visible(text: str) -> Normalized:
    if not unicodedata.is_normalized("NFC", text):
        return _normalize_non_nfc(text)
    return _normalize_nfc(_same_length(text))


def normalize_text(text: str) -> str:
    """The normalised string alone (for quotes and short strings)."""
    return normalize(text).text


def _same_length(text: str) -> str:
    common = _ASCII_SPACES[:2] if text.isascii() else _COMMON
    for old, new in common:
        if old in text:
            text = text.replace(old, new)
    if _RARE_SPACE.search(text):
        for old, new in _SAME_LENGTH:
            if old in text:
                text = text.replace(old, new)
    return text


def _edits(text: str) -> list[tuple[int, int, str]]:
    """The length-changing replacements of a text whose white space is all plain spaces,
    as sorted (start, end, replacement): a dash (em dash or `--`) with the spaces around
    it, a run of two or more spaces, an ellipsis. Found with
    str.find, which scans in C, rather than a regex tried at every position."""
    edits: list[tuple[int, int, str]] = []
    find = text.find
    n = len(text)
    dashes = _positions(text, DASH, 1) + _positions(text, "--", 2)
    dashes.sort()
    prev_end = 0
    for start, end in dashes:
        # The spaces before a dash are its own, unless an earlier dash took them.
        lo = start
        while lo > prev_end and text[lo - 1] == " ":
            lo -= 1
        hi = end
        while hi < n and text[hi] == " ":
            hi += 1
        edits.append((lo, hi, DASH))
        prev_end = hi
    if "  " in text:
        taken = {e[0] for e in edits} | {e[1] for e in edits}
        runs = []
        i = find("  ")
        while i >= 0:
            j = i + 2
            while j < n and text[j] == " ":
                j += 1
            # A run that touches a dash belongs to the dash.
            if i not in taken and j not in taken:
                runs.append((i, j, " "))
            i = find("  ", j)
        edits.extend(runs)
    edits.extend((i, j, "...") for i, j in _positions(text, "\u2026", 1))
    edits.sort()
    return edits


def _positions(text: str, token: str, size: int) -> list[tuple[int, int]]:
    """Non-overlapping occurrences of `token` (of length `size`), left to right."""
    out: list[tuple[int, int]] = []
    if token not in text:
        return out
    find = text.find
    i = find(token)
    while i >= 0:
        out.append((i, i + size))
        i = find(token, i + size)
    return out


def _normalize_nfc(text: str) -> Normalized:
    out: list[str] = []
    omap = OffsetMap()
    pos = 0
    for start, end, repl in _edits(text):
        if start > pos:
            out.append(text[pos:start])
            omap.add(start - pos, pos)
        if repl == DASH:
            start = text.index(text[start:end].strip(" ")[0], start)  # map to the dash itself
        out.append(repl)
        omap.add(len(repl), start, identity=len(repl) == 1 and end - start == 1)
        pos = end
    if pos < len(text):
        out.append(text[pos:])
        omap.add(len(text) - pos, pos)
    return Normalized("".join(out), omap)


def _normalize_non_nfc(text: str) -> Normalized:
    # Rare path: compose per white-space-separated token (composition never crosses white
    # space), then run the ordinary pass and chain the two maps.
    pieces: list[str] = []
    nfc_map = OffsetMap()
    for m in re.finditer(r"\S+|\s+", text):
        token = m.group()
        composed = unicodedata.normalize("NFC", token)
        pieces.append(composed)
        nfc_map.add(len(composed), m.start(), identity=composed == token)
    composed_text = "".join(pieces)
    inner = _normalize_nfc(_same_length(composed_text))
    # Chained run by run, not character by character (10 MB of decomposed text: 17 s -> 2 s).
    return Normalized(inner.text, inner.map.then(nfc_map))
