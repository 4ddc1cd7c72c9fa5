"""SPEC "Findings": a misquote shows the closest passage and a word diff."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.quotecheck import (
    CNBC,
    DISPATCH,
    EMBRACE,
    PONARS,
    QUOTE_COLUMN,
    M,
    Q,
    check_one,
    check_text,
    where,
    write_outline,
)


def test_misquote_shows_closest_passage_and_word_diff(tmp_path):
    result = check_one(tmp_path, CNBC, "reaffirmed China’s commitment to fully support Russia")
    assert result.status is M
    closest = result.closest
    assert closest is not None
    assert closest.source_id == CNBC
    assert closest.passage == "reaffirmed China’s commitment to firmly support Russia"
    name, line, column = where("004", "“reaffirmed China’s")
    assert (Path(closest.location.file).name, closest.location.line) == (name, line)
    assert closest.location.column == column + 1
    changed = [(d.op, d.quote, d.source) for d in closest.diff if d.op != "equal"]
    assert changed == [("replace", "fully", "firmly")]
    assert closest.kind == "substantive"
    assert result.closest_corpus is not None and result.closest_corpus.source_id == CNBC


@pytest.mark.parametrize(
    ("source", "quote", "passage", "changed"),
    [
        # a dropped word at the end: the passage still ends where the quote does
        (PONARS, "China is alone in spreading disinformation about the origins of the pandemic.",
         "China is not alone in spreading disinformation about the origins of the pandemic.",
         [("insert", "", "not")]),
        (CNBC, "Washington would accept such a demand.",
         "Washington would not accept such a demand.", [("insert", "", "not")]),
        # a changed first or last word, and one word written as two
        (CNBC, "Moscow would not accept such a demand.",
         "Washington would not accept such a demand.", [("replace", "Moscow", "Washington")]),
        (CNBC, "Washington would not accept such a request.",
         "Washington would not accept such a demand.", [("replace", "request.", "demand.")]),
        (EMBRACE, "bolstered by Chinese semiconductors and other dual use technologies",
         "bolstered by Chinese semiconductors and other dual-use technologies",
         [("replace", "dual use", "dual-use")]),
        # the source's closing quotation mark is not a difference
        (EMBRACE, "It doesn’t want to be chained to a corpse.",
         "It doesn’t want to be shackled to a corpse.", [("replace", "chained", "shackled")]),
    ],
)  # fmt: skip
def test_closest_passage_spans_the_quote_and_the_source_words_it_lacks(
    tmp_path, source, quote, passage, changed
):
    result = check_one(tmp_path, source, quote)
    assert result.status is M and result.closest is not None
    assert result.closest.passage == passage
    assert [(d.op, d.quote, d.source) for d in result.closest.diff if d.op != "equal"] == changed


@pytest.mark.parametrize(
    ("quote", "passage", "added"),
    [
        ("The plan is cheap.", "The plan is not cheap.", "not"),
        ("The plan is cheap", "The plan is not cheap", "not"),  # without the full stop
        ("set aside twelve million euros for the phase",
         "set aside twelve million euros for the first phase", "first"),
    ],
)  # fmt: skip
def test_closest_passage_of_a_short_quote_is_not_cut_at_the_quote_s_length(
    tmp_path, quote, passage, added
):
    """The character alignment is as long as the quote: for "The plan is cheap." it ended
    at "not", and the diff read `- cheap. + not`."""
    text = (
        "Cities bet on bicycles.\n\nThe plan is not cheap. The council set aside twelve"
        " million euros for the first phase.\n"
    )
    result = check_text(tmp_path, quote, text)
    assert result.closest is not None and result.closest.passage == passage
    assert [(d.op, d.source) for d in result.closest.diff if d.op != "equal"] == [("insert", added)]


def test_misquote_text_output_reads_like_the_spec(tmp_path, invoke):
    written = write_outline(
        tmp_path, [Q(CNBC, "reaffirmed China’s commitment to fully support Russia")]
    )
    result = invoke("check", written.path)
    assert result.code == 1
    lines = result.out.splitlines()
    name, line, _ = where("004", "“reaffirmed China’s")
    assert (
        lines[0]
        == f"{written.path}:{written.quote_lines[0]}:{QUOTE_COLUMN}: misquote: not found in {CNBC}"
    )
    assert lines[1] == "    quote:   reaffirmed China's commitment to [-fully-] support Russia"
    assert f"{name}:{line}:" in lines[2]
    assert lines[3].strip() == "reaffirmed China’s commitment to {+firmly+} support Russia"
    assert lines[4] == "    diff:    - fully + firmly  (substantive: a changed word)"
    assert lines[-1] == "1 quote: 0 verified, 1 misquote"


def test_misquote_of_punctuation_only_is_marked_as_such(tmp_path):
    result = check_one(tmp_path, DISPATCH, "close collaboration between China and Russia, in this")
    assert result.status is M
    assert result.closest is not None and result.closest.kind == "punctuation"
