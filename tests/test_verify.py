"""SPEC "What verbatim means" and "Findings", rule by rule, against the real seed corpus.

Each case is a quote in a small outline that points at `corpus/`; it asserts the status and,
where the quote is found, the source file, line and column the finding reports.
"""

from __future__ import annotations

import json
import shutil
import unicodedata
from pathlib import Path

import ahocorasick
import pytest

from report.findings import Status, WarningKind
from tests.conftest import CORPUS
from tests.quotecheck import (
    QUOTE_COLUMN,
    Q,
    check_one,
    check_quotes,
    file_line_col,
    where,
    write_outline,
)

V, M = Status.VERIFIED, Status.MISQUOTE
DISPATCH, PONARS, EMBRACE, CNBC = "dispatch-2020", "ponars-643", "embrace-2024", "cnbc-2021"


def assert_found(tmp_path: Path, source: str, quote: str, at: tuple[str, int, int]) -> None:
    result = check_one(tmp_path, source, quote)
    assert result.status is V, (quote, result)
    assert file_line_col(result) == at


def assert_misquote(tmp_path: Path, source: str, quote: str) -> None:
    result = check_one(tmp_path, source, quote)
    assert result.status is M, (quote, result.status, result.match)
    assert result.match is None


# -- quotation marks ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "quote",
    [
        "“Some country” is, of course, the United States of America.",  # as the source has it
        '"Some country" is, of course, the United States of America.',
        "„Some country‟ is, of course, the United States of America.",
        "″Some country″ is, of course, the United States of America.",
    ],
)
def test_double_quotation_marks_are_equal(tmp_path, quote):
    assert_found(tmp_path, DISPATCH, quote, where("000", "“Some country” is"))


@pytest.mark.parametrize("mark", ["’", "'", "‘", "‚", "′", "‛"])
def test_apostrophes_are_equal(tmp_path, mark):
    quote = f"It{mark}s not clear what Beijing{mark}s position on Ukraine is"
    assert_found(tmp_path, CNBC, quote, where("004", "It’s not clear"))


def test_a_quotation_mark_is_not_an_apostrophe(tmp_path):
    assert_misquote(tmp_path, CNBC, 'It"s not clear what Beijing"s position on Ukraine is')


def test_a_dropped_quotation_mark_is_a_misquote(tmp_path):
    # The source: Russia “will maintain its mutual support ...
    assert_misquote(tmp_path, DISPATCH, "Russia will maintain its mutual support")
    assert_found(
        tmp_path, DISPATCH, "Russia “will maintain its mutual support", where("000", "Russia “will")
    )


# -- dashes ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "quote",
    [
        "capable world leader—a new hegemon",  # as the source has it
        "capable world leader — a new hegemon",
        "capable world leader–a new hegemon",
        "capable world leader – a new hegemon",
        "capable world leader―a new hegemon",
        "capable world leader--a new hegemon",
        "capable world leader -- a new hegemon",
    ],
)
def test_dashes_are_equal_and_spaces_around_them_do_not_matter(tmp_path, quote):
    assert_found(tmp_path, DISPATCH, quote, where("000", "capable world leader—"))


def test_spaced_en_dash_in_source_matches_an_unspaced_em_dash(tmp_path):
    # The source writes "No country or institution – not the United States".
    quote = "No country or institution—not the United States, China, Russia"
    assert_found(tmp_path, PONARS, quote, where("001", "No country or institution"))


@pytest.mark.parametrize(
    "quote",
    [
        "capable world leader - a new hegemon",
        "capable world leader-a new hegemon",
        "No country or institution - not the United States",
    ],
)
def test_a_hyphen_is_not_a_dash(tmp_path, quote):
    source = PONARS if quote.startswith("No") else DISPATCH
    assert_misquote(tmp_path, source, quote)


@pytest.mark.parametrize(
    "quote",
    [
        "the Sino—Russian partnership",
        "the Sino–Russian partnership",
        "the Sino Russian partnership",
        "the SinoRussian partnership",
    ],
)
def test_a_dash_is_not_a_hyphen(tmp_path, quote):
    assert_misquote(tmp_path, PONARS, quote)


def test_a_hyphen_matches_a_hyphen(tmp_path):
    at = where("001", "the Sino-Russian part")
    assert_found(tmp_path, PONARS, "the Sino-Russian partnership", at)


# -- ellipsis -------------------------------------------------------------------------------


@pytest.mark.parametrize("mark", ["...", "…", "[...]", "[…]", " ... ", "... "])
def test_every_omission_mark_splits_the_quote(tmp_path, mark):
    quote = f"Experts claim that Russia has suspiciously few reported cases{mark}All closed their"
    assert_found(tmp_path, PONARS, quote, where("001", "Experts claim that Russia"))


@pytest.mark.parametrize("mark", ["...", "…"])
def test_an_ellipsis_already_in_the_source(tmp_path, mark):
    # A reader comment has "all the freebies you want... until you're hooked".
    quote = f"I can give you all the freebies you want{mark} until you’re hooked"
    result = check_one(tmp_path, DISPATCH, quote)
    assert result.status is Status.OUTSIDE_BODY
    assert file_line_col(result) == where("000", "I can give you all the freebies")


