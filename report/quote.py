"""A quote as written in an outline -> a QuotePattern: its parts, editorial marks and regex.

This module reads the editorial marks of SPEC "What verbatim means":
- omission (`...`, `…`, `[...]`) splits a quote into parts that must occur in order in one
  paragraph;
- `[text]` is either text the source itself has in brackets (tried first) or an alteration
  standing for a short span of the original within one sentence (`[T]he`, `[China]`);
- `[sic]` and `[emphasis added]` stand for nothing in the original;
- the first letter of the quote and of each part after an omission may differ in case.
The regex runs against normalised text (report.normalize) and is anchored at word edges, so
"he said" does not match inside "the said". Scripts written without spaces between words
(Chinese, Japanese, Thai, ...) have no word edges to anchor at: a quote in them is matched
by characters, so it may begin or end inside a run of such characters.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

from report.normalize import DASH, normalize_text

# Scripts written without spaces between words: Thai, Lao, Myanmar, Khmer, the ideographic
# iteration marks, kana, CJK ideographs (with the compatibility and supplementary planes),
# half-width katakana. Korean writes spaces, so Hangul is not among them.
UNSPACED = (
    "\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff\u3005-\u3007\u3040-\u30ff\u31f0-\u31ff"
    "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff66-\uff9f\U00020000-\U0003134f"
)
_UNSPACED = re.compile(f"[{UNSPACED}]")
# Word edges: a word character of a spaced script must not touch the quote's edge; one of
# an unspaced script may (a CJK character next to a Latin word is a word edge too).
EDGE_BEFORE = rf"(?<![^\W{UNSPACED}])"
EDGE_AFTER = rf"(?![^\W{UNSPACED}])"


def unspaced(ch: str) -> bool:
    """Whether `ch` belongs to a script written without spaces between words."""
    return _UNSPACED.match(ch) is not None


# "...." (Chicago) is a full stop that the part before must have, then the omission.
_OMISSION = re.compile(r"\s*(?:\[\s*\.\.\.\s*\]|\.\.\.(?!\.))\s*")
_BRACKET = re.compile(r"\[([^\[\]]{1,80})\]")
_NOTHING = re.compile(r"sic|emphasis (?:added|mine|in original)", re.IGNORECASE)
# A word; each character of an unspaced script counts as one (about what a word is there).
_WORD = re.compile(rf"[{UNSPACED}]|[^\W{UNSPACED}]+(?:['\u2019-][^\W{UNSPACED}]+)*")
# What an alteration may stand for: a short span (at most ALTERATION_WORDS words) that does
# not cross a sentence's end. A full stop followed by a word character or by a lower-case
# word (U.S., 2.5, "e.g. the") does not end a sentence. The span neither begins nor ends
# with white space, so an alteration at the start of a quote cannot reach back over the
# space (or paragraph break) before the word it replaces; one glued to a word (`[T]he`,
# `Russia[n]`) stays inside that word.
ALTERATION_WORDS = 5
_NOT_END = r"[.!?](?=\w|\s+[a-z])"
# (。！？ end a Chinese or Japanese sentence, always.)
_CHAR = rf"(?:[^\s.!?\u3002\uff01\uff1f]|{_NOT_END})"
_GAP = rf"{_CHAR}{{1,30}}?(?: {_CHAR}{{1,30}}?){{0,{ALTERATION_WORDS - 1}}}?"
_GAP_AT_START = rf"(?=\w){_GAP}"
_GAP_IN_WORD = r"(?:[^\s.!?\u3002\uff01\uff1f]|[.!?](?=\w)){1,30}?"
ALTERATION_MAX = ALTERATION_WORDS * 31


@dataclass(frozen=True, slots=True)
class Part:
    """One stretch of a quote between omissions; `elements` are (kind, text) pairs with
    kind "lit" (must match exactly), "alt" (an alteration) or "none" ([sic])."""

    text: str
    elements: tuple[tuple[str, str], ...]

    @property
    def words(self) -> int:
        """Words the source must have: an alteration's words are the quoting author's."""
        return sum(len(_WORD.findall(text)) for kind, text in self.elements if kind == "lit")


@dataclass(frozen=True, slots=True)
class QuotePattern:
    quote: str  # as the outline wrote it
    normalized: str  # normalised, marks still in
    parts: tuple[Part, ...]
    anchor: str  # longest literal stretch, for the multi-pattern scan ("" if none is usable)
    max_length: int  # longest possible match without omissions

    # Regexes are built and compiled on first use: most quotes are confirmed without them
    # (report.match), and building and compiling thousands of long patterns costs more than
    # matching.
    @property
    def regex_source(self) -> str:
        return _sources(self.parts)[0]

    @property
    def detail_source(self) -> str:
        """`regex` with each alteration captured as group a0, a1, ..."""
        return _sources(self.parts)[1]

    @property
    def part_sources(self) -> tuple[str, ...]:
        """One regex per part, matched in order."""
        return _sources(self.parts)[2]

    @property
    def regex(self) -> re.Pattern[str]:
        return _compile(self.regex_source)

    @property
    def detail(self) -> re.Pattern[str]:
        return _compile(self.detail_source)

    @property
    def part_regexes(self) -> tuple[re.Pattern[str], ...]:
        return tuple(_compile(r) for r in self.part_sources)

    @property
    def literal(self) -> str | None:
        """The quote's text when it is one exact stretch (no omission, alteration or
        [sic]): such a quote is matched by comparing strings, not by its regex."""
        if len(self.parts) == 1 and len(self.parts[0].elements) == 1:
            kind, text = self.parts[0].elements[0]
            if kind == "lit":
                return text
        return None

    @property
    def has_omission(self) -> bool:
        return len(self.parts) > 1

    @property
    def has_alteration(self) -> bool:
        return any(k == "alt" for p in self.parts for k, _ in p.elements)

    @property
    def leading_alteration(self) -> bool:
        """The quote opens with an alteration (`[T]he`, `[China] said`)."""
        return self.parts[0].elements[0][0] == "alt"

    def alterations(self, text: str, start: int, end: int) -> list[tuple[str, str]]:
        """(bracket as written, what it stands for in `text`) for each alteration of the
        quote matched at text[start:end]; a bracket the source itself has is left out."""
        if not self.has_alteration:
            return []  # spares compiling the detail regex of every plain quote
        m = self.detail.fullmatch(text, start, end)
        if m is None:
            return []
        brackets = [t for p in self.parts for k, t in p.elements if k == "alt"]
        out = []
        for i, bracket in enumerate(brackets):
            original = (m.group(f"a{i}") or "").strip()
            if original != bracket:
                out.append((bracket, original))
        return out

    @property
    def plain(self) -> str:
        """The quote's words with the marks taken out (for fuzzy search and diffs)."""
        return " ".join(p.text for p in self.parts)


