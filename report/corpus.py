"""sources.yaml's entries and their files -> a Corpus: each source's text read on first
use, once, located against its entry (article body, exclusions, sha256 pin) and shared by
every quote of a run.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from report.cache import HashMemo, TextCache, content_key
from report.errors import CorpusError, Location
from report.normalize import Normalized, normalize_text
from report.prepare import (
    MAX_SOURCE_BYTES,
    Prepared,
    css_excluded,
    file_key,
    prepare,
    prepare_bytes,
    prepare_file,
    prepare_layer,
    prepare_missing,
    read_source,
    store,
)
from report.sources import (
    MAX_SOURCES_YAML_BYTES,
    SOURCES_FILE,
    Source,
    Unconfirmed,
    load_sources,
    shown_path,
)
from report.textlayer import TextLayer
from report.yamlfile import read_bytes

if TYPE_CHECKING:
    from report.index import CorpusIndex


@dataclass(slots=True)
class SourceText:
    """A source's text layer and normalised text, with the article body located."""

    source: Source
    shown: str  # the file's path as messages show it
    layer: TextLayer
    norm: Normalized
    para_starts: tuple[int, ...]  # paragraph starts in normalised offsets
    body: tuple[int, int]  # [start, end) of the article body in normalised offsets
    sha256: str = ""  # of the bytes the text layer was read from
    # The text layer's notes (struck text and the like) in normalised offsets.
    notes: tuple[tuple[str, int, int], ...] = ()
    # [start, end) spans inside `body` that are not the source's own (sources.yaml
    # `exclude`), in normalised offsets, sorted.
    outside: tuple[tuple[int, int], ...] = ()
    # [start, end) layer offsets of the text `exclude` CSS selectors leave out (kept for
    # the texts derived from this one: SourceText.joined, report.confirm)
    css_spans: tuple[tuple[int, int], ...] = ()
    from_cache: bool = False  # read from the cache: its verdicts are confirmed (report.confirm)
    _joined: tuple[SourceText, frozenset[int]] | None = field(
        default=None, repr=False, compare=False
    )

    @property
    def text(self) -> str:
        return self.norm.text

    def joined(self) -> tuple[SourceText, frozenset[int]] | None:
        """The text with every hyphen at a PDF line end (TextLayer.hyphens) left out, and the
        normalised offsets where they were; None when the text has none. Such a hyphen may be
        a broken word's or a compound's: a quote may spell the word either way there
        (report.match.across_line_hyphens)."""
        if not self.layer.hyphens:
            return None
        if self._joined is None:
            chars = list(self.layer.text)
            for pos in self.layer.hyphens:
                if chars[pos] == "-":  # kept (else the word goes on there, already joined)
                    chars[pos] = "\u00ad"  # a soft hyphen, which normalising drops
            layer = replace(self.layer, text="".join(chars))
            text = source_text(
                self.source, self.shown, prepare_layer(layer), self.sha256, list(self.css_spans)
            )
            where = frozenset(text.norm.map.inverse(pos) for pos in self.layer.hyphens)
            self._joined = (text, where)
        return self._joined

    def location(self, pos: int) -> Location:
        return self.layer.location(self.shown, self.norm.map(pos))

    def paragraph_span(self, pos: int) -> tuple[int, int]:
        """[start, end) in normalised offsets of the paragraph holding `pos`."""
        k = max(0, bisect_right(self.para_starts, pos) - 1)
        end = self.para_starts[k + 1] if k + 1 < len(self.para_starts) else len(self.text)
        return self.para_starts[k], end

    def paragraph_index(self, pos: int) -> int:
        return max(0, bisect_right(self.para_starts, pos) - 1)

    def paragraph_text(self, index: int) -> str:
        """The paragraph as the text layer has it (markup removed, not normalised)."""
        start, end = self.source_paragraph(index)
        return self.layer.text[start:end]

    def source_paragraph(self, index: int) -> tuple[int, int]:
        return self.layer.paragraphs[index] if self.layer.paragraphs else (0, 0)

    def in_body(self, start: int, end: int) -> bool:
        if not (self.body[0] <= start and end <= self.body[1]):
            return False
        k = bisect_right(self.outside, (start, len(self.text) + 1)) - 1
        return not any(a < end and start < b for a, b in self.outside[max(0, k) : k + 2])

    def notes_in(self, start: int, end: int) -> list[str]:
        """The kinds of the text layer's notes that [start, end) overlaps, in order."""
        return list(dict.fromkeys(k for k, a, b in self.notes if a < end and start < b))