# -- white space ---------------------------------------------------------------------------


@pytest.mark.parametrize("space", ["  ", "\t", "\n", "\u00a0", " \u00a0 ", "\u2009", "\u3000"])
def test_any_run_of_white_space_is_one_space(tmp_path, space):
    quote = f"China is not{space}alone in spreading disinformation"
    assert_found(tmp_path, PONARS, quote, where("001", "China is not alone"))


def test_a_no_break_space_in_the_source_is_a_space(tmp_path):
    # The last line of dispatch-2020 is "Substack\xa0is the home for great writing" (a footer).
    result = check_one(tmp_path, DISPATCH, "Substack is the home for great writing")
    assert result.status is Status.OUTSIDE_BODY
    assert file_line_col(result) == where("000", "Substack\u00a0is the home")


def test_text_across_a_line_break_inside_a_paragraph(tmp_path):
    quote = "so I think they both want to preserve some sort of flexibility. William Courtney"
    at = where("004", "so I think they both want to preserve some sort of flexibility.\nWilliam")
    assert_found(tmp_path, CNBC, quote, at)


def test_text_across_a_blank_line_inside_a_sentence(tmp_path):
    # ponars-643 has "sanctions\n\nnotwithstanding." (a conversion artefact).
    quote = "to show the Russian flag in Italy, sanctions notwithstanding."
    assert_found(tmp_path, PONARS, quote, where("001", "to show the Russian flag"))


def test_missing_space_is_a_misquote(tmp_path):
    assert_misquote(tmp_path, PONARS, "China is notalone in spreading disinformation")


# -- Unicode NFC ----------------------------------------------------------------------------


def test_the_quote_is_compared_in_nfc(tmp_path):
    # U+212A KELVIN SIGN is canonically equivalent to K: NFC turns it into "Kremlin".
    quote = "A \u212aremlin aide also claimed to reporters after the meeting"
    assert unicodedata.normalize("NFC", quote) != quote
    assert_found(tmp_path, CNBC, quote, where("004", "A Kremlin aide"))


@pytest.mark.parametrize("form", ["NFC", "NFD"])
def test_source_and_quote_in_different_forms_match(tmp_path, form):
    text = unicodedata.normalize("NFD", "Sergei Sobyanin met the café owners in Köln.\n")
    corpus = _corpus_with_extra_source(tmp_path, text)
    quote = unicodedata.normalize(form, "owners in Köln")
    [result] = check_quotes(tmp_path, Q("extra", quote), corpus=corpus)
    assert result.status is V
    # the column counts the file's own (decomposed) characters
    assert file_line_col(result) == ("extra.txt", 1, text.index("owners") + 1)
    [result] = check_quotes(tmp_path, Q("extra", "met the cafe owners in Koln"), corpus=corpus)
    assert result.status is M  # an accent is a letter, not typography


def _corpus_with_extra_source(tmp_path: Path, text: str) -> Path:
    corpus = tmp_path / "corpus"
    shutil.copytree(CORPUS, corpus)
    (corpus / "extra.txt").write_text(text, encoding="utf-8")
    with (corpus / "sources.yaml").open("a", encoding="utf-8") as f:
        f.write("\n- id: extra\n  file: extra.txt\n  title: An extra source\n")
    return corpus


# -- markup ---------------------------------------------------------------------------------


def test_markdown_link_is_read_as_its_words(tmp_path):
    quote = "we see authoritarian strongmen with an indefinite hold on power"
    assert_found(tmp_path, PONARS, quote, where("001", "we see [authoritarian]"))


def test_quote_that_starts_inside_a_link_is_located_at_the_words(tmp_path):
    quote = "origin stories, claiming that the virus began in Italy"
    name, line, column = where("001", "[origin stories]")
    assert_found(tmp_path, PONARS, quote, (name, line, column + 1))


def test_quote_made_of_several_links(tmp_path):
    quote = "the Chinese leader now speaks of “the health Silk Road” connecting China"
    assert_found(tmp_path, PONARS, quote, where("001", "The Chinese leader now speaks"))


def test_link_syntax_in_a_quote_is_not_the_source_text(tmp_path):
    assert_misquote(tmp_path, PONARS, "Russia [claims](#) to have relatively few cases")


def test_sup_tags_are_dropped(tmp_path):
    quote = "shows how poorly equipped global architecture is for 21st-century threats"
    assert_found(tmp_path, PONARS, quote, where("001", "shows how poorly"))
    assert_misquote(tmp_path, PONARS, "global architecture is for 21 st-century threats")
    assert_misquote(tmp_path, PONARS, "global architecture is for 21<sup>st</sup>-century threats")


def test_emphasis_markers_are_dropped(tmp_path):
    name, line, column = where("001", "**Putin and Russia’s Response**")
    assert_found(tmp_path, PONARS, "Putin and Russia’s Response", (name, line, column + 2))
    name, line, column = where("001", "**Figure 1. Cases of Coronavirus in Russia**")
    quote = "Figure 1. Cases of Coronavirus in Russia"
    assert_found(tmp_path, PONARS, quote, (name, line, column + 2))


