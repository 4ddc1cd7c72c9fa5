"""A quote that was not found -> the closest passage in a source or the whole corpus, and
a word-level difference between the two.

Candidate paragraphs are scored with rapidfuzz's partial ratio (the best-matching substring
of a paragraph; a paragraph shorter than the quote is compared whole, so that a one-letter
paragraph cannot match a piece of the quote perfectly), and the winner is aligned to the
quote and widened to whole words.

The work is near-linear in the quote's length: only its first ALIGN_MAX characters are
aligned character by character (to rank paragraphs and find where the passage starts), and
words are compared window by window (DIFF_WINDOW words at a time) rather than all against
all, so that a quote of a whole book costs seconds, not hours.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Sequence
from typing import Any

from rapidfuzz import fuzz

from report.corpus import SourceText
from report.findings import Closest, DiffKind, DiffOp, DiffTag
from report.normalize import visible

# A word of the diff: white space separates words, and so does a dash ("BEIJING—International"
# is two words, the dash kept with the first, as other punctuation is).
_TOKEN = re.compile(r"[^\s\u2014]+\u2014?|\u2014")
# The same words in a passage as the source shows it (dashes not yet folded, spaces around
# them kept): the dash and its spaces go with the word before.
_SHOWN_TOKEN = re.compile(
    r"(?:[^\s\u2013\u2014\u2015-]|-(?!-))+(?:\s*(?:[\u2013\u2014\u2015]|--)\s*)?"
    r"|\s*(?:[\u2013\u2014\u2015]|--)\s*"
)
_PUNCTUATION = "\"'.,;:!?()[]{}\u2014-"
_WORDS = re.compile(r"\w+")
ALIGN_MAX = 500  # characters of a quote aligned character by character
DIFF_WINDOW = 400  # words of a quote compared at a time
_DIFF_WHOLE = DIFF_WINDOW * DIFF_WINDOW * 3  # up to this many word pairs, in one go
_REACH_MAX = DIFF_WINDOW // 4  # words looked at beyond the aligned passage, each side


def words(text: str) -> list[str]:
    """The words of a normalised text as the diff has them."""
    return _TOKEN.findall(text)


def shown_words(text: str) -> list[str]:
    """The words of a passage as the source shows it, one for each of `words` of its
    normalised form (white space inside a word's dash folded to one space)."""
    return [" ".join(w.split()) for w in _SHOWN_TOKEN.findall(text)]


def probe(plain: str) -> str:
    """What of a quote is aligned character by character: the quote, or its first ALIGN_MAX
    characters (to a word's end)."""
    if len(plain) <= ALIGN_MAX:
        return plain
    cut = plain.rfind(" ", 0, ALIGN_MAX)
    return plain[: cut if cut > 0 else ALIGN_MAX]


def _similarity(head: str, paragraph: str, cutoff: float = 0) -> float:
    """How near `paragraph` comes to `head` (a quote's probe): its best substring, when it
    is longer; the whole of it when it is shorter (a piece of the quote is not the quote)."""
    if len(paragraph) < len(head):
        return fuzz.ratio(head, paragraph, score_cutoff=cutoff)
    return fuzz.partial_ratio(head, paragraph, score_cutoff=cutoff)


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
    head = probe(plain)
    for rank, text, k in paragraphs:
        starts = text.para_starts
        start = starts[k]
        end = starts[k + 1] if k + 1 < len(starts) else len(text.text)
        mine = text.source.id == source_id
        floor = best_in if mine else best
        score = _similarity(head, text.text[start:end], floor[0] if floor else 0)
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
    head = probe(plain)
    paragraph = text.text[start:end]
    if len(paragraph) < len(head):  # scored whole: the passage is the whole paragraph
        a_start, a_end = start, end
    else:
        a = fuzz.partial_ratio_alignment(head, paragraph)
        if a is None:
            return None
        # A long quote's passage runs on from where its first characters align.
        a_start = start + a.dest_start
        a_end = start + a.dest_end if head is plain else min(end, a_start + len(plain))
    p_start, p_end = _widen(text.text, a_start, a_end, start, end)
    p_start, p_end = _fit_words(text.text, p_start, p_end, start, end, plain)
    p_start, p_end = _trim(text.text, p_start, p_end, plain)
    passage = text.text[p_start:p_end]
    plain = _first_letter_as_in(plain, passage)
    diff = word_diff(plain, passage)
    if head is not plain:  # the score of the whole quote, not of its first characters
        score = _diff_score(diff, plain, passage)
    # The diff compares normalised text (a curly apostrophe is no difference); the passage
    # is shown as the source has it, markup, invisible characters and line breaks removed.
    shown = visible(text.layer.text[text.norm.map(p_start) : text.norm.map(p_end)])
    return Closest(
        source_id=text.source.id,
        passage=" ".join(shown.split()),
        location=text.location(p_start),
        score=round(score, 1),
        diff=diff,
        kind=diff_kind(plain, passage),
    )


def _first_letter_as_in(plain: str, passage: str) -> str:
    """The quote with its first letter in the passage's case, where only that differs: a
    quote may change it (report.quote), so it is no difference."""
    i = next((k for k, ch in enumerate(plain) if ch.isalpha()), None)
    j = next((k for k, ch in enumerate(passage) if ch.isalpha()), None)
    if i is None or j is None or plain[:i] != passage[:j] or plain[i] == passage[j]:
        return plain
    if plain[i].lower() != passage[j].lower():
        return plain
    return plain[:i] + passage[j] + plain[i + 1 :]


def _diff_score(diff: Sequence[DiffOp], plain: str, passage: str) -> float:
    """rapidfuzz's ratio, from the word diff: the share of both texts that is the same."""
    same = sum(len(op.quote) + 1 for op in diff if op.op is DiffTag.EQUAL)
    return 100.0 * 2 * same / (len(plain) + len(passage) + 2)


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
    quote = words(plain)
    reach = min(2 + len(quote) // 4, _REACH_MAX)
    # Only the text near the alignment is read (a paragraph may be a whole book): as many
    # characters again as the quote on each side (at most ALIGN_MAX), from a word's start
    # to a word's end.
    margin = min(len(plain), ALIGN_MAX)
    w_lo = max(lo, start - margin - 1)
    w_lo = max(lo, text.rfind(" ", lo, w_lo) + 1) if w_lo > lo else lo
    w_hi = min(hi, end + margin)
    space = text.find(" ", w_hi, hi)
    w_hi = hi if space < 0 else space
    tokens = list(_TOKEN.finditer(text, w_lo, w_hi))
    first = next((k for k, t in enumerate(tokens) if t.end() > start), len(tokens))
    last = next((k for k, t in enumerate(tokens) if t.start() >= end), len(tokens))
    low = max(0, first - reach)
    window = tokens[low : last + reach]
    # Words compare without the punctuation around them ("cheap" is "cheap.").
    codes = _opcodes([_bare(w) for w in quote], [_bare(t.group()) for t in window])
    blocks = [(i1, j1, i2 - i1) for tag, i1, i2, j1, _ in codes if tag == "equal"]
    if not blocks:
        return start, end
    source_words = [t.group() for t in window]
    (head_a, head_b, _), (tail_a, tail_b, tail_size) = blocks[0], blocks[-1]
    # A changed first or last word: its counterpart in the source, as many words as make
    # up the quote's unmatched characters ("dual use" against "dual-use").
    a = head_b - _words_for(quote[:head_a], reversed(source_words[:head_b]))
    b = tail_b + tail_size
    b += _words_for(quote[tail_a + tail_size :], source_words[b:])
    return window[a].start(), window[b - 1].end()


_Opcode = tuple[str, int, int, int, int]


def _opcodes(a: Sequence[str], b: Sequence[str]) -> list[_Opcode]:
    """difflib's opcodes from word list `a` to `b`. Short lists are compared all against all;
    long ones window by window (DIFF_WINDOW words of `a` against the next words of `b`),
    committing each window's first half, so the work grows linearly with the lengths."""
    if len(a) * len(b) <= _DIFF_WHOLE:
        return difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes()
    out: list[_Opcode] = []
    i = j = 0
    half = DIFF_WINDOW // 2
    while i < len(a):
        a_win = a[i : i + DIFF_WINDOW]
        last = i + DIFF_WINDOW >= len(a)
        # The last window takes what is left of `b` (a few words more than the quote when
        # the two are alike; past a window more, the rest is the source's words alone).
        b_win = b[j : j + len(a_win) + DIFF_WINDOW] if last else b[j : j + DIFF_WINDOW + half]
        codes = difflib.SequenceMatcher(None, a_win, b_win, autojunk=False).get_opcodes()
        if last:
            out.extend((t, i + a1, i + a2, j + b1, j + b2) for t, a1, a2, b1, b2 in codes)
            i, j = len(a), j + len(b_win)
            break
        # Commit up to the middle of the quote's window, ending inside an equal run, so that
        # the next window starts where both lists are known to be aligned.
        cut = None
        for k, (tag, a1, a2, _b1, _b2) in enumerate(codes):
            if tag == "equal" and a1 < half:
                cut = (k, min(a2, half))
        if cut is None:  # nothing in common early in this window: the quote's words alone
            codes_taken: list[_Opcode] = [("delete", 0, len(a_win), 0, 0)]
            step_a, step_b = len(a_win), 0
        else:
            k, a_end = cut
            tag, a1, _a2, b1, _b2 = codes[k]
            codes_taken = [*codes[:k], ("equal", a1, a_end, b1, b1 + a_end - a1)]
            step_a, step_b = a_end, b1 + a_end - a1
        out.extend((t, i + a1, i + a2, j + b1, j + b2) for t, a1, a2, b1, b2 in codes_taken)
        i, j = i + step_a, j + step_b
    if j < len(b):
        out.append(("insert", i, i, j, len(b)))
    return _merged(out)


def _merged(codes: list[_Opcode]) -> list[_Opcode]:
    """Adjacent steps of one kind joined (windows split an equal run in two)."""
    out: list[_Opcode] = []
    for code in codes:
        if code[1] == code[2] and code[3] == code[4]:
            continue
        if out and out[-1][0] == code[0]:
            prev = out[-1]
            out[-1] = (code[0], prev[1], code[2], prev[3], code[4])
        else:
            out.append(code)
    return out


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
    q = words(quote)
    s = words(passage)
    ops = []
    for tag, i1, i2, j1, j2 in _opcodes(q, s):
        ops.append(DiffOp(DiffTag(tag), " ".join(q[i1:i2]), " ".join(s[j1:j2])))
    return tuple(ops)


def same_letters(a: str, b: str) -> bool:
    """Whether `a` and `b` differ only in punctuation and spacing ("dual use" and
    "dual-use", "her voice" and "hervoice")."""
    return "".join(_WORDS.findall(a)) == "".join(_WORDS.findall(b))


def diff_kind(quote: str, passage: str) -> DiffKind:
    """Punctuation when only punctuation and spacing differ, else substantive."""
    return DiffKind.PUNCTUATION if same_letters(quote, passage) else DiffKind.SUBSTANTIVE


def diff_summary(ops: Iterable[DiffOp], limit: int = 6) -> str:
    """A compact `- fully + firmly` rendering of the differing steps."""
    pieces = []
    for op in ops:
        if op.op is DiffTag.EQUAL:
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
