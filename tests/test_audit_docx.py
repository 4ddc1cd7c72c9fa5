"""`report audit` of Word drafts built with python-docx: every finding, where it is, in every
output format, and the annotated copy's comments (report.audit, report.annotate)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from report.readers.docxdraft import read_docx_draft
from tests.audittools import audit_cli, parts, project, word_comments
from tests.conftest import OUTLINES, ROOT
from tests.draftmaker import Del, DraftBuilder, Endnote, Ins, Note

SAMPLE_DRAFT = OUTLINES / "xi-putin-draft.docx"
DISPATCH = "Thomas Joscelyn, “Talk About Your Dangerous Liaisons,” The Dispatch, March 21, 2020."
CNBC = "CNBC, December 2021."


@pytest.fixture
def proj(tmp_path):
    return project(tmp_path)


def write(proj: Path, builder: DraftBuilder, name: str = "draft.docx") -> Path:
    path = proj / "drafts" / name
    path.write_bytes(builder.bytes())
    return path


def audit_json(proj: Path, draft: Path, *args: str) -> tuple[int, dict]:
    ran = audit_cli(draft.relative_to(proj), "--format", "json", *args, cwd=proj)
    assert ran.code in (0, 1), ran.err
    return ran.code, json.loads(ran.out)


def brief(doc: dict) -> list[tuple[str, str, str]]:
    """(status, where in the draft, source) of each result."""
    out = []
    for q in doc["quotes"]:
        loc = q["outline"]
        unit = {"paragraph": "¶", "footnote": "fn", "endnote": "en"}[loc["unit"]]
        out.append((q["status"], f"{unit}{loc['line']}:{loc['column']}", q["source"]))
    return out


# -- the sample draft -----------------------------------------------------------------------


def test_the_sample_draft_audits_to_exactly_its_two_planted_misquotes(tmp_path):
    ran = audit_cli(SAMPLE_DRAFT, "--format", "json", "--cache-dir", tmp_path / "cache", cwd=ROOT)
    doc = json.loads(ran.out)
    failed = [q for q in doc["quotes"] if q["failed"]]
    assert ran.code == 1
    assert [(q["status"], q["source"], q["diff"]) for q in failed] == [
        ("misquote", "cnbc-2021", "+ very much"),
        ("misquote", "cnbc-2021", "- fully + firmly"),
    ]
    assert [str(q["outline"]["line"]) + ":" + str(q["outline"]["column"]) for q in failed] == [
        "10:213",
        "10:295",
    ]
    assert doc["summary"]["verified"] == doc["summary"]["quotes"] - 2 == 14
    assert doc["summary"]["warnings"] == 0
    # every linked source is the one the outline names for the same words
    assert {q["source"] for q in doc["quotes"]} == {
        "dispatch-2020", "ponars-643", "cnbc-2021", "embrace-2024"
    }  # fmt: skip
    assert doc["draft"]["tracked_changes"] == {"accepted": True, "insertions": 1, "deletions": 1}
    assert doc["draft"]["skipped"] == {"unattributed": 2}


def test_the_sample_draft_is_what_its_script_writes(tmp_path):
    out = tmp_path / "again.docx"
    subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "make_sample_draft.py"), str(out)],
        check=True,
        capture_output=True,
        timeout=120,
    )
    assert out.read_bytes() == SAMPLE_DRAFT.read_bytes()


# -- what is found, and where ---------------------------------------------------------------


def rich_draft() -> DraftBuilder:
    b = DraftBuilder()
    b.heading("A “heading in quotation marks with a note”", 1)
    b.para(
        "Putin said China “has set an example for the international community,”",
        Note(DISPATCH),
        " and Xi spoke of “mutual support, solidarity and close collaboration between China "
        "and Russia.”",
        Note("Ibid."),
    )
    b.para(
        "China and Russia may seek to take advantage of a leadership vacuum, but they did "
        "not create it.",
        Note("Wishnick, “Masked Diplomacy.”"),
        style="Quote",
    )
    b.para(
        "Russia’s war machine is bolstered by Chinese semiconductors and other dual-use "
        "technologies",
        Endnote("“Xi’s Warm Embrace of Putin in China Is a Defiance of the West,” 2024."),
        style="Intense Quote",
    )
    b.para(
        "Mr. Xi will probably do as much as he can to back Mr. Putin, but he will ultimately "
        "be guided only by the West’s best interests.",
        Endnote("Ibid."),
        indent_cm=1.27,
    )
    b.table(
        [
            [
                ("Neil Thomas",),
                ("“Russia is very much the junior partner in the relationship”", Note(CNBC)),
            ],
            [
                ("Angela Stent",),
                (
                    "“Russia is very much the junior partner in the bilateral relationship”",
                    Note("Ibid."),
                ),
            ],
        ]
    )
    b.para(
        "A note can quote too.",
        Note(
            "CNBC, December 2021, quoting Neil Thomas: “Beijing and Moscow are forging "
            "closer ties because both governments view shallow bilateral cooperation as "
            "beneficial.”"
        ),
    )
    return b


def test_footnotes_endnotes_block_quotes_and_tables(proj):
    draft = write(proj, rich_draft())
    code, doc = audit_json(proj, draft)
    assert code == 1
    assert brief(doc) == [
        ("verified", "¶2:19", "dispatch-2020"),
        ("verified", "¶2:89", "dispatch-2020"),  # Ibid.
        ("verified", "¶3:1", "ponars-643"),  # Quote style
        ("verified", "¶4:1", "embrace-2024"),  # Intense Quote, an endnote
        ("misquote", "¶5:1", "embrace-2024"),  # indented; endnote Ibid.
        ("misquote", "¶7:2", "cnbc-2021"),  # a table cell
        ("verified", "¶9:2", "cnbc-2021"),
        ("misquote", "fn6:45", "cnbc-2021"),  # inside the note that attributes it
    ]
    by_place = {f"{s}@{w}": q for (s, w, _), q in zip(brief(doc), doc["quotes"], strict=True)}
    assert by_place["misquote@¶5:1"]["diff"] == "- the West's + China's"
    assert by_place["misquote@¶7:2"]["diff"] == "+ bilateral"
    assert by_place["misquote@fn6:45"]["diff"] == "- shallow + deeper"
    assert by_place["verified@¶2:89"]["note"]["text"] == "Ibid."
    assert by_place["verified@¶2:89"]["note"]["location"]["unit"] == "footnote"
    assert by_place["verified@¶4:1"]["note"]["location"]["unit"] == "endnote"


def test_tracked_changes_are_read_accepted_and_the_output_says_so(proj):
    b = DraftBuilder()
    b.para(  # correct only with the changes accepted
        "Putin said China “has set an ",
        Del("fine "),
        Ins("example "),
        "for the international community.”",
        Note(DISPATCH),
    )
    b.para(  # correct only with the changes rejected
        "Xi spoke of “mutual support, ",
        Del("solidarity "),
        "and close collaboration between China and Russia.”",
        Note("Ibid."),
    )
    # a paragraph whose mark was deleted runs on into the next: one quotation
    b.para("He also “responded, loud and clear, to the", mark_deleted=True)
    b.para(" provocation and stigmatization by some country.”", Note("Ibid."))
    draft = write(proj, b)
    out = proj / "changes.docx"
    ran = audit_cli(draft.relative_to(proj), "-v", "--annotate", out, "--annotate-all", cwd=proj)
    assert ran.code == 1
    lines = ran.out.splitlines()
    assert lines[1] == (
        "drafts/draft.docx: audited as it reads with its tracked changes accepted "
        "(1 insertion, 3 deletions)"
    )
    assert [
        line.split(": ")[0:2] for line in lines if ": verified:" in line or ": misquote:" in line
    ] == [
        ["drafts/draft.docx:¶1:19", "verified"],
        ["drafts/draft.docx:¶2:14", "misquote"],
        ["drafts/draft.docx:¶3:10", "verified"],
    ]
    assert "+ solidarity" in ran.out
    # comments anchor on the text as it reads, over a run-on paragraph too
    anchors = [anchor for anchor, _ in word_comments(out.read_bytes())]
    assert anchors == [
        "“has set an example for the international community.”",
        "“mutual support, and close collaboration between China and Russia.”",
        "“responded, loud and clear, to the provocation and stigmatization by some country.”",
    ]
    # the tracked changes are still there, for the editor to accept or reject
    assert parts(out.read_bytes())["word/document.xml"].count(b"<w:del ") == 3


def test_a_note_that_names_no_single_source_is_source_unknown(proj):
    b = DraftBuilder()
    b.para(
        "He said “has set an example for the international community.”",
        Note("This was widely reported."),
    )
    b.para("And “China is not alone in spreading disinformation.”", Note("[@ponars-64]"))
    draft = write(proj, b)
    code, doc = audit_json(proj, draft)
    assert code == 1
    first, second = doc["quotes"]
    assert (first["status"], first["failed"], first["source"]) == ("source_unknown", True, "")
    assert first["note"]["text"] == "This was widely reported."
    assert first["message"].startswith(
        "its citation at drafts/draft.docx:fn1:1 names no single source of the corpus: "
        "'This was widely reported.': it names no source"
    )
    assert second["note"]["candidates"] == ["ponars-643"]
    assert "did you mean ponars-643?" in second["message"]
    assert doc["summary"]["source_unknown"] == 2


def test_documents_outside_the_corpus_are_listed_once_and_fail_only_strict(proj):
    other = "Jane Doe, “A Book Nobody Quoted Here,” Foreign Affairs, 2019."
    b = DraftBuilder()
    b.para("She wrote “words that are in a book outside the corpus”", Note(other))
    b.para("and “more words from the same book outside it”", Note(other))
    b.para("Putin said China “has set an example for the international community.”", Note(DISPATCH))
    draft = write(proj, b)
    ran = audit_cli(draft.relative_to(proj), cwd=proj)
    assert ran.code == 0, ran.out
    assert ran.out.splitlines()[1:] == [
        "drafts/draft.docx:fn1:1: warning: not in corpus: cites a document that is not in the "
        "corpus: 'Jane Doe, “A Book Nobody Quoted Here,” Foreign Affairs, 2019.'; 2 quotations "
        "attributed to it not checked",
        "2 quotes: 1 verified, 1 not in corpus; 1 warning",
    ]
    strict = audit_cli(draft.relative_to(proj), "--strict", "--format", "json", cwd=proj)
    assert strict.code == 1
    doc = json.loads(strict.out)
    assert [(q["status"], q["failed"]) for q in doc["quotes"]] == [
        ("not_in_corpus", True),
        ("verified", False),
    ]


@pytest.mark.parametrize("fmt", ["github", "junit", "sarif"])
def test_every_ci_format_locates_findings_in_the_draft(proj, fmt):
    draft = write(proj, rich_draft())
    ran = audit_cli(draft.relative_to(proj), "--format", fmt, cwd=proj)
    assert ran.code == 1
    if fmt == "github":
        errors = [line for line in ran.out.splitlines() if line.startswith("::error")]
        assert len(errors) == 3
        assert errors[0].startswith(
            "::error file=drafts/draft.docx,line=5,col=1,title=report%3A misquote::not found in "
            "embrace-2024"
        )
        assert "%0Adiff:    - the West's + China's" in errors[0]
    elif fmt == "junit":
        root = ET.fromstring(ran.out.split("\n", 1)[1])
        assert (root.get("tests"), root.get("failures")) == ("8", "3")
        failures = [f.get("type") for f in root.iter("failure")]
        assert failures == ["misquote"] * 3
    else:
        run = json.loads(ran.out)["runs"][0]
        regions = [
            (r["ruleId"], r["locations"][0]["physicalLocation"]["region"]) for r in run["results"]
        ]
        assert regions == [
            ("misquote", {"startLine": 5, "startColumn": 1}),
            ("misquote", {"startLine": 7, "startColumn": 2}),
            ("misquote", {"startLine": 6, "startColumn": 45}),
        ]
    assert "audited" in ran.err  # what was audited, on stderr beside a CI format


def test_short_quotations_are_audited_with_all(proj):
    b = DraftBuilder()
    b.para(
        "Putin praised the “international community”",
        Note(DISPATCH),
        " and “a lone superpower”.",
        Note("Ibid."),
    )
    draft = write(proj, b)
    plain = audit_cli(draft.relative_to(proj), cwd=proj)
    assert plain.code == 0 and plain.out.splitlines()[0] == (
        "drafts/draft.docx: 2 quotations, 0 audited; not audited: 2 of fewer than 4 words "
        "(--all audits them)"
    )
    code, doc = audit_json(proj, draft, "--all")
    assert code == 0
    assert [(q["status"], q["quote"]) for q in doc["quotes"]] == [
        ("verified", "international community"),
        ("verified", "a lone superpower"),
    ]
    assert [w["kind"] for w in doc["quotes"][0]["warnings"]] == ["too_short"]


# -- the annotated copy ---------------------------------------------------------------------


def test_annotated_copy_has_a_comment_on_each_finding_and_is_otherwise_the_draft(proj):
    draft = write(proj, rich_draft())
    before = draft.read_bytes()
    out = proj / "out" / "annotated.docx"
    ran = audit_cli(draft.relative_to(proj), "--annotate", out, cwd=proj)
    assert ran.code == 1 and f"wrote {out}" in ran.err
    assert draft.read_bytes() == before  # the draft itself is never written
    comments = word_comments(out.read_bytes())
    assert [anchor for anchor, _ in comments] == [
        "Mr. Xi will probably do as much as he can to back Mr. Putin, but he will ultimately "
        "be guided only by the West’s best interests.",
        "“Russia is very much the junior partner in the relationship”",
        "[note]",  # the misquote inside footnote 6: on its reference mark
    ]
    first, table, note = (text for _, text in comments)
    assert first.splitlines() == [
        "report: misquote: not found in embrace-2024",
        "quote: Mr. Xi will probably do as much as he can to back Mr. Putin, but he will "
        "ultimately be guided only by [-the West's-] best interests",
        "closest: embrace-2024 at corpus/002_5db01695cbfe8d3b.txt:41:123 (95% similar)",
        "Mr. Xi will probably do as much as he can to back Mr. Putin, but he will ultimately "
        "be guided only by {+China’s+} best interests",
        "diff: - the West's + China's  (substantive: 2 changed words)",
    ]
    assert "+ bilateral" in table
    assert note.startswith("In footnote 6: “Beijing and Moscow are forging closer ties")
    assert "- shallow + deeper" in note
    # The copy reads exactly as the draft: same paragraphs, notes and text.
    original = read_docx_draft(draft, "d")
    copy = read_docx_draft(out, "d")
    assert [b.text for b in copy.blocks] == [b.text for b in original.blocks]
    assert [n.text for n in copy.notes.values()] == [n.text for n in original.notes.values()]
    # Only the parts comments live in differ.
    old, new = parts(before), parts(out.read_bytes())
    changed = {name for name in new if old.get(name) != new[name]}
    assert changed == {
        "word/document.xml",
        "word/comments.xml",
        "word/_rels/document.xml.rels",
        "[Content_Types].xml",
    }


def test_annotate_all_comments_on_verified_quotations_too(proj):
    b = DraftBuilder()
    b.para("Putin said China “has set an example for the international community.”", Note(DISPATCH))
    draft = write(proj, b)
    out = proj / "all.docx"
    assert audit_cli(draft.relative_to(proj), "--annotate", out, cwd=proj).code == 0
    assert word_comments(out.read_bytes()) == []
    assert (
        audit_cli(draft.relative_to(proj), "--annotate", out, "--annotate-all", cwd=proj).code == 0
    )
    ((anchor, text),) = word_comments(out.read_bytes())
    assert anchor == "“has set an example for the international community.”"
    assert text == (
        "report: verified: found in dispatch-2020 at corpus/000_c697aafe88a72626.txt:21:388"
    )


def test_a_comment_starting_inside_a_run_splits_it_and_changes_no_text(proj):
    b = DraftBuilder()
    p = b.para(
        "Intro words. He said “Russia is the junior partner in the bilateral relationship” "
        "and so on."
    )
    b.fill(p, (Note(CNBC),))
    draft = write(proj, b)
    out = proj / "split.docx"
    audit_cli(draft.relative_to(proj), "--annotate", out, cwd=proj)
    ((anchor, _),) = word_comments(out.read_bytes())
    assert anchor == "“Russia is the junior partner in the bilateral relationship”"
    assert [b.text for b in read_docx_draft(out, "d").blocks] == [
        b.text for b in read_docx_draft(draft, "d").blocks
    ]


def test_an_indent_makes_a_block_quotation_only_beyond_the_usual_one(proj):
    b = DraftBuilder()
    for _ in range(3):  # a document whose text is all indented by 1.27 cm
        b.para(
            "Thomas said “Russia is very much the junior partner in the bilateral "
            "relationship” and more of the author’s own words follow here.",
            Note(CNBC),
            indent_cm=1.27,
        )
    b.para(
        "BEIJING — International pressure may have pushed China and Russia closer together",
        Note("Ibid."),
        indent_cm=2.54,
    )
    draft = write(proj, b)
    code, doc = audit_json(proj, draft)
    assert code == 0
    assert [(q["outline"]["column"], q["quote"][:24]) for q in doc["quotes"]] == [
        (14, "Russia is very much the "),  # inline quotations of body paragraphs
        (14, "Russia is very much the "),
        (14, "Russia is very much the "),
        (1, "BEIJING — International "),  # the one indented further is a block quotation
    ]


def test_the_draft_s_own_comments_stay(proj):
    b = DraftBuilder()
    p = b.para("An editor’s remark on this sentence. ")
    b.document.add_comment(p.runs[0], text="Check the date.", author="Editor", initials="E")
    b.fill(p, ("Thomas said “Russia is the junior partner in the bilateral relationship.”",))
    b.fill(p, (Note(CNBC),))
    draft = write(proj, b)
    out = proj / "both.docx"
    assert audit_cli(draft.relative_to(proj), "--annotate", out, cwd=proj).code == 1
    comments = word_comments(out.read_bytes())
    assert [(anchor, text.splitlines()[0]) for anchor, text in comments] == [
        ("An editor’s remark on this sentence. ", "Check the date."),
        (
            "“Russia is the junior partner in the bilateral relationship.”",
            "report: misquote: not found in cnbc-2021",
        ),
    ]


def test_a_package_that_inflates_too_far_is_refused_before_it_is_read(proj, monkeypatch):
    import zipfile

    import report.readers.docxdraft

    # the bound scaled down (512 MB in use): a 3 MB part where 2 MB may be inflated
    monkeypatch.setattr(report.readers.docxdraft, "MAX_INFLATED_BYTES", 2 * 1024 * 1024)
    path = proj / "drafts" / "bomb.docx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("word/document.xml", b"<" + b" " * (3 * 1024 * 1024))
    ran = audit_cli("drafts/bomb.docx", cwd=proj)
    assert ran.code == 2
    assert (
        ran.err
        == "drafts/bomb.docx: the Word file inflates to 3 MB; report reads drafts of up to 2 MB\n"
    )


def _strict_ooxml(path: Path) -> None:
    import zipfile

    with zipfile.ZipFile(path, "w") as z:
        z.writestr(
            "_rels/.rels",
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Target="word/document.xml" '
            'Type="http://purl.oclc.org/ooxml/officeDocument/relationships/officeDocument"/>'
            "</Relationships>",
        )


# -- input errors ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("make", "args", "message"),
    [
        (
            lambda p: p.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100),
            (),
            "old Word 97-2003 file",
        ),
        (lambda p: p.write_text("plain text"), (), "not a .docx (zip) package"),
        (lambda p: p.write_bytes(b"PK\x03\x04broken"), (), "cannot read the Word file"),
        (_strict_ooxml, (), "saved as Strict Open XML"),
        (None, (), "no such file"),
        (
            lambda p: p.write_bytes(DraftBuilder().bytes()),
            ("--annotate", "out.pdf"),
            "give it the suffix .docx",
        ),
        (
            lambda p: p.write_bytes(DraftBuilder().bytes()),
            ("--annotate", "drafts/draft.docx"),
            "would overwrite the draft",
        ),
        (
            lambda p: p.write_bytes(DraftBuilder().bytes()),
            ("--corpus", "nowhere"),
            "the corpus folder does not exist",
        ),
    ],
)
def test_input_errors_are_located_and_exit_2(proj, make, args, message):
    draft = proj / "drafts" / "draft.docx"
    if make is not None:
        make(draft)
    before = draft.read_bytes() if draft.exists() else None
    ran = audit_cli("drafts/draft.docx", *args, cwd=proj)
    assert ran.code == 2, ran.out
    assert (
        ran.err.startswith(("drafts/draft.docx: ", "out.pdf: ", "nowhere: ")) and message in ran.err
    )
    assert ran.out == ""
    if before is not None:
        assert draft.read_bytes() == before


def test_a_draft_of_another_kind_and_a_draft_without_a_corpus(tmp_path):
    (tmp_path / "notes.txt").write_text("x")
    ran = audit_cli("notes.txt", cwd=tmp_path)
    assert ran.code == 2 and "reads Word drafts (.docx) and Markdown drafts" in ran.err
    (tmp_path / "d.docx").write_bytes(DraftBuilder().bytes())
    ran = audit_cli("d.docx", cwd=tmp_path)
    assert ran.code == 2 and "no corpus folder" in ran.err and "--corpus" in ran.err


def test_annotate_all_needs_annotate(proj):
    (proj / "drafts" / "d.docx").write_bytes(DraftBuilder().bytes())
    ran = audit_cli("drafts/d.docx", "--annotate-all", cwd=proj)
    assert ran.code == 2 and "--annotate-all needs --annotate" in ran.err


def test_the_corpus_is_found_beside_the_draft_s_folder(tmp_path):
    project(tmp_path)
    b = DraftBuilder()
    b.para("Putin said China “has set an example for the international community.”", Note(DISPATCH))
    write(tmp_path, b)
    elsewhere = tmp_path / "drafts" / "sub"
    elsewhere.mkdir()
    ran = audit_cli(tmp_path / "drafts" / "draft.docx", "--format", "json", cwd=elsewhere)
    assert ran.code == 0, ran.err
    assert json.loads(ran.out)["quotes"][0]["location"]["file"].endswith("000_c697aafe88a72626.txt")
    shutil.rmtree(tmp_path / ".report-cache", ignore_errors=True)
