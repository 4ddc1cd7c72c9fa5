"""A citation's text (a footnote, an endnote, an inline `[@id]` or `(Author 2020)`) -> the
corpus sources it cites, one answer per citation in it (a note may cite several, separated
by semicolons). Never a guess: a citation that names no single source says so.

A citation names a source by, in this order of trust:
1. its id: `[@dispatch-2020]`, `@dispatch-2020`, or the id itself as a word;
2. its URL (`url:` in sources.yaml), written in the note or as the target of a link;
3. "Ibid." / "Id.": the same as the note before it;
4. its title and author, fuzzily (rapidfuzz): a title in quotation marks (or the whole
   title anywhere in the note) at 90% similarity or more; a short title the source's title
   begins with; or an author's family name (or the publication) together with the year.
A citation that comes close to a source without naming it for sure, or that could mean two
or more, is `source_unknown` with those sources listed; one that looks like a citation (a
year, a URL, a title in quotation marks, a citation key) but matches no source at all cites
a document outside the corpus.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from urllib.parse import urlsplit

from rapidfuzz import fuzz, process

from report.corpus import Corpus
from report.sources import Source

_KEY = re.compile(r"(?<![\w.])-?@(\w[\w:.#$%&\-+?<>~/]*)")
_URL = re.compile(r"(?:https?://|www\.)[^\s<>\"“”‘’)\]]+", re.IGNORECASE)
_IBID = re.compile(r"\s*(?:ibid|id)\b\.?", re.IGNORECASE)
_YEAR = re.compile(r"\b(?:1[5-9]|20)\d\d\b")
_QUOTED = re.compile(r"[“\"«„]([^“”\"«»„]{3,300}?)[”\"»“]")
_CLOSE_ID = 80  # an unknown key this similar to an id is a typo of it, not another work
TITLE_MATCH = 90
TITLE_NEAR = 70


@dataclass(frozen=True, slots=True)
class Cited:
    """One citation and what it names: `source`, or (when it names none for sure) the
    sources it could mean and why; `outside` when it cites a document not in the corpus."""

    text: str
    source: str | None = None
    candidates: tuple[str, ...] = ()
    reason: str = ""
    outside: bool = False
    cites: str = ""  # the citation it stands for, when not itself ("Ibid.": the one before)

    @property
    def work(self) -> str:
        """The citation that names the work: its own text, or what "Ibid." repeats."""
        return self.cites or self.text


@dataclass(frozen=True, slots=True)
class _Known:
    """What a source can be recognised by, folded once."""

    id: str
    titles: tuple[str, ...]  # folded title (and short title)
    names: tuple[str, ...]  # authors' family names, as written
    outlets: tuple[str, ...]  # publication and publisher, as written
    year: str
    url: str


class Linker:
    """Links citations to the sources of one corpus."""

    def __init__(self, corpus: Corpus) -> None:
        self.known = [_known(s) for s in corpus.sources.values()]
        self.ids = [k.id for k in self.known]
        self.by_url = {k.url: k.id for k in self.known if k.url}

    def link_notes(self, notes: list[tuple[str, str, tuple[str, ...]]]) -> dict[str, list[Cited]]:
        """(key, text, link targets) of notes in reading order -> the citations of each;
        "Ibid." takes those of the note before it of the same kind (keys "kind:id": the
        first endnote's "Ibid." does not reach back into the footnotes)."""
        out: dict[str, list[Cited]] = {}
        previous: list[Cited] | None = None
        kind = None
        for key, text, urls in notes:
            if key.split(":", 1)[0] != kind:
                kind, previous = key.split(":", 1)[0], None
            out[key] = self.link(text, urls, previous)
            previous = out[key]
        return out

    def link(
        self, text: str, urls: tuple[str, ...] = (), previous: list[Cited] | None = None
    ) -> list[Cited]:
        segments = [s for s in _segments(text) if s.strip(" .,")]
        if not segments:
            return [Cited(text.strip(), reason="it is empty")]
        out: list[Cited] = []
        for k, segment in enumerate(segments):
            if k == 0 and _IBID.match(segment):
                if previous is None:
                    out.append(Cited(segment, reason="“Ibid.” with no note before it"))
                else:
                    out.extend(replace(c, text=segment.strip(), cites=c.work) for c in previous)
                continue
            out.extend(self._segment(segment, urls if len(segments) == 1 else ()))
        return out

    def _segment(self, text: str, urls: tuple[str, ...]) -> list[Cited]:
        text = " ".join(text.split())
        keys = [k.rstrip(".:,;") for k in _KEY.findall(text)]
        if keys:
            return [self._key(key, text) for key in keys]
        named = [i for i in self.ids if re.search(rf"(?<![\w@-]){re.escape(i)}(?![\w-])", text)]
        if named:
            return [Cited(text, source=i) for i in named]
        found_urls = [u.rstrip(".,;:") for u in _URL.findall(text)] + list(urls)
        linked = {self.by_url[n] for u in found_urls if (n := _url(u)) in self.by_url}
        if linked:
            return [Cited(text, source=i) for i in sorted(linked)]
        return [self._fuzzy(text, bool(found_urls))]

    def _key(self, key: str, text: str) -> Cited:
        if key in self.ids:
            return Cited(text, source=key)
        folded = [i for i in self.ids if i.casefold() == key.casefold()]
        if len(folded) == 1:
            return Cited(text, source=folded[0])
        close = process.extractOne(key, self.ids, scorer=fuzz.ratio)
        if close is not None and close[1] >= _CLOSE_ID:
            return Cited(
                text,
                candidates=(close[0],),
                reason=f"no source has the id '{key}' (did you mean {close[0]}?)",
            )
        return Cited(text, outside=True)

    def _fuzzy(self, text: str, has_url: bool) -> Cited:
        folded = _fold(text)
        quoted = [_fold(q) for q in _QUOTED.findall(text) if len(q.split()) >= 2]
        years = set(_YEAR.findall(text))
        scored = []
        for k in self.known:
            title, short = _title_score(k, folded, quoted)
            name = any(_word_in(n, text) for n in k.names)
            outlet = any(_word_in(o, text) for o in k.outlets)
            year = bool(k.year) and k.year in years
            strong = (
                title >= TITLE_MATCH
                or ((name or outlet) and year)
                or (name and (title >= TITLE_NEAR or short))
            )
            near = name or title >= TITLE_NEAR or short
            score = 3 * max(title, TITLE_MATCH * short) / 100 + name + year + 0.5 * outlet
            scored.append((strong, near, score, k.id, max(title, TITLE_NEAR * short)))
        strong = sorted((s for s in scored if s[0]), key=lambda s: -s[2])
        if strong:
            if len(strong) == 1 or strong[0][2] - strong[1][2] >= 1:
                return Cited(text, source=strong[0][3])
            tied = tuple(s[3] for s in strong if strong[0][2] - s[2] < 1)
            return Cited(text, candidates=tied, reason=f"it could mean {_either(tied)}")
        # A title of its own in quotation marks that no source comes near: another work,
        # even by an author of the corpus.
        other_title = bool(quoted) and all(s[4] < TITLE_NEAR for s in scored)
        near = tuple(s[3] for s in sorted(scored, key=lambda s: -s[2]) if s[1])
        if near and not other_title:
            return Cited(
                text,
                candidates=near,
                reason=(
                    f"it comes close to {_either(near)} without naming it for sure: give the "
                    "title and author, the URL, or the id as [@id]"
                ),
            )
        if has_url or years or quoted or "n.d." in text:
            return Cited(text, outside=True)
        return Cited(
            text,
            reason="it names no source: give the title and author, the URL, or the id as [@id]",
        )


def _known(source: Source) -> _Known:
    csl = source.csl
    titles = [str(csl.get("title") or "")]
    if csl.get("title-short"):
        titles.append(str(csl["title-short"]))
    names = tuple(str(a.get("family") or a.get("literal") or "") for a in csl.get("author") or [])
    outlets = tuple(
        str(csl[f]) for f in ("container-title", "publisher", "collection-title") if csl.get(f)
    )
    issued = str(csl.get("issued") or "")
    year = _YEAR.search(issued)
    return _Known(
        id=source.id,
        titles=tuple(t for t in (_fold(t) for t in titles) if t),
        names=tuple(n for n in names if n),
        outlets=outlets,
        year=year.group(0) if year else "",
        url=_url(str(csl.get("URL") or "")),
    )


def _title_score(k: _Known, folded: str, quoted: list[str]) -> tuple[float, bool]:
    """How close the citation comes to the source's title (0-100), and whether a title in
    quotation marks is words of it (a short title: "Dangerous Liaisons" for "Talk About
    Your Dangerous Liaisons"), which names the source only with its author."""
    best, short = 0.0, False
    for title in k.titles:
        for q in quoted:
            best = max(best, fuzz.ratio(q, title))
            if len(q.split()) >= 2 and title.startswith(q):  # Chicago's short title
                best = max(best, 95.0)
            elif len(q.split()) >= 2 and f" {q} " in f" {title} ":
                short = True
        if len(title) >= 15 and len(folded) >= len(title):  # the title, unmarked
            best = max(best, fuzz.partial_ratio(title, folded))
    return best, short


def _segments(text: str) -> list[str]:
    """The citations of a note: split at semicolons outside brackets and quotation marks."""
    out, depth, quoted, start = [], 0, False, 0
    for i, c in enumerate(text):
        if c in "([":
            depth += 1
        elif c in ")]":
            depth = max(0, depth - 1)
        elif c in '“”"':
            quoted = c == "“" or (c == '"' and not quoted)
        elif c == ";" and not depth and not quoted:
            out.append(text[start:i])
            start = i + 1
    out.append(text[start:])
    return out


def _fold(text: str) -> str:
    return " ".join(re.findall(r"\w+", text.replace("’", "'").casefold()))


def _word_in(word: str, text: str) -> bool:
    return bool(re.search(rf"(?<!\w){re.escape(word)}(?!\w)", text))


def _url(url: str) -> str:
    """A URL as compared: no scheme, no www., host in lower case, no trailing slash."""
    url = url.strip()
    if not url:
        return ""
    parts = urlsplit(url if "://" in url else "http://" + url)
    host = parts.netloc.lower().removeprefix("www.")
    query = f"?{parts.query}" if parts.query else ""
    return host + parts.path.rstrip("/") + query


def _either(ids: tuple[str, ...]) -> str:
    return ids[0] if len(ids) == 1 else ", ".join(ids[:-1]) + " or " + ids[-1]
