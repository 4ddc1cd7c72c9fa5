"""Sources' CSL-JSON metadata -> citations (notes, or in-text citations) and the list of
references, as rich text.

Formatting is citeproc-py's, driven by a CSL style: one of those shipped in
report/data/styles/ (Chicago notes and bibliography, 16th edition, the default; Chicago
author-date; APA 7; Harvard, Cite Them Right) or any .csl file, in the CSL locale of the
brief's language (`lang`). The 17th-edition Chicago CSL needs features citeproc-py 0.11
lacks (it initialises given names and prints a stray "Edition"); the 16th-edition styles
render correctly and give the same notes for the kinds of sources briefs quote.

What citeproc-py does not do is done here, in `_finish` and `_tidy`: punctuation inside
closing quotation marks where the locale wants it (`“Title,”` in American English, not in
British English or French), a capital letter at the start of a note ("Ibid."), quotation
marks inside a quoted title set one level down; no stray symbols or doubled punctuation
from a field the style prints a label for without its value ("85 Federal Register §
(2020)"), and `_once` drops the title or publication citeproc-py repeats in an unsigned
source's entry. The bibliography is sorted as the style says (citeproc-py lists sources
in the order they were first cited unless told to sort).

A citation's locator (`p. 12`) is rendered through a placeholder, so that each form of a
source's citation (first, subsequent, "Ibid.", with a page or pages or none) is rendered
once however many pages a brief cites.
"""

from __future__ import annotations

import html
import re
import unicodedata
import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from functools import cache
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from citeproc import (
    Citation,
    CitationItem,
    CitationStylesBibliography,
    CitationStylesStyle,
    Locator,
    formatter,
)
from citeproc.source.json import CiteProcJSON
from lxml import etree

from report import typography
from report.errors import Location, OutlineError, RenderError, ReportError
from report.sources import Source
from report.yamlfile import shown

DATA = Path(__file__).resolve().parent / "data"
STYLES = DATA / "styles"
# The styles `style:` may name (report/data/styles/README.md says where they come from).
BUNDLED = {
    "chicago-notes-bibliography": "chicago-notes-bibliography-16th-edition.csl",
    "chicago-author-date": "chicago-author-date-16th-edition.csl",
    "apa": "apa-7th-edition.csl",
    "harvard": "harvard-cite-them-right-12th-edition.csl",
}
ALIASES = {
    "chicago": "chicago-notes-bibliography",
    "chicago-notes": "chicago-notes-bibliography",
    "chicago-notes-bibliography-16th-edition": "chicago-notes-bibliography",
    "chicago-author-date-16th-edition": "chicago-author-date",
    "apa-7": "apa",
    "apa7": "apa",
    "apa-7th-edition": "apa",
    "harvard-cite-them-right": "harvard",
    "cite-them-right": "harvard",
}
DEFAULT_STYLE_NAME = "chicago-notes-bibliography"
DEFAULT_STYLE = STYLES / BUNDLED[DEFAULT_STYLE_NAME]
MAX_STYLE_BYTES = 2 * 1024 * 1024  # the largest CSL styles are about 200 KB


@dataclass(frozen=True, slots=True)
class Span:
    """A run of text with one look; rich text is a tuple of spans."""

    text: str
    italic: bool = False
    bold: bool = False
    href: str | None = None  # a live link (report.links); only http(s) addresses


Rich = tuple[Span, ...]


def plain(rich: Rich) -> str:
    return "".join(s.text for s in rich)


@dataclass(frozen=True, slots=True)
class Style:
    """A CSL style in the locale of a brief's language."""

    path: Path = DEFAULT_STYLE
    lang: str | None = None  # BCP 47; None: the style's own default locale

    @property
    def locale(self) -> str:
        if self.lang:
            return typography.locale_name(self.lang)
        return _info(self.path)[1] or "en-US"

    @property
    def in_text(self) -> bool:
        """Citations in the text ("(Joscelyn 2020, 4)") and a reference list, rather than
        notes: the CSL style's class is "in-text"."""
        return _info(self.path)[0] == "in-text"


