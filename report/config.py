"""A project's settings file (report.toml, or [tool.report] in pyproject.toml) -> the defaults
of the command-line options, each with the place that set it.

The file is looked for from the working folder upwards, as ruff and black look for theirs:
the nearest folder that has either wins, and in one folder report.toml wins over
pyproject.toml. A value is taken from, first wins: the command line, an environment variable
(REPORT_CACHE_DIR, REPORT_DATABASE_URL), the settings file, the built-in default. That is
click's own order once the file's values are its `default_map` (report.cli).

Paths in the file are relative to the file's folder. An unknown key or a value of the wrong
kind is an input error located at its line (tomllib keeps no positions: the key is found
again in the file's text).
"""

from __future__ import annotations

import difflib
import json
import os
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from report.errors import ConfigError, Location, ReportError, ReportErrors
from report.model import DocxTemplate
from report.render import DEFAULT_PDF_VARIANT
from report.yamlfile import shown

if TYPE_CHECKING:
    from report.model import OutlineDefaults

CONFIG_FILE = "report.toml"
PYPROJECT = "pyproject.toml"
MAX_CONFIG_BYTES = 1024 * 1024

_CHECKING = ("check", "build", "audit")


@dataclass(frozen=True, slots=True)
class Key:
    """A setting: its name in the file, the kind of value, and the parameter it is the
    default of in each command."""

    name: str
    kind: str  # "path", "bool", "text", "format", "pdf-variant", "style", "lang", "template"
    params: dict[str, str]  # command -> the name of its parameter
    default: Any  # the value when nothing sets it; None: see `unset`
    unset: str = ""  # what applies when it is not set and has no one default
    envvar: str | None = None


KEYS: dict[str, Key] = {
    k.name: k
    for k in (
        Key(
            "corpus",
            "path",
            {c: "corpus_dir" for c in (*_CHECKING, "find", "lock")},
            None,
            "each outline's own (`corpus:`, else corpus/ beside outlines/); find and lock: corpus/",
        ),
        Key("out", "path", {"build": "out_dir"}, "out"),
        Key("strict", "bool", {c: "strict" for c in _CHECKING}, False),
        Key("format", "format", {c: "fmt" for c in (*_CHECKING, "ledger")}, "text"),
        Key(
            "cache-dir",
            "path",
            {c: "cache_dir" for c in (*_CHECKING, "find")},
            None,
            ".report-cache/ beside the corpus folder",
            envvar="REPORT_CACHE_DIR",
        ),
        Key(
            "database",
            "text",
            {c: "database" for c in ("check", "build", "find")},
            None,
            "none: sources are read from the corpus folder",
            envvar="REPORT_DATABASE_URL",
        ),
        # What an outline does not say itself (report.model.OutlineDefaults): an outline's
        # own `style:`, `lang:` and `docx_template:` win over these.
        Key("style", "style", {}, None, "the outline's `style:`, else chicago-notes"),
        Key("lang", "lang", {}, None, "the outline's `lang:`, else en"),
        Key("template", "template", {}, None, "the outline's `docx_template:`, else none"),
        Key("pdf-variant", "pdf-variant", {"build": "pdf_variant"}, DEFAULT_PDF_VARIANT),
    )
}


@dataclass(frozen=True, slots=True)
class Setting:
    """A value the settings file gives, as the commands take it, and where it is written."""

    value: Any
    location: Location


@dataclass(frozen=True, slots=True)
class Config:
    """The settings file found (None: none) and the values it sets."""

    file: Path | None = None
    settings: dict[str, Setting] | None = None

    def get(self, key: str) -> Any:
        """The file's value for `key`, or None (the environment is the caller's to ask)."""
        setting = (self.settings or {}).get(key)
        return setting.value if setting is not None else None

    def outline_defaults(self) -> OutlineDefaults:
        """The style, language and Word template of outlines that name none."""
        from report.model import OutlineDefaults

        style, template = self.get("style"), self.get("template")
        if style is not None:
            from report.cite import resolve_style

            style = resolve_style(style, Path.cwd(), self.settings["style"].location, ConfigError)
        if template is not None:
            template = DocxTemplate(Path(template).resolve(), self.settings["template"].location)
        return OutlineDefaults(style=style, lang=self.get("lang"), docx_template=template)

    def default_map(self) -> dict[str, dict[str, Any]]:
        """The file's values as click's default_map: command -> parameter -> value."""
        out: dict[str, dict[str, Any]] = {}
        for name, setting in (self.settings or {}).items():
            for command, param in KEYS[name].params.items():
                out.setdefault(command, {})[param] = setting.value
        return out


