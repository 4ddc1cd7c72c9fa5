"""An outline, its corpus and its verified results -> a Brief: the render-neutral model of
the document that both the PDF and the Word renderer draw, so they cannot say different
things.

Everything a reader sees is decided here, once: the author's paragraphs with their
quotations and note marks in place, the display text of each evidence item's quote, who it
is attributed to and in what words (report.attribution), whether it stands inline or as a
block quote, every footnote's number and citation (a note, or an in-text citation in an
author-date style, with the page of a quote from a PDF), the list of sources cited and,
when asked for, the verification appendix; all in the quotation marks of the brief's
language.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime

from report import attribution, typography
from report.cite import DEFAULT_STYLE, MONTHS, Rich, Style, note_citations
from report.cite import Cite as Citing
from report.corpus import Corpus
from report.errors import Location, RenderError
from report.findings import PROSE_ONLY, QuoteResult, Status
from report.links import entry_links, note_links, passage_link
from report.model import Argument as OutlineArgument
from report.model import Cite, CiteItem, Evidence, Outline, Para, Prose, Quoted, Words
from report.normalize import normalize_text
from report.quote import compile_quote
from report.sources import Source

DEFAULT_LANG = "en"  # a brief whose outline does not say

# Quotes of this many words or more are set as block quotes (style guides say 40 to 100
# words for long texts; a brief's columns are short, so it is lower here).
BLOCK_WORDS = 25


@dataclass(frozen=True, slots=True)
class Run:
    """Words of a paragraph with one look. `quote`: a quotation in the author's sentence,
    the author's quotation marks included; `source_id` the source it was verified in."""

    text: str
    italic: bool = False
    bold: bool = False
    quote: bool = False
    source_id: str = ""


@dataclass(frozen=True, slots=True)
class Note:
    """A note mark in a paragraph: the footnote's number and citation; in an author-date
    style (`in_text`) the citation itself, which stands in the text after a space."""

    number: int
    note: Rich
    in_text: bool = False


@dataclass(frozen=True, slots=True)
class Paragraph:
    """A paragraph of the author's prose, its quotations and note marks in place (a mark
    after the punctuation that follows the citation, as Chicago sets it). `kind`:
    "paragraph", "item" (of a list, its marker among its words) or "quote" (a block
    quotation, with `attribution`)."""

    parts: tuple[Run | Note, ...]
    kind: str = "paragraph"
    attribution: str = ""
    source_id: str = ""

    def __str__(self) -> str:
        return self.text

    @property
    def text(self) -> str:
        """What it says, without its note marks."""
        return "".join(p.text for p in self.parts if isinstance(p, Run))

    @property
    def notes(self) -> tuple[Note, ...]:
        return tuple(p for p in self.parts if isinstance(p, Note))

    @property
    def block(self) -> bool:
        return self.kind == "quote"


@dataclass(frozen=True, slots=True)
class Quote:
    """An evidence item's quote as the reader meets it."""

    number: int  # footnote number, 1-based, in reading order
    text: str  # what the reader sees between the quotation marks (or in the block)
    source_id: str
    attribution: str  # who is quoted: the speaker, else the source's author or publication
    role: str  # what the attribution is: "speaker", "author" or "publication"
    speaker: str | None
    lead_in: str  # the words before the quote ("As Neil Thomas put it, "; a block quote's
    # own paragraph before it, from the item's `lead`)
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
    claim: Paragraph
    text: tuple[Paragraph, ...]  # the author's paragraphs (and block quotations) after it
    quotes: tuple[Quote, ...]  # its evidence items
    alone: bool = False  # the claim is a paragraph of its own (else `text` goes on in it)

    @property
    def opening(self) -> Paragraph | None:
        """The words that go on in the claim's paragraph, after the claim."""
        if self.alone or not self.text or self.text[0].kind != "paragraph":
            return None
        return self.text[0]

    @property
    def rest(self) -> tuple[Paragraph, ...]:
        """The paragraphs after the claim's own."""
        return self.text[1:] if self.opening is not None else self.text

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
    intro: tuple[Paragraph, ...]
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


@dataclass(frozen=True, slots=True)
class Labels:
    """The brief's own words around the author's, said once for both formats: the kicker
    above the title, the headings of its parts, the appendix's words, the separator of the
    byline and the documents' keywords."""

    kicker: str = "Policy Brief"
    summary: str = "Summary"
    recommendations: str = "Recommendations"
    sources: str = "Sources quoted"
    appendix: str = "Verification appendix"
    appendix_intro: str = (
        "Every quotation in this brief, in the order of its notes, with the source and "
        "paragraph it was verified against. Where a quotation leaves words out (an ellipsis) "
        "or alters them (words in brackets), the original passage follows, from the first "
        "quoted word to the last."
    )
    as_quoted: str = "As quoted"
    original: str = "Original"
    byline_separator: str = " \u00b7 "
    keywords: str = "policy brief"


