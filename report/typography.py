"""Plain typed text -> typographic text: curly quotes and apostrophes, real dashes, the
quotation marks of the brief's language, nested ones alternating; and text from the input
-> text a reader may see: no control characters.

Used on the author's own prose and, where the source itself is set that way, on quotes
(report.brief). Only quotation marks and `--` change; every letter stays as written.
A language's quotation marks (“…” and ‘…’ in English, «…» and “…” in French, „…“ and ‚…‘
in German, «…» and „…“ in Russian) and whether a sentence's full stop goes inside the
closing mark (American English only) are those of its CSL locale file, the ones citeproc-py
ships, so the brief's own marks and its notes' agree.
Control characters (ESC, BEL, NUL, DEL, the C1 range) are never rendered: a line or
paragraph break among them (U+0085 NEL, U+2028, tab) stands for a space, the others are
dropped, whether the outline or sources.yaml holds them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

_OPENS_AFTER = " \t\n([{\u2014\u2013/-"  # a mark after these (or at the start) opens

DOUBLE = ("\u201c", "\u201d")  # “ ”
SINGLE = ("\u2018", "\u2019")  # ‘ ’
_BREAKS = "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f\x85\u2028\u2029"  # str.split()'s white space
_VISIBLE = {
    **{c: None for c in [*range(0x20), *range(0x7F, 0xA0), 0xFFFE, 0xFFFF]},
    **{ord(c): " " for c in _BREAKS},
}
DEFAULT_LANG = "en"


@dataclass(frozen=True, slots=True)
class Marks:
    """A language's quotation marks: `outer` for a quotation, `inner` for one inside it
    (each with the spaces the language sets inside them: French `«\u00a0`); `inside`: a
    sentence's full stop or comma goes inside the closing mark (American English)."""

    outer: tuple[str, str] = DOUBLE
    inner: tuple[str, str] = SINGLE
    inside: bool = True

    def at(self, depth: int) -> tuple[str, str]:
        """The marks of a quotation `depth` quotations deep (0: outer), alternating."""
        return self.outer if depth % 2 == 0 else self.inner


ENGLISH = Marks()


def locale_name(lang: str | None) -> str:
    """A BCP 47 tag -> the CSL locale that serves it: `fr` -> `fr-FR`, `de-CH` -> `de-CH`,
    `zh-Hant` -> `zh-TW`; a language CSL has no locale for -> `en-US`."""
    # citeproc-py (and lxml, below) only when a language is asked for: `report check`,
    # which imports this module through report.normalize, never needs them.
    from citeproc import LANGUAGE_NAMES, PRIMARY_DIALECTS

    if not lang:
        return "en-US"
    parts = lang.replace("_", "-").split("-")
    language = parts[0].lower()
    script = next((p.title() for p in parts[1:] if len(p) == 4 and p.isalpha()), "")
    region = next((p.upper() for p in parts[1:] if len(p) == 2 and p.isalpha()), "")
    if language == "zh" and script:
        return "zh-TW" if script == "Hant" else "zh-CN"
    if language == "no":
        language = "nb"
    for name in (
        "-".join(x for x in (language, script, region) if x),
        f"{language}-{region}" if region else "",
        language,
    ):
        if name in LANGUAGE_NAMES:
            return name
    return PRIMARY_DIALECTS.get(language, "en-US")


@cache
def marks(lang: str | None) -> Marks:
    """The quotation marks of language `lang` (BCP 47), from its CSL locale file."""
    from citeproc.frontend import LOCALES_PATH
    from lxml import etree

    path = Path(LOCALES_PATH) / f"locales-{locale_name(lang)}.xml"
    try:
        root = etree.parse(str(path), etree.XMLParser(resolve_entities=False)).getroot()
    except (OSError, etree.XMLSyntaxError):
        return ENGLISH
    ns = {"cs": "http://purl.org/net/xbiblio/csl"}

    def term(name: str, default: str) -> str:
        found = root.xpath(f"cs:terms/cs:term[@name='{name}' and not(@form)]", namespaces=ns)
        return found[0].text if found and found[0].text else default

    options = root.xpath("cs:style-options", namespaces=ns)
    inside = bool(options) and options[0].get("punctuation-in-quote", "false") == "true"
    return Marks(
        (term("open-quote", DOUBLE[0]), term("close-quote", DOUBLE[1])),
        (term("open-inner-quote", SINGLE[0]), term("close-inner-quote", SINGLE[1])),
        inside,
    )


