"""A QuoteResult -> the words that say what was found: its headline, the lines under a
failed quote's headline (the quote and the source's words with the differing ones marked),
a warning's source sentence, and the summary line of a run. Every format says these words
in its own envelope (report.output: text and JSON; report.ci_formats: GitHub, JUnit, SARIF;
report.annotate: Word comments).

Whatever comes from the input (file names, quotes, source passages) is made inert
(report.inert) before it is styled or put into a line, so no input can colour, move or forge
a line of the output.
"""

from __future__ import annotations

import click

from report import diffmark
from report.findings import (
    Changed,
    Closest,
    DiffTag,
    Excerpt,
    QuoteResult,
    Status,
    Summary,
    WrongPage,
)
from report.inert import inert
from report.verify import MAX_CLOSEST
from report.yamlfile import shown


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
        if op.op is DiffTag.EQUAL:
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
