"""Comparing what a reader sees with what the outline quotes: typography aside."""

from __future__ import annotations

import re

from report.normalize import normalize_text

_MARKS = str.maketrans({"'": '"', "\u2018": '"', "\u2019": '"', "\u201c": '"', "\u201d": '"'})


def squash(text: str) -> str:
    """Text with quotation marks folded to one, dashes and ellipses as `normalize` has
    them, and no white space at all (PDF text extraction moves spaces and line breaks)."""
    text = re.sub("\u2010\\s+", "", text)  # a word the PDF hyphenated at a line's end
    return re.sub(r"\s+", "", normalize_text(text).translate(_MARKS))
