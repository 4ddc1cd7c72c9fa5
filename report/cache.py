"""A source file's bytes -> its text layer and normalised form, computed once and kept on
disk under the file's content hash.

The cache is a plain folder (default `.report-cache/` beside the corpus folder, or
`$REPORT_CACHE_DIR`) that the user may move or delete at any time. An entry is named by the
SHA-256 of the source file's bytes and lives under a folder named by a fingerprint of the
code that builds it, so an edited file or a new version of the text layer or normaliser
never reads a stale entry. Entries are a small JSON header plus the raw strings and offset
arrays (no pickle: a cache restored from elsewhere cannot run code). An entry that cannot be
read back exactly (truncated, edited, from another format) is ignored and rebuilt.

A per-corpus memo maps each file's (size, mtime, inode) to its hash, so that keeping the
search index in step with a large corpus does not read every file on every run. The memo
is never used to decide whether a quote is verified: the sources a quote names are always
read and hashed.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
import time
from array import array
from dataclasses import dataclass
from pathlib import Path

from report.normalize import Normalized, normalize
from report.offsets import OffsetMap
from report.textlayer import TextLayer, text_layer

CACHE_ENV = "REPORT_CACHE_DIR"
DEFAULT_NAME = ".report-cache"
_MAGIC = b"report-text-cache 1\n"
# A file changed less than this long before its stat was taken may change again within the
# same timestamp tick, so its stat is not trusted as proof of its content (as git does).
_RACY_NS = 2_000_000_000


def _code_fingerprint() -> str:
    """A digest of the modules whose output the cache keeps: a change to them is a new cache."""
    here = Path(__file__).resolve().parent
    digest = hashlib.sha256()
    for name in ("cache.py", "textlayer.py", "normalize.py", "offsets.py"):
        digest.update((here / name).read_bytes())
    return digest.hexdigest()[:16]


CODE_VERSION = _code_fingerprint()


def default_cache_dir(corpus_dir: Path) -> Path:
    """`$REPORT_CACHE_DIR`, or `.report-cache/` beside the corpus folder."""
    env = os.environ.get(CACHE_ENV)
    if env:
        return Path(env)
    return corpus_dir.resolve().parent / DEFAULT_NAME


def content_key(data: bytes) -> str:
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
    """Build the text layer and normalised form of a decoded source text."""
    layer = text_layer(text)
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
    header = {
        "key": key,
        "sizes": [len(s) for s in segments],
        "lengths": [len(p.layer.text), len(p.norm.text), lmap[3], nmap[3]],
    }
    return b"".join([_MAGIC, json.dumps(header).encode("ascii"), b"\n", *segments])


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
    layer = TextLayer(layer_text, paragraphs, lmap, tuple(line_starts))
    return Prepared(layer, Normalized(norm_text, nmap), tuple(para_starts))


def _ints(data: memoryview) -> array:
    out = array("q")
    out.frombytes(data)
    return out


class TextCache:
    """Prepared texts on disk, by content hash; `TextCache(None)` keeps nothing."""

    def __init__(self, directory: Path | None) -> None:
        self.directory = Path(directory) if directory is not None else None
        self.hits = 0
        self.misses = 0

    @property
    def enabled(self) -> bool:
        return self.directory is not None

    def _entry(self, key: str) -> Path:
        assert self.directory is not None
        return self.directory / f"text-{CODE_VERSION}" / key[:2] / f"{key}.bin"

    def get(self, key: str) -> Prepared | None:
        if self.directory is None:
            return None
        try:
            data = self._entry(key).read_bytes()
        except OSError:
            return None
        try:
            return _decode(key, data)
        except Exception:  # a damaged entry is no entry: it is rebuilt and overwritten
            return None

    def put(self, key: str, prepared: Prepared) -> None:
        if self.directory is None:
            return
        path = self._entry(key)
        with contextlib.suppress(OSError):  # a read-only or full cache folder costs only speed
            _write_atomic(path, _encode(key, prepared))

    def prepared(self, data: bytes, decode) -> tuple[str, Prepared]:
        """The content key of `data` and its Prepared text, from the cache or built (and
        stored) with `decode(data) -> str`."""
        key = content_key(data)
        hit = self.get(key)
        if hit is not None:
            self.hits += 1
            return key, hit
        self.misses += 1
        prepared = prepare(decode(data))
        self.put(key, prepared)
        return key, prepared

    def memo(self, corpus_dir: Path) -> HashMemo:
        if self.directory is None:
            return HashMemo(None)
        name = hashlib.sha256(str(corpus_dir.resolve()).encode()).hexdigest()[:16]
        return HashMemo(self.directory / f"files-{name}.json")


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
        if path is not None:
            try:
                loaded = json.loads(path.read_text(encoding="utf-8"))
                if isinstance(loaded, dict):
                    self._entries = loaded
            except (OSError, ValueError):
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
        if time.time_ns() - max(st.st_mtime_ns, st.st_ctime_ns) < _RACY_NS:
            return
        self._entries[str(path)] = [self._stamp(st), key]
        self._changed = True

    def save(self) -> None:
        if self.path is None or not self._changed:
            return
        with contextlib.suppress(OSError):
            _write_atomic(self.path, json.dumps(self._entries).encode("utf-8"))
        self._changed = False
