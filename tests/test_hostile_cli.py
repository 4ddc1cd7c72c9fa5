"""The command line's part of the hostile-input catalogue (tests/test_hostile_inputs.py): a
crash inside report, control characters on their way to a terminal or a CI log, quote
ledgers and `report lock` given bad input -> the right exit status, a located message, and
output that stays inert and well-formed in every `--format`.

The shape is the catalogue's: each `Case` edits the default project (and may return the
command line), names the exit status and a regex the output must contain. Here a case also
names the formats it runs in (`--format F` is appended to the command line for each), and
every run is held to the same rules: no traceback; no character a terminal or a log viewer
acts on (ESC, BEL, C1, U+2028, bidi overrides), in any stream; JSON and SARIF parse; JUnit
parses as XML 1.0; every line of the GitHub format is a workflow command or the summary; no
line begins as `no_line` says (a forged finding). A case runs in this process
(report.cli.main). A `crash` (a function of report made to raise) runs in its first format
in a process of its own, exit status 70 seen from outside, and in the others in this
process.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.conftest import invoke_report
from tests.test_hostile_inputs import (
    OUTLINE,
    QUOTE,
    SOURCE,
    SOURCES,
    Project,
    X,
    make_project,
    outline,
)

ROOT = Path(__file__).resolve().parent.parent
FORMATS = ("text", "json", "github", "junit", "sarif")
EXIT_SOFTWARE = 70

# What must never reach a terminal or a CI log raw (a definition of its own, not
# report.inert's: the test must not agree with the code by construction). Tab and line feed
# are the output's own layout.
RAW_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


@dataclass(frozen=True)
class Crash:
    """`module.name` made to raise `exc` (a Python expression) when called; `also` sets
    more attributes (module, name, value) first."""

    module: str
    name: str
    exc: str = "ZeroDivisionError('boom')"
    also: tuple[tuple[str, str, object], ...] = ()

    def prelude(self) -> str:
        """The same as Python run before the command line, in a process of its own."""
        lines = [f"import {m}\n{m}.{a} = {v!r}" for m, a, v in self.also]
        lines += [
            f"import {self.module} as _m",
            f"def _crash(*args, **kwargs):\n    raise {self.exc}",
            f"_m.{self.name} = _crash",
        ]
        return "\n".join(lines) + "\n"

    def patch(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """The same in this process, undone after the test."""
        import importlib

        for m, a, v in self.also:
            monkeypatch.setattr(importlib.import_module(m), a, v)

        def crash(*args: object, **kwargs: object) -> None:
            raise eval(self.exc)

        monkeypatch.setattr(importlib.import_module(self.module), self.name, crash)


@dataclass(frozen=True)
class Case:
    name: str
    build: Callable[[Project], object]
    code: int
    message: str | dict[str, str]  # a regex, or one per format
    formats: tuple[str, ...] = ("text",)
    forbid: tuple[str, ...] = ()
    no_line: str | None = None  # a regex no line of the output may match from its start
    after: Callable[[Path], None] | None = None
    args: tuple[str, ...] = field(default=("check", X))
    crash: Crash | None = None


@dataclass
class Result:
    code: int
    out: str
    err: str


def run(
    args: tuple[str, ...],
    cwd: Path,
    prelude: str = "",
    timeout: float = 60,
    env: dict[str, str] | None = None,
) -> Result:
    """`report ARGS` in this process (report.cli.main, as the `invoke` fixture runs it); with
    a `prelude`, `python -c` of its own runs the prelude and then the command line."""
    if not prelude:
        return invoke_report(*args, cwd=cwd, env={"REPORT_DEBUG": None, **(env or {})})
    extra = env or {}
    env = {k: v for k, v in os.environ.items() if k != "REPORT_DEBUG"}
    env.update(PYTHONPATH=str(ROOT), NO_COLOR="1", **extra)
    code = f"{prelude}\nfrom report.cli import main\nmain()"
    proc = subprocess.run(
        [sys.executable, "-c", code, *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        timeout=timeout,
    )
    # Undecodable bytes are shown, not fatal: the output must be UTF-8, which is checked.
    out, err = (b.decode("utf-8", "backslashreplace") for b in (proc.stdout, proc.stderr))
    return Result(proc.returncode, out, err)


def check_format(fmt: str, result: Result) -> None:
    """The output is a well-formed document of its format (or, for JSON on an input error or
    a crash, nothing at all)."""
    out = result.out
    if fmt == "json":
        if result.code in (0, 1):
            json.loads(out)
        else:
            assert out == "", out[:2000]
    elif fmt == "sarif":
        doc = json.loads(out)
        invocation = doc["runs"][0]["invocations"][0]
        assert invocation["exitCode"] == result.code
        assert invocation["executionSuccessful"] is (result.code in (0, 1))
    elif fmt == "junit":
        suites = ET.fromstring(out.encode())  # expat refuses what XML 1.0 forbids
        if result.code not in (0, 1):
            assert int(suites.get("errors", "0")) >= 1
    elif fmt == "github":
        lines = out.splitlines()
        commands = [line for line in lines if line.startswith("::")]
        if result.code in (0, 1):
            assert all(line.startswith("::") for line in lines[:-1]), out[:2000]
            assert re.match(r"\d+ quotes?: ", lines[-1]), lines[-1]
        else:
            assert commands and len(commands) == len(lines), out[:2000]


def _cases_by_format(cases: list[Case]) -> list[tuple[Case, str]]:
    return [(case, fmt) for case in cases for fmt in case.formats]


def run_case(case: Case, fmt: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Result:
    project = make_project(tmp_path)
    built = case.build(project)
    args = built if isinstance(built, tuple) else case.args
    if "--format" not in args and args[0] in ("check", "build", "ledger"):
        args = (*args, "--format", fmt)
    prelude = ""
    if case.crash is not None and fmt == case.formats[0]:
        prelude = case.crash.prelude()
    elif case.crash is not None:
        case.crash.patch(monkeypatch)
    result = run(args, tmp_path, prelude, timeout=120)  # only a hang stops it
    output = result.out + result.err
    assert "Traceback" not in output, output[-3000:]
    assert result.code == case.code, output[-3000:]
    message = case.message if isinstance(case.message, str) else case.message[fmt]
    assert re.search(message, output), output[-3000:]
    raw = RAW_CONTROL.search(output)
    assert raw is None, f"raw {raw.group()!r} in output: {output[-3000:]!r}"
    for text in case.forbid:
        assert text not in output, f"{text!r} in output"
    if case.no_line is not None:
        for line in output.splitlines():
            assert not re.match(case.no_line, line), f"forged line: {line!r}"
    check_format(fmt, result)
    if case.after is not None:
        case.after(tmp_path)
    return result


# -- 1. a crash is not a misquote -----------------------------------------------------------


CRASH_MESSAGE = r"report: internal error \(ZeroDivisionError: boom\): this is a bug in report"


# -- 2. what reaches a terminal or a CI log is inert --------------------------------------


def _renamed_outline(name: str) -> Callable[[Project], tuple[str, ...]]:
    def build(p: Project) -> tuple[str, ...]:
        p.outline(OUTLINE.replace("lazy dog", "lazy cat"), f"outlines/{name}")
        (p.root / X).unlink()
        return ("check", "outlines")

    return build


def _escapes_in_html(p: Project) -> None:
    p.source(
        "<html><body><main><p>Intro.</p><p>The &#x1b;]0;owned&#x7; quick brown \u202efox "
        "\x9b31m jumps over the lazy dog.</p></main></body></html>",
        "corpus/a.html",
    )
    p.sources(SOURCES.replace("a.txt", "a.html"))


def tounicode_pdf(codes: bytes, overrides: dict[int, int]) -> bytes:
    """A one-page PDF whose font's ToUnicode map sends the byte codes in `overrides` to the
    code points given (and printable ASCII to itself): a text layer can hold any character
    the PDF's author likes, whatever glyphs the page shows."""
    bfchar = "".join(f"<{c:02X}> <{u:04X}>\n" for c, u in overrides.items())
    cmap = (
        "/CIDInit /ProcSet findresource begin 12 dict begin begincmap\n"
        "/CMapName /Custom def /CMapType 2 def\n"
        "1 begincodespacerange <00> <FF> endcodespacerange\n"
        "1 beginbfrange <20> <7E> <0020> endbfrange\n"
        f"{len(overrides)} beginbfchar\n{bfchar}endbfchar\n"
        "endcmap CMapName currentdict /CMap defineresource pop end end\n"
    ).encode()
    content = b"BT /F1 12 Tf 72 720 Td (Intro.) Tj 0 -30 Td (" + codes + b") Tj ET\n"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"endstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /ToUnicode 6 0 R >>",
        b"<< /Length %d >>\nstream\n" % len(cmap) + cmap + b"endstream",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for n, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % n + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\n" % (len(objects) + 1)
    out += b"startxref\n%d\n%%%%EOF\n" % xref
    return bytes(out)