# -- case -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("quote", "status"),
    [
        ("According to an EU report, Russia has been doing this", V),
        ("according to an EU report, Russia has been doing this", V),
        ("ACCORDING to an EU report, Russia has been doing this", M),
        ("According To an EU report, Russia has been doing this", M),
        ("According to an eu report, Russia has been doing this", M),
        ("according to an EU report, russia has been doing this", M),
    ],
)
def test_only_the_first_letter_may_change_case(tmp_path, quote, status):
    result = check_one(tmp_path, PONARS, quote)
    assert result.status is status
    if status is V:
        assert file_line_col(result) == where("001", "According to an [EU report]")


@pytest.mark.parametrize(
    ("quote", "status"),
    [
        ("Experts claim that Russia has suspiciously few reported cases ... all closed", V),
        ("experts claim that Russia has suspiciously few reported cases ... all closed", V),
        ("Experts claim that Russia has suspiciously few reported cases ... ALL closed", M),
        ("Experts claim that Russia has suspiciously few reported cases ... all Closed", M),
    ],
)
def test_first_letter_after_an_omission_may_change_case(tmp_path, quote, status):
    assert check_one(tmp_path, PONARS, quote).status is status


def test_first_letter_after_an_opening_quotation_mark_may_change_case(tmp_path):
    quote = "“some country” is, of course, the United States of America."
    assert_found(tmp_path, DISPATCH, quote, where("000", "“Some country” is"))


# -- omissions ------------------------------------------------------------------------------


def test_omission_parts_in_order_in_one_paragraph(tmp_path):
    quote = "Xi praised the “mutual support ... in this extraordinary fight against the virus"
    assert_found(tmp_path, DISPATCH, quote, where("000", "Xi praised the"))


def test_omission_parts_out_of_order_fail(tmp_path):
    quote = "All closed their borders to China without delay ... Experts claim that Russia"
    assert_misquote(tmp_path, PONARS, quote)


def test_omission_parts_in_different_paragraphs_fail(tmp_path):
    # Both parts occur in ponars-643, but in consecutive paragraphs.
    quote = "Russia claims to have relatively few cases ... Experts claim that Russia has"
    for part in quote.split(" ... "):
        assert check_one(tmp_path, PONARS, part).status is V
    assert_misquote(tmp_path, PONARS, quote)


def test_omission_part_that_spans_a_blank_line_inside_a_sentence(tmp_path):
    at = where("001", "Italy, sanctions")
    quote = "Italy, sanctions notwithstanding ... Russian sent nine planeloads of aid"
    assert_found(tmp_path, PONARS, quote, at)
    quote = "Italy, sanctions ... notwithstanding. Russian sent nine planeloads of aid"
    assert_found(tmp_path, PONARS, quote, at)


def test_omission_does_not_reach_across_a_footnote(tmp_path):
    # ponars-643 breaks a sentence with a footnote: "... during the pandemic. A" | footnote |
    # "French publication reported ...". Those are separate paragraphs of the file.
    quote = "a new book about Xi's outstanding leadership ... French publication reported"
    assert_misquote(tmp_path, PONARS, quote)


def test_omission_with_each_part_elsewhere_but_not_together(tmp_path):
    # Both parts are in dispatch-2020, but the second only before the first.
    quote = "the Chinese government has been orchestrating ... As COVID-19 spreads"
    assert_misquote(tmp_path, DISPATCH, quote)


# -- alterations ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("quote", "needle"),
    [
        (
            "[T]hat “new era” is one in which the U.S. is no longer a lone superpower.",
            "That “new era” is one",
        ),
        (
            "[t]hat “new era” is one in which the U.S. is no longer a lone superpower.",
            "That “new era” is one",
        ),
        (
            "That “new era” is one in which [America] is no longer a lone superpower.",
            "That “new era” is one",
        ),
        (
            "[China] wants to be seen as an effective and capable world leader",
            "China wants to be seen",
        ),
        (
            "[Beijing] wants to be seen as an effective and capable world leader",
            "China wants to be seen",
        ),
        (
            "[The Russian leader] praised the “Chinese government for taking measures",
            "Putin praised the",
        ),
        (
            "[He] also emphasized that the “two sides must seize the opportunities",
            "Xi also emphasized",
        ),
        (
            "close collaboration between [the two countries] in this extraordinary fight",
            "close collaboration between",
        ),
        (
            "close collaboration between [Beijing and Moscow] in this extraordinary fight",
            "close collaboration between",
        ),
        (
            "the comprehensive strategic partnership of coordination between [them]",
            "the comprehensive strategic partnership of",
        ),
        ("[T]he Chinese leader also “reaffirmed China’s commitment", "The Chinese leader also"),
    ],
)
def test_alteration_stands_for_a_short_span_of_the_same_sentence(tmp_path, quote, needle):
    source = CNBC if "reaffirmed" in quote else DISPATCH
    prefix = "004" if source == CNBC else "000"
    assert_found(tmp_path, source, quote, where(prefix, needle))


