"""An outline, its corpus and its verified results -> a Brief: the render-neutral model of
the document that both the PDF and the Word renderer draw, so they cannot say different
things.

Everything a reader sees is decided here, once: the display text of each quote, who it is
attributed to, whether it stands inline or as a block quote, its footnote number and its
citation (a note, or an in-text citation in an author-date style, with the page of a
quote from a PDF), the list of sources quoted and, when asked for, the verification
appendix; all in the quotation marks of the brief's language.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime

from report import typography
from report.cite import DEFAULT_STYLE, MONTHS, Cite, Rich, Style, citations
from report.corpus import Corpus, Source
from report.errors import Location, RenderError
from report.findings import QuoteResult, Status
from report.links import entry_links, note_links, passage_link
from report.model import Outline
from report.normalize import normalize_text
from report.quote import compile_quote

# How a quote is introduced, by who is quoted: (full sentence, same person again).
_VERBS = {
    "speaker": ("As {} put it, ", "{} added, "),
    "author": ("As {} writes, ", "{} adds, "),
    "publication": ("As {} reported, ", "{} also reported, "),
}

DEFAULT_LANG = "en"  # a brief whose outline does not say

# Quotes of this many words or more are set as block quotes (style guides say 40 to 100
# words for long texts; a brief's columns are short, so it is lower here).
BLOCK_WORDS = 25


@dataclass(frozen=True, slots=True)
class Quote:
    number: int  # footnote number, 1-based, in reading order
    text: str  # what the reader sees between the quotation marks (or in the block)
    source_id: str
    attribution: str  # who is quoted: the speaker, else the source's author or publication
    role: str  # what the attribution is: "speaker", "author" or "publication"
    speaker: str | None
    lead_in: str  # the words before an inline quote ("As Neil Thomas put it, ")
    block: bool
    note: Rich  # the footnote's citation text (in an author-date style, the citation)
    closes: bool = True  # ends its sentence (else the next quote continues it: "and ...")
    link: str | None = None  # the quoted passage on the web (report.links), if the source has a url
    lang: str = DEFAULT_LANG  # the brief's language: its quotation marks
    in_text: bool = False  # the citation stands in the text after the quote, not in a note

    @property
    def inline(self) -> str:
        """The quote in its sentence up to its citation: lead-in, the language's quotation
        marks (those inside it one level down), and the sentence's full stop where it goes
        before a note: inside the closing mark in American English (“….”), after it in
        other languages („…“.), none after a quote that ends with its own (…?” or „….“).
        Before an in-text citation the quote's own full stop goes: “…” (Joscelyn 2020)."""
        marks = typography.marks(self.lang)
        opening, closing = marks.outer
        text = typography.nest(self.text, self.lang)
        body, inner = _split_closing(text)
        if self.in_text:
            if self.closes and body.endswith(".") and not body.endswith("..."):
                text = body[:-1] + inner
            return f"{self.lead_in}{opening}{text}{closing}"
        if not self.closes or body[-1:] in ".!?\u2026":
            return f"{self.lead_in}{opening}{text}{closing}"
        if marks.inside:
            return f"{self.lead_in}{opening}{body}.{inner}{closing}"
        return f"{self.lead_in}{opening}{text}{closing}."

    @property
    def tail(self) -> str:
        """What follows an in-text citation: the sentence's full stop."""
        return "." if self.in_text and self.closes and not self.block else ""


def _split_closing(text: str) -> tuple[str, str]:
    """A quote and the closing quotation marks (and spaces) it ends with: `…it.’` ->
    (`…it.`, `’`)."""
    k = len(text)
    while (
        k > 0 and text[k - 1] in "\u201d\u2019\u00bb\u203a\u201c\u2018\u00ab\u2039\"' \u00a0\u202f"
    ):
        k -= 1
    return text[:k], text[k:]


@dataclass(frozen=True, slots=True)
class Argument:
    claim: str
    text: tuple[str, ...]  # elaboration paragraphs
    quotes: tuple[Quote, ...]

    @property
    def evidence(self) -> tuple[tuple[Quote, ...], ...]:
        """The quotes as the reader meets them: runs of inline quotes, each run one
        paragraph, and every block quote on its own (a one-quote group with `block`)."""
        groups: list[list[Quote]] = []
        for q in self.quotes:
            if q.block or not groups or groups[-1][-1].block:
                groups.append([q])
            else:
                groups[-1].append(q)
        return tuple(tuple(g) for g in groups)


@dataclass(frozen=True, slots=True)
class Section:
    heading: str
    intro: tuple[str, ...]
    arguments: tuple[Argument, ...]


@dataclass(frozen=True, slots=True)
class SourceEntry:
    id: str
    entry: Rich  # the bibliography entry