def _escapes_in_pdf(p: Project) -> None:
    codes = b"The \x01[31m\x02quick brown \x03fox \x04 jumps over a dog."
    p.source(tounicode_pdf(codes, {1: 0x1B, 2: 0x07, 3: 0x202E, 4: 0x9B}), "corpus/a.pdf")
    p.sources(SOURCES.replace("a.txt", "a.pdf"))


def _escapes_in_quote_and_speaker(p: Project) -> None:
    # YAML's "\e" and "\a" are ESC and BEL: an outline can carry them in any value.
    p.outline(
        outline(
            f'- source: a\n  quote: "the quick \\e[2J brown fox jumps"\n'
            f'- source: a\n  quote: {QUOTE}\n  speaker: "Bob \\e]0;owned\\a \\u202eBuilder"'
        )
    )


def _escaped_source_file_name(p: Project) -> None:
    name = "a\x1b]0;owned\x07\u202e.txt"
    (p.corpus / "a.txt").rename(p.corpus / name)
    p.sources(SOURCES.replace("file: a.txt", f'file: "{name.encode("unicode_escape").decode()}"'))
    p.outline(OUTLINE.replace("lazy dog", "lazy cat"))


def _find_in_escaped_source(p: Project) -> tuple[str, ...]:
    name = "a\x1b[31m\u202e.txt"
    p.source(SOURCE.replace("brown fox", "brown \u202efox"), f"corpus/{name}")
    (p.corpus / "a.txt").unlink()
    p.sources(SOURCES.replace("file: a.txt", f'file: "{name.encode("unicode_escape").decode()}"'))
    return ("find", "quick brown fox jumps", "--corpus", "corpus")


