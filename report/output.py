"""QuoteResults -> what people and CI read: text (like a compiler's messages) and JSON; the
CI formats are report.ci_formats'. The words of each finding are report.messages'.

Whatever comes from the input is inert in the text (report.messages makes it so before it
is styled or put into a line, so no input can colour, move or forge a line of the output);
JSON keeps the data as it is and escapes it the JSON way.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

import click

from report.closest import diff_summary
from report.errors import UNIT_NAMES, Location
from report.findings import Closest, Match, QuoteResult, QuoteWarning, Run, Status
from report.inert import inert, inert_json
from report.messages import details, excerpt_line, headline, summary_line

if TYPE_CHECKING:
    from report.audit import Audited

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


def _warning_json(w: QuoteWarning) -> dict[str, Any]:
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


def render_audit(run: Run, fmt: str, verbose: bool, audited: Audited) -> tuple[str, list[str]]:
    """A draft's audit: the findings with the draft's own facts (report.audit.Audited): in
    JSON beside the findings (`draft`), in text its notices before them; the CI formats
    leave the notices to be said elsewhere (returned, for stderr)."""
    text = render(run, fmt, verbose)
    if fmt == "json":
        doc = json.loads(text)
        doc["draft"] = audited.summary_json()
        return inert_json(json.dumps(doc, ensure_ascii=False, indent=2)), []
    if fmt == "text":
        return "\n".join([*map(inert, audited.notices()), text]), []
    return text, audited.notices()
