"""QuotePatterns x source texts -> every place each quote occurs.

All quotes of a run that name a source are matched in one pass over it: an Aho-Corasick
automaton (pyahocorasick) holds their anchors (each quote's longest exact stretch) and
reports every anchor occurrence, overlapping ones included (a source named by only a few
quotes is searched with str.find per anchor instead). Only the text around an anchor is
then tried against the quote: by string comparison for a quote that is one exact stretch,
by its regex otherwise. Work is linear in the corpus plus the anchor hits.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence

import ahocorasick

from report.corpus import SourceText
from report.findings import Match, Pages
from report.quote import QuotePattern, unspaced

Span = tuple[int, int]
_LAYOUT_BREAK = re.compile(r"[ \t]*\n+[ \t]*")


AUTOMATON_MIN = 8  # a source named by fewer quotes than this is searched with str.find


class Candidates:
    """Anchor hits of every pattern in the sources it may occur in, from one scan per source.

    With `named` (the source each pattern names), a pattern is looked for in its named source
    only: one Aho-Corasick pass per source over the anchors of the quotes that name it, or a
    str.find per anchor when only a few quotes name it. Without, every pattern is looked for
    in every text with one automaton. `indices` limits the work to those patterns."""

    def __init__(
        self,
        patterns: Sequence[QuotePattern],
        texts: Iterable[SourceText],
        named: Sequence[str] | None = None,
        indices: Iterable[int] | None = None,
    ) -> None:
        self.patterns = patterns
        self.texts = {t.source.id: t for t in texts}
        # pattern index -> source id -> anchor end offsets
        self.hits: dict[int, dict[str, list[int]]] = defaultdict(lambda: defaultdict(list))
        wanted = range(len(patterns)) if indices is None else indices
        self._unanchored = {i for i in wanted if not patterns[i].anchor}
        anchored = [i for i in wanted if i not in self._unanchored]
        if named is None:
            self._scan(anchored, list(self.texts))
            return
        groups: dict[str, list[int]] = defaultdict(list)
        for i in anchored:
            groups[named[i]].append(i)
        for sid, group in groups.items():
            if len(group) >= AUTOMATON_MIN:
                self._scan(group, [sid])
                continue
            text = self.texts[sid].text
            for i in group:
                anchor = patterns[i].anchor
                ends = self.hits[i][sid]
                at = text.find(anchor)
                while at >= 0:
                    ends.append(at + len(anchor))
                    at = text.find(anchor, at + 1)

    def _scan(self, indices: list[int], sids: list[str]) -> None:
        automaton = ahocorasick.Automaton()
        for i in indices:
            anchor = self.patterns[i].anchor
            existing = automaton.get(anchor, None)
            if existing is None:
                automaton.add_word(anchor, [i])
            else:  # the same anchor for several quotes: keep them all
                existing.append(i)
        if not len(automaton):
            return
        automaton.make_automaton()
        for sid in sids:
            for end, found in automaton.iter(self.texts[sid].text):
                for i in found:
                    self.hits[i][sid].append(end + 1)

    def find(self, index: int, source_id: str) -> list[Span]:
        """Every occurrence of pattern `index` in source `source_id` (normalised spans)."""
        pattern = self.patterns[index]
        text = self.texts[source_id]
        if index in self._unanchored:
            return _dedupe(_search(pattern, text, 0, len(text.text)))
        spans: list[Span] = []
        n = len(text.text)
        # Windows around anchor hits are merged where they overlap, so that no stretch of
        # text is searched twice: a frequent anchor would otherwise cost hits x window.
        merged: list[list[int]] = []
        for anchor_end in self.hits.get(index, {}).get(source_id, ()):
            if pattern.has_omission:
                lo, hi = text.paragraph_span(anchor_end - 1)
            else:
                reach = pattern.max_length
                lo, hi = max(0, anchor_end - reach), min(n, anchor_end + reach + 1)
            if merged and lo < merged[-1][1] and hi > merged[-1][0]:
                merged[-1][0] = min(merged[-1][0], lo)
                merged[-1][1] = max(merged[-1][1], hi)
            else:
                merged.append([lo, hi])
        for lo, hi in merged:
            spans.extend(_search(pattern, text, lo, hi))
        return _dedupe(spans)

    def sources_with_hits(self, index: int) -> list[str]:
        if index in self._unanchored:
            return list(self.texts)
        return list(self.hits.get(index, {}))


def search_window(pattern: QuotePattern, text: SourceText, paragraph: int | None) -> list[Span]:
    """Occurrences of the quote around paragraph number `paragraph` (the paragraph and its
    neighbours, as a quote without omissions may run past a paragraph's end), or in the whole
    text when `paragraph` is None."""
    if paragraph is None:
        return _dedupe(_search(pattern, text, 0, len(text.text)))
    starts = text.para_starts
    start = starts[max(0, paragraph - 1)]
    end = starts[paragraph + 2] if paragraph + 2 < len(starts) else len(text.text)
    return _dedupe(_search(pattern, text, start, end))


def to_match(text: SourceText, span: Span) -> Match:
    """An occurrence as a finding's Match: location, paragraph and the text as written."""
    start, end = span
    para = text.paragraph_index(start)
    layer_start, layer_end = text.norm.map(start), text.norm.map(end)
    location = text.location(start)
    return Match(
        source_id=text.source.id,
        start=start,
        end=end,
        location=location,
        paragraph=para,
        paragraph_text=text.paragraph_text(para),
        # Line breaks inside the passage are the file's layout, not the source's words.
        text=_LAYOUT_BREAK.sub(" ", text.layer.text[layer_start:layer_end]),
        in_body=text.in_body(start, end),
        pages=_pages(text, location.page, text.location(max(start, end - 1)).page),
    )


def _pages(text: SourceText, first: int, last: int) -> Pages | None:
    """The pages [first, last] of a paginated source, with their printed labels."""
    if first <= 0:
        return None
    labels = text.layer.page_labels

    def label(page: int) -> str:
        return labels[page - 1] if 0 < page <= len(labels) and labels[page - 1] else str(page)

    last = max(first, last)
    return Pages(first, last, label(first), label(last))


ACROSS_BREAKS = 2  # paragraph breaks between two parts of a quote that `across` reports
ACROSS_TRIES = 64  # occurrences of a quote's first part tried for it


def across_paragraphs(pattern: QuotePattern, text: SourceText) -> tuple[Span, ...] | None:
    """Where the quote's words occur in `text` but run over a paragraph break (which the
    one-paragraph rule refuses), to say so rather than only "not found"; None if nowhere.
    For a quote that is one exact stretch, its span (found by a str.find over the text; an
    alteration could stand for the end of the paragraph before, as if it were quoted, so
    none is looked for). For a quote with omissions, the span of each part, in order, each
    within one paragraph, a part at most ACROSS_BREAKS paragraph breaks after the one
    before."""
    if pattern.has_omission:
        return _parts_across(pattern, text)
    if pattern.literal is None or not pattern.anchor:
        return None
    for first, stop in _spans(pattern, text, 0, len(text.text)):
        if text.paragraph_index(first) != text.paragraph_index(max(first, stop - 1)):
            return ((first, stop),)
    return None


def _parts_across(pattern: QuotePattern, text: SourceText) -> tuple[Span, ...] | None:
    first, *rest = pattern.part_regexes
    starts = text.para_starts
    for tries, m in enumerate(first.finditer(text.text)):
        if tries == ACROSS_TRIES:
            break
        if not _in_one_paragraph(text, m.span()):
            continue
        spans = [m.span()]
        for regex in rest:
            k = text.paragraph_index(spans[-1][1] - 1) + ACROSS_BREAKS + 1
            limit = starts[k] if k < len(starts) else len(text.text)
            found = next(
                (n.span() for n in regex.finditer(text.text, spans[-1][1], limit)
                 if _in_one_paragraph(text, n.span())),
                None,
            )  # fmt: skip
            if found is None:
                break
            spans.append(found)
        else:
            if not _in_one_paragraph(text, (spans[0][0], spans[-1][1])):
                return tuple(spans)
    return None


def _in_one_paragraph(text: SourceText, span: Span) -> bool:
    return text.paragraph_index(span[0]) == text.paragraph_index(max(span[0], span[1] - 1))


_PARAGRAPH_BREAK = re.compile(r"\s*\n\s*\n\s*")


def across_text(text: SourceText, spans: Sequence[Span]) -> str:
    """The source's words at `spans` (from across_paragraphs) as the text layer has them,
    each paragraph break shown as ¶ and the words a quote's omission leaves out as …"""
    pieces: list[str] = []
    for k, (start, end) in enumerate(spans):
        if k:
            prev_end = spans[k - 1][1]
            cursor, sep = prev_end, ""
            for brk in text.para_starts[text.paragraph_index(prev_end) + 1 :]:
                if brk > start:
                    break
                sep += (" \u2026" if text.text[cursor:brk].strip() else "") + " \u00b6"
                cursor = brk
            if text.text[cursor:start].strip() or not sep:
                sep += " \u2026"
            pieces.append(sep.strip())
        words = text.layer.text[text.norm.map(start) : text.norm.map(end)]
        pieces.append(_PARAGRAPH_BREAK.sub(" \u00b6 ", words))
    return " ".join(" ".join(pieces).split())


_QUOTED_HYPHEN = re.compile(r"(?<=\w)\\-(?=\w)")  # a hyphen between letters, in a regex


def across_line_hyphens(
    pattern: QuotePattern, joined: SourceText, places: frozenset[int]
) -> list[Span]:
    """Occurrences of the quote in `joined` (the text without its hyphens at PDF line ends,
    SourceText.joined) where the quote may write such a hyphen or not: each hyphen between
    letters in the quote either is in the text or stands where a line-end hyphen was
    (`places`, normalised offsets); nowhere else may a hyphen be missing."""
    count = iter(range(1_000_000))

    def optional(_: re.Match[str]) -> str:
        k = next(count)
        return f"(?:(?P<h{k}>-)|(?P<e{k}>))"

    regexes = [re.compile(_QUOTED_HYPHEN.sub(optional, r)) for r in pattern.part_sources]

    def sound(m: re.Match[str]) -> bool:
        for name, value in m.groupdict().items():
            if name[0] == "h" and value is None and m.start("e" + name[1:]) not in places:
                return False
        return True

    text, out = joined.text, []
    if len(regexes) == 1:
        spans = [m.span() for m in regexes[0].finditer(text) if sound(m)]
    else:  # the parts in order, each leftmost after the one before (as _search_parts does)
        spans = []
        for m in regexes[0].finditer(text):
            if not sound(m):
                continue
            para_end = joined.paragraph_span(m.start())[1]
            reached = m.end()
            for regex in regexes[1:]:
                n = next((n for n in regex.finditer(text, reached, para_end) if sound(n)), None)
                if n is None:
                    reached = -1
                    break
                reached = n.end()
            if reached >= 0:
                spans.append((m.start(), reached))
    for first, stop in spans:
        if joined.paragraph_index(first) == joined.paragraph_index(max(first, stop - 1)):
            out.append((first, stop))
    return _dedupe(out)


def _spans(pattern: QuotePattern, text: SourceText, start: int, end: int) -> list[Span]:
    """Occurrences in text[start:end], before the one-paragraph rule."""
    literal = pattern.literal
    if literal is not None and pattern.anchor and literal.endswith(pattern.anchor):
        spans = _literal_search(literal, pattern.anchor, text.text, start, end)
    elif pattern.has_omission:
        spans = _search_parts(pattern, text, start, end)
    else:
        spans = [m.span() for m in pattern.regex.finditer(text.text, start, end)]
    return spans


def _search(pattern: QuotePattern, text: SourceText, start: int, end: int) -> list[Span]:
    out = []
    for first, stop in _spans(pattern, text, start, end):
        if pattern.has_alteration and not pattern.has_omission:
            first = _latest_start(pattern, text.text, first, stop)
        last = max(first, stop - 1)
        # A quote lies in one paragraph: the parts of a quote with omissions must share one
        # (SPEC), and running on over a paragraph break or a heading without marking it
        # presents two passages as one. (A paragraph that a source file merely breaks with
        # a stray blank line is joined up by the text layer.)
        if text.paragraph_index(first) != text.paragraph_index(last):
            continue
        out.append((first, stop))
    return out


def _search_parts(pattern: QuotePattern, text: SourceText, start: int, end: int) -> list[Span]:
    """Spans where the parts of a quote with omissions occur in order in one paragraph.

    Each part is searched on its own, leftmost after the previous one: one regex joining
    the parts with `.*?` backtracks through every combination of their occurrences, which
    takes hours on a long paragraph. When a later part is missing from the rest of a
    paragraph, no later start in that paragraph can succeed, so the search moves on.
    """
    first, *rest = pattern.part_regexes
    out: list[Span] = []
    pos = start
    while pos < end:
        m = first.search(text.text, pos, end)
        if m is None:
            break
        para_end = min(end, text.paragraph_span(m.start())[1])
        reached = m.end()
        for regex in rest:
            n = regex.search(text.text, reached, para_end)
            if n is None:
                reached = -1
                break
            reached = n.end()
        if reached < 0:
            pos = para_end if para_end > m.start() else m.start() + 1
            continue
        out.append((m.start(), reached))
        pos = max(reached, m.start() + 1)
    return out


def _latest_start(pattern: QuotePattern, text: str, start: int, end: int) -> int:
    """A regex match starts as early as it can, so an alteration would swallow the words
    before the ones it replaces ("[Putin] praised" matching "Affairs, Putin praised"; "and
    [X] Iranian" matching "and shells; and by Iranian" rather than "and by Iranian"): the
    shortest stretch that still matches is the one the alteration stands for."""
    best = start
    for pos in range(start + 1, end):
        if text[pos - 1] == " " and pattern.regex.fullmatch(text, pos, end):
            best = pos
    return best


def _dedupe(spans: list[Span]) -> list[Span]:
    return sorted(set(spans))


def _literal_search(literal: str, anchor: str, text: str, start: int, end: int) -> list[Span]:
    """What the regex of a one-stretch quote finds, by string comparison: `anchor` (the
    literal's tail) located with str.find, the head compared letter by letter, the first
    letter in either case (report.quote._first_letter_free), word edges as the regex has
    them (report.quote.EDGE_BEFORE, EDGE_AFTER)."""
    off = len(literal) - len(anchor)
    head = literal[:off]
    free = _free_letter(literal)
    edge_start = literal[:1].isalnum() and not unspaced(literal[0])
    edge_end = literal[-1:].isalnum() and not unspaced(literal[-1])
    n = len(text)
    out = []
    i = text.find(anchor, start + off, end)
    while i >= 0:
        s, e = i - off, i - off + len(literal)
        if (
            e <= end
            and (text[s:i] == head or _head_matches(text, s, head, free))
            and not (edge_start and s > 0 and _is_word(text[s - 1]))
            and not (edge_end and e < n and _is_word(text[e]))
        ):
            out.append((s, e))
        i = text.find(anchor, i + 1, end)
    return out


def _free_letter(literal: str) -> tuple[int, str] | None:
    """Where the quote's first letter is and the characters it may be (as its regex has it)."""
    for i, ch in enumerate(literal):
        if ch.isalpha():
            return (i, ch + ch.lower() + ch.upper()) if ch.lower() != ch.upper() else None
        if ch.isalnum():
            return None
    return None


def _head_matches(text: str, s: int, head: str, free: tuple[int, str] | None) -> bool:
    if free is None or free[0] >= len(head):
        return False
    k, allowed = free
    return (
        text[s : s + k] == head[:k]
        and text[s + k] in allowed
        and text[s + k + 1 : s + len(head)] == head[k + 1 :]
    )


def _is_word(ch: str) -> bool:
    """A word character of a spaced script: one that makes a word edge where it touches."""
    return (ch.isalnum() or ch == "_") and not unspaced(ch)