def build_source_text(source: Source, shown: str, raw: str) -> SourceText:
    return source_text(source, shown, prepare(raw))


def source_text(
    source: Source,
    shown: str,
    p: Prepared,
    sha256: str = "",
    css_spans: list[tuple[int, int]] | None = None,
) -> SourceText:
    """`css_spans`: the text layer spans of the source's `exclude` CSS selectors, if any
    (report.readers.htmltext.excluded_spans)."""
    body = _locate_body(source, p.norm.text)
    inverse = p.norm.map.inverse
    notes = tuple((kind, inverse(a), inverse(b)) for kind, a, b in p.layer.notes)
    outside = _locate_excluded(source, p.norm.text)
    outside += [(inverse(a), inverse(b)) for a, b in css_spans or ()]
    return SourceText(
        source, shown, p.layer, p.norm, p.para_starts, body, sha256, notes, _merged(outside),
        tuple(css_spans or ()),
    )  # fmt: skip


def _locate_excluded(source: Source, text: str) -> list[tuple[int, int]]:
    """Normalised spans of the `exclude` passages (every occurrence) and stretches."""
    spans = []
    for item in source.exclude:
        if item.css:
            continue
        words = normalize_text(item.text).strip()
        start = text.find(words)
        if start < 0 or not words:
            raise CorpusError(
                f"exclude {words[:60]!r} does not occur in {source.file}", item.location
            )
        if item.end:
            end_words = normalize_text(item.end).strip()
            end = text.find(end_words, start)
            if end < 0 or not end_words:
                raise CorpusError(
                    f"exclude end {end_words[:60]!r} does not occur after its start in "
                    f"{source.file}",
                    item.location,
                )
            spans.append((start, end + len(end_words)))
            continue
        while start >= 0:
            spans.append((start, start + len(words)))
            start = text.find(words, start + len(words))
    return spans


def _merged(spans: list[tuple[int, int]]) -> tuple[tuple[int, int], ...]:
    out: list[tuple[int, int]] = []
    for a, b in sorted(spans):
        if out and a <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], b))
        else:
            out.append((a, b))
    return tuple(out)


def _locate_body(source: Source, text: str) -> tuple[int, int]:
    if source.body is None:
        return 0, len(text)
    start_words = normalize_text(source.body.start).strip()
    end_words = normalize_text(source.body.end).strip()
    start = text.find(start_words)
    if start < 0:
        raise CorpusError(
            f"body start {start_words[:60]!r} does not occur in {source.file}",
            source.body.location,
        )
    end = text.find(end_words, start)
    if end < 0:
        raise CorpusError(
            f"body end {end_words[:60]!r} does not occur after the body start in {source.file}",
            source.body.location,
        )
    return start, end + len(end_words)


