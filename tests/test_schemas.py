"""The JSON Schemas of outlines and sources.yaml (report/data/*.schema.json), which editors
use through the YAML language server, agree with the loaders: what the loaders read the
schemas accept, what they refuse for a reason a schema can say the schemas refuse, and
`report init`'s files name them on their first line."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import jsonschema
import pytest
import yaml

from report import csl
from report import sources as sources_module
from report import yamloutline as outline_module
from report.corpus import load_corpus
from report.errors import ReportError
from report.outline import load_outline
from report.scaffold import init_project
from tests.conftest import CORPUS, OUTLINES, ROOT

DATA = ROOT / "report" / "data"


class _Yaml12(yaml.SafeLoader):
    """YAML as the YAML language server reads it (1.2 core schema): `2025-01-15` is text,
    not a date, as it is to the loaders."""


_Yaml12.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def schema(name: str) -> jsonschema.Draft7Validator:
    doc = json.loads((DATA / f"{name}.schema.json").read_text(encoding="utf-8"))
    jsonschema.Draft7Validator.check_schema(doc)
    return jsonschema.Draft7Validator(doc)


def errors(name: str, text: str) -> list[str]:
    return [e.message for e in schema(name).iter_errors(yaml.load(text, Loader=_Yaml12))]


# -- the schemas and the loaders name the same keys ----------------------------------------


def _props(doc: dict, definition: str | None = None) -> set[str]:
    node = doc["definitions"][definition] if definition else doc
    return set(node["properties"])


def test_the_outline_schema_names_every_key_the_loader_reads():
    doc = schema("outline").schema
    for loader_keys, schema_keys in (
        (outline_module._TOP, _props(doc)),
        (outline_module._SECTION, _props(doc, "section")),
        (outline_module._ARGUMENT, _props(doc, "argument")),
        (outline_module._EVIDENCE, _props(doc, "evidence")),
    ):
        assert loader_keys == schema_keys


def test_the_sources_schema_names_every_key_and_csl_type_the_loader_reads():
    doc = schema("sources").schema
    loader_keys = sources_module._OWN_KEYS | csl.VARIABLES
    schema_keys = _props(doc, "source")
    assert loader_keys == schema_keys
    assert set(doc["definitions"]["source"]["properties"]["type"]["enum"]) == csl.TYPES


# -- what the loaders read, the schemas accept ----------------------------------------------


@pytest.mark.parametrize("path", sorted(OUTLINES.glob("*.yaml")), ids=lambda p: p.name)
def test_the_sample_outlines_validate(path):
    load_outline(path)
    assert errors("outline", path.read_text(encoding="utf-8")) == []


def test_the_seed_corpus_sources_yaml_validates():
    load_corpus(CORPUS)
    assert errors("sources", (CORPUS / "sources.yaml").read_text(encoding="utf-8")) == []


def test_report_init_files_validate_and_name_their_schema(tmp_path):
    project = init_project(tmp_path / "brief")
    for rel, name in (("outlines/example.yaml", "outline"), ("corpus/sources.yaml", "sources")):
        path = project.root / rel
        first = path.read_text(encoding="utf-8").splitlines()[0]
        assert first.startswith("# yaml-language-server: $schema=")
        named = (path.parent / first.split("$schema=", 1)[1]).resolve()
        assert named.read_bytes() == (DATA / f"{name}.schema.json").read_bytes()
        assert errors(name, path.read_text(encoding="utf-8")) == []
    load_outline(project.outline)


# -- what the loaders refuse, the schemas refuse --------------------------------------------

OUTLINE = """\
title: A brief
date: 2025-01-20
lang: en-GB
style: apa
sections:
  - heading: One
    arguments:
      - claim: A claim.
        evidence:
          - source: gazette-2025
            quote: build forty kilometres of protected bicycle lanes
            paragraph: 2