def _two_sources(p: Project) -> None:
    """Two named sources: two jobs, so that verification runs in forked workers."""
    p.source(SOURCE_B, "corpus/b.txt")
    p.sources(SOURCES + "- id: b\n  file: b.txt\n")
    p.outline(outline(f"- source: a\n  quote: {QUOTE}\n- source: b\n  quote: {QUOTE}"))


SOURCE_B = "Intro.\n\nHere too the quick brown fox jumps over the lazy dog.\n"


def _verbose_forged(p: Project) -> tuple[str, ...]:
    p.outline(OUTLINE, "outlines/fake.yaml:1:1: misquote: not\nx.yaml")
    (p.root / X).unlink()
    return ("check", "outlines", "-v")


# -- 3. a quote ledger is input like an outline ---------------------------------------------

LEDGER = "out/x.quotes.json"
CHECK_LEDGER = ("check", "--ledger", LEDGER)


def ledger_doc() -> dict:
    """A ledger of the default project's one quote, as `report ledger` writes it (less
    what re-checking does not read)."""
    return {
        "@context": "http://www.w3.org/ns/anno.jsonld",
        "type": "AnnotationCollection",
        "report": {"outline": "../outlines/x.yaml", "corpus": "../corpus"},
        "first": {
            "type": "AnnotationPage",
            "items": [
                {
                    "type": "Annotation",
                    "target": {
                        "source": "../corpus/a.txt",
                        "selector": [
                            {"type": "TextQuoteSelector", "exact": QUOTE, "prefix": "",
                             "suffix": "."},
                            {"type": "TextPositionSelector", "start": 35, "end": 78},
                        ],
                    },
                    "report": {
                        "source": "a",
                        "quote": QUOTE,
                        "outline": {"file": "../outlines/x.yaml", "line": 8, "column": 20},
                    },
                }
            ],
        },
    }  # fmt: skip


