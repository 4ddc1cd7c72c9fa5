"""The brief's own typography: the quotation marks of its language, nested ones alternating,
apostrophes kept, no doubled full stop; styles named in an outline; organisations as authors."""

from __future__ import annotations

import shutil

import pytest

from report import typography
from report.brief import Quote
from report.cite import STYLES
from report.csl import as_name
from tests.citeproject import make_project
from tests.conftest import invoke_report


def _inline(text: str, lang: str = "en", in_text: bool = False) -> str:
    q = Quote(1, text, "s", "X", "author", None, "", False, (), lang=lang, in_text=in_text)
    return q.inline + q.tail


@pytest.mark.parametrize(
    ("text", "lang", "shown"),
    [
        ("…‘The farmers can’t handle it.’", "en", "“…‘The farmers can’t handle it.’”"),
        ("the „richtigen“ Weg", "en", "“the ‘richtigen’ Weg.”"),
        ("the „richtigen“ Weg", "de", "„the ‚richtigen‘ Weg“."),
        ("il dit « bonjour » et", "ru", "«il dit „bonjour“ et»."),
        ("rock ’n’ roll in the ’90s", "fr", "«\u00a0rock ’n’ roll in the ’90s\u00a0»."),
        ("he said “we ‘never’ go”", "en", "“he said ‘we “never” go.’”"),
        ("a farmers’ union", "en", "“a farmers’ union.”"),
    ],
)
def test_quotation_marks_nest_by_language(text, lang, shown):
    assert _inline(text, lang) == shown


def test_an_in_text_citation_takes_the_quotes_full_stop():
    assert _inline("It ended.", in_text=True) == "“It ended”."
    assert _inline("Did it end?", in_text=True) == "“Did it end?”."


def test_authors_typed_marks_take_the_languages():
    assert typography.curl("\"new era\" and 'old' don't", lang="de") == "„new era“ and ‚old‘ don’t"
    assert typography.curl('"x"') == "“x”"


def test_a_style_is_a_bundled_name_or_a_csl_file(tmp_path):
    outline = make_project(tmp_path, "style: ieee")
    result = invoke_report("check", outline, cwd=tmp_path)
    assert result.code == 2
    assert "citations.yaml:3:8: unknown citation style 'ieee': use one of" in result.err
    shutil.copy(STYLES / "apa-7th-edition.csl", tmp_path / "outlines" / "house.csl")
    outline.write_text(outline.read_text().replace("style: ieee", "style: house.csl"))
    result = invoke_report("build", outline, "-o", tmp_path / "out", cwd=tmp_path)
    assert result.code == 0, result.err
    (tmp_path / "outlines" / "house.csl").write_text("<html/>")
    result = invoke_report("check", outline, cwd=tmp_path)
    assert result.code == 2 and "is not a CSL style" in result.err


def test_organisations_are_not_inverted_as_persons():
    assert as_name("Federal Aviation Administration") == {
        "literal": "Federal Aviation Administration"
    }
    assert as_name("Reliance Industries Limited") == {"literal": "Reliance Industries Limited"}
    assert as_name("Thomas Joscelyn") == {"given": "Thomas", "family": "Joscelyn"}
    assert as_name({"literal": "Policy Desk"}) == {"literal": "Policy Desk"}
