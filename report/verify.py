"""Outlines x a corpus -> one QuoteResult per quote (SPEC: Findings).

`verify_quote` decides the finding on one quote. `report check` (outlines), `report audit`
(drafts) and `report check --ledger` (quote ledgers: report.ledger) all come here, and a
source's bytes are compared with the sha256 they are pinned to (by sources.yaml or by a
ledger) in one place, `source_changed`. Many quotes are verified in two steps, each run on
every core when there are enough quotes (report.parallel):
1. Each source the quotes name is read once (through report.prepare), and every quote that
   names it is matched in one pass over it (report.match).
2. Only quotes that fail in their named source are looked for in the other sources, through
   the index (report.elsewhere): for a verbatim occurrence (wrong source) or the closest
   passage (misquote).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from report.confirm import Confirmation, read_again
from report.context import context_warnings
from report.corpus import Corpus, SourceText
from report.elsewhere import CorpusSearch
from report.errors import CorpusError, Location, OutlineError, ReportError, ReportErrors, gather
from report.findings import (
    Changed,
    Match,
    Pages,
    QuoteResult,
    QuoteWarning,
    Status,
    WarningKind,
    WrongPage,
)
from report.match import (
    Candidates,
    Span,
    across_line_hyphens,
    across_paragraphs,
    across_text,
    search_window,
    to_match,
)
from report.model import Evidence, Outline
from report.parallel import forked_map, workers
from report.progress import Progress
from report.quote import QuotePattern, compile_quote

MIN_WORDS = 3
MAX_CLOSEST = 2000  # closest passages per run: each costs milliseconds, 10,000 cost a minute
# From this many quotes a run forks workers: below it, forking costs more than it saves.
PARALLEL_QUOTES = 500
# Step 1 in workers pays only when reading and scanning the named sources is the work: each
# result's trip back from a worker (pickled, unpickled here) costs about what checking a
# quote in a source already read does. About 2 ms a source against 20 us a quote.
QUOTES_PER_SOURCE_FORKED = 100
_JOBS_PER_WORKER = 4  # jobs of about equal work each, so that no worker waits on another


def check_sources(outline: Outline, corpus: Corpus) -> None:
    """Every evidence item and citation must name a source the corpus has (an input error
    otherwise)."""
    errors: list[ReportError] = []
    known = ""  # listed only for an error: an archive has 100,000 ids
    named = [(ev.source, ev.source_location) for ev in outline.evidence()]
    named += [(item.source, item.location) for c in outline.citations() for item in c.items]
    for source, where in dict.fromkeys(named):
        if source not in corpus:
            known = known or ", ".join(sorted(corpus.ids()))
            errors.append(OutlineError(f"unknown source '{source}' (known: {known})", where))
    if errors:
        raise errors[0] if len(errors) == 1 else ReportErrors(errors)


@dataclass(frozen=True, slots=True)
class Recorded:
    """What a quote ledger recorded of a quote (report.ledger): the sha256 of its source's
    bytes then, which the source is held to instead of sources.yaml's pin, and which of the
    quote's occurrences the brief meant."""

    ledger: str  # the ledger, as messages name it
    file: str  # the source's file, as the ledger names it (told when the source is gone)
    sha256: str | None
    # The occurrence meant, as [start, end) in a text's normalised offsets (None: not found).
    meant: Callable[[SourceText], Span | None] | None = None


@dataclass
class _Run:
    """What both steps read; forked workers inherit it rather than receive it pickled."""

    evidence: list[Evidence]
    patterns: list[QuotePattern]
    named_of: list[str]  # the source each quote names
    recorded: list[Recorded | None]  # what a ledger recorded of each quote, if it comes from one
    corpus: Corpus
    search: CorpusSearch
    # In one process step 2 follows step 1 source by source, with the text in hand. Either
    # way the first MAX_CLOSEST misquotes, in source order, get a closest passage.
    inline: bool
    closest_left: int

    def take_closest(self) -> bool:
        """Whether the next misquote gets its closest passage (a run finds MAX_CLOSEST)."""
        with_closest = self.closest_left > 0
        self.closest_left -= with_closest
        return with_closest


_run: _Run | None = None  # the run in progress, for the workers