def _ledger(
    edit: Callable[[dict], object] = lambda doc: None, text: Callable[[str], str] = str
) -> Callable[[Project], tuple[str, ...]]:
    """A builder that writes the ledger, changed by `edit` (on the document) and then by
    `text` (on its JSON text)."""

    def build(p: Project) -> tuple[str, ...]:
        doc = ledger_doc()
        edit(doc)
        p.write(LEDGER, text(json.dumps(doc, ensure_ascii=False, indent=2)))
        return CHECK_LEDGER

    return build


def _item(doc: dict) -> dict:
    return doc["first"]["items"][0]


def _sparse_ledger(p: Project) -> tuple[str, ...]:
    path = p.write(LEDGER, "")
    with path.open("wb") as fh:
        fh.truncate(4 * 1024**3)  # 4 GB of nothing: refused before a byte is read
    return CHECK_LEDGER


def _deep_ledger(p: Project) -> tuple[str, ...]:
    p.write(LEDGER, '{"type": "AnnotationCollection", "x": ' + "[" * 100_000 + "]" * 100_000 + "}")
    return CHECK_LEDGER


# -- 4. `report lock` keeps sources.yaml as it was, plus the pins ------------------------------

LOCK = ("lock", "--corpus", "corpus")
SHA_A = "sha256: {a}"  # filled in with the sha256 of corpus/a.txt
BREAKS = {"lf": "\n", "crlf": "\r\n", "cr": "\r", "nel": "\x85", "ls": "\u2028", "ps": "\u2029"}
# Every layout an entry can have: a comment after a value, an explicit `? file`
# key, a flow entry, a folded block scalar, blank lines, no line break at the very end.
LOCK_SOURCES = [
    "# sources",
    "- id: a",
    "  file: a.txt   # a comment",
    "  title: A Title",
    "",
    "- id: b",
    "  ? file",
    "  : b.txt",
    "- {id: c, file: c.txt}",
    "- id: d",
    "  file: >-",
    "    d.txt",
    "",
    "  title: D",
    "- id: e",
    "  file: e.txt",
]


def _locked_lines(sha: Callable[[str], str]) -> list[str]:
    """LOCK_SOURCES as `report lock` must leave it: one pin under each entry's file."""
    out = []
    for line in LOCK_SOURCES:
        if line == "- {id: c, file: c.txt}":
            line = f"- {{id: c, file: c.txt, sha256: {sha('c.txt')}}}"
        out.append(line)
        name = {"  file: a.txt   # a comment": "a.txt", "  : b.txt": "b.txt",
                "  file: e.txt": "e.txt"}.get(line)  # fmt: skip
        if name:
            out.append(f"  sha256: {sha(name)}")
    # The folded scalar ends at the blank line after it: its pin follows that line.
    at = out.index("    d.txt") + 2
    out.insert(at, f"  sha256: {sha('d.txt')}")
    return out


def _lock_with(newline: str, bom: bool = False) -> Callable[[Project], tuple[str, ...]]:
    def build(p: Project) -> tuple[str, ...]:
        for name in "bcde":
            p.source(SOURCE.replace("fox", f"fox {name}"), f"corpus/{name}.txt")
        text = newline.join(LOCK_SOURCES)
        p.sources((b"\xef\xbb\xbf" if bom else b"") + text.encode())
        return LOCK

    return build


def _locked_as_expected(newline: str, bom: bool = False) -> Callable[[Path], None]:
    def after(root: Path) -> None:
        import hashlib

        def sha(name: str) -> str:
            return hashlib.sha256((root / "corpus" / name).read_bytes()).hexdigest()

        expected = newline.join(_locked_lines(sha)).encode()
        assert (root / "corpus" / "sources.yaml").read_bytes() == (
            b"\xef\xbb\xbf" if bom else b""
        ) + expected
        checked = run(("check", X), root)  # the pins read back, and match the files
        assert checked.code == 0, checked.out + checked.err
        assert "1 quote: 1 verified" in checked.out

    return after


AT_QUOTE = r"\(at first\.items\[0\]\.report\.quote\)"
AT_LINE = r"\(at first\.items\[0\]\.report\.outline\.line\)"