@dataclass(frozen=True, slots=True)
class Effective:
    """What a key comes to where no command-line flag sets it, and what set it."""

    key: str
    value: Any  # None: not set, `unset` says what applies
    origin: str  # "report.toml:3:1", "environment REPORT_CACHE_DIR", "default"
    unset: str = ""


def load_config(start: Path | None = None) -> Config:
    """The settings of the nearest settings file at or above `start` (the working folder)."""
    found = find_config_file(Path.cwd() if start is None else start)
    if found is None:
        return Config()
    path, text, table, header = found
    return Config(path, _settings(path, text, table, header))


def find_config_file(start: Path) -> tuple[Path, str, dict[str, Any], str] | None:
    """The nearest settings file: its path, text, the table of settings and its header."""
    start = start.absolute()
    for folder in (start, *start.parents):
        own = folder / CONFIG_FILE
        if own.is_file():
            text = _read(own)
            return own, text, _parse(own, text), ""
        pyproject = folder / PYPROJECT
        if pyproject.is_file():
            text = _read(pyproject)
            table = _tool_report(pyproject, text)
            if table is not None:
                return pyproject, text, table, "tool.report"
    return None


def effective(config: Config, environ: dict[str, str] | os._Environ[str]) -> list[Effective]:
    """Every key's value and origin, environment before file before default."""
    out = []
    for key in KEYS.values():
        setting = (config.settings or {}).get(key.name)
        if key.envvar and environ.get(key.envvar):  # click ignores an empty variable too
            out.append(Effective(key.name, environ[key.envvar], f"environment {key.envvar}"))
        elif setting is not None:
            out.append(Effective(key.name, setting.value, str(setting.location)))
        else:
            out.append(Effective(key.name, key.default, "default", key.unset))
    return out


def shown_value(key: str, value: Any) -> Any:
    """A value as `report config` shows it: a database address without its password."""
    if key == "database" and isinstance(value, str):
        return hide_password(value)
    return value


def settings_json(config: Config, entries: list[Effective]) -> str:
    """`report config --format json`: the settings file, and each key's value and origin."""
    doc = {
        "file": str(config.file) if config.file else None,
        "settings": {
            e.key: {"value": shown_value(e.key, e.value), "origin": e.origin} for e in entries
        },
    }
    return json.dumps(doc, ensure_ascii=False, indent=2)


def hide_password(url: str) -> str:
    """A database address with its password shown as ***: in the user part or the query of
    a URL, or as `password=...` of libpq's keyword form (`host=db password=...`)."""
    if "://" not in url:
        return re.sub(r"(password\s*=\s*)('(?:[^'\\]|\\.)*'|\S+)", r"\1***", url)
    try:
        parts = urlsplit(url)
        query = parse_qsl(parts.query)
        if parts.password is None and not any(k == "password" for k, _ in query):
            return url  # as written (urlunsplit would drop the empty host of postgresql:///db)
        if parts.password is not None:
            host = parts.netloc.rsplit("@", 1)[1]
            parts = parts._replace(netloc=f"{parts.username}:***@{host}")
        query = [(k, "***" if k == "password" else v) for k, v in query]
        return urlunsplit(parts._replace(query=urlencode(query, safe="*")))
    except ValueError:  # not a URL after all: keep nothing that could be a secret
        return "***"


def _shown(path: Path) -> str:
    return os.path.relpath(path)