def test_alteration_location_is_not_the_paragraph_before(tmp_path):
    # The line before "That “new era” ..." ends with a closing quotation mark; an opening
    # alteration must not reach back over it.
    result = check_one(tmp_path, DISPATCH, "[T]hat “new era” is one in which the U.S.")
    assert file_line_col(result) == where("000", "That “new era” is one")
    assert result.match is not None
    assert result.match.text.startswith("That “new era”")


@pytest.mark.parametrize(
    "quote",
    [
        # the span is long: "the “mutual support, solidarity and close collaboration between
        # China and Russia"
        "Xi praised [their cooperation] in this extraordinary fight against the virus",
        # the span crosses a sentence end ("... a lone superpower. Xi")
        "That “new era” is one in which [Washington] also emphasized that",
        "no longer a lone superpower[; Xi] also emphasized",
        # a gap is not free text: the words around the alteration must match exactly
        "[China] wants to be seen as an effective and capable world power",
    ],
)
def test_alteration_fails_for_a_long_span_or_across_a_sentence_end(tmp_path, quote):
    assert_misquote(tmp_path, DISPATCH, quote)


@pytest.mark.parametrize(
    ("quote", "needle"),
    [
        ("China [isn’t] going to send military help", "China [isn’t] going"),
        ("China [isn't] going to send military help", "China [isn’t] going"),
        ("Moscow’s ambition in Ukraine [is] not nearly important enough", "Moscow’s ambition in"),
    ],
)
def test_brackets_in_the_source_match_literally(tmp_path, quote, needle):
    assert_found(tmp_path, CNBC, quote, where("004", needle))


def test_brackets_in_the_source_are_part_of_its_text(tmp_path):
    assert_misquote(tmp_path, CNBC, "China isn’t going to send military help")
    assert_misquote(tmp_path, DISPATCH, "winning the battle against COVID-19")
    assert_found(
        tmp_path, DISPATCH, "winning [the] battle against COVID-19", where("000", "winning [the]")
    )


@pytest.mark.parametrize(
    "quote",
    [
        "Russian [sic] sent nine planeloads of aid along with 100 troops",
        "Russian[sic] sent nine planeloads of aid along with 100 troops",
        "Russian [SIC] sent nine planeloads of aid along with 100 troops",
        "Russian sent nine planeloads of aid [emphasis added] along with 100 troops",
        "Russian sent nine planeloads of aid along with 100 troops [emphasis added]",
        "Russian sent nine planeloads of aid along with 100 troops [emphasis mine]",
    ],
)
def test_sic_and_emphasis_added_stand_for_nothing(tmp_path, quote):
    assert_found(tmp_path, PONARS, quote, where("001", "Russian sent nine"))


def test_sic_does_not_excuse_a_changed_word(tmp_path):
    assert_misquote(tmp_path, PONARS, "Russia [sic] sent nine planeloads of aid")


# -- findings -------------------------------------------------------------------------------


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


def test_misquote_shows_closest_passage_and_word_diff(tmp_path):
    result = check_one(tmp_path, CNBC, "reaffirmed China’s commitment to fully support Russia")
    assert result.status is M
    closest = result.closest
    assert closest is not None
    assert closest.source_id == CNBC
    assert closest.passage == "reaffirmed China’s commitment to firmly support Russia"
    name, line, column = where("004", "“reaffirmed China’s")
    assert (Path(closest.location.file).name, closest.location.line) == (name, line)
    assert closest.location.column == column + 1
    changed = [(d.op, d.quote, d.source) for d in closest.diff if d.op != "equal"]
    assert changed == [("replace", "fully", "firmly")]
    assert closest.kind == "substantive"
    assert result.closest_corpus is not None and result.closest_corpus.source_id == CNBC


@pytest.mark.parametrize(
    ("source", "quote", "passage", "changed"),
    [
        # a dropped word at the end: the passage still ends where the quote does
        (PONARS, "China is alone in spreading disinformation about the origins of the pandemic.",
         "China is not alone in spreading disinformation about the origins of the pandemic.",
         [("insert", "", "not")]),
        (CNBC, "Washington would accept such a demand.",
         "Washington would not accept such a demand.", [("insert", "", "not")]),
        # a changed first or last word, and one word written as two
        (CNBC, "Moscow would not accept such a demand.",
         "Washington would not accept such a demand.", [("replace", "Moscow", "Washington")]),
        (CNBC, "Washington would not accept such a request.",
         "Washington would not accept such a demand.", [("replace", "request.", "demand.")]),
        (EMBRACE, "bolstered by Chinese semiconductors and other dual use technologies",
         "bolstered by Chinese semiconductors and other dual-use technologies",
         [("replace", "dual use", "dual-use")]),
        # the source's closing quotation mark is not a difference
        (EMBRACE, "It doesn’t want to be chained to a corpse.",
         "It doesn’t want to be shackled to a corpse.", [("replace", "chained", "shackled")]),
    ],
)  # fmt: skip
def test_closest_passage_spans_the_quote_and_the_source_words_it_lacks(
    tmp_path, source, quote, passage, changed
):
    result = check_one(tmp_path, source, quote)
    assert result.status is M and result.closest is not None
    assert result.closest.passage == passage
    assert [(d.op, d.quote, d.source) for d in result.closest.diff if d.op != "equal"] == changed


