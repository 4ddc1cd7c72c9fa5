"""A source file's bytes -> its prepared text: the text layer its reader makes
(report.readers), normalised (report.normalize), with its paragraphs located. Kept in the
cache (report.cache) under the hash of the bytes and the reader, so that a file is read once
across runs; many files at once (a cold run, the search index) are prepared on every core.

A prepared text is kept as a small JSON header plus the raw strings and offset arrays (no
pickle: a cache restored from elsewhere cannot run code). An entry that cannot be read back
exactly (truncated, edited, from another format) is no entry: it is built again.
"""

from __future__ import annotations

import json
import os
import zlib
from array import array
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from report.cache import HashMemo, TextCache, code_version, content_key
from report.errors import CorpusError, ReportError
from report.normalize import Normalized, normalize, tokens_unchanged
from report.offsets import OffsetMap
from report.parallel import forked_map
from report.readers import layer_of, reader_tag
from report.textlayer import TextLayer, paragraph_texts, text_layer
from report.yamlfile import decode_text, read_bytes

_MAGIC = b"report-text-cache 2\n"
MAX_SOURCE_BYTES = 64 * 1024 * 1024  # a source file: a 50 MB source takes 0.4-0.8 GB to check


def read_source(path: Path) -> bytes | None:
    """A source file's bytes for hashing or indexing; None when it is not a regular file or
    is too large (its size is read before any byte: a sparse 3 GB file costs nothing). The
    sources a quote names are read with their errors reported (report.corpus)."""
    try:
        return read_bytes(path, CorpusError, MAX_SOURCE_BYTES)
    except CorpusError:
        return None


def file_key(path: Path, data: bytes) -> str:
    """The cache key of a file's bytes, as the reader its suffix names reads them."""
    return content_key(data, reader_tag(path))


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


def prepare_bytes(path: Path, data: bytes, shown: str) -> Prepared:
    """The prepared text of a file's bytes, read by the reader its suffix names (`shown`:
    the file as messages name it); never from the cache."""
    return prepare_layer(layer_of(path, data, shown))


def encode(key: str, p: Prepared) -> bytes:
    """A prepared text as the cache (and the database: report.database) keeps it."""
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


def decode(key: str, data: bytes) -> Prepared:
    """A prepared text back from `encode`'s bytes; raises ValueError (or another plain
    exception) when `data` is not a sound entry."""
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


def cached(cache: TextCache, key: str) -> Prepared | None:
    """The prepared text the cache keeps under `key` (None if absent or unsound)."""
    return cached_sealed(cache, key)[0]


def cached_sealed(cache: TextCache, key: str) -> tuple[Prepared | None, bool]:
    """The prepared text the cache keeps under `key`, and whether it carries a seal of
    $REPORT_CACHE_KEY (then it was written by a holder of the secret, from the file's bytes:
    its verdicts need no confirming)."""
    data, sealed = cache.get_entry(key)
    if data is None:
        return None, False
    try:
        return decode(key, data), sealed
    except Exception:  # a damaged entry is no entry: it is rebuilt and overwritten
        return None, False


def store(cache: TextCache, key: str, prepared: Prepared) -> None:
    cache.put_entry(key, encode(key, prepared))


def prepare_file(
    cache: TextCache, path: Path, data: bytes, shown: str
) -> tuple[str, Prepared, bool]:
    """The cache key of `data`, the bytes of the file at `path`, its prepared text, and
    whether that came from the cache unsealed (then report.confirm checks every verdict it
    gives against the bytes) or was built (and stored) or sealed."""
    key = file_key(path, data)
    hit, sealed = cached_sealed(cache, key)
    # With a secret, an unsealed entry (written without it, or planted) is built again,
    # as confirming it would cost, and sealed for the next runs.
    if hit is not None and (sealed or not cache.sealing):
        cache.hits += 1
        return key, hit, not sealed
    cache.misses += 1
    prepared = prepare_bytes(path, data, shown)
    store(cache, key, prepared)
    return key, prepared, False


def css_excluded(
    cache: TextCache, data: bytes, shown: str, selectors: list[str], fresh: bool = False
) -> tuple[list[tuple[int, int]], bool]:
    """The text layer spans of the elements `selectors` match in a page's bytes (sources.yaml
    `exclude` CSS selectors), and whether they came from the cache: the page is read again
    to match them (a prepared text has no elements), then the spans are kept; `fresh`:
    never from the cache."""
    from report.readers.htmltext import excluded_spans

    key = content_key(b"\0".join([code_version().encode(), *map(str.encode, selectors), data]))
    kept = None if fresh else cache.get_json("exclude", key)
    if isinstance(kept, list) and all(
        isinstance(s, list) and len(s) == 2 and all(isinstance(x, int) for x in s) for s in kept
    ):
        return [(a, b) for a, b in kept], True
    spans = excluded_spans(data, shown, selectors)
    cache.put_json("exclude", key, [list(s) for s in spans])
    return spans, False


def prepare_missing(cache: TextCache, memo: HashMemo, paths: list[Path]) -> None:
    """Build the prepared texts the cache lacks of these files, on every core (a cold
    run's first step); reading them later takes them from the cache."""
    if not cache.enabled:
        return
    missing = []
    for path in paths:
        # A guess is enough here (the files a quote names are read and hashed again): the
        # stat memo spares reading each file twice on a warm run.
        try:
            key = memo.known(path)
            if key is None:
                data = read_source(path)
                if data is None:
                    continue  # reported when the source is read
                key = file_key(path, data)
        except OSError:
            continue  # reported when the source is read
        if not cache.has(key):
            missing.append(path)
    if len(missing) >= PARALLEL_MIN:
        for _ in prepare_files(cache, missing, paragraphs=False):
            pass


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
                cache.put_entry(key, entry, commit=n % 256 == 255)
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
    prepared = cached(cache, key) if want else None
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
        return key, st, encode(key, prepared) if cache_dir else None, None
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
