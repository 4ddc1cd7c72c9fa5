"""A word-level difference -> what kind of difference it is, and both texts with the
differing words picked out (report.output styles them: colour on a terminal, marks in logs).

A difference is substantive when a word is changed, missing from the quote or extra in it;
it is punctuation only when the same letters differ only in punctuation or spacing
(`dual use` vs `dual-use`, `Moscow's` vs `Moscows`, `her voice` vs `hervoice`).
"""

from __future__ import annotations

from collections.abc import Sequence
from enum import StrEnum

from report.closest import same_letters, shown_words
from report.findings import DiffOp, DiffTag


class StepKind(StrEnum):
    """What one step of a difference does to the words, as a reader counts it."""

    CHANGED = "changed"
    MISSING = "missing"  # the source has words the quote lacks
    EXTRA = "extra"  # the quote has words the source lacks
    PUNCTUATION = "punctuation"  # the same letters


Segment = tuple[str, StepKind | None]  # text, and the kind of difference (None: the same)


def op_kind(op: DiffOp) -> StepKind | None:
    """The kind of one step: None (equal), punctuation, changed, missing or extra."""
    if op.op is DiffTag.EQUAL:
        return None
    if same_letters(op.quote, op.source):
        return StepKind.PUNCTUATION
    if not op.quote:
        return StepKind.MISSING
    if not op.source:
        return StepKind.EXTRA
    return StepKind.CHANGED


def describe(ops: Sequence[DiffOp]) -> str:
    """E.g. "substantive: a changed word, 2 missing words" or "punctuation only"."""
    counts: dict[StepKind, int] = {}
    for op in ops:
        kind = op_kind(op)
        if kind is None:
            continue
        words = op.source if kind is StepKind.MISSING else op.quote
        if kind is StepKind.PUNCTUATION:
            n = 1
        else:
            n = max(len(words.split()), len(op.source.split()) if kind is StepKind.CHANGED else 0)
        counts[kind] = counts.get(kind, 0) + n
    if not counts:
        return "no word differs"
    if set(counts) == {StepKind.PUNCTUATION}:
        return "punctuation only"
    parts = []
    for kind in (StepKind.CHANGED, StepKind.MISSING, StepKind.EXTRA):
        n = counts.get(kind, 0)
        if n:
            count = ("an" if kind[0] in "aeiou" else "a") if n == 1 else str(n)
            parts.append(f"{count} {kind} word{'s' if n != 1 else ''}")
    if counts.get(StepKind.PUNCTUATION):
        parts.append("punctuation")
    return "substantive: " + ", ".join(parts)


def segments(ops: Sequence[DiffOp], side: str, shown: str | None = None) -> list[Segment]:
    """One side ("quote" or "source") of the difference as segments to style. `shown` is the
    source passage as printed (the diff is over normalised words); its words are used when
    they line up one for one with the diff's."""
    tokens = [getattr(op, side) for op in ops]
    if shown is not None and side == "source":
        words = shown_words(shown)
        if len(words) == sum(len(t.split()) for t in tokens):
            out, pos = [], 0
            for t in tokens:
                n = len(t.split())
                out.append(" ".join(words[pos : pos + n]))
                pos += n
            tokens = out
    return [(t, op_kind(op)) for t, op in zip(tokens, ops, strict=True) if t]
