"""SPEC "Findings": a quote found in another source than the one named."""

from __future__ import annotations

from report.findings import Status
from tests.quotecheck import (
    CNBC,
    DISPATCH,
    PONARS,
    check_one,
    file_line_col,
    where,
)


def test_wrong_source_names_the_other_source(tmp_path):
    quote = "mutual support, solidarity and close collaboration between China and Russia"
    result = check_one(tmp_path, PONARS, quote)
    assert result.status is Status.WRONG_SOURCE
    assert result.match is not None and result.match.source_id == DISPATCH
    assert file_line_col(result) == where("000", "mutual support, solidarity")


def test_wrong_source_beats_a_near_miss_in_the_named_source(tmp_path):
    # ponars-643 has "mutual support by Xi and Putin"; the words below are cnbc-2021's.
    quote = "neither of them specifically endorsed the position of the other"
    result = check_one(tmp_path, PONARS, quote)
    assert result.status is Status.WRONG_SOURCE
    assert result.match.source_id == CNBC
