"""Labelled real-world quotes -> how many `report check` verdicts are right, per source format.

The labels (benchmarks/realworld/quotes.yaml) were taken from independent readings of 30 real
documents (news pages, PDFs, Word files, Markdown) kept outside the repository in
../shared/realworld/documents/. This runner copies those documents and
benchmarks/realworld/sources.yaml into a temporary corpus, writes one outline per document with
every label as an evidence item, runs `report check --format json --no-cache` in a subprocess,
and compares each quote's status (and expected warning) with its label:

    python benchmarks/realworld.py                  # tables per format, every wrong verdict
    python benchmarks/realworld.py --json           # the same as JSON
    python benchmarks/realworld.py --doc dpr-karpukhin.pdf --doc autogen-paper.pdf

It is a measurement: it exits 0 even when verdicts are wrong, unless --strict. When the one
run over every document cannot read its input (exit 2), each document is run again on its own
(with the documents its wrong-source labels need), so one unreadable file does not hide the
others. It also checks that each file in ../shared/realworld/unreadable/ makes `report check`
exit 2 with a message naming the file, not a traceback.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
HERE = Path(__file__).resolve().parent / "realworld"
SHARED_DOCUMENTS = Path("shared", "realworld", "documents")
TRUE, FALSE = "verified", ("misquote", "wrong_source", "outside_body", "fails")
FORMATS = {".pdf": "pdf", ".html": "html", ".htm": "html", ".docx": "docx", ".md": "md"}
PROBE_QUOTE = "a quote that no unreadable file can verify"


@dataclass
class Label:
    id: str
    doc: str
    quote: str
    expect: str
    kind: str
    how: str
    warning: str | None = None
    page: int | None = None
    page_label: str | None = None
    found_in: str | None = None
    note: str | None = None

    @property
    def format(self) -> str:
        return FORMATS.get(Path(self.doc).suffix.lower(), "other")

    @property
    def is_true(self) -> bool:
        return self.expect == TRUE


@dataclass
class Verdict:
    label: Label
    status: str  # report's status, or "error" when report could not read the input
    warnings: list[str] = field(default_factory=list)
    detail: str = ""  # closest passage and diff, matched text, or the error message

    @property
    def right(self) -> bool:
        """The verdict the label asks for: verified (with its warning), or any failing status."""
        if self.label.is_true:
            return self.status == "verified" and (
                self.label.warning is None or self.label.warning in self.warnings
            )
        return self.status not in ("verified", "error")

    @property
    def exact(self) -> bool:
        """A caught false quote has the very status its label names (fails: any)."""
        return self.right and self.label.expect in (self.status, "fails", "verified")


def default_documents() -> Path:
    """../shared/realworld/documents beside the repository (beside the main checkout when this
    is a git worktree, whose own folder has no shared/ beside it)."""
    here = ROOT.parent / SHARED_DOCUMENTS
    if here.is_dir():
        return here
    try:
        common = subprocess.run(
            ["git", "rev-parse", "--path-format=absolute", "--git-common-dir"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return here
    main = Path(common).parent.parent / SHARED_DOCUMENTS
    return main if main.is_dir() else here


def load_labels(path: Path = HERE / "quotes.yaml") -> list[Label]:
    labels = [Label(**item) for item in yaml.safe_load(path.read_text(encoding="utf-8"))]
    seen = Counter(label.id for label in labels)
    duplicates = sorted(i for i, n in seen.items() if n > 1)
    if duplicates:
        raise SystemExit(f"quotes.yaml: duplicate ids {duplicates}")
    for label in labels:
        if label.expect not in (TRUE, *FALSE):
            raise SystemExit(f"quotes.yaml: {label.id}: unknown expect {label.expect!r}")
    return labels


def load_sources(path: Path = HERE / "sources.yaml") -> list[dict]:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def report_command() -> list[str]:
    venv = ROOT / ".venv" / "bin" / "report"
    return [str(venv)] if venv.exists() else [sys.executable, "-m", "report"]


def _dump(data: object) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=10**6)


def write_project(
    where: Path, documents: Path, sources: list[dict], groups: dict[str, list[Label]]
) -> list[Path]:
    """A corpus with copies of the documents the groups need, and one outline per group."""
    ids = {entry["file"]: entry["id"] for entry in sources}
    needed = set(groups) | {name for labels in groups.values() for name in _also(labels)}
    corpus, outlines = where / "corpus", where / "outlines"
    corpus.mkdir(parents=True)
    outlines.mkdir()
    for name in sorted(needed):
        # Copies, not links: report refuses a file that resolves outside its corpus folder.
        shutil.copyfile(documents / name, corpus / name)
    entries = [entry for entry in sources if entry["file"] in needed]
    (corpus / "sources.yaml").write_text(_dump(entries), encoding="utf-8")
    paths = []
    for n, (doc, labels) in enumerate(groups.items()):
        evidence = [{"source": ids[label.doc], "quote": label.quote} for label in labels]
        outline = {
            "title": f"Real-world labels: {doc}",
            "corpus": "../corpus",
            "sections": [
                {
                    "heading": doc,
                    "arguments": [
                        {"claim": f"The quotes labelled in {doc}.", "evidence": evidence}
                    ],
                }
            ],
        }
        path = outlines / f"{n:02d}-{Path(doc).stem}.yaml"
        path.write_text(_dump(outline), encoding="utf-8")
        paths.append(path)
    return paths


def _also(labels: list[Label]) -> list[str]:
    """Documents a group needs besides its own: where its wrong-source quotes really are."""
    return [label.found_in for label in labels if label.found_in]


def run_check(where: Path, outlines: list[Path]) -> tuple[int, str, str]:
    command = [*report_command(), "check", "--format", "json", "--no-cache"]
    command += [str(p.relative_to(where)) for p in outlines]
    done = subprocess.run(command, cwd=where, capture_output=True, text=True, timeout=3600)
    return done.returncode, done.stdout, done.stderr


def _closest(result: dict) -> str:
    closest = result.get("closest")
    parts = []
    if result.get("message"):
        parts.append(result["message"])
    if closest:
        parts.append(f"closest ({closest['score']:.0f}%): {closest['passage'][:300]}")
    if result.get("diff"):
        parts.append(f"diff: {result['diff']}")
    if result["status"] != "misquote" and result.get("matches"):
        parts.append(f"found: {result['matches'][0]['text'][:300]}")
    return " | ".join(parts)


def verdicts_from(labels: list[Label], results: list[dict]) -> list[Verdict]:
    if len(results) != len(labels):
        raise RuntimeError(f"report returned {len(results)} results for {len(labels)} quotes")
    out = []
    for label, result in zip(labels, results, strict=True):
        kinds = [w["kind"] for w in result.get("warnings", [])]
        out.append(Verdict(label, result["status"], kinds, _closest(result)))
    return out


def score(
    documents: Path, labels: list[Label], sources: list[dict]
) -> tuple[list[Verdict], str, float]:
    """Every label's verdict: one run over all documents, else one run per document."""
    groups: dict[str, list[Label]] = {}
    for label in labels:
        groups.setdefault(label.doc, []).append(label)
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="realworld-") as tmp:
        outlines = write_project(Path(tmp), documents, sources, groups)
        code, out, err = run_check(Path(tmp), outlines)
    if code in (0, 1):
        ordered = [label for group in groups.values() for label in group]
        verdicts = verdicts_from(ordered, json.loads(out)["quotes"])
        return verdicts, "one run", time.perf_counter() - started
    verdicts = []
    for doc, group in groups.items():
        with tempfile.TemporaryDirectory(prefix="realworld-") as tmp:
            outlines = write_project(Path(tmp), documents, sources, {doc: group})
            code, out, err = run_check(Path(tmp), outlines)
        if code in (0, 1):
            verdicts += verdicts_from(group, json.loads(out)["quotes"])
        else:
            message = _first_error(err, code)
            verdicts += [Verdict(label, "error", [], message) for label in group]
    mode = "one run per document (the run over all exited 2)"
    return verdicts, mode, time.perf_counter() - started


