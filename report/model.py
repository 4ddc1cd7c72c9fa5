"""The outline's data model: Outline -> Section -> Argument -> Evidence (frozen dataclasses),
and the author's prose: paragraphs of words, quotations and citations (report.prose).

A YAML outline (report.yamloutline) and a Markdown brief (report.mdbrief) both load into it.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from report.errors import Location


@dataclass(frozen=True, slots=True)
class CiteItem:
    """One source of a Pandoc citation, `[see @id, p. 4 and later]`: its id, and the
    prefix, locator (with its CSL label: page, paragraph, ...) and suffix around it."""

    source: str
    location: Location  # of its `@id`
    prefix: str = ""
    locator: str = ""
    label: str = ""  # a CSL locator term when `locator` is given
    suffix: str = ""

    @property
    def bare(self) -> bool:
        return not (self.prefix or self.locator or self.suffix)


@dataclass(frozen=True, slots=True)
class Citation:
    """A Pandoc citation in the author's prose, `[@id, p. 4; @other]`: one note."""

    items: tuple[CiteItem, ...]
    text: str  # as written, brackets included
    location: Location  # of its `[`


@dataclass(frozen=True, slots=True)
class Locator:
    """Where in its source the author says a quote is: `page: 12` (checked against the
    page the quote is found on) or `paragraph: 4` (cited as written)."""

    label: str  # the CSL locator term: "page" or "paragraph"
    value: str  # as written: "12", "12-13", "iv"
    location: Location


@dataclass(frozen=True, slots=True)
class Evidence:
    """One quoted passage offered in support of a claim: an evidence item, or a quotation
    in the author's own sentence followed by a citation (`citation`)."""

    source: str
    quote: str
    location: Location  # where the quote's text starts in the outline
    source_location: Location  # where the `source:` value (or the citation's `@id`) is
    speaker: str | None = None
    locator: Locator | None = None  # `page:`, `paragraph:` (or a citation's `p. 4`, `para. 4`)
    lead: str | None = None  # an evidence item's words before the quote, the author's own
    citation: Citation | None = None  # a quote in the author's prose: the citation after it
    # The same quote in the other sources its citation names, or spelt with double marks
    # where it nests single ones: verified in turn when this one fails (report.verify).
    alternates: tuple[Evidence, ...] = ()


@dataclass(frozen=True, slots=True)
class Words:
    """The author's own words."""

    text: str
    italic: bool = False
    bold: bool = False


@dataclass(frozen=True, slots=True)
class Quoted:
    """A quotation in the author's prose, as written: `text` holds the author's quotation
    marks (none for a block quotation). `evidence` is what is verified; None when no
    citation follows it (`problem` says so)."""

    text: str
    location: Location  # its first quoted character
    evidence: Evidence | None
    problem: str = ""
    speaker: str | None = None
    italic: bool = False
    bold: bool = False


@dataclass(frozen=True, slots=True)
class Cite:
    """A citation in the author's prose: a note mark in the brief. `quoted`: it attributes
    a quotation (else it cites a paraphrase)."""

    citation: Citation
    quoted: bool


Piece = Words | Quoted | Cite


@dataclass(frozen=True, slots=True)
class Para:
    """A paragraph of prose: "paragraph", a list "item" (its marker among its words) or a
    block "quote" (a long quotation: one Quoted and its Cite)."""

    pieces: tuple[Piece, ...]
    kind: str = "paragraph"

    @property
    def plain(self) -> str:
        """What it says, without its notes."""
        return "".join(p.text for p in self.pieces if not isinstance(p, Cite))

    def quotations(self) -> Iterator[Quoted]:
        return (p for p in self.pieces if isinstance(p, Quoted))

    def citations(self) -> Iterator[Cite]:
        return (p for p in self.pieces if isinstance(p, Cite))


@dataclass(frozen=True, slots=True)
class Prose:
    """A field of the author's prose (`summary`, `intro`, `claim`, `text`, a
    recommendation, or a Markdown brief's paragraphs): its paragraphs, and its text as
    written."""

    paras: tuple[Para, ...]
    text: str
    location: Location

    def __str__(self) -> str:
        return "\n\n".join(p.plain for p in self.paras)

    @property
    def plain(self) -> str:
        return str(self)


def _prose(value: Prose | str | None) -> Prose | None:
    """Prose, or None for a field that has none (an outline made in code may hold text)."""
    return value if isinstance(value, Prose) else None


@dataclass(frozen=True, slots=True)
class Argument:
    claim: Prose | str
    location: Location
    text: Prose | str | None = None
    evidence: tuple[Evidence, ...] = ()
    # The claim is a paragraph of its own: a Markdown brief's bold words with nothing after
    # them (in a YAML outline, `text` goes on in the claim's paragraph).
    alone: bool = False


@dataclass(frozen=True, slots=True)
class Section:
    heading: str
    location: Location
    intro: Prose | str | None = None
    arguments: tuple[Argument, ...] = ()


@dataclass(frozen=True, slots=True)
class DocxTemplate:
    """A house Word template (reference document) the brief is written into."""

    path: Path  # resolved
    location: Location  # where it was named (the outline's `docx_template:` value)


@dataclass(frozen=True, slots=True)
class OutlineDefaults:
    """What a project's settings (report.config) give an outline that does not say itself:
    its style, language and Word template, checked and resolved as the outline's own are."""

    style: Path | None = None
    lang: str | None = None
    docx_template: DocxTemplate | None = None


@dataclass(frozen=True, slots=True)
class Outline:
    path: Path
    title: str
    sections: tuple[Section, ...]
    corpus_dir: Path
    subtitle: str | None = None
    author: str | None = None
    date: str | None = None
    summary: Prose | str | None = None
    recommendations: tuple[Prose | str, ...] = ()
    location: Location = field(default_factory=lambda: Location("<outline>"))
    lang: str | None = None  # BCP 47 tag, canonical case (`en-GB`); None: not said
    docx_template: DocxTemplate | None = None
    style: Path | None = None  # the citation style's .csl file; None: not said

    @property
    def name(self) -> str:
        """The output base name: `outlines/xi-putin.yaml` -> `xi-putin`."""
        return self.path.stem

    def walk(self) -> Iterator[Prose | Evidence]:
        """The outline in reading order: each field of prose, and each evidence item after
        the prose of its argument. Notes are numbered in this order."""
        if (summary := _prose(self.summary)) is not None:
            yield summary
        for section in self.sections:
            if (intro := _prose(section.intro)) is not None:
                yield intro
            for argument in section.arguments:
                for prose in (_prose(argument.claim), _prose(argument.text)):
                    if prose is not None:
                        yield prose
                yield from argument.evidence
        for recommendation in self.recommendations:
            if (prose := _prose(recommendation)) is not None:
                yield prose

    def evidence(self) -> list[Evidence]:
        """Every quote to verify, in reading order: quotations in the prose that a citation
        follows, and evidence items."""
        out: list[Evidence] = []
        for item in self.walk():
            if isinstance(item, Evidence):
                out.append(item)
            else:
                out.extend(
                    q.evidence for p in item.paras for q in p.quotations() if q.evidence is not None
                )
        return out

    def citations(self) -> list[Citation]:
        """Every citation of the prose, in reading order (evidence items have none)."""
        return [
            c.citation
            for item in self.walk()
            if isinstance(item, Prose)
            for p in item.paras
            for c in p.citations()
        ]
