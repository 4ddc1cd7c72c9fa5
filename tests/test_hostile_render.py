"""The rendering half of the hostile-input catalogue: templates, the Word styles file,
citations, the output set and what a built brief may contain -> the right exit status, a
located message, and never a traceback or a half-replaced set of files.

Same shape as tests/test_hostile_inputs.py (a default project in tmp_path, the real command
line run in it, in this process: report.cli.main, under a hang guard); a case may also set
environment variables (`env`) and check more than one message (`also`). Builds are slower
than checks, so each case here is one build. (A build in a process of its own, fonts and
renderer loaded afresh, is test_hostile_inputs.py's `build-markup-in-title-stays-text`.)
"""

from __future__ import annotations

import hashlib
import re
import shutil
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.test_hostile_inputs import (
    HANG_SECONDS,
    OUTLINE,
    QUOTE,
    ROOT,
    SOURCE,
    Project,
    X,
    make_project,
)

STYLES = "templates/docx-styles.yaml"
TEMPLATE = "templates/brief.html.j2"
BUILD = ("build", X, "-o", "out")


@dataclass(frozen=True)
class Case:
    name: str
    build: Callable[[Project], object]
    code: int
    message: str  # a regex the output (stdout + stderr) must contain
    also: tuple[str, ...] = ()  # more regexes it must contain
    forbid: tuple[str, ...] = ()
    after: Callable[[Path], None] | None = None
    args: tuple[str, ...] = BUILD
    env: dict[str, str] = field(default_factory=dict)
    patch: Callable[[pytest.MonkeyPatch], None] | None = None  # before the run, in process


def at(text: str, needle: str, nth: int = 0) -> str:
    """`LINE:COL` (1-based) of the nth occurrence of `needle` in `text`."""
    i = -1
    for _ in range(nth + 1):
        i = text.index(needle, i + 1)
    line = text.count("\n", 0, i) + 1
    return f"{line}:{i - (text.rfind(chr(10), 0, i) + 1) + 1}"


def _templates(p: Project) -> Path:
    folder = p.root / "templates"
    if not folder.exists():
        shutil.copytree(ROOT / "templates", folder)
    return folder


def _nothing_written(root: Path) -> None:
    out = root / "out"
    assert not out.exists() or not any(out.iterdir()), sorted(out.iterdir())


# -- 1. templates are data, not code -----------------------------------------------------

TITLE_LINE = "<title>{{ brief.title }}</title>"


def _template_says(expression: str) -> Callable[[Project], None]:
    """The project's brief.html.j2 with `expression` in place of the <title> (line 7)."""

    def build(p: Project) -> None:
        template = _templates(p) / "brief.html.j2"
        text = template.read_text(encoding="utf-8")
        assert text.split("\n")[6] == TITLE_LINE
        template.write_text(text.replace(TITLE_LINE, f"<title>{expression}</title>"), "utf-8")

    return build


def _not_pwned(root: Path) -> None:
    assert not (root / "pwned").exists(), "the template ran a shell command"
    _nothing_written(root)


def _include_outside(p: Project) -> None:
    secret = p.write("secret.txt", "a local secret that must not leak\n")
    (_templates(p) / "notes.html").symlink_to(secret)
    _template_says('{% include "notes.html" %}')(p)


# -- 2. docx-styles.yaml is validated like an outline --------------------------------------

BAD_STYLES = """\
page:
  size: A5
  margins: {top: 1e12, bottom: -1, left: .inf, right: {a: [1]}}
  colour: red
styles:
  Normal: {size: 1e400, colour: "1C1C1C", line_spacing: .nan}
  Title: {color: blue, bold: "no", align: middle, space_after: -3}
  Kicker: {type: table, based_on: Nope}
  A: {based_on: B}
  B: {based_on: A}
  Claim: {type: character, align: left}
  Quote: 12
"""


