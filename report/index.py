"""A corpus's paragraphs -> a full-text index, so that the searches that look beyond a
quote's named source (the closest passage to a misquote, the other sources that may hold a
quote, `report find`) ask the index for a handful of candidates instead of scanning the
whole corpus for each query.

`PassageIndex` is the small interface a search back end provides; `Fts5Index` (SQLite FTS5,
embedded, a file in the cache folder) is the default, and a server-backed one can be added
behind the same interface. The index holds each source's normalised paragraphs under the
file's content hash and only proposes candidates: every verdict is still made by the
quote's regex, or by rapidfuzz, on the text itself. `CorpusIndex` keeps an index in step
with a corpus folder (new, edited and removed files) and maps hits back to source ids.
"""

from __future__ import annotations

import contextlib
import hashlib
import itertools
import os
import re
import sqlite3
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from report.cache import HashMemo, TextCache, code_version, content_key
from report.parallel import inherited
from report.prepare import cached, prepare_files, read_source
from report.readers import reader_tag

if TYPE_CHECKING:
    from report.corpus import Corpus

# Tokens as FTS5's unicode61 tokenizer sees them (letters and digits; `_` separates).
TOKEN = re.compile(r"[^\W_]+")
LOCK_WAIT = 600.0  # seconds
_PARA_BITS = 20  # rowid = document number << 20 | paragraph number
_SCHEMA = 4  # 4: words are indexed without their diacritics ("Faberge" finds "Fabergé")
_LONG_WORDS = 4  # a misquote's longest words, tried in twos when no exact stretch is found
_BULK = 1000  # from this many documents added in one sync, the index is merged at the end
_COMMIT_EVERY = 2000  # documents added between commits of a long build
STALE_MIN, STALE_SHARE = 64, 0.2  # rows of edited documents tolerated before a rebuild


@dataclass(frozen=True, slots=True)
class Hit:
    key: str  # content hash of the source file
    paragraph: int


class PassageIndex(Protocol):
    """What report needs of a search back end."""

    def keys(self) -> set[str]:
        """Content hashes of every indexed document."""
        ...

    def add(self, key: str, paragraphs: Sequence[str]) -> None:
        """Index one document's normalised paragraphs (a document is added once)."""
        ...

    def commit(self) -> None: ...

    def containing(self, words: Sequence[str], limit: int) -> list[Hit]:
        """Paragraphs that hold `words` as one consecutive phrase (case-insensitive)."""
        ...

    def similar(self, words: Sequence[str], limit: int) -> list[Hit]:
        """Up to `limit` paragraphs likely to be nearest to `words` (the caller scores them)."""
        ...


def _phrase(words: Sequence[str]) -> str:
    # Tokens are letters and digits only, so quoting cannot be broken by their content;
    # FTS5 re-tokenises each quoted string itself.
    return '"' + " ".join(words) + '"'


def _rare_pair(words: Sequence[str]) -> Sequence[str]:
    """The two adjacent words whose shorter one is longest: a phrase likely to be rare."""
    if len(words) < 2:
        return ()
    j = max(range(len(words) - 1), key=lambda j: min(len(words[j]), len(words[j + 1])))
    return words[j : j + 2]


