"""SPEC "Findings": warnings (speaker not found, too short) pass unless --strict."""

from __future__ import annotations

import pytest

from report.findings import WarningKind
from tests.quotecheck import (
    CNBC,
    DISPATCH,
    PONARS,
    V,
    check_one,
)


def test_speaker_not_found_is_a_warning(tmp_path):
    result = check_one(
        tmp_path, CNBC, "Moscow struck an even more optimistic tone.", speaker="Yury Ushakov"
    )
    assert result.status is V
    assert [w.kind for w in result.warnings] == [WarningKind.SPEAKER_NOT_FOUND]
    assert not result.failed() and result.failed(strict=True)


@pytest.mark.parametrize(
    ("source", "quote", "speaker"),
    [
        # named in the quote's paragraph
        (DISPATCH, "has set an example for the international community", "Vladimir Putin"),
        # surname first: "Xi" is named in the paragraph
        (DISPATCH, "mutual support, solidarity and close collaboration", "Xi Jinping"),
        # named in the paragraph before ("... said Neil Thomas" / "he said in an email")
        (CNBC, "divide Washington’s political attention between strategic hotspots", "Neil Thomas"),
        # the source's author
        (PONARS, "China is not alone in spreading disinformation", "Elizabeth Wishnick"),
    ],
)
def test_speaker_found(tmp_path, source, quote, speaker):
    result = check_one(tmp_path, source, quote, speaker=speaker)
    assert result.status is V
    assert result.warnings == ()


def test_speaker_named_two_paragraphs_away_is_not_found(tmp_path):
    result = check_one(
        tmp_path, CNBC, "Moscow struck an even more optimistic tone.", "Vladimir Putin"
    )
    assert [w.kind for w in result.warnings] == [WarningKind.SPEAKER_NOT_FOUND]


@pytest.mark.parametrize(
    ("quote", "short_parts"),
    [
        ("Putin said", ["Putin said"]),
        ("the Chinese government ... Putin said", ["Putin said"]),
        ("said Neil Thomas", []),
        ("21st-century threats", ["21st-century threats"]),
    ],
)
def test_too_short_is_a_warning(tmp_path, quote, short_parts):
    source = CNBC if "Thomas" in quote else PONARS if "21st" in quote else DISPATCH
    result = check_one(tmp_path, source, quote)
    assert result.status is V
    warned = [w for w in result.warnings if w.kind is WarningKind.TOO_SHORT]
    assert len(warned) == len(short_parts)
    for w, part in zip(warned, short_parts, strict=True):
        assert f"'{part}'" in w.message
