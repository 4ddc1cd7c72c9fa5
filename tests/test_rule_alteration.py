"""SPEC "What verbatim means": an alteration in [brackets] stands for a short span of the
same sentence; [sic] and [emphasis added] stand for nothing; a dropped negation warns."""

from __future__ import annotations

import pytest

from report.findings import WarningKind
from tests.quotecheck import (
    CNBC,
    DISPATCH,
    PONARS,
    Q,
    V,
    assert_found,
    assert_misquote,
    check_one,
    file_line_col,
    where,
    write_outline,
)


@pytest.mark.parametrize(
    ("quote", "needle"),
    [
        (
            "[T]hat “new era” is one in which the U.S. is no longer a lone superpower.",
            "That “new era” is one",
        ),
        (
            "[t]hat “new era” is one in which the U.S. is no longer a lone superpower.",
            "That “new era” is one",
        ),
        (
            "That “new era” is one in which [America] is no longer a lone superpower.",
            "That “new era” is one",
        ),
        (
            "[China] wants to be seen as an effective and capable world leader",
            "China wants to be seen",
        ),
        (
            "[Beijing] wants to be seen as an effective and capable world leader",
            "China wants to be seen",
        ),
        (
            "[The Russian leader] praised the “Chinese government for taking measures",
            "Putin praised the",
        ),
        (
            "[He] also emphasized that the “two sides must seize the opportunities",
            "Xi also emphasized",
        ),
        (
            "close collaboration between [the two countries] in this extraordinary fight",
            "close collaboration between",
        ),
        (
            "close collaboration between [Beijing and Moscow] in this extraordinary fight",
            "close collaboration between",
        ),
        (
            "the comprehensive strategic partnership of coordination between [them]",
            "the comprehensive strategic partnership of",
        ),
        ("[T]he Chinese leader also “reaffirmed China’s commitment", "The Chinese leader also"),
    ],
)
def test_alteration_stands_for_a_short_span_of_the_same_sentence(tmp_path, quote, needle):
    source = CNBC if "reaffirmed" in quote else DISPATCH
    prefix = "004" if source == CNBC else "000"
    assert_found(tmp_path, source, quote, where(prefix, needle))


def test_alteration_location_is_not_the_paragraph_before(tmp_path):
    # The line before "That “new era” ..." ends with a closing quotation mark; an opening
    # alteration must not reach back over it.
    result = check_one(tmp_path, DISPATCH, "[T]hat “new era” is one in which the U.S.")
    assert file_line_col(result) == where("000", "That “new era” is one")
    assert result.match is not None
    assert result.match.text.startswith("That “new era”")


@pytest.mark.parametrize(
    "quote",
    [
        # the span is long: "the “mutual support, solidarity and close collaboration between
        # China and Russia"
        "Xi praised [their cooperation] in this extraordinary fight against the virus",
        # the span crosses a sentence end ("... a lone superpower. Xi")
        "That “new era” is one in which [Washington] also emphasized that",
        "no longer a lone superpower[; Xi] also emphasized",
        # a gap is not free text: the words around the alteration must match exactly
        "[China] wants to be seen as an effective and capable world power",
    ],
)
def test_alteration_fails_for_a_long_span_or_across_a_sentence_end(tmp_path, quote):
    assert_misquote(tmp_path, DISPATCH, quote)


@pytest.mark.parametrize(
    ("quote", "needle"),
    [
        ("China [isn’t] going to send military help", "China [isn’t] going"),
        ("China [isn't] going to send military help", "China [isn’t] going"),
        ("Moscow’s ambition in Ukraine [is] not nearly important enough", "Moscow’s ambition in"),
    ],
)
def test_brackets_in_the_source_match_literally(tmp_path, quote, needle):
    assert_found(tmp_path, CNBC, quote, where("004", needle))


def test_brackets_in_the_source_are_part_of_its_text(tmp_path):
    assert_misquote(tmp_path, CNBC, "China isn’t going to send military help")
    assert_misquote(tmp_path, DISPATCH, "winning the battle against COVID-19")
    assert_found(
        tmp_path, DISPATCH, "winning [the] battle against COVID-19", where("000", "winning [the]")
    )


@pytest.mark.parametrize(
    "quote",
    [
        "Russian [sic] sent nine planeloads of aid along with 100 troops",
        "Russian[sic] sent nine planeloads of aid along with 100 troops",
        "Russian [SIC] sent nine planeloads of aid along with 100 troops",
        "Russian sent nine planeloads of aid [emphasis added] along with 100 troops",
        "Russian sent nine planeloads of aid along with 100 troops [emphasis added]",
        "Russian sent nine planeloads of aid along with 100 troops [emphasis mine]",
    ],
)
def test_sic_and_emphasis_added_stand_for_nothing(tmp_path, quote):
    assert_found(tmp_path, PONARS, quote, where("001", "Russian sent nine"))


def test_sic_does_not_excuse_a_changed_word(tmp_path):
    assert_misquote(tmp_path, PONARS, "Russia [sic] sent nine planeloads of aid")


def test_an_alterations_words_do_not_count_as_the_sources(tmp_path):
    result = check_one(tmp_path, CNBC, "[The Chinese government] said [that]")
    [warning] = result.warnings
    assert warning.kind is WarningKind.TOO_SHORT
    assert "has 1 word" in warning.message


@pytest.mark.parametrize(
    "quote", ["[The Chinese government and Russia]", "[Xi] [is weak]", "[sic]", "[...]"]
)
def test_a_quote_of_editorial_marks_only_is_an_input_error(tmp_path, invoke, quote):
    written = write_outline(tmp_path, [Q(DISPATCH, quote)])
    result = invoke("check", written.path)
    assert result.code == 2 and "Traceback" not in result.err
    assert f"{written.path}:{written.quote_lines[0]}:" in result.err
    assert "no words of its own" in result.err


@pytest.mark.parametrize(
    ("quote", "original"),
    [
        ("China [wants] a formal military alliance with Russia", "does not want"),
        ("China is [definitely] alone in spreading disinformation", "not"),
    ],
)
def test_an_alteration_that_drops_a_negation_warns(tmp_path, quote, original):
    source = CNBC if "alliance" in quote else PONARS
    result = check_one(tmp_path, source, quote)
    assert result.status is V
    [warning] = result.warnings
    assert warning.kind is WarningKind.NEGATION_OMITTED
    assert f"stands for '{original}'" in warning.message


def test_an_alteration_that_adds_a_negation_warns(tmp_path):
    quote = "Beijing has [not] increased military activity near Taiwan"
    result = check_one(tmp_path, CNBC, quote)
    assert result.status is V
    [warning] = result.warnings
    assert warning.kind is WarningKind.NEGATION_OMITTED and "adds a negation" in warning.message


def test_an_alteration_that_keeps_the_negation_does_not_warn(tmp_path):
    result = check_one(tmp_path, CNBC, "China [doesn't want] a formal military alliance")
    assert result.status is V and not result.warnings
    result = check_one(tmp_path, PONARS, "The Chinese president did [not] visit the virus")
    assert result.status is V and not result.warnings


def test_alteration_does_not_reach_into_the_paragraph_before(tmp_path):
    # cnbc-2021: the heading "Russia talks up China’s goodwill", then "Moscow struck ...".
    quote = "[The article says] Moscow struck an even more optimistic tone."
    assert_misquote(tmp_path, CNBC, quote)
    assert_misquote(tmp_path, CNBC, "China’s goodwill [and] Moscow struck an even more")
    assert_found(
        tmp_path, CNBC, "[It] struck an even more optimistic tone.", where("004", "Moscow struck")
    )
