"""Small outlines built in a test's tmp_path that point at the real seed corpus.

Every quote is written in one of two forms (`FORM`): as an evidence item (`quote:`), or as
a quotation in a sentence of the author's prose followed by its citation (`text: The
source says “…” [@id].`), as an analyst writes it. tests/conftest.py runs each test that
checks quotes through these helpers once in each form, so that every rule of "What
verbatim means" holds for quotations in prose too.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from report.findings import QuoteResult, Status
from report.pipeline import check
from tests.conftest import CORPUS

FORM = "evidence"  # or "inline": set per test by the `quote_form` fixture (tests/conftest.py)
FORMS = ("evidence", "inline")

_HEAD = """title: A test brief
corpus: {corpus}
sections:
  - heading: Evidence
    arguments:
      - claim: Something the sources say.
        evidence:
"""
QUOTE_COLUMN = 20  # `            quote: ` is 19 characters wide


@dataclass(frozen=True)
class Q:
    source: str
    quote: str
    speaker: str | None = None


@dataclass(frozen=True)
class Written:
    path: Path
    quote_lines: list[int]  # 1-based line of each quote's value, in order


def write_outline(
    directory: Path,
    quotes: Sequence[Q],
    corpus: Path = CORPUS,
    name: str = "brief.yaml",
    form: str = "evidence",
) -> Written:
    """Write an outline whose evidence items are `quotes` (JSON-quoted, one line each), or,
    in the "inline" form, whose arguments' text quotes them (`quote_lines`: the line of
    each quotation)."""
    if form == "inline":
        return _write_inline(directory, quotes, corpus, name)
    text = _HEAD.format(corpus=json.dumps(str(corpus)))
    lines: list[int] = []
    for q in quotes:
        text += f"          - source: {q.source}\n"
        lines.append(text.count("\n") + 1)
        text += f"            quote: {json.dumps(q.quote, ensure_ascii=False)}\n"
        if q.speaker is not None:
            text += f"            speaker: {json.dumps(q.speaker, ensure_ascii=False)}\n"
    path = directory / name
    path.write_text(text, encoding="utf-8")
    return Written(path, lines)


_INLINE_HEAD = """title: A test brief
corpus: {corpus}
sections:
  - heading: Evidence
    arguments:
"""


def inline_sentence(q: Q) -> str:
    """The quote in a sentence of the author's own, as an analyst writes it: in double
    quotation marks (double marks inside it become single ones), the citation after it,
    the speaker in a span around it."""
    quote = nested_single(q.quote)
    quoted = f"\u201c{quote}\u201d"
    if q.speaker is not None:
        quoted = f"[{quoted}]{{speaker={json.dumps(q.speaker, ensure_ascii=False)}}}"
    return f"The source says {quoted} [@{q.source}] in its own words."


def nested_single(quote: str) -> str:
    """Double quotation marks inside a quote -> single ones, as a quotation nested in the
    author's is written (straight and curly; other languages' marks do not clash)."""
    out = []
    for i, ch in enumerate(quote):
        if ch == "\u201c":
            out.append("\u2018")
        elif ch == "\u201d":
            out.append("\u2019")
        elif ch == '"':
            before = quote[i - 1] if i else " "
            out.append("\u2018" if before.isspace() or before in "([{\u2014-" else "\u2019")
        else:
            out.append(ch)
    return "".join(out)


def _write_inline(directory: Path, quotes: Sequence[Q], corpus: Path, name: str) -> Written:
    text = _INLINE_HEAD.format(corpus=json.dumps(str(corpus)))
    lines: list[int] = []
    for q in quotes:
        text += "      - claim: Something the sources say.\n"
        lines.append(text.count("\n") + 1)
        text += f"        text: {json.dumps(inline_sentence(q), ensure_ascii=False)}\n"
    path = directory / name
    path.write_text(text, encoding="utf-8")
    return Written(path, lines)


def check_quotes(directory: Path, *quotes: Q, corpus: Path = CORPUS) -> list[QuoteResult]:
    """Verify `quotes` through the same pipeline `report check` runs, written in the form
    the test runs in (FORM)."""
    written = write_outline(directory, quotes, corpus, form=FORM)
    [checked] = check([written.path])
    results = checked.results
    assert len(results) == len(quotes), [r.status for r in results]
    # each quote was read where the form put it: in the prose, after its citation
    assert all((r.evidence.citation is not None) == (FORM == "inline") for r in results)
    return results


def check_one(directory: Path, source: str, quote: str, speaker: str | None = None) -> QuoteResult:
    [result] = check_quotes(directory, Q(source, quote, speaker))
    return result


def check_text(directory: Path, quote: str, text: str) -> QuoteResult:
    """Verify `quote` against a corpus of one source (id `a`) whose file holds `text`: a rule
    checked in one line, as `check_one` checks it against the seed corpus."""
    corpus = directory / "one-source"
    corpus.mkdir(exist_ok=True)
    (corpus / "a.txt").write_text(text, encoding="utf-8")
    (corpus / "sources.yaml").write_text("- id: a\n  file: a.txt\n", encoding="utf-8")
    [result] = check_quotes(directory, Q("a", quote), corpus=corpus)
    return result


def file_line_col(result: QuoteResult) -> tuple[str, int, int]:
    """(source file name, line, column) of a result's match."""
    assert result.match is not None, result
    loc = result.match.location
    return Path(loc.file).name, loc.line, loc.column


def where(file_prefix: str, needle: str) -> tuple[str, int, int]:
    """(file name, line, column) of the one occurrence of `needle` in a seed file."""
    [path] = CORPUS.glob(f"{file_prefix}_*.txt")
    text = path.read_text(encoding="utf-8")
    assert text.count(needle) == 1, f"{needle!r} occurs {text.count(needle)} times in {path.name}"
    offset = text.index(needle)
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return path.name, line, column


V, M = Status.VERIFIED, Status.MISQUOTE
DISPATCH, PONARS, EMBRACE, CNBC = "dispatch-2020", "ponars-643", "embrace-2024", "cnbc-2021"


def assert_found(tmp_path: Path, source: str, quote: str, at: tuple[str, int, int]) -> None:
    result = check_one(tmp_path, source, quote)
    assert result.status is V, (quote, result)
    assert file_line_col(result) == at


def assert_misquote(tmp_path: Path, source: str, quote: str) -> None:
    result = check_one(tmp_path, source, quote)
    assert result.status is M, (quote, result.status, result.match)
    assert result.match is None
