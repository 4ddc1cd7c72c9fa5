"""`report init DIR`: a new project that checks at once, copies the installed templates,
and never overwrites an existing folder."""

from __future__ import annotations

from pathlib import Path

import pytest

from report import scaffold
from report.errors import InitError
from tests.conftest import ROOT


def files_under(folder: Path) -> set[str]:
    return {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()}


def test_init_makes_a_project_that_checks_at_once(tmp_path, invoke):
    project = tmp_path / "brief"
    result = invoke("init", project)
    assert result.code == 0, result.err
    assert {"corpus/sources.yaml", "corpus/example-source.txt", "outlines/example.yaml"} <= (
        files_under(project)
    )
    assert (project / "templates").is_dir()
    assert "report check outlines/example.yaml" in result.out
    check = invoke("check", "outlines/example.yaml", "--strict", "-v", cwd=project)
    assert check.code == 0, check.out + check.err
    assert check.out.splitlines()[-1] == "3 quotes: 3 verified; 1 paraphrase cited"


def test_init_makes_a_project_that_builds_at_once(tmp_path, invoke):
    from pypdf import PdfReader

    project = tmp_path / "brief"
    assert invoke("init", project).code == 0
    result = invoke("build", "outlines/example.yaml", cwd=project)
    assert result.code == 0, result.out + result.err
    pdf = PdfReader(project / "out" / "example.pdf")
    text = " ".join(page.extract_text() for page in pdf.pages)
    assert "Protected Lanes, Open Questions" in text
    assert "paid for twice" in text
    assert (project / "out" / "example.docx").stat().st_size > 0


def test_the_sample_quotes_fail_when_the_source_changes(tmp_path, invoke):
    # The sample is a real check, not a formality: edit a quoted word and it fails.
    project = tmp_path / "brief"
    assert invoke("init", project).code == 0
    source = project / "corpus" / "example-source.txt"
    source.write_text(source.read_text().replace("twice", "once"), encoding="utf-8")
    check = invoke("check", project / "outlines" / "example.yaml")
    assert check.code == 1
    assert "misquote" in check.out


def test_init_copies_the_templates_the_installation_renders_with(tmp_path):
    project = scaffold.init_project(tmp_path / "brief")
    installed = scaffold.template_source()
    if installed is None:
        assert files_under(project.root / "templates") == {"README.txt"}
    else:
        assert files_under(project.root / "templates") == files_under(installed)


def test_init_copies_whatever_templates_hold(tmp_path, monkeypatch):
    templates = tmp_path / "templates"
    (templates / "css").mkdir(parents=True)
    (templates / "brief.html").write_text("<html>{{ brief.title }}</html>")
    (templates / "css" / "brief.css").write_bytes(b"body { font: 11pt serif; }")
    monkeypatch.setattr(scaffold, "template_source", lambda: templates)
    project = scaffold.init_project(tmp_path / "brief")
    assert files_under(project.root / "templates") == {"brief.html", "css/brief.css"}
    assert (project.root / "templates/css/brief.css").read_bytes() == (
        b"body { font: 11pt serif; }"
    )


def test_template_source_finds_the_repository_templates():
    found = scaffold.template_source()
    repo = ROOT / "templates"
    if repo.is_dir() and any(p.is_file() for p in repo.rglob("*")):
        assert found == repo
    else:
        assert found is None or found.is_relative_to(ROOT / "report")


def test_init_into_an_empty_folder_works(tmp_path):
    (tmp_path / "empty").mkdir()
    project = scaffold.init_project(tmp_path / "empty")
    assert (project.outline).is_file()


def test_init_refuses_a_folder_with_files(tmp_path, invoke):
    (tmp_path / "notes.txt").write_text("mine")
    result = invoke("init", tmp_path)
    assert result.code == 2
    assert "already exists and is not an empty folder" in result.err
    assert files_under(tmp_path) == {"notes.txt"}
    with pytest.raises(InitError):
        scaffold.init_project(tmp_path)
