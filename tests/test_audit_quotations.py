"""What counts as a quotation of a draft, and which citation attributes it
(report.quotations), on drafts made of plain blocks: `{n}` in a test's text stands for the
reference mark of note n, as a Word footnote reference is (no text, a place)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from report.draft import Block, Draft, Mark
from report.errors import Location
from report.quotations import find_quotations, inline_citations

TITLES = ["Talk About Your Dangerous Liaisons"]


def block(text: str, kind: str = "body", number: int = 1, note: str = "") -> Block:
    marks, plain, pos = [], [], 0
    for m in re.finditer(r"\{(\d+)\}", text):
        plain.append(text[pos : m.start()])
        offset = sum(map(len, plain))
        marks.append(Mark(offset, offset, key=f"footnote:{m.group(1)}"))
        pos = m.end()
    plain.append(text[pos:])
    unit = "fn" if kind == "note" else "¶"
    return Block(
        text="".join(plain),
        kind=kind,
        locate=lambda off: Location("d.docx", number, off + 1, unit=unit),
        marks=tuple(marks),
        note=note,
    )


def quotations(*blocks: Block, everything: bool = False):
    draft = Draft(Path("d.docx"), "d.docx", list(blocks))
    return find_quotations(draft, TITLES, everything)


def audited(*blocks: Block, everything: bool = False) -> list[tuple[str, str | None]]:
    """(quotation, the note or inline citation that attributes it) of each audited one."""
    out = []
    for q in quotations(*blocks, everything=everything):
        if q.audited:
            c = q.citation
            out.append((q.text, (c.key or c.text) if c else None))
    return out


# -- quotation marks ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("He said “has set an example for the world.”{1}", "has set an example for the world"),
        ('He said "has set an example for the world."{1}', "has set an example for the world"),
        (
            "Er sagte „hat ein Beispiel für die Welt gesetzt“{1}.",
            "hat ein Beispiel für die Welt gesetzt",
        ),
        (
            "Er sagte »hat ein Beispiel für die Welt gesetzt«{1}.",
            "hat ein Beispiel für die Welt gesetzt",
        ),
        (
            "Il a dit « a donné un exemple au monde entier »{1}.",
            "a donné un exemple au monde entier",
        ),
        ("Han sa ”har satt ett exempel för världen”{1}.", "har satt ett exempel för världen"),
        ("他说「为国际社会树立了榜样」{1}。", "为国际社会树立了榜样"),
        ("他说『为国际社会树立了榜样』{1}。", "为国际社会树立了榜样"),
    ],
)
def test_every_kind_of_double_quotation_mark(text, words):
    assert audited(block(text)) == [(words, "footnote:1")]


def test_a_quotation_keeps_its_inner_quotes_and_the_author_s_closing_comma_is_dropped():
    found = audited(block("She wrote that “the “new era” is one of partnership,”{1} and left."))
    assert found == [("the “new era” is one of partnership", "footnote:1")]


def test_single_marks_apostrophes_and_inch_signs_open_nothing():
    found = quotations(block("The 12\" screen and Beijing's ‘quiet support’ of Moscow's war.{1}"))
    assert found == []


def test_an_unclosed_mark_opens_nothing():
    assert quotations(block("He said “this runs on into the next paragraph without end{1}")) == []


def test_the_location_is_the_first_quoted_character():
    (q,) = quotations(block("Putin said China “has set an example for all.”{1}", number=7))
    assert str(q.location) == "d.docx:¶7:19"
    assert (q.start, q.end) == (17, 46)  # the stretch a comment anchors: marks included


# -- attribution ---------------------------------------------------------------------------


def test_the_citation_later_in_the_sentence_attributes_each_quotation_before_it():
    found = audited(
        block(
            "Putin said China “has set an example for all” and praised “the response of "
            "Beijing to the virus.”{4} Next sentence."
        )
    )
    assert found == [
        ("has set an example for all", "footnote:4"),
        ("the response of Beijing to the virus", "footnote:4"),
    ]


def test_a_note_later_in_the_paragraph_attributes_quotations_left_without_one():
    # Chicago lets one note at a paragraph's end cite its quotations.
    found = audited(block("He said “one two three four five.” She agreed with him.{2}"))
    assert found == [("one two three four five", "footnote:2")]


def test_an_inline_citation_belongs_to_its_sentence_only():
    found = quotations(
        block("He said “one two three four five.” Others disagree (Smith 2020). More.{2}")
    )
    # the note after an inline citation is not the quotation's
    assert [(q.text, q.skip) for q in found] == [("one two three four five", "unattributed")]


def test_inline_citations_pandoc_and_author_date():
    found = audited(
        block(
            "A “one two three four” [@dispatch-2020, p. 4]; B “five six seven eight” "
            "(Joscelyn 2020, 3); C “nine ten eleven twelve.” [see @ponars-643]"
        )
    )
    assert found == [
        ("one two three four", "@dispatch-2020, p. 4"),
        ("five six seven eight", "Joscelyn 2020, 3"),
        ("nine ten eleven twelve", "see @ponars-643"),
    ]


@pytest.mark.parametrize(
    ("text", "cited"),
    [
        ("(Wishnick 2020)", ["Wishnick 2020"]),
        ("(Wishnick and Joscelyn, 2020, 12)", ["Wishnick and Joscelyn, 2020, 12"]),
        ("(Wishnick 2020; Thomas n.d.)", ["Wishnick 2020; Thomas n.d."]),
        ("(The World News 2024)", ["The World News 2024"]),
        ("(March 2020)", []),
        ("(in 2020)", []),
        ("(COVID-19 in 2020)", []),
        ("(write to me@example.org)", []),
        ("[@dispatch-2020]", ["@dispatch-2020"]),
        ("[-@dispatch-2020]", ["-@dispatch-2020"]),
    ],
)
def test_what_an_inline_citation_is(text, cited):
    assert [m.text for m in inline_citations(f"Words {text} more.")] == cited


def test_a_quotation_without_any_citation_is_counted_not_checked():
    (q,) = quotations(block("He said “one two three four five” and left."))
    assert q.skip == "unattributed" and q.citation is None


# -- block quotations ----------------------------------------------------------------------


def test_a_block_quotation_is_the_whole_paragraph_without_its_citation():
    found = audited(
        block("Intro:"),
        block("China and Russia may seek to take advantage of it. (Wishnick 2020)", "quote"),
    )
    assert found == [("China and Russia may seek to take advantage of it", "Wishnick 2020")]


def test_block_quotation_paragraphs_share_the_note_of_the_last():
    found = audited(
        block("First paragraph of the long quotation here.", "quote"),
        block("Second paragraph of the long quotation.{3}", "quote"),
        block("The author's own words “not attributed at all here”."),
    )
    assert found == [
        ("First paragraph of the long quotation here", "footnote:3"),
        ("Second paragraph of the long quotation", "footnote:3"),
    ]


def test_a_block_quotation_in_quotation_marks_loses_them():
    found = audited(block("“Whole passage in its own quotation marks.”{1}", "quote"))
    assert found == [("Whole passage in its own quotation marks", "footnote:1")]


# -- what is not audited -------------------------------------------------------------------


def test_short_scare_quotes_and_titles_are_skipped_unless_all():
    blocks = (
        block("A “new era”{1} and the so-called “partnership without any limits”{1}."),
        block(
            "Joscelyn’s “Talk About Your Dangerous Liaisons”{1} and “Xi Embraces Putin Again”{1}."
        ),
    )
    skipped = [(q.text, q.skip) for q in quotations(*blocks)]
    assert skipped == [
        ("new era", "short"),
        ("partnership without any limits", "scare"),
        ("Talk About Your Dangerous Liaisons", "title"),
        ("Xi Embraces Putin Again", "title"),
    ]
    assert [q.skip for q in quotations(*blocks, everything=True)] == ["", "", "", ""]


def test_in_a_note_the_note_attributes_and_its_titles_are_not_quotations():
    note = block(
        "Thomas Joscelyn, “Talk About Your Dangerous Liaisons,” The Dispatch, 2020, quoting "
        "Xi: “mutual support, solidarity and close collaboration.” See also “Dangerous "
        "Liaisons,” and “Masked Diplomacy.”",
        kind="note",
        note="footnote:1",
    )
    found = quotations(note)
    assert [(q.text, q.citation.key, str(q.location)) for q in found] == [
        ("mutual support, solidarity and close collaboration", "footnote:1", "d.docx:fn1:89")
    ]


def test_headings_are_not_searched():
    assert quotations(block("“A heading in quotation marks here”{1}", "heading")) == []
