"""SPEC "What verbatim means": only a first letter may change case."""

from __future__ import annotations

import pytest

from tests.quotecheck import (
    DISPATCH,
    PONARS,
    M,
    V,
    assert_found,
    check_one,
    file_line_col,
    where,
)


@pytest.mark.parametrize(
    ("quote", "status"),
    [
        ("According to an EU report, Russia has been doing this", V),
        ("according to an EU report, Russia has been doing this", V),
        ("ACCORDING to an EU report, Russia has been doing this", M),
        ("According To an EU report, Russia has been doing this", M),
        ("According to an eu report, Russia has been doing this", M),
        ("according to an EU report, russia has been doing this", M),
    ],
)
def test_only_the_first_letter_may_change_case(tmp_path, quote, status):
    result = check_one(tmp_path, PONARS, quote)
    assert result.status is status
    if status is V:
        assert file_line_col(result) == where("001", "According to an [EU report]")


@pytest.mark.parametrize(
    ("quote", "status"),
    [
        ("Experts claim that Russia has suspiciously few reported cases ... all closed", V),
        ("experts claim that Russia has suspiciously few reported cases ... all closed", V),
        ("Experts claim that Russia has suspiciously few reported cases ... ALL closed", M),
        ("Experts claim that Russia has suspiciously few reported cases ... all Closed", M),
    ],
)
def test_first_letter_after_an_omission_may_change_case(tmp_path, quote, status):
    assert check_one(tmp_path, PONARS, quote).status is status


def test_first_letter_after_an_opening_quotation_mark_may_change_case(tmp_path):
    quote = "“some country” is, of course, the United States of America."
    assert_found(tmp_path, DISPATCH, quote, where("000", "“Some country” is"))