def resolve_style(
    value: str,
    base: Path,
    location: Location | None = None,
    error: type[ReportError] = OutlineError,
) -> Path:
    """A style as a user names it (`apa`, `chicago-author-date`, or a path to a .csl file,
    relative to `base`) -> its file. A name that is neither, or a file that is not a CSL
    style, is an input error at `location` (of class `error`: an outline's or a project
    configuration's)."""
    text = value.strip()
    name = ALIASES.get(text.lower(), text.lower())
    if name in BUNDLED:
        return STYLES / BUNDLED[name]
    names = ", ".join(BUNDLED)
    if not text.lower().endswith(".csl"):
        raise error(
            f"unknown citation style '{shown(text)}': use one of {names}, or the path of a "
            ".csl file",
            location,
        )
    path = (base / text).resolve() if "\x00" not in text else base / "?"
    problem = ""
    if not path.is_file():
        problem = "does not exist" if not path.exists() else "is not a file"
    elif path.stat().st_size > MAX_STYLE_BYTES:
        problem = f"is larger than {MAX_STYLE_BYTES // 1024 // 1024} MB"
    else:
        try:
            _info(path)
        except ValueError as exc:
            problem = f"is not a CSL style ({exc})"
    if problem:
        raise error(f"citation style '{shown(text)}' {problem} ({path})", location)
    return path


_CSL = "{http://purl.org/net/xbiblio/csl}"


def _info(path: Path) -> tuple[str, str]:
    """_read_info, kept while the file is unchanged (a build in a watch loop reads it once)."""
    try:
        st = path.stat()
    except OSError as exc:
        raise ValueError(str(exc)) from exc
    return _read_info(path, st.st_mtime_ns, st.st_size)


@cache
def _read_info(path: Path, _mtime: int, _size: int) -> tuple[str, str]:
    """A style file's class ("note" or "in-text") and default locale ("" if none); a file
    that is not a CSL style with a citation layout raises ValueError."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    try:
        root = etree.parse(str(path), parser).getroot()
    except (OSError, etree.XMLSyntaxError) as exc:
        raise ValueError(str(exc).split("\n")[0]) from exc
    if root.tag != f"{_CSL}style":
        raise ValueError(f"its root element is <{etree.QName(root).localname}>, not <style>")
    if root.find(f"{_CSL}citation") is None:
        raise ValueError("it has no <citation>")
    kind = root.get("class", "note")
    if kind not in ("note", "in-text"):
        raise ValueError(f"class '{shown(kind)}' is neither 'note' nor 'in-text'")
    if root.find(f"{_CSL}info/{_CSL}link[@rel='independent-parent']") is not None:
        raise ValueError("it is a dependent style: give the style it depends on")
    return kind, root.get("default-locale", "")


@dataclass(frozen=True, slots=True)
class Cite:
    """One citation of one source: its id and, optionally, where in it (`locator`, as the
    citation shows it: "12", "12–13", "iv"; `label` its CSL term: page, paragraph...)."""

    source: str
    locator: str = ""
    label: str = "page"
    # A Pandoc citation's words around it, `[see @id, p. 4 and later]` (note_citations).
    prefix: str = ""
    suffix: str = ""

    @property
    def shape(self) -> str:
        """Empty: no locator; "one": one page; "more": pages ("12–13", "12, 14")."""
        if not self.locator:
            return ""
        return "more" if re.search(r"[-\u2013,&]", self.locator) else "one"


# The placeholders a locator is rendered as, replaced by the locator afterwards: numbers,
# so that the style sees one page or several ("p." or "pp.").
_ONE, _LAST = "31415926", "27182818"
_PLACEHOLDER = {"one": _ONE, "more": f"{_ONE}-{_LAST}"}
_RENDERED = {"one": _ONE, "more": f"{_ONE}\u2013{_LAST}"}
_DUMMY = "report-dummy"


@dataclass
class _Forms:
    """Each form of each source's citation, rendered once."""

    style: Style
    items: dict[str, dict[str, Any]]  # citeproc key -> CSL-JSON item
    rendered: dict[tuple, Rich] = field(default_factory=dict)

    def get(self, key: str, position: str, shape: str, label: str) -> Rich:
        form = (key, position, shape, label)
        if form not in self.rendered:
            self.rendered[form] = self._render(key, position, shape, label)
        return self.rendered[form]

    def _render(self, key: str, position: str, shape: str, label: str) -> Rich:
        """A citation in `position` ("first", "subsequent", "ibid", "ibid-with-locator"):
        citeproc-py tells the position from the citations before it, so those are rendered
        first, in a bibliography of their own."""
        dummy = dict(self.items[key], id=_DUMMY)
        source = CiteProcJSON([self.items[key], dummy])
        bibliography = CitationStylesBibliography(
            _style(self.style.path, self.style.locale), source, formatter.html
        )

        # one Locator for every citation: citeproc-py tells "Ibid." from "Ibid., 12" by
        # whether the locator is the same object as the one before
        locator = Locator(label, _PLACEHOLDER[shape]) if shape else None

        def cite(which: str, with_shape: str) -> Citation:
            item = CitationItem(which, locator=locator) if with_shape else CitationItem(which)
            return Citation([item])

        before = {
            "first": [],
            "subsequent": [cite(key, ""), cite(_DUMMY, "")],
            "ibid": [cite(key, shape)],
            "ibid-with-locator": [cite(key, "")],
        }[position]
        citations = [*before, cite(key, shape)]
        for citation in citations:
            bibliography.register(citation)
        with warnings.catch_warnings():  # citeproc-py warns about CSL features it skips
            warnings.simplefilter("ignore")
            out = ""
            for citation in citations:
                out = str(bibliography.cite(citation, _ignore))
        return _finish(_rich(_tidy(out)), self.style)


