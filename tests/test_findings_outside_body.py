"""SPEC "Findings": a quote found outside the article body (comments, captions, footers)."""

from __future__ import annotations

import pytest

from report.findings import Status
from tests.quotecheck import (
    CNBC,
    DISPATCH,
    EMBRACE,
    M,
    V,
    check_one,
    file_line_col,
    where,
)


@pytest.mark.parametrize(
    ("source", "quote", "needle"),
    [
        # dispatch-2020: a reader comment below the article
        (DISPATCH, "everybody knows Russia and China are bastards", "everybody knows Russia"),
        # dispatch-2020: the photo credit after the body's end
        (DISPATCH, "Photograph of Vladimir Putin and Xi Jinping", "Photograph of Vladimir"),
        # cnbc-2021: the closing line after the body end ("... strong tornadoes in the U.S.")
        (
            CNBC,
            "but not enough for them to send military support to each other",
            "but not enough for them",
        ),
        # cnbc-2021: the photo caption before the body start
        (CNBC, "shake hands during an official ceremony, via teleconference", "shake hands during"),
        # embrace-2024: the comment form after "Olivia Wang contributed research."
        (EMBRACE, "Your email address will not be published.", "Your email address"),
    ],
)
def test_outside_body(tmp_path, source, quote, needle):
    result = check_one(tmp_path, source, quote)
    assert result.status is Status.OUTSIDE_BODY
    prefix = {DISPATCH: "000", CNBC: "004", EMBRACE: "002"}[source]
    assert file_line_col(result) == where(prefix, needle)


def test_body_edges_are_inside_the_body(tmp_path):
    first = "BEIJING — International pressure may have pushed China and Russia closer together"
    last = "other destruction from strong tornadoes in the U.S."
    assert check_one(tmp_path, CNBC, first).status is V
    assert check_one(tmp_path, CNBC, last).status is V


def test_quote_straddling_the_body_end_is_not_verified(tmp_path):
    # it also runs over a paragraph break, which no quote may do unmarked
    quote = "destruction from strong tornadoes in the U.S. International pressure"
    assert check_one(tmp_path, CNBC, quote).status is M
