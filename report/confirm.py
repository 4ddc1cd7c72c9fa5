"""A quote verified in a cached text layer x the source file's own bytes -> confirmed or not:
the last check of every `verified`, which no cache can fool.

Text layers are kept in a cache folder (report.cache) that CI jobs restore from a shared store:
whoever can write that store could plant an entry with a valid checksum and invented text, and
make a fabricated quote verify. So a verdict never rests on the cache alone. Before a quote is
reported verified in a text that came from the cache, the text is read again from the file's
own bytes, as far as needed to find the quote again with the same matcher:

- a PDF: the pages the quote lies on, laid out afresh (report.readers.pdftext.pages_layer);
- any other file: its whole text layer, built once for all the quotes verified in it (the
  cost of a warm run's named sources: plain text at about 10 MB a second a core, Markdown,
  through markdown-it-py, at about 1 MB a second).

A quote found there, inside the body, is confirmed. One that is not was verified on forged or
stale text: the caller then rebuilds the text from the file, replaces the cache entry and
verifies the source's quotes again (report.verify).
"""

from __future__ import annotations

from pathlib import Path

from report.corpus import SourceText, source_text
from report.errors import CorpusError
from report.findings import Match
from report.match import across_line_hyphens, search_window
from report.prepare import prepare_layer
from report.quote import QuotePattern
from report.readers import layer_of


class Confirmation:
    """The bytes of one source file, read again for the quotes verified in its cached text:
    each is confirmed against the text built afresh from them, built once for them all (a
    PDF: once for each stretch of pages)."""

    def __init__(self, text: SourceText, data: bytes) -> None:
        self.text = text
        self.data = data  # read again by the caller and checked against text.sha256
        self._fresh: dict[tuple[int, int] | None, SourceText | None] = {}

    def confirmed(self, pattern: QuotePattern, match: Match) -> bool:
        """Whether the quote matched at `match` in the cached text is in the file's bytes."""
        text = self.text
        path = text.source.path
        pages = None
        if path.suffix.lower() == ".pdf" and text.source.body is None and not text.source.exclude:
            first = match.location.page
            pages = (first, text.location(max(match.start, match.end - 1)).page)
        if pages not in self._fresh:
            self._fresh[pages] = self._build(pages)
        fresh = self._fresh[pages]
        if fresh is None:
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

    def _build(self, pages: tuple[int, int] | None) -> SourceText | None:
        text, data = self.text, self.data
        try:
            if pages is not None:
                return _pdf_pages(text, pages, data)
            layer = layer_of(text.source.path, data, text.shown)
            css = None
            if any(item.css for item in text.source.exclude):  # matched on the page afresh
                from report.readers.htmltext import excluded_spans

                selectors = [item.css for item in text.source.exclude if item.css]
                css = excluded_spans(data, text.shown, selectors)
            return source_text(text.source, text.shown, prepare_layer(layer), css_spans=css)
        except CorpusError:
            return None


def confirmed(pattern: QuotePattern, text: SourceText, match: Match, data: bytes) -> bool:
    """Whether the quote matched at `match` in the cached `text` is in `data`, the bytes the
    text claims to come from (read again by the caller and checked against its sha256)."""
    return Confirmation(text, data).confirmed(pattern, match)


def _pdf_pages(text: SourceText, pages: tuple[int, int], data: bytes) -> SourceText:
    """The pages a match lies on (and the one after, where a sentence may go on), read
    afresh and laid out as a text of their own."""
    from report.readers.pdftext import pages_layer

    layer = pages_layer(data, text.shown, *pages)
    return source_text(text.source, text.shown, prepare_layer(layer))


def read_again(text: SourceText) -> bytes | None:
    """The file's bytes if they are still the ones the text was read from, else None."""
    from report.cache import content_key
    from report.prepare import MAX_SOURCE_BYTES
    from report.yamlfile import read_bytes

    try:
        data = read_bytes(Path(text.source.path), CorpusError, MAX_SOURCE_BYTES, text.shown)
    except CorpusError:
        return None
    return data if content_key(data) == text.sha256 else None
