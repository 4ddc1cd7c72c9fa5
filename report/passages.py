"""Words an author remembers -> the exact, quotable passages of the corpus that hold them,
ranked, each ready to paste into an outline as an `evidence` item, or into the author's
prose as a quotation with its citation (`“…” [@id]`).

Candidates are the sentences of each source's article body and, inside them, the stretches
the source puts in quotation marks (what someone said, without the reporter's frame around
it). A candidate's score blends how many of the query's words it holds (loosely: "invade"
finds "invaded") with how closely it holds them in order (rapidfuzz's partial ratio); a
candidate holding the whole query verbatim scores 100. Accents are not needed: "Faberge"
finds "Fabergé" (the index and the scores compare words without their diacritics). Of
overlapping candidates only the best is shown, so one passage never fills the list twice.

A sentence is not cut at an abbreviation (report.sentences), and a line break the source
itself makes (a web page's `<br>`, as in a tweet or a poem, or a line that starts a list
item) ends a passage. Suggested quotes hold no soft hyphens, zero-width or control
characters: they verify the same without them.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path

from rapidfuzz import fuzz

from report import typography
from report.cache import TextCache, default_cache_dir
from report.corpus import Corpus, SourceText, load_corpus
from report.errors import CorpusError, Location
from report.index import TOKEN, CorpusIndex
from report.inert import inert
from report.normalize import normalize_text, visible
from report.readers import reader_tag
from report.sentences import sentence_spans

MIN_SCORE = 40.0
MIN_QUOTED_WORDS = 3  # a shorter stretch in quotation marks is a term, not a statement
COVERAGE_WEIGHT = 0.6  # the rest is the partial ratio's

_WORD = re.compile(r"\w+(?:'\w+)*")
_QUOTED = re.compile(r'"([^"]+)"')
_STOP = frozenset(
    {"a", "an", "and", "are", "as", "at", "be", "but", "by", "for", "from", "has", "have",
     "he", "her", "his", "i", "in", "is", "it", "its", "of", "on", "or", "our", "she", "that",
     "the", "their", "them", "they", "this", "to", "was", "we", "were", "what", "which", "who",
     "will", "with", "would", "you"}
)  # fmt: skip
_SUFFIXES = ("'s", "ing", "ed", "es", "s", "ly")
CANDIDATES = 50  # paragraphs asked of the index on a large corpus; the ranking reads them


@dataclass(frozen=True, slots=True)
class Passage:
    source_id: str
    quote: str  # exactly as the text layer has it: it verifies as written
    location: Location
    score: float
    speaker: str | None = None  # for words the source quotes: who it says spoke them (a guess)


def find_in_corpus(
    words: str,
    corpus_dir: Path,
    source_id: str | None = None,
    limit: int = 5,
    cache_dir: Path | None = None,
    use_cache: bool = True,
    database: str | None = None,
) -> list[Passage]:
    """`report find`: the corpus folder opened (its text layers kept in `cache_dir`, else
    report.cache.default_cache_dir, unless not `use_cache`), or the corpus in the PostgreSQL
    `database` (the folder then only naming files), and its `limit` best passages for
    `words`, through its index unless one source is asked for."""
    if database:
        from report.database.corpus import open_corpus

        corpus = open_corpus(database, corpus_dir)
    else:
        cache = TextCache((cache_dir or default_cache_dir(corpus_dir)) if use_cache else None)
        corpus = load_corpus(corpus_dir, cache)
    if source_id is not None and source_id not in corpus:
        raise CorpusError(f"unknown source '{source_id}'")
    index = corpus.open_index() if source_id is None else None
    return find_passages(words, corpus, source_id=source_id, limit=limit, index=index)


def find_passages(
    words: str,
    corpus: Corpus,
    source_id: str | None = None,
    limit: int = 5,
    index: CorpusIndex | None = None,
) -> list[Passage]:
    """The `limit` best passages for `words`, best first. With an index (report.index), only
    the paragraphs it proposes are read; without, every paragraph of the body is."""
    query = _fold(normalize_text(words).strip().lower())
    q_words = _WORD.findall(query)
    if not q_words:
        return []
    wanted: dict[str, set[int]] | None = None
    if index is not None and source_id is None:
        wanted = {}
        for sid, k in index.similar(TOKEN.findall(query), CANDIDATES):
            wanted.setdefault(sid, set()).add(k)
    content = [w for w in q_words if w not in _STOP] or q_words
    q_stems = {_stem(w) for w in content}
    scored: list[tuple[float, int, str, int, int, bool]] = []
    ids = [source_id] if source_id else corpus.ids()
    for sid in ids if wanted is None else [i for i in corpus.ids() if i in wanted]:
        text = corpus.text(sid)
        paragraphs = None if wanted is None else wanted[sid]
        for start, end, quoted in _candidates(text, paragraphs):
            score = _score(query, q_stems, _fold(text.text[start:end].lower()))
            if score >= MIN_SCORE:
                scored.append((score, end - start, sid, start, end, quoted))
    scored.sort(key=lambda s: (-s[0], s[1]))
    chosen: list[tuple[float, int, str, int, int, bool]] = []
    for cand in scored:
        if any(c[2] == cand[2] and c[3] < cand[4] and cand[3] < c[4] for c in chosen):
            continue
        chosen.append(cand)
        if len(chosen) == limit:
            break
    return [
        _passage(corpus.text(sid), start, end, score, quoted)
        for score, _, sid, start, end, quoted in chosen
    ]


def _score(query: str, q_stems: set[str], candidate: str) -> float:
    if query in candidate:
        return 100.0
    stems = {_stem(w) for w in _WORD.findall(candidate)}
    coverage = len(q_stems & stems) / len(q_stems)
    if not coverage:
        return 0.0
    # A candidate shorter than the query would match a piece of the query perfectly.
    ratio = fuzz.partial_ratio if len(candidate) >= len(query) else fuzz.ratio
    order = ratio(query, candidate)
    return min(99.0, round(COVERAGE_WEIGHT * 100 * coverage + (1 - COVERAGE_WEIGHT) * order, 1))


def _fold(text: str) -> str:
    """`text` without diacritics ("fabergé" -> "faberge"), as the index compares words."""
    if text.isascii():
        return text
    decomposed = unicodedata.normalize("NFD", text)
    return unicodedata.normalize(
        "NFC", "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    )


def _stem(word: str) -> str:
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)]
    return word


def _candidates(
    text: SourceText, paragraphs: set[int] | None = None
) -> Iterator[tuple[int, int, bool]]:
    """Normalised spans of the body's sentences and of the quoted stretches inside them
    (True for those); only of `paragraphs` (indices) when given."""
    body_start, body_end = text.body
    authored = reader_tag(text.source.path) == "html"  # its line breaks are <br>s
    for k, para_start in enumerate(text.para_starts):
        if paragraphs is not None and k not in paragraphs:
            continue
        para_end = text.para_starts[k + 1] if k + 1 < len(text.para_starts) else len(text.text)
        if para_end <= body_start or para_start >= body_end:
            continue
        lo, hi = max(para_start, body_start), min(para_end, body_end)
        for line_lo, line_hi in _lines(text, k, lo, hi, authored):
            for start, end in sentence_spans(text.text, line_lo, line_hi):
                if text.outside and not text.in_body(start, end):  # sources.yaml `exclude`
                    continue
                s_start, s_end = _balanced(text.text, start, end)
                inside = text.text.count('"', para_start, s_start) % 2 == 1  # quoted sentence
                yield s_start, s_end, inside
                for m in _QUOTED.finditer(text.text, start, end):
                    q_start, q_end = _trim(text.text, *m.span(1))
                    if len(_WORD.findall(text.text[q_start:q_end])) >= MIN_QUOTED_WORDS:
                        yield q_start, q_end, True


# A line that starts a list item: a bullet, or a number and a full stop or bracket.
_LIST_ITEM = re.compile(r"[ \t]*(?:[-*+\u2022\u25aa\u2023]|\d{1,3}[.)])[ \t]+")


def _lines(text: SourceText, k: int, lo: int, hi: int, authored: bool) -> list[tuple[int, int]]:
    """text.text[lo:hi] (in paragraph k) cut at the line breaks its source makes: every
    line break of a web page (a <br>), and in any source one before a list item, whose
    marker is left out. A plain text's other line breaks are its layout."""
    layer = text.layer.text
    p_lo, p_hi = text.source_paragraph(k)
    cuts: list[tuple[int, int]] = []  # (end of a line, start of the next), normalised
    nl = layer.find("\n", p_lo, p_hi)
    while nl >= 0:
        item = _LIST_ITEM.match(layer, nl + 1, p_hi)
        if authored or item:
            after = item.end() if item else nl + 1
            cuts.append((text.norm.map.inverse(nl), text.norm.map.inverse(after)))
        nl = layer.find("\n", nl + 1, p_hi)
    if not cuts:
        return [(lo, hi)]
    out, start = [], lo
    for end, nxt in cuts:
        if lo <= end <= hi and end > start:
            out.append((start, end))
        start = max(start, min(nxt, hi))
    if start < hi:
        out.append((start, hi))
    return out