def curl(text: str, double: bool = True, single: bool = True, lang: str | None = None) -> str:
    """Straight quotation marks -> curly ones; `--` -> an em dash. With `lang`, every
    quotation (typed straight or curly) then takes that language's marks: double ones its
    outer marks, single ones its inner marks (requote `by_kind`).

    A mark at the start or after white space or an opening bracket opens; any other closes.
    A single mark between two letters or digits is an apostrophe (’), and so is one before
    a digit ('90s)."""
    out: list[str] = []
    for i, ch in enumerate(text):
        prev = text[i - 1] if i else " "
        nxt = text[i + 1] if i + 1 < len(text) else " "
        if ch == '"' and double:
            out.append(DOUBLE[0] if prev in _OPENS_AFTER else DOUBLE[1])
        elif ch == "'" and single:
            opens = prev in _OPENS_AFTER and not nxt.isdigit()
            out.append(SINGLE[0] if opens else SINGLE[1])
        else:
            out.append(ch)
    curled = re.sub(r"\s*--\s*", "\u2014", "".join(out))
    return curled if lang is None else requote(curled, lang, by_kind=True)


def nest(text: str, lang: str | None = None) -> str:
    """The quotation marks inside a quotation -> those one level down (“new era” ->
    ‘new era’ in English, « … » -> “…” in French), as style guides want when the quotation
    itself is set in the language's outer marks."""
    return requote(text, lang, depth=1)


# Quotation marks as sources and authors write them: each opening mark and the marks that
# may close it (German „…“ and ‚…‘, Danish and German »…«, Swedish ”…” aside).
_CLOSERS = {
    "\u201c": "\u201d",  # “ ”
    "\u201e": "\u201c\u201d",  # „ “ (or ”)
    "\u00ab": "\u00bb",  # « »
    "\u00bb": "\u00ab",  # » «
    "\u2018": "\u2019",  # ‘ ’
    "\u201a": "\u2018\u2019",  # ‚ ‘ (or ’)
    "\u2039": "\u203a",  # ‹ ›
    "\u203a": "\u2039",  # › ‹
    "\u300c": "\u300d",  # 「 」
    "\u300e": "\u300f",  # 『 』
    '"': '"',
    "'": "'",
}
_SINGLE_KIND = set("\u2018\u2019\u201a\u2039\u203a\u300e\u300f'")  # marks of an inner quote
_OPENERS = set("\u201c\u201e\u00ab\u2018\u201a\u2039\u300c\u300e")  # unambiguous when alone
_CAN_CLOSE = set("".join(_CLOSERS.values()))
_CLOSERS_ALONE = set("\u201d\u00bb\u203a\u300d\u300f")
_SPACE = " \u00a0\u202f\u2009"  # white space French and others set inside guillemets
_OPENS_INSIDE = _OPENS_AFTER + _SPACE + "\u2026"  # an ellipsis, too: `…‘The farmers`
_SPACED = set("\u00ab\u00bb\u2039\u203a")


def requote(text: str, lang: str | None = None, depth: int = 0, by_kind: bool = False) -> str:
    """Every quotation in `text` set in the marks of `lang` (BCP 47; English when None),
    the outermost as a quotation `depth` levels deep (0: the language's outer marks), each
    one inside alternating. Quotations are found as pairs of marks, whichever language's
    (“…”, „…“, «…», »…«, ‘…’, ‚…‘, ‹…›, "…", '…'); a mark with no partner is set by its
    kind (double or single) when it can only open or only close, and an apostrophe (’
    between letters, or after a word with no quotation open) stays one. `by_kind`: a
    quotation's level is not how deep it is nested but its marks' kind (double: `depth`,
    single: one deeper), as an author types them."""
    return "".join(requote_map(text, lang, depth, by_kind))


