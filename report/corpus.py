"""A corpus folder -> a Corpus: sources.yaml metadata plus each source's text layer,
normalised once and shared by every quote of a run.
"""

from __future__ import annotations

import contextlib
import difflib
import os
import re
import stat
from bisect import bisect_right
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml

from report.cache import (
    MAX_SOURCE_BYTES,
    PARALLEL_MIN,
    HashMemo,
    Prepared,
    TextCache,
    content_key,
    prepare,
    prepare_files,
    prepare_layer,
    read_source,
)
from report.errors import CorpusError, Location
from report.normalize import Normalized, normalize_text
from report.readers import layer_of, reader_tag
from report.textlayer import TextLayer
from report.yamlfile import (
    ErrorList,
    compose_yaml,
    decode_text,
    mark_location,
    one_line,
    read_bytes,
    shown,
)

SOURCES_FILE = "sources.yaml"
_SHA256 = re.compile(r"[0-9a-fA-F]{64}")
MAX_SOURCES_YAML_BYTES = 8 * 1024 * 1024

# CSL-JSON variables a source may carry for its citation (plus report's own keys).
_OWN_KEYS = {"id", "file", "body", "exclude", "sha256", "archived", "organization"}
_HTML_SUFFIXES = {".html", ".htm"}
_CSL_KEYS = {
    "type", "title", "title-short", "container-title", "collection-title", "publisher",
    "publisher-place", "author", "editor", "translator", "date", "issued", "accessed",
    "url", "URL", "DOI", "note", "number", "issue", "volume", "page", "genre", "medium",
    "language", "abstract", "archive", "event-title", "section", "dimensions",
}  # fmt: skip


# The item types of CSL 1.0.2 (a citation style formats each differently).
_CSL_TYPES = {
    "article", "article-journal", "article-magazine", "article-newspaper", "bill", "book",
    "broadcast", "chapter", "classic", "collection", "dataset", "document", "entry",
    "entry-dictionary", "entry-encyclopedia", "event", "figure", "graphic", "hearing",
    "interview", "legal_case", "legislation", "manuscript", "map", "motion_picture",
    "musical_score", "pamphlet", "paper-conference", "patent", "performance", "periodical",
    "personal_communication", "post", "post-weblog", "regulation", "report", "review",
    "review-book", "software", "song", "speech", "standard", "thesis", "treaty", "webpage",
}  # fmt: skip


# What people write for a CSL type, and the type they mean.
_CSL_TYPE_NAMES = {
    "newspaper": "article-newspaper", "news": "article-newspaper",
    "magazine": "article-magazine", "journal": "article-journal",
    "journal-article": "article-journal", "blog": "post-weblog", "blog-post": "post-weblog",
    "blogpost": "post-weblog", "web": "webpage", "website": "webpage", "web-page": "webpage",
    "memo": "report", "policy-memo": "report", "paper": "article-journal",
}  # fmt: skip


@dataclass(frozen=True, slots=True)
class Body:
    """The words where a source's article begins and ends (SPEC: sources.yaml `body`)."""

    start: str
    end: str
    location: Location


@dataclass(frozen=True, slots=True)
class Exclude:
    """A part of a source that is outside its article body (sources.yaml `exclude`): a
    passage (`text`), a stretch from `text` to `end`, or, in an HTML page, the elements a
    CSS selector (`css`) matches."""

    location: Location
    text: str = ""
    end: str = ""
    css: str = ""

    def to_json(self) -> list:
        loc = self.location
        return [[loc.file, loc.line, loc.column], self.text, self.end, self.css]

    @classmethod
    def from_json(cls, row: list) -> Exclude:
        return cls(Location(*row[0]), str(row[1]), str(row[2]), str(row[3]))