def _styles(text: str) -> Callable[[Project], None]:
    def build(p: Project) -> None:
        (_templates(p) / "docx-styles.yaml").write_text(text, encoding="utf-8")

    return build


QUOTED_NO = '"no"'


def _bad_styles_messages() -> tuple[str, ...]:
    t, f = BAD_STYLES, re.escape(STYLES)
    return (
        rf"{f}:{at(t, 'A5')}: the page 'size' must be A4 or Letter, not 'A5'",
        rf"{f}:{at(t, '1e12')}: margin 'top' must be a number of centimetres from 0 to 10, "
        r"not '1e12'",
        rf"{f}:{at(t, '-1')}: margin 'bottom' must be a number of centimetres from 0 to 10",
        rf"{f}:{at(t, '.inf')}: margin 'left' must be a number of centimetres",
        rf"{f}:{at(t, '{a: [1]}')}: margin 'right' must be a number of centimetres from 0 to "
        r"10, not a mapping",
        rf"{f}:{at(t, 'colour')}: unknown key 'colour' in 'page' \(allowed: margins, size\)",
        rf"{f}:{at(t, '1e400')}: 'size' must be a number of points from 1 to 200, not '1e400'",
        rf"{f}:{at(t, 'colour', 1)}: unknown key 'colour' in style 'Normal' \(did you mean "
        r"'color'\?",
        rf"{f}:{at(t, '.nan')}: 'line_spacing' must be a multiple of the line height from "
        r"0\.5 to 5",
        rf"{f}:{at(t, 'blue')}: 'color' must be six hex digits \(RRGGBB",
        rf"{f}:{at(t, QUOTED_NO)}: 'bold' must be true or false, not 'no'",
        rf"{f}:{at(t, 'middle')}: 'align' must be left, right, center or justify",
        rf"{f}:{at(t, '-3')}: 'space_after' must be a number of points from 0 to 200",
        rf"{f}:{at(t, 'table')}: 'type' must be paragraph or character, not 'table'",
        rf"{f}:{at(t, 'Nope')}: 'based_on' names no style: 'Nope'",
        rf"{f}:{at(t, 'A: ')}: style 'A' is based on itself \(A -> B -> A\)",
        rf"{f}:{at(t, 'align: left')}: 'align' is for paragraph styles; 'Claim' is a "
        r"character style",
        rf"{f}:{at(t, '12' + chr(10))}: style 'Quote' must be a mapping of keys to values, "
        r"not '12'",
    )


_BAD_STYLES = _bad_styles_messages()

# -- 3. citations cannot be confused ------------------------------------------------------

CASE_SOURCES = """\
- id: Report
  file: a.txt
  title: The <i>Dragon</i> &amp; the Bear
  author: Ann Author
  container-title: Foreign Affairs
- id: report
  file: b.txt
  title: Second Source Title
  author: Bob Writer
"""
MARKUP_TITLE = "The <i>Dragon</i> &amp; the Bear"


def _ids_differing_in_case(p: Project) -> tuple[str, ...]:
    p.source(SOURCE, "corpus/b.txt")
    p.sources(CASE_SOURCES)
    evidence = "".join(
        f"          - source: {sid}\n            quote: {quote}\n"
        for sid, quote in (("report", QUOTE), ("Report", QUOTE), ("report", "the quick brown fox"))
    )
    p.outline(OUTLINE.split("          - source:")[0] + evidence)
    return (*BUILD, "--appendix")


