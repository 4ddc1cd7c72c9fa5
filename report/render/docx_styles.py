"""`templates/docx-styles.yaml` -> a validated Look: the Word file's page and styles.

The file is read like an outline (report.yamlfile: every node located, depth and aliases
bounded) and checked against its schema here, collecting every error with its line and
column before one abort, so that a designer's typo is an input error at its place and not a
traceback from deep inside python-docx. Values must lie in ranges a brief can use (Word
itself accepts wider ones): sizes 1-200 pt, spacing 0-200 pt, margins 0-10 cm, indents
-10 to 10 cm, line spacing 0.5-5 lines, letter spacing -10 to 10 pt.
"""

from __future__ import annotations

import difflib
import math
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from report.errors import Location, RenderError
from report.yamlfile import (
    ErrorList,
    compose_yaml,
    is_null,
    mark_location,
    node_kind,
    read_text,
    shown,
)

MAX_STYLES_BYTES = 1024 * 1024
MAX_STYLES = 300
PAGE_SIZES = {"A4": (21.0, 29.7), "Letter": (21.59, 27.94)}  # centimetres
MARGINS = ("top", "bottom", "left", "right")
ALIGNMENTS = ("left", "right", "center", "justify")
# key: (lowest, highest, what the number is)
NUMBERS = {
    "size": (1.0, 200.0, "a number of points"),
    "space_before": (0.0, 200.0, "a number of points"),
    "space_after": (0.0, 200.0, "a number of points"),
    "line_spacing": (0.5, 5.0, "a multiple of the line height"),
    "left_indent": (-10.0, 10.0, "a number of centimetres"),
    "right_indent": (-10.0, 10.0, "a number of centimetres"),
    "first_line_indent": (-10.0, 10.0, "a number of centimetres"),
    "letter_spacing": (-10.0, 10.0, "a number of points"),
}
MARGIN_RANGE = (0.0, 10.0, "a number of centimetres")
BOOLEANS = ("bold", "italic", "all_caps", "keep_with_next")
STYLE_KEYS = frozenset({"type", "based_on", "font", "color", "align", *NUMBERS, *BOOLEANS})
PARAGRAPH_ONLY = frozenset(
    {"align", "space_before", "space_after", "line_spacing", "left_indent", "right_indent",
     "first_line_indent", "keep_with_next"}
)  # fmt: skip
# Styles report.render.docx_footnotes adds when the document lacks them.
FOOTNOTE_STYLES = {"footnote text": "paragraph", "footnote reference": "character"}

_NUMBER = re.compile(r"[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?")
_COLOR = re.compile(r"#?([0-9A-Fa-f]{6})")
_BOOL = "tag:yaml.org,2002:bool"


@dataclass(frozen=True, slots=True)
class Style:
    """One style of the file: its checked values (numbers as floats, colours as RRGGBB),
    and where it is, for errors python-docx might still raise."""

    name: str
    values: dict[str, Any]
    where: Location


@dataclass(frozen=True, slots=True)
class Look:
    """The Word look read from docx-styles.yaml."""

    page_size: tuple[float, float] = PAGE_SIZES["A4"]  # width, height in cm
    margins: tuple[tuple[str, float], ...] = ()  # (side, cm)
    styles: tuple[Style, ...] = ()


def load_look(path: Path) -> Look:
    """Read and check docx-styles.yaml; raise RenderError (or ReportErrors, all at once)."""
    file = str(path)
    text = read_text(path, RenderError, MAX_STYLES_BYTES)
    root = compose_yaml(text, file, RenderError)
    return _Checker(file).look(root)


@cache
def builtin_styles() -> dict[str, str]:
    """The styles of python-docx's default document, by name: their type ("paragraph",
    "character", "table" or "list")."""
    import docx

    kinds = {1: "paragraph", 2: "character", 3: "table", 4: "list"}
    out = {s.name: kinds.get(int(s.type), "paragraph") for s in docx.Document().styles}
    return {**out, **FOOTNOTE_STYLES}


