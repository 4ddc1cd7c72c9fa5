"""The command line: parses arguments, runs a command, prints, and exits.

This is the only module that prints or exits. Exit status: 0 every quote verified,
1 at least one quote failed (or a warning under --strict), 2 the input could not be read,
70 report itself failed (a bug: never to be read as a verdict), 130 interrupted. Whatever it
prints that came from the input is inert (report.inert).

Each command imports what it runs when it runs (`report --help` imports none of it).
"""

from __future__ import annotations

import contextlib
import gc
import os
import sys
import time
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from report import __version__
from report.errors import Location, ReportError, ReportErrors
from report.inert import inert, inert_json
from report.parallel import WorkerDied
from report.progress import Progress
from report.render import DEFAULT_PDF_VARIANT, PDF_VARIANTS

# report.output.FORMATS, named here so that parsing arguments imports no renderer
# (tests/test_startup.py keeps the two the same).
FORMAT_NAMES = ("github", "json", "junit", "sarif", "text")

EXIT_OK, EXIT_FAILED, EXIT_INPUT = 0, 1, 2
EXIT_SOFTWARE = 70  # sysexits.h's EX_SOFTWARE: report itself failed, whatever the quotes

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
corpus_option = click.option(
    "--corpus",
    "corpus_dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="The corpus folder for every outline, instead of each outline's own (its `corpus:`,"
    " else corpus/ beside its outlines/ folder).",
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
outlines_argument = click.argument(  # a folder stands for the outlines in it
    "outlines", nargs=-1, required=True, type=click.Path(path_type=Path)
)


def _findings_out(text: str) -> None:
    """Print findings. A reader that stops early (`report check ... | head`) is no reason
    to change the exit status, which says what was found (click would make it 1, "a quote
    failed"): the rest of the output goes nowhere."""
    try:
        click.echo(text)
        sys.stdout.flush()
    except BrokenPipeError:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())  # Python's own flush at exit then succeeds
        os.close(devnull)


def _input_error(exc: ReportError) -> None:
    _print_input_errors(exc)
    sys.exit(EXIT_INPUT)


def _print_input_errors(exc: ReportError, fmt: str = "text") -> None:
    errors = exc.errors if isinstance(exc, ReportErrors) else [exc]
    for e in errors:
        click.echo(inert(str(e)), err=True)
    # In the CI formats too, so that CI marks them on their line, and a report file that CI
    # uploads says what went wrong instead of being empty.
    if fmt in ("github", "junit", "sarif"):
        from report import ci_formats

        render = {
            "github": ci_formats.github_input_errors,
            "junit": ci_formats.junit_input_errors,
            "sarif": ci_formats.sarif_input_errors,
        }[fmt]
        click.echo(render(errors))


def _internal_error(exc: Exception, fmt: str = "text", verbose: bool = False) -> int:
    """An exception that is neither an input error nor a finding: a bug in report. One line
    on stderr asking for a bug report (the traceback too with -v or REPORT_DEBUG), the same
    in the CI format, and a status of its own, so CI never reads a crash as a misquote."""
    if verbose or os.environ.get("REPORT_DEBUG"):  # inert too, line by line
        lines = "".join(traceback.format_exception(exc)).rstrip("\n").split("\n")
        click.echo("\n".join(map(inert, lines)), err=True)
    what = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
    if len(what) > 500:
        what = what[:499] + "…"
    message = (
        f"report: internal error ({what}): this is a bug in report, not a finding about your "
        "quotes or input; please report it with the command that failed"
        + ("" if verbose else " (run it with REPORT_DEBUG=1 for the traceback)")
    )
    click.echo(inert(message), err=True)
    from report import ci_formats

    report = ci_formats.internal_error(fmt, message, EXIT_SOFTWARE)
    if report is not None:
        _findings_out(report)
    return EXIT_SOFTWARE


def _guarded(run: Callable[[], int], fmt: str, verbose: bool = False) -> int:
    """run(), with a bug reported as one (see _internal_error) in the command's format."""
    try:
        return run()
    except Exception as exc:  # the last resort: whatever it is, it is not a misquote
        return _internal_error(exc, fmt, verbose)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="report")
