"""The exception hierarchy for input that cannot be read; each error carries a location.

A ReportError means "the input is wrong" (exit status 2). Misquotes are not exceptions:
they are findings (see report.findings). The base class is never raised itself.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")

# Location.unit as JSON spells it
UNIT_NAMES = {"¶": "paragraph", "fn": "footnote", "en": "endnote"}


@dataclass(frozen=True, slots=True)
class Location:
    """A place in a file: 1-based line and column; line 0 means "the file as a whole".

    In a PDF, `page` is the 1-based page and `line` counts lines on that page
    (`paper.pdf:p3:14:7`); in a Word file, `line` counts paragraphs (`unit` "¶") or footnotes
    (`unit` "fn"): `memo.docx:¶12:5`, `memo.docx:fn2:1`. Text files keep `file:line:col`.
    """

    file: str
    line: int = 0
    column: int = 0
    page: int = 0  # 0: the file has no pages
    unit: str = ""  # "" a line; "¶" a Word paragraph; "fn" a Word footnote; "en" an endnote

    def __str__(self) -> str:
        if self.line <= 0:
            return f"{self.file}:p{self.page}" if self.page > 0 else self.file
        line = f"{self.unit}{self.line}"
        if self.page > 0:
            line = f"p{self.page}:{line}"
        if self.column <= 0:
            return f"{self.file}:{line}"
        return f"{self.file}:{line}:{self.column}"


class ReportError(Exception):
    """Base of every input error; carries a Location and a one-line message."""

    def __init__(self, message: str, location: Location | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.location = location

    def __str__(self) -> str:
        if self.location is None:
            return self.message
        return f"{self.location}: {self.message}"


class OutlineError(ReportError):
    """The outline YAML is malformed or breaks the schema."""


class CorpusError(ReportError):
    """sources.yaml or a source file cannot be read or is inconsistent."""


class RenderError(ReportError):
    """A brief could not be rendered or written (templates, output folder)."""


class DraftError(ReportError):
    """A draft given to `report audit` cannot be read, or its annotated copy written."""


class InitError(ReportError):
    """`report init` cannot create the project folder."""


class ReportErrors(ReportError):
    """Several input errors found in one pass, reported together before one abort."""

    def __init__(self, errors: list[ReportError]) -> None:
        super().__init__(f"{len(errors)} input errors", errors[0].location if errors else None)
        self.errors = errors

    def __str__(self) -> str:
        return "\n".join(str(e) for e in self.errors)


def gather(items: Iterable[T], fn: Callable[[T], R]) -> list[R]:
    """fn(item) for every item; the input errors of all items are collected and raised
    together at the end (MkDocs' "log every error, then one abort")."""
    results: list[R] = []
    errors: list[ReportError] = []
    for item in items:
        try:
            results.append(fn(item))
        except ReportErrors as exc:
            errors.extend(exc.errors)
        except ReportError as exc:
            errors.append(exc)
    if errors:
        raise errors[0] if len(errors) == 1 else ReportErrors(errors)
    return results