class _Checker:
    def __init__(self, file: str) -> None:
        self.file = file
        self.errors = ErrorList(file)

    def error(self, message: str, node: yaml.Node | None) -> None:
        self.errors.add(RenderError(message, self.loc(node)))

    def loc(self, node: yaml.Node | None) -> Location:
        return mark_location(self.file, node.start_mark if node is not None else None)

    def look(self, root: yaml.Node | None) -> Look:
        if root is None or is_null(root):
            raise RenderError(
                "the Word styles file is empty (expected `page:` and `styles:`)",
                Location(self.file, 1),
            )
        top = self.mapping(root, "the Word styles file", ("page", "styles"), "")
        page_size, margins = self.page(top.get("page"))
        styles = self.styles(top.get("styles"))
        if self.errors:
            self.errors.sort(
                key=lambda e: (e.location.line, e.location.column) if e.location else (0, 0)
            )
            raise self.errors.exception(RenderError)
        return Look(page_size, margins, styles)

    # -- shapes -----------------------------------------------------------------------

    def mapping(
        self, node: yaml.Node, what: str, allowed: tuple[str, ...] | frozenset[str], where: str
    ) -> dict[str, tuple[yaml.Node, yaml.Node]]:
        """{key: (key node, value node)}; unknown and duplicate keys are errors. `where`
        ends the messages: " in 'page'", " in style 'Normal'"."""
        if not isinstance(node, yaml.MappingNode):
            listed = ", ".join(sorted(allowed))
            self.error(f"{what} must be a mapping ({listed}), not {node_kind(node)}", node)
            return {}
        out: dict[str, tuple[yaml.Node, yaml.Node]] = {}
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
            if not isinstance(key, str) or key not in allowed:
                name = shown(key) if isinstance(key, str) else node_kind(key_node)
                hint = difflib.get_close_matches(str(key), sorted(allowed), n=1)
                also = f"did you mean '{hint[0]}'? " if hint else ""
                listed = ", ".join(sorted(allowed))
                self.error(f"unknown key '{name}'{where} ({also}allowed: {listed})", key_node)
            elif key in out:
                self.error(f"duplicate key '{key}'{where}", key_node)
            else:
                out[key] = (key_node, value_node)
        return out

    def number(self, node: yaml.Node, low: float, high: float, what: str, name: str) -> float:
        value = _number(node)
        if value is None or not low <= value <= high:
            self.error(
                f"{name} must be {what} from {low:g} to {high:g}, not {node_kind(node)}", node
            )
            return low
        return value

    # -- the page -----------------------------------------------------------------------

    def page(
        self, entry: tuple[yaml.Node, yaml.Node] | None
    ) -> tuple[tuple[float, float], tuple[tuple[str, float], ...]]:
        size, margins = PAGE_SIZES["A4"], ()
        if entry is None or is_null(entry[1]):
            return size, margins
        page = self.mapping(entry[1], "'page'", ("size", "margins"), " in 'page'")
        if "size" in page:
            node = page["size"][1]
            value = node.value if isinstance(node, yaml.ScalarNode) else None
            if value in PAGE_SIZES:
                size = PAGE_SIZES[value]
            else:
                self.error(f"the page 'size' must be A4 or Letter, not {node_kind(node)}", node)
        if "margins" in page and not is_null(page["margins"][1]):
            sides = self.mapping(page["margins"][1], "'margins'", MARGINS, " in 'margins'")
            low, high, what = MARGIN_RANGE
            margins = tuple(
                (side, self.number(sides[side][1], low, high, what, f"margin '{side}'"))
                for side in MARGINS
                if side in sides
            )
        return size, margins

    # -- the styles ---------------------------------------------------------------------

    def styles(self, entry: tuple[yaml.Node, yaml.Node] | None) -> tuple[Style, ...]:
        if entry is None or is_null(entry[1]):
            return ()
        node = entry[1]
        if not isinstance(node, yaml.MappingNode):
            self.error(
                f"'styles' must be a mapping of style names to looks, not {node_kind(node)}", node
            )
            return ()
        found: dict[str, tuple[yaml.Node, dict[str, tuple[yaml.Node, yaml.Node]]]] = {}
        for key_node, spec_node in node.value:
            name = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
            if not isinstance(name, str) or not name.strip() or not name.isprintable():
                self.error(
                    f"a style name must be text on one line, not {node_kind(key_node)}", key_node
                )
            elif len(name) > 100:
                self.error(f"style name '{shown(name)}' is longer than 100 characters", key_node)
            elif name in found:
                self.error(f"duplicate style '{shown(name)}'", key_node)
            elif len(found) == MAX_STYLES:
                self.error(f"more than {MAX_STYLES} styles", key_node)
                break
            elif is_null(spec_node):
                found[name] = (key_node, {})
            elif not isinstance(spec_node, yaml.MappingNode):
                self.error(
                    f"style '{shown(name)}' must be a mapping of keys to values, not "
                    f"{node_kind(spec_node)}",
                    spec_node,
                )
            else:
                spec = self.mapping(spec_node, "a style", STYLE_KEYS, f" in style '{shown(name)}'")
                found[name] = (key_node, spec)
        kinds = self.kinds(found)
        self.chains(found)
        return tuple(
            Style(name, self.values(name, spec, kinds[name]), self.loc(key_node))
            for name, (key_node, spec) in found.items()
        )

    def kinds(self, found: dict[str, Any]) -> dict[str, str]:
        """Each style's type: a built-in style's own, else its `type` (paragraph unless
        said)."""
        builtin = builtin_styles()
        kinds: dict[str, str] = {}
        for name, (_, spec) in found.items():
            kind = "paragraph"
            if "type" in spec:
                node = spec["type"][1]
                value = node.value if isinstance(node, yaml.ScalarNode) else None
                if value in ("paragraph", "character"):
                    kind = value
                else:
                    self.error(
                        f"'type' must be paragraph or character, not {node_kind(node)}", node
                    )
            kinds[name] = builtin.get(name, kind)
        return kinds

    def chains(self, found: dict[str, Any]) -> None:
        """`based_on` names a style that exists, and no style is based on itself."""
        builtin = builtin_styles()
        parent: dict[str, str] = {}
        for name, (_, spec) in found.items():
            if "based_on" not in spec:
                continue
            node = spec["based_on"][1]
            value = node.value if isinstance(node, yaml.ScalarNode) else None
            if not isinstance(value, str) or (value not in found and value not in builtin):
                self.error(
                    f"'based_on' names no style: {node_kind(node)} (a built-in Word style or one "
                    "of this file)",
                    node,
                )
            else:
                parent[name] = value
        reported: set[str] = set()
        for name in parent:
            chain = [name]
            while chain[-1] in parent and parent[chain[-1]] not in chain:
                chain.append(parent[chain[-1]])
            if chain[-1] in parent and parent[chain[-1]] == name and name not in reported:
                reported.update(chain)
                path = " -> ".join([*chain, name])
                self.error(f"style '{shown(name)}' is based on itself ({path})", found[name][0])

    def values(self, name: str, spec: dict[str, Any], kind: str) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key, (key_node, node) in spec.items():
            if key in PARAGRAPH_ONLY and kind != "paragraph":
                self.error(
                    f"'{key}' is for paragraph styles; '{shown(name)}' is a {kind} style", key_node
                )
            elif key in NUMBERS:
                low, high, what = NUMBERS[key]
                out[key] = self.number(node, low, high, what, f"'{key}'")
            elif key in BOOLEANS:
                if isinstance(node, yaml.ScalarNode) and node.tag == _BOOL:
                    out[key] = yaml.constructor.SafeConstructor.bool_values[node.value.lower()]
                else:
                    self.error(f"'{key}' must be true or false, not {node_kind(node)}", node)
            elif key == "color":
                value = node.value if isinstance(node, yaml.ScalarNode) else ""
                match = _COLOR.fullmatch(str(value))
                if match:
                    out[key] = match.group(1).upper()
                else:
                    self.error(
                        "'color' must be six hex digits (RRGGBB, e.g. 1F3A5F), "
                        f"not {node_kind(node)}",
                        node,
                    )
            elif key == "align":
                value = node.value if isinstance(node, yaml.ScalarNode) else None
                if value in ALIGNMENTS:
                    out[key] = value
                else:
                    self.error(
                        f"'align' must be left, right, center or justify, not {node_kind(node)}",
                        node,
                    )
            elif key == "font":
                value = node.value.strip() if isinstance(node, yaml.ScalarNode) else ""
                if value and len(value) <= 64 and value.isprintable():
                    out[key] = value
                else:
                    self.error(f"'font' must be a font name, not {node_kind(node)}", node)
            elif key in ("based_on", "type"):  # checked with the other styles
                out[key] = node.value if isinstance(node, yaml.ScalarNode) else None
        return out


def _number(node: yaml.Node) -> float | None:
    if not isinstance(node, yaml.ScalarNode) or not _NUMBER.fullmatch(node.value.strip()):
        return None
    value = float(node.value)
    return value if math.isfinite(value) else None
