"""A quote that was not found -> the closest passage in a source or the whole corpus, and
a word-level difference between the two.

Candidate paragraphs are scored with rapidfuzz's partial ratio (the best-matching substring
of a paragraph), and the winner is aligned to the quote and widened to whole words.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from typing import Any

from rapidfuzz import fuzz

from report.corpus import SourceText
from report.findings import Closest, DiffOp

_TOKEN = re.compile(r"\S+")
_PUNCTUATION = "\"'.,;:!?()[]{}\u2014-"
_WORDS = re.compile(r"\w+")


def closest_passage(plain: str, texts: Iterable[SourceText]) -> Closest | None:
    """The passage of `texts` nearest to `plain` (a quote with its marks taken out), trying
    every paragraph of every text."""
    return closest_among(plain, ((t, k) for t in texts for k in range(len(t.para_starts))))


def closest_among(plain: str, paragraphs: Iterable[tuple[SourceText, int]]) -> Closest | None:
    """The passage nearest to `plain` among the given (text, paragraph number) pairs; the
    first of equal scores wins, so callers pass paragraphs in corpus order."""
    ranked = ((n, text, k) for n, (text, k) in enumerate(paragraphs))
    return closest_two(plain, ranked, None)[1]


def closest_two(
    plain: str, paragraphs: Iterable[tuple[Any, SourceText, int]], source_id: str | None
) -> tuple[Closest | None, Closest | None]:
    """In one pass: the passage nearest to `plain` in source `source_id`, and among all the
    given (rank, text, paragraph number) triples; of equal scores the lowest rank wins.

    The triples may come in any order; the likeliest first make it faster, as each score
    is only computed in full when it can reach the best so far (rapidfuzz's cutoff)."""
    best: _Best | None = None
    best_in: _Best | None = None
    for rank, text, k in paragraphs:
        starts = text.para_starts
        start = starts[k]
        end = starts[k + 1] if k + 1 < len(starts) else len(text.text)
        mine = text.source.id == source_id
        floor = best_in if mine else best
        score = fuzz.partial_ratio(
            plain, text.text[start:end], score_cutoff=floor[0] if floor else 0
        )
        found = (score, rank, text, start, end)
        if mine and _better(found, best_in):
            best_in = found
        if _better(found, best):
            best = found
    in_named = _closest(plain, best_in)
    if best is best_in:  # the same paragraph: aligned once
        return in_named, in_named
    return in_named, _closest(plain, best)


def _better(found: _Best, best: _Best | None) -> bool:
    if best is None:
        return True
    return found[0] > best[0] or (found[0] == best[0] and found[0] > 0 and found[1] < best[1])


_Best = tuple[float, Any, SourceText, int, int]


def _closest(plain: str, best: _Best | None) -> Closest | None:
    if best is None:
        return None
    score, _, text, start, end = best
    a = fuzz.partial_ratio_alignment(plain, text.text[start:end])
    if a is None:
        return None
    p_start, p_end = _widen(text.text, start + a.dest_start, start + a.dest_end, start, end)
    p_start, p_end = _fit_words(text.text, p_start, p_end, start, end, plain)
    p_start, p_end = _trim(text.text, p_start, p_end, plain)
    passage = text.text[p_start:p_end]
    # The diff compares normalised text (a curly apostrophe is no difference); the passage
    # is shown as the source has it, markup removed and line breaks folded.
    shown = text.layer.text[text.norm.map(p_start) : text.norm.map(p_end)]
    return Closest(
        source_id=text.source.id,
        passage=" ".join(shown.split()),
        location=text.location(p_start),
        score=round(score, 1),
        diff=word_diff(plain, passage),
        kind=diff_kind(plain, passage),
    )


def _widen(text: str, start: int, end: int, lo: int, hi: int) -> tuple[int, int]:
    """Grow [start, end) to whole words, never past the paragraph [lo, hi)."""
    while start > lo and not text[start - 1].isspace():
        start -= 1
    while end < hi and not text[end].isspace():
        end += 1
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _fit_words(text: str, start: int, end: int, lo: int, hi: int, plain: str) -> tuple[int, int]:
    """The passage as the quote's words line up with it. The character alignment is as long
    as the quote, so it cuts off a word the source has in addition ("is cheap" against "is
    not cheap" would end at "not"), or takes in a word before or after the quote's own: the
    window is widened by a few words on each side (within the paragraph [lo, hi)), and the
    passage runs from the source word matching the quote's first word to the one matching
    its last, taking in the source's words for any the quote has unmatched beyond them."""
    quote = _TOKEN.findall(plain)
    reach = 2 + len(quote) // 4
    # Only the text near the alignment is read (a paragraph may be a whole book): as many
    # characters again as the quote on each side, from a word's start to a word's end.
    w_lo = max(lo, start - len(plain) - 1)
    w_lo = max(lo, text.rfind(" ", lo, w_lo) + 1) if w_lo > lo else lo
    w_hi = min(hi, end + len(plain))
    space = text.find(" ", w_hi, hi)
    w_hi = hi if space < 0 else space
    tokens = list(_TOKEN.finditer(text, w_lo, w_hi))
    first = next((k for k, t in enumerate(tokens) if t.end() > start), len(tokens))
    last = next((k for k, t in enumerate(tokens) if t.start() >= end), len(tokens))
    low = max(0, first - reach)
    window = tokens[low : last + reach]
    # Words compare without the punctuation around them ("cheap" is "cheap.").
    blocks = difflib.SequenceMatcher(
        None, [_bare(w) for w in quote], [_bare(t.group()) for t in window], False
    ).get_matching_blocks()
    blocks = [b for b in blocks if b.size]
    if not blocks:
        return start, end
    words = [t.group() for t in window]
    head, tail = blocks[0], blocks[-1]
    # A changed first or last word: its counterpart in the source, as many words as make
    # up the quote's unmatched characters ("dual use" against "dual-use").
    a = head.b - _words_for(quote[: head.a], reversed(words[: head.b]))
    b = tail.b + tail.size
    b += _words_for(quote[tail.a + tail.size :], words[b:])
    return window[a].start(), window[b - 1].end()


def _bare(word: str) -> str:
    return word.strip(_PUNCTUATION) or word


def _words_for(unmatched: list[str], source: Iterable[str]) -> int:
    """How many of the `source` words (taken in order) span the `unmatched` quote words."""
    need = len(" ".join(unmatched))
    taken = length = 0
    for word in source:
        longer = length + len(word) + (1 if taken else 0)
        if length >= need or (taken and abs(longer - need) >= abs(length - need)):
            break  # the next word would not bring the length nearer the quote's
        length, taken = longer, taken + 1
    return taken


def _trim(text: str, start: int, end: int, plain: str) -> tuple[int, int]:
    """Drop punctuation at the passage's edges where the quote has a word there: the
    quotation mark or comma next to the closest words is not part of the misquote."""
    if plain[:1].isalnum():
        while start < end and not text[start].isalnum():
            start += 1
    if plain[-1:].isalnum():
        while end > start and not text[end - 1].isalnum():
            end -= 1
    # The source's own quotation marks around the words quoted are not the quote's either
    # (`corpse."` against `corpse.`); the text is normalised, so they are all straight.
    if not plain.startswith('"'):
        while start < end and text[start] == '"':
            start += 1
    if not plain.endswith('"'):
        while end > start and text[end - 1] == '"':
            end -= 1
    return start, end


def word_diff(quote: str, passage: str) -> tuple[DiffOp, ...]:
    """Word-level difference from quote to passage, as difflib opcodes over whole words."""
    q = _TOKEN.findall(quote)
    s = _TOKEN.findall(passage)
    ops = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, q, s, autojunk=False).get_opcodes():
        ops.append(DiffOp(tag, " ".join(q[i1:i2]), " ".join(s[j1:j2])))
    return tuple(ops)


def diff_kind(quote: str, passage: str) -> str:
    """ "punctuation" when only punctuation and spacing differ, else "substantive"."""
    return "punctuation" if _WORDS.findall(quote) == _WORDS.findall(passage) else "substantive"


def diff_summary(ops: Iterable[DiffOp], limit: int = 6) -> str:
    """A compact `- fully + firmly` rendering of the differing steps."""
    pieces = []
    for op in ops:
        if op.op == "equal":
            continue
        piece = " ".join(
            x
            for x in (f"- {op.quote}" if op.quote else "", f"+ {op.source}" if op.source else "")
            if x
        )
        pieces.append(piece)
    if len(pieces) > limit:
        pieces = [*pieces[:limit], f"(+{len(pieces) - limit} more)"]
    return "; ".join(pieces)