def citations(
    sources: dict[str, Source], cites: Sequence[Cite], style: Style | None = None
) -> tuple[list[Rich], list[tuple[str, Rich]]]:
    """One citation per item of `cites`, in order: in a note style a full note the first
    time a source is cited, then short notes and "Ibid." as the style says; in an in-text
    style "(Joscelyn 2020, 4)". And the list of references (the bibliography) of the
    sources cited, sorted as the style sorts it, as (source id, entry) pairs."""
    citer = _Citer(sources, [c.source for c in cites], style or Style())
    notes = [citer.cite(c, cites[k - 1] if k else None) for k, c in enumerate(cites)]
    return notes, citer.bibliography()


def note_citations(
    sources: dict[str, Source], notes: Sequence[Sequence[Cite]], style: Style | None = None
) -> tuple[list[Rich], list[tuple[str, Rich]]]:
    """One citation per note of the author's prose, which may cite several sources and put
    words around each (`[see @a, p. 4; @b]`): its sources' citations in turn, with their
    prefixes and suffixes, joined by semicolons. A note of several sources neither is nor
    is followed by "Ibid." (which would not say which). Notes of one source each, with no
    words around them, are `citations`' own."""
    if all(len(n) == 1 and not (n[0].prefix or n[0].suffix) for n in notes):
        return citations(sources, [n[0] for n in notes], style)
    style = style or Style()
    citer = _Citer(sources, [c.source for n in notes for c in n], style)
    out: list[Rich] = []
    before: Cite | None = None  # the note before, when it cited one source
    for note in notes:
        alone = before if len(note) == 1 else None
        parts = [_affixed(citer.cite(c, alone), c, style.in_text) for c in note]
        out.append(_joined(parts, style.in_text))
        before = note[0] if len(note) == 1 else None
    return out, citer.bibliography()


class _Citer:
    """The citations of one brief's sources in one style, in the order they are cited: each
    knows whether its source was cited before (first, subsequent, "Ibid.")."""

    def __init__(self, sources: dict[str, Source], cited: list[str], style: Style) -> None:
        self.sources = sources
        self.style = style
        self.used = list(dict.fromkeys(cited))
        for sid in self.used:
            _check_fields(sources[sid])
        # citeproc-py lower-cases ids, so `Report` and `report` would be one source to it
        # (the wrong one cited, then "Ibid."): it is given keys of its own, one per source.
        self.keys = {sid: f"source-{n}" for n, sid in enumerate(self.used, start=1)}
        self.items = {k: _csl_item(sources[sid], k) for sid, k in self.keys.items()}
        self.forms = _Forms(style, self.items)
        self.seen: set[str] = set()

    def cite(self, c: Cite, before: Cite | None) -> Rich:
        """`c`'s citation, located; `before` is the citation just before it, if it may
        make this one "Ibid."."""
        style, source = self.style, self.sources[c.source]
        position = _position(c, before, self.seen)
        shape = c.shape
        if position == "ibid" and before is not None and before.locator == c.locator:
            shape = before.shape
        rich = self.forms.get(self.keys[c.source], position, shape, c.label)
        if position == "subsequent" and not style.in_text:
            rich = _without_date(rich, source, style.locale)
        if position == "first" and not style.in_text:
            rich = _archived(source, rich)
        self.seen.add(c.source)
        return _located(rich, c)

    def bibliography(self) -> list[tuple[str, Rich]]:
        return _bibliography(self.sources, self.used, self.keys, self.items, self.style)


