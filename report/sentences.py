"""Normalised text -> where its sentences end (abbreviations such as "Mr.", "Oct. 25",
"U.S." and "e.g." do not end one). Shared by the context warnings and `report find`."""

from __future__ import annotations

import re

# A sentence ends at . ! or ?, perhaps followed by closing quotation marks or brackets, where
# the next word starts after a space, with anything but a lower-case letter (a lower-case
# word goes on the same sentence: "e.g. the", "approx. ten").
_SENTENCE_END = re.compile(r"[.!?]+[\"')\]]*(?= [\"'(\[]*(\w))")
_WORD_BEFORE = re.compile(r"(\.?)(\w+)$")
ABBREVIATIONS = frozenset(
    {"mr", "mrs", "ms", "dr", "st", "jr", "sr", "gen", "sen", "rep", "gov", "prof", "no", "vs",
     "inc", "corp", "co", "ltd", "col", "lt", "capt", "sgt", "mt", "ft", "dept", "univ",
     "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
     "adm", "maj", "cmdr", "pres", "supt", "hon", "rev", "messrs", "mme", "mlle", "ave",
     "blvd", "rd", "bros", "nos", "vol", "vols", "fig", "figs", "eq", "pp", "cf", "al",
     "approx", "est", "ca", "viz", "etc"}
)  # fmt: skip
# After these, a number goes on the sentence ("No. 5", "Oct. 25", "Fig. 3"); before any
# other word they may end one.
_BEFORE_NUMBERS = frozenset(
    {"no", "nos", "vol", "vols", "fig", "figs", "eq", "pp", "jan", "feb", "mar", "apr", "jun",
     "jul", "aug", "sep", "sept", "oct", "nov", "dec", "approx", "ca", "est"}
)  # fmt: skip
_TITLES = ABBREVIATIONS - _BEFORE_NUMBERS - {"etc", "al", "cf", "viz"}


_MEMO_SIZE = 10_000
_memo: tuple[str | None, dict[tuple[int, int], tuple[int, ...]]] = (None, {})


def sentence_ends(text: str, lo: int = 0, hi: int | None = None) -> list[int]:
    """Offsets just past each sentence end in text[lo:hi] (the last sentence of the range
    may end without one). Remembered for the text last asked about: its quotes are checked
    one after another, and many share a paragraph (each quote asks twice)."""
    global _memo
    hi = len(text) if hi is None else hi
    memo_text, memo = _memo
    if memo_text is not text or len(memo) > _MEMO_SIZE:
        memo = {}
        _memo = (text, memo)
    ends = memo.get((lo, hi))
    if ends is None:
        ends = memo[lo, hi] = tuple(_sentence_ends(text, lo, hi))
    return list(ends)


def _sentence_ends(text: str, lo: int, hi: int) -> list[int]:
    out = []
    for m in _SENTENCE_END.finditer(text, lo, hi):
        if m.group(1).islower():
            continue
        if m.group().startswith(".") and _abbreviation(text, lo, m.start(), m.end()):
            continue
        out.append(m.end())
    return out


def _abbreviation(text: str, lo: int, dot: int, end: int) -> bool:
    """Whether the full stop at `dot` ends an abbreviation that goes on the sentence:
    "Mr. Xi", "U.S. officials", "Vladimir V. Putin", "e.g. China", "Oct. 25", "No. 5"."""
    word = _WORD_BEFORE.search(text, max(lo, dot - 12), dot)
    if word is None:
        return False
    before = word.group(2).lower()
    if len(before) == 1 and (word.group(2).isupper() or word.group(1)):
        return True  # an initial, or the last letter of "e.g.", "i.e.", "a.m."
    if before in _TITLES:
        return True
    nxt = text[end + 1 : end + 2]
    return before in _BEFORE_NUMBERS and nxt.isdigit()


def sentence_spans(text: str, lo: int = 0, hi: int | None = None) -> list[tuple[int, int]]:
    """[start, end) of each sentence of text[lo:hi], without the spaces between them."""
    hi = len(text) if hi is None else hi
    spans, start = [], lo
    for end in [*sentence_ends(text, lo, hi), hi]:
        while start < end and text[start].isspace():
            start += 1
        stop = end
        while stop > start and text[stop - 1].isspace():
            stop -= 1
        if stop > start:
            spans.append((start, stop))
        start = end
    return spans
