"""An outline YAML file -> a validated Outline, every node located by file:line:column.

The node tree (report.yamlfile) is checked against the spec's schema here, collecting every
error with its line before one abort. The prose fields (`summary`, `intro`, `claim`, `text`,
`recommendations`) are read by report.prose, which finds the quotations and citations in
them. A Markdown brief (`.md`, `.qmd`) is read by report.mdbrief into the same Outline,
its front matter checked by the same builder; report.outline.load_outline reads either.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from report.errors import Location, OutlineError
from report.model import (
    Argument,
    DocxTemplate,
    Evidence,
    Locator,
    Outline,
    OutlineDefaults,
    Prose,
    Section,
)
from report.prose import ProseReader
from report.quote import quote_problem
from report.yamlfile import (
    ErrorList,
    compose_yaml,
    is_null,
    line_starts,
    mark_location,
    node_kind,
    one_line,
    read_text,
    scalar_locator,
    shown,
)

MAX_OUTLINE_BYTES = 8 * 1024 * 1024  # composed YAML takes ~80x its size in memory

_TOP = {
    "title", "subtitle", "author", "date", "corpus", "summary", "sections", "recommendations",
    "lang", "docx_template", "style",
}  # fmt: skip
_SECTION = {"heading", "intro", "arguments"}
_ARGUMENT = {"claim", "text", "evidence"}
_EVIDENCE = {"source", "quote", "speaker", "page", "paragraph", "lead"}
# Where each key belongs, to say so when one is indented under the wrong item.
_OWNER = {
    **{k: "the outline" for k in _TOP},
    **{k: "a section" for k in _SECTION},
    **{k: "an argument" for k in _ARGUMENT},
    **{k: "an evidence item" for k in _EVIDENCE},
}


def load_yaml_outline(
    path: Path,
    corpus_dir: Path | None = None,
    defaults: OutlineDefaults | None = None,
    folder_needed: bool = True,
) -> Outline:
    """Load and validate a YAML outline; raise OutlineError (or ReportErrors) on bad input.
    `defaults` and `folder_needed` as for report.outline.load_outline."""
    text = read_text(path, OutlineError, MAX_OUTLINE_BYTES)
    root = compose_yaml(text, str(path), OutlineError)
    builder = _Builder(path, text, folder_needed=folder_needed)
    return builder.outline(root, corpus_dir, defaults or OutlineDefaults())


class _Builder:
    """Walks the composed node tree, collecting every schema error before raising."""

    def __init__(
        self, path: Path, text: str, markdown: bool = False, folder_needed: bool = True
    ) -> None:
        self.path = path
        self.file = str(path)
        self.text = text
        self.starts: list[int] | None = None  # line starts of `text`, once a prose field needs them
        self.errors = ErrorList(self.file)
        self.folder_needed = folder_needed  # False: the corpus is in a database
        self.prose_reader = ProseReader(self.file, path, markdown)

    def error(self, message: str, node: yaml.Node | None) -> None:
        self.errors.add(OutlineError(message, self.loc(node)))

    def loc(self, node: yaml.Node | None) -> Location:
        return mark_location(self.file, node.start_mark if node is not None else None)

    # -- generic shapes ---------------------------------------------------------------

    def mapping(self, node: yaml.Node, what: str, allowed: set[str]) -> dict[str, yaml.Node]:
        if not isinstance(node, yaml.MappingNode):
            self.error(f"{what} must be a mapping of keys to values, not {node_kind(node)}", node)
            return {}
        out: dict[str, yaml.Node] = {}
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
            if not isinstance(key, str) or key not in allowed:
                what_key = shown(key) if isinstance(key, str) else node_kind(key_node)
                hint = ", ".join(sorted(allowed))
                owner = _OWNER.get(key) if isinstance(key, str) else None
                if owner and owner != what:  # misindented, or the wrong word in its place
                    hint += f"; `{key}` is a key of {owner}, not of {what}"
                self.error(f"unknown key '{what_key}' in {what} (allowed: {hint})", key_node)
            elif key in out:
                self.error(f"duplicate key '{key}' in {what}", key_node)
            else:
                out[key] = value_node
        return out

    def sequence(self, node: yaml.Node | None, what: str) -> list[yaml.Node]:
        if node is None or is_null(node):
            return []
        if not isinstance(node, yaml.SequenceNode):
            self.error(f"{what} must be a list, not {node_kind(node)}", node)
            return []
        return list(node.value)

    def string(
        self, m: dict[str, yaml.Node], key: str, what: str, parent: yaml.Node, required: bool
    ) -> str | None:
        node = m.get(key)
        if node is None or is_null(node):
            if required:
                self.error(f"{what} has no '{key}'", node or parent)
            return None
        if not isinstance(node, yaml.ScalarNode):
            self.error(f"'{key}' must be text, not {node_kind(node)}", node)
            return None
        value = str(node.value).strip()
        if required and not value:
            self.error(f"'{key}' is empty", node)
            return None
        return value or None

    def prose(
        self, m: dict[str, yaml.Node], key: str, what: str, parent: yaml.Node, one: bool = False
    ) -> Prose | None:
        """A field of the author's prose, its quotations and citations read (report.prose);
        `one`: a single paragraph (a claim, a recommendation)."""
        value = self.string(m, key, what, parent, required=key == "claim")
        if value is None:
            return None
        return self.prose_node(m[key], one)

    def prose_node(self, node: yaml.Node, one: bool = False) -> Prose:
        assert isinstance(node, yaml.ScalarNode)
        value = str(node.value)
        if self.starts is None:
            self.starts = line_starts(self.text)
        locate = scalar_locator(self.text, node, self.file, self.starts)
        reader = self.prose_reader
        before = len(reader.errors)
        prose = reader.field(value, locate, self.loc(node), one)
        for error in reader.errors[before:]:
            self.errors.add(error)
        return prose

    # -- the schema -------------------------------------------------------------------

    def outline(
        self, root: yaml.Node | None, corpus_dir: Path | None, defaults: OutlineDefaults
    ) -> Outline:
        if root is None:
            raise OutlineError("the outline is empty", Location(self.file, 1))
        m = self.mapping(root, "the outline", _TOP)
        if not m and self.errors:
            raise self.errors.exception(OutlineError)
        title = self.string(m, "title", "the outline", root, required=True)
        sections_node = m.get("sections")
        if sections_node is None:
            self.error("the outline has no 'sections'", root)
        sections = tuple(self.section(n) for n in self.sequence(sections_node, "'sections'"))
        recs = []
        for n in self.sequence(m.get("recommendations"), "'recommendations'"):
            if isinstance(n, yaml.ScalarNode) and str(n.value).strip():
                recs.append(self.prose_node(n, one=True))
            else:
                self.error(f"a recommendation must be text, not {node_kind(n)}", n)
        corpus_value = self.string(m, "corpus", "the outline", root, required=False)
        if corpus_dir is None:
            corpus_dir = self._corpus_dir(corpus_value, m.get("corpus"), root)
        outline = Outline(
            path=self.path,
            title=title or "",
            subtitle=self.string(m, "subtitle", "the outline", root, required=False),
            author=self.string(m, "author", "the outline", root, required=False),
            date=self.string(m, "date", "the outline", root, required=False),
            summary=self.prose(m, "summary", "the outline", root),
            sections=sections,
            recommendations=tuple(recs),
            corpus_dir=corpus_dir,
            location=self.loc(root),
            lang=self.lang(m.get("lang")) or defaults.lang,
            docx_template=self.docx_template(m.get("docx_template")) or defaults.docx_template,
            style=self.style(m.get("style")) or defaults.style,
        )
        if self.errors:
            raise self.errors.exception(OutlineError)
        return outline

    def _corpus_dir(
        self, value: str | None, node: yaml.Node | None = None, root: yaml.Node | None = None
    ) -> Path:
        here = self.path.resolve().parent
        if value:
            if "\x00" in value:
                self.error("'corpus' is not a valid folder name", node)
                return here
            folder = (here / value).resolve()
            if self.folder_needed and not folder.is_dir():  # named here, where written
                what = "is not a folder" if folder.exists() else "does not exist"
                self.error(f"corpus folder '{shown(value)}' {what} ({folder})", node)
            return folder
        # Default: corpus/ beside the outlines/ folder; an outline kept at a project's
        # top level finds corpus/ beside itself.
        beside_outlines = here.parent / "corpus"
        if not beside_outlines.is_dir() and (here / "corpus").is_dir():
            return here / "corpus"
        if self.folder_needed and not beside_outlines.is_dir():
            self.error(
                f"no corpus folder: neither {beside_outlines} nor {here / 'corpus'} exists "
                "(name the folder with `corpus:` in the outline; check and build also take "
                "`--corpus`)",
                root,
            )
        return beside_outlines

    def lang(self, node: yaml.Node | None) -> str | None:
        """`lang`: the brief's language as a BCP 47 tag (`en`, `en-GB`, `pt-BR`, `zh-Hant`),
        checked against the IANA subtag registry and given its canonical case."""
        if node is None or is_null(node):
            return None
        import langcodes  # its registry data only when a language is named

        value = str(node.value).strip() if isinstance(node, yaml.ScalarNode) else ""
        if value and one_line(value) and "_" not in value and langcodes.tag_is_valid(value):
            return langcodes.standardize_tag(value)
        self.error(
            f"'lang' must be a BCP 47 language tag such as en, en-GB, fr or pt-BR, not "
            f"{node_kind(node)}",
            node,
        )
        return None

    def docx_template(self, node: yaml.Node | None) -> DocxTemplate | None:
        """`docx_template`: a Word document (.docx), relative to the outline's folder, whose
        styles, page setup, headers and footers the Word brief takes."""
        if node is None or is_null(node):
            return None
        value = str(node.value).strip() if isinstance(node, yaml.ScalarNode) else ""
        if not value or not one_line(value) or "\x00" in value:
            self.error(
                f"'docx_template' must be the path of a .docx file, not {node_kind(node)}", node
            )
            return None
        path = (self.path.resolve().parent / value).resolve()
        if path.suffix.lower() != ".docx":
            problem = "is not a Word document (.docx)"
        elif not path.exists():
            problem = "does not exist"
        elif not path.is_file():
            problem = "is not a file"
        else:
            return DocxTemplate(path, self.loc(node))
        self.error(f"docx_template '{shown(value)}' {problem} ({path})", node)
        return None

    def style(self, node: yaml.Node | None) -> Path | None:
        """`style`: the citation style, a bundled one's name or a .csl file's path relative
        to the outline's folder (report.cite.resolve_style)."""
        if node is None or is_null(node):
            return None
        from report.cite import resolve_style  # citeproc-py's data only when a style is named

        value = str(node.value).strip() if isinstance(node, yaml.ScalarNode) else ""
        if not value or not one_line(value):
            self.error(
                f"'style' must be a citation style's name or a .csl file, not {node_kind(node)}",
                node,
            )
            return None
        try:
            return resolve_style(value, self.path.resolve().parent, self.loc(node))
        except OutlineError as exc:
            self.errors.add(exc)
            return None

    def locator(self, m: dict[str, yaml.Node]) -> Locator | None:
        """An evidence item's `page: 12` (or `12-13`, `iv`) or `paragraph: 4`."""
        given = [key for key in ("page", "paragraph") if key in m]
        if len(given) > 1:
            self.error("give `page` or `paragraph`, not both", m["paragraph"])
            return None
        if not given:
            return None
        key, node = given[0], m[given[0]]
        value = str(node.value).strip() if isinstance(node, yaml.ScalarNode) else ""
        if not value or is_null(node) or not one_line(value) or len(value) > 40:
            self.error(
                f"'{key}' must be a {key} number such as 12, 12-13 or iv, not {node_kind(node)}",
                node,
            )
            return None
        return Locator(key, value.replace("--", "\u2013"), self.loc(node))

    def section(self, node: yaml.Node) -> Section:
        m = self.mapping(node, "a section", _SECTION)
        args = tuple(self.argument(n) for n in self.sequence(m.get("arguments"), "'arguments'"))
        return Section(
            heading=self.string(m, "heading", "a section", node, required=True) or "",
            intro=self.prose(m, "intro", "a section", node),
            arguments=args,
            location=self.loc(node),
        )

    def argument(self, node: yaml.Node) -> Argument:
        m = self.mapping(node, "an argument", _ARGUMENT)
        evidence = tuple(
            ev
            for n in self.sequence(m.get("evidence"), "'evidence'")
            if (ev := self.evidence(n)) is not None
        )
        claim = self.prose(m, "claim", "an argument", node, one=True)
        return Argument(
            claim=claim if claim is not None else "",
            text=self.prose(m, "text", "an argument", node),
            evidence=evidence,
            location=self.loc(node),
        )

    def evidence(self, node: yaml.Node) -> Evidence | None:
        m = self.mapping(node, "an evidence item", _EVIDENCE)
        if not isinstance(node, yaml.MappingNode):
            return None
        source = self.string(m, "source", "an evidence item", node, required=True)
        quote_node = m.get("quote")
        quote = self.string(m, "quote", "an evidence item", node, required=True)
        speaker = self.string(m, "speaker", "an evidence item", node, required=False)
        lead = self.string(m, "lead", "an evidence item", node, required=False)
        if source is not None and not one_line(source):
            self.error(f"'source' must be a source id, not '{shown(source)}'", m["source"])
            return None
        if source is None or quote is None or quote_node is None:
            return None
        problem = quote_problem(quote)
        if problem is not None:
            self.error(problem, quote_node)
            return None
        return Evidence(
            source=source,
            quote=quote,
            speaker=speaker,
            lead=" ".join(lead.split()) if lead else None,
            locator=self.locator(m),
            location=self.loc(quote_node),
            source_location=self.loc(m["source"]),
        )
