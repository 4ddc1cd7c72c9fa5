"""The Brief built from the sample outline: quotes, notes, sources, typography."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from report import typography
from report.brief import BLOCK_WORDS, make_brief
from report.cite import cite_notes, plain
from report.findings import Status
from report.pipeline import check
from tests.conftest import CORPUS, EVIDENCE_SAMPLE
from tests.textcheck import squash


@pytest.fixture(scope="module")
def sample():
    (checked,) = check([EVIDENCE_SAMPLE])
    return checked, make_brief(checked.outline, checked.corpus, checked.results)


def _outline(tmp_path: Path, quote: str, source: str, speaker: str | None = None) -> Path:
    speaker_line = f"\n            speaker: {speaker}" if speaker else ""
    path = tmp_path / "brief.yaml"
    path.write_text(
        f"""title: Test brief
corpus: {CORPUS}
sections:
  - heading: One
    arguments:
      - claim: A claim.
        evidence:
          - source: {source}
            quote: "{quote}"{speaker_line}
""",
        encoding="utf-8",
    )
    return path


def test_every_quote_in_outline_order_with_its_footnote_number(sample):
    checked, brief = sample
    quotes = brief.quotes
    assert [q.number for q in quotes] == list(range(1, len(checked.results) + 1))
    for q, ev in zip(quotes, checked.outline.evidence(), strict=True):
        assert squash(q.text) == squash(ev.quote)
        assert q.source_id == ev.source
        assert q.speaker == ev.speaker


def test_editorial_marks_are_shown_as_the_author_wrote_them(sample):
    _, brief = sample
    texts = [q.text for q in brief.quotes]
    assert any(t.startswith("[T]hat ") for t in texts)
    assert any("[isn’t]" in t for t in texts)


def test_attribution_is_the_speaker_else_the_author_else_the_publication(sample):
    _, brief = sample
    by_text = {q.text[:20]: q for q in brief.quotes}
    assert by_text["Russia is very much "].attribution == "Neil Thomas"
    assert by_text["China is not alone i"].attribution == "Elizabeth Wishnick"
    assert by_text["Russia’s war machine"].attribution == "The World News"


def test_long_quotes_are_block_quotes_and_short_ones_inline(sample):
    checked, brief = sample
    for q, ev in zip(brief.quotes, checked.outline.evidence(), strict=True):
        assert q.block == (len(ev.quote.split()) >= BLOCK_WORDS)
    assert any(q.block for q in brief.quotes)
    assert any(not q.block for q in brief.quotes)


def test_inline_quotes_are_sentences_and_fragments_of_one_speaker_are_joined(sample):
    _, brief = sample
    putin = [q for q in brief.quotes if q.speaker == "Vladimir Putin"]
    assert putin[0].inline == (  # a fragment is mentioned, never "In the words of X, “has …”"
        "Vladimir Putin used the words “has set an example for the international community”"
    )
    assert putin[1].inline.startswith("and “responded, loud and clear,")
    assert putin[1].inline.endswith("by some country.”")
    nested = next(q for q in brief.quotes if q.text.startswith("[T]hat"))
    assert "‘new era’" in nested.inline  # double marks inside a quotation become single


def test_first_note_of_a_source_is_full_and_repeats_are_ibid(sample):
    _, brief = sample
    first = plain(brief.quotes[0].note)
    assert first.startswith("Thomas Joscelyn, “Talk About Your Dangerous Liaisons,”")
    assert any(s.italic and s.text == "The Dispatch: Vital Interests" for s in brief.quotes[0].note)
    assert plain(brief.quotes[1].note) == "Ibid."
    seen: set[str] = set()
    for q in brief.quotes:
        if q.source_id not in seen:
            assert plain(q.note) != "Ibid."
            seen.add(q.source_id)


def test_sources_list_has_every_source_quoted_once(sample):
    checked, brief = sample
    assert sorted(s.id for s in brief.sources) == sorted(
        {ev.source for ev in checked.outline.evidence()}
    )
    assert len(brief.sources) == 4
    wishnick = next(s for s in brief.sources if s.id == "ponars-643")
    assert plain(wishnick.entry).startswith("Wishnick, Elizabeth.")


def test_title_block_and_prose(sample):
    _, brief = sample
    assert brief.title == "Solidarity Without Alliance"
    assert brief.date == "26 November 2026"
    assert len(brief.summary) == 2
    assert brief.recommendations and brief.sections
    # the author's own straight apostrophes are set as typographic ones
    assert "Beijing’s" in brief.sections[0].intro[0].text


def test_straight_marks_are_curled_where_the_source_has_curly_ones(tmp_path):
    path = _outline(tmp_path, "Moscow's destabilizing moves in Eastern Europe", "cnbc-2021")
    (checked,) = check([path])
    assert checked.results[0].status is Status.VERIFIED
    brief = make_brief(checked.outline, checked.corpus, checked.results)
    assert brief.quotes[0].text == "Moscow’s destabilizing moves in Eastern Europe"


def test_a_brief_is_never_made_from_unverified_quotes(sample):
    checked, _ = sample
    bad = [dataclasses.replace(checked.results[0], status=Status.MISQUOTE, match=None)]
    with pytest.raises(ValueError, match="not verified"):
        make_brief(checked.outline, checked.corpus, bad + checked.results[1:])


@pytest.mark.parametrize(
    ("typed", "set_"),
    [
        ("don't", "don’t"),
        ('"new era" is', "“new era” is"),
        ("('90s)", "(’90s)"),
        ("'quoted'", "‘quoted’"),
        ("war -- and peace", "war—and peace"),
        ("a well-known fact", "a well-known fact"),
    ],
)
def test_curl(typed, set_):
    assert typography.curl(typed) == set_


def test_paragraphs_split_at_blank_lines():
    assert typography.paragraphs("One\nline.\n\n  Two.\n") == ("One line.", "Two.")
    assert typography.paragraphs(None) == ()


def test_an_unsigned_article_names_its_publication_once(sample):
    """Chicago puts the publication in the author's place; it is not printed again."""
    _, brief = sample
    entry = next(s for s in brief.sources if s.id == "cnbc-2021").entry
    cnbc = plain(entry)
    assert cnbc.startswith("CNBC. “China and Russia Show Solidarity")
    assert cnbc.count("CNBC") == 1 and cnbc.endswith("” December 2021.")
    assert entry[0].text == "CNBC" and entry[0].italic  # a publication, in italics


