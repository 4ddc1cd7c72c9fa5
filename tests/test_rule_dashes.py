"""SPEC "What verbatim means": dashes are one mark whatever their spacing; a hyphen is
not a dash."""

from __future__ import annotations

import pytest

from tests.quotecheck import (
    DISPATCH,
    PONARS,
    assert_found,
    assert_misquote,
    where,
)


@pytest.mark.parametrize(
    "quote",
    [
        "capable world leader—a new hegemon",  # as the source has it
        "capable world leader — a new hegemon",
        "capable world leader–a new hegemon",
        "capable world leader – a new hegemon",
        "capable world leader―a new hegemon",
        "capable world leader--a new hegemon",
        "capable world leader -- a new hegemon",
    ],
)
def test_dashes_are_equal_and_spaces_around_them_do_not_matter(tmp_path, quote):
    assert_found(tmp_path, DISPATCH, quote, where("000", "capable world leader—"))


def test_spaced_en_dash_in_source_matches_an_unspaced_em_dash(tmp_path):
    # The source writes "No country or institution – not the United States".
    quote = "No country or institution—not the United States, China, Russia"
    assert_found(tmp_path, PONARS, quote, where("001", "No country or institution"))


@pytest.mark.parametrize(
    "quote",
    [
        "capable world leader - a new hegemon",
        "capable world leader-a new hegemon",
        "No country or institution - not the United States",
    ],
)
def test_a_hyphen_is_not_a_dash(tmp_path, quote):
    source = PONARS if quote.startswith("No") else DISPATCH
    assert_misquote(tmp_path, source, quote)


@pytest.mark.parametrize(
    "quote",
    [
        "the Sino—Russian partnership",
        "the Sino–Russian partnership",
        "the Sino Russian partnership",
        "the SinoRussian partnership",
    ],
)
def test_a_dash_is_not_a_hyphen(tmp_path, quote):
    assert_misquote(tmp_path, PONARS, quote)


def test_a_hyphen_matches_a_hyphen(tmp_path):
    at = where("001", "the Sino-Russian part")
    assert_found(tmp_path, PONARS, "the Sino-Russian partnership", at)
