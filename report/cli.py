"""The command line: parses arguments, runs a command, prints, and exits.

This is the only module that prints or exits, with report.cli_runner, which prints what the
commands found (report.cli_options holds the options they share). Exit status: 0 every
quote verified, 1 at least one quote failed (or a warning under --strict), 2 the input could
not be read, 70 report itself failed (a bug: never to be read as a verdict), 130
interrupted. Whatever it prints that came from the input is inert (report.inert).

Each command imports what it runs when it runs (`report --help` imports none of it).
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import click

from report import __version__
from report.cli_options import (
    Reading,
    Show,
    cache_dir_option,
    corpus_option,
    corpus_options,
    database_option,
    findings_options,
    format_option,
    no_cache_option,
    watch_options,
)
from report.cli_runner import (
    EXIT_FAILED,
    EXIT_INPUT,
    EXIT_INTERRUPTED,
    EXIT_OK,
    Done,
    colour,
    findings_out,
    guarded,
    ingest_progress,
    internal_error,
    print_input_errors,
    progress_bar,
    tune_gc,
    verify,
    verify_watching,
)
from report.errors import ReportError
from report.inert import inert, inert_json
from report.parallel import WorkerDied
from report.render import DEFAULT_PDF_VARIANT, PDF_VARIANTS


@contextlib.contextmanager
def _input_errors() -> Iterator[None]:
    """An input error ends the command: its messages on stderr, exit status 2."""
    try:
        yield
    except ReportError as exc:
        print_input_errors(exc)
        sys.exit(EXIT_INPUT)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="report")
@click.pass_context
def cli(ctx: click.Context) -> None:
    """Policy briefs that cannot misquote: verify every quote, then render PDF and Word."""
    from report.config import load_config

    with _input_errors():  # report.toml or [tool.report]: the options' defaults (report.config)
        ctx.obj = load_config()
    ctx.default_map = ctx.obj.default_map()


def _settings() -> Any:
    """The project's settings (report.config.Config) the group loaded."""
    from report.config import Config

    return click.get_current_context().find_root().obj or Config()


@cli.command("config")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="text: TOML lines with the origin of each; json: for scripts.",
)
@click.pass_obj
def config_command(settings: Any, fmt: str) -> None:
    """Print the settings in effect here (report.toml, [tool.report] in pyproject.toml, the
    environment, the defaults) and where each comes from."""
    from report.config import describe, effective, settings_json

    entries = effective(settings, os.environ)
    if fmt == "json":
        click.echo(inert_json(settings_json(settings, entries)))
    else:
        click.echo("\n".join(inert(line) for line in describe(settings, entries, Path.cwd())))


@cli.command()
@click.argument("outlines", nargs=-1, type=click.Path(path_type=Path))  # a folder: its outlines
@click.option(
    "--ledger",
    "ledgers",
    multiple=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="Re-verify a quote ledger (OUTLINE.quotes.json, or the brief's PDF that carries it) "
    "against the corpus it names (or --corpus).",
)
@findings_options
@watch_options("Check again whenever an outline, source or template changes.")
@corpus_options
def check(
    outlines: tuple[Path, ...], ledgers: tuple[Path, ...], show: Show, watch: float | None,
    reading: Reading,
) -> None:  # fmt: skip
    """Verify every quote of OUTLINES (or of --ledger files) against the corpus; change
    nothing. A folder stands for the outlines in it."""
    if not outlines and not ledgers:
        raise click.UsageError("give at least one OUTLINE or --ledger FILE")

    def work() -> Done:
        from report.pipeline import check as run_check

        checked = (
            run_check(outlines, progress=progress_bar(), **reading.kwargs()) if outlines else []
        )
        results = [r for c in checked for r in c.results]
        if ledgers:
            from report.ledger import verify_ledgers

            results += verify_ledgers(ledgers, progress=progress_bar(), **reading.kwargs())
        return Done(results)

    sys.exit(verify_watching(show, work, watch, outlines, ledgers, reading.corpus_dir))


@cli.command()
@click.argument("outline", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "-o",
    "--output",
    "target",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Where to write the ledger  [default: out/NAME.quotes.json]",
)
@format_option
def ledger(outline: Path, target: Path | None, fmt: str) -> None:
    """Verify OUTLINE, then write its quote ledger (W3C Web Annotations) for later checks."""
    sys.exit(guarded(lambda: _write_ledger(outline, target, fmt), fmt))


