"""Arbitrary input -> the loaders, the text layer and the normaliser (hypothesis).

The only outcomes allowed are a result or a ReportError that names the file (and a line
inside it); normalisation is idempotent; every offset map points inside the file.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from report.corpus import load_corpus
from report.errors import ReportError, ReportErrors
from report.normalize import normalize
from report.outline import load_outline
from report.quote import compile_quote, quote_problem
from report.textlayer import text_layer

FUZZ = settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# Text that hits the interesting characters often: markup, quotes, dashes, white space,
# zero-width and control characters, combining accents, brackets and YAML indicators.
SPICY = st.sampled_from(
    [
        *"ab Z9.,;:!?-_*#>[]()<>/&\"'`|{}~%@\\\t\n\r ",
        *["\u2019", "\u201c", "\u201d", "\u2014", "\u2013", "--", "...", "\u2026", "\u00a0"],
        *["\u00ad", "\u200b", "\ufeff", "\x00", "\x1b", "\x85", "\u2028", "e\u0301", "\u0301"],
        *["&amp;", "&#x2014;", "&bogus;", "<b>", "</b>", "<!--", "-->", "](", "**", "__"],
    ]
)
TEXT = st.one_of(st.text(), st.lists(SPICY, max_size=60).map("".join))


def _assert_located(exc: ReportError, files: set[str]) -> None:
    errors = exc.errors if isinstance(exc, ReportErrors) else [exc]
    assert errors
    for e in errors:
        assert e.location is not None, e
        assert e.location.file in files, (e.location, files)
        assert e.location.line >= 0 and e.location.column >= 0
        assert e.message and "\n" not in e.message


# -- the outline loader --------------------------------------------------------------------

_KEYS = ["title", "sections", "heading", "arguments", "claim", "evidence", "source", "quote"]
_SCALARS = st.one_of(TEXT, st.integers(), st.none(), st.booleans(), st.sampled_from(_KEYS))
_NODES = st.recursive(
    _SCALARS,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(st.one_of(st.sampled_from(_KEYS), st.text(max_size=5)), inner, max_size=4),
    ),
    max_leaves=20,
)


def _outline_like() -> st.SearchStrategy[bytes]:
    """Arbitrary bytes, arbitrary text, and YAML documents shaped a little like outlines."""
    documents = _NODES.map(lambda n: yaml.safe_dump(n, allow_unicode=True))
    cut = st.tuples(documents, st.integers(0, 400), TEXT).map(
        lambda t: t[0][: t[1]] + t[2] + t[0][t[1] :]  # a stray edit somewhere
    )
    return st.one_of(st.binary(max_size=300), TEXT.map(str.encode), documents.map(str.encode),
                     cut.map(lambda s: s.encode("utf-8", "surrogatepass")))  # fmt: skip


@FUZZ
@given(data=_outline_like())
def test_outline_loader_returns_an_outline_or_a_located_error(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "x.yaml"
    path.write_bytes(data)
    try:
        outline = load_outline(path, corpus_dir=tmp_path)
    except ReportError as exc:
        _assert_located(exc, {str(path)})
        # YAML also breaks lines at NEL, LS and PS
        breaks = sum(
            data.count(b) for b in (b"\n", b"\r", b"\xc2\x85", b"\xe2\x80\xa8", b"\xe2\x80\xa9")
        )
        lines = breaks + 2
        errors = exc.errors if isinstance(exc, ReportErrors) else [exc]
        assert all(e.location.line <= lines for e in errors if e.location)
    else:
        assert outline.title
        for ev in outline.evidence():
            assert ev.quote.strip() and ev.source.strip()
            assert ev.location.line >= 1


@FUZZ
@given(data=_outline_like())
def test_sources_loader_returns_a_corpus_or_a_located_error(tmp_path: Path, data: bytes) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir(exist_ok=True)
    (corpus / "a.txt").write_text("some text\n")
    (corpus / "sources.yaml").write_bytes(data)
    try:
        loaded = load_corpus(corpus)
    except ReportError as exc:
        _assert_located(exc, {str(corpus / "sources.yaml"), "corpus/sources.yaml"} | _rel(corpus))
    else:
        for source in loaded.sources.values():
            assert source.path.is_relative_to(corpus.resolve())


def _rel(corpus: Path) -> set[str]:
    import os

    return {os.path.relpath(corpus / "sources.yaml")}


# -- the text layer ------------------------------------------------------------------------


@FUZZ
@given(source=TEXT)
def test_text_layer_maps_every_character_into_the_file(source: str) -> None:
    source = source.replace("\r\n", "\n").replace("\r", "\n")  # as read_text gives it
    layer = text_layer(source)
    lines = source.count("\n") + 1
    for pos in range(len(layer.text) + 1):
        src = layer.map(pos)
        assert 0 <= src <= len(source)
        line, col = layer.line_col(pos)
        assert 1 <= line <= lines and col >= 1
        if pos < len(layer.text):
            ch = layer.text[pos]
            # a character is the file's own, a line break the layer added, or a decoded entity
            assert ch == "\n" or source[src] == ch or source[src] == "&", (pos, ch, src)
    previous_end = 0
    for start, end in layer.paragraphs:
        assert previous_end <= start < end <= len(layer.text)
        previous_end = end


# -- the normaliser ------------------------------------------------------------------------


@FUZZ
@given(text=TEXT)
def test_normalisation_is_idempotent_and_maps_inside(text: str) -> None:
    norm = normalize(text)
    assert normalize(norm.text).text == norm.text
    assert unicodedata.is_normalized("NFC", norm.text)
    assert not re.search(
        r"\s\s|[^\S ]|[\u2018\u2019\u201c\u201d\u2013\u2026\u00ad\u200b]", norm.text
    )
    last = 0
    for pos in range(len(norm.text) + 1):
        src = norm.map(pos)
        assert 0 <= src <= len(text)
        assert src >= last  # the map never goes backwards
        last = src


# -- quotes --------------------------------------------------------------------------------


@FUZZ
@given(quote=TEXT)
def test_any_quote_compiles_or_is_refused(quote: str) -> None:
    """A quote the loader accepts compiles into regexes (built lazily, so asked for here),
    and a quote that is one exact stretch is matched by its own regex."""
    assume(quote.strip())
    if quote_problem(quote) is not None:
        return
    pattern = compile_quote(quote)
    assert pattern.parts and pattern.regex and pattern.detail and pattern.part_regexes
    if pattern.literal is not None:
        assert pattern.regex.fullmatch(pattern.literal), (quote, pattern.regex_source)


WORD = st.lists(st.text(alphabet="abcdéXY’'", min_size=1, max_size=5), min_size=1, max_size=2).map(
    "-".join
)
SEP = st.sampled_from([" ", "  ", "\n", ", ", " — ", " -- ", ". ", " \u00ad", "\u00a0"])


@FUZZ
@given(
    pieces=st.lists(st.tuples(WORD, SEP), min_size=3, max_size=40),
    cut=st.tuples(st.integers(0, 39), st.integers(1, 12)),
)
def test_a_verbatim_slice_of_a_source_is_always_found(
    pieces: list[tuple[str, str]], cut: tuple[int, int]
) -> None:
    source = "".join(w + s for w, s in pieces)
    layer = text_layer(source)
    start = min(cut[0], len(pieces) - 1)
    quote = "".join(w + s for w, s in pieces[start : start + cut[1]]).strip(" ,.\n\u00ad\u00a0-—")
    assume(re.search(r"\w", quote) and "\n\n" not in quote and "--" not in quote[:1])
    pattern = compile_quote(quote)
    text = normalize(layer.text).text
    assert pattern.regex.search(text), (quote, text)


if __name__ == "__main__":  # pragma: no cover
    pytest.main([__file__, "-q"])
