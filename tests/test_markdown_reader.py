"""report.readers.mdtext on Markdown written here: CommonMark structure from markdown-it-py,
markup that is not text (front matter, link definitions, emphasis and link syntax also over
a line break, code-span backticks, HTML), and an exact `line:col` for every character."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from report.readers import layer_of
from report.readers.mdtext import markdown_layer
from report.textlayer import text_layer


def _paragraphs(layer) -> list[str]:
    return [layer.text[a:b] for a, b in layer.paragraphs]


def _maps_back(source: str, layer) -> None:
    for i, ch in enumerate(layer.text):
        if ch in "\n " or source[layer.map(i)] == "&":  # a reference maps to its `&`
            continue
        assert source[layer.map(i)] == ch, (i, ch, source[layer.map(i) - 5 : layer.map(i) + 5])


DOC = """+++
title = "Interview"
authors = ["Pete"]
+++

# The *interview* #

On the [Content Team], we spoke with [Jan David Nose][jdn], one of the
engineers on the [Infrastructure
Team](https://example.org/infra "the team"), about **changes extending
his** work &amp; `cargo build` times.

> A quoted
> paragraph with \\*escaped\\* stars.

- first item
- second item
  continued

a sentence broken by a stray blank line,

continues here. <span class="x">Inline html</span> stays ![a badge](b.png) text.

<div align="center">
<iframe src="https://example.org/video"></iframe>
Caption <b>words</b> <!-- a comment -->
</div>

```go
func main() {}

// after a blank line
```

| col a | col b |
|-------|-------|
| one   | two   |

[Content Team]: https://example.org/content
[jdn]: https://example.org/jdn "Jan David"
"""


def test_markdown_reads_as_the_rendered_page():
    layer = markdown_layer(DOC)
    assert _paragraphs(layer) == [
        "The interview",
        "On the Content Team, we spoke with Jan David Nose, one of the\n"
        "engineers on the Infrastructure\nTeam, about changes extending\n"
        "his work & cargo build times.",
        "A quoted\nparagraph with *escaped* stars.",
        "first item",
        "second item\ncontinued",
        "a sentence broken by a stray blank line,\ncontinues here. Inline html stays  text.",
        "Caption words",
        "func main() {}",
        "// after a blank line",
        "col a",
        "col b",
        "one",
        "two",
    ]
    _maps_back(DOC, layer)


def test_front_matter_and_link_definitions_are_not_text():
    layer = markdown_layer(DOC)
    for words in ("Interview", "Pete", "example.org", "Jan David\"", "b.png", "badge", "```"):
        assert words not in layer.text.replace("The interview", "")


def test_locations_are_exact():
    layer = markdown_layer(DOC)
    lines = DOC.split("\n")
    for needle in ("Team", ", about", "his", "cargo build", "escaped", "continues", "two"):
        i = layer.text.index(needle)
        line, col = layer.line_col(i)
        assert lines[line - 1][col - 1 :].startswith(needle), needle
    assert layer.line_col(layer.text.index("&")) == (11, 12)  # the `&amp;` reference


@pytest.mark.parametrize(
    ("source", "paragraphs"),
    [
        ("---\ntitle: x\n---\nBody text.", ["Body text."]),  # YAML front matter
        ("---\nnot closed\n\nBody.", ["not closed", "Body."]),  # a rule, not front matter
        ("Text\n---\nmore", ["Text", "more"]),  # a setext heading
        ("a [b\nc][r] d\n\n[r]: /u", ["a b\nc d"]),
        ("*emphasis over\na break* here", ["emphasis over\na break here"]),
        ("`code\nspan` x", ["code span x"]),
        ("AT&T &copy; &#8212; &bogus;", ["AT&T © — &bogus;"]),
        ("x <http://example.org/a> y", ["x http://example.org/a y"]),
        ("one\n\nTwo", ["one", "Two"]),
        ("one:\n\ntwo", ["one:", "two"]),
        ("text\n# Head\nmore", ["text", "Head", "more"]),
        ("1. ten years\n2. twenty", ["ten years", "twenty"]),
        ("bell\x07 and esc\x1b[0m", ["bell and esc[0m"]),
        ("\n\n   \n", []),
    ],
)
def test_markdown_snippets(source, paragraphs):
    layer = markdown_layer(source)
    assert _paragraphs(layer) == paragraphs
    _maps_back(source, layer)


def test_plain_text_keeps_its_own_reader(tmp_path: Path):
    source = "a [link](u) and *b*\nnext line"
    for name, expected in (("a.txt", text_layer(source)), ("a.md", markdown_layer(source))):
        (tmp_path / name).write_text(source)
        assert layer_of(tmp_path / name, source.encode(), name).text == expected.text


def test_a_quote_across_hard_wrapped_link_text_verifies(invoke, tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "post.md").write_text(DOC, encoding="utf-8")
    (corpus / "sources.yaml").write_text("- id: post\n  file: post.md\n", encoding="utf-8")
    (tmp_path / "outlines").mkdir()
    quotes = [
        "engineers on the Infrastructure Team, about changes extending his work",
        "one of the engineers on the Infrastructure Team",
        "title = \"Interview\"",
    ]
    items = "".join(
        f"          - source: post\n            quote: {json.dumps(q)}\n" for q in quotes
    )
    (tmp_path / "outlines" / "o.yaml").write_text(
        "title: T\nsections:\n  - heading: H\n    arguments:\n      - claim: C.\n"
        f"        evidence:\n{items}",
        encoding="utf-8",
    )
    result = invoke("check", "outlines/o.yaml", "--format", "json", cwd=tmp_path)
    found = json.loads(result.out)["quotes"]
    assert [q["status"] for q in found] == ["verified", "verified", "misquote"]
    assert (found[0]["location"]["line"], found[0]["location"]["column"]) == (9, 1)


_MARKUP = st.sampled_from(
    ["*", "_", "`", "[", "]", "(", ")", "<b>", "</b>", "&amp;", "\\", "\n", "\n\n", "> ", "- ",
     "# ", "---\n", "+++\n", "![", "<!--", "-->", "|", "&#8212;", "\t", "    "]
)  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(_MARKUP, st.text(max_size=8)), max_size=40))
def test_any_markdown_reads_and_maps_back(parts):
    source = "".join(parts).replace("\r", "").replace("\0", "")  # as decode_text gives
    layer = markdown_layer(source)
    _maps_back(source, layer)
    assert all(0 <= a <= b <= len(layer.text) for a, b in layer.paragraphs)