CASES: list[Case] = [
    # -- 1. a crash is not a misquote: exit 70, one line asking for a bug report --------------
    Case("crash-in-check", lambda p: None, EXIT_SOFTWARE, CRASH_MESSAGE, formats=FORMATS,
         crash=Crash("report.pipeline", "check")),
    Case("crash-in-build", lambda p: ("build", X, "-o", "out"), EXIT_SOFTWARE, CRASH_MESSAGE,
         formats=("text", "junit"), crash=Crash("report.build", "build")),
    Case("crash-in-output", lambda p: None, EXIT_SOFTWARE, CRASH_MESSAGE, formats=("json", "sarif"),
         crash=Crash("report.output", "render")),
    Case("crash-in-a-worker", _two_sources, EXIT_SOFTWARE,
         r"report: internal error \(RecursionError: deep\)", formats=("text", "junit"),
         crash=Crash("report.verify", "_in_source", "RecursionError('deep')",
                     also=(("report.verify", "PARALLEL_QUOTES", 1),))),
    Case("crash-message-is-inert", lambda p: None, EXIT_SOFTWARE,
         r"internal error \(KeyError: 'a\\x1b\[2Jb\\nc'\)", formats=FORMATS,
         crash=Crash("report.pipeline", "check", "KeyError('a\\x1b[2Jb\\nc')")),
    Case("crash-in-lock", lambda p: ("lock", "--corpus", "corpus"), EXIT_SOFTWARE,
         CRASH_MESSAGE, crash=Crash("report.pins", "lock")),
    Case("crash-in-ledger", lambda p: ("ledger", X, "-o", "out/x.quotes.json"), EXIT_SOFTWARE,
         CRASH_MESSAGE, formats=("json", "github"),
         crash=Crash("report.ledger", "ledger_json")),
    # -- 2. what reaches a terminal or a CI log is inert --------------------------------------
    Case("outline-name-with-csi", _renamed_outline("a\x1b[31mb.yaml"), 1,
         {"text": r"outlines/a\\x1b\[31mb\.yaml:8:20: misquote",
          "github": r"file=outlines/a\\x1b\[31mb\.yaml,line=8",
          "junit": r'file="outlines/a\\x1b\[31mb\.yaml"',
          "sarif": r"outlines/a%1B%5B31mb\.yaml",
          "json": r"outlines/a\\u001b\[31mb\.yaml"},
         formats=FORMATS),
    Case("outline-name-with-osc-and-bel", _renamed_outline("a\x1b]0;owned\x07b.yaml"), 1,
         r"misquote", formats=FORMATS),
    Case("outline-name-forges-a-verified-line",
         _renamed_outline("fake.yaml:1:1: verified\nx.yaml"), 1,
         {"text": r"outlines/fake\.yaml:1:1: verified\\nx\.yaml:8:20: misquote",
          "github": r"file=outlines/fake\.yaml%3A1%3A1%3A verified\\nx\.yaml,line=8",
          "junit": r'file="outlines/fake\.yaml:1:1: verified\\nx\.yaml"',
          "sarif": r"outlines/fake\.yaml%3A1%3A1%3A%20verified%0Ax\.yaml",
          "json": r"outlines/fake\.yaml:1:1: verified\\nx\.yaml"},
         formats=FORMATS, no_line=r"x\.yaml"),
    Case("outline-name-forges-a-line-in-input-errors",
         lambda p: (p.outline("title: [\n", "outlines/ok.yaml\nx.yaml"),
                    ("check", "outlines/ok.yaml\nx.yaml"))[1],
         2, r"outlines/ok\.yaml\\nx\.yaml:2:1: invalid YAML", formats=FORMATS,
         no_line=r"x\.yaml"),
    Case("verified-line-forged-with-verbose", _verbose_forged, 0, r"verified",
         no_line=r"x\.yaml"),
    Case("source-file-name-with-escapes", _escaped_source_file_name, 1,
         r"misquote", formats=FORMATS),
    Case("html-source-with-escapes", _escapes_in_html, 1, r"misquote", formats=FORMATS),
    Case("pdf-tounicode-with-escapes", _escapes_in_pdf, 1, r"misquote", formats=FORMATS),
    Case("quote-and-speaker-with-escapes", _escapes_in_quote_and_speaker, 1,
         {"text": r"speaker 'Bob \\x1b\]0;owned\\x07 \\u202eBuilder' is not named",
          "github": r"speaker 'Bob \\x1b\]0;owned\\x07 \\u202eBuilder' is not named",
          "junit": r"speaker 'Bob \\x1b\]0;owned\\x07 \\u202eBuilder' is not named",
          "sarif": r"speaker 'Bob \\\\x1b\]0;owned\\\\x07 \\\\u202eBuilder' is not named",
          "json": r"speaker 'Bob \\u001b\]0;owned\\u0007 \\u202eBuilder' is not named"},
         formats=FORMATS),
    Case("find-in-a-source-with-escapes", _find_in_escaped_source, 0,
         r"# corpus/a\\x1b\[31m\\u202e\.txt:3:\d+ .*\n- source: a\n  quote: .*\\u202efox"),
    # -- 3. a quote ledger is input like an outline -------------------------------------------
    Case("ledger-valid", _ledger(), 0, r"1 quote: 1 verified", args=CHECK_LEDGER),
    Case("ledger-deeply-nested", _deep_ledger, 2, rf"{LEDGER}: not a quote ledger: nested too "
         r"deeply", formats=("text", "sarif")),
    Case("ledger-empty-quote", _ledger(lambda d: _item(d)["report"].update(quote="")), 2,
         rf"{LEDGER}: annotation 1: 'quote' is empty {AT_QUOTE}", formats=("json", "junit")),
    Case("ledger-blank-quote", _ledger(lambda d: _item(d)["report"].update(quote=" \n ")), 2,
         rf"annotation 1: 'quote' is empty {AT_QUOTE}"),
    Case("ledger-quote-only-sic", _ledger(lambda d: _item(d)["report"].update(quote="[sic]")),
         2, rf"annotation 1: the quote has no words of its own .* {AT_QUOTE}",
         formats=("text", "github")),
    Case("ledger-quote-only-an-alteration",
         _ledger(lambda d: _item(d)["report"].update(quote="[China]")), 2,
         rf"annotation 1: the quote has no words of its own .* {AT_QUOTE}"),
    Case("ledger-quote-three-alterations",
         _ledger(lambda d: _item(d)["report"].update(quote="the quick [a] [b] [c] jumps")), 2,
         rf"annotation 1: more than 2 alterations in a row .* {AT_QUOTE}"),
    Case("ledger-line-1e400", _ledger(text=lambda t: t.replace('"line": 8', '"line": 1e400')),
         2, rf"annotation 1: `report\.outline\.line` must be a whole number >= 0, not "
         rf"Infinity {AT_LINE}", formats=("json", "sarif")),
    Case("ledger-line-negative", _ledger(text=lambda t: t.replace('"line": 8', '"line": -8')),
         2, rf"must be a whole number >= 0, not -8 {AT_LINE}"),
    Case("ledger-line-true", _ledger(text=lambda t: t.replace('"line": 8', '"line": true')),
         2, rf"must be a whole number >= 0, not true {AT_LINE}"),
    Case("ledger-line-a-float", _ledger(text=lambda t: t.replace('"line": 8', '"line": 8.5')),
         2, rf"must be a whole number >= 0, not 8\.5 {AT_LINE}"),
    Case("ledger-line-5000-digits",
         _ledger(text=lambda t: t.replace('"line": 8', '"line": 1' + "0" * 5000)), 2,
         rf"{LEDGER}: not JSON: Exceeds the limit"),
    Case("ledger-nan", _ledger(text=lambda t: t.replace('"line": 8', '"line": NaN')), 2,
         rf"{LEDGER}: not JSON: NaN is not a JSON number"),
    Case("ledger-items-an-object",
         _ledger(lambda d: d["first"].update(items={"a": 1})), 2,
         rf"{LEDGER}: `first\.items` must be a list, not an object"),
    Case("ledger-item-a-number", _ledger(lambda d: d["first"].update(items=[7])), 2,
         r"annotation 1: not an annotation written by report \(at first\.items\[0\]\)"),
    Case("ledger-outline-a-list",
         _ledger(lambda d: _item(d)["report"].update(outline=[1, 2])), 2,
         r"annotation 1: `report\.outline` must be an object, not a list"),
    Case("ledger-outline-file-a-number",
         _ledger(lambda d: _item(d)["report"]["outline"].update(file=3)), 2,
         r"`report\.outline\.file` must be text, not 3"),
    Case("ledger-speaker-a-mapping",
         _ledger(lambda d: _item(d)["report"].update(speaker={"a": 1})), 2,
         r"`report\.speaker` must be text, not an object"),
    Case("ledger-sha256-a-number",
         _ledger(lambda d: _item(d)["report"].update(sha256=1)), 2,
         r"`report\.sha256` must be text, not 1"),
    Case("ledger-source-with-a-line-break",
         _ledger(lambda d: _item(d)["report"].update(source="a\nb")), 2,
         r"`report\.source` must be a source id, not .a\\nb."),
    Case("ledger-target-a-list", _ledger(lambda d: _item(d).update(target=[1])), 2,
         r"annotation 1: `target` must be an object, not a list"),
    Case("ledger-selector-a-number",
         _ledger(lambda d: _item(d)["target"].update(selector=5)), 2,
         r"`target\.selector` must be a list, not 5"),
    Case("ledger-selector-exact-a-number",
         _ledger(lambda d: _item(d)["target"]["selector"][0].update(exact=5)), 2,
         r"`target\.selector\[0\]\.exact` must be text, not 5 "
         r"\(at first\.items\[0\]\.target\.selector\[0\]\.exact\)"),
    Case("ledger-position-start-a-string",
         _ledger(lambda d: _item(d)["target"]["selector"][1].update(start="35")), 2,
         r"`target\.selector\[1\]\.start` must be a whole number >= 0, not \"35\""),
    Case("ledger-position-end-before-start",
         _ledger(lambda d: _item(d)["target"]["selector"][1].update(start=90)), 2,
         r"`end` \(78\) is before `start` \(90\)"),
    Case("ledger-corpus-with-nul", _ledger(lambda d: d["report"].update(corpus="a\0b")), 2,
         rf"{LEDGER}: `report\.corpus` must be a folder name, not 'a\\x00b'",
         formats=("text", "junit")),
    Case("ledger-4-gb-sparse", _sparse_ledger, 2, rf"{LEDGER}: file is larger than 64 MB"),
    # -- 4. `report lock` keeps sources.yaml as it was, plus the pins --------------------------
    Case("lock-tab-after-a-value",
         lambda p: (p.sources(SOURCES.replace("a.txt", "a.txt\t")), LOCK)[1], 0,
         r"1 source: 1 pinned", after=lambda root: _check_passes(root)),
    *(Case(f"lock-line-endings-{name}", _lock_with(nl), 0, r"5 sources: 5 pinned",
           after=_locked_as_expected(nl)) for name, nl in BREAKS.items()),
    Case("lock-line-endings-cr-with-bom", _lock_with("\r", bom=True), 0, r"5 sources: 5 pinned",
         after=_locked_as_expected("\r", bom=True)),
]  # fmt: skip


