"""Outline input errors: each exits 2 with the outline's file:line (no traceback), and the
loader's data on good input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from report.errors import OutlineError, ReportErrors
from report.outline import load_outline
from tests.conftest import CORPUS, EVIDENCE_SAMPLE

CORPUS_LINE = f"corpus: {json.dumps(str(CORPUS))}"
HEAD = f"""title: T
{CORPUS_LINE}
sections:
  - heading: H
    arguments:
      - claim: C
        evidence:
"""
GOOD_ITEM = """          - source: cnbc-2021
            quote: Moscow struck an even more optimistic tone.
"""


def _write(tmp_path: Path, content: str | bytes, name: str = "brief.yaml") -> Path:
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def _fails(invoke, path: Path, where: str, message: str) -> str:
    """`report check path` exits 2, printing `path:where: ...message...` and no traceback."""
    result = invoke("check", path)
    assert result.code == 2, result.out + result.err
    assert "Traceback" not in result.err
    assert result.out == ""
    prefix = f"{path}:{where}" if where else f"{path}:"
    lines = [line for line in result.err.splitlines() if line.startswith(prefix)]
    assert any(message in line for line in lines), result.err
    return result.err


@pytest.mark.parametrize(
    ("body", "where", "message"),
    [
        # evidence item: a misspelt key
        (
            GOOD_ITEM + "            speakr: Putin\n",
            "10:13",
            "unknown key 'speakr' in an evidence item",
        ),
        # argument: a key the schema does not have
        (GOOD_ITEM + "        sources: [a]\n", "10:9", "unknown key 'sources' in an argument"),
        # missing quote / source: reported at the evidence item
        ("          - source: cnbc-2021\n", "8:13", "an evidence item has no 'quote'"),
        (
            "          - quote: Moscow struck an even more optimistic tone.\n",
            "8:13",
            "an evidence item has no 'source'",
        ),
        ("          - source: cnbc-2021\n            quote:\n", "9:19", "no 'quote'"),
        # empty quote
        ('          - source: cnbc-2021\n            quote: ""\n', "9:20", "'quote' is empty"),
        ('          - source: cnbc-2021\n            quote: "   "\n', "9:20", "'quote' is empty"),
        (
            '          - source: cnbc-2021\n            quote: "\\u00ad\\u200b"\n',
            "9:20",
            "the quote is empty",
        ),
        ("          - source: cnbc-2021\n            quote: >-\n\n", "9:20", "'quote'"),
        # unknown source id: at the `source:` value
        (
            "          - source: cnbc-2022\n"
            "            quote: Moscow struck an even more optimistic tone.\n",
            "8:21",
            "unknown source 'cnbc-2022'",
        ),
        # wrong types
        (
            "          - source: cnbc-2021\n            quote: [Moscow, struck]\n",
            "9:20",
            "'quote' must be text, not a list",
        ),
        (
            "          - source: cnbc-2021\n            quote: {a: b}\n",
            "9:20",
            "'quote' must be text, not a mapping",
        ),
        (
            "          - source: [cnbc-2021]\n"
            "            quote: Moscow struck an even more optimistic tone.\n",
            "8:21",
            "'source' must be text, not a list",
        ),
        (
            "          - Moscow struck an even more optimistic tone.\n",
            "8:13",
            "an evidence item must be a mapping",
        ),
        (
            "          - source: cnbc-2021\n"
            "            quote: Moscow struck\n"
            "            speaker: [a]\n",
            "10:22",
            "'speaker' must be text",
        ),
    ],
)
def test_evidence_errors(tmp_path, invoke, body, where, message):
    _fails(invoke, _write(tmp_path, HEAD + body), where, message)


@pytest.mark.parametrize(
    ("text", "where", "message"),
    [
        (f"title: T\n{CORPUS_LINE}\nsection: []\n", "3:1", "unknown key 'section' in the outline"),
        (f"{CORPUS_LINE}\nsections: []\n", "1:1", "the outline has no 'title'"),
        (f"title: T\n{CORPUS_LINE}\n", "1:1", "the outline has no 'sections'"),
        (
            f"title: T\n{CORPUS_LINE}\nsections: {{heading: H}}\n",
            "3:11",
            "'sections' must be a list, not a mapping",
        ),
        (f"title: [T]\n{CORPUS_LINE}\nsections: []\n", "1:8", "'title' must be text"),
        (
            f"title: T\n{CORPUS_LINE}\nsections:\n  - heading: H\n    arguments: x\n",
            "5:16",
            "'arguments' must be a list",
        ),
        (
            f"title: T\n{CORPUS_LINE}\nsections:\n  - heading: H\n    intro: I\n"
            "    arguments:\n      - text: no claim\n",
            "7:9",
            "an argument has no 'claim'",
        ),
        (
            f"title: T\n{CORPUS_LINE}\nsections: []\nrecommendations:\n  - [a]\n",
            "5:5",
            "a recommendation must be text",
        ),
        (f"title: T\ntitle: U\n{CORPUS_LINE}\nsections: []\n", "2:1", "duplicate key 'title'"),
        ("- a\n- b\n", "1:1", "the outline must be a mapping"),
        ("just words\n", "1:1", "the outline must be a mapping"),
    ],
)
def test_outline_shape_errors(tmp_path, invoke, text, where, message):
    _fails(invoke, _write(tmp_path, text), where, message)


@pytest.mark.parametrize(
    ("text", "where"),
    [
        (HEAD + '          - source: cnbc-2021\n            quote: "unterminated\n', "10:1"),
        (HEAD + "          - source: cnbc-2021\n           quote: misaligned\n", "9:"),
        ("title: T\n\tsections: []\n", "2:1"),
        ("title: [T\n", "2:1"),
        ("title: T\n  bad: indent\n", "2:6"),
    ],
)
def test_bad_yaml(tmp_path, invoke, text, where):
    _fails(invoke, _write(tmp_path, text), where, "invalid YAML")


def test_non_utf8_file(tmp_path, invoke):
    text = (
        HEAD + GOOD_ITEM
    ).encode() + "          - source: cnbc-2021\n            quote: Café\n".encode("latin-1")
    err = _fails(invoke, _write(tmp_path, text), "11", "not UTF-8 text")
    assert "0xe9" in err


def test_missing_file(tmp_path, invoke):
    path = tmp_path / "nowhere.yaml"
    _fails(invoke, path, "", "no such file")


def test_a_folder_is_not_an_outline(tmp_path, invoke):
    result = invoke("check", tmp_path)
    assert result.code == 2 and "Traceback" not in result.err


def test_empty_file(tmp_path, invoke):
    _fails(invoke, _write(tmp_path, ""), "1", "the outline is empty")
    _fails(invoke, _write(tmp_path, "# only a comment\n"), "1", "the outline is empty")


def test_alias_bomb(tmp_path, invoke):
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, 9):
        prev, cur = chr(ord("a") + i - 1), chr(ord("a") + i)
        lines.append(f"{cur}: &{cur} [" + ",".join([f"*{prev}"] * 9) + "]")
    text = f"title: T\n{CORPUS_LINE}\nsections: []\n" + "\n".join(lines) + "\n"
    _fails(invoke, _write(tmp_path, text), "5:8", "YAML aliases (*a) are not allowed")


def test_a_single_alias_is_refused_too(tmp_path, invoke):
    body = "          - source: &s cnbc-2021\n            quote: *s\n"
    _fails(invoke, _write(tmp_path, HEAD + body), "9:20", "YAML aliases (*s) are not allowed")


@pytest.mark.parametrize("opener", ["[", "{a: "])
def test_deep_nesting(tmp_path, invoke, opener):
    closer = "]" if opener == "[" else "}"
    text = f"title: T\n{CORPUS_LINE}\nsections: []\nx: {opener * 5000}{closer * 5000}\n"
    _fails(invoke, _write(tmp_path, text), "4:", "nest")  # libyaml's own limit may come first


def test_deep_block_nesting(tmp_path, invoke):
    text = f"title: T\n{CORPUS_LINE}\nsections: []\nx:\n"
    text += "".join("  " * (i + 1) + f"k{i}:\n" for i in range(100))
    _fails(invoke, _write(tmp_path, text), "", "nested deeper than")


def test_every_error_is_reported_before_one_abort(tmp_path, invoke):
    body = (
        "          - source: cnbc-2021\n"  # 8: no quote
        "          - source: nowhere\n"  # 9: unknown source (found after the schema passes)
        "            quote: Moscow struck\n"
        "          - quote: no source\n"  # 11: no source
        "            speakr: x\n"  # 12: unknown key
    )
    path = _write(tmp_path, HEAD + body)
    err = _fails(invoke, path, "8:13", "no 'quote'")
    assert f"{path}:11:13: an evidence item has no 'source'" in err
    assert f"{path}:12:13: unknown key 'speakr'" in err
    other = _write(tmp_path, "title: [", name="other.yaml")
    result = invoke("check", path, other)
    assert result.code == 2
    assert str(path) in result.err and str(other) in result.err


def test_unknown_sources_are_all_named(tmp_path, invoke):
    body = (
        "          - source: nowhere\n            quote: Moscow struck\n"
        "          - source: elsewhere\n            quote: Moscow struck\n"
    )
    path = _write(tmp_path, HEAD + body)
    err = _fails(invoke, path, "8:21", "unknown source 'nowhere'")
    assert f"{path}:10:21: unknown source 'elsewhere'" in err
    assert "known: cnbc-2021, dispatch-2020, embrace-2024, ponars-643" in err


def test_missing_corpus_folder(tmp_path, invoke):
    path = _write(tmp_path, HEAD.replace(str(CORPUS), str(tmp_path / "none")) + GOOD_ITEM)
    result = invoke("check", path)
    assert result.code == 2 and "Traceback" not in result.err
    # at the outline's `corpus:` line, where the user can fix it
    assert f"{path}:2:9: corpus folder '" in result.err and "' does not exist" in result.err


# -- the loader's data ---------------------------------------------------------------------


def test_sample_outline_loads_with_locations():
    outline = load_outline(EVIDENCE_SAMPLE)
    evidence = outline.evidence()
    assert len(evidence) == EVIDENCE_SAMPLE.read_text(encoding="utf-8").count("quote:")
    first = evidence[0]
    assert (first.source, first.speaker) == ("dispatch-2020", "Vladimir Putin")
    assert first.quote == "has set an example for the international community"
    text = EVIDENCE_SAMPLE.read_text(encoding="utf-8").split("\n")
    for ev in evidence:  # each quote's location points at its `quote:` value
        line = text[ev.location.line - 1]
        assert line[: ev.location.column - 1].strip() == "quote:", (ev.location, line)
    assert outline.corpus_dir.resolve() == CORPUS.resolve()


def test_folded_quote_is_one_line_of_text(tmp_path):
    body = (
        "          - source: cnbc-2021\n            quote: >-\n"
        "              Moscow struck\n              an even more optimistic tone.\n"
    )
    [ev] = load_outline(_write(tmp_path, HEAD + body)).evidence()
    assert ev.quote == "Moscow struck an even more optimistic tone."
    assert (ev.location.line, ev.location.column) == (9, 20)


def test_errors_are_data_with_locations(tmp_path):
    path = _write(tmp_path, HEAD + "          - source: cnbc-2021\n          - quote: q\n")
    with pytest.raises(ReportErrors) as info:
        load_outline(path)
    assert [(e.location.line, e.location.column) for e in info.value.errors] == [(8, 13), (9, 13)]
    assert all(isinstance(e, OutlineError) for e in info.value.errors)


def test_quote_that_begins_with_a_quotation_mark_gets_a_hint(tmp_path, invoke):
    body = '          - source: dispatch-2020\n            quote: "Some country" is, of course\n'
    err = _fails(invoke, _write(tmp_path, HEAD + body), "9:35", "invalid YAML")
    assert "must be quoted as a whole" in err
    # written as the hint says, it loads and verifies
    body = (
        "          - source: dispatch-2020\n            quote: '\"Some country\" is, of course'\n"
    )
    assert invoke("check", _write(tmp_path, HEAD + body)).code == 0


def test_unknown_sources_of_several_outlines_are_all_named(tmp_path, invoke):
    body = "          - source: nowhere\n            quote: Moscow struck\n"
    one = _write(tmp_path, HEAD + body, name="one.yaml")
    two = _write(tmp_path, HEAD + body, name="two.yaml")
    result = invoke("check", one, two)
    assert result.code == 2
    assert f"{one}:8:21: unknown source 'nowhere'" in result.err
    assert f"{two}:8:21: unknown source 'nowhere'" in result.err


_EVIDENCE_HEAD = (
    "title: T\nsections:\n  - heading: H\n    arguments:\n      - claim: C\n        evidence:\n"
)


@pytest.mark.parametrize(
    ("text", "where", "hint"),
    [
        ("title: T\nsections:\n\t- heading: H\n", "3:1", "a tab in the indentation"),
        (_EVIDENCE_HEAD + "          - source: a\n           quote: x y z\n", "8:12",
         "check this line's indentation"),
        (_EVIDENCE_HEAD + "          - source: a\n            quote: x y z\n         speaker: X\n",
         "9:10", "check this line's indentation"),
        (_EVIDENCE_HEAD + "          - source: a\n            quote: x y z\n        speaker: X\n",
         "9:9", "`speaker` is a key of an evidence item, not of an argument"),
    ],
    ids=["tab", "quote-left", "speaker-between", "speaker-under-argument"],
)  # fmt: skip
def test_indentation_mistakes_get_a_hint(tmp_path, invoke, text, where, hint):
    _hint(tmp_path, invoke, text, where, hint)


@pytest.mark.parametrize(
    ("line", "where", "hint", "not_hint"),
    [
        ("quote: [T]he plan is cheap", "8:23", "begins with [ or { must be quoted", "indentation"),
        ("quote: Putin said: we will win", "8:30", "with `: ` in it must be quoted",
         "indentation"),
        ("  quote: x y z", "8:20", "check this line's indentation", "must be quoted"),
    ],
    ids=["bracket", "colon", "over-indented"],
)  # fmt: skip
def test_a_value_yaml_reads_as_structure_gets_its_own_hint(
    tmp_path, invoke, line, where, hint, not_hint
):
    text = _EVIDENCE_HEAD + f"          - source: a\n            {line}\n"
    err = _hint(tmp_path, invoke, text, where, hint)
    assert not_hint not in err


def _hint(tmp_path, invoke, text: str, where: str, hint: str) -> str:
    (tmp_path / "corpus").mkdir()
    (tmp_path / "corpus" / "sources.yaml").write_text("- id: a\n  file: a.txt\n")
    (tmp_path / "corpus" / "a.txt").write_text("x y z\n")
    return _fails(invoke, _write(tmp_path, text), where, hint)
