"""Pinned sources: `report lock` writes sha256 pins into sources.yaml without disturbing it,
and `report check` fails every quote of a pinned source whose bytes have changed."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from tests.conftest import SAMPLE, copy_sample_project


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return copy_sample_project(tmp_path)


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_lock_adds_one_line_per_source_and_changes_nothing_else(invoke, project):
    sources = project / "corpus" / "sources.yaml"
    before = sources.read_text(encoding="utf-8").splitlines()
    result = invoke("lock", "--corpus", "corpus", cwd=project)
    assert result.code == 0, result.err
    assert result.out.splitlines()[-1] == "4 sources: 4 pinned, 0 updated, 0 unchanged"
    after = sources.read_text(encoding="utf-8").splitlines()
    added = [line for line in after if line.startswith("  sha256: ")]
    assert [line for line in after if line not in added] == before  # comments and all
    for line in added:  # each pin sits right under its entry's `file:` line
        file_line = after[after.index(line) - 1]
        assert file_line.startswith("  file: ")
        assert line == f"  sha256: {sha(project / 'corpus' / file_line.split(': ', 1)[1])}"


def test_lock_twice_writes_nothing_the_second_time(invoke, project):
    sources = project / "corpus" / "sources.yaml"
    invoke("lock", cwd=project)
    first = sources.read_bytes()
    result = invoke("lock", cwd=project)
    assert result.code == 0
    assert "4 unchanged" in result.out and "pinned " not in result.out
    assert sources.read_bytes() == first


def test_lock_updates_a_stale_pin_and_handles_flow_entries_and_crlf(invoke, tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text("Alpha text here.\n", encoding="utf-8")
    (corpus / "b.txt").write_text("Beta text here.\n", encoding="utf-8")
    stale = "0" * 64
    (corpus / "sources.yaml").write_bytes(
        (
            "# pinned corpus\r\n"
            f"- id: a\r\n  file: a.txt   # the first\r\n  sha256: '{stale}'\r\n  title: A\r\n"
            "- {id: b, file: b.txt, title: B}\r\n"
        ).encode()
    )
    result = invoke("lock", cwd=tmp_path)
    assert result.code == 0, result.err
    assert "updated a" in result.out and "pinned b" in result.out
    assert (corpus / "sources.yaml").read_bytes().decode() == (
        "# pinned corpus\r\n"
        f"- id: a\r\n  file: a.txt   # the first\r\n  sha256: {sha(corpus / 'a.txt')}\r\n"
        "  title: A\r\n"
        f"- {{id: b, file: b.txt, sha256: {sha(corpus / 'b.txt')}, title: B}}\r\n"
    )


def test_changed_pinned_source_fails_every_quote_from_it(invoke, project):
    outline = project / "outlines" / SAMPLE.name
    assert invoke("lock", cwd=project).code == 0
    assert invoke("check", outline, cwd=project).code == 0
    # One byte appended at the end: every quote still occurs, but not in the pinned text.
    changed = project / "corpus" / "004_d18f45208089c0a8.txt"
    changed.write_bytes(changed.read_bytes() + b" ")
    result = invoke("check", outline, "--format", "json", cwd=project)
    assert result.code == 1
    quotes = json.loads(result.out)["quotes"]
    quotes = [q for q in quotes if q["status"] != "cited"]  # paraphrases: nothing verified
    from_cnbc = [q for q in quotes if q["source"] == "cnbc-2021"]
    assert from_cnbc and all(q["status"] == "source_changed" for q in from_cnbc)
    assert all(q["failed"] and q["changed"]["actual"] == sha(changed) for q in from_cnbc)
    assert {q["status"] for q in quotes if q["source"] != "cnbc-2021"} == {"verified"}

    text = invoke("check", outline, cwd=project)
    assert text.code == 1
    line = next(x for x in text.out.splitlines() if "source changed" in x)
    assert "004_d18f45208089c0a8.txt changed since it was pinned" in line
    assert "the quote still occurs at" in line and "run `report lock`" in line
    assert f"{len(from_cnbc)} source changed" in text.out.splitlines()[-1]

    assert invoke("lock", cwd=project).code == 0  # the analyst re-read it: pin again
    assert invoke("check", outline, cwd=project).code == 0


def test_changed_source_whose_quote_is_gone_says_so(invoke, project):
    invoke("lock", cwd=project)
    changed = project / "corpus" / "004_d18f45208089c0a8.txt"
    changed.write_text(
        changed.read_text(encoding="utf-8").replace(
            "very much the junior partner", "very much the senior partner"
        ),
        encoding="utf-8",
    )
    result = invoke("check", project / "outlines" / SAMPLE.name, cwd=project)
    assert result.code == 1
    assert "the quote is not in it now" in result.out


def test_malformed_pin_is_an_input_error(invoke, project):
    sources = project / "corpus" / "sources.yaml"
    text = sources.read_text(encoding="utf-8")
    sources.write_text(
        text.replace("  file: 000_c697aafe88a72626.txt\n", "  file: 000_c697aafe88a72626.txt\n"
                     "  sha256: abc123\n"),
        encoding="utf-8",
    )  # fmt: skip
    result = invoke("check", project / "outlines" / SAMPLE.name, cwd=project)
    assert result.code == 2
    assert "sources.yaml:7:11: `sha256` must be 64 hexadecimal digits" in result.err
