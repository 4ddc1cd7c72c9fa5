"""Keys -> bytes kept on disk between runs: the prepared texts of source files
(report.prepare), the checked entries of sources.yaml (report.sources), small JSON documents
and a memo of file hashes. Storage only: what the bytes mean is the caller's.

The cache is a plain folder (default `.report-cache/` beside the corpus folder, or
`$REPORT_CACHE_DIR`) that the user may move or delete at any time. An entry is keyed by the
SHA-256 of the source file's bytes and lives in a store named by a fingerprint of the code
that builds it, so an edited file or a new version of the text layer or normaliser never
reads a stale entry. A store that cannot be opened or read is deleted and started afresh.

A verdict on a text from the cache is confirmed against the file's bytes (report.confirm),
since anyone who can write a CI cache store can plant an entry. With a secret in
`$REPORT_CACHE_KEY` (a CI secret, which such a writer does not have), every entry this
process writes is sealed with an HMAC of that secret, and an entry whose seal holds needs no
confirming: only the holder of the secret can have written it, from the file's bytes.

A per-corpus memo maps each file's (size, mtime, inode) to its hash, so that keeping the
search index in step with a large corpus does not read every file on every run. The memo
is never used to decide whether a quote is verified: the sources a quote names are always
read and hashed.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import hmac
import json
import os
import sqlite3
import stat
import time
from pathlib import Path

from report.atomic import write_atomic
from report.parallel import inherited

CACHE_ENV = "REPORT_CACHE_DIR"
KEY_ENV = "REPORT_CACHE_KEY"  # a secret that seals the entries this process writes
DEFAULT_NAME = ".report-cache"
# A file changed less than this long before its stat was taken may change again within the
# same timestamp tick, so its stat is not trusted as proof of its content (as git does).
_RACY_NS = 2_000_000_000


def _code_fingerprint(*names: str) -> str:
    """A digest of the modules whose output the cache keeps: a change to them is a new cache."""
    here = Path(__file__).resolve().parent
    digest = hashlib.sha256()
    for name in names:
        digest.update((here / name).read_bytes())
    return digest.hexdigest()[:16]


# The modules each fingerprint covers; hashed when first needed, not at import (a run that
# keeps no cache, and `report --help`, never read them).
_FINGERPRINTS = {
    "CODE_VERSION": (
        "cache.py",
        "prepare.py",
        "yamlfile.py",
        "textlayer.py",
        "normalize.py",
        "offsets.py",
        "readers/__init__.py",
        "readers/builder.py",
        "readers/htmltext.py",
        "readers/pdftext.py",
        "readers/docxtext.py",
        "readers/mdtext.py",
    ),
    "_SOURCES_VERSION": (
        "cache.py",
        "corpus.py",
        "sources.py",
        "csl.py",
        "yamlfile.py",
        "errors.py",
    ),
}


@functools.cache
def _fingerprint(name: str) -> str:
    return _code_fingerprint(*_FINGERPRINTS[name])


def code_version() -> str:
    """The fingerprint of the code that builds text layers (CODE_VERSION)."""
    return _fingerprint("CODE_VERSION")


def __getattr__(name: str) -> str:  # CODE_VERSION and _SOURCES_VERSION, computed once
    if name in _FINGERPRINTS:
        return _fingerprint(name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def default_cache_dir(corpus_dir: Path) -> Path:
    """`$REPORT_CACHE_DIR`, or `.report-cache/` beside the corpus folder."""
    env = os.environ.get(CACHE_ENV)
    if env:
        return Path(env)
    return corpus_dir.resolve().parent / DEFAULT_NAME


def content_key(data: bytes, reader: str = "") -> str:
    """The cache key of a file's bytes as `reader` (report.readers.reader_tag) reads them;
    for plain text it is the file's sha256."""
    if reader:
        return hashlib.sha256(reader.encode() + b"\0" + data).hexdigest()
    return hashlib.sha256(data).hexdigest()


