"""Quotations in the author's prose (report.prose): found after their citation, verified
like evidence items, located at their first character in the YAML file whatever the
scalar's style; paraphrases cited, unattributed quotations warned about."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from report.errors import OutlineError, ReportErrors
from report.findings import Status, WarningKind
from report.outline import load_outline
from report.pipeline import check
from report.prose import double_nested
from report.yamlfile import scalar_locator
from tests.conftest import CORPUS

HEAD = f"""title: Prose
corpus: {json.dumps(str(CORPUS))}
sections:
  - heading: One
    arguments:
      - claim: A claim.
"""


def outline(tmp_path: Path, body: str, head: str = HEAD) -> Path:
    path = tmp_path / "prose.yaml"
    path.write_text(head + body, encoding="utf-8")
    return path


def where(path: Path, needle: str) -> tuple[int, int]:
    """(line, column) of the one occurrence of `needle` in the file."""
    text = path.read_text(encoding="utf-8")
    assert text.count(needle) == 1, needle
    offset = text.index(needle)
    return text.count("\n", 0, offset) + 1, offset - text.rfind("\n", 0, offset)


def results(path: Path):
    [checked] = check([path])
    return checked.results


# -- where a quotation is: its first character, in every style of YAML scalar --------------

STYLES = {
    "folded": """        text: >
          Putin said that China "has set an example for the international community"
          [@dispatch-2020] and had answered “the provocation and stigmatization by some
          country” [@dispatch-2020].
""",
    "literal": """        text: |
          Putin said that China "has set an example for the international community"
            [@dispatch-2020] and had answered “the provocation and stigmatization by some
          country” [@dispatch-2020].
""",
    "plain": """        text: Putin said that China "has set an example for the international
          community" [@dispatch-2020] and had answered “the provocation and stigmatization
          by some country” [@dispatch-2020].
""",
    "double-quoted": """        text: "Putin said that China \\"has set an example for the \\
          international community\\" [@dispatch-2020] and had answered \\u201cthe provocation and
          stigmatization by some country\\u201d [@dispatch-2020]."
""",
    "single-quoted": """        text: 'Putin''s words: China "has set an example for the
          international community" [@dispatch-2020] and had answered “the provocation and
          stigmatization
          by some country” [@dispatch-2020].'
""",
}


@pytest.mark.parametrize("style", STYLES)
def test_a_quotation_is_located_at_its_first_character(tmp_path, style):
    path = outline(tmp_path, STYLES[style])
    first, second = results(path)
    assert first.status is second.status is Status.VERIFIED
    assert (first.evidence.location.line, first.evidence.location.column) == where(
        path, "has set an"
    )
    # the second begins after a quotation mark the YAML escapes in one style (\u201c)
    needle = "u201cthe provocation" if style == "double-quoted" else "the provocation"
    line, column = where(path, needle)
    if style == "double-quoted":
        column += len("u201c")  # the escape `\u201c` stands for the quotation mark
    assert (second.evidence.location.line, second.evidence.location.column) == (line, column)
    assert second.evidence.quote == "the provocation and stigmatization by some country"


def test_scalar_locator_maps_every_character_of_a_folded_value():
    text = 'a: >\n  one "two\n  three"\n\n  four \u00e9\nb: "x\\ty \\"z\\" \\u00e9 w"\n'
    root = yaml.compose(text)
    for _, node in root.value:
        locate = scalar_locator(text, node, "f.yaml")
        for k, ch in enumerate(node.value):
            loc = locate(k)
            line = text.split("\n")[loc.line - 1]
            if not ch.isspace() and node.style != '"':
                assert line[loc.column - 1] == ch, (k, ch, loc)
    # an escape stands where it is written
    b = root.value[1][1]
    locate = scalar_locator(text, b, "f.yaml")
    assert locate(b.value.index("\u00e9")) == locate(b.value.index("\u00e9"))
    line = text.split("\n")[locate(b.value.index("\u00e9")).line - 1]
    assert line[locate(b.value.index("\u00e9")).column - 1 :].startswith("\\u00e9")
    assert line[locate(b.value.index("z")).column - 1] == "z"


# -- what is verified, cited and warned about ----------------------------------------------


def test_a_misquote_in_a_sentence_is_reported_at_the_quotation(tmp_path, invoke):
    path = outline(
        tmp_path,
        """        text: >
          Xi reaffirmed "China's commitment to fully support Russia" [@cnbc-2021].
""",
    )
    result = invoke("check", path)
    assert result.code == 1
    line, column = where(path, "China's commitment")
    assert f"{path}:{line}:{column}: misquote: not found in cnbc-2021" in result.out
    assert "- fully + firmly" in result.out


def test_a_citation_after_no_quotation_is_a_paraphrase_listed_as_cited(tmp_path, invoke):
    path = outline(
        tmp_path,
        """        text: Analysts doubted that China would help militarily [@cnbc-2021, para. 3].