def _footnotes_name_the_right_sources(root: Path) -> None:
    import docx
    from pypdf import PdfReader

    pdf = " ".join(page.extract_text() for page in PdfReader(root / "out" / "x.pdf").pages)
    pdf = " ".join(pdf.split())
    notes = [
        "1. Bob Writer, “Second Source Title,” n.d.",
        f"2. Ann Author, “{MARKUP_TITLE},” Foreign Affairs, n.d.",
        "3. Writer, “Second Source Title.”",
    ]
    for note in notes:
        assert note in pdf, (note, pdf)
    assert "Ibid" not in pdf
    assert f"Author, Ann. “{MARKUP_TITLE}.” Foreign Affairs, n.d." in pdf  # bibliography
    assert "Writer, Bob. “Second Source Title" in pdf
    assert f"Ann Author, “{MARKUP_TITLE}”" in pdf  # the appendix

    with zipfile.ZipFile(root / "out" / "x.docx") as package:
        xml = package.read("word/footnotes.xml").decode()
    texts = [
        re.sub(r"<[^>]+>", "", n).strip()
        for n in re.findall(r"<w:footnote w:id=\"\d+\">(.*?)</w:footnote>", xml, re.S)
    ]
    esc = {"<": "&lt;", ">": "&gt;", "&": "&amp;"}
    escaped = [re.sub(r"[<>&]", lambda m: esc[m.group()], n[3:]) for n in notes]
    assert texts == escaped, texts
    word = docx.Document(root / "out" / "x.docx")
    paragraphs = [p.text for p in word.paragraphs]
    assert f"Author, Ann. “{MARKUP_TITLE}.” Foreign Affairs, n.d." in paragraphs
    assert f"2\tAnn Author, “{MARKUP_TITLE}”" in paragraphs


# -- 4. the outputs are one set ----------------------------------------------------------


def _build_in_process(p: Project, out: str = "out") -> dict[str, bytes]:
    from report.build import build

    built = build([p.root / X], p.root / out)
    assert built.written
    return {path.name: path.read_bytes() for path in built.written}


def _folder_in_the_way(p: Project) -> None:
    old = _build_in_process(p)
    for name, data in old.items():
        p.write(f"old/{name}", data)
    (p.root / "out" / "x.docx").unlink()
    (p.root / "out" / "x.docx").mkdir()
    p.outline(OUTLINE.replace("title: T", "title: A new title"))


def _old_set_kept(root: Path) -> None:
    out = root / "out"
    assert (out / "x.pdf").read_bytes() == (root / "old" / "x.pdf").read_bytes()
    assert (out / "x.quotes.json").read_bytes() == (root / "old" / "x.quotes.json").read_bytes()
    assert (out / "x.docx").is_dir()
    assert sorted(p.name for p in out.iterdir()) == ["x.docx", "x.pdf", "x.quotes.json"]


def _pdf_of_another_build(p: Project) -> tuple[str, ...]:
    _build_in_process(p)
    p.outline(OUTLINE.replace("title: T", "title: Another title"))
    other = _build_in_process(p, "other")
    (p.root / "out" / "x.pdf").write_bytes(other["x.pdf"])
    return ("check", "--ledger", "out/x.quotes.json")


def _ledger_records_the_outputs(p: Project) -> tuple[str, ...]:
    _build_in_process(p)
    return ("check", "--ledger", "out/x.quotes.json")


def _hashes_recorded(root: Path) -> None:
    import json

    from pypdf import PdfReader

    ledger = (root / "out" / "x.quotes.json").read_bytes()
    doc = json.loads(ledger)
    recorded = {o["file"]: o["sha256"] for o in doc["report"]["outputs"]}
    actual = {"x.docx": hashlib.sha256((root / "out" / "x.docx").read_bytes()).hexdigest()}
    assert recorded == actual
    # the PDF carries the ledger itself, so the ledger names it rather than its sha256
    assert doc["report"]["carried_by"] == "x.pdf"
    assert PdfReader(root / "out" / "x.pdf").attachments["x.quotes.json"] == [ledger]


# -- 6. no traceback: control characters, far dates ----------------------------------------

CONTROLS = "\x1b\x07\x00\x85\x9b\x7f"


def _controls_in_the_title_block(p: Project) -> None:
    p.outline(
        'title: "T\\e[31m\\a\\0\\Nx"\nsubtitle: "S\\e\\x9bub"\nauthor: "A\\x07\\x7fnn"\n'
        + OUTLINE.split("\n", 1)[1]
    )
    p.sources(SOURCES_WITH_CONTROLS)