@click.pass_context
def cli(ctx: click.Context) -> None:
    """Policy briefs that cannot misquote: verify every quote, then render PDF and Word."""
    from report.config import load_config

    try:  # report.toml or [tool.report]: the defaults of the options (report.config)
        ctx.obj = load_config()
    except ReportError as exc:
        _input_error(exc)
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
    from report.config import describe, effective, shown_value

    entries = effective(settings, os.environ)
    if fmt == "json":
        import json

        doc = {
            "file": str(settings.file) if settings.file else None,
            "settings": {
                e.key: {"value": shown_value(e.key, e.value), "origin": e.origin} for e in entries
            },
        }
        click.echo(inert_json(json.dumps(doc, ensure_ascii=False, indent=2)))
        return
    click.echo("\n".join(inert(line) for line in describe(settings, entries, Path.cwd())))


@cli.command()
@click.argument("outlines", nargs=-1, type=click.Path(path_type=Path))  # a folder: its outlines
@click.option(
    "--ledger",
    "ledgers",
    multiple=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="Re-verify a quote ledger (OUTLINE.quotes.json, or the brief's PDF that carries it) "
    "against the corpus it names.",
)
@format_option
@strict_option
@verbose_option
@click.option(
    "--watch", is_flag=True, help="Check again whenever an outline, source or template changes."
)
@click.option("--interval", type=click.FloatRange(0.01), default=0.5, hidden=True)
@corpus_option
@cache_dir_option
@no_cache_option
@database_option
def check(
    outlines: tuple[Path, ...],
    ledgers: tuple[Path, ...],
    fmt: str,
    strict: bool,
    verbose: bool,
    watch: bool,
    interval: float,
    corpus_dir: Path | None,
    cache_dir: Path | None,
    no_cache: bool,
    database: str | None,
) -> None:
    """Verify every quote of OUTLINES (or of --ledger files) against the corpus; change
    nothing. A folder stands for the outlines in it."""
    if not outlines and not ledgers:
        raise click.UsageError("give at least one OUTLINE or --ledger FILE")
    from report import output
    from report.findings import Run
    from report.pipeline import check as run_check

    def attempt() -> int:
        try:
            checked = (
                run_check(
                    outlines,
                    corpus_dir,
                    progress=_progress_bar(),
                    cache_dir=cache_dir,
                    use_cache=not no_cache,
                    database=database,
                )
                if outlines
                else []
            )
            results = [r for c in checked for r in c.results]
            if ledgers:
                from report.ledger import verify_ledger

                results += [r for path in ledgers for r in verify_ledger(path)]
        except ReportError as exc:
            _print_input_errors(exc, fmt)
            return EXIT_INPUT
        except WorkerDied as exc:  # in the CI format too, so that its report is not empty
            _print_input_errors(ReportError(f"report: {exc}"), fmt)
            return EXIT_INPUT
        run = Run(results, strict)
        _findings_out(output.render(run, fmt, verbose))
        return EXIT_FAILED if run.summary.failed else EXIT_OK

    def once() -> int:
        return _guarded(attempt, fmt, verbose)

    code = once()
    if watch:
        code = _watch(outlines, once, interval, code, extra=ledgers, corpus_dir=corpus_dir)
    sys.exit(code)