def _affixed(rich: Rich, c: Cite, in_text: bool) -> Rich:
    """One source's citation without what closes it (the note's full stop, the in-text
    citation's brackets), its prefix before it and its suffix after."""
    spans = list(rich)
    if spans and in_text and spans[0].text.startswith("("):
        spans[0] = replace(spans[0], text=spans[0].text[1:])
    closing = ")" if in_text else "."
    if spans and spans[-1].text.endswith(closing):
        spans[-1] = replace(spans[-1], text=spans[-1].text[: -len(closing)])
    if c.prefix:
        spans.insert(0, Span(html.unescape(c.prefix)))
    if c.suffix:
        spans.append(Span(html.unescape(c.suffix)))
    return tuple(s for s in spans if s.text)


def _joined(parts: list[Rich], in_text: bool) -> Rich:
    spans: list[Span] = [Span("(")] if in_text else []
    for k, part in enumerate(parts):
        if k:
            spans.append(Span("; "))
        spans += part
    spans.append(Span(")" if in_text else "."))
    first = spans[1 if in_text else 0]
    if not in_text and first.text[:1].islower():  # "see Joscelyn" opens the note
        spans[0] = replace(first, text=first.text[0].upper() + first.text[1:])
    return tuple(spans)


def _position(c: Cite, before: Cite | None, seen: set[str]) -> str:
    """The CSL position of a citation after `before`: first, subsequent, ibid or
    ibid-with-locator (CSL 1.0.2: "ibid" when the citation before is of the same source
    and either this one has a locator or that one has none)."""
    if c.source not in seen:
        return "first"
    if before is None or before.source != c.source:
        return "subsequent"
    if not c.locator:
        return "ibid" if not before.locator else "subsequent"
    if before.locator == c.locator:
        return "ibid"
    return "ibid-with-locator"


def _located(note: Rich, c: Cite) -> Rich:
    """A rendered form with its placeholder replaced by the citation's locator."""
    if not c.shape:
        return note
    placeholder = _RENDERED[c.shape]
    return tuple(
        replace(s, text=s.text.replace(placeholder, c.locator)) if placeholder in s.text else s
        for s in note
    )


def _bibliography(
    sources: dict[str, Source],
    used: list[str],
    keys: dict[str, str],
    items: dict[str, dict[str, Any]],
    style: Style,
) -> list[tuple[str, Rich]]:
    bibliography = CitationStylesBibliography(
        _style(style.path, style.locale), CiteProcJSON(list(items.values())), formatter.html
    )
    for sid in used:
        bibliography.register(Citation([CitationItem(keys[sid])]))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        if _sorts(style.path):
            bibliography.sort()
        entries = [_rich(_tidy(str(e))) for e in bibliography.bibliography()]
    ids = {key: sid for sid, key in keys.items()}
    cited = [ids[item.key] for item in bibliography.items]
    out = [
        (sid, _archived(sources[sid], _finish(_once(sources[sid], e), style), entry=True))
        for sid, e in zip(cited, entries, strict=True)
    ]
    if _sorts(style.path):
        # citeproc-py's sort keys leave out what stands in for a missing author, so an
        # unsigned source sorts first or last; every bundled style sorts by the entry's
        # first words (the author, or what stands in its place), then the date
        out.sort(key=lambda pair: _sort_key(plain(pair[1])))
    return out


def _sort_key(text: str) -> str:
    """An entry as alphabetical order reads it: no quotation marks, accents or case, a
    leading "The", "A" or "An" left out (Chicago 16.52)."""
    text = unicodedata.normalize("NFKD", text).casefold()
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = re.sub(r"^[\W_]+", "", text)
    return re.sub(r"^(the|an|a) ", "", text)


@cache
def _sorts(path: Path) -> bool:
    """Does the style sort its bibliography (most do; a numeric style lists by citation)?"""
    root = etree.parse(str(path), etree.XMLParser(resolve_entities=False)).getroot()
    return root.find(f"{_CSL}bibliography/{_CSL}sort") is not None