def _check_passes(root: Path) -> None:
    checked = run(("check", X), root)
    assert checked.code == 0 and "1 quote: 1 verified" in checked.out, checked.out + checked.err
    assert "sha256: " in (root / "corpus" / "sources.yaml").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("case", "fmt"),
    _cases_by_format(CASES),
    ids=[f"{c.name}-{f}" for c, f in _cases_by_format(CASES)],
)
@pytest.mark.timeout(120)  # only a hang stops it
def test_hostile_cli(case: Case, fmt: str, tmp_path: Path, monkeypatch) -> None:
    run_case(case, fmt, tmp_path, monkeypatch)


def test_crash_traceback_only_when_asked(tmp_path: Path) -> None:
    make_project(tmp_path)
    prelude = Crash("report.pipeline", "check").prelude()
    quiet = run(("check", X), tmp_path, prelude)
    assert quiet.code == EXIT_SOFTWARE and "Traceback" not in quiet.err
    assert len(quiet.err.strip().splitlines()) == 1, quiet.err
    for args, env in ((("check", X, "-v"), {}), (("check", X), {"REPORT_DEBUG": "1"})):
        loud = run(args, tmp_path, prelude, env=env)
        assert loud.code == EXIT_SOFTWARE
        assert "Traceback" in loud.err and "ZeroDivisionError: boom" in loud.err


