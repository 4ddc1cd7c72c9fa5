"""What a failed quote is told beyond "not found": the parts of a quote with omissions
that lie in different paragraphs (`across`), and a quote whose only other occurrence is
outside that source's article body (reader comments)."""

from __future__ import annotations

import json

import pytest

from report.findings import Status
from report.messages import details, headline
from tests.quotecheck import Q, check_quotes, write_outline
from tests.tinycorpus import check_in, write_corpus

TALKS = (
    "Intro.\n\n"
    "The ministers met in Geneva on Monday. They agreed on a ceasefire that would start at "
    "noon.\n\n"
    "The agreement was signed by both sides late at night, officials said.\n\n"
    "A third paragraph follows here with other words.\n"
)


@pytest.mark.parametrize(
    ("quote", "shown"),
    [
        (
            "They agreed on a ceasefire ... signed by both sides",
            "They agreed on a ceasefire … ¶ … signed by both sides",
        ),
        (
            "would start at noon. ... The agreement was signed",
            "would start at noon. ¶ The agreement was signed",
        ),
        (
            "would start at noon ... The agreement was signed",
            "would start at noon … ¶ The agreement was signed",  # the full stop left out
        ),
        (
            "met in Geneva ... start at noon ... signed by both sides late at night",
            "met in Geneva … start at noon … ¶ … signed by both sides late at night",
        ),
        (
            "ministers met in Geneva … other words",
            "ministers met in Geneva … ¶ … ¶ … other words",
        ),
    ],
)
def test_an_omission_whose_parts_lie_in_two_paragraphs_says_so(tmp_path, quote, shown):
    [result] = check_in(tmp_path, {"a.txt": TALKS}, Q("a", quote))
    assert result.status is Status.MISQUOTE
    assert result.across is not None, result
    assert result.across.text == shown
    assert result.across.location.line == 3
    assert "within one paragraph" in headline(result)
    assert details(result)[-1] == f"    source:  {shown}"
    assert result.closest is None  # the passage is known


@pytest.mark.parametrize(
    "quote",
    [
        "The agreement was signed ... ministers met",  # the parts in the wrong order
        "They agreed on a truce ... signed by both sides",  # a part that is not there
        "ministers met in Geneva ... officials said ... other words ... Intro",
    ],
)
def test_an_omission_not_in_the_source_is_no_across(tmp_path, quote):
    [result] = check_in(tmp_path, {"a.txt": TALKS}, Q("a", quote))
    assert result.status is Status.MISQUOTE and result.across is None
    assert result.closest is not None


def test_each_part_lies_in_one_paragraph(tmp_path):
    """An alteration inside a part cannot reach over a break to make the parts fit."""
    source = "Intro.\n\n## Energy\n\nRussia sells more oil to China than ever.\n\nEnd here.\n"
    quote = "Intro. ... [Energy] Russia sells more oil"
    [result] = check_in(tmp_path, {"a.txt": source}, Q("a", quote))
    assert result.status is Status.MISQUOTE and result.across is None


ARTICLE = (
    "Headline of the piece\n\n"
    "The council approved the budget after a long debate on Tuesday.\n\n"
    "Comments\n\n"
    "Reader42: This budget is a disgrace to every taxpayer in the city.\n"
)
BODY = "    start: The council approved\n    end: debate on Tuesday.\n"


def test_a_wrong_source_found_only_in_comments_says_so(tmp_path, invoke):
    corpus = write_corpus(
        tmp_path,
        {"a.txt": "Another article about other things.\n", "b.txt": ARTICLE},
        bodies={"b": BODY},
    )
    quote = "This budget is a disgrace to every taxpayer"
    written = write_outline(tmp_path, [Q("a", quote)], corpus)
    result = invoke("check", written.path)
    assert result.code == 1
    assert (
        "wrong_source: not in a, but found only outside the article body (comments, captions or "
        "site furniture) in b at" in result.out.replace("wrong source", "wrong_source")
    ), result.out
    assert "found verbatim" not in result.out
    data = json.loads(invoke("check", written.path, "--format", "json").out)
    [item] = data["quotes"]
    assert item["status"] == "wrong_source"
    assert [m["in_body"] for m in item["matches"]] == [False]
    assert "outside the article body" in item["message"]


def test_a_wrong_source_in_a_body_is_found_verbatim(tmp_path):
    files = {"a.txt": "Another article about other things.\n", "b.txt": ARTICLE}
    corpus = write_corpus(tmp_path, files, bodies={"b": BODY})
    [result] = check_quotes(
        tmp_path, Q("a", "approved the budget after a long debate"), corpus=corpus
    )
    assert result.status is Status.WRONG_SOURCE
    assert "but found verbatim in b at" in headline(result)