@pytest.mark.parametrize(
    ("quote", "passage", "added"),
    [
        ("The plan is cheap.", "The plan is not cheap.", "not"),
        ("The plan is cheap", "The plan is not cheap", "not"),  # without the full stop
        ("set aside twelve million euros for the phase",
         "set aside twelve million euros for the first phase", "first"),
    ],
)  # fmt: skip
def test_closest_passage_of_a_short_quote_is_not_cut_at_the_quote_s_length(
    tmp_path, quote, passage, added
):
    """The character alignment is as long as the quote: for "The plan is cheap." it ended
    at "not", and the diff read `- cheap. + not`."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text(
        "Cities bet on bicycles.\n\nThe plan is not cheap. The council set aside twelve"
        " million euros for the first phase.\n",
        encoding="utf-8",
    )
    (corpus / "sources.yaml").write_text("- id: a\n  file: a.txt\n", encoding="utf-8")
    [result] = check_quotes(tmp_path, Q("a", quote), corpus=corpus)
    assert result.closest is not None and result.closest.passage == passage
    assert [(d.op, d.source) for d in result.closest.diff if d.op != "equal"] == [("insert", added)]


def test_misquote_text_output_reads_like_the_spec(tmp_path, report_cli):
    written = write_outline(
        tmp_path, [Q(CNBC, "reaffirmed China’s commitment to fully support Russia")]
    )
    result = report_cli("check", written.path)
    assert result.code == 1
    lines = result.out.splitlines()
    name, line, _ = where("004", "“reaffirmed China’s")
    assert (
        lines[0]
        == f"{written.path}:{written.quote_lines[0]}:{QUOTE_COLUMN}: misquote: not found in {CNBC}"
    )
    assert lines[1] == "    quote:   reaffirmed China's commitment to [-fully-] support Russia"
    assert f"{name}:{line}:" in lines[2]
    assert lines[3].strip() == "reaffirmed China’s commitment to {+firmly+} support Russia"
    assert lines[4] == "    diff:    - fully + firmly  (substantive: a changed word)"
    assert lines[-1] == "1 quote: 0 verified, 1 misquote"


def test_misquote_of_punctuation_only_is_marked_as_such(tmp_path):
    result = check_one(tmp_path, DISPATCH, "close collaboration between China and Russia, in this")
    assert result.status is M
    assert result.closest is not None and result.closest.kind == "punctuation"


def test_wrong_source_names_the_other_source(tmp_path):
    quote = "mutual support, solidarity and close collaboration between China and Russia"
    result = check_one(tmp_path, PONARS, quote)
    assert result.status is Status.WRONG_SOURCE
    assert result.match is not None and result.match.source_id == DISPATCH
    assert file_line_col(result) == where("000", "mutual support, solidarity")


def test_wrong_source_beats_a_near_miss_in_the_named_source(tmp_path):
    # ponars-643 has "mutual support by Xi and Putin"; the words below are cnbc-2021's.
    quote = "neither of them specifically endorsed the position of the other"
    result = check_one(tmp_path, PONARS, quote)
    assert result.status is Status.WRONG_SOURCE
    assert result.match.source_id == CNBC


@pytest.mark.parametrize(
    ("source", "quote", "needle"),
    [
        # dispatch-2020: a reader comment below the article
        (DISPATCH, "everybody knows Russia and China are bastards", "everybody knows Russia"),
        # dispatch-2020: the photo credit after the body's end
        (DISPATCH, "Photograph of Vladimir Putin and Xi Jinping", "Photograph of Vladimir"),
        # cnbc-2021: the closing line after the body end ("... strong tornadoes in the U.S.")
        (
            CNBC,
            "but not enough for them to send military support to each other",
            "but not enough for them",
        ),
        # cnbc-2021: the photo caption before the body start
        (CNBC, "shake hands during an official ceremony, via teleconference", "shake hands during"),
        # embrace-2024: the comment form after "Olivia Wang contributed research."
        (EMBRACE, "Your email address will not be published.", "Your email address"),
    ],
)
def test_outside_body(tmp_path, source, quote, needle):
    result = check_one(tmp_path, source, quote)
    assert result.status is Status.OUTSIDE_BODY
    prefix = {DISPATCH: "000", CNBC: "004", EMBRACE: "002"}[source]
    assert file_line_col(result) == where(prefix, needle)


def test_body_edges_are_inside_the_body(tmp_path):
    first = "BEIJING — International pressure may have pushed China and Russia closer together"
    last = "other destruction from strong tornadoes in the U.S."
    assert check_one(tmp_path, CNBC, first).status is V
    assert check_one(tmp_path, CNBC, last).status is V


def test_quote_straddling_the_body_end_is_not_verified(tmp_path):
    # it also runs over a paragraph break, which no quote may do unmarked
    quote = "destruction from strong tornadoes in the U.S. International pressure"
    assert check_one(tmp_path, CNBC, quote).status is M


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


# -- exit status and output ----------------------------------------------------------------


def test_exit_status_zero_one_two(tmp_path, report_cli):
    good = write_outline(
        tmp_path, [Q(CNBC, "Moscow struck an even more optimistic tone.")], name="good.yaml"
    )
    bad = write_outline(
        tmp_path, [Q(CNBC, "Moscow struck an even more pessimistic tone.")], name="bad.yaml"
    )
    broken = write_outline(tmp_path, [Q("cnbc-2099", "Moscow struck")], name="broken.yaml")
    assert report_cli("check", good.path).code == 0
    assert report_cli("check", bad.path).code == 1
    assert report_cli("check", good.path, bad.path).code == 1
    result = report_cli("check", good.path, broken.path)
    assert result.code == 2
    assert f"{broken.path}:{broken.quote_lines[0] - 1}:21: unknown source 'cnbc-2099'" in result.err
    assert "Traceback" not in result.err
    assert report_cli("check", good.path, "--format", "nonsense").code == 2


def test_warnings_fail_only_with_strict(tmp_path, report_cli):
    written = write_outline(
        tmp_path,
        [
            Q(CNBC, "Moscow struck an even more optimistic tone.", "Yury Ushakov"),
            Q(DISPATCH, "Putin said"),
        ],
    )
    plain = report_cli("check", written.path)
    assert plain.code == 0, plain.out
    assert (
        f"{written.path}:{written.quote_lines[0]}:{QUOTE_COLUMN}: warning: speaker not found"
        in plain.out
    )
    assert (
        f"{written.path}:{written.quote_lines[1]}:{QUOTE_COLUMN}: warning: too short" in plain.out
    )
    strict = report_cli("check", written.path, "--strict")
    assert strict.code == 1
    assert "error: speaker not found" in strict.out
    doc = json.loads(report_cli("check", written.path, "--strict", "--format", "json").out)
    assert [q["failed"] for q in doc["quotes"]] == [True, True]
    assert doc["summary"]["failed"] == 2 and doc["summary"]["strict"] is True


def test_json_output_fields(tmp_path, report_cli):
    written = write_outline(
        tmp_path,
        [
            Q(DISPATCH, "has set an example for the international community", "Vladimir Putin"),
            Q(CNBC, "reaffirmed China’s commitment to fully support Russia"),
            Q(
                PONARS,
                "mutual support, solidarity and close collaboration between China and Russia",
            ),
            Q(DISPATCH, "everybody knows Russia and China are bastards"),
        ],
    )
    result = report_cli("check", written.path, "--format", "json")
    assert result.code == 1
    doc = json.loads(result.out)
    verified, misquote, wrong, outside = doc["quotes"]
    assert [q["status"] for q in doc["quotes"]] == [
        "verified",
        "misquote",
        "wrong_source",
        "outside_body",
    ]
    assert verified["outline"] == {
        "file": str(written.path),
        "line": written.quote_lines[0],
        "column": QUOTE_COLUMN,
    }
    name, line, column = where("000", "has set an example")
    assert Path(verified["location"]["file"]).name == name
    assert (verified["location"]["line"], verified["location"]["column"]) == (line, column)
    assert verified["failed"] is False and verified["speaker"] == "Vladimir Putin"
    assert verified["matches"][0]["paragraph"] >= 1 and verified["matches"][0]["in_body"] is True
    assert "closest" not in verified
    assert misquote["location"] is None and misquote["diff"] == "- fully + firmly"
    assert (
        misquote["closest"]["passage"] == "reaffirmed China’s commitment to firmly support Russia"
    )
    assert wrong["found_in"] == DISPATCH and wrong["source"] == PONARS
    assert outside["found_in"] == DISPATCH and outside["matches"][0]["in_body"] is False
    assert doc["summary"] == {
        "quotes": 4,
        "verified": 1,
        "misquote": 1,
        "wrong_source": 1,
        "outside_body": 1,
        "source_changed": 0,
        "cited": 0,
        "unattributed": 0,
        "warnings": 0,
        "failed": 3,
        "strict": False,
    }


# -- one reading per source ----------------------------------------------------------------


def test_each_source_is_read_and_scanned_once_per_run(tmp_path, monkeypatch):
    import report.corpus
    import report.match

    layers: list[int] = []
    scans: list[int] = []
    real_read = report.corpus.read_bytes
    real_automaton = ahocorasick.Automaton

    def counting_read(path, *args, **kwargs):
        if path.name != "sources.yaml":
            layers.append(path)
        return real_read(path, *args, **kwargs)

    class CountingAutomaton:
        def __init__(self) -> None:
            self._a = real_automaton()

        def __getattr__(self, name):
            return getattr(self._a, name)

        def __len__(self) -> int:
            return len(self._a)

        def iter(self, text):
            scans.append(len(text))
            return self._a.iter(text)

    monkeypatch.setattr(report.corpus, "read_bytes", counting_read)
    monkeypatch.setattr(report.match.ahocorasick, "Automaton", CountingAutomaton)
    quotes = [
        Q(DISPATCH, "has set an example for the international community"),
        Q(PONARS, "mutual support, solidarity and close collaboration"),  # wrong source
        Q(CNBC, "reaffirmed China’s commitment to fully support Russia"),  # misquote
        Q(DISPATCH, "everybody knows Russia and China are bastards"),  # outside body
        Q(PONARS, "Experts claim that Russia has suspiciously few reported cases ... All closed"),
        Q(DISPATCH, "[T]hat “new era” is one in which the U.S. is no longer a lone superpower."),
        Q(EMBRACE, "It doesn’t want to be shackled to a corpse."),
    ] * 15
    one = write_outline(tmp_path, quotes, name="one.yaml")
    two = write_outline(tmp_path, quotes[:20], name="two.yaml")
    from report.pipeline import check

    checked = check([one.path, two.path])
    assert sum(len(c.results) for c in checked) == 125
    statuses = {r.status for c in checked for r in c.results}
    assert statuses == {V, M, Status.WRONG_SOURCE, Status.OUTSIDE_BODY}
    assert len(set(layers)) == 4
    # Each named source is read once for all its quotes; only the three kinds of failing
    # quote may read another source again (wrong source, closest passage in the corpus).
    assert len(layers) <= 4 + 3, "each source's text layer is built once"
    assert len(scans) == 4, "one automaton pass per source for all 125 quotes"


def test_an_alterations_words_do_not_count_as_the_sources(tmp_path):
    result = check_one(tmp_path, CNBC, "[The Chinese government] said [that]")
    [warning] = result.warnings
    assert warning.kind is WarningKind.TOO_SHORT
    assert "has 1 word" in warning.message


@pytest.mark.parametrize(
    "quote", ["[The Chinese government and Russia]", "[Xi] [is weak]", "[sic]", "[...]"]
)
def test_a_quote_of_editorial_marks_only_is_an_input_error(tmp_path, report_cli, quote):
    written = write_outline(tmp_path, [Q(DISPATCH, quote)])
    result = report_cli("check", written.path)
    assert result.code == 2 and "Traceback" not in result.err
    assert f"{written.path}:{written.quote_lines[0]}:" in result.err
    assert "no words of its own" in result.err


@pytest.mark.parametrize(
    "quote",
    [
        # a bracket longer than a few words is no alteration: it must be the source's own
        "China [has long wanted and will soon sign, according to every analyst] a formal "
        "military alliance with Russia",
        # a quote runs over no paragraph break or heading unless it marks an omission
        "Moscow struck an even more optimistic tone. In the video call, Putin said",
        "China’s diplomatic self-interest Releases from China’s foreign ministry",
    ],
)
def test_what_an_alteration_or_a_paragraph_break_cannot_hide(tmp_path, quote):
    assert check_one(tmp_path, CNBC, quote).status is M


@pytest.mark.parametrize(
    ("quote", "original"),
    [
        ("China [wants] a formal military alliance with Russia", "does not want"),
        ("China is [definitely] alone in spreading disinformation", "not"),
    ],
)
def test_an_alteration_that_drops_a_negation_warns(tmp_path, quote, original):
    source = CNBC if "alliance" in quote else PONARS
    result = check_one(tmp_path, source, quote)
    assert result.status is V
    [warning] = result.warnings
    assert warning.kind is WarningKind.NEGATION_OMITTED
    assert f"stands for '{original}'" in warning.message


def test_an_alteration_that_adds_a_negation_warns(tmp_path):
    quote = "Beijing has [not] increased military activity near Taiwan"
    result = check_one(tmp_path, CNBC, quote)
    assert result.status is V
    [warning] = result.warnings
    assert warning.kind is WarningKind.NEGATION_OMITTED and "adds a negation" in warning.message


def test_an_alteration_that_keeps_the_negation_does_not_warn(tmp_path):
    result = check_one(tmp_path, CNBC, "China [doesn't want] a formal military alliance")
    assert result.status is V and not result.warnings
    result = check_one(tmp_path, PONARS, "The Chinese president did [not] visit the virus")
    assert result.status is V and not result.warnings


def test_readme_json_example_is_real_output(tmp_path, report_cli):
    """The README's `--format json` example is what `report check` prints for it."""
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("<!-- section: json -->") :]
    example = section[section.index("```json\n") + 8 : section.index("```\n", 8)]
    shutil.copytree(CORPUS, tmp_path / "corpus")
    (tmp_path / "outlines").mkdir()
    (tmp_path / "outlines" / "brief.yaml").write_text(
        "title: T\nsections:\n  - heading: H\n    arguments:\n      - claim: C\n"
        "        evidence:\n          - source: cnbc-2021\n"
        "            quote: reaffirmed China’s commitment to fully support Russia\n",
        encoding="utf-8",
    )
    result = report_cli("check", "outlines/brief.yaml", "--format", "json", cwd=tmp_path)
    assert result.code == 1
    assert json.loads(result.out) == json.loads(example)


