"""Evidence items read as prose (report.attribution): no "In the words of X," before a
fragment, the item's own `lead`, no mechanical re-announcing, an article for an
organisation, a plural verb for several authors, "et al." for more than three."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from report import attribution
from report.brief import make_brief
from report.pipeline import check

SOURCES = {
    "faa": (
        "author: Federal Aviation Administration",
        "The agency said that drones must stay below 400 feet at all times. "
        "Operators must keep the aircraft within visual line of sight.",
    ),
    "trio": (
        "author: [Julien Aligon, Patrick Marcel, Elsa Negre]",
        "We show that query recommendation helps analysts explore a cube. "
        "The approach scales to large logs of past sessions.",
    ),
    "four": (
        "author: [Ann Bee, Carl Dee, Eve Eff, Gus Gee]",
        "Four authors agree that the results hold across every data set we tried.",
    ),
    "paper": (
        'container-title: "The World News"',
        "Western leaders would find no divergence between the two men on the war.",
    ),
}


@pytest.fixture
def project(tmp_path: Path) -> Path:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    entries = []
    for sid, (meta, text) in SOURCES.items():
        (corpus / f"{sid}.txt").write_text(text + "\n", encoding="utf-8")
        entries.append(f"- id: {sid}\n  file: {sid}.txt\n  title: About {sid}\n  {meta}\n")
    (corpus / "sources.yaml").write_text("".join(entries), encoding="utf-8")
    return tmp_path


def brief_of(project: Path, items: list[dict[str, str]]):
    evidence = "".join(
        "          - "
        + "\n            ".join(f"{k}: {json.dumps(v)}" for k, v in item.items())
        + "\n"
        for item in items
    )
    path = project / "brief.yaml"
    path.write_text(
        "title: T\ncorpus: corpus\nsections:\n  - heading: H\n    arguments:\n"
        f"      - claim: C.\n        evidence:\n{evidence}",
        encoding="utf-8",
    )
    [checked] = check([path])
    assert all(r.status.value == "verified" for r in checked.results), checked.results
    return make_brief(checked.outline, checked.corpus, checked.results)


def inline(brief) -> list[str]:
    return [q.inline for q in brief.quotes]


def test_an_organisation_takes_an_article(project):
    b = brief_of(project, [{"source": "faa", "quote": "Operators must keep the aircraft"}])
    assert inline(b) == [
        "As the Federal Aviation Administration writes, “Operators must keep the aircraft.”"
    ]


def test_several_authors_take_a_plural_verb_and_are_named_again_by_family_name(project):
    b = brief_of(
        project,
        [
            {"source": "trio", "quote": "We show that query recommendation helps analysts"},
            {"source": "trio", "quote": "The approach scales to large logs"},
            {"source": "trio", "quote": "helps analysts explore a cube"},
        ],
    )
    assert inline(b) == [
        "As Julien Aligon, Patrick Marcel and Elsa Negre write, “We show that query "
        "recommendation helps analysts.”",
        "Aligon, Marcel and Negre add, “The approach scales to large logs.”",
        "Aligon, Marcel and Negre also use the words “helps analysts explore a cube.”",
    ]


def test_more_than_three_authors_are_et_al(project):
    b = brief_of(project, [{"source": "four", "quote": "Four authors agree that the results hold"}])
    assert inline(b) == ["As Ann Bee et al. write, “Four authors agree that the results hold.”"]


def test_a_fragment_is_mentioned_not_introduced_with_in_the_words_of(project):
    b = brief_of(
        project,
        [
            {"source": "paper", "quote": "would find no divergence between the two men"},
            {"source": "paper", "quote": "on the war"},
        ],
    )
    assert inline(b) == [
        "The World News used the words “would find no divergence between the two men”",
        "and “on the war.”",
    ]
    assert not any("In the words of" in q for q in inline(b))


def test_a_publication_drops_its_capital_article_inside_a_sentence(project):
    b = brief_of(
        project, [{"source": "paper", "quote": "Western leaders would find no divergence"}]
    )
    assert inline(b) == ["As the World News reported, “Western leaders would find no divergence.”"]


def test_a_speaker_quoted_again_is_not_announced_the_same_way(project):
    said = {"source": "faa", "speaker": "Jane Doe"}
    b = brief_of(
        project,
        [
            {**said, "quote": "The agency said that drones must stay below 400 feet"},
            {**said, "quote": "Operators must keep the aircraft within visual line"},
            {**said, "quote": "The agency said that drones"},
        ],
    )
    assert inline(b) == [
        "As Jane Doe put it, “The agency said that drones must stay below 400 feet.”",
        "Doe added, “Operators must keep the aircraft within visual line.”",
        "Doe also said, “The agency said that drones.”",
    ]


def test_a_lead_is_the_authors_own_words_before_the_quote(project):
    b = brief_of(
        project,
        [
            {
                "source": "faa",
                "lead": "The rule leaves no room for doubt: drones",
                "quote": "must stay below 400 feet at all times",
            }
        ],
    )
    assert inline(b) == [
        "The rule leaves no room for doubt: drones “must stay below 400 feet at all times.”"
    ]


@pytest.mark.parametrize(
    ("name", "text", "short"),
    [
        ("Vladimir Putin", "", "Putin"),
        ("Ursula von der Leyen", "", "von der Leyen"),
        ("Xi Jinping", "Xi Jinping met Putin. Xi said so. Xi left.", "Xi"),
        (
            "Elizabeth Wishnick",
            "Elizabeth Wishnick1 wrote this. By Elizabeth Wishnick.",
            "Wishnick",
        ),
        ("Federal Aviation Administration", "", "Federal Aviation Administration"),
        ("CNBC", "", "CNBC"),
    ],
)
def test_short_names(name, text, short):
    assert attribution.short_name(name, text) == short


@pytest.mark.parametrize(
    ("name", "shown"),
    [
        ("Federal Aviation Administration", "the Federal Aviation Administration"),
        ("Bank of England", "the Bank of England"),
        ("The Dispatch", "the Dispatch"),
        ("Harvard University", "Harvard University"),
        ("Neil Thomas", "Neil Thomas"),
        ("CNBC", "CNBC"),
    ],
)
def test_articles(name, shown):
    assert attribution.with_article(name) == shown
