"""A source and the match of a quote -> the address of the quoted passage, and rich text ->
rich text whose addresses are live links.

A note links to where its quote stands: for a web source, a text fragment
(`url#:~:text=start,end`, WICG "URL Fragment Text Directives") that current browsers open
scrolled to the quoted words and highlighted; for a PDF source, `url#page=N`, the page of
the match, which PDF viewers open. Only http(s) addresses become links (sources.yaml is
checked for that, report.sources.web_address), so a brief never links to a local file.
"""

from __future__ import annotations

import re
from urllib.parse import quote, urlsplit, urlunsplit

from report.cite import Rich, Span
from report.findings import Match
from report.sources import Source, web_address

# Characters a text directive may carry as they are (the specification's
# TextDirectiveExplicitChar); everything else, `-`, `,` and `&` above all, since they are
# the directive's own syntax, is percent-encoded as UTF-8.
_EXPLICIT = "!$'()*+./:;=?@_~"
# A passage this long or shorter is given whole; a longer one by its first and last words
# (textStart,textEnd), which keeps the address short and survives a changed word inside.
WHOLE_WORDS = 8
EDGE_WORDS = 4


def encode_directive(text: str) -> str:
    """One text-directive parameter, percent-encoded as the specification requires."""
    # quote() leaves `-` alone (it is unreserved in URLs), but in a directive it marks a
    # prefix or suffix.
    return quote(text, safe=_EXPLICIT).replace("-", "%2D")


def text_fragment(passage: str) -> str:
    """The fragment directive that selects `passage` (`:~:text=...`), or "" for no words."""
    words = passage.split()
    if not words:
        return ""
    if len(words) <= WHOLE_WORDS:
        return ":~:text=" + encode_directive(" ".join(words))
    start = " ".join(words[:EDGE_WORDS])
    end = " ".join(words[-EDGE_WORDS:])
    return f":~:text={encode_directive(start)},{encode_directive(end)}"


def passage_link(source: Source, match: Match | None) -> str | None:
    """Where a reader finds the quote: the source's `url` with a text fragment (web pages
    and texts) or `#page=N` (PDF files); the plain `url` when neither can be had; None when
    the source has no web address."""
    url = source.csl.get("URL")
    if not web_address(url):
        return None
    url = url.strip()
    if match is None:
        return url
    parts = urlsplit(url)
    if _is_pdf(source, url):
        page = match.location.page
        return urlunsplit(parts._replace(fragment=f"page={page}")) if page > 0 else url
    if source.path.suffix.lower() in (".docx",):  # a Word file on the web opens as a download
        return url
    directive = text_fragment(match.text)
    if not directive:
        return url
    # A fragment the address has already (`#section`) stays; the directive follows it.
    fragment = (parts.fragment.split(":~:", 1)[0]) + directive
    return urlunsplit(parts._replace(fragment=fragment))


def _is_pdf(source: Source, url: str) -> bool:
    return source.path.suffix.lower() == ".pdf" or urlsplit(url).path.lower().endswith(".pdf")


def with_links(rich: Rich, targets: dict[str, str]) -> Rich:
    """`rich` with every occurrence of each key's text linked to its address (the longest
    key first, so an address inside another is not split)."""
    keys = sorted((k for k in targets if k), key=len, reverse=True)
    if not keys:
        return rich
    pattern = re.compile("|".join(re.escape(k) for k in keys))
    out: list[Span] = []
    for span in rich:
        if span.href is not None:
            out.append(span)
            continue
        at = 0
        for m in pattern.finditer(span.text):
            if m.start() > at:
                out.append(Span(span.text[at : m.start()], span.italic, span.bold))
            out.append(Span(m.group(), span.italic, span.bold, targets[m.group()]))
            at = m.end()
        if at < len(span.text):
            out.append(Span(span.text[at:], span.italic, span.bold))
    return tuple(out)


def note_links(note: Rich, source: Source, link: str | None) -> Rich:
    """A quote's note with its addresses live: the source's address, where the note shows
    it, opens the quoted passage (`link`); an archived copy's address opens that copy. A
    note that shows no address (a short note, "Ibid.") is linked whole to the passage."""
    url, archived = source.csl.get("URL"), source.csl.get("archived")
    targets = {}
    if web_address(archived):
        targets[archived.strip()] = archived.strip()
    shown = web_address(url) and any(url.strip() in s.text for s in note)
    if link and shown:
        targets[url.strip()] = link
    note = with_links(note, targets)
    if link and not shown:
        note = tuple(s if s.href else Span(s.text, s.italic, s.bold, link) for s in note)
    return note


def entry_links(entry: Rich, source: Source) -> Rich:
    """A bibliography entry with the source's address and its archived copy's live."""
    targets = {}
    for key in ("URL", "archived"):
        value = source.csl.get(key)
        if web_address(value):
            targets[value.strip()] = value.strip()
    return with_links(entry, targets)
