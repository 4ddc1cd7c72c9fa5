"""Normalised text -> where its sentences end (abbreviations such as "Mr." and "U.S." do not
end one). Shared by the context warnings and `report find`."""

from __future__ import annotations

import re

# A sentence ends at . ! or ?, perhaps followed by closing quotation marks or brackets, where
# the next word starts after a space.
_SENTENCE_END = re.compile(r"[.!?]+[\"')\]]*(?= [\"'(\[\w])")
_WORD_BEFORE = re.compile(r"(\w+)$")
ABBREVIATIONS = frozenset(
    {"mr", "mrs", "ms", "dr", "st", "jr", "sr", "gen", "sen", "rep", "gov", "prof", "no", "vs",
     "inc", "corp", "co", "ltd", "col", "lt", "capt", "sgt", "mt", "ft", "dept", "univ"}
)  # fmt: skip


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
        word = _WORD_BEFORE.search(text, max(lo, m.start() - 12), m.start())
        before = word.group(1) if word else ""
        if m.group().startswith(".") and (
            before.lower() in ABBREVIATIONS or (len(before) == 1 and before.isupper())
        ):
            continue  # "Mr. Xi", "U.S. officials", "Vladimir V. Putin"
        out.append(m.end())
    return out


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
