"""A corpus folder -> sources.yaml with every source pinned to the sha256 of its file: `report
lock`.

A pin says "this brief was checked against exactly these bytes". When the file changes (a
re-download, a new PDF version, a stray edit) every quote from it fails as "source changed"
(report.verify.source_changed) until someone has re-read the quotes and run `report lock`
again.

`lock` edits sources.yaml as text: it replaces the value of each `sha256:` line, or inserts
one after the entry's `file:` line at the entry's indentation and with the file's own line
ending (LF, CRLF, CR, NEL, LS or PS), and leaves every other byte alone (comments, quoting,
key order, blank lines). The result must read back as the same entries plus their pins, or
nothing is written. A YAML round-trip (ruamel.yaml) would bring a new
dependency and still re-flow long titles and re-indent lists; the node positions PyYAML gives
are all this edit needs.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from report.atomic import write_atomic
from report.cache import content_key
from report.corpus import load_corpus
from report.errors import CorpusError, Location
from report.yamlfile import compose_yaml, load_data, read_bytes


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


# What YAML counts as a line break (YAML 1.1, as PyYAML and libyaml read it): a mark's line
# number counts these, so the edits must too.
_BREAK = re.compile("\r\n|[\r\n\x85\u2028\u2029]")
_BOM = b"\xef\xbb\xbf"


def lock(directory: Path | str) -> Lock:
    """Pin every source of the corpus folder to the sha256 of its file now."""
    corpus = load_corpus(directory)  # validates sources.yaml and that every file exists
    data = read_bytes(corpus.sources_file, CorpusError)
    bom = data.startswith(_BOM)
    # Decoded as it is: line endings (LF, CRLF, CR, NEL, LS, PS) are kept, byte for byte.
    text = data.decode("utf-8-sig")
    shown = os.path.relpath(corpus.sources_file)
    root = compose_yaml(text, shown, CorpusError)  # the parser load_corpus used
    if isinstance(root, yaml.MappingNode):  # the `sources: [...]` form
        root = next(v for k, v in root.value if k.value == "sources")
    assert isinstance(root, yaml.SequenceNode)
    # Marks give line and column; both parsers count columns in characters, while their
    # `index` differ (libyaml's counts bytes in some versions): offsets come from lines.
    starts = [0, *(m.end() for m in _BREAK.finditer(text))]

    def offset(mark: yaml.Mark) -> int:
        return starts[mark.line] + mark.column

    first_break = _BREAK.search(text)
    default_break = first_break.group() if first_break else "\n"
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
                edits.append((offset(value.start_mark), offset(value.end_mark), digest))
            continue
        file_value = keys["file"][1]
        if entry.flow_style:  # {id: a, file: b}
            at = offset(file_value.end_mark)
            edits.append((at, at, f", sha256: {digest}"))
            continue
        # A new line at the mapping's own indentation (the column of its first key, which
        # an explicit `? file` key does not start at), with the line ending the file uses.
        indent = " " * entry.start_mark.column
        if file_value.style in ("|", ">"):  # a block scalar ends at the start of a line
            at = offset(file_value.end_mark)
            edits.append((at, at, f"{indent}sha256: {digest}{default_break}"))
            continue
        eol = _BREAK.search(text, offset(file_value.end_mark))
        at, newline = (eol.start(), eol.group()) if eol else (len(text), default_break)
        edits.append((at, at, f"{newline}{indent}sha256: {digest}"))
    new = text
    for start, end, insert in sorted(edits, reverse=True):
        new = new[:start] + insert + new[end:]
    if edits:
        _same_entries_plus_pins(text, new, {p.source_id: p.sha256 for p in pins}, shown)
        write_atomic(corpus.sources_file, (_BOM if bom else b"") + new.encode("utf-8"))
    return Lock(corpus.sources_file, pins, bool(edits))


def _same_entries_plus_pins(old: str, new: str, pins: dict[str, str], shown: str) -> None:
    """The edited sources.yaml must read as the old one with each entry's sha256 set: a
    layout the text edits do not foresee is an error, never a file written wrong."""

    def entries(text: str) -> list:
        data = load_data(text)
        return data["sources"] if isinstance(data, dict) else data  # type: ignore[index]

    try:  # a digest of digits only reads as a number: compared as text, in any case
        after = [{**e, "sha256": str(e.get("sha256")).lower()} for e in entries(new)]
    except (yaml.YAMLError, TypeError):
        after = None
    expected = [{**e, "sha256": pins[str(e["id"]).strip()].lower()} for e in entries(old)]
    if after != expected:
        raise CorpusError(
            "cannot add the sha256 pins without changing the rest of the file (an unusual "
            "layout): add a `sha256:` line to each entry by hand",
            Location(shown),
        )