def _write_ledger(outline: Path, target: Path | None, fmt: str) -> int:
    from report import output
    from report.findings import Run
    from report.ledger import write_ledger

    try:
        written = write_ledger(outline, target)
    except ReportError as exc:
        print_input_errors(exc, fmt)
        return EXIT_INPUT
    if written.path is None:
        findings_out(output.render(Run(written.checked.results), fmt))
        click.echo("no ledger written: a quote failed", err=True)
        return EXIT_FAILED
    click.echo(inert(f"{written.path}: {written.quotes} quotes from {written.sources} sources"))
    return EXIT_OK


@cli.command()
@click.argument("outlines", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "-o",
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("out"),
    show_default=True,
    help="Folder for the PDF, the Word file and the quote ledger (NAME.quotes.json).",
)
@click.option(
    "--appendix",
    is_flag=True,
    help="End each brief with a verification appendix: every quote, its source and paragraph, "
    "and the original passage of quotes with omissions or alterations.",
)
@click.option(
    "--pdf-variant",
    type=click.Choice(PDF_VARIANTS),
    default=DEFAULT_PDF_VARIANT,
    show_default=True,
    help="The PDF standard to meet: pdf/ua-1 is accessible (tagged); pdf/a-3b also archival "
    "(both carry the quote ledger inside the PDF).",
)
@findings_options
@watch_options("Build again whenever an outline, source or template changes.")
@corpus_options
def build(
    outlines: tuple[Path, ...], out_dir: Path, appendix: bool, pdf_variant: str, show: Show,
    watch: float | None, reading: Reading,
) -> None:  # fmt: skip
    """Verify OUTLINES, then write OUT/<name>.pdf, .docx and .quotes.json; nothing at all if
    a quote fails. A folder stands for the outlines in it."""

    def work() -> Done:
        from report.build import build as run_build

        built = run_build(
            outlines, out_dir, show.strict, appendix=appendix, pdf_variant=pdf_variant,
            defaults=_settings().outline_defaults(), **reading.kwargs(),
        )  # fmt: skip
        refused = "nothing written: every quote must verify before a brief is built"
        return Done(built.results, built.notices, refused, built.written)

    sys.exit(verify_watching(show, work, watch, outlines, corpus_dir=reading.corpus_dir))


@cli.command()
@click.argument("words")
@corpus_option("The corpus folder to search.", default=Path("corpus"))
@click.option("--source", "source_id", help="Search only this source id.")
@click.option(
    "--limit",
    type=click.IntRange(1, 100),
    default=5,
    show_default=True,
    help="How many passages to show, best first.",
)
@click.option(
    "--markdown",
    is_flag=True,
    help="Print each passage as a quotation with its citation, “…” [@id], for prose.",
)
@cache_dir_option
@no_cache_option
@database_option
def find(
    words: str, corpus_dir: Path, source_id: str | None, limit: int, markdown: bool,
    cache_dir: Path | None, no_cache: bool, database: str | None,
) -> None:  # fmt: skip
    """Show exact, quotable passages that contain WORDS, ready to paste into an outline."""
    if not words.strip():
        raise click.UsageError("give the words to look for")
    from report.passages import find_in_corpus, format_passage, format_passage_markdown

    with _input_errors():
        found = find_in_corpus(
            words, corpus_dir, source_id, limit, cache_dir, not no_cache, database
        )
    if not found:
        click.echo("no passage found", err=True)
        sys.exit(EXIT_FAILED)
    shown = format_passage_markdown if markdown else format_passage
    findings_out("\n".join(shown(p) for p in found))


@cli.command()
@click.argument("corpus_dir", type=click.Path(file_okay=False, path_type=Path))
@click.option(
    "--database",
    envvar="REPORT_DATABASE_URL",
    metavar="URL",
    required=True,
    help="The PostgreSQL database to load (e.g. postgresql://user@host/corpus).",
)
@click.option("--prune", is_flag=True, help="Delete the sources no longer in sources.yaml.")
@click.option("--full", is_flag=True, help="Read and write every source again, changed or not.")
def ingest(corpus_dir: Path, database: str, prune: bool, full: bool) -> None:
    """Load the corpus folder CORPUS_DIR into a PostgreSQL database, for `--database`: only
    the sources whose file or entry changed since the last ingest, each whole or not at all."""
    from report.database.ingest import ingest as run_ingest

    with _input_errors():
        done = run_ingest(corpus_dir, database, prune, progress=ingest_progress(), full=full)
    click.echo("\n".join(done.notices()), err=True)
    if done.unreadable:
        sys.exit(EXIT_INPUT)


