"""A Brief -> the HTML that WeasyPrint sets as the PDF, from the Jinja2 templates in
`templates/` (autoescaped: outline and source text can never become markup)."""

from __future__ import annotations

from pathlib import Path

import jinja2
from markupsafe import Markup, escape

from report.brief import Brief
from report.cite import Rich
from report.errors import Location, RenderError

TEMPLATE = "brief.html.j2"


def render_html(brief: Brief, templates: Path) -> str:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(templates),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["rich"] = rich_html
    try:
        return env.get_template(TEMPLATE).render(brief=brief)
    except jinja2.TemplateSyntaxError as exc:
        raise RenderError(
            f"template error: {exc.message}", Location(str(exc.filename), exc.lineno)
        ) from exc
    except jinja2.TemplateNotFound as exc:
        raise RenderError(f"template '{exc.name}' not found", Location(str(templates))) from exc
    except jinja2.TemplateError as exc:
        raise RenderError(f"template error: {exc}", Location(str(templates / TEMPLATE))) from exc


def rich_html(rich: Rich) -> Markup:
    """Rich text -> escaped HTML with <em>/<strong> for its italic and bold spans."""
    out = []
    for span in rich:
        html = escape(span.text)
        if span.italic:
            html = Markup("<em>%s</em>") % html
        if span.bold:
            html = Markup("<strong>%s</strong>") % html
        out.append(html)
    return Markup("").join(out)
