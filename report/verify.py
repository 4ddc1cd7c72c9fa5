"""Outlines x a corpus -> one QuoteResult per quote (SPEC: Findings).

The corpus is read once; every quote of every outline that shares it is matched in the
same pass (report.match). Only quotes that fail in their named source are looked for in the
other sources (wrong source) and get a closest passage (misquote).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from report.closest import closest_passage
from report.context import context_warnings
from report.corpus import Corpus, SourceText
from report.errors import OutlineError, ReportError, ReportErrors
from report.findings import Match, QuoteResult, Status, Warning, WarningKind
from report.match import Candidates
from report.model import Evidence, Outline
from report.pins import mark_changed
from report.quote import QuotePattern, compile_quote

MIN_WORDS = 3
MAX_CLOSEST = 100


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


def verify(outlines: Sequence[Outline], corpus: Corpus) -> list[list[QuoteResult]]:
    """Verify the quotes of several outlines against one corpus; results per outline."""
    errors: list[ReportError] = []
    for outline in outlines:  # every unknown source of every outline, before one abort
        try:
            check_sources(outline, corpus)
        except ReportErrors as exc:
            errors.extend(exc.errors)
        except ReportError as exc:
            errors.append(exc)
    if errors:
        raise errors[0] if len(errors) == 1 else ReportErrors(errors)
    evidence = [ev for o in outlines for ev in o.evidence()]
    patterns = [compile_quote(ev.quote) for ev in evidence]
    texts = corpus.texts()
    candidates = Candidates(patterns, texts)
    flat = [
        mark_changed(_verify_one(i, ev, patterns[i], candidates, corpus, texts), corpus)
        for i, ev in enumerate(evidence)
    ]
    _add_closest(flat, patterns, corpus, texts)
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
    corpus: Corpus,
    texts: list[SourceText],
) -> QuoteResult:
    named = corpus.text(ev.source)
    spans = candidates.find(index, ev.source)
    found = [_match(named, s) for s in spans]
    in_body = [m for m in found if m.in_body]
    if in_body:
        return QuoteResult(
            ev,
            Status.VERIFIED,
            in_body[0],
            tuple(in_body),
            warnings=_warnings(ev, pattern, named, in_body[0]),
        )
    if found:
        return QuoteResult(
            ev,
            Status.OUTSIDE_BODY,
            found[0],
            tuple(found),
            warnings=_warnings(ev, pattern, named, found[0]),
        )
    elsewhere: list[Match] = []
    for sid in candidates.sources_with_hits(index):
        if sid == ev.source:
            continue
        other = corpus.text(sid)
        elsewhere.extend(_match(other, s) for s in candidates.find(index, sid))
    if elsewhere:
        elsewhere.sort(key=lambda m: not m.in_body)  # prefer an article body to comments
        return QuoteResult(
            ev, Status.WRONG_SOURCE, elsewhere[0], tuple(elsewhere), warnings=_short(pattern)
        )
    return QuoteResult(ev, Status.MISQUOTE, warnings=_short(pattern))


def _add_closest(
    results: list[QuoteResult],
    patterns: list[QuotePattern],
    corpus: Corpus,
    texts: list[SourceText],
) -> None:
    """The closest passage for the first MAX_CLOSEST misquotes: each search is a pass over
    the corpus, so an outline of thousands of misquotes would otherwise take hours."""
    misquotes = [i for i, r in enumerate(results) if r.status is Status.MISQUOTE]
    for i in misquotes[:MAX_CLOSEST]:
        named = corpus.text(results[i].evidence.source)
        results[i] = replace(
            results[i],
            closest=closest_passage(patterns[i].plain, [named]),
            closest_corpus=closest_passage(patterns[i].plain, texts),
        )


def _match(text: SourceText, span: tuple[int, int]) -> Match:
    start, end = span
    para = text.paragraph_index(start)
    layer_start, layer_end = text.norm.map(start), text.norm.map(end)
    return Match(
        source_id=text.source.id,
        start=start,
        end=end,
        location=text.location(start),
        paragraph=para,
        paragraph_text=text.paragraph_text(para),
        # Line breaks inside the passage are the file's layout, not the source's words.
        text=re.sub(r"[ \t]*\n+[ \t]*", " ", text.layer.text[layer_start:layer_end]),
        in_body=text.in_body(start, end),
    )


def _short(pattern: QuotePattern) -> tuple[Warning, ...]:
    out = []
    for part in pattern.parts:
        if part.words < MIN_WORDS:
            out.append(
                Warning(
                    WarningKind.TOO_SHORT,
                    f"'{part.text}' has {part.words} word{'s' if part.words != 1 else ''} "
                    "of the source's own; "
                    f"a part of fewer than {MIN_WORDS} words proves little",
                )
            )
    return tuple(out)


def _warnings(
    ev: Evidence, pattern: QuotePattern, text: SourceText, match: Match
) -> tuple[Warning, ...]:
    warnings = list(_short(pattern))
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