@cli.command("index")
@corpus_option("The corpus folder to index.", default=Path("corpus"))
@cache_dir_option
def index_command(corpus_dir: Path, cache_dir: Path | None) -> None:
    """Build the corpus's search index, or bring it up to date (new, edited and removed
    sources only), on every core: what a check searches for a failed quote's other
    occurrences and closest passage. A nightly CI job can run it."""
    from report.cache import TextCache, default_cache_dir
    from report.corpus import load_corpus
    from report.index import CorpusIndex

    with _input_errors():
        corpus = load_corpus(corpus_dir, TextCache(cache_dir or default_cache_dir(corpus_dir)))
        index = CorpusIndex.open(corpus)
    added, removed = index.added, index.removed
    click.echo(
        f"{len(corpus.sources)} sources indexed: {added} added or changed, {removed} removed"
    )


@cli.command()
@corpus_option("The corpus folder whose sources.yaml to pin.", default=Path("corpus"))
def lock(corpus_dir: Path) -> None:
    """Pin every source in sources.yaml to the sha256 of its file as it is now."""
    from report.pins import lock as lock_sources

    with _input_errors():
        done = lock_sources(corpus_dir)
    for pin in done.pins:
        if pin.state != "unchanged":
            line = f"{done.sources_file}: {pin.state} {pin.source_id} (sha256 {pin.sha256})"
            click.echo(inert(line))
    states = [p.state for p in done.pins]
    counts = ", ".join(f"{states.count(s)} {s}" for s in ("pinned", "updated", "unchanged"))
    click.echo(f"{len(states)} source{'s' if len(states) != 1 else ''}: {counts}")


@cli.command()
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
def init(directory: Path) -> None:
    """Create a new project in DIRECTORY: corpus/, outlines/, templates/ and a sample."""
    from report.scaffold import init_project

    with _input_errors():
        project = init_project(directory)
    for path in project.files:
        click.echo(inert(f"created {path}"))
    outline = project.outline.relative_to(project.root)
    click.echo()
    click.echo(inert(f"next: cd {directory} && report check {outline} && report build {outline}"))


@cli.command()
@click.argument("draft", type=click.Path(dir_okay=False, path_type=Path))
@corpus_option(
    "The corpus folder [default: corpus/ beside the draft's folder, beside the draft, or in "
    "the working folder]."
)
@click.option(
    "--annotate",
    "annotated",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write a copy of the Word draft with a comment on every finding.",
)
@click.option(
    "--annotate-all", is_flag=True, help="With --annotate: comment on verified quotations too."
)
@click.option(
    "--all",
    "everything",
    is_flag=True,
    help="Also audit quotations of fewer than four words, scare quotes and titles.",
)
@findings_options
@cache_dir_option
@no_cache_option
def audit(
    draft: Path, corpus_dir: Path | None, annotated: Path | None, annotate_all: bool,
    everything: bool, show: Show, cache_dir: Path | None, no_cache: bool,
) -> None:  # fmt: skip
    """Verify every attributed quotation of a Word or Markdown DRAFT against the sources
    its notes cite; change nothing (--annotate writes a commented copy)."""
    if annotate_all and annotated is None:
        raise click.UsageError("--annotate-all needs --annotate OUT.docx")

    def work() -> Done:
        from report.audit import audit as run_audit
        from report.findings import Run

        done = run_audit(
            draft, corpus_dir, everything=everything, progress=progress_bar(),
            cache_dir=cache_dir, use_cache=not no_cache,
        )  # fmt: skip
        if annotated is None:
            return Done(done.results, draft=done)
        from report.annotate import write_annotated

        run = Run(done.results, show.strict, draft=True)
        written = write_annotated(done, run, annotated, everything=annotate_all)
        return Done(done.results, written=[written], draft=done)

    sys.exit(verify(show, work))


def main() -> None:
    tune_gc()
    # Click's own handling would end a Ctrl-C with status 1, the status of a failed check.
    try:
        code = cli.main(prog_name="report", standalone_mode=False, color=colour(os.environ))
    except click.exceptions.Abort:
        click.echo("interrupted", err=True)  # after the new line click has written
        sys.exit(EXIT_INTERRUPTED)
    except WorkerDied as exc:  # not a verdict on any quote: the status of unread input
        click.echo(f"report: {exc}", err=True)
        sys.exit(EXIT_INPUT)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except Exception as exc:  # the last resort, for the commands that have no --format
        sys.exit(internal_error(exc))
    sys.exit(code if isinstance(code, int) else EXIT_OK)