@dataclass(frozen=True, slots=True)
class Source:
    """One entry of sources.yaml."""

    id: str
    path: Path  # resolved path of the file, inside the corpus folder
    file: str  # as written in sources.yaml
    location: Location  # of the entry in sources.yaml
    csl: dict[str, Any] = field(default_factory=dict)  # citation fields, CSL-JSON shaped
    body: Body | None = None
    sha256: str | None = None
    exclude: tuple[Exclude, ...] = ()
    # [start, end) of the entry in the decoded sources.yaml: a cached entry is read again
    # from there before a quote relies on it (Corpus.confirm_entries)
    span: tuple[int, int] = (0, 0)

    @property
    def title(self) -> str:
        return str(self.csl.get("title") or self.id)

    @property
    def authors(self) -> list[str]:
        """Author names as display strings ("Thomas Joscelyn")."""
        names = []
        for a in self.csl.get("author") or []:
            if "literal" in a:
                names.append(a["literal"])
            else:
                names.append(" ".join(x for x in (a.get("given"), a.get("family")) if x))
        return names


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

    @property
    def changed(self) -> bool:
        """The file's bytes are not the ones sources.yaml pinned (`report lock`)."""
        pinned = self.source.sha256
        return bool(pinned and self.sha256 and pinned.lower() != self.sha256)

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
    """The sources of a corpus folder; text layers are read on first use, once each, from the
    on-disk cache (report.cache) when there is one."""

    def __init__(
        self,
        directory: Path,
        sources: dict[str, Source],
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
        self.unconfirmed: bytes | None = None  # sources.yaml, when entries came from the cache
        self._sources_key = ""

    def __contains__(self, source_id: str) -> bool:
        return source_id in self.sources

    def confirm_entries(self, source_ids: list[str]) -> None:
        """Read the entries of these sources again from sources.yaml itself when they came
        from the cache (which anyone who can write a CI cache could have forged: another
        file, no body marks, no sha256 pin); if one differs, sources.yaml is read afresh."""
        data, self.unconfirmed = self.unconfirmed, None
        if data is None:
            return
        text = decode_text(data, str(self.sources_file), CorpusError)
        loader = _SourcesLoader(self.directory.resolve(), _shown(self.sources_file))
        for sid in source_ids:
            cached = self.sources.get(sid)
            if cached is None:
                continue
            again = _entry_again(text, cached, loader)
            if again is None or not _same_entry(again, cached):
                self.sources = _load_sources(data, self.sources_file, self.directory)
                self.cache.put_json("sources", self._sources_key, _sources_to_json(self.sources))
                return

    def ids(self) -> list[str]:
        return list(self.sources)

    def text(self, source_id: str, keep: bool = True) -> SourceText:
        """The source's text; `keep=False` reads it without holding it for the run (for
        scans of many sources, where holding every text would cost memory)."""
        cached = self._texts.get(source_id)
        if cached is None:
            source = self.sources[source_id]
            shown = _shown(source.path)
            data = read_bytes(source.path, CorpusError, MAX_SOURCE_BYTES, shown)
            # read by file type (report.readers), cached under the bytes and the reader
            key, prepared, hit = self.cache.prepared(
                data, lambda d: layer_of(source.path, d, shown), reader_tag(source.path)
            )
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
        shown = _shown(source.path)
        prepared = prepare_layer(layer_of(source.path, data, shown))
        self.cache.put(content_key(data, reader_tag(source.path)), prepared)
        css = self._css_spans(source, data, shown, fresh=True)[0]
        fresh = source_text(source, shown, prepared, content_key(data), css)
        if source_id in self._texts:
            self._texts[source_id] = fresh
        return fresh

    def _css_spans(
        self, source: Source, data: bytes, shown: str, fresh: bool = False
    ) -> tuple[list[tuple[int, int]], bool]:
        """The text layer spans of a page's `exclude` CSS selectors, and whether they came
        from the cache: the page is read again to match them (the cached text layer has no
        elements), then the spans are kept; `fresh`: never from the cache."""
        selectors = [item.css for item in source.exclude if item.css]
        if not selectors:
            return [], False
        from report.cache import CODE_VERSION
        from report.readers.htmltext import excluded_spans

        key = content_key(b"\0".join([CODE_VERSION.encode(), *map(str.encode, selectors), data]))
        kept = None if fresh else self.cache.get_json("exclude", key)
        if isinstance(kept, list) and all(
            isinstance(s, list) and len(s) == 2 and all(isinstance(x, int) for x in s)
            for s in kept
        ):
            return [(a, b) for a, b in kept], True
        try:
            spans = excluded_spans(data, shown, selectors)
        except CorpusError as exc:  # located at the entry's `exclude`, naming the page
            first = next(item for item in source.exclude if item.css)
            raise CorpusError(exc.message + f" ({shown})", first.location) from None
        self.cache.put_json("exclude", key, [list(s) for s in spans])
        return spans, False

    def prefetch(self, source_ids: list[str]) -> None:
        """Build the cached texts these sources lack on every core (a cold run's first
        step); text() then reads them from the cache."""
        if not self.cache.enabled:
            return
        missing = []
        memo = self.memo()
        for sid in source_ids:
            path = self.sources[sid].path
            # A guess is enough here (text() reads and hashes every file it uses): the stat
            # memo spares reading each file twice on a warm run.
            try:
                key = memo.known(path)
                if key is None:
                    data = read_source(path)
                    if data is None:
                        continue  # text() reports it
                    key = content_key(data, reader_tag(path))
            except OSError:
                continue  # text() reports it
            if not self.cache.has(key):
                missing.append(path)
        if len(missing) >= PARALLEL_MIN:
            for _ in prepare_files(self.cache, missing, paragraphs=False):
                pass

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
            key = content_key(data, reader_tag(path))
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


def _same_entry(a: Source, b: Source) -> bool:
    """The same source for verification and citation (where messages place it aside)."""
    body = (a.body.start, a.body.end) if a.body else None
    other = (b.body.start, b.body.end) if b.body else None
    return (a.id, a.path, a.file, a.csl, a.sha256, body) == (
        b.id, b.path, b.file, b.csl, b.sha256, other,
    )  # fmt: skip


def _shown(path: Path) -> str:
    """A path as messages show it: relative to the working folder when it is below it."""
    try:
        return os.path.relpath(path)
    except ValueError:  # another drive (Windows)
        return str(path)


def load_corpus(directory: Path | str, cache: TextCache | None = None) -> Corpus:
    """Read `directory`/sources.yaml; check every entry and that each file exists inside."""
    directory = Path(directory)
    if not directory.is_dir():
        raise CorpusError("corpus folder does not exist", Location(str(directory)))
    sources_file = directory / SOURCES_FILE
    cache = cache if cache is not None else TextCache(None)
    data = read_bytes(sources_file, CorpusError, MAX_SOURCES_YAML_BYTES)
    # A large sources.yaml takes longer to parse than a warm check takes to run, so the
    # checked entries are kept in the cache too (under the file's hash, the folder and the
    # working folder that the messages' paths are relative to).
    key = content_key(b"\0".join([data, str(directory.resolve()).encode(), os.getcwd().encode()]))
    sources = _sources_from_json(cache.get_json("sources", key), directory.resolve())
    if sources is None:
        sources = _load_sources(data, sources_file, directory)
        cache.put_json("sources", key, _sources_to_json(sources))
        return Corpus(directory, sources, sources_file, cache)
    corpus = Corpus(directory, sources, sources_file, cache)
    corpus.unconfirmed = data  # entries from the cache: read again before use
    corpus._sources_key = key
    return corpus


def _load_sources(data: bytes, sources_file: Path, directory: Path) -> dict[str, Source]:
    text = decode_text(data, str(sources_file), CorpusError)
    root = compose_yaml(text, _shown(sources_file), CorpusError)
    loader = _SourcesLoader(directory.resolve(), _shown(sources_file))
    sources = loader.load(root)
    if loader.errors:
        raise loader.errors.exception(CorpusError)
    return sources


def _entry_again(text: str, source: Source, loader: _SourcesLoader) -> Source | None:
    """The entry of sources.yaml at `source.span`, parsed on its own; None unless that is a
    whole item of the top-level list (starting a line with `- `)."""
    start, end = source.span
    line_start = text.rfind("\n", 0, start) + 1
    if not (0 <= start < end <= len(text)) or not re.fullmatch(r"- +", text[line_start:start]):
        return None
    try:
        node = compose_yaml(text[line_start:end], loader.shown, CorpusError)
    except CorpusError:
        return None
    if not isinstance(node, yaml.SequenceNode) or len(node.value) != 1:
        return None
    again = loader.entry(node.value[0])
    return None if again is None or loader.errors else again


def _sources_to_json(sources: dict[str, Source]) -> list:
    def loc(x: Location) -> list:
        return [x.file, x.line, x.column]

    return [
        [
            s.id,
            str(s.path),
            s.file,
            loc(s.location),
            s.csl,
            s.sha256,
            [s.body.start, s.body.end, loc(s.body.location)] if s.body else None,
            [x.to_json() for x in s.exclude],
            list(s.span),
        ]
        for s in sources.values()
    ]


def _sources_from_json(value: Any, root: Path) -> dict[str, Source] | None:
    """Checked entries back from the cache; None when they are unreadable or a `file:` no
    longer resolves to the same plain file inside the corpus (a symlink retargeted, a file
    replaced by a folder): then sources.yaml is read and checked afresh."""
    if not isinstance(value, list):
        return None
    try:
        sources = {}
        listings: dict[str, dict[str, bool]] = {}
        for row in value:
            sid, path, file, location, csl, sha, body_row, exclude_rows, span = row
            body = Body(body_row[0], body_row[1], Location(*body_row[2])) if body_row else None
            exclude = tuple(Exclude.from_json(x) for x in exclude_rows)
            if not _resolves_to(root, file, path, listings):
                return None
            sources[sid] = Source(
                sid, Path(path), file, Location(*location), csl, body, sha, exclude,
                (span[0], span[1]),
            )
        return sources
    except (OSError, TypeError, ValueError):
        return None


def _resolves_to(root: Path, file: str, path: str, listings: dict[str, dict[str, bool]]) -> bool:
    """`root`/`file` is still the plain file `path`. Resolving thousands of paths costs more
    than a warm check, so a path that was not reached through a symlink is confirmed from
    its folders' listings (one scandir each per run): neither a folder on the way nor the
    file itself has become a symlink or something other than a file."""
    # Through a symlink, or with `..` (which the system applies after following a link,
    # while normpath only drops the folder before it): the path is resolved.
    if ".." in file.split("/") or os.path.normpath(os.path.join(root, file)) != path:
        return (root / file).resolve() == Path(path) and stat.S_ISREG(os.lstat(path).st_mode)
    top = str(root)
    child = path
    folder = os.path.dirname(path)
    is_file = True
    while True:
        listing = listings.get(folder)
        if listing is None:
            with os.scandir(folder) as entries:
                # True for a plain file, False for a real folder; symlinks and others absent
                listing = listings[folder] = {
                    e.name: e.is_file(follow_symlinks=False)
                    for e in entries
                    if e.is_file(follow_symlinks=False) or e.is_dir(follow_symlinks=False)
                }
        if listing.get(os.path.basename(child)) is not is_file:
            return False
        if folder == top:
            return True
        if os.path.dirname(folder) == folder:  # not below the root after all
            return False
        child, folder, is_file = folder, os.path.dirname(folder), False


class _SourcesLoader:
    def __init__(self, root: Path, shown: str) -> None:
        self.root = root
        self.shown = shown
        self.listings: dict[str, dict[str, bool]] = {}  # for _resolves_to
        self.errors = ErrorList(shown)

    def error(self, message: str, node: yaml.Node | None) -> None:
        mark = node.start_mark if node is not None else None
        self.errors.add(CorpusError(message, mark_location(self.shown, mark)))

    def load(self, root: yaml.Node | None) -> dict[str, Source]:
        if isinstance(root, yaml.MappingNode):  # `sources: [...]` is accepted too
            inner = {k.value: v for k, v in root.value if isinstance(k, yaml.ScalarNode)}
            if set(inner) != {"sources"}:
                self.error("sources.yaml must be a list of sources (or `sources:` list)", root)
                return {}
            root = inner["sources"]
        if not isinstance(root, yaml.SequenceNode):
            self.error("sources.yaml must be a list of sources", root)
            return {}
        sources: dict[str, Source] = {}
        by_path: dict[Path, Source] = {}
        for node in root.value:
            source = self.entry(node)
            if source is None:
                continue
            source = replace(source, span=(node.start_mark.index, node.end_mark.index))
            if source.id in sources:
                self.error(f"duplicate source id '{shown(source.id)}'", node)
                continue
            # One entry per file: every entry's text is read and matched, so a file listed
            # a thousand times would cost a thousand times the corpus.
            if source.path in by_path:
                first = by_path[source.path]
                self.error(
                    f"'{shown(source.file)}' is already source '{shown(first.id)}' "
                    f"(line {first.location.line})",
                    node,
                )
                continue
            sources[source.id] = source
            by_path[source.path] = source
        return sources

    def entry(self, node: yaml.Node) -> Source | None:
        if not isinstance(node, yaml.MappingNode):
            self.error("a source must be a mapping with at least `id` and `file`", node)
            return None
        fields: dict[str, tuple[yaml.Node, Any]] = {}
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
            if key is None:
                self.error("a key in a source must be text", key_node)
                continue
            if key not in _OWN_KEYS and key not in _CSL_KEYS:
                self.error(f"unknown key '{shown(key)}' in a source", key_node)
                continue
            if key in fields:
                self.error(f"duplicate key '{key}' in a source", key_node)
                continue
            fields[key] = (value_node, _plain(value_node))
        location = mark_location(self.shown, node.start_mark)
        ok = True
        for required in ("id", "file"):
            value = fields.get(required, (None, None))[1]
            if not isinstance(value, str) or not value.strip():
                self.error(f"a source needs `{required}` (text)", fields.get(required, (node,))[0])
                ok = False
        if not ok:
            return None
        source_id = fields["id"][1].strip()
        if not one_line(source_id):
            self.error(f"`id` must be one line of text, not '{shown(source_id)}'", fields["id"][0])
            return None
        file_node, file_value = fields["file"]
        path = self.resolve(file_value, file_node)
        if path is None:
            return None
        body = None
        if "body" in fields:
            body_node, value = fields["body"]
            if (
                not isinstance(value, dict)
                or set(value) != {"start", "end"}
                or not all(isinstance(v, str) and v.strip() for v in value.values())
            ):
                self.error('`body` must be {start: "words", end: "words"}', body_node)
                return None
            body = Body(
                value["start"], value["end"], mark_location(self.shown, body_node.start_mark)
            )
        exclude: tuple[Exclude, ...] = ()
        if "exclude" in fields:
            exclude_node, _ = fields["exclude"]
            items = self.exclude(exclude_node, path)
            if items is None:
                return None
            exclude = items
        for role in ("author", "editor", "translator"):
            if role in fields and not _names_ok(fields[role][1]):
                self.error(
                    f"`{role}` must be a name or a list of names ({{family: ..., given: ...}})",
                    fields[role][0],
                )
                return None
        if "type" in fields:
            type_node, kind = fields["type"]
            if not isinstance(kind, str) or kind not in _CSL_TYPES:
                word = str(kind).strip().lower()
                near = [_CSL_TYPE_NAMES[word]] if word in _CSL_TYPE_NAMES else []
                near = near or difflib.get_close_matches(word, sorted(_CSL_TYPES), n=1)
                hint = f"did you mean '{near[0]}'? " if near else ""
                self.error(
                    f"`type` '{shown(kind)}' is not a CSL type ({hint}e.g. article-newspaper, "
                    "article-magazine, article-journal, report, book, webpage)",
                    type_node,
                )
                return None
        for key in ("url", "URL", "archived"):
            if key in fields and not web_address(fields[key][1]):
                self.error(
                    f"`{key}` must be a web address (http:// or https://, no spaces), not "
                    f"'{shown(str(fields[key][1]), 60)}'",
                    fields[key][0],
                )
                return None
        csl = {k: v for k, (_, v) in fields.items() if k in _CSL_KEYS}
        if "organization" in fields:  # shorthand: an organisation as the author
            org_node, org = fields["organization"]
            if "author" in fields or not isinstance(org, str) or not org.strip():
                self.error(
                    "`organization` is the name of the organisation that is the author, "
                    "instead of `author` (or write author: {literal: Name})",
                    org_node,
                )
                return None
            csl["author"] = {"literal": org.strip()}
        csl = _csl(csl)
        if "archived" in fields:  # kept with the citation fields: report.cite cites it
            csl["archived"] = fields["archived"][1].strip()
        sha_node, sha = fields.get("sha256", (None, None))
        if sha is not None and not (isinstance(sha, str) and _SHA256.fullmatch(sha)):
            self.error("`sha256` must be 64 hexadecimal digits (`report lock` writes it)", sha_node)
            return None
        return Source(
            source_id, path, file_value, location, csl, body, str(sha) if sha else None, exclude
        )

    def exclude(self, node: yaml.Node, path: Path) -> tuple[Exclude, ...] | None:
        """`exclude:` a list of passages ("words"), stretches ({start: .., end: ..}) and, for
        an HTML page, CSS selectors ({css: "aside.newsletter"})."""
        from report.readers.htmltext import check_selector

        usage = (
            '`exclude` must be a list of passages ("words"), stretches '
            '({start: "words", end: "words"}) and CSS selectors ({css: "aside.promo"})'
        )
        if not isinstance(node, yaml.SequenceNode) or not node.value:
            self.error(usage, node)
            return None
        out = []
        for item in node.value:
            location = mark_location(self.shown, item.start_mark)
            value = _plain(item)
            if isinstance(value, str) and value.strip():
                out.append(Exclude(location, text=value))
            elif (
                isinstance(value, dict)
                and set(value) == {"start", "end"}
                and all(isinstance(v, str) and v.strip() for v in value.values())
            ):
                out.append(Exclude(location, text=value["start"], end=value["end"]))
            elif isinstance(value, dict) and set(value) == {"css"} and isinstance(
                value["css"], str
            ):
                if path.suffix.lower() not in _HTML_SUFFIXES:
                    self.error("`exclude` CSS selectors apply to HTML pages (.html, .htm)", item)
                    return None
                problem = check_selector(value["css"])
                if problem is not None:
                    self.error(f"`exclude` CSS selector {value['css']!r}: {problem}", item)
                    return None
                out.append(Exclude(location, css=value["css"]))
            else:
                self.error(usage, item)
                return None
        return tuple(out)

    def resolve(self, file_value: str, node: yaml.Node) -> Path | None:
        # Most entries name a plain file reached through plain folders: then the path as
        # written is the resolved one, and one listing of its folder (shared by the entries
        # beside it) confirms it, where resolving costs a system call a path component.
        lexical = os.path.normpath(os.path.join(self.root, file_value))
        if "\x00" not in file_value and lexical.startswith(os.path.join(self.root, "")):
            with contextlib.suppress(OSError):  # a missing folder: told below
                if _resolves_to(self.root, file_value, lexical, self.listings):
                    return Path(lexical)
        candidate = self.root / file_value
        try:
            resolved = candidate.resolve(strict=True)
        except FileNotFoundError:
            self.error(
                f"source file '{shown(file_value)}' does not exist in the corpus folder", node
            )
            return None
        except (OSError, RuntimeError) as exc:  # symlink loops and the like
            self.error(f"source file '{shown(file_value)}' cannot be opened: {exc}", node)
            return None
        except ValueError:  # a NUL byte in the name
            self.error(f"source file {file_value!r} is not a valid file name", node)
            return None
        if not resolved.is_relative_to(self.root):
            self.error(f"source file '{shown(file_value)}' is outside the corpus folder", node)
            return None
        if not resolved.is_file():
            self.error(f"source file '{shown(file_value)}' is not a file", node)
            return None
        return resolved


def web_address(value: Any) -> bool:
    """An absolute http(s) address with a host: a link in a brief never points at a local
    file or runs a script (`file:`, `javascript:`)."""
    if not isinstance(value, str) or not value.strip() or not value.strip().isprintable():
        return False
    text = value.strip()
    if any(c.isspace() for c in text):
        return False
    try:
        parts = urlsplit(text)
    except ValueError:
        return False
    return parts.scheme.lower() in ("http", "https") and bool(parts.hostname)


def _plain(node: yaml.Node) -> Any:
    """A node as plain Python data; every scalar stays a string (dates stay as written)."""
    if isinstance(node, yaml.MappingNode):
        return {str(k.value): _plain(v) for k, v in node.value}
    if isinstance(node, yaml.SequenceNode):
        return [_plain(v) for v in node.value]
    if node.tag == "tag:yaml.org,2002:null":
        return None
    return str(node.value)


def _csl(fields: dict[str, Any]) -> dict[str, Any]:
    """Citation fields in CSL-JSON shape: names as {family, given}, `date` as `issued`."""
    out = dict(fields)
    for role in ("author", "editor", "translator"):
        if role in out:
            value = out[role]
            names = value if isinstance(value, list) else [value]
            out[role] = [_name(n) for n in names if n]
    if "url" in out and "URL" not in out:
        out["URL"] = out.pop("url")
    if "date" in out and "issued" not in out:
        out["issued"] = out.pop("date")
    return out


def _names_ok(value: Any) -> bool:
    """A name is text or a mapping of text (CSL-JSON); a list may hold several."""
    names = value if isinstance(value, list) else [value]
    return all(
        isinstance(n, str)
        or (isinstance(n, dict) and n and all(isinstance(v, str) for v in n.values()))
        for n in names
        if n is not None
    )


# Words that make a name written as text an organisation's ("Federal Aviation
# Administration"), set as written rather than inverted as a person's.
_ORGANISATION_WORDS = {
    "Administration", "Agency", "Association", "Authority", "Bank", "Board", "Bureau",
    "Center", "Centre", "Commission", "Committee", "Company", "Congress", "Corporation",
    "Council", "Court", "Department", "Desk", "Foundation", "Fund", "Government", "Group",
    "Inc", "Inc.", "Institute", "Institution", "LLC", "Limited", "Ltd", "Ltd.", "Ministry",
    "Office", "Organisation", "Organization", "Parliament", "Party", "Service", "Society",
    "Trust", "Trustees", "Union", "University", "Authors", "Team", "Project", "Network",
}  # fmt: skip


def _name(value: Any) -> dict[str, str]:
    if isinstance(value, dict):
        return {k: str(v) for k, v in value.items()}
    text = str(value).strip()
    words = text.replace(",", " ").split()
    if " " not in text or any(w in _ORGANISATION_WORDS for w in words):
        return {"literal": text}
    given, family = text.rsplit(" ", 1)
    return {"given": given, "family": family}
