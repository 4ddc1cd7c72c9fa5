"""Renderers: a Brief -> HTML (Jinja2) -> PDF (WeasyPrint); a Brief -> Word (python-docx).

This module itself imports neither: the command line and `report init` read its names."""

from pathlib import Path

# The PDF variants `report build --pdf-variant` offers: WeasyPrint's (report.render.pdf
# checks that they are), named here so that the command line need not import WeasyPrint.
PDF_VARIANTS = (
    "pdf/a-1a", "pdf/a-1b", "pdf/a-2a", "pdf/a-2b", "pdf/a-2u", "pdf/a-3a", "pdf/a-3b",
    "pdf/a-3u", "pdf/a-4e", "pdf/a-4f", "pdf/a-4u", "pdf/ua-1", "pdf/ua-2", "pdf/x-1a",
    "pdf/x-3", "pdf/x-4", "pdf/x-5g",
)  # fmt: skip
DEFAULT_PDF_VARIANT = "pdf/ua-1"  # tagged, accessible: what public bodies must publish

TEMPLATES = "templates"
_PACKAGE = Path(__file__).resolve().parent.parent


def builtin_templates() -> Path | None:
    """The templates this installation ships: inside the installed package (a wheel), or the
    repository's templates/ beside the package (a source checkout or editable install)."""
    for candidate in (_PACKAGE / TEMPLATES, _PACKAGE.parent / TEMPLATES):
        if (candidate / "brief.html.j2").is_file():
            return candidate
    return None
