"""report.output on findings made by hand: the text format line by line (each status, the
marked difference, warnings, --strict, --verbose, the summary) and the JSON document."""

from __future__ import annotations

import json

import click
import pytest

from report.findings import Run, Status
from report.messages import headline, summary_line
from report.output import FORMATS, format_json, format_text, render
from tests import handmade as h


def text(*results, strict: bool = False, verbose: bool = False) -> list[str]:
    """format_text's lines as a log shows them (no colour)."""
    return click.unstyle(format_text(Run(list(results), strict), verbose)).splitlines()


def test_a_verified_quote_prints_only_the_summary():
    assert text(h.verified()) == ["1 quote: 1 verified"]


def test_verbose_lists_verified_quotes_too():
    assert text(h.verified(), verbose=True) == [
        "outlines/brief.yaml:9:20: verified: found in cnbc at corpus/cnbc.txt:12:5",
        "1 quote: 1 verified",
    ]


def test_a_misquote_shows_the_closest_passage_with_its_differing_words_marked():
    assert text(h.misquote()) == [
        "outlines/brief.yaml:9:20: misquote: not found in cnbc",
        "    quote:   reaffirmed China's commitment to [-fully-] support Russia",
        "    closest: cnbc at corpus/cnbc.txt:40:7 (93% similar)",
        "             reaffirmed China’s commitment to {+firmly+} support Russia",
        "    diff:    - fully + firmly  (substantive: a changed word)",
        "1 quote: 0 verified, 1 misquote",
    ]


def test_a_misquote_past_the_closest_passage_budget_says_it_was_not_searched():
    lines = text(h.misquote(closest=False))
    assert lines[1] == "    quote:   reaffirmed China's commitment to fully support Russia"
    assert lines[2] == "    closest: not searched (more than 2000 misquotes in this run)"


@pytest.mark.parametrize(
    ("result", "says"),
    [
        (h.wrong_source(), "wrong source: not in ponars, but found verbatim in dispatch at "
                           "corpus/dispatch.txt:7:3"),
        (h.outside_body(), "outside body: found in cnbc only outside the article body (comments,"
                           " captions or site furniture) at corpus/cnbc.txt:300:1"),
        (h.source_changed(), "source changed: corpus/cnbc.txt changed since it was pinned "
                             "(sha256 aaaaaaaaaaaa… pinned, bbbbbbbbbbbb… on disk); the quote "
                             "still occurs at corpus/cnbc.txt:12:5: re-read it, then run "
                             "`report lock`"),
        (h.source_changed(still_there=False), "the quote is not in it now: re-read it"),
    ],
)  # fmt: skip
def test_each_failure_says_where_the_words_are(result, says):
    first, *details = text(result)[:-1]
    assert first.startswith("outlines/brief.yaml:9:20: ")
    assert says in first
    assert details[0] == f"    quote:   {result.evidence.quote}"
    if result.match is not None:  # the words as the source has them
        assert details[1] == f"    source:  {result.match.text}"


def test_a_changed_source_recorded_by_a_ledger_names_the_ledger():
    import dataclasses

    result = h.source_changed()
    ledger = dataclasses.replace(result.changed, ledger="out/brief.quotes.json")
    [first, *_] = text(dataclasses.replace(result, changed=ledger))
    assert "changed since out/brief.quotes.json recorded it (sha256 aaaaaaaaaaaa… recorded" in first
    assert first.endswith("then write the ledger again (`report ledger`)")


def test_a_warning_shows_the_source_sentence_with_the_quote_marked():
    assert text(h.warned()) == [
        "outlines/brief.yaml:13:20: warning: negation omitted: leaves out 'isn't' just before",
        "    source:  China isn't >>going to send military help<<, she said.",
        "1 quote: 1 verified; 1 warning",
    ]


def test_strict_turns_a_warning_into_an_error_and_the_summary_says_why():
    lines = text(h.warned(), strict=True)
    assert lines[0].startswith("outlines/brief.yaml:13:20: error: negation omitted: ")
    assert lines[-1] == "1 quote: 1 verified; 1 warning (1 verified quote failed by --strict)"


def test_colour_marks_the_status_and_the_differences():
    styled = format_text(Run([h.misquote()]))
    assert click.style("misquote", fg="red", bold=True) in styled
    assert click.style("[-fully-]", fg="red", bold=True) in styled
    assert click.style("{+firmly+}", fg="green", bold=True) in styled
    assert click.unstyle(styled) != styled


@pytest.mark.parametrize(
    ("results", "line"),
    [
        ([], "0 quotes: 0 verified"),
        ([h.verified()], "1 quote: 1 verified"),
        ([h.verified(), h.misquote(), h.misquote(), h.wrong_source()],
         "4 quotes: 1 verified, 2 misquote, 1 wrong source"),
        ([h.warned(), h.warned()], "2 quotes: 2 verified; 2 warnings"),
    ],
)  # fmt: skip
def test_summary_line_counts_each_status_it_saw(results, line):
    assert summary_line(Run(results).summary) == line


def test_headline_of_a_verified_quote_is_where_it_was_found():
    assert headline(h.verified()) == "found in cnbc at corpus/cnbc.txt:12:5"


def test_json_has_every_field_of_a_finding():
    doc = json.loads(format_json(Run([h.misquote(), h.warned(), h.wrong_source()])))
    misquote, warned, wrong = doc["quotes"]
    assert misquote["status"] == "misquote" and misquote["failed"] is True
    assert misquote["outline"] == {"file": "outlines/brief.yaml", "line": 9, "column": 20}
    assert misquote["location"] is None and misquote["matches"] == []
    assert misquote["closest"]["passage"] == h.PASSAGE
    assert misquote["closest"]["location"] == {"file": "corpus/cnbc.txt", "line": 40, "column": 7}
    assert misquote["closest_in_corpus"] is None and misquote["diff"] == "- fully + firmly"
    assert [d["op"] for d in misquote["closest"]["diff"]] == ["equal", "replace", "equal"]
    assert "closest" not in warned  # only a failed quote has one
    [warning] = warned["warnings"]
    assert warning["kind"] == "negation_omitted"
    [(start, end)] = warning["excerpt"]["spans"]
    assert warning["excerpt"]["text"][start:end] == "going to send military help"
    assert warned["matches"][0]["paragraph"] == 4  # counted from 1
    assert wrong["source"] == "ponars" and wrong["found_in"] == "dispatch"
    assert doc["summary"] == {
        "quotes": 3, "verified": 1, "misquote": 1, "wrong_source": 1, "outside_body": 0,
        "source_changed": 0, "wrong_page": 0, "cited": 0, "unattributed": 0, "warnings": 1,
        "failed": 2, "strict": False,
    }  # fmt: skip


def test_json_of_a_changed_source_has_both_digests():
    [quote] = json.loads(format_json(Run([h.source_changed()])))["quotes"]
    assert quote["status"] == Status.SOURCE_CHANGED.value
    assert quote["changed"] == {"file": "corpus/cnbc.txt", "pinned": "a" * 64, "actual": "b" * 64}


def test_json_strict_fails_a_warned_quote():
    doc = json.loads(format_json(Run([h.warned()], strict=True)))
    assert doc["quotes"][0]["failed"] is True
    assert doc["summary"]["failed"] == 1 and doc["summary"]["strict"] is True


def test_render_knows_every_format():
    run = Run([h.misquote()])
    assert set(FORMATS) == {"text", "json", "github", "junit", "sarif"}
    for fmt in FORMATS:
        assert render(run, fmt).strip()
    assert render(run, "json") == format_json(run)
    assert render(run, "text", verbose=True) == format_text(run, verbose=True)