def cite_notes(
    sources: dict[str, Source],
    order: Sequence[str],
    style: Style | Path = DEFAULT_STYLE,
) -> tuple[list[Rich], list[tuple[str, Rich]]]:
    """One citation per source id of `order`, without locators (see `citations`)."""
    if isinstance(style, Path):
        style = Style(style)
    return citations(sources, [Cite(sid) for sid in order], style)


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


MONTHS = [
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December",
]  # fmt: skip


def _without_date(note: Rich, source: Source, locale: str = "en-US") -> Rich:
    """A Chicago short note is the author and a short title (14.29): the 16th-edition style
    keeps the date of the full note in it ("Joscelyn, “Talk About…,” March 21, 2020."),
    which goes, before a page too ("…,” March 21, 2020, 4." -> "…,” 4.")."""
    issued = source.csl.get("issued")
    parts = _date(issued).get("date-parts", [[]])[0] if isinstance(issued, str) else []
    if not parts and issued not in (None, ""):
        return note
    if not locale.startswith("en"):
        return _without_date_in(note, str(parts[0]) if parts else _no_date(locale))
    shown_date = "n.d."  # what the style prints for a source without a date
    if parts:
        year, month, day = (*parts, None, None)[:3]
        shown_date = str(year)
        if month and 1 <= month <= 12:
            name = MONTHS[month - 1]
            shown_date = f"{name} {day}, {year}" if day else f"{name} {year}"
    last = note[-1]
    # the date after a title in quotation marks, whose comma went inside them (`_finish`)
    stop = "" if shown_date.endswith(".") else "."  # "n.d." ends the note with its own
    for tail, end in (
        (f",\u201d {shown_date}{stop}", ".\u201d"),
        (f", {shown_date}{stop}", "."),
        (f" ({shown_date}).", "."),
    ):
        if last.text.endswith(tail):
            return (*note[:-1], Span(last.text[: -len(tail)] + end, last.italic, last.bold))
    for k in range(len(note) - 1, -1, -1):  # a page after the date
        span = note[k]
        for inside, instead in (
            (f",\u201d {shown_date}, ", ",\u201d "),
            (f", {shown_date}, ", ", "),
        ):
            if inside in span.text:
                text = span.text.replace(inside, instead, 1)
                return (*note[:k], Span(text, span.italic, span.bold), *note[k + 1 :])
    return note


def _without_date_in(note: Rich, date: str) -> Rich:
    """_without_date in a language whose dates have no comma ("21 mars 2020", "o. J."):
    the last element holding the year (or the "no date" term) goes, with its comma."""
    for k in range(len(note) - 1, -1, -1):
        span = note[k]
        found = list(re.finditer(r",[^,]*?" + re.escape(date) + r"[^,]*?(?=,|\.?$)", span.text))
        if found:
            m = found[-1]
            text = span.text[: m.start()] + span.text[m.end() :]
            if not text.rstrip().endswith("."):
                text = text.rstrip() + "."
            return (*note[:k], Span(text, span.italic, span.bold), *note[k + 1 :])
    return note


# Archives a source's `archived:` address may name, as Chicago names them ("archived
# January 2, 2021, at the Wayback Machine"); another host is named by its address.
_ARCHIVES = {
    "web.archive.org": "the Wayback Machine", "wayback.archive.org": "the Wayback Machine",
    "perma.cc": "Perma.cc", "archive.today": "archive.today", "archive.ph": "archive.today",
    "archive.is": "archive.today", "archive.li": "archive.today", "archive.md": "archive.today",
}  # fmt: skip
_WAYBACK_DATE = re.compile(r"/web/(\d{4})(\d{2})(\d{2})\d*[a-z_]*/")


def archived_phrase(address: str) -> str:
    """How a note names an archived copy (CMOS 14.233 and its Q&A on the Wayback Machine):
    `archived January 2, 2021, at the Wayback Machine, https://web.archive.org/...`."""
    parts = urlsplit(address)
    host = (parts.hostname or "").removeprefix("www.")
    where = _ARCHIVES.get(host, host)
    when = ""
    m = _WAYBACK_DATE.match(parts.path) if where == "the Wayback Machine" else None
    if m and 1 <= int(m.group(2)) <= 12:
        year, month, day = int(m.group(1)), int(m.group(2)), int(m.group(3))
        when = f" {MONTHS[month - 1]} {day}, {year}," if day else f" {MONTHS[month - 1]} {year},"
    return f"archived{when} at {where}, {address}"


