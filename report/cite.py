"""Sources' CSL-JSON metadata -> citation notes and bibliography entries, as rich text.

Formatting is citeproc-py's, driven by a CSL style shipped in report/data/ (Chicago
notes and bibliography, 16th edition, by default). The 17th-edition Chicago CSL needs
features citeproc-py 0.11 lacks (it initialises given names and prints a stray
"Edition"); the 16th-edition style renders correctly and gives the same notes for the
kinds of sources briefs quote. Two things a note style needs that citeproc-py does not
do are added here, in `_finish`: American punctuation inside closing quotation marks
(`“Title,”` rather than `“Title”,`) and a capital letter at the start of a note ("Ibid.");
and `_once` drops the publication citeproc-py repeats in an unsigned article's entry.
"""

from __future__ import annotations

import html
import itertools
import re
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from citeproc import (
    Citation,
    CitationItem,
    CitationStylesBibliography,
    CitationStylesStyle,
    Locator,
    formatter,
)
from citeproc.source.json import CiteProcJSON

from report import typography
from report.corpus import Source
from report.errors import RenderError
from report.model import CiteItem
from report.yamlfile import shown

DATA = Path(__file__).resolve().parent / "data"
DEFAULT_STYLE = DATA / "chicago-notes-bibliography-16th-edition.csl"


@dataclass(frozen=True, slots=True)
class Span:
    """A run of text with one look; rich text is a tuple of spans."""

    text: str
    italic: bool = False
    bold: bool = False


Rich = tuple[Span, ...]


def plain(rich: Rich) -> str:
    return "".join(s.text for s in rich)


def cite_notes(
    sources: dict[str, Source], order: Sequence[str], style: Path = DEFAULT_STYLE
) -> tuple[list[Rich], list[tuple[str, Rich]]]:
    """One note per id of `order` (a full note first, then short notes and "Ibid.", as the
    style says), and the bibliography of the sources cited, in the style's order, as
    (source id, entry) pairs."""
    used = list(dict.fromkeys(order))
    for sid in used:
        _check_fields(sources[sid])
    # citeproc-py lower-cases ids, so `Report` and `report` would be one source to it (the
    # wrong one cited, then "Ibid."): it is given keys of its own, one per source.
    keys = {sid: f"source-{n}" for n, sid in enumerate(used, start=1)}
    items = [_csl_item(sources[sid], keys[sid]) for sid in used]
    bibliography = CitationStylesBibliography(_style(style), CiteProcJSON(items), formatter.html)
    # A note depends only on where it stands: the first of its source (a full note), right
    # after a note of its own source ("Ibid."), or later (a short note). citeproc-py takes
    # ~10 ms a note, and longer the more notes came before, so each form a brief needs is
    # rendered once, in an order that gives it that position: every source once (full
    # notes), then the sources cited again later (short notes; another source stands
    # before each), then one repeat ("Ibid.").
    later = _cited_again_later(order)
    sequence = list(used)
    if later and later[0] == sequence[-1]:
        sequence.append(used[0])  # so that a short note does not follow its own source
    short_at = len(sequence)
    sequence += later
    if any(a == b for a, b in itertools.pairwise(order)):
        sequence.append(sequence[-1])  # the last one: "Ibid."
    citations = [Citation([CitationItem(keys[sid])]) for sid in sequence]
    for citation in citations:
        bibliography.register(citation)
    with warnings.catch_warnings():  # citeproc-py warns about CSL features it skips
        warnings.simplefilter("ignore")
        rendered = [_finish(_rich(str(bibliography.cite(c, _ignore)))) for c in citations]
        entries = [_finish(_rich(str(e))) for e in bibliography.bibliography()]
    full = dict(zip(used, rendered, strict=False))
    short = dict(zip(later, rendered[short_at:], strict=False))
    notes: list[Rich] = []
    seen: set[str] = set()
    for k, sid in enumerate(order):
        if sid not in seen:
            notes.append(full[sid])
        elif order[k - 1] == sid:
            notes.append(rendered[-1])
        else:
            notes.append(short[sid])
        seen.add(sid)
    notes = _short_notes_undated(notes, order, sources)
    ids = {key: sid for sid, key in keys.items()}
    cited = [ids[item.key] for item in bibliography.items]
    entries = [_once(sources[sid], e) for sid, e in zip(cited, entries, strict=True)]
    return notes, list(zip(cited, entries, strict=True))