# The brief's own words by language (the primary subtag of its `lang`); a language not
# here has English's (README: the brief's own words stay English).
LABELS = {"en": Labels()}


def labels_for(lang: str) -> Labels:
    """The brief's own words in language `lang` (BCP 47)."""
    return LABELS.get(lang.split("-")[0].lower(), LABELS["en"])


@dataclass(frozen=True, slots=True)
class Brief:
    name: str  # output base name
    title: str
    subtitle: str | None
    author: str | None
    date: str | None  # as the reader sees it: "26 November 2026"
    timestamp: datetime | None  # for document metadata; None: leave the dates out
    summary: tuple[Paragraph, ...]
    sections: tuple[Section, ...]
    recommendations: tuple[Paragraph, ...]
    sources: tuple[SourceEntry, ...]
    appendix: tuple[AppendixEntry, ...] = ()  # empty unless the build asks for it
    lang: str = DEFAULT_LANG  # BCP 47: the outline's `lang`, else English
    in_text: bool = False  # citations in the text ("(Joscelyn 2020, 4)"), not footnotes
    labels: Labels = Labels()  # the brief's own words, in its language

    @property
    def byline(self) -> str | None:
        """Who wrote it and when, as one line under the title: `Jane Doe · 26 November
        2026`; None when the outline gives neither."""
        return self.labels.byline_separator.join(x for x in (self.author, self.date) if x) or None

    @property
    def appendix_intro(self) -> str:
        """Said once under the appendix heading (templates written before `labels` use it)."""
        return self.labels.appendix_intro

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
        """The evidence items' quotes, in order."""
        return tuple(q for s in self.sections for a in s.arguments for q in a.quotes)

    @property
    def notes(self) -> tuple[Note, ...]:
        """Every note, in order: those in the author's paragraphs and the evidence items'."""
        notes = [n for p in self.paragraphs for n in p.notes]
        notes += [Note(q.number, q.note, q.in_text) for q in self.quotes]
        return tuple(sorted(notes, key=lambda n: n.number))

    @property
    def paragraphs(self) -> tuple[Paragraph, ...]:
        """Every paragraph of the author's prose, in reading order."""
        out = list(self.summary)
        for s in self.sections:
            out += s.intro
            for a in s.arguments:
                out += [a.claim, *a.text]
        return (*out, *self.recommendations)


def make_brief(
    outline: Outline,
    corpus: Corpus,
    results: Sequence[QuoteResult],
    timestamp: datetime | None = None,
    appendix: bool = False,
) -> Brief:
    """Build the Brief; every quote must be verified (report.build checks first). `results`
    are those of `report check`: one per quote in `outline.evidence()` order, with the
    results of paraphrases and unattributed quotations among them or not. With `appendix`,
    the brief ends with one AppendixEntry per quote."""
    quotes = [r for r in results if r.status not in PROSE_ONLY]
    evidence = outline.evidence()
    if len(quotes) != len(evidence) or any(
        not _belongs(r.evidence, ev) for r, ev in zip(quotes, evidence, strict=False)
    ):
        raise ValueError("results do not belong to this outline")
    failed = [r for r in quotes if r.status is not Status.VERIFIED or r.match is None]
    if failed:
        raise ValueError(f"{len(failed)} quote(s) not verified; a brief quotes only verified text")
    check_size(outline)
    lang = outline.lang or DEFAULT_LANG
    style = Style(outline.style or DEFAULT_STYLE, outline.lang)
    writer = _Writer(outline, corpus, quotes, lang, style)
    summary = writer.prose(outline.summary)  # written in reading order: notes are numbered
    sections = tuple(
        Section(
            heading=_prose(s.heading, lang),
            intro=writer.prose(s.intro),
            arguments=tuple(writer.argument(a) for a in s.arguments),
        )
        for s in outline.sections
    )
    recommendations = tuple(p for r in outline.recommendations for p in writer.prose(r))
    brief = Brief(
        name=outline.name,
        title=_prose(outline.title, lang),
        subtitle=_prose(outline.subtitle, lang) or None,
        author=typography.line(outline.author or "") or None,
        date=_display_date(outline.date),
        timestamp=timestamp,
        summary=summary,
        sections=sections,
        recommendations=recommendations,
        sources=tuple(
            SourceEntry(sid, entry_links(entry, corpus.sources[sid]))
            for sid, entry in writer.bibliography
        ),
        appendix=tuple(writer.appendix) if appendix else (),
        lang=lang,
        in_text=style.in_text,
        labels=labels_for(lang),
    )
    _check_length(brief, outline)
    return brief