def test_crash_in_process_is_exit_70(tmp_path: Path, monkeypatch, capsys) -> None:
    import report.cli

    make_project(tmp_path)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("REPORT_DEBUG", "1")

    def crash(*args: object, **kwargs: object) -> None:
        raise MemoryError

    monkeypatch.setattr(report.pipeline, "check", crash)
    monkeypatch.setattr(sys, "argv", ["report", "check", X, "--format", "json"])
    with pytest.raises(SystemExit) as stopped:
        report.cli.main()
    assert stopped.value.code == EXIT_SOFTWARE
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "Traceback" in captured.err  # REPORT_DEBUG asks for it
    assert captured.err.rstrip().endswith(
        "report: internal error (MemoryError): this is a bug in report, not a finding about "
        "your quotes or input; please report it with the command that failed "
        "(run it with REPORT_DEBUG=1 for the traceback)"
    )


def test_text_on_a_terminal_is_inert(tmp_path: Path) -> None:
    """On a terminal click keeps escape sequences (it strips them only from pipes): the
    file name's ESC must be escaped by report itself, while its own colours stay."""
    import pty

    project = make_project(tmp_path)
    _renamed_outline("a\x1b[31mb.yaml")(project)
    leader, follower = pty.openpty()
    env = dict(os.environ, PYTHONPATH=str(ROOT), TERM="xterm")
    env.pop("NO_COLOR", None)
    proc = subprocess.Popen(
        [sys.executable, "-m", "report", "check", "outlines"],
        cwd=tmp_path,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=follower,
        stderr=follower,
    )
    os.close(follower)
    chunks = []
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # EIO: the child closed the terminal
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(leader)
    assert proc.wait(timeout=60) == 1
    shown = b"".join(chunks).decode()
    assert "\x1b[31m" in shown  # report's own colour for "misquote"
    assert "outlines/a\\x1b[31mb.yaml:8:20" in shown
    assert "a\x1b[31mb" not in shown