def cite_items(
    sources: dict[str, Source], notes: Sequence[Sequence[CiteItem]], style: Path = DEFAULT_STYLE
) -> tuple[list[Rich], list[tuple[str, Rich]]]:
    """One note per citation of the author's prose (`[see @id, p. 4; @other]`): its sources
    with their prefix, locator and suffix, in the positions citeproc-py gives them ("Ibid.,
    5.", a short note after a note of several sources). Notes that each cite one source
    and nothing more are rendered as cite_notes renders them, each form once; otherwise
    every note is rendered in turn (about 10 ms a note)."""
    if all(len(n) == 1 and n[0].bare for n in notes):
        return cite_notes(sources, [n[0].source for n in notes], style)
    used = list(dict.fromkeys(item.source for n in notes for item in n))
    for sid in used:
        _check_fields(sources[sid])
    keys = {sid: f"source-{k}" for k, sid in enumerate(used, start=1)}
    items = [_csl_item(sources[sid], keys[sid]) for sid in used]
    bibliography = CitationStylesBibliography(_style(style), CiteProcJSON(items), formatter.html)
    citations = [
        Citation([CitationItem(keys[item.source], **_item_fields(item)) for item in n])
        for n in notes
    ]
    for citation in citations:
        bibliography.register(citation)
    with warnings.catch_warnings():  # citeproc-py warns about CSL features it skips
        warnings.simplefilter("ignore")
        rendered = [_finish(_rich(str(bibliography.cite(c, _ignore)))) for c in citations]
        entries = [_finish(_rich(str(e))) for e in bibliography.bibliography()]
    seen: set[str] = set()
    out: list[Rich] = []
    for note, n in zip(rendered, notes, strict=True):
        if plain(note) != "Ibid." and not plain(note).startswith("Ibid.,"):
            for item in n:  # a later note of a source is a short note, without its date
                if item.source in seen:
                    note = _without_date(note, sources[item.source])
        seen.update(item.source for item in n)
        out.append(note)
    ids = {key: sid for sid, key in keys.items()}
    cited = [ids[item.key] for item in bibliography.items]
    entries = [_once(sources[sid], e) for sid, e in zip(cited, entries, strict=True)]
    return out, list(zip(cited, entries, strict=True))


def _item_fields(item: CiteItem) -> dict[str, Any]:
    fields: dict[str, Any] = {}
    if item.locator:
        fields["locator"] = Locator(item.label or "page", html.escape(item.locator, quote=False))
    if item.prefix:
        fields["prefix"] = html.escape(item.prefix, quote=False)
    if item.suffix:
        fields["suffix"] = html.escape(item.suffix, quote=False)
    return fields


MAX_FIELDS = 10_000  # characters of one source's citation fields (a long title has 300)


def _check_fields(source: Source) -> None:
    """A source's citation is short: one whose fields are huge would make every note huge."""
    length = sum(map(len, _strings(source.csl)))
    if length > MAX_FIELDS:
        raise RenderError(
            f"the citation fields of source '{shown(source.id)}' hold {length:,} characters; "
            f"a citation may hold at most {MAX_FIELDS:,}",
            source.location,
        )


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list | tuple):
        return [s for v in value for s in _strings(v)]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    return []


def _cited_again_later(order: Sequence[str]) -> list[str]:
    """The sources that a short note cites: seen before, but not in the note just before."""
    seen: set[str] = set()
    out: dict[str, None] = {}
    for k, sid in enumerate(order):
        if sid in seen and order[k - 1] != sid:
            out[sid] = None
        seen.add(sid)
    return list(out)


MONTHS = [
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December",
]  # fmt: skip


def _short_notes_undated(notes: list[Rich], order: Sequence[str], sources: dict) -> list[Rich]:
    """A Chicago short note is the author and a short title (14.29): citeproc-py keeps the
    date of the full note in it ("Joscelyn, “Talk About…,” March 21, 2020."), which goes."""
    out: list[Rich] = []
    seen: set[str] = set()
    for note, sid in zip(notes, order, strict=True):
        if sid in seen and plain(note) != "Ibid.":
            note = _without_date(note, sources[sid])
        seen.add(sid)
        out.append(note)
    return out


def _without_date(note: Rich, source: Source) -> Rich:
    issued = source.csl.get("issued")
    parts = _date(issued).get("date-parts", [[]])[0] if isinstance(issued, str) else []
    if not parts and issued not in (None, ""):
        return note
    shown = "n.d."  # what the style prints for a source without a date
    if parts:
        year, month, day = (*parts, None, None)[:3]
        shown = str(year)
        if month and 1 <= month <= 12:
            shown = f"{MONTHS[month - 1]} {day}, {year}" if day else f"{MONTHS[month - 1]} {year}"
    last = note[-1]
    # the date after a title in quotation marks, whose comma went inside them (`_finish`)
    stop = "" if shown.endswith(".") else "."  # "n.d." ends the note with its own
    for tail, end in (
        (f",\u201d {shown}{stop}", ".\u201d"),
        (f", {shown}{stop}", "."),
        (f" ({shown}).", "."),
    ):
        if last.text.endswith(tail):
            return (*note[:-1], Span(last.text[: -len(tail)] + end, last.italic, last.bold))
    # a locator or another source after the date (cite_items): "…,” March 21, 2020, 4."
    # -> "…,” 4."; "…,” March 21, 2020; Wishnick" -> "…”; Wishnick"
    for k in range(len(note) - 1, -1, -1):
        span = note[k]
        for inside, instead in (
            (f",\u201d {shown}, ", ",\u201d "),
            (f", {shown}, ", ", "),
            (f",\u201d {shown};", "\u201d;"),
            (f", {shown};", ";"),
        ):
            if inside in span.text:
                text = span.text.replace(inside, instead, 1)
                return (*note[:k], Span(text, span.italic, span.bold), *note[k + 1 :])
    return note


