"""report.quote (a quote -> its parts, marks and regex) and report.match (all patterns x
all sources in one pass), on the seed corpus."""

from __future__ import annotations

import pytest

from report.match import Candidates
from report.quote import compile_quote

CNBC, DISPATCH, PONARS = "cnbc-2021", "dispatch-2020", "ponars-643"


def _kinds(quote: str) -> list[list[tuple[str, str]]]:
    return [list(p.elements) for p in compile_quote(quote).parts]


@pytest.mark.parametrize("mark", ["...", "…", "[...]", "[…]", " ... ", "[ ... ]"])
def test_omission_splits_into_parts(mark):
    pattern = compile_quote(f"one two three{mark}four five six")
    assert [p.text for p in pattern.parts] == ["one two three", "four five six"]
    assert pattern.has_omission and not pattern.has_alteration


@pytest.mark.parametrize("quote", ["... one two three", "one two three ...", "…one two three…"])
def test_leading_and_trailing_omissions_leave_one_part(quote):
    pattern = compile_quote(quote)
    assert [p.text for p in pattern.parts] == ["one two three"]
    assert not pattern.has_omission


def test_editorial_marks():
    assert _kinds("[T]he plan [sic] was [emphasis added] set by [China]") == [
        [
            ("alt", "[T]"),
            ("lit", "he plan "),
            ("none", "[sic]"),
            ("lit", " was "),
            ("none", "[emphasis added]"),
            ("lit", " set by "),
            ("alt", "[China]"),
        ]
    ]
    pattern = compile_quote("[T]he plan [sic] was [emphasis added] set by [China]")
    assert pattern.plain == "The plan was set by China"
    assert pattern.has_alteration and pattern.leading_alteration


def test_quote_is_normalised_before_it_is_read():
    pattern = compile_quote("  It’s  a “new era” — for\u00a0them…and us ")
    assert pattern.normalized == 'It\'s a "new era"\u2014for them...and us'
    assert [p.text for p in pattern.parts] == ['It\'s a "new era"\u2014for them', "and us"]


def test_anchor_is_the_longest_exact_stretch_without_the_first_letter():
    assert compile_quote("Moscow struck an even more optimistic tone.").anchor == (
        "oscow struck an even more optimistic tone."
    )
    assert compile_quote("[He] also emphasized ... the two sides").anchor == "also emphasized"
    assert compile_quote("[China] is").anchor == ""  # too short to anchor a scan


@pytest.mark.parametrize(
    ("quote", "text", "found"),
    [
        ("he said", "then he said so", True),
        ("he said", "the said thing", False),  # not inside a word
        ("he said", "he saidx", False),
        ("He said", "then he said so", True),  # the first letter may change case
        ("he Said", "then he said so", False),
        ('"new era" is', 'that "new era" is', True),
        ("era.", "era. Then", True),
        ("[T]he plan", "so the plan", True),
        ("[T]he plan", "so they plan", False),  # "[T]he" stands for a part of one word
        ("say [China] will", "say it will", True),
        ("say [China] will", "say that it will", True),
        ("say [China] will", "say. It will", False),  # not across a sentence end
        ("say [China] will", "say the U.S. will", True),  # an abbreviation is no sentence end
        ("say [China] will", "say a b c d e f will", False),  # more than a few words
        ("winning [the] battle", "winning [the] battle", True),  # literal brackets first
        ("winning [the] battle", "winning the battle", True),
        ("winning [the] battle", "winning battle", True),
        ("Russian [sic] sent", "Russian sent", True),
        ("Russian [sic] sent", "Russia sent", False),
    ],
)
def test_pattern_against_text(quote, text, found):
    from report.normalize import normalize_text

    assert bool(compile_quote(quote).regex.search(normalize_text(text))) is found


def test_one_pass_finds_every_quote_in_every_source(corpus):
    quotes = [
        "has set an example for the international community",
        "neither of them specifically endorsed the position of the other",
        "Experts claim that Russia has suspiciously few reported cases ... All closed",
        "[T]hat “new era” is one in which the U.S.",
        "not in any seed text at all, surely",
    ]
    patterns = [compile_quote(q) for q in quotes]
    candidates = Candidates(patterns, corpus.texts())
    assert candidates.sources_with_hits(0) == [DISPATCH]
    assert [corpus.text(CNBC).location(s).line for s, _ in candidates.find(1, CNBC)] == [16, 30]
    [(start, _)] = candidates.find(2, PONARS)
    assert corpus.text(PONARS).location(start).line == 37
    [(start, _)] = candidates.find(3, DISPATCH)
    assert corpus.text(DISPATCH).location(start).line == 31
    assert candidates.find(3, CNBC) == []
    assert candidates.sources_with_hits(4) == []


def test_overlapping_occurrences_of_one_anchor_are_all_tried(corpus):
    # Two quotes share an anchor; each is found where its own words are.
    patterns = [
        compile_quote("neither of them specifically endorsed"),
        compile_quote("However, “neither of them specifically endorsed"),
    ]
    candidates = Candidates(patterns, corpus.texts())
    text = corpus.text(CNBC)
    assert [text.location(s).line for s, _ in candidates.find(0, CNBC)] == [16, 30]
    assert [text.location(s).line for s, _ in candidates.find(1, CNBC)] == [30]


def test_a_titlecase_first_letter_matches_itself():
    pattern = compile_quote("ǅemal said the words here")
    assert pattern.regex.search("so ǅemal said the words here") is not None
    assert pattern.regex.search("so ǆemal said the words here") is not None
