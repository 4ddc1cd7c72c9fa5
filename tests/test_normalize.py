"""report.normalize: the one definition of "verbatim" (SPEC: What verbatim means)."""

from __future__ import annotations

import pytest

from report.normalize import DASH, normalize, normalize_text


@pytest.mark.parametrize("mark", ["’", "‘", "'", "‚", "′", "‛"])
def test_single_marks_fold_to_an_apostrophe(mark):
    assert normalize_text(f"China{mark}s") == "China's"


@pytest.mark.parametrize("mark", ["“", "”", '"', "„", "″", "‟"])
def test_double_marks_fold_to_a_straight_quote(mark):
    assert normalize_text(f"{mark}new era{mark}") == '"new era"'


@pytest.mark.parametrize(
    "text",
    [
        "leader—a",
        "leader – a",
        "leader–a",
        "leader ― a",
        "leader--a",
        "leader -- a",
        "leader\n—\na",
    ],
)
def test_dashes_fold_to_one_em_dash_without_spaces(text):
    assert normalize_text(text) == f"leader{DASH}a"


@pytest.mark.parametrize("text", ["Sino-Russian", "leader - a", "leader -a", "well-known"])
def test_a_hyphen_stays_a_hyphen(text):
    assert normalize_text(text) == text
    assert DASH not in normalize_text(text)


def test_three_hyphens_are_a_dash_and_a_hyphen():
    # `--` is a dash; the hyphen left over stays what it is.
    assert normalize_text("a---b") == f"a{DASH}-b"


def test_ellipsis_is_three_full_stops():
    assert normalize_text("want… until") == "want... until"
    assert normalize_text("want...") == "want..."


@pytest.mark.parametrize(
    "space", [" ", "  ", "\t", "\n", "\n\n", "\u00a0", "\u2009", "\u202f", "\u3000", " \n\t "]
)
def test_any_run_of_white_space_is_one_space(space):
    assert normalize_text(f"not{space}alone") == "not alone"


@pytest.mark.parametrize("invisible", ["\u00ad", "\u200b", "\u200c", "\u200d", "\u2060", "\ufeff"])
def test_invisible_characters_vanish(invisible):
    assert normalize_text(f"in{invisible}credible") == "incredible"
    assert normalize_text(f"not {invisible} alone") == "not alone"
    assert normalize_text(f"a -{invisible}- b") == f"a{DASH}b"


def test_unicode_is_composed():
    assert normalize_text("cafe\u0301") == "caf\u00e9"
    assert normalize_text("caf\u00e9") == "caf\u00e9"
    assert normalize_text("\u212aremlin") == "Kremlin"  # KELVIN SIGN is K in NFC


def test_case_and_words_are_kept():
    text = "China [isn’t] going to send U.S.-made ARMS; 21st-century (sic)."
    assert normalize_text(text) == "China [isn't] going to send U.S.-made ARMS; 21st-century (sic)."


def test_offset_map_points_back_to_the_input():
    text = "A \u201cnew era\u201d \u2014 one\u00a0in  which\u2026 it’s"
    norm = normalize(text)
    assert norm.text == 'A "new era"\u2014one in which... it\'s'
    for i, ch in enumerate(norm.text):
        src = text[norm.map(i)]
        if ch.isalnum():
            assert src == ch
    assert text[norm.map(norm.text.index(DASH))] == "\u2014"
    assert norm.map(len(norm.text)) == len(text)


def test_offset_map_of_composed_text_points_into_the_input():
    text = "the cafe\u0301 owners"
    norm = normalize(text)
    assert norm.text == "the caf\u00e9 owners"
    owners = norm.text.index("owners")
    assert text[norm.map(owners) :].startswith("owners")
    assert 0 <= norm.map(norm.text.index("\u00e9")) < len(text)