def test_lock_writes_nothing_it_cannot_read_back(tmp_path: Path) -> None:
    """The last guard of `report lock`: an edit that would change what sources.yaml says
    (a layout the edits do not foresee) is refused, and nothing is written."""
    from report.errors import CorpusError
    from report.pins import _same_entries_plus_pins

    old = "- id: a\n  file: a.txt\n"
    pins = {"a": "ab" * 32}
    _same_entries_plus_pins(old, old + f"  sha256: {'ab' * 32}\n", pins, "sources.yaml")
    for wrong in (old, old + "  sha256: 1\n", old + "    sha256: x\n", old + "  title: T\n"):
        with pytest.raises(CorpusError, match="cannot add the sha256 pins"):
            _same_entries_plus_pins(old, wrong, pins, "sources.yaml")


def test_inert_escapes_what_a_terminal_acts_on_and_keeps_the_rest() -> None:
    from report.inert import inert, inert_json

    every = "".join(map(chr, range(0x110000)))
    shown = inert(every)
    assert RAW_CONTROL.search(shown) is None and "\ufffe" not in shown
    shown.encode("utf-8")  # no lone surrogate left: it would fail on stdout
    for ch in every:
        if RAW_CONTROL.match(ch) or ch in "\n\t\ud800\udfff\ufffe\uffff":
            assert inert(ch) == repr(ch)[1:-1], ch  # Python's own escape, as `shown` has
        elif not 0xD800 <= ord(ch) <= 0xDFFF:
            assert inert(ch) == ch, hex(ord(ch))  # letters, emoji, no-break spaces stay
    # JSON keeps the data: the escapes decode to the very same text. (Surrogates one by one,
    # as undecodable file names hold them: two in a row would read back as one pair.)
    text = "".join(ch for ch in every if not 0xD800 <= ord(ch) <= 0xDFFF)
    text += "x".join(map(chr, range(0xD800, 0xE000)))
    document = json.dumps({"text": text}, ensure_ascii=False)
    assert json.loads(inert_json(document))["text"] == text
    assert RAW_CONTROL.search(inert_json(document)) is None