class TextCache:
    """Entries (bytes, by content key), JSON documents and row sets on disk;
    `TextCache(None)` keeps nothing.

    Entries are rows of one SQLite file in the folder (creating thousands of small files is
    slower than building them on some file systems). A database that cannot be opened or
    read is deleted and started afresh; one that cannot be written only costs speed.
    `hits` and `misses` count the prepared texts a run took from here or had to build
    (report.prepare.prepare_file)."""

    def __init__(self, directory: Path | None) -> None:
        self.directory = Path(directory) if directory is not None else None
        self.hits = 0
        self.misses = 0
        self._db: sqlite3.Connection | None = None
        self._pid = 0
        self._rows: dict[str, sqlite3.Connection] = {}
        self._rows_pid = os.getpid()
        secret = os.environ.get(KEY_ENV, "")
        self._secret = secret.encode("utf-8") if secret else None

    def _seal(self, key: str, data: bytes) -> bytes | None:
        if self._secret is None:
            return None
        return hmac.new(self._secret, key.encode("ascii") + b"\0" + data, "sha256").digest()

    @property
    def enabled(self) -> bool:
        return self.directory is not None

    @property
    def sealing(self) -> bool:
        """Whether this process seals what it writes ($REPORT_CACHE_KEY is set)."""
        return self._secret is not None

    @property
    def path(self) -> Path | None:
        return None if self.directory is None else self.directory / f"texts-{code_version()}.sqlite"

    def _conn(self) -> sqlite3.Connection | None:
        if self.directory is None:
            return None
        if self._db is not None and self._pid == os.getpid():
            return self._db
        # A connection must not cross a fork: each worker process opens its own.
        if self._db is not None:
            inherited(self._db)
        self._pid = os.getpid()
        if self._db is None and not self.path.exists():
            _prune(self.directory, self.path.name)
        for attempt in (1, 2):
            try:
                self._db = _open_store(self.path)
                return self._db
            except sqlite3.OperationalError:
                break  # locked by another run for too long: not damage, do without
            except sqlite3.DatabaseError:
                if attempt == 1:
                    _unlink_db(self.path)
            except (OSError, sqlite3.Error):
                break
        self.directory = None  # no usable cache folder: run without one
        return None

    def get_entry(self, key: str) -> tuple[bytes | None, bool]:
        """The entry's bytes (None if absent or unreadable), and whether it carries a seal of
        $REPORT_CACHE_KEY (then it was written by a holder of the secret)."""
        db = self._conn()
        if db is None:
            return None, False
        try:
            row = db.execute(
                "SELECT data, seal FROM entries LEFT JOIN seals USING (key) WHERE key = ?", (key,)
            ).fetchone()
        except sqlite3.Error:
            return None, False
        if row is None:
            return None, False
        seal = self._seal(key, row[0])
        return row[0], seal is not None and row[1] is not None and hmac.compare_digest(seal, row[1])

    def has(self, key: str) -> bool:
        db = self._conn()
        if db is None:
            return False
        try:
            return db.execute("SELECT 1 FROM entries WHERE key = ?", (key,)).fetchone() is not None
        except sqlite3.Error:
            return False

    def put_entry(self, key: str, data: bytes, commit: bool = True) -> None:
        db = self._conn()
        if db is None:
            return
        with contextlib.suppress(sqlite3.Error):  # read-only, full or busy: costs only speed
            db.execute("INSERT OR REPLACE INTO entries(key, data) VALUES (?, ?)", (key, data))
            seal = self._seal(key, data)
            if seal is None:
                db.execute("DELETE FROM seals WHERE key = ?", (key,))
            else:
                db.execute("INSERT OR REPLACE INTO seals(key, seal) VALUES (?, ?)", (key, seal))
            if commit:
                db.commit()

    def commit(self) -> None:
        if self._db is not None and self._pid == os.getpid():
            with contextlib.suppress(sqlite3.Error):
                self._db.commit()

    def get_json(self, kind: str, key: str) -> object | None:
        """A small JSON document kept under `kind`/`key` (None if absent or unreadable)."""
        if self.directory is None:
            return None
        path = self.directory / f"{kind}-{_fingerprint('_SOURCES_VERSION')}" / f"{key}.json"
        data = read_cache_file(path)
        try:
            return None if data is None else json.loads(data)
        except (ValueError, RecursionError):
            return None

    def put_json(self, kind: str, key: str, value: object) -> None:
        if self.directory is None:
            return
        path = self.directory / f"{kind}-{_fingerprint('_SOURCES_VERSION')}" / f"{key}.json"
        with contextlib.suppress(OSError):
            write_atomic(path, json.dumps(value).encode("utf-8"))

    def get_rows(self, kind: str, key: str) -> RowSet | None:
        """A set of JSON rows kept under `kind`/`key` by put_rows, read one row at a time
        (None if absent or unreadable)."""
        db = self._rows_db(kind)
        if db is None:
            return None
        try:
            row = db.execute("SELECT count FROM sets WHERE key = ?", (key,)).fetchone()
        except sqlite3.Error:
            return None
        return None if row is None else RowSet(db, key, row[0])

    def put_rows(self, kind: str, key: str, rows: list[tuple[str, object]]) -> None:
        """Keep `rows` (id, JSON value) under `kind`/`key`; only the latest few sets stay."""
        db = self._rows_db(kind)
        if db is None:
            return
        # read-only, full or busy: costs only speed
        with contextlib.suppress(sqlite3.Error), db:
            old = [
                k for (k,) in db.execute("SELECT key FROM sets ORDER BY n DESC LIMIT -1 OFFSET 3")
            ]
            for k in [*old, key]:
                db.execute("DELETE FROM rows WHERE set_key = ?", (k,))
                db.execute("DELETE FROM sets WHERE key = ?", (k,))
            db.executemany(
                "INSERT OR IGNORE INTO rows(set_key, n, id, row) VALUES (?, ?, ?, ?)",
                ((key, n, i, json.dumps(v)) for n, (i, v) in enumerate(rows)),
            )
            db.execute("INSERT INTO sets(key, count) VALUES (?, ?)", (key, len(rows)))

    def _rows_db(self, kind: str) -> sqlite3.Connection | None:
        if self.directory is None:
            return None
        if self._rows.get(kind) is not None and self._rows_pid == os.getpid():
            return self._rows[kind]
        if self._rows_pid != os.getpid():
            for db in self._rows.values():
                inherited(db)
            self._rows = {}
            self._rows_pid = os.getpid()
        path = self.directory / f"{kind}-{_fingerprint('_SOURCES_VERSION')}.sqlite"
        for attempt in (1, 2):
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
                db = sqlite3.connect(path, timeout=60)
                db.execute("PRAGMA journal_mode=WAL")
                db.executescript(
                    """
                    CREATE TABLE IF NOT EXISTS sets(
                        n INTEGER PRIMARY KEY AUTOINCREMENT, key TEXT UNIQUE, count INTEGER);
                    CREATE TABLE IF NOT EXISTS rows(
                        set_key TEXT, n INTEGER, id TEXT, row TEXT, PRIMARY KEY(set_key, id));
                    """
                )
                self._rows[kind] = db
                return db
            except sqlite3.OperationalError:
                return None  # locked for too long: do without
            except sqlite3.DatabaseError:
                if attempt == 1:
                    _unlink_db(path)
            except (OSError, sqlite3.Error):
                return None
        return None

    def memo(self, corpus_dir: Path) -> HashMemo:
        if self.directory is None:
            return HashMemo(None)
        name = hashlib.sha256(str(corpus_dir.resolve()).encode()).hexdigest()[:16]
        return HashMemo(self.directory / f"files-{name}.json")