SOURCES_WITH_CONTROLS = '- id: a\n  file: a.txt\n  title: "A \\e[2JTitle"\n  author: Ann Author\n'


def _no_controls_in_what_is_rendered(root: Path) -> None:
    import docx
    from pypdf import PdfReader

    pdf = PdfReader(root / "out" / "x.pdf")
    text = " ".join(page.extract_text() for page in pdf.pages)
    seen = [text, pdf.metadata.title, pdf.metadata.author, pdf.metadata.subject or ""]
    word = docx.Document(root / "out" / "x.docx")
    props = word.core_properties
    seen += [p.text for p in word.paragraphs] + [props.title, props.author, props.subject]
    with zipfile.ZipFile(root / "out" / "x.docx") as package:
        seen.append(package.read("word/footnotes.xml").decode())
    for s in seen:
        assert not any(c in s for c in CONTROLS), repr(s)
    assert props.title == "T[31m x" and pdf.metadata.title == "T[31m x"
    assert props.author == "Ann" and props.subject == "Sub"
    assert "A [2JTitle" in text


def _far_future_date(p: Project) -> None:
    p.outline("date: 2108-01-01\n" + OUTLINE)


def _dates_kept_where_the_format_holds_them(root: Path) -> None:
    import docx
    from pypdf import PdfReader

    assert PdfReader(root / "out" / "x.pdf").metadata["/CreationDate"].startswith("D:2108")
    assert docx.Document(root / "out" / "x.docx").core_properties.created.year == 2108
    with zipfile.ZipFile(root / "out" / "x.docx") as package:
        # a zip entry's date ends with 2107: the latest it can hold
        assert {i.date_time[0] for i in package.infolist()} == {2107}


# -- 7. bounded work -----------------------------------------------------------------------


def _recommendations(n: int) -> Callable[[Project], None]:
    def build(p: Project) -> None:
        items = "".join(f"  - Recommendation {i} says to do a sensible thing.\n" for i in range(n))
        p.outline(OUTLINE + "recommendations:\n" + items)

    return build


def _limit(name: str, value: int) -> Callable[[pytest.MonkeyPatch], None]:
    """report.brief's limit `name` lowered to `value` for the run."""

    def patch(monkeypatch: pytest.MonkeyPatch) -> None:
        import report.brief

        monkeypatch.setattr(report.brief, name, value)

    return patch


def _many_quotes(n: int, sources: int = 8) -> Callable[[Project], None]:
    """n quotes from several sources (so that they are verified in worker processes)."""

    def build(p: Project) -> None:
        for k in range(sources):
            p.source(SOURCE, f"corpus/s{k}.txt")
        p.sources("".join(f"- id: s{k}\n  file: s{k}.txt\n" for k in range(sources)))
        evidence = "".join(
            f"          - source: s{i % sources}\n            quote: {QUOTE}\n" for i in range(n)
        )
        p.outline(OUTLINE.split("          - source:")[0] + evidence)

    return build


def _many_claims(n: int) -> Callable[[Project], None]:
    def build(p: Project) -> None:
        claims = "".join(f"      - claim: Claim number {i}.\n" for i in range(n))
        p.outline(OUTLINE + "  - heading: More\n    arguments:\n" + claims)

    return build


_FORKED: list[int] = []  # the jobs of each forked_map that verify asked to run in workers
IN_WORKERS = 50


