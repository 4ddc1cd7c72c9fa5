"""Outlines x a corpus -> one QuoteResult per quote (SPEC: Findings).

Each source the outlines name is read once (through report.cache), and every quote that
names it is matched in one pass over it (report.match). Only quotes that fail in their
named source are looked for in the other sources, through the index (report.search): for a
verbatim occurrence (wrong source) or the closest passage (misquote).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from report.context import context_warnings
from report.corpus import Corpus, SourceText
from report.errors import OutlineError, ReportError, ReportErrors, gather
from report.findings import Match, QuoteResult, Status, Warning, WarningKind
from report.match import Candidates, to_match
from report.model import Evidence, Outline
from report.pins import mark_changed
from report.progress import Progress, tracked
from report.quote import QuotePattern, compile_quote
from report.search import CorpusSearch

MIN_WORDS = 3
MAX_CLOSEST = 2000  # closest passages per run: each costs milliseconds, 10,000 cost a minute


def check_sources(outline: Outline, corpus: Corpus) -> None:
    """Every evidence item must name a source the corpus has (an input error otherwise)."""
    errors: list[ReportError] = []
    known = ", ".join(sorted(corpus.ids()))
    for ev in outline.evidence():
        if ev.source not in corpus:
            errors.append(
                OutlineError(f"unknown source '{ev.source}' (known: {known})", ev.source_location)
            )
    if errors:
        raise errors[0] if len(errors) == 1 else ReportErrors(errors)


def verify(
    outlines: Sequence[Outline], corpus: Corpus, progress: Progress | None = None
) -> list[list[QuoteResult]]:
    """Verify the quotes of several outlines against one corpus; results per outline."""
    gather(outlines, lambda outline: check_sources(outline, corpus))  # every unknown source
    evidence = [ev for o in outlines for ev in o.evidence()]
    patterns = [compile_quote(ev.quote) for ev in evidence]
    # Only the named sources are read and scanned, one at a time (a run holds one source's
    # text, not every named one); the rest of the corpus is reached through the index, and
    # only for quotes that fail in their named source.
    by_source: dict[str, list[int]] = {}
    for i, ev in enumerate(evidence):
        by_source.setdefault(ev.source, []).append(i)
    corpus.prefetch(list(by_source))
    named_of = [ev.source for ev in evidence]
    search = CorpusSearch(corpus)
    results: dict[int, QuoteResult] = {}
    closest_budget = [MAX_CLOSEST]
    for sid, indices in tracked(list(by_source.items()), "reading sources", progress):
        text = corpus.text(sid, keep=False)
        candidates = Candidates(patterns, [text], named_of, indices)
        for i in indices:
            result = _verify_one(
                i, evidence[i], patterns[i], candidates, text, search, closest_budget
            )
            results[i] = mark_changed(result, text)
    flat = [results[i] for i in range(len(evidence))]
    out, pos = [], 0
    for outline in outlines:
        n = len(outline.evidence())
        out.append(flat[pos : pos + n])
        pos += n
    return out


def _verify_one(
    index: int,
    ev: Evidence,
    pattern: QuotePattern,
    candidates: Candidates,
    named: SourceText,
    search: CorpusSearch,
    closest_budget: list[int],
) -> QuoteResult:
    spans = candidates.find(index, ev.source)
    found = [to_match(named, s) for s in spans]
    in_body = [m for m in found if m.in_body]
    if in_body:
        return QuoteResult(
            ev,
            Status.VERIFIED,
            in_body[0],
            tuple(in_body),
            warnings=match_warnings(ev, pattern, named, in_body[0]),
        )
    if found:
        return QuoteResult(
            ev,
            Status.OUTSIDE_BODY,
            found[0],
            tuple(found),
            warnings=match_warnings(ev, pattern, named, found[0]),
        )
    elsewhere = search.elsewhere(pattern, ev.source)
    if elsewhere:
        elsewhere.sort(key=lambda m: not m.in_body)  # prefer an article body to comments
        return QuoteResult(
            ev,
            Status.WRONG_SOURCE,
            elsewhere[0],
            tuple(elsewhere),
            warnings=short_warnings(pattern),
        )
    if closest_budget[0] <= 0:
        # Each closest-passage search scores every paragraph of the named source; past
        # MAX_CLOSEST misquotes in one run (a broken outline, a wrong corpus) they are
        # reported bare, and the text output says so.
        return QuoteResult(ev, Status.MISQUOTE, warnings=short_warnings(pattern))
    closest_budget[0] -= 1
    closest, closest_corpus = search.closest(pattern.plain, named)
    return QuoteResult(
        ev,
        Status.MISQUOTE,
        closest=closest,
        closest_corpus=closest_corpus,
        warnings=short_warnings(pattern),
    )


def short_warnings(pattern: QuotePattern) -> tuple[Warning, ...]:
    """A warning for each part of the quote too short to prove anything."""
    out = []
    seen: set[str] = set()
    for part in pattern.parts:
        if part.words < MIN_WORDS and part.text not in seen:  # "the ... the": warn once
            seen.add(part.text)
            out.append(
                Warning(
                    WarningKind.TOO_SHORT,
                    f"'{part.text}' has {part.words} word{'s' if part.words != 1 else ''} "
                    "of the source's own; "
                    f"a part of fewer than {MIN_WORDS} words proves little",
                )
            )
    return tuple(out)


def match_warnings(
    ev: Evidence, pattern: QuotePattern, text: SourceText, match: Match
) -> tuple[Warning, ...]:
    """The warnings about a quote found in its source: too short, speaker not named there,
    and what the source says around it (report.context)."""
    warnings = list(short_warnings(pattern))
    speaker = _speaker_warning(ev, text, match)
    if speaker:
        warnings.append(speaker)
    warnings.extend(context_warnings(ev, pattern, text, match))
    return tuple(warnings)


def _speaker_warning(ev: Evidence, text: SourceText, match: Match) -> Warning | None:
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
    return Warning(
        WarningKind.SPEAKER_NOT_FOUND,
        f"speaker '{ev.speaker}' is not named in the quote's paragraph or the one before it "
        f"({text.source.id} at {match.location})",
    )
