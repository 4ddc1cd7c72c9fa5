"""A catalogue of bad inputs -> what `report` must do with each: the right exit status, a
message that names the place, and never a Python traceback.

Each case builds a small project in tmp_path (outlines/, corpus/ with sources.yaml) and
runs the command line there (report.cli.main, in this process; the cases in PROCESS in a
`python -m report` of their own), so messages show paths as a user sees them
(`outlines/x.yaml:8:20`). To add a case, append a `Case` to CASES: a name, a function that
edits the default project (and returns the command line if it is not `check
outlines/x.yaml`), the expected exit status, and a regex the output must contain. `after`
may look at the folder afterwards (files written or not), and `forbid` lists text that must
not appear in the output. Cases for `report build` fit the same shape (args=("build",
"outlines/x.yaml", "-o", "out")).

No case asserts how long it takes (machines are shared): a run is only stopped after
HANG_SECONDS, as hung (in this process, by pytest-timeout). Big inputs are here at sizes
that show the behaviour (every quote reported, the closest-passage cap reached, a
multi-megabyte source read); how long they take at full size, and how that grows with the
size, is `benchmarks/limits.py`'s to print.
"""

from __future__ import annotations

import os
import re
import shutil
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest

SOURCE = """\
A Title

Paragraph one says the quick brown fox jumps over the lazy dog.

Another paragraph, with “curly quotes” and an em dash — here.
"""

SOURCES = """\
- id: a
  file: a.txt
  title: A Title
  author: Ann Author
"""

QUOTE = "the quick brown fox jumps over the lazy dog"

# Line 7 holds `source:` (value at column 21), line 8 `quote:` (value at column 20).
OUTLINE = f"""\
title: T
sections:
  - heading: H
    arguments:
      - claim: C
        evidence:
          - source: a
            quote: {QUOTE}
"""

X = "outlines/x.yaml"
HANG_SECONDS = 120
# Run as a user runs them, in a process of their own: what must not block (a FIFO, a device).
# (A build in a process of its own, fonts and renderer loaded afresh: tests/test_build_cli.py.)
PROCESS = {"outline-is-a-fifo", "outline-is-a-device"}
SRC_YAML = "corpus/sources.yaml"


def outline(evidence: str) -> str:
    """The default outline with its evidence list replaced (indented 10 spaces)."""
    head = OUTLINE.split("          - source:")[0]
    return head + "".join(f"          {line}\n" for line in evidence.strip("\n").split("\n"))


@dataclass
class Project:
    root: Path

    @property
    def corpus(self) -> Path:
        return self.root / "corpus"

    def write(self, rel: str, content: str | bytes) -> Path:
        path = self.root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
        return path

    def outline(self, text: str | bytes, rel: str = X) -> Path:
        return self.write(rel, text)

    def sources(self, text: str | bytes) -> Path:
        return self.write(SRC_YAML, text)

    def source(self, text: str | bytes, rel: str = "corpus/a.txt") -> Path:
        return self.write(rel, text)


def make_project(root: Path) -> Project:
    project = Project(root)
    project.source(SOURCE)
    project.sources(SOURCES)
    project.outline(OUTLINE)
    return project


@dataclass(frozen=True)
class Case:
    name: str
    build: Callable[[Project], object]
    code: int
    message: str  # a regex the output (stdout + stderr) must contain
    forbid: tuple[str, ...] = ()
    after: Callable[[Path], None] | None = None
    args: tuple[str, ...] = field(default=("check", X))


# -- builders that need more than one line --------------------------------------------


def _bom_crlf(p: Project) -> None:
    bom = b"\xef\xbb\xbf"
    p.outline(bom + OUTLINE.encode().replace(b"\n", b"\r\n"))
    p.sources(bom + SOURCES.encode().replace(b"\n", b"\r\n"))
    # The quote runs over a CRLF line break in the source.
    p.source(bom + SOURCE.replace("fox jumps", "fox\njumps").encode().replace(b"\n", b"\r\n"))


def _cr_only(p: Project) -> None:
    p.outline(OUTLINE.replace("\n", "\r"))
    p.source(SOURCE.replace("\n", "\r"))