@dataclass(frozen=True, slots=True)
class AppendixEntry:
    """One quote as an editor checks it: where it is in its source and, when the quote has
    omissions or alterations, the passage its `...` and `[brackets]` stand for."""

    number: int  # the quote's footnote number
    quote: str  # as the reader sees it in the brief (Quote.text)
    source_id: str
    source: str  # who and what: `Thomas Joscelyn, “Talk About Your Dangerous Liaisons”`
    location: str  # file:line:col of the first matched character
    paragraph: int  # 1-based paragraph of the source's text layer
    original: str | None  # the source from the quote's first to last word; None: verbatim
    kind: str  # "verbatim", "omission", "alteration", "omission, alteration" or
    # "brackets as in the source"

    @property
    def where(self) -> str:
        """Where an editor finds the passage and what to look for:
        `cnbc-2021 · corpus/x.txt:24:2 · paragraph 11 · alteration`."""
        return " \u00b7 ".join(
            (self.source_id, self.location, f"paragraph {self.paragraph}", self.kind)
        )


# Said once, the same in both formats, under the appendix heading.
APPENDIX_INTRO = (
    "Every quotation in this brief, in the order of its notes, with the source and paragraph "
    "it was verified against. Where a quotation leaves words out (an ellipsis) or alters them "
    "(words in brackets), the original passage follows, from the first quoted word to the last."
)


@dataclass(frozen=True, slots=True)
class Brief:
    name: str  # output base name
    title: str
    subtitle: str | None
    author: str | None
    date: str | None  # as the reader sees it: "26 November 2026"
    timestamp: datetime | None  # for document metadata; None: leave the dates out
    summary: tuple[str, ...]
    sections: tuple[Section, ...]
    recommendations: tuple[str, ...]
    sources: tuple[SourceEntry, ...]
    appendix: tuple[AppendixEntry, ...] = ()  # empty unless the build asks for it
    lang: str = DEFAULT_LANG  # BCP 47: the outline's `lang`, else English
    in_text: bool = False  # citations in the text ("(Joscelyn 2020, 4)"), not footnotes

    @property
    def appendix_intro(self) -> str:
        return APPENDIX_INTRO

    @property
    def created(self) -> str | None:
        """`timestamp` as W3C-DTF for document metadata, `2026-11-26T00:00:00Z` (strftime
        would write the year 800 as `800`)."""
        t = self.timestamp
        if t is None:
            return None
        return f"{t.year:04d}-{t.month:02d}-{t.day:02d}T{t.hour:02d}:{t.minute:02d}:{t.second:02d}Z"

    @property
    def quotes(self) -> tuple[Quote, ...]:
        return tuple(q for s in self.sections for a in s.arguments for q in a.quotes)


def make_brief(
    outline: Outline,
    corpus: Corpus,
    results: Sequence[QuoteResult],
    timestamp: datetime | None = None,
    appendix: bool = False,
) -> Brief:
    """Build the Brief; every result must be verified (report.build checks first). With
    `appendix`, it ends with one AppendixEntry per quote."""
    evidence = outline.evidence()
    if len(results) != len(evidence) or any(
        r.evidence is not ev for r, ev in zip(results, evidence, strict=False)
    ):
        raise ValueError("results do not belong to this outline")
    failed = [r for r in results if r.status is not Status.VERIFIED or r.match is None]
    if failed:
        raise ValueError(f"{len(failed)} quote(s) not verified; a brief quotes only verified text")
    check_size(outline)
    lang = outline.lang or DEFAULT_LANG
    style = Style(outline.style or DEFAULT_STYLE, outline.lang)
    notes, bibliography = citations(corpus.sources, [_cite(r) for r in results], style)
    quotes = iter(
        _quote(n, r, corpus.sources[r.evidence.source], note, lang, style.in_text)
        for n, (r, note) in enumerate(zip(results, notes, strict=True), start=1)
    )
    sections = tuple(
        Section(
            heading=_prose(s.heading, lang),
            intro=tuple(typography.curl(p, lang=lang) for p in typography.paragraphs(s.intro)),
            arguments=tuple(
                Argument(
                    claim=_prose(a.claim, lang),
                    text=tuple(
                        typography.curl(p, lang=lang) for p in typography.paragraphs(a.text)
                    ),
                    quotes=_join([next(quotes) for _ in a.evidence]),
                )
                for a in s.arguments
            ),
        )
        for s in outline.sections
    )
    brief = Brief(
        name=outline.name,
        title=_prose(outline.title, lang),
        subtitle=_prose(outline.subtitle, lang) or None,
        author=typography.line(outline.author or "") or None,
        date=_display_date(outline.date),
        timestamp=timestamp,
        summary=tuple(
            typography.curl(p, lang=lang) for p in typography.paragraphs(outline.summary)
        ),
        sections=sections,
        recommendations=tuple(_prose(r, lang) for r in outline.recommendations),
        sources=tuple(
            SourceEntry(sid, entry_links(entry, corpus.sources[sid])) for sid, entry in bibliography
        ),
        appendix=tuple(
            _appendix_entry(n, r, corpus.sources[r.evidence.source], lang)
            for n, r in enumerate(results, start=1)
        )
        if appendix
        else (),
        lang=lang,
        in_text=style.in_text,
    )
    _check_length(brief, outline)
    return brief