def _watch(
    outlines: tuple[Path, ...],
    once: Callable[[], int],
    interval: float,
    code: int,
    extra: tuple[Path, ...] = (),
    corpus_dir: Path | None = None,
) -> int:
    """Run `once` again after every change to what `outlines` depend on (and to the `extra`
    files), until Ctrl-C; the exit status is the last run's."""
    from report.watch import watch, watched_paths

    def changed(paths: list[Path]) -> None:
        shown = inert(", ".join(os.path.relpath(p) for p in paths[:3]))
        more = f" and {len(paths) - 3} more" if len(paths) > 3 else ""
        click.echo(f"\n{time.strftime('%H:%M:%S')} changed: {shown}{more}", err=True)
        nonlocal code
        gc.collect()  # what the last run left, with the collector tuned for one run
        code = once()
        sys.stdout.flush()

    def started(files: int) -> None:
        sys.stdout.flush()  # the first findings before the notice, also when piped
        click.echo(f"watching {files} files for changes (Ctrl-C to stop)", err=True)

    with contextlib.suppress(KeyboardInterrupt):  # Ctrl-C is how a watch ends
        roots = lambda: [*watched_paths(outlines, corpus_dir), *extra]  # noqa: E731
        watch(roots, changed, interval=interval, on_start=started)
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
        self.bar.update(done - self.bar.pos)  # work is reported in steps of any size
        if done >= total:
            self.close()

    def close(self) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)
            self.bar = None


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
    sys.exit(_guarded(lambda: _write_ledger(outline, target, fmt), fmt))


def _write_ledger(outline: Path, target: Path | None, fmt: str) -> int:
    import json

    from report import output
    from report.atomic import write_atomic
    from report.findings import Run
    from report.ledger import ledger_json
    from report.pipeline import check as run_check

    try:
        (checked,) = run_check([outline])
    except ReportError as exc:
        _print_input_errors(exc, fmt)
        return EXIT_INPUT
    if checked.failed():
        _findings_out(output.render(Run(checked.results), fmt))
        click.echo("no ledger written: a quote failed", err=True)
        return EXIT_FAILED
    target = target or Path("out") / f"{checked.outline.name}.quotes.json"
    doc = ledger_json(
        checked.outline, checked.results, checked.corpus, base=target.parent, name=target.name
    )
    try:
        write_atomic(target, (json.dumps(doc, ensure_ascii=False, indent=2) + "\n").encode())
    except OSError as exc:
        _print_input_errors(ReportError(f"cannot write: {exc.strerror}", Location(str(target))))
        return EXIT_INPUT
    sources = len(doc["report"]["sources"])
    click.echo(inert(f"{target}: {doc['total']} quotes from {sources} sources"))
    return EXIT_OK


