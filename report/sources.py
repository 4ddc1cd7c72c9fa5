"""sources.yaml -> its entries (Source), each checked: known keys only, citation fields in
CSL-JSON shape (report.csl), every `file:` a plain file inside the corpus folder.

An archive's sources.yaml (100,000 entries) is read entry by entry (libyaml events:
report.yamlfile.list_items), so that its nodes are never all in memory at once. Checked
entries are kept in the cache (report.cache row sets) under the file's hash, and a warm run
makes only the entries it names from there; since anyone who can write a CI cache could forge
one, each entry a run relies on is read again from sources.yaml first (`Unconfirmed`).
"""

from __future__ import annotations

import contextlib
import os
import re
import stat
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml

from report.cache import RowSet, TextCache, content_key
from report.csl import NAME_VARIABLES, TYPES, VARIABLES, as_csl, meant_type, names_ok
from report.errors import CorpusError, Location
from report.yamlfile import (
    ErrorList,
    compose_yaml,
    decode_text,
    is_null,
    list_items,
    mark_location,
    one_line,
    read_bytes,
    shown,
)

SOURCES_FILE = "sources.yaml"
_SHA256 = re.compile(r"[0-9a-fA-F]{64}")
# An archive's sources.yaml (100,000 entries: about 25 MB) is read entry by entry, with
# about 17 bytes of memory a byte of the file on its first reading (its entries then come
# from the cache); this bounds that memory at about 2 GB.
MAX_SOURCES_YAML_BYTES = 128 * 1024 * 1024

# report's own keys in an entry; the others are CSL-JSON variables (report.csl.VARIABLES).
_OWN_KEYS = {"id", "file", "body", "exclude", "sha256", "archived", "organization"}
_HTML_SUFFIXES = {".html", ".htm"}


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


def shown_path(path: Path) -> str:
    """A path as messages show it: relative to the working folder when it is below it."""
    try:
        return os.path.relpath(path)
    except ValueError:  # another drive (Windows)
        return str(path)


@dataclass(frozen=True, slots=True)
class Unconfirmed:
    """sources.yaml's bytes, when its entries came from the cache: the entries a run relies
    on are read again from them (anyone who can write a CI cache could have forged one:
    another file, no body marks, no sha256 pin)."""

    data: bytes
    sources_file: Path
    directory: Path
    cache: TextCache
    key: str  # of the entries' rows in the cache

    def confirmed(
        self, sources: Mapping[str, Source], source_ids: list[str]
    ) -> Mapping[str, Source]:
        """`sources`, the cached entries, if those of `source_ids` read the same from
        sources.yaml itself; else every entry read afresh (and kept in the cache)."""
        text = decode_text(self.data, str(self.sources_file), CorpusError)
        loader = _SourcesLoader(self.directory.resolve(), shown_path(self.sources_file))
        for sid in source_ids:
            cached = sources.get(sid)
            if cached is None:
                continue
            again = _entry_again(text, cached, loader)
            if again is None or not _same_entry(again, cached):
                fresh = _load_sources(self.data, self.sources_file, self.directory)
                self.cache.put_rows("sources", self.key, _sources_to_json(fresh))
                return fresh
        return sources


def load_sources(
    directory: Path, cache: TextCache, max_bytes: int = MAX_SOURCES_YAML_BYTES
) -> tuple[Mapping[str, Source], Unconfirmed | None]:
    """The entries of `directory`/sources.yaml (at most `max_bytes`), every one checked and
    its file found inside the folder; and, when they came from the cache, what confirms
    them before use."""
    sources_file = directory / SOURCES_FILE
    data = read_bytes(sources_file, CorpusError, max_bytes)
    # A large sources.yaml takes longer to parse than a warm check takes to run, so the
    # checked entries are kept in the cache too (under the file's hash, the folder and the
    # working folder that the messages' paths are relative to).
    key = content_key(b"\0".join([data, str(directory.resolve()).encode(), os.getcwd().encode()]))
    rows = cache.get_rows("sources", key)
    if rows is None or rows.count == 0:
        sources = _load_sources(data, sources_file, directory)
        cache.put_rows("sources", key, _sources_to_json(sources))
        return sources, None
    # Entries are made from their rows as they are asked for: a run that names a few
    # sources of an archive of 100,000 reads a few rows.
    cached = _CachedSources(
        rows, directory.resolve(), lambda: _load_sources(data, sources_file, directory)
    )
    return cached, Unconfirmed(data, sources_file, directory, cache, key)


def _same_entry(a: Source, b: Source) -> bool:
    """The same source for verification and citation (where messages place it aside)."""
    body = (a.body.start, a.body.end) if a.body else None
    other = (b.body.start, b.body.end) if b.body else None
    return (a.id, a.path, a.file, a.csl, a.sha256, body) == (
        b.id, b.path, b.file, b.csl, b.sha256, other,
    )  # fmt: skip


def _load_sources(data: bytes, sources_file: Path, directory: Path) -> dict[str, Source]:
    text = decode_text(data, str(sources_file), CorpusError)
    shown_file = shown_path(sources_file)
    loader = _SourcesLoader(directory.resolve(), shown_file)
    # Entry by entry: an archive's 100,000 entries never have all their nodes in memory.
    items = list_items(text, shown_file, CorpusError, key="sources")
    if items is not None:
        sources = loader.load_items(items)
    else:
        sources = loader.load(compose_yaml(text, shown_file, CorpusError))
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