""",
    )
    result = invoke("check", path, "--strict", "--format", "json")
    assert result.code == 0, result.out + result.err
    doc = json.loads(result.out)
    [cited] = doc["quotes"]
    assert cited["status"] == "cited" and cited["failed"] is False
    assert cited["source"] == "cnbc-2021"
    line, column = where(path, "[@cnbc-2021")
    assert (cited["outline"]["line"], cited["outline"]["column"]) == (line, column)
    assert doc["summary"]["cited"] == 1 and doc["summary"]["failed"] == 0
    text = invoke("check", path)
    assert text.out.strip().splitlines()[-1] == "0 quotes: 0 verified; 1 paraphrase cited"


def test_a_quotation_without_a_citation_is_warned_about(tmp_path, invoke):
    path = outline(
        tmp_path,
        """        text: Putin said China "has set an example for the international community".
""",
    )
    result = invoke("check", path)
    assert result.code == 0
    line, column = where(path, "has set an")
    assert f"{path}:{line}:{column}: warning: unattributed quote:" in result.out
    strict = invoke("check", path, "--strict", "--format", "json")
    assert strict.code == 1
    [q] = json.loads(strict.out)["quotes"]
    assert q["status"] == "unattributed" and q["failed"] is True
    assert [w["kind"] for w in q["warnings"]] == ["unattributed_quote"]
    assert q["quote"] == "has set an example for the international community"


def test_an_author_date_citation_is_not_one_report_checks(tmp_path):
    path = outline(
        tmp_path,
        """        text: Putin said China "has set an example for the international community"
          (Joscelyn 2020).
""",
    )
    [r] = results(path)
    assert r.status is Status.UNATTRIBUTED
    assert "(Joscelyn 2020)" in r.warnings[0].message and "[@id]" in r.warnings[0].message


def test_one_citation_after_two_quotations_attributes_both(tmp_path):
    path = outline(
        tmp_path,
        """        text: >
          Putin praised "the Chinese government" and said it "has set an example for the
          international community" [@dispatch-2020].
""",
    )
    first, second = results(path)
    assert first.status is second.status is Status.VERIFIED
    assert first.evidence.citation is second.evidence.citation
    assert [w.kind for w in first.warnings] == []  # three words: not too short


def test_a_quote_is_verified_in_whichever_cited_source_has_it(tmp_path):
    path = outline(
        tmp_path,
        """        text: >
          Putin said that China "has set an example for the international community" [see
          @cnbc-2021, p. 4; @dispatch-2020].
""",
    )
    [r] = results(path)
    assert r.status is Status.VERIFIED
    assert r.evidence.source == "dispatch-2020" and r.match.source_id == "dispatch-2020"
    items = r.evidence.citation.items
    assert [(i.source, i.prefix, i.locator, i.label) for i in items] == [
        ("cnbc-2021", "see ", "4", "page"),
        ("dispatch-2020", "", "", ""),
    ]


def test_a_quote_in_none_of_its_cited_sources_is_a_misquote(tmp_path):
    path = outline(
        tmp_path,
        """        text: >
          He said "China's commitment to fully support Russia" [@dispatch-2020; @cnbc-2021].
""",
    )
    [r] = results(path)
    assert r.status is Status.MISQUOTE
    assert r.evidence.source == "cnbc-2021"  # the closest passage is in the source that has it
    assert r.closest is not None and "firmly" in r.closest.passage


@pytest.mark.parametrize(
    ("citation", "expected"),
    [
        ("[@dispatch-2020]", [("dispatch-2020", "", "", "", "")]),
        ("[@dispatch-2020, 33]", [("dispatch-2020", "", "33", "page", "")]),
        ("[@dispatch-2020, pp. 33-35, 38]", [("dispatch-2020", "", "33-35, 38", "page", "")]),
        ("[@dispatch-2020, para. 12]", [("dispatch-2020", "", "12", "paragraph", "")]),
        ("[@dispatch-2020, ch. 3]", [("dispatch-2020", "", "", "", ", ch. 3")]),
        ("[@dispatch-2020, chap. 3 on]", [("dispatch-2020", "", "3", "chapter", " on")]),
        ("[see @dispatch-2020, ¶ 4]", [("dispatch-2020", "see ", "4", "paragraph", "")]),
        ("[@dispatch-2020, and elsewhere]", [("dispatch-2020", "", "", "", ", and elsewhere")]),
        (
            "[@dispatch-2020; also @ponars-643, sec. 2]",
            [("dispatch-2020", "", "", "", ""), ("ponars-643", "also ", "2", "section", "")],
        ),
    ],
)
def test_pandoc_citations_are_read_as_pandoc_reads_them(tmp_path, citation, expected):
    path = outline(
        tmp_path,
        f"""        text: >
          Joscelyn argued that "Some country" is the United States {citation}.
""",
    )
    text = load_outline(path).sections[0].arguments[0].text
    [cite] = [c for p in text.paras for c in p.citations()]
    got = [(i.source, i.prefix, i.locator, i.label, i.suffix) for i in cite.citation.items]
    assert got == expected


def test_a_speaker_in_a_citation_is_an_input_error_with_the_way_to_write_it(tmp_path, invoke):
    path = outline(
        tmp_path,
        """        text: He said "has set an example" [@dispatch-2020, speaker=Vladimir Putin].
