"""report.diffmark: what kind of difference a word-level diff is, and each side of it as
segments to mark."""

from __future__ import annotations

import pytest

from report.diffmark import StepKind, describe, op_kind, segments
from report.findings import DiffOp, DiffTag

SAME = DiffOp(DiffTag.EQUAL, "China's commitment to", "China's commitment to")
CHANGED_ = DiffOp(DiffTag.REPLACE, "fully", "firmly")
MISSING_ = DiffOp(DiffTag.INSERT, "", "not")
EXTRA_ = DiffOp(DiffTag.DELETE, "very", "")
DASHED = DiffOp(DiffTag.REPLACE, "dual use", "dual-use")


@pytest.mark.parametrize(
    ("op", "kind"),
    [
        (SAME, None),
        (CHANGED_, StepKind.CHANGED),
        (MISSING_, StepKind.MISSING),
        (EXTRA_, StepKind.EXTRA),
        (DASHED, StepKind.PUNCTUATION),
        (DiffOp(DiffTag.REPLACE, "tone.", "tone"), StepKind.PUNCTUATION),
    ],
)
def test_op_kind(op, kind):
    assert op_kind(op) == kind


@pytest.mark.parametrize(
    ("ops", "said"),
    [
        ([SAME], "no word differs"),
        ([SAME, CHANGED_], "substantive: a changed word"),
        ([SAME, MISSING_], "substantive: a missing word"),
        ([EXTRA_, SAME], "substantive: an extra word"),
        ([DASHED], "punctuation only"),
        ([DiffOp(DiffTag.INSERT, "", "the first"), SAME], "substantive: 2 missing words"),
        ([DiffOp(DiffTag.REPLACE, "a big", "one large new"), SAME], "substantive: 3 changed words"),
        ([CHANGED_, MISSING_, EXTRA_, DASHED],
         "substantive: a changed word, a missing word, an extra word, punctuation"),
    ],
)  # fmt: skip
def test_describe_counts_words_by_kind(ops, said):
    assert describe(ops) == said


def test_each_side_keeps_its_own_words_and_marks_only_the_differing_ones():
    ops = [SAME, CHANGED_, MISSING_, EXTRA_]
    assert segments(ops, "quote") == [
        ("China's commitment to", None),
        ("fully", "changed"),
        ("very", StepKind.EXTRA),
    ]
    assert segments(ops, "source") == [
        ("China's commitment to", None),
        ("firmly", "changed"),
        ("not", StepKind.MISSING),
    ]


def test_the_source_side_shows_the_passage_as_printed_when_its_words_line_up():
    """The diff is over normalised words; the passage shown keeps the source's curly
    apostrophe."""
    ops = [SAME, CHANGED_]
    shown = "China’s commitment to firmly"
    assert segments(ops, "source", shown) == [
        ("China’s commitment to", None),
        ("firmly", "changed"),
    ]
    # words that do not line up one for one: the diff's own words
    assert segments(ops, "source", "China’s commitment-to firmly") == segments(ops, "source")
