"""A source file's bytes -> its text layer, by file type.

`.html`/`.htm` (report.readers.htmltext), `.pdf` (pdftext), `.docx` (docxtext) and
Markdown, `.md`/`.markdown`/`.qmd`/`.rmd` (mdtext), have readers of their own; every other
file is read as UTF-8 plain text (report.textlayer, which drops loose Markdown markup too).
Each reader returns the same plain-data TextLayer, so normalising, matching and locating
work the same for every format.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from report.errors import CorpusError
from report.textlayer import TextLayer, text_layer
from report.yamlfile import decode_text

Reader = Callable[[bytes, str], TextLayer]


def _plain(data: bytes, shown: str) -> TextLayer:
    return text_layer(decode_text(data, shown, CorpusError))


def _html(data: bytes, shown: str) -> TextLayer:
    from report.readers.htmltext import html_layer

    return html_layer(data, shown)


def _markdown(data: bytes, shown: str) -> TextLayer:
    from report.readers.mdtext import markdown_layer

    return markdown_layer(decode_text(data, shown, CorpusError))


def _pdf(data: bytes, shown: str) -> TextLayer:
    from report.readers.pdftext import pdf_layer  # pdfminer is slow to import: only when needed

    return pdf_layer(data, shown)


def _docx(data: bytes, shown: str) -> TextLayer:
    from report.readers.docxtext import docx_layer

    return docx_layer(data, shown)


READERS: dict[str, Reader] = {
    ".html": _html,
    ".htm": _html,
    ".pdf": _pdf,
    ".docx": _docx,
    ".md": _markdown,
    ".markdown": _markdown,
    ".qmd": _markdown,
    ".rmd": _markdown,
}


def reader_tag(path: Path) -> str:
    """Which reader builds a file's text layer ("" for plain text): part of its cache key,
    since the same bytes named .html and .md have different text layers."""
    reader = READERS.get(path.suffix.lower())
    return reader.__name__.lstrip("_") if reader is not None else ""


def layer_of(path: Path, data: bytes, shown: str) -> TextLayer:
    """The text layer of a file's bytes, read by the reader its suffix names."""
    return READERS.get(path.suffix.lower(), _plain)(data, shown)