# What one brief may hold. WeasyPrint lays a brief out in time linear in its length, but
# slowly: measured here, about 10 ms of CPU a quote with its note (12 more for its appendix
# entry), 2 ms a list item or short paragraph and 10 ms a thousand characters. These bound
# a build to about half a minute of CPU; `report check` takes outlines of any size.
MAX_QUOTES = 1_000
MAX_RECOMMENDATIONS = 1_000
MAX_PARAGRAPHS = 2_000  # headings, claims and paragraphs of the author's own words
MAX_CHARACTERS = 1_000_000  # all a reader reads: text, quotes, notes, sources, appendix


def check_size(outline: Outline) -> None:
    """An outline too long to render as a brief is an input error at the item past the
    limit (the outline as a whole for recommendations, which have no place of their own)."""
    evidence = outline.evidence()
    if len(evidence) > MAX_QUOTES:
        raise RenderError(
            f"a brief holds at most {MAX_QUOTES:,} quotes; this outline has {len(evidence):,} "
            "(report check takes any number; split the brief)",
            evidence[MAX_QUOTES].location,
        )
    if len(outline.recommendations) > MAX_RECOMMENDATIONS:
        raise RenderError(
            f"a brief holds at most {MAX_RECOMMENDATIONS:,} recommendations; this outline has "
            f"{len(outline.recommendations):,}",
            Location(str(outline.path)),
        )
    count = len(typography.paragraphs(outline.summary))
    for section in outline.sections:
        count += 1 + len(typography.paragraphs(section.intro))
        where = section.location
        for argument in section.arguments:
            count += max(1, len(typography.paragraphs(argument.text)))
            where = argument.location
            if count > MAX_PARAGRAPHS:
                break
        if count > MAX_PARAGRAPHS:
            raise RenderError(
                f"a brief holds at most {MAX_PARAGRAPHS:,} headings and paragraphs of its own "
                "words, and this one goes past them here",
                where,
            )


def _check_length(brief: Brief, outline: Outline) -> None:
    texts = [brief.title, brief.subtitle or "", brief.author or "", *brief.summary]
    texts += list(brief.recommendations)
    for s in brief.sections:
        texts += [s.heading, *s.intro]
        for a in s.arguments:
            texts += [a.claim, *a.text]
            texts += [part for q in a.quotes for part in (q.inline, *(x.text for x in q.note))]
    texts += [span.text for source in brief.sources for span in source.entry]
    texts += [e.quote + (e.original or "") + e.source for e in brief.appendix]
    length = sum(map(len, texts))
    if length > MAX_CHARACTERS:
        raise RenderError(
            f"a brief holds at most {MAX_CHARACTERS:,} characters of text (quotes, notes and "
            f"sources included); this one would have {length:,}",
            Location(str(outline.path)),
        )


def _cite(result: QuoteResult) -> Cite:
    """A quote's citation: its source and where in it the quote is. The page the author
    gives (checked: report.verify), else the page of a PDF where it was found, else the
    author's paragraph; a source without pages gets none."""
    assert result.match is not None
    ev, pages = result.evidence, result.match.pages
    if ev.locator is not None and (ev.locator.label != "page" or pages is not None):
        return Cite(ev.source, ev.locator.value.replace("-", "\u2013"), ev.locator.label)
    if pages is not None:
        return Cite(ev.source, pages.cited)
    return Cite(ev.source)


def _quote(
    number: int,
    result: QuoteResult,
    source: Source,
    note: Rich,
    lang: str = DEFAULT_LANG,
    in_text: bool = False,
) -> Quote:
    assert result.match is not None
    ev = result.evidence
    text = display_text(ev.quote, result.match.text)
    role = "speaker" if ev.speaker else "author" if source.authors else "publication"
    attribution = typography.line(ev.speaker or "") or _who(source)
    block = len(re.findall(r"\w+", ev.quote)) >= BLOCK_WORDS
    link = passage_link(source, result.match)
    if block:  # no quotation marks of its own: those inside it are the language's outer ones
        text = typography.requote(text, lang)
    return Quote(
        number=number,
        text=text,
        source_id=ev.source,
        attribution=attribution,
        role=role,
        speaker=ev.speaker,
        lead_in="" if block else _lead_in(text, attribution, role),
        block=block,
        note=note_links(note, source, link),
        link=link,
        lang=lang,
        in_text=in_text,
    )