@lru_cache(maxsize=1 << 18)
def _split(quote: str) -> tuple[str, tuple[Part, ...]]:
    """The normalised quote and its parts (kept: an outline's quotes are read twice, once
    for quote_problem and once to compile them; an outline of 8 MB holds fewer quotes than
    the cache)."""
    norm = normalize_text(quote).strip()
    raw_parts = [p for p in _OMISSION.split(norm) if p.strip()]
    return norm, tuple(_part(p.strip()) for p in raw_parts) or (_part(norm),)


def compile_quote(quote: str) -> QuotePattern:
    norm, parts = _split(quote)
    anchor = _anchor(parts)
    max_length = sum(
        len(t) + 2 if k == "lit" else ALTERATION_MAX + len(t) + 2
        for p in parts
        for k, t in p.elements
    )
    return QuotePattern(quote, norm, parts, anchor, max_length)


@lru_cache(maxsize=4096)
def _sources(parts: tuple[Part, ...]) -> tuple[str, str, tuple[str, ...]]:
    """The regex, the detail regex and the part regexes of a quote's parts."""
    regex_parts = [_part_regex(p) for p in parts]
    regex = ".*?".join(f"({r})" for r in regex_parts)
    # a one-part quote's part regex is the quote's regex (compiled once, cached)
    part_sources = tuple(regex_parts) if len(parts) > 1 else (regex,)
    counter = iter(range(1_000_000))
    detail = ".*?".join(f"({_part_regex(p, counter)})" for p in parts)
    return regex, detail, part_sources


MAX_ALTERATIONS_IN_A_ROW = 2


def quote_problem(quote: str) -> str | None:
    """Why a quote cannot be verified at all (an input error), or None.

    A quote made only of editorial marks would match almost anything; alterations side by
    side leave nothing between them to pin them down, and each one multiplies the search.
    """
    norm, parts = _split(quote)  # normalised once, for this and for compile_quote
    if not norm:
        return "the quote is empty"
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


@lru_cache(maxsize=4096)
def _compile(source: str) -> re.Pattern[str]:
    return re.compile(source)


