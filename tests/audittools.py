"""Helpers for the audit's tests: a project with the seed corpus, `report` run in this
process, what a Word file's comments say and anchor, and LibreOffice (soffice) to convert
files and to open annotated copies as a user's office suite would."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest
from lxml import etree

from tests.conftest import CORPUS, ROOT

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")


def project(root: Path) -> Path:
    """root/corpus (the seed corpus) and root/drafts/, as a user's project."""
    shutil.copytree(CORPUS, root / "corpus")
    (root / "drafts").mkdir()
    return root


@dataclass
class Ran:
    code: int
    out: str
    err: str


def audit_cli(*args: str | Path, cwd: Path) -> Ran:
    """`report audit ARGS` through the real entry point (report.cli.main), in this process."""
    from click.testing import CliRunner

    from report.cli import main

    here, argv = Path.cwd(), sys.argv
    isolated = CliRunner().isolation(env={"NO_COLOR": "1", "FORCE_COLOR": None, "CI": "1"})
    with isolated as (out, err, _):
        sys.argv = ["report", "audit", *map(str, args)]
        os.chdir(cwd)
        try:
            main()
            code = 0
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else 0 if exc.code is None else 1
        finally:
            os.chdir(here)
            sys.argv = argv
            sys.stdout.flush()
            sys.stderr.flush()
        return Ran(code, out.getvalue().decode(), err.getvalue().decode())


def word_comments(data: bytes) -> list[tuple[str, str]]:
    """(the text a comment is anchored on, the comment's text) of each comment of a .docx,
    in the order their ranges begin in the document; the anchored text is read as the
    document shows it with changes accepted (no deleted text)."""
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        document = etree.fromstring(z.read("word/document.xml"))
        if "word/comments.xml" not in z.namelist():
            return []
        comments = etree.fromstring(z.read("word/comments.xml"))
    said = {
        c.get(f"{W}id"): "\n".join(
            "".join(t.text or "" for t in p.iter(f"{W}t")) for p in c.iter(f"{W}p")
        )
        for c in comments.iter(f"{W}comment")
    }
    anchored: dict[str, list[str]] = {}
    open_ids: list[str] = []
    for el in document.iter():
        if el.tag == f"{W}commentRangeStart":
            open_ids.append(el.get(f"{W}id"))
            anchored[el.get(f"{W}id")] = []
        elif el.tag == f"{W}commentRangeEnd":
            open_ids.remove(el.get(f"{W}id"))
        elif el.tag == f"{W}t" and not _deleted(el):
            for cid in open_ids:
                anchored[cid].append(el.text or "")
        elif el.tag == f"{W}footnoteReference" or el.tag == f"{W}endnoteReference":
            for cid in open_ids:
                anchored[cid].append("[note]")
    return [("".join(anchored[cid]), said[cid]) for cid in anchored]


def _deleted(el: etree._Element) -> bool:
    parent = el.getparent()
    while parent is not None:
        if parent.tag in (f"{W}del", f"{W}moveFrom"):
            return True
        parent = parent.getparent()
    return False


def parts(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return {name: z.read(name) for name in z.namelist()}


# -- LibreOffice --------------------------------------------------------------------------


def need_soffice() -> str:
    """The soffice command; in CI (`make test`) its absence is a failure, not a skip:
    scripts/system-deps.sh installs it."""
    if SOFFICE is None:
        if os.environ.get("CI"):
            pytest.fail("LibreOffice (soffice) is not installed: run scripts/system-deps.sh")
        pytest.skip("LibreOffice (soffice) is not installed: run scripts/system-deps.sh")
    return SOFFICE


def soffice_convert(files: list[Path], to: str, outdir: Path, profile: Path) -> list[Path]:
    """Convert files with LibreOffice, headless, with a profile of the caller's (one per
    test worker: two instances on one profile would wait on each other)."""
    soffice = need_soffice()
    outdir.mkdir(parents=True, exist_ok=True)
    proc = subprocess.run(
        [
            soffice,
            f"-env:UserInstallation={profile.resolve().as_uri()}",
            "--headless",
            "--norestore",
            "--convert-to",
            to,
            "--outdir",
            str(outdir),
            *map(str, files),
        ],
        capture_output=True,
        text=True,
        timeout=300,  # only a hang: a conversion takes seconds
        cwd=ROOT,
    )
    suffix = "." + to.split(":")[0]
    out = [outdir / (f.stem + suffix) for f in files]
    missing = [p.name for p in out if not p.exists()]
    assert not missing, f"soffice did not convert {missing}: {proc.stdout} {proc.stderr}"
    return out


_ODF_OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
_ODF_TEXT = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"


def odt_comments(odt: Path) -> list[tuple[str, str]]:
    """(anchored text, comment text) of each comment LibreOffice read from a file, from the
    .odt it saved: office:annotation ... office:annotation-end."""
    with zipfile.ZipFile(odt) as z:
        root = etree.fromstring(z.read("content.xml"))
    found: dict[str, list[str]] = {}
    texts: dict[str, str] = {}
    open_names: list[str] = []
    order: list[str] = []

    def walk(el: etree._Element) -> None:
        if el.tag == f"{_ODF_OFFICE}annotation":
            name = el.get(f"{_ODF_OFFICE}name") or f"point{len(order)}"
            texts[name] = "\n".join(_odf_text(p) for p in el.iter(f"{_ODF_TEXT}p"))
            found[name] = []
            order.append(name)
            if el.get(f"{_ODF_OFFICE}name"):
                open_names.append(name)
            _tail(el)
            return
        if el.tag == f"{_ODF_OFFICE}annotation-end":
            name = el.get(f"{_ODF_OFFICE}name")
            if name in open_names:
                open_names.remove(name)
            _tail(el)
            return
        if el.tag == f"{_ODF_TEXT}note":
            for name in open_names:
                found[name].append("[note]")
            _tail(el)
            return
        if el.tag == f"{_ODF_TEXT}s":
            for name in open_names:
                found[name].append(" " * int(el.get(f"{_ODF_TEXT}c", "1")))
        elif el.text:
            for name in open_names:
                found[name].append(el.text)
        for child in el:
            walk(child)
        _tail(el)

    def _tail(el: etree._Element) -> None:
        if el.tail:
            for name in open_names:
                found[name].append(el.tail)

    walk(root)
    return [("".join(found[n]), texts[n]) for n in order]


def _odf_text(el: etree._Element) -> str:
    """An OpenDocument paragraph's text: `text:s` stands for spaces, `text:tab` a tab."""
    out = [el.text or ""]
    for child in el:
        if child.tag == f"{_ODF_TEXT}s":
            out.append(" " * int(child.get(f"{_ODF_TEXT}c", "1")))
        elif child.tag == f"{_ODF_TEXT}tab":
            out.append("\t")
        else:
            out.append(_odf_text(child))
        out.append(child.tail or "")
    return "".join(out)
