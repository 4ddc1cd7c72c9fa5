"""SPEC "What verbatim means": an omission mark splits a quote into parts found in order
in one paragraph."""

from __future__ import annotations

import pytest

from report.findings import Status
from tests.quotecheck import (
    DISPATCH,
    EMBRACE,
    PONARS,
    M,
    V,
    assert_found,
    assert_misquote,
    check_one,
    file_line_col,
    where,
)


@pytest.mark.parametrize("mark", ["...", "…", "[...]", "[…]", " ... ", "... "])
def test_every_omission_mark_splits_the_quote(tmp_path, mark):
    quote = f"Experts claim that Russia has suspiciously few reported cases{mark}All closed their"
    assert_found(tmp_path, PONARS, quote, where("001", "Experts claim that Russia"))


@pytest.mark.parametrize("mark", ["...", "…"])
def test_an_ellipsis_already_in_the_source(tmp_path, mark):
    # A reader comment has "all the freebies you want... until you're hooked".
    quote = f"I can give you all the freebies you want{mark} until you’re hooked"
    result = check_one(tmp_path, DISPATCH, quote)
    assert result.status is Status.OUTSIDE_BODY
    assert file_line_col(result) == where("000", "I can give you all the freebies")


def test_omission_parts_in_order_in_one_paragraph(tmp_path):
    quote = "Xi praised the “mutual support ... in this extraordinary fight against the virus"
    assert_found(tmp_path, DISPATCH, quote, where("000", "Xi praised the"))


def test_omission_parts_out_of_order_fail(tmp_path):
    quote = "All closed their borders to China without delay ... Experts claim that Russia"
    assert_misquote(tmp_path, PONARS, quote)


def test_omission_parts_in_different_paragraphs_fail(tmp_path):
    # Both parts occur in ponars-643, but in consecutive paragraphs.
    quote = "Russia claims to have relatively few cases ... Experts claim that Russia has"
    for part in quote.split(" ... "):
        assert check_one(tmp_path, PONARS, part).status is V
    assert_misquote(tmp_path, PONARS, quote)


def test_omission_part_that_spans_a_blank_line_inside_a_sentence(tmp_path):
    at = where("001", "Italy, sanctions")
    quote = "Italy, sanctions notwithstanding ... Russian sent nine planeloads of aid"
    assert_found(tmp_path, PONARS, quote, at)
    quote = "Italy, sanctions ... notwithstanding. Russian sent nine planeloads of aid"
    assert_found(tmp_path, PONARS, quote, at)


def test_omission_does_not_reach_across_a_footnote(tmp_path):
    # ponars-643 breaks a sentence with a footnote: "... during the pandemic. A" | footnote |
    # "French publication reported ...". Those are separate paragraphs of the file.
    quote = "a new book about Xi's outstanding leadership ... French publication reported"
    assert_misquote(tmp_path, PONARS, quote)


def test_omission_with_each_part_elsewhere_but_not_together(tmp_path):
    # Both parts are in dispatch-2020, but the second only before the first.
    quote = "the Chinese government has been orchestrating ... As COVID-19 spreads"
    assert_misquote(tmp_path, DISPATCH, quote)


def test_a_four_dot_ellipsis_is_a_full_stop_then_an_omission(tmp_path):
    # Chicago: the sentence before the omission ends there, so its full stop must be there
    ends = (
        "Mr. Putin will have to stay in power and stave off a humiliating defeat in "
        "Ukraine.... he will ultimately be guided only by China’s best interests."
    )
    assert check_one(tmp_path, EMBRACE, ends).status is V
    goes_on = "Mr. Putin will have to stay in power.... Mr. Xi will probably do as much"
    assert check_one(tmp_path, EMBRACE, goes_on).status is M