def _appendix_entry(
    number: int, result: QuoteResult, source: Source, lang: str = DEFAULT_LANG
) -> AppendixEntry:
    assert result.match is not None
    match, quote = result.match, result.evidence.quote
    pattern = compile_quote(quote)
    original, kind = None, "verbatim"
    if pattern.has_omission or pattern.has_alteration:
        original = typography.line(match.text)
        marks = ("omission",) * pattern.has_omission + ("alteration",) * pattern.has_alteration
        kind = ", ".join(marks)
        if _same(quote, original):  # the brackets are the source's own: `China [isn't] going`
            kind = "brackets as in the source"
    return AppendixEntry(
        number=number,
        quote=display_text(quote, match.text),
        source_id=source.id,
        source=_label(source, lang),
        location=typography.line(str(match.location)),
        paragraph=match.paragraph + 1,
        original=original,
        kind=kind,
    )


def _same(quote: str, passage: str) -> bool:
    """Equal as the verifier compares, the first letter's case aside."""
    a, b = normalize_text(quote), normalize_text(passage)
    return a[:1].lower() + a[1:] == b[:1].lower() + b[1:]


def _label(source: Source, lang: str = DEFAULT_LANG) -> str:
    """A source as an editor finds it on the shelf: who, then the title."""
    who, title = _who(source), source.csl.get("title")
    title = typography.line(title) if isinstance(title, str) else ""
    if not title or title == who:
        return who
    opening, closing = typography.marks(lang).outer
    return f"{who}, {opening}{typography.nest(typography.curl(title), lang)}{closing}"


def _join(quotes: list[Quote]) -> tuple[Quote, ...]:
    """Consecutive inline quotes of one person read as one sentence or a follow-up:
    `In the words of X, “a” and “b.”`, `As X put it, “A.” X added, “B.”`."""
    out: list[Quote] = []
    for q in quotes:
        prev = out[-1] if out else None
        if prev is None or q.block or prev.block or q.attribution != prev.attribution:
            out.append(q)
        elif _is_fragment(q.text) and _is_fragment(prev.text) and prev.closes:
            out[-1] = replace(prev, closes=False)
            out.append(replace(q, lead_in="and "))
        elif not _is_fragment(q.text):
            out.append(replace(q, lead_in=_VERBS[q.role][1].format(q.attribution)))
        else:
            out.append(q)
    return tuple(out)


def display_text(quote: str, passage: str) -> str:
    """The outline's words, with its `...` and `[...]` marks as written; straight quotation
    marks and `--` are set as the source sets them (curly, dashes) when the source does."""
    text = typography.line(quote)
    double = "\u201c" in passage or "\u201d" in passage
    single = "\u2019" in passage or "\u2018" in passage
    text = typography.curl(text, double=double, single=single)
    if "\u2014" not in passage and "\u2013" in passage:
        text = text.replace("\u2014", "\u2013")
    return text


def _who(source: Source) -> str:
    authors = [a for a in map(typography.line, source.authors) if a]
    if authors:
        return authors[0] if len(authors) == 1 else ", ".join(authors[:-1]) + " and " + authors[-1]
    for key in ("container-title", "publisher", "title"):
        value = source.csl.get(key)
        if isinstance(value, str) and typography.line(value):
            return typography.line(value)
    return source.id


def _lead_in(text: str, who: str, role: str) -> str:
    """A full sentence is introduced ("As X put it, "), and so is a fragment, which cannot
    follow a verb of saying ("In the words of X, "; "CNBC: “reaffirmed…”" read as a
    headline)."""
    return f"In the words of {who}, " if _is_fragment(text) else _VERBS[role][0].format(who)


def _is_fragment(text: str) -> bool:
    """Does the quote start mid-sentence (with a small letter)?"""
    first = re.sub(r"^[\[\W]+", "", text)[:1]
    return not first.isupper()


def _display_date(value: str | None) -> str | None:
    if not value:
        return None
    try:
        d = date.fromisoformat(value)
    except ValueError:
        return typography.line(value) or None
    return f"{d.day} {MONTHS[d.month - 1]} {d.year}"  # not strftime: it follows the locale


def _prose(text: str | None, lang: str = DEFAULT_LANG) -> str:
    """One line of the author's own words as the reader sees it: visible, typographic."""
    return typography.curl(typography.line(text or ""), lang=lang)