def _belongs(tried: Evidence, ev: Evidence) -> bool:
    """A result is of this quote: of it, or of one of its alternates (report.verify)."""
    return tried is ev or any(tried is alt for alt in ev.alternates)


class _Writer:
    """Turns the outline's prose and evidence into the brief's paragraphs and quotes,
    numbering the notes in reading order."""

    def __init__(
        self,
        outline: Outline,
        corpus: Corpus,
        results: list[QuoteResult],
        lang: str = DEFAULT_LANG,
        style: Style | None = None,
    ) -> None:
        self.corpus = corpus
        self.lang = lang
        self.style = style or Style()
        evidence = outline.evidence()
        self.result = {id(ev): r for ev, r in zip(evidence, results, strict=True)}
        # Every note, in reading order: an evidence item's source, or a citation's items,
        # each with where in the source (the author's locator, else the page found).
        order: list[list[Citing]] = []
        for item in outline.walk():
            if isinstance(item, Evidence):
                order.append([_cite(self.result[id(item)])])
                continue
            for para in item.paras:
                quoted = [self.result[id(q.evidence)] for q in para.quotations() if q.evidence]
                for c in para.citations():
                    found = [r for r in quoted if r.evidence.citation is c.citation]
                    order.append([_item_cite(i, found) for i in c.citation.items])
        self.notes, self.bibliography = note_citations(corpus.sources, order, self.style)
        self.next = 0  # notes are handed out as the brief is written, in reading order
        self.entries: list[tuple[int, QuoteResult]] = []  # (note number, quote) each
        self.mentioned: set[tuple[str, ...]] = set()  # who was named before
        self.written: list[str] = []  # the author's prose so far, where names may stand

    # -- notes ----------------------------------------------------------------------------

    def _note(self, found: QuoteResult | None = None) -> Note:
        """The next note; with `found`, the quote it cites, whose passage its note links."""
        k = self.next
        self.next += 1
        note = self.notes[k]
        if found is not None and found.match is not None:
            source = self.corpus.sources[found.match.source_id]
            note = note_links(note, source, passage_link(source, found.match))
        return Note(k + 1, note, self.style.in_text)

    @property
    def appendix(self) -> list[AppendixEntry]:
        entries = sorted(self.entries, key=lambda e: e[0])
        return [
            _appendix_entry(n, r, self.corpus.sources[r.evidence.source], self.lang)
            for n, r in entries
        ]

    # -- prose ----------------------------------------------------------------------------

    def prose(self, prose: Prose | str | None) -> tuple[Paragraph, ...]:
        if isinstance(prose, str):  # an outline made in code, with plain text
            paras = typography.paragraphs(prose)
            return tuple(Paragraph((Run(typography.curl(p, lang=self.lang)),)) for p in paras)
        if prose is None:
            return ()
        return tuple(self.paragraph(p) for p in prose.paras)

    def paragraph(self, para: Para) -> Paragraph:
        parts: list[Run | Note] = []
        waiting: list[QuoteResult] = []  # quotations whose citation is still to come
        lang = self.lang
        for piece in para.pieces:
            if isinstance(piece, Words):
                parts.append(Run(typography.curl(piece.text, lang=lang), piece.italic, piece.bold))
            elif isinstance(piece, Quoted):
                result = self.result.get(id(piece.evidence)) if piece.evidence else None
                source = result.match.source_id if result and result.match else ""
                text = typography.curl(piece.text, lang=lang)
                parts.append(Run(text, piece.italic, piece.bold, True, source))
                if result is not None:
                    waiting.append(result)
                if piece.speaker:  # named in the author's sentence: short after this
                    self.mentioned.add((typography.line(piece.speaker),))
            elif isinstance(piece, Cite):
                cited = [r for r in waiting if r.evidence.citation is piece.citation]
                note = self._note(cited[0] if cited else None)
                parts.append(note)
                for result in cited:
                    self.entries.append((note.number, result))
                    waiting.remove(result)
        if not self.style.in_text:  # an in-text citation stands where the author put it
            parts = _after_punctuation(parts, typography.marks(lang).inside)
        self.written.append(para.plain)
        if para.kind == "quote":
            quoted = next((p for p in para.pieces if isinstance(p, Quoted)), None)
            run = next((p for p in parts if isinstance(p, Run) and p.quote), None)
            return Paragraph(
                tuple(parts),
                "quote",
                attribution=self._block_attribution(quoted),
                source_id=run.source_id if run else "",
            )
        return Paragraph(tuple(parts), para.kind)

    def _block_attribution(self, quoted: Quoted | None) -> str:
        if quoted is None:
            return ""
        if quoted.speaker:
            return typography.line(quoted.speaker)
        result = self.result.get(id(quoted.evidence)) if quoted.evidence else None
        if result is None or result.match is None:
            return ""
        return _who(self.corpus.sources[result.match.source_id])

    # -- arguments and their evidence -----------------------------------------------------

    def argument(self, a: OutlineArgument) -> Argument:
        claim = self.prose(a.claim)
        text = self.prose(a.text)
        quotes: list[Quote] = []
        previous: tuple[str, ...] | None = None
        turn = 0
        for ev in a.evidence:
            result = self.result[id(ev)]
            note = self._note(result)
            self.entries.append((note.number, result))
            q = self._quote(note, result, ev)
            who = self._who(result, ev)
            turn = turn + 1 if who.key == previous else 0
            previous = who.key
            quotes.append(self._introduced(q, who, turn, quotes))
            self.mentioned.add(who.key)
        return Argument(
            claim=claim[0] if claim else Paragraph(()),
            text=text,
            quotes=_joined(quotes),
            alone=a.alone,
        )

    def _who(self, result: QuoteResult, ev: Evidence) -> attribution.Who:
        source = self.corpus.sources[result.evidence.source]
        text = self.corpus.text(source.id).text if ev.speaker or source.authors else ""
        if ev.speaker:
            return attribution.who([typography.line(ev.speaker)], "speaker", text)
        if source.authors:
            names = [typography.line(n) for n in source.authors]
            return attribution.who(names, "author", text)
        return attribution.who([_who(source)], "publication")

    def _quote(self, note: Note, result: QuoteResult, ev: Evidence) -> Quote:
        assert result.match is not None
        source = self.corpus.sources[result.evidence.source]
        text = display_text(result.evidence.quote, result.match.text)
        role = "speaker" if ev.speaker else "author" if source.authors else "publication"
        block = len(re.findall(r"\w+", ev.quote)) >= BLOCK_WORDS
        if block:  # no quotation marks of its own: those inside it are the language's outer ones
            text = typography.requote(text, self.lang)
        return Quote(
            number=note.number,
            text=text,
            source_id=result.evidence.source,
            attribution=typography.line(ev.speaker or "") or _who(source),
            role=role,
            speaker=ev.speaker,
            lead_in=_prose(ev.lead, self.lang) if ev.lead else "",
            block=block,
            note=note.note,
            link=passage_link(source, result.match),
            lang=self.lang,
            in_text=self.style.in_text,
        )

    def _introduced(
        self, q: Quote, who: attribution.Who, turn: int, before: list[Quote]
    ) -> Quote:
        """The quote with the words that introduce it: the item's own `lead`, else words
        made for it (report.attribution)."""
        if q.lead_in:  # a dash is closed up to the quote; a block quote's lead is a paragraph
            lead = q.lead_in
            spaced = q.block or lead[-1:] in "\u2014\u2013"
            return replace(q, lead_in=lead if spaced else lead + " ")
        if q.block:
            return q
        fragment = _is_fragment(q.text)
        prose = " ".join(self.written)
        mentioned = who.key in self.mentioned or all(n in prose for n in who.names)
        return replace(q, lead_in=attribution.lead_in(who, fragment, mentioned, turn))

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
    count = _paragraph_count(outline.summary)
    for section in outline.sections:
        count += 1 + _paragraph_count(section.intro)
        where = section.location
        for argument in section.arguments:
            count += max(1, _paragraph_count(argument.text))
            where = argument.location
            if count > MAX_PARAGRAPHS:
                break
        if count > MAX_PARAGRAPHS:
            raise RenderError(
                f"a brief holds at most {MAX_PARAGRAPHS:,} headings and paragraphs of its own "
                "words, and this one goes past them here",
                where,
            )