def _once(source: Source, entry: Rich) -> Rich:
    """An unsigned article's entry begins with its publication in the author's place
    (Chicago 14.207); citeproc-py then prints the publication again where it would stand
    after the title ("CNBC. “Title.” CNBC. December 2021."), against the CSL rule that a
    substituted variable is not repeated. The second one goes, with its separator."""
    container = source.csl.get("container-title")
    if source.csl.get("author") or not isinstance(container, str) or not container.strip():
        return entry
    if not plain(entry).startswith(container.strip()):
        return entry
    name = container.strip()
    for k in range(1, len(entry) - 1):
        if entry[k].italic and entry[k].text == name:
            after = entry[k + 1]
            rest = re.sub(r"^[.,]\s*", "", after.text)
            tail = (Span(rest, after.italic, after.bold),) if rest else ()
            head: Rich = (entry[0],)
            if entry[0].text.startswith(name) and not entry[0].italic:
                # the publication keeps its italics in the author's place
                head = (Span(name, italic=True), Span(entry[0].text[len(name) :]))
            return (*head, *entry[1:k], *tail, *entry[k + 2 :])
    return entry


@cache
def _style(path: Path) -> CitationStylesStyle:
    return CitationStylesStyle(str(path), validate=False)


def _ignore(_item: Any) -> None:
    """citeproc-py reports a citation of an unknown id here; every id is known."""


def _csl_item(source: Source, key: str) -> dict[str, Any]:
    item: dict[str, Any] = {k: v for k, v in source.csl.items() if v not in (None, "")}
    item.setdefault("type", "article")
    for field in ("issued", "accessed"):
        if isinstance(item.get(field), str):
            item[field] = _date(item[field])
    item = {k: v if k == "type" else _text(v) for k, v in item.items()}
    item["id"] = key
    return item


def _text(value: Any) -> Any:
    """A field as citeproc-py's HTML output must carry it: citeproc-py passes text through
    as it is, so `<i>` or `&amp;` in a title would become markup or an ampersand. Escaped
    here and unescaped by `_rich`, the author's characters come out as written."""
    if isinstance(value, str):
        return html.escape(value, quote=False)
    if isinstance(value, list):
        return [_text(v) for v in value]
    if isinstance(value, dict):
        return {k: _text(v) for k, v in value.items()}
    return value


def _date(text: str) -> dict[str, Any]:
    """`2020-03-21`, `2020-04` or `2024` -> CSL date-parts; other text stays literal."""
    m = re.fullmatch(r"(\d{4})(?:-(\d{1,2}))?(?:-(\d{1,2}))?", text.strip())
    if not m:
        return {"literal": text}
    return {"date-parts": [[int(g) for g in m.groups() if g]]}


class _RichParser(HTMLParser):
    """citeproc-py's HTML output -> spans (it only uses <i>, <b> and a few others)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.spans: list[Span] = []
        self.italic = 0
        self.bold = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.italic += tag == "i"
        self.bold += tag == "b"

    def handle_endtag(self, tag: str) -> None:
        self.italic -= tag == "i"
        self.bold -= tag == "b"

    def handle_data(self, data: str) -> None:
        span = Span(data, self.italic > 0, self.bold > 0)
        last = self.spans[-1] if self.spans else None
        if last is not None and (last.italic, last.bold) == (span.italic, span.bold):
            self.spans[-1] = Span(last.text + data, span.italic, span.bold)
        else:
            self.spans.append(span)


def _rich(html: str) -> Rich:
    parser = _RichParser()
    parser.feed(html)
    parser.close()
    spans = (Span(typography.visible(s.text), s.italic, s.bold) for s in parser.spans)
    return tuple(s for s in spans if s.text)


def _finish(rich: Rich) -> Rich:
    spans = list(rich)
    # Move a comma or full stop that follows a closing quotation mark inside it; the mark
    # and the punctuation may sit in different spans (“<i>Title</i>”, ...).
    for i, span in enumerate(spans):
        text = re.sub(r"\u201d([.,])", "\\1\u201d", span.text)
        if text.endswith("\u201d") and i + 1 < len(spans) and spans[i + 1].text[:1] in ".,":
            nxt = spans[i + 1]
            text = text[:-1] + nxt.text[0] + "\u201d"
            spans[i + 1] = Span(nxt.text[1:], nxt.italic, nxt.bold)
        spans[i] = Span(text, span.italic, span.bold)
    spans = [s for s in spans if s.text]
    if spans and spans[0].text[:1].islower():
        first = spans[0]
        spans[0] = Span(first.text[0].upper() + first.text[1:], first.italic, first.bold)
    return tuple(spans)
