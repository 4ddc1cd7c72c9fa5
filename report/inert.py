"""Text from the input -> text that is inert on a terminal, in a CI log and in an XML report.

File names, quotes, source passages and outline values can hold characters that a terminal
or a log viewer acts on rather than shows: ESC and the rest of C0 and C1 (colours, cursor
moves, window titles, hyperlinks), line breaks (a file name with a newline can forge a
`fake.yaml:1:1: verified` line), U+2028/U+2029, the bidi overrides and isolates that make
text read in another order than it is stored (Trojan Source), and what XML 1.0 forbids (lone
surrogates from undecodable file names, U+FFFE, U+FFFF). Every format but JSON writes them as
escapes (`\\x1b`, `\\n`, `\\u202e`); JSON keeps the data and escapes them the JSON way.
This is the one definition of what is escaped, used by report.output, report.ci_formats and
report.cli, and by the messages that quote a key or an id (report.yamlfile.shown).
"""

from __future__ import annotations

import re

_C0 = "\x00-\x1f"
_OTHERS = (
    "\x7f-\x9f"  # DEL, C1
    "\u2028\u2029"  # line and paragraph separators
    "\u202a-\u202e\u2066-\u2069"  # bidi embeddings, overrides and isolates
    "\ud800-\udfff\ufffe\uffff"  # lone surrogates, and the noncharacters XML 1.0 forbids
)
UNSAFE = re.compile(f"[{_C0}{_OTHERS}]")
# In JSON text the encoder has escaped every C0 character inside strings: any left are the
# document's own line breaks and indentation.
_UNSAFE_IN_JSON = re.compile(f"[{_OTHERS}]")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def escape_char(ch: str) -> str:
    """`\\n`, `\\x1b`, `\\u202e`: how Python writes the character in a string literal."""
    code = ord(ch)
    if ch in _NAMED:
        return _NAMED[ch]
    if code < 0x100:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


def inert(text: str, unprintable: bool = False) -> str:
    """`text` with every unsafe character escaped; with `unprintable`, every character
    Python does not call printable too (no-break spaces, soft hyphens, zero widths), for
    the short values an error message quotes, where an invisible character misleads."""
    if unprintable:
        if text.isprintable():
            return text
        return "".join(ch if ch.isprintable() else escape_char(ch) for ch in text)
    if UNSAFE.search(text) is None:  # the common case, without building a new string
        return text
    return UNSAFE.sub(lambda m: escape_char(m.group()), text)


def inert_json(document: str) -> str:
    """A JSON document (as json.dumps wrote it with ensure_ascii=False) with the unsafe
    characters it still holds raw written as `\\uXXXX`: the same data, decoded."""
    if _UNSAFE_IN_JSON.search(document) is None:
        return document
    return _UNSAFE_IN_JSON.sub(lambda m: f"\\u{ord(m.group()):04x}", document)