def requote_map(
    text: str, lang: str | None = None, depth: int = 0, by_kind: bool = False
) -> list[str]:
    """requote, character by character: what each character of `text` becomes (a mark,
    a mark with its spaces, itself, or "" for a space that went), so that text in pieces
    (a note's italic and roman spans) can be requoted as one and cut up again."""
    m = marks(lang)
    pairs = _pairs(text)
    if not pairs and not any(c in _OPENERS or c in _CLOSERS_ALONE for c in text):
        return list(text)
    out: dict[int, str] = {}  # position -> the mark (with its spaces) set there
    drop: set[int] = set()  # spaces inside a re-set pair
    paired: set[int] = set()
    for start, end, level in pairs:
        paired.update((start, end))
        if by_kind:
            level = text[start] in _SINGLE_KIND
        opening, closing = m.at(depth + level)
        out[start], out[end] = opening, closing
        k = start + 1
        while k < end and text[k] in _SPACE and text[start] in _SPACED:
            drop.add(k)
            k += 1
        k = end - 1
        while k > start and text[k] in _SPACE and text[start] in _SPACED:
            drop.add(k)
            k -= 1
    for k, c in enumerate(text):
        if k in paired or (c not in _OPENERS and c not in _CLOSERS_ALONE):
            continue
        if c == "\u2018" and k + 1 < len(text) and text[k + 1].isdigit():
            continue  # ‘90s: an apostrophe set the wrong way round
        level = depth + (c in _SINGLE_KIND)
        out[k] = m.at(level)[0 if c in _OPENERS else 1]
    return ["" if k in drop else out.get(k, c) for k, c in enumerate(text)]


def _pairs(text: str) -> list[tuple[int, int, int]]:
    """The quotation marks of `text` that pair up: (opening, closing, depth) each."""
    stack: list[int] = []  # positions of the marks open
    pairs: list[tuple[int, int, int]] = []
    for k, c in enumerate(text):
        if c not in _CAN_CLOSE and c not in _CLOSERS:
            continue
        prev = text[k - 1] if k else " "
        nxt = text[k + 1] if k + 1 < len(text) else " "
        closed = False
        # The quotation this mark closes: the innermost open one it can close (one inside
        # it left open goes). A mark after a space closes only «…» and the like, and ’ or '
        # before a letter is an apostrophe (`can’t`).
        if c in _CAN_CLOSE and not (c in "\u2019'" and nxt.isalpha()):
            for i in range(len(stack) - 1, -1, -1):
                opener = text[stack[i]]
                if c in _CLOSERS[opener] and (prev not in _SPACE or opener in _SPACED):
                    pairs.append((stack[i], k, i))
                    del stack[i:]
                    closed = True
                    break
        if closed or c not in _CLOSERS:
            continue
        after_start = k == 0 or prev in _OPENS_INSIDE or prev in _CLOSERS
        if after_start and (nxt not in _SPACE or c in _SPACED) and k + 1 < len(text):
            stack.append(k)
    return sorted(pairs)


def visible(text: str) -> str:
    """Text without control characters: breaks among them as spaces, the rest dropped."""
    return text.translate(_VISIBLE)


def line(text: str) -> str:
    """Text as one line: control characters gone, white space runs as one space."""
    return " ".join(visible(text).split())


def paragraphs(text: str | None) -> tuple[str, ...]:
    """A YAML block of prose -> its paragraphs (split at blank lines, lines joined)."""
    if not text:
        return ()
    blocks = re.split(r"\n\s*\n", text.strip())
    return tuple(p for p in map(line, blocks) if p)
