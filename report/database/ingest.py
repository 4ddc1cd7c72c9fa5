"""A corpus folder -> its sources in PostgreSQL (report/data/schema.sql): `report ingest`.

Incremental: a source whose file has the sha256 the database holds (and was read by the
same version of report's readers) is not read into a text layer again; one whose entry in
sources.yaml changed but not its file costs one row. Text layers are read on every core
(report.parallel) and written by this one process.

Each source is written whole inside one transaction (several small ones share a
transaction): its entry, its text layer and its paragraphs appear together, or not at all,
to every reader. An ingest that is stopped keeps what it committed and the next one
carries on from there. One ingest runs at a time per database (an advisory lock).
`prune` deletes the sources that are no longer in sources.yaml; `full` reads and writes every
source again, whatever the database holds (after a change to report's readers made outside
a release, or to undo any change made to the database by hand).
"""

from __future__ import annotations

import hashlib
import os
import time
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from report.cache import CODE_VERSION
from report.corpus import Corpus, load_corpus
from report.database import (
    DatabaseError,
    _first_line,
    _psycopg,
    connect,
    create_schema,
    schema_sql,
    shown_url,
)
from report.database.corpus import entry_json, error_json
from report.database.search import paragraph_rows
from report.errors import CorpusError, Location
from report.parallel import forked_map
from report.prepare import MAX_SOURCE_BYTES, encode, prepare_bytes
from report.readers import reader_tag
from report.sources import Source
from report.yamlfile import read_bytes

_LOCK = 0x7265706F7274  # advisory lock key: one ingest at a time ("report")
BATCH_SOURCES = 64  # sources written in one transaction, at most...
BATCH_BYTES = 8 * 1024 * 1024  # ...and about this many bytes of them
MAX_SOURCES_YAML_BYTES = 256 * 1024 * 1024  # about 2.5 million entries
WINDOW = 512  # sources read by the workers between two writes (bounds memory)
_PARA_MAX = 1 << 20  # paragraphs indexed per source, as report.index


@dataclass
class Ingested:
    """What an ingest did, source by source."""

    written: list[str] = field(default_factory=list)  # text layer (re)written
    updated: list[str] = field(default_factory=list)  # entry or order only
    unchanged: list[str] = field(default_factory=list)
    pruned: list[str] = field(default_factory=list)
    unreadable: list[CorpusError] = field(default_factory=list)  # ingested as such
    bytes_read: int = 0
    seconds: float = 0.0
    left: int = 0  # sources in the database that are no longer in sources.yaml (no --prune)

    def notices(self) -> list[str]:
        """What `report ingest` says it did: the counts, what is left, what was unreadable."""
        lines = [
            f"{len(self.written)} written, {len(self.updated)} updated, {len(self.unchanged)} "
            f"unchanged, {len(self.pruned)} pruned ({self.bytes_read / 1e6:.1f} MB read in "
            f"{self.seconds:.1f} s)"
        ]
        if self.left:
            lines.append(
                f"{self.left} sources in the database are no longer in sources.yaml "
                "(--prune deletes them)"
            )
        if self.unreadable:
            lines += [str(exc) for exc in self.unreadable]
            lines.append(
                f"{len(self.unreadable)} source files could not be read: a check that quotes "
                "them says so"
            )
        return lines


# (stage, done, total, bytes): called after every commit
IngestProgress = Callable[[str, int, int, int], None]


@dataclass(frozen=True, slots=True)
class _Read:
    source_id: str
    sha256: str
    size: int
    reader: str
    layer: bytes | None  # compressed report.prepare.encode; None: unchanged or unreadable
    paragraphs: list[tuple[int, int, str]] | None  # (paragraph, part, words)
    error: str | None  # error_json of an unreadable file
    error_exc: CorpusError | None


