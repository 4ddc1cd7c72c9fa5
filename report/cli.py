"""The command line: parses arguments, runs a command, prints, and exits.

This is the only module that prints or exits. Exit status: 0 every quote verified,
1 at least one quote failed (or a warning under --strict), 2 the input could not be read.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from report import __version__, output
from report.errors import ReportError, ReportErrors
from report.pipeline import check as run_check

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
cache_dir_option = click.option(
    "--cache-dir",
    type=click.Path(file_okay=False, path_type=Path),
    envvar="REPORT_CACHE_DIR",
    help="Where text layers and the search index are kept [default: .report-cache/ beside "
    "the corpus folder].",
)
no_cache_option = click.option(
    "--no-cache", is_flag=True, help="Read every source afresh; keep nothing on disk."
)
outlines_argument = click.argument(
    "outlines", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path)
)


def _input_error(exc: ReportError) -> None:
    errors = exc.errors if isinstance(exc, ReportErrors) else [exc]
    for e in errors:
        click.echo(f"{e}", err=True)
    sys.exit(EXIT_INPUT)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="report")
def cli() -> None:
    """Policy briefs that cannot misquote: verify every quote, then render PDF and Word."""


@cli.command()
@outlines_argument
@format_option
@strict_option
@verbose_option
@cache_dir_option
@no_cache_option
def check(
    outlines: tuple[Path, ...],
    fmt: str,
    strict: bool,
    verbose: bool,
    cache_dir: Path | None,
    no_cache: bool,
) -> None:
    """Verify every quote of OUTLINES against the corpus; change nothing."""
    try:
        checked = run_check(outlines, cache_dir=cache_dir, use_cache=not no_cache)
    except ReportError as exc:
        _input_error(exc)
        return
    run = output.Run([r for c in checked for r in c.results], strict)
    click.echo(output.render(run, fmt, verbose))
    sys.exit(EXIT_FAILED if run.summary.failed else EXIT_OK)


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
@cache_dir_option
@no_cache_option
def find(
    words: str,
    corpus_dir: Path,
    source_id: str | None,
    limit: int,
    cache_dir: Path | None,
    no_cache: bool,
) -> None:
    """Show exact, quotable passages that contain WORDS, ready to paste into an outline."""
    from report.cache import TextCache, default_cache_dir
    from report.corpus import load_corpus
    from report.find import find_passages, format_passage
    from report.index import CorpusIndex

    try:
        cache = TextCache(None if no_cache else cache_dir or default_cache_dir(corpus_dir))
        corpus = load_corpus(corpus_dir, cache)
        if source_id is not None and source_id not in corpus:
            raise ReportError(f"unknown source '{source_id}'")
        index = CorpusIndex.open(corpus) if source_id is None else None
        passages = find_passages(words, corpus, source_id=source_id, limit=limit, index=index)
    except ReportError as exc:
        _input_error(exc)
        return
    if not passages:
        click.echo("no passage found", err=True)
        sys.exit(EXIT_FAILED)
    click.echo("\n".join(format_passage(p) for p in passages))


def main() -> None:
    cli(prog_name="report")
