"""A verified quote and its source -> warnings about context the quote leaves out.

A quote can be verbatim and still mislead. Three patterns are caught here, each shown with
the source sentence and the quoted span marked:

- negation omitted: `not`, `n't`, `never`, `no`, `nor` (and `neither`, `cannot`) stand just
  before the quoted span (or a part after an omission), so the quote may say the opposite of
  the source: "going to send military help" from "China [isn't] going to send military help";
- contrast omitted: the source's sentence goes on with `but`, `although`, `however`, `unless`
  (or `though`, `whereas`, `except`) right after the quote ends, and the quote drops the turn;
- negation altered: an alteration stands for words with a negation and drops it
  ("China [wants]" for "China does not want");
- attributed to the author: the source itself puts the words in quotation marks, quoting
  someone else, while the outline's `speaker` is the source's own author.

Everything is read in the normalised text (report.normalize), where every quotation mark is
`"` or `'` and white space is single spaces; excerpts are cut from the text layer, so they
keep the source's own typography.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from itertools import pairwise

from report.corpus import SourceText
from report.findings import Excerpt, Match, QuoteWarning, WarningKind
from report.model import Evidence
from report.quote import QuotePattern
from report.sentences import sentence_ends

NEGATIONS = frozenset({"not", "never", "no", "nor", "neither", "cannot"})
CONTRASTS = frozenset({"but", "although", "though", "however", "unless", "whereas", "except"})
# A negation followed by one of these does not negate what comes after it ("not only X but
# also Y", "no matter what").
_NOT_NEGATING = {
    "not": {"only", "just", "merely", "least", "simply"},
    "no": {"matter", "doubt"},
}
NEGATION_WINDOW = 3  # words before a quoted span that count as "just before" it
CONTRAST_WINDOW = 2  # words after the quote's end that count as "goes on with"
EXCERPT_CHARS = 300  # at most this much of the sentence on each side of the quote
SENTENCE_REACH = 2000  # how far from a quote its sentence's start and end are looked for

_TOKEN = re.compile(r"\w+(?:'\w+)*")
_CLAUSE_BREAK = re.compile(r"[,;:\u2014()]")


def context_warnings(
    ev: Evidence, pattern: QuotePattern, text: SourceText, match: Match
) -> list[QuoteWarning]:
    """Warnings about what the source says around a verified quote (empty when none)."""
    out: list[QuoteWarning] = []
    negation = _omitted_negation(pattern, text, match) or _altered_negation(pattern, text, match)
    if negation:
        out.append(negation)
    contrast = _omitted_contrast(pattern, text, match)
    if contrast:
        out.append(contrast)
    attributed = _attributed_to_author(ev, pattern, text, match)
    if attributed:
        out.append(attributed)
    return out


# -- the three checks ---------------------------------------------------------------------


def _omitted_negation(pattern: QuotePattern, text: SourceText, match: Match) -> QuoteWarning | None:
    sentence_start, _ = sentence_span(text, match.start, match.end)
    parts = _part_spans(pattern, text, match)
    gaps = [(sentence_start, parts[0][0])]
    gaps += [(a[1], b[0]) for a, b in pairwise(parts)]
    for lo, hi in gaps:
        word = _negation_before(text.text[lo:hi])
        if word:
            where = "the quote" if lo == sentence_start else "a part after an omission"
            return QuoteWarning(
                WarningKind.NEGATION_OMITTED,
                f"the source has '{word}' just before {where}, and the quote leaves it out: "
                f"it may say the opposite of the source ({text.source.id} at {match.location})",
                excerpt(text, match, pattern),
            )
    return None


def _altered_negation(pattern: QuotePattern, text: SourceText, match: Match) -> QuoteWarning | None:
    """An alteration that drops or adds a negation: `China [wants]` for "China does not
    want" is within the letter of the bracket rule and the opposite of the source."""
    for bracket, original in pattern.alterations(text.text, match.start, match.end):
        if bool(_negations(original)) != bool(_negations(bracket)):  # dropped or added
            return QuoteWarning(
                WarningKind.NEGATION_OMITTED,
                f"the alteration {bracket} stands for '{original}' in the source and "
                f"{'drops its' if _negations(original) else 'adds a'} "
                f"negation: the quote may say the opposite of the source "
                f"({text.source.id} at {match.location})",
                excerpt(text, match, pattern),
            )
    return None


def _negations(words: str) -> list[str]:
    tokens = [t.lower() for t in _TOKEN.findall(words)]
    return [t for t in tokens if t in NEGATIONS or t.endswith("n't")]


def _negation_before(before: str) -> str | None:
    """The negation among the last few words of `before`, within its last clause."""
    clause = _CLAUSE_BREAK.split(before)[-1]
    words = _TOKEN.findall(clause)[-NEGATION_WINDOW:]
    for i, word in enumerate(words):
        lower = word.lower()
        if lower in NEGATIONS or lower.endswith("n't"):
            following = words[i + 1].lower() if i + 1 < len(words) else ""
            if following in _NOT_NEGATING.get(lower, ()):
                continue
            return word
    return None


