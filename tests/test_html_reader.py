"""report.readers.htmltext on small pages written here: the text a browser shows, located
exactly; linear work on hostile markup; encodings it cannot use ignored as browsers do; and
sources.yaml `exclude` (passages, stretches, CSS selectors) outside the article body."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from report.errors import CorpusError
from report.readers.htmltext import excluded_spans, html_layer
from tests.conftest import ROOT


def _layer(page: str | bytes):
    return html_layer(page.encode() if isinstance(page, str) else page, "p.html")


def _paragraphs(layer) -> list[str]:
    return [layer.text[a:b] for a, b in layer.paragraphs]


# -- what is read -----------------------------------------------------------------------------


def test_every_character_maps_back_to_itself():
    page = (
        "<!DOCTYPE html><html><head><title>T</title></head><body><main>\n"
        "<h1 class='x' data-a=\"1 > 0\">A&nbsp;headline</h1>\n"
        "<p>First <b>bold</b> and <a href='/x?a=1&amp;b=2'>linked</a> words,\n"
        "   over two lines.<br>After a break.</p><!-- a comment --><p>Second</p>\n"
        "</main></body></html>"
    )
    layer = _layer(page)
    assert _paragraphs(layer) == [
        "A headline",
        "First bold and linked words, over two lines.\nAfter a break.",
        "Second",
    ]
    for i, ch in enumerate(layer.text):
        if ch in "\n \u00a0":
            continue
        assert page[layer.map(i)] == ch, (i, ch)


@pytest.mark.parametrize(
    ("page", "paragraphs"),
    [
        ("<p>one<div>two</div>three", ["one", "two", "three"]),  # a block ends a <p>
        ("<ul><li>a<li>b</ul><p>c", ["a", "b", "c"]),
        ("<dl><dt>term<dd>meaning</dl>", ["term", "meaning"]),
        ("<table><tr><td>x<td>y<tr><td>z</table>", ["x", "y", "z"]),
        ("<p>a</span>b</p>", ["ab"]),  # a stray end tag is nothing
        ("<p>a</br>b</p>", ["a\nb"]),  # </br> is a <br>
        ("<pre>line one\nline two</pre>", ["line one\nline two"]),
        ("<p>x<script>no <p>text</p> here</script>y</p>", ["xy"]),
        ("<p>a<![CDATA[hidden]]>b<!x>c<?pi?>d</p>", ["abcd"]),
        ("<p>a <!['x b</p><p>next</p>", ["a", "next"]),  # a bogus comment up to `>`
        ("<p>kept</p><p>dropped <a href='x", ["kept", "dropped"]),  # EOF inside a tag
        ("<p>kept</p><!-- never closed <p>gone</p>", ["kept"]),
        ("<p>1 < 2 and 3 <= 4</p>", ["1 < 2 and 3 <= 4"]),
        (
            "<p>AT&amp;T &copy2024 &#150; &notit; &#99999999999999;</p>",
            ["AT&T ©2024 – ¬it; \ufffd"],
        ),
        ("<p>a\x1b[31mred\x07 b &#27;c</p>", ["a[31mred b c"]),  # control characters
        ("<p title='&#" + "9" * 5000 + ";'>big reference</p>", ["big reference"]),
        ("<p>x<plaintext><b>as text", ["x<b>as text"]),
        # note reference marks are not words of the sentence; other superscripts are
        ('<p>as CEO,<sup class="reference"><a href="#cite_note-18">[18]</a></sup> and</p>',
         ["as CEO, and"]),
        ('<p>grew<sup><a href="#fn3">3</a></sup> fast, 10<sup>6</sup> times</p>',
         ["grew fast, 106 times"]),
    ],
)
def test_markup_reads_as_a_browser_shows_it(page, paragraphs):
    assert _paragraphs(_layer(page)) == paragraphs


@pytest.mark.parametrize(
    ("declared", "body"),
    [
        ("undefined", "café".encode()),  # a Python codec that raises UnicodeError
        ("punycode", "café".encode()),
        ("no-such-thing", "café".encode()),
        ("utf-16", "café".encode()),  # a page read as ASCII is not UTF-16
        ("latin1", "café".encode("cp1252")),  # the WHATWG label of windows-1252
        ("x-user-defined", b"caf"),
    ],
)
def test_a_charset_label_is_read_as_browsers_read_it(declared, body):
    page = f'<meta charset="{declared}"><p>'.encode() + body + b"</p>"
    assert _layer(page).text.startswith("caf")


def test_bytes_invalid_in_the_declared_encoding_are_an_input_error():
    with pytest.raises(CorpusError, match="not valid utf-8 text"):
        _layer(b'<meta charset="utf-8"><p>bad \xff byte</p>')


@pytest.mark.parametrize(
    "unit",
    [
        "<a href='x'",  # unclosed tags: html.parser rescanned the page for each (36 s at 60 KB)
        "<a x='>' ",
        "<x",
        "<!--",
        "<article>w ",  # nested articles: every piece was counted in every enclosing one
    ],
)
def test_hostile_markup_reads_in_linear_time(tmp_path, unit):
    """600 KB of each: about a second now, minutes with html.parser; the timeout only
    catches a hang."""
    page = tmp_path / "p.html"
    page.write_text("<html><body>" + unit * (600_000 // len(unit)) + "<p>the end</p>")
    code = (
        "import sys; from report.readers.htmltext import html_layer; "
        "print(html_layer(open(sys.argv[1], 'rb').read(), 'p.html').text[-7:])"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, str(page)],
        capture_output=True,
        text=True,
        timeout=90,
        env=dict(os.environ, PYTHONPATH=str(ROOT)),
    )
    assert done.returncode == 0, done.stderr


# -- sources.yaml `exclude` -------------------------------------------------------------------

PAGE = """<html><body><main><article>
<h1>Budget passes</h1>
<p>The council approved the budget on Monday after a long debate.</p>
<div class="promo newsletter"><p>Subscribe to our newsletter for the latest local news.</p></div>
<p>Members said the new library would open in the spring.</p>
<section class="related"><h2>Related stories</h2><ul><li>Council elections set for May</li></ul>
</section>
<p>The mayor thanked the staff. Read more about the council at our site.</p>
</article></main></body></html>
"""


def _project(tmp_path: Path, exclude: str, quotes: list[str], file: str = "page.html") -> Path:
    corpus = tmp_path / "corpus"
    corpus.mkdir(exist_ok=True)
    (corpus / file).write_text(PAGE, encoding="utf-8")
    (corpus / "sources.yaml").write_text(
        f"- id: page\n  file: {file}\n  exclude:\n{exclude}", encoding="utf-8"
    )
    (tmp_path / "outlines").mkdir(exist_ok=True)
    items = "".join(
        f"          - source: page\n            quote: {json.dumps(q)}\n" for q in quotes
    )
    (tmp_path / "outlines" / "o.yaml").write_text(
        "title: T\nsections:\n  - heading: H\n    arguments:\n      - claim: C.\n"
        f"        evidence:\n{items}",
        encoding="utf-8",
    )
    return tmp_path


def test_excluded_boxes_and_passages_are_outside_the_body(invoke, tmp_path):
    project = _project(
        tmp_path,
        '    - css: "div.newsletter, section.related"\n'
        '    - "Read more about the council at our site."\n',
        [
            "approved the budget on Monday",
            "Subscribe to our newsletter for the latest local news",
            "Council elections set for May",
            "Read more about the council at our site",
            "the new library would open in the spring",
            "thanked the staff. Read more about the council",  # runs into an excluded passage
        ],
    )
    for _ in ("cold", "warm"):  # the selectors' spans are kept in the cache
        result = invoke("check", "outlines/o.yaml", "--format", "json", cwd=project)
        assert result.code == 1, result.err
        statuses = [q["status"] for q in json.loads(result.out)["quotes"]]
        assert statuses == [
            "verified",
            "outside_body",
            "outside_body",
            "outside_body",
            "verified",
            "outside_body",
        ]


def test_find_does_not_suggest_excluded_text(invoke, tmp_path):
    project = _project(tmp_path, '    - css: "div.newsletter"\n', ["approved the budget"])
    result = invoke("find", "newsletter latest local news", cwd=project)
    assert "Subscribe to our newsletter" not in result.out


@pytest.mark.parametrize(
    ("exclude", "file", "message"),
    [
        ('    - css: "div.newsleter"\n', "page.html", r"sources.yaml:4:7: .*matches no text"),
        ('    - css: "p ~ p"\n', "page.html", r"sources.yaml:4:7: .*combinator '~' is not"),
        ('    - css: "p:nth-child(2)"\n', "page.html", r"sources.yaml:4:7: .*':nth-child' is not"),
        ('    - css: "p..x"\n', "page.html", r"sources.yaml:4:7: .*not a CSS selector"),
        ('    - css: "p"\n', "page.txt", r"sources.yaml:4:7: `exclude` CSS selectors apply"),
        ('    - "words not on the page"\n', "page.html", r"sources.yaml:4:7: exclude .*not occur"),
        ("    - {start: Members, end: nowhere}\n", "page.html", r"yaml:4:7: exclude end"),
        ("    - 3: x\n", "page.html", r"sources.yaml:4:7: `exclude` must be a list"),
        ("    []\n", "page.html", r"sources.yaml:4:5: `exclude` must be a list"),
    ],
)
def test_a_bad_exclude_is_a_located_input_error(invoke, tmp_path, exclude, file, message):
    project = _project(tmp_path, exclude, ["approved the budget on Monday"], file=file)
    result = invoke("check", "outlines/o.yaml", cwd=project)
    assert result.code == 2, result.out
    assert re.search(message, result.err), result.err


def test_a_stretch_is_excluded_from_its_start_to_its_end():
    layer = _layer(PAGE)
    spans = excluded_spans(PAGE.encode(), "p.html", ["section.related > *", "div.promo p"])
    assert [layer.text[a:b] for a, b in spans] == [
        "Subscribe to our newsletter for the latest local news.",
        "Related stories",
        "Council elections set for May",
    ]


def test_selectors_on_deeply_nested_markup_take_linear_time():
    page = ("<html><body>" + "<div class='a'><p>x" * 30_000).encode()
    spans = excluded_spans(page, "p.html", ["div.a p", "div > div", ":not(p) div"])
    assert len(spans) == 30_000
