"""An outline file -> a validated Outline: a YAML outline (report.yamloutline) or a brief
written in Markdown (`.md`, `.qmd`: report.mdbrief), by its suffix.
"""

from __future__ import annotations

from pathlib import Path

from report.model import Outline, OutlineDefaults
from report.yamloutline import load_yaml_outline

MARKDOWN = (".md", ".qmd")  # a brief written in Markdown: report.mdbrief


def load_outline(
    path: Path | str,
    corpus_dir: Path | None = None,
    defaults: OutlineDefaults | None = None,
    folder_needed: bool = True,
) -> Outline:
    """Load and validate an outline; raise OutlineError (or ReportErrors) on bad input.
    `folder_needed` False: the corpus is elsewhere (a database), its folder need not exist."""
    path = Path(path)
    if path.suffix.lower() in MARKDOWN:
        from report.mdbrief import load_markdown_brief  # markdown-it only for Markdown

        return load_markdown_brief(path, corpus_dir, defaults, folder_needed)
    return load_yaml_outline(path, corpus_dir, defaults, folder_needed)
