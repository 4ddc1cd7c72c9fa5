"""A quote as written in an outline -> a QuotePattern: its parts, editorial marks and regex.

This module reads the editorial marks of SPEC "What verbatim means":
- omission (`...`, `…`, `[...]`) splits a quote into parts that must occur in order in one
  paragraph;
- `[text]` is either text the source itself has in brackets (tried first) or an alteration
  standing for a short span of the original within one sentence (`[T]he`, `[China]`);
- `[sic]` and `[emphasis added]` stand for nothing in the original;
- the first letter of the quote and of each part after an omission may differ in case.
The regex runs against normalised text (report.normalize) and is anchored at word edges, so
"he said" does not match inside "the said".
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from report.normalize import normalize_text

_OMISSION = re.compile(r"\s*(?:\[\s*\.\.\.\s*\]|\.\.\.)\s*")
_BRACKET = re.compile(r"\[([^\[\]]{1,80})\]")
_NOTHING = re.compile(r"sic|emphasis (?:added|mine|in original)", re.IGNORECASE)
_WORD = re.compile(r"\w+(?:['\u2019-]\w+)*")
# What an alteration may stand for: a short span that does not cross a sentence's end.
_GAP = r"[^.!?]{1,60}?"
ALTERATION_MAX = 62


@dataclass(frozen=True, slots=True)
class Part:
    """One stretch of a quote between omissions; `elements` are (kind, text) pairs with
    kind "lit" (must match exactly), "alt" (an alteration) or "none" ([sic])."""

    text: str
    elements: tuple[tuple[str, str], ...]

    @property
    def words(self) -> int:
        return len(_WORD.findall(self.text))


@dataclass(frozen=True, slots=True)
class QuotePattern:
    quote: str  # as the outline wrote it
    normalized: str  # normalised, marks still in
    parts: tuple[Part, ...]
    regex: re.Pattern[str]
    anchor: str  # longest literal stretch, for the multi-pattern scan ("" if none is usable)
    max_length: int  # longest possible match without omissions
    part_regexes: tuple[re.Pattern[str], ...] = ()  # one per part, matched in order

    @property
    def has_omission(self) -> bool:
        return len(self.parts) > 1

    @property
    def has_alteration(self) -> bool:
        return any(k == "alt" for p in self.parts for k, _ in p.elements)

    @property
    def plain(self) -> str:
        """The quote's words with the marks taken out (for fuzzy search and diffs)."""
        return " ".join(p.text for p in self.parts)


def _split(quote: str) -> tuple[str, tuple[Part, ...]]:
    norm = normalize_text(quote).strip()
    raw_parts = [p for p in _OMISSION.split(norm) if p.strip()]
    return norm, tuple(_part(p.strip()) for p in raw_parts) or (_part(norm),)


def compile_quote(quote: str) -> QuotePattern:
    norm, parts = _split(quote)
    regex_parts = [_part_regex(p) for p in parts]
    regex = re.compile(".*?".join(f"({r})" for r in regex_parts))
    # Compiling costs more than matching for most quotes: a one-part quote reuses `regex`.
    part_regexes = tuple(re.compile(r) for r in regex_parts) if len(parts) > 1 else (regex,)
    anchor = _anchor(parts)
    max_length = sum(
        len(t) + 2 if k == "lit" else ALTERATION_MAX + len(t) + 2
        for p in parts
        for k, t in p.elements
    )
    return QuotePattern(quote, norm, parts, regex, anchor, max_length, part_regexes)


MAX_ALTERATIONS_IN_A_ROW = 2


def quote_problem(quote: str) -> str | None:
    """Why a quote cannot be verified at all (an input error), or None.

    A quote made only of editorial marks would match almost anything; alterations side by
    side leave nothing between them to pin them down, and each one multiplies the search.
    """
    if not normalize_text(quote).strip():
        return "the quote is empty"
    _, parts = _split(quote)
    literal = " ".join(t for p in parts for k, t in p.elements if k == "lit")
    if not _WORD.search(literal):
        return "the quote has no words of its own (only editorial marks or punctuation)"
    for part in parts:
        run = 0
        for kind, text in part.elements:
            if kind == "alt":
                run += 1
                if run > MAX_ALTERATIONS_IN_A_ROW:
                    return (
                        f"more than {MAX_ALTERATIONS_IN_A_ROW} alterations in a row "
                        f"({text}); quote the words between them"
                    )
            elif kind == "lit" and text.strip():
                run = 0
    return None