def test_alteration_does_not_reach_into_the_paragraph_before(tmp_path):
    # cnbc-2021: the heading "Russia talks up China’s goodwill", then "Moscow struck ...".
    quote = "[The article says] Moscow struck an even more optimistic tone."
    assert_misquote(tmp_path, CNBC, quote)
    assert_misquote(tmp_path, CNBC, "China’s goodwill [and] Moscow struck an even more")
    assert_found(
        tmp_path, CNBC, "[It] struck an even more optimistic tone.", where("004", "Moscow struck")
    )


HARD_CORRECT = [
    Q(DISPATCH, '"Some country" is, of course, the United States of America.'),  # straight marks
    Q(PONARS, "show the Russian flag in Italy, sanctions notwithstanding."),  # across a blank line
    Q(PONARS, "we see authoritarian strongmen with an indefinite hold on power"),  # a link
    Q(PONARS, "how poorly equipped global architecture is for 21st-century threats"),  # <sup>
    Q(CNBC, "if he invaded Ukraine, China [isn’t] going to send military help"),  # literal [ ]
    Q(DISPATCH, "[T]hat “new era” is one in which the U.S. is no longer a lone superpower."),
    Q(DISPATCH, "China wants to be seen as an effective and capable world leader -- a new hegemon"),
    Q(
        PONARS,
        "Experts claim that Russia has suspiciously few reported cases … all closed their borders",
    ),
    Q(PONARS, "Russian [sic] sent nine planeloads of aid along with 100 troops"),
]
EVERY_FAILURE = [
    (Q(CNBC, "reaffirmed China’s commitment to fully support Russia"), "misquote"),
    (Q(PONARS, "mutual support, solidarity and close collaboration"), "wrong source"),
    (Q(DISPATCH, "everybody knows Russia and China are bastards"), "outside body"),
    (Q(CNBC, "but not enough for them to send military support to each other"), "outside body"),
    (
        Q(PONARS, "Russia claims to have relatively few cases ... Experts claim that Russia"),
        "misquote",
    ),
    (Q(DISPATCH, "capable world leader - a new hegemon"), "misquote"),
]