def _first_error(stderr: str, code: int) -> str:
    lines = [line for line in stderr.strip().splitlines() if line.strip()]
    if "Traceback" in stderr:
        return f"exit {code}, traceback: {lines[-1] if lines else ''}"
    return f"exit {code}: {lines[0] if lines else '(no message)'}"


@dataclass
class UnreadableCheck:
    file: str
    exit: int
    named: bool  # the message names the file
    traceback: bool
    message: str

    @property
    def right(self) -> bool:
        return self.exit == 2 and self.named and not self.traceback


def check_unreadable(folder: Path) -> list[UnreadableCheck]:
    """`report check` on each unreadable file must exit 2 naming it, without a traceback."""
    checks = []
    for path in sorted(p for p in folder.iterdir() if p.is_file()) if folder.is_dir() else []:
        entry = {"id": "probe", "file": path.name, "title": path.name}
        label = Label("probe", path.name, PROBE_QUOTE, "fails", "unreadable", "")
        with tempfile.TemporaryDirectory(prefix="realworld-") as tmp:
            outlines = write_project(Path(tmp), folder, [entry], {path.name: [label]})
            code, out, err = run_check(Path(tmp), outlines)
        text = (err + out).strip()
        checks.append(
            UnreadableCheck(
                path.name, code, path.name in err, "Traceback" in text, _first_error(err, code)
            )
        )
    return checks


