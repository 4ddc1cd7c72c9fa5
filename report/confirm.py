"""A quote verified in a cached text layer x the source file's own bytes -> confirmed or not:
the last check of every `verified`, which no cache can fool.

Text layers are kept in a cache folder (report.cache) that CI jobs restore from a shared store:
whoever can write that store could plant an entry with a valid checksum and invented text, and
make a fabricated quote verify. So a verdict never rests on the cache alone. Before a quote is
reported verified in a text that came from the cache, the text is read again from the file's
own bytes, as far as needed to find the quote again with the same matcher:

- a PDF: the pages the quote lies on, laid out afresh (report.readers.pdftext.pages_layer);
- any other file: its whole text layer (plain text and Markdown at tens of MB a second; HTML
  and Word files are seldom large).

A quote found there, inside the body, is confirmed. One that is not was verified on forged or
stale text: the caller then rebuilds the text from the file, replaces the cache entry and
verifies the source's quotes again (report.verify).
"""

from __future__ import annotations

from pathlib import Path

from report.cache import prepare_layer
from report.corpus import SourceText, source_text
from report.errors import CorpusError
from report.findings import Match
from report.match import across_line_hyphens, search_window
from report.quote import QuotePattern
from report.readers import layer_of


def confirmed(pattern: QuotePattern, text: SourceText, match: Match, data: bytes) -> bool:
    """Whether the quote matched at `match` in the cached `text` is in `data`, the bytes the
    text claims to come from (read again by the caller and checked against its sha256)."""
    path = text.source.path
    try:
        if path.suffix.lower() == ".pdf" and text.source.body is None and not text.source.exclude:
            fresh = _pdf_pages(text, match, data)
        else:
            layer = layer_of(path, data, text.shown)
            css = None
            if any(item.css for item in text.source.exclude):  # matched on the page afresh
                from report.readers.htmltext import excluded_spans

                selectors = [item.css for item in text.source.exclude if item.css]
                css = excluded_spans(data, text.shown, selectors)
            fresh = source_text(text.source, text.shown, prepare_layer(layer), css_spans=css)
    except CorpusError:
        return False
    spans = search_window(pattern, fresh, None)
    if not any(fresh.in_body(a, b) for a, b in spans):
        joined = fresh.joined()
        if joined is None:
            return False
        other, places = joined
        spans = across_line_hyphens(pattern, other, places)
        fresh = other
    return any(fresh.in_body(a, b) for a, b in spans)


def _pdf_pages(text: SourceText, match: Match, data: bytes) -> SourceText:
    """The pages the match lies on (and the one after, where a sentence may go on), read
    afresh and laid out as a text of their own."""
    from report.readers.pdftext import pages_layer

    first = match.location.page
    last = text.location(max(match.start, match.end - 1)).page
    layer = pages_layer(data, text.shown, first, last)
    return source_text(text.source, text.shown, prepare_layer(layer))


def read_again(text: SourceText) -> bytes | None:
    """The file's bytes if they are still the ones the text was read from, else None."""
    from report.cache import content_key
    from report.corpus import MAX_SOURCE_BYTES
    from report.yamlfile import read_bytes

    try:
        data = read_bytes(Path(text.source.path), CorpusError, MAX_SOURCE_BYTES, text.shown)
    except CorpusError:
        return None
    return data if content_key(data) == text.sha256 else None