def _paragraph_count(prose: Prose | str | None) -> int:
    if isinstance(prose, Prose):
        return len(prose.paras)
    return len(typography.paragraphs(prose))


def _check_length(brief: Brief, outline: Outline) -> None:
    texts = [brief.title, brief.subtitle or "", brief.author or ""]
    for p in brief.paragraphs:
        texts += [p.text, *(span.text for n in p.notes for span in n.note)]
    for s in brief.sections:
        texts.append(s.heading)
        for a in s.arguments:
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


def _cite(result: QuoteResult) -> Citing:
    """A quote's citation: its source and where in it the quote is. The page the author
    gives (checked: report.verify), else the page of a PDF where it was found, else the
    author's paragraph; a source without pages gets none."""
    assert result.match is not None
    ev, pages = result.evidence, result.match.pages
    if ev.locator is not None and (ev.locator.label != "page" or pages is not None):
        return Citing(ev.source, ev.locator.value.replace("-", "\u2013"), ev.locator.label)
    if pages is not None:
        return Citing(ev.source, pages.cited)
    return Citing(ev.source)


def _item_cite(item: CiteItem, found: list[QuoteResult]) -> Citing:
    """One source of a citation in the author's prose, as its note cites it: with the page
    where a quotation it attributes was found in a PDF, when the citation gives none (as
    an evidence item's note does); a paraphrase's as written."""
    for result in found:
        if result.match is not None and result.match.source_id == item.source:
            cite = _cite(result)
            return Citing(
                item.source,
                cite.locator,
                cite.label,
                item.prefix,
                item.suffix,
            )
    locator = item.locator.replace("-", "\u2013")
    return Citing(item.source, locator, item.label or "page", item.prefix, item.suffix)


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


