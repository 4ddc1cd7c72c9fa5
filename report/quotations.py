"""A draft (report.draft) -> its quotations: the stretches in double quotation marks and the
block quotations, each with the citation that attributes it and its place in the draft.

What counts as a quotation (README, "Auditing a Word draft"):
- text between double quotation marks: straight "…", curly “…”, German „…“ and »…«,
  French «…», Swedish ”…”, CJK 「…」 and 『…』 (single marks are left alone: they are
  apostrophes as often as quotation marks, and they nest inside double ones);
- a block quotation: a paragraph in a quote style or indented as one (the reader decides),
  the whole paragraph;
- attributed: the first note reference or inline citation (`[@id]`, `(Author 2020)`) after
  the closing mark in the same sentence, else the next note reference in the same paragraph
  (one note for a paragraph's quotations, as Chicago allows); a block quotation's own, or
  that of the block quotation paragraphs that follow it. Inside a note, the note itself
  attributes a quotation that no inline citation follows.

Not audited unless asked for (`--all`): quotations of fewer than four words (too short to
prove anything, and most are a term the author puts in quotes), scare quotes ("so-called"
before them), and titles (a corpus source's title, or Title Case words as notes cite
titles). Unattributed quotations are counted, never checked: nothing says which source to
check them against.

The punctuation an author closes a quotation with (American style puts `,` and `.` inside
the marks whatever the source has) is not part of the quoted words.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from rapidfuzz import fuzz

from report.draft import Block, Draft, Mark
from report.errors import Location

MIN_WORDS = 4

SKIPPED = {
    "short": f"of fewer than {MIN_WORDS} words",
    "scare": "scare quotes",
    "title": "titles",
    "unattributed": "without a note or citation",
}

# Opening mark -> the marks that close it.
_CLOSERS = {
    "“": "”",
    "„": "“”",
    "«": "»",
    "»": "«",
    "「": "」",
    "『": "』",
    '"': '"',
    "”": "”",
}
_NESTS = {"“": "“", "«": "«", "「": "「", "『": "『"}  # the same mark opening inside
# Marks that are also closing marks: they open a quotation only where one can start
# (after a space, a bracket or a dash) and a word follows.
_AMBIGUOUS = {'"', "”", "»"}
_BEFORE_OPENING = set("([{—–-/") | {"\u00a0"}
_SENTENCE_END = re.compile(r"[.!?…。！？]+[\"'”’»」』)\]]*(?=\s|$)")
_SCARE = re.compile(r"\bso[- ]called\s*$", re.IGNORECASE)
_TRAILING = re.compile(r"(?<![.…])[,.;:](?=\s*$)")
_CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af"
_WORDS = re.compile(rf"[{_CJK}]|[^\W_{_CJK}]+(?:['’-][^\W_{_CJK}]+)*")

# Inline citations. Pandoc's: brackets holding @key (not an e-mail address).
_PANDOC = re.compile(r"\[([^\[\]]*?(?<![\w.])-?@\w[^\[\]]*)\]")
# Author-date: (Name 2020), (Name and Other, 2020, 12), (Name 2020; Other n.d.)
_NAME = r"[A-Z][\w'’.\-]*(?:\s+(?:[A-Z][\w'’.\-]*|van|von|de|der|da|di|du|le|la|of|the|and|&))*"
_AUTHOR_DATE_PART = re.compile(
    rf"(?:(?:see|cf\.|e\.g\.,?)\s+)?(?P<name>{_NAME})(?:\s+et al\.)?,?\s+"
    r"(?P<year>(?:1[5-9]|20)\d\d[a-z]?|n\.d\.)(?:[,:]\s*[^;]*)?",
)
_PARENS = re.compile(r"\(([^()]{4,300})\)")
_MONTHS = {
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December", "Spring", "Summer", "Autumn", "Fall", "Winter",
}  # fmt: skip


@dataclass(frozen=True, slots=True)
class Quotation:
    """A quotation of the draft: `text` is what is verified; [start, end) its stretch in the
    block's text, quotation marks included (what a comment on it anchors)."""

    text: str
    block: int  # index in Draft.blocks
    start: int
    end: int
    location: Location  # of its first quoted character
    kind: str  # "inline" (in quotation marks) or "block" (a block quotation)
    citation: Mark | None
    words: int
    skip: str = ""  # why it is not audited (a key of SKIPPED); "" it is

    @property
    def audited(self) -> bool:
        return not self.skip


def word_count(text: str) -> int:
    """Words, a CJK character counting as one."""
    return len(_WORDS.findall(text))