def _part(text: str) -> Part:
    elements: list[tuple[str, str]] = []
    pos = 0
    for m in _BRACKET.finditer(text):
        if m.start() > pos:
            elements.append(("lit", text[pos : m.start()]))
        inner = m.group(1).strip()
        if _NOTHING.fullmatch(inner):
            kind = "none"
        elif len(_WORD.findall(inner)) <= ALTERATION_WORDS:
            kind = "alt"
        else:  # too long to be an alteration: only the source's own brackets can match it
            kind = "lit"
        if kind == "lit" and elements and elements[-1][0] == "lit":
            elements[-1] = ("lit", elements[-1][1] + m.group())
        else:
            elements.append((kind, m.group()))
        pos = m.end()
    if pos < len(text):
        if elements and elements[-1][0] == "lit":
            elements[-1] = ("lit", elements[-1][1] + text[pos:])
        else:
            elements.append(("lit", text[pos:]))
    shown = "".join(t[1:-1] if k == "alt" else "" if k == "none" else t for k, t in elements)
    return Part(re.sub(r"\s+", " ", shown).strip(), tuple(elements))


def _part_regex(part: Part, capture: Iterator[int] | None = None) -> str:
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
            # The quote's first letter: of its first literal, after any [sic] before it.
            first = all(e[0] == "none" for e in elements[:i])
            lit = _first_letter_free(text) if first else re.escape(text)
            # Marks and the literal after them form one atomic group: an alteration takes
            # the shortest span after which the quote goes on, and is never tried again.
            # Without it, a quote with many alterations backtracks exponentially.
            out.append(f"(?>{''.join(marks)}{lit})" if marks else lit)
            marks = []
            continue
        lead, tail, literal = " " if before else "", " " if after else "", re.escape(text)
        prev_text = elements[i - 1][1] if i > 0 else ""
        next_text = elements[i + 1][1] if i + 1 < len(elements) else ""
        glued = (i > 0 and not before and prev_text[-1:].isalnum()) or (
            i + 1 < len(elements) and not after and next_text[:1].isalnum()
        )
        # Spaces next to a dash are dropped by normalisation, so a mark between a dash and
        # a space leaves no space behind when it is taken out: "contradictory—[sic] task"
        # is "contradictory—task", "leader—[indeed] a" may be "leader—a".
        dash_before = not before and prev_text.endswith(DASH)
        dash_after = not after and next_text.startswith(DASH)
        gap = _GAP_IN_WORD if glued else _GAP_AT_START if i == 0 else _GAP
        if kind == "none":
            # The mark as the source may itself have it, or what is left without it.
            marks.append(f"(?:{lead}{literal}{tail}|{_left_without(i, elements)})")
            continue
        if before and after:
            alternatives = f" {literal} | {gap} | "
        else:
            alternatives = f"{lead}{literal}{tail}|{lead}{gap}{tail}"
            if (dash_before and after) or (before and dash_after):
                alternatives += "|"  # an inserted word, like "winning [the] battle"
        group = f"?P<a{next(capture)}>" if capture is not None else "?:"
        marks.append(f"({group}{alternatives})")
    out.extend(marks)
    pattern = "".join(out)
    if not part.elements:  # an empty quote: refused by quote_problem, harmless here
        return pattern
    first, last = part.elements[0], part.elements[-1]
    if first[0] != "lit" or (first[1][:1].isalnum() and not unspaced(first[1][0])):
        pattern = EDGE_BEFORE + pattern
    if last[0] != "lit" or (last[1][-1:].isalnum() and not unspaced(last[1][-1])):
        pattern += EDGE_AFTER
    return pattern


def _left_without(i: int, elements: list[list]) -> str:
    """The separator that remains where the editorial mark elements[i] is taken out: a
    space between two words, nothing at a part's edge, next to a dash or inside a word."""
    _, _, before, after = elements[i]
    prev_text = elements[i - 1][1] if i > 0 else ""
    next_text = elements[i + 1][1] if i + 1 < len(elements) else ""
    at_start = not any(e[1].strip() for e in elements[:i])
    at_end = not any(e[1].strip() for e in elements[i + 1 :])
    if at_start or at_end or prev_text.endswith(DASH) or next_text.startswith(DASH):
        return ""
    return " " if before or after else ""


def _first_letter_free(text: str) -> str:
    """Escape `text`, letting its first letter (after leading punctuation) take either case."""
    for i, ch in enumerate(text):
        if ch.isalpha():
            if ch.lower() == ch.upper():
                break
            # the letter itself too: a titlecase letter (ǅ) is neither its lower nor upper
            both = "".join(re.escape(c) for c in dict.fromkeys(ch + ch.lower() + ch.upper()))
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
            if all(k == "none" for k, _ in part.elements[:j]):  # the part's first letter
                first = next((i for i, ch in enumerate(candidate) if ch.isalpha()), None)
                if first is not None:
                    candidate = candidate[first + 1 :]
            if len(candidate) > len(best):
                best = candidate
    return best if len(best) >= 4 else ""
