"""A corpus of a few small text files written in a test's tmp_path, and quotes checked
against it through the same pipeline `report check` runs."""

from __future__ import annotations

from pathlib import Path

from report.findings import QuoteResult
from tests.quotecheck import Q, check_quotes


def write_corpus(root: Path, files: dict[str, str], bodies: dict[str, str] | None = None) -> Path:
    """`root/corpus` with one source per file (its id: the file's stem) and sources.yaml;
    `bodies` gives a source's `body:` entry as YAML lines (indented by four)."""
    corpus = root / "corpus"
    corpus.mkdir(exist_ok=True)
    entries = []
    for name, text in files.items():
        (corpus / name).write_text(text, encoding="utf-8")
        entry = f"- id: {Path(name).stem}\n  file: {name}\n"
        if bodies and Path(name).stem in bodies:
            entry += f"  body:\n{bodies[Path(name).stem]}"
        entries.append(entry)
    (corpus / "sources.yaml").write_text("".join(entries), encoding="utf-8")
    return corpus


def check_in(root: Path, files: dict[str, str], *quotes: Q) -> list[QuoteResult]:
    """Write the corpus `files` under `root` and check `quotes` against it."""
    corpus = write_corpus(root, files)
    return check_quotes(root, *quotes, corpus=corpus)
