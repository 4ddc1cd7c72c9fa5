"""Outline paths -> loaded outlines, their corpora and verified results: the shared first
half of `report check` and `report build` (gather everything, validate everything). A quote
ledger's corpus is opened the same way (`Corpora`: report.ledger)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from report.cache import TextCache, default_cache_dir
from report.corpus import Corpus, load_corpus
from report.errors import Location, OutlineError, gather
from report.findings import QuoteResult, QuoteWarning, Status, WarningKind
from report.model import Cite, Evidence, Outline, OutlineDefaults, Quoted
from report.outline import MARKDOWN, load_outline
from report.progress import Progress, tracked
from report.verify import verify

if TYPE_CHECKING:
    from report.database import Snapshot


class Corpora:
    """Corpus folders -> their Corpus, each opened once for a run: its text layers kept in
    `cache_dir` (default: report.cache.default_cache_dir) unless `use_cache` is False; with
    `database` (a PostgreSQL URL) the corpus is the one there (report.database), the folder
    only naming its files in messages."""

    def __init__(
        self, cache_dir: Path | None = None, use_cache: bool = True, database: str | None = None
    ) -> None:
        self.cache_dir = cache_dir
        self.use_cache = use_cache
        self.database = database
        self._opened: dict[Path, Corpus] = {}
        self._snapshot: Snapshot | None = None

    def open(self, directory: Path) -> Corpus:
        key = directory.resolve()
        if key not in self._opened:
            self._opened[key] = self._open(directory)
        return self._opened[key]

    def _open(self, directory: Path) -> Corpus:
        if self.database is not None:
            from report.database import Snapshot
            from report.database.corpus import open_corpus

            # one view of the database for every corpus of the run
            self._snapshot = self._snapshot or Snapshot(self.database)
            return open_corpus(self.database, directory, self._snapshot)
        folder = (self.cache_dir or default_cache_dir(directory)) if self.use_cache else None
        return load_corpus(directory, TextCache(folder))


@dataclass(frozen=True, slots=True)
class Checked:
    outline: Outline
    corpus: Corpus
    results: list[QuoteResult]

    def failed(self, strict: bool = False) -> bool:
        return any(r.failed(strict) for r in self.results)


def outline_files(paths: Sequence[Path | str]) -> list[Path]:
    """Outline arguments, each folder among them replaced by the outlines (*.yaml, *.yml)
    and Markdown briefs (*.md, *.qmd that open with front matter) directly inside it."""
    files: list[Path] = []
    for path in map(Path, paths):
        if not path.is_dir():
            files.append(path)
            continue
        found = sorted(p for p in path.iterdir() if p.is_file() and _is_outline(p))
        if not found:
            raise OutlineError("no outlines (*.yaml, *.md) in this folder", Location(str(path)))
        files.extend(found)
    return files


def _is_outline(path: Path) -> bool:
    """An outline, or a Markdown brief: a README.md beside the outlines is not one (a
    brief opens with its front matter)."""
    if path.suffix in (".yaml", ".yml"):
        return True
    if path.suffix.lower() not in MARKDOWN:
        return False
    try:
        with path.open("rb") as fh:
            return fh.read(8).lstrip(b"\xef\xbb\xbf").startswith(b"---")
    except OSError:
        return True  # reading it will say what is wrong


def check(
    paths: Sequence[Path | str],
    corpus_dir: Path | None = None,
    progress: Progress | None = None,
    cache_dir: Path | None = None,
    use_cache: bool = True,
    defaults: OutlineDefaults | None = None,
    database: str | None = None,
) -> list[Checked]:
    """Load every outline (all input errors reported together; `defaults`: the project's
    settings for what an outline does not say), then verify them; outlines that share a
    corpus are matched against it in one pass. Corpora are opened as `Corpora` says (the
    cache in `cache_dir` unless not `use_cache`, or the `database`)."""
    files = tracked(outline_files(paths), "reading outlines", progress)
    outlines = gather(
        files,
        lambda path: load_outline(path, corpus_dir, defaults, folder_needed=database is None),
    )
    opened = Corpora(cache_dir, use_cache, database)
    corpora: dict[Path, Corpus] = {}
    groups: dict[Path, list[Outline]] = {}
    for outline in outlines:
        key = outline.corpus_dir.resolve()
        if key not in corpora:
            corpora[key] = opened.open(outline.corpus_dir)
        groups.setdefault(key, []).append(outline)
    by_outline: dict[int, Checked] = {}
    for key, group in groups.items():
        for outline, results in zip(group, verify(group, corpora[key], progress), strict=True):
            by_outline[id(outline)] = Checked(outline, corpora[key], with_prose(outline, results))
    return [by_outline[id(o)] for o in outlines]


def with_prose(outline: Outline, results: list[QuoteResult]) -> list[QuoteResult]:
    """The results of an outline's quotes (in `outline.evidence()` order), with what its
    prose holds besides, in reading order: each citation of a paraphrase (`cited`: its
    note is made, nothing is verified) and each quotation no citation follows
    (`unattributed`, with a warning)."""
    quotes = iter(results)
    out: list[QuoteResult] = []
    for item in outline.walk():
        if isinstance(item, Evidence):
            out.append(next(quotes))
            continue
        for para in item.paras:
            for piece in para.pieces:
                if isinstance(piece, Quoted):
                    out.append(next(quotes) if piece.evidence is not None else _unattributed(piece))
                elif isinstance(piece, Cite) and not piece.quoted:
                    out.extend(
                        QuoteResult(
                            Evidence(
                                source=c.source,
                                quote="",
                                location=piece.citation.location,
                                source_location=c.location,
                                citation=piece.citation,
                            ),
                            Status.CITED,
                        )
                        for c in piece.citation.items
                    )
    return out


def _unattributed(quoted: Quoted) -> QuoteResult:
    words = " ".join(quoted.text.split())
    shown = words if len(words) <= 60 else words[:59] + "…"
    message = (
        f"{shown} is quoted, but {quoted.problem}: name its source with [@id] after the "
        "closing quotation mark (a scare quote or a title: single marks or none)"
    )
    quote = quoted.text
    if len(quote) >= 2 and not quote[0].isalnum() and not quote[-1].isalnum():
        quote = quote[1:-1]  # the author's quotation marks
    evidence = Evidence(
        source="", quote=quote, location=quoted.location, source_location=quoted.location
    )
    return QuoteResult(
        evidence,
        Status.UNATTRIBUTED,
        warnings=(QuoteWarning(WarningKind.UNATTRIBUTED_QUOTE, message),),
    )
