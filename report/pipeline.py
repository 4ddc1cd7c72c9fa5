"""Outline paths -> loaded outlines, their corpora and verified results: the shared first
half of `report check` and `report build` (gather everything, validate everything)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from report.corpus import Corpus, load_corpus
from report.errors import Location, OutlineError, ReportError, ReportErrors
from report.findings import QuoteResult
from report.model import Outline
from report.outline import load_outline
from report.progress import Progress, tracked
from report.verify import verify


@dataclass(frozen=True, slots=True)
class Checked:
    outline: Outline
    corpus: Corpus
    results: list[QuoteResult]

    def failed(self, strict: bool = False) -> bool:
        return any(r.failed(strict) for r in self.results)


def outline_files(paths: Sequence[Path | str]) -> list[Path]:
    """Outline arguments, each folder among them replaced by the outlines (*.yaml, *.yml)
    directly inside it."""
    files: list[Path] = []
    for path in map(Path, paths):
        if not path.is_dir():
            files.append(path)
            continue
        found = sorted(p for p in path.iterdir() if p.suffix in (".yaml", ".yml") and p.is_file())
        if not found:
            raise OutlineError("no outlines (*.yaml) in this folder", Location(str(path)))
        files.extend(found)
    return files


def check(
    paths: Sequence[Path | str], corpus_dir: Path | None = None, progress: Progress | None = None
) -> list[Checked]:
    """Load every outline (all input errors reported together), then verify them; outlines
    that share a corpus are matched against it in one pass."""
    outlines: list[Outline] = []
    errors: list[ReportError] = []
    for path in tracked(outline_files(paths), "reading outlines", progress):
        try:
            outlines.append(load_outline(path, corpus_dir))
        except ReportErrors as exc:
            errors.extend(exc.errors)
        except ReportError as exc:
            errors.append(exc)
    if errors:
        raise errors[0] if len(errors) == 1 else ReportErrors(errors)
    corpora: dict[Path, Corpus] = {}
    groups: dict[Path, list[Outline]] = {}
    for outline in outlines:
        key = outline.corpus_dir.resolve()
        if key not in corpora:
            corpora[key] = load_corpus(outline.corpus_dir)
            for source_id in tracked(corpora[key].ids(), "reading sources", progress):
                corpora[key].text(source_id)  # the long part on a large corpus
        groups.setdefault(key, []).append(outline)
    by_outline: dict[int, Checked] = {}
    for key, group in groups.items():
        for outline, results in zip(group, verify(group, corpora[key]), strict=True):
            by_outline[id(outline)] = Checked(outline, corpora[key], results)
    return [by_outline[id(o)] for o in outlines]
