"""Start-up of a check: reading an outline that names no language leaves langcodes (whose
registry data takes 40-140 ms to import) unloaded."""

from __future__ import annotations

from tests.test_startup import _modules_after


def test_an_outline_without_lang_does_not_import_langcodes():
    loaded = _modules_after(
        "from report.outline import load_outline\n"
        "load_outline(__import__('pathlib').Path('outlines/xi-putin.yaml'))"
    )
    assert "report.outline" in loaded
    assert "langcodes" not in loaded



def test_report_init_does_not_import_weasyprint(tmp_path):
    """`report init` copies the templates; it renders nothing."""
    loaded = _modules_after(
        "from report.scaffold import init_project, template_source\n"
        "assert template_source() is not None\n"
        f"init_project(__import__('pathlib').Path({str(tmp_path / 'p')!r}))"
    )
    assert "report.scaffold" in loaded
    assert "weasyprint" not in loaded