class RowSet:
    """One set of rows kept by TextCache.put_rows, read on demand."""

    def __init__(self, db: sqlite3.Connection, key: str, count: int) -> None:
        self.db, self.key, self.count = db, key, count

    def get(self, row_id: str) -> object | None:
        """The value of one row (None if absent or unreadable)."""
        try:
            row = self.db.execute(
                "SELECT row FROM rows WHERE set_key = ? AND id = ?", (self.key, row_id)
            ).fetchone()
            return None if row is None else json.loads(row[0])
        except (sqlite3.Error, ValueError, RecursionError):
            return None

    def ids(self) -> list[str]:
        """Every row's id, in the order they were kept."""
        try:
            return [i for (i,) in self.db.execute(
                "SELECT id FROM rows WHERE set_key = ? ORDER BY n", (self.key,)
            )]  # fmt: skip
        except sqlite3.Error:
            return []

    def rows(self) -> list[object] | None:
        """Every row's value, in order (None if any is unreadable)."""
        try:
            return [json.loads(r) for (r,) in self.db.execute(
                "SELECT row FROM rows WHERE set_key = ? ORDER BY n", (self.key,)
            )]  # fmt: skip
        except (sqlite3.Error, ValueError, RecursionError):
            return None


def _open_store(path: Path) -> sqlite3.Connection:
    path.parent.mkdir(parents=True, exist_ok=True)
    db = sqlite3.connect(path, timeout=60)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=OFF")  # entries are checksummed (report.prepare.decode)
    db.execute("CREATE TABLE IF NOT EXISTS entries(key TEXT PRIMARY KEY, data BLOB NOT NULL)")
    db.execute("CREATE TABLE IF NOT EXISTS seals(key TEXT PRIMARY KEY, seal BLOB NOT NULL)")
    db.commit()
    db.execute("SELECT count(*) FROM entries WHERE key = ''").fetchone()
    return db