""",
    )
    result = invoke("check", path)
    assert result.code == 2
    line, column = where(path, "@dispatch-2020, speaker")
    assert f"{path}:{line}:{column}:" in result.err
    assert '{speaker="Name"}' in result.err


def test_an_unknown_source_in_a_citation_is_an_input_error_at_its_id(tmp_path, invoke):
    path = outline(
        tmp_path,
        """        text: The war went badly [@nowhere-2024] and "China [isn't] going" [@cnbc-2021].
""",
    )
    result = invoke("check", path)
    assert result.code == 2
    line, column = where(path, "@nowhere-2024")
    assert f"{path}:{line}:{column}: unknown source 'nowhere-2024'" in result.err


def test_a_quotation_of_editorial_marks_only_is_an_input_error(tmp_path):
    path = outline(tmp_path, """        text: He said "[...]" [@dispatch-2020].\n""")
    with pytest.raises((OutlineError, ReportErrors)) as info:
        load_outline(path)
    assert (info.value.location.line, info.value.location.column) == where(path, '[...]"')


# -- speakers, nested quotations -----------------------------------------------------------


def test_a_span_names_the_speaker(tmp_path):
    path = outline(
        tmp_path,
        """        text: >
          He said China ["has set an example for the international community"]{speaker="Vladimir
          Putin"} [@dispatch-2020] and ["responded, loud and clear"]{speaker=Xi} [@dispatch-2020].
""",
    )
    first, second = results(path)
    assert first.evidence.speaker == "Vladimir Putin" and not first.warnings
    assert second.evidence.speaker == "Xi"
    assert first.status is Status.VERIFIED


def test_a_wrong_speaker_in_a_span_is_warned_about(tmp_path):
    path = outline(
        tmp_path,
        """        text: >
          ["China does not want a formal military alliance with Russia"]{speaker="Jude
          Blanchette"} [@cnbc-2021].
""",
    )
    [r] = results(path)
    assert [w.kind for w in r.warnings] == [WarningKind.SPEAKER_NOT_FOUND]


def test_nested_single_marks_stand_for_the_sources_double_ones(tmp_path):
    path = outline(
        tmp_path,
        """        text: >
          Joscelyn: “[T]hat ‘new era’ is one in which the U.S. is no longer a lone
          superpower.” [@dispatch-2020]
""",
    )
    [r] = results(path)
    assert r.status is Status.VERIFIED
    assert r.evidence.quote.startswith("[T]hat “new era” is one in which the U.S.")


def test_nested_single_marks_verify_as_written_in_a_source_that_has_single_ones(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "uk.txt").write_text(
        "The minister called it ‘a partnership of equals’ in her speech on Monday.\n",
        encoding="utf-8",
    )
    (corpus / "sources.yaml").write_text("- id: uk\n  file: uk.txt\n", encoding="utf-8")
    head = HEAD.replace(json.dumps(str(CORPUS)), json.dumps(str(corpus)))
    path = outline(
        tmp_path,
        """        text: She said "called it 'a partnership of equals' in her speech" [@uk].
""",
        head,
    )
    [r] = results(path)
    assert r.status is Status.VERIFIED
    assert r.evidence.quote == "called it 'a partnership of equals' in her speech"


@pytest.mark.parametrize(
    ("quote", "doubled"),
    [
        ("That ‘new era’ is", "That “new era” is"),
        ("It doesn’t want ‘a corpse’.", "It doesn’t want “a corpse”."),
        ("the '90s and 'the era' of", "the '90s and “the era” of"),
        ("the students’ union", "the students’ union"),
    ],
)
def test_double_nested(quote, doubled):
    assert double_nested(quote) == doubled


def test_evidence_items_take_a_lead(tmp_path):
    path = outline(
        tmp_path,
        """        evidence:
          - source: cnbc-2021
            lead: Thomas was blunt about the balance of power.
            quote: Russia is very much the junior partner in the bilateral relationship
""",
    )
    ev = load_outline(path).evidence()[0]
    assert ev.lead == "Thomas was blunt about the balance of power."


def test_a_paragraph_too_long_to_read_is_an_input_error_at_its_start(tmp_path):
    stray = "“word " * 401
    path = outline(tmp_path, f"        text: >\n          Before. {stray}\n")
    with pytest.raises((OutlineError, ReportErrors)) as info:
        load_outline(path)
    assert "and 400 quotation marks; this one has 2,413 and 401: split it" in str(info.value)
    assert (info.value.location.line, info.value.location.column) == where(path, "Before.")


def test_stray_opening_marks_open_nothing(tmp_path):
    path = outline(
        tmp_path,
        """        text: >
          A stray “ mark and "has set an example for the international community"
          [@dispatch-2020], and a "stray one.
""",
    )
    [r] = results(path)
    assert r.status is Status.VERIFIED
