"""Work done so far -> calls to a progress callback (report.cli draws the bar, if any)."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import TypeVar

T = TypeVar("T")

# stage ("reading sources"), items done, items in all
Progress = Callable[[str, int, int], None]


def tracked(items: Sequence[T], stage: str, progress: Progress | None) -> Iterator[T]:
    """Yield `items`, reporting each one done to `progress`."""
    total = len(items)
    for done, item in enumerate(items, 1):
        yield item
        if progress is not None:
            progress(stage, done, total)