def _part(text: str) -> Part:
    elements: list[tuple[str, str]] = []
    pos = 0
    for m in _BRACKET.finditer(text):
        if m.start() > pos:
            elements.append(("lit", text[pos : m.start()]))
        kind = "none" if _NOTHING.fullmatch(m.group(1).strip()) else "alt"
        elements.append((kind, m.group()))
        pos = m.end()
    if pos < len(text):
        elements.append(("lit", text[pos:]))
    shown = "".join(t[1:-1] if k == "alt" else "" if k == "none" else t for k, t in elements)
    return Part(re.sub(r"\s+", " ", shown).strip(), tuple(elements))


def _part_regex(part: Part) -> str:
    # Spaces next to a bracket belong to the bracket's pattern, so that "winning [the]
    # battle" can stand for "winning the battle" and for "winning battle".
    elements = [[kind, text, False, False] for kind, text in part.elements]
    for i, element in enumerate(elements):
        if element[0] == "lit":
            continue
        prev = elements[i - 1] if i > 0 else None
        nxt = elements[i + 1] if i + 1 < len(elements) else None
        if prev is not None and prev[0] == "lit" and prev[1].endswith(" "):
            prev[1], element[2] = prev[1][:-1], True
        if nxt is not None and nxt[0] == "lit" and nxt[1].startswith(" "):
            nxt[1], element[3] = nxt[1][1:], True
    out: list[str] = []
    marks: list[str] = []  # editorial marks waiting for the literal that follows them
    for i, (kind, text, before, after) in enumerate(elements):
        if kind == "lit":
            lit = _first_letter_free(text) if i == 0 else re.escape(text)
            # Marks and the literal after them form one atomic group: an alteration takes
            # the shortest span after which the quote goes on, and is never tried again.
            # Without it, a quote with many alterations backtracks exponentially.
            out.append(f"(?>{''.join(marks)}{lit})" if marks else lit)
            marks = []
            continue
        lead, tail, literal = " " if before else "", " " if after else "", re.escape(text)
        if kind == "none":
            marks.append(f"(?:{lead}{literal})?{tail}")
        elif before and after:
            marks.append(f"(?: {literal} | {_GAP} | )")
        else:
            marks.append(f"(?:{lead}{literal}{tail}|{lead}{_GAP}{tail})")
    out.extend(marks)
    pattern = "".join(out)
    if not part.elements:  # an empty quote: refused by quote_problem, harmless here
        return pattern
    first, last = part.elements[0], part.elements[-1]
    if first[0] != "lit" or first[1][:1].isalnum():
        pattern = r"(?<!\w)" + pattern
    if last[0] != "lit" or last[1][-1:].isalnum():
        pattern += r"(?!\w)"
    return pattern


def _first_letter_free(text: str) -> str:
    """Escape `text`, letting its first letter (after leading punctuation) take either case."""
    for i, ch in enumerate(text):
        if ch.isalpha():
            if ch.lower() == ch.upper():
                break
            both = re.escape(ch.lower()) + re.escape(ch.upper())
            return re.escape(text[:i]) + f"[{both}]" + re.escape(text[i + 1 :])
        if ch.isalnum():
            break
    return re.escape(text)


def _anchor(parts: tuple[Part, ...]) -> str:
    """The longest stretch that must occur exactly (the first letter of a part excluded)."""
    best = ""
    for part in parts:
        for j, (kind, text) in enumerate(part.elements):
            if kind != "lit":
                continue
            candidate = text.strip()
            if j == 0:
                letters = [i for i, ch in enumerate(candidate) if ch.isalpha()]
                if letters:
                    candidate = candidate[letters[0] + 1 :]
            if len(candidate) > len(best):
                best = candidate
    return best if len(best) >= 4 else ""