def verify(
    outlines: Sequence[Outline], corpus: Corpus, progress: Progress | None = None
) -> list[list[QuoteResult]]:
    """Verify the quotes of several outlines against one corpus; results per outline."""
    gather(outlines, lambda outline: check_sources(outline, corpus))  # every unknown source
    flat = verify_evidence([ev for o in outlines for ev in o.evidence()], corpus, progress)
    out, pos = [], 0
    for outline in outlines:
        n = len(outline.evidence())
        out.append(flat[pos : pos + n])
        pos += n
    return out


def verify_evidence(
    evidence: list[Evidence],
    corpus: Corpus,
    progress: Progress | None = None,
    recorded: Sequence[Recorded | None] | None = None,
) -> list[QuoteResult]:
    """One result per quote, in order; `recorded`: what a quote ledger recorded of each
    (verify_quote). A quote that fails and has alternates (the other sources its citation
    names, another spelling of its nested quotation marks) is tried in those, and the best
    result stands (a verified one if there is one)."""
    flat = _verify_each(evidence, corpus, progress, list(recorded or [None] * len(evidence)))
    retry = [
        (i, alt)
        for i, r in enumerate(flat)
        if r.status.failed
        for alt in evidence[i].alternates
    ]
    if retry:
        again = _verify_each([alt for _, alt in retry], corpus, None, [None] * len(retry))
        for (i, _), result in zip(retry, again, strict=True):
            if _rank(result) < _rank(flat[i]):
                flat[i] = result
    return flat


# Which of several tries of one quote is reported: the one that has it.
_PREFERENCE = {
    Status.VERIFIED: 0,
    Status.WRONG_PAGE: 1,
    Status.OUTSIDE_BODY: 2,
    Status.SOURCE_CHANGED: 3,
    Status.WRONG_SOURCE: 4,
    Status.MISQUOTE: 5,
}


def _rank(result: QuoteResult) -> tuple[int, float]:
    closest = result.closest or result.closest_corpus
    return _PREFERENCE.get(result.status, 6), -(closest.score if closest else 0.0)


def _verify_each(
    evidence: list[Evidence],
    corpus: Corpus,
    progress: Progress | None,
    recorded: list[Recorded | None],
) -> list[QuoteResult]:
    global _run
    patterns = [compile_quote(ev.quote) for ev in evidence]
    # Only the named sources are read and scanned, one at a time (a worker holds one
    # source's text, not every named one); the rest of the corpus is reached through the
    # index, and only for quotes that fail in their named source.
    by_source: dict[str, list[int]] = {}
    results: dict[int, QuoteResult] = {}
    for i, (ev, record) in enumerate(zip(evidence, recorded, strict=True)):
        if record is not None and ev.source not in corpus:  # a ledger's, of a source gone
            results[i] = source_gone(ev, record)
        else:
            by_source.setdefault(ev.source, []).append(i)
    corpus.confirm_entries(list(by_source))  # cached sources.yaml entries: read again
    corpus.prefetch(list(by_source))
    # Forked workers open their own cache and index files; without a cache folder the
    # index lives in this process's memory, so the run stays in it.
    parallel = len(evidence) >= PARALLEL_QUOTES and corpus.forkable()
    named_of = [ev.source for ev in evidence]
    search = CorpusSearch(corpus)
    _run = _Run(evidence, patterns, named_of, recorded, corpus, search, not parallel, MAX_CLOSEST)
    step_one_parallel = parallel and forking_pays(len(evidence), len(by_source))
    try:
        failed: list[int] = []
        groups = _balanced(list(by_source.items()), step_one_parallel)
        done, total = 0, len(by_source)
        jobs = forked_map(_in_named, groups, step_one_parallel)
        for job, found in zip(groups, jobs, strict=True):
            if isinstance(found, ReportError):
                raise found
            for i, result in found:
                if result is None:
                    failed.append(i)
                else:
                    results[i] = result
            done += len(job)
            if progress is not None:
                progress("reading sources", done, total)
        if failed:
            # An index this process could only keep in memory (no usable cache folder)
            # cannot be shared with workers, so step 2 then stays here.
            parallel = parallel and _run.search.shared_by_workers()
            results.update(_beyond_named(failed, parallel))
    finally:
        _run = None
    # Results from worker processes carry copies of the evidence: each gets the outline's
    # own again, which the brief and the ledger look their quotes up by.
    # (A result made in this process has it already: 100,000 copies cost half a second.)
    return [_with_evidence(results[i], ev) for i, ev in enumerate(evidence)]


def _with_evidence(result: QuoteResult, evidence: Evidence) -> QuoteResult:
    return result if result.evidence is evidence else replace(result, evidence=evidence)


