"""A brief written in Markdown (`.md`, `.qmd`: the Pandoc and Quarto flavour) -> the same
Outline a YAML outline gives, every quotation and citation located in the `.md` file.

- The YAML front matter holds what an outline's top level holds: `title` (required),
  `subtitle`, `author`, `date`, `corpus`, and `summary` and `recommendations` if they are not
  in the body. Keys that only Pandoc or Quarto read (`format`, `bibliography`, `toc`, ...)
  are left to them.
- The body, read with markdown-it-py (CommonMark): the headings of its top level are the
  sections; a paragraph that opens with bold words is an argument (the bold words its claim,
  the rest of the paragraph and the paragraphs after it its text); other paragraphs, list
  items and block quotations are the author's prose: a section's intro before its first
  argument, an argument's text after it. A block quotation (`> …`) that ends with a
  citation is a long quotation, verified like any other.
- Paragraphs before the first heading, or under a heading "Summary", are the summary; the
  list under a heading "Recommendations" holds the recommendations.

Quotations and citations in the prose are read by report.prose, as in a YAML outline.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from report.errors import Location, OutlineError, ReportError
from report.model import Argument, OutlineDefaults, Para, Prose, Section
from report.model import Outline as OutlineModel
from report.readers.mddraft import _locator, _parser
from report.yamlfile import compose_yaml, read_text
from report.yamloutline import _TOP, MAX_OUTLINE_BYTES, _Builder

# Front matter that Pandoc, Quarto or R Markdown read and `report` does not.
PANDOC_KEYS = frozenset(
    {
        "abstract", "bibliography", "citation-location", "classoption", "csl", "documentclass",
        "editor", "engine", "execute", "fontsize", "format", "geometry", "header-includes",
        "include-after", "include-before", "jupyter", "keywords", "knitr",
        "linestretch", "link-citations", "mainfont", "monofont", "nocite", "number-sections",
        "output", "papersize", "params", "reference-section-title", "sansfont",
        "suppress-bibliography", "toc", "toc-depth", "toc-title",
    }
)  # fmt: skip
_FRONT = (_TOP - {"sections"}) | PANDOC_KEYS
_CLAIM = re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1", re.DOTALL)
_SPECIAL = {"summary": "summary", "recommendations": "recommendations"}


def load_markdown_brief(
    path: Path,
    corpus_dir: Path | None = None,
    defaults: OutlineDefaults | None = None,
    folder_needed: bool = True,
) -> OutlineModel:
    """Read and check a Markdown brief; every input error is raised together, located.
    `defaults` and `folder_needed` as for report.outline.load_outline."""
    text = read_text(path, OutlineError, MAX_OUTLINE_BYTES)
    reader = _Reader(path, text, folder_needed)
    return reader.outline(corpus_dir, defaults or OutlineDefaults())


class _Reader:
    def __init__(self, path: Path, text: str, folder_needed: bool = True) -> None:
        self.path = path
        self.file = str(path)
        self.text = text
        self.lines = text.split("\n")
        self.folder_needed = folder_needed  # False: the corpus is in a database
        self.builder: _Builder | None = None
        self.errors: list[ReportError] = []
        # what the body has read so far
        self.summary: list[Para] = []
        self.recommendations: list[Prose] = []
        self.sections: list[dict[str, Any]] = []
        self.where = "summary"  # "summary", "section", "recommendations"
        self.summary_where = Location(self.file, 1, 1)

    def error(self, message: str, line: int, column: int = 1) -> None:
        self.errors.append(OutlineError(message, Location(self.file, line, column)))

    def outline(self, corpus_dir: Path | None, defaults: OutlineDefaults) -> OutlineModel:
        tokens = _parser().parse(self.text)
        front = tokens[0] if tokens and tokens[0].type == "front_matter" else None
        if front is None:
            raise OutlineError(
                "a Markdown brief begins with YAML front matter (between two `---` lines) "
                "that holds at least its title",
                Location(self.file, 1, 1),
            )
        builder = self._front_builder(front)
        self.builder = builder
        fields = self._front_fields(builder, front)
        self._body(tokens[1:], builder)
        summary = fields.get("summary")
        if self.summary:
            if summary is not None:
                self.error(
                    "the summary is both in the front matter and in the body (before the "
                    "first heading or under “Summary”): keep one",
                    summary.location.line,
                )
            summary = Prose(tuple(self.summary), "", self.summary_where)
        recommendations = tuple(fields.get("recommendations") or ()) + tuple(self.recommendations)
        if fields.get("recommendations") and self.recommendations:
            self.error(
                "the recommendations are both in the front matter and under a "
                "“Recommendations” heading: keep one",
                1,
            )
        sections = tuple(self._section(s) for s in self.sections)
        corpus_value = fields.get("corpus")
        root = fields["root"]
        mapping = fields["mapping"]
        if corpus_dir is None:
            corpus_dir = builder._corpus_dir(corpus_value, mapping.get("corpus"), root)
        for error in builder.errors:
            self.errors.append(error)
        if self.errors:
            errors = sorted(self.errors, key=lambda e: (e.location.line, e.location.column))
            raise errors[0] if len(errors) == 1 else _errors(errors)
        return OutlineModel(
            path=self.path,
            title=fields.get("title") or "",
            subtitle=fields.get("subtitle"),
            author=fields.get("author"),
            date=fields.get("date"),
            summary=summary,
            sections=sections,
            recommendations=recommendations,
            corpus_dir=corpus_dir,
            location=Location(self.file, 1, 1),
            lang=fields["lang"] or defaults.lang,
            docx_template=fields["docx_template"] or defaults.docx_template,
            style=fields["style"] or defaults.style,
        )

    # -- front matter ---------------------------------------------------------------------

    def _front_builder(self, front: Any) -> _Builder:
        # The YAML as it stands in the file: lines before it blank, so that every node's
        # line and column are the file's own.
        first = (front.map[0] if front.map else 0) + 1
        yaml_text = "\n" * first + front.content
        return _Builder(self.path, yaml_text, markdown=True, folder_needed=self.folder_needed)

    def _front_fields(self, builder: _Builder, front: Any) -> dict[str, Any]:
        root = compose_yaml(builder.text, self.file, OutlineError)
        if root is None:
            raise OutlineError(
                "the front matter is empty: it needs at least a title", Location(self.file, 1, 1)
            )
        mapping = builder.mapping(root, "the front matter", set(_FRONT))
        own = {k: v for k, v in mapping.items() if k in _TOP}
        title = builder.string(own, "title", "the front matter", root, required=True)
        recs = []
        for n in builder.sequence(own.get("recommendations"), "'recommendations'"):
            if isinstance(n, yaml.ScalarNode) and str(n.value).strip():
                recs.append(builder.prose_node(n, one=True))
            else:
                builder.error("a recommendation must be text", n)
        return {
            "root": root,
            "mapping": own,
            "title": title,
            "subtitle": builder.string(own, "subtitle", "the front matter", root, False),
            "author": builder.string(own, "author", "the front matter", root, False),
            "date": builder.string(own, "date", "the front matter", root, False),
            "corpus": builder.string(own, "corpus", "the front matter", root, False),
            "summary": builder.prose(own, "summary", "the front matter", root),
            "recommendations": recs,
            "lang": builder.lang(own.get("lang")),
            "docx_template": builder.docx_template(own.get("docx_template")),
            "style": builder.style(own.get("style")),
        }

    # -- body -----------------------------------------------------------------------------

    def _body(self, tokens: list[Any], builder: _Builder) -> None:
        levels = [int(t.tag[1:]) for t in tokens if t.type == "heading_open"]
        top = min(levels) if levels else 1
        quote = 0  # inside how many block quotations
        lists: list[list[Any]] = []  # [ordered, next number] of each list we are in
        item_first = False  # the next paragraph is the first of its list item
        i = 0
        while i < len(tokens):
            t = tokens[i]
            kind = t.type
            line = (t.map[0] + 1) if t.map else 0
            if kind == "heading_open":
                self._heading(tokens[i + 1], int(t.tag[1:]), top, line)
                i += 3
                continue
            if kind == "blockquote_open":
                quote += 1
            elif kind == "blockquote_close":
                quote -= 1
            elif kind in ("bullet_list_open", "ordered_list_open"):
                start = int(t.attrGet("start") or 1) if kind == "ordered_list_open" else 0
                lists.append([kind == "ordered_list_open", start])
            elif kind in ("bullet_list_close", "ordered_list_close"):
                lists.pop()
            elif kind == "list_item_open":
                item_first = True
            elif kind == "inline":
                marker = ""
                if lists and item_first and self.where != "recommendations":
                    ordered, number = lists[-1]
                    marker = f"{number}. " if ordered else "\u2022 "
                    if ordered:
                        lists[-1][1] += 1
                item_first = False
                self._inline(t, "quote" if quote else ("item" if lists else "paragraph"), marker)
            elif kind in ("footnote_block_open",):
                self.error(
                    "footnotes are not read in a brief: cite a source with [@id] after the "
                    "words, and report makes the note",
                    self._first_footnote_line(),
                )
                return
            elif kind == "html_block" and t.content.lstrip().startswith("<!--"):
                pass  # a comment, for the author
            elif kind in ("fence", "code_block", "html_block", "table_open"):
                what = {"table_open": "a table", "html_block": "HTML"}.get(kind, "a code block")
                self.error(f"a brief holds prose, not {what}: write it as text", line)
            i += 1

    def _first_footnote_line(self) -> int:
        for k, text in enumerate(self.lines):
            if re.match(r"\s*\[\^[^\]]+\]:", text):
                return k + 1
        return 1

    def _heading(self, inline: Any, level: int, top: int, line: int) -> None:
        from report.readers.mddraft import plain

        title = " ".join(plain(inline.content).split())
        if level > top:
            self.error(
                f"a brief's sections have one level of headings (level {top} here); this "
                f"heading is level {level}: make it a section, or bold words that open a "
                "paragraph (an argument's claim)",
                line,
            )
            return
        special = _SPECIAL.get(title.casefold().rstrip(":"))
        if special is not None:
            self.where = special
            return
        self.where = "section"
        self.sections.append({"heading": title, "line": line, "intro": [], "arguments": []})

    def _inline(self, token: Any, kind: str, marker: str) -> None:
        assert self.builder is not None
        if any(c.type == "footnote_ref" for c in token.children or []):
            self.error(
                "footnotes are not read in a brief: cite a source with [@id] after the words, "
                "and report makes the note",
                token.map[0] + 1 if token.map else 1,
            )
            return
        content = token.content
        locate, _ = _locator(self.file, self.lines, token.map[0], content, None)
        reader = self.builder.prose_reader
        before = len(reader.errors)
        claim_para = None
        rest = content
        shift = 0
        claim = _CLAIM.match(content) if kind == "paragraph" and self.where == "section" else None
        opens = [c.type for c in token.children or [] if c.type != "text" or c.content]
        if claim is not None and opens[:1] == ["strong_open"]:
            claim_para = reader.para(claim.group(2), _shift(locate, claim.start(2)))
            shift = claim.end()
            while shift < len(content) and content[shift].isspace():
                shift += 1
            rest = content[shift:]
        para = reader.para(rest, _shift(locate, shift), kind, marker) if rest.strip() else None
        self.errors.extend(reader.errors[before:])
        del reader.errors[before:]
        where = locate(0)
        if self.where == "summary":
            if para is not None:
                if not self.summary:
                    self.summary_where = where
                self.summary.append(para)
            return
        if self.where == "recommendations":
            if kind != "item" or para is None:
                self.error(
                    "under “Recommendations” a brief holds a list of recommendations only",
                    where.line,
                )
                return
            self.recommendations.append(Prose((Para(para.pieces),), content, where))
            return
        section = self.sections[-1]
        if claim_para is not None:
            section["arguments"].append(
                {
                    "claim": claim_para,
                    "where": where,
                    "text": [] if para is None else [para],
                    "alone": para is None,
                }
            )
        elif section["arguments"]:
            if para is not None:
                section["arguments"][-1]["text"].append(para)
        elif para is not None:
            section["intro"].append(para)

    def _section(self, s: dict[str, Any]) -> Section:
        location = Location(self.file, s["line"], 1)
        arguments = tuple(
            Argument(
                claim=Prose((a["claim"],), "", a["where"]),
                location=a["where"],
                text=Prose(tuple(a["text"]), "", a["where"]) if a["text"] else None,
                alone=a["alone"],
            )
            for a in s["arguments"]
        )
        intro = Prose(tuple(s["intro"]), "", location) if s["intro"] else None
        return Section(heading=s["heading"], location=location, intro=intro, arguments=arguments)


def _shift(locate: Any, by: int) -> Any:
    return lambda offset: locate(offset + by)


def _errors(errors: list[ReportError]) -> ReportError:
    from report.errors import ReportErrors

    return ReportErrors(errors)
