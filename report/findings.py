"""What verification found, as data: one QuoteResult per quote, with its warnings.

Findings are values, not exceptions; report.output turns them into text, JSON and the
CI formats, and report.cli decides the exit status from them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from report.errors import Location
from report.model import Evidence


class Status(StrEnum):
    VERIFIED = "verified"
    MISQUOTE = "misquote"
    WRONG_SOURCE = "wrong_source"
    OUTSIDE_BODY = "outside_body"
    SOURCE_CHANGED = "source_changed"  # the named source's bytes are not the pinned ones
    # Found in the named source, but not on the page the evidence item's `page:` names.
    WRONG_PAGE = "wrong_page"
    # Only in a draft's audit (report.audit):
    SOURCE_UNKNOWN = "source_unknown"  # the quotation's note names no single corpus source
    # A note that cites a document outside the corpus, listed once: not a failure (its
    # warning of the same kind makes --strict fail it).
    NOT_IN_CORPUS = "not_in_corpus"
    # Only in an outline's prose (report.prose), neither verified nor failed:
    CITED = "cited"  # a citation with no quotation before it: a paraphrase, its note made
    UNATTRIBUTED = "unattributed"  # a quotation with no citation after it (a warning)

    @property
    def label(self) -> str:
        return self.value.replace("_", " ")

    @property
    def failed(self) -> bool:
        return self not in (Status.VERIFIED, Status.NOT_IN_CORPUS, *PROSE_ONLY)


DRAFT_ONLY = frozenset({Status.SOURCE_UNKNOWN, Status.NOT_IN_CORPUS})
PROSE_ONLY = frozenset({Status.CITED, Status.UNATTRIBUTED})


class WarningKind(StrEnum):
    # A draft's note cites a document that is not in the corpus: its quotations are unchecked.
    NOT_IN_CORPUS = "not_in_corpus"
    # A quotation in an outline's prose that no citation follows: nothing says whose it is.
    UNATTRIBUTED_QUOTE = "unattributed_quote"
    SPEAKER_NOT_FOUND = "speaker_not_found"
    TOO_SHORT = "too_short"
    # A verbatim quote that misleads by what it leaves out (report.context).
    NEGATION_OMITTED = "negation_omitted"
    CONTRAST_OMITTED = "contrast_omitted"
    ATTRIBUTED_TO_AUTHOR = "attributed_to_author"
    # The words are a machine's reading of an image (a scanned PDF's OCR layer).
    OCR_TEXT = "ocr_text"
    # The quoted words are struck through or a tracked deletion in the source (a Word file):
    # they are on the page, but the author marked them as deleted (TextLayer.notes).
    STRUCK_TEXT = "struck_text"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ")


@dataclass(frozen=True, slots=True)
class Excerpt:
    """A source sentence as the text layer has it, with the quoted spans ([start, end) each;
    several when the quote has omissions)."""

    text: str
    spans: tuple[tuple[int, int], ...]
    location: Location


@dataclass(frozen=True, slots=True)
class QuoteWarning:
    """Something a quote does that a reader should know, verified or not: it fails only
    under --strict (JSON: an item of a quote's `warnings`)."""

    kind: WarningKind
    message: str
    excerpt: Excerpt | None = None  # the source sentence, for warnings about context


@dataclass(frozen=True, slots=True)
class Pages:
    """The pages of a paginated source (a PDF) a quote is on: the first and last, 1-based
    in the file, and the labels printed on them (the PDF's /PageLabels; the page's number
    where it has none)."""

    first: int
    last: int
    first_label: str
    last_label: str

    @property
    def cited(self) -> str:
        """As a citation gives them: `12`, or `12–13` over two pages."""
        if self.first_label == self.last_label:
            return self.first_label
        return f"{self.first_label}\u2013{self.last_label}"

    @property
    def physical(self) -> str:
        """As a PDF viewer counts them: `PDF page 3`, `PDF pages 3–4`."""
        if self.first == self.last:
            return f"PDF page {self.first}"
        return f"PDF pages {self.first}\u2013{self.last}"


@dataclass(frozen=True, slots=True)
class Match:
    """Where a quote occurs: source, normalised span, file location and its paragraph."""

    source_id: str
    start: int
    end: int
    location: Location
    paragraph: int  # index of the paragraph in the source's text layer
    paragraph_text: str
    text: str  # the matched passage as the text layer has it (markup removed)
    in_body: bool = True
    pages: Pages | None = None  # a paginated source's pages the passage is on


@dataclass(frozen=True, slots=True)
class WrongPage:
    """An evidence item's `page:` that is not where its quote is (Status.WRONG_PAGE)."""

    given: str  # as the outline writes it
    found: Pages | None  # where the quote is; None: the source has no pages


class DiffTag(StrEnum):
    """What one step of a word-level difference does (difflib's opcode tags)."""

    EQUAL = "equal"
    REPLACE = "replace"
    DELETE = "delete"  # words of the quote only
    INSERT = "insert"  # words of the source only


class DiffKind(StrEnum):
    """What a whole difference is."""

    SUBSTANTIVE = "substantive"  # a word changed, missing or extra
    PUNCTUATION = "punctuation"  # the same letters: only punctuation and spacing differ


@dataclass(frozen=True, slots=True)
class DiffOp:
    """One step of a word-level difference: equal, delete (quote only), insert (source only)
    or replace."""

    op: DiffTag
    quote: str
    source: str


@dataclass(frozen=True, slots=True)
class Closest:
    """The nearest passage to a failed quote, with a word-level difference."""

    source_id: str
    passage: str
    location: Location
    score: float  # 0..100
    diff: tuple[DiffOp, ...]
    kind: DiffKind


@dataclass(frozen=True, slots=True)
class Changed:
    """A pinned source whose file on disk is not the one it was checked against."""

    source_id: str
    file: str  # as messages show it
    pinned: str  # sha256 recorded in sources.yaml (or in a quote ledger)
    actual: str | None  # sha256 of the file now; None: the file or the source is gone
    ledger: str = ""  # the quote ledger that recorded `pinned` ("": sources.yaml did)


@dataclass(frozen=True, slots=True)
class NoteRef:
    """What a draft's quotation is attributed to (report audit): its footnote or endnote, or
    an inline citation; for a note that names no single source, the sources it could mean."""

    text: str  # the citation as the draft has it (one citation of a note that has several)
    location: Location
    candidates: tuple[str, ...] = ()  # source ids it could mean (source_unknown)
    reason: str = ""  # why it names no single source of the corpus (source_unknown)


@dataclass(frozen=True, slots=True)
class QuoteResult:
    evidence: Evidence
    status: Status
    match: Match | None = None  # for verified: in the named source; wrong source: elsewhere
    matches: tuple[Match, ...] = ()  # every verified occurrence in the named source
    closest: Closest | None = None  # misquote: nearest passage in the named source
    closest_corpus: Closest | None = None  # misquote: nearest passage in the whole corpus
    warnings: tuple[QuoteWarning, ...] = field(default=())
    changed: Changed | None = None  # source changed: which file, pinned and actual sha256
    across: Match | None = None  # misquote: the words occur, but over a paragraph break
    note: NoteRef | None = None  # a draft's quotation: the citation that attributes it
    wrong_page: WrongPage | None = None  # wrong page: the page given and where the quote is

    def failed(self, strict: bool = False) -> bool:
        return self.status.failed or (strict and bool(self.warnings))


@dataclass(frozen=True, slots=True)
class Summary:
    quotes: int
    counts: dict[str, int]
    warnings: int
    failed: int

    @classmethod
    def of(cls, results: list[QuoteResult], strict: bool = False, draft: bool = False) -> Summary:
        """`draft`: a draft's audit, which counts the statuses only an audit has too."""
        counts = {s.value: 0 for s in Status if s not in (PROSE_ONLY if draft else DRAFT_ONLY)}
        for r in results:
            counts[r.status.value] = counts.get(r.status.value, 0) + 1
        return cls(
            quotes=len(results),
            counts=counts,
            warnings=sum(len(r.warnings) for r in results),
            failed=sum(1 for r in results if r.failed(strict)),
        )


@dataclass(frozen=True, slots=True)
class Run:
    """All results of one command, in outline order."""

    results: list[QuoteResult]
    strict: bool = False
    draft: bool = False  # a draft's audit: its summary counts the audit's own statuses too

    @property
    def summary(self) -> Summary:
        return Summary.of(self.results, self.strict, self.draft)


@dataclass(frozen=True, slots=True)
class Notice:
    """What a build tells its user that is not about a quote (a style the house Word
    template lacks, so the built-in look stands in): a warning, never a failure."""

    message: str
    location: Location

    def __str__(self) -> str:
        return f"{self.location}: warning: {self.message}"