def test_a_source_id_with_capitals_is_cited(corpus):
    """citeproc-py lower-cases item keys; the bibliography is still keyed by the real id."""
    sources = {("CNBC-2021" if k == "cnbc-2021" else k): v for k, v in corpus.sources.items()}
    notes, entries = cite_notes(sources, ["CNBC-2021", "dispatch-2020"])
    assert sorted(k for k, _ in entries) == ["CNBC-2021", "dispatch-2020"]
    assert plain(notes[0]).startswith("“China and Russia")


def test_short_notes_are_author_and_title_without_the_date(corpus):
    """Chicago 14.29: a repeated citation, not right after the last, is the author's surname
    and the title; citeproc-py kept the date of the full note."""
    order = ["dispatch-2020", "cnbc-2021", "dispatch-2020", "ponars-643", "cnbc-2021",
             "ponars-643", "ponars-643"]  # fmt: skip
    notes, _ = cite_notes(corpus.sources, order)
    assert [plain(n) for n in notes[2:]] == [
        "Joscelyn, “Talk About Your Dangerous Liaisons.”",
        "Elizabeth Wishnick, Masked Diplomacy: Xi and Putin Seek Advantage and Cover from the"
        " Pandemic, PONARS Eurasia Policy Memo (PONARS Eurasia, April 2020).",
        "“China and Russia Show Solidarity, but Likely Won’t Support Each Other Militarily,"
        " Analysts Say.”",
        "Wishnick, Masked Diplomacy: Xi and Putin Seek Advantage and Cover from the Pandemic.",
        "Ibid.",
    ]
