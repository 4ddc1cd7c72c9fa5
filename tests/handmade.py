"""Findings made by hand, without a corpus or a verification run: what the formatters'
unit tests (test_output, test_ci_formats) feed them."""

from __future__ import annotations

from report.errors import Location
from report.findings import (
    Changed,
    Closest,
    DiffKind,
    DiffOp,
    DiffTag,
    Excerpt,
    Match,
    QuoteResult,
    QuoteWarning,
    Status,
    WarningKind,
)
from report.model import Evidence

OUTLINE = "outlines/brief.yaml"
SOURCE_FILE = "corpus/cnbc.txt"


def evidence(quote: str, line: int = 9, source: str = "cnbc", speaker: str | None = None):
    return Evidence(
        source=source,
        quote=quote,
        location=Location(OUTLINE, line, 20),
        source_location=Location(OUTLINE, line - 1, 21),
        speaker=speaker,
    )


def match(text: str, line: int = 12, column: int = 5, source: str = "cnbc", in_body=True):
    file = SOURCE_FILE if source == "cnbc" else f"corpus/{source}.txt"
    return Match(
        source_id=source,
        start=100,
        end=100 + len(text),
        location=Location(file, line, column),
        paragraph=3,
        paragraph_text=f"Before. {text} After.",
        text=text,
        in_body=in_body,
    )


def verified(quote: str = "the junior partner in the relationship", line: int = 9, **kw):
    found = match(quote)
    return QuoteResult(evidence(quote, line, **kw), Status.VERIFIED, found, (found,))


# The quote says "fully", the source "firmly".
MISQUOTED = "reaffirmed China's commitment to fully support Russia"
PASSAGE = "reaffirmed China’s commitment to firmly support Russia"
DIFF = (
    DiffOp(DiffTag.EQUAL, "reaffirmed China's commitment to", "reaffirmed China's commitment to"),
    DiffOp(DiffTag.REPLACE, "fully", "firmly"),
    DiffOp(DiffTag.EQUAL, "support Russia", "support Russia"),
)


def misquote(line: int = 9, closest: bool = True) -> QuoteResult:
    near = Closest("cnbc", PASSAGE, Location(SOURCE_FILE, 40, 7), 93.4, DIFF, DiffKind.SUBSTANTIVE)
    return QuoteResult(
        evidence(MISQUOTED, line), Status.MISQUOTE, closest=near if closest else None
    )


def wrong_source(line: int = 9) -> QuoteResult:
    quote = "mutual support, solidarity and close collaboration"
    found = match(quote, line=7, column=3, source="dispatch")
    return QuoteResult(evidence(quote, line, source="ponars"), Status.WRONG_SOURCE, found, (found,))


def outside_body(line: int = 9) -> QuoteResult:
    quote = "everybody knows Russia and China are bastards"
    found = match(quote, line=300, column=1, in_body=False)
    return QuoteResult(evidence(quote, line), Status.OUTSIDE_BODY, found, (found,))


def source_changed(line: int = 9, still_there: bool = True) -> QuoteResult:
    quote = "the junior partner in the relationship"
    found = match(quote) if still_there else None
    changed = Changed("cnbc", SOURCE_FILE, "a" * 64, "b" * 64)
    return QuoteResult(
        evidence(quote, line),
        Status.SOURCE_CHANGED,
        found,
        (found,) if found else (),
        changed=changed,
    )


def negation_warning() -> QuoteWarning:
    sentence = "China isn't going to send military help, she said."
    start = sentence.index("going")
    excerpt = Excerpt(sentence, ((start, start + len("going to send military help")),),
                      Location(SOURCE_FILE, 20, 1))  # fmt: skip
    return QuoteWarning(WarningKind.NEGATION_OMITTED, "leaves out 'isn't' just before", excerpt)


def warned(line: int = 13) -> QuoteResult:
    result = verified("going to send military help", line)
    return QuoteResult(
        result.evidence, result.status, result.match, result.matches, warnings=(negation_warning(),)
    )