def _prune(directory: Path, keep: str) -> None:
    """Drop the stores of earlier code versions: they can never be read again."""
    for old in directory.glob("texts-*.sqlite*"):
        if not old.name.startswith(keep):
            with contextlib.suppress(OSError):
                old.unlink()


def _unlink_db(path: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


MAX_CACHE_FILE = 256 * 1024 * 1024  # a JSON document of the cache (65,000 sources: 20 MB)


def read_cache_file(path: Path) -> bytes | None:
    """A cache file's bytes; None for anything else than a regular file of sensible size (a
    symlink to /dev/zero planted in the folder reads nothing, not 19 GB)."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOFOLLOW", 0)
    try:
        fd = os.open(path, flags)
    except (OSError, ValueError):
        return None
    with os.fdopen(fd, "rb") as fh:
        try:
            st = os.fstat(fd)
            if not stat.S_ISREG(st.st_mode) or st.st_size > MAX_CACHE_FILE:
                return None
            data = fh.read(MAX_CACHE_FILE + 1)
        except OSError:
            return None
    return data if len(data) <= MAX_CACHE_FILE else None


class HashMemo:
    """path -> content hash, trusted only while the file's size, mtime and inode stay put."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self._entries: dict[str, list] = {}
        self._changed = False
        data = read_cache_file(path) if path is not None else None
        if data is not None:
            try:
                loaded = json.loads(data)
                if isinstance(loaded, dict):
                    self._entries = loaded
            except (ValueError, RecursionError):
                pass

    @staticmethod
    def _stamp(st: os.stat_result) -> list:
        return [st.st_size, st.st_mtime_ns, st.st_ino, st.st_ctime_ns]

    def known(self, path: Path) -> str | None:
        """The remembered hash of `path` if its stat still matches, else None."""
        entry = self._entries.get(str(path))
        if not entry:
            return None
        try:
            st = path.stat()
        except OSError:
            return None
        return entry[1] if entry[0] == self._stamp(st) else None

    def remember(self, path: Path, key: str, st: os.stat_result) -> None:
        if time.time_ns() - st.st_mtime_ns < _RACY_NS:
            return
        self._entries[str(path)] = [self._stamp(st), key]
        self._changed = True

    def save(self) -> None:
        if self.path is None or not self._changed:
            return
        with contextlib.suppress(OSError):
            write_atomic(self.path, json.dumps(self._entries).encode("utf-8"))
        self._changed = False
