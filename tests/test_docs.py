"""The manual: README.md is a short front door whose links resolve, docs/ holds the rest, every
page of it is in mkdocs.yml's nav, and `mkdocs build --strict` fails on a broken link or
anchor (so `make test`, which runs it, fails CI on one)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import unquote, urlsplit

import markdown
import pytest
import yaml

from tests.conftest import CORPUS, OUTLINES, ROOT

DOCS = ROOT / "docs"
README = ROOT / "README.md"
# Inline links and images, `[text](target)`, outside code (code is removed first).
LINK = re.compile(r"!?\[[^\]]*\]\(([^)\s]+)(?:\s+\"[^\"]*\")?\)")
FENCE = re.compile(r"^```.*?^```$", re.M | re.S)
INDENTED = re.compile(r"^(?: {4}|\t).*$", re.M)
CODE_SPAN = re.compile(r"(`+).+?\1", re.S)


def mkdocs_config() -> dict:
    return yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))


def nav_pages(nav: list) -> list[str]:
    pages = []
    for entry in nav:
        value = next(iter(entry.values())) if isinstance(entry, dict) else entry
        pages.extend(nav_pages(value) if isinstance(value, list) else [value])
    return pages


def links(text: str) -> list[str]:
    prose = CODE_SPAN.sub("", INDENTED.sub("", FENCE.sub("", text)))
    return LINK.findall(prose)


def anchors(page: Path) -> set[str]:
    """The ids of a page's headings, as MkDocs makes them (Python-Markdown's toc)."""
    md = markdown.Markdown(extensions=["toc", "tables", "pymdownx.superfences"])
    md.convert(page.read_text(encoding="utf-8"))

    def ids(tokens: list[dict]) -> set[str]:
        return {t["id"] for t in tokens} | {i for t in tokens for i in ids(t["children"])}

    return ids(md.toc_tokens)


def test_every_page_of_docs_is_in_the_nav_and_every_nav_entry_is_a_page():
    pages = {p.relative_to(DOCS).as_posix() for p in DOCS.rglob("*.md")}
    nav = nav_pages(mkdocs_config()["nav"])
    assert len(nav) == len(set(nav)), "a page is in the nav twice"
    assert set(nav) == pages


def test_the_site_fetches_nothing_at_build_time():
    config = mkdocs_config()
    assert config["theme"]["name"] == "material"
    plugins = {p if isinstance(p, str) else next(iter(p)) for p in config.get("plugins", [])}
    assert plugins <= {"search"}  # no social cards, no privacy plugin: both download


def test_the_readme_is_a_front_door():
    assert len(README.read_bytes()) < 8 * 1024


def test_the_readmes_links_resolve():
    """Relative links of README.md name files that exist (as GitHub shows them), and an
    anchor into a docs page names one of its headings."""
    targets = links(README.read_text(encoding="utf-8"))
    assert any(t.startswith("docs/") for t in targets)
    for target in targets:
        parts = urlsplit(target)
        if parts.scheme or parts.netloc:
            continue
        path = (README.parent / unquote(parts.path)) if parts.path else README
        assert path.is_file(), target
        if parts.fragment and path.suffix == ".md" and path != README:
            assert parts.fragment in anchors(path), target


def test_the_readmes_misquote_is_what_report_check_prints(tmp_path, invoke):
    """The README's misquote: the sample brief with the passage the message shows changed as
    it shows, checked as the README says, prints the block shown, word for word."""
    text = README.read_text(encoding="utf-8")
    section = text[text.index("## A misquote") :]
    command = re.search(r"`(report check [^`]+)`", section).group(1).split()
    shown = re.search(r"\n\n((?: {4}.*\n)+)", section).group(1)
    shown = "".join(line[4:] + "\n" for line in shown.splitlines())
    quoted = re.search(r"^ +quote: +(.*)$", shown, re.M).group(1)
    source = re.search(r"^ +(.*\{\+.*)$", shown, re.M).group(1)
    misquote = re.sub(r"\[-(.*?)-\]", r"\1", quoted)
    original = re.sub(r"\{\+(.*?)\+\}", r"\1", source)
    shutil.copytree(CORPUS, tmp_path / "corpus")
    shutil.copytree(OUTLINES, tmp_path / "outlines")
    brief = tmp_path / command[-1]
    before = brief.read_text(encoding="utf-8")
    assert before.count(original) == 1 and misquote != original
    brief.write_text(before.replace(original, misquote), encoding="utf-8")
    result = invoke(*command[1:], cwd=tmp_path)
    assert "exit status 1" in section and result.code == 1
    assert result.out == shown


def test_mkdocs_strict_fails_on_a_broken_anchor_or_page_and_on_nothing_else(tmp_path):
    """The real pages, with one broken anchor and one missing page added: `mkdocs build
    --strict` fails, and names those two links and nothing else."""
    mkdocs = Path(sys.executable).parent / "mkdocs"
    if not mkdocs.exists():
        pytest.skip("mkdocs is not installed (pip install -e '.[test]')")
    shutil.copy(ROOT / "mkdocs.yml", tmp_path / "mkdocs.yml")
    shutil.copytree(DOCS, tmp_path / "docs")
    with (tmp_path / "docs" / "ci.md").open("a", encoding="utf-8") as page:
        page.write("\nSee [the limits](building.md#no-such-heading) and [more](nowhere.md).\n")
    proc = subprocess.run(
        [str(mkdocs), "build", "--strict", "--site-dir", str(tmp_path / "site")],
        cwd=tmp_path, capture_output=True, text=True, timeout=300,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )  # fmt: skip
    assert proc.returncode != 0
    warnings = [line for line in proc.stderr.splitlines() if line.startswith("WARNING")]
    assert len(warnings) == 2, proc.stderr
    said = "\n".join(warnings)
    assert "'building.md' does not contain an anchor '#no-such-heading'" in said
    assert "'nowhere.md', but the target is not found" in said
