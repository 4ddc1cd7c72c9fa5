"""SPEC "What verbatim means": a source's markup (links, emphasis, <sup>) is read as its words."""

from __future__ import annotations

from tests.quotecheck import (
    PONARS,
    assert_found,
    assert_misquote,
    where,
)


def test_markdown_link_is_read_as_its_words(tmp_path):
    quote = "we see authoritarian strongmen with an indefinite hold on power"
    assert_found(tmp_path, PONARS, quote, where("001", "we see [authoritarian]"))


def test_quote_that_starts_inside_a_link_is_located_at_the_words(tmp_path):
    quote = "origin stories, claiming that the virus began in Italy"
    name, line, column = where("001", "[origin stories]")
    assert_found(tmp_path, PONARS, quote, (name, line, column + 1))


def test_quote_made_of_several_links(tmp_path):
    quote = "the Chinese leader now speaks of “the health Silk Road” connecting China"
    assert_found(tmp_path, PONARS, quote, where("001", "The Chinese leader now speaks"))


def test_link_syntax_in_a_quote_is_not_the_source_text(tmp_path):
    assert_misquote(tmp_path, PONARS, "Russia [claims](#) to have relatively few cases")


def test_sup_tags_are_dropped(tmp_path):
    quote = "shows how poorly equipped global architecture is for 21st-century threats"
    assert_found(tmp_path, PONARS, quote, where("001", "shows how poorly"))
    assert_misquote(tmp_path, PONARS, "global architecture is for 21 st-century threats")
    assert_misquote(tmp_path, PONARS, "global architecture is for 21<sup>st</sup>-century threats")


def test_emphasis_markers_are_dropped(tmp_path):
    name, line, column = where("001", "**Putin and Russia’s Response**")
    assert_found(tmp_path, PONARS, "Putin and Russia’s Response", (name, line, column + 2))
    name, line, column = where("001", "**Figure 1. Cases of Coronavirus in Russia**")
    quote = "Figure 1. Cases of Coronavirus in Russia"
    assert_found(tmp_path, PONARS, quote, (name, line, column + 2))