def test_an_outline_of_the_seeds_end_to_end(tmp_path, report_cli):
    quotes = HARD_CORRECT + [q for q, _ in EVERY_FAILURE]
    written = write_outline(tmp_path, quotes)
    result = report_cli("check", written.path)
    assert result.code == 1
    reported = {
        line.split(": ")[0]: line.split(": ")[1]
        for line in result.out.splitlines()
        if line.startswith(str(written.path))
    }
    lines = written.quote_lines[len(HARD_CORRECT) :]
    expected = {
        f"{written.path}:{line}:{QUOTE_COLUMN}": status
        for line, (_, status) in zip(lines, EVERY_FAILURE, strict=True)
    }
    assert reported == expected
    assert (
        result.out.splitlines()[-1]
        == "15 quotes: 9 verified, 3 misquote, 1 wrong source, 2 outside body"
    )


def test_matched_text_has_no_line_breaks(tmp_path):
    quote = "so I think they both want to preserve some sort of flexibility. William Courtney"
    result = check_one(tmp_path, CNBC, quote)
    assert result.match.text == quote
    result = check_one(tmp_path, PONARS, "in Italy, sanctions notwithstanding.")
    assert result.match.text == "in Italy, sanctions notwithstanding."


def test_a_four_dot_ellipsis_is_a_full_stop_then_an_omission(tmp_path):
    # Chicago: the sentence before the omission ends there, so its full stop must be there
    ends = (
        "Mr. Putin will have to stay in power and stave off a humiliating defeat in "
        "Ukraine.... he will ultimately be guided only by China’s best interests."
    )
    assert check_one(tmp_path, EMBRACE, ends).status is V
    goes_on = "Mr. Putin will have to stay in power.... Mr. Xi will probably do as much"
    assert check_one(tmp_path, EMBRACE, goes_on).status is M