def _archived(source: Source, rich: Rich, entry: bool = False) -> Rich:
    """A full note or bibliography entry followed by the source's archived copy, where
    sources.yaml names one: after the note's last element (the source's own address, when it
    has one), as its own sentence in the bibliography."""
    address = source.csl.get("archived")
    if not isinstance(address, str) or not address.strip() or not rich:
        return rich
    phrase = archived_phrase(address.strip())
    last = rich[-1]
    text = last.text.rstrip()
    stop = text.endswith(".")
    text = text[:-1] if stop else text
    if entry:
        tail = Span(text + ". " if not last.italic else text, last.italic, last.bold)
        joined = (Span(". ") if last.italic else None, Span(phrase[0].upper() + phrase[1:] + "."))
    else:
        tail = Span(text + ", " if not last.italic else text, last.italic, last.bold)
        joined = (Span(", ") if last.italic else None, Span(phrase + "."))
    return (*rich[:-1], tail, *(s for s in joined if s is not None))


@cache
def _no_date(locale: str) -> str:
    """The locale's short "no date" term ("s. d.", "o. J.")."""
    from citeproc.frontend import LOCALES_PATH

    root = etree.parse(str(Path(LOCALES_PATH) / f"locales-{locale}.xml")).getroot()
    found = root.xpath(
        "cs:terms/cs:term[@name='no date' and @form='short']",
        namespaces={"cs": "http://purl.org/net/xbiblio/csl"},
    )
    return found[0].text if found and found[0].text else "n.d."


def _once(source: Source, entry: Rich) -> Rich:
    """An unsigned source's entry begins with what stands in the author's place, its
    publication (Chicago 14.207) or its title (APA, Harvard); citeproc-py then prints it
    again where it would stand after the title ("CNBC. “Title.” CNBC. December 2021."),
    against the CSL rule that a substituted variable is not repeated. The second one goes,
    with its separator; so does a parenthesis repeated with it (APA's "(No. 17)")."""
    if source.csl.get("author") or not entry:
        return entry
    for key in ("container-title", "title"):
        value = source.csl.get(key)
        name = html.escape(typography.line(value), quote=False) if isinstance(value, str) else ""
        name = html.unescape(name)
        text = plain(entry)
        if not name or not text.lstrip("\u201c\u2018\u00ab\u201e ").startswith(name):
            continue
        again = text.find(name, text.find(name) + len(name))
        if again < 0:
            continue
        # it goes with the separators around it; one separator joins what was on either side
        end = again + len(name)
        while end < len(text) and text[end] in ".,;: ":
            end += 1
        start = again
        while start > 0 and text[start - 1] in ".,;: ":
            start -= 1
        entry = _cut(entry, start, end)
        if start < len(plain(entry)):
            entry = _insert(entry, start, ". ")
        elif start:
            entry = _insert(entry, start, ".")
        first = entry[0]
        if key == "container-title" and not first.italic and first.text.startswith(name):
            # the publication keeps its italics in the author's place (Chicago 14.207)
            entry = (Span(name, italic=True), Span(first.text[len(name) :]), *entry[1:])
        break
    text = plain(entry)
    for m in re.finditer(r"\([^()]+\)", text):
        later = text.find(m.group(0), m.end())
        if later >= 0:
            end = later + len(m.group(0))
            while end < len(text) and text[end] in ".,; ":
                end += 1
            start = later
            while start > 1 and text[start - 2 : start] == "  ":
                start -= 1
            return _cut(entry, start, end)
    return entry


def _cut(rich: Rich, start: int, end: int) -> Rich:
    """Rich text without the characters [start, end) of its plain text."""
    out, pos = [], 0
    for s in rich:
        a, b = pos, pos + len(s.text)
        keep = (
            s.text[: max(0, start - a)] + s.text[max(0, end - a) :]
            if a < end and start < b
            else s.text
        )
        out.append(Span(keep, s.italic, s.bold))
        pos = b
    return _squeeze(tuple(out))


def _insert(rich: Rich, at: int, text: str) -> Rich:
    """Rich text with `text` (roman) inserted at `at` of its plain text."""
    out, pos = [], 0
    done = False
    for s in rich:
        if not done and pos <= at <= pos + len(s.text) and not s.italic:
            k = at - pos
            out.append(Span(s.text[:k] + text + s.text[k:], s.italic, s.bold))
            done = True
        elif not done and at == pos:
            out += [Span(text), s]
            done = True
        else:
            out.append(s)
        pos += len(s.text)
    if not done:
        out.append(Span(text))
    return _squeeze(tuple(out))