def tables(verdicts: list[Verdict]) -> dict[str, dict[str, int]]:
    rows: dict[str, dict[str, int]] = {}
    for fmt in ("pdf", "html", "docx", "md"):
        mine = [v for v in verdicts if v.label.format == fmt]
        true = [v for v in mine if v.label.is_true]
        false = [v for v in mine if not v.label.is_true]
        rows[fmt] = {
            "true": len(true),
            "verified": sum(v.right for v in true),
            "rejected": sum(not v.right for v in true),
            "false": len(false),
            "caught": sum(v.right for v in false),
            "passed": sum(not v.right for v in false),
            "caught_with_expected_status": sum(v.exact for v in false),
        }
    total = {key: sum(row[key] for row in rows.values()) for key in next(iter(rows.values()))}
    rows["all"] = total
    return rows


def _got(v: Verdict) -> str:
    if v.label.is_true and v.status == "verified" and not v.right:
        return f"verified without warning {v.label.warning} (warnings: {v.warnings or 'none'})"
    return v.status


def summary(
    verdicts: list[Verdict], mode: str, seconds: float, unreadable: list[UnreadableCheck]
) -> dict:
    wrong = [v for v in verdicts if not v.right]
    differs = [v for v in verdicts if v.right and not v.exact]
    line = lambda v: {  # noqa: E731
        "id": v.label.id,
        "doc": v.label.doc,
        "kind": v.label.kind,
        "expected": v.label.expect + (f" + {v.label.warning}" if v.label.warning else ""),
        "got": _got(v),
        "detail": v.detail,
        "quote": v.label.quote,
    }
    return {
        "formats": tables(verdicts),
        "wrong": [line(v) for v in wrong],
        "status_differs": [line(v) for v in differs],
        "unreadable": [asdict(c) | {"right": c.right} for c in unreadable],
        "mode": mode,
        "seconds": round(seconds, 1),
    }


def print_text(result: dict) -> None:
    print("report check on the real-world labels (benchmarks/realworld/quotes.yaml)\n")
    head = f"{'format':<7}{'true':>6}{'verified':>10}{'rejected':>10}"
    head += f"{'false':>8}{'caught':>8}{'passed':>8}{'exact':>7}"
    print(head)
    for fmt, row in result["formats"].items():
        print(
            f"{fmt:<7}{row['true']:>6}{row['verified']:>10}{row['rejected']:>10}"
            f"{row['false']:>8}{row['caught']:>8}{row['passed']:>8}"
            f"{row['caught_with_expected_status']:>7}"
        )
    print("\n(exact: false quotes caught with the very status the label names)")
    print(f"\n{len(result['wrong'])} wrong verdicts:")
    for w in result["wrong"]:
        print(
            f"  {w['id']:<10} {w['doc']:<28} {w['kind']:<22} expected {w['expected']}, "
            f"got {w['got']}"
        )
        print(f"      quote:  {w['quote'][:200]}")
        if w["detail"]:
            print(f"      report: {w['detail'][:400]}")
    if result["status_differs"]:
        print(f"\n{len(result['status_differs'])} caught with another failing status:")
        for w in result["status_differs"]:
            print(f"  {w['id']:<10} {w['doc']:<28} expected {w['expected']}, got {w['got']}")
    if result["unreadable"]:
        print("\nunreadable files (want exit 2, a message naming the file, no traceback):")
        for c in result["unreadable"]:
            mark = "ok " if c["right"] else "BAD"
            print(f"  {mark} {c['file']:<22} {c['message'][:200]}")
    print(f"\nreport check: {result['seconds']} s ({result['mode']})")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--documents",
        type=Path,
        default=None,
        help="the real-world documents [default: ../shared/realworld/documents]",
    )
    parser.add_argument(
        "--unreadable",
        type=Path,
        default=None,
        help="files report must refuse [default: unreadable/ beside --documents]",
    )
    parser.add_argument(
        "--doc",
        action="append",
        default=[],
        help="only the labels of this document (file name; repeatable)",
    )
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    parser.add_argument(
        "--strict",
        action="store_true",
        help="exit 1 when a verdict is wrong or an unreadable file is not refused",
    )
    args = parser.parse_args(argv)
    documents = (args.documents or default_documents()).resolve()
    if not documents.is_dir():
        parser.error(f"no documents folder at {documents} (give --documents DIR)")
    labels = load_labels()
    if args.doc:
        labels = [label for label in labels if label.doc in set(args.doc)]
    missing = sorted(
        {name for label in labels for name in (label.doc, label.found_in) if name}
        - {path.name for path in documents.iterdir()}
    )
    if missing:
        parser.error(f"{documents} lacks {', '.join(missing)}")
    verdicts, mode, seconds = score(documents, labels, load_sources())
    unreadable_dir = args.unreadable or documents.parent / "unreadable"
    unreadable = [] if args.doc else check_unreadable(unreadable_dir)
    result = summary(verdicts, mode, seconds, unreadable)
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=2))
    else:
        print_text(result)
    failed = result["wrong"] or any(not c["right"] for c in result["unreadable"])
    return 1 if args.strict and failed else 0


if __name__ == "__main__":
    sys.exit(main())
