"""Outline paths -> DIR/<name>.pdf, DIR/<name>.docx and DIR/<name>.quotes.json, or nothing.

Gather everything, verify everything, render everything in memory, then write: the same
order as MkDocs' build. If any quote fails (or warns, under `strict`), nothing is written;
otherwise all files are written together with report.atomic.staged, so a build that fails
half-way leaves no half-written file and no partial set of briefs.
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from report.atomic import staged
from report.brief import make_brief
from report.errors import Location, RenderError
from report.findings import QuoteResult
from report.ledger import ledger_json
from report.model import Outline
from report.pipeline import Checked, check
from report.render.docx import render_docx
from report.render.pdf import render_pdf

TEMPLATES = "templates"
_PACKAGE = Path(__file__).resolve().parent


def builtin_templates() -> Path | None:
    """The templates this installation ships: inside the installed package (a wheel), or the
    repository's templates/ beside the package (a source checkout or editable install)."""
    for candidate in (_PACKAGE / TEMPLATES, _PACKAGE.parent / TEMPLATES):
        if (candidate / "brief.html.j2").is_file():
            return candidate
    return None


@dataclass(frozen=True, slots=True)
class Built:
    """What a build did: every result (for the findings output) and the files written
    (none when a quote failed)."""

    results: list[QuoteResult]
    written: tuple[Path, ...]


def build(
    paths: Sequence[Path | str],
    out_dir: Path | str,
    strict: bool = False,
    templates: Path | None = None,
    appendix: bool = False,
    corpus_dir: Path | None = None,
    cache_dir: Path | None = None,
    use_cache: bool = True,
    database: str | None = None,
) -> Built:
    checked = check(paths, corpus_dir, cache_dir=cache_dir, use_cache=use_cache, database=database)
    results = [r for c in checked for r in c.results]
    if any(c.failed(strict) for c in checked):
        return Built(results, ())
    out_dir = Path(out_dir)
    outputs: dict[Path, bytes] = {}
    for item in checked:
        folder = templates or templates_for(item.outline)
        for suffix, data in render(item, folder, appendix).items():
            target = out_dir / f"{item.outline.name}{suffix}"
            if target in outputs:
                raise RenderError(
                    f"two outlines would both write {target}", Location(str(item.outline.path))
                )
            outputs[target] = data
        # The quote ledger: W3C selectors that re-find every quote later (report.ledger).
        doc = ledger_json(item.outline, item.results, item.corpus, base=out_dir)
        ledger = out_dir / f"{item.outline.name}.quotes.json"
        outputs[ledger] = (json.dumps(doc, ensure_ascii=False, indent=2) + "\n").encode()
    try:
        with staged(outputs):
            pass
    except OSError as exc:
        raise RenderError(f"cannot write the brief: {exc}", Location(str(out_dir))) from exc
    return Built(results, tuple(outputs))


def render(item: Checked, templates: Path, appendix: bool = False) -> dict[str, bytes]:
    """One verified outline -> its files' bytes, by suffix; with `appendix`, the brief ends
    with the verification appendix (report.brief.AppendixEntry)."""
    brief = make_brief(item.outline, item.corpus, item.results, timestamp(item.outline), appendix)
    return {".pdf": render_pdf(brief, templates), ".docx": render_docx(brief, templates)}


def timestamp(outline: Outline) -> datetime | None:
    """The documents' creation date: the outline's `date`, else SOURCE_DATE_EPOCH, else
    none at all (never the clock, so builds are reproducible)."""
    if outline.date:
        try:
            return datetime.fromisoformat(outline.date).replace(tzinfo=UTC)
        except ValueError:
            pass
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return datetime.fromtimestamp(int(epoch), UTC)
    return None


def templates_for(outline: Outline) -> Path:
    """`templates/` beside the outlines/ folder (or beside the outline), else the
    repository's own."""
    here = outline.path.resolve().parent
    for candidate in (here.parent / TEMPLATES, here / TEMPLATES, builtin_templates()):
        if candidate is not None and candidate.is_dir():
            return candidate
    raise RenderError("no templates/ folder found", Location(str(outline.path)))
