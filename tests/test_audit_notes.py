"""Which corpus source a note or an inline citation names (report.notelink): by id, URL,
"Ibid.", or title and author; ambiguous and unknown citations say so, and citations of
documents outside the corpus are told apart from both."""

from __future__ import annotations

import shutil

import pytest

from report.corpus import load_corpus
from report.notelink import Linker
from tests.conftest import CORPUS


@pytest.fixture(scope="module")
def linker(tmp_path_factory):
    folder = tmp_path_factory.mktemp("corpus")
    for f in CORPUS.iterdir():
        shutil.copy(f, folder)
    # A second article by the same author, and a URL, to tell sources apart by.
    text = (CORPUS / "sources.yaml").read_text(encoding="utf-8")
    text = text.replace(
        "  date: 2020-03-21\n",
        "  date: 2020-03-21\n  url: https://thedispatch.com/newsletter/vital-interests/talk-about/\n",
    )
    text += (
        "\n- id: dispatch-2021\n  file: 000_c697aafe88a72626.txt\n"
        "  title: Another Dispatch on China\n  author: Thomas Joscelyn\n  date: 2021-05-02\n"
    )
    # the same file twice is refused: a copy of it
    shutil.copy(folder / "000_c697aafe88a72626.txt", folder / "copy.txt")
    text = text.replace(
        "  file: 000_c697aafe88a72626.txt\n  title: Another", "  file: copy.txt\n  title: Another"
    )
    (folder / "sources.yaml").write_text(text, encoding="utf-8")
    return Linker(load_corpus(folder))


def one(linker: Linker, text: str, urls: tuple[str, ...] = ()):
    (cited,) = linker.link(text, urls)
    return cited


@pytest.mark.parametrize(
    ("note", "source"),
    [
        ("[@ponars-643]", "ponars-643"),
        ("@ponars-643, p. 3", "ponars-643"),
        ("See ponars-643 for the memo.", "ponars-643"),
        ("[@Ponars-643]", "ponars-643"),  # ids are matched without regard to case
        ("https://thedispatch.com/newsletter/vital-interests/talk-about", "dispatch-2020"),
        ("Online at www.thedispatch.com/newsletter/vital-interests/talk-about/.", "dispatch-2020"),
        (
            "Thomas Joscelyn, “Talk About Your Dangerous Liaisons,” The Dispatch, March 21, 2020.",
            "dispatch-2020",
        ),
        ("Joscelyn, “Dangerous Liaisons.”", "dispatch-2020"),  # a short title with its author
        ("Wishnick, “Masked Diplomacy.”", "ponars-643"),  # the title's first words
        ("Wishnick 2020", "ponars-643"),  # author-date
        ("CNBC, December 2021.", "cnbc-2021"),  # an unsigned article: publication and year
        (
            "“China and Russia Show Solidarity, but Likely Won’t Support Each Other "
            "Militarily, Analysts Say,” CNBC.",
            "cnbc-2021",
        ),
        ("Xi’s Warm Embrace of Putin in China Is a Defiance of the West (2024)", "embrace-2024"),
    ],
)
def test_a_note_names_its_source(linker, note, source):
    cited = one(linker, note)
    assert (cited.source, cited.outside, cited.reason) == (source, False, "")


def test_a_link_target_names_the_source_the_text_does_not(linker):
    cited = one(
        linker,
        "The Dispatch newsletter.",
        ("https://thedispatch.com/newsletter/vital-interests/talk-about/",),
    )
    assert cited.source == "dispatch-2020"


def test_several_citations_in_one_note(linker):
    cited = linker.link("Wishnick, “Masked Diplomacy”; CNBC, December 2021; [@embrace-2024].")
    assert [c.source for c in cited] == ["ponars-643", "cnbc-2021", "embrace-2024"]


def test_ibid_takes_the_note_before_it(linker):
    links = linker.link_notes(
        [("fn:1", "Wishnick 2020.", ()), ("fn:2", "Ibid., 4.", ()), ("fn:3", "Id.", ())]
    )
    assert [[c.source for c in links[k]] for k in ("fn:1", "fn:2", "fn:3")] == [
        ["ponars-643"],
        ["ponars-643"],
        ["ponars-643"],
    ]
    (first,) = linker.link("Ibid.")
    assert first.source is None and "no note before it" in first.reason
    # endnotes are a sequence of their own
    links = linker.link_notes([("footnote:1", "Wishnick 2020.", ()), ("endnote:1", "Ibid.", ())])
    assert links["endnote:1"][0].source is None


def test_an_author_with_two_sources_and_no_title_is_ambiguous(linker):
    cited = one(linker, "Thomas Joscelyn, The Dispatch.")
    assert cited.source is None and not cited.outside
    assert set(cited.candidates) == {"dispatch-2020", "dispatch-2021"}
    assert "without naming it for sure" in cited.reason


def test_two_sources_that_fit_equally_are_named(linker):
    cited = one(linker, "Joscelyn, The Dispatch, 2020 and 2021.")
    assert cited.source is None and set(cited.candidates) == {"dispatch-2020", "dispatch-2021"}
    assert cited.reason.startswith("it could mean")


def test_a_mistyped_id_is_unknown_with_a_suggestion(linker):
    cited = one(linker, "[@dispatch-202]")
    assert cited.source is None and not cited.outside
    assert cited.reason == "no source has the id 'dispatch-202' (did you mean dispatch-2020?)"


@pytest.mark.parametrize(
    "note",
    [
        "Jane Doe, “A Book Nobody Quoted Here,” Foreign Affairs, 2019.",
        "https://example.org/other-article",
        "[@smith-on-trade]",
        # an author of the corpus, but another work of hers, by its title
        "Elizabeth Wishnick, “Russia, China and the Arctic,” Asia Policy, 2018.",
    ],
)
def test_a_document_outside_the_corpus(linker, note):
    cited = one(linker, note)
    assert cited.outside and cited.source is None


def test_a_note_that_cites_nothing_is_unknown(linker):
    cited = one(linker, "This was widely reported at the time.")
    assert cited.source is None and not cited.outside
    assert cited.reason.startswith("it names no source")