def _squeeze(rich: Rich) -> Rich:
    """Neighbouring spans of one look as one; empty ones gone."""
    out: list[Span] = []
    for s in rich:
        if not s.text:
            continue
        if out and (out[-1].italic, out[-1].bold) == (s.italic, s.bold):
            out[-1] = Span(out[-1].text + s.text, s.italic, s.bold)
        else:
            out.append(s)
    return tuple(out)


@cache
def _style(path: Path, locale: str = "en-US") -> CitationStylesStyle:
    return CitationStylesStyle(str(path), locale=locale, validate=False)


def _ignore(_item: Any) -> None:
    """citeproc-py reports a citation of an unknown id here; every id is known."""


def _csl_item(source: Source, key: str) -> dict[str, Any]:
    item: dict[str, Any] = {
        k: v for k, v in source.csl.items() if v not in (None, "") and k != "archived"
    }  # `archived` is report's own: _archived cites it
    item.setdefault("type", "article")
    for name in ("issued", "accessed"):
        if isinstance(item.get(name), str):
            item[name] = _date(item[name])
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


# "Wen-tau Yih" initialised: citeproc-py takes the lower-case part after the hyphen for a
# particle ("W.-. tau"); CSL's rule gives "W.-t.".
_HYPHENED_INITIALS = re.compile(r"(\w)\.-\. ([a-z])\w*\.?")

# Labels a style prints before a variable the item does not have (the 16th-edition Chicago
# style's "§" for a law's section, which it prints unconditionally), and what is left of
# a group whose variables are all missing.
_TAG = r"(?:</?[ib]>)*"
_TIDY = (
    (re.compile(r"\s*\u00a7(?=\s*(?:[(),.;:<]|$))"), ""),  # "85 Federal Register § (2020)"
    (re.compile(r"(?<=[.,]) In(?= ?[.,])"), ""),  # "“Title”. In ." (no book or proceedings)
    (re.compile(r"\(\s*\)"), ""),  # "()"
    (re.compile(r"\s+(?=[.,;:)])"), ""),  # a space before punctuation
    (re.compile(r"\.(" + _TAG + r")\s*\.(?!\.)"), r".\1"),  # ". ." or ".." (not "...")
    (re.compile(r",(" + _TAG + r")\s*([.,])"), r"\1\2"),  # ", ." -> "."  ", ," -> ","
)


def _tidy(text: str) -> str:
    """citeproc-py's HTML without the stray labels and doubled punctuation that fields a
    style asks for and the source lacks leave behind."""
    for pattern, instead in _TIDY:
        text = pattern.sub(instead, text)
    return _HYPHENED_INITIALS.sub(r"\1.-\2.", text)


def _finish(rich: Rich, style: Style | None = None) -> Rich:
    locale = style.locale if style is not None else "en-US"
    spans = list(_requoted(rich, locale))
    if typography.marks(locale).inside:
        # Move a comma or full stop that follows a closing quotation mark inside it; the
        # mark and the punctuation may sit in different spans (“<i>Title</i>”, ...).
        close = typography.marks(locale).outer[1]
        for i, span in enumerate(spans):
            text = re.sub(re.escape(close) + "([.,])", "\\1" + close, span.text)
            if text.endswith(close) and i + 1 < len(spans) and spans[i + 1].text[:1] in ".,":
                nxt = spans[i + 1]
                text = text[: -len(close)] + nxt.text[0] + close
                spans[i + 1] = Span(nxt.text[1:], nxt.italic, nxt.bold)
            spans[i] = Span(text, span.italic, span.bold)
    spans = [s for s in spans if s.text]
    if spans and spans[0].text[:1].islower():
        first = spans[0]
        spans[0] = Span(first.text[0].upper() + first.text[1:], first.italic, first.bold)
    return tuple(spans)


def _requoted(rich: Rich, locale: str) -> Rich:
    """Quotation marks inside a quoted title one level down (“Why ‘Liberation’ Failed”)."""
    whole = "".join(s.text for s in rich)
    pieces = typography.requote_map(whole, locale)
    out, pos = [], 0
    for s in rich:
        out.append(Span("".join(pieces[pos : pos + len(s.text)]), s.italic, s.bold))
        pos += len(s.text)
    return tuple(out)
