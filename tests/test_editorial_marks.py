"""Editorial marks next to a dash, and at a quote's start (report.quote): normalisation
drops the spaces around a dash, so a mark between a dash and a word leaves no space
behind when it is taken out."""

from __future__ import annotations

import pytest

from report.findings import Status
from tests.quotecheck import Q
from tests.tinycorpus import check_in

SOURCE = (
    "Intro.\n\n"
    "The mission was contradictory — a task no army could win, officials said.\n\n"
    "China has become a regional leader—a new hegemon in Asia, the report says.\n\n"
    "The plan was agreed on Monday after a long night of talks.\n"
)


@pytest.mark.parametrize(
    "quote",
    [
        "contradictory — [sic] a task no army could win",
        "contradictory—[sic] a task no army could win",
        "contradictory [sic] — a task no army could win",
        "contradictory — [emphasis added] a task no army could win",
        "leader—[indeed] a new hegemon in Asia",  # an inserted word
        "leader — [indeed] a new hegemon in Asia",
        "a regional leader—[a] new hegemon in Asia",  # an alteration standing for a word
        "regional leader [indeed] — a new hegemon",
        "[sic] the plan was agreed on Monday",
        "[sic] The plan was agreed on Monday",
        "[emphasis added] the plan was agreed",
    ],
)
def test_marks_next_to_a_dash_or_at_the_start_verify(tmp_path, quote):
    [result] = check_in(tmp_path, {"a.txt": SOURCE}, Q("a", quote))
    assert result.status is Status.VERIFIED, (quote, result)


@pytest.mark.parametrize(
    "quote",
    [
        "contradictory — [sic] the task no army could win",  # a changed word stays one
        "leader—[indeed] an old hegemon in Asia",
        "[sic] the plan was signed on Monday",
        "[sic] he plan was agreed on Monday",  # not the end of a word
        "The mission[sic]was contradictory",  # no two words may be joined
        "contradictory [sic]— the task",
    ],
)
def test_marks_do_not_forgive_a_changed_word(tmp_path, quote):
    [result] = check_in(tmp_path, {"a.txt": SOURCE}, Q("a", quote))
    assert result.status is Status.MISQUOTE, (quote, result)


def test_a_misquote_that_begins_with_sic_says_which_word_differs(tmp_path):
    [result] = check_in(tmp_path, {"a.txt": SOURCE}, Q("a", "[sic] the plan was signed on Monday"))
    assert result.closest is not None
    changed = [(d.quote, d.source) for d in result.closest.diff if d.op != "equal"]
    assert changed == [("signed", "agreed")]
