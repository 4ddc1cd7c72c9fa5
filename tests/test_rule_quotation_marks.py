"""SPEC "What verbatim means": every double quotation mark is one mark, every
apostrophe another; a dropped mark is a misquote."""

from __future__ import annotations

import pytest

from tests.quotecheck import (
    CNBC,
    DISPATCH,
    assert_found,
    assert_misquote,
    where,
)


@pytest.mark.parametrize(
    "quote",
    [
        "“Some country” is, of course, the United States of America.",  # as the source has it
        '"Some country" is, of course, the United States of America.',
        "„Some country‟ is, of course, the United States of America.",
        "″Some country″ is, of course, the United States of America.",
    ],
)
def test_double_quotation_marks_are_equal(tmp_path, quote):
    assert_found(tmp_path, DISPATCH, quote, where("000", "“Some country” is"))


@pytest.mark.parametrize("mark", ["’", "'", "‘", "‚", "′", "‛"])
def test_apostrophes_are_equal(tmp_path, mark):
    quote = f"It{mark}s not clear what Beijing{mark}s position on Ukraine is"
    assert_found(tmp_path, CNBC, quote, where("004", "It’s not clear"))


def test_a_quotation_mark_is_not_an_apostrophe(tmp_path):
    assert_misquote(tmp_path, CNBC, 'It"s not clear what Beijing"s position on Ukraine is')


def test_a_dropped_quotation_mark_is_a_misquote(tmp_path):
    # The source: Russia “will maintain its mutual support ...
    assert_misquote(tmp_path, DISPATCH, "Russia will maintain its mutual support")
    assert_found(
        tmp_path, DISPATCH, "Russia “will maintain its mutual support", where("000", "Russia “will")
    )
