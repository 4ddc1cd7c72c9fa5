"""sources.yaml's `sha256` pins -> quotes failed as "source changed" when a pinned file's bytes
differ; and `report lock`, which writes those pins into sources.yaml.

A pin says "this brief was checked against exactly these bytes". When the file changes (a
re-download, a new PDF version, a stray edit) every quote from it fails until someone has
re-read the quotes and run `report lock` again.

`lock` edits sources.yaml as text: it replaces the value of each `sha256:` line, or inserts
one after the entry's `file:` line at the same indentation, and leaves every other byte alone
(comments, quoting, key order, blank lines). A YAML round-trip (ruamel.yaml) would bring a new
dependency and still re-flow long titles and re-indent lists; the node positions PyYAML gives
are all this edit needs.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path

import yaml

from report.atomic import write_atomic
from report.cache import content_key
from report.corpus import SourceText, load_corpus
from report.errors import CorpusError
from report.findings import Changed, QuoteResult, Status
from report.yamlfile import read_bytes


def mark_changed(result: QuoteResult, text: SourceText) -> QuoteResult:
    """The result, failed as SOURCE_CHANGED when its named source (`text`, as read in this
    run) is pinned and changed."""
    if not text.changed:
        return result
    assert text.source.sha256 is not None
    changed = Changed(text.source.id, text.shown, text.source.sha256.lower(), text.sha256)
    return dataclasses.replace(result, status=Status.SOURCE_CHANGED, changed=changed)


@dataclass(frozen=True, slots=True)
class Pin:
    source_id: str
    sha256: str
    previous: str | None  # the pin it replaces (None: newly pinned)

    @property
    def state(self) -> str:
        if self.previous is None:
            return "pinned"
        return "unchanged" if self.previous.lower() == self.sha256 else "updated"


@dataclass(frozen=True, slots=True)
class Lock:
    sources_file: Path
    pins: list[Pin]
    written: bool  # False when every pin was already up to date


def lock(directory: Path | str) -> Lock:
    """Pin every source of the corpus folder to the sha256 of its file now."""
    corpus = load_corpus(directory)  # validates sources.yaml and that every file exists
    data = read_bytes(corpus.sources_file, CorpusError)
    bom = data.startswith(b"\xef\xbb\xbf")
    crlf = b"\r\n" in data
    text = data.decode("utf-8-sig").replace("\r\n", "\n")
    # The pure-Python composer: its marks count characters, which the edits need.
    root = yaml.compose(text, Loader=yaml.SafeLoader)
    if isinstance(root, yaml.MappingNode):  # the `sources: [...]` form
        root = next(v for k, v in root.value if k.value == "sources")
    assert isinstance(root, yaml.SequenceNode)
    edits: list[tuple[int, int, str]] = []
    pins: list[Pin] = []
    for entry in root.value:
        keys = {k.value: (k, v) for k, v in entry.value}
        source = corpus.sources[keys["id"][1].value.strip()]
        digest = content_key(read_bytes(source.path, CorpusError))  # the file's sha256
        pins.append(Pin(source.id, digest, source.sha256))
        if "sha256" in keys:
            value = keys["sha256"][1]
            if str(value.value).lower() != digest:
                edits.append((value.start_mark.index, value.end_mark.index, digest))
            continue
        file_key, file_value = keys["file"]
        if entry.flow_style:  # {id: a, file: b}
            at = file_value.end_mark.index
            edits.append((at, at, f", sha256: {digest}"))
        else:
            eol = text.find("\n", file_value.end_mark.index)
            at = len(text) if eol < 0 else eol
            indent = " " * file_key.start_mark.column
            edits.append((at, at, f"\n{indent}sha256: {digest}"))
    for start, end, new in sorted(edits, reverse=True):
        text = text[:start] + new + text[end:]
    if edits:
        out = text.replace("\n", "\r\n") if crlf else text
        write_atomic(corpus.sources_file, (b"\xef\xbb\xbf" if bom else b"") + out.encode("utf-8"))
    return Lock(corpus.sources_file, pins, bool(edits))
