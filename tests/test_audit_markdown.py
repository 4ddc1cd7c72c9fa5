"""`report audit` of Markdown drafts (Pandoc, Quarto): footnotes, Pandoc citations, block
quotations, lists and tables, each finding at the file's LINE:COL (report.readers.mddraft)."""

from __future__ import annotations

import json

from tests.audittools import audit_cli, project

DRAFT = """\
---
title: Solidarity Without Alliance
bibliography: ignored.bib
---
# Pandemic diplomacy

Putin said China “has set *an* example for the
international community,”[^joscelyn] and Xi praised “mutual support, solidarity and
close collaboration between China and Russia” [@dispatch-2020].

> China and Russia may seek to take advantage of a leadership vacuum, but they did not
> create it, nor do they have the soft power resources to overcome it. [@ponars-643]

- Thomas: “Russia is the junior partner in the bilateral relationship.”[^cnbc]
- A “new era” and `“code in quotation marks is not a quotation”`[^cnbc].

| Analyst | Said |
|---|---|
| Kuhrt | “It doesn’t want to be shackled to a corpse.”^[“Xi’s Warm Embrace,” The World News.] |

Jane Doe wrote that “words from a book nobody here has read”[^doe].

[^joscelyn]: Thomas Joscelyn, “Talk About Your Dangerous Liaisons,” *The Dispatch*,
    March 21, 2020.
[^cnbc]: [CNBC](https://www.cnbc.com/2021/12/15/china-russia.html), December 2021.
[^doe]: Jane Doe, *A Book Nobody Here Has Read* (London, 2019).
"""


def test_a_markdown_draft_is_audited_like_a_word_one(tmp_path):
    root = project(tmp_path)
    (root / "drafts" / "brief.md").write_text(DRAFT, encoding="utf-8")
    ran = audit_cli("drafts/brief.md", "--format", "json", cwd=root)
    assert ran.code == 1, ran.err
    doc = json.loads(ran.out)
    found = [
        (q["status"], f"{q['outline']['line']}:{q['outline']['column']}", q["source"], q["quote"])
        for q in doc["quotes"]
    ]
    assert found == [
        ("verified", "7:19", "dispatch-2020", "has set an example for the international community"),
        (
            "verified",
            "8:54",
            "dispatch-2020",
            "mutual support, solidarity and close collaboration between China and Russia",
        ),
        (
            "verified",
            "11:3",
            "ponars-643",
            "China and Russia may seek to take advantage of a leadership vacuum, but they did "
            "not create it, nor do they have the soft power resources to overcome it",
        ),
        (
            "misquote",
            "14:12",
            "cnbc-2021",
            "Russia is the junior partner in the bilateral relationship",
        ),
        ("verified", "19:12", "embrace-2024", "It doesn’t want to be shackled to a corpse"),
        ("not_in_corpus", "26:9", "", "words from a book nobody here has read"),
    ]
    assert doc["quotes"][3]["diff"] == "+ very much"
    assert "unit" not in doc["quotes"][0]["outline"]  # a text file: line and column
    assert doc["draft"] == {
        "file": "drafts/brief.md",
        "quotations": 7,
        "audited": 6,
        "skipped": {"short": 1},
        "tracked_changes": {"accepted": False, "insertions": 0, "deletions": 0},
    }


def test_the_text_report_names_the_markdown_lines(tmp_path):
    root = project(tmp_path)
    (root / "drafts" / "brief.md").write_text(DRAFT, encoding="utf-8")
    ran = audit_cli("drafts/brief.md", cwd=root)
    assert ran.code == 1
    assert ran.out.splitlines()[0] == (
        "drafts/brief.md: 7 quotations, 6 audited; not audited: 1 of fewer than 4 words "
        "(--all audits them)"
    )
    assert "drafts/brief.md:14:12: misquote: not found in cnbc-2021" in ran.out
    assert (
        "drafts/brief.md:26:9: warning: not in corpus: cites a document that is not in the "
        "corpus: 'Jane Doe, A Book Nobody Here Has Read (London, 2019).'"
    ) in ran.out


def test_annotate_needs_a_word_draft(tmp_path):
    root = project(tmp_path)
    (root / "drafts" / "brief.md").write_text(DRAFT, encoding="utf-8")
    ran = audit_cli("drafts/brief.md", "--annotate", "out.docx", cwd=root)
    assert ran.code == 2
    assert ran.err.startswith("out.docx: --annotate writes Word comments: the draft is not")
    assert not (root / "out.docx").exists()
