"""SPEC "Findings": what `report check` prints and exits with, as text and JSON."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from tests.conftest import CORPUS
from tests.quotecheck import (
    CNBC,
    DISPATCH,
    PONARS,
    QUOTE_COLUMN,
    Q,
    where,
    write_outline,
)


def test_exit_status_zero_one_two(tmp_path, invoke):
    good = write_outline(
        tmp_path, [Q(CNBC, "Moscow struck an even more optimistic tone.")], name="good.yaml"
    )
    bad = write_outline(
        tmp_path, [Q(CNBC, "Moscow struck an even more pessimistic tone.")], name="bad.yaml"
    )
    broken = write_outline(tmp_path, [Q("cnbc-2099", "Moscow struck")], name="broken.yaml")
    assert invoke("check", good.path).code == 0
    assert invoke("check", bad.path).code == 1
    assert invoke("check", good.path, bad.path).code == 1
    result = invoke("check", good.path, broken.path)
    assert result.code == 2
    assert f"{broken.path}:{broken.quote_lines[0] - 1}:21: unknown source 'cnbc-2099'" in result.err
    assert "Traceback" not in result.err
    assert invoke("check", good.path, "--format", "nonsense").code == 2


def test_warnings_fail_only_with_strict(tmp_path, invoke):
    written = write_outline(
        tmp_path,
        [
            Q(CNBC, "Moscow struck an even more optimistic tone.", "Yury Ushakov"),
            Q(DISPATCH, "Putin said"),
        ],
    )
    plain = invoke("check", written.path)
    assert plain.code == 0, plain.out
    assert (
        f"{written.path}:{written.quote_lines[0]}:{QUOTE_COLUMN}: warning: speaker not found"
        in plain.out
    )
    assert (
        f"{written.path}:{written.quote_lines[1]}:{QUOTE_COLUMN}: warning: too short" in plain.out
    )
    strict = invoke("check", written.path, "--strict")
    assert strict.code == 1
    assert "error: speaker not found" in strict.out
    doc = json.loads(invoke("check", written.path, "--strict", "--format", "json").out)
    assert [q["failed"] for q in doc["quotes"]] == [True, True]
    assert doc["summary"]["failed"] == 2 and doc["summary"]["strict"] is True


def test_json_output_fields(tmp_path, invoke):
    written = write_outline(
        tmp_path,
        [
            Q(DISPATCH, "has set an example for the international community", "Vladimir Putin"),
            Q(CNBC, "reaffirmed China’s commitment to fully support Russia"),
            Q(
                PONARS,
                "mutual support, solidarity and close collaboration between China and Russia",
            ),
            Q(DISPATCH, "everybody knows Russia and China are bastards"),
        ],
    )
    result = invoke("check", written.path, "--format", "json")
    assert result.code == 1
    doc = json.loads(result.out)
    verified, misquote, wrong, outside = doc["quotes"]
    assert [q["status"] for q in doc["quotes"]] == [
        "verified",
        "misquote",
        "wrong_source",
        "outside_body",
    ]
    assert verified["outline"] == {
        "file": str(written.path),
        "line": written.quote_lines[0],
        "column": QUOTE_COLUMN,
    }
    name, line, column = where("000", "has set an example")
    assert Path(verified["location"]["file"]).name == name
    assert (verified["location"]["line"], verified["location"]["column"]) == (line, column)
    assert verified["failed"] is False and verified["speaker"] == "Vladimir Putin"
    assert verified["matches"][0]["paragraph"] >= 1 and verified["matches"][0]["in_body"] is True
    assert "closest" not in verified
    assert misquote["location"] is None and misquote["diff"] == "- fully + firmly"
    assert (
        misquote["closest"]["passage"] == "reaffirmed China’s commitment to firmly support Russia"
    )
    assert wrong["found_in"] == DISPATCH and wrong["source"] == PONARS
    assert outside["found_in"] == DISPATCH and outside["matches"][0]["in_body"] is False
    assert doc["summary"] == {
        "quotes": 4,
        "verified": 1,
        "misquote": 1,
        "wrong_source": 1,
        "outside_body": 1,
        "source_changed": 0,
        "wrong_page": 0,
        "cited": 0,
        "unattributed": 0,
        "warnings": 0,
        "failed": 3,
        "strict": False,
    }


def test_the_manuals_json_example_is_real_output(tmp_path, invoke):
    """The `--format json` example of docs/checking.md is what `report check` prints for it."""
    manual = (Path(__file__).resolve().parent.parent / "docs" / "checking.md").read_text(
        encoding="utf-8"
    )
    section = manual[manual.index("## `--format json`") :]
    example = section[section.index("```json\n") + 8 : section.index("```\n", 8)]
    shutil.copytree(CORPUS, tmp_path / "corpus")
    (tmp_path / "outlines").mkdir()
    (tmp_path / "outlines" / "brief.yaml").write_text(
        "title: T\nsections:\n  - heading: H\n    arguments:\n      - claim: C\n"
        "        evidence:\n          - source: cnbc-2021\n"
        "            quote: reaffirmed China’s commitment to fully support Russia\n",
        encoding="utf-8",
    )
    result = invoke("check", "outlines/brief.yaml", "--format", "json", cwd=tmp_path)
    assert result.code == 1
    assert json.loads(result.out) == json.loads(example)


HARD_CORRECT = [
    Q(DISPATCH, '"Some country" is, of course, the United States of America.'),  # straight marks
    Q(PONARS, "show the Russian flag in Italy, sanctions notwithstanding."),  # across a blank line
    Q(PONARS, "we see authoritarian strongmen with an indefinite hold on power"),  # a link
    Q(PONARS, "how poorly equipped global architecture is for 21st-century threats"),  # <sup>
    Q(CNBC, "if he invaded Ukraine, China [isn’t] going to send military help"),  # literal [ ]
    Q(DISPATCH, "[T]hat “new era” is one in which the U.S. is no longer a lone superpower."),
    Q(DISPATCH, "China wants to be seen as an effective and capable world leader -- a new hegemon"),
    Q(
        PONARS,
        "Experts claim that Russia has suspiciously few reported cases … all closed their borders",
    ),
    Q(PONARS, "Russian [sic] sent nine planeloads of aid along with 100 troops"),
]


EVERY_FAILURE = [
    (Q(CNBC, "reaffirmed China’s commitment to fully support Russia"), "misquote"),
    (Q(PONARS, "mutual support, solidarity and close collaboration"), "wrong source"),
    (Q(DISPATCH, "everybody knows Russia and China are bastards"), "outside body"),
    (Q(CNBC, "but not enough for them to send military support to each other"), "outside body"),
    (
        Q(PONARS, "Russia claims to have relatively few cases ... Experts claim that Russia"),
        "misquote",
    ),
    (Q(DISPATCH, "capable world leader - a new hegemon"), "misquote"),
]


def test_an_outline_of_the_seeds_end_to_end(tmp_path, invoke):
    quotes = HARD_CORRECT + [q for q, _ in EVERY_FAILURE]
    written = write_outline(tmp_path, quotes)
    result = invoke("check", written.path)
    assert result.code == 1
    reported = {
        line.split(": ")[0]: line.split(": ")[1]
        for line in result.out.splitlines()
        if line.startswith(str(written.path))
    }
    lines = written.quote_lines[len(HARD_CORRECT) :]
    expected = {
        f"{written.path}:{line}:{QUOTE_COLUMN}": status
        for line, (_, status) in zip(lines, EVERY_FAILURE, strict=True)
    }
    assert reported == expected
    assert (
        result.out.splitlines()[-1]
        == "15 quotes: 9 verified, 3 misquote, 1 wrong source, 2 outside body"
    )
