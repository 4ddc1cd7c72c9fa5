"""`report audit` with LibreOffice on the other side: a draft that LibreOffice wrote (from
an OpenDocument file with footnotes, an endnote, a Quotations paragraph, an indented one, a
table and tracked changes) audits as Word's would, and the annotated copies open in
LibreOffice with every comment on the words it belongs to (LibreOffice converts them to
OpenDocument, whose office:annotation elements are read back).

These tests need `soffice` (scripts/system-deps.sh installs it); in CI they fail without it.
"""

from __future__ import annotations

import json

import pytest

from tests.audittools import audit_cli, odt_comments, project, soffice_convert, word_comments
from tests.test_audit_docx import rich_draft

_FODT_FRAME = """<?xml version="1.0" encoding="UTF-8"?>
<office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
 xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"
 xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"
 xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0"
 xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0"
 xmlns:dc="http://purl.org/dc/elements/1.1/" office:version="1.3"
 office:mimetype="application/vnd.oasis.opendocument.text">
<office:automatic-styles>
 <style:style style:name="Indented" style:family="paragraph" style:parent-style-name="Standard">
  <style:paragraph-properties fo:margin-left="1.5cm"/></style:style>
</office:automatic-styles>
<office:body><office:text>
<text:tracked-changes>
 <text:changed-region text:id="ct1"><text:insertion><office:change-info>
  <dc:creator>Editor</dc:creator><dc:date>2026-01-05T10:00:00</dc:date>
 </office:change-info></text:insertion></text:changed-region>
 <text:changed-region text:id="ct2"><text:deletion><office:change-info>
  <dc:creator>Editor</dc:creator><dc:date>2026-01-05T10:00:00</dc:date>
 </office:change-info><text:p>real</text:p></text:deletion></text:changed-region>
</text:tracked-changes>
{body}
</office:text></office:body></office:document>
"""


def _note(kind: str, number: int, text: str) -> str:
    """A footnote or endnote as OpenDocument has it: the citation, then the body."""
    style = "Footnote" if kind == "footnote" else "Endnote"
    return (
        f'<text:note text:id="{kind[:2]}{number}" text:note-class="{kind}">'
        f"<text:note-citation>{number}</text:note-citation><text:note-body>"
        f'<text:p text:style-name="{style}">{text}</text:p></text:note-body></text:note>'
    )


def _p(style: str, *content: str) -> str:
    return f'<text:p text:style-name="{style}">{"".join(content)}</text:p>'


_CELL = '<table:table-cell office:value-type="string"><text:p>{}</text:p></table:table-cell>'
_BODY = "".join(
    [
        '<text:h text:outline-level="1">Pandemic diplomacy</text:h>',
        _p(
            "Standard",
            "Putin said China “has set an example for the international community.”",
            _note(
                "footnote",
                1,
                "Thomas Joscelyn, “Talk About Your Dangerous Liaisons,” The Dispatch, "
                "March 21, 2020.",
            ),
            " Two years on, “Western leaders looking for signs of any ",
            '<text:change text:change-id="ct2"/><text:change-start text:change-id="ct1"/>',
            'meaningful<text:change-end text:change-id="ct1"/>',
            " divergence between Mr. Xi and Mr. Putin”",
            _note(
                "endnote",
                1,
                "“Xi’s Warm Embrace of Putin in China Is a Defiance of the West,” The World "
                "News, 2024.",
            ),
            " found none.",
        ),
        _p(
            "Quotations",
            "China and Russia may seek to take advantage of a leadership vacuum, but they did "
            "not create it.",
            _note("footnote", 2, "Wishnick, “Masked Diplomacy.”"),
        ),
        _p(
            "Indented",
            "Mr. Xi will probably do as much as he can to back Mr. Putin, but he will "
            "ultimately be guided only by China’s best interests. (Wishnick 2020)",
        ),
        '<table:table table:name="T1"><table:table-column table:number-columns-repeated="2"/>',
        "<table:table-row>",
        _CELL.format("Kuhrt"),
        _CELL.format("“It does not want to be shackled to a corpse.” [@embrace-2024]"),
        "</table:table-row></table:table>",
    ]
)
_FODT = _FODT_FRAME.replace("{body}", _BODY)