class Corpus:
    """The sources of a corpus folder; text layers are read on first use, once each, through
    the on-disk cache when there is one (report.prepare)."""

    def __init__(
        self,
        directory: Path,
        sources: Mapping[str, Source],
        sources_file: Path,
        cache: TextCache | None = None,
    ) -> None:
        self.directory = directory
        self.sources = sources
        self.sources_file = sources_file
        self.cache = cache if cache is not None else TextCache(None)
        self._texts: dict[str, SourceText] = {}
        self._keys: dict[str, str] = {}
        self._memo: HashMemo | None = None
        self.unconfirmed: Unconfirmed | None = None  # when entries came from the cache

    def __contains__(self, source_id: str) -> bool:
        return source_id in self.sources

    def confirm_entries(self, source_ids: list[str]) -> None:
        """Read the entries of these sources again from sources.yaml itself when they came
        from the cache (report.sources.Unconfirmed); if one differs, sources.yaml is read
        afresh."""
        pending, self.unconfirmed = self.unconfirmed, None
        if pending is not None:
            self.sources = pending.confirmed(self.sources, source_ids)

    def ids(self) -> list[str]:
        return list(self.sources)

    def text(self, source_id: str, keep: bool = True) -> SourceText:
        """The source's text; `keep=False` reads it without holding it for the run (for
        scans of many sources, where holding every text would cost memory)."""
        cached = self._texts.get(source_id)
        if cached is None:
            source = self.sources[source_id]
            shown = shown_path(source.path)
            data = read_bytes(source.path, CorpusError, MAX_SOURCE_BYTES, shown)
            # read by file type (report.readers), cached under the bytes and the reader
            key, prepared, hit = prepare_file(self.cache, source.path, data, shown)
            self._keys[source_id] = key
            css, css_cached = self._css_spans(source, data, shown)
            cached = source_text(source, shown, prepared, content_key(data), css)  # file's sha256
            # read from the cache: verdicts are confirmed against the bytes (report.confirm)
            cached.from_cache = hit or css_cached
            if keep:
                self._texts[source_id] = cached
        return cached

    def rebuilt(self, source_id: str, data: bytes) -> SourceText:
        """The source's text built afresh from `data`, its file's bytes, and stored in the
        cache in place of the entry there (which gave a verdict the bytes do not bear out)."""
        source = self.sources[source_id]
        shown = shown_path(source.path)
        prepared = prepare_bytes(source.path, data, shown)
        store(self.cache, file_key(source.path, data), prepared)
        css = self._css_spans(source, data, shown, fresh=True)[0]
        fresh = source_text(source, shown, prepared, content_key(data), css)
        if source_id in self._texts:
            self._texts[source_id] = fresh
        return fresh

    def _css_spans(
        self, source: Source, data: bytes, shown: str, fresh: bool = False
    ) -> tuple[list[tuple[int, int]], bool]:
        """The text layer spans of a page's `exclude` CSS selectors, and whether they came
        from the cache (report.prepare.css_excluded); `fresh`: never from the cache."""
        selectors = [item.css for item in source.exclude if item.css]
        if not selectors:
            return [], False
        try:
            return css_excluded(self.cache, data, shown, selectors, fresh)
        except CorpusError as exc:  # located at the entry's `exclude`, naming the page
            first = next(item for item in source.exclude if item.css)
            raise CorpusError(exc.message + f" ({shown})", first.location) from None

    def prefetch(self, source_ids: list[str]) -> None:
        """Build the cached texts these sources lack on every core (a cold run's first
        step); text() then reads them from the cache."""
        if self.cache.enabled:
            paths = [self.sources[sid].path for sid in source_ids]
            prepare_missing(self.cache, self.memo(), paths)

    def forkable(self) -> bool:
        """Whether forked workers can read this corpus and its index: they open the cache
        folder's files afresh (without one, the index lives in this process's memory)."""
        return self.cache.enabled

    def open_index(self) -> CorpusIndex:
        """The search index over this corpus's paragraphs, brought up to date (report.index;
        a corpus in a database answers from there: report.database.search)."""
        from report.index import CorpusIndex

        return CorpusIndex.open(self)

    def texts(self) -> list[SourceText]:
        return [self.text(i) for i in self.sources]

    def key(self, source_id: str) -> str | None:
        """The content hash of a source's file: read and hashed once per run, or taken from
        the cache's stat memo (None when the file cannot be read)."""
        key = self._keys.get(source_id)
        if key is not None:
            return key
        path = self.sources[source_id].path
        memo = self.memo()
        key = memo.known(path)
        if key is None:
            data = read_source(path)
            try:
                st = path.stat()
            except OSError:
                return None
            if data is None:
                return None
            key = file_key(path, data)
            memo.remember(path, key, st)
        self._keys[source_id] = key
        return key

    def read_key(self, source_id: str) -> str | None:
        """The content hash of a source this run has read (None if it has not)."""
        return self._keys.get(source_id)

    def memo(self) -> HashMemo:
        if self._memo is None:
            self._memo = self.cache.memo(self.directory)
        return self._memo


def load_corpus(
    directory: Path | str,
    cache: TextCache | None = None,
    max_bytes: int = MAX_SOURCES_YAML_BYTES,
) -> Corpus:
    """Read `directory`/sources.yaml (at most `max_bytes`); check every entry and that each
    file exists inside."""
    directory = Path(directory)
    if not directory.is_dir():
        raise CorpusError("corpus folder does not exist", Location(str(directory)))
    cache = cache if cache is not None else TextCache(None)
    sources, unconfirmed = load_sources(directory, cache, max_bytes)
    corpus = Corpus(directory, sources, directory / SOURCES_FILE, cache)
    corpus.unconfirmed = unconfirmed  # entries from the cache: read again before use
    return corpus
