"""A source file's bytes -> its text layer and normalised form, computed once and kept on
disk under the file's content hash.

The cache is a plain folder (default `.report-cache/` beside the corpus folder, or
`$REPORT_CACHE_DIR`) that the user may move or delete at any time. An entry is keyed by the
SHA-256 of the source file's bytes and lives in a store named by a fingerprint of the code
that builds it, so an edited file or a new version of the text layer or normaliser never
reads a stale entry. Entries are a small JSON header plus the raw strings and offset arrays
(no pickle: a cache restored from elsewhere cannot run code). An entry that cannot be
read back exactly (truncated, edited, from another format) is ignored and rebuilt.

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
import tempfile
import time
import zlib
from array import array
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from report.errors import CorpusError, ReportError
from report.normalize import Normalized, normalize, tokens_unchanged
from report.offsets import OffsetMap
from report.parallel import forked_map, inherited
from report.readers import layer_of, reader_tag
from report.textlayer import TextLayer, paragraph_texts, text_layer
from report.yamlfile import decode_text

CACHE_ENV = "REPORT_CACHE_DIR"
KEY_ENV = "REPORT_CACHE_KEY"  # a secret that seals the entries this process writes
DEFAULT_NAME = ".report-cache"
_MAGIC = b"report-text-cache 2\n"
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


@dataclass(frozen=True, slots=True)
class Prepared:
    """What matching needs of one source text, independent of sources.yaml."""

    layer: TextLayer
    norm: Normalized
    para_starts: tuple[int, ...]  # paragraph starts in normalised offsets

    def paragraphs(self) -> list[str]:
        """The normalised text of each paragraph (what the search index holds)."""
        starts = self.para_starts
        text = self.norm.text
        ends = (*starts[1:], len(text))
        return [text[s:e].strip() for s, e in zip(starts, ends, strict=True)]


def prepare(text: str) -> Prepared:
    """Build the text layer and normalised form of a decoded plain-text source."""
    return prepare_layer(text_layer(text))


def prepare_layer(layer: TextLayer) -> Prepared:
    """The normalised form of a text layer of any format (report.readers)."""
    norm = normalize(layer.text)
    para_starts = tuple(norm.map.inverse(start) for start, _ in layer.paragraphs) or (0,)
    return Prepared(layer, norm, para_starts)


def _encode(key: str, p: Prepared) -> bytes:
    lmap, nmap = p.layer.map.to_state(), p.norm.map.to_state()
    segments = [
        p.layer.text.encode("utf-8"),
        p.norm.text.encode("utf-8"),
        array("q", [x for span in p.layer.paragraphs for x in span]).tobytes(),
        array("q", p.layer.line_starts).tobytes(),
        array("q", p.para_starts).tobytes(),
        *lmap[:3],
        *nmap[:3],
    ]
    body = b"".join(segments)
    header = {
        "key": key,
        "sizes": [len(s) for s in segments],
        "lengths": [len(p.layer.text), len(p.norm.text), lmap[3], nmap[3]],
        "crc32": zlib.crc32(body),
        "labels": [list(label) for label in p.layer.line_labels],  # PDF pages, Word units
        "hyphens": list(p.layer.hyphens),
        "page_labels": list(p.layer.page_labels),
        "notes": [list(note) for note in p.layer.notes],  # struck text and the like
    }
    return b"".join([_MAGIC, json.dumps(header).encode("ascii"), b"\n", body])


def _decode(key: str, data: bytes) -> Prepared:
    """Raises ValueError (or another plain exception) when `data` is not a sound entry."""
    if not data.startswith(_MAGIC):
        raise ValueError("not a cache entry")
    newline = data.index(b"\n", len(_MAGIC))
    header = json.loads(data[len(_MAGIC) : newline])
    if header["key"] != key:
        raise ValueError("entry of another file")
    sizes = header["sizes"]
    if len(sizes) != 11 or newline + 1 + sum(sizes) != len(data):
        raise ValueError("truncated entry")
    view = memoryview(data)
    pos = newline + 1
    # The store is written without waiting for the disk (a cache may lose its last
    # writes), so every entry carries a checksum: a torn or garbled one is rebuilt.
    if zlib.crc32(view[pos:]) != header["crc32"]:
        raise ValueError("checksum does not match")
    segments = []
    for size in sizes:
        segments.append(view[pos : pos + size])
        pos += size
    layer_text = str(segments[0], "utf-8")
    norm_text = str(segments[1], "utf-8")
    flat, line_starts, para_starts = (_ints(seg) for seg in segments[2:5])
    n_layer, n_norm, lmap_len, nmap_len = header["lengths"]
    if (len(layer_text), len(norm_text), lmap_len, nmap_len) != (
        n_layer,
        n_norm,
        n_layer,
        n_norm,
    ):
        raise ValueError("lengths do not agree")
    lmap = OffsetMap.from_state(
        (bytes(segments[5]), bytes(segments[6]), bytes(segments[7]), lmap_len)
    )
    nmap = OffsetMap.from_state(
        (bytes(segments[8]), bytes(segments[9]), bytes(segments[10]), nmap_len)
    )
    if not (lmap.runs() == len(segments[7]) and nmap.runs() == len(segments[10])):
        raise ValueError("offset maps do not agree")
    paragraphs = tuple(zip(flat[0::2], flat[1::2], strict=True))
    labels = tuple((int(a), int(b), str(c)) for a, b, c in header.get("labels", []))
    notes = tuple((str(k), int(a), int(b)) for k, a, b in header.get("notes", []))
    if any(not 0 <= a <= b <= n_layer for _, a, b in notes):
        raise ValueError("notes out of range")
    # line_starts stays an array: 8 bytes a line
    hyphens = tuple(int(x) for x in header.get("hyphens", []))
    if any(not 0 <= x < n_layer for x in hyphens):
        raise ValueError("hyphens outside the text")
    page_labels = tuple(str(x) for x in header.get("page_labels", []))
    layer = TextLayer(
        layer_text, paragraphs, lmap, line_starts, labels,
        hyphens=hyphens, page_labels=page_labels, notes=notes,
    )  # fmt: skip
    return Prepared(layer, Normalized(norm_text, nmap), tuple(para_starts))


def _ints(data: memoryview) -> array:
    out = array("q")
    out.frombytes(data)
    return out


class TextCache:
    """Prepared texts on disk, by content hash; `TextCache(None)` keeps nothing.

    Entries are rows of one SQLite file in the folder (creating thousands of small files is
    slower than building them on some file systems). A database that cannot be opened or
    read is deleted and started afresh; one that cannot be written only costs speed."""

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

    def get(self, key: str) -> Prepared | None:
        return self.get_sealed(key)[0]

    def get_sealed(self, key: str) -> tuple[Prepared | None, bool]:
        """The entry, and whether it carries a seal of $REPORT_CACHE_KEY (then it was written
        by a holder of the secret, from the file's bytes: its verdicts need no confirming)."""
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
        try:
            prepared = _decode(key, row[0])
        except Exception:  # a damaged entry is no entry: it is rebuilt and overwritten
            return None, False
        seal = self._seal(key, row[0])
        return prepared, seal is not None and row[1] is not None and hmac.compare_digest(
            seal, row[1]
        )

    def has(self, key: str) -> bool:
        db = self._conn()
        if db is None:
            return False
        try:
            return db.execute("SELECT 1 FROM entries WHERE key = ?", (key,)).fetchone() is not None
        except sqlite3.Error:
            return False

    def put(self, key: str, prepared: Prepared) -> None:
        self.put_raw(key, _encode(key, prepared))

    def put_raw(self, key: str, data: bytes, commit: bool = True) -> None:
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
            _write_atomic(path, json.dumps(value).encode("utf-8"))

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

    def prepared(
        self, data: bytes, layer_of: Callable[[bytes], TextLayer], reader: str = ""
    ) -> tuple[str, Prepared, bool]:
        """The content key of `data`, its Prepared text, and whether that came from the cache
        unsealed (then report.confirm checks every verdict it gives against the bytes) or was
        built (and stored) from `layer_of(data)`, the file's text layer, or sealed."""
        key = content_key(data, reader)
        hit, sealed = self.get_sealed(key)
        # With a secret, an unsealed entry (written without it, or planted) is built again,
        # as confirming it would cost, and sealed for the next runs.
        if hit is not None and (sealed or self._secret is None):
            self.hits += 1
            return key, hit, not sealed
        self.misses += 1
        prepared = prepare_layer(layer_of(data))
        self.put(key, prepared)
        return key, prepared, False

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
    db.execute("PRAGMA synchronous=OFF")  # entries are checksummed (see _decode)
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


@dataclass(frozen=True, slots=True)
class FileResult:
    """A source file read, hashed and prepared by `prepare_files`."""

    path: Path
    key: str
    stat: os.stat_result
    paragraphs: list[str] | None  # normalised paragraphs, when asked for


PARALLEL_MIN = 64  # fewer files than this are prepared in this process


def prepare_files(cache: TextCache, paths: list[Path], paragraphs: bool) -> Iterator[FileResult]:
    """Read and hash every file on every core when there are many, and either make sure the
    cache holds its prepared text or (`paragraphs`, for the index) yield its normalised
    paragraphs; in input order, skipping unreadable or non-UTF-8 files (they are reported
    when a quote names them)."""
    jobs = [(str(p), str(cache.directory) if cache.directory else None, paragraphs) for p in paths]
    parallel = len(jobs) >= PARALLEL_MIN and cache.directory is not None
    yield from _collect(cache, paths, forked_map(_prepare_job, jobs, parallel, chunksize=8))


def _collect(cache: TextCache, paths: list[Path], results) -> Iterator[FileResult]:
    try:
        for n, (path, result) in enumerate(zip(paths, results, strict=True)):
            if result is None:
                continue
            key, st, entry, paragraphs = result
            if entry is not None:  # built by a worker: stored by this one process, the writer
                # One commit per entry would cost more than the entries; a batch is lost at
                # worst, and rebuilt next time.
                cache.put_raw(key, entry, commit=n % 256 == 255)
            yield FileResult(path, key, st, paragraphs)
    finally:
        cache.commit()


_worker_caches: dict[str | None, TextCache] = {}


def _prepare_job(job: tuple[str, str | None, bool]):
    path_s, cache_dir, want = job
    path = Path(path_s)
    tag = reader_tag(path)
    data = read_source(path)
    if data is None:
        return None  # reported if a quote names it
    try:
        st = path.stat()
    except OSError:
        return None
    key = content_key(data, tag)
    cache = _worker_caches.get(cache_dir)
    if cache is None:  # one connection per worker process, not one per file
        cache = _worker_caches[cache_dir] = TextCache(Path(cache_dir) if cache_dir else None)
    # What the cache has is not read again.
    if not want and cache.has(key):  # a named source, whose text is wanted in the cache
        return key, st, None, None
    prepared = cache.get(key) if want else None
    if prepared is not None:
        return key, st, None, prepared.paragraphs()
    try:
        if want and not tag:  # plain text for the index: paragraphs without offset maps
            text, layer = decode_text(data, path_s, CorpusError), None
        else:
            layer = layer_of(path, data, path_s)  # by file type (report.readers)
    except ReportError:
        return None
    if not want:
        prepared = prepare_layer(layer)
        return key, st, _encode(key, prepared) if cache_dir else None, None
    # For the index only its paragraphs: the text is not stored, as writing every file of a
    # large corpus into the cache would cost a cold run more than building the index does.
    # The few texts a search later reads are cached then.
    if layer is None:
        paragraphs = paragraph_texts(text)
        # the index's tokens are the same without normalising (checked on the paragraphs,
        # as decoded entities may bring in characters the file does not have)
        if all(tokens_unchanged(p) for p in paragraphs):
            return key, st, None, [p.strip() for p in paragraphs]
        layer = text_layer(text)
    elif tokens_unchanged(layer.text):
        return key, st, None, [layer.text[a:b].strip() for a, b in layer.paragraphs]
    return key, st, None, prepare_layer(layer).paragraphs()


MAX_CACHE_FILE = 256 * 1024 * 1024  # a JSON document of the cache (65,000 sources: 20 MB)
MAX_SOURCE_BYTES = 64 * 1024 * 1024  # a source file: a 50 MB source takes 0.4-0.8 GB to check


def read_cache_file(path: Path) -> bytes | None:
    """A cache file's bytes; None for anything else than a regular file of sensible size (a
    symlink to /dev/zero planted in the folder reads nothing, not 19 GB)."""
    return _read_regular(path, MAX_CACHE_FILE, follow=False)


def read_source(path: Path) -> bytes | None:
    """A source file's bytes for hashing or indexing; None when it is not a regular file or
    is too large (its size is read before any byte: a sparse 3 GB file costs nothing). The
    sources a quote names are read with their errors reported (report.corpus)."""
    return _read_regular(path, MAX_SOURCE_BYTES, follow=True)


def _read_regular(path: Path, limit: int, follow: bool) -> bytes | None:
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0)
    if not follow:
        flags |= getattr(os, "O_NOFOLLOW", 0)
    try:
        fd = os.open(path, flags)
    except (OSError, ValueError):
        return None
    with os.fdopen(fd, "rb") as fh:
        try:
            st = os.fstat(fd)
            if not stat.S_ISREG(st.st_mode) or st.st_size > limit:
                return None
            data = fh.read(limit + 1)
        except OSError:
            return None
    return data if len(data) <= limit else None


def _write_atomic(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


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
            _write_atomic(self.path, json.dumps(self._entries).encode("utf-8"))
        self._changed = False