@pytest.fixture(scope="module")
def office(tmp_path_factory):
    """A LibreOffice profile of this module's (and this test worker's) own."""
    return tmp_path_factory.mktemp("soffice-profile")


@pytest.fixture(scope="module")
def lo_project(tmp_path_factory, office):
    """A project whose draft LibreOffice wrote: drafts/lo.docx, from drafts/lo.fodt."""
    root = project(tmp_path_factory.mktemp("lo"))
    source = root / "drafts" / "lo.fodt"
    source.write_text(_FODT, encoding="utf-8")
    soffice_convert([source], "docx:MS Word 2007 XML", root / "drafts", office)
    return root


def test_a_draft_libreoffice_wrote_audits_like_a_word_one(lo_project):
    ran = audit_cli("drafts/lo.docx", "--format", "json", cwd=lo_project)
    assert ran.code == 1, ran.err
    doc = json.loads(ran.out)
    found = [
        (q["status"], f"{q['outline']['line']}:{q['outline']['column']}", q["source"])
        for q in doc["quotes"]
    ]
    assert found == [
        ("verified", "2:19", "dispatch-2020"),  # a footnote
        ("verified", "2:87", "embrace-2024"),  # an endnote; read with the change accepted
        ("verified", "3:1", "ponars-643"),  # LibreOffice's Quotations style
        ("wrong_source", "4:1", "ponars-643"),  # indented, cited (Wishnick 2020)
        ("misquote", "6:2", "embrace-2024"),  # a table cell, cited [@embrace-2024]
    ]
    assert [q["outline"]["unit"] for q in doc["quotes"]] == ["paragraph"] * 5
    assert [q["note"]["location"]["unit"] for q in doc["quotes"][:3]] == [
        "footnote",
        "endnote",
        "footnote",
    ]
    assert doc["quotes"][3]["found_in"] == "embrace-2024"
    assert doc["quotes"][4]["diff"] == "- does not + doesn't"
    assert doc["draft"]["tracked_changes"] == {"accepted": True, "insertions": 1, "deletions": 1}


def test_annotated_copies_open_in_libreoffice_with_every_comment(lo_project, office, tmp_path):
    (lo_project / "drafts" / "word.docx").write_bytes(rich_draft().bytes())
    copies = []
    for name in ("lo", "word"):
        out = tmp_path / f"{name}-annotated.docx"
        ran = audit_cli(f"drafts/{name}.docx", "--annotate", out, cwd=lo_project)
        assert ran.code == 1, ran.err
        copies.append(out)
    odts = soffice_convert(copies, "odt", tmp_path / "odt", office)
    for copy, odt in zip(copies, odts, strict=True):
        in_word = word_comments(copy.read_bytes())
        in_libreoffice = odt_comments(odt)
        assert in_word, copy.name
        # every comment, on the same words, saying the same thing (LibreOffice keeps the
        # comment's paragraphs as paragraphs)
        assert [a for a, _ in in_libreoffice] == [a for a, _ in in_word]
        assert [t for _, t in in_libreoffice] == [t for _, t in in_word]
    lo_comments = odt_comments(odts[0])
    assert [a for a, _ in lo_comments] == [
        "Mr. Xi will probably do as much as he can to back Mr. Putin, but he will ultimately "
        "be guided only by China’s best interests.",
        "“It does not want to be shackled to a corpse.”",
    ]
    wrong, misquote = (t.splitlines() for _, t in lo_comments)
    assert wrong[0] == (
        "report: wrong source: not in ponars-643, but found verbatim in embrace-2024 at "
        "corpus/002_5db01695cbfe8d3b.txt:41:123"
    )
    assert misquote[0] == "report: misquote: not found in embrace-2024"
    assert misquote[-1] == "diff: - does not + doesn't  (substantive: 2 changed words)"
    word_anchors = [a for a, _ in odt_comments(odts[1])]
    assert word_anchors[-1] == "[note]"  # the quotation inside a footnote: on its mark