def inline_citations(text: str) -> list[Mark]:
    """The inline citations in a block's text: `[@id]` (Pandoc) and `(Author 2020)`."""
    marks = [Mark(m.start(), m.end(), text=m.group(1).strip()) for m in _PANDOC.finditer(text)]
    for m in _PARENS.finditer(text):
        body = m.group(1).strip()
        parts = [p.strip() for p in body.split(";")]
        matched = [_AUTHOR_DATE_PART.fullmatch(p) for p in parts]
        if all(matched) and not any(x and x.group("name") in _MONTHS for x in matched):
            marks.append(Mark(m.start(), m.end(), text=body))
    return sorted(marks, key=lambda k: k.start)


def find_quotations(
    draft: Draft, titles: Iterable[str] = (), everything: bool = False
) -> list[Quotation]:
    """Every quotation of the draft, in reading order; those not to audit carry their
    reason in `skip` (with `everything`, only unattributed ones do). `titles` are the
    corpus sources' titles, which a draft quotes as titles, not as words of the source."""
    folded_titles = [t for t in (_fold(t) for t in titles) if t]
    out: list[Quotation] = []
    blocks = draft.blocks
    for index, block in enumerate(blocks):
        if block.kind == "heading":
            continue
        marks = _all_marks(block)
        if block.kind == "quote":
            found = _block_quotation(index, block, marks, blocks)
            if found is not None:
                out.append(_judged(found, folded_titles, everything, block))
            continue
        for open_at, close_at in _quoted_spans(block.text, marks):
            found = _inline_quotation(index, block, marks, open_at, close_at)
            if found is None:
                continue
            if block.kind == "note" and _is_title(found.text, folded_titles, in_note=True):
                continue  # a note's titles are how it cites, not what it quotes
            out.append(_judged(found, folded_titles, everything, block))
    return out


def _all_marks(block: Block) -> list[Mark]:
    """The block's note references and the inline citations in its text, in order."""
    inline = [m for m in inline_citations(block.text) if not _inside_any(m, block.marks)]
    return sorted([*block.marks, *inline], key=lambda m: (m.start, m.end))


def _inside_any(mark: Mark, marks: Iterable[Mark]) -> bool:
    return any(m.start <= mark.start < m.end or mark.start <= m.start < mark.end for m in marks)


def _quoted_spans(text: str, marks: list[Mark]) -> list[tuple[int, int]]:
    """(opening mark, closing mark) offsets of the outermost quotations; an unclosed mark
    (a quotation running on into the next paragraph, a stray inch sign) opens nothing."""
    skip = {i for m in marks for i in range(m.start, m.end)}
    spans = []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if i in skip or c not in _CLOSERS or not _opens(text, i):
            i += 1
            continue
        close = _closing(text, i, skip)
        if close is None:
            i += 1
            continue
        spans.append((i, close))
        i = close + 1
    return spans


def _opens(text: str, i: int) -> bool:
    c = text[i]
    if c not in _AMBIGUOUS:
        return True
    before = text[i - 1] if i > 0 else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    if after.isspace() or not (before.isspace() or before in _BEFORE_OPENING or i == 0):
        return False
    return not (c == "»" and "«" not in text[i + 1 :])


def _closing(text: str, i: int, skip: set[int]) -> int | None:
    opener = text[i]
    closers, nests = _CLOSERS[opener], _NESTS.get(opener, "")
    depth = 0
    for j in range(i + 1, len(text)):
        c = text[j]
        if j in skip:
            continue
        if c in nests and c not in closers:
            depth += 1
        elif c in closers:
            if opener in _AMBIGUOUS and text[j - 1].isspace():
                continue  # `" word`: a mark that opens, not the one that closes
            if depth:
                depth -= 1
            else:
                return j
    return None


def _inline_quotation(
    index: int, block: Block, marks: list[Mark], open_at: int, close_at: int
) -> Quotation | None:
    start, end = _trimmed(block.text, open_at + 1, close_at)
    if start >= end:
        return None
    text = _clean(block.shown(start, end))
    if not text:
        return None
    citation = _attribution(block, marks, close_at + 1)
    return Quotation(
        text=text,
        block=index,
        start=open_at,
        end=close_at + 1,
        location=block.locate(start),
        kind="inline",
        citation=citation,
        words=word_count(text),
        skip="" if citation is not None else "unattributed",
    )


