"""The command line: parses arguments, runs a command, prints, and exits.

This is the only module that prints or exits. Exit status: 0 every quote verified,
1 at least one quote failed (or a warning under --strict), 2 the input could not be read.
"""

from __future__ import annotations

import contextlib
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from report import __version__, output
from report.errors import ReportError, ReportErrors
from report.pipeline import check as run_check
from report.progress import Progress

EXIT_OK, EXIT_FAILED, EXIT_INPUT = 0, 1, 2

format_option = click.option(
    "--format",
    "fmt",
    type=click.Choice(sorted(output.FORMATS)),
    default="text",
    show_default=True,
    help="How findings are printed: text for people, the others for CI.",
)
strict_option = click.option("--strict", is_flag=True, help="Treat warnings as failures.")
verbose_option = click.option(
    "-v", "--verbose", is_flag=True, help="Also list verified quotes (text format)."
)
outlines_argument = click.argument(  # a folder stands for the outlines in it
    "outlines", nargs=-1, required=True, type=click.Path(path_type=Path)
)


def _input_error(exc: ReportError) -> None:
    _print_input_errors(exc)
    sys.exit(EXIT_INPUT)


def _print_input_errors(exc: ReportError) -> None:
    errors = exc.errors if isinstance(exc, ReportErrors) else [exc]
    for e in errors:
        click.echo(f"{e}", err=True)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="report")
def cli() -> None:
    """Policy briefs that cannot misquote: verify every quote, then render PDF and Word."""


@cli.command()
@outlines_argument
@format_option
@strict_option
@verbose_option
@click.option(
    "--watch", is_flag=True, help="Check again whenever an outline, source or template changes."
)
@click.option("--interval", type=click.FloatRange(0.01), default=0.5, hidden=True)
def check(
    outlines: tuple[Path, ...], fmt: str, strict: bool, verbose: bool, watch: bool, interval: float
) -> None:
    """Verify every quote of OUTLINES against the corpus; change nothing."""

    def once() -> int:
        try:
            checked = run_check(outlines, progress=_progress_bar())
        except ReportError as exc:
            _print_input_errors(exc)
            return EXIT_INPUT
        run = output.Run([r for c in checked for r in c.results], strict)
        click.echo(output.render(run, fmt, verbose))
        return EXIT_FAILED if run.summary.failed else EXIT_OK

    code = once()
    if watch:
        code = _watch(outlines, once, interval, code)
    sys.exit(code)


def _watch(outlines: tuple[Path, ...], once: Callable[[], int], interval: float, code: int) -> int:
    """Run `once` again after every change to what `outlines` depend on, until Ctrl-C;
    the exit status is the last run's."""
    from report.watch import watch, watched_paths

    def changed(paths: list[Path]) -> None:
        shown = ", ".join(os.path.relpath(p) for p in paths[:3])
        more = f" and {len(paths) - 3} more" if len(paths) > 3 else ""
        click.echo(f"\n{time.strftime('%H:%M:%S')} changed: {shown}{more}", err=True)
        nonlocal code
        code = once()
        sys.stdout.flush()

    def started(files: int) -> None:
        sys.stdout.flush()  # the first findings before the notice, also when piped
        click.echo(f"watching {files} files for changes (Ctrl-C to stop)", err=True)

    with contextlib.suppress(KeyboardInterrupt):  # Ctrl-C is how a watch ends
        watch(lambda: watched_paths(outlines), changed, interval=interval, on_start=started)
    return code


def _progress_bar() -> Progress | None:
    """A progress bar on stderr for long runs: on a terminal only, never in CI."""
    if os.environ.get("CI") or not sys.stderr.isatty():
        return None
    return _ProgressBar()


class _ProgressBar:
    """Shows a bar per stage once the run has taken DELAY seconds, so short runs stay quiet."""

    DELAY = 1.0

    def __init__(self) -> None:
        self.started = time.monotonic()
        self.stage: str | None = None
        self.bar: Any = None

    def __call__(self, stage: str, done: int, total: int) -> None:
        if stage != self.stage:
            self.close()
            self.stage = stage
        if self.bar is None:
            if time.monotonic() - self.started < self.DELAY:
                return
            self.bar = click.progressbar(length=total, label=stage, file=sys.stderr)
            self.bar.__enter__()
            self.bar.update(done - 1)
        self.bar.update(1)
        if done >= total:
            self.close()

    def close(self) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)
            self.bar = None


@cli.command()
@click.argument("words")
@click.option(
    "--corpus",
    "corpus_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("corpus"),
    show_default=True,
    help="The corpus folder to search.",
)
@click.option("--source", "source_id", help="Search only this source id.")
@click.option("--limit", type=click.IntRange(1, 100), default=5, show_default=True)
def find(words: str, corpus_dir: Path, source_id: str | None, limit: int) -> None:
    """Show exact, quotable passages that contain WORDS, ready to paste into an outline."""
    from report.corpus import load_corpus
    from report.find import find_passages, format_passage

    try:
        corpus = load_corpus(corpus_dir)
        if source_id is not None and source_id not in corpus:
            raise ReportError(f"unknown source '{source_id}'")
        passages = find_passages(words, corpus, source_id=source_id, limit=limit)
    except ReportError as exc:
        _input_error(exc)
        return
    if not passages:
        click.echo("no passage found", err=True)
        sys.exit(EXIT_FAILED)
    click.echo("\n".join(format_passage(p) for p in passages))


@cli.command()
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
def init(directory: Path) -> None:
    """Create a new project in DIRECTORY: corpus/, outlines/, templates/ and a sample."""
    from report.scaffold import init_project

    try:
        project = init_project(directory)
    except ReportError as exc:
        _input_error(exc)
        return
    for path in project.files:
        click.echo(f"created {path}")
    outline = project.outline.relative_to(project.root)
    click.echo(f"\nnext: cd {directory} && report check {outline}")


def main() -> None:
    cli(prog_name="report")
