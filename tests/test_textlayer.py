"""report.textlayer: a source file -> plain text without markup, its paragraphs, and the
way back to the file's line and column; on the seeds and on small Markdown snippets."""

from __future__ import annotations

import pytest

from report.textlayer import text_layer
from tests.conftest import CORPUS
from tests.quotecheck import where

PONARS = CORPUS / "001_92b6317a18a4c361.txt"


def _layer(path):
    return text_layer(path.read_text(encoding="utf-8"))


def _paragraphs(layer) -> list[str]:
    return [layer.text[s:e] for s, e in layer.paragraphs]


def _at(layer, needle: str) -> tuple[int, int]:
    assert layer.text.count(needle) == 1, needle
    return layer.line_col(layer.text.index(needle))


@pytest.mark.parametrize("path", sorted(CORPUS.glob("*.txt")), ids=lambda p: p.name[:3])
def test_every_character_maps_back_to_itself(path):
    raw = path.read_text(encoding="utf-8")
    layer = text_layer(raw)
    lines = raw.split("\n")
    for i, ch in enumerate(layer.text):
        if ch == "\n":
            continue  # paragraph and line breaks are the layer's own
        line, column = layer.line_col(i)
        assert lines[line - 1][column - 1] == ch, (path.name, i, line, column)


def test_link_keeps_its_words_at_their_place():
    layer = _layer(PONARS)
    assert "we see authoritarian strongmen" in layer.text
    assert "](#)" not in layer.text and "[authoritarian]" not in layer.text
    _, line, column = where("001", "[authoritarian]")
    assert _at(layer, "authoritarian strongmen") == (line, column + 1)


def test_sup_tags_are_dropped():
    layer = _layer(PONARS)
    assert "for 21st-century threats" in layer.text
    assert "<sup>" not in layer.text and "</sup>" not in layer.text
    _, line, column = where("001", "21<sup>st</sup>-century")
    assert _at(layer, "21st-century") == (line, column)
    assert _at(layer, "st-century") == (line, column + len("21<sup>"))


def test_headings_and_emphasis():
    paragraphs = _paragraphs(_layer(PONARS))
    assert paragraphs[:6] == [
        "Masked Diplomacy: Xi and Putin Seek Advantage and Cover from the Pandemic",
        "PONARS Eurasia Policy Memo No. 643",
        "April 2020",
        "Elizabeth Wishnick1",
        "Montclair State University; Columbia University",
        paragraphs[5],
    ]
    assert paragraphs[5].startswith("In the United States, President Donald Trump claims")
    assert "Putin and Russia’s Response" in paragraphs
    assert "Figure 1. Cases of Coronavirus in Russia" in paragraphs
    assert "Where was Xi?" in paragraphs


def test_blank_line_inside_a_sentence_is_not_a_paragraph_break():
    layer = _layer(PONARS)
    [paragraph] = [p for p in _paragraphs(layer) if "sanctions" in p]
    assert "in Italy, sanctions\nnotwithstanding. Russian sent nine planeloads" in paragraph
    assert paragraph.endswith("playing “viruspolitik.”")


def test_footnote_between_two_halves_of_a_sentence_stays_apart():
    paragraphs = _paragraphs(_layer(PONARS))
    assert any(p.endswith("during the pandemic. A") for p in paragraphs)
    assert any(p.startswith("1 Elizabeth Wishnick is Professor") for p in paragraphs)
    assert any(p.startswith("French publication reported") for p in paragraphs)


def test_line_breaks_inside_a_paragraph():
    layer = _layer(CORPUS / "004_d18f45208089c0a8.txt")
    [paragraph] = [p for p in _paragraphs(layer) if p.startswith("Neither of them")]
    assert paragraph.endswith("flexibility.\nWilliam Courtney\nadjunct senior fellow, Rand Corp")


def test_paragraph_counts_of_the_seeds():
    counts = {p.name[:3]: len(_layer(p).paragraphs) for p in CORPUS.glob("*.txt")}
    assert counts == {"000": 37, "001": 24, "002": 27, "004": 29}


# -- Markdown snippets ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "text"),
    [
        ("a [link](http://x.org/a_(b)) b", "a link b"),
        ('a [link](http://x.org "title") b', "a link b"),
        ("a [**bold** link](u) b", "a bold link b"),
        ("a ![an image](x.png) b", "a  b"),
        ("a <!-- note --> b", "a  b"),
        ("a <span class='x'>b</span> c", "a b c"),
        ("AT&amp;T &#8212; &bogus; fine", "AT&T \u2014 &bogus; fine"),
        ("*one* **two** ***three*** _four_ __five__", "one two three four five"),
        ("snake_case_name and 2*3*4", "snake_case_name and 2*3*4"),
        ("a [bracket] not a link", "a [bracket] not a link"),
        ("> quoted words", "quoted words"),
        ("## Heading ##", "Heading"),
    ],
)
def test_inline_markup(source, text):
    assert text_layer(source).text == text


def test_entity_maps_to_its_place():
    layer = text_layer("x\nAT&amp;T said")
    assert layer.text == "x\nAT&T said"
    assert layer.line_col(layer.text.index("T said")) == (2, 8)
    assert layer.line_col(layer.text.index("&")) == (2, 3)


@pytest.mark.parametrize(
    ("source", "paragraphs"),
    [
        ("one\ntwo.\n\nthree", ["one\ntwo.", "three"]),
        # a sentence broken by a blank line: ends in a letter, digit or comma, goes on in
        # lower case
        ("one,\n\ntwo", ["one,\ntwo"]),
        ("one\n\ntwo", ["one\ntwo"]),
        ("2\n\npercent", ["2\npercent"]),
        ("one:\n\ntwo", ["one:", "two"]),
        ("one.\n\ntwo", ["one.", "two"]),
        ("one\n\nTwo", ["one", "Two"]),
        ("one\n---\ntwo", ["one", "two"]),
        ("# Head\ntext", ["Head", "text"]),
        ("text\n# Head", ["text", "Head"]),
        ("one\n![img](x)\ntwo", ["one\ntwo"]),
        ("\n\n   \n", []),
    ],
)
def test_paragraphs(source, paragraphs):
    assert _paragraphs(text_layer(source)) == paragraphs


def test_a_heading_inside_a_blockquote_is_its_own_paragraph():
    layer = text_layer("> ## The Heading\n> Body text here.\n")
    assert [layer.text[a:b] for a, b in layer.paragraphs] == ["The Heading", "Body text here."]
