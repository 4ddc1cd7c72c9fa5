"""A YAML file -> a node tree whose every node knows its line and column.

PyYAML's composer gives nodes with start marks, which is what located error messages need.
Before composing, one pass over the event stream bounds the nesting depth (libyaml's composer
recurses and crashes on very deep input) and refuses aliases (no outline or sources.yaml needs
them, and expanding them is how "billion laughs" documents explode).
"""

from __future__ import annotations

import bisect
import os
import re
import stat
from collections.abc import Callable, Iterator
from pathlib import Path

import yaml

from report.errors import Location, ReportError, ReportErrors
from report.inert import inert

MAX_DEPTH = 64

# `quote: "Some country" is, of course` is the commonest YAML mistake in an outline: a
# value that begins with a quotation mark is read as a quoted string that ends too early.
_QUOTED_START = re.compile(r"""^\s*(?:-\s+)?[\w-]+:\s*(["'])[^"']*\1\s*[^\s#]""")
_QUOTED_START_HINT = (
    " (a value that begins with a quotation mark must be quoted as a whole, "
    "e.g. quote: '\"Some country\" is ...', or written as a block after `quote: >-`)"
)

_TAB_HINT = " (a tab in the indentation: YAML indents with spaces only)"
# `quote: [T]he plan` (SPEC's own alteration) or `{...}`: YAML reads a list or a mapping.
_FLOW_START = re.compile(r"^\s*(?:-\s+)?[\w-]+:\s*[\[{]")
_FLOW_START_HINT = (
    " (a value that begins with [ or { must be quoted as a whole, e.g. quote: '[T]he plan "
    "...', or written as a block after `quote: >-`)"
)
# `quote: Putin said: we will win`: a second `: ` in a plain value.
_COLON_IN_VALUE = re.compile(r"^\s*(?:-\s+)?[\w-]+:\s+[^'\"\s].*:(?:\s|$)")
_COLON_HINT = (
    " (a value with `: ` in it must be quoted as a whole, or written as a block after `quote: >-`)"
)
# What PyYAML and libyaml say when a line is indented more or less than its siblings.
_INDENT_PROBLEMS = (
    "did not find expected key",
    "did not find expected '-' indicator",
    "expected <block end>",
    "mapping values are not allowed",
)
_INDENT_HINT = (
    " (check this line's indentation against the lines above: the keys of one item, such "
    "as `source:` and `quote:`, start in the same column)"
)

try:  # libyaml is much faster; fall back to the pure-Python parser where it is missing
    _Loader: type = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - depends on how PyYAML was built
    _Loader = yaml.SafeLoader


def read_text(
    path: Path, error: type[ReportError], max_bytes: int | None = None, shown: str | None = None
) -> str:
    """Read a UTF-8 file (BOM allowed, CRLF folded to LF); errors name the file and byte."""
    shown = shown or str(path)
    return decode_text(read_bytes(path, error, max_bytes, shown), shown, error)


def read_bytes(
    path: Path, error: type[ReportError], max_bytes: int | None = None, shown: str | None = None
) -> bytes:
    """A regular file's bytes; a missing, unreadable, special or too large file is an
    `error` naming it."""
    shown = shown or str(path)
    try:
        # Non-blocking open and a check of what was opened: a FIFO or /dev/zero given as an
        # outline would otherwise block for ever or never end.
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        with os.fdopen(fd, "rb") as fh:
            info = os.fstat(fd)
            if stat.S_ISDIR(info.st_mode):
                raise IsADirectoryError
            if not stat.S_ISREG(info.st_mode):
                raise error("not a regular file", Location(shown))
            if max_bytes is not None and info.st_size > max_bytes:  # refused before reading
                raise error(f"file is larger than {max_bytes // (1024 * 1024)} MB", Location(shown))
            data = fh.read(-1 if max_bytes is None else max_bytes + 1)
    except FileNotFoundError:
        raise error("no such file", Location(shown)) from None
    except IsADirectoryError:
        raise error("is a folder, not a file", Location(shown)) from None
    except OSError as exc:
        raise error(f"cannot read: {exc.strerror}", Location(shown)) from None
    except ValueError:  # a NUL byte in the path
        raise error("not a valid file name", Location(shown.replace("\x00", "\\0"))) from None
    if max_bytes is not None and len(data) > max_bytes:
        raise error(f"file is larger than {max_bytes // (1024 * 1024)} MB", Location(shown))
    return data