class Fts5Index:
    """PassageIndex on SQLite FTS5: a contentless table (the text stays in the text cache)."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        # Phrases containing() found in no paragraph, while this index is open (a misquote
        # is first looked for whole, then for its nearest passage: the whole phrase is not
        # asked twice). Cleared whenever documents are added or removed.
        self._absent: set[tuple[str, ...]] = set()
        try:
            self._open()
        except sqlite3.OperationalError:
            raise  # locked or busy: another run's, not damage
        except sqlite3.DatabaseError:
            # A damaged index file is rebuilt from the text cache, never trusted.
            self._discard()
            self._open()

    def _open(self) -> None:
        target = str(self.path) if self.path is not None else ":memory:"
        if self.path is not None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        # Another run building the same index holds it for a while: wait for it (what it
        # adds is then skipped here) rather than fail.
        self._db = sqlite3.connect(target, timeout=LOCK_WAIT)
        self._pid = os.getpid()
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=NORMAL")
        self.db.executescript(
            """
            CREATE TABLE IF NOT EXISTS meta(k TEXT PRIMARY KEY, v TEXT);
            CREATE TABLE IF NOT EXISTS docs(
                id INTEGER PRIMARY KEY AUTOINCREMENT, key TEXT UNIQUE NOT NULL);
            CREATE VIRTUAL TABLE IF NOT EXISTS passages USING fts5(
                body, content='', detail=full, tokenize='unicode61 remove_diacritics 2');
            CREATE TABLE IF NOT EXISTS files(
                n INTEGER PRIMARY KEY, sid TEXT NOT NULL, path TEXT NOT NULL,
                key TEXT NOT NULL, stamp TEXT NOT NULL);
            """
        )
        row = self.db.execute("SELECT v FROM meta WHERE k='version'").fetchone()
        version = f"{_SCHEMA}-{code_version()}"
        if row is None:
            self.db.execute("INSERT INTO meta VALUES('version', ?)", (version,))
            self.db.commit()
        elif row[0] != version:
            raise sqlite3.DatabaseError("index of another version")
        self.db.execute("SELECT count(*) FROM docs").fetchone()
        self.db.execute("SELECT rowid FROM passages LIMIT 1").fetchall()  # its structure too

    @property
    def db(self) -> sqlite3.Connection:
        if self._pid != os.getpid():
            # A forked worker (report.parallel): the parent's connection must not be used.
            if self.path is None:
                raise RuntimeError("an index in memory cannot be shared with a worker")
            inherited(self._db)
            self._db = sqlite3.connect(str(self.path), timeout=LOCK_WAIT)
            self._pid = os.getpid()
        return self._db

    def _discard(self) -> None:
        with contextlib.suppress(Exception):
            self._db.close()
        if self.path is not None:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{self.path}{suffix}").unlink(missing_ok=True)

    def keys(self) -> set[str]:
        return {k for (k,) in self.db.execute("SELECT key FROM docs")}

    def add(self, key: str, paragraphs: Sequence[str]) -> None:
        self._absent.clear()
        cur = self.db.execute("INSERT OR IGNORE INTO docs(key) VALUES (?)", (key,))
        if not cur.rowcount:
            return
        doc = cur.lastrowid << _PARA_BITS
        self.db.executemany(
            "INSERT INTO passages(rowid, body) VALUES (?, ?)",
            ((doc | k, p) for k, p in enumerate(paragraphs[: 1 << _PARA_BITS]) if p),
        )

    def commit(self) -> None:
        self.db.commit()

    def bulk(self, on: bool) -> None:
        """Many documents at once: merge the index's segments once at the end instead of
        while adding (about a third less work for a whole corpus)."""
        if on:
            self.db.execute("INSERT INTO passages(passages, rank) VALUES('automerge', 0)")
            self.db.execute("INSERT INTO passages(passages, rank) VALUES('crisismerge', 100000)")
        else:
            self.db.execute("INSERT INTO passages(passages) VALUES('optimize')")
            self.db.execute("INSERT INTO passages(passages, rank) VALUES('automerge', 4)")
            self.db.execute("INSERT INTO passages(passages, rank) VALUES('crisismerge', 16)")
        self.db.commit()

    def _hits(self, match: str, limit: int, ranked: bool) -> list[Hit]:
        # Rows of a document no longer in `docs` (an edited file whose old text could not
        # be given back to delete them) are left out before the limit, never in its place.
        order = "ORDER BY passages.rank" if ranked else ""
        rows = self.db.execute(
            f"SELECT passages.rowid, docs.key FROM passages"
            f" JOIN docs ON docs.id = passages.rowid >> {_PARA_BITS}"
            f" WHERE passages MATCH ? {order} LIMIT ?",
            (match, limit),
        ).fetchall()
        return [Hit(key, rowid & ((1 << _PARA_BITS) - 1)) for rowid, key in rows]

    def containing(self, words: Sequence[str], limit: int) -> list[Hit]:
        if not words:
            return []
        hits = self._hits(_phrase(words), limit, ranked=False)
        if not hits:  # a misquote's words: similar() is asked next, and need not ask again
            self._absent.add(tuple(w.lower() for w in words))
        return hits

    def similar(self, words: Sequence[str], limit: int) -> list[Hit]:
        # A passage a word or two away from `words` holds most of it exactly, and exact
        # phrases are what FTS5 finds fastest; a bm25 ranking over a common word would cost
        # a scan of the corpus's postings. Tried in turn, until one finds paragraphs:
        # - the whole quote (a misquote in punctuation only);
        # - two of its thirds, each by its pair of adjacent longest (likely rarest) words:
        #   a phrase of rare words is cheap to look up, one of common words is not;
        # - one of its thirds, or of its fifths, word for word;
        # - the quote's longest words, without their order.
        if not words:
            return []
        if not self._holds_absent(words):
            hits = self._hits(_phrase(words), limit, ranked=False)
            if hits:
                return hits
        third = -(-len(words) // 3)
        pairs = [_rare_pair(words[i : i + third]) for i in range(0, len(words), third)]
        if len(words) >= 6 and len(pairs) == 3 and all(pairs):  # each third two words or more
            a, b, c = (_phrase(p) for p in pairs)
            hits = self._hits(f"({a} AND {b}) OR ({a} AND {c}) OR ({b} AND {c})", limit, False)
            if hits:
                return hits
        for pieces in (3, 5):
            if len(words) < 2 * pieces:
                break
            size = -(-len(words) // pieces)
            phrases = [_phrase(words[i : i + size]) for i in range(0, len(words), size)]
            hits = self._hits(" OR ".join(phrases), limit, ranked=False)
            if hits:
                return hits
        longest = sorted({w.lower() for w in words}, key=lambda w: (-len(w), w))[:_LONG_WORDS]
        for combo in [longest[:3], *itertools.combinations(longest, 2)]:
            if len(combo) < 2:
                break
            hits = self._hits(" AND ".join(_phrase([w]) for w in combo), limit, ranked=False)
            if hits:
                return hits
        return []

    def _holds_absent(self, words: Sequence[str]) -> bool:
        """Whether `words` hold, word for word, a phrase that containing() found nowhere
        (then they are nowhere either: the index has not changed since)."""
        if not self._absent:
            return False
        lowered = tuple(w.lower() for w in words)
        return any(
            lowered[i : i + len(phrase)] == phrase
            for phrase in self._absent
            if len(phrase) <= len(lowered)
            for i in range(len(lowered) - len(phrase) + 1)
            if lowered[i] == phrase[0]
        )

    def remove_except(
        self, keep: set[str], paragraphs: Callable[[str], Sequence[str] | None]
    ) -> int:
        """Drop the documents not in `keep`. A contentless FTS5 table forgets a row only when
        told its text again, so `paragraphs(key)` supplies it (from the text cache). A
        document whose text is gone (an edited file whose old text was never cached) has its
        rows left behind: no longer mapped to a document, they are never a hit, but they
        take up room, so they are counted. Returns how many documents are left so."""
        gone = self.keys() - keep
        for key in gone:
            row = self.db.execute("SELECT id FROM docs WHERE key = ?", (key,)).fetchone()
            texts = paragraphs(key)
            if row is not None and texts is not None:
                doc = row[0] << _PARA_BITS
                self.db.executemany(
                    "INSERT INTO passages(passages, rowid, body) VALUES('delete', ?, ?)",
                    ((doc | k, p) for k, p in enumerate(texts[: 1 << _PARA_BITS]) if p),
                )
            elif row is not None:
                self._add_stale(1)
            self.db.execute("DELETE FROM docs WHERE key = ?", (key,))
        return len(gone)

    def stale(self) -> int:
        """Documents whose rows were left behind (see remove_except)."""
        row = self.db.execute("SELECT v FROM meta WHERE k='stale'").fetchone()
        return int(row[0]) if row else 0

    def _add_stale(self, n: int) -> None:
        self.db.execute("INSERT OR REPLACE INTO meta VALUES('stale', ?)", (str(self.stale() + n),))

    def clear(self) -> None:
        """Forget every document (the index is then built afresh)."""
        self.db.execute("INSERT INTO passages(passages) VALUES('delete-all')")
        self.db.execute("DELETE FROM docs")
        self.db.execute("DELETE FROM meta WHERE k='stale'")
        self.forget_files()
        self.db.commit()

    def files(self, listing: str) -> list[tuple[str, str, str, str]] | None:
        """The files the index was last brought up to date with, as (source id, path, key,
        stat stamp) rows, if that was for the same `listing` (a hash of sources.yaml)."""
        row = self.db.execute("SELECT v FROM meta WHERE k='files'").fetchone()
        if row is None or row[0] != listing:
            return None
        return self.db.execute("SELECT sid, path, key, stamp FROM files ORDER BY n").fetchall()

    def remember_files(self, listing: str, rows: list[tuple[str, str, str, str]]) -> None:
        self.forget_files()
        self.db.executemany("INSERT INTO files(sid, path, key, stamp) VALUES (?, ?, ?, ?)", rows)
        self.db.execute("INSERT INTO meta VALUES('files', ?)", (listing,))
        self.db.commit()

    def forget_files(self) -> None:
        self.db.execute("DELETE FROM meta WHERE k='files'")
        self.db.execute("DELETE FROM files")

    def close(self) -> None:
        self.db.close()


_RACY_NS = 2_000_000_000  # a file changed this recently may change again within its stamp


def _stamp(st: os.stat_result) -> str:
    return f"{st.st_size} {st.st_mtime_ns} {st.st_ino} {st.st_ctime_ns}"


def _listing(corpus: Corpus) -> str | None:
    """A hash of the corpus's sources.yaml and folder (None if it cannot be read): the same
    hash, the same source ids and files."""
    data = read_source(corpus.sources_file)
    if data is None:
        return None
    return hashlib.sha256(b"\0".join([str(corpus.directory.resolve()).encode(), data])).hexdigest()


def _file_rows(
    corpus: Corpus, keys: dict[str, str], memo: HashMemo
) -> list[tuple[str, str, str, str]] | None:
    """(source id, path, key, stamp) of every source, the path as sources.yaml gives it
    (so that a symlink on the way, retargeted, changes the stamp); None if a file cannot be
    read, or changed too recently for its stamp to tell a later change. Each stamp is one
    that the file had while it held that key: the stat memo's, or taken around a reading."""
    rows = []
    now = time.time_ns()
    for sid in corpus.sources:
        key, source = keys.get(sid), corpus.sources[sid]
        if key is None:
            return None
        path = os.path.join(corpus.directory, source.file)
        try:
            st = os.stat(path)
            if now - max(st.st_mtime_ns, st.st_ctime_ns) < _RACY_NS:
                return None
            if memo.known(source.path) != key:  # read by this run: hashed again
                data = read_source(Path(path))
                if data is None or content_key(data, reader_tag(source.path)) != key:
                    return None
                if _stamp(os.stat(path)) != _stamp(st):
                    return None
        except OSError:
            return None
        rows.append((sid, path, key, _stamp(st)))
    return rows


