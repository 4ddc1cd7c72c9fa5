"""Words an author remembers -> the exact, quotable passages of the corpus that hold them,
ranked, each ready to paste into an outline as an `evidence` item."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

from rapidfuzz import fuzz

from report.corpus import Corpus
from report.errors import Location
from report.index import TOKEN, CorpusIndex
from report.normalize import normalize_text

CANDIDATES = 50  # paragraphs asked of the index; rapidfuzz ranks their sentences
_SENTENCE_END = re.compile(r"[.!?][\"'\u201d\u2019)]*(?=\s|$)")


@dataclass(frozen=True, slots=True)
class Passage:
    source_id: str
    quote: str  # exactly as the text layer has it: it verifies as written
    location: Location
    score: float


def find_passages(
    words: str,
    corpus: Corpus,
    source_id: str | None = None,
    limit: int = 5,
    index: CorpusIndex | None = None,
) -> list[Passage]:
    """The `limit` best sentences for `words`, best first (rapidfuzz partial ratio). With an
    index, only the paragraphs it proposes are read; without, every paragraph is."""
    query = normalize_text(words).strip()
    if not query:
        return []
    if index is not None and source_id is None:
        wanted: dict[str, set[int]] = {}
        for sid, k in index.similar(TOKEN.findall(query), CANDIDATES):
            wanted.setdefault(sid, set()).add(k)
        order = {sid: i for i, sid in enumerate(corpus.ids())}
        candidates = sorted(wanted.items(), key=lambda item: order[item[0]])
    else:
        ids = [source_id] if source_id else corpus.ids()
        candidates = [(sid, None) for sid in ids]
    scored: list[tuple[float, Passage]] = []
    for sid, paragraphs in candidates:
        text = corpus.text(sid, keep=False)
        layer = text.layer.text
        for k, (start, end) in enumerate(text.layer.paragraphs):
            if paragraphs is not None and k not in paragraphs:
                continue
            if (
                text.norm.map.inverse(end) <= text.body[0]
                or text.norm.map.inverse(start) >= text.body[1]
            ):
                continue
            for s_start, s_end in _sentences(layer, start, end):
                sentence = layer[s_start:s_end]
                score = fuzz.partial_ratio(query, normalize_text(sentence), score_cutoff=50)
                if score:
                    norm_start = text.norm.map.inverse(s_start)
                    passage = Passage(
                        sid, " ".join(sentence.split()), text.location(norm_start), score
                    )
                    scored.append((score, passage))
    scored.sort(key=lambda sp: (-sp[0], len(sp[1].quote)))
    return [p for _, p in scored[:limit]]


def _sentences(text: str, start: int, end: int) -> list[tuple[int, int]]:
    out, pos = [], start
    for m in _SENTENCE_END.finditer(text, start, end):
        out.append((pos, m.end()))
        pos = m.end()
        while pos < end and text[pos].isspace():
            pos += 1
    if pos < end:
        out.append((pos, end))
    return out


def format_passage(p: Passage) -> str:
    """A ready-to-paste YAML evidence item, with its location and score as a comment."""
    quote = json.dumps(p.quote, ensure_ascii=False)
    return f"# {p.location} ({p.score:.0f}% match)\n- source: {p.source_id}\n  quote: {quote}\n"