def forking_pays(quotes: int, sources: int) -> bool:
    """Whether step 1 (quotes in their named sources) is worth forking workers for: many
    named sources, each to read and scan (an outline of 100,000 quotes from 4 sources runs
    twice as fast in one process; 10,000 quotes from 6,000 sources in workers). Step 2,
    whose searches cost milliseconds a quote, forks from PARALLEL_QUOTES on whatever this
    says."""
    return sources * QUOTES_PER_SOURCE_FORKED >= quotes


def _balanced(
    groups: list[tuple[str, list[int]]], parallel: bool
) -> list[list[tuple[str, list[int]]]]:
    """The named sources in jobs of about equal numbers of quotes (in one process, one
    source a job, so that progress is reported source by source)."""
    if not parallel:
        return [[group] for group in groups]
    target = max(1, sum(len(g[1]) for g in groups) // (workers() * _JOBS_PER_WORKER))
    jobs: list[list[tuple[str, list[int]]]] = [[]]
    size = 0
    for group in groups:
        if size >= target:
            jobs.append([])
            size = 0
        jobs[-1].append(group)
        size += len(group[1])
    return jobs


def _chunks(jobs: list, parallel: bool) -> list[list]:
    """Jobs in about equal chunks for the workers (one chunk in one process)."""
    if not parallel or not jobs:
        return [jobs] if jobs else []
    n = workers() * _JOBS_PER_WORKER
    size = -(-len(jobs) // n)
    return [jobs[k : k + size] for k in range(0, len(jobs), size)]


def _in_named(
    groups: list[tuple[str, list[int]]],
) -> list[tuple[int, QuoteResult | None]] | ReportError:
    """Step 1 for some named sources: each quote's finding (verify_quote) or, in workers,
    its finding if it is found in its named source, else None (step 2 decides it). An
    input error (a source that cannot be read) is returned, for the parent to raise."""
    assert _run is not None
    run = _run
    out: list[tuple[int, QuoteResult | None]] = []
    try:
        for sid, indices in groups:
            text = run.corpus.text(sid, keep=False)
            closest_left = run.closest_left
            found = _decided(run, sid, indices, text)
            if text.from_cache and not _confirmed(run, sid, indices, text, found):
                data = read_again(text)  # the cache told a story the bytes do not bear out
                if data is None:
                    raise CorpusError(
                        "the file changed while it was being checked: run the check again",
                        Location(text.shown),
                    )
                text = run.corpus.rebuilt(sid, data)
                run.closest_left = closest_left  # its misquotes are decided again
                found = _decided(run, sid, indices, text)
            out.extend((i, found[i]) for i in indices)
    except ReportError as exc:
        return exc
    return out


def _decided(
    run: _Run, sid: str, indices: list[int], text: SourceText
) -> dict[int, QuoteResult | None]:
    """The findings on the quotes that name `text`'s source, matched in one pass over it;
    in workers, None for a quote not found in it (step 2 decides it)."""
    candidates = Candidates(run.patterns, [text], run.named_of, indices)
    found: dict[int, QuoteResult | None] = {}
    for i in indices:
        ev, pattern, recorded = run.evidence[i], run.patterns[i], run.recorded[i]
        spans = candidates.find(i, sid)
        if run.inline:  # step 2 at once, the text in hand
            closest = run.take_closest
            found[i] = verify_quote(ev, pattern, text, run.search, spans, closest, recorded)
            continue
        result = in_named(ev, pattern, text, spans, recorded)
        found[i] = None if result is None else source_changed(result, text, recorded)
    return found


def _confirmed(
    run: _Run,
    sid: str,
    indices: list[int],
    text: SourceText,
    found: dict[int, QuoteResult | None],
) -> bool:
    """Every quote found in the body of a text from the cache (verified, or failed only as
    its source changed) is in the file's own bytes (and the file still has them):
    report.confirm."""
    verified = [
        i
        for i in indices
        if (r := found[i]) is not None
        and r.status in (Status.VERIFIED, Status.SOURCE_CHANGED)
        and r.match is not None
        and r.match.source_id == sid
        and r.match.in_body
    ]
    if not verified:
        return True
    data = read_again(text)
    if data is None:
        return False
    confirmation = Confirmation(text, data)  # the text built afresh once for all its quotes
    for i in verified:
        result = found[i]
        assert result is not None and result.match is not None
        if not confirmation.confirmed(run.patterns[i], result.match):
            return False
    return True


# -- the finding on one quote --------------------------------------------------------------


def verify_quote(
    ev: Evidence,
    pattern: QuotePattern,
    named: SourceText,
    search: CorpusSearch,
    spans: Sequence[Span] | None = None,
    with_closest: bool | Callable[[], bool] = True,
    recorded: Recorded | None = None,
) -> QuoteResult:
    """The finding on one quote (SPEC: Findings), whose source `named` is as read in this
    run; `spans`: the quote's occurrences in it, when already matched (report.match).

    In this order: found in the named source's body, on the page it gives: verified (else
    wrong page); found there outside the body: outside body (`in_named`); found verbatim in
    another source of the corpus: wrong source; else a misquote, with its closest passage
    when `with_closest` (a bool, or asked of a callable only for a misquote:
    `not_in_named`). Whatever it is, a source whose bytes are not the ones it is pinned to
    fails it as source changed (`source_changed`). In workers, step 2 of `verify_evidence`
    takes the last two apart, to give the first MAX_CLOSEST misquotes, in order, their
    closest passage."""
    if spans is None:
        spans = search_window(pattern, named, None)
    result = in_named(ev, pattern, named, spans, recorded)
    if result is None:
        result = not_in_named(ev, pattern, named, search, with_closest)
    return source_changed(result, named, recorded)


def in_named(
    ev: Evidence,
    pattern: QuotePattern,
    named: SourceText,
    spans: Sequence[Span],
    recorded: Recorded | None = None,
) -> QuoteResult | None:
    """The quote's finding if it is found in its named source at `spans` (or spelt across
    a PDF line-end hyphen the other way), else None. Of several occurrences, those a ledger
    `recorded` as meant come first."""
    if recorded is not None and recorded.meant is not None and spans:
        meant = recorded.meant(named)
        if meant is not None:
            spans = [s for s in spans if s[0] < meant[1] and meant[0] < s[1]] or spans
    result = _in_source(ev, pattern, list(spans), named)
    return result if result is not None else _respelled(ev, pattern, named)


def not_in_named(
    ev: Evidence,
    pattern: QuotePattern,
    named: SourceText,
    search: CorpusSearch,
    with_closest: bool | Callable[[], bool] = True,
) -> QuoteResult:
    """The finding on a quote not found in its named source: wrong source if another
    source has it verbatim, else a misquote."""
    result = _wrong_source(ev, pattern, search)
    if result is not None:
        return result
    closest = with_closest() if callable(with_closest) else with_closest
    return _misquote(ev, pattern, named, search, closest)


def source_changed(
    result: QuoteResult, text: SourceText, recorded: Recorded | None = None
) -> QuoteResult:
    """The result, failed as SOURCE_CHANGED when the bytes of its named source (`text`, as
    read in this run) are not the ones it is pinned to: the sha256 a quote ledger
    `recorded`, else sources.yaml's `sha256` (`report lock`)."""
    pinned = recorded.sha256 if recorded is not None else text.source.sha256
    if not pinned or not text.sha256 or pinned.lower() == text.sha256:
        return result
    ledger = recorded.ledger if recorded is not None else ""
    changed = Changed(text.source.id, text.shown, pinned.lower(), text.sha256, ledger)
    return replace(result, status=Status.SOURCE_CHANGED, changed=changed)


def source_gone(ev: Evidence, recorded: Recorded) -> QuoteResult:
    """The finding on a ledger's quote whose source the corpus no longer has."""
    gone = Changed(ev.source, recorded.file, recorded.sha256 or "", None, recorded.ledger)
    return QuoteResult(ev, Status.SOURCE_CHANGED, changed=gone)


def _in_source(
    ev: Evidence, pattern: QuotePattern, spans: list[tuple[int, int]], named: SourceText
) -> QuoteResult | None:
    found = [to_match(named, s) for s in spans]
    in_body = [m for m in found if m.in_body]
    if in_body:
        page = ev.locator.value if ev.locator and ev.locator.label == "page" else None
        on_page = [m for m in in_body if page is None or on_pages(page, m.pages)]
        if not on_page:
            assert page is not None
            return QuoteResult(
                ev,
                Status.WRONG_PAGE,
                in_body[0],
                tuple(in_body),
                warnings=match_warnings(ev, pattern, named, in_body[0]),
                wrong_page=WrongPage(page, in_body[0].pages),
            )
        return QuoteResult(
            ev,
            Status.VERIFIED,
            on_page[0],
            tuple(in_body),
            warnings=match_warnings(ev, pattern, named, on_page[0]),
        )
    if found:
        return QuoteResult(
            ev,
            Status.OUTSIDE_BODY,
            found[0],
            tuple(found),
            warnings=match_warnings(ev, pattern, named, found[0]),
        )
    return None


def on_pages(given: str, pages: Pages | None) -> bool:
    """Is every page a quote is on one that `given` (an evidence item's `page:`: `12`,
    `12-13`, `12, 14`, `iv`) names? A page is named by its printed label (its number where
    the PDF has no labels); a source without pages is on none."""
    if pages is None:
        return False
    labels = [pages.first_label, pages.last_label]  # over three pages or more: the ends
    named = [t.strip() for t in re.split(r"[,;&]| and ", given) if t.strip()]
    return all(any(_names(t, label) for t in named) for label in labels)


def _names(token: str, label: str) -> bool:
    """Does `token` (`12`, `12-13`, `iv`) name the page labelled `label`?"""
    parts = [p.strip() for p in re.split(r"[-\u2013\u2014]", token) if p.strip()]
    if len(parts) == 2 and all(p.isdigit() for p in parts) and label.isdigit():
        low, high = int(parts[0]), int(parts[1])
        if high < low and len(parts[1]) < len(parts[0]):  # 47698-712: the tail of a number
            high = int(parts[0][: len(parts[0]) - len(parts[1])] + parts[1])
        return low <= int(label) <= high
    return (
        any(p.casefold() == label.casefold() for p in parts) or token.casefold() == label.casefold()
    )


def _respelled(ev: Evidence, pattern: QuotePattern, text: SourceText) -> QuoteResult | None:
    """The quote found where its source has hyphens at PDF line ends that it spells the
    other way (`chat-optimized` for a line-end `chat-`/`optimized`, or the reverse), or None."""
    joined = text.joined()
    if joined is None:
        return None
    other, places = joined
    return _in_source(ev, pattern, across_line_hyphens(pattern, other, places), other)


def _beyond_named(failed: list[int], parallel: bool) -> dict[int, QuoteResult]:
    """Step 2 for the quotes not found in their named source: where else they occur
    (wrong source); then, for the first MAX_CLOSEST of the rest in order, the closest
    passage (a misquote each)."""
    assert _run is not None
    found: dict[int, QuoteResult | None] = {}
    for part in forked_map(_elsewhere_job, _chunks(failed, parallel), parallel):
        if isinstance(part, ReportError):
            raise part
        found.update(part)
    misquotes = [i for i in failed if found[i] is None]
    jobs = [(i, n < _run.closest_left) for n, i in enumerate(misquotes)]
    results = {i: r for i, r in found.items() if r is not None}
    for part in forked_map(_misquote_job, _chunks(jobs, parallel), parallel):
        if isinstance(part, ReportError):
            raise part
        results.update(part)
    return results


def _elsewhere_job(indices: list[int]) -> dict[int, QuoteResult | None] | ReportError:
    assert _run is not None
    run = _run
    out: dict[int, QuoteResult | None] = {}
    try:
        for i in indices:
            result = _wrong_source(run.evidence[i], run.patterns[i], run.search)
            if result is not None:
                named = run.search.named_text(run.evidence[i].source)
                result = source_changed(result, named, run.recorded[i])
            out[i] = result
    except ReportError as exc:
        return exc
    return out


def _misquote_job(jobs: list[tuple[int, bool]]) -> dict[int, QuoteResult] | ReportError:
    assert _run is not None
    run = _run
    out: dict[int, QuoteResult] = {}
    try:
        for i, with_closest in jobs:
            ev, pattern = run.evidence[i], run.patterns[i]
            named = run.search.named_text(ev.source)
            result = _misquote(ev, pattern, named, run.search, with_closest)
            out[i] = source_changed(result, named, run.recorded[i])
    except ReportError as exc:
        return exc
    return out


def _wrong_source(ev: Evidence, pattern: QuotePattern, search: CorpusSearch) -> QuoteResult | None:
    """The quote's result if another source has it verbatim, else None."""
    elsewhere = search.elsewhere(pattern, ev.source)
    if not elsewhere:
        return None
    elsewhere.sort(key=lambda m: not m.in_body)  # prefer an article body to comments
    return QuoteResult(
        ev, Status.WRONG_SOURCE, elsewhere[0], tuple(elsewhere), warnings=short_warnings(pattern)
    )


def _misquote(
    ev: Evidence,
    pattern: QuotePattern,
    named: SourceText,
    search: CorpusSearch,
    with_closest: bool,
) -> QuoteResult:
    """A misquote, with its closest passage if `with_closest`: past MAX_CLOSEST misquotes
    in one run (a broken outline, a wrong corpus) they are reported without one, and the
    text output says so."""
    across = across_paragraphs(pattern, named)
    if across is not None:  # the words are there, over a break: that is the passage
        match = to_match(named, (across[0][0], across[-1][1]))
        match = replace(match, text=across_text(named, across))  # the break as ¶
        return QuoteResult(ev, Status.MISQUOTE, across=match, warnings=short_warnings(pattern))
    if not with_closest:
        return QuoteResult(ev, Status.MISQUOTE, warnings=short_warnings(pattern))
    closest, closest_corpus = search.closest(pattern.plain, named)
    return QuoteResult(
        ev,
        Status.MISQUOTE,
        closest=closest,
        closest_corpus=closest_corpus,
        warnings=short_warnings(pattern),
    )


def short_warnings(pattern: QuotePattern) -> tuple[QuoteWarning, ...]:
    """A warning for each part of the quote too short to prove anything."""
    out = []
    seen: set[str] = set()
    for part in pattern.parts:
        if part.words < MIN_WORDS and part.text not in seen:  # "the ... the": warn once
            seen.add(part.text)
            out.append(
                QuoteWarning(
                    WarningKind.TOO_SHORT,
                    f"'{part.text}' has {part.words} word{'s' if part.words != 1 else ''} "
                    "of the source's own; "
                    f"a part of fewer than {MIN_WORDS} words proves little",
                )
            )
    return tuple(out)


def match_warnings(
    ev: Evidence, pattern: QuotePattern, text: SourceText, match: Match
) -> tuple[QuoteWarning, ...]:
    """The warnings about a quote found in its source: too short, speaker not named there,
    and what the source says around it (report.context)."""
    warnings = list(short_warnings(pattern))
    speaker = _speaker_warning(ev, text, match)
    if speaker:
        warnings.append(speaker)
    warnings.extend(context_warnings(ev, pattern, text, match))
    warnings.extend(note_warnings(text, match))
    return tuple(warnings)


# What a reader is told when a quote comes from a stretch its source's reader marked
# (TextLayer.notes): kind -> (warning, message; {where} is the source and location).
NOTE_WARNINGS: dict[str, tuple[WarningKind, str]] = {
    "struck": (
        WarningKind.STRUCK_TEXT,
        "the quoted words are struck through in {where}: the author marked them as deleted",
    ),
    "deleted": (
        WarningKind.STRUCK_TEXT,
        "the quoted words are a tracked deletion in {where}: deleted in the document's "
        "revisions, not part of its text",
    ),
    "ocr": (
        WarningKind.OCR_TEXT,
        "found in text that OCR read off a scanned page ({where}): the words are a "
        "machine's reading; check them against the page image",
    ),
}


def note_warnings(text: SourceText, match: Match) -> list[QuoteWarning]:
    """A warning for each kind of note (struck text...) the matched passage overlaps."""
    where = f"{text.source.id} at {match.location}"
    return [
        QuoteWarning(NOTE_WARNINGS[kind][0], NOTE_WARNINGS[kind][1].format(where=where))
        for kind in text.notes_in(match.start, match.end)
        if kind in NOTE_WARNINGS
    ]


def _speaker_warning(ev: Evidence, text: SourceText, match: Match) -> QuoteWarning | None:
    if not ev.speaker:
        return None
    # The surname is the last name part in most styles but the first in Chinese, Korean
    # or Hungarian ones ("Xi Jinping"), so any name part of two letters or more counts.
    names = [n for n in re.findall(r"[^\W\d_][\w'’-]*", ev.speaker) if len(n) >= 2]
    if not names:
        return None
    if any(ev.speaker == a or a.split()[-1] in names for a in text.source.authors if a):
        return None
    said = re.compile("|".join(rf"(?<!\w){re.escape(n)}(?!\w)" for n in names))
    for k in (match.paragraph, match.paragraph - 1):
        if k >= 0 and said.search(text.paragraph_text(k)):
            return None
    return QuoteWarning(
        WarningKind.SPEAKER_NOT_FOUND,
        f"speaker '{ev.speaker}' is not named in the quote's paragraph or the one before it "
        f"({text.source.id} at {match.location})",
    )
