"""The quote ledger: `report ledger` writes W3C Web Annotations that re-find every quote,
and `report check --ledger` re-verifies them against the corpus as it is now."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from report.corpus import load_corpus
from report.ledger import anchor
from report.normalize import normalize_text
from tests.conftest import SAMPLE, copy_sample_project
from tests.quotecheck import Q, write_outline
from tests.sourcefiles import make_pdf


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return copy_sample_project(tmp_path)


@pytest.fixture
def ledger(invoke, project) -> Path:
    result = invoke("ledger", "outlines/xi-putin.yaml", cwd=project)
    assert result.code == 0, result.out + result.err
    path = project / "out" / "xi-putin.quotes.json"
    assert result.out.strip() == f"{Path('out/xi-putin.quotes.json')}: 21 quotes from 4 sources"
    return path


def items(path: Path) -> list[dict]:
    return json.loads(path.read_text(encoding="utf-8"))["first"]["items"]


def test_ledger_is_a_w3c_annotation_collection(ledger):
    doc = json.loads(ledger.read_text(encoding="utf-8"))
    assert doc["@context"] == "http://www.w3.org/ns/anno.jsonld"
    assert doc["type"] == "AnnotationCollection" and doc["total"] == 21
    assert doc["first"]["type"] == "AnnotationPage"
    for item in doc["first"]["items"]:
        assert item["type"] == "Annotation" and item["motivation"] == "quoting"
        quote, position = item["target"]["selector"]
        assert quote["type"] == "TextQuoteSelector" and {"exact", "prefix", "suffix"} <= set(quote)
        assert position["type"] == "TextPositionSelector"
        assert len(item["report"]["sha256"]) == 64


def test_selectors_re_find_each_quote_in_the_text_layer(ledger, project):
    """What any tool can do with the ledger alone: slice the text layer and compare."""
    corpus = load_corpus(project / "corpus")
    sources = {s["id"]: s for s in json.loads(ledger.read_text())["report"]["sources"]}
    for item in items(ledger):
        own = item["report"]
        text = corpus.text(own["source"])
        quote, pos = item["target"]["selector"]
        layer = text.layer.text
        assert layer[pos["start"] : pos["end"]] == quote["exact"]
        assert layer[: pos["start"]].endswith(quote["prefix"])
        assert layer[pos["end"] :].startswith(quote["suffix"])
        assert len(quote["prefix"]) == min(32, pos["start"])
        assert (ledger.parent / item["target"]["source"]).resolve() == text.source.path
        assert own["sha256"] == sources[own["source"]]["sha256"] == text.sha256
        if "..." not in own["quote"] and "[" not in own["quote"]:
            exact = normalize_text(quote["exact"])
            assert exact[1:] == normalize_text(own["quote"]).strip()[1:]


def test_check_ledger_verifies_a_fresh_ledger(invoke, ledger, project):
    result = invoke("check", "--ledger", ledger, "--format", "json", cwd=project)
    assert result.code == 0, result.out + result.err
    quotes = json.loads(result.out)["quotes"]
    direct = json.loads(
        invoke("check", "outlines/xi-putin.yaml", "--format", "json", cwd=project).out
    )["quotes"]
    assert [(q["outline"], q["location"]) for q in quotes] == [
        (q["outline"], q["location"]) for q in direct if q["status"] != "cited"  # paraphrases
    ]


def test_check_ledger_fails_quotes_of_a_changed_source(invoke, ledger, project):
    changed = project / "corpus" / "001_92b6317a18a4c361.txt"
    changed.write_bytes(b"\n" + changed.read_bytes())  # every line moves down by one
    result = invoke("check", "--ledger", ledger, "--format", "json", cwd=project)
    assert result.code == 1
    quotes = json.loads(result.out)["quotes"]
    failed = [q for q in quotes if q["status"] != "verified"]
    assert failed and {q["source"] for q in failed} == {"ponars-643"}
    assert {q["status"] for q in failed} == {"source_changed"}
    # The quotes are still there, one line lower: the finding says where.
    recorded = {
        (i["report"]["outline"]["line"], i["report"]["location"]["line"])
        for i in items(ledger)
        if i["report"]["source"] == "ponars-643"
    }
    assert {(q["outline"]["line"], q["location"]["line"] - 1) for q in failed} == recorded
    assert {q["changed"]["ledger"] for q in failed} == {str(ledger)}
    # The advice fits: it is the ledger, not sources.yaml, that recorded the bytes.
    text = invoke("check", "--ledger", ledger, cwd=project).out
    assert f"changed since {ledger} recorded it" in text
    assert "write the ledger again (`report ledger`)" in text and "report lock" not in text


def test_stale_positions_are_re_anchored_by_quote_prefix_and_suffix(invoke, ledger, project):
    doc = json.loads(ledger.read_text(encoding="utf-8"))
    for item in doc["first"]["items"]:  # as if an older text layer had counted differently
        item["target"]["selector"][1]["start"] += 7
        item["target"]["selector"][1]["end"] += 7
    ledger.write_text(json.dumps(doc), encoding="utf-8")
    result = invoke("check", "--ledger", ledger, "-v", cwd=project)
    assert result.code == 0, result.out
    assert result.out.splitlines()[-1] == "21 quotes: 21 verified"


def test_anchor_prefers_the_occurrence_whose_context_agrees(corpus):
    text = corpus.text("cnbc-2021")
    layer = text.layer.text
    word = "Russia"
    first = layer.index(word)
    second = layer.index(word, first + 1)
    prefix = layer[second - 20 : second]
    assert anchor(text, word, prefix, "", (0, 0)) == (second, second + len(word))
    assert anchor(text, word, "", "", (first + 3, first + 9)) == (first, first + len(word))
    assert anchor(text, "Russia is the senior partner") is None


def test_a_ledger_quote_no_longer_in_the_source_is_a_misquote(invoke, ledger, project):
    doc = json.loads(ledger.read_text(encoding="utf-8"))
    item = next(i for i in doc["first"]["items"] if "junior partner" in i["report"]["quote"])
    for key in ("sha256",):
        item["report"].pop(key)  # an unpinned entry: only the text decides
    selector = item["target"]["selector"][0]
    selector["exact"] = selector["exact"].replace("junior", "senior")
    item["report"]["quote"] = item["report"]["quote"].replace("junior", "senior")
    ledger.write_text(json.dumps(doc), encoding="utf-8")
    result = invoke("check", "--ledger", ledger, cwd=project)
    assert result.code == 1
    assert "misquote: not found in cnbc-2021" in result.out
    assert "- senior + junior" in result.out


def test_a_ledger_whose_quote_was_edited_is_not_vouched_for_by_its_selectors(
    invoke, ledger, project
):
    doc = json.loads(ledger.read_text(encoding="utf-8"))
    item = next(i for i in doc["first"]["items"] if "junior partner" in i["report"]["quote"])
    item["report"]["quote"] = item["report"]["quote"].replace("junior", "senior")
    ledger.write_text(json.dumps(doc), encoding="utf-8")  # selectors still hold "junior"
    result = invoke("check", "--ledger", ledger, cwd=project)
    assert result.code == 1
    assert "misquote: not found in cnbc-2021" in result.out


def test_ledger_is_not_written_when_a_quote_fails(invoke, project):
    outline = project / "outlines" / SAMPLE.name
    outline.write_text(
        outline.read_text(encoding="utf-8").replace("junior partner", "senior partner"),
        encoding="utf-8",
    )
    result = invoke("ledger", outline, "-o", project / "q.json", cwd=project)
    assert result.code == 1
    assert "misquote" in result.out and "no ledger written" in result.err
    assert not (project / "q.json").exists()


def test_a_ledger_written_elsewhere_names_its_annotations_by_its_own_file(invoke, project):
    result = invoke("ledger", "outlines/xi-putin.yaml", "-o", "pins/brief.json", cwd=project)
    assert result.code == 0, result.err
    doc = json.loads((project / "pins" / "brief.json").read_text(encoding="utf-8"))
    assert doc["id"] == "brief.json" and doc["first"]["id"] == "brief.json#page1"
    assert [i["id"] for i in doc["first"]["items"]][:2] == ["brief.json#q1", "brief.json#q2"]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{not json", "not JSON"),
        ('{"type": "Annotation"}', "not a quote ledger"),
        ('{"type": "AnnotationCollection", "report": {"corpus": "corpus"}, "first": '
         '{"items": [{"report": {"source": 3}}]}}', "annotation 1: `report.source`"),
    ],
)  # fmt: skip
def test_unreadable_ledger_is_an_input_error(invoke, tmp_path, content, message):
    (tmp_path / "bad.json").write_text(content, encoding="utf-8")
    result = invoke("check", "--ledger", tmp_path / "bad.json", cwd=tmp_path)
    assert result.code == 2
    assert message in result.err


def test_check_needs_an_outline_or_a_ledger(invoke):
    result = invoke("check")
    assert result.code == 2 and "--ledger" in result.err


def test_ledger_of_a_pdf_source_selects_the_re_joined_words(invoke, tmp_path):
    (tmp_path / "corpus").mkdir()
    make_pdf(tmp_path / "corpus" / "paper.pdf")
    (tmp_path / "corpus" / "sources.yaml").write_text("- id: paper\n  file: paper.pdf\n")
    (tmp_path / "outlines").mkdir()
    (tmp_path / "outlines" / "b.yaml").write_text(
        "title: B\nsections:\n  - heading: H\n    arguments:\n      - claim: C\n"
        "        evidence:\n          - source: paper\n"
        "            quote: the agreements signed in recent years bind them\n",
        encoding="utf-8",
    )
    result = invoke("ledger", "outlines/b.yaml", "-o", "b.quotes.json", cwd=tmp_path)
    assert result.code == 0, result.err
    (item,) = items(tmp_path / "b.quotes.json")
    assert item["target"]["selector"][0]["exact"] == (
        "the agreements\nsigned in recent years bind them"
    )
    assert item["report"]["location"] == {
        "file": "corpus/paper.pdf",
        "line": 11,
        "column": 20,  # "known at once, and the agreements"
        "page": 2,
    }
    again = invoke("check", "--ledger", "b.quotes.json", cwd=tmp_path)
    assert again.code == 0, again.out


def test_check_ledger_gives_the_warnings_check_gives(invoke, tmp_path):
    (tmp_path / "corpus").mkdir()
    (tmp_path / "corpus" / "a.txt").write_text(
        "The minister spoke.\n\nChina does not want a war with anyone in the region.\n",
        encoding="utf-8",
    )
    (tmp_path / "corpus" / "sources.yaml").write_text("- id: a\n  file: a.txt\n  title: A\n")
    (tmp_path / "outlines").mkdir()
    quote = Q("a", "want a war with anyone in the region")
    write_outline(tmp_path / "outlines", [quote], corpus=tmp_path / "corpus", name="w.yaml")
    checked = invoke("check", "outlines/w.yaml", cwd=tmp_path)
    assert checked.code == 0 and "'not' just before the quote" in checked.out, checked.out
    assert invoke("ledger", "outlines/w.yaml", cwd=tmp_path).code == 0
    again = invoke("check", "--ledger", "out/w.quotes.json", cwd=tmp_path)
    assert again.code == 0 and "'not' just before the quote" in again.out, again.out
