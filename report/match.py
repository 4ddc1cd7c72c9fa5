"""QuotePatterns x source texts -> every place each quote occurs.

All quotes of a run are matched in one pass over each source: an Aho-Corasick automaton
(pyahocorasick) holds every quote's anchor (its longest exact stretch) and reports every
anchor occurrence, overlapping ones included; only the text around an anchor is then tried
against the quote's full regex. Work is linear in the corpus plus the anchor hits.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence

import ahocorasick

from report.corpus import SourceText
from report.quote import QuotePattern

Span = tuple[int, int]


class Candidates:
    """Anchor hits of every pattern in every source, from one scan per source."""

    def __init__(self, patterns: Sequence[QuotePattern], texts: Iterable[SourceText]) -> None:
        self.patterns = patterns
        self.texts = {t.source.id: t for t in texts}
        # pattern index -> source id -> anchor end offsets
        self.hits: dict[int, dict[str, list[int]]] = defaultdict(lambda: defaultdict(list))
        automaton = ahocorasick.Automaton()
        self._unanchored: list[int] = []
        for i, p in enumerate(patterns):
            if not p.anchor:
                self._unanchored.append(i)
                continue
            existing = automaton.get(p.anchor, None)
            if existing is None:
                automaton.add_word(p.anchor, [i])
            else:  # the same anchor for several quotes: keep them all
                existing.append(i)
        if len(automaton):
            automaton.make_automaton()
            for sid, text in self.texts.items():
                for end, indices in automaton.iter(text.text):
                    for i in indices:
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


def _search(pattern: QuotePattern, text: SourceText, start: int, end: int) -> list[Span]:
    if pattern.has_omission:
        spans = _search_parts(pattern, text, start, end)
    else:
        spans = [m.span() for m in pattern.regex.finditer(text.text, start, end)]
    out = []
    for first, stop in spans:
        if pattern.leading_alteration and not pattern.has_omission:
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
    """A regex match starts as early as it can, so an opening alteration would swallow the
    words before the ones it replaces ("[Putin] praised" matching "Affairs, Putin praised");
    the shortest stretch that still matches is the one the alteration stands for."""
    best = start
    for pos in range(start + 1, end):
        if text[pos - 1] == " " and pattern.regex.fullmatch(text, pos, end):
            best = pos
    return best


def _dedupe(spans: list[Span]) -> list[Span]:
    return sorted(set(spans))