def _sources_to_json(sources: Mapping[str, Source]) -> list[tuple[str, list]]:
    def loc(x: Location) -> list:
        return [x.file, x.line, x.column]

    return [
        (s.id, [
            s.id,
            str(s.path),
            s.file,
            loc(s.location),
            s.csl,
            s.sha256,
            [s.body.start, s.body.end, loc(s.body.location)] if s.body else None,
            [x.to_json() for x in s.exclude],
            list(s.span),
        ])
        for s in sources.values()
    ]  # fmt: skip


def _source_from_row(row: Any, root: Path, listings: dict[str, dict[str, bool]]) -> Source | None:
    """A checked entry back from the cache; None when it is unreadable or its `file:` no
    longer resolves to the same plain file inside the corpus (a symlink retargeted, a file
    replaced by a folder): then sources.yaml is read and checked afresh."""
    try:
        sid, path, file, location, csl, sha, body_row, exclude_rows, span = row
        body = Body(body_row[0], body_row[1], Location(*body_row[2])) if body_row else None
        exclude = tuple(Exclude.from_json(x) for x in exclude_rows)
        if not _resolves_to(root, file, path, listings):
            return None
        return Source(
            sid, Path(path), file, Location(*location), csl, body, sha, exclude,
            (span[0], span[1]),
        )  # fmt: skip
    except (OSError, TypeError, ValueError):
        return None


class _CachedSources(Mapping[str, Source]):
    """The entries of sources.yaml from the cache, each made (and its file's path checked)
    when first asked for; if one no longer holds, sources.yaml is read afresh."""

    def __init__(self, rows: RowSet, root: Path, reload: Callable[[], dict[str, Source]]):
        self._rows = rows
        self._root = root
        self._reload = reload
        self._made: dict[str, Source] = {}
        self._all: dict[str, Source] | None = None
        self._ids: list[str] | None = None
        self._listings: dict[str, dict[str, bool]] = {}

    def _everything(self) -> dict[str, Source]:
        if self._all is None:
            rows = self._rows.rows()
            made = [_source_from_row(r, self._root, self._listings) for r in rows or []]
            if rows is None or any(s is None for s in made):
                self._all = self._reload()
            else:
                self._all = {s.id: s for s in made if s is not None}
        return self._all

    def __getitem__(self, sid: str) -> Source:
        if self._all is not None:
            return self._all[sid]
        source = self._made.get(sid)
        if source is None:
            row = self._rows.get(sid)
            if row is None:
                raise KeyError(sid)
            source = _source_from_row(row, self._root, self._listings)
            if source is None:
                return self._everything()[sid]
            self._made[sid] = source
        return source

    def __contains__(self, sid: object) -> bool:
        if self._all is not None:
            return sid in self._all
        return isinstance(sid, str) and (sid in self._made or self._rows.get(sid) is not None)

    def __iter__(self) -> Iterator[str]:
        if self._all is not None:
            return iter(self._all)
        if self._ids is None:
            self._ids = self._rows.ids()
        return iter(self._ids)

    def __len__(self) -> int:
        return len(self._all) if self._all is not None else self._rows.count

    def items(self):  # one pass over the rows, not a look-up each
        return self._everything().items()

    def values(self):
        return self._everything().values()


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
        return self.load_items(root.value)

    def load_items(self, nodes: Iterable[yaml.Node]) -> dict[str, Source]:
        sources: dict[str, Source] = {}
        by_path: dict[Path, Source] = {}
        for node in nodes:
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
            if key not in _OWN_KEYS and key not in VARIABLES:
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
        for role in NAME_VARIABLES:
            if role in fields and not names_ok(fields[role][1]):
                self.error(
                    f"`{role}` must be a name or a list of names ({{family: ..., given: ...}})",
                    fields[role][0],
                )
                return None
        if "type" in fields:
            type_node, kind = fields["type"]
            if not isinstance(kind, str) or kind not in TYPES:
                near = meant_type(kind)
                hint = f"did you mean '{near}'? " if near else ""
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
        citation = {k: v for k, (_, v) in fields.items() if k in VARIABLES}
        if "organization" in fields:  # shorthand: an organisation as the author
            org_node, org = fields["organization"]
            if "author" in fields or not isinstance(org, str) or not org.strip():
                self.error(
                    "`organization` is the name of the organisation that is the author, "
                    "instead of `author` (or write author: {literal: Name})",
                    org_node,
                )
                return None
            citation["author"] = {"literal": org.strip()}
        citation = as_csl(citation)
        if "archived" in fields:  # kept with the citation fields: report.cite cites it
            citation["archived"] = fields["archived"][1].strip()
        sha_node, sha = fields.get("sha256", (None, None))
        if sha is not None and not (isinstance(sha, str) and _SHA256.fullmatch(sha)):
            self.error("`sha256` must be 64 hexadecimal digits (`report lock` writes it)", sha_node)
            return None
        return Source(
            source_id,
            path,
            file_value,
            location,
            citation,
            body,
            str(sha) if sha else None,
            exclude,
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
            elif (
                isinstance(value, dict) and set(value) == {"css"} and isinstance(value["css"], str)
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
    if is_null(node):
        return None
    return str(node.value)