"""

# What each breaks, and a word of the schema's complaint: refused for that reason.
BAD_OUTLINES = {
    "unknown key": (OUTLINE.replace("date:", "dated:"), "'dated' was unexpected"),
    "no title": (OUTLINE.replace("title: A brief\n", ""), "'title' is a required"),
    "no sections": (OUTLINE[: OUTLINE.index("sections:")], "'sections' is a required"),
    "sections not a list": (
        OUTLINE[: OUTLINE.index("sections:")] + "sections: none\n",
        "'none' is not of type 'array', 'null'",
    ),
    "empty heading": (OUTLINE.replace("heading: One", 'heading: ""'), "'' is not valid"),
    "claim under the section": (
        OUTLINE.replace("    arguments:\n", "    claim: Misplaced.\n    arguments:\n"),
        "'claim' was unexpected",
    ),
    "no quote": (
        OUTLINE.replace(
            "            quote: build forty kilometres of protected bicycle lanes\n", ""
        ),
        "'quote' is a required",
    ),
    "quote is a list": (
        OUTLINE.replace("quote: build", "quote:\n              - build"),
        "['build forty kilometres of protected bicycle lanes'] is not valid",
    ),
    "source with a tab": (
        OUTLINE.replace("source: gazette-2025", 'source: "gazette\\t2025"'),
        "'gazette\\t2025' is not valid",
    ),
    "lang not a language tag": (OUTLINE.replace("lang: en-GB", "lang: en_GB"), "'en_GB'"),
    "docx_template not a Word file": (
        OUTLINE.replace("date:", "docx_template: house.dotx\ndate:"),
        "'house.dotx'",
    ),
    "page and paragraph": (
        OUTLINE + "            page: 3\n            paragraph: 4\n",
        "should not be valid under {'required': ['paragraph']}",
    ),
    "a recommendation that is a mapping": (
        OUTLINE + "recommendations:\n  - {a: b}\n",
        "{'a': 'b'} is not valid",
    ),
}


@pytest.fixture
def project(tmp_path) -> Path:
    project = init_project(tmp_path / "brief")
    return project.root


def test_the_valid_outline_is_valid_to_both(project):
    path = project / "outlines" / "x.yaml"
    path.write_text(OUTLINE, encoding="utf-8")
    load_outline(path)
    assert errors("outline", OUTLINE) == []


@pytest.mark.parametrize("name", sorted(BAD_OUTLINES))
def test_an_outline_the_loader_refuses_the_schema_refuses(project, name):
    text, complaint = BAD_OUTLINES[name]
    path = project / "outlines" / "x.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ReportError):
        load_outline(path)
    assert any(complaint in e for e in errors("outline", text)), errors("outline", text)


SOURCES = """\
- id: gazette-2025
  file: example-source.txt
  type: article-newspaper
  title: Cities Bet on Bicycles, but Winter Tests the Plan
  author: [Ana Example, {family: Berg, given: Tomas}]
  date: 2025-01-15
  number: 12
  body: {start: The city council voted on Tuesday, end: before construction begins.}
  exclude: [Subscribe, {start: Related, end: See all}]
  url: https://example.org/gazette/bicycles
  archived: https://web.archive.org/web/2025/https://example.org/gazette/bicycles
"""

BAD_SOURCES = {
    "unknown key": (SOURCES.replace("title:", "titel:"), "'titel' was unexpected"),
    "no file": (SOURCES.replace("  file: example-source.txt\n", ""), "'file' is a required"),
    "not a CSL type": (
        SOURCES.replace("article-newspaper", "newspaper"),
        "'newspaper' is not one of",
    ),
    "body without end": (
        SOURCES.replace(", end: before construction begins.", ""),
        "'end' is a required",
    ),
    "body with a third key": (
        SOURCES.replace("begins.}", "begins., middle: x}"),
        "'middle' was unexpected",
    ),
    "short sha256": (SOURCES + "  sha256: abc123\n", "'abc123' does not match"),
    "empty exclude": (
        SOURCES.replace("[Subscribe, {start: Related, end: See all}]", "[]"),
        "[] should be non-empty",
    ),
    "a name of a list": (
        SOURCES.replace("{family: Berg, given: Tomas}", "{family: [Berg]}"),
        "{'family': ['Berg']}] is not valid",
    ),
    "a mapping of other keys": (
        "entries:\n" + textwrap.indent(SOURCES, "  "),
        "'entries' was unexpected",
    ),
    "url not a web address": (
        SOURCES + "  url: file:///etc/passwd\n",
        "'file:///etc/passwd' does not match",
    ),
    "organization beside author": (
        SOURCES + "  organization: City Council\n",
        "should not be valid under {'required': ['author']}",
    ),
    "an entry that is text": ("- gazette-2025\n", "'gazette-2025' is not of type 'object'"),
    "an id on two lines": (
        SOURCES.replace("id: gazette-2025", 'id: "gazette\\n2025"'),
        "'gazette\\n2025' is not valid",
    ),
}


def test_the_valid_sources_yaml_is_valid_to_both(project):
    (project / "corpus" / "sources.yaml").write_text(SOURCES, encoding="utf-8")
    load_corpus(project / "corpus", None)
    assert errors("sources", SOURCES) == []


@pytest.mark.parametrize("name", sorted(BAD_SOURCES))
def test_a_sources_yaml_the_loader_refuses_the_schema_refuses(project, name):
    text, complaint = BAD_SOURCES[name]
    (project / "corpus" / "sources.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(ReportError):
        load_corpus(project / "corpus", None)
    assert any(complaint in e for e in errors("sources", text)), errors("sources", text)