def test_a_quote_over_a_paragraph_break_is_told_so(tmp_path, report_cli):
    """The one-paragraph rule fails the quote; the message says where the words are."""
    quote = "Moscow struck an even more optimistic tone. In the video call, Putin said"
    result = check_one(tmp_path, CNBC, quote)
    assert result.status is M and result.across is not None
    assert (Path(result.across.location.file).name, result.across.location.line) == (
        where("004", "Moscow struck an even more optimistic tone.")[:2]
    )
    assert result.closest is None  # the passage is known: no closest-passage search
    written = write_outline(tmp_path, [Q(CNBC, quote)], name="over.yaml")
    out = report_cli("check", written.path).out
    assert "not found in cnbc-2021 within one paragraph: its words, from corpus/" in out
    assert ", run over a paragraph break (quote each paragraph on its own)" in out
    assert "    source:  Moscow struck an even more optimistic tone. ¶ In the video call" in out


def test_an_alteration_is_not_taken_for_words_over_a_paragraph_break(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text(
        "## Energy\n\nRussia sells more oil to China than ever.\n", encoding="utf-8"
    )
    (corpus / "sources.yaml").write_text("- id: a\n  file: a.txt\n", encoding="utf-8")
    [result] = check_quotes(tmp_path, Q("a", "[In energy,] Russia sells more oil to China"),
                            corpus=corpus)  # fmt: skip
    assert result.status is M and result.across is None
    assert result.closest is not None