def _read_job(job: tuple[str, str, str, str | None]) -> _Read:
    """Read, hash and (unless the database has these bytes) lay out one source file."""
    sid, path_s, shown, known = job
    path = Path(path_s)
    tag = reader_tag(path)
    try:
        data = read_bytes(path, CorpusError, MAX_SOURCE_BYTES, shown)
    except CorpusError as exc:
        return _Read(sid, "", 0, tag, None, None, error_json(exc), exc)
    sha = hashlib.sha256(data).hexdigest()
    if sha == known:
        return _Read(sid, sha, len(data), tag, None, None, None, None)
    try:
        prepared = prepare_bytes(path, data, shown)
    except CorpusError as exc:
        return _Read(sid, sha, len(data), tag, None, None, error_json(exc), exc)
    layer = zlib.compress(encode(sha, prepared), 1)
    paragraphs = [
        (k, part, words)
        for k, p in enumerate(prepared.paragraphs()[:_PARA_MAX])
        if p
        for part, words in enumerate(paragraph_rows(p))
    ]
    return _Read(sid, sha, len(data), tag, layer, paragraphs, None, None)


def ingest(
    corpus_dir: Path | str,
    url: str,
    prune: bool = False,
    progress: IngestProgress | None = None,
    full: bool = False,
) -> Ingested:
    """Bring the database at `url` in step with the corpus folder `corpus_dir`."""
    started = time.monotonic()
    # sources.yaml checked whole, every file present; an archive's may be larger than the
    # folder corpus reads in a check
    corpus = load_corpus(corpus_dir, max_bytes=MAX_SOURCES_YAML_BYTES)
    conn = connect(url, autocommit=True)
    psycopg = _psycopg()
    try:
        create_schema(conn, url)
        if not conn.execute("SELECT pg_try_advisory_lock(%s)", (_LOCK,)).fetchone()[0]:
            raise DatabaseError(
                "another `report ingest` is writing this database: wait for it to end",
                Location(shown_url(url)),
            )
        # Losing the last commits in a crash of the server costs only their work again
        # (the next ingest writes them): no wait for the disk at every commit.
        conn.execute("SET synchronous_commit = off")
        done = _Ingest(conn, corpus, progress, full).run(prune)
    except psycopg.Error as exc:
        raise DatabaseError(
            f"the database failed the ingest: {_first_line(exc)}", Location(shown_url(url))
        ) from None
    finally:
        conn.close()
    done.seconds = time.monotonic() - started
    return done


