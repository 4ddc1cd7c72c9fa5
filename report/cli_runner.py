"""A command's work -> what a terminal or CI log shows of it, and its exit status: the
findings in the format asked for (one runner, `verify`, for every command that verifies
quotes), input errors, a crash reported as one, the progress of long runs, colour or not.
With report.cli, the only module that prints; report.cli exits with the status returned here.
"""

from __future__ import annotations

import contextlib
import gc
import os
import sys
import time
import traceback
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import click

from report.cli_options import Show
from report.errors import ReportError, ReportErrors
from report.inert import inert
from report.parallel import WorkerDied
from report.progress import Progress

EXIT_OK, EXIT_FAILED, EXIT_INPUT = 0, 1, 2
EXIT_SOFTWARE = 70  # sysexits.h's EX_SOFTWARE: report itself failed, whatever the quotes
EXIT_INTERRUPTED = 130  # 128 + SIGINT, as shells report it: not to be read as "misquote"


def findings_out(text: str) -> None:
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


def print_input_errors(exc: ReportError, fmt: str = "text") -> None:
    errors = exc.errors if isinstance(exc, ReportErrors) else [exc]
    for e in errors:
        click.echo(inert(str(e)), err=True)
    # In the CI formats too, so that CI marks them on their line, and a report file that CI
    # uploads says what went wrong instead of being empty.
    if fmt in ("github", "junit", "sarif"):
        from report import ci_formats

        click.echo(ci_formats.input_errors(fmt, errors))


def internal_error(exc: Exception, fmt: str = "text", verbose: bool = False) -> int:
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
        findings_out(report)
    return EXIT_SOFTWARE


def guarded(run: Callable[[], int], fmt: str, verbose: bool = False) -> int:
    """run(), with a bug reported as one (see internal_error) in the command's format."""
    try:
        return run()
    except Exception as exc:  # the last resort: whatever it is, it is not a misquote
        return internal_error(exc, fmt, verbose)


@dataclass(frozen=True, slots=True)
class Done:
    """What a command that verifies quotes did, for _verify to print."""

    results: list[Any]  # report.findings.QuoteResult, in outline order
    notices: Sequence[Any] = ()  # said on stderr before the findings
    refused: str = ""  # said on stderr when a quote failed: what was not done
    written: Sequence[Path] = ()  # the files written, named on stderr after the findings
    draft: Any = None  # a draft's audit (report.audit.Audited): its own facts too


def verify(show: Show, work: Callable[[], Done]) -> int:
    """The runner of check, build and audit: run `work` and print its findings as `show`
    asks; the exit status says what was found. An input error is printed in that format
    too (status 2); a bug is reported as one (status 70)."""

    def attempt() -> int:
        from report import output
        from report.findings import Run

        try:
            done = work()
        except ReportError as exc:
            print_input_errors(exc, show.fmt)
            return EXIT_INPUT
        except WorkerDied as exc:  # in the CI format too, so that its report is not empty
            print_input_errors(ReportError(f"report: {exc}"), show.fmt)
            return EXIT_INPUT
        run = Run(done.results, show.strict, draft=done.draft is not None)
        if done.draft is None:
            text, notices = output.render(run, show.fmt, show.verbose), done.notices
        else:
            text, notices = output.render_audit(run, show.fmt, show.verbose, done.draft)
        for notice in notices:
            click.echo(inert(str(notice)), err=True)
        findings_out(text)
        if run.summary.failed and done.refused:
            click.echo(done.refused, err=True)
        for path in done.written:
            click.echo(inert(f"wrote {path}"), err=True)
        return EXIT_FAILED if run.summary.failed else EXIT_OK

    return guarded(attempt, show.fmt, show.verbose)


def verify_watching(
    show: Show,
    work: Callable[[], Done],
    watch: float | None = None,
    outlines: tuple[Path, ...] = (),
    extra: tuple[Path, ...] = (),
    corpus_dir: Path | None = None,
) -> int:
    """`verify` once; with `watch` (seconds between polls), again after every change to what
    `outlines` depend on (and to the `extra` files), until Ctrl-C. The status is the last."""
    code = verify(show, work)
    if watch is None:
        return code
    from report.watch import watch as watch_files
    from report.watch import watched_paths

    def changed(paths: list[Path]) -> None:
        shown = inert(", ".join(os.path.relpath(p) for p in paths[:3]))
        more = f" and {len(paths) - 3} more" if len(paths) > 3 else ""
        click.echo(f"\n{time.strftime('%H:%M:%S')} changed: {shown}{more}", err=True)
        nonlocal code
        gc.collect()  # what the last run left, with the collector tuned for one run
        code = verify(show, work)
        sys.stdout.flush()

    def started(files: int) -> None:
        sys.stdout.flush()  # the first findings before the notice, also when piped
        click.echo(f"watching {files} files for changes (Ctrl-C to stop)", err=True)

    with contextlib.suppress(KeyboardInterrupt):  # Ctrl-C is how a watch ends
        roots = lambda: [*watched_paths(outlines, corpus_dir), *extra]  # noqa: E731
        watch_files(roots, changed, interval=watch, on_start=started)
    return code


def progress_bar() -> Progress | None:
    """A progress bar on stderr for long runs: on a terminal only, never in CI."""
    if os.environ.get("CI") or not sys.stderr.isatty():
        return None
    return ProgressBar()


class ProgressBar:
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


def ingest_progress(every: float = 5.0) -> Callable[[str, int, int, int], None]:
    """A line on stderr at most `every` seconds (and at the end): an ingest may take hours,
    in CI too, where a bar would not show."""
    started = last = time.monotonic()

    def progress(stage: str, done: int, total: int, read: int) -> None:
        nonlocal last
        now = time.monotonic()
        if done >= total or now - last >= every:
            last, rate = now, read / 1e6 / max(now - started, 1e-9)
            click.echo(
                f"{stage}: {done}/{total} sources, {read / 1e6:.1f} MB ({rate:.1f} MB/s)", err=True
            )

    return progress


def tune_gc() -> None:
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
