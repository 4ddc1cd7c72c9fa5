"""`report find`: the passage a quote comes from ranks first for its own words, and every
suggestion verifies as pasted. (Whether it is fast enough to run while typing is
benchmarks/limits.py's to measure.)"""

from __future__ import annotations

import pytest
import yaml

from report.normalize import normalize_text
from report.outline import load_outline
from report.passages import find_passages
from report.pipeline import check
from report.quote import compile_quote
from tests.conftest import SAMPLE
from tests.quotes import outline_with

SAMPLE_EVIDENCE = load_outline(SAMPLE).evidence()


def comparable(text: str) -> str:
    # Brackets the source itself prints ("China [isn't] going") are not in a quote's plain words.
    return normalize_text(text).lower().replace("[", "").replace("]", "")


@pytest.mark.parametrize("ev", SAMPLE_EVIDENCE, ids=lambda ev: ev.quote[:40])
def test_a_quotes_own_passage_ranks_first_for_its_words(corpus, ev):
    words = compile_quote(ev.quote).plain
    [best, *_] = find_passages(words, corpus, limit=3)
    assert best.source_id == ev.source
    assert comparable(words) in comparable(best.quote)


@pytest.mark.parametrize(
    ("words", "source", "expected"),
    [
        # remembered loosely: other word forms, other order, words left out
        ("shackled corpse", "embrace-2024", "It doesn’t want to be shackled to a corpse."),
        ("junior partner", "cnbc-2021", "Russia is very much the junior partner"),
        ("China military help invade Ukraine", "cnbc-2021", "going to send military help"),
        ("set example international community", "dispatch-2020", "has set an example"),
    ],
)
def test_remembered_words_find_their_passage_first(corpus, words, source, expected):
    [best, *_] = find_passages(words, corpus)
    assert best.source_id == source
    assert expected in best.quote


def test_what_someone_said_is_offered_without_the_quotation_marks(corpus):
    [best, *_] = find_passages("junior partner", corpus)
    assert best.quote == "Russia is very much the junior partner in the bilateral relationship"


def test_short_fragments_do_not_outrank_real_sentences(corpus):
    # "Mr." and "U.S." once counted as sentences and matched any query containing them.
    for p in find_passages("the U.S. is no longer a lone superpower", corpus, limit=5):
        assert len(p.quote.split()) >= 3


def test_source_option_limits_the_search(corpus):
    passages = find_passages("Putin", corpus, source_id="ponars-643", limit=10)
    assert passages and {p.source_id for p in passages} == {"ponars-643"}


def test_suggestions_verify_as_pasted(tmp_path, corpus):
    evidence = []
    for words in ("military alliance", "pandemic disinformation", "tariffs electric vehicles"):
        evidence += [
            {"source": p.source_id, "quote": p.quote} for p in find_passages(words, corpus)
        ]
    [checked] = check([outline_with(tmp_path, *evidence)])
    assert len(checked.results) == len(evidence) >= 10
    assert {r.status.value for r in checked.results} == {"verified"}


def test_nothing_is_found_outside_the_article_body(corpus):
    # Reader comments under the Dispatch article are not the source's own words.
    for p in find_passages("enemy of my enemy", corpus, source_id="dispatch-2020"):
        assert "enemy of my enemy" not in p.quote.lower()


def test_find_prints_ready_to_paste_evidence(invoke):
    result = invoke("find", "shackled to a corpse", "--limit", "2")
    assert result.code == 0, result.err
    first = result.out.split("\n\n")[0]
    assert first.startswith("# corpus/002_5db01695cbfe8d3b.txt:")
    [item] = yaml.safe_load(first)
    assert item == {
        "source": "embrace-2024",
        "quote": "It doesn’t want to be shackled to a corpse.",
    }


def test_find_unknown_source_is_an_input_error(invoke):
    result = invoke("find", "Putin", "--source", "nope")
    assert result.code == 2
    assert "unknown source 'nope'" in result.err


@pytest.mark.parametrize(
    ("words", "speaker"),
    [
        ("forging closer ties", "Neil Thomas"),  # “…,” said Neil Thomas, analyst …
        ("junior partner", "Thomas"),  # “…,” Thomas said.
        ("shackled corpse", "Kuhrt"),  # a sentence inside a quotation: “…,” Ms. Kuhrt said.
        ("meaningful divergence", None),  # the reporter's own words
        ("China military help invade", None),  # “…,” she said: no name to offer
    ],
)
def test_quoted_words_come_with_a_guessed_speaker(corpus, words, speaker):
    [best, *_] = find_passages(words, corpus)
    assert best.speaker == speaker


def test_the_guess_is_a_comment_for_the_author_to_confirm(invoke):
    result = invoke("find", "junior partner", "--limit", "1")
    assert "  # speaker: Thomas\n" in result.out
    [item] = yaml.safe_load(result.out)
    assert "speaker" not in item


def test_no_words_is_a_usage_error(invoke):
    result = invoke("find", "  ")
    assert result.code == 2 and "give the words to look for" in result.err
