"""Text -> its normalised form: the one definition of "verbatim" (SPEC: What verbatim means).

Both sides of every comparison go through `normalize`: a source's text layer and a quote.
The normalisation is typographic only; it never makes two different words equal:

- Unicode NFC;
- curly/straight/low quotation marks and primes fold to ' and ";
- em dash, en dash, horizontal bar and `--` fold to one em dash, with the spaces around them
  dropped; a hyphen stays a hyphen;
- `…` becomes `...`; every run of white space becomes one space; soft hyphens and
  zero-width and control characters vanish.

Case is not folded: the quote matcher (report.quote) allows only the first letter of a
quote, and of each part after an omission, to differ in case.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from report.offsets import OffsetMap

# One-for-one replacements keep every offset where it was.
_SAME_LENGTH = str.maketrans(
    {
        "\u2019": "'",  # ’
        "\u2018": "'",  # ‘
        "\u201a": "'",  # ‚
        "\u2032": "'",  # ′
        "\u201b": "'",  # ‛
        "\u201c": '"',  # “
        "\u201d": '"',  # ”
        "\u201e": '"',  # „
        "\u2033": '"',  # ″
        "\u201f": '"',  # ‟
        "\u2013": "\u2014",  # – en dash
        "\u2015": "\u2014",  # ― horizontal bar
    }
)

_SAME_PAIRS = [(chr(k), str(v)) for k, v in _SAME_LENGTH.items()]

# Replacements that change length, found in one left-to-right scan.
# A lone plain space is already normal, so it is not an edit: matching it would split the
# output into one piece per word (10 s and ~15x the text's size in memory for a 50 MB source).
_EDITS = re.compile(r"\s*(?:\u2014|--)\s*|\s{2,}|[^\S ]|\u2026")
# Characters that are not text vanish first, so that what they separated is normalised
# as if they were never there ("a \u200b b", "-\u00ad-"). Control characters other than
# white space (ESC, BEL, ...) are among them: left in, they would reach a terminal or a
# CI log when a passage is shown.
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


def _normalize_visible(text: str) -> Normalized:
    if not unicodedata.is_normalized("NFC", text):
        return _normalize_non_nfc(text)
    return _normalize_nfc(_same_length(text))


def _same_length(text: str) -> str:
    # str.translate looks every character up in a dict (2.5 s for 50 MB); one str.replace
    # per character that occurs is C-speed.
    for char, repl in _SAME_PAIRS:
        if char in text:
            text = text.replace(char, repl)
    return text


def normalize_text(text: str) -> str:
    """The normalised string alone (for quotes and short strings)."""
    return normalize(text).text


def _normalize_nfc(text: str) -> Normalized:
    out: list[str] = []
    omap = OffsetMap()
    pos = 0
    for m in _EDITS.finditer(text):
        start, end = m.span()
        if start > pos:
            out.append(text[pos:start])
            omap.add(start - pos, pos)
        token = m.group()
        if token.isspace():
            repl = " "
        elif token == "\u2026":
            repl = "..."
        else:  # a dash with the white space around it
            repl = DASH
            start = start + token.index(token.strip()[0])  # map to the dash itself
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
