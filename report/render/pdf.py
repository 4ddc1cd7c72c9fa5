"""A Brief -> PDF bytes: the HTML of report.render.html set by WeasyPrint.

WeasyPrint may load only files inside the templates folder (the stylesheet, images a
designer adds): no network, no other file. A template that asks for anything else fails
the build with a RenderError naming what it asked for.
"""

from __future__ import annotations

import hashlib
import mimetypes
from pathlib import Path
from urllib.parse import unquote, urlsplit

from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

from report.brief import Brief
from report.errors import Location, RenderError
from report.render.html import TEMPLATE, render_html


class TemplatesOnly(URLFetcher):
    """A WeasyPrint URL fetcher that serves files inside one folder and refuses the rest."""

    def __init__(self, root: Path) -> None:
        super().__init__(allowed_protocols={"file"})
        self.root = root.resolve()
        self.refused: list[str] = []

    def fetch(self, url: str, headers: dict[str, str] | None = None) -> URLFetcherResponse:
        path = self._path(url)
        if path is None:
            self.refused.append(url)
            raise ValueError(f"refused: {url} (only files inside {self.root} may be loaded)")
        mime, _ = mimetypes.guess_type(path.name)
        return URLFetcherResponse(
            path.as_uri(), path.read_bytes(), {"Content-Type": mime or "application/octet-stream"}
        )

    def _path(self, url: str) -> Path | None:
        parts = urlsplit(url)
        if parts.scheme != "file" or parts.netloc not in ("", "localhost"):
            return None
        try:
            path = Path(unquote(parts.path)).resolve(strict=True)
        except (OSError, RuntimeError):
            return None
        return path if path.is_relative_to(self.root) and path.is_file() else None


def render_pdf(brief: Brief, templates: Path) -> bytes:
    html = render_html(brief, templates)
    fetcher = TemplatesOnly(templates)
    document = HTML(
        string=html, base_url=(templates.resolve() / TEMPLATE).as_uri(), url_fetcher=fetcher
    )
    # The file identifier is derived from the content, so that two builds of the same
    # brief give the same bytes.
    identifier = hashlib.sha256(html.encode("utf-8")).hexdigest()[:32].encode("ascii")
    pdf = document.write_pdf(pdf_identifier=identifier)
    if fetcher.refused:
        raise RenderError(
            f"the templates asked for {fetcher.refused[0]}: only files inside the templates "
            "folder may be loaded",
            Location(str(templates / TEMPLATE)),
        )
    assert pdf is not None
    return pdf