def _read(path: Path) -> str:
    where = Location(_shown(path))
    try:
        with path.open("rb") as f:
            data = f.read(MAX_CONFIG_BYTES + 1)
    except OSError as exc:
        raise ConfigError(f"cannot read the settings file: {exc.strerror}", where) from exc
    if len(data) > MAX_CONFIG_BYTES:
        raise ConfigError("a settings file may be at most 1 MB", where)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ConfigError(f"not UTF-8 text (byte {exc.start + 1})", where) from exc


_TOML_POSITION = re.compile(r"\s*\(at line (\d+), column (\d+)\)$|\s*\(at end of document\)$")


def _parse(path: Path, text: str) -> dict[str, Any]:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        m = _TOML_POSITION.search(message)
        line, column = (int(m.group(1)), int(m.group(2))) if m and m.group(1) else (0, 0)
        if m and not m.group(1):
            line = text.count("\n") + 1
        message = message[: m.start()] if m else message
        raise ConfigError(
            f"not valid TOML: {message[:1].lower()}{message[1:]}",
            Location(_shown(path), line, column),
        ) from None


_TOOL_REPORT_HEADER = re.compile(r"^\s*\[\s*tool\s*\.\s*report\s*\]", re.M)


def _tool_report(path: Path, text: str) -> dict[str, Any] | None:
    """pyproject.toml's [tool.report] table, or None when it has none. A pyproject.toml that
    is not valid TOML is an error only when it has the table: else it is another tool's."""
    if "report" not in text:  # most pyproject.toml files: not even parsed
        return None
    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        if _TOOL_REPORT_HEADER.search(text):
            _parse(path, text)  # raises, located
        return None
    tool = doc.get("tool")
    if not isinstance(tool, dict) or "report" not in tool:
        return None
    table = tool["report"]
    if not isinstance(table, dict):
        raise ConfigError("[tool.report] must be a table of settings", _locate(path, text, ""))
    return table


def _settings(path: Path, text: str, table: dict[str, Any], header: str) -> dict[str, Setting]:
    where = f"[{header}]" if header else CONFIG_FILE
    errors: list[ReportError] = []
    settings: dict[str, Setting] = {}
    for name, value in table.items():
        location = _locate(path, text, header, name)
        key = KEYS.get(name)
        if key is None:
            near = difflib.get_close_matches(name, list(KEYS), n=1)
            hint = f"did you mean '{near[0]}'? " if near else ""
            errors.append(
                ConfigError(
                    f"unknown key '{shown(name)}' in {where} ({hint}keys: {', '.join(KEYS)})",
                    location,
                )
            )
            continue
        value_location = _locate(path, text, header, name, value_column=True)
        try:
            settings[name] = Setting(_value(key, value, path.parent, value_location), location)
        except ConfigError as exc:
            errors.append(ConfigError(exc.message, exc.location or value_location))
    if errors:
        raise errors[0] if len(errors) == 1 else ReportErrors(errors)
    return settings


def _value(key: Key, value: Any, folder: Path, location: Location) -> Any:
    if key.kind == "bool":
        if not isinstance(value, bool):
            raise ConfigError(f"'{key.name}' must be true or false, not {_kind(value)}")
        return value
    if not isinstance(value, str) or not value.strip() or "\x00" in value:
        raise ConfigError(f"'{key.name}' must be {_WANTED[key.kind]}, not {_kind(value)}")
    if key.kind == "lang":
        import langcodes  # its registry data only when a language is named

        if "_" in value or not value.isprintable() or not langcodes.tag_is_valid(value.strip()):
            raise ConfigError(
                f"'lang' must be a BCP 47 language tag such as en, en-GB, fr or pt-BR, not "
                f"'{shown(value)}'"
            )
        return langcodes.standardize_tag(value.strip())
    if key.kind == "style":
        from report.cite import resolve_style  # raises, located, for an unknown style

        resolve_style(value, folder, location, ConfigError)
        if not value.strip().lower().endswith(".csl"):
            return value.strip()  # a bundled style's name, as written
    if key.kind in ("path", "style", "template"):
        path = Path(value.strip()).expanduser()
        # as if given here, on the command line; an absolute path stays one
        given = str(path) if path.is_absolute() else _shown(folder / path)
        if key.kind == "template":
            _check_template(Path(given), value)
        return given
    choices = _choices(key.kind)
    if choices is not None and value not in choices:
        raise ConfigError(f"'{key.name}' must be one of {', '.join(choices)}, not '{shown(value)}'")
    return value


