"""`report build` end to end: what it writes, what it prints, and that a misquote writes
nothing and leaves no file behind."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import CORPUS, SAMPLE

GOOD = "Russia is very much the junior partner in the bilateral relationship"


def _outline(tmp_path: Path, quote: str = GOOD, speaker: str = "Neil Thomas") -> Path:
    path = tmp_path / "brief.yaml"
    path.write_text(
        f"""title: A small brief
date: 2026-11-26
corpus: {CORPUS}
sections:
  - heading: One
    arguments:
      - claim: Russia is the junior partner.
        evidence:
          - source: cnbc-2021
            quote: {quote}
            speaker: {speaker}
""",
        encoding="utf-8",
    )
    return path


def test_build_writes_pdf_and_docx_and_prints_the_findings(report_cli, invoke, tmp_path):
    """The suite's one build in a process of its own (`python -m report`), fonts and
    renderer loaded afresh; the others run in the test's process."""
    out = tmp_path / "out"
    built = report_cli("build", SAMPLE, "-o", out)
    assert built.code == 0, built.err
    assert sorted(p.name for p in out.iterdir()) == [
        "xi-putin.docx",
        "xi-putin.pdf",
        "xi-putin.quotes.json",
    ]
    assert (out / "xi-putin.pdf").read_bytes().startswith(b"%PDF-")
    assert (out / "xi-putin.docx").read_bytes().startswith(b"PK")
    assert built.out == invoke("check", SAMPLE).out
    assert f"wrote {out / 'xi-putin.pdf'}" in built.err
    # the ledger written beside the brief re-verifies every quote from anywhere
    again = invoke("check", "--ledger", out / "xi-putin.quotes.json", cwd=tmp_path)
    assert again.code == 0, again.out + again.err
    assert again.out.splitlines()[-1].startswith("21 quotes: 21 verified")


def test_a_misquote_builds_nothing_and_prints_what_check_prints(invoke, tmp_path):
    outline = _outline(tmp_path, quote=GOOD.replace("junior", "senior"))
    out = tmp_path / "out"
    out.mkdir()
    (out / "brief.pdf").write_bytes(b"the previous build")
    built = invoke("build", outline, "-o", out)
    assert built.code == 1
    assert "misquote" in built.out
    assert built.out == invoke("check", outline).out
    assert "nothing written" in built.err
    assert [p.name for p in out.iterdir()] == ["brief.pdf"]  # no .docx, no temporary file
    assert (out / "brief.pdf").read_bytes() == b"the previous build"


def test_one_bad_outline_stops_every_outline(invoke, tmp_path):
    bad = _outline(tmp_path, quote=GOOD.replace("junior", "senior"))
    built = invoke("build", SAMPLE, bad, "-o", tmp_path / "out")
    assert built.code == 1
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(("strict", "code"), [(False, 0), (True, 1)])
def test_strict_turns_warnings_into_failures(invoke, tmp_path, strict, code):
    outline = _outline(tmp_path, speaker="Nobody Atall")
    out = tmp_path / "out"
    built = invoke("build", outline, "-o", out, *(["--strict"] if strict else []))
    assert built.code == code
    assert "speaker not found" in built.out
    assert (out / "brief.pdf").exists() is not strict


def test_json_format(invoke, tmp_path):
    import json

    built = invoke("build", _outline(tmp_path), "-o", tmp_path / "out", "--format", "json")
    assert built.code == 0
    assert json.loads(built.out)["summary"]["verified"] == 1


def test_input_errors_exit_2_without_a_traceback(invoke, tmp_path):
    built = invoke("build", tmp_path / "missing.yaml", "-o", tmp_path / "out")
    assert built.code == 2
    assert "Traceback" not in built.err
    assert not (tmp_path / "out").exists()


def test_default_output_folder_is_out(invoke, tmp_path):
    outline = _outline(tmp_path)
    built = invoke("build", outline, cwd=tmp_path)
    assert built.code == 0, built.err
    assert (tmp_path / "out" / "brief.docx").exists()


def test_a_projects_own_templates_are_used_and_their_errors_are_input_errors(invoke, tmp_path):
    import shutil

    from tests.conftest import ROOT

    (tmp_path / "outlines").mkdir()
    outline = _outline(tmp_path / "outlines")
    shutil.copytree(ROOT / "templates", tmp_path / "templates")
    page = tmp_path / "templates" / "brief.html.j2"
    page.write_text(page.read_text().replace("{% endfor %}", "{% endfor", 1))
    built = invoke("build", outline, "-o", tmp_path / "out")
    assert built.code == 2
    assert "brief.html.j2:" in built.err and "template error" in built.err
    assert "Traceback" not in built.err
    assert not (tmp_path / "out").exists()


def test_document_dates_come_from_the_outline_else_source_date_epoch(monkeypatch, tmp_path):
    from datetime import UTC, datetime

    from report.build import timestamp
    from report.outline import load_outline

    dated = load_outline(_outline(tmp_path))
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    assert timestamp(dated) == datetime(2026, 11, 26, tzinfo=UTC)
    undated = tmp_path / "undated.yaml"
    undated.write_text(
        (tmp_path / "brief.yaml").read_text().replace("date: 2026-11-26\n", ""), "utf-8"
    )
    assert timestamp(load_outline(undated)) == datetime.fromtimestamp(1700000000, UTC)
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    assert timestamp(load_outline(undated)) is None