def _balanced(text: str, start: int, end: int) -> tuple[int, int]:
    """A sentence without a quotation mark it opens or closes but does not contain both of:
    `“It doesn't want to be shackled to a corpse.”` is quoted without the marks' pair
    broken."""
    if text.count('"', start, end) % 2:
        if text[start] == '"':
            start += 1
        elif text[end - 1] == '"':
            end -= 1
    return start, end


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start] in " '":
        start += 1
    while end > start and text[end - 1] in " ,;:'":
        end -= 1
    return start, end


def _passage(text: SourceText, start: int, end: int, score: float, quoted: bool) -> Passage:
    shown = visible(text.layer.text[text.norm.map(start) : text.norm.map(end)])
    speaker = None
    if quoted:
        para_start, para_end = text.paragraph_span(start)
        speaker = guess_speaker(text.text[para_start:para_end])
    return Passage(text.source.id, " ".join(shown.split()), text.location(start), score, speaker)


_NAME = r"(?:(?:Mr|Ms|Mrs|Dr)\. )?((?:[A-Z][\w'-]+ ){0,2}[A-Z][\w'-]+)"
_SAID = re.compile(rf"\b(?:said|says|added|wrote) {_NAME}|{_NAME} (?:said|says|added|wrote)\b")
_NOT_NAMES = frozenset({"He", "She", "They", "It", "We", "I", "You", "This", "That"})