def _omitted_contrast(pattern: QuotePattern, text: SourceText, match: Match) -> QuoteWarning | None:
    _, sentence_end = sentence_span(text, match.start, match.end)
    after = [w.lower() for w in _TOKEN.findall(text.text[match.end : sentence_end])]
    k = next((i for i, w in enumerate(after[:CONTRAST_WINDOW]) if w in CONTRASTS), None)
    if k is None or after[k + 1 : k + 2] == ["also"]:  # "not only X but also Y" adds, not turns
        return None
    word = after[k]
    return QuoteWarning(
        WarningKind.CONTRAST_OMITTED,
        f"the source's sentence goes on with '{word}' where the quote ends, and the quote "
        f"leaves the turn out ({text.source.id} at {match.location})",
        excerpt(text, match, pattern),
    )


def _attributed_to_author(
    ev: Evidence, pattern: QuotePattern, text: SourceText, match: Match
) -> QuoteWarning | None:
    if not ev.speaker or not _is_author(ev.speaker, text.source.authors):
        return None
    if not _inside_quotation(text, match):
        return None
    return QuoteWarning(
        WarningKind.ATTRIBUTED_TO_AUTHOR,
        f"the source puts these words in quotation marks, quoting someone else, but the "
        f"outline's speaker is {ev.speaker}, the source's author ({text.source.id} at "
        f"{match.location})",
        excerpt(text, match, pattern),
    )


def _is_author(speaker: str, authors: list[str]) -> bool:
    names = set(_TOKEN.findall(speaker))
    return any(speaker == a or (a.split() and a.split()[-1] in names) for a in authors if a)


def _inside_quotation(text: SourceText, match: Match) -> bool:
    """Whether the quote starts inside double quotation marks of its paragraph (an odd
    number of them before it; after normalisation every double mark is `"`)."""
    para_start, _ = text.paragraph_span(match.start)
    before = text.text[para_start : match.start]
    return before.count('"') % 2 == 1 or text.text.startswith('"', match.start)


# -- sentences and excerpts ---------------------------------------------------------------


def sentence_span(text: SourceText, start: int, end: int) -> tuple[int, int]:
    """[start, end) in normalised offsets of the sentences holding text[start:end]."""
    para_start, para_end = text.paragraph_span(start)
    # Only a window around the quote is read: a source may hold one paragraph of megabytes
    # (text without blank lines), and every quote in it would otherwise rescan it all.
    para_start = max(para_start, start - SENTENCE_REACH)
    para_end = min(para_end, end + SENTENCE_REACH)
    ends = sentence_ends(text.text, para_start, para_end)
    k = bisect_left(ends, start + 1) - 1  # the last sentence end at or before `start`
    s_start = ends[k] if k >= 0 else para_start
    while s_start < start and text.text[s_start] == " ":
        s_start += 1
    k = bisect_left(ends, end)  # the first sentence end at or after `end`
    s_end = ends[k] if k < len(ends) else para_end
    return s_start, max(s_end, end)


def excerpt(text: SourceText, match: Match, pattern: QuotePattern | None = None) -> Excerpt:
    """The sentence(s) around a match, as the text layer has them, each quoted part marked."""
    s_start, s_end = sentence_span(text, match.start, match.end)
    parts = _part_spans(pattern, text, match) if pattern is not None else [(match.start, match.end)]
    cuts = [s_start, *(x for span in parts for x in span), s_end]
    layer = text.layer.text
    pieces = [_squash(layer[text.norm.map(a) : text.norm.map(b)]) for a, b in pairwise(cuts)]
    pieces[0], pieces[-1] = pieces[0].lstrip(), pieces[-1].rstrip()
    if len(pieces[0]) > EXCERPT_CHARS:
        pieces[0] = "…" + pieces[0][-EXCERPT_CHARS:].lstrip()
    if len(pieces[-1]) > EXCERPT_CHARS:
        pieces[-1] = pieces[-1][:EXCERPT_CHARS].rstrip() + "…"
    spans, pos = [], 0
    for i, piece in enumerate(pieces):
        if i % 2 == 1:  # pieces alternate: context, quoted part, context, ...
            spans.append((pos, pos + len(piece)))
        pos += len(piece)
    return Excerpt("".join(pieces), tuple(spans), text.location(s_start))


def _part_spans(pattern: QuotePattern, text: SourceText, match: Match) -> list[tuple[int, int]]:
    """Normalised spans of each part of a quote with omissions (the whole match otherwise)."""
    if pattern.has_omission:
        # part by part, as report.match finds them (one joined regex can backtrack for hours)
        spans, pos = [], match.start
        for regex in pattern.part_regexes:
            m = regex.search(text.text, pos, match.end)
            if m is None:
                return [(match.start, match.end)]
            spans.append(m.span())
            pos = m.end()
        return spans
    return [(match.start, match.end)]


def _squash(s: str) -> str:
    return re.sub(r"\s+", " ", s)
