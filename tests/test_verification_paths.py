"""One verification path: a quote's finding is the same whether `report check` verifies it in
its outline, `report check --ledger` re-verifies it from a quote ledger, or
report.verify.verify_quote decides it alone (sources.yaml's sha256 pins and a ledger's
recorded sha256 held to in the same place); and `check --ledger` opens its corpus as `check`
does: --corpus, the cache, --database."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from report.cache import TextCache, content_key
from report.corpus import load_corpus
from report.elsewhere import CorpusSearch
from report.findings import QuoteResult, Status
from report.ledger import verify_ledger, write_ledger
from report.pins import lock
from report.pipeline import check
from report.prepare import cached, encode, prepare
from report.quote import compile_quote
from report.readers import reader_tag
from report.verify import verify_quote
from tests.pdfmaker import text_ops, write_pdf

PAGE_ONE = ["The minister spoke at length on the budget.", "The plan would cut costs by half."]
PAGE_TWO = ["Critics said the plan left the poorest regions behind.", "Nobody expected a vote."]
NOTES = "Notes\n\nThe committee will meet again in the autumn to review the figures.\n"
COMMITTEE = "The committee will meet again in the autumn"
CRITICS = "Critics said the plan left the poorest regions behind."


def project(root: Path) -> Path:
    """A PDF of two pages and a text file; outlines go in root/outlines."""
    corpus = root / "corpus"
    corpus.mkdir()
    write_pdf(corpus / "paper.pdf", [text_ops(PAGE_ONE), text_ops(PAGE_TWO)])
    (corpus / "notes.txt").write_text(NOTES, encoding="utf-8")
    (corpus / "sources.yaml").write_text(
        "- id: paper\n  file: paper.pdf\n  title: Paper\n- id: notes\n  file: notes.txt\n"
        "  title: Notes\n",
        encoding="utf-8",
    )
    (root / "outlines").mkdir()
    return corpus


def outline(root: Path, source: str, quote: str, page: str | None = None) -> Path:
    path = root / "outlines" / f"b{len(list((root / 'outlines').iterdir()))}.yaml"
    text = (
        "title: B\nsections:\n  - heading: H\n    arguments:\n      - claim: C\n"
        f"        evidence:\n          - source: {source}\n"
        f"            quote: {json.dumps(quote)}\n"
    )
    if page is not None:
        text += f"            page: {json.dumps(page)}\n"
    path.write_text(text, encoding="utf-8")
    return path


def ledger_of(root: Path, source: str, quote: str, page: str | None = None, /, **edit) -> Path:
    """The ledger of a verified quote, then edited as `edit` says (report.KEY = value; None
    deletes it): what a ledger records of a quote that has since gone wrong."""
    written = write_ledger(outline(root, source, quote, page), root / "out" / "b.quotes.json")
    assert written.path is not None, [r.status for r in written.checked.results]
    doc = json.loads(written.path.read_text(encoding="utf-8"))
    own = doc["first"]["items"][0]["report"]
    for key, value in edit.items():
        if value is None:
            own.pop(key)
        else:
            own[key] = value
    written.path.write_text(json.dumps(doc), encoding="utf-8")
    return written.path


def finding(r: QuoteResult) -> tuple:
    """What a reader is told of a quote, whichever way it was verified."""
    m = r.match
    c = r.changed
    return (
        r.status,
        None if m is None else (m.source_id, str(m.location), m.text, m.in_body),
        None if r.closest is None else (r.closest.passage, str(r.closest.location)),
        None if r.closest_corpus is None else r.closest_corpus.passage,
        r.wrong_page,
        None if c is None else (c.source_id, c.file, c.pinned, c.actual),
        tuple(w.kind for w in r.warnings),
    )


def three_ways(root: Path, source: str, quote: str, page: str | None, ledger: Path) -> list:
    """The finding on the quote from its outline (`check`), from `ledger` and from
    verify_quote."""
    [checked] = check([outline(root, source, quote, page)])
    [from_check] = checked.results
    [from_ledger] = verify_ledger(ledger)
    corpus = load_corpus(root / "corpus")
    ev = from_check.evidence
    alone = verify_quote(ev, compile_quote(ev.quote), corpus.text(source), CorpusSearch(corpus))
    return [finding(from_check), finding(from_ledger), finding(alone)]


def test_a_verified_quote_is_verified_all_three_ways(tmp_path):
    project(tmp_path)
    ledger = ledger_of(tmp_path, "paper", CRITICS, "2")
    found = three_ways(tmp_path, "paper", CRITICS, "2", ledger)
    assert found[0][0] is Status.VERIFIED and found[0] == found[1] == found[2]
    [item] = json.loads(ledger.read_text(encoding="utf-8"))["first"]["items"]
    assert item["report"]["locator"] == {"label": "page", "value": "2"}


@pytest.mark.parametrize(
    ("locator", "message"),
    [
        ({"label": "chapter", "value": "2"}, "`report.locator.label` must be page or paragraph"),
        ({"label": "page", "value": " "}, "`report.locator.value` must be a page number"),
        ({"label": "page"}, "`report.locator.value` must be text"),
        ("2", "`report.locator` must be an object"),
    ],
)
def test_a_ledgers_locator_is_input_too(tmp_path, invoke, locator, message):
    project(tmp_path)
    ledger = ledger_of(tmp_path, "paper", CRITICS, "2", locator=locator)
    result = invoke("check", "--ledger", ledger, cwd=tmp_path)
    assert result.code == 2 and message in result.err, result.err
    assert "(at first.items[0].report.locator" in result.err


def test_a_misquote_is_a_misquote_all_three_ways(tmp_path):
    project(tmp_path)
    wrong = "The plan would cut costs by a third."
    ledger = ledger_of(tmp_path, "paper", "The plan would cut costs by half.", quote=wrong)
    found = three_ways(tmp_path, "paper", wrong, None, ledger)
    assert found[0][0] is Status.MISQUOTE and found[0] == found[1] == found[2]
    assert "The plan would cut costs by half." in found[0][2][0]  # the closest passage


def test_a_wrong_page_is_a_wrong_page_all_three_ways(tmp_path):
    """The ledger records the page the brief cites, and checks it again."""
    project(tmp_path)
    ledger = ledger_of(tmp_path, "paper", CRITICS, "2", locator={"label": "page", "value": "1"})
    found = three_ways(tmp_path, "paper", CRITICS, "1", ledger)
    assert found[0][0] is Status.WRONG_PAGE and found[0] == found[1] == found[2]
    assert found[0][4].given == "1" and found[0][4].found.first == 2


def test_a_wrong_source_is_a_wrong_source_all_three_ways(tmp_path):
    """A ledger once said only "misquote" here: it now searches the corpus as check does."""
    project(tmp_path)
    ledger = ledger_of(tmp_path, "notes", COMMITTEE, source="paper", sha256=None)
    found = three_ways(tmp_path, "paper", COMMITTEE, None, ledger)
    assert found[0][0] is Status.WRONG_SOURCE and found[0] == found[1] == found[2]


def test_a_changed_source_is_a_changed_source_all_three_ways(tmp_path):
    """sources.yaml's pin (`report lock`) and the ledger's record of the same bytes give the
    same finding when the file changes; only who recorded the bytes differs."""
    corpus = project(tmp_path)
    ledger = ledger_of(tmp_path, "notes", COMMITTEE)
    lock(corpus)
    before = content_key((corpus / "notes.txt").read_bytes())
    (corpus / "notes.txt").write_text("\n" + NOTES, encoding="utf-8")  # moved a line down
    found = three_ways(tmp_path, "notes", COMMITTEE, None, ledger)
    assert found[0][0] is Status.SOURCE_CHANGED and found[0] == found[1] == found[2]
    assert found[0][5][2] == before != found[0][5][3]
    [from_ledger] = verify_ledger(ledger)
    assert from_ledger.changed is not None and from_ledger.changed.ledger == str(ledger)


# -- check --ledger opens its corpus as check does ------------------------------------------


def test_check_ledger_reads_the_corpus_given_with_corpus(tmp_path, invoke):
    corpus = project(tmp_path)
    ledger = ledger_of(tmp_path, "notes", COMMITTEE)
    moved = tmp_path / "elsewhere"
    shutil.move(corpus, moved)  # the folder the ledger names is gone
    gone = invoke("check", "--ledger", ledger, cwd=tmp_path)
    assert gone.code == 2 and "corpus folder does not exist" in gone.err
    found = invoke("check", "--ledger", ledger, "--corpus", moved, "-v", cwd=tmp_path)
    assert found.code == 0, found.out + found.err
    assert "elsewhere/notes.txt" in found.out and "1 quote: 1 verified" in found.out
    # Another corpus whose file says otherwise gives another finding.
    (moved / "notes.txt").write_text(NOTES.replace("autumn", "spring"), encoding="utf-8")
    other = invoke("check", "--ledger", ledger, "--corpus", moved, cwd=tmp_path)
    assert other.code == 1 and "source changed" in other.out


def test_check_ledger_keeps_text_layers_where_check_does(tmp_path, invoke):
    corpus = project(tmp_path)
    ledger = ledger_of(tmp_path, "paper", CRITICS)
    shutil.rmtree(tmp_path / ".report-cache")  # `report ledger` checked the outline
    assert invoke("check", "--ledger", ledger, "--no-cache", cwd=tmp_path).code == 0
    assert not (tmp_path / ".report-cache").exists()
    kept = tmp_path / "kept"
    assert invoke("check", "--ledger", ledger, "--cache-dir", kept, cwd=tmp_path).code == 0
    key = content_key((corpus / "paper.pdf").read_bytes(), reader_tag(corpus / "paper.pdf"))
    assert cached(TextCache(kept), key) is not None
    assert invoke("check", "--ledger", ledger, cwd=tmp_path).code == 0
    assert any((tmp_path / ".report-cache").glob("texts-*.sqlite"))


def test_a_forged_cache_entry_does_not_verify_a_ledgers_quote(tmp_path, invoke):
    """Now that a ledger's quotes are read through the cache, a planted text is confirmed
    against the file's bytes, as for an outline's quotes."""
    corpus = project(tmp_path)
    fabricated = "the committee has already approved the figures"
    ledger = ledger_of(tmp_path, "notes", COMMITTEE, quote=fabricated, sha256=None)
    cache = tmp_path / ".report-cache"
    key = content_key((corpus / "notes.txt").read_bytes())
    TextCache(cache).put_entry(key, encode(key, prepare(NOTES + f"\n{fabricated}.\n")))
    result = invoke("check", "--ledger", ledger, "--format", "json", cwd=tmp_path)
    assert result.code == 1, result.out + result.err
    assert [q["status"] for q in json.loads(result.out)["quotes"]] == ["misquote"]


@pytest.fixture
def database_url(pg_server):
    return pg_server.database()


def test_check_ledger_reads_the_corpus_from_the_database(tmp_path, invoke, database_url):
    corpus = project(tmp_path)
    ledger = ledger_of(tmp_path, "paper", CRITICS, "2")
    ingested = invoke("ingest", corpus, "--database", database_url, cwd=tmp_path)
    assert ingested.code == 0, ingested.err
    shutil.rmtree(corpus)  # the folder only names the files now
    result = invoke("check", "--ledger", ledger, "--database", database_url, "-v", cwd=tmp_path)
    assert result.code == 0, result.out + result.err
    assert "corpus/paper.pdf:p2:" in result.out and "1 quote: 1 verified" in result.out