def guess_speaker(paragraph: str) -> str | None:
    """Who a paragraph says spoke its quoted words ("said Neil Thomas", "Ms. Kuhrt said")."""
    for m in _SAID.finditer(paragraph):
        name = m.group(1) or m.group(2)
        if name.split()[0] not in _NOT_NAMES:
            return name
    return None


def format_passage(p: Passage) -> str:
    """A ready-to-paste YAML evidence item, with its location and score as a comment (what
    comes from the corpus inert: report.inert)."""
    p = _inert(p)
    quote = json.dumps(p.quote, ensure_ascii=False)
    item = f"# {p.location} ({p.score:.0f}% match)\n- source: {p.source_id}\n  quote: {quote}\n"
    if p.speaker:  # a guess from the source's wording: left for the author to confirm
        item += f"  # speaker: {p.speaker}\n"
    return item


def format_passage_markdown(p: Passage) -> str:
    """A quotation with its Pandoc citation, ready to paste into a sentence of the author's
    prose (a YAML outline's or a Markdown brief's), its place and score in a comment. Double
    marks inside it become single ones, as a quotation nested in the author's is written;
    it verifies as the source has it. What comes from the corpus is inert (report.inert)."""
    p = _inert(p)
    quote = typography.nest(typography.curl(p.quote))
    where = f"{p.location} ({p.score:.0f}% match)"
    if p.speaker:  # a guess from the source's wording: left for the author to confirm
        where += f"; speaker: {p.speaker}?"
    return f"<!-- {where} -->\n\u201c{quote}\u201d [@{p.source_id}]\n"


def _inert(p: Passage) -> Passage:
    """A found passage with what comes from the corpus (file name, speaker) inert; its
    quote is printed as a JSON string, which escapes line breaks and ESC, not the rest."""
    where = replace(p.location, file=inert(p.location.file))
    return replace(
        p,
        source_id=inert(p.source_id),
        quote=inert(p.quote),
        location=where,
        speaker=inert(p.speaker) if p.speaker else p.speaker,
    )
