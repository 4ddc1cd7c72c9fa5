"""`report find` on the text real sources have: invisible characters, abbreviations,
accents, and line breaks that the source itself makes (a tweet's lines, list items)."""

from __future__ import annotations

import pytest

from report.corpus import load_corpus
from report.findings import Status
from report.index import CorpusIndex
from report.passages import find_passages
from report.sentences import sentence_spans
from tests.quotecheck import Q, check_quotes
from tests.tinycorpus import write_corpus

ARTICLE = (
    "Port news\n\n"
    "The in\u00adcredible ex\u200bpansion of the har\u00adbour con\u200btinued all year.\n\n"
    "The deal was signed on Oct. 25 in Beijing by Mr. Li and U.S. officials, e.g. the "
    "envoy, under No. 5 of the accord. A second sentence follows it.\n\n"
    "The Fabergé egg was sold at auction in Zürich for a record price.\n"
)
PAGE = """<html><body><article>
<p>The minister answered his critics in a short post.</p>
<blockquote class="twitter-tweet"><p>We are not going anywhere<br>The fight goes on
<br>Stay tuned for more news</p></blockquote>
<p>Poem:<br>Roses are red,<br>violets are blue</p>
</article></body></html>
"""
LIST = (
    "Notes\n\n"
    "The plan has three parts:\n"
    "- new cycle lanes on every main road\n"
    "- cheaper tickets for the trams\n"
    "1. a car-free centre on Sundays\n"
)


@pytest.fixture
def corpus(tmp_path):
    write_corpus(tmp_path, {"a.txt": ARTICLE, "b.html": PAGE, "c.md": LIST})
    return load_corpus(tmp_path / "corpus")


@pytest.fixture(params=[False, True], ids=["scan", "index"])
def search(request, corpus):
    index = CorpusIndex.open(corpus) if request.param else None
    return lambda words: find_passages(words, corpus, index=index)


def _best(search, words: str) -> str:
    found = search(words)
    assert found, words
    return found[0].quote


def _verifies(tmp_path, corpus, source: str, quote: str) -> None:
    [result] = check_quotes(tmp_path, Q(source, quote), corpus=corpus.directory)
    assert result.status is Status.VERIFIED, (quote, result.status)


def test_suggested_quotes_hold_no_invisible_characters(tmp_path, corpus, search):
    quote = _best(search, "incredible expansion of the harbour")
    assert quote == "The incredible expansion of the harbour continued all year."
    _verifies(tmp_path, corpus, "a", quote)


def test_a_sentence_is_not_cut_at_an_abbreviation(tmp_path, corpus, search):
    quote = _best(search, "deal signed in Beijing")
    assert quote == (
        "The deal was signed on Oct. 25 in Beijing by Mr. Li and U.S. officials, e.g. the "
        "envoy, under No. 5 of the accord."
    )
    _verifies(tmp_path, corpus, "a", quote)


@pytest.mark.parametrize("words", ["Faberge egg", "sold in Zurich", "FABERGE"])
def test_words_without_accents_find_accented_ones(corpus, search, words):
    assert _best(search, words) == (
        "The Fabergé egg was sold at auction in Zürich for a record price."
    )


@pytest.mark.parametrize(
    ("words", "line"),
    [
        ("the fight goes on", "The fight goes on"),
        ("stay tuned for news", "Stay tuned for more news"),
        ("not going anywhere", "We are not going anywhere"),
        ("violets are blue", "violets are blue"),
    ],
)
def test_each_line_of_a_tweet_is_a_passage(tmp_path, corpus, search, words, line):
    quote = _best(search, words)
    assert quote == line
    _verifies(tmp_path, corpus, "b", quote)


@pytest.mark.parametrize(
    ("words", "item"),
    [
        ("cheaper tram tickets", "cheaper tickets for the trams"),
        ("cycle lanes main road", "new cycle lanes on every main road"),
        ("car-free centre", "a car-free centre on Sundays"),
    ],
)
def test_each_list_item_is_a_passage(tmp_path, corpus, search, words, item):
    quote = _best(search, words)
    assert quote == item
    _verifies(tmp_path, corpus, "c", quote)


def test_a_plain_text_s_line_breaks_are_layout(tmp_path):
    text = "Intro.\n\nThe council met on Monday and\nagreed the plan after a long\ndebate.\n"
    write_corpus(tmp_path, {"a.txt": text})
    corpus = load_corpus(tmp_path / "corpus")
    [best, *_] = find_passages("agreed the plan", corpus)
    assert best.quote == "The council met on Monday and agreed the plan after a long debate."


@pytest.mark.parametrize(
    ("text", "sentences"),
    [
        ("Signed on Oct. 25 in Beijing. Then it ended.", 2),
        ("See No. 5 for details. No. That is wrong.", 3),
        ("Cities, e.g. Paris, act. Others, i.e. Rome, do not.", 2),
        ("Mr. Li met U.S. officials. Dr. Wu left.", 2),
        ("It ended. 25 people came.", 2),
        ("Smith et al. found it. Done.", 2),
    ],
)
def test_sentence_ends(text, sentences):
    assert len(sentence_spans(text)) == sentences, [text[a:b] for a, b in sentence_spans(text)]
