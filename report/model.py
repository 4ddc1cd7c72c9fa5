"""The outline's data model: Outline -> Section -> Argument -> Evidence (frozen dataclasses)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from report.errors import Location


@dataclass(frozen=True, slots=True)
class Locator:
    """Where in its source the author says a quote is: `page: 12` (checked against the
    page the quote is found on) or `paragraph: 4` (cited as written)."""

    label: str  # the CSL locator term: "page" or "paragraph"
    value: str  # as written: "12", "12-13", "iv"
    location: Location


@dataclass(frozen=True, slots=True)
class Evidence:
    """One quoted passage offered in support of a claim."""

    source: str
    quote: str
    location: Location  # where the quote's text starts in the outline
    source_location: Location  # where the `source:` value is
    speaker: str | None = None
    locator: Locator | None = None  # the evidence item's `page:` or `paragraph:`


@dataclass(frozen=True, slots=True)
class Argument:
    claim: str
    location: Location
    text: str | None = None
    evidence: tuple[Evidence, ...] = ()


@dataclass(frozen=True, slots=True)
class Section:
    heading: str
    location: Location
    intro: str | None = None
    arguments: tuple[Argument, ...] = ()


@dataclass(frozen=True, slots=True)
class DocxTemplate:
    """A house Word template (reference document) the brief is written into."""

    path: Path  # resolved
    location: Location  # where it was named (the outline's `docx_template:` value)


@dataclass(frozen=True, slots=True)
class Outline:
    path: Path
    title: str
    sections: tuple[Section, ...]
    corpus_dir: Path
    subtitle: str | None = None
    author: str | None = None
    date: str | None = None
    summary: str | None = None
    recommendations: tuple[str, ...] = ()
    location: Location = field(default_factory=lambda: Location("<outline>"))
    lang: str | None = None  # BCP 47 tag, canonical case (`en-GB`); None: not said
    docx_template: DocxTemplate | None = None
    style: Path | None = None  # the citation style's .csl file; None: not said

    @property
    def name(self) -> str:
        """The output base name: `outlines/xi-putin.yaml` -> `xi-putin`."""
        return self.path.stem

    def evidence(self) -> list[Evidence]:
        """Every quote of the outline, in outline order."""
        return [ev for s in self.sections for a in s.arguments for ev in a.evidence]