class _Ingest:
    def __init__(
        self, conn, corpus: Corpus, progress: IngestProgress | None, full: bool = False
    ) -> None:
        self.full = full
        self.conn = conn
        self.corpus = corpus
        self.progress = progress
        self.done = Ingested()
        self.batch: list[tuple[Source, int, _Read | None]] = []
        self.batch_bytes = 0
        self.count = 0
        self.held: dict[str, tuple] = {}  # what the database had at the start, by source id

    def run(self, prune: bool) -> Ingested:
        rows = self.conn.execute(
            "SELECT s.source_id, s.ord, s.file, s.entry, t.sha256, t.reader, t.layer_version"
            " FROM report_sources s LEFT JOIN report_texts t ON t.source_id = s.source_id"
        ).fetchall()
        held = self.held = {r[0]: r[1:] for r in rows}
        # Loading an empty table, the search index is built once at the end (several times
        # faster than keeping it up to date row by row); an ingest stopped before that
        # leaves it to the next one. Searches meanwhile read the table without it.
        index = self.conn.execute("SELECT to_regclass('report_paragraphs_words')").fetchone()[0]
        empty = self.conn.execute("SELECT NOT EXISTS (SELECT FROM report_paragraphs)").fetchone()
        if index is not None and empty[0]:
            self.conn.execute("DROP INDEX report_paragraphs_words")
            index = None
        sources = list(self.corpus.sources.values())
        total = len(sources)
        for start in range(0, total, WINDOW):
            window = list(enumerate(sources[start : start + WINDOW], start))
            jobs = []
            for _, source in window:
                old = held.get(source.id)
                known = None
                if (
                    not self.full
                    and old is not None
                    and old[5] == CODE_VERSION
                    and old[4] == reader_tag(source.path)
                ):
                    known = old[3]
                jobs.append((source.id, str(source.path), _shown(source.path), known))
            parallel = len(jobs) >= 16
            for (ord_, source), read in zip(
                window, forked_map(_read_job, jobs, parallel, chunksize=4), strict=True
            ):
                self.done.bytes_read += read.size
                self._plan(source, ord_, read, held.get(source.id))
                self.count += 1
                if len(self.batch) >= BATCH_SOURCES or self.batch_bytes >= BATCH_BYTES:
                    self._flush(total)
        self._flush(total)
        if index is None:
            if self.progress is not None:
                self.progress("indexing", 0, 1, self.done.bytes_read)
            with self.conn.transaction():
                self.conn.execute("SET LOCAL maintenance_work_mem = '256MB'")
                self.conn.execute(schema_sql())  # what it lacks: the index
            self.conn.execute("ANALYZE report_sources, report_paragraphs")  # for the planner
        gone = [sid for sid in held if sid not in self.corpus.sources]
        if prune and gone:
            with self.conn.transaction():
                for table in ("report_paragraphs", "report_texts", "report_sources"):
                    self.conn.execute(f"DELETE FROM {table} WHERE source_id = ANY(%s)", (gone,))
            self.done.pruned = gone
        else:
            self.done.left = len(gone)
        return self.done

    def _plan(self, source: Source, ord_: int, read: _Read, old: tuple | None) -> None:
        if read.error_exc is not None:
            self.done.unreadable.append(read.error_exc)
        if read.layer is None and read.error is None:  # the database has these bytes
            entry = entry_json(source)
            if old[0] == ord_ and old[1] == source.file and old[2] == entry:
                self.done.unchanged.append(source.id)
                return
            self.done.updated.append(source.id)
            self.batch.append((source, ord_, None))
            return
        self.done.written.append(source.id)
        self.batch.append((source, ord_, read))
        self.batch_bytes += read.size

    def _flush(self, total: int) -> None:
        """Write the batch in one transaction: each source's rows together."""
        if self.batch:
            entries = [(s.id, o, s.file, entry_json(s)) for s, o, _ in self.batch]
            texts = [
                (s.id, r.sha256, r.reader, CODE_VERSION, r.size, r.layer, r.error)
                for s, _, r in self.batch
                if r is not None
            ]
            paragraphs = [
                (s.id, *row)
                for s, _, r in self.batch
                if r is not None
                for row in r.paragraphs or ()
            ]
            with self.conn.transaction(), self.conn.cursor() as cur:
                cur.executemany(
                    "INSERT INTO report_sources (source_id, ord, file, entry)"
                    " VALUES (%s, %s, %s, %s) ON CONFLICT (source_id) DO UPDATE SET"
                    " ord = EXCLUDED.ord, file = EXCLUDED.file, entry = EXCLUDED.entry,"
                    " ingested_at = now()",
                    entries,
                )
                cur.executemany(
                    "INSERT INTO report_texts"
                    " (source_id, sha256, reader, layer_version, size, layer, error)"
                    " VALUES (%s, %s, %s, %s, %s, %s, %s) ON CONFLICT (source_id) DO UPDATE"
                    " SET sha256 = EXCLUDED.sha256, reader = EXCLUDED.reader,"
                    " layer_version = EXCLUDED.layer_version, size = EXCLUDED.size,"
                    " layer = EXCLUDED.layer, error = EXCLUDED.error",
                    texts,
                )
                rewritten = [row[0] for row in texts if row[0] in self.held]
                if rewritten:
                    cur.execute(
                        "DELETE FROM report_paragraphs WHERE source_id = ANY(%s)", (rewritten,)
                    )
                if paragraphs:
                    with cur.copy(
                        "COPY report_paragraphs (source_id, k, part, words) FROM STDIN"
                    ) as copy:
                        for row in paragraphs:
                            copy.write_row(row)
            self.batch = []
            self.batch_bytes = 0
        if self.progress is not None:
            self.progress("ingest", self.count, total, self.done.bytes_read)


def _shown(path: Path) -> str:
    try:
        return os.path.relpath(path)
    except ValueError:
        return str(path)