def tokens(text: str) -> list[str]:
    return TOKEN.findall(text)


def index_path(cache: TextCache, corpus_dir: Path) -> Path | None:
    if cache.directory is None:
        return None
    name = hashlib.sha256(str(corpus_dir.resolve()).encode()).hexdigest()[:16]
    return cache.directory / f"index-{name}.sqlite"


class CorpusIndex:
    """A PassageIndex kept in step with one corpus: hits come back as source ids."""

    def __init__(self, corpus: Corpus, index: PassageIndex) -> None:
        self.corpus = corpus
        self.index = index
        self.by_key: dict[str, list[str]] = {}
        self.added = self.removed = 0  # documents by the last sync

    @classmethod
    def open(cls, corpus: Corpus) -> CorpusIndex:
        try:
            fts = Fts5Index(index_path(corpus.cache, corpus.directory))
        except (OSError, sqlite3.Error):  # no usable cache folder: an index for this run
            fts = Fts5Index(None)
        self = cls(corpus, fts)
        self.sync()
        return self

    def sync(self, rebuild: bool = True) -> None:
        """Index every source the index does not hold yet (cold: all of them, prepared on
        every core; warm: none, after one stat per file)."""
        fts = self.index if isinstance(self.index, Fts5Index) else None
        listing = _listing(self.corpus) if fts is not None else None
        if fts is not None and listing is not None and self._unchanged(fts, listing):
            return
        keys: dict[str, str] = {}
        memo = self.corpus.memo()
        todo: list[str] = []
        for sid, source in self.corpus.sources.items():
            key = self.corpus.read_key(sid) or memo.known(source.path)
            if key is None:
                todo.append(sid)
            else:
                keys[sid] = key
        indexed = self.index.keys()
        todo += [sid for sid, key in keys.items() if key not in indexed]
        # In corpus order, whichever sources this run has read already: a query's first
        # hits (its limit) are then the same whatever the outlines name, and the same as a
        # database corpus gives (report.database.search).
        order = {sid: i for i, sid in enumerate(self.corpus.sources)}
        todo.sort(key=order.__getitem__)
        by_path = {self.corpus.sources[sid].path: sid for sid in todo}
        bulk = len(by_path) >= _BULK and isinstance(self.index, Fts5Index)
        if bulk:
            self.index.bulk(True)
        self.added = 0
        for result in prepare_files(self.corpus.cache, list(by_path), paragraphs=True):
            keys[by_path[result.path]] = result.key
            memo.remember(result.path, result.key, result.stat)
            if result.key in indexed:  # by an earlier build that was stopped
                continue
            self.index.add(result.key, result.paragraphs or [])
            self.added += 1
            if self.added % _COMMIT_EVERY == 0:  # a build stopped half-way resumes from here
                self.index.commit()
        self.index.commit()
        if bulk:
            self.index.bulk(False)
        memo.save()
        for sid, key in keys.items():
            self.by_key.setdefault(key, []).append(sid)
        self.removed = 0
        if isinstance(self.index, Fts5Index) and indexed - set(keys.values()):
            self.removed = self.index.remove_except(set(keys.values()), self._paragraphs)
            self.index.commit()
        # Rows left behind by edited files would crowd out the live ones: past a share of
        # the corpus, the index is built afresh (as on a cold run).
        stale_max = max(STALE_MIN, len(keys) * STALE_SHARE)
        if isinstance(self.index, Fts5Index) and rebuild and self.index.stale() > stale_max:
            self.index.clear()
            self.by_key.clear()
            self.sync(rebuild=False)
        elif fts is not None and listing is not None:
            rows = _file_rows(self.corpus, keys, memo)
            if rows is not None:
                fts.remember_files(listing, rows)

    def _unchanged(self, fts: Fts5Index, listing: str) -> bool:
        """Whether the corpus is as the index last saw it: the same sources.yaml, and every
        file with the same stat stamp (size, mtime, inode, ctime) and a key the index holds.
        Then nothing is added, and the source entries need not be made (an archive's
        100,000 entries cost a warm check more than its quotes)."""
        rows = fts.files(listing)
        if rows is None or len(rows) != len(self.corpus.sources):
            return False
        indexed = fts.keys()
        for _, path, key, stamp in rows:
            try:
                st = os.stat(path)  # following symlinks, as sources are read
            except OSError:
                return False
            if key not in indexed or stamp != _stamp(st):
                return False
        self.added = self.removed = 0
        for sid, _, key, _ in rows:
            self.by_key.setdefault(key, []).append(sid)
        return True

    def _paragraphs(self, key: str) -> list[str] | None:
        prepared = cached(self.corpus.cache, key)
        return prepared.paragraphs() if prepared is not None else None

    def containing(self, words: Sequence[str], limit: int = 200) -> list[tuple[str, int]]:
        return self._sources(self._query(lambda: self.index.containing(words, limit)))

    def similar(self, words: Sequence[str], limit: int = 24) -> list[tuple[str, int]]:
        return self._sources(self._query(lambda: self.index.similar(words, limit)))

    def _query(self, ask: Callable[[], list[Hit]]) -> list[Hit]:
        """A query; an index file found damaged only now (a byte changed in a page it had not
        read yet) is deleted and built afresh, then asked again, as on a cold run."""
        try:
            return ask()
        except sqlite3.OperationalError:
            raise
        except sqlite3.DatabaseError:
            if not isinstance(self.index, Fts5Index):
                raise
            self.index._discard()
            self.index = Fts5Index(self.index.path)
            self.by_key.clear()
            self.sync()
            return ask()

    def _sources(self, hits: list[Hit]) -> list[tuple[str, int]]:
        out = []
        for hit in hits:
            for sid in self.by_key.get(hit.key, ()):
                out.append((sid, hit.paragraph))
        return out