def _alias_bomb() -> str:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, 10):
        prev, name = chr(96 + i), chr(97 + i)
        lines.append(f"{name}: &{name} [" + ",".join([f"*{prev}"] * 9) + "]")
    return "\n".join(lines) + "\n"


def _symlink_out(p: Project) -> None:
    secret = p.write("secret.txt", "a local secret that must not leak\n")
    (p.corpus / "leak.txt").symlink_to(secret)
    p.sources("- id: a\n  file: leak.txt\n")


def _symlink_loop(p: Project) -> None:
    (p.corpus / "b.txt").symlink_to("c.txt")
    (p.corpus / "c.txt").symlink_to("b.txt")
    p.sources("- id: a\n  file: b.txt\n")


def _fifo(p: Project) -> None:
    (p.root / X).unlink()
    os.mkfifo(p.root / X)


def _long_quote(p: Project, misquote: bool) -> None:
    words = [f"w{i % 997}x{i % 13}" for i in range(12000)]
    text = " ".join(words)  # about 100,000 characters, one paragraph
    p.source(f"Intro.\n\n{text}\n")
    quote = text[:100_000].rsplit(" ", 1)[0]
    if misquote:
        middle = len(quote) // 2
        quote = quote[:middle] + "Z" + quote[middle + 1 :]
    p.outline(outline(f'- source: a\n  quote: "{quote}"'))


def _many_quotes(p: Project, wrong: str = "", quotes: int = 2500, paras: int = 200) -> None:
    # A closest passage costs time in proportion to the source: `paras` keeps the test's
    # source small; benchmarks/limits.py times 2,000 paragraphs.
    paragraphs = [" ".join(f"p{k}w{i}" for i in range(60)) for k in range(paras)]
    p.source("\n\n".join(paragraphs) + "\n")
    items = []
    for n in range(quotes):
        words = paragraphs[n % paras].split()[n % 50 : n % 50 + 8]
        items.append(f"- source: a\n  quote: {' '.join(words)}{wrong}")
    p.outline(outline("\n".join(items)))


