"""A Brief -> the HTML that WeasyPrint sets as the PDF, from the Jinja2 templates in
`templates/` (autoescaped: outline and source text can never become markup).

A project's templates are data, not code: they come with the outlines, from whoever edits
them, and run in CI. They are rendered in Jinja2's immutable sandbox, which lets a template
read the Brief and call its harmless methods but not reach Python's internals (`__class__`,
`__globals__`: no shell commands, no imports) or change anything. A template may include
only files inside the templates folder, and `*` and `**` may not build huge values. Any
error a template causes is an input error naming the template and its line.
"""

from __future__ import annotations

import math
import operator
from pathlib import Path
from types import TracebackType
from typing import Any

import jinja2
from jinja2.loaders import split_template_path
from jinja2.sandbox import ImmutableSandboxedEnvironment, SecurityError
from markupsafe import Markup, escape

from report.brief import Brief, Note, Paragraph
from report.cite import Rich
from report.errors import Location, RenderError
from report.sources import web_address
from report.yamlfile import read_bytes

TEMPLATE = "brief.html.j2"
MAX_TEMPLATE_BYTES = 1024 * 1024
MAX_VALUE = 10_000_000  # items of a string or list that `*` may make; digits for `**`


class _Sandbox(ImmutableSandboxedEnvironment):
    """Jinja2's immutable sandbox, with `*` and `**` refusing results too large to hold
    (`'x' * 10**10`, `9**9**9`; intercepting them also stops Jinja computing constant
    expressions at compile time)."""

    intercepted_binops = frozenset({"*", "**"})

    def call_binop(self, context: Any, op: str, left: Any, right: Any) -> Any:
        if op == "**" and _big_power(left, right):
            raise SecurityError(f"{_short(left)} ** {_short(right)} is too large")
        if op == "*" and _big_product(left, right):
            raise SecurityError(f"{_short(left)} * {_short(right)} is too large")
        return {"*": operator.mul, "**": operator.pow}[op](left, right)


def _big_power(base: Any, exponent: Any) -> bool:
    if not all(isinstance(x, int) and not isinstance(x, bool) for x in (base, exponent)):
        return False  # floats overflow into an error of their own
    return abs(base) > 1 and exponent * math.log10(abs(base)) > MAX_VALUE


def _big_product(left: Any, right: Any) -> bool:
    for seq, times in ((left, right), (right, left)):
        if isinstance(seq, str | list | tuple) and isinstance(times, int):
            return len(seq) * times > MAX_VALUE
    return False


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 20 else text[:19] + "…"


class _TemplatesOnly(jinja2.BaseLoader):
    """Loads templates from one folder: never a file outside it (`..`, an absolute path or
    a symlink pointing out), never a FIFO or device, never a huge file."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.loaded: set[str] = set()  # the file names given to Jinja2, to find its frames

    def get_source(self, environment: jinja2.Environment, template: str) -> tuple[str, str, Any]:
        path = self.root.joinpath(*split_template_path(template))  # refuses `..`
        try:
            real = path.resolve(strict=True)
        except (OSError, RuntimeError):
            raise jinja2.TemplateNotFound(template) from None
        if not real.is_relative_to(self.root.resolve()):
            raise SecurityError(f"'{template}' is outside the templates folder")
        data = read_bytes(path, RenderError, MAX_TEMPLATE_BYTES)
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise RenderError("the template is not UTF-8 text", Location(str(path))) from exc
        self.loaded.add(str(path))
        return text, str(path), lambda: True


def render_html(brief: Brief, templates: Path) -> str:
    loader = _TemplatesOnly(templates)
    env = _Sandbox(
        loader=loader,
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        finalize=_paragraphs,
    )
    env.filters["rich"] = rich_html
    main = templates / TEMPLATE
    try:
        return env.get_template(TEMPLATE).render(brief=brief)
    except jinja2.TemplateSyntaxError as exc:
        where = Location(str(exc.filename or main), exc.lineno)
        raise RenderError(f"template error: {exc.message}", where) from exc
    except jinja2.TemplateNotFound as exc:
        raise RenderError(f"template '{exc.name}' not found", Location(str(templates))) from exc
    except RenderError:
        raise
    except SecurityError as exc:
        where = _template_line(exc.__traceback__, main, loader.loaded)
        raise RenderError(f"the template may not do this: {exc}", where) from exc
    except Exception as exc:  # the template's own doing: it runs on data we made and checked
        where = _template_line(exc.__traceback__, main, loader.loaded)
        raise RenderError(f"template error: {exc}", where) from exc


def _template_line(tb: TracebackType | None, main: Path, files: set[str]) -> Location:
    """Where in the templates an error arose: Jinja2 rewrites a rendering traceback so that
    its frames carry the template's file name and line; the innermost one is the place."""
    where = Location(str(main))
    while tb is not None:
        if tb.tb_frame.f_code.co_filename in files:
            where = Location(tb.tb_frame.f_code.co_filename, tb.tb_lineno)
        tb = tb.tb_next
    return where


def rich_html(rich: Rich) -> Markup:
    """Rich text -> escaped HTML with <em>/<strong> for its italic and bold spans and <a>
    for its links (http(s) addresses only: report.links), one <a> for neighbouring spans
    with the same address."""
    out: list[Markup] = []
    href: str | None = None
    for span in rich:
        if span.href != href and href is not None:
            out.append(Markup("</a>"))
        if span.href != href and span.href is not None and web_address(span.href):
            out.append(Markup('<a href="%s">') % span.href)
        href = span.href if span.href is not None and web_address(span.href) else None
        html = escape(span.text)
        if span.italic:
            html = Markup("<em>%s</em>") % html
        if span.bold:
            html = Markup("<strong>%s</strong>") % html
        out.append(html)
    if href is not None:
        out.append(Markup("</a>"))
    return Markup("").join(out)


def _paragraphs(value: Any) -> Any:
    """`{{ p }}` of a paragraph of the author's prose writes its words, quotations and note
    marks; anything else is written as it is (and escaped)."""
    return paragraph_html(value) if isinstance(value, Paragraph) else value


def paragraph_html(paragraph: Paragraph) -> Markup:
    """A paragraph's contents -> escaped HTML: emphasis, each quotation in <q> (but in a
    block quotation), each note mark as the footnote it stands for."""
    out = []
    for part in paragraph.parts:
        if isinstance(part, Note) and part.in_text:  # an author-date style's citation
            out.append(Markup(' <span class="citation">%s</span>') % rich_html(part.note))
            continue
        if isinstance(part, Note):
            out.append(Markup('<span class="note">%s</span>') % rich_html(part.note))
            continue
        html = escape(part.text)
        if part.italic:
            html = Markup("<em>%s</em>") % html
        if part.bold:
            html = Markup("<strong>%s</strong>") % html
        if part.quote and not paragraph.block:
            html = Markup('<q data-source="%s">%s</q>') % (part.source_id, html)
        out.append(html)
    return Markup("").join(out)