def _verify_in_workers_from(n: int) -> Callable[[pytest.MonkeyPatch], None]:
    """Quotes verified in forked workers from `n` quotes on rather than PARALLEL_QUOTES
    (500): the same path, with a brief a tenth the size to render."""

    def patch(monkeypatch: pytest.MonkeyPatch) -> None:
        import report.verify
        from report.parallel import forked_map

        def spy(fn, jobs, parallel=True, chunksize=1):
            if parallel:
                _FORKED.append(len(jobs))
            return forked_map(fn, jobs, parallel, chunksize)

        _FORKED.clear()
        monkeypatch.setattr(report.verify, "PARALLEL_QUOTES", n)
        monkeypatch.setattr(report.verify, "forked_map", spy)

    return patch


def _every_quote_with_its_claim(root: Path) -> None:
    import json

    _built(root)
    assert _FORKED, "the quotes were not verified in worker processes"
    doc = json.loads((root / "out" / "x.quotes.json").read_text(encoding="utf-8"))
    items = doc["first"]["items"]
    assert len(items) == IN_WORKERS + 10 and all(a["body"]["value"] == "C" for a in items)


def _built(root: Path) -> None:
    assert sorted(p.name for p in (root / "out").iterdir()) == [
        "x.docx",
        "x.pdf",
        "x.quotes.json",
    ]