def _attribution(block: Block, marks: list[Mark], after: int) -> Mark | None:
    """The citation of a quotation that closes at `after`: the first citation in the rest
    of its sentence, else the paragraph's next note reference (not past an inline
    citation, which belongs to its own sentence); in a note, else the note itself."""
    text = block.text
    match = _SENTENCE_END.search(text, after)
    closed_inside = after >= 2 and text[after - 2] in ".!?…" and _next_is_space(block, after)
    if closed_inside:  # “… corpse.” [@id]: a citation right after it is still its own
        sentence_end = after + len(text[after:]) - len(text[after:].lstrip())
    else:
        sentence_end = match.end() if match else len(text)
    later = [m for m in marks if m.start >= after]
    for m in later:
        if m.start <= sentence_end:
            return m
        break
    for m in later:
        if not m.is_note:
            break
        return m
    if block.kind == "note" and block.note:
        return Mark(len(block.text), len(block.text), key=block.note)
    return None


def _next_is_space(block: Block, after: int) -> bool:
    if after >= len(block.text):
        return not any(m.start == after for m in block.marks)
    return block.text[after].isspace() and not any(m.start == after for m in block.marks)


def _block_quotation(
    index: int, block: Block, marks: list[Mark], blocks: list[Block]
) -> Quotation | None:
    """A block quotation paragraph: its text without its citations; its own citation, or
    that of the quote paragraphs that follow it (a note at the end of the last one)."""
    text = block.text
    cut = len(text)
    inline_at_end = [m for m in marks if not m.is_note and not text[m.end :].strip(" .,;")]
    if inline_at_end:
        cut = inline_at_end[0].start
    note_marks = [m for m in marks if m.is_note and m.start < cut and m.end > m.start]
    start, end = _trimmed(text, 0, cut)
    if start >= end:
        return None
    pieces, pos = [], start
    for m in note_marks:  # a Markdown note reference is text to leave out
        if start <= m.start < end:
            pieces.append(block.shown(pos, m.start))
            pos = m.end
    pieces.append(block.shown(pos, end))
    words = _clean("".join(pieces), block_quote=True)
    if not words:
        return None
    citation = marks[0] if marks else None
    k = index + 1
    while citation is None and k < len(blocks) and blocks[k].kind == "quote":
        following = _all_marks(blocks[k])
        citation = following[0] if following else None
        k += 1
    return Quotation(
        text=words,
        block=index,
        start=start,
        end=end,
        location=block.locate(start),
        kind="block",
        citation=citation,
        words=word_count(words),
        skip="" if citation is not None else "unattributed",
    )


def _trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _clean(words: str, block_quote: bool = False) -> str:
    """The quoted words as the verifier gets them: one line, without the author's closing
    punctuation (and, around a whole block quotation, without its quotation marks)."""
    words = " ".join(words.split())
    if block_quote and len(words) > 2 and words[0] in _CLOSERS:
        inner = words[1:-1] if words[-1] in _CLOSERS[words[0]] else ""
        if inner and not any(c in inner for c in _CLOSERS[words[0]]):
            words = inner.strip()
    return _TRAILING.sub("", words).strip()


def _judged(q: Quotation, titles: list[str], everything: bool, block: Block) -> Quotation:
    """The quotation with the reason not to audit it, if there is one."""
    if q.skip or everything:
        return q
    if q.words < MIN_WORDS:
        return _skip(q, "short")
    if q.kind == "inline" and _SCARE.search(block.text[: q.start]):
        return _skip(q, "scare")
    if q.kind == "inline" and _is_title(q.text, titles):
        return _skip(q, "title")
    return q


def _skip(q: Quotation, reason: str) -> Quotation:
    return Quotation(
        q.text, q.block, q.start, q.end, q.location, q.kind, q.citation, q.words, reason
    )


def _is_title(text: str, titles: list[str], in_note: bool = False) -> bool:
    """A corpus source's title (in a note also a short title: words of one), or words in
    Title Case: every word of four letters or more capitalised, at least three of them
    (two in a note, where short titles are cited)."""
    folded = _fold(text)
    if any(fuzz.ratio(folded, t) >= 90 for t in titles):
        return True
    if in_note and len(folded.split()) >= 2 and any(f" {folded} " in f" {t} " for t in titles):
        return True
    long_words = [w for w in re.findall(r"[^\W\d_]+", text) if len(w) >= 4]
    least = 2 if in_note else 3
    return len(long_words) >= least and all(w[0].isupper() for w in long_words)


def _fold(text: str) -> str:
    """Lower case, letters and digits only, one space between words: for fuzzy matching."""
    return " ".join(re.findall(r"\w+", text.casefold()))
