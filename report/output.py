"""QuoteResults -> what people and CI read: text (like a compiler's messages) and JSON.

This is the one place where a finding becomes a message. Whatever comes from the input (file
names, quotes, source passages) is made inert (report.inert) before it is styled or put into
a line, so no input can colour, move or forge a line of the output; JSON keeps the data as
it is and escapes it the JSON way.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import click

from report import diffmark
from report.closest import diff_summary
from report.errors import UNIT_NAMES, Location
from report.findings import (
    Changed,
    Closest,
    Excerpt,
    Match,
    QuoteResult,
    Status,
    Summary,
    Warning,
    WrongPage,
)
from report.inert import inert, inert_json
from report.verify import MAX_CLOSEST
from report.yamlfile import shown

_STATUS_COLOUR = {
    Status.VERIFIED: "green",
    Status.MISQUOTE: "red",
    Status.WRONG_SOURCE: "red",
    Status.OUTSIDE_BODY: "red",
    Status.SOURCE_CHANGED: "red",
    Status.WRONG_PAGE: "red",
    Status.SOURCE_UNKNOWN: "red",
    Status.NOT_IN_CORPUS: "yellow",
    Status.CITED: "cyan",
    Status.UNATTRIBUTED: "yellow",
}


@dataclass(frozen=True, slots=True)
class Run:
    """All results of one command, in outline order."""

    results: list[QuoteResult]
    strict: bool = False
    draft: bool = False  # a draft's audit: its summary counts the audit's own statuses too

    @property
    def summary(self) -> Summary:
        return Summary.of(self.results, self.strict, self.draft)


def headline(result: QuoteResult) -> str:
    """The one-line description of a result, without its location."""
    ev = result.evidence
    if result.status is Status.SOURCE_CHANGED and result.changed is not None:
        return _changed(result, result.changed)
    if result.status is Status.SOURCE_UNKNOWN and result.note is not None:
        note = result.note
        return (
            f"its citation at {note.location} names no single source of the corpus: "
            f"'{shown(note.text, 120)}': {note.reason}"
        )
    if result.status is Status.NOT_IN_CORPUS and result.note is not None:
        text = shown(result.note.text, 120)
        return f"not checked: the citation is of a document outside the corpus: '{text}'"
    if result.status is Status.CITED:
        return f"{ev.source} cited for a paraphrase (no quotation before the citation to verify)"
    if result.status is Status.UNATTRIBUTED:
        return "a quotation with no citation after it: not verified"
    if result.status is Status.WRONG_PAGE and result.wrong_page is not None:
        return _wrong_page(result, result.wrong_page)
    if result.status is Status.VERIFIED:
        assert result.match is not None
        return f"found in {ev.source} at {result.match.location}"  # after "verified: "
    if result.status is Status.OUTSIDE_BODY:
        assert result.match is not None
        return (
            f"found in {ev.source} only outside the article body (comments, captions or site "
            f"furniture) at {result.match.location}"
        )
    if result.status is Status.WRONG_SOURCE:
        assert result.match is not None
        found = (  # a body occurrence is preferred: without one, the words are not its own
            "found verbatim"
            if result.match.in_body
            else "found only outside the article body (comments, captions or site furniture)"
        )
        m = result.match
        return f"not in {ev.source}, but {found} in {m.source_id} at {m.location}"
    if result.across is not None:
        return (
            f"not found in {ev.source} within one paragraph: its words, from "
            f"{result.across.location}, run over a paragraph break (quote each paragraph on "
            "its own)"
        )
    return f"not found in {ev.source}"


def _wrong_page(result: QuoteResult, w: WrongPage) -> str:
    source = result.evidence.source
    if w.found is None:
        where = result.match.location.file if result.match else source
        return (
            f"page {w.given} given, but {source} ({where}) has no pages: a quote from it is on "
            "none (give no page, or a `paragraph:`)"
        )
    assert result.match is not None
    pages = "pp." if w.found.first != w.found.last else "p."
    return (
        f"not on page {w.given} of {source}: the quote is on {pages} {w.found.cited} "
        f"({w.found.physical}, at {result.match.location})"
    )


def _changed(result: QuoteResult, c: Changed) -> str:
    if c.actual is None:
        return f"{c.source_id} ({c.file}) is gone: the quote was checked against it"
    m = result.match
    found = m is not None and m.source_id == result.evidence.source
    now = f"the quote still occurs at {m.location}" if found and m else "the quote is not in it now"
    if c.ledger:  # the ledger, not sources.yaml, recorded the file's bytes
        return (
            f"{c.file} changed since {c.ledger} recorded it (sha256 {c.pinned[:12]}… recorded, "
            f"{c.actual[:12]}… on disk); {now}: re-read it, then write the ledger again "
            "(`report ledger`)"
        )
    return (
        f"{c.file} changed since it was pinned (sha256 {c.pinned[:12]}… pinned, "
        f"{c.actual[:12]}… on disk); {now}: re-read it, then run `report lock`"
    )


def summary_line(summary: Summary) -> str:
    parts = [f"{summary.counts['verified']} verified"]
    for status in Status:
        if status not in (Status.VERIFIED, Status.CITED) and summary.counts.get(status.value):
            parts.append(f"{summary.counts[status.value]} {status.label}")
    quotes = summary.quotes - summary.counts.get(Status.CITED.value, 0)  # a paraphrase is not
    line = f"{quotes} quote{'s' if quotes != 1 else ''}: " + ", ".join(parts)
    cited = summary.counts.get(Status.CITED.value, 0)
    if cited:
        line += f"; {cited} paraphrase{'s' if cited != 1 else ''} cited"
    if summary.warnings:
        line += f"; {summary.warnings} warning{'s' if summary.warnings != 1 else ''}"
    failing = sum(n for status, n in summary.counts.items() if Status(status).failed)
    # (a draft's citations of documents outside the corpus, and quotations with no citation,
    # fail under --strict too)
    warned = (Status.NOT_IN_CORPUS.value, Status.UNATTRIBUTED.value)
    strict = summary.failed - failing - sum(summary.counts.get(s, 0) for s in warned)
    if strict > 0:  # verified quotes that fail because --strict fails their warnings
        line += f" ({strict} verified quote{'s' if strict != 1 else ''} failed by --strict)"
    return line


def format_text(run: Run, verbose: bool = False) -> str:
    lines: list[str] = []
    for r in run.results:
        if not (r.status.failed or verbose or r.warnings):
            continue
        loc = inert(str(r.evidence.location))
        if r.status.failed or verbose:
            word = click.style(r.status.label, fg=_STATUS_COLOUR[r.status], bold=r.status.failed)
            lines.append(f"{loc}: {word}: {inert(headline(r))}")
            if r.status.failed:
                lines.extend(details(r))
        for w in r.warnings:
            level = "error" if run.strict else "warning"
            word = click.style(f"{level}: {w.kind.label}", fg="red" if run.strict else "yellow")
            lines.append(f"{loc}: {word}: {inert(w.message)}")
            if w.excerpt is not None:
                lines.append(f"    source:  {excerpt_line(w.excerpt)}")
    summary = run.summary
    colour = "red" if summary.failed else "green"
    lines.append(click.style(summary_line(summary), fg=colour, bold=True))
    return "\n".join(lines)


def details(r: QuoteResult) -> list[str]:
    """The lines under a failed quote's headline (inert, see the module's docstring)."""
    shown = _closest_shown(r)
    quote = inert(r.evidence.quote.strip())
    if shown:  # the quote as the diff has it, the differing words marked
        quote = _marked(diffmark.segments(shown[0][1].diff, "quote"), "quote")
    out = [f"    quote:   {quote}"]
    if r.match is not None:
        out.append(f"    source:  {inert(r.match.text)}")
        if r.wrong_page is not None:
            found = r.wrong_page.found
            out.append(
                f"    page:    {inert(found.cited)} ({found.physical})"
                if found is not None
                else "    page:    none (the source has no pages)"
            )
        return out
    if r.across is not None:  # the source's words, paragraph break and all
        out.append(f"    source:  {inert(r.across.text)}")
        return out
    if not shown and r.status is Status.MISQUOTE:
        out.append(f"    closest: not searched (more than {MAX_CLOSEST} misquotes in this run)")
    for label, closest in shown:
        where = inert(f"{closest.source_id} at {closest.location}")
        out.append(f"    {label + ':':<9}{where} ({closest.score:.0f}% similar)")
        source = diffmark.segments(closest.diff, "source", closest.passage)
        out.append(f"             {_marked(source, 'source')}")
        out.append(f"    diff:    {_coloured_diff(closest)}  ({diffmark.describe(closest.diff)})")
    return out


def _closest_shown(r: QuoteResult) -> list[tuple[str, Closest]]:
    out: list[tuple[str, Closest]] = []
    for label, closest in (("closest", r.closest), ("corpus", r.closest_corpus)):
        if closest is None or any(
            (c.source_id, c.passage) == (closest.source_id, closest.passage) for _, c in out
        ):
            continue
        out.append((label, closest))
    return out


# Differing words: wdiff's marks (plain in logs), in colour on a terminal as well.
_MARKS = {"quote": ("[-", "-]", "red"), "source": ("{+", "+}", "green")}


def _marked(segments: list[diffmark.Segment], side: str) -> str:
    opening, closing, colour = _MARKS[side]
    pieces = []
    for text, kind in segments:
        if kind is None:
            pieces.append(inert(text))
        else:
            pieces.append(click.style(f"{opening}{inert(text)}{closing}", fg=colour, bold=True))
    return " ".join(pieces)


def _coloured_diff(closest: Closest) -> str:
    pieces = []
    for op in closest.diff:
        if op.op == "equal":
            continue
        if op.quote:
            pieces.append(click.style(f"- {inert(op.quote)}", fg="red"))
        if op.source:
            pieces.append(click.style(f"+ {inert(op.source)}", fg="green"))
    return " ".join(pieces) if pieces else "(no word differs)"


def excerpt_line(excerpt: Excerpt) -> str:
    """The source sentence with each quoted span between >> and << (bold on a terminal),
    inert."""
    t, pieces, pos = excerpt.text, [], 0
    for start, end in excerpt.spans:
        pieces.append(inert(t[pos:start]))
        pieces.append(click.style(f">>{inert(t[start:end])}<<", bold=True, underline=True))
        pos = end
    pieces.append(inert(t[pos:]))
    return "".join(pieces)


# -- JSON --------------------------------------------------------------------------------


def _location(loc: Location | None) -> dict[str, Any] | None:
    if loc is None:
        return None
    out: dict[str, Any] = {"file": loc.file, "line": loc.line, "column": loc.column}
    if loc.page:
        out["page"] = loc.page  # a PDF: `line` counts lines on that page
    if loc.unit:
        out["unit"] = UNIT_NAMES.get(loc.unit, loc.unit)
    return out


def _closest_json(c: Closest | None) -> dict[str, Any] | None:
    if c is None:
        return None
    return {
        "source": c.source_id,
        "passage": c.passage,
        "location": _location(c.location),
        "score": c.score,
        "kind": c.kind,
        "diff": [{"op": d.op, "quote": d.quote, "source": d.source} for d in c.diff],
    }


def _match_json(m: Match) -> dict[str, Any]:
    out: dict[str, Any] = {
        "source": m.source_id,
        "location": _location(m.location),
        "paragraph": m.paragraph + 1,
        "text": m.text,
        "in_body": m.in_body,
    }
    if m.pages is not None:  # a PDF: the pages as a citation gives them
        out["pages"] = m.pages.cited
    return out


def _warning_json(w: Warning) -> dict[str, Any]:
    obj: dict[str, Any] = {"kind": w.kind.value, "message": w.message}
    if w.excerpt is not None:
        e = w.excerpt
        obj["excerpt"] = {
            "text": e.text,
            "spans": [list(span) for span in e.spans],
            "location": _location(e.location),
        }
    return obj


def result_json(r: QuoteResult, strict: bool = False) -> dict[str, Any]:
    ev = r.evidence
    obj: dict[str, Any] = {
        "status": r.status.value,
        "failed": r.failed(strict),
        "message": headline(r),
        "quote": ev.quote,
        "speaker": ev.speaker,
        "warnings": [_warning_json(w) for w in r.warnings],
        "outline": _location(ev.location),
        "source": ev.source,
        "location": _location(r.match.location) if r.match else None,
        "found_in": r.match.source_id if r.match else None,
        "matches": [_match_json(m) for m in r.matches],
    }
    if r.across is not None:
        obj["across"] = _location(r.across.location)
    if r.note is not None:  # a draft's quotation: the citation that attributes it
        obj["note"] = {
            "text": r.note.text,
            "location": _location(r.note.location),
            "candidates": list(r.note.candidates),
        }
    if r.wrong_page is not None:
        w = r.wrong_page
        obj["page"] = {
            "given": w.given,
            "found": w.found.cited if w.found else None,
            "pdf_pages": [w.found.first, w.found.last] if w.found else None,
        }
    if r.changed is not None:
        c = r.changed
        obj["changed"] = {"file": c.file, "pinned": c.pinned, "actual": c.actual}
        if c.ledger:
            obj["changed"]["ledger"] = c.ledger
    if r.status.failed:
        best = r.closest or r.closest_corpus
        obj["closest"] = _closest_json(r.closest)
        obj["closest_in_corpus"] = _closest_json(r.closest_corpus)
        obj["diff"] = diff_summary(best.diff) if best else None
    return obj


def format_json(run: Run) -> str:
    """One JSON document: each quote's object on a line of its own, the summary on the last
    but one. (json.dumps with `indent` runs the pure-Python encoder, four times slower than
    its C encoder: for 100,000 quotes, seconds.)"""
    summary = run.summary
    counts = {
        "quotes": summary.quotes,
        **summary.counts,
        "warnings": summary.warnings,
        "failed": summary.failed,
        "strict": run.strict,
    }
    encode = json.JSONEncoder(ensure_ascii=False).encode  # the C encoder, reused
    quotes = ",\n".join(f"    {encode(result_json(r, run.strict))}" for r in run.results)
    body = f"[\n{quotes}\n  ]" if quotes else "[]"
    return inert_json(f'{{\n  "quotes": {body},\n  "summary": {encode(counts)}\n}}')


FORMATS = {
    "text": format_text,
    "json": format_json,
    "github": lambda run: _ci_formats().format_github(run),
    "junit": lambda run: _ci_formats().format_junit(run),
    "sarif": lambda run: _ci_formats().format_sarif(run),
}


def _ci_formats():
    from report import ci_formats  # imported for the CI formats only (start-up)

    return ci_formats


def render(run: Run, fmt: str, verbose: bool = False) -> str:
    if fmt == "text":
        return format_text(run, verbose)
    return FORMATS[fmt](run)