def decode_text(data: bytes, shown: str, error: type[ReportError]) -> str:
    """UTF-8 bytes (BOM allowed) -> text with CRLF folded to LF; no NUL bytes."""
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


MAX_ERRORS = 50  # per file: a broken file must not print a million lines


class ErrorList(list[ReportError]):
    """The input errors of one file; after MAX_ERRORS it only counts them."""

    def __init__(self, file: str) -> None:
        super().__init__()
        self.file = file
        self.dropped = 0

    def add(self, error: ReportError) -> None:
        if len(self) < MAX_ERRORS:
            self.append(error)
        else:
            self.dropped += 1

    def exception(self, kind: type[ReportError]) -> ReportError:
        """One error, or all of them (and how many were left out) for one abort."""
        errors = list(self)
        if self.dropped:
            errors.append(kind(f"... and {self.dropped} more errors", Location(self.file)))
        return errors[0] if len(errors) == 1 else ReportErrors(errors)


def shown(value: object, limit: int = 60) -> str:
    """A value from the input as a message quotes it: one line, control characters
    escaped (a line break or an ESC in a key must not break a message or a terminal)."""
    text = str(value)
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    return inert(text, unprintable=True)


def one_line(value: str) -> bool:
    """True when `value` can stand in a message as it is (an id, a file name)."""
    return value.isprintable()


def load_data(text: str) -> object:
    """Plain Python data from YAML text already checked by compose_yaml (no aliases, depth
    bounded), to compare two versions of a file by what they say."""
    return yaml.load(text, Loader=_Loader)


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
                    f"YAML aliases (*{event.anchor}) are not allowed here",
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
    except yaml.YAMLError as exc:
        raise _yaml_error(exc, text, file, error) from None


def list_items(
    text: str, file: str, error: type[ReportError], key: str
) -> Iterator[yaml.Node] | None:
    """The items of a YAML document that is one list (or one `key:` holding a list), one
    node tree at a time, so that a file of 100,000 entries never has all its nodes in
    memory at once; None when the document is not of that shape (compose_yaml then says
    what it is). Aliases and nesting deeper than MAX_DEPTH are refused as compose_yaml
    refuses them. Scalars are tagged as strings or nulls only: this is for files whose
    values are all read as text (sources.yaml)."""
    events = yaml.parse(text, Loader=_Loader)
    try:
        head = [next(events) for _ in range(3)]  # stream start, document start, the root
        if isinstance(head[2], yaml.MappingStartEvent):
            name, start = next(events), next(events)
            if not (
                isinstance(name, yaml.ScalarEvent)
                and name.value == key
                and isinstance(start, yaml.SequenceStartEvent)
            ):
                return None
        elif not isinstance(head[2], yaml.SequenceStartEvent):
            return None
    except StopIteration:
        return None
    except yaml.YAMLError as exc:
        raise _yaml_error(exc, text, file, error) from None
    return _items(events, head[2], text, file, error)


def _items(events, root, text: str, file: str, error: type[ReportError]) -> Iterator[yaml.Node]:
    try:
        for event in events:
            if isinstance(event, yaml.SequenceEndEvent):
                break
            yield _node(event, events, file, error, 2)
        if isinstance(root, yaml.MappingStartEvent):
            end = next(events)
            if not isinstance(end, yaml.MappingEndEvent):
                compose_yaml(text, file, error)  # what is wrong in the rest is told first
                raise error("no other key is allowed here", mark_location(file, end.start_mark))
        rest = list(events)
        if len(rest) != 2:  # document end, stream end: else a second document
            raise error("invalid YAML: expected a single document", Location(file))
    except yaml.YAMLError as exc:
        raise _yaml_error(exc, text, file, error) from None


