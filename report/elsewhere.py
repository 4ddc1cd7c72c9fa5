"""A quote that failed in its named source -> where else in the corpus it occurs (wrong
source) and the closest passage of the whole corpus (misquote), via the passage index.

Only failed quotes come here, so a run whose quotes all verify never opens the index. The
index proposes candidate paragraphs; the quote's regex (for occurrences) and rapidfuzz (for
the closest passage) decide on the text itself. A quote too short to query the index by
(fewer than two whole words in its longest exact stretch) falls back to reading every source
once, one at a time.
"""

from __future__ import annotations

from collections import OrderedDict

from report.closest import closest_two, probe
from report.corpus import Corpus, SourceText
from report.findings import Closest, Match
from report.index import TOKEN, CorpusIndex, Fts5Index
from report.match import search_window, to_match
from report.quote import QuotePattern

# Candidate paragraphs asked of the index: enough for every real occurrence of a quote
# (for wrong source), a handful for the closest passage (rapidfuzz decides among them).
OCCURRENCE_LIMIT = 500
CLOSEST_LIMIT = 8
# Words of a quote asked of the index as one phrase: a paragraph that holds the whole quote
# holds its first words, and a phrase of a whole book's words costs the index seconds.
PHRASE_WORDS = 64
KEEP_TEXTS = 128  # texts read for earlier failed quotes, kept for the next ones


class CorpusSearch:
    """Searches beyond the named source, opening (and if need be building) the index once."""

    def __init__(self, corpus: Corpus) -> None:
        self.corpus = corpus
        self._index: CorpusIndex | None = None
        self._order = {sid: i for i, sid in enumerate(corpus.ids())}
        self._recent: OrderedDict[str, SourceText] = OrderedDict()

    @property
    def index(self) -> CorpusIndex:
        if self._index is None:
            self._index = self.corpus.open_index()
        return self._index

    def _text(self, sid: str, texts: dict[str, SourceText]) -> SourceText:
        if sid not in texts:
            recent = self._recent.pop(sid, None)
            texts[sid] = recent or self.corpus.text(sid, keep=False)
            self._recent[sid] = texts[sid]
            if len(self._recent) > KEEP_TEXTS:
                self._recent.popitem(last=False)
        return texts[sid]

    def shared_by_workers(self) -> bool:
        """Whether forked workers can search too: the index (opened, and brought up to date,
        here) is a file they can open afresh, not a table in this process's memory."""
        if not isinstance(self.index, CorpusIndex):  # a database's: each worker connects
            return self.corpus.forkable()
        index = self.index.index
        return isinstance(index, Fts5Index) and index.path is not None

    def named_text(self, sid: str) -> SourceText:
        """A source's text, read again or kept from an earlier quote."""
        return self._text(sid, {})

    def elsewhere(self, pattern: QuotePattern, exclude: str) -> list[Match]:
        """Every occurrence of the quote in sources other than `exclude`, in corpus order."""
        words = anchor_words(pattern.anchor)[:PHRASE_WORDS]
        texts: dict[str, SourceText] = {}
        found: list[Match] = []
        if len(words) < 2:
            for sid in self.corpus.ids():
                if sid != exclude:
                    text = self.corpus.text(sid, keep=False)
                    found.extend(to_match(text, s) for s in search_window(pattern, text, None))
            return found
        hits = sorted(
            {
                (self._order[sid], sid, k)
                for sid, k in self.index.containing(words, OCCURRENCE_LIMIT)
            }
        )
        seen: set[tuple[str, int, int]] = set()
        for _, sid, k in hits:
            if sid == exclude:
                continue
            text = self._text(sid, texts)
            if k >= len(text.para_starts):  # an index out of step with the file: no verdict
                continue
            for span in search_window(pattern, text, k):
                if (sid, *span) not in seen:
                    seen.add((sid, *span))
                    found.append(to_match(text, span))
        return found

    def closest(self, plain: str, named: SourceText) -> tuple[Closest | None, Closest | None]:
        """The passage nearest to `plain` in the named source, and in the whole corpus: the
        best of the named source's paragraphs and of the index's candidates."""
        # A long quote's passage is found by its first characters (report.closest).
        words = TOKEN.findall(probe(plain))
        texts: dict[str, SourceText] = {named.source.id: named}
        sid0 = named.source.id
        first: dict[tuple[int, int], tuple[str, int]] = {}
        for sid, k in self.index.similar(words, CLOSEST_LIMIT):
            if k < len(self._text(sid, texts).para_starts):
                first[(self._order[sid], k)] = (sid, k)
        # The likeliest first: the index's candidates, and the named source's paragraphs
        # that hold a stretch of the quote word for word. A high score early lets rapidfuzz
        # cut the rest short; the order changes the speed, never the result.
        ranked = [(rank, texts[sid], k) for rank, (sid, k) in sorted(first.items())]
        order = self._order[sid0]
        likely = _holding_a_stretch(plain, named)
        rest = (k for k in range(len(named.para_starts)) if k not in likely)
        ranked += [((order, k), named, k) for k in [*likely, *rest] if (order, k) not in first]
        return closest_two(plain, ranked, sid0)


_STRETCHES = 5  # a quote with a word or two changed keeps most of its fifths intact
_MAX_HITS = 8


def _holding_a_stretch(plain: str, text: SourceText) -> dict[int, None]:
    """The paragraphs of `text` that hold one of the quote's fifths exactly (str.find)."""
    words = plain.split(" ")
    size = -(-len(words) // _STRETCHES)
    found: dict[int, None] = {}
    for i in range(0, len(words), size):
        stretch = " ".join(words[i : i + size])
        if len(stretch) < 12:  # "of the": everywhere, and no help
            continue
        at = text.text.find(stretch)
        hits = 0
        while at >= 0 and hits < _MAX_HITS:
            found[text.paragraph_index(at)] = None
            at = text.text.find(stretch, at + 1)
            hits += 1
    return found


def anchor_words(anchor: str) -> list[str]:
    """The whole words of an anchor: a word touching either end may be cut (the anchor skips
    a part's first letter, and may start next to an alteration), so it is left out."""
    spans = [m.span() for m in TOKEN.finditer(anchor)]
    if spans and spans[0][0] == 0:
        spans = spans[1:]
    if spans and spans[-1][1] == len(anchor):
        spans = spans[:-1]
    return [anchor[s:e] for s, e in spans]
