"""Text -> its normalised form: the one definition of "verbatim" (SPEC: What verbatim means).

Both sides of every comparison go through `normalize`: a source's text layer and a quote.
The normalisation is typographic only; it never makes two different words equal:

- Unicode NFC;
- quotation marks fold to ' and ": curly, straight, low and reversed ones, primes,
  guillemets (« » to ", ‹ › to '), CJK corner brackets (「 」 to ", 『 』 to '), full-width
  marks, and doubled single marks (`''`, `‘‘`, `’’`, two backticks: LaTeX's double quotes);
  white space on the inner side of a « or » (French `« mot »`) is dropped, so `« mot »`
  and `"mot"` are equal;
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
_MARKS: tuple[tuple[str, str], ...] = (
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
)
# Quotation marks of other languages: rarer, so found by one scan before any replacing.
_FOREIGN_MARKS: tuple[tuple[str, str], ...] = (
    ("\u00ab", '"'),  # «
    ("\u00bb", '"'),  # »
    ("\u2039", "'"),  # ‹
    ("\u203a", "'"),  # ›
    ("\u300c", '"'),  # 「 (Chinese and Japanese quotation marks)
    ("\u300d", '"'),  # 」
    ("\u300e", "'"),  # 『 (quotation marks inside quotation marks)
    ("\u300f", "'"),  # 』
    ("\u301d", '"'),  # 〝
    ("\u301e", '"'),  # 〞
    ("\u301f", '"'),  # 〟
    ("\uff02", '"'),  # ＂ full-width
    ("\uff07", "'"),  # ＇
)
_SAME_LENGTH: tuple[tuple[str, str], ...] = (
    *_MARKS,
    *_FOREIGN_MARKS,
    # every other character for which str.isspace() is true (\s in a regex)
    *((c, " ") for c in "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f\x85\xa0\u1680\u2000\u2001\u2002"),
    *((c, " ") for c in "\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029"),
    *((c, " ") for c in "\u202f\u205f\u3000"),
)
_ASCII_SPACES = (("\n", " "), ("\t", " "))
_COMMON = (*_MARKS, *_ASCII_SPACES, ("\u00a0", " "))
# Every other white-space character and foreign quotation mark: rare, so found by one scan
# before any replacing.
_RARE = re.compile(
    "["
    + re.escape("".join(old for old, _ in _SAME_LENGTH[len(_MARKS) :] if old not in "\n\t\u00a0"))
    + "]"
)
# « and »: white space on their inner side is French typography (a no-break space, or a
# plain one on the web), not a word boundary of the quoted words. Inner means after « when
# something other than a word or a sentence's punctuation stands before it (German and
# Danish write »Wort« the other way round: a space after a closing « is outside), and
# before » when no word follows it (a German opening » is followed by its first word).
_GUILLEMET = re.compile("[\u00ab\u00bb]")
_GLUED_BEFORE = ".,;:!?"
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


def visible(text: str) -> str:
    """`text` without the characters that vanish in normalising (soft hyphens, zero-width
    and control characters): what a suggested quote should hold, as it verifies the same."""
    return _VANISHES.sub("", text)


def tokens_unchanged(text: str) -> bool:
    """Whether normalising `text` changes only what a word tokenizer skips (quotation
    marks, dashes, ellipses, white space): true unless it has characters that vanish or is
    not in NFC. The passage index reads such a text's paragraphs as they are."""
    return _VANISHES.search(text) is None and unicodedata.is_normalized("NFC", text)


def _normalize_visible(text: str) -> Normalized:
    if not unicodedata.is_normalized("NFC", text):
        return _normalize_non_nfc(text)
    return _normalize_nfc(_same_length(text), _guillemets(text))


def normalize_text(text: str) -> str:
    """The normalised string alone (for quotes and short strings)."""
    return normalize(text).text


def _same_length(text: str) -> str:
    common = _ASCII_SPACES[:2] if text.isascii() else _COMMON
    for old, new in common:
        if old in text:
            text = text.replace(old, new)
    if _RARE.search(text):
        for old, new in _SAME_LENGTH:
            if old in text:
                text = text.replace(old, new)
    return text


def _guillemets(text: str) -> list[tuple[int, bool]]:
    """(offset, is it «) of each « and » of `text` (they are folded to " before `_edits`
    looks for the white space beside them)."""
    if text.isascii() or _GUILLEMET.search(text) is None:
        return []
    return [(m.start(), m.group() == "\u00ab") for m in _GUILLEMET.finditer(text)]


def _inner_spaces(text: str, guillemets: list[tuple[int, bool]]) -> list[tuple[int, int]]:
    """The runs of spaces on the inner side of a « or » (see _GUILLEMET)."""
    runs = []
    n = len(text)
    for pos, opening in guillemets:
        if opening:
            end = pos + 1
            while end < n and text[end] == " ":
                end += 1
            before = text[pos - 1] if pos else " "
            if end > pos + 1 and not (before.isalnum() or before in _GLUED_BEFORE):
                runs.append((pos + 1, end))
        else:
            start = pos
            while start > 0 and text[start - 1] == " ":
                start -= 1
            after = text[pos + 1] if pos + 1 < n else " "
            if start < pos and not (after.isalnum() or after == "_"):
                runs.append((start, pos))
    return runs


def _edits(text: str, guillemets: list[tuple[int, bool]] = ()) -> list[tuple[int, int, str]]:
    """The length-changing replacements of a text whose white space is all plain spaces,
    as sorted (start, end, replacement): a dash (em dash or `--`) with the spaces around
    it, the spaces inside « », a run of two or more spaces, an ellipsis, a doubled single
    quotation mark. Found with str.find, which scans in C, rather than a regex tried at
    every position."""
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
    if guillemets:
        # A run of spaces next to a dash is the dash's already; one between « and » is
        # dropped once.
        claimed = {pos for lo, hi, _ in edits for pos in range(lo, hi)}
        for lo, hi in _inner_spaces(text, guillemets):
            if lo not in claimed and hi - 1 not in claimed:
                claimed.update(range(lo, hi))
                edits.append((lo, hi, ""))
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
    # Two single marks for a double one (LaTeX's ``...'', and ‘‘...’’ from its PDFs).
    edits.extend((i, j, '"') for i, j in _positions(text, "''", 2))
    edits.extend((i, j, '"') for i, j in _positions(text, "``", 2))
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


def _normalize_nfc(text: str, guillemets: list[tuple[int, bool]] = ()) -> Normalized:
    out: list[str] = []
    omap = OffsetMap()
    pos = 0
    for start, end, repl in _edits(text, guillemets):
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
    inner = _normalize_nfc(_same_length(composed_text), _guillemets(composed_text))
    # Chained run by run, not character by character (10 MB of decomposed text: 17 s -> 2 s).
    return Normalized(inner.text, inner.map.then(nfc_map))
