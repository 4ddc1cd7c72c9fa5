"""A folder name -> a new report project (corpus/, outlines/, templates/) that checks and
builds at once.

The sample source, its sources.yaml entry and a sample brief, as a YAML outline and as
Markdown, ship in report/data/, with the JSON Schemas of outlines and sources.yaml, which
the project gets a copy of in schemas/: the first line of each YAML file names its schema
there (`# yaml-language-server: $schema=...`), so an editor with the YAML language server
completes and checks it, offline. The
templates are copied from where the installed package finds them (the package's own
templates/, or the repository's templates/ beside it), so a new project always starts from
the look the installed `report` renders with.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from report.atomic import staged
from report.errors import InitError, Location

PACKAGE = Path(__file__).resolve().parent
DATA = PACKAGE / "data"
SAMPLE_OUTLINE = "outlines/example.yaml"

_FILES = {
    "corpus/sources.yaml": "starter-sources.yaml",
    "corpus/example-source.txt": "starter-source.txt",
    SAMPLE_OUTLINE: "starter-outline.yaml",
    "schemas/outline.schema.json": "outline.schema.json",
    "schemas/sources.schema.json": "sources.schema.json",
    "outlines/example-markdown.md": "starter-outline.md",
}
_GITIGNORE = "out/\n.report-cache/\n"
_TEMPLATES_README = """\
`report build` renders with the templates in this folder: brief.html.j2 and brief.css for
the PDF, docx-styles.yaml for the Word file. This installation of `report` had none to copy:
take them from the templates/ folder of report's repository.
"""


@dataclass(frozen=True, slots=True)
class NewProject:
    root: Path
    files: tuple[Path, ...]
    outline: Path


def template_source() -> Path | None:
    """The templates folder this installation renders with, if it has one."""
    from report.render import builtin_templates  # not report.build: no WeasyPrint

    return builtin_templates()


def init_project(root: Path) -> NewProject:
    """Create the project in `root` (which must not exist or be empty), all or nothing."""
    if root.exists() and (not root.is_dir() or any(root.iterdir())):
        raise InitError("already exists and is not an empty folder", Location(str(root)))
    outputs: dict[Path, bytes] = {
        root / target: (DATA / name).read_bytes() for target, name in _FILES.items()
    }
    outputs[root / ".gitignore"] = _GITIGNORE.encode()
    templates = template_source()
    if templates is None:
        outputs[root / "templates" / "README.txt"] = _TEMPLATES_README.encode()
    else:
        for f in sorted(templates.rglob("*")):
            if f.is_file() and "__pycache__" not in f.parts:
                outputs[root / "templates" / f.relative_to(templates)] = f.read_bytes()
    try:
        with staged(outputs):
            pass
    except OSError as exc:
        raise InitError(f"cannot create the project: {exc}", Location(str(root))) from exc
    return NewProject(root, tuple(sorted(outputs)), root / SAMPLE_OUTLINE)
