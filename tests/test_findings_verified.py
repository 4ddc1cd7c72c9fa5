"""SPEC "Findings": a verified quote records its source, location and paragraph."""

from __future__ import annotations

from tests.quotecheck import (
    CNBC,
    DISPATCH,
    V,
    check_one,
    file_line_col,
    where,
)


def test_verified_records_source_location_and_paragraph(tmp_path):
    result = check_one(tmp_path, DISPATCH, "has set an example for the international community")
    assert result.status is V
    assert file_line_col(result) == where("000", "has set an example")
    assert result.match.source_id == DISPATCH
    assert result.match.paragraph_text.startswith("On the evening of March 19, Xi and Putin")
    assert result.match.text == "has set an example for the international community"
    assert result.warnings == ()


def test_verified_lists_every_occurrence(tmp_path):
    result = check_one(tmp_path, CNBC, "neither of them specifically endorsed the position")
    assert result.status is V
    assert [m.location.line for m in result.matches] == [16, 30]
