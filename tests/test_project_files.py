"""The files a published tool carries beside its code, and that they agree: the licence, the
changelog and CITATION.cff name the version and licence pyproject.toml does."""

from __future__ import annotations

import datetime
import re
import tomllib

import yaml

from report import __version__
from tests.conftest import ROOT

PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]

# CFF 1.2.0's required keys (https://github.com/citation-file-format/citation-file-format).
CFF_REQUIRED = {"cff-version", "message", "title", "authors"}
KEEP_A_CHANGELOG_GROUPS = {"Added", "Changed", "Deprecated", "Removed", "Fixed", "Security"}


def test_one_version_everywhere():
    assert PROJECT["version"] == __version__


def test_the_licence_is_mit_as_pyproject_says():
    assert (ROOT / "LICENSE").read_text(encoding="utf-8").startswith("MIT License\n")
    assert "MIT" in PROJECT["license"].split(" AND ")
    assert "LICENSE" in PROJECT["license-files"]
    # setuptools refuses a `License ::` classifier beside a licence expression (PEP 639)
    assert not any(c.startswith("License ::") for c in PROJECT["classifiers"])


def test_citation_cff_has_the_required_keys_and_this_release():
    cff = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    assert set(cff) >= CFF_REQUIRED
    assert cff["cff-version"] == "1.2.0"
    assert cff["authors"] and all("name" in a or "family-names" in a for a in cff["authors"])
    assert str(cff["version"]) == PROJECT["version"]
    assert cff["license"] == "MIT"
    datetime.date.fromisoformat(str(cff["date-released"]))


def test_the_changelog_has_an_entry_for_this_release_in_keep_a_changelog_groups():
    text = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    releases = re.findall(r"^## \[([^\]]+)\](?: - (\d{4}-\d{2}-\d{2}))?$", text, re.M)
    assert releases[0] == ("Unreleased", "")
    assert (PROJECT["version"], releases[1][1]) == releases[1]
    datetime.date.fromisoformat(releases[1][1])
    groups = set(re.findall(r"^### (.+)$", text, re.M))
    assert groups and groups <= KEEP_A_CHANGELOG_GROUPS
