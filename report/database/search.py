"""Words of a quote -> the paragraphs of a database corpus that may hold them, in corpus
order: report.elsewhere and report.passages ask this as they ask the folder's FTS5 index
(report.index.CorpusIndex), and their matcher decides on the text.

Each paragraph's words are kept lower-cased between single spaces (`' the president
said '`), so that FTS5's phrase query "the president" is `words LIKE '% the president %'`
here. PostgreSQL's full-text GIN index over those words (`phraseto_tsquery`, the `simple`
configuration: no stemming, no stop words) finds the rows that may hold the phrase, and
LIKE decides, so the hits are those of FTS5's phrase query. The same strategies as
Fts5Index.similar are tried in the same order. Hits come in corpus order (sources.yaml's
order, then paragraph), the order of a folder index built in one go, so that a query that
finds more paragraphs than its limit keeps the same ones either way.

Every query reads paragraphs joined to their own source's row only: distributed by source
id, each shard answers it on its own and the coordinator merges the shards' first rows
(docs/scaling.md).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence

_LONG_WORDS = 4  # as report.index: a misquote's longest words, tried in twos


_BETWEEN_WORDS = re.compile(r"[\W_]+")  # all that report.index.TOKEN does not match


# A full-text position counts to 16,383 only: a longer paragraph is kept in parts of at most
# PART_WORDS words, each overlapping the next by OVERLAP words (a phrase of up to OVERLAP
# words is then whole in one part).
PART_WORDS = 8000
OVERLAP = 1000


def words_column(paragraph: str) -> str:
    """A paragraph's words as report_paragraphs.words keeps them: ' the president said '."""
    return " " + _BETWEEN_WORDS.sub(" ", paragraph.lower()).strip(" ") + " "


def paragraph_rows(paragraph: str) -> list[str]:
    """The words column of each part of a paragraph (one part unless it is very long)."""
    words = words_column(paragraph)
    if words.count(" ") <= PART_WORDS:
        return [words]
    split = words.split()
    step = PART_WORDS - OVERLAP
    return [
        " " + " ".join(split[i : i + PART_WORDS]) + " "
        for i in range(0, len(split) - OVERLAP, step)
    ]


# A query is OR of ANDs of phrases (each phrase a sequence of words).
Query = list[list[Sequence[str]]]


def _rare_pair(words: Sequence[str]) -> Sequence[str]:
    if len(words) < 2:
        return ()
    j = max(range(len(words) - 1), key=lambda j: min(len(words[j]), len(words[j + 1])))
    return words[j : j + 2]


def similar_queries(words: Sequence[str]) -> list[Query]:
    """report.index.Fts5Index.similar's queries, in its order: the first that finds any
    paragraph gives the candidates."""
    queries: list[Query] = [[[words]]]
    third = -(-len(words) // 3)
    pairs = [_rare_pair(words[i : i + third]) for i in range(0, len(words), third)]
    if len(words) >= 6 and len(pairs) == 3 and all(pairs):
        a, b, c = pairs
        queries.append([[a, b], [a, c], [b, c]])
    for pieces in (3, 5):
        if len(words) < 2 * pieces:
            break
        size = -(-len(words) // pieces)
        queries.append([[words[i : i + size]] for i in range(0, len(words), size)])
    longest = sorted({w.lower() for w in words}, key=lambda w: (-len(w), w))[:_LONG_WORDS]
    for combo in [longest[:3], *itertools.combinations(longest, 2)]:
        if len(combo) < 2:
            break
        queries.append([[[w] for w in combo]])
    return queries


def _where(query: Query) -> tuple[str, list[str]]:
    """The full-text condition the index answers, and LIKE, which decides."""
    tsq: list[str] = []
    like: list[str] = []
    ts_params: list[str] = []
    like_params: list[str] = []
    for conjunction in query:
        tsq.append("(" + " && ".join(["phraseto_tsquery('simple', %s)"] * len(conjunction)) + ")")
        like.append("(" + " AND ".join(["p.words LIKE %s"] * len(conjunction)) + ")")
        for phrase in conjunction:
            words = words_column(" ".join(phrase))
            ts_params.append(words.strip())
            like_params.append("%" + words + "%")
    where = f"p.tsv @@ ({' || '.join(tsq)}) AND ({' OR '.join(like)})"
    return where, ts_params + like_params


class DatabaseIndex:
    """What report.elsewhere and report.passages ask of an index, answered by the database."""

    def __init__(self, corpus) -> None:
        self.corpus = corpus

    def _hits(self, query: Query, limit: int) -> list[tuple[str, int]]:
        where, params = _where(query)
        rows = self.corpus.snapshot.query(
            "SELECT p.source_id, p.k FROM report_paragraphs p"
            " JOIN report_sources s ON s.source_id = p.source_id"
            f" WHERE {where} GROUP BY s.ord, p.source_id, p.k"
            " ORDER BY s.ord, p.source_id, p.k LIMIT %s",
            (*params, limit),
        )
        return [(sid, k) for sid, k in rows if sid in self.corpus.sources]

    def containing(self, words: Sequence[str], limit: int = 200) -> list[tuple[str, int]]:
        """Paragraphs that hold `words` as one phrase (case-insensitive), first `limit`."""
        if not words:
            return []
        return self._hits([[words]], limit)

    def similar(self, words: Sequence[str], limit: int = 24) -> list[tuple[str, int]]:
        """Up to `limit` paragraphs likely to be nearest to `words` (the caller scores them)."""
        if not words:
            return []
        for query in similar_queries(words):
            hits = self._hits(query, limit)
            if hits:
                return hits
        return []
