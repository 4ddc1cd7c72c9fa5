"""Outline paths -> DIR/<name>.pdf, DIR/<name>.docx and DIR/<name>.quotes.json, or nothing.

Gather everything, verify everything, render everything in memory, then write: the same
order as MkDocs' build. If any quote fails (or warns, under `strict`), nothing is written;
otherwise all files are written together with report.atomic.staged, so a build that fails
half-way leaves no half-written file and no partial set of briefs.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from report.atomic import staged
from report.brief import make_brief
from report.errors import Location, RenderError
from report.findings import Notice, QuoteResult
from report.ledger import ledger_json
from report.model import Outline, OutlineDefaults
from report.pipeline import Checked, check
from report.render import DEFAULT_PDF_VARIANT, TEMPLATES, builtin_templates
from report.render.docx import STYLES, render_word
from report.render.docx_styles import load_look
from report.render.pdf import Attachment, embeds_files, render_pdf
from report.yamlfile import shown


@dataclass(frozen=True, slots=True)
class Built:
    """What a build did: every result (for the findings output) and the files written
    (none when a quote failed)."""

    results: list[QuoteResult]
    written: tuple[Path, ...]
    notices: tuple[Notice, ...] = ()  # warnings of the build itself (report.findings.Notice)


@dataclass(frozen=True, slots=True)
class Rendered:
    """One brief's files, by suffix (.pdf, .docx, .quotes.json), and what rendering said."""

    files: dict[str, bytes]
    notices: tuple[Notice, ...] = ()


def build(
    paths: Sequence[Path | str],
    out_dir: Path | str,
    strict: bool = False,
    templates: Path | None = None,
    appendix: bool = False,
    corpus_dir: Path | None = None,
    cache_dir: Path | None = None,
    use_cache: bool = True,
    pdf_variant: str = DEFAULT_PDF_VARIANT,
    defaults: OutlineDefaults | None = None,
    database: str | None = None,
) -> Built:
    """Verify `paths`, then write each brief's PDF (of `pdf_variant`), Word file and quote
    ledger into `out_dir`; nothing when a quote fails. `defaults`: the project's settings
    for what an outline does not say (its style, language, Word template); `database`: the
    corpus is the one in that PostgreSQL database (report.database)."""
    checked = check(
        paths, corpus_dir, cache_dir=cache_dir, use_cache=use_cache, defaults=defaults,
        database=database,
    )  # fmt: skip
    results = [r for c in checked for r in c.results]
    if any(c.failed(strict) for c in checked):
        return Built(results, ())
    out_dir = Path(out_dir)
    outputs: dict[Path, bytes] = {}
    notices: list[Notice] = []
    for item in checked:
        folder = templates or templates_for(item.outline)
        rendered = render(item, folder, appendix, pdf_variant, out_dir)
        notices += rendered.notices
        for suffix, data in rendered.files.items():
            target = out_dir / f"{item.outline.name}{suffix}"
            if target in outputs:
                raise RenderError(
                    f"two outlines would both write {target}", Location(str(item.outline.path))
                )
            outputs[target] = data
    try:
        with staged(outputs):  # all files replaced together, or none (report.atomic)
            pass
    except OSError as exc:
        where = Location(exc.filename or str(out_dir))
        raise RenderError(f"cannot write the brief: {exc.strerror or exc}", where) from exc
    return Built(results, tuple(outputs), tuple(notices))


def render(
    item: Checked,
    templates: Path,
    appendix: bool = False,
    pdf_variant: str = DEFAULT_PDF_VARIANT,
    out_dir: Path | str = ".",
) -> Rendered:
    """One verified outline -> its PDF, Word file and quote ledger (paths in it relative to
    `out_dir`); with `appendix`, the brief ends with the verification appendix
    (report.brief.AppendixEntry).

    The ledger (W3C selectors that re-find every quote later, report.ledger) records the
    sha256 of the files it belongs with. A PDF that can carry files carries the ledger
    itself, so that the evidence travels with the brief; the ledger then cannot hold that
    PDF's sha256 and names it as its carrier instead (`report check --ledger` compares the
    ledger the PDF carries)."""
    look = load_look(templates / STYLES)  # checked first: its errors come before a slow PDF
    reference = item.outline.docx_template
    brief = make_brief(item.outline, item.corpus, item.results, timestamp(item.outline), appendix)
    word = render_word(
        brief, templates, look, reference.path if reference else None,
        reference.location if reference else None,
    )  # fmt: skip
    name = item.outline.name
    made = [(f"{name}.docx", word.data)]

    def ledger(outputs: list[tuple[str, bytes]], carrier: str | None = None) -> bytes:
        doc = ledger_json(
            item.outline, item.results, item.corpus, base=out_dir, outputs=outputs,
            carried_by=carrier,
        )  # fmt: skip
        return (json.dumps(doc, ensure_ascii=False, indent=2) + "\n").encode()

    if embeds_files(pdf_variant):
        evidence = ledger(made, carrier=f"{name}.pdf")
        carried = Attachment(f"{name}.quotes.json", evidence, LEDGER_DESCRIPTION)
        pdf = render_pdf(brief, templates, pdf_variant, [carried])
    else:
        pdf = render_pdf(brief, templates, pdf_variant)
        evidence = ledger([(f"{name}.pdf", pdf), *made])
    files = {".pdf": pdf, ".docx": word.data, ".quotes.json": evidence}
    return Rendered(files, word.notices)


LEDGER_DESCRIPTION = (
    "The quote ledger: every quotation in this brief, with the source file (and its sha256) "
    "and W3C Web Annotation selectors that find it there again (report check --ledger)."
)


def timestamp(outline: Outline) -> datetime | None:
    """The documents' creation date: the outline's `date`, else SOURCE_DATE_EPOCH, else
    none at all (never the clock, so builds are reproducible). A date the formats cannot
    hold is clamped where it is written (a zip entry's to 1980-2107, report.render.docx);
    a SOURCE_DATE_EPOCH that is not a date up to the year 9999 is an input error, as the
    reproducible-builds specification asks."""
    if outline.date:
        try:
            when = datetime.fromisoformat(outline.date)
            return when.astimezone(UTC) if when.tzinfo else when.replace(tzinfo=UTC)
        except (ValueError, OverflowError):  # not a date: shown as written, not a timestamp
            pass
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not epoch:
        return None
    if re.fullmatch(r"[0-9]{1,12}", epoch):
        try:
            return datetime.fromtimestamp(int(epoch), UTC)
        except (ValueError, OverflowError, OSError):
            pass
    raise RenderError(
        f"'{shown(epoch)}' is not a date report can use: a whole number of seconds since "
        "1970, at most 253402300799 (the end of the year 9999)",
        Location("SOURCE_DATE_EPOCH"),
    )


def templates_for(outline: Outline) -> Path:
    """`templates/` beside the outlines/ folder (or beside the outline), else the
    repository's own."""
    here = outline.path.resolve().parent
    for candidate in (here.parent / TEMPLATES, here / TEMPLATES, builtin_templates()):
        if candidate is not None and candidate.is_dir():
            return _as_shown(candidate)
    raise RenderError("no templates/ folder found", Location(str(outline.path)))


def _as_shown(path: Path) -> Path:
    """A folder below the working folder as a relative path, so that messages name its
    files as a user sees them (`templates/brief.html.j2:7: ...`)."""
    try:
        return path.relative_to(Path.cwd())
    except ValueError:
        return path
