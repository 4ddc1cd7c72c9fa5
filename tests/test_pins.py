"""report.pins in this process: `lock` on small corpora (what it returns, what it writes);
and report.verify.source_changed on a finding whose pinned source has or has not changed."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from report.corpus import load_corpus
from report.errors import CorpusError
from report.findings import Status
from report.pins import Pin, lock
from report.verify import source_changed
from tests import handmade as h

ALPHA = b"Alpha text here.\n"
BETA = b"Beta text here.\n"


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def corpus(tmp_path: Path, sources: str | bytes) -> Path:
    folder = tmp_path / "corpus"
    folder.mkdir(exist_ok=True)
    (folder / "a.txt").write_bytes(ALPHA)
    (folder / "b.txt").write_bytes(BETA)
    data = sources.encode() if isinstance(sources, str) else sources
    (folder / "sources.yaml").write_bytes(data)
    return folder


@pytest.mark.parametrize(
    ("previous", "now", "state"),
    [(None, "ab" * 32, "pinned"), ("ab" * 32, "ab" * 32, "unchanged"),
     ("AB" * 32, "ab" * 32, "unchanged"), ("cd" * 32, "ab" * 32, "updated")],
)  # fmt: skip
def test_pin_state(previous, now, state):
    assert Pin("a", now, previous).state == state


def test_lock_pins_every_source_and_says_what_it_did(tmp_path):
    folder = corpus(tmp_path, "- id: a\n  file: a.txt\n- id: b\n  file: b.txt\n")
    done = lock(folder)
    assert done.sources_file == folder / "sources.yaml"
    assert [(p.source_id, p.sha256, p.state) for p in done.pins] == [
        ("a", sha(ALPHA), "pinned"),
        ("b", sha(BETA), "pinned"),
    ]
    assert done.written
    assert (folder / "sources.yaml").read_text() == (
        f"- id: a\n  file: a.txt\n  sha256: {sha(ALPHA)}\n"
        f"- id: b\n  file: b.txt\n  sha256: {sha(BETA)}\n"
    )
    again = lock(folder)
    assert not again.written and {p.state for p in again.pins} == {"unchanged"}


def test_lock_keeps_a_byte_order_mark_and_a_pin_in_capitals(tmp_path):
    pinned = sha(ALPHA).upper()
    text = f"- id: a\n  file: a.txt\n  sha256: {pinned}\n- id: b\n  file: b.txt\n"
    folder = corpus(tmp_path, b"\xef\xbb\xbf" + text.encode())
    done = lock(folder)
    assert [p.state for p in done.pins] == ["unchanged", "pinned"]
    written = (folder / "sources.yaml").read_bytes()
    assert written.startswith(b"\xef\xbb\xbf")
    assert written.decode("utf-8-sig") == text + f"  sha256: {sha(BETA)}\n"


def test_lock_reads_the_sources_mapping_form(tmp_path):
    folder = corpus(tmp_path, "sources:\n  - id: a\n    file: a.txt\n")
    lock(folder)
    assert (folder / "sources.yaml").read_text() == (
        f"sources:\n  - id: a\n    file: a.txt\n    sha256: {sha(ALPHA)}\n"
    )


def test_lock_of_a_corpus_with_a_missing_file_writes_nothing(tmp_path):
    text = "- id: a\n  file: a.txt\n- id: c\n  file: gone.txt\n"
    folder = corpus(tmp_path, text)
    with pytest.raises(CorpusError, match=r"source file 'gone\.txt' does not exist"):
        lock(folder)
    assert (folder / "sources.yaml").read_text() == text


def _text(tmp_path: Path, pin: str):
    folder = corpus(tmp_path, f"- id: cnbc\n  file: a.txt\n  sha256: {pin}\n")
    return load_corpus(folder).text("cnbc")


def test_a_result_from_an_unchanged_pinned_source_stays_as_it_is(tmp_path):
    result = h.verified()
    assert source_changed(result, _text(tmp_path, sha(ALPHA))) is result


def test_a_result_from_a_changed_pinned_source_fails_as_source_changed(tmp_path):
    for result in (h.verified(), h.misquote()):
        marked = source_changed(result, _text(tmp_path, "AB" * 32))
        assert marked.status is Status.SOURCE_CHANGED and marked.failed()
        assert marked.match == result.match and marked.evidence == result.evidence
        changed = marked.changed
        assert (changed.source_id, changed.pinned, changed.actual) == (
            "cnbc",
            "ab" * 32,
            sha(ALPHA),
        )
        assert changed.file.endswith("a.txt")


def test_an_unpinned_source_is_never_changed(tmp_path):
    folder = corpus(tmp_path, "- id: cnbc\n  file: a.txt\n")
    result = h.misquote()
    assert source_changed(result, load_corpus(folder).text("cnbc")) is result