def _big_source(p: Project, mb: int = 50) -> None:
    filler = ("Filler words of a long report go on and on, page after page.\n\n") * 1000
    block = filler.encode()
    with (p.corpus / "a.txt").open("wb") as fh:
        for _ in range(mb * 1024 * 1024 // len(block) // 2):
            fh.write(block)
        fh.write(SOURCE.encode())
        for _ in range(mb * 1024 * 1024 // len(block) // 2):
            fh.write(block)


def _too_large_source(p: Project) -> None:
    # Sparse: the size is what is refused, so the 65 MB need not be written.
    with (p.corpus / "a.txt").open("wb") as fh:
        fh.truncate(65 * 1024 * 1024)


def _hostile_omissions(p: Project) -> None:
    p.source(" ".join(["the quick brown fox"] * 5000) + "\n")
    p.outline(outline(f'- source: a\n  quote: "{"the quick ... " * 30}zebra"'))


def _hostile_alterations(p: Project) -> None:
    p.source(" ".join(["the quick brown fox"] * 5000) + "\n")
    p.outline(outline(f'- source: a\n  quote: "the quick brown fox {"the [x] " * 200}zebra"'))


def _unclosed_markup(p: Project, repeats: int = 30_000) -> None:
    # One long line of openers that never close: each used to scan to the end of the line.
    openers = "*a _a [a ![a]( <!-- <script> **a "
    p.source(SOURCE + "\n" + openers * repeats + "\n")


def _decomposed_source(p: Project, repeats: int = 10_000) -> None:
    # Text copied on macOS often arrives decomposed (e + U+0301); the quote is composed.
    filler = "Le café est fermé et déjà très réputé. " * repeats  # 40 bytes each
    text = f"Intro.\n\n{filler}\n\nThe café owner said the quick brown fox jumps.\n"
    p.source(unicodedata.normalize("NFD", text))
    p.outline(outline("- source: a\n  quote: The café owner said the quick brown fox jumps"))


def _no_python_objects(root: Path) -> None:
    assert not (root / "pwned").exists()


def _two_outlines(p: Project) -> tuple[str, ...]:
    p.outline(OUTLINE.replace("source: a", "source: nope"), "outlines/bad.yaml")
    return ("check", X, "outlines/bad.yaml")


def _markup_source(p: Project) -> None:
    p.source(
        "Intro.\n\nIt <b>said</b> that the [quick brown](http://evil.example/) *fox* jumps"
        "<script>alert('x')</script> over the lazy dog.\n"
    )
    p.outline(outline("- source: a\n  quote: the quick brown fox jumps over the lazy dog"))


def _escape_source(p: Project) -> None:
    p.source("Intro.\n\nThe \x1b[2J\x1b]0;owned\x07quick brown fox jumps over a dog.\n")


# -- rendering: untrusted text stays text, templates fetch nothing else -----------------------

ROOT = Path(__file__).resolve().parent.parent
INJECTED = '<img src="file:///etc/hostname"><script>alert(1)</script>'


def _markup_title(p: Project) -> tuple[str, ...]:
    p.outline(OUTLINE.replace("title: T", f"title: '{INJECTED}'"))
    return ("build", X, "-o", "out")


def _title_stays_text(root: Path) -> None:
    import docx
    from pypdf import PdfReader

    pdf = PdfReader(root / "out" / "x.pdf")
    text = " ".join(page.extract_text() for page in pdf.pages)
    assert "<img" in text and "alert(1)" in text  # shown as the characters typed
    from report.typography import curl

    shown = curl(INJECTED)  # typography curls the straight quotes; nothing else changes
    assert pdf.metadata.title == shown
    hostname = Path("/etc/hostname")
    if hostname.exists() and hostname.read_text().strip():
        assert hostname.read_text().strip() not in text.replace(INJECTED, "")
    word = docx.Document(root / "out" / "x.docx")
    assert shown in [para.text for para in word.paragraphs]


def _template_asks_for(url: str) -> Callable[[Project], tuple[str, ...]]:
    def build(p: Project) -> tuple[str, ...]:
        shutil.copytree(ROOT / "templates", p.root / "templates")
        css = p.root / "templates" / "brief.css"
        css.write_text(f'@import url("{url}");\n' + css.read_text(encoding="utf-8"), "utf-8")
        return ("build", X, "-o", "out")

    return build


def _nothing_written(root: Path) -> None:
    out = root / "out"
    assert not out.exists() or not any(out.iterdir())


def _out_is_a_file(p: Project) -> tuple[str, ...]:
    p.write("out", "not a folder")
    return ("build", X, "-o", "out")


def _misquote_build(p: Project) -> tuple[str, ...]:
    p.outline(OUTLINE.replace("lazy dog", "lazy cat"))
    return ("build", X, "-o", "out")


CASES: list[Case] = [
    # -- YAML that is not YAML ---------------------------------------------------------
    Case(
        "yaml-unterminated-string",
        lambda p: p.outline('title: "T\nsections: []\n'),
        2,
        rf"{X}:3:1: invalid YAML",
    ),
    Case(
        "yaml-tab-indentation",
        lambda p: p.outline("title: T\nsections:\n\t- heading: H\n"),
        2,
        rf"{X}:3:1: invalid YAML",
    ),
    Case(
        "yaml-two-documents",
        lambda p: p.outline("title: T\nsections: []\n---\ntitle: U\n"),
        2,
        rf"{X}:3:1: invalid YAML",
    ),
    Case(
        "yaml-bad-escape",
        lambda p: p.outline(outline('- source: a\n  quote: "x \\ud800 y"')),
        2,
        rf"{X}:8:\d+: invalid YAML",
    ),
    Case(
        "yaml-python-object-tag",
        lambda p: p.outline(
            'title: !!python/object/apply:os.system ["touch pwned"]\nsections: []\n'
        ),
        2,
        rf"{X}:1:8: 'title' must be text",
        after=_no_python_objects,
    ),
    Case(
        "yaml-control-character",
        lambda p: p.outline("title: T\nsections: []\nsummary: bell \x07 here\n"),
        2,
        rf"{X}:3:15: invalid YAML: character U\+0007 is not allowed",
    ),
    Case(
        "key-with-line-break",
        lambda p: p.outline(OUTLINE + '"a\\nb": 1\n'),
        2,
        rf"{X}:9:1: unknown key 'a\\nb' in the outline",
    ),
    Case("outline-empty-file", lambda p: p.outline(""), 2, rf"{X}:1: the outline is empty"),
    Case(
        "outline-only-comments",
        lambda p: p.outline("# nothing yet\n"),
        2,
        rf"{X}:1: the outline is empty",
    ),
    # -- keys ----------------------------------------------------------------------------
    Case(
        "duplicate-key-top",
        lambda p: p.outline("title: T\ntitle: U\n" + OUTLINE.split("\n", 1)[1]),
        2,
        rf"{X}:2:1: duplicate key 'title' in the outline",
    ),
    Case(
        "duplicate-key-evidence",
        lambda p: p.outline(outline(f"- source: a\n  quote: {QUOTE}\n  quote: other words")),
        2,
        rf"{X}:9:13: duplicate key 'quote' in an evidence item",
    ),
    Case(
        "unknown-key-top",
        lambda p: p.outline(OUTLINE.replace("title:", "titel:")),
        2,
        rf"{X}:1:1: unknown key 'titel' in the outline",
    ),
    Case(
        "unknown-key-evidence",
        lambda p: p.outline(OUTLINE.replace("quote:", "qoute:")),
        2,
        rf"{X}:8:13: unknown key 'qoute' in an evidence item",
    ),
    Case(
        "non-text-key",
        lambda p: p.outline(OUTLINE + "? [a, b]\n: 1\n"),
        2,
        rf"{X}:9:3: unknown key 'a list' in the outline",
    ),
    Case(
        "yaml-merge-key",
        lambda p: p.outline(OUTLINE + "<<: {title: U}\n"),
        2,
        rf"{X}:9:1: unknown key '<<'",
    ),
    # -- wrong types, level by level -----------------------------------------------------
    Case(
        "type-outline-is-list",
        lambda p: p.outline("- title: T\n"),
        2,
        rf"{X}:1:1: the outline must be a mapping",
    ),
    Case(
        "type-outline-is-text",
        lambda p: p.outline("just a sentence\n"),
        2,
        rf"{X}:1:1: the outline must be a mapping",
    ),
    Case(
        "type-title-is-list",
        lambda p: p.outline(OUTLINE.replace("title: T", "title: [a, b]")),
        2,
        rf"{X}:1:8: 'title' must be text, not a list",
    ),
    Case(
        "type-sections-is-mapping",
        lambda p: p.outline("title: T\nsections: {heading: H}\n"),
        2,
        rf"{X}:2:11: 'sections' must be a list, not a mapping",
    ),
    Case(
        "type-section-is-text",
        lambda p: p.outline("title: T\nsections:\n  - just a heading\n"),
        2,
        rf"{X}:3:5: a section must be a mapping",
    ),
    Case(
        "type-arguments-is-text",
        lambda p: p.outline("title: T\nsections:\n  - heading: H\n    arguments: many\n"),
        2,
        rf"{X}:4:16: 'arguments' must be a list",
    ),
    Case(
        "type-evidence-item-is-list",
        lambda p: p.outline(outline("- [a, b]")),
        2,
        rf"{X}:7:13: an evidence item must be a mapping",
    ),
    Case(
        "type-quote-is-mapping",
        lambda p: p.outline(outline("- source: a\n  quote: {text: x}")),
        2,
        rf"{X}:8:20: 'quote' must be text, not a mapping",
    ),
    Case(
        "type-source-is-list",
        lambda p: p.outline(outline(f"- source: [a]\n  quote: {QUOTE}")),
        2,
        rf"{X}:7:21: 'source' must be text, not a list",
    ),
    Case(
        "type-recommendation-is-mapping",
        lambda p: p.outline(OUTLINE + "recommendations:\n  - {do: this}\n"),
        2,
        rf"{X}:10:5: a recommendation must be text",
    ),
    # -- what an evidence item needs -------------------------------------------------------
    Case(
        "missing-title",
        lambda p: p.outline(OUTLINE.replace("title: T\n", "")),
        2,
        rf"{X}:1:1: the outline has no 'title'",
    ),
    Case(
        "missing-sections",
        lambda p: p.outline("title: T\n"),
        2,
        rf"{X}:1:1: the outline has no 'sections'",
    ),
    Case(
        "empty-quote",
        lambda p: p.outline(outline('- source: a\n  quote: ""')),
        2,
        rf"{X}:8:20: 'quote' is empty",
    ),
    Case(
        "blank-quote",
        lambda p: p.outline(outline('- source: a\n  quote: "   "')),
        2,
        rf"{X}:8:20: 'quote' is empty",
    ),
    Case(
        "quote-only-control-characters",
        lambda p: p.outline(outline('- source: a\n  quote: "\\e\\a"')),
        2,
        rf"{X}:8:20: the quote is empty",
    ),
    Case(
        "source-id-with-line-break",
        lambda p: p.outline(outline(f'- source: "a\\nb"\n  quote: {QUOTE}')),
        2,
        rf"{X}:7:21: 'source' must be a source id, not 'a\\nb'",
    ),
    Case(
        "quote-only-sic",
        lambda p: p.outline(outline('- source: a\n  quote: "[sic]"')),
        2,
        rf"{X}:8:20: the quote has no words of its own",
    ),
    Case(
        "quote-only-omission",
        lambda p: p.outline(outline('- source: a\n  quote: "..."')),
        2,
        rf"{X}:8:20: the quote has no words of its own",
    ),
    Case(
        "quote-only-alteration",
        lambda p: p.outline(outline('- source: a\n  quote: "[China]"')),
        2,
        rf"{X}:8:20: the quote has no words of its own",
    ),
    Case(
        "quote-three-alterations-in-a-row",
        lambda p: p.outline(outline('- source: a\n  quote: "the quick [a] [b] [c] jumps"')),
        2,
        rf"{X}:8:20: more than 2 alterations in a row",
    ),
    Case(
        "missing-quote",
        lambda p: p.outline(outline("- source: a\n  speaker: Someone")),
        2,
        rf"{X}:7:13: an evidence item has no 'quote'",
    ),
    Case(
        "missing-source",
        lambda p: p.outline(outline(f"- quote: {QUOTE}")),
        2,
        rf"{X}:7:13: an evidence item has no 'source'",
    ),
    Case(
        "unknown-source-id",
        lambda p: p.outline(OUTLINE.replace("source: a", "source: nope")),
        2,
        rf"{X}:7:21: unknown source 'nope' \(known: a\)",
    ),
    Case(
        "two-outlines-one-bad",
        _two_outlines,
        2,
        r"outlines/bad\.yaml:7:21: unknown source 'nope'",
    ),
    # -- encodings and line endings --------------------------------------------------------
    Case(
        "outline-not-utf8",
        lambda p: p.outline(b"title: T\xff\nsections: []\n"),
        2,
        rf"{X}:1: not UTF-8 text: invalid byte 0xff at byte offset 8",
    ),
    Case(
        "outline-utf16",
        lambda p: p.outline(OUTLINE.encode("utf-16")),
        2,
        rf"{X}:1: not UTF-8 text: invalid byte 0xff at byte offset 0",
    ),
    Case(
        "outline-nul-byte",
        lambda p: p.outline(b"title: T\nsections: []\x00\n"),
        2,
        rf"{X}:2: not a text file \(contains NUL bytes\)",
    ),
    Case(
        "source-latin1",
        lambda p: p.source(b"Intro.\n\nA caf\xe9 serves the quick brown fox.\n"),
        2,
        r"corpus/a\.txt:3: not UTF-8 text: invalid byte 0xe9 at byte offset 13",
    ),
    Case(
        "source-nul-byte",
        lambda p: p.source(SOURCE.encode() + b"\nbinary\x00junk\n"),
        2,
        r"corpus/a\.txt:7: not a text file \(contains NUL bytes\)",
    ),
    Case(
        "sources-yaml-not-utf8",
        lambda p: p.sources(SOURCES.encode() + b"  publisher: Caf\xe9\n"),
        2,
        rf"{SRC_YAML}:5: not UTF-8 text: invalid byte 0xe9 at byte offset",
    ),
    Case("bom-and-crlf-work", _bom_crlf, 0, r"1 quote: 1 verified"),
    Case("cr-only-line-endings-work", _cr_only, 0, r"1 quote: 1 verified"),
    Case("decomposed-unicode-source-works", _decomposed_source, 0, r"1 quote: 1 verified"),
    # -- files and folders that are not there or not files ---------------------------------
    Case(
        "outline-missing",
        lambda p: None,
        2,
        r"outlines/nope\.yaml: no such file",
        args=("check", "outlines/nope.yaml"),
    ),
    Case(
        "outline-is-a-folder-without-outlines",
        lambda p: (p.root / "outlines" / "x.yaml").rename(p.root / "outlines" / "x.txt"),
        2,
        r"outlines: no outlines \(\*\.yaml, \*\.md\) in this folder",
        args=("check", "outlines"),
    ),
    Case("outline-is-a-fifo", _fifo, 2, rf"{X}: not a regular file"),
    Case(
        "outline-is-a-device",
        lambda p: None,
        2,
        r"/dev/zero: not a regular file",
        args=("check", "/dev/zero"),
    ),
    Case(
        "corpus-folder-missing",
        lambda p: p.outline("corpus: ../nowhere\n" + OUTLINE),
        2,
        rf"{X}:1:9: corpus folder '\.\./nowhere' does not exist",
    ),
    Case(
        "corpus-is-a-file",
        lambda p: p.outline("corpus: ../corpus/a.txt\n" + OUTLINE),
        2,
        rf"{X}:1:9: corpus folder '\.\./corpus/a\.txt' is not a folder",
    ),
    Case(
        "corpus-name-with-nul",
        lambda p: p.outline('corpus: "ab\\0c"\n' + OUTLINE),
        2,
        rf"{X}:1:9: 'corpus' is not a valid folder name",
    ),
    Case(
        "sources-yaml-missing",
        lambda p: (p.corpus / "sources.yaml").unlink(),
        2,
        rf"{SRC_YAML}: no such file",
    ),
    # -- sources.yaml ----------------------------------------------------------------------
    Case(
        "sources-yaml-invalid",
        lambda p: p.sources("- id: a\n  file: [a.txt\n"),
        2,
        rf"{SRC_YAML}:3:1: invalid YAML",
    ),
    Case(
        "sources-yaml-is-mapping",
        lambda p: p.sources("a: a.txt\n"),
        2,
        rf"{SRC_YAML}:1:1: sources.yaml must be a list of sources",
    ),
    Case(
        "sources-yaml-entry-is-text",
        lambda p: p.sources("- a.txt\n"),
        2,
        rf"{SRC_YAML}:1:3: a source must be a mapping",
    ),
    Case(
        "sources-duplicate-id",
        lambda p: p.sources(SOURCES + "- id: a\n  file: a.txt\n"),
        2,
        rf"{SRC_YAML}:5:3: duplicate source id 'a'",
    ),
    Case(
        "sources-missing-file-key",
        lambda p: p.sources("- id: a\n  title: A\n"),
        2,
        rf"{SRC_YAML}:1:3: a source needs `file`",
    ),
    Case(
        "sources-id-is-list",
        lambda p: p.sources("- id: [a]\n  file: a.txt\n"),
        2,
        rf"{SRC_YAML}:1:7: a source needs `id`",
    ),
    Case(
        "sources-unknown-key",
        lambda p: p.sources(SOURCES + "  colour: red\n"),
        2,
        rf"{SRC_YAML}:5:3: unknown key 'colour' in a source",
    ),
    Case(
        "sources-duplicate-key",
        lambda p: p.sources(SOURCES + "  id: b\n"),
        2,
        rf"{SRC_YAML}:5:3: duplicate key 'id' in a source",
    ),
    Case(
        "sources-author-wrong-type",
        lambda p: p.sources(SOURCES.replace("Ann Author", "[[1, 2]]")),
        2,
        rf"{SRC_YAML}:4:11: `author` must be a name",
    ),
    Case(
        "sources-body-not-found",
        lambda p: p.sources(SOURCES + "  body: {start: words not there, end: here.}\n"),
        2,
        rf"{SRC_YAML}:5:9: body start 'words not there' does not occur",
    ),
    Case(
        "sources-same-file-twice",
        lambda p: p.sources(SOURCES + "- id: b\n  file: ./a.txt\n"),
        2,
        rf"{SRC_YAML}:5:3: './a.txt' is already source 'a' \(line 1\)",
    ),
    Case(
        "sources-same-file-5000-times",
        lambda p: p.sources("".join(f"- id: s{i}\n  file: a.txt\n" for i in range(5000))),
        2,
        rf"{SRC_YAML}: \.\.\. and 4949 more errors",
    ),
    Case(
        "outline-100k-errors",
        lambda p: p.outline(OUTLINE + "".join(f"k{i}: 1\n" for i in range(100_000))),
        2,
        rf"{X}:9:1: unknown key 'k0'(.|\n)*{X}: \.\.\. and 99950 more errors",
    ),
    Case(
        "sources-type-not-csl",
        lambda p: p.sources("- id: a\n  file: a.txt\n  type: newspaper\n"),
        2,
        rf"{SRC_YAML}:3:9: `type` 'newspaper' is not a CSL type \(did you mean "
        r"'article-newspaper'\?",
    ),
    Case(
        "sources-type-blog",
        lambda p: p.sources("- id: a\n  file: a.txt\n  type: blog\n"),
        2,
        rf"{SRC_YAML}:3:9: `type` 'blog' is not a CSL type \(did you mean 'post-weblog'\?",
    ),
    Case(
        "sources-type-a-list",
        lambda p: p.sources("- id: a\n  file: a.txt\n  type: [article, book]\n"),
        2,
        rf"{SRC_YAML}:3:9: `type` '\[.article.,",
    ),
    Case(
        "sources-file-missing",
        lambda p: p.sources("- id: a\n  file: gone.txt\n"),
        2,
        rf"{SRC_YAML}:2:9: source file 'gone.txt' does not exist",
    ),
    Case(
        "sources-file-is-folder",
        lambda p: p.sources("- id: a\n  file: .\n"),
        2,
        rf"{SRC_YAML}:2:9: source file '.' is not a file",
    ),
    Case(
        "sources-file-with-nul",
        lambda p: p.sources('- id: a\n  file: "a.txt\\0"\n'),
        2,
        rf"{SRC_YAML}:2:9: source file 'a.txt\\x00' is not a valid file name",
    ),
    # -- the corpus stays in its folder ----------------------------------------------------
    Case(
        "path-escape-dotdot",
        lambda p: p.sources("- id: a\n  file: ../outlines/x.yaml\n"),
        2,
        rf"{SRC_YAML}:2:9: source file '../outlines/x.yaml' is outside the corpus folder",
    ),
    Case(
        "path-escape-absolute",
        lambda p: p.sources("- id: a\n  file: /etc/passwd\n"),
        2,
        rf"{SRC_YAML}:2:9: source file '/etc/passwd' is outside the corpus folder",
        forbid=("root:",),
    ),
    Case(
        "path-escape-symlink",
        _symlink_out,
        2,
        rf"{SRC_YAML}:2:9: source file 'leak.txt' is outside the corpus folder",
        forbid=("local secret",),
    ),
    Case(
        "path-symlink-loop",
        _symlink_loop,
        2,
        rf"{SRC_YAML}:2:9: source file 'b.txt' cannot be opened",
    ),
    # -- hostile and huge ------------------------------------------------------------------
    Case(
        "alias-bomb-outline",
        lambda p: p.outline(_alias_bomb()),
        2,
        rf"{X}:2:\d+: YAML aliases \(\*a\) are not allowed",
    ),
    Case(
        "alias-bomb-sources",
        lambda p: p.sources(_alias_bomb()),
        2,
        rf"{SRC_YAML}:2:\d+: YAML aliases \(\*a\) are not allowed",
    ),
    Case(
        "deep-nesting-flow-100k",
        lambda p: p.outline("title: " + "[" * 100_000 + "]" * 100_000 + "\n"),
        2,
        rf"{X}:1:\d+: (nested deeper than 64 levels|invalid YAML: exceeded maximum nesting)",
    ),
    Case(
        "deep-nesting-flow-unclosed",
        lambda p: p.sources("{a: " * 100_000 + "\n"),
        2,
        rf"{SRC_YAML}:1:\d+: (nested deeper than 64 levels|invalid YAML: exceeded maximum)",
    ),
    Case(
        "deep-nesting-block",
        lambda p: p.outline(
            "title: T\nsections:\n" + "".join("  " * (i + 1) + "-\n" for i in range(500))
        ),
        2,
        rf"{X}:\d+:\d+: nested deeper than 64 levels",
    ),
    Case(
        "outline-too-large",
        lambda p: p.outline(OUTLINE + "# " + "x" * (9 * 1024 * 1024) + "\n"),
        2,
        rf"{X}: file is larger than 8 MB",
    ),
    Case(
        "quote-100k-chars-verified",
        lambda p: _long_quote(p, misquote=False),
        0,
        r"1 quote: 1 verified",
    ),
    Case(
        "quote-100k-chars-misquote",
        lambda p: _long_quote(p, misquote=True),
        1,
        rf"{X}:8:\d+: misquote",
    ),
    Case(
        "quote-many-omissions-hostile-corpus",
        _hostile_omissions,
        1,
        rf"{X}:8:20: misquote",
    ),
    Case(
        "quote-many-alterations-hostile-corpus",
        _hostile_alterations,
        1,
        rf"{X}:8:20: misquote",
    ),
    # From 500 quotes the check runs in forked workers.
    Case("outline-2500-quotes", _many_quotes, 0, r"2500 quotes: 2500 verified"),
    Case(
        "outline-2500-misquotes",
        lambda p: _many_quotes(p, wrong=" zzz", paras=50),
        1,
        # past MAX_CLOSEST (2,000) misquotes, the rest are reported without a search
        r"closest: not searched \(more than 2000 misquotes in this run\)[\s\S]*"
        r"2500 quotes: 0 verified, 2500 misquote",
    ),
    Case("source-8-mb", lambda p: _big_source(p, mb=8), 0, r"1 quote: 1 verified"),
    Case(
        "source-too-large",
        _too_large_source,
        2,
        r"corpus/a\.txt: file is larger than 64 MB",
    ),
    # -- markup and control characters -----------------------------------------------------
    Case(
        "markup-in-source-is-not-text",
        _markup_source,
        0,
        r"1 quote: 1 verified",
        forbid=("alert(",),
    ),
    Case(
        "unclosed-markup-on-a-long-line",
        _unclosed_markup,
        0,
        r"1 quote: 1 verified",
    ),
    Case(
        "markup-in-quote-is-text",
        lambda p: p.outline(outline('- source: a\n  quote: "the <b>quick</b> brown fox jumps"')),
        1,
        rf"{X}:8:20: misquote",
    ),
    Case(
        "script-in-quote",
        lambda p: p.outline(
            outline("- source: a\n  quote: \"<script>alert('x')</script> over the lazy dog\"")
        ),
        1,
        rf"{X}:8:20: misquote",
    ),
    Case(
        "terminal-escapes-in-source",
        _escape_source,
        1,
        rf"{X}:8:20: misquote",
        forbid=("\x1b", "\x07"),
    ),
    Case("build-markup-in-title-stays-text", _markup_title, 0, r"1 quote: 1 verified",
         after=_title_stays_text),
    Case("build-template-fetches-the-network", _template_asks_for("https://example.com/x.css"),
         2, r"templates/brief\.css|https://example\.com/x\.css", after=_nothing_written),
    Case("build-template-reads-a-local-file", _template_asks_for("file:///etc/passwd"),
         2, r"file:///etc/passwd", after=_nothing_written),
    Case("build-output-folder-is-a-file", _out_is_a_file, 2, r"out"),
    Case("build-misquote-writes-nothing", _misquote_build, 1, r"nothing written",
         after=_nothing_written),
]  # fmt: skip


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
@pytest.mark.timeout(HANG_SECONDS)
def test_hostile_input(case: Case, tmp_path: Path, report_cli, invoke) -> None:
    project = make_project(tmp_path)
    built = case.build(project)  # a builder may return the command line as a tuple
    args = built if isinstance(built, tuple) else case.args
    if case.name in PROCESS:
        result = report_cli(*args, cwd=tmp_path, timeout=HANG_SECONDS)
    else:
        result = invoke(*args, cwd=tmp_path)
    output = result.out + result.err
    assert "Traceback" not in output, output
    assert result.code == case.code, output[-3000:]
    assert re.search(case.message, output), output[-3000:]
    for text in case.forbid:
        assert text not in output, f"{text!r} in output"
    if case.after is not None:
        case.after(tmp_path)


def test_catalogue_is_large_and_distinct() -> None:
    names = [c.name for c in CASES]
    assert len(names) == len(set(names))
    assert sum(c.code == 2 for c in CASES) >= 25