CASES: list[Case] = [
    # -- 1. templates are data, not code -----------------------------------------------
    Case("template-runs-a-shell-command",
         _template_says("{{ cycler.__init__.__globals__.os.popen('touch pwned').read() }}"),
         2, rf"{TEMPLATE}:7: the template may not .*'__init__'", after=_not_pwned),
    Case("template-reaches-python-internals",
         _template_says("{{ ''.__class__.__mro__[1].__subclasses__() }}"),
         2, rf"{TEMPLATE}:7: the template may not .*'__class__'", after=_nothing_written),
    Case("template-format-string-reaches-internals",
         _template_says("{{ '{0.__class__.__init__.__globals__}'.format(brief) }}"),
         2, rf"{TEMPLATE}:7: the template may not", after=_nothing_written),
    Case("template-huge-string", _template_says("{{ 'x' * 10**10 }}"),
         2, rf"{TEMPLATE}:7: the template may not .*too large", after=_nothing_written),
    Case("template-huge-number", _template_says("{{ 9**(9**9) }}"),
         2, rf"{TEMPLATE}:7: the template may not .*too large", after=_nothing_written),
    Case("template-includes-a-file-outside", _include_outside,
         2, rf"{TEMPLATE}:7: the template may not .*notes\.html.*outside",
         forbid=("local secret",), after=_nothing_written),
    # -- 2. docx-styles.yaml -----------------------------------------------------------
    Case("docx-styles-page-is-text", _styles("page: A4\nstyles: {}\n"),
         2, rf"{STYLES}:1:7: 'page' must be a mapping \(margins, size\), not 'A4'",
         after=_nothing_written),
    Case("docx-styles-every-bad-value-at-once", _styles(BAD_STYLES),
         2, _BAD_STYLES[0], also=_BAD_STYLES[1:], after=_nothing_written),
    Case("docx-styles-deep-nesting",
         _styles("page:\n  margins: {top: " + "[" * 100_000 + "]" * 100_000 + "}\n"),
         2, rf"{STYLES}:2:\d+: (nested deeper than 64 levels|invalid YAML: exceeded maximum)",
         after=_nothing_written),
    Case("docx-styles-empty", _styles("# nothing\n"),
         2, rf"{STYLES}:1: the Word styles file is empty", after=_nothing_written),
    # -- 3. citations --------------------------------------------------------------------
    Case("citations-ids-differing-in-case", _ids_differing_in_case, 0, r"3 quotes: 3 verified",
         after=_footnotes_name_the_right_sources),
    # -- 4. the outputs are one set ------------------------------------------------------
    Case("build-folder-in-the-way", _folder_in_the_way,
         2, r"out/x\.docx: cannot write the brief: a folder is in the way", after=_old_set_kept),
    Case("ledger-records-its-outputs", _ledger_records_the_outputs, 0, r"1 quote: 1 verified",
         after=_hashes_recorded),
    Case("ledger-catches-a-pdf-of-another-build", _pdf_of_another_build,
         2, r"out/x\.pdf: not the PDF that out/x\.quotes\.json was built with \(it carries "
         r"another quote ledger\)"),
    # -- 6. control characters and far dates ---------------------------------------------
    Case("build-control-characters-in-the-title-block", _controls_in_the_title_block,
         0, r"1 quote: 1 verified", after=_no_controls_in_what_is_rendered),
    Case("build-date-after-2107", _far_future_date, 0, r"1 quote: 1 verified",
         after=_dates_kept_where_the_format_holds_them),
    Case("build-huge-source-date-epoch", lambda p: None,
         2, r"SOURCE_DATE_EPOCH: '99999999999999' is not a date report can use",
         env={"SOURCE_DATE_EPOCH": "99999999999999"}, after=_nothing_written),
    Case("build-malformed-source-date-epoch", lambda p: None,
         2, r"SOURCE_DATE_EPOCH: '1.7e9' is not a date report can use",
         env={"SOURCE_DATE_EPOCH": "1.7e9"}, after=_nothing_written),
    # -- 7. bounded work -----------------------------------------------------------------
    Case("build-1001-recommendations", _recommendations(1_001),
         2, rf"{X}: a brief holds at most 1,000 recommendations",
         after=_nothing_written),
    # At the limit, builds (lowered to 100 for a tenth of the pages: `>` is what is tested,
    # the limit's value by the 1,001 above)
    Case("build-as-many-recommendations-as-allowed", _recommendations(100), 0,
         r"1 quote: 1 verified", patch=_limit("MAX_RECOMMENDATIONS", 100), after=_built),
    Case("build-1001-quotes", _many_quotes(1_001),
         2, rf"{X}:2008:20: a brief holds at most 1,000 quotes; this outline has 1,001",
         after=_nothing_written),
    Case("build-2001-paragraphs", _many_claims(2_000),
         2, rf"{X}:2008:9: a brief holds at most 2,000 headings and paragraphs",
         after=_nothing_written),
    Case("build-a-million-characters",
         lambda p: p.outline(OUTLINE + "summary: |\n" + ("  " + "word " * 2_000 + "\n\n") * 105),
         2, rf"{X}: a brief holds at most 1,000,000 characters of text",
         after=_nothing_written),
    Case("build-huge-citation-field",
         lambda p: p.sources(SOURCES_WITH_CONTROLS.replace("A \\e[2JTitle", "T" * 20_000)),
         2, r"corpus/sources\.yaml:1:3: the citation fields of source 'a' hold 20,0\d\d "
         r"characters; a citation may hold at most 10,000",
         after=_nothing_written),
    Case("build-quotes-verified-in-workers", _many_quotes(IN_WORKERS + 10), 0,
         rf"{IN_WORKERS + 10} quotes: {IN_WORKERS + 10} verified",
         patch=_verify_in_workers_from(IN_WORKERS), after=_every_quote_with_its_claim),
]  # fmt: skip


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
@pytest.mark.timeout(HANG_SECONDS)  # only a hang stops it
def test_hostile_render(case: Case, tmp_path: Path, invoke, monkeypatch) -> None:
    project = make_project(tmp_path)
    if case.patch is not None:
        case.patch(monkeypatch)
    built = case.build(project)
    args = built if isinstance(built, tuple) else case.args
    result = invoke(*args, cwd=tmp_path, env=case.env)
    output = result.out + result.err
    assert "Traceback" not in output, output[-3000:]
    assert result.code == case.code, output[-3000:]
    for message in (case.message, *case.also):
        assert re.search(message, output), (message, output[-3000:])
    for text in case.forbid:
        assert text not in output, f"{text!r} in output"
    if case.after is not None:
        case.after(tmp_path)


def test_cases_are_distinct() -> None:
    names = [c.name for c in CASES]
    assert len(names) == len(set(names))
