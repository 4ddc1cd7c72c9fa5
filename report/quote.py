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
from functools import lru_cache

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
    regex_source: str
    anchor: str  # longest literal stretch, for the multi-pattern scan ("" if none is usable)
    max_length: int  # longest possible match without omissions

    @property
    def regex(self) -> re.Pattern[str]:
        # Compiled on first use: most quotes are confirmed without it (report.match), and
        # compiling thousands of long patterns costs more than matching them.
        return _compile(self.regex_source)

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
    def plain(self) -> str:
        """The quote's words with the marks taken out (for fuzzy search and diffs)."""
        return " ".join(p.text for p in self.parts)


def compile_quote(quote: str) -> QuotePattern:
    norm = normalize_text(quote).strip()
    raw_parts = [p for p in _OMISSION.split(norm) if p.strip()]
    parts = tuple(_part(p.strip()) for p in raw_parts) or (_part(norm),)
    regex_parts = [_part_regex(p) for p in parts]
    regex = ".*?".join(f"({r})" for r in regex_parts)
    anchor = _anchor(parts)
    max_length = sum(
        len(t) + 2 if k == "lit" else ALTERATION_MAX + len(t) + 2
        for p in parts
        for k, t in p.elements
    )
    return QuotePattern(quote, norm, parts, regex, anchor, max_length)


@lru_cache(maxsize=4096)
def _compile(source: str) -> re.Pattern[str]:
    return re.compile(source)


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
    for i, (kind, text, before, after) in enumerate(elements):
        if kind == "lit":
            out.append(_first_letter_free(text) if i == 0 else re.escape(text))
            continue
        lead, tail, literal = " " if before else "", " " if after else "", re.escape(text)
        if kind == "none":
            out.append(f"(?:{lead}{literal})?{tail}")
        elif before and after:
            out.append(f"(?: {literal} | {_GAP} | )")
        else:
            out.append(f"(?:{lead}{literal}{tail}|{lead}{_GAP}{tail})")
    pattern = "".join(out)
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
                first = next((i for i, ch in enumerate(candidate) if ch.isalpha()), None)
                if first is not None:
                    candidate = candidate[first + 1 :]
            if len(candidate) > len(best):
                best = candidate
    return best if len(best) >= 4 else ""
