"""Where an alteration is matched: it stands for the fewest words that fit."""

from __future__ import annotations

from report.findings import Status
from tests.quotecheck import Q, check_quotes


def test_an_alteration_stands_for_the_fewest_words_that_fit(tmp_path):
    # "and [the two allies] Iranian" fits "and by Iranian" and also, earlier,
    # "and shells; and by Iranian": the match is the one where it stands for "by".
    [result] = check_quotes(tmp_path, Q("embrace-2024", "and [the two Beijing allies] Iranian"))
    assert result.status is Status.VERIFIED
    assert [m.text for m in result.matches] == ["and by Iranian"]
