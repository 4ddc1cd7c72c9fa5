"""The files a run depends on -> a callback each time one of them changes.

Polling, not OS events: it needs no extra dependency, behaves the same on every system and
on network or container mounts, and a project is a few hundred files at most. Each poll
compares every watched file's (mtime, size); a change is reported once the files have
stopped changing for one interval, because editors save in several steps.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

from report.errors import ReportError
from report.outline import load_outline

Stamp = tuple[int, int]  # mtime in ns, size in bytes
DEFAULT_INTERVAL = 0.5  # seconds between polls


def watched_paths(outlines: Sequence[Path], corpus_dir: Path | None = None) -> list[Path]:
    """What a check or build of `outlines` reads: the outlines, each one's corpus folder
    (texts and sources.yaml; `corpus_dir` for all when given, as `--corpus` does) and the
    templates/ folder of its project and of the working folder. An outline that cannot be
    read is still watched, with the default corpus."""
    roots: list[Path] = list(outlines)  # a folder of outlines: new outlines count too
    files = [p for o in outlines for p in (_briefs_in(o) if o.is_dir() else [o])]
    for path in files:
        project = path.resolve().parent.parent
        try:
            corpus = corpus_dir or load_outline(path).corpus_dir
        except ReportError:
            corpus = project / "corpus"
        roots += [corpus, project / "templates"]
    roots.append(Path("templates"))
    unique: dict[Path, Path] = {}
    for root in roots:
        unique.setdefault(root.resolve(), root)
    return list(unique.values())


def _briefs_in(folder: Path) -> list[Path]:
    return sorted(p for suffix in ("*.y*ml", "*.md", "*.qmd") for p in folder.glob(suffix))


def snapshot(roots: Iterable[Path]) -> dict[Path, Stamp]:
    """(mtime, size) of every file under `roots`; missing roots contribute nothing, so a
    file that appears later is a change."""
    stamps: dict[Path, Stamp] = {}
    for root in roots:
        files = sorted(root.rglob("*")) if root.is_dir() else [root]
        for f in files:
            if any(part.startswith(".") or part == "__pycache__" for part in f.parts[-2:]):
                continue  # editors' swap files and caches are not inputs
            try:
                st = f.stat()
            except OSError:
                continue
            if f.is_file():
                stamps[f] = (st.st_mtime_ns, st.st_size)
    return stamps


def changed_files(before: dict[Path, Stamp], after: dict[Path, Stamp]) -> list[Path]:
    return sorted(p for p in before.keys() | after.keys() if before.get(p) != after.get(p))


def watch(
    roots: Callable[[], Iterable[Path]],
    on_change: Callable[[list[Path]], None],
    *,
    interval: float = DEFAULT_INTERVAL,
    max_polls: int | None = None,
    sleep: Callable[[float], None] = time.sleep,
    on_start: Callable[[int], None] | None = None,
) -> int:
    """Poll the files under `roots()` every `interval` seconds and call `on_change` with the
    changed paths after each change settles. Runs until interrupted, or for `max_polls`
    polls; returns how many times `on_change` was called. `roots` is called on each poll,
    so files a change brings in (a new source in sources.yaml) are watched from then on.
    `on_start` hears how many files are watched once the first snapshot is taken."""
    before = snapshot(roots())
    if on_start is not None:
        on_start(len(before))
    polls = calls = 0

    def more() -> bool:
        return max_polls is None or polls < max_polls

    while more():
        sleep(interval)
        polls += 1
        now = snapshot(roots())
        if now == before:
            continue
        while more():  # let the change settle
            sleep(interval)
            polls += 1
            settled = snapshot(roots())
            if settled == now:
                break
            now = settled
        on_change(changed_files(before, now))
        calls += 1
        before = now
    return calls