_NULLS = {"", "~", "null", "Null", "NULL"}
_STR, _NULL = "tag:yaml.org,2002:str", "tag:yaml.org,2002:null"
_SEQ, _MAP = "tag:yaml.org,2002:seq", "tag:yaml.org,2002:map"


def is_null(node: yaml.Node) -> bool:
    """Whether a composed node is YAML's null (`~`, `null`, or nothing at all)."""
    return isinstance(node, yaml.ScalarNode) and node.tag == _NULL


def node_kind(node: yaml.Node) -> str:
    """What a node is, for a message about a value of the wrong kind."""
    if isinstance(node, yaml.MappingNode):
        return "a mapping"
    if isinstance(node, yaml.SequenceNode):
        return "a list"
    if is_null(node):
        return "nothing"
    return f"'{shown(node.value, 40)}'"


def _node(event, events, file: str, error: type[ReportError], depth: int) -> yaml.Node:
    """The node tree that begins with `event` (compose's work, for list_items)."""
    if isinstance(event, yaml.ScalarEvent):
        tag = event.tag or (_NULL if event.implicit[0] and event.value in _NULLS else _STR)
        return yaml.ScalarNode(tag, event.value, event.start_mark, event.end_mark, event.style)
    if isinstance(event, yaml.AliasEvent):
        raise error(
            f"YAML aliases (*{event.anchor}) are not allowed here",
            mark_location(file, event.start_mark),
        )
    if depth >= MAX_DEPTH:
        raise error(f"nested deeper than {MAX_DEPTH} levels", mark_location(file, event.start_mark))
    values: list = []
    if isinstance(event, yaml.SequenceStartEvent):
        for item in events:
            if isinstance(item, yaml.SequenceEndEvent):
                return yaml.SequenceNode(
                    event.tag or _SEQ, values, event.start_mark, item.end_mark, event.flow_style
                )
            values.append(_node(item, events, file, error, depth + 1))
    elif isinstance(event, yaml.MappingStartEvent):
        for item in events:
            if isinstance(item, yaml.MappingEndEvent):
                return yaml.MappingNode(
                    event.tag or _MAP, values, event.start_mark, item.end_mark, event.flow_style
                )
            key = _node(item, events, file, error, depth + 1)
            values.append((key, _node(next(events), events, file, error, depth + 1)))
    raise error("invalid YAML: unexpected end", mark_location(file, event.start_mark))


def _yaml_error(exc: yaml.YAMLError, text: str, file: str, error: type[ReportError]) -> ReportError:
    """A located input error for what PyYAML could not read, with a hint at the usual
    mistake on that line."""
    if isinstance(exc, yaml.reader.ReaderError):  # a character YAML does not allow, e.g. \x01
        line = text.count("\n", 0, exc.position) + 1
        column = exc.position - (text.rfind("\n", 0, exc.position) + 1) + 1
        char = exc.character if isinstance(exc.character, str) else chr(exc.character)
        return error(
            f"invalid YAML: character U+{ord(char):04X} is not allowed ({exc.reason})",
            Location(file, line, column),
        )
    if isinstance(exc, yaml.MarkedYAMLError):
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or exc.context or "invalid YAML"
        lines = text.split("\n")
        line = lines[mark.line] if mark is not None and mark.line < len(lines) else ""
        if _QUOTED_START.match(line):
            problem += _QUOTED_START_HINT
        elif "\t" in line[: len(line) - len(line.lstrip())]:
            problem += _TAB_HINT
        elif _FLOW_START.match(line):
            problem += _FLOW_START_HINT
        elif "mapping values are not allowed" in problem and _COLON_IN_VALUE.match(line):
            problem += _COLON_HINT
        elif any(p in problem for p in _INDENT_PROBLEMS):
            problem += _INDENT_HINT
        return error(f"invalid YAML: {problem}", mark_location(file, mark))
    return error(f"invalid YAML: {str(exc).splitlines()[0]}", Location(file))


