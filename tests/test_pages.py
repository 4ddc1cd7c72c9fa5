"""Page numbers: a quote from a PDF cites the page it is on (the printed label), and an
evidence item's `page:` is checked against it (wrong_page fails the run, in every format)."""

from __future__ import annotations

import json
import shutil

import pytest

from report.findings import Pages
from report.verify import on_pages
from tests.citeproject import make_project
from tests.conftest import invoke_report


def _check(tmp_path, pages: str, *args: str):
    outline = make_project(tmp_path, pages=pages)
    return invoke_report("check", outline, "--no-cache", *args, cwd=tmp_path)


@pytest.mark.parametrize("given", ["47699-47700", "47699–700", "47699, 47700", "47698-47701"])
def test_a_page_the_quote_is_on_verifies(tmp_path, given):
    result = _check(tmp_path, f'"{given}"')
    assert result.code == 0, result.out


@pytest.mark.parametrize("given", ["12", "47699", "47700", "47701-47702"])
def test_a_page_the_quote_is_not_on_fails_with_the_page_where_it_is(tmp_path, given):
    result = _check(tmp_path, f'"{given}"', "--format", "json")
    assert result.code == 1
    [failed] = [q for q in json.loads(result.out)["quotes"] if q["failed"]]
    assert failed["status"] == "wrong_page"
    assert failed["page"] == {"given": given, "found": "47699–47700", "pdf_pages": [2, 3]}
    assert failed["outline"]["line"] == 14
    assert json.loads(result.out)["summary"]["wrong_page"] == 1


def test_wrong_page_reads_like_a_compiler_error_and_in_ci_formats(tmp_path):
    result = _check(tmp_path, "12")
    assert (
        "outlines/citations.yaml:14:20: wrong page: not on page 12 of faa-2020: the quote is "
        "on pp. 47699–47700 (PDF pages 2–3, at corpus/faa.pdf:p2:42:1)"
    ) in result.out
    assert "9 quotes: 8 verified, 1 wrong page" in result.out
    github = invoke_report("check", "outlines/citations.yaml", "--format", "github", cwd=tmp_path)
    assert "::error file=outlines/citations.yaml,line=14,col=20,title=report%3A wrong page::" in (
        github.out
    )
    junit = invoke_report("check", "outlines/citations.yaml", "--format", "junit", cwd=tmp_path)
    assert 'type="wrong_page"' in junit.out
    sarif = invoke_report("check", "outlines/citations.yaml", "--format", "sarif", cwd=tmp_path)
    assert '"ruleId": "wrong_page"' in sarif.out


def test_a_page_for_a_source_without_pages_fails(tmp_path):
    outline = make_project(tmp_path)
    text = outline.read_text().replace(
        "            quote: reaffirmed China’s commitment to firmly support Russia\n",
        "            quote: reaffirmed China’s commitment to firmly support Russia\n"
        "            page: 3\n",
    )
    outline.write_text(text)
    result = invoke_report("check", outline, "--no-cache", cwd=tmp_path)
    assert result.code == 1
    assert "page 3 given, but cnbc-2021" in result.out and "has no pages" in result.out


def test_a_wrong_page_builds_nothing(tmp_path):
    _check(tmp_path, "12")
    result = invoke_report("build", "outlines/citations.yaml", "-o", "out", cwd=tmp_path)
    assert result.code == 1 and not (tmp_path / "out").exists()


def test_page_and_paragraph_are_input_errors_when_malformed(tmp_path):
    outline = make_project(tmp_path, pages="[1, 2]")
    result = invoke_report("check", outline, cwd=tmp_path)
    assert result.code == 2
    assert "citations.yaml:15:19: 'page' must be a page number" in result.err
    shutil.rmtree(tmp_path / "outlines")


def test_pages_are_named_by_label_ranges_and_lists():
    two = Pages(2, 3, "47699", "47700")
    assert on_pages("47699-47700", two) and on_pages("47699–700", two)
    assert not on_pages("47699", two) and not on_pages("2-3", two)
    roman = Pages(1, 1, "iv", "iv")
    assert on_pages("IV", roman) and on_pages("iii, iv", roman) and not on_pages("4", roman)
    assert not on_pages("1", None)
