"""A YAML file -> a node tree whose every node knows its line and column.

PyYAML's composer gives nodes with start marks, which is what located error messages need.
Before composing, one pass over the event stream bounds the nesting depth (libyaml's composer
recurses and crashes on very deep input) and refuses aliases (no outline or sources.yaml needs
them, and expanding them is how "billion laughs" documents explode).
"""

from __future__ import annotations

from pathlib import Path

import yaml

from report.errors import Location, ReportError

MAX_DEPTH = 64

try:  # libyaml is much faster; fall back to the pure-Python parser where it is missing
    _Loader: type = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - depends on how PyYAML was built
    _Loader = yaml.SafeLoader


def read_text(path: Path, error: type[ReportError], max_bytes: int | None = None) -> str:
    """Read a UTF-8 file (BOM allowed, CRLF folded to LF); errors name the file and byte."""
    return decode_text(read_bytes(path, error, max_bytes), str(path), error)


def read_bytes(path: Path, error: type[ReportError], max_bytes: int | None = None) -> bytes:
    shown = str(path)
    try:
        if max_bytes is not None and path.stat().st_size > max_bytes:
            raise error(f"file is larger than {max_bytes // (1024 * 1024)} MB", Location(shown))
        return path.read_bytes()
    except FileNotFoundError:
        raise error("no such file", Location(shown)) from None
    except IsADirectoryError:
        raise error("is a folder, not a file", Location(shown)) from None
    except OSError as exc:
        raise error(f"cannot read: {exc.strerror}", Location(shown)) from None


def decode_text(data: bytes, shown: str, error: type[ReportError]) -> str:
    """UTF-8 bytes -> text (BOM allowed, CRLF folded to LF), or `error` naming the byte."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise error(
            f"not UTF-8 text: invalid byte 0x{data[exc.start]:02x} at byte offset {exc.start}",
            Location(shown, line),
        ) from None
    if "\x00" in text:
        line = text.count("\n", 0, text.index("\x00")) + 1
        raise error("not a text file (contains NUL bytes)", Location(shown, line))
    return text.replace("\r\n", "\n").replace("\r", "\n")


def mark_location(file: str, mark: yaml.Mark | None) -> Location:
    if mark is None:
        return Location(file)
    return Location(file, mark.line + 1, mark.column + 1)


def compose_yaml(text: str, file: str, error: type[ReportError]) -> yaml.Node | None:
    try:
        depth = 0
        for event in yaml.parse(text, Loader=_Loader):
            if isinstance(event, yaml.AliasEvent):
                raise error(
                    f"aliases are not allowed in an outline (*{event.anchor})",
                    mark_location(file, event.start_mark),
                )
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > MAX_DEPTH:
                    raise error(
                        f"nested deeper than {MAX_DEPTH} levels",
                        mark_location(file, event.start_mark),
                    )
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
        return yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or exc.context or "invalid YAML"
        raise error(f"invalid YAML: {problem}", mark_location(file, mark)) from None
    except yaml.YAMLError as exc:
        raise error(f"invalid YAML: {exc}", Location(file)) from None