def line_starts(text: str) -> list[int]:
    """The offset at which each line of `text` starts."""
    return [0] + [m.end() for m in re.finditer("\n", text)]


def scalar_locator(
    text: str, node: yaml.ScalarNode, file: str, starts: list[int] | None = None
) -> Callable[[int], Location]:
    """offset in a scalar's value -> where that character stands in the file.

    A folded (`>`) or plain scalar joins its lines with spaces, a quoted one decodes escapes
    (`\\"`, `''`, `\\u00e9`) and drops escaped line breaks, every block scalar drops its
    indentation: the value and the file's text differ. They are aligned here: every
    character of the value that is not white space is the next such character of the file
    (after decoding an escape), and white space lies where the file has it. A message about
    words inside a paragraph of an outline can then name their own line and column.
    `starts` are line_starts(text), when the caller keeps them for many scalars."""
    starts = starts if starts is not None else line_starts(text)
    begin = _offset(starts, node.start_mark)
    end = min(len(text), _offset(starts, node.end_mark))
    style = node.style or ""
    if style in ("'", '"'):
        begin += 1  # the opening quotation mark
    elif style in ("|", ">"):
        newline = text.find("\n", begin, end)  # the header line: indicators and a comment
        begin = end if newline < 0 else newline + 1
    units = list(_scalar_units(text, begin, end, style))
    value = str(node.value)
    places: list[int] = []
    k = 0
    for ch in value:
        if ch.isspace():  # folded or indented: it lies where the file's white space does
            places.append(units[k][0] if k < len(units) else end)
            if k < len(units) and units[k][1].isspace():
                k += 1
            continue
        while k < len(units) and units[k][1] != ch:
            k += 1
        if k >= len(units):  # cannot happen for a scalar the parser read; stay in range
            places.append(places[-1] if places else begin)
            continue
        places.append(units[k][0])
        k += 1

    def locate(offset: int) -> Location:
        at = places[offset] if 0 <= offset < len(places) else (places[-1] if places else begin)
        line = bisect.bisect_right(starts, at) - 1
        return Location(file, line + 1, at - starts[line] + 1)

    return locate


def _offset(starts: list[int], mark: yaml.Mark) -> int:
    if mark.line >= len(starts):
        return starts[-1]
    return starts[mark.line] + mark.column


_ESCAPE_WIDTH = {"x": 4, "u": 6, "U": 10}
_ESCAPES = {
    "0": "\0", "a": "\a", "b": "\b", "t": "\t", "\t": "\t", "n": "\n", "v": "\v", "f": "\f",
    "r": "\r", "e": "\x1b", " ": " ", '"': '"', "/": "/", "\\": "\\", "N": "\x85",
    "_": "\xa0", "L": "\u2028", "P": "\u2029",
}  # fmt: skip


def _scalar_units(text: str, begin: int, end: int, style: str) -> Iterator[tuple[int, str]]:
    """(offset in the file, the character it stands for) for a scalar's text."""
    i = begin
    while i < end:
        ch = text[i]
        if style == '"' and ch == "\\" and i + 1 < end:
            code = text[i + 1]
            if code == "\n":  # an escaped line break stands for nothing
                i += 2
                continue
            width = _ESCAPE_WIDTH.get(code, 2)
            try:
                decoded = chr(int(text[i + 2 : i + width], 16)) if width > 2 else _ESCAPES[code]
            except (KeyError, ValueError):
                decoded = code
            yield i, decoded
            i += width
            continue
        if style == "'" and ch == "'" and text[i + 1 : i + 2] == "'":
            yield i, "'"
            i += 2
            continue
        yield i, ch
        i += 1