@cli.command()
@outlines_argument
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
@format_option
@strict_option
@verbose_option
@click.option(
    "--watch", is_flag=True, help="Build again whenever an outline, source or template changes."
)
@click.option("--interval", type=click.FloatRange(0.01), default=0.5, hidden=True)
@corpus_option
@cache_dir_option
@no_cache_option
@database_option
def build(
    outlines: tuple[Path, ...],
    out_dir: Path,
    appendix: bool,
    pdf_variant: str,
    fmt: str,
    strict: bool,
    verbose: bool,
    watch: bool,
    interval: float,
    corpus_dir: Path | None,
    cache_dir: Path | None,
    no_cache: bool,
    database: str | None,
) -> None:
    """Verify OUTLINES, then write OUT/<name>.pdf, .docx and .quotes.json; nothing at all if
    a quote fails. A folder stands for the outlines in it."""
    from report import output
    from report.build import build as run_build
    from report.findings import Run

    def attempt() -> int:
        try:
            built = run_build(
                outlines,
                out_dir,
                strict,
                appendix=appendix,
                corpus_dir=corpus_dir,
                cache_dir=cache_dir,
                use_cache=not no_cache,
                pdf_variant=pdf_variant,
                defaults=_settings().outline_defaults(),
                database=database,
            )
        except ReportError as exc:
            _print_input_errors(exc, fmt)
            return EXIT_INPUT
        except WorkerDied as exc:  # in the CI format too, so that its report is not empty
            _print_input_errors(ReportError(f"report: {exc}"), fmt)
            return EXIT_INPUT
        for notice in built.notices:
            click.echo(str(notice), err=True)
        run = Run(built.results, strict)
        _findings_out(output.render(run, fmt, verbose))
        if run.summary.failed:
            click.echo("nothing written: every quote must verify before a brief is built", err=True)
            return EXIT_FAILED
        for path in built.written:
            click.echo(inert(f"wrote {path}"), err=True)
        return EXIT_OK

    def once() -> int:
        return _guarded(attempt, fmt, verbose)

    code = once()
    if watch:
        code = _watch(outlines, once, interval, code, corpus_dir=corpus_dir)
    sys.exit(code)


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
    words: str,
    corpus_dir: Path,
    source_id: str | None,
    limit: int,
    markdown: bool,
    cache_dir: Path | None,
    no_cache: bool,
    database: str | None,
) -> None:
    """Show exact, quotable passages that contain WORDS, ready to paste into an outline."""
    if not words.strip():
        raise click.UsageError("give the words to look for")
    from report.passages import find_in_corpus, format_passage, format_passage_markdown

    try:
        passages = find_in_corpus(
            words, corpus_dir, source_id, limit, cache_dir, not no_cache, database
        )
    except ReportError as exc:
        _input_error(exc)
        return
    if not passages:
        click.echo("no passage found", err=True)
        sys.exit(EXIT_FAILED)
    shown = format_passage_markdown if markdown else format_passage
    _findings_out("\n".join(shown(p) for p in passages))


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
@click.option(
    "--full", is_flag=True, help="Read and write every source again, changed or not."
)
def ingest(corpus_dir: Path, database: str, prune: bool, full: bool) -> None:
    """Load the corpus folder CORPUS_DIR into a PostgreSQL database, for `--database`: only
    the sources whose file or entry changed since the last ingest, each whole or not at all."""
    from report.database.ingest import ingest as run_ingest

    try:
        done = run_ingest(corpus_dir, database, prune, progress=_IngestProgress(), full=full)
    except ReportError as exc:
        _input_error(exc)
        return
    mb = done.bytes_read / 1e6
    click.echo(
        f"{len(done.written)} written, {len(done.updated)} updated, {len(done.unchanged)} "
        f"unchanged, {len(done.pruned)} pruned ({mb:.1f} MB read in {done.seconds:.1f} s)",
        err=True,
    )
    if done.left:
        click.echo(
            f"{done.left} sources in the database are no longer in sources.yaml "
            "(--prune deletes them)",
            err=True,
        )
    if done.unreadable:
        for exc in done.unreadable:
            click.echo(f"{exc}", err=True)
        click.echo(
            f"{len(done.unreadable)} source files could not be read: a check that quotes "
            "them says so",
            err=True,
        )
        sys.exit(EXIT_INPUT)


class _IngestProgress:
    """A line on stderr at most every few seconds (and at the end): an ingest may take
    hours, in CI too, where a bar would not show."""

    EVERY = 5.0

    def __init__(self) -> None:
        self.started = self.last = time.monotonic()

    def __call__(self, stage: str, done: int, total: int, read: int) -> None:
        now = time.monotonic()
        if done < total and now - self.last < self.EVERY:
            return
        self.last = now
        rate = read / 1e6 / max(now - self.started, 1e-9)
        click.echo(
            f"{stage}: {done}/{total} sources, {read / 1e6:.1f} MB ({rate:.1f} MB/s)", err=True
        )


@cli.command("index")
@click.option(
    "--corpus",
    "corpus_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("corpus"),
    show_default=True,
    help="The corpus folder to index.",
)
@cache_dir_option
def index_command(corpus_dir: Path, cache_dir: Path | None) -> None:
    """Build the corpus's search index, or bring it up to date (new, edited and removed
    sources only), on every core: what a check searches for a failed quote's other
    occurrences and closest passage. A nightly CI job can run it."""
    from report.cache import TextCache, default_cache_dir
    from report.corpus import load_corpus
    from report.index import CorpusIndex

    try:
        corpus = load_corpus(corpus_dir, TextCache(cache_dir or default_cache_dir(corpus_dir)))
        index = CorpusIndex.open(corpus)
    except ReportError as exc:
        _input_error(exc)
        return
    click.echo(
        f"{len(corpus.sources)} sources indexed: {index.added} added or changed, "
        f"{index.removed} removed"
    )


