"""Project settings: report.toml or [tool.report] in pyproject.toml, found from the working
folder upwards, give the options their defaults; the command line wins over the environment,
which wins over the file; `report config` says what is in effect and where it comes from;
a wrong key or value is a located input error."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from report.cli import cli
from report.config import KEYS, load_config
from report.errors import ReportError
from report.scaffold import init_project


@pytest.fixture
def project(tmp_path) -> Path:
    return init_project(tmp_path / "brief").root


def settings(invoke, cwd: Path, env: dict | None = None) -> dict:
    result = invoke("config", "--format", "json", cwd=cwd, env=env)
    assert result.code == 0, result.err
    return json.loads(result.out)


# -- where the settings come from -----------------------------------------------------------


def test_no_settings_file_leaves_the_defaults(invoke, project):
    result = invoke("config", cwd=project)
    assert result.code == 0, result.err
    assert result.out.startswith("# no settings file")
    assert 'format = "text"' in result.out and "# default" in result.out
    doc = settings(invoke, project)
    assert doc["file"] is None
    assert doc["settings"]["strict"] == {"value": False, "origin": "default"}


def test_report_toml_sets_the_defaults_of_check(invoke, project):
    (project / "report.toml").write_text('format = "json"\nstrict = true\n', encoding="utf-8")
    result = invoke("check", "outlines/example.yaml", cwd=project)
    assert result.code == 0, result.err
    summary = json.loads(result.out)["summary"]
    assert summary["strict"] is True and summary["verified"] == 3


def test_the_command_line_wins_over_the_file(invoke, project):
    (project / "report.toml").write_text('format = "json"\nstrict = true\n', encoding="utf-8")
    result = invoke(
        "check", "outlines/example.yaml", "--format", "text", "--no-strict", cwd=project
    )
    assert result.code == 0, result.err
    assert result.out.splitlines()[-1] == "3 quotes: 3 verified; 1 paraphrase cited"


def test_paths_are_relative_to_the_file_found_in_a_folder_above(invoke, project):
    corpus = project / "corpus"
    corpus.rename(project / "sources")
    (project / "report.toml").write_text('corpus = "sources"\nout = "dist"\n', encoding="utf-8")
    outlines = project / "outlines"
    result = invoke("build", "example.yaml", cwd=outlines)
    assert result.code == 0, result.out + result.err
    assert (project / "dist" / "example.pdf").stat().st_size > 0
    assert not (outlines / "out").exists()
    doc = settings(invoke, outlines)
    assert doc["file"] == str(project / "report.toml")
    assert doc["settings"]["corpus"] == {"value": "../sources", "origin": "../report.toml:1:1"}
    assert doc["settings"]["out"] == {"value": "../dist", "origin": "../report.toml:2:1"}


def test_pyproject_tool_report_is_read_and_report_toml_beside_it_wins(invoke, project):
    (project / "pyproject.toml").write_text(
        '[project]\nname = "x"\n\n[tool.report]\nformat = "junit"\nstrict = true\n',
        encoding="utf-8",
    )
    doc = settings(invoke, project)
    assert doc["file"] == str(project / "pyproject.toml")
    assert doc["settings"]["format"] == {"value": "junit", "origin": "pyproject.toml:5:1"}
    assert doc["settings"]["strict"]["origin"] == "pyproject.toml:6:1"
    (project / "report.toml").write_text('format = "github"\n', encoding="utf-8")
    doc = settings(invoke, project)
    assert doc["file"] == str(project / "report.toml")
    assert doc["settings"]["format"]["value"] == "github"
    assert doc["settings"]["strict"] == {"value": False, "origin": "default"}  # one file only


def test_the_nearest_folder_wins_and_a_pyproject_without_the_table_is_passed_by(invoke, tmp_path):
    (tmp_path / "report.toml").write_text('format = "sarif"\n', encoding="utf-8")
    inner = tmp_path / "a" / "b"
    inner.mkdir(parents=True)
    # another tool's pyproject.toml, even a broken one, is not report's business
    (tmp_path / "a" / "pyproject.toml").write_text("[project\nname = 'report-lab'", "utf-8")
    assert settings(invoke, inner)["settings"]["format"]["value"] == "sarif"
    (tmp_path / "a" / "report.toml").write_text('format = "json"\n', encoding="utf-8")
    assert settings(invoke, inner)["settings"]["format"]["value"] == "json"


def test_environment_between_the_command_line_and_the_file(invoke, project, tmp_path):
    (project / "report.toml").write_text('cache-dir = "from-file"\n', encoding="utf-8")
    check = ("check", "outlines/example.yaml")
    assert invoke(*check, cwd=project).code == 0
    assert (project / "from-file").is_dir()

    env_dir = tmp_path / "from-env"
    env = {"REPORT_CACHE_DIR": str(env_dir)}
    doc = settings(invoke, project, env)
    assert doc["settings"]["cache-dir"] == {
        "value": str(env_dir),
        "origin": "environment REPORT_CACHE_DIR",
    }
    assert invoke(*check, cwd=project, env=env).code == 0
    assert env_dir.is_dir()

    flag_dir = tmp_path / "from-flag"
    assert invoke(*check, "--cache-dir", flag_dir, cwd=project, env=env).code == 0
    assert flag_dir.is_dir()


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        ("postgresql://analyst:s3cret@db:5432/corpus", "postgresql://analyst:***@db:5432/corpus"),
        ("postgresql://db/corpus?password=s3cret&sslmode=require",
         "postgresql://db/corpus?password=***&sslmode=require"),
        ("host=db password='s3 cret' dbname=corpus", "host=db password=*** dbname=corpus"),
        ("postgresql:///corpus", "postgresql:///corpus"),
    ],
)  # fmt: skip
def test_a_database_password_is_never_shown(url, shown):
    from report.config import hide_password

    assert hide_password(url) == shown


def test_report_config_hides_a_database_password(invoke, project):
    (project / "report.toml").write_text(
        'database = "postgresql://analyst:s3cret@db.example/corpus"\n', encoding="utf-8"
    )
    result = invoke("config", cwd=project)
    assert "s3cret" not in result.out
    assert 'database = "postgresql://analyst:***@db.example/corpus"' in result.out


def test_style_lang_template_and_pdf_variant_dress_the_brief(invoke, project):
    from docx import Document
    from docx.shared import Cm

    house = Document()
    house.sections[0].page_width = Cm(14.8)  # A5: the Word brief takes the template's page
    house.save(str(project / "house.docx"))
    (project / "report.toml").write_text(
        'style = "apa"\nlang = "de"\ntemplate = "house.docx"\npdf-variant = "pdf/a-3b"\n',
        encoding="utf-8",
    )
    result = invoke("build", "outlines/example.yaml", cwd=project)
    assert result.code == 0, result.out + result.err
    assert "report.toml:3:1: warning: the Word template has no style" in result.err

    import pikepdf
    from pypdf import PdfReader

    pdf = pikepdf.open(project / "out" / "example.pdf")
    assert pdf.open_metadata().get("pdfaid:part") == "3" and str(pdf.Root.Lang) == "de"
    text = "".join(page.extract_text() for page in PdfReader(project / "out/example.pdf").pages)
    assert "„A lane that is empty from" in text  # German quotation marks
    assert "(Example, 2025)" in text  # APA: author and year in the text
    assert "Example, A. (2025, Januar 15)." in text  # ... and a German date in the list
    word = Document(str(project / "out" / "example.docx"))
    assert round(word.sections[0].page_width.cm, 1) == 14.8


def test_an_outline_s_own_style_and_lang_win_over_the_settings(project):
    from report.outline import load_outline

    (project / "report.toml").write_text('style = "apa"\nlang = "de"\n', encoding="utf-8")
    defaults = load_config(project).outline_defaults()
    assert defaults.lang == "de" and defaults.style.name.startswith("apa")
    outline = project / "outlines" / "example.yaml"
    assert load_outline(outline, defaults=defaults).lang == "de"
    text = outline.read_text(encoding="utf-8").replace("# lang: en ", "lang: fr-CA ")
    text = text.replace("# style: chicago-notes-bibliography ", "style: harvard ")
    outline.write_text(text, encoding="utf-8")
    own = load_outline(outline, defaults=defaults)
    assert own.lang == "fr-CA" and own.style.name.startswith("harvard")


def test_every_key_is_the_default_of_an_option_that_exists():
    for key in KEYS.values():
        for command, param in key.params.items():
            options = [p for p in cli.commands[command].params if p.name == param]
            [option] = options
            assert option.envvar == key.envvar, (command, param)
            if key.default is not None:  # what `report config` says is the option's default
                assert option.default == key.default or str(option.default) == key.default


# -- mistakes are located input errors -------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            'out = "dist"\ncorpse = "c"\n',
            "report.toml:2:1: unknown key 'corpse' in report.toml (did you mean 'corpus'?",
        ),
        ('strict = "yes"\n', "report.toml:1:10: 'strict' must be true or false, not 'yes'"),
        ("out = 3\n", "report.toml:1:7: 'out' must be a path (text), not the number 3"),
        ('corpus = ""\n', "report.toml:1:10: 'corpus' must be a path (text), not empty text"),
        (
            'format = "xml"\n',
            "report.toml:1:10: 'format' must be one of github, json, junit, sarif, text, not 'xml'",
        ),
        ("[check]\nstrict = true\n", "report.toml:1:1: unknown key 'check' in report.toml"),
        ('style = "chicgo"\n', "report.toml:1:9: unknown citation style 'chicgo': use one of"),
        ('lang = "en_GB"\n', "report.toml:1:8: 'lang' must be a BCP 47 language tag"),
        (
            'template = "house.docx"\n',
            "report.toml:1:12: template 'house.docx' does not exist (",
        ),
        (
            'pdf-variant = "pdf/z"\n',
            "report.toml:1:15: 'pdf-variant' must be one of pdf/a-1a, pdf/a-1b, ",
        ),
        ('strict = true\nformat = "text\n', "report.toml:2:15: not valid TOML: illegal character"),
    ],
)
def test_a_mistake_in_report_toml_is_located(invoke, project, text, message):
    (project / "report.toml").write_text(text, encoding="utf-8")
    for command in (("config",), ("check", "outlines/example.yaml")):
        result = invoke(*command, cwd=project)
        assert result.code == 2, result.out + result.err
        assert result.err.startswith(message), result.err
        assert "Traceback" not in result.err and result.out == ""


def test_every_mistake_is_listed_before_one_abort(invoke, project):
    (project / "pyproject.toml").write_text(
        '[project]\nname = "x"\n\n[tool.report]\n  "strict" = 1\nlanguage = "fr"\n',
        encoding="utf-8",
    )
    result = invoke("config", cwd=project)
    assert result.code == 2
    assert result.err.splitlines() == [
        "pyproject.toml:5:14: 'strict' must be true or false, not the number 1",
        "pyproject.toml:6:1: unknown key 'language' in [tool.report] (did you mean 'lang'? keys: "
        + ", ".join(KEYS)
        + ")",
    ]


def test_a_tool_report_that_is_not_a_table_is_located(project):
    (project / "pyproject.toml").write_text('[tool]\nreport = "yes"\n', encoding="utf-8")
    with pytest.raises(ReportError, match="must be a table"):
        load_config(project)
