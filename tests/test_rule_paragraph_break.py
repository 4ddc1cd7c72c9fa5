"""SPEC "What verbatim means": a quote stays within one paragraph unless it marks an
omission, and a quote over a break is told where its words are."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.quotecheck import (
    CNBC,
    M,
    Q,
    check_one,
    check_text,
    where,
    write_outline,
)


@pytest.mark.parametrize(
    "quote",
    [
        # a bracket longer than a few words is no alteration: it must be the source's own
        "China [has long wanted and will soon sign, according to every analyst] a formal "
        "military alliance with Russia",
        # a quote runs over no paragraph break or heading unless it marks an omission
        "Moscow struck an even more optimistic tone. In the video call, Putin said",
        "China’s diplomatic self-interest Releases from China’s foreign ministry",
    ],
)
def test_what_an_alteration_or_a_paragraph_break_cannot_hide(tmp_path, quote):
    assert check_one(tmp_path, CNBC, quote).status is M


def test_a_quote_over_a_paragraph_break_is_told_so(tmp_path, invoke):
    """The one-paragraph rule fails the quote; the message says where the words are."""
    quote = "Moscow struck an even more optimistic tone. In the video call, Putin said"
    result = check_one(tmp_path, CNBC, quote)
    assert result.status is M and result.across is not None
    assert (Path(result.across.location.file).name, result.across.location.line) == (
        where("004", "Moscow struck an even more optimistic tone.")[:2]
    )
    assert result.closest is None  # the passage is known: no closest-passage search
    written = write_outline(tmp_path, [Q(CNBC, quote)], name="over.yaml")
    out = invoke("check", written.path).out
    assert "not found in cnbc-2021 within one paragraph: its words, from corpus/" in out
    assert ", run over a paragraph break (quote each paragraph on its own)" in out
    assert "    source:  Moscow struck an even more optimistic tone. ¶ In the video call" in out


def test_an_alteration_is_not_taken_for_words_over_a_paragraph_break(tmp_path):
    text = "## Energy\n\nRussia sells more oil to China than ever.\n"
    result = check_text(tmp_path, "[In energy,] Russia sells more oil to China", text)
    assert result.status is M and result.across is None
    assert result.closest is not None
