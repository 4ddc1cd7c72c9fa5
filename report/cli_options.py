"""The options the commands share -> click decorators, some bundling several options into
one value: `findings_options` gives a command `show` (--format, --strict, --verbose),
`corpus_options` gives it `reading` (--corpus, --cache-dir, --no-cache, --database) and
`watch_options` gives it `watch` (--watch and --interval: the seconds between polls, or
None). Only click is imported here, so that `report --help` stays quick.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import click

F = TypeVar("F", bound=Callable[..., Any])

# report.output.FORMATS, named here so that parsing arguments imports no renderer
# (tests/test_startup.py keeps the two the same).
FORMAT_NAMES = ("github", "json", "junit", "sarif", "text")


@dataclass(frozen=True, slots=True)
class Show:
    """How a command's findings are shown and judged."""

    fmt: str  # one of FORMAT_NAMES
    strict: bool  # warnings fail
    verbose: bool  # verified quotes listed too (text)


@dataclass(frozen=True, slots=True)
class Reading:
    """Where the corpus is read from and how its text layers are kept."""

    corpus_dir: Path | None  # for every outline, instead of each one's own
    cache_dir: Path | None
    use_cache: bool
    database: str | None  # a PostgreSQL URL: the corpus is read from there

    def kwargs(self) -> dict[str, Any]:
        """As report.pipeline.check and report.build.build take them."""
        return {
            "corpus_dir": self.corpus_dir,
            "cache_dir": self.cache_dir,
            "use_cache": self.use_cache,
            "database": self.database,
        }


def _options(*decorators: Callable[[F], F]) -> Callable[[F], F]:
    """The decorators as one, applied as if written one above the other."""

    def apply(f: F) -> F:
        for decorator in reversed(decorators):
            f = decorator(f)
        return f

    return apply


def _bundled(
    name: str, make: Callable[..., Any], *decorators: Callable[[F], F]
) -> Callable[[F], F]:
    """The options of `decorators`, given to the command as one value `name`, made by `make`
    from theirs (its parameters are named as they are)."""
    keys = list(inspect.signature(make).parameters)

    def apply(f: F) -> F:
        @functools.wraps(f)
        def command(*args: Any, **kwargs: Any) -> Any:
            made = make(**{key: kwargs.pop(key) for key in keys})
            return f(*args, **kwargs, **{name: made})

        return _options(*decorators)(command)  # type: ignore[arg-type]

    return apply


format_option = click.option(
    "--format",
    "fmt",
    type=click.Choice(FORMAT_NAMES),
    default="text",
    show_default=True,
    help="How findings are printed: text for people, the others for CI.",
)
strict_option = click.option(
    "--strict/--no-strict", default=False, help="Treat warnings as failures."
)
verbose_option = click.option(
    "-v", "--verbose", is_flag=True, help="Also list verified quotes (text format)."
)
cache_dir_option = click.option(
    "--cache-dir",
    type=click.Path(file_okay=False, path_type=Path),
    envvar="REPORT_CACHE_DIR",
    help="Where text layers and the search index are kept [default: .report-cache/ beside "
    "the corpus folder].",
)
database_option = click.option(
    "--database",
    envvar="REPORT_DATABASE_URL",
    metavar="URL",
    help="Read the corpus from this PostgreSQL database (`report ingest` loads it) instead of "
    "the corpus folder, which then only names the files in messages.",
)
no_cache_option = click.option(
    "--no-cache", is_flag=True, help="Read every source afresh; keep nothing on disk."
)


def corpus_option(text: str, default: Path | None = None) -> Callable[[F], F]:
    """--corpus, the corpus folder: `text` says which, and what it defaults to."""
    return click.option(
        "--corpus",
        "corpus_dir",
        type=click.Path(file_okay=False, path_type=Path),
        default=default,
        show_default=default is not None,
        help=text,
    )


def _reading(
    corpus_dir: Path | None, cache_dir: Path | None, no_cache: bool, database: str | None
) -> Reading:
    return Reading(corpus_dir, cache_dir, not no_cache, database)


def _watching(watch: bool, interval: float) -> float | None:
    return interval if watch else None


findings_options = _bundled("show", Show, format_option, strict_option, verbose_option)
corpus_options = _bundled(
    "reading",
    _reading,
    corpus_option(
        "The corpus folder for every outline, instead of each outline's own (its `corpus:`, "
        "else corpus/ beside its outlines/ folder)."
    ),
    cache_dir_option,
    no_cache_option,
    database_option,
)


def watch_options(text: str) -> Callable[[F], F]:
    """--watch (`text` says what it repeats) and the hidden --interval, as `watch`."""
    return _bundled(
        "watch",
        _watching,
        click.option("--watch", is_flag=True, help=text),
        click.option("--interval", type=click.FloatRange(0.01), default=0.5, hidden=True),
    )
