"""SPEC "What verbatim means": any run of white space is one space, inside a paragraph."""

from __future__ import annotations

import pytest

from report.findings import Status
from tests.quotecheck import (
    CNBC,
    DISPATCH,
    PONARS,
    assert_found,
    assert_misquote,
    check_one,
    file_line_col,
    where,
)


@pytest.mark.parametrize("space", ["  ", "\t", "\n", "\u00a0", " \u00a0 ", "\u2009", "\u3000"])
def test_any_run_of_white_space_is_one_space(tmp_path, space):
    quote = f"China is not{space}alone in spreading disinformation"
    assert_found(tmp_path, PONARS, quote, where("001", "China is not alone"))


def test_a_no_break_space_in_the_source_is_a_space(tmp_path):
    # The last line of dispatch-2020 is "Substack\xa0is the home for great writing" (a footer).
    result = check_one(tmp_path, DISPATCH, "Substack is the home for great writing")
    assert result.status is Status.OUTSIDE_BODY
    assert file_line_col(result) == where("000", "Substack\u00a0is the home")


def test_text_across_a_line_break_inside_a_paragraph(tmp_path):
    quote = "so I think they both want to preserve some sort of flexibility. William Courtney"
    at = where("004", "so I think they both want to preserve some sort of flexibility.\nWilliam")
    assert_found(tmp_path, CNBC, quote, at)


def test_text_across_a_blank_line_inside_a_sentence(tmp_path):
    # ponars-643 has "sanctions\n\nnotwithstanding." (a conversion artefact).
    quote = "to show the Russian flag in Italy, sanctions notwithstanding."
    assert_found(tmp_path, PONARS, quote, where("001", "to show the Russian flag"))


def test_missing_space_is_a_misquote(tmp_path):
    assert_misquote(tmp_path, PONARS, "China is notalone in spreading disinformation")


def test_matched_text_has_no_line_breaks(tmp_path):
    quote = "so I think they both want to preserve some sort of flexibility. William Courtney"
    result = check_one(tmp_path, CNBC, quote)
    assert result.match.text == quote
    result = check_one(tmp_path, PONARS, "in Italy, sanctions notwithstanding.")
    assert result.match.text == "in Italy, sanctions notwithstanding."
