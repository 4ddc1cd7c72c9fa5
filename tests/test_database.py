"""A corpus in PostgreSQL (report.database): `report ingest`, and check/build/find with
`--database`, against a real server started for the session (tests/pgserver.py).

The folder corpus is the reference: the same outlines checked against the folder and against
the database give the same JSON, misquotes' closest passages, wrong sources, text outside the
body and changed sources included. Commands run in this process (report.cli.main), but for
what needs processes of its own: an ingest killed mid-way, checks at once beside ingests.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path

import pytest

from tests.conftest import ROOT, copy_sample_project, invoke_report

sys.path.insert(0, str(ROOT / "benchmarks"))
import generate

psycopg = pytest.importorskip("psycopg")


@pytest.fixture
def db(pg_server) -> str:
    """The URL of a new, empty database."""
    return pg_server.database()


def _env(**extra: str) -> dict[str, str]:
    env = dict(os.environ, PYTHONPATH=str(ROOT), NO_COLOR="1")
    env.pop("REPORT_DATABASE_URL", None)
    env.update(extra)
    return env


def _report(*args, cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    """`report ARGS` in this process (as the `invoke` fixture runs it), with no database
    named in the environment unless `env` names one."""
    done = invoke_report(*args, cwd=cwd, env={"REPORT_DATABASE_URL": None, **(env or {})})
    return subprocess.CompletedProcess(args, done.code, done.out, done.err)


def _process(*args, cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    """`python -m report ARGS` in a process of its own."""
    return subprocess.run(
        [sys.executable, "-m", "report", *map(str, args)],
        cwd=cwd,
        env=env or _env(),
        capture_output=True,
        text=True,
        timeout=600,
    )


def _ingest(corpus: Path, url: str, *more: str, cwd: Path) -> subprocess.CompletedProcess:
    done = _report("ingest", corpus, "--database", url, *more, cwd=cwd)
    assert "Traceback" not in done.stderr, done.stderr
    return done


def _outline(path: Path, quotes: list[tuple[str, str]], corpus: str = "../corpus") -> Path:
    lines = [
        "title: Test brief",
        f"corpus: {corpus}",
        "sections:",
        "  - heading: Evidence",
        "    arguments:",
        "      - claim: A claim",
        "        evidence:",
    ]
    for source, quote in quotes:
        lines += [
            f"          - source: {source}",
            f"            quote: {json.dumps(quote, ensure_ascii=False)}",
        ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _both_ways(project: Path, url: str, *args: str) -> tuple[str, str]:
    """`report check ARGS --format json` against the folder (no cache: a cold run, and
    with a cache: warm) and against the database; the same exit status and output."""
    cold = _report("check", *args, "--format", "json", "--no-cache", cwd=project)
    warm_dir = project / ".warm-cache"
    _report("check", *args, "--format", "json", "--cache-dir", warm_dir, cwd=project)
    warm = _report("check", *args, "--format", "json", "--cache-dir", warm_dir, cwd=project)
    database = _report("check", *args, "--format", "json", "--database", url, cwd=project)
    assert database.returncode == cold.returncode, database.stderr
    assert database.stdout == cold.stdout
    assert warm.stdout == cold.stdout
    return cold.stdout, database.stderr


def _statuses(out: str) -> Counter:
    return Counter(q["status"] for q in json.loads(out)["quotes"])


def test_seed_corpus_verifies_identically(tmp_path, db):
    project = copy_sample_project(tmp_path)
    sources = project / "corpus" / "sources.yaml"
    # One source pinned to bytes it no longer has: its quotes fail as source_changed.
    text = sources.read_text(encoding="utf-8")
    text = text.replace(
        "  file: 002_5db01695cbfe8d3b.txt\n",
        "  file: 002_5db01695cbfe8d3b.txt\n  sha256: " + "0" * 64 + "\n",
    )
    sources.write_text(text, encoding="utf-8")
    _outline(
        project / "outlines" / "cases.yaml",
        [
            ("dispatch-2020", "has set an example for the international community"),
            # a word changed: a misquote, with the closest passages here and in the corpus
            ("dispatch-2020", "has set a model for the international community"),
            ("dispatch-2020", "portraying the Chinese Communist Party as a world leader"),
            # in dispatch-2020, attributed to another source: a wrong source
            ("ponars-643", "providing timely assistance to other countries affected by COVID-19"),
            # before the body marks: the site's furniture, not the article
            ("dispatch-2020", "Putin has Xi’s back during the coronavirus crisis."),
            ("embrace-2024", "Days after returning from a trip to Europe"),
            ("ponars-643", "these words appear in no source of the corpus at all"),
        ],
    )
    done = _ingest(project / "corpus", db, cwd=project)
    assert done.returncode == 0, done.stderr
    out, _ = _both_ways(project, db, "outlines")
    statuses = _statuses(out)
    for status in ("verified", "misquote", "wrong_source", "outside_body", "source_changed"):
        assert statuses[status], (status, statuses)
    quotes = json.loads(out)["quotes"]
    assert all(q["closest"] for q in quotes if q["status"] == "misquote")


def _generated(tmp_path: Path, size_mb: float, count: int) -> Path:
    """A project with a generated corpus, its outlines (10% misquotes) and an outline of
    quotes attributed to the wrong source."""
    project = tmp_path / "gen"
    ids = generate.make_corpus(project / "corpus", size_mb)
    files = {sid: f"{sid}.txt" for sid in ids}
    quotes = generate.make_quotes(project / "corpus", files, count, "recombined")
    generate.write_outlines(project / "outlines", project / "corpus", quotes)
    wrong = [q for q in quotes if not q.mutated][:20]
    _outline(
        project / "outlines" / "wrong.yaml",
        [(ids[(ids.index(q.source) + 1) % len(ids)], q.text) for q in wrong],
    )
    return project


def test_generated_corpus_verifies_identically(tmp_path, db):
    project = _generated(tmp_path, 1.0, 200)
    done = _ingest(project / "corpus", db, cwd=project)
    assert done.returncode == 0, done.stderr
    assert "ingest: " in done.stderr  # progress on stderr
    out, _ = _both_ways(project, db, "outlines")
    statuses = _statuses(out)
    assert statuses["misquote"] >= 15 and statuses["wrong_source"] >= 15, statuses
    closest = [q for q in json.loads(out)["quotes"] if q.get("closest_in_corpus")]
    assert len(closest) >= 15


def test_find_and_build_read_the_database(tmp_path, db):
    project = copy_sample_project(tmp_path)
    assert _ingest(project / "corpus", db, cwd=project).returncode == 0
    words = "Putin praised the Chinese government"
    folder = _report("find", words, "--no-cache", cwd=project)
    database = _report("find", words, "--database", db, cwd=project)
    assert folder.returncode == database.returncode == 0
    assert database.stdout == folder.stdout
    # The folder is not needed: it only names the files in messages.
    shutil.move(project / "corpus", tmp_path / "elsewhere")
    built = _report("build", "outlines", "-o", "out", cwd=project, env={"REPORT_DATABASE_URL": db})
    assert built.returncode == 0, built.stderr
    shutil.move(tmp_path / "elsewhere", project / "corpus")
    folder_built = _report("build", "outlines", "-o", "out-folder", "--no-cache", cwd=project)
    assert folder_built.returncode == 0, folder_built.stderr
    ledger = json.loads((project / "out" / "xi-putin.quotes.json").read_text())
    assert ledger == json.loads((project / "out-folder" / "xi-putin.quotes.json").read_text())
    from pypdf import PdfReader

    pdf = PdfReader(project / "out" / "xi-putin.pdf")
    assert "Solidarity Without Alliance" in pdf.pages[0].extract_text()


def _rows(url: str, query: str) -> list[tuple]:
    with psycopg.connect(url) as conn:
        return conn.execute(query).fetchall()


def test_ingest_is_incremental_and_prunes(tmp_path, db):
    project = copy_sample_project(tmp_path)
    corpus = project / "corpus"
    first = _ingest(corpus, db, cwd=project)
    assert first.returncode == 0
    assert "4 written, 0 updated, 0 unchanged" in first.stderr
    # one file edited, one entry's title changed, one source added, one removed
    path = corpus / "001_92b6317a18a4c361.txt"
    path.write_text(path.read_text(encoding="utf-8") + "\nA new closing paragraph.\n", "utf-8")
    text = (corpus / "sources.yaml").read_text(encoding="utf-8")
    text = text.replace("title: Talk About Your Dangerous Liaisons", "title: Dangerous Liaisons")
    entries = text.split("\n- id: ")
    removed = entries.pop()  # the last source leaves sources.yaml
    text = "\n- id: ".join(entries)
    (corpus / "new.md").write_text("A *new* source, with words of its own.\n", encoding="utf-8")
    text += "\n- id: newcomer\n  file: new.md\n  title: New\n"
    (corpus / "sources.yaml").write_text(text, encoding="utf-8")
    second = _ingest(corpus, db, cwd=project)
    assert second.returncode == 0, second.stderr
    assert "2 written, 1 updated, 1 unchanged, 0 pruned" in second.stderr
    assert "1 sources in the database are no longer in sources.yaml" in second.stderr
    gone = removed.split("\n", 1)[0].strip()
    assert (gone,) in _rows(db, "SELECT source_id FROM report_sources")
    third = _ingest(corpus, db, "--prune", cwd=project)
    assert "0 written, 0 updated, 4 unchanged, 1 pruned" in third.stderr
    for table in ("report_sources", "report_texts", "report_paragraphs"):
        assert not _rows(db, f"SELECT 1 FROM {table} WHERE source_id = '{gone}'")
    titles = dict(_rows(db, "SELECT source_id, entry::json->'csl'->>'title' FROM report_sources"))
    assert titles["dispatch-2020"] == "Dangerous Liaisons"
    _outline(
        project / "outlines" / "new.yaml",
        [("ponars-643", "A new closing paragraph."), ("newcomer", "with words of its own")],
    )
    checked = _report(
        "check", "outlines/new.yaml", "--format", "json", "--database", db, cwd=project
    )
    # the new paragraph is read (after the body's end mark, so not the article's own words)
    assert _statuses(checked.stdout) == {"verified": 1, "outside_body": 1}, checked.stdout


def _consistent(url: str) -> None:
    """Every source in the database has its text, and paragraphs only with a text."""
    assert not _rows(
        url,
        "SELECT s.source_id FROM report_sources s"
        " LEFT JOIN report_texts t USING (source_id) WHERE t.source_id IS NULL",
    )
    assert not _rows(
        url,
        "SELECT DISTINCT p.source_id FROM report_paragraphs p"
        " LEFT JOIN report_sources s USING (source_id) WHERE s.source_id IS NULL",
    )


def test_an_interrupted_ingest_resumes(tmp_path, db):
    project = tmp_path / "big"
    ids = generate.make_corpus(project / "corpus", 3.0)
    proc = subprocess.Popen(
        [sys.executable, "-m", "report", "ingest", "corpus", "--database", db],
        cwd=project,
        env=_env(),
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 300
    try:  # stopped as soon as some sources are committed, long before the end
        while time.monotonic() < deadline:
            if (
                _rows(db, "SELECT to_regclass('report_sources')")[0][0]
                and _rows(db, "SELECT count(*) FROM report_sources")[0][0]
            ):
                break
            assert proc.poll() is None, proc.stderr.read()
            time.sleep(0.05)
        proc.send_signal(signal.SIGKILL)
    finally:
        proc.wait(timeout=60)
    kept = _rows(db, "SELECT count(*) FROM report_sources")[0][0]
    assert 0 < kept < len(ids)
    _consistent(db)
    again = _ingest(project / "corpus", db, cwd=project)
    assert again.returncode == 0, again.stderr
    assert f"{len(ids) - kept} written, 0 updated, {kept} unchanged" in again.stderr
    assert _rows(db, "SELECT count(*) FROM report_sources")[0][0] == len(ids)
    _consistent(db)


def test_concurrent_checks_and_an_ingest_between_versions(tmp_path, db):
    """Several checks at once give the single run's findings; while an ingest switches two
    sources between two versions again and again, every check sees one version of both."""
    project = copy_sample_project(tmp_path)
    corpus = project / "corpus"
    a, b = corpus / "000_c697aafe88a72626.txt", corpus / "001_92b6317a18a4c361.txt"
    old_a, old_b = a.read_text("utf-8"), b.read_text("utf-8")
    new_a = old_a.replace("has set an example", "has set a fine example")
    new_b = old_b.replace("In the United States, President", "In the United States, the President")
    assert new_a != old_a and new_b != old_b
    _outline(
        project / "outlines" / "versions.yaml",
        [
            ("dispatch-2020", "has set an example for the international community"),
            ("dispatch-2020", "has set a fine example for the international community"),
            ("ponars-643", "In the United States, President Donald Trump claims"),
            ("ponars-643", "In the United States, the President Donald Trump claims"),
        ],
    )
    assert _ingest(corpus, db, cwd=project).returncode == 0
    args = ["check", "outlines", "--format", "json", "--database", db]
    single = _report(*args, cwd=project)
    assert single.returncode == 1  # the new versions' quotes are misquotes
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "report", *args],
            cwd=project,
            env=_env(),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(4)
    ]
    outs = [p.communicate(timeout=300) for p in procs]
    assert all(out == single.stdout for out, _ in outs), [err for _, err in outs]

    # The other version's findings, for reference.
    a.write_text(new_a, "utf-8")
    b.write_text(new_b, "utf-8")
    assert _ingest(corpus, db, cwd=project).returncode == 0
    other = _report(*args, cwd=project).stdout
    assert other != single.stdout

    stop = threading.Event()
    switches = []

    def switch() -> None:
        versions = [(old_a, old_b), (new_a, new_b)]
        while not stop.is_set():
            text_a, text_b = versions[len(switches) % 2]
            a.write_text(text_a, "utf-8")
            b.write_text(text_b, "utf-8")
            done = _process("ingest", corpus, "--database", db, cwd=project)
            assert done.returncode == 0, done.stderr
            switches.append(done.stderr)

    writer = threading.Thread(target=switch)
    writer.start()
    seen: list[str] = []
    try:
        # rounds of three checks at once, until two ingests have run between and during
        # them (a slow machine takes more rounds; a hang is caught by the round cap)
        for _ in range(40):
            if len(seen) >= 6 and len(switches) >= 2:
                break
            procs = [
                subprocess.Popen(
                    [sys.executable, "-m", "report", *args],
                    cwd=project,
                    env=_env(),
                    stdout=subprocess.PIPE,
                    text=True,
                )
                for _ in range(3)
            ]
            seen += [p.communicate(timeout=300)[0] for p in procs]
    finally:
        stop.set()
        writer.join(timeout=300)
    assert len(switches) >= 2  # the ingests did run between and during the checks
    assert all(out in (single.stdout, other) for out in seen)
    _consistent(db)


def test_input_errors_are_located(tmp_path, db, pg_server):
    project = copy_sample_project(tmp_path)
    # A database without a corpus in it
    empty = _report("check", "outlines", "--database", db, cwd=project)
    assert empty.returncode == 2
    assert "holds no corpus" in empty.stderr and "report ingest" in empty.stderr
    assert "Traceback" not in empty.stderr
    # A server that is not there; the password is not shown
    nowhere = f"postgresql://report:secret@/postgres?host={tmp_path}/nowhere"
    gone = _report("check", "outlines", "--database", nowhere, cwd=project)
    assert gone.returncode == 2 and "cannot connect to the database" in gone.stderr
    assert "secret" not in gone.stderr and "Traceback" not in gone.stderr
    ingest_gone = _report("ingest", "corpus", "--database", nowhere, cwd=project)
    assert ingest_gone.returncode == 2 and "secret" not in ingest_gone.stderr
    # A file that cannot be read: the ingest says so (and writes the rest); a check that
    # quotes it fails as the folder's does, with the same message
    (project / "corpus" / "broken.docx").write_bytes(b"not a Word file")
    with (project / "corpus" / "sources.yaml").open("a", encoding="utf-8") as f:
        f.write("\n- id: broken\n  file: broken.docx\n  title: Broken\n")
    _outline(project / "outlines" / "broken.yaml", [("broken", "any words at all here")])
    done = _ingest(project / "corpus", db, cwd=project)
    assert done.returncode == 2 and "broken.docx" in done.stderr
    assert "5 written" in done.stderr
    folder = _report("check", "outlines/broken.yaml", "--no-cache", cwd=project)
    database = _report("check", "outlines/broken.yaml", "--database", db, cwd=project)
    assert folder.returncode == database.returncode == 2
    assert database.stderr == folder.stderr
    # A text layer read by another version of the readers is not used
    with psycopg.connect(db, autocommit=True) as conn:
        conn.execute("UPDATE report_texts SET layer_version = 'older'")
    stale = _report("check", "outlines/xi-putin.yaml", "--database", db, cwd=project)
    assert stale.returncode == 2 and "another version" in stale.stderr
    again = _ingest(project / "corpus", db, cwd=project)
    assert "5 written" in again.stderr  # read again, all of them
    fresh = _report("check", "outlines/xi-putin.yaml", "--database", db, cwd=project)
    assert fresh.returncode == 0, fresh.stderr


def test_a_read_only_role_checks(tmp_path, db):
    """Checks need only SELECT (docs/scaling.md): a reader role cannot change the corpus."""
    project = copy_sample_project(tmp_path)
    assert _ingest(project / "corpus", db, cwd=project).returncode == 0
    with psycopg.connect(db, autocommit=True) as conn:
        conn.execute("DROP ROLE IF EXISTS checker")
        conn.execute("CREATE ROLE checker LOGIN")
        conn.execute("GRANT SELECT ON ALL TABLES IN SCHEMA public TO checker")
    reader = db.replace("postgresql://report@", "postgresql://checker@")
    checked = _report("check", "outlines", "--database", reader, cwd=project)
    assert checked.returncode == 0, checked.stderr
    with (project / "corpus" / "000_c697aafe88a72626.txt").open("a", encoding="utf-8") as f:
        f.write("\nOne more paragraph.\n")
    refused = _report("ingest", "corpus", "--database", reader, cwd=project)
    assert refused.returncode == 2 and "permission denied" in refused.stderr


def test_the_database_is_not_needed_for_the_folder_corpus():
    """Without --database nothing connects (psycopg is not even imported)."""
    code = (
        "import sys; from report.pipeline import check; "
        f"check([{str(ROOT / 'outlines')!r}], use_cache=False); "
        "print('psycopg' in sys.modules)"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, env=_env()
    )
    assert done.stdout.strip() == "False", done.stderr


def test_a_phrase_deep_in_a_very_long_paragraph(tmp_path, db):
    """Full-text positions stop counting at 16,383: a paragraph of 30,000 words is kept in
    overlapping parts, so a quote from its end is still found in another source."""
    import random

    rng = random.Random(7)
    vocab = [f"{a}{b}" for a in ("bar", "cor", "del", "fen", "gol") for b in ("an", "ek", "ot")]
    words = [rng.choice(vocab) for _ in range(30000)]
    project = tmp_path / "long"
    (project / "corpus").mkdir(parents=True)
    (project / "outlines").mkdir()
    (project / "corpus" / "long.txt").write_text(" ".join(words) + ".\n", encoding="utf-8")
    (project / "corpus" / "short.txt").write_text("A short source.\n", encoding="utf-8")
    (project / "corpus" / "sources.yaml").write_text(
        "- id: long\n  file: long.txt\n- id: short\n  file: short.txt\n", encoding="utf-8"
    )
    _outline(
        project / "outlines" / "deep.yaml",
        [("short", " ".join(words[n : n + 12])) for n in (100, 16500, 29900)],
    )
    assert _ingest(project / "corpus", db, cwd=project).returncode == 0
    parts = _rows(db, "SELECT count(*) FROM report_paragraphs WHERE source_id = 'long'")
    assert parts[0][0] > 1
    out, _ = _both_ways(project, db, "outlines")
    assert _statuses(out) == {"wrong_source": 3}


def test_a_database_writer_can_forge_and_a_full_ingest_undoes_it(tmp_path, db):
    """The database is the corpus of record: whoever can write it can make a quote verify
    (no copy of the file is there to confirm against). `ingest --full` writes every source
    again from the folder, forged or not; a plain ingest trusts the sha256 it holds."""
    import zlib

    from report.prepare import encode, prepare

    project = copy_sample_project(tmp_path)
    assert _ingest(project / "corpus", db, cwd=project).returncode == 0
    fabricated = "China promised to defend Russia with all its armed forces."
    _outline(project / "outlines" / "forged.yaml", [("ponars-643", fabricated)])
    path = project / "corpus" / "001_92b6317a18a4c361.txt"
    text = path.read_text("utf-8").replace(
        "while denying any responsibility", f"while denying any responsibility. {fabricated}"
    )
    [(sha,)] = _rows(db, "SELECT sha256 FROM report_texts WHERE source_id = 'ponars-643'")
    forged = zlib.compress(encode(sha, prepare(text)))
    with psycopg.connect(db, autocommit=True) as conn:
        conn.execute("UPDATE report_texts SET layer = %s WHERE source_id = 'ponars-643'", (forged,))
    args = ["check", "outlines/forged.yaml", "--format", "json", "--database", db]
    assert _statuses(_report(*args, cwd=project).stdout) == {"verified": 1}
    again = _ingest(project / "corpus", db, cwd=project)
    assert "0 written, 0 updated, 4 unchanged" in again.stderr
    full = _ingest(project / "corpus", db, "--full", cwd=project)
    assert "4 written, 0 updated, 0 unchanged" in full.stderr
    assert _statuses(_report(*args, cwd=project).stdout) == {"misquote": 1}
