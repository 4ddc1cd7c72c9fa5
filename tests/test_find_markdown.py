"""`report find --markdown`: suggestions as quotations with their citation, `“…” [@id]`,
that verify as written when pasted into a sentence of the author's prose."""

from __future__ import annotations

import json

from report.findings import Status
from report.pipeline import check
from tests.conftest import CORPUS


def test_find_prints_markdown_quotations_that_verify_in_a_sentence(tmp_path, invoke):
    result = invoke("find", "new era lone superpower", "--markdown", "--limit", "2")
    assert result.code == 0, result.err
    lines = result.out.strip().split("\n")
    assert lines[0].startswith("<!-- corpus/000_c697aafe88a72626.txt:31:1 (")
    assert lines[1] == (
        "“That ‘new era’ is one in which the U.S. is no longer a lone superpower.” "
        "[@dispatch-2020]"
    )
    quotations = [line for line in lines if line.startswith("“")]
    body = "".join(f"          Joscelyn wrote: {q}\n" for q in quotations)
    path = tmp_path / "brief.yaml"
    path.write_text(
        f"title: T\ncorpus: {json.dumps(str(CORPUS))}\nsections:\n  - heading: H\n"
        f"    intro: >\n{body}",
        encoding="utf-8",
    )
    [checked] = check([path])
    assert [r.status for r in checked.results] == [Status.VERIFIED] * len(quotations)


def test_find_names_the_speaker_it_guesses_in_the_comment(invoke):
    result = invoke("find", "shackled to a corpse", "--markdown", "--limit", "1")
    assert result.out.split("\n")[:2] == [
        "<!-- corpus/002_5db01695cbfe8d3b.txt:47:192 (100% match); speaker: Kuhrt? -->",
        "“It doesn’t want to be shackled to a corpse.” [@embrace-2024]",
    ]