def _check_template(path: Path, value: str) -> None:
    if path.suffix.lower() != ".docx":
        problem = "is not a Word document (.docx)"
    elif not path.is_file():
        problem = "does not exist" if not path.exists() else "is not a file"
    else:
        return
    raise ConfigError(f"template '{shown(value)}' {problem} ({path.resolve()})")


_WANTED = {
    "path": "a path (text)",
    "template": "the path of a Word document (.docx)",
    "lang": "a BCP 47 language tag such as en-GB",
    "text": "text",
    "style": "a citation style's name or a .csl file",
    "format": "one of the output formats (text)",
    "pdf-variant": "a PDF variant's name (text)",
}


def _choices(kind: str) -> list[str] | None:
    if kind == "format":
        from report.output import FORMATS

        return sorted(FORMATS)
    if kind == "pdf-variant":
        from report.render import PDF_VARIANTS  # names only: WeasyPrint is not imported

        return list(PDF_VARIANTS)
    return None


def _kind(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return f"'{shown(value)}'" if value.strip() else "empty text"
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, int | float):
        return f"the number {value}"
    return f"{type(value).__name__} {value!r}"


def _locate(
    path: Path, text: str, header: str, key: str = "", value_column: bool = False
) -> Location:
    """Where `key` (or, with no key, the table's header) is written: searched for in the
    table's part of the text; the file alone when it is written some other way (a dotted key,
    an inline table)."""
    lines = text.splitlines()
    shown = _shown(path)

    def table_header(dotted: str) -> re.Pattern[str]:
        return re.compile(
            r"^\s*\[\s*" + r"\s*\.\s*".join(map(re.escape, dotted.split("."))) + r"\s*\]"
        )

    first = 0
    if header:
        starts = [i for i, line in enumerate(lines) if table_header(header).match(line)]
        if not starts:
            return Location(shown)
        first = starts[0] + 1
        if not key:
            return Location(shown, first, 1)
    ends = [i for i in range(first, len(lines)) if re.match(r"^\s*\[", lines[i])]
    last = ends[0] if ends else len(lines)
    quoted = "|".join(re.escape(k) for k in (f'"{key}"', f"'{key}'", key))
    written = re.compile(rf"^(\s*)(?:{quoted})\s*=\s*")
    for i in range(first, last):
        m = written.match(lines[i])
        if m:
            column = m.end() if value_column else len(m.group(1))
            return Location(shown, i + 1, column + 1)
    # a table of its own: [key], or [tool.report.key]
    sub = table_header(f"{header}.{key}" if header else key)
    for i, line in enumerate(lines):
        if sub.match(line):
            return Location(shown, i + 1, 1)
    return Location(shown)


def describe(config: Config, entries: list[Effective], start: Path) -> list[str]:
    """`report config`'s lines: one `key = value  # origin` line a key, as TOML, so that a
    line can be copied into a report.toml (an unset key is a comment)."""
    import json

    if config.file is None:
        head = (
            f"# no settings file: neither {CONFIG_FILE} nor [tool.report] in {PYPROJECT} in "
            f"{start} or a folder above it"
        )
    else:
        table = " [tool.report]" if config.file.name == PYPROJECT else ""
        head = f"# settings file: {_shown(config.file)}{table}"
    lines = [
        head,
        "# first wins: command line, environment, settings file, default",
    ]
    for e in entries:
        if e.value is None:
            lines.append(f"# {e.key} = (not set: {e.unset})")
            continue
        value = shown_value(e.key, e.value)
        written = f"{e.key} = {json.dumps(value, ensure_ascii=False)}"
        lines.append(f"{written:<40}  # {e.origin}")
    return lines