def _joined(quotes: list[Quote]) -> tuple[Quote, ...]:
    """Consecutive fragments of one person, introduced by made words, read as one
    sentence: `Vladimir Putin used the words “a” and “b.”`."""
    out: list[Quote] = []
    for q in quotes:
        prev = out[-1] if out else None
        if (
            prev is not None
            and not q.block
            and not prev.block
            and prev.closes
            and q.attribution == prev.attribution
            and _is_fragment(q.text)
            and _is_fragment(prev.text)
            and " also " in q.lead_in
            and " the words " in prev.lead_in
        ):
            out[-1] = replace(prev, closes=False)
            out.append(replace(q, lead_in="and "))
        else:
            out.append(q)
    return tuple(out)


def _after_punctuation(parts: list[Run | Note], inside: bool = True) -> list[Run | Note]:
    """A note mark goes after the punctuation that follows its citation (Chicago 14.21),
    and, where the language wants it (`inside`: American English), a full stop or comma
    after a quotation goes inside its closing quotation mark (Chicago 6.9): `“…” [@id].` is
    set `“….”¹`, `“…” [@id], and` as `“…,”¹ and`, `“…” [@id]; and` as `“…”;¹ and`; in
    British English `“…”.¹`."""
    out = list(parts)
    k = 0
    while k < len(out):
        if not isinstance(out[k], Note):
            k += 1
            continue
        j = k  # the marks of several citations in a row move together
        while j + 1 < len(out) and isinstance(out[j + 1], Note):
            j += 1
        after = out[j + 1] if j + 1 < len(out) else None
        m = re.match(_TRAILING, after.text) if isinstance(after, Run) and not after.quote else None
        if m is None:
            k = j + 1
            continue
        assert isinstance(after, Run)
        punctuation = m.group(0)
        rest = Run(after.text[m.end() :], after.italic, after.bold)
        out[j + 1 : j + 2] = [rest] if rest.text else []
        before = out[k - 1] if k else None
        if inside and isinstance(before, Run) and before.quote and punctuation[0] in ".,":
            out[k - 1] = replace(before, text=_inside(before.text, punctuation[0]))
            punctuation = punctuation[1:]
        if punctuation:
            out.insert(k, Run(punctuation, after.italic, after.bold))
            j += 1
        k = j + 1
    return out


_TRAILING = r"[.,;:!?\u2026]+[\u201d\u2019\")\]]*"
_CLOSING = "\u201d\u2019\"'\u00bb\u203a\u201c\u2018\u00ab\u2039 \u00a0\u202f"


def _inside(quoted: str, stop: str) -> str:
    """A quotation with a full stop or comma set inside its closing mark; one it ends with
    already stands (a full stop before a comma becomes the comma: `“… a corpse,” she
    said`; a question or exclamation mark stays alone)."""
    k = len(quoted)
    while k > 0 and quoted[k - 1] in _CLOSING:
        k -= 1
    if k == len(quoted) or k == 0:  # no closing mark to go inside
        return quoted + stop
    body, marks = quoted[:k], quoted[k:]
    if body[-1:] in "!?\u2026" or body.endswith(stop):
        return quoted
    if body[-1:] in ".,":
        body = body[:-1]
    return body + stop + marks


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