@cli.command()
@click.option(
    "--corpus",
    "corpus_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("corpus"),
    show_default=True,
    help="The corpus folder whose sources.yaml to pin.",
)
def lock(corpus_dir: Path) -> None:
    """Pin every source in sources.yaml to the sha256 of its file as it is now."""
    from report.pins import lock as lock_sources

    try:
        done = lock_sources(corpus_dir)
    except ReportError as exc:
        _input_error(exc)
        return
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

    try:
        project = init_project(directory)
    except ReportError as exc:
        _input_error(exc)
        return
    for path in project.files:
        click.echo(inert(f"created {path}"))
    outline = project.outline.relative_to(project.root)
    click.echo()
    click.echo(inert(f"next: cd {directory} && report check {outline} && report build {outline}"))


@cli.command()
@click.argument("draft", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--corpus",
    "corpus_dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="The corpus folder [default: corpus/ beside the draft's folder, beside the draft, "
    "or in the working folder].",
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
@format_option
@strict_option
@verbose_option
@cache_dir_option
@no_cache_option
def audit(
    draft: Path,
    corpus_dir: Path | None,
    annotated: Path | None,
    annotate_all: bool,
    everything: bool,
    fmt: str,
    strict: bool,
    verbose: bool,
    cache_dir: Path | None,
    no_cache: bool,
) -> None:
    """Verify every attributed quotation of a Word or Markdown DRAFT against the sources
    its notes cite; change nothing (--annotate writes a commented copy)."""
    from report import output
    from report.audit import audit as run_audit
    from report.findings import Run

    if annotate_all and annotated is None:
        raise click.UsageError("--annotate-all needs --annotate OUT.docx")
    try:
        done = run_audit(
            draft,
            corpus_dir,
            everything=everything,
            progress=_progress_bar(),
            cache_dir=cache_dir,
            use_cache=not no_cache,
        )
        run = Run(done.results, strict, draft=True)
        written = None
        if annotated is not None:
            from report.annotate import write_annotated

            written = write_annotated(done, run, annotated, everything=annotate_all)
    except ReportError as exc:
        _print_input_errors(exc, fmt)
        sys.exit(EXIT_INPUT)
    except WorkerDied as exc:
        _print_input_errors(ReportError(f"report: {exc}"), fmt)
        sys.exit(EXIT_INPUT)
    text = output.render(run, fmt, verbose)
    if fmt == "json":  # the draft's own facts beside the findings
        import json

        doc = json.loads(text)
        doc["draft"] = done.summary_json()
        text = json.dumps(doc, ensure_ascii=False, indent=2)
    elif fmt == "text":
        text = "\n".join([*done.notices(), text])
    else:
        for line in done.notices():
            click.echo(line, err=True)
    _findings_out(text)
    if written is not None:
        click.echo(f"wrote {written}", err=True)
    sys.exit(EXIT_FAILED if run.summary.failed else EXIT_OK)


EXIT_INTERRUPTED = 130  # 128 + SIGINT, as shells report it: not to be read as "misquote"


def _tune_gc() -> None:
    """A run of report makes millions of small objects that live until it ends (YAML
    nodes, evidence, results); with Python's default thresholds the cyclic collector scans
    them all over and over (for an outline of 100,000 quotes, five times the time the YAML
    takes to parse). Collected rarely instead, and never the objects of the imports."""
    gc.freeze()
    gc.set_threshold(100_000, 50, 100)  # (--watch collects between its runs)


def colour(environ: Any) -> bool | None:
    """Colour or not, else None (click's choice: on a terminal only). NO_COLOR (no-color.org)
    wins: plain text even on a terminal; FORCE_COLOR (force-color.org, any value) and
    CLICOLOR_FORCE (any value but 0) colour a pipe or a CI log too. Empty is unset."""
    if environ.get("NO_COLOR"):
        return False
    if environ.get("FORCE_COLOR") or environ.get("CLICOLOR_FORCE", "0") not in ("", "0"):
        return True
    return None


def main() -> None:
    _tune_gc()
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
        sys.exit(_internal_error(exc))
    sys.exit(code if isinstance(code, int) else EXIT_OK)
